/* test-cti.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the CTI On-Board codec against shared/protocols/cti-onboard.md
 * ("Test vectors"), the seed's tables and every vector of
 * tests/vectors/cti-onboard.json (turned into cti-vectors.h at build time by
 * gen-cti-vectors.py).
 */

#define G_LOG_DOMAIN "test-cti"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cryo-cti.h"

#include "cti-vectors.h"

/* cti-onboard.md "Test vectors": frames with their hex, as the page gives
 * them (some are not in the JSON file). */
static const struct
{
  const char *text;     /* the frame without '$' and CR */
  const char *hex;
} spec_frames[] = {
  { "@1", "24 40 31 0D" },
  { "J;", "24 4A 3B 0D" },
  { "K:", "24 4B 3A 0D" },
  { "L=", "24 4C 3D 0D" },
  { "A1c", "24 41 31 63 0D" },
  { "A0`", "24 41 30 60 0D" },
  { "A?2", "24 41 3F 32 0D" },
  { "S16", "24 53 31 36 0D" },
  { "O>", "24 4F 3E 0D" },
  { "Y?J", "24 59 3F 4A 0D" },
  { "N1n", NULL },
  { "N0o", NULL },
  { "N22", NULL },
  { "VA?E", NULL },
  { "P0?m", NULL },
  { "P0600F", NULL },
  { "P01A1S", NULL },
  { "AP A2.01a", NULL },
  { "A+0295.1I", NULL },
  { "A15.38", NULL },
  { "AdW", NULL },
  { "A@3", NULL },
  { "E4", NULL },
  { "G6", NULL },
  { "B3", NULL },
};

static GByteArray *
parse_hex (const char *text)
{
  GByteArray *array = g_byte_array_new ();
  g_auto(GStrv) parts = g_strsplit (text, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint8 b = (guint8) g_ascii_strtoull (parts[i], NULL, 16);
      g_byte_array_append (array, &b, 1);
    }
  return array;
}

static void
assert_bytes_equal (GBytes       *bytes,
                    const guint8 *expected,
                    gsize         expected_len)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpmem (data, len, expected, expected_len);
}

/* Every packet and error code the decoder finds in @data fed in pieces cut
 * at @cuts (sorted offsets), as text: "J|K|!1|..." ('!' and the error code). */
static char *
decode_all (const guint8 *data,
            gsize         len,
            const gsize  *cuts,
            guint         n_cuts)
{
  CryoCtiDecoder *decoder = cryo_cti_decoder_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  gsize start = 0;

  for (guint c = 0; c <= n_cuts; c++)
    {
      gsize end = c < n_cuts ? cuts[c] : len;
      CryoCtiDecodeResult result;
      CryoCtiPacket packet;

      cryo_cti_decoder_feed (decoder, data + start, end - start);
      start = end;

      do
        {
          g_autoptr(GError) error = NULL;

          result = cryo_cti_decoder_next (decoder, &packet, &error);
          if (result == CRYO_CTI_DECODE_PACKET)
            {
              g_assert_no_error (error);
              g_assert_cmpuint (strlen (packet.data), ==, packet.len);
              g_string_append_printf (out, "%s|", packet.data);
            }
          else if (result == CRYO_CTI_DECODE_ERROR)
            {
              g_assert_true (error != NULL && error->domain == CRYO_PROTOCOL_ERROR);
              g_string_append_printf (out, "!%d|", error->code);
            }
          else
            g_assert_no_error (error);
        }
      while (result != CRYO_CTI_DECODE_NEED_MORE);
    }

  g_assert_cmpuint (cryo_cti_decoder_get_n_held (decoder), <=, CRYO_CTI_MAX_PACKET);
  cryo_cti_decoder_free (decoder);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
decode_whole (const guint8 *data,
              gsize         len)
{
  return decode_all (data, len, NULL, 0);
}

static gboolean
decode_one (const guint8   *data,
            gsize           len,
            CryoCtiPacket  *packet,
            GError        **error)
{
  CryoCtiDecoder *decoder = cryo_cti_decoder_new ();
  CryoCtiDecodeResult result;

  cryo_cti_decoder_feed (decoder, data, len);
  result = cryo_cti_decoder_next (decoder, packet, error);
  cryo_cti_decoder_free (decoder);

  if (result == CRYO_CTI_DECODE_NEED_MORE)
    g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED, "no packet");

  return result == CRYO_CTI_DECODE_PACKET;
}

static void
test_checksum_spec (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (spec_frames); i++)
    {
      const char *text = spec_frames[i].text;
      gsize len = strlen (text);
      g_autoptr(GByteArray) frame = g_byte_array_new ();
      CryoCtiPacket packet;
      g_autoptr(GError) error = NULL;

      g_test_message ("spec frame %s", text);
      g_assert_cmpint (cryo_cti_checksum (text, len - 1), ==, (guint8) text[len - 1]);

      g_byte_array_append (frame, (const guint8 *) "$", 1);
      g_byte_array_append (frame, (const guint8 *) text, len);
      g_byte_array_append (frame, (const guint8 *) "\r", 1);

      if (spec_frames[i].hex != NULL)
        {
          g_autoptr(GByteArray) expected = parse_hex (spec_frames[i].hex);
          g_assert_cmpmem (frame->data, frame->len, expected->data, expected->len);
        }

      g_assert_true (decode_one (frame->data, frame->len, &packet, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (packet.data, packet.len, text, len - 1);
    }
}

static void
test_spec_replies (void)
{
  static const guint8 b3[] = { '$', 'B', '3', '\r' };
  static const guint8 e4[] = { '$', 'E', '4', '\r' };
  static const guint8 g6[] = { '$', 'G', '6', '\r' };
  CryoCtiPacket packet;
  CryoCtiReply reply;
  g_autoptr(GError) error = NULL;

  g_assert_true (decode_one (b3, sizeof b3, &packet, &error));
  g_assert_true (cryo_cti_reply_parse (&packet, &reply, &error));
  g_assert_cmpint (reply.code, ==, CRYO_CTI_CODE_OK);
  g_assert_true (reply.power_failure);
  g_assert_cmpuint (reply.payload_len, ==, 0);
  g_assert_true (cryo_cti_reply_check (&reply, "A1", &error));

  g_assert_true (decode_one (e4, sizeof e4, &packet, &error));
  g_assert_true (cryo_cti_reply_parse (&packet, &reply, &error));
  g_assert_false (reply.power_failure);
  g_assert_false (cryo_cti_reply_check (&reply, "Q9", &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_NACK);
  g_clear_error (&error);

  g_assert_true (decode_one (g6, sizeof g6, &packet, &error));
  g_assert_true (cryo_cti_reply_parse (&packet, &reply, &error));
  g_assert_false (cryo_cti_reply_check (&reply, "A0", &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_REFUSED);
  /* "refused by the pump" with the command (issue 9). */
  g_assert_nonnull (strstr (error->message, "A0"));
}

static void
check_request_vector (const CtiVector *v)
{
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GError) error = NULL;
  CryoCtiPacket packet;
  const char *command;
  int address;
  gboolean has_address;

  g_assert_cmpint (cryo_cti_checksum (v->data, strlen (v->data)), ==, (guint8) v->checksum);

  g_assert_true (decode_one (v->bytes, v->n_bytes, &packet, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (packet.data, ==, v->data);

  has_address = cryo_cti_split_address (&packet, &address, &command);
  /* Only the Network Terminal vectors carry an address ("P0600" is P0). */
  g_assert_cmpint (has_address, ==, strstr (v->description, "Network Terminal") != NULL);

  encoded = cryo_cti_encode (address, command, &error);
  g_assert_no_error (error);
  assert_bytes_equal (encoded, v->bytes, v->n_bytes);
}

static void
check_reply_vector (const CtiVector *v)
{
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GError) error = NULL;
  CryoCtiPacket packet;
  CryoCtiReply reply;

  g_assert_cmpint (cryo_cti_checksum (v->data, strlen (v->data)), ==, (guint8) v->checksum);

  g_assert_true (decode_one (v->bytes, v->n_bytes, &packet, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (packet.data, ==, v->data);

  g_assert_true (cryo_cti_reply_parse (&packet, &reply, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reply.code_char, ==, v->code);
  g_assert_cmpstr (reply.payload, ==, v->payload);
  g_assert_cmpint (reply.power_failure, ==, strchr ("BFH", v->code) != NULL);

  encoded = cryo_cti_encode_reply (v->code, v->payload, &error);
  g_assert_no_error (error);
  assert_bytes_equal (encoded, v->bytes, v->n_bytes);

  switch (v->value_kind)
    {
    case CTI_VALUE_NUMBER:
      if (g_str_has_prefix (v->description, "S1"))
        {
          guint flags;

          g_assert_true (cryo_cti_parse_status (reply.payload, &flags, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (flags, ==, (guint) v->number);
        }
      else
        {
          double value;

          g_assert_true (cryo_cti_parse_decimal (reply.payload, &value, &error));
          g_assert_no_error (error);
          g_assert_cmpfloat_with_epsilon (value, v->number, fabs (v->number) * 1e-12 + 1e-300);

          if (strchr (reply.payload, '.') == NULL && strchr (reply.payload, 'e') == NULL)
            {
              guint count;

              g_assert_true (cryo_cti_parse_count (reply.payload, &count, &error));
              g_assert_no_error (error);
              g_assert_cmpuint (count, ==, (guint) v->number);
            }
        }
      g_assert_true (cryo_cti_reply_check (&reply, "J", &error));
      break;

    case CTI_VALUE_STRING:
      g_assert_cmpstr (reply.payload, ==, v->string);
      if (strstr (v->description, "regen step") != NULL)
        {
          CryoCtiRegenPhase phase;
          char code;

          g_assert_true (cryo_cti_parse_regen_step (reply.payload, &code, &phase, &error));
          g_assert_no_error (error);
          g_assert_cmpint (code, ==, v->string[0]);
          g_assert_cmpint (phase, ==, CRYO_CTI_REGEN_PHASE_DELAY_RESTART);
        }
      else if (strstr (v->description, "memory") != NULL)
        {
          guint bits = 99;

          g_assert_true (cryo_cti_parse_biased (reply.payload, &bits, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (bits, ==, 0);
        }
      break;

    case CTI_VALUE_NONE:
    default:
      if (reply.code == CRYO_CTI_CODE_OK)
        g_assert_true (cryo_cti_reply_check (&reply, "P0600", &error));
      else
        {
          int expected = reply.code == CRYO_CTI_CODE_INVALID ? CRYO_PROTOCOL_ERROR_NACK
                                                             : CRYO_PROTOCOL_ERROR_REFUSED;

          g_assert_false (cryo_cti_reply_check (&reply, "N1", &error));
          g_assert_error (error, CRYO_PROTOCOL_ERROR, expected);
          g_assert_nonnull (strstr (error->message, "N1"));
        }
      break;
    }
}

static void
test_vectors (void)
{
  guint n_requests = 0, n_replies = 0, n_bad = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cti_vectors); i++)
    {
      const CtiVector *v = &cti_vectors[i];

      g_test_message ("vector %u: %s", i, v->description);

      switch (v->kind)
        {
        case CTI_VECTOR_REQUEST:
          check_request_vector (v);
          n_requests++;
          break;

        case CTI_VECTOR_REPLY:
          check_reply_vector (v);
          n_replies++;
          break;

        case CTI_VECTOR_BAD_FRAME:
        default:
          {
            CryoCtiPacket packet;
            g_autoptr(GError) error = NULL;

            g_assert_false (decode_one (v->bytes, v->n_bytes, &packet, &error));
            g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM);
            n_bad++;
          }
          break;
        }
    }

  g_assert_cmpuint (n_requests, ==, 26);
  g_assert_cmpuint (n_replies, ==, 19);
  g_assert_cmpuint (n_bad, ==, 1);
}

static void
test_forbidden (void)
{
  static const char * const forbidden[] = { "d", "d?", "d1", "P01d", "P19d" };
  static const char * const allowed[] = { "J", "P0600", "P0?", "VD?", "A1", "P01A1" };

  for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = cryo_cti_encode (CRYO_CTI_NO_ADDRESS, forbidden[i], &error);

      g_assert_true (cryo_cti_command_is_forbidden (forbidden[i]));
      g_assert_null (bytes);
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_REFUSED);
    }

  for (int address = 0; address <= CRYO_CTI_MAX_ADDRESS; address++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = cryo_cti_encode (address, "d", &error);

      g_assert_null (bytes);
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_REFUSED);
    }

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = cryo_cti_encode (CRYO_CTI_NO_ADDRESS, allowed[i], &error);

      g_assert_false (cryo_cti_command_is_forbidden (allowed[i]));
      g_assert_no_error (error);
      g_assert_nonnull (bytes);
    }
}

static void
test_encode_refusals (void)
{
  static const char * const bad[] = { "", "J$", "J\r", "A\001", "123456789012345", "\xc3\xa9" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) longest = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = cryo_cti_encode (CRYO_CTI_NO_ADDRESS, bad[i], &error);

      g_assert_null (bytes);
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
      g_clear_error (&error);
    }

  /* 14 characters fit, 11 behind an address. */
  longest = cryo_cti_encode (CRYO_CTI_NO_ADDRESS, "12345678901234", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (longest), ==, CRYO_CTI_MAX_PACKET);
  g_assert_null (cryo_cti_encode (1, "123456789012", &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_null (cryo_cti_encode_reply ('C', "1", &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (cryo_cti_encode_reply ('A', "12345678901234", &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
}

static void
test_bad_checksum (void)
{
  /* Every wrong checksum character of a valid reply is dropped; the next
   * packet still decodes. */
  static const char good[] = "$A15.38\r$AdW\r";
  g_autofree char *whole = decode_whole ((const guint8 *) good, strlen (good));

  g_assert_cmpstr (whole, ==, "A15.3|Ad|");

  for (int c = 0x20; c < 0x7F; c++)
    {
      g_autofree char *text = NULL;
      g_autofree char *decoded = NULL;
      g_autofree char *expected = NULL;

      if (c == '8' || c == '$')
        continue;
      text = g_strdup (good);
      text[6] = (char) c;
      decoded = decode_whole ((const guint8 *) text, strlen (text));
      expected = g_strdup_printf ("!%d|Ad|", CRYO_PROTOCOL_ERROR_CHECKSUM);
      g_assert_cmpstr (decoded, ==, expected);
    }
}

static void
test_restart_mid_packet (void)
{
  static const char stream[] = "$J$K:\r$A+02$A15.38\r";
  g_autofree char *decoded = decode_whole ((const guint8 *) stream, strlen (stream));
  g_autofree char *expected = g_strdup_printf ("!%d|K|!%d|A15.3|",
                                               CRYO_PROTOCOL_ERROR_TRUNCATED,
                                               CRYO_PROTOCOL_ERROR_TRUNCATED);

  g_assert_cmpstr (decoded, ==, expected);

  /* A '$' right after a '$' drops nothing worth reporting. */
  {
    static const char doubled[] = "$$J;\r";
    g_autofree char *d = decode_whole ((const guint8 *) doubled, strlen (doubled));

    g_assert_cmpstr (d, ==, "J|");
  }
}

static void
test_framing_errors (void)
{
  static const char overlong[] = "$A1234567890123456\r$J;\r";
  static const char control[] = "$A1\0012\r$J;\r";
  static const char too_short[] = "$\r$A\r$J;\r";
  g_autofree char *d1 = decode_whole ((const guint8 *) overlong, strlen (overlong));
  g_autofree char *d2 = decode_whole ((const guint8 *) control, sizeof control - 1);
  g_autofree char *d3 = decode_whole ((const guint8 *) too_short, strlen (too_short));
  g_autofree char *e1 = g_strdup_printf ("!%d|J|", CRYO_PROTOCOL_ERROR_OVERLONG);
  g_autofree char *e2 = g_strdup_printf ("!%d|J|", CRYO_PROTOCOL_ERROR_MALFORMED);
  g_autofree char *e3 = g_strdup_printf ("!%d|!%d|J|", CRYO_PROTOCOL_ERROR_TRUNCATED,
                                         CRYO_PROTOCOL_ERROR_TRUNCATED);

  g_assert_cmpstr (d1, ==, e1);
  g_assert_cmpstr (d2, ==, e2);
  g_assert_cmpstr (d3, ==, e3);
}

static void
test_eight_bit_noise (void)
{
  static const char reply[] = "$A+0295.1I\r";
  gsize len = strlen (reply);
  g_autoptr(GByteArray) high = g_byte_array_new ();
  g_autoptr(GByteArray) noisy = g_byte_array_new ();
  g_autofree char *decoded = NULL;
  g_autofree char *decoded_noisy = NULL;
  CryoCtiDecoder *decoder;
  GRand *rand = g_rand_new_with_seed (9);

  /* A parity bit read as bit 7 changes nothing: every byte is masked. */
  for (gsize i = 0; i < len; i++)
    {
      guint8 b = (guint8) reply[i] | 0x80;
      g_byte_array_append (high, &b, 1);
    }
  decoded = decode_whole (high->data, high->len);
  g_assert_cmpstr (decoded, ==, "A+0295.1|");

  /* 8-bit garbage with no '$' (0x24, 0xA4) in it is skipped and counted. */
  for (guint i = 0; i < 200; i++)
    {
      guint8 b;

      do
        b = (guint8) g_rand_int_range (rand, 0, 256);
      while ((b & 0x7F) == '$');
      g_byte_array_append (noisy, &b, 1);
    }
  g_byte_array_append (noisy, (const guint8 *) reply, len);

  decoder = cryo_cti_decoder_new ();
  cryo_cti_decoder_feed (decoder, noisy->data, noisy->len);
  {
    CryoCtiPacket packet;
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cryo_cti_decoder_next (decoder, &packet, &error), ==, CRYO_CTI_DECODE_PACKET);
    g_assert_no_error (error);
    g_assert_cmpstr (packet.data, ==, "A+0295.1");
    g_assert_cmpuint (cryo_cti_decoder_get_n_skipped (decoder), ==, 200);
    g_assert_cmpuint (cryo_cti_decoder_get_n_held (decoder), ==, 0);
  }
  cryo_cti_decoder_free (decoder);

  /* 0xA4 is a '$' once masked: it opens a packet the real one cuts short. */
  {
    static const guint8 with_start[] = { 0xA4, 0xC1, 0xB1, '$', 'J', ';', '\r' };
    g_autofree char *expected = g_strdup_printf ("!%d|J|", CRYO_PROTOCOL_ERROR_TRUNCATED);

    decoded_noisy = decode_whole (with_start, sizeof with_start);
    g_assert_cmpstr (decoded_noisy, ==, expected);
  }

  g_rand_free (rand);
}

/* A stream of every vector (requests, replies, the bad frame) with noise
 * between, decoded whole, then cut at every point, then byte by byte. */
static void
test_split_points (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autofree char *whole = NULL;
  g_autofree gsize *cuts = NULL;
  static const guint8 noise[] = { 0x0A, 0xFF, 0x00, 0x80 };

  for (guint i = 0; i < G_N_ELEMENTS (cti_vectors); i++)
    {
      g_byte_array_append (stream, cti_vectors[i].bytes, cti_vectors[i].n_bytes);
      if (i % 3 == 0)
        g_byte_array_append (stream, noise, sizeof noise);
    }

  whole = decode_whole (stream->data, stream->len);
  g_assert_nonnull (strstr (whole, "P01A1|"));
  g_assert_nonnull (strstr (whole, "AP A2.01|"));

  for (gsize cut = 1; cut < stream->len; cut++)
    {
      g_autofree char *split = decode_all (stream->data, stream->len, &cut, 1);

      g_assert_cmpstr (split, ==, whole);
    }

  cuts = g_new (gsize, stream->len - 1);
  for (gsize i = 0; i < stream->len - 1; i++)
    cuts[i] = i + 1;
  {
    g_autofree char *bytewise = decode_all (stream->data, stream->len, cuts, stream->len - 1);
    g_assert_cmpstr (bytewise, ==, whole);
  }
}

static void
test_parse_decimal (void)
{
  static const struct { const char *text; double value; } good[] = {
    { "+0295.1", 295.1 }, { "15.3", 15.3 }, { "1.2e-5", 1.2e-5 }, { "-3", -3 },
    { "+2840.3", 2840.3 }, { "7.", 7 }, { ".5", 0.5 }, { "1E+2", 100 }, { "0", 0 },
  };
  static const char * const bad[] = {
    "", "+", "-", ".", "e5", "1e", "1e+", "inf", "nan", "0x10", " 1", "1 ", "1.2.3", "++1", "1e999",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      double value = NAN;

      g_assert_true (cryo_cti_parse_decimal (good[i].text, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (value, good[i].value, fabs (good[i].value) * 1e-12 + 1e-300);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      double value = 42;

      g_assert_false (cryo_cti_parse_decimal (bad[i], &value, &error));
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
      g_assert_cmpfloat (value, ==, 42);
    }
}

static void
test_parse_count (void)
{
  static const char * const bad[] = { "", "+", "-1", "1.0", "4294967296", "12a", "99999999999999999999" };
  g_autoptr(GError) error = NULL;
  guint value = 0;

  g_assert_true (cryo_cti_parse_count ("+002330", &value, &error));
  g_assert_cmpuint (value, ==, 2330);
  g_assert_true (cryo_cti_parse_count ("4294967295", &value, &error));
  g_assert_cmpuint (value, ==, G_MAXUINT32);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (cryo_cti_parse_count (bad[i], &value, &error));
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
      g_clear_error (&error);
    }
}

static void
test_parse_status (void)
{
  g_autoptr(GError) error = NULL;
  guint flags = 0;

  g_assert_true (cryo_cti_parse_status ("d", &flags, &error));
  g_assert_cmpuint (flags, ==, CRYO_CTI_S1_POWER_NORMAL | CRYO_CTI_S1_PURGE_VALVE);
  g_assert_true (cryo_cti_parse_status ("a", &flags, &error));
  g_assert_cmpuint (flags, ==, 0x21);
  g_assert_true (cryo_cti_parse_status ("@", &flags, &error));
  g_assert_cmpuint (flags, ==, 0);
  g_assert_true (cryo_cti_parse_status ("39", &flags, &error));
  g_assert_cmpuint (flags, ==, 0x39);
  g_assert_true (cryo_cti_parse_status ("0a", &flags, &error));
  g_assert_cmpuint (flags, ==, 0x0A);
  g_assert_no_error (error);

  g_assert_false (cryo_cti_parse_status ("1", &flags, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (cryo_cti_parse_status ("3g", &flags, &error));
  g_clear_error (&error);
  g_assert_false (cryo_cti_parse_status ("", &flags, &error));
  g_clear_error (&error);
  g_assert_false (cryo_cti_parse_status ("123", &flags, &error));
  g_clear_error (&error);

  /* Regen flags and memory errors: biased by 0x40. */
  g_assert_true (cryo_cti_parse_biased ("@", &flags, &error));
  g_assert_cmpuint (flags, ==, 0);
  g_assert_true (cryo_cti_parse_biased ("40", &flags, &error));
  g_assert_cmpuint (flags, ==, 0);
  g_assert_true (cryo_cti_parse_biased ("b", &flags, &error));
  g_assert_cmpuint (flags, ==, CRYO_CTI_REGEN_FLAG_FAST_STARTED | CRYO_CTI_REGEN_FLAG_PURGE_GAS_FAIL);
  g_assert_true (cryo_cti_parse_biased ("G", &flags, &error));
  g_assert_cmpuint (flags, ==, CRYO_CTI_MEMORY_DIODE_DATA | CRYO_CTI_MEMORY_REGEN_PARAMS |
                               CRYO_CTI_MEMORY_HISTORY_DATA);
  g_assert_no_error (error);
  g_assert_false (cryo_cti_parse_biased ("3F", &flags, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (cryo_cti_parse_biased ("0", &flags, &error));
  g_clear_error (&error);
}

/* The seed's "Regen States" table, written out again from the seed. */
static void
test_regen_states (void)
{
  static const struct { const char *codes; CryoCtiRegenPhase phase; } seed[] = {
    { "A\\", CRYO_CTI_REGEN_PHASE_PUMP_OFF },
    { "BCE^]", CRYO_CTI_REGEN_PHASE_WARMUP },
    { "DFGQR", CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE },
    { "H", CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE },
    { "S", CRYO_CTI_REGEN_PHASE_REPURGE },
    { "IJKTabjn", CRYO_CTI_REGEN_PHASE_ROUGH },
    { "L", CRYO_CTI_REGEN_PHASE_RATE_OF_RISE },
    { "MNcdo", CRYO_CTI_REGEN_PHASE_COOLDOWN },
    { "P", CRYO_CTI_REGEN_PHASE_COMPLETE },
    { "U", CRYO_CTI_REGEN_PHASE_FAST_START },
    { "V", CRYO_CTI_REGEN_PHASE_ABORTED },
    { "W", CRYO_CTI_REGEN_PHASE_DELAY_RESTART },
    { "XY", CRYO_CTI_REGEN_PHASE_POWER_FAILURE },
    { "Z", CRYO_CTI_REGEN_PHASE_DELAY_START },
    { "O[", CRYO_CTI_REGEN_PHASE_ZEROING_TC },
    { "f", CRYO_CTI_REGEN_PHASE_SHARE_WAIT },
    { "e", CRYO_CTI_REGEN_PHASE_FAST_REPURGE },
    { "h", CRYO_CTI_REGEN_PHASE_PURGE_COORDINATE },
    { "i", CRYO_CTI_REGEN_PHASE_ROUGH_COORDINATE },
    { "k", CRYO_CTI_REGEN_PHASE_PURGE_GAS_RECOVERING },
  };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    for (const char *c = seed[i].codes; *c != '\0'; c++)
      {
        char payload[2] = { *c, '\0' };
        g_autoptr(GError) error = NULL;
        CryoCtiRegenPhase phase;
        char code;

        g_assert_true (cryo_cti_parse_regen_step (payload, &code, &phase, &error));
        g_assert_no_error (error);
        g_assert_cmpint (phase, ==, seed[i].phase);
        g_assert_cmpint (code, ==, *c);
        g_assert_nonnull (cryo_cti_regen_phase_to_string (phase));
        n++;
      }
  g_assert_cmpuint (n, ==, cryo_cti_n_regen_states);

  for (int c = 0x20; c < 0x7F; c++)
    {
      char payload[2] = { (char) c, '\0' };
      g_autoptr(GError) error = NULL;
      CryoCtiRegenPhase phase;
      gboolean known = FALSE;

      for (gsize i = 0; i < cryo_cti_n_regen_states; i++)
        known |= cryo_cti_regen_states[i].code == c;
      g_assert_cmpint (cryo_cti_parse_regen_step (payload, NULL, &phase, &error), ==, known);
      if (!known)
        g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
    }

  for (guint p = 0; p < CRYO_CTI_N_REGEN_PHASES; p++)
    g_assert_nonnull (cryo_cti_regen_phase_names[p]);

  /* Every step of a regen draws a band; pump off, complete, aborted and a
   * power failure do not. */
  for (guint p = 0; p < CRYO_CTI_N_REGEN_PHASES; p++)
    {
      gboolean band = FALSE;

      for (guint i = 0; cryo_cti_regen_phases[i].label != NULL; i++)
        band |= cryo_cti_regen_phases[i].value == (int) p;
      g_assert_cmpint (band, ==, cryo_cti_regen_phase_is_running (p));
    }

  g_assert_true (cryo_cti_regen_phase_is_running (CRYO_CTI_REGEN_PHASE_WARMUP));
  g_assert_true (cryo_cti_regen_phase_is_running (CRYO_CTI_REGEN_PHASE_COOLDOWN));
  g_assert_true (cryo_cti_regen_phase_is_running (CRYO_CTI_REGEN_PHASE_RATE_OF_RISE));
  g_assert_false (cryo_cti_regen_phase_is_running (CRYO_CTI_REGEN_PHASE_PUMP_OFF));
  g_assert_false (cryo_cti_regen_phase_is_running (CRYO_CTI_REGEN_PHASE_COMPLETE));
  g_assert_false (cryo_cti_regen_phase_is_running (CRYO_CTI_REGEN_PHASE_ABORTED));
}

static void
test_code_tables (void)
{
  static const char regen_errors[] = "@BCDEFGHIJ";
  static const char motor[] = "0@P`p";

  for (const char *c = regen_errors; *c != '\0'; c++)
    g_assert_nonnull (cryo_cti_regen_error_to_string (*c));
  g_assert_null (cryo_cti_regen_error_to_string ('A'));
  g_assert_cmpstr (cryo_cti_regen_error_to_string ('F'), ==, "Manual abort");

  for (guint s = 0; s <= 6; s++)
    g_assert_nonnull (cryo_cti_power_failure_to_string (s));
  g_assert_null (cryo_cti_power_failure_to_string (7));
  g_assert_cmpstr (cryo_cti_power_failure_to_string (4), ==, "Recovered from power failure");

  for (const char *c = motor; *c != '\0'; c++)
    g_assert_nonnull (cryo_cti_motor_failure_to_string (*c));
  g_assert_null (cryo_cti_motor_failure_to_string ('1'));
}

/* Seed "Configuration Commands" and "Temperature Control" ranges. */
static void
test_params (void)
{
  static const struct { const char *command; guint min, max; } seed[] = {
    { "P0", 0, 59994 }, { "P1", 0, 9990 }, { "P2", 0, 200 }, { "P3", 25, 200 },
    { "P4", 1, 100 }, { "P5", 0, 200 }, { "P6", 0, 80 }, { "PA", 0, 1 }, { "PC", 1, 3 },
    { "PG", 0, 9999 }, { "j", 0, 59994 }, { "H", 0, 320 }, { "I", 0, 30 },
  };

  g_assert_cmpuint (cryo_cti_n_params, ==, G_N_ELEMENTS (seed));
  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    {
      const CryoCtiParam *param = cryo_cti_lookup_param (seed[i].command);

      g_assert_nonnull (param);
      g_assert_cmpuint (param->min, ==, seed[i].min);
      g_assert_cmpuint (param->max, ==, seed[i].max);
    }
  g_assert_null (cryo_cti_lookup_param ("P7"));
  g_assert_null (cryo_cti_lookup_param ("d"));
}

static void
test_split_address (void)
{
  static const struct { const char *data; int address; const char *command; } cases[] = {
    { "P01A1", 1, "A1" }, { "P19J", 19, "J" }, { "P0600", -1, "P0600" }, { "P0?", -1, "P0?" },
    { "P01P0?", 1, "P0?" }, { "J", -1, "J" }, { "PA1", -1, "PA1" }, { "P12", -1, "P12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CryoCtiPacket packet;
      const char *command;
      int address;

      g_strlcpy (packet.data, cases[i].data, sizeof packet.data);
      packet.len = strlen (packet.data);
      cryo_cti_split_address (&packet, &address, &command);
      g_assert_cmpint (address, ==, cases[i].address);
      g_assert_cmpstr (command, ==, cases[i].command);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cti/checksum-spec", test_checksum_spec);
  g_test_add_func ("/cti/spec-replies", test_spec_replies);
  g_test_add_func ("/cti/vectors", test_vectors);
  g_test_add_func ("/cti/forbidden", test_forbidden);
  g_test_add_func ("/cti/encode-refusals", test_encode_refusals);
  g_test_add_func ("/cti/bad-checksum", test_bad_checksum);
  g_test_add_func ("/cti/restart-mid-packet", test_restart_mid_packet);
  g_test_add_func ("/cti/framing-errors", test_framing_errors);
  g_test_add_func ("/cti/eight-bit-noise", test_eight_bit_noise);
  g_test_add_func ("/cti/split-points", test_split_points);
  g_test_add_func ("/cti/parse-decimal", test_parse_decimal);
  g_test_add_func ("/cti/parse-count", test_parse_count);
  g_test_add_func ("/cti/parse-status", test_parse_status);
  g_test_add_func ("/cti/regen-states", test_regen_states);
  g_test_add_func ("/cti/code-tables", test_code_tables);
  g_test_add_func ("/cti/params", test_params);
  g_test_add_func ("/cti/split-address", test_split_address);

  return g_test_run ();
}
