/* cryo-cti.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-cti"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-cti.h"

struct _CryoCtiDecoder
{
  /* Characters after the '$' of the packet being received: DATA and the
   * checksum, at most one more than the longest DATA. */
  char     buffer[CRYO_CTI_MAX_DATA + 1];
  gsize    len;
  gboolean in_packet;
  /* Bytes fed and not yet looked at: a copy, so feed() can take any split. */
  GByteArray *pending;
  gsize    pending_pos;
  guint64  n_skipped;
};

/**
 * cryo_cti_regen_states:
 *
 * The seed's "Regen States" table: every character the pump answers to O
 * and the step it means. Ends at cryo_cti_n_regen_states.
 */
const CryoCtiRegenState cryo_cti_regen_states[] = {
  { 'A', CRYO_CTI_REGEN_PHASE_PUMP_OFF },
  { '\\', CRYO_CTI_REGEN_PHASE_PUMP_OFF },
  { 'B', CRYO_CTI_REGEN_PHASE_WARMUP },
  { 'C', CRYO_CTI_REGEN_PHASE_WARMUP },
  { 'E', CRYO_CTI_REGEN_PHASE_WARMUP },
  { '^', CRYO_CTI_REGEN_PHASE_WARMUP },
  { ']', CRYO_CTI_REGEN_PHASE_WARMUP },
  { 'D', CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE },
  { 'F', CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE },
  { 'G', CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE },
  { 'Q', CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE },
  { 'R', CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE },
  { 'H', CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE },
  { 'S', CRYO_CTI_REGEN_PHASE_REPURGE },
  { 'I', CRYO_CTI_REGEN_PHASE_ROUGH },
  { 'J', CRYO_CTI_REGEN_PHASE_ROUGH },
  { 'K', CRYO_CTI_REGEN_PHASE_ROUGH },
  { 'T', CRYO_CTI_REGEN_PHASE_ROUGH },
  { 'a', CRYO_CTI_REGEN_PHASE_ROUGH },
  { 'b', CRYO_CTI_REGEN_PHASE_ROUGH },
  { 'j', CRYO_CTI_REGEN_PHASE_ROUGH },
  { 'n', CRYO_CTI_REGEN_PHASE_ROUGH },
  { 'L', CRYO_CTI_REGEN_PHASE_RATE_OF_RISE },
  { 'M', CRYO_CTI_REGEN_PHASE_COOLDOWN },
  { 'N', CRYO_CTI_REGEN_PHASE_COOLDOWN },
  { 'c', CRYO_CTI_REGEN_PHASE_COOLDOWN },
  { 'd', CRYO_CTI_REGEN_PHASE_COOLDOWN },
  { 'o', CRYO_CTI_REGEN_PHASE_COOLDOWN },
  { 'P', CRYO_CTI_REGEN_PHASE_COMPLETE },
  { 'U', CRYO_CTI_REGEN_PHASE_FAST_START },
  { 'V', CRYO_CTI_REGEN_PHASE_ABORTED },
  { 'W', CRYO_CTI_REGEN_PHASE_DELAY_RESTART },
  { 'X', CRYO_CTI_REGEN_PHASE_POWER_FAILURE },
  { 'Y', CRYO_CTI_REGEN_PHASE_POWER_FAILURE },
  { 'Z', CRYO_CTI_REGEN_PHASE_DELAY_START },
  { 'O', CRYO_CTI_REGEN_PHASE_ZEROING_TC },
  { '[', CRYO_CTI_REGEN_PHASE_ZEROING_TC },
  { 'f', CRYO_CTI_REGEN_PHASE_SHARE_WAIT },
  { 'e', CRYO_CTI_REGEN_PHASE_FAST_REPURGE },
  { 'h', CRYO_CTI_REGEN_PHASE_PURGE_COORDINATE },
  { 'i', CRYO_CTI_REGEN_PHASE_ROUGH_COORDINATE },
  { 'k', CRYO_CTI_REGEN_PHASE_PURGE_GAS_RECOVERING },
};

const gsize cryo_cti_n_regen_states = G_N_ELEMENTS (cryo_cti_regen_states);

/**
 * cryo_cti_regen_phase_names:
 *
 * What each #CryoCtiRegenPhase is called (N_(); translate with
 * g_dgettext()), indexed by its value.
 */
const char * const cryo_cti_regen_phase_names[CRYO_CTI_N_REGEN_PHASES] = {
  [CRYO_CTI_REGEN_PHASE_PUMP_OFF] = N_("Pump off"),
  [CRYO_CTI_REGEN_PHASE_WARMUP] = N_("Warm-up"),
  [CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE] = N_("Purge gas failure"),
  [CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE] = N_("Extended purge"),
  [CRYO_CTI_REGEN_PHASE_REPURGE] = N_("Repurge"),
  [CRYO_CTI_REGEN_PHASE_ROUGH] = N_("Rough"),
  [CRYO_CTI_REGEN_PHASE_RATE_OF_RISE] = N_("Rate of rise"),
  [CRYO_CTI_REGEN_PHASE_COOLDOWN] = N_("Cool-down"),
  [CRYO_CTI_REGEN_PHASE_COMPLETE] = N_("Regen complete"),
  [CRYO_CTI_REGEN_PHASE_FAST_START] = N_("Fast regen start"),
  [CRYO_CTI_REGEN_PHASE_ABORTED] = N_("Regen aborted"),
  [CRYO_CTI_REGEN_PHASE_DELAY_RESTART] = N_("Delay restart"),
  [CRYO_CTI_REGEN_PHASE_POWER_FAILURE] = N_("Power failure"),
  [CRYO_CTI_REGEN_PHASE_DELAY_START] = N_("Delay start"),
  [CRYO_CTI_REGEN_PHASE_ZEROING_TC] = N_("Zeroing TC gauge"),
  [CRYO_CTI_REGEN_PHASE_SHARE_WAIT] = N_("Share regen wait"),
  [CRYO_CTI_REGEN_PHASE_FAST_REPURGE] = N_("Fast regen repurge"),
  [CRYO_CTI_REGEN_PHASE_PURGE_COORDINATE] = N_("Purge coordinate wait"),
  [CRYO_CTI_REGEN_PHASE_ROUGH_COORDINATE] = N_("Rough coordinate wait"),
  [CRYO_CTI_REGEN_PHASE_PURGE_GAS_RECOVERING] = N_("Purge gas failure, recovering"),
};

/**
 * cryo_cti_regen_phases:
 *
 * The steps of a regeneration as bands for the trend (the regen step
 * channel's phases), ended by an entry whose label is %NULL. A pump off,
 * a completed or aborted regen and a power failure are no step of a
 * regeneration, so they draw no band.
 */
const CryoPhaseLabel cryo_cti_regen_phases[] = {
  { CRYO_CTI_REGEN_PHASE_DELAY_START, N_("Delay start") },
  { CRYO_CTI_REGEN_PHASE_FAST_START, N_("Fast regen start") },
  { CRYO_CTI_REGEN_PHASE_WARMUP, N_("Warm-up") },
  { CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE, N_("Purge gas failure") },
  { CRYO_CTI_REGEN_PHASE_PURGE_GAS_RECOVERING, N_("Purge gas failure, recovering") },
  { CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE, N_("Extended purge") },
  { CRYO_CTI_REGEN_PHASE_REPURGE, N_("Repurge") },
  { CRYO_CTI_REGEN_PHASE_FAST_REPURGE, N_("Fast regen repurge") },
  { CRYO_CTI_REGEN_PHASE_PURGE_COORDINATE, N_("Purge coordinate wait") },
  { CRYO_CTI_REGEN_PHASE_ROUGH_COORDINATE, N_("Rough coordinate wait") },
  { CRYO_CTI_REGEN_PHASE_ZEROING_TC, N_("Zeroing TC gauge") },
  { CRYO_CTI_REGEN_PHASE_ROUGH, N_("Rough") },
  { CRYO_CTI_REGEN_PHASE_RATE_OF_RISE, N_("Rate of rise") },
  { CRYO_CTI_REGEN_PHASE_COOLDOWN, N_("Cool-down") },
  { CRYO_CTI_REGEN_PHASE_SHARE_WAIT, N_("Share regen wait") },
  { CRYO_CTI_REGEN_PHASE_DELAY_RESTART, N_("Delay restart") },
  { 0, NULL }
};

/**
 * cryo_cti_regen_errors:
 *
 * The seed's "Regen Error Codes" (reply to e), ended by a %NULL text.
 */
const CryoCtiCodeText cryo_cti_regen_errors[] = {
  { '@', N_("No error") },
  { 'B', N_("Warm-up timeout (more than 60 min)") },
  { 'C', N_("Cool-down timeout (more than 5 hours)") },
  { 'D', N_("Roughing rate error (dP/dt below 2 %/min)") },
  { 'E', N_("Rate-of-rise cycle limit exceeded") },
  { 'F', N_("Manual abort") },
  { 'G', N_("Rough valve timeout (more than 1 hour)") },
  { 'H', N_("Illegal state (software error)") },
  { 'I', N_("Pump too warm for fast regen") },
  { 'J', N_("Second stage too cold to rough") },
  { 0, NULL }
};

/**
 * cryo_cti_power_failure_status:
 *
 * The seed's "Power Failure Status" (reply to t?), ended by a %NULL text.
 */
const CryoCtiCodeText cryo_cti_power_failure_status[] = {
  { 0, N_("No power failure") },
  { 1, N_("Was in regen, continuing cool-down") },
  { 2, N_("Is in regeneration") },
  { 3, N_("Pump on, attempting recovery to 17 K") },
  { 4, N_("Recovered from power failure") },
  { 5, N_("Did not recover to 17 K within 20 min") },
  { 6, N_("Above the recovery temperature set point, remains off") },
  { 0, NULL }
};

/**
 * cryo_cti_motor_failures:
 *
 * The seed's "Pump Motor Failure Codes" (reply to u), ended by a %NULL text.
 */
const CryoCtiCodeText cryo_cti_motor_failures[] = {
  { '0', N_("Motor OK") },
  { '@', N_("Pump is on") },
  { 'P', N_("No phase 1 volts") },
  { '`', N_("No cryo power on both phases") },
  { 'p', N_("No phase 2 volts") },
  { 0, NULL }
};

/**
 * cryo_cti_params:
 *
 * The settable parameters and their ranges: seed "Configuration Commands"
 * (P0…PG, j) and "Temperature Control" (H, I). Ends at cryo_cti_n_params.
 */
const CryoCtiParam cryo_cti_params[] = {
  { "P0", N_("Pump restart delay"), 0, 59994, "s" },
  { "P1", N_("Extended purge time"), 0, 9990, "s" },
  { "P2", N_("Repurge cycles"), 0, 200, "" },
  { "P3", N_("Rough to pressure"), 25, 200, "mTorr" },
  { "P4", N_("Rate-of-rise limit"), 1, 100, "mTorr/min" },
  { "P5", N_("Rate-of-rise cycles"), 0, 200, "" },
  { "P6", N_("Restart temperature"), 0, 80, "K" },
  { "PA", N_("Roughing interlock"), 0, 1, "" },
  { "PC", N_("Pumps per compressor"), 1, 3, "" },
  { "PG", N_("Repurge time"), 0, 9999, "s" },
  { "j", N_("Start delay"), 0, 59994, "s" },
  { "H", N_("First stage temperature set point"), 0, 320, "K" },
  { "I", N_("Second stage temperature set point"), 0, 30, "K" },
};

const gsize cryo_cti_n_params = G_N_ELEMENTS (cryo_cti_params);

/**
 * cryo_cti_checksum:
 * @data: DATA of a packet (for a reply, starting with its code; through a
 *   Network Terminal, with its `Pnn`)
 * @len: its length
 *
 * The packet checksum (cti-onboard.md "Packet"): s = sum of the 7-bit
 * characters mod 256, ((s ^ (s >> 6)) & 0x3F) + 0x30.
 *
 * Returns: the checksum character, '0'…'o'
 */
guint8
cryo_cti_checksum (const char *data,
                   gsize       len)
{
  guint sum = 0;

  g_return_val_if_fail (data != NULL || len == 0, 0);

  for (gsize i = 0; i < len; i++)
    sum += (guint8) data[i] & 0x7F;
  sum &= 0xFF;

  return (guint8) (((sum ^ (sum >> 6)) & 0x3F) + 0x30);
}

static gboolean
is_data_char (char c)
{
  /* '$' restarts a packet and CR ends it: neither may be inside DATA. */
  return c >= 0x20 && c <= 0x7E && c != CRYO_CTI_START;
}

/**
 * cryo_cti_command_is_forbidden:
 * @command: a command as it would be sent, without '$' and checksum, with
 *   or without a Network Terminal `Pnn` prefix
 *
 * Whether @command is `d`, erase regen history (seed "Dangerous Commands"):
 * permanent data loss, which Cryomon never sends. Any command starting with
 * `d`, also behind a `Pnn` address, counts.
 *
 * Returns: %TRUE when @command must never reach the wire
 */
gboolean
cryo_cti_command_is_forbidden (const char *command)
{
  g_return_val_if_fail (command != NULL, TRUE);

  if (command[0] == 'd')
    return TRUE;

  /* "P01d" is `d` for pump 01 through a Network Terminal. */
  return command[0] == 'P' && g_ascii_isdigit (command[1]) && g_ascii_isdigit (command[2])
         && command[3] == 'd';
}

static GBytes *
frame (const char *data,
       gsize       len)
{
  guint8 *bytes = g_malloc (len + 3);

  bytes[0] = CRYO_CTI_START;
  memcpy (bytes + 1, data, len);
  bytes[len + 1] = cryo_cti_checksum (data, len);
  bytes[len + 2] = CRYO_CTI_END;

  return g_bytes_new_take (bytes, len + 3);
}

/**
 * cryo_cti_encode:
 * @address: Network Terminal pump address 0…19, or %CRYO_CTI_NO_ADDRESS for
 *   a pump on its own line
 * @command: the command and its value ("J", "S1", "P0600", "N1")
 * @error: %CRYO_PROTOCOL_ERROR_REFUSED for `d` (erase regen history: never
 *   sent, cryo_cti_command_is_forbidden()), %CRYO_PROTOCOL_ERROR_MALFORMED
 *   for an empty command, one with characters that cannot be sent ('$',
 *   control or 8-bit characters) or one longer than a packet holds
 *
 * Encodes a request packet: '$', [`Pnn`], @command, checksum over both, CR
 * (cti-onboard.md "Packet").
 *
 * Returns: (transfer full) (nullable): the packet's bytes
 */
GBytes *
cryo_cti_encode (int          address,
                 const char  *command,
                 GError     **error)
{
  char data[CRYO_CTI_MAX_DATA + 1];
  gsize len = 0;
  gsize command_len;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (address == CRYO_CTI_NO_ADDRESS || (address >= 0 && address <= CRYO_CTI_MAX_ADDRESS), NULL);

  if (cryo_cti_command_is_forbidden (command))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_REFUSED,
                   _("“%c” (erase regen history) is never sent: it destroys the pump’s regen history"),
                   'd');
      return NULL;
    }

  command_len = strlen (command);
  if (command_len == 0 || command_len + (address >= 0 ? 3 : 0) > CRYO_CTI_MAX_DATA)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("A command must have 1 to %d characters"),
                   CRYO_CTI_MAX_DATA - (address >= 0 ? 3 : 0));
      return NULL;
    }

  for (gsize i = 0; i < command_len; i++)
    if (!is_data_char (command[i]))
      {
        g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                     _("A command cannot hold the character 0x%02X"), (guint8) command[i]);
        return NULL;
      }

  if (address >= 0)
    {
      data[0] = 'P';
      data[1] = '0' + address / 10;
      data[2] = '0' + address % 10;
      len = 3;
    }
  memcpy (data + len, command, command_len);
  len += command_len;

  return frame (data, len);
}

/**
 * cryo_cti_encode_reply:
 * @code_char: the response code, 'A', 'B', 'E', 'F', 'G' or 'H'
 * @payload: (nullable): what follows the code, at most 13 printable
 *   characters; %NULL for none
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for an unknown code or a payload
 *   that a packet cannot hold
 *
 * Encodes a reply packet as a pump sends it (cti-onboard.md "Replies"):
 * for simulators and tests.
 *
 * Returns: (transfer full) (nullable): the packet's bytes
 */
GBytes *
cryo_cti_encode_reply (char         code_char,
                       const char  *payload,
                       GError     **error)
{
  char data[CRYO_CTI_MAX_DATA + 1];
  gsize payload_len = payload != NULL ? strlen (payload) : 0;

  if (strchr ("ABEFGH", code_char) == NULL || code_char == '\0')
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("“%c” is not a reply code"), g_ascii_isprint (code_char) ? code_char : '?');
      return NULL;
    }

  if (payload_len + 1 > CRYO_CTI_MAX_DATA)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("A reply payload must have at most %d characters"), CRYO_CTI_MAX_DATA - 1);
      return NULL;
    }

  for (gsize i = 0; i < payload_len; i++)
    if (!is_data_char (payload[i]))
      {
        g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                     _("A reply cannot hold the character 0x%02X"), (guint8) payload[i]);
        return NULL;
      }

  data[0] = code_char;
  if (payload_len > 0)
    memcpy (data + 1, payload, payload_len);

  return frame (data, payload_len + 1);
}

/**
 * cryo_cti_decoder_new:
 *
 * Creates an incremental packet decoder for either direction
 * (cti-onboard.md "Packet"): every byte is masked to 7 bits; bytes outside
 * a packet are skipped; a '$' anywhere starts a new packet, dropping the
 * one it interrupts; a CR ends one. Holds at most one packet's characters
 * plus the bytes fed and not yet decoded.
 *
 * Returns: (transfer full): a decoder; free with cryo_cti_decoder_free()
 */
CryoCtiDecoder *
cryo_cti_decoder_new (void)
{
  CryoCtiDecoder *decoder = g_new0 (CryoCtiDecoder, 1);

  decoder->pending = g_byte_array_new ();

  return decoder;
}

/**
 * cryo_cti_decoder_free:
 * @decoder: (nullable): a decoder
 */
void
cryo_cti_decoder_free (CryoCtiDecoder *decoder)
{
  if (decoder == NULL)
    return;

  g_byte_array_unref (decoder->pending);
  g_free (decoder);
}

/**
 * cryo_cti_decoder_reset:
 * @decoder: a decoder
 *
 * Forgets everything held: the next packet starts at the next '$'.
 */
void
cryo_cti_decoder_reset (CryoCtiDecoder *decoder)
{
  g_return_if_fail (decoder != NULL);

  decoder->len = 0;
  decoder->in_packet = FALSE;
  g_byte_array_set_size (decoder->pending, 0);
  decoder->pending_pos = 0;
}

/**
 * cryo_cti_decoder_feed:
 * @decoder: a decoder
 * @data: (array length=len): bytes received, any split
 * @len: how many
 *
 * Appends bytes for cryo_cti_decoder_next() to frame.
 */
void
cryo_cti_decoder_feed (CryoCtiDecoder *decoder,
                       const guint8   *data,
                       gsize           len)
{
  g_return_if_fail (decoder != NULL);
  g_return_if_fail (data != NULL || len == 0);

  /* Drop what was decoded already, so the buffer stays one feed long. */
  if (decoder->pending_pos > 0)
    {
      g_byte_array_remove_range (decoder->pending, 0, decoder->pending_pos);
      decoder->pending_pos = 0;
    }

  if (len > 0)
    g_byte_array_append (decoder->pending, data, len);
}

/**
 * cryo_cti_decoder_next:
 * @decoder: a decoder
 * @packet: (out caller-allocates): the packet, with %CRYO_CTI_DECODE_PACKET
 * @error: with %CRYO_CTI_DECODE_ERROR: %CRYO_PROTOCOL_ERROR_CHECKSUM,
 *   %CRYO_PROTOCOL_ERROR_TRUNCATED (a '$' arrived inside a packet, or a CR
 *   with no checksum before it), %CRYO_PROTOCOL_ERROR_OVERLONG (no CR within
 *   15 characters) or %CRYO_PROTOCOL_ERROR_MALFORMED (a control character
 *   inside a packet)
 *
 * Frames the next packet out of the bytes fed. After an error the decoder
 * has already resynchronised: call it again.
 *
 * Returns: what was found
 */
CryoCtiDecodeResult
cryo_cti_decoder_next (CryoCtiDecoder  *decoder,
                       CryoCtiPacket   *packet,
                       GError         **error)
{
  g_return_val_if_fail (decoder != NULL, CRYO_CTI_DECODE_NEED_MORE);
  g_return_val_if_fail (packet != NULL, CRYO_CTI_DECODE_NEED_MORE);

  while (decoder->pending_pos < decoder->pending->len)
    {
      char c = (char) (decoder->pending->data[decoder->pending_pos++] & 0x7F);

      if (c == CRYO_CTI_START)
        {
          gboolean interrupted = decoder->in_packet && decoder->len > 0;

          if (decoder->in_packet)
            decoder->n_skipped += 1 + decoder->len;
          decoder->in_packet = TRUE;
          decoder->len = 0;

          if (interrupted)
            {
              g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED,
                                   _("a packet was cut short by the start of another"));
              return CRYO_CTI_DECODE_ERROR;
            }
          continue;
        }

      if (!decoder->in_packet)
        {
          decoder->n_skipped++;
          continue;
        }

      if (c == CRYO_CTI_END)
        {
          gsize data_len;
          guint8 expected;

          decoder->in_packet = FALSE;

          if (decoder->len < 2)
            {
              decoder->n_skipped += 2 + decoder->len;
              decoder->len = 0;
              g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED,
                                   _("a packet ended before its data and checksum"));
              return CRYO_CTI_DECODE_ERROR;
            }

          data_len = decoder->len - 1;
          expected = cryo_cti_checksum (decoder->buffer, data_len);
          if ((guint8) decoder->buffer[data_len] != expected)
            {
              decoder->n_skipped += 2 + decoder->len;
              decoder->len = 0;
              g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM,
                           _("checksum “%c” where “%c” was due"),
                           g_ascii_isprint (decoder->buffer[data_len]) ? decoder->buffer[data_len] : '?',
                           expected);
              return CRYO_CTI_DECODE_ERROR;
            }

          memcpy (packet->data, decoder->buffer, data_len);
          packet->data[data_len] = '\0';
          packet->len = data_len;
          decoder->len = 0;
          return CRYO_CTI_DECODE_PACKET;
        }

      if (!g_ascii_isprint (c))
        {
          decoder->n_skipped += 2 + decoder->len;
          decoder->in_packet = FALSE;
          decoder->len = 0;
          g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                       _("control character 0x%02X inside a packet"), (guint8) c);
          return CRYO_CTI_DECODE_ERROR;
        }

      if (decoder->len >= sizeof decoder->buffer)
        {
          decoder->n_skipped += 2 + decoder->len;
          decoder->in_packet = FALSE;
          decoder->len = 0;
          g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG,
                       _("no packet end within %d characters"), CRYO_CTI_MAX_DATA + 1);
          return CRYO_CTI_DECODE_ERROR;
        }

      decoder->buffer[decoder->len++] = c;
    }

  return CRYO_CTI_DECODE_NEED_MORE;
}

/**
 * cryo_cti_decoder_get_n_held:
 * @decoder: a decoder
 *
 * Returns: the bytes held: those of a packet begun (its '$' included) and
 *   those fed and not yet looked at
 */
gsize
cryo_cti_decoder_get_n_held (CryoCtiDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, 0);

  return (decoder->in_packet ? 1 + decoder->len : 0) + (decoder->pending->len - decoder->pending_pos);
}

/**
 * cryo_cti_decoder_get_n_skipped:
 * @decoder: a decoder
 *
 * Returns: bytes dropped so far: outside packets and in dropped packets
 *   (with their '$' and CR)
 */
guint64
cryo_cti_decoder_get_n_skipped (CryoCtiDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, 0);

  return decoder->n_skipped;
}

/**
 * cryo_cti_split_address:
 * @packet: a request packet
 * @address: (out): its Network Terminal address 0…99, or
 *   %CRYO_CTI_NO_ADDRESS
 * @command: (out) (transfer none): the command after the address, inside
 *   @packet's data
 *
 * Splits a request into its optional `Pnn` address and its command
 * (cti-onboard.md "Packet"). A `P` followed by two digits and more is an
 * address only when more than the two digits follow and the digits are not
 * a regen parameter command: `P0600` is P0 set to 600; `P01A1` is A1 for
 * pump 01. Requests with an address have a command that is not a digit.
 *
 * Returns: %TRUE when the packet carried an address
 */
gboolean
cryo_cti_split_address (const CryoCtiPacket  *packet,
                        int                  *address,
                        const char          **command)
{
  const char *d;

  g_return_val_if_fail (packet != NULL, FALSE);
  g_return_val_if_fail (address != NULL && command != NULL, FALSE);

  d = packet->data;
  *address = CRYO_CTI_NO_ADDRESS;
  *command = d;

  if (packet->len >= 4 && d[0] == 'P' && g_ascii_isdigit (d[1]) && g_ascii_isdigit (d[2])
      && !g_ascii_isdigit (d[3]) && d[3] != '?')
    {
      *address = (d[1] - '0') * 10 + (d[2] - '0');
      *command = d + 3;
      return TRUE;
    }

  return FALSE;
}

/**
 * cryo_cti_reply_parse:
 * @packet: a packet received from a pump
 * @reply: (out caller-allocates): its code, flag and payload
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED when the first character is not a
 *   reply code
 *
 * Splits a reply into its response code (A/B OK, E/F cannot execute, G/H
 * refused; B, F, H with the power-failure flag) and payload
 * (cti-onboard.md "Replies").
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_cti_reply_parse (const CryoCtiPacket  *packet,
                      CryoCtiReply         *reply,
                      GError              **error)
{
  g_return_val_if_fail (packet != NULL, FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);

  if (packet->len < 1 || packet->len > CRYO_CTI_MAX_DATA)
    {
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                           _("an empty reply"));
      return FALSE;
    }

  switch (packet->data[0])
    {
    case 'A': reply->code = CRYO_CTI_CODE_OK;      reply->power_failure = FALSE; break;
    case 'B': reply->code = CRYO_CTI_CODE_OK;      reply->power_failure = TRUE;  break;
    case 'E': reply->code = CRYO_CTI_CODE_INVALID; reply->power_failure = FALSE; break;
    case 'F': reply->code = CRYO_CTI_CODE_INVALID; reply->power_failure = TRUE;  break;
    case 'G': reply->code = CRYO_CTI_CODE_REFUSED; reply->power_failure = FALSE; break;
    case 'H': reply->code = CRYO_CTI_CODE_REFUSED; reply->power_failure = TRUE;  break;
    default:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("“%c” is not a reply code"),
                   g_ascii_isprint (packet->data[0]) ? packet->data[0] : '?');
      return FALSE;
    }

  reply->code_char = packet->data[0];
  reply->payload_len = packet->len - 1;
  memcpy (reply->payload, packet->data + 1, reply->payload_len);
  reply->payload[reply->payload_len] = '\0';

  return TRUE;
}

/**
 * cryo_cti_reply_check:
 * @reply: a parsed reply
 * @command: the command it answers, for the message
 * @error: %CRYO_PROTOCOL_ERROR_NACK for E/F (the pump cannot execute
 *   @command), %CRYO_PROTOCOL_ERROR_REFUSED for G/H (refused by the pump
 *   in its current state); the message names @command
 *
 * Returns: %TRUE when the pump carried out @command (A or B)
 */
gboolean
cryo_cti_reply_check (const CryoCtiReply  *reply,
                      const char          *command,
                      GError             **error)
{
  g_return_val_if_fail (reply != NULL, FALSE);
  g_return_val_if_fail (command != NULL, FALSE);

  switch (reply->code)
    {
    case CRYO_CTI_CODE_OK:
      return TRUE;

    case CRYO_CTI_CODE_INVALID:
      /* Translators: the pump answered E: "the pump cannot execute “N1”" */
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_NACK,
                   _("the pump cannot execute “%s” (reply %c)"), command, reply->code_char);
      return FALSE;

    case CRYO_CTI_CODE_REFUSED:
    default:
      /* Translators: the pump answered G: "refused by the pump: “A0” (reply G)" */
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_REFUSED,
                   _("refused by the pump: “%s” (reply %c)"), command, reply->code_char);
      return FALSE;
    }
}

static gboolean
malformed (GError     **error,
           const char  *what,
           const char  *payload)
{
  g_autofree char *shown = g_strescape (payload, NULL);

  /* Translators: "not a decimal number: “+02x5”" */
  g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
               "%s: “%s”", what, shown);
  return FALSE;
}

/**
 * cryo_cti_parse_decimal:
 * @payload: a reply payload: an optional sign, digits with an optional
 *   point, an optional exponent ("+0295.1", "15.3", "1.2e-5")
 * @value: (out): its value (kelvin for J, K, H?, I?; microns for L, M)
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for anything else
 *
 * cti-onboard.md "Payload formats": temperatures and TC pressures.
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_cti_parse_decimal (const char  *payload,
                        double      *value,
                        GError     **error)
{
  const char *p = payload;
  gboolean digits = FALSE;
  double v;

  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  /* The grammar first, so that g_ascii_strtod sees no "inf", hex or space. */
  if (*p == '+' || *p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    p++, digits = TRUE;
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        p++, digits = TRUE;
    }
  if (digits && (*p == 'e' || *p == 'E'))
    {
      gboolean exponent_digits = FALSE;

      p++;
      if (*p == '+' || *p == '-')
        p++;
      while (g_ascii_isdigit (*p))
        p++, exponent_digits = TRUE;
      if (!exponent_digits)
        digits = FALSE;
    }

  if (!digits || *p != '\0')
    return malformed (error, _("not a decimal number"), payload);

  v = g_ascii_strtod (payload, NULL);
  if (!isfinite (v))
    return malformed (error, _("a number out of range"), payload);

  *value = v;
  return TRUE;
}

/**
 * cryo_cti_parse_count:
 * @payload: an optional '+' and decimal digits ("+002330", "1234")
 * @value: (out): its value
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for anything else or a value
 *   above %G_MAXUINT32
 *
 * cti-onboard.md "Payload formats": hours and counts (Y?, Z?, a, a2, k, t?).
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_cti_parse_count (const char  *payload,
                      guint       *value,
                      GError     **error)
{
  const char *p = payload;
  guint64 v = 0;

  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (*p == '+')
    p++;
  if (*p == '\0')
    return malformed (error, _("not a count"), payload);

  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return malformed (error, _("not a count"), payload);
      v = v * 10 + (guint64) (*p - '0');
      if (v > G_MAXUINT32)
        return malformed (error, _("a count out of range"), payload);
    }

  *value = (guint) v;
  return TRUE;
}

/**
 * cryo_cti_parse_status:
 * @payload: a status byte: one raw character with bit 0x40 set, as real
 *   modules send it ("d"), or two hex digits as the seed writes it ("39")
 * @flags: (out): the flags: the raw character's low six bits, or the hex
 *   value
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for anything else
 *
 * cti-onboard.md "Payload formats", S1, S2, S3.
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_cti_parse_status (const char  *payload,
                       guint       *flags,
                       GError     **error)
{
  gsize len;

  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (flags != NULL, FALSE);

  len = strlen (payload);
  if (len == 1 && (guint8) payload[0] >= 0x40 && (guint8) payload[0] <= 0x7F)
    {
      *flags = (guint8) payload[0] & 0x3F;
      return TRUE;
    }

  if (len == 2 && g_ascii_isxdigit (payload[0]) && g_ascii_isxdigit (payload[1]))
    {
      *flags = (guint) (g_ascii_xdigit_value (payload[0]) * 16 + g_ascii_xdigit_value (payload[1]));
      return TRUE;
    }

  return malformed (error, _("not a status byte"), payload);
}

/**
 * cryo_cti_parse_biased:
 * @payload: flags biased by 0x40: one character '@'…DEL, or two hex digits
 *   40…7F ("40" = none)
 * @flags: (out): the flags with the bias removed
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for anything else
 *
 * Seed "Regen Flag Bits" (v) and "Memory Error Code" (W: '@' = none).
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_cti_parse_biased (const char  *payload,
                       guint       *flags,
                       GError     **error)
{
  gsize len;
  guint value;

  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (flags != NULL, FALSE);

  len = strlen (payload);
  if (len == 1)
    value = (guint8) payload[0];
  else if (len == 2 && g_ascii_isxdigit (payload[0]) && g_ascii_isxdigit (payload[1]))
    value = (guint) (g_ascii_xdigit_value (payload[0]) * 16 + g_ascii_xdigit_value (payload[1]));
  else
    return malformed (error, _("not a flag character"), payload);

  if (value < 0x40 || value > 0x7F)
    return malformed (error, _("not a flag character"), payload);

  *flags = value - 0x40;
  return TRUE;
}

/**
 * cryo_cti_parse_char:
 * @payload: a one-character payload (reply to e, u, A?)
 * @code: (out): the character
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED unless @payload is one character
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_cti_parse_char (const char  *payload,
                     char        *code,
                     GError     **error)
{
  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (payload[0] == '\0' || payload[1] != '\0')
    return malformed (error, _("not one character"), payload);

  *code = payload[0];
  return TRUE;
}

/**
 * cryo_cti_parse_regen_step:
 * @payload: the reply to O: one character of the seed's "Regen States"
 * @code: (out) (optional): the character
 * @phase: (out): the step it means
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for anything else
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_cti_parse_regen_step (const char         *payload,
                           char               *code,
                           CryoCtiRegenPhase  *phase,
                           GError            **error)
{
  char c;

  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (phase != NULL, FALSE);

  if (!cryo_cti_parse_char (payload, &c, error))
    return FALSE;

  for (gsize i = 0; i < cryo_cti_n_regen_states; i++)
    if (cryo_cti_regen_states[i].code == c)
      {
        if (code != NULL)
          *code = c;
        *phase = cryo_cti_regen_states[i].phase;
        return TRUE;
      }

  return malformed (error, _("not a regen state"), payload);
}

/**
 * cryo_cti_regen_phase_to_string:
 * @phase: a #CryoCtiRegenPhase
 *
 * Returns: (transfer none): its translated name
 */
const char *
cryo_cti_regen_phase_to_string (CryoCtiRegenPhase phase)
{
  if ((guint) phase >= CRYO_CTI_N_REGEN_PHASES)
    return _("Unknown regen state");

  return g_dgettext (GETTEXT_PACKAGE, cryo_cti_regen_phase_names[phase]);
}

/**
 * cryo_cti_regen_phase_is_running:
 * @phase: a #CryoCtiRegenPhase
 *
 * Whether a regeneration is under way in @phase: every step from its start
 * to cool-down, its waits and delays, and purge gas failures it recovers
 * from. Not when the pump is off, the regen completed or was aborted, or
 * the module reports a power failure.
 *
 * Returns: %TRUE while a regen runs
 */
gboolean
cryo_cti_regen_phase_is_running (CryoCtiRegenPhase phase)
{
  switch (phase)
    {
    case CRYO_CTI_REGEN_PHASE_PUMP_OFF:
    case CRYO_CTI_REGEN_PHASE_COMPLETE:
    case CRYO_CTI_REGEN_PHASE_ABORTED:
    case CRYO_CTI_REGEN_PHASE_POWER_FAILURE:
      return FALSE;

    default:
      return (guint) phase < CRYO_CTI_N_REGEN_PHASES;
    }
}

static const char *
lookup_text (const CryoCtiCodeText *table,
             int                    code)
{
  for (gsize i = 0; table[i].text != NULL; i++)
    if (table[i].code == code)
      return g_dgettext (GETTEXT_PACKAGE, table[i].text);

  return NULL;
}

/**
 * cryo_cti_regen_error_to_string:
 * @code: the reply to e
 *
 * Returns: (transfer none) (nullable): the translated meaning (seed "Regen
 *   Error Codes"), %NULL for a code the seed does not list
 */
const char *
cryo_cti_regen_error_to_string (char code)
{
  return lookup_text (cryo_cti_regen_errors, code);
}

/**
 * cryo_cti_power_failure_to_string:
 * @status: the reply to t?, 0…6
 *
 * Returns: (transfer none) (nullable): the translated meaning (seed "Power
 *   Failure Status"), %NULL for a value the seed does not list
 */
const char *
cryo_cti_power_failure_to_string (guint status)
{
  if (status > G_MAXINT)
    return NULL;

  return lookup_text (cryo_cti_power_failure_status, (int) status);
}

/**
 * cryo_cti_motor_failure_to_string:
 * @code: the reply to u
 *
 * Returns: (transfer none) (nullable): the translated meaning (seed "Pump
 *   Motor Failure Codes"), %NULL for a code the seed does not list
 */
const char *
cryo_cti_motor_failure_to_string (char code)
{
  return lookup_text (cryo_cti_motor_failures, code);
}

/**
 * cryo_cti_lookup_param:
 * @command: a parameter's command ("P3", "j", "H")
 *
 * Returns: (transfer none) (nullable): its row of cryo_cti_params
 */
const CryoCtiParam *
cryo_cti_lookup_param (const char *command)
{
  g_return_val_if_fail (command != NULL, NULL);

  for (gsize i = 0; i < cryo_cti_n_params; i++)
    if (g_str_equal (cryo_cti_params[i].command, command))
      return &cryo_cti_params[i];

  return NULL;
}
