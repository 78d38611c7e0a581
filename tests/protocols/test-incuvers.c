/* test-incuvers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the Incuvers PiLink codec against shared/protocols/
 * incuvers-pilink.md ("Test vectors", "Status lines", "Commands") and every
 * vector of tests/vectors/incuvers-pilink.json (turned into
 * incuvers-vectors.h at build time by gen-incuvers-vectors.py).
 */

#define G_LOG_DOMAIN "test-incuvers"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cryo-incuvers.h"

#include "incuvers-vectors.h"

/* incuvers-pilink.md "Test vectors" */
static const char spec_status_v112[] =
  "180~97a1d648$TS|123456&ID|IRIS0001&IV|v1.12 (06)&IR|4&FM|4&TM|1&TP|3700&TC|3698&TD|3712&TO|-10000"
  "&TS|-*&TA|-&CM|2&CP|500&CC|498&CS|-&CA|-&CG|0&OM|0&OP|2000&OC|-10000&OS|-&OA|-&LM|0&LS|-&FM|5336\r\n";
static const char spec_status_newer[] =
  "159~21fb52cf$&IV|3407285&TM|2&TP|3660&TC|3663&TO|50&TA|0&FP|40&FC|4088&HP|100&HC|1&CM|2&CP|500"
  "&CC|525&RH|0&CTR|0.00&CS|-&CA|*&CT|37531&OM|2&OP|1780&OC|1777&OS|-&OA|*&OPT1|0\r\n";

typedef struct
{
  GPtrArray *statuses;   /* CryoIncuversStatus */
  GArray    *errors;     /* CryoProtocolError codes, in order */
} Decoded;

static void
decoded_clear (Decoded *d)
{
  g_clear_pointer (&d->statuses, g_ptr_array_unref);
  g_clear_pointer (&d->errors, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Decoded, decoded_clear)

static void
drain (CryoIncuversDecoder *decoder,
       Decoded             *out)
{
  for (;;)
    {
      CryoIncuversStatus *status = NULL;
      g_autoptr(GError) error = NULL;

      if (cryo_incuvers_decoder_next (decoder, &status, &error))
        {
          g_assert_nonnull (status);
          g_ptr_array_add (out->statuses, status);
          continue;
        }
      g_assert_null (status);
      if (error == NULL)
        return;
      g_assert_true (error->domain == CRYO_PROTOCOL_ERROR);
      g_array_append_val (out->errors, error->code);
    }
}

/* Feeds @data in pieces that end at each offset of @cuts (ascending, the
 * last one @len), draining the decoder after each piece as the link does. */
static Decoded
decode_cut (const char  *data,
            gsize        len,
            const gsize *cuts,
            guint        n_cuts)
{
  g_autoptr(CryoIncuversDecoder) decoder = cryo_incuvers_decoder_new ();
  Decoded out = {
    g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_incuvers_status_free),
    g_array_new (FALSE, FALSE, sizeof (int)),
  };
  gsize from = 0;

  for (guint i = 0; i < n_cuts; i++)
    {
      if (cuts[i] > from)
        cryo_incuvers_decoder_feed (decoder, (const guint8 *) data + from, cuts[i] - from);
      from = cuts[i];
      drain (decoder, &out);
      g_assert_cmpuint (cryo_incuvers_decoder_get_buffered (decoder), <=, 1040 + 512);
    }
  return out;
}

static Decoded
decode_all (const char *data,
            gsize       len)
{
  return decode_cut (data, len, &len, 1);
}

static void
assert_same (const Decoded *a,
             const Decoded *b)
{
  g_assert_cmpuint (a->statuses->len, ==, b->statuses->len);
  g_assert_cmpuint (a->errors->len, ==, b->errors->len);
  for (guint i = 0; i < a->errors->len; i++)
    g_assert_cmpint (g_array_index (a->errors, int, i), ==, g_array_index (b->errors, int, i));
  for (guint i = 0; i < a->statuses->len; i++)
    {
      const CryoIncuversStatus *x = g_ptr_array_index (a->statuses, i);
      const CryoIncuversStatus *y = g_ptr_array_index (b->statuses, i);

      g_assert_cmpint (x->chamber_temperature, ==, y->chamber_temperature);
      g_assert_cmpint (x->millis, ==, y->millis);
      g_assert_cmpuint (x->fields->len, ==, y->fields->len);
    }
}

/* A vector's "decoded" value from a status: set points and readings in
 * °C or %, modes as numbers; NaN for "no sensor" or absent. */
static double
decoded_value (const CryoIncuversStatus *s,
               const char               *key)
{
  const struct { const char *key; int value; gboolean centi; } map[] = {
    { "temperature_setpoint_c", s->temperature_setpoint, TRUE },
    { "chamber_c", s->chamber_temperature, TRUE },
    { "door_c", s->door_temperature, TRUE },
    { "co2_setpoint_pct", s->co2_setpoint, TRUE },
    { "co2_pct", s->co2, TRUE },
    { "o2_setpoint_pct", s->o2_setpoint, TRUE },
    { "o2_pct", s->o2, TRUE },
    { "co2_mode", s->co2_mode, FALSE },
    { "o2_mode", s->o2_mode, FALSE },
    { "heat_mode", s->heat_mode, FALSE },
    { "fan_mode", s->fan_mode, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].key, key))
      {
        if (map[i].value == CRYO_INCUVERS_ABSENT || map[i].value == CRYO_INCUVERS_NO_SENSOR)
          return NAN;
        return map[i].centi ? map[i].value / 100.0 : map[i].value;
      }

  g_error ("vector key %s unknown to the test", key);
}

static void
test_vectors (void)
{
  for (guint i = 0; i < INCUVERS_N_VECTORS; i++)
    {
      const IncuversVector *v = &incuvers_vectors[i];
      g_autoptr(GError) error = NULL;

      g_test_message ("vector %u: %s", i, v->description);

      if (v->kind == INCUVERS_VECTOR_STATUS_LINE)
        {
          g_autoptr(CryoIncuversStatus) status = cryo_incuvers_parse_status_line (v->line, strlen (v->line), &error);
          g_auto(Decoded) stream = decode_all (v->line, strlen (v->line));

          if (!v->valid)
            {
              g_assert_null (status);
              g_assert_nonnull (error);
              g_assert_true (error->domain == CRYO_PROTOCOL_ERROR);
              g_assert_cmpuint (stream.statuses->len, ==, 0);
              g_assert_cmpuint (stream.errors->len, ==, 1);
              continue;
            }

          g_assert_no_error (error);
          g_assert_nonnull (status);
          g_assert_cmpuint (stream.statuses->len, ==, 1);
          g_assert_cmpuint (stream.errors->len, ==, 0);

          for (gsize k = 0; k < v->n_decoded; k++)
            {
              double got = decoded_value (status, v->decoded[k].key);

              if (v->decoded[k].is_null)
                g_assert_true (isnan (got));
              else
                g_assert_cmpfloat_with_epsilon (got, v->decoded[k].value, 1e-9);
            }
        }
      else
        {
          g_autofree char *line = cryo_incuvers_frame_command (v->payload, &error);
          g_autofree char *payload = NULL;
          g_auto(GStrv) pairs = g_strsplit (v->payload, "&", -1);
          CryoIncuversSetting settings[8];
          g_autoptr(GPtrArray) lines = NULL;
          guint n = 0;

          g_assert_no_error (error);
          g_assert_cmpstr (line, ==, v->line);

          payload = cryo_incuvers_parse_command_line (v->line, strlen (v->line), &error);
          g_assert_no_error (error);
          g_assert_cmpstr (payload, ==, v->payload);

          /* The same line from typed settings. */
          for (; pairs[n] != NULL; n++)
            {
              char *bar = strchr (pairs[n], '|');

              g_assert_nonnull (bar);
              *bar = '\0';
              settings[n].key = pairs[n];
              settings[n].value = atoi (bar + 1);
            }
          lines = cryo_incuvers_encode_command (settings, n, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (lines->len, ==, 1);
          g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, v->line);
        }
    }
}

static void
test_status_v112 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoIncuversStatus) s = cryo_incuvers_parse_status_line (spec_status_v112, strlen (spec_status_v112),
                                                                      &error);
  g_autoptr(CryoIncuversStatus) copy = NULL;

  g_assert_no_error (error);
  /* TS and FM by position */
  g_assert_cmpint (s->millis, ==, 123456);
  g_assert_cmpint (s->door_heater, ==, CRYO_INCUVERS_INDICATOR_OFF);
  g_assert_cmpint (s->chamber_heater, ==, CRYO_INCUVERS_INDICATOR_ON);
  g_assert_cmpint (s->fan_mode, ==, 4);
  g_assert_cmpint (s->free_memory, ==, 5336);
  g_assert_cmpstr (s->id, ==, "IRIS0001");
  g_assert_cmpstr (s->firmware, ==, "v1.12 (06)");
  g_assert_cmpint (s->heat_mode, ==, 1);
  g_assert_cmpint (s->temperature_setpoint, ==, 3700);
  g_assert_cmpint (s->chamber_temperature, ==, 3698);
  g_assert_cmpint (s->door_temperature, ==, 3712);
  g_assert_cmpint (s->heat_alarm.indicator, ==, CRYO_INCUVERS_INDICATOR_OFF);
  g_assert_cmpint (s->heat_alarm.setting, ==, -1);
  g_assert_cmpint (s->co2_mode, ==, CRYO_INCUVERS_GAS_MAINTAIN);
  g_assert_cmpint (s->co2_setpoint, ==, 500);
  g_assert_cmpint (s->co2, ==, 498);
  g_assert_cmpint (s->co2_alarm.indicator, ==, CRYO_INCUVERS_INDICATOR_OFF);
  g_assert_cmpint (s->o2_mode, ==, CRYO_INCUVERS_GAS_OFF);
  g_assert_cmpint (s->o2_setpoint, ==, 2000);
  g_assert_cmpint (s->o2, ==, CRYO_INCUVERS_NO_SENSOR);
  g_assert_cmpint (s->light_mode, ==, 0);
  g_assert_cmpint (s->light_state, ==, CRYO_INCUVERS_INDICATOR_OFF);
  /* every field kept, the unknown ones too */
  g_assert_cmpuint (s->fields->len, ==, 26);
  g_assert_cmpstr (cryo_incuvers_status_lookup (s, "IR"), ==, "4");
  g_assert_cmpstr (cryo_incuvers_status_lookup (s, "TO"), ==, "-10000");
  g_assert_cmpstr (cryo_incuvers_status_lookup (s, "CG"), ==, "0");
  g_assert_cmpstr (cryo_incuvers_status_lookup (s, "TS"), ==, "123456");
  g_assert_null (cryo_incuvers_status_lookup (s, "RH"));

  copy = cryo_incuvers_status_copy (s);
  g_assert_cmpuint (copy->fields->len, ==, 26);
  g_assert_cmpstr (copy->firmware, ==, s->firmware);
  g_assert_cmpint (copy->free_memory, ==, 5336);
}

static void
test_status_newer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoIncuversStatus) s = cryo_incuvers_parse_status_line (spec_status_newer, strlen (spec_status_newer),
                                                                      &error);

  g_assert_no_error (error);
  /* the leading "&" */
  g_assert_cmpuint (s->fields->len, ==, 24);
  g_assert_cmpint (s->millis, ==, -1);
  g_assert_cmpint (s->fan_mode, ==, CRYO_INCUVERS_ABSENT);
  g_assert_cmpint (s->door_temperature, ==, CRYO_INCUVERS_ABSENT);
  g_assert_cmpint (s->door_heater, ==, CRYO_INCUVERS_INDICATOR_ABSENT);
  g_assert_cmpint (s->heat_mode, ==, 2);
  g_assert_cmpint (s->chamber_temperature, ==, 3663);
  /* numeric alarm setting and raised indicators */
  g_assert_cmpint (s->heat_alarm.setting, ==, 0);
  g_assert_cmpint (s->heat_alarm.indicator, ==, CRYO_INCUVERS_INDICATOR_ABSENT);
  g_assert_cmpint (s->co2_alarm.indicator, ==, CRYO_INCUVERS_INDICATOR_ON);
  g_assert_cmpint (s->o2_alarm.indicator, ==, CRYO_INCUVERS_INDICATOR_ON);
  g_assert_cmpint (s->o2, ==, 1777);
  g_assert_cmpint (s->o2_setpoint, ==, 1780);
  /* keys of newer firmware kept, never fatal */
  g_assert_cmpstr (cryo_incuvers_status_lookup (s, "RH"), ==, "0");
  g_assert_cmpstr (cryo_incuvers_status_lookup (s, "CTR"), ==, "0.00");
  g_assert_cmpstr (cryo_incuvers_status_lookup (s, "OPT1"), ==, "0");
  g_assert_cmpstr (cryo_incuvers_status_lookup (s, "HP"), ==, "100");
}

static char *
with_payload (const char *payload,
              gboolean    upper)
{
  g_autofree char *line = cryo_incuvers_frame_status (payload);

  if (upper)
    for (char *p = line; *p != '$'; p++)
      *p = g_ascii_toupper (*p);
  return g_steal_pointer (&line);
}

static void
test_upper_case (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strdup (spec_status_v112);
  g_autoptr(CryoIncuversStatus) s = NULL;
  g_autofree char *command = g_strdup ("14~C868D294$TP|3700&CP|500\r\n");
  g_autofree char *payload = NULL;
  g_autofree char *framed = with_payload ("TC|3700&TP|3700", TRUE);

  /* Upper-case CRC digits are accepted from the controller… */
  for (char *p = line; *p != '$'; p++)
    *p = g_ascii_toupper (*p);
  g_assert_nonnull (strstr (line, "97A1D648"));
  s = cryo_incuvers_parse_status_line (line, strlen (line), &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->chamber_temperature, ==, 3698);
  g_clear_pointer (&s, cryo_incuvers_status_free);

  s = cryo_incuvers_parse_status_line (framed, strlen (framed), &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->temperature_setpoint, ==, 3700);

  /* …while the controller takes only lower-case ones. */
  payload = cryo_incuvers_parse_command_line (command, strlen (command), &error);
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM);
  g_assert_null (payload);
}

static void
test_corrupted_crc (void)
{
  gsize len = strlen (spec_status_v112);

  /* Every single-character change in the payload or the CRC digits is
   * caught (by the CRC or, for a separator, by the same check). */
  for (gsize i = 4; i < len - 2; i++)
    {
      g_autofree char *line = g_strdup (spec_status_v112);
      g_autoptr(GError) error = NULL;
      g_autoptr(CryoIncuversStatus) s = NULL;

      if (i == 12)
        continue;   /* the "$" */
      line[i] = line[i] == '7' ? '8' : '7';
      s = cryo_incuvers_parse_status_line (line, len, &error);
      g_assert_null (s);
      if (i > 12)
        g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM);
      else
        g_assert_true (g_error_matches (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM) ||
                       g_error_matches (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED));
    }
}

static void
test_wrong_len (void)
{
  const char *payload = strchr (spec_status_v112, '$') + 1;
  g_autofree char *body = g_strndup (payload, strlen (payload) - 2);
  guint32 crc = cryo_incuvers_crc32 (body, strlen (body));

  for (int len = 170; len <= 190; len++)
    {
      g_autofree char *line = g_strdup_printf ("%d~%08x$%s\r\n", len, crc, body);
      g_autoptr(GError) error = NULL;
      g_autoptr(CryoIncuversStatus) s = cryo_incuvers_parse_status_line (line, strlen (line), &error);
      g_auto(Decoded) stream = decode_all (line, strlen (line));
      int expected = len > 180 ? CRYO_PROTOCOL_ERROR_TRUNCATED : CRYO_PROTOCOL_ERROR_MALFORMED;

      if (len == 180)
        {
          g_assert_no_error (error);
          g_assert_nonnull (s);
          g_assert_cmpuint (stream.statuses->len, ==, 1);
          continue;
        }
      g_assert_null (s);
      g_assert_error (error, CRYO_PROTOCOL_ERROR, expected);
      g_assert_cmpuint (stream.statuses->len, ==, 0);
      g_assert_cmpuint (stream.errors->len, ==, 1);
    }
}

static void
test_truncated (void)
{
  gsize len = strlen (spec_status_v112);

  /* A line cut anywhere, then ended or followed by the next line at once:
   * the cut line is dropped as one error, the next one decodes. */
  for (gsize cut = 1; cut < len - 2; cut++)
    {
      g_autofree char *ended = g_strdup_printf ("%.*s\r\n%s", (int) cut, spec_status_v112, spec_status_v112);
      g_autofree char *run_on = g_strdup_printf ("%.*s%s", (int) cut, spec_status_v112, spec_status_v112);
      g_auto(Decoded) a = decode_all (ended, strlen (ended));
      g_auto(Decoded) b = decode_all (run_on, strlen (run_on));
      g_autoptr(GError) error = NULL;
      g_autoptr(CryoIncuversStatus) s = cryo_incuvers_parse_status_line (ended, cut + 2, &error);

      g_assert_null (s);
      g_assert_nonnull (error);

      g_assert_cmpuint (a.statuses->len, ==, 1);
      g_assert_cmpuint (a.errors->len, ==, 1);
      g_assert_cmpint (((CryoIncuversStatus *) g_ptr_array_index (a.statuses, 0))->chamber_temperature, ==, 3698);
      g_assert_cmpuint (b.statuses->len, ==, 1);
      g_assert_cmpuint (b.errors->len, >=, 1);
    }
}

static void
test_garbage (void)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(CryoIncuversDecoder) decoder = cryo_incuvers_decoder_new ();
  g_autoptr(GError) error = NULL;
  CryoIncuversStatus *status = NULL;

  /* 80 characters without a header are dropped at once, before any "\n". */
  for (guint i = 0; i < 80; i++)
    g_string_append_c (stream, 'a' + i % 26);
  cryo_incuvers_decoder_feed (decoder, (const guint8 *) stream->str, 79);
  g_assert_false (cryo_incuvers_decoder_next (decoder, &status, &error));
  g_assert_no_error (error);
  cryo_incuvers_decoder_feed (decoder, (const guint8 *) stream->str + 79, 1);
  g_assert_false (cryo_incuvers_decoder_next (decoder, &status, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG);
  g_assert_cmpuint (cryo_incuvers_decoder_get_buffered (decoder), ==, 0);
  g_clear_error (&error);

  /* then a valid line */
  cryo_incuvers_decoder_feed (decoder, (const guint8 *) spec_status_v112, strlen (spec_status_v112));
  g_assert_true (cryo_incuvers_decoder_next (decoder, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status->chamber_temperature, ==, 3698);
  cryo_incuvers_status_free (status);

  /* 80 characters of garbage, then a line, in one piece; garbage with a
   * stray "~"; binary noise; a blank line; a line with no header. */
  {
    const char *noise[] = {
      "\xff\xfe\x00\x01~~~~$$$$||&&",
      "12345678901234567890~zzzzzzzz$",
      "\r\n",
      "TS|1&TC|3700\r\n",
    };
    g_string_append (stream, spec_status_v112);
    for (guint i = 0; i < G_N_ELEMENTS (noise); i++)
      {
        g_string_append_len (stream, noise[i], i == 0 ? 16 : (gssize) strlen (noise[i]));
        g_string_append (stream, spec_status_newer);
      }
  }

  {
    g_auto(Decoded) all = decode_all (stream->str, stream->len);

    g_assert_cmpuint (all.statuses->len, ==, 1 + 4);
    /* the 80 characters, the binary noise, the stray header, the line
     * without a header; not the blank line */
    g_assert_cmpuint (all.errors->len, >=, 4);
  }
}

static void
test_split_points (void)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autofree char *corrupt = g_strdup (spec_status_v112);
  g_auto(Decoded) whole = { NULL };

  corrupt[40] = 'X';
  g_string_append (stream, spec_status_v112);
  g_string_append (stream, "garbage before the next line ");
  g_string_append (stream, spec_status_newer);
  g_string_append (stream, corrupt);
  g_string_append_len (stream, spec_status_newer, 90);   /* cut short… */
  g_string_append (stream, spec_status_v112);             /* …by this one */
  for (guint i = 0; i < 100; i++)
    g_string_append_c (stream, '#');
  g_string_append (stream, "\r\n");
  g_string_append (stream, spec_status_newer);

  whole = decode_all (stream->str, stream->len);
  g_assert_cmpuint (whole.statuses->len, ==, 4);
  g_assert_cmpuint (whole.errors->len, >=, 4);

  /* Two pieces, at every split point. */
  for (gsize k = 1; k < stream->len; k++)
    {
      gsize cuts[] = { k, stream->len };
      g_auto(Decoded) split = decode_cut (stream->str, stream->len, cuts, 2);

      assert_same (&whole, &split);
    }

  /* One byte at a time. */
  {
    g_autofree gsize *cuts = g_new (gsize, stream->len);
    g_auto(Decoded) bytes = { NULL };

    for (gsize i = 0; i < stream->len; i++)
      cuts[i] = i + 1;
    bytes = decode_cut (stream->str, stream->len, cuts, stream->len);
    assert_same (&whole, &bytes);
  }
}

static void
test_ranges (void)
{
  const struct { const char *key; int value; gboolean ok; } cases[] = {
    { "TP", 500, FALSE }, { "TP", 501, TRUE }, { "TP", 3750, TRUE }, { "TP", 7499, TRUE },
    { "TP", 7500, FALSE }, { "TP", -10000, FALSE },
    { "CP", 10, FALSE }, { "CP", 11, TRUE }, { "CP", 2499, TRUE }, { "CP", 2500, FALSE },
    { "OP", 0, FALSE }, { "OP", 1, TRUE }, { "OP", 2099, TRUE }, { "OP", 2100, FALSE },
    { "TM", -1, FALSE }, { "TM", 0, TRUE }, { "TM", 1, TRUE }, { "TM", 2, FALSE },
    { "CM", 2, TRUE }, { "CM", 3, FALSE }, { "OM", 2, TRUE }, { "OM", 3, FALSE },
    { "FM", 0, TRUE }, { "FM", 4, TRUE }, { "FM", 5, FALSE },
    { "SS", 1, TRUE }, { "SS", 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CryoIncuversSetting setting = { cases[i].key, cases[i].value };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) lines = NULL;

      g_assert_cmpint (cryo_incuvers_check_setting (&setting, &error), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE);
      g_clear_error (&error);

      /* A bad setting anywhere: nothing is encoded. */
      {
        CryoIncuversSetting two[] = { { "TP", 3700 }, setting };

        lines = cryo_incuvers_encode_command (two, 2, &error);
        g_assert_cmpint (lines != NULL, ==, cases[i].ok);
      }
    }

  {
    const struct { const char *text; gboolean ok; } texts[] = {
      { "IRIS0002", TRUE }, { "192.168.100.200", TRUE }, { "b8:27:eb:12:34:56", TRUE },
      { "", FALSE }, { NULL, FALSE }, { "a&b", FALSE }, { "a|b", FALSE }, { "a~b", FALSE },
      { "a$b", FALSE }, { "tab\there", FALSE }, { "123456789012345678901234567890123", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        CryoIncuversSetting setting = { "MWR", 0, texts[i].text };

        g_assert_cmpint (cryo_incuvers_check_setting (&setting, NULL), ==, texts[i].ok);
      }
  }

  {
    CryoIncuversSetting unknown = { "LS", 1 };
    g_autoptr(GError) error = NULL;

    g_assert_false (cryo_incuvers_check_setting (&unknown, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  }
}

static void
test_split_commands (void)
{
  const CryoIncuversSetting all[] = {
    { "TP", 3750 }, { "CP", 500 }, { "OP", 1780 }, { "TM", 1 }, { "CM", 2 }, { "OM", 1 },
    { "FM", 4 }, { "TP", 3700 }, { "CP", 2499 }, { "OP", 2099 }, { "SS", 1 }, { "FM", 0 },
    { "ID", 0, "IRIS0002" }, { "IP4", 0, "192.168.100.200" }, { "MWR", 0, "b8:27:eb:12:34:56" },
    { "MWF", 0, "b8:27:eb:65:43:21" }, { "TP", 3800 },
  };

  /* Every prefix of the list: the lines carry the pairs in order, each
   * within 52 characters, each as full as it can be. */
  for (guint n = 1; n <= G_N_ELEMENTS (all); n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) lines = cryo_incuvers_encode_command (all, n, &error);
      g_autoptr(GString) joined = g_string_new (NULL);
      g_autoptr(GString) expected = g_string_new (NULL);
      gsize total = 0;

      g_assert_no_error (error);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *pair = all[i].text ? g_strdup_printf ("%s|%s", all[i].key, all[i].text)
                                              : g_strdup_printf ("%s|%d", all[i].key, all[i].value);

          if (i > 0)
            g_string_append_c (expected, '&');
          g_string_append (expected, pair);
        }

      for (guint l = 0; l < lines->len; l++)
        {
          const char *line = g_ptr_array_index (lines, l);
          g_autofree char *payload = cryo_incuvers_parse_command_line (line, strlen (line), &error);

          g_assert_no_error (error);
          g_assert_true (g_str_has_suffix (line, "\r\n"));
          g_assert_cmpuint (strlen (line) - 1, <=, CRYO_INCUVERS_MAX_COMMAND_LINE);
          g_assert_cmpuint (strlen (payload), <=, CRYO_INCUVERS_MAX_COMMAND_FRAMED);
          total += strlen (payload);
          if (l > 0)
            g_string_append_c (joined, '&');
          g_string_append (joined, payload);

          /* full: the first pair of the next line would not have fitted */
          if (l + 1 < lines->len)
            {
              const char *next = g_ptr_array_index (lines, l + 1);
              const char *next_payload = strchr (next, '$') + 1;
              gsize first_pair = strcspn (next_payload, "&\r");

              g_assert_cmpuint (strlen (payload) + 1 + first_pair, >, CRYO_INCUVERS_MAX_COMMAND_FRAMED);
            }
        }
      g_assert_cmpstr (joined->str, ==, expected->str);
      g_assert_cmpint (lines->len > 1, ==, expected->len > CRYO_INCUVERS_MAX_COMMAND_FRAMED);
      g_assert_cmpuint (total + lines->len - 1, ==, expected->len);
    }
}

static void
test_command_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  char *payload;
  g_autofree char *long_payload = g_strnfill (53, 'A');
  g_autofree char *max_payload = NULL;
  const char *bad[] = {
    "7~e3516923$TP|3750\n",           /* no "\r" */
    "8~e3516923$TP|3750\r\n",         /* Len too long */
    "6~e3516923$TP|3750\r\n",         /* Len too short */
    "7~e3516924$TP|3750\r\n",         /* CRC */
    "7~e3516923TP|3750\r\n",          /* no "$" */
    "0~00000000$\r\n",                /* empty */
    "07~e3516923$TP|3750\r\n",        /* digits(Len) counts no leading zero */
  };

  line = cryo_incuvers_frame_command ("", &error);
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG);
  g_assert_null (line);
  g_clear_error (&error);

  line = cryo_incuvers_frame_command (long_payload, &error);
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG);
  g_clear_error (&error);

  line = cryo_incuvers_frame_command ("TP|37~0", &error);
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_clear_error (&error);

  /* 52 characters would make 65 before "\n": the controller's two rules
   * leave 51 */
  max_payload = g_strnfill (52, 'B');
  max_payload[2] = '|';
  line = cryo_incuvers_frame_command (max_payload, &error);
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG);
  g_assert_null (line);
  g_clear_error (&error);
  max_payload[51] = '\0';
  max_payload[2] = '|';
  line = cryo_incuvers_frame_command (max_payload, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (line), ==, 65);   /* 64 and "\n" */
  payload = cryo_incuvers_parse_command_line (line, strlen (line), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload, ==, max_payload);
  g_free (payload);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      payload = cryo_incuvers_parse_command_line (bad[i], strlen (bad[i]), &error);
      g_assert_null (payload);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }

  {
    g_autofree char *too_long = g_strdup_printf ("53~00000000$%s\r\n", long_payload);

    payload = cryo_incuvers_parse_command_line (too_long, strlen (too_long), &error);
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG);
    g_assert_null (payload);
  }
}

static void
test_status_frame_round_trip (void)
{
  const char *payload = "TS|1&FM|2&TM|1&TP|3700&TC|3650&TD|3700&TS|*-&CM|1&CC|-10000&FM|900";
  g_autofree char *line = cryo_incuvers_frame_status (payload);
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoIncuversStatus) s = cryo_incuvers_parse_status_line (line, strlen (line), &error);

  g_assert_no_error (error);
  g_assert_cmpint (s->millis, ==, 1);
  g_assert_cmpint (s->fan_mode, ==, 2);
  g_assert_cmpint (s->free_memory, ==, 900);
  g_assert_cmpint (s->door_heater, ==, CRYO_INCUVERS_INDICATOR_ON);
  g_assert_cmpint (s->chamber_heater, ==, CRYO_INCUVERS_INDICATOR_OFF);
  g_assert_cmpint (s->co2, ==, CRYO_INCUVERS_NO_SENSOR);
  g_assert_cmpint (s->co2_mode, ==, CRYO_INCUVERS_GAS_READ);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/incuvers/vectors", test_vectors);
  g_test_add_func ("/incuvers/status/v1.12", test_status_v112);
  g_test_add_func ("/incuvers/status/newer", test_status_newer);
  g_test_add_func ("/incuvers/status/upper-case", test_upper_case);
  g_test_add_func ("/incuvers/status/round-trip", test_status_frame_round_trip);
  g_test_add_func ("/incuvers/decoder/corrupted-crc", test_corrupted_crc);
  g_test_add_func ("/incuvers/decoder/wrong-len", test_wrong_len);
  g_test_add_func ("/incuvers/decoder/truncated", test_truncated);
  g_test_add_func ("/incuvers/decoder/garbage", test_garbage);
  g_test_add_func ("/incuvers/decoder/split-points", test_split_points);
  g_test_add_func ("/incuvers/command/ranges", test_ranges);
  g_test_add_func ("/incuvers/command/split", test_split_commands);
  g_test_add_func ("/incuvers/command/rules", test_command_rules);

  return g_test_run ();
}
