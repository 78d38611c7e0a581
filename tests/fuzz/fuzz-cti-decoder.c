/* fuzz-cti-decoder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CTI On-Board packet decoder and reply parsers on any byte stream
 * (cti-onboard.md "Packet", "Replies", "Payload formats"). Framing recovery
 * must give the same packets and errors however the stream is cut; every
 * byte fed is skipped, in a packet or held, exactly once; every packet is
 * 1-14 printable characters with a valid checksum and frames back to the
 * same bytes (or is refused by the encoder because it is `d`); every
 * payload parser keeps its outputs in range.
 *
 * Input: byte 0 picks where the stream is cut (and a chunk size for a
 * third pass), the rest is the stream.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cryo-cti.h"

#include "fuzz-target.h"

static void
check_payload (const char *payload)
{
  double value;
  guint count, flags;
  char code;
  CryoCtiRegenPhase phase;

  if (cryo_cti_parse_decimal (payload, &value, NULL))
    g_assert_true (isfinite (value));
  if (cryo_cti_parse_count (payload, &count, NULL))
    {
      g_assert_true (cryo_cti_parse_decimal (payload, &value, NULL));
      g_assert_cmpfloat (value, ==, (double) count);
    }
  if (cryo_cti_parse_status (payload, &flags, NULL))
    g_assert_cmpuint (flags, <=, 0xFF);
  if (cryo_cti_parse_biased (payload, &flags, NULL))
    g_assert_cmpuint (flags, <=, 0x3F);
  if (cryo_cti_parse_regen_step (payload, &code, &phase, NULL))
    {
      g_assert_cmpuint (phase, <, CRYO_CTI_N_REGEN_PHASES);
      g_assert_nonnull (cryo_cti_regen_phase_to_string (phase));
    }
  if (cryo_cti_parse_char (payload, &code, NULL))
    {
      cryo_cti_regen_error_to_string (code);
      cryo_cti_motor_failure_to_string (code);
    }
}

static void
check_packet (const CryoCtiPacket *packet)
{
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GError) error = NULL;
  CryoCtiReply reply;
  const char *command;
  int address;

  g_assert_cmpuint (packet->len, >=, 1);
  g_assert_cmpuint (packet->len, <=, CRYO_CTI_MAX_DATA);
  g_assert_cmpuint (strlen (packet->data), ==, packet->len);
  for (gsize i = 0; i < packet->len; i++)
    g_assert_true (g_ascii_isprint (packet->data[i]) && packet->data[i] != '$');

  /* The same packet again, from the encoder: refused only for `d`. */
  encoded = cryo_cti_encode (CRYO_CTI_NO_ADDRESS, packet->data, &error);
  if (cryo_cti_command_is_forbidden (packet->data))
    {
      g_assert_null (encoded);
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_REFUSED);
    }
  else
    {
      gsize len;
      const guint8 *bytes;
      CryoCtiDecoder *decoder = cryo_cti_decoder_new ();
      CryoCtiPacket again;

      g_assert_no_error (error);
      bytes = g_bytes_get_data (encoded, &len);
      g_assert_cmpuint (len, ==, packet->len + 3);
      cryo_cti_decoder_feed (decoder, bytes, len);
      g_assert_cmpint (cryo_cti_decoder_next (decoder, &again, NULL), ==, CRYO_CTI_DECODE_PACKET);
      g_assert_cmpstr (again.data, ==, packet->data);
      cryo_cti_decoder_free (decoder);
    }

  if (cryo_cti_split_address (packet, &address, &command))
    {
      g_assert_cmpint (address, >=, 0);
      g_assert_cmpint (address, <=, 99);
      g_assert_true (command == packet->data + 3);
    }

  if (cryo_cti_reply_parse (packet, &reply, NULL))
    {
      g_autoptr(GBytes) reply_bytes = NULL;

      g_assert_cmpuint (reply.payload_len, ==, packet->len - 1);
      g_assert_cmpuint (strlen (reply.payload), ==, reply.payload_len);
      g_assert_cmpint (reply.code == CRYO_CTI_CODE_OK, ==, cryo_cti_reply_check (&reply, "J", NULL));
      reply_bytes = cryo_cti_encode_reply (reply.code_char, reply.payload, NULL);
      g_assert_nonnull (reply_bytes);
      g_assert_cmpuint (g_bytes_get_size (reply_bytes), ==, packet->len + 3);
      check_payload (reply.payload);
    }
}

/* Decodes @data fed in chunks (every @chunk bytes, or cut once at @cut) and
 * writes what came out as text; checks the byte accounting. */
static char *
decode (const guint8 *data,
        gsize         size,
        gsize         cut,
        gsize         chunk)
{
  CryoCtiDecoder *decoder = cryo_cti_decoder_new ();
  GString *out = g_string_new (NULL);
  guint64 in_packets = 0;
  gsize start = 0;

  while (start < size)
    {
      gsize end = chunk > 0 ? MIN (size, start + chunk) : (start < cut ? cut : size);
      CryoCtiDecodeResult result;

      cryo_cti_decoder_feed (decoder, data + start, end - start);
      start = end;

      do
        {
          g_autoptr(GError) error = NULL;
          CryoCtiPacket packet;

          result = cryo_cti_decoder_next (decoder, &packet, &error);
          if (result == CRYO_CTI_DECODE_PACKET)
            {
              g_assert_no_error (error);
              check_packet (&packet);
              in_packets += packet.len + 3;
              g_string_append_len (out, packet.data, packet.len);
              g_string_append_c (out, '\n');
            }
          else if (result == CRYO_CTI_DECODE_ERROR)
            {
              g_assert_true (error != NULL && error->domain == CRYO_PROTOCOL_ERROR);
              g_string_append_printf (out, "!%d\n", error->code);
            }
          else
            g_assert_no_error (error);
        }
      while (result != CRYO_CTI_DECODE_NEED_MORE);

      g_assert_cmpuint (cryo_cti_decoder_get_n_held (decoder), <=, CRYO_CTI_MAX_PACKET);
    }

  g_assert_cmpuint (cryo_cti_decoder_get_n_skipped (decoder) + in_packets +
                    cryo_cti_decoder_get_n_held (decoder), ==, size);

  cryo_cti_decoder_free (decoder);
  return g_string_free (out, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *whole = NULL;
  g_autofree char *split = NULL;
  g_autofree char *chunked = NULL;
  g_autofree char *text = NULL;
  gsize cut;

  fuzz_make_warnings_fatal ();

  if (size < 1)
    return 0;

  cut = size > 1 ? data[0] % size : 0;
  data++, size--;

  whole = decode (data, size, 0, 0);
  split = decode (data, size, MIN (cut, size), 0);
  chunked = decode (data, size, 0, 1 + cut % 7);
  g_assert_cmpstr (split, ==, whole);
  g_assert_cmpstr (chunked, ==, whole);

  /* The payload parsers on the raw input too: longer and stranger than a
   * packet can carry. */
  text = g_strndup ((const char *) data, size);
  check_payload (text);

  return 0;
}
