/* cryo-agilent.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Agilent "Window" protocol codec; every wire fact comes from
 * shared/protocols/agilent-window.md (sections cited as "Frame", "Replies",
 * "Windows used", "Test vectors").
 */

#define G_LOG_DOMAIN "cryo-agilent"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cryo-agilent.h"

/* Bytes of a frame besides its payload: STX, ADDR, ETX and two CRC chars. */
#define FRAME_OVERHEAD      5
#define MAX_PAYLOAD         (CRYO_AGILENT_MAX_FRAME - FRAME_OVERHEAD)
/* WIN (3 digits) + COM: the shortest window frame payload. */
#define WINDOW_HEADER_LEN   4
#define MAX_NUMERIC         999999u
#define MAX_WINDOW          999u
/* An input buffer larger than this is released once drained, so one huge
 * feed does not pin its memory for the decoder's lifetime. */
#define INPUT_KEEP_ALLOC    4096

typedef enum
{
  DECODER_HUNT,   /* skipping bytes until STX */
  DECODER_BODY,   /* after STX, collecting until ETX */
  DECODER_CRC,    /* after ETX, collecting the two CRC chars */
} DecoderState;

struct _CryoAgilentDecoder
{
  /* Bytes fed and not yet scanned: input[input_pos..input_len). Emptied
   * every time next() returns NEED_MORE. */
  guint8       *input;
  gsize         input_len;
  gsize         input_pos;
  gsize         input_alloc;

  /* The frame being assembled, from its STX; never more than
   * CRYO_AGILENT_MAX_FRAME bytes. */
  DecoderState  state;
  guint8        frame[CRYO_AGILENT_MAX_FRAME];
  gsize         frame_len;
  gsize         etx_pos;

  gsize         n_discarded;
};

/* agilent-window.md "Windows used" */
static const struct
{
  guint           window;
  CryoAgilentType type;
} window_types[] = {
  { CRYO_AGILENT_WINDOW_START_STOP,       CRYO_AGILENT_TYPE_LOGIC },
  { CRYO_AGILENT_WINDOW_REMOTE,           CRYO_AGILENT_TYPE_LOGIC },
  { CRYO_AGILENT_WINDOW_ACTIVE_STOP,      CRYO_AGILENT_TYPE_LOGIC },
  { CRYO_AGILENT_WINDOW_BAUD_RATE,        CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_PRESSURE_UNIT,    CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_SPEED_AFTER_STOP, CRYO_AGILENT_TYPE_LOGIC },
  { CRYO_AGILENT_WINDOW_CURRENT,          CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_VOLTAGE,          CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_POWER,            CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_FREQUENCY,        CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_TEMPERATURE,      CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_STATUS,           CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_ERROR_CODE,       CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_PRESSURE,         CRYO_AGILENT_TYPE_ALPHANUMERIC },
  { CRYO_AGILENT_WINDOW_SPEED,            CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_CYCLE_TIME,       CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_CYCLE_COUNT,      CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_PUMP_LIFE,        CRYO_AGILENT_TYPE_NUMERIC },
  { CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS,   CRYO_AGILENT_TYPE_NUMERIC },
};

/* Window 206 bits, least significant first (agilent-window.md "Windows used") */
static const char * const error_bit_names[] = {
  N_("no connection"),
  N_("pump overtemperature"),
  N_("controller overtemperature"),
  N_("power fail"),
  N_("auxiliary fail"),
  N_("overvoltage"),
  N_("short circuit"),
  N_("too high load"),
};

static const char hex_digits[] = "0123456789ABCDEF";

static gboolean
is_printable (const char *data,
              gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) data[i];

      if (c < 0x20 || c > 0x7E)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_digits (const char *data,
           gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (data[i]))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_known_code (guint8 code)
{
  switch (code)
    {
    case CRYO_AGILENT_CODE_ACK:
    case CRYO_AGILENT_CODE_NACK:
    case CRYO_AGILENT_CODE_UNKNOWN_WINDOW:
    case CRYO_AGILENT_CODE_DATA_TYPE:
    case CRYO_AGILENT_CODE_OUT_OF_RANGE:
    case CRYO_AGILENT_CODE_DISABLED:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Wraps @payload as STX ADDR payload ETX CRC ("Frame"). */
static GBytes *
build_frame (guint8        address,
             const guint8 *payload,
             gsize         len)
{
  guint8 buf[CRYO_AGILENT_MAX_FRAME];
  guint8 crc;

  g_assert (address <= CRYO_AGILENT_MAX_ADDRESS);
  g_assert (len <= MAX_PAYLOAD);

  buf[0] = CRYO_AGILENT_STX;
  buf[1] = CRYO_AGILENT_ADDRESS_BASE + address;
  if (len > 0)
    memcpy (buf + 2, payload, len);
  buf[2 + len] = CRYO_AGILENT_ETX;
  crc = cryo_agilent_crc (buf + 1, len + 2);
  buf[3 + len] = hex_digits[crc >> 4];
  buf[4 + len] = hex_digits[crc & 0x0F];

  return g_bytes_new (buf, len + FRAME_OVERHEAD);
}

static GBytes *
build_window_frame (guint8      address,
                    guint       window,
                    char        com,
                    const char *data)
{
  char payload[MAX_PAYLOAD + 1];
  int n;

  n = g_snprintf (payload, sizeof payload, "%03u%c%s", window, com, data);
  g_assert (n > 0 && (gsize) n <= MAX_PAYLOAD);

  return build_frame (address, (const guint8 *) payload, n);
}

/* Checks @data against what window @window carries ("Frame", DATA). */
static gboolean
validate_write_data (guint        window,
                     const char  *data,
                     GError     **error)
{
  g_autofree char *shown = NULL;
  gsize len = strlen (data);

  switch (cryo_agilent_window_get_type (window))
    {
    case CRYO_AGILENT_TYPE_LOGIC:
      if (len == 1 && (data[0] == '0' || data[0] == '1'))
        return TRUE;
      shown = g_strescape (data, NULL);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_DATA_TYPE,
                   _("Window %03u takes 0 or 1, not “%s”"), window, shown);
      return FALSE;

    case CRYO_AGILENT_TYPE_NUMERIC:
      if (len == 6 && is_digits (data, len))
        return TRUE;
      shown = g_strescape (data, NULL);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_DATA_TYPE,
                   _("Window %03u takes a number of 6 digits, not “%s”"), window, shown);
      return FALSE;

    case CRYO_AGILENT_TYPE_ALPHANUMERIC:
      if (len == 10 && is_printable (data, len))
        return TRUE;
      shown = g_strescape (data, NULL);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_DATA_TYPE,
                   _("Window %03u takes 10 printable characters, not “%s”"), window, shown);
      return FALSE;

    case CRYO_AGILENT_TYPE_UNKNOWN:
    default:
      if ((len == 1 || len == 6 || len == 10) && is_printable (data, len))
        return TRUE;
      shown = g_strescape (data, NULL);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_DATA_TYPE,
                   _("Data for window %03u must be 1, 6 or 10 printable characters, not “%s”"),
                   window, shown);
      return FALSE;
    }
}

/* Maps a reply code other than ACK to its error ("Replies"). @window is
 * the window asked about, or -1 when the caller does not know it. */
static void
set_code_error (GError **error,
                guint8   code,
                int      window)
{
  switch (code)
    {
    case CRYO_AGILENT_CODE_NACK:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_NACK,
                   _("Pumping station rejected the command (NACK, 0x15); it was not executed"));
      break;

    case CRYO_AGILENT_CODE_UNKNOWN_WINDOW:
      if (window >= 0)
        g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW,
                     _("Pumping station does not know window %03d (0x32); "
                       "check that the configured controller model is right"), window);
      else
        g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW,
                     _("Pumping station does not know the requested window (0x32); "
                       "check that the configured controller model is right"));
      break;

    case CRYO_AGILENT_CODE_DATA_TYPE:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_DATA_TYPE,
                   _("Pumping station rejected the data type or length of the command (0x33)"));
      break;

    case CRYO_AGILENT_CODE_OUT_OF_RANGE:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("Pumping station rejected the value as out of range (0x34)"));
      break;

    case CRYO_AGILENT_CODE_DISABLED:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_REFUSED,
                   _("Pumping station refused the command: window disabled (0x35). "
                     "The setting is read-only or locked in the current state, "
                     "for example in remote mode or while the pump runs"));
      break;

    case CRYO_AGILENT_CODE_ACK:
      if (window >= 0)
        g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                     _("Pumping station acknowledged instead of sending the value of window %03d"),
                     window);
      else
        g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                     _("Pumping station acknowledged instead of sending a value"));
      break;

    default:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                   _("Pumping station sent the unknown reply code 0x%02X"), code);
      break;
    }
}

/* Common checks of the reply helpers: @frame must be the read reply of
 * @window; code frames become their errors. */
static gboolean
check_data_reply (const CryoAgilentFrame  *frame,
                  guint                    window,
                  GError                 **error)
{
  if (frame->is_code)
    {
      set_code_error (error, frame->code, (int) window);
      return FALSE;
    }

  if (frame->is_write)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                   _("Expected the value of window %03u from the pumping station "
                     "but received a write request"), window);
      return FALSE;
    }

  if (frame->window != window)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                   _("Pumping station answered for window %03u instead of window %03u"),
                   frame->window, window);
      return FALSE;
    }

  if (frame->data_len >= sizeof frame->data)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Pumping station sent a value for window %03u that is too long"), window);
      return FALSE;
    }

  return TRUE;
}

static void
set_bad_value_error (GError                 **error,
                     const CryoAgilentFrame  *frame,
                     const char              *expected)
{
  g_autofree char *shown = g_strndup (frame->data, frame->data_len);
  g_autofree char *escaped = g_strescape (shown, NULL);

  g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
               _("Pumping station sent “%s” for window %03u, which is not %s"),
               escaped, frame->window, expected);
}

/* Strict check of the pressure text ("Windows used", 224): digits, an
 * optional fraction, 'E', a sign and 1..3 exponent digits, e.g. "2.9E-03". */
static gboolean
is_pressure_text (const char *text,
                  gsize       len)
{
  gsize i = 0;
  gsize start;

  start = i;
  while (i < len && g_ascii_isdigit (text[i]))
    i++;
  if (i == start)
    return FALSE;

  if (i < len && text[i] == '.')
    {
      i++;
      start = i;
      while (i < len && g_ascii_isdigit (text[i]))
        i++;
      if (i == start)
        return FALSE;
    }

  if (i >= len || (text[i] != 'E' && text[i] != 'e'))
    return FALSE;
  i++;

  if (i >= len || (text[i] != '+' && text[i] != '-'))
    return FALSE;
  i++;

  start = i;
  while (i < len && g_ascii_isdigit (text[i]))
    i++;
  if (i == start || i - start > 3)
    return FALSE;

  return i == len;
}

static CryoAgilentDecodeResult
decode_error (GError     **error,
              gint         code,
              const char  *format,
              ...) G_GNUC_PRINTF (3, 4);

static CryoAgilentDecodeResult
decode_error (GError     **error,
              gint         code,
              const char  *format,
              ...)
{
  va_list args;

  if (error != NULL)
    {
      va_start (args, format);
      *error = g_error_new_valist (CRYO_PROTOCOL_ERROR, code, format, args);
      va_end (args);
    }

  return CRYO_AGILENT_DECODE_ERROR;
}

/* Validates the complete frame in decoder->frame: STX at 0, ETX at
 * etx_pos, two CRC characters after it ("Frame", "Replies"). */
static CryoAgilentDecodeResult
parse_frame (CryoAgilentDecoder  *self,
             CryoAgilentFrame    *frame,
             GError             **error)
{
  const guint8 *f = self->frame;
  gsize etx = self->etx_pos;
  const guint8 *payload;
  gsize payload_len;
  CryoAgilentFrame out = { 0 };
  int hi, lo;
  guint8 crc;

  g_assert (self->frame_len == etx + 3);
  g_assert (f[0] == CRYO_AGILENT_STX && f[etx] == CRYO_AGILENT_ETX);

  hi = g_ascii_xdigit_value (f[etx + 1]);
  lo = g_ascii_xdigit_value (f[etx + 2]);
  if (hi < 0 || lo < 0)
    return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Received a malformed frame: its checksum is not two hexadecimal digits"));

  crc = cryo_agilent_crc (f + 1, etx);
  if (crc != ((hi << 4) | lo))
    return decode_error (error, CRYO_PROTOCOL_ERROR_CHECKSUM,
                         _("Received a damaged frame (checksum %02X, computed %02X); "
                           "it was discarded. Check the cable and the baud rate"),
                         (guint) ((hi << 4) | lo), (guint) crc);

  if (etx < 2)
    return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Received a malformed frame: it is empty"));

  if (f[1] < CRYO_AGILENT_ADDRESS_BASE
      || f[1] > CRYO_AGILENT_ADDRESS_BASE + CRYO_AGILENT_MAX_ADDRESS)
    return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Received a malformed frame: address byte 0x%02X is outside "
                           "0x80 to 0x9F"), (guint) f[1]);

  out.address = f[1] - CRYO_AGILENT_ADDRESS_BASE;
  payload = f + 2;
  payload_len = etx - 2;

  if (payload_len == 0)
    return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Received a malformed frame: it has an address but no content"));

  /* A code frame has exactly one byte between ADDR and ETX; codes 0x32..0x35
   * are also digits, so only the length tells them from a window frame. */
  if (payload_len == 1)
    {
      if (!is_known_code (payload[0]))
        return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                             _("Received a malformed frame: unknown reply code 0x%02X"),
                             (guint) payload[0]);
      out.is_code = TRUE;
      out.code = payload[0];
      *frame = out;
      return CRYO_AGILENT_DECODE_FRAME;
    }

  if (payload_len < WINDOW_HEADER_LEN)
    return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Received a malformed frame: %u bytes of content are too few "
                           "for a window number and a command"), (guint) payload_len);

  if (!is_digits ((const char *) payload, 3))
    return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Received a malformed frame: its window number is not three digits"));

  if (payload[3] != '0' && payload[3] != '1')
    return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Received a malformed frame: command byte 0x%02X is neither "
                           "read (“0”) nor write (“1”)"), (guint) payload[3]);

  out.window = (payload[0] - '0') * 100 + (payload[1] - '0') * 10 + (payload[2] - '0');
  out.is_write = payload[3] == '1';
  out.data_len = payload_len - WINDOW_HEADER_LEN;

  for (gsize i = 0; i < out.data_len; i++)
    {
      guint8 c = payload[WINDOW_HEADER_LEN + i];

      if (c < 0x20 || c > 0x7E)
        return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                             _("Received a malformed frame: its data holds the "
                               "non-printable byte 0x%02X"), (guint) c);
    }

  if (out.data_len != 0 && out.data_len != 1 && out.data_len != 6 && out.data_len != 10)
    return decode_error (error, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Received a malformed frame: %u data characters; "
                           "the protocol uses 0, 1, 6 or 10"), (guint) out.data_len);

  g_assert (out.data_len < sizeof out.data);
  memcpy (out.data, payload + WINDOW_HEADER_LEN, out.data_len);
  out.data[out.data_len] = '\0';

  *frame = out;
  return CRYO_AGILENT_DECODE_FRAME;
}

/**
 * cryo_agilent_window_get_type:
 * @window: window number, 0..999
 *
 * Looks up the data type of a window the protocol spec lists
 * (agilent-window.md, “Windows used”). Pure; any thread.
 *
 * Returns: the #CryoAgilentType of @window, or %CRYO_AGILENT_TYPE_UNKNOWN for
 *   a window the spec does not list
 */
CryoAgilentType
cryo_agilent_window_get_type (guint window)
{
  for (gsize i = 0; i < G_N_ELEMENTS (window_types); i++)
    {
      if (window_types[i].window == window)
        return window_types[i].type;
    }

  return CRYO_AGILENT_TYPE_UNKNOWN;
}

/**
 * cryo_agilent_status_to_string:
 * @status: value of window 205, a #CryoAgilentStatus
 *
 * Names a pump status (agilent-window.md, “Windows used”, window 205) for
 * display: “Stop”, “Waiting for interlock”, “Starting”, “Auto-tuning”,
 * “Braking”, “Normal”, “Fail”. Any thread.
 *
 * Returns: (transfer none): a static translated string; “Unknown” for a
 *   value outside 0..6
 */
const char *
cryo_agilent_status_to_string (guint status)
{
  switch (status)
    {
    case CRYO_AGILENT_STATUS_STOP:
      return C_("pump status", "Stop");
    case CRYO_AGILENT_STATUS_WAITING_INTERLOCK:
      return C_("pump status", "Waiting for interlock");
    case CRYO_AGILENT_STATUS_STARTING:
      return C_("pump status", "Starting");
    case CRYO_AGILENT_STATUS_AUTO_TUNING:
      return C_("pump status", "Auto-tuning");
    case CRYO_AGILENT_STATUS_BRAKING:
      return C_("pump status", "Braking");
    case CRYO_AGILENT_STATUS_NORMAL:
      return C_("pump status", "Normal");
    case CRYO_AGILENT_STATUS_FAIL:
      return C_("pump status", "Fail");
    default:
      return C_("pump status", "Unknown");
    }
}

/**
 * cryo_agilent_code_to_string:
 * @code: a reply code byte, a #CryoAgilentCode
 *
 * Names a reply code (agilent-window.md, “Replies”): “ACK”, “NACK”,
 * “unknown window”, “data type error”, “out of range”, “window disabled”.
 * Any thread.
 *
 * Returns: (transfer none): a static translated string; “unknown code” for
 *   a byte that is not a reply code
 */
const char *
cryo_agilent_code_to_string (guint8 code)
{
  switch (code)
    {
    case CRYO_AGILENT_CODE_ACK:
      return C_("reply code", "ACK");
    case CRYO_AGILENT_CODE_NACK:
      return C_("reply code", "NACK");
    case CRYO_AGILENT_CODE_UNKNOWN_WINDOW:
      return C_("reply code", "unknown window");
    case CRYO_AGILENT_CODE_DATA_TYPE:
      return C_("reply code", "data type error");
    case CRYO_AGILENT_CODE_OUT_OF_RANGE:
      return C_("reply code", "out of range");
    case CRYO_AGILENT_CODE_DISABLED:
      return C_("reply code", "window disabled");
    default:
      return C_("reply code", "unknown code");
    }
}

/**
 * cryo_agilent_error_bits_to_string:
 * @bits: value of window 206 as returned by cryo_agilent_reply_get_numeric()
 *
 * Describes the error bits of window 206 (agilent-window.md, “Windows
 * used”). The window is a 6-digit numeric field, read as a decimal number;
 * the spec's bit list (01 no connection … 80 too-high load) names the bits of
 * that number, so "000002" is pump overtemperature and "000128" (0x80) too
 * high load. Bits above 0x80 are reported together as unknown bits. Any
 * thread.
 *
 * Returns: (transfer full): the translated meaning of every set bit, lowest
 *   first, separated by ", "; "" when @bits is 0. Free with g_free().
 */
char *
cryo_agilent_error_bits_to_string (guint bits)
{
  GString *str = g_string_new (NULL);
  guint rest;

  for (guint i = 0; i < G_N_ELEMENTS (error_bit_names); i++)
    {
      if ((bits & (1u << i)) == 0)
        continue;
      if (str->len > 0)
        g_string_append (str, ", ");
      g_string_append (str, _(error_bit_names[i]));
    }

  rest = bits & ~((1u << G_N_ELEMENTS (error_bit_names)) - 1);
  if (rest != 0)
    {
      if (str->len > 0)
        g_string_append (str, ", ");
      g_string_append_printf (str, _("unknown error bits 0x%X"), rest);
    }

  return g_string_free (str, FALSE);
}

/**
 * cryo_agilent_crc:
 * @bytes: (array length=len): the bytes after STX up to and including ETX
 * @len: number of bytes
 *
 * Computes the frame checksum: the XOR of @bytes (agilent-window.md,
 * “Frame”, CRC). On the wire it travels as two upper-case hex digits. Pure;
 * any thread.
 *
 * Returns: the XOR of @bytes, 0 for an empty range
 */
guint8
cryo_agilent_crc (const guint8 *bytes,
                  gsize         len)
{
  guint8 crc = 0;

  g_return_val_if_fail (bytes != NULL || len == 0, 0);

  for (gsize i = 0; i < len; i++)
    crc ^= bytes[i];

  return crc;
}

/**
 * cryo_agilent_encode_read:
 * @address: RS-485 address, 0..31 (0 on RS-232)
 * @window: window number, 0..999
 *
 * Builds a read request `STX ADDR WIN '0' ETX CRC` (agilent-window.md,
 * “Frame”); e.g. window 224 at address 0 is `02 80 32 32 34 30 03 38 37`.
 * Pure; any thread.
 *
 * Returns: (transfer full): the 9-byte frame, or %NULL when an argument is
 *   out of range (a programming error)
 */
GBytes *
cryo_agilent_encode_read (guint8 address,
                          guint  window)
{
  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (window <= MAX_WINDOW, NULL);

  return build_window_frame (address, window, '0', "");
}

/**
 * cryo_agilent_encode_write:
 * @address: RS-485 address, 0..31 (0 on RS-232)
 * @window: window number, 0..999
 * @data: the DATA field, NUL-terminated ASCII
 * @error: return location for a #CRYO_PROTOCOL_ERROR
 *
 * Builds a write request `STX ADDR WIN '1' DATA ETX CRC`
 * (agilent-window.md, “Frame”). For a window listed in “Windows used” @data
 * must match its type: "0"/"1" for logic, 6 digits for numeric, 10
 * printable characters for alphanumeric; for any other window it must be 1,
 * 6 or 10 printable ASCII characters. Pure; any thread.
 *
 * Returns: (transfer full): the frame (10 to 19 bytes), or %NULL with
 *   %CRYO_PROTOCOL_ERROR_DATA_TYPE set when @data does not fit the window
 */
GBytes *
cryo_agilent_encode_write (guint8        address,
                           guint         window,
                           const char   *data,
                           GError      **error)
{
  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (window <= MAX_WINDOW, NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate_write_data (window, data, error))
    return NULL;

  return build_window_frame (address, window, '1', data);
}

/**
 * cryo_agilent_encode_write_logic:
 * @address: RS-485 address, 0..31 (0 on RS-232)
 * @window: a logic window (or one the spec does not list), 0..999
 * @value: the value; written as '1' or '0'
 *
 * Builds a logic write request, e.g. start (window 000 = 1) is
 * `02 80 30 30 30 31 31 03 42 33` (agilent-window.md, “Frame”,
 * “Test vectors”). Pure; any thread.
 *
 * Returns: (transfer full): the 10-byte frame, or %NULL when an argument is
 *   out of range or @window is a known non-logic window (a programming error)
 */
GBytes *
cryo_agilent_encode_write_logic (guint8   address,
                                 guint    window,
                                 gboolean value)
{
  CryoAgilentType type = cryo_agilent_window_get_type (window);

  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (window <= MAX_WINDOW, NULL);
  g_return_val_if_fail (type == CRYO_AGILENT_TYPE_LOGIC || type == CRYO_AGILENT_TYPE_UNKNOWN,
                        NULL);

  return build_window_frame (address, window, '1', value ? "1" : "0");
}

/**
 * cryo_agilent_encode_write_numeric:
 * @address: RS-485 address, 0..31 (0 on RS-232)
 * @window: a numeric window (or one the spec does not list), 0..999
 * @value: the value, 0..999999
 * @error: return location for a #CRYO_PROTOCOL_ERROR
 *
 * Builds a numeric write request with @value as 6 zero-padded digits, e.g.
 * window 163 = 2 is `02 80 31 36 33 31 30 30 30 30 30 32 03 38 34`
 * (agilent-window.md, “Frame”). Pure; any thread.
 *
 * Returns: (transfer full): the 15-byte frame, or %NULL with
 *   %CRYO_PROTOCOL_ERROR_OUT_OF_RANGE when @value exceeds 999999, or
 *   %CRYO_PROTOCOL_ERROR_DATA_TYPE when @window is a known non-numeric window
 */
GBytes *
cryo_agilent_encode_write_numeric (guint8   address,
                                   guint    window,
                                   guint    value,
                                   GError **error)
{
  CryoAgilentType type;
  char data[16];

  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (window <= MAX_WINDOW, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  type = cryo_agilent_window_get_type (window);
  if (type != CRYO_AGILENT_TYPE_NUMERIC && type != CRYO_AGILENT_TYPE_UNKNOWN)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_DATA_TYPE,
                   _("Window %03u does not take a number"), window);
      return NULL;
    }

  if (value > MAX_NUMERIC)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("Value %u is out of range for window %03u: the pumping station "
                     "accepts 0 to 999999"), value, window);
      return NULL;
    }

  g_snprintf (data, sizeof data, "%06u", value);

  return build_window_frame (address, window, '1', data);
}

/**
 * cryo_agilent_encode_reply_data:
 * @address: RS-485 address, 0..31
 * @window: window number, 0..999
 * @data: the value as it goes on the wire: 1, 6 or 10 printable ASCII
 *   characters, NUL-terminated
 *
 * Builds a read reply `STX ADDR WIN '0' DATA ETX CRC` (agilent-window.md,
 * “Replies”), as the simulator sends it; e.g. window 226 = "081000". The
 * caller formats @data for the window's type. Pure; any thread.
 *
 * Returns: (transfer full): the frame, or %NULL when an argument is invalid
 *   (a programming error)
 */
GBytes *
cryo_agilent_encode_reply_data (guint8      address,
                                guint       window,
                                const char *data)
{
  gsize len;

  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (window <= MAX_WINDOW, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  len = strlen (data);
  g_return_val_if_fail (len == 1 || len == 6 || len == 10, NULL);
  g_return_val_if_fail (is_printable (data, len), NULL);

  return build_window_frame (address, window, '0', data);
}

/**
 * cryo_agilent_encode_reply_code:
 * @address: RS-485 address, 0..31
 * @code: a #CryoAgilentCode
 *
 * Builds a code reply `STX ADDR CODE ETX CRC` (agilent-window.md,
 * “Replies”), as the simulator sends it; e.g. NACK is `02 80 15 03 39 36`.
 * Pure; any thread.
 *
 * Returns: (transfer full): the 6-byte frame, or %NULL when an argument is
 *   invalid (a programming error)
 */
GBytes *
cryo_agilent_encode_reply_code (guint8 address,
                                guint8 code)
{
  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (is_known_code (code), NULL);

  return build_frame (address, &code, 1);
}

/**
 * cryo_agilent_encode_raw:
 * @address: RS-485 address, 0..31
 * @payload: (array length=len) (nullable): the bytes between ADDR and ETX
 * @len: length of @payload, at most %CRYO_AGILENT_MAX_FRAME - 5
 *
 * Wraps arbitrary bytes in a frame envelope `STX ADDR payload ETX CRC` with a
 * correct checksum (agilent-window.md, “Frame”), without checking the
 * contents. Meant for fault injection in the simulator and for tests;
 * devices use the typed encoders. Pure; any thread.
 *
 * Returns: (transfer full): the frame of @len + 5 bytes, or %NULL when an
 *   argument is invalid (a programming error)
 */
GBytes *
cryo_agilent_encode_raw (guint8        address,
                         const guint8 *payload,
                         gsize         len)
{
  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (payload != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= MAX_PAYLOAD, NULL);

  return build_frame (address, payload, len);
}

/**
 * cryo_agilent_decoder_new:
 *
 * Creates an incremental frame decoder (agilent-window.md, “Frame”,
 * “Replies”) that decodes requests and replies alike. A decoder belongs to
 * one thread at a time.
 *
 * Returns: (transfer full): a new decoder; free with
 *   cryo_agilent_decoder_free()
 */
CryoAgilentDecoder *
cryo_agilent_decoder_new (void)
{
  return g_new0 (CryoAgilentDecoder, 1);
}

/**
 * cryo_agilent_decoder_free:
 * @decoder: (nullable): a decoder
 *
 * Frees @decoder and any bytes it still holds.
 */
void
cryo_agilent_decoder_free (CryoAgilentDecoder *decoder)
{
  if (decoder == NULL)
    return;

  g_free (decoder->input);
  g_free (decoder);
}

/**
 * cryo_agilent_decoder_reset:
 * @decoder: a decoder
 *
 * Drops every byte fed and not yet decoded, any partial frame, and zeroes
 * the discarded count: the decoder is as new (e.g. after reopening the
 * port).
 */
void
cryo_agilent_decoder_reset (CryoAgilentDecoder *decoder)
{
  g_return_if_fail (decoder != NULL);

  g_clear_pointer (&decoder->input, g_free);
  decoder->input_len = 0;
  decoder->input_pos = 0;
  decoder->input_alloc = 0;
  decoder->state = DECODER_HUNT;
  decoder->frame_len = 0;
  decoder->etx_pos = 0;
  decoder->n_discarded = 0;
}

/**
 * cryo_agilent_decoder_feed:
 * @decoder: a decoder
 * @bytes: (array length=len) (nullable): bytes as read from the line, in
 *   any chunking (one byte at a time works)
 * @len: number of bytes
 *
 * Queues @bytes for cryo_agilent_decoder_next(). The decoder copies them
 * and holds them only until next() has scanned them; call next() until it
 * returns %CRYO_AGILENT_DECODE_NEED_MORE after each feed, and the decoder
 * keeps no more than %CRYO_AGILENT_MAX_FRAME bytes however long the stream
 * (see cryo_agilent_decoder_get_n_buffered()).
 */
void
cryo_agilent_decoder_feed (CryoAgilentDecoder *decoder,
                           const guint8       *bytes,
                           gsize               len)
{
  gsize pending;

  g_return_if_fail (decoder != NULL);
  g_return_if_fail (bytes != NULL || len == 0);

  if (len == 0)
    return;

  pending = decoder->input_len - decoder->input_pos;
  g_return_if_fail (len <= G_MAXSIZE / 2 - pending);

  if (decoder->input_alloc - decoder->input_len < len)
    {
      /* Make room: first by dropping what was scanned, then by growing. */
      if (decoder->input_pos > 0)
        {
          memmove (decoder->input, decoder->input + decoder->input_pos, pending);
          decoder->input_pos = 0;
          decoder->input_len = pending;
        }

      if (decoder->input_alloc - decoder->input_len < len)
        {
          gsize alloc = MAX (decoder->input_alloc * 2, 256);

          alloc = MAX (alloc, pending + len);
          decoder->input = g_realloc (decoder->input, alloc);
          decoder->input_alloc = alloc;
        }
    }

  memcpy (decoder->input + decoder->input_len, bytes, len);
  decoder->input_len += len;
}

/**
 * cryo_agilent_decoder_next:
 * @decoder: a decoder
 * @frame: (out caller-allocates): the decoded frame, written only when
 *   %CRYO_AGILENT_DECODE_FRAME is returned
 * @error: return location for a #CRYO_PROTOCOL_ERROR, set only when
 *   %CRYO_AGILENT_DECODE_ERROR is returned
 *
 * Decodes the next frame from the bytes fed so far (agilent-window.md,
 * “Frame”, “Replies”). Bytes outside a frame (before STX) are skipped and
 * counted by cryo_agilent_decoder_get_n_discarded(). A frame whose CRC
 * characters (upper- or lower-case hex) match the XOR is checked and
 * returned; a code frame has exactly one byte between ADDR and ETX and sets
 * @frame->is_code, anything longer is a window frame (read request, write
 * request or read reply) with @frame->window, @frame->is_write and
 * @frame->data filled.
 *
 * Errors (each drops the offending frame; the next call goes on with the
 * bytes that follow):
 * - %CRYO_PROTOCOL_ERROR_CHECKSUM: the CRC does not match;
 * - %CRYO_PROTOCOL_ERROR_TRUNCATED: an STX arrived before the frame's ETX
 *   and CRC were complete; decoding resyncs on that STX;
 * - %CRYO_PROTOCOL_ERROR_OVERLONG: no ETX early enough for the frame to fit
 *   in %CRYO_AGILENT_MAX_FRAME bytes; bytes up to the next STX are skipped;
 * - %CRYO_PROTOCOL_ERROR_MALFORMED: right checksum but wrong contents
 *   (address byte not 0x80..0x9F, CRC not hex, window not three digits, COM
 *   not '0'/'1', data with a non-printable byte or of a length other than 0,
 *   1, 6 or 10, unknown reply code).
 *
 * Returns: %CRYO_AGILENT_DECODE_FRAME, %CRYO_AGILENT_DECODE_ERROR, or
 *   %CRYO_AGILENT_DECODE_NEED_MORE once every byte fed has been scanned
 */
CryoAgilentDecodeResult
cryo_agilent_decoder_next (CryoAgilentDecoder  *decoder,
                           CryoAgilentFrame    *frame,
                           GError             **error)
{
  g_return_val_if_fail (decoder != NULL, CRYO_AGILENT_DECODE_ERROR);
  g_return_val_if_fail (frame != NULL, CRYO_AGILENT_DECODE_ERROR);
  g_return_val_if_fail (error == NULL || *error == NULL, CRYO_AGILENT_DECODE_ERROR);

  while (decoder->input_pos < decoder->input_len)
    {
      guint8 b = decoder->input[decoder->input_pos++];

      switch (decoder->state)
        {
        case DECODER_HUNT:
          if (b == CRYO_AGILENT_STX)
            {
              decoder->frame[0] = b;
              decoder->frame_len = 1;
              decoder->state = DECODER_BODY;
            }
          else
            {
              decoder->n_discarded++;
            }
          break;

        case DECODER_BODY:
        case DECODER_CRC:
          if (b == CRYO_AGILENT_STX)
            {
              /* STX never occurs inside a frame: resync on it. */
              decoder->frame[0] = b;
              decoder->frame_len = 1;
              decoder->state = DECODER_BODY;
              return decode_error (error, CRYO_PROTOCOL_ERROR_TRUNCATED,
                                   _("Received an incomplete frame: a new frame started "
                                     "before the previous one ended; the partial frame "
                                     "was discarded"));
            }

          g_assert (decoder->frame_len < CRYO_AGILENT_MAX_FRAME);
          decoder->frame[decoder->frame_len++] = b;

          if (decoder->state == DECODER_BODY)
            {
              if (b == CRYO_AGILENT_ETX)
                {
                  decoder->etx_pos = decoder->frame_len - 1;
                  decoder->state = DECODER_CRC;
                }
              else if (decoder->frame_len + 3 > CRYO_AGILENT_MAX_FRAME)
                {
                  /* ETX and two CRC chars would no longer fit. */
                  decoder->frame_len = 0;
                  decoder->state = DECODER_HUNT;
                  return decode_error (error, CRYO_PROTOCOL_ERROR_OVERLONG,
                                       _("Received a frame longer than %d bytes without an "
                                         "end marker; it was discarded"),
                                       CRYO_AGILENT_MAX_FRAME);
                }
            }
          else if (decoder->frame_len == decoder->etx_pos + 3)
            {
              CryoAgilentDecodeResult result;

              result = parse_frame (decoder, frame, error);
              decoder->frame_len = 0;
              decoder->state = DECODER_HUNT;
              return result;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* Everything fed has been scanned; a partial frame lives in frame[]. */
  decoder->input_pos = 0;
  decoder->input_len = 0;
  if (decoder->input_alloc > INPUT_KEEP_ALLOC)
    {
      g_clear_pointer (&decoder->input, g_free);
      decoder->input_alloc = 0;
    }

  return CRYO_AGILENT_DECODE_NEED_MORE;
}

/**
 * cryo_agilent_decoder_get_n_discarded:
 * @decoder: a decoder
 *
 * Counts the bytes skipped outside any frame: garbage before an STX, and the
 * rest of an overlong frame up to the next STX. Bytes of frames reported as
 * errors by cryo_agilent_decoder_next() are not counted again.
 *
 * Returns: bytes discarded since creation or the last reset
 */
gsize
cryo_agilent_decoder_get_n_discarded (CryoAgilentDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, 0);

  return decoder->n_discarded;
}

/**
 * cryo_agilent_decoder_get_n_buffered:
 * @decoder: a decoder
 *
 * Counts the bytes the decoder holds: fed and not yet scanned, plus the
 * partial frame. Right after cryo_agilent_decoder_next() returned
 * %CRYO_AGILENT_DECODE_NEED_MORE this is below %CRYO_AGILENT_MAX_FRAME.
 *
 * Returns: the number of bytes held
 */
gsize
cryo_agilent_decoder_get_n_buffered (CryoAgilentDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, 0);

  return (decoder->input_len - decoder->input_pos) + decoder->frame_len;
}

/**
 * cryo_agilent_reply_check_ack:
 * @frame: a decoded reply to a write request
 * @error: return location for a #CRYO_PROTOCOL_ERROR
 *
 * Checks that a write was acknowledged (agilent-window.md, “Replies”).
 *
 * Returns: %TRUE for ACK; %FALSE with %CRYO_PROTOCOL_ERROR_NACK (NACK),
 *   %CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW (0x32),
 *   %CRYO_PROTOCOL_ERROR_DATA_TYPE (0x33), %CRYO_PROTOCOL_ERROR_OUT_OF_RANGE
 *   (0x34), %CRYO_PROTOCOL_ERROR_REFUSED (0x35, window disabled), or
 *   %CRYO_PROTOCOL_ERROR_UNEXPECTED for a data frame or any other code
 */
gboolean
cryo_agilent_reply_check_ack (const CryoAgilentFrame  *frame,
                              GError                 **error)
{
  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!frame->is_code)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                   _("Pumping station sent the value of window %03u instead of "
                     "acknowledging the command"), frame->window);
      return FALSE;
    }

  if (frame->code == CRYO_AGILENT_CODE_ACK)
    return TRUE;

  set_code_error (error, frame->code, -1);
  return FALSE;
}

/**
 * cryo_agilent_reply_get_logic:
 * @frame: a decoded reply to a read request of @window
 * @window: the window that was read, 0..999
 * @value: (out): the value
 * @error: return location for a #CRYO_PROTOCOL_ERROR
 *
 * Extracts a logic value, "0" or "1" (agilent-window.md, “Frame”, DATA).
 *
 * Returns: %TRUE with @value set; %FALSE with
 *   %CRYO_PROTOCOL_ERROR_UNEXPECTED (an answer for another window, a write
 *   request, an ACK), the error of a code reply (see
 *   cryo_agilent_reply_check_ack()), or %CRYO_PROTOCOL_ERROR_MALFORMED when
 *   the data is not exactly "0" or "1"
 */
gboolean
cryo_agilent_reply_get_logic (const CryoAgilentFrame  *frame,
                              guint                    window,
                              gboolean                *value,
                              GError                 **error)
{
  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_data_reply (frame, window, error))
    return FALSE;

  if (frame->data_len != 1 || (frame->data[0] != '0' && frame->data[0] != '1'))
    {
      set_bad_value_error (error, frame, _("0 or 1"));
      return FALSE;
    }

  *value = frame->data[0] == '1';
  return TRUE;
}

/**
 * cryo_agilent_reply_get_numeric:
 * @frame: a decoded reply to a read request of @window
 * @window: the window that was read, 0..999
 * @value: (out): the value, 0..999999, in the window's unit
 * @error: return location for a #CRYO_PROTOCOL_ERROR
 *
 * Extracts a numeric value, 6 decimal digits (agilent-window.md, “Frame”,
 * DATA; e.g. "081000" is 81000).
 *
 * Returns: %TRUE with @value set; %FALSE with
 *   %CRYO_PROTOCOL_ERROR_UNEXPECTED (an answer for another window, a write
 *   request, an ACK), the error of a code reply (see
 *   cryo_agilent_reply_check_ack()), or %CRYO_PROTOCOL_ERROR_MALFORMED when
 *   the data is not 6 digits
 */
gboolean
cryo_agilent_reply_get_numeric (const CryoAgilentFrame  *frame,
                                guint                    window,
                                guint                   *value,
                                GError                 **error)
{
  guint v = 0;

  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_data_reply (frame, window, error))
    return FALSE;

  if (frame->data_len != 6 || !is_digits (frame->data, 6))
    {
      set_bad_value_error (error, frame, _("a number of 6 digits"));
      return FALSE;
    }

  for (gsize i = 0; i < 6; i++)
    v = v * 10 + (guint) (frame->data[i] - '0');

  *value = v;
  return TRUE;
}

/**
 * cryo_agilent_reply_get_pressure:
 * @frame: a decoded reply to a read request of window 224
 * @value: (out): the gauge pressure, ≥ 0, in the unit of window 163
 *   (mbar, Pa or Torr)
 * @error: return location for a #CRYO_PROTOCOL_ERROR
 *
 * Parses the pressure text of window 224 (agilent-window.md, “Windows
 * used”): a mantissa, 'E' and a signed exponent such as "2.9E-03", followed
 * only by space padding to 10 characters. Parsing never follows the locale.
 *
 * Returns: %TRUE with @value set; %FALSE with
 *   %CRYO_PROTOCOL_ERROR_UNEXPECTED (not a reply for window 224), the error
 *   of a code reply (see cryo_agilent_reply_check_ack()), or
 *   %CRYO_PROTOCOL_ERROR_MALFORMED when the text is not such a number or the
 *   value is negative, infinite or out of double range
 */
gboolean
cryo_agilent_reply_get_pressure (const CryoAgilentFrame  *frame,
                                 double                  *value,
                                 GError                 **error)
{
  char text[sizeof frame->data];
  gsize len;
  char *end = NULL;
  double v;

  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_data_reply (frame, CRYO_AGILENT_WINDOW_PRESSURE, error))
    return FALSE;

  len = frame->data_len;
  while (len > 0 && frame->data[len - 1] == ' ')
    len--;

  if (!is_pressure_text (frame->data, len))
    {
      set_bad_value_error (error, frame, _("a pressure such as 2.9E-03"));
      return FALSE;
    }

  memcpy (text, frame->data, len);
  text[len] = '\0';

  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (end != text + len || errno == ERANGE || !isfinite (v) || v < 0)
    {
      set_bad_value_error (error, frame, _("a pressure in the range of a gauge"));
      return FALSE;
    }

  *value = v;
  return TRUE;
}
