/* test-oxcryo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the Cryostream codec against shared/protocols/oxford-cryostream.md
 * ("Test vectors"), its seed's tables and every vector of
 * tests/vectors/oxford-cryostream.json (turned into oxcryo-vectors.h at build
 * time by gen-oxcryo-vectors.py).
 */

#define G_LOG_DOMAIN "test-oxcryo"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cryo-oxcryo.h"

#include "oxcryo-vectors.h"

/* oxford-cryostream.md "Test vectors": the standard packet, and what the
 * extended form appends. */
static const char spec_standard[] =
  "20 01 27 10 27 13 FF FD 03 03 01 68 27 10 25 B2 73 28 00 00 32 18 00 23 0C 00 04 D2 16 2E 14 00";
static const char spec_extension[] = "01 04 46 00 21 28 00 5F 22 38";

/* The seed's "Alarm codes" table: level of every code 0..56. */
static const int seed_alarm_levels[] = {
  0, 1, 1, 1, 1, 2, 2, 2, 4, 4, 4, 4, 4, 4, 4, 3, 4, 4, 4, 4,
  4, 2, 4, 4, 4, 2, 2, 2, 2, 4, 2, 3, 2, 2, 4, 2, 4, 3, 3, 3,
  3, 3, 2, 2, 2, 3, 1, 2, 4, 4, 1, 1, 2, 2, 1, 2, 2,
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

static GByteArray *
spec_packet (gboolean extended)
{
  GByteArray *packet = parse_hex (spec_standard);

  if (extended)
    {
      g_autoptr(GByteArray) tail = parse_hex (spec_extension);

      packet->data[0] = CRYO_OXCRYO_EXTENDED_LENGTH;
      packet->data[1] = CRYO_OXCRYO_EXTENDED_TYPE;
      g_byte_array_append (packet, tail->data, tail->len);
    }
  return packet;
}

static void
assert_bytes (GBytes       *bytes,
              const guint8 *expected,
              gsize         n_expected)
{
  gsize len;
  const guint8 *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, n_expected);
}

/* A command vector's description → the packet the codec encodes for it. */
static GBytes *
encode_described (const char *description)
{
  if (g_str_equal (description, "stop"))
    return cryo_oxcryo_encode_stop ();
  if (g_str_equal (description, "restart"))
    return cryo_oxcryo_encode_restart ();
  if (g_str_equal (description, "hold"))
    return cryo_oxcryo_encode_hold ();
  if (g_str_equal (description, "purge"))
    return cryo_oxcryo_encode_purge ();
  if (g_str_equal (description, "pause"))
    return cryo_oxcryo_encode_pause ();
  if (g_str_equal (description, "resume"))
    return cryo_oxcryo_encode_resume ();
  if (g_str_equal (description, "turbo on"))
    return cryo_oxcryo_encode_turbo (TRUE);
  if (g_str_equal (description, "turbo off"))
    return cryo_oxcryo_encode_turbo (FALSE);
  if (g_str_equal (description, "set format extended"))
    return cryo_oxcryo_encode_set_format (TRUE);
  if (g_str_equal (description, "set format standard"))
    return cryo_oxcryo_encode_set_format (FALSE);
  if (g_str_equal (description, "plat 720 min"))
    return cryo_oxcryo_encode_plat (720, NULL);
  if (g_str_equal (description, "cool to 170.00 K"))
    return cryo_oxcryo_encode_cool (17000, CRYO_OXCRYO_MAX_TARGET_CK, NULL);
  if (g_str_equal (description, "ramp 120 K/h to 250.50 K"))
    return cryo_oxcryo_encode_ramp (120, 25050, CRYO_OXCRYO_MAX_TARGET_CK, NULL);
  if (g_str_equal (description, "end at 360 K/h"))
    return cryo_oxcryo_encode_end (360, NULL);

  g_error ("command vector “%s” has no encoder in this test", description);
}

/* A status vector's decoded key → the field, scaled to the JSON's units. */
static double
status_field (const CryoOxcryoStatus *s,
              const char             *key)
{
  static const struct
  {
    const char *key;
    gsize       offset;
    int         type;   /* 0 guint8, 1 guint16, 2 gint16 */
    double      scale;
  } fields[] = {
#define F(k, f, t, sc) { k, G_STRUCT_OFFSET (CryoOxcryoStatus, f), t, sc }
    F ("gas_set_point_k", gas_set_point, 1, 0.01),
    F ("gas_temp_k", gas_temp, 1, 0.01),
    F ("gas_error_k", gas_error, 2, 0.01),
    F ("run_mode", run_mode, 0, 1),
    F ("phase_id", phase_id, 0, 1),
    F ("ramp_rate_k_per_h", ramp_rate, 1, 1),
    F ("target_temp_k", target_temp, 1, 0.01),
    F ("evap_temp_k", evap_temp, 1, 0.01),
    F ("suct_temp_k", suct_temp, 1, 0.01),
    F ("remaining", remaining, 1, 1),
    F ("gas_flow_l_per_min", gas_flow, 0, 0.1),
    F ("gas_heat_pct", gas_heat, 0, 1),
    F ("evap_heat_pct", evap_heat, 0, 1),
    F ("suct_heat_pct", suct_heat, 0, 1),
    F ("line_pressure_bar", line_pressure, 0, 0.01),
    F ("alarm_code", alarm_code, 0, 1),
    F ("run_time_min", run_time, 1, 1),
    F ("controller_number", controller_number, 1, 1),
    F ("software_version", software_version, 0, 1),
    F ("evap_adjust", evap_adjust, 0, 1),
    F ("turbo_mode", turbo_mode, 0, 1),
    F ("hardware_type", hardware_type, 0, 1),
    F ("shutter_state_or_ln_level", shutter_state, 0, 1),
    F ("shutter_time_or_suspended", shutter_time, 0, 1),
    F ("average_gas_heat", average_gas_heat, 0, 1),
    F ("average_suct_heat", average_suct_heat, 0, 1),
    F ("time_to_fill_min", time_to_fill, 1, 1),
    F ("total_hours", total_hours, 1, 1),
#undef F
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const guint8 *p = (const guint8 *) s + fields[i].offset;

      if (!g_str_equal (fields[i].key, key))
        continue;
      switch (fields[i].type)
        {
        case 0: return *p * fields[i].scale;
        case 1: return *(const guint16 *) p * fields[i].scale;
        default: return *(const gint16 *) p * fields[i].scale;
        }
    }
  g_error ("decoded key “%s” has no field in this test", key);
}

static void
test_vectors (void)
{
  guint n_commands = 0, n_status = 0, n_stream = 0;

  for (gsize i = 0; i < OXCRYO_N_VECTORS; i++)
    {
      const OxcryoVector *v = &oxcryo_vectors[i];

      g_test_message ("vector %" G_GSIZE_FORMAT ": %s", i, v->description);
      switch (v->kind)
        {
        case OXCRYO_VECTOR_COMMAND:
          {
            g_autoptr(GBytes) bytes = encode_described (v->description);
            CryoOxcryoCommand command;
            gsize consumed;

            assert_bytes (bytes, v->bytes, v->n_bytes);
            /* and the simulator's parser reads back what was encoded */
            g_assert_cmpint (cryo_oxcryo_command_parse (v->bytes, v->n_bytes, &command, &consumed, NULL),
                             ==, CRYO_OXCRYO_DECODE_PACKET);
            g_assert_cmpuint (consumed, ==, v->n_bytes);
            g_assert_cmpuint (command.id, ==, v->bytes[1]);
            n_commands++;
          }
          break;

        case OXCRYO_VECTOR_STATUS_STANDARD:
        case OXCRYO_VECTOR_STATUS_EXTENDED:
          {
            CryoOxcryoStatus s;
            g_autoptr(GError) error = NULL;
            g_autoptr(GBytes) again = NULL;

            g_assert_true (cryo_oxcryo_status_decode (v->bytes, v->n_bytes, &s, &error));
            g_assert_no_error (error);
            g_assert_cmpint (s.extended, ==, v->kind == OXCRYO_VECTOR_STATUS_EXTENDED);
            for (gsize j = 0; j < v->n_decoded; j++)
              g_assert_cmpfloat_with_epsilon (status_field (&s, v->decoded[j].key),
                                              v->decoded[j].value, 1e-9);
            again = cryo_oxcryo_status_encode (&s);
            assert_bytes (again, v->bytes, v->n_bytes);
            n_status++;
          }
          break;

        case OXCRYO_VECTOR_STREAM:
          {
            g_autoptr(CryoOxcryoDecoder) decoder = cryo_oxcryo_decoder_new ();
            CryoOxcryoStatus s;
            guint n_packets = 0;
            CryoOxcryoDecodeResult r;

            cryo_oxcryo_decoder_feed (decoder, v->bytes, v->n_bytes);
            while ((r = cryo_oxcryo_decoder_next (decoder, &s, NULL)) != CRYO_OXCRYO_DECODE_NEED_MORE)
              if (r == CRYO_OXCRYO_DECODE_PACKET)
                n_packets++;
            g_assert_cmpuint (n_packets, ==, 1);
            g_assert_cmpuint (cryo_oxcryo_decoder_get_n_buffered (decoder), ==, 0);
            n_stream++;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_assert_cmpuint (n_commands, ==, 14);
  g_assert_cmpuint (n_status, ==, 2);
  g_assert_cmpuint (n_stream, ==, 1);
}

/* The extended vector in the JSON lists only the extension's fields; the
 * spec says the rest is the standard packet's. */
static void
test_spec_packets (void)
{
  g_autoptr(GByteArray) standard = spec_packet (FALSE);
  g_autoptr(GByteArray) extended = spec_packet (TRUE);
  CryoOxcryoStatus s, x;

  g_assert_true (cryo_oxcryo_status_decode (standard->data, standard->len, &s, NULL));
  g_assert_true (cryo_oxcryo_status_decode (extended->data, extended->len, &x, NULL));
  g_assert_false (s.extended);
  g_assert_true (x.extended);
  g_assert_cmpuint (s.gas_set_point, ==, 10000);
  g_assert_cmpuint (s.gas_temp, ==, 10003);
  g_assert_cmpint (s.gas_error, ==, -3);
  g_assert_cmpuint (s.run_mode, ==, CRYO_OXCRYO_RUN_MODE_RUN);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_HOLD);
  g_assert_cmpuint (s.controller_number, ==, 5678);
  g_assert_cmpuint (s.turbo_mode, ==, 0);
  g_assert_cmpuint (x.gas_temp, ==, s.gas_temp);
  g_assert_cmpuint (x.run_time, ==, 1234);
  g_assert_cmpuint (x.hardware_type, ==, CRYO_OXCRYO_HARDWARE_SERIES_800);
  g_assert_cmpuint (x.shutter_state, ==, 70);
  g_assert_cmpuint (x.total_hours, ==, 8760);
}

static void
test_decode_errors (void)
{
  g_autoptr(GByteArray) packet = spec_packet (FALSE);
  CryoOxcryoStatus s;
  g_autoptr(GError) error = NULL;
  /* offset, value that puts the field out of range */
  static const struct { guint offset; guint8 value; } bad[] = {
    { 8, 7 },        /* run mode */
    { 9, 6 },        /* phase id: 6..8 are not in the table */
    { 25, 57 },      /* alarm code */
    { 21, 101 },     /* gas heat % */
    { 4, 0xEB },     /* gas temp 0xEB13 cK > 600 K */
  };

  /* truncated: byte 0 promises more than is given */
  g_assert_false (cryo_oxcryo_status_decode (packet->data, packet->len - 1, &s, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED);
  g_clear_error (&error);

  /* a length/type pair that is not 32/1 or 42/2 */
  packet->data[1] = CRYO_OXCRYO_EXTENDED_TYPE;
  g_assert_false (cryo_oxcryo_status_decode (packet->data, packet->len, &s, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);
  packet->data[1] = CRYO_OXCRYO_STANDARD_TYPE;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint8 saved = packet->data[bad[i].offset];

      packet->data[bad[i].offset] = bad[i].value;
      g_assert_false (cryo_oxcryo_status_decode (packet->data, packet->len, &s, &error));
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
      g_clear_error (&error);
      packet->data[bad[i].offset] = saved;
    }
  g_assert_true (cryo_oxcryo_status_decode (packet->data, packet->len, &s, NULL));
}

static void
test_encode_ranges (void)
{
  g_autoptr(GError) error = NULL;
  static const guint8 ramp_500[] = { 0x06, 0x0B, 0x01, 0x68, 0xC3, 0x50 };
  static const guint8 cool_80[] = { 0x04, 0x0E, 0x1F, 0x40 };
  static const guint8 plat_1440[] = { 0x04, 0x0C, 0x05, 0xA0 };
  GBytes *bytes;

#define REFUSED(call) \
  G_STMT_START { \
    bytes = (call); \
    g_assert_null (bytes); \
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE); \
    g_clear_error (&error); \
  } G_STMT_END

  REFUSED (cryo_oxcryo_encode_ramp (0, 25000, CRYO_OXCRYO_MAX_TARGET_CK, &error));
  REFUSED (cryo_oxcryo_encode_ramp (361, 25000, CRYO_OXCRYO_MAX_TARGET_CK, &error));
  REFUSED (cryo_oxcryo_encode_ramp (120, 7999, CRYO_OXCRYO_MAX_TARGET_CK, &error));
  REFUSED (cryo_oxcryo_encode_ramp (120, 40001, CRYO_OXCRYO_MAX_TARGET_CK, &error));
  REFUSED (cryo_oxcryo_encode_ramp (120, 50001, CRYO_OXCRYO_MAX_TARGET_PLUS_CK, &error));
  REFUSED (cryo_oxcryo_encode_cool (7999, CRYO_OXCRYO_MAX_TARGET_CK, &error));
  REFUSED (cryo_oxcryo_encode_cool (45000, CRYO_OXCRYO_MAX_TARGET_CK, &error));
  REFUSED (cryo_oxcryo_encode_plat (0, &error));
  REFUSED (cryo_oxcryo_encode_plat (1441, &error));
  REFUSED (cryo_oxcryo_encode_end (0, &error));
  REFUSED (cryo_oxcryo_encode_end (361, &error));
#undef REFUSED

  /* the edges are allowed; Plus models reach 500 K */
  g_assert_cmpuint (cryo_oxcryo_max_target (0x05), ==, CRYO_OXCRYO_MAX_TARGET_PLUS_CK);
  g_assert_cmpuint (cryo_oxcryo_max_target (0x04), ==, CRYO_OXCRYO_MAX_TARGET_CK);
  bytes = cryo_oxcryo_encode_ramp (360, 50000, cryo_oxcryo_max_target (0x05), &error);
  g_assert_no_error (error);
  assert_bytes (bytes, ramp_500, sizeof ramp_500);
  g_bytes_unref (bytes);
  bytes = cryo_oxcryo_encode_cool (8000, CRYO_OXCRYO_MAX_TARGET_CK, &error);
  assert_bytes (bytes, cool_80, sizeof cool_80);
  g_bytes_unref (bytes);
  bytes = cryo_oxcryo_encode_plat (1440, &error);
  assert_bytes (bytes, plat_1440, sizeof plat_1440);
  g_bytes_unref (bytes);
  g_assert_no_error (error);
}

static void
test_command_parse (void)
{
  static const guint8 end_short[] = { 0x02, 0x0F };
  static const guint8 garbage[] = { 0x05, 0x0B };
  static const guint8 ramp[] = { 0x06, 0x0B, 0x00, 0x78, 0x61, 0xDA };
  CryoOxcryoCommand c;
  gsize consumed;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cryo_oxcryo_command_parse (end_short, 2, &c, &consumed, NULL), ==, CRYO_OXCRYO_DECODE_PACKET);
  g_assert_cmpuint (c.id, ==, CRYO_OXCRYO_COMMAND_END);
  g_assert_false (c.has_rate);
  g_assert_cmpuint (consumed, ==, 2);

  g_assert_cmpint (cryo_oxcryo_command_parse (garbage, 2, &c, &consumed, &error), ==, CRYO_OXCRYO_DECODE_ERROR);
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_assert_cmpuint (consumed, ==, 1);

  for (gsize len = 0; len < sizeof ramp; len++)
    {
      g_assert_cmpint (cryo_oxcryo_command_parse (ramp, len, &c, &consumed, NULL), ==, CRYO_OXCRYO_DECODE_NEED_MORE);
      g_assert_cmpuint (consumed, ==, 0);
    }
  g_assert_cmpint (cryo_oxcryo_command_parse (ramp, sizeof ramp, &c, &consumed, NULL), ==, CRYO_OXCRYO_DECODE_PACKET);
  g_assert_cmpuint (c.rate, ==, 120);
  g_assert_cmpuint (c.target, ==, 25050);
}

/* Feeds @stream in two pieces split at @split and collects the packets. */
static guint
decode_split (const guint8     *stream,
              gsize             len,
              gsize             split,
              CryoOxcryoStatus *packets,
              guint             max_packets,
              gsize            *n_discarded)
{
  g_autoptr(CryoOxcryoDecoder) decoder = cryo_oxcryo_decoder_new ();
  guint n = 0;
  const gsize pieces[2][2] = { { 0, split }, { split, len } };

  for (guint p = 0; p < 2; p++)
    {
      CryoOxcryoDecodeResult r;
      CryoOxcryoStatus s;

      cryo_oxcryo_decoder_feed (decoder, stream + pieces[p][0], pieces[p][1] - pieces[p][0]);
      while ((r = cryo_oxcryo_decoder_next (decoder, &s, NULL)) != CRYO_OXCRYO_DECODE_NEED_MORE)
        if (r == CRYO_OXCRYO_DECODE_PACKET)
          {
            g_assert_cmpuint (n, <, max_packets);
            packets[n++] = s;
          }
      /* bounded: never more than one packet's worth is held */
      g_assert_cmpuint (cryo_oxcryo_decoder_get_n_buffered (decoder), <, CRYO_OXCRYO_EXTENDED_LENGTH);
    }
  *n_discarded = cryo_oxcryo_decoder_get_n_discarded (decoder);
  return n;
}

static void
test_every_split (void)
{
  g_autoptr(GByteArray) stream = spec_packet (FALSE);
  g_autoptr(GByteArray) second = spec_packet (TRUE);
  CryoOxcryoStatus packets[4];

  g_byte_array_append (stream, second->data, second->len);

  for (gsize split = 0; split <= stream->len; split++)
    {
      gsize discarded;
      guint n = decode_split (stream->data, stream->len, split, packets, G_N_ELEMENTS (packets), &discarded);

      g_assert_cmpuint (n, ==, 2);
      g_assert_false (packets[0].extended);
      g_assert_true (packets[1].extended);
      g_assert_cmpuint (packets[1].total_hours, ==, 8760);
      g_assert_cmpuint (discarded, ==, 0);
    }
}

static void
test_noise (void)
{
  g_autoptr(GByteArray) packet = spec_packet (TRUE);
  /* noise that looks like starts of packets, and a bare length byte */
  static const guint8 noise[] = { 0x13, 0x20, 0x01, 0x2A, 0xFF, 0x2A, 0x02, 0x20 };
  CryoOxcryoStatus packets[4];

  /* noise before a packet, at every split */
  {
    g_autoptr(GByteArray) stream = g_byte_array_new ();

    g_byte_array_append (stream, noise, sizeof noise);
    g_byte_array_append (stream, packet->data, packet->len);
    for (gsize split = 0; split <= stream->len; split++)
      {
        gsize discarded;
        guint n = decode_split (stream->data, stream->len, split, packets, G_N_ELEMENTS (packets), &discarded);

        g_assert_cmpuint (n, ==, 1);
        g_assert_cmpuint (packets[0].gas_temp, ==, 10003);
        g_assert_cmpuint (discarded, ==, sizeof noise);
      }
  }

  /* noise inside a packet: that packet is lost (it has no checksum to tell,
   * but its fields go out of range), the next one is found */
  {
    g_autoptr(GByteArray) stream = g_byte_array_new ();
    gsize discarded;
    guint n;

    g_byte_array_append (stream, packet->data, 9);
    g_byte_array_append (stream, (const guint8 *) "\xEE\xEE", 2);
    g_byte_array_append (stream, packet->data + 9, packet->len - 9);
    g_byte_array_append (stream, packet->data, packet->len);
    n = decode_split (stream->data, stream->len, stream->len / 2, packets, G_N_ELEMENTS (packets), &discarded);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpuint (packets[0].total_hours, ==, 8760);
    g_assert_cmpuint (discarded, ==, packet->len + 2);
  }

  /* a truncated packet followed by a whole one */
  {
    g_autoptr(GByteArray) stream = g_byte_array_new ();
    gsize discarded;
    guint n;

    g_byte_array_append (stream, packet->data, 20);
    g_byte_array_append (stream, packet->data, packet->len);
    n = decode_split (stream->data, stream->len, 0, packets, G_N_ELEMENTS (packets), &discarded);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpuint (packets[0].total_hours, ==, 8760);
    g_assert_cmpuint (discarded, ==, 20);
  }

  /* a truncated packet at the end is kept, waiting for the rest */
  {
    g_autoptr(CryoOxcryoDecoder) decoder = cryo_oxcryo_decoder_new ();
    CryoOxcryoStatus s;

    cryo_oxcryo_decoder_feed (decoder, packet->data, packet->len - 1);
    g_assert_cmpint (cryo_oxcryo_decoder_next (decoder, &s, NULL), ==, CRYO_OXCRYO_DECODE_NEED_MORE);
    g_assert_cmpuint (cryo_oxcryo_decoder_get_n_buffered (decoder), ==, packet->len - 1);
  }
}

static void
test_long_garbage_bounded (void)
{
  g_autoptr(CryoOxcryoDecoder) decoder = cryo_oxcryo_decoder_new ();
  g_autoptr(GError) error = NULL;
  guint8 junk[1000];
  CryoOxcryoStatus s;

  memset (junk, 0xA5, sizeof junk);
  cryo_oxcryo_decoder_feed (decoder, junk, sizeof junk);
  g_assert_cmpint (cryo_oxcryo_decoder_next (decoder, &s, &error), ==, CRYO_OXCRYO_DECODE_ERROR);
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_assert_cmpint (cryo_oxcryo_decoder_next (decoder, &s, NULL), ==, CRYO_OXCRYO_DECODE_NEED_MORE);
  g_assert_cmpuint (cryo_oxcryo_decoder_get_n_buffered (decoder), ==, 0);
  g_assert_cmpuint (cryo_oxcryo_decoder_get_n_discarded (decoder), ==, sizeof junk);
}

static void
test_alarms (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (seed_alarm_levels), ==, CRYO_OXCRYO_MAX_ALARM + 1);

  for (guint code = 0; code <= CRYO_OXCRYO_MAX_ALARM; code++)
    {
      g_autoptr(GByteArray) packet = spec_packet (FALSE);
      CryoOxcryoStatus s;

      g_assert_cmpint (cryo_oxcryo_alarm_get_level (code), ==, seed_alarm_levels[code]);
      g_assert_nonnull (cryo_oxcryo_alarm_to_string (code));
      /* every code decodes */
      packet->data[25] = code;
      g_assert_true (cryo_oxcryo_status_decode (packet->data, packet->len, &s, NULL));
      g_assert_cmpuint (s.alarm_code, ==, code);
    }
  g_assert_cmpstr (cryo_oxcryo_alarm_to_string (7), ==, "Check vacuum");
  g_assert_cmpstr (cryo_oxcryo_alarm_to_string (23), ==, "No nitrogen");
  g_assert_cmpstr (cryo_oxcryo_alarm_to_string (56), ==, "Disconnect vacuum");
  g_assert_cmpint (cryo_oxcryo_alarm_get_level (57), ==, -1);
  g_assert_null (cryo_oxcryo_alarm_to_string (57));
}

static void
test_tables (void)
{
  static const guint phases[] = { 0, 1, 2, 3, 4, 5, 9, 10, 11, 12 };

  for (guint mode = 0; mode <= CRYO_OXCRYO_RUN_MODE_SHUTDOWN_FAIL; mode++)
    g_assert_nonnull (cryo_oxcryo_run_mode_to_string (mode));
  g_assert_null (cryo_oxcryo_run_mode_to_string (7));
  g_assert_cmpstr (cryo_oxcryo_run_mode_to_string (CRYO_OXCRYO_RUN_MODE_RUN), ==, "Running");

  for (gsize i = 0; i < G_N_ELEMENTS (phases); i++)
    g_assert_nonnull (cryo_oxcryo_phase_to_string (phases[i]));
  g_assert_null (cryo_oxcryo_phase_to_string (6));
  g_assert_cmpstr (cryo_oxcryo_phase_to_string (CRYO_OXCRYO_PHASE_PLAT), ==, "Plateau");

  for (guint bit = 1; bit <= CRYO_OXCRYO_HARDWARE_ALL; bit <<= 1)
    g_assert_nonnull (cryo_oxcryo_hardware_bit_to_string (bit));
  g_assert_null (cryo_oxcryo_hardware_bit_to_string (0x10));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oxcryo/vectors", test_vectors);
  g_test_add_func ("/oxcryo/spec-packets", test_spec_packets);
  g_test_add_func ("/oxcryo/decode-errors", test_decode_errors);
  g_test_add_func ("/oxcryo/encode-ranges", test_encode_ranges);
  g_test_add_func ("/oxcryo/command-parse", test_command_parse);
  g_test_add_func ("/oxcryo/every-split", test_every_split);
  g_test_add_func ("/oxcryo/noise", test_noise);
  g_test_add_func ("/oxcryo/long-garbage", test_long_garbage_bounded);
  g_test_add_func ("/oxcryo/alarms", test_alarms);
  g_test_add_func ("/oxcryo/tables", test_tables);

  return g_test_run ();
}
