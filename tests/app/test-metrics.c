/* test-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The metrics endpoint's text from hand-made snapshots: names and base
 * units, labels and their escaping, numbers whatever the locale, and the
 * exposition format's grouping of each family under its HELP and TYPE.
 */

#include "config.h"

#include <locale.h>
#include <math.h>

#include "cryo-metrics.h"

#define SEC G_GINT64_CONSTANT (1000000)
#define NOW (G_GINT64_CONSTANT (1770470625) * SEC)

static const CryoMetricsChannel station_channels[] = {
  { "pressure", CRYO_QUANTITY_PRESSURE, 2.9e-5, NOW - 2 * SEC - SEC / 2 },
  { "speed", CRYO_QUANTITY_ROTATION_SPEED, 81000, NOW - SEC },
  /* A gap: no value now, but an age. */
  { "tip_seal_hours", CRYO_QUANTITY_DURATION, NAN, NOW - 90 * SEC },
};

static const CryoMetricsAction station_actions[] = {
  { "start", { 2, 1, 0, 0 } },
  { "stop", { 1, 0, 0, 3 } },
};

static const CryoMetricsChannel stream_channels[] = {
  { "gas_temperature", CRYO_QUANTITY_TEMPERATURE, 100.25, NOW },
  { "gas_heat", CRYO_QUANTITY_PERCENT, 37.5, NOW },
  { "gas_flow", CRYO_QUANTITY_FLOW, 6, NOW },
  { "motor", CRYO_QUANTITY_CURRENT, 26.5, NOW },
  { "phase", CRYO_QUANTITY_STATE, 3, NOW },
  { "gas_error", CRYO_QUANTITY_NONE, -0.5, NOW },
  { "line", CRYO_QUANTITY_FREQUENCY, 50, NOW },
  /* Never read: neither a value nor an age. */
  { "ln_level", CRYO_QUANTITY_PERCENT, NAN, 0 },
  /* A clock stepped back: an age of 0, not a negative one. */
  { "run_time", CRYO_QUANTITY_DURATION, 0.5, NOW + 5 * SEC },
};

static void
fill_devices (CryoMetricsDevice devices[2])
{
  memset (devices, 0, 2 * sizeof (CryoMetricsDevice));

  devices[0].name = "Pumping station";
  devices[0].kind = "pump-station";
  devices[0].state = CRYO_DEVICE_STATE_ONLINE;
  devices[0].channels = station_channels;
  devices[0].n_channels = G_N_ELEMENTS (station_channels);
  devices[0].actions = station_actions;
  devices[0].n_actions = G_N_ELEMENTS (station_actions);
  devices[0].n_polls = 1204;
  devices[0].n_poll_errors = 12;
  devices[0].n_transactions = 6020;
  devices[0].n_dropped_frames = 9;
  devices[0].n_timeouts = 3;
  devices[0].n_retries = 15;
  devices[0].n_reconnects = 2;
  devices[0].link_quality_percent = 97;
  devices[0].n_alarms = 1;
  devices[0].n_warnings = 2;

  /* Everything a name may hold that the format escapes. */
  devices[1].name = "Lab \"B\" \\ left\nrow";
  devices[1].kind = "cryostream";
  devices[1].state = CRYO_DEVICE_STATE_STALE;
  devices[1].channels = stream_channels;
  devices[1].n_channels = G_N_ELEMENTS (stream_channels);
  devices[1].n_stream_messages = 77;
  devices[1].link_quality_percent = 100;
}

static char *
write_text (const CryoMetricsDevice *devices,
            guint                    n_devices)
{
  GString *out = g_string_new (NULL);

  cryo_metrics_write (out, devices, n_devices, NOW);
  return g_string_free (out, FALSE);
}

static gboolean
has_line (char       **lines,
          const char  *line)
{
  return g_strv_contains ((const char * const *) lines, line);
}

static void
assert_line (char       **lines,
             const char  *line)
{
  if (!has_line (lines, line))
    g_error ("missing line: %s", line);
}

static gboolean
has_prefix_line (char       **lines,
                 const char  *prefix)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return TRUE;
  return FALSE;
}

/* The value of the one sample line that starts with @prefix (the name and
 * labels, up to the space). */
static double
sample_value (char       **lines,
              const char  *prefix)
{
  g_autofree char *with_space = g_strconcat (prefix, " ", NULL);
  char *end = NULL;
  double value = NAN;
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!g_str_has_prefix (lines[i], with_space))
        continue;
      value = g_ascii_strtod (lines[i] + strlen (with_space), &end);
      g_assert_cmpint (*end, ==, '\0');
      n++;
    }

  if (n != 1)
    g_error ("%u sample lines start with %s", n, prefix);
  return value;
}

/* The format's structure: every family has HELP then TYPE, once, and its
 * samples follow them without another family in between. */
static void
assert_well_formed (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *family = NULL;
  g_autoptr(GRegex) sample = g_regex_new ("^([a-z_]+)(\\{([a-z_]+=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? "
                                          "(-?[0-9.e+-]+|NaN|[+-]Inf)$", 0, 0, NULL);
  guint n = g_strv_length (lines);

  g_assert_true (g_str_has_suffix (text, "\n"));
  g_assert_cmpstr (lines[n - 1], ==, "");

  for (guint i = 0; i + 1 < n; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "# HELP "))
        {
          g_auto(GStrv) words = g_strsplit (line, " ", 4);
          g_autofree char *type_prefix = g_strdup_printf ("# TYPE %s ", words[2]);

          g_assert_nonnull (words[3]);
          g_assert_false (g_hash_table_contains (seen, words[2]));
          g_hash_table_add (seen, g_strdup (words[2]));
          g_assert_true (g_str_has_prefix (lines[i + 1], type_prefix));
          g_assert_true (g_str_equal (lines[i + 1] + strlen (type_prefix), "gauge") ||
                         g_str_equal (lines[i + 1] + strlen (type_prefix), "counter"));
          if (g_str_equal (lines[i + 1] + strlen (type_prefix), "counter"))
            g_assert_true (g_str_has_suffix (words[2], "_total"));
          g_free (family);
          family = g_strdup (words[2]);
          i++;
          continue;
        }

      {
        g_autoptr(GMatchInfo) match = NULL;
        g_autofree char *name = NULL;

        if (!g_regex_match (sample, line, 0, &match))
          g_error ("not a sample line: %s", line);
        name = g_match_info_fetch (match, 1);
        g_assert_cmpstr (name, ==, family);
      }
    }
}

static void
test_readings (void)
{
  CryoMetricsDevice devices[2];
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  fill_devices (devices);
  text = write_text (devices, 2);
  g_test_message ("%s", text);
  assert_well_formed (text);
  lines = g_strsplit (text, "\n", -1);

  /* Base units: Pa and K as stored, rpm to revolutions per second, percent
   * to a ratio, hours to seconds, l/min to m³/s. */
  assert_line (lines, "cryomon_pressure_pascals{device=\"Pumping station\",kind=\"pump-station\","
                      "channel=\"pressure\"} 2.9e-05");
  assert_line (lines, "cryomon_rotation_speed_hertz{device=\"Pumping station\",kind=\"pump-station\","
                      "channel=\"speed\"} 1350");
  assert_line (lines, "cryomon_temperature_kelvin{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\","
                      "channel=\"gas_temperature\"} 100.25");
  assert_line (lines, "cryomon_fraction_ratio{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\","
                      "channel=\"gas_heat\"} 0.375");
  assert_line (lines, "cryomon_current_amperes{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\","
                      "channel=\"motor\"} 26.5");
  assert_line (lines, "cryomon_state_code{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\","
                      "channel=\"phase\"} 3");
  assert_line (lines, "cryomon_reading{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\","
                      "channel=\"gas_error\"} -0.5");
  assert_line (lines, "cryomon_frequency_hertz{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\","
                      "channel=\"line\"} 50");
  assert_line (lines, "cryomon_duration_seconds{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\","
                      "channel=\"run_time\"} 1800");
  g_assert_cmpfloat_with_epsilon (sample_value (lines, "cryomon_flow_cubic_meters_per_second{device=\"Lab \\\"B\\\" "
                                                       "\\\\ left\\nrow\",kind=\"cryostream\",channel=\"gas_flow\"}"),
                                  1e-4, 1e-18);
  assert_line (lines, "# HELP cryomon_pressure_pascals Pressure reading, pascals.");
  assert_line (lines, "# TYPE cryomon_pressure_pascals gauge");

  /* No value, no sample; but the age of the last value stays. */
  g_assert_false (has_prefix_line (lines, "cryomon_duration_seconds{device=\"Pumping station\""));
  assert_line (lines, "cryomon_reading_age_seconds{device=\"Pumping station\",kind=\"pump-station\","
                      "channel=\"tip_seal_hours\"} 90");
  assert_line (lines, "cryomon_reading_age_seconds{device=\"Pumping station\",kind=\"pump-station\","
                      "channel=\"pressure\"} 2.5");
  assert_line (lines, "cryomon_reading_age_seconds{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\","
                      "channel=\"run_time\"} 0");
  g_assert_false (has_prefix_line (lines, "cryomon_fraction_ratio{device=\"Lab \\\"B\\\" \\\\ left\\nrow\","
                                          "kind=\"cryostream\",channel=\"ln_level\"}"));
  g_assert_false (has_prefix_line (lines, "cryomon_reading_age_seconds{device=\"Lab \\\"B\\\" \\\\ left\\nrow\","
                                          "kind=\"cryostream\",channel=\"ln_level\"}"));
}

static void
test_device_metrics (void)
{
  CryoMetricsDevice devices[2];
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  fill_devices (devices);
  text = write_text (devices, 2);
  lines = g_strsplit (text, "\n", -1);

  /* One sample per state, 1 for the device's. */
  assert_line (lines, "cryomon_device_state{device=\"Pumping station\",kind=\"pump-station\",state=\"online\"} 1");
  assert_line (lines, "cryomon_device_state{device=\"Pumping station\",kind=\"pump-station\",state=\"stale\"} 0");
  assert_line (lines, "cryomon_device_state{device=\"Pumping station\",kind=\"pump-station\",state=\"disconnected\"} 0");
  assert_line (lines, "cryomon_device_state{device=\"Pumping station\",kind=\"pump-station\",state=\"connecting\"} 0");
  assert_line (lines, "cryomon_device_state{device=\"Pumping station\",kind=\"pump-station\",state=\"error\"} 0");
  assert_line (lines, "cryomon_device_state{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\",state=\"stale\"} 1");
  assert_line (lines, "cryomon_device_state{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\",state=\"online\"} 0");

  assert_line (lines, "cryomon_active_conditions{device=\"Pumping station\",kind=\"pump-station\",severity=\"alarm\"} 1");
  assert_line (lines, "cryomon_active_conditions{device=\"Pumping station\",kind=\"pump-station\",severity=\"warning\"} 2");

  assert_line (lines, "# TYPE cryomon_polls_total counter");
  assert_line (lines, "cryomon_polls_total{device=\"Pumping station\",kind=\"pump-station\"} 1204");
  assert_line (lines, "cryomon_poll_errors_total{device=\"Pumping station\",kind=\"pump-station\"} 12");
  assert_line (lines, "cryomon_link_transactions_total{device=\"Pumping station\",kind=\"pump-station\"} 6020");
  assert_line (lines, "cryomon_link_dropped_frames_total{device=\"Pumping station\",kind=\"pump-station\"} 9");
  assert_line (lines, "cryomon_link_timeouts_total{device=\"Pumping station\",kind=\"pump-station\"} 3");
  assert_line (lines, "cryomon_link_retries_total{device=\"Pumping station\",kind=\"pump-station\"} 15");
  assert_line (lines, "cryomon_link_reconnects_total{device=\"Pumping station\",kind=\"pump-station\"} 2");
  assert_line (lines, "cryomon_link_stream_messages_total{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\"} 77");
  assert_line (lines, "cryomon_link_quality_ratio{device=\"Pumping station\",kind=\"pump-station\"} 0.97");
  assert_line (lines, "cryomon_link_quality_ratio{device=\"Lab \\\"B\\\" \\\\ left\\nrow\",kind=\"cryostream\"} 1");

  /* Every action and outcome, zeros included, so that rate() works from
   * the first scrape. */
  assert_line (lines, "# TYPE cryomon_actions_total counter");
  assert_line (lines, "cryomon_actions_total{device=\"Pumping station\",kind=\"pump-station\",action=\"start\",outcome=\"done\"} 2");
  assert_line (lines, "cryomon_actions_total{device=\"Pumping station\",kind=\"pump-station\",action=\"start\",outcome=\"refused\"} 1");
  assert_line (lines, "cryomon_actions_total{device=\"Pumping station\",kind=\"pump-station\",action=\"start\",outcome=\"failed\"} 0");
  assert_line (lines, "cryomon_actions_total{device=\"Pumping station\",kind=\"pump-station\",action=\"stop\",outcome=\"unconfirmed\"} 3");
  assert_line (lines, "cryomon_actions_total{device=\"Pumping station\",kind=\"pump-station\",action=\"stop\",outcome=\"done\"} 1");
  g_assert_false (has_prefix_line (lines, "cryomon_actions_total{device=\"Lab"));

  assert_line (lines, "cryomon_build_info{version=\"" PACKAGE_VERSION "\"} 1");
}

static void
test_no_devices (void)
{
  g_autofree char *text = write_text (NULL, 0);

  assert_well_formed (text);
  g_assert_cmpstr (text, ==,
                   "# HELP cryomon_build_info Cryomon's version, as a label; always 1.\n"
                   "# TYPE cryomon_build_info gauge\n"
                   "cryomon_build_info{version=\"" PACKAGE_VERSION "\"} 1\n");
}

static void
test_label_values (void)
{
  GString *out = g_string_new (NULL);

  cryo_metrics_append_label_value (out, "plain äöü 10⁻⁷");
  g_assert_cmpstr (out->str, ==, "plain äöü 10⁻⁷");

  g_string_truncate (out, 0);
  cryo_metrics_append_label_value (out, "a\\b\"c\nd");
  g_assert_cmpstr (out->str, ==, "a\\\\b\\\"c\\nd");

  /* Not UTF-8: made valid, or Prometheus would drop the whole scrape. */
  g_string_truncate (out, 0);
  cryo_metrics_append_label_value (out, "bad \xff byte");
  g_assert_true (g_utf8_validate (out->str, -1, NULL));
  g_assert_true (g_str_has_prefix (out->str, "bad "));
  g_assert_true (g_str_has_suffix (out->str, " byte"));

  g_string_free (out, TRUE);
}

static void
assert_double (double      value,
               const char *expected)
{
  GString *out = g_string_new (NULL);

  cryo_metrics_append_double (out, value);
  g_assert_cmpstr (out->str, ==, expected);
  if (isfinite (value))
    g_assert_cmpfloat (g_ascii_strtod (out->str, NULL), ==, value);
  g_string_free (out, TRUE);
}

static void
test_numbers (void)
{
  /* The shortest text that reads back as the same double, with '.' even
   * in a locale with a decimal comma (this test also runs in de_DE). */
  assert_double (0, "0");
  assert_double (0.1, "0.1");
  assert_double (2.9e-5, "2.9e-05");
  assert_double (-1.5, "-1.5");
  assert_double (1e21, "1e+21");
  assert_double (0.1 + 0.2, "0.30000000000000004");
  assert_double (1.0 / 3.0, "0.3333333333333333");
  assert_double (G_MAXDOUBLE, "1.7976931348623157e+308");
  assert_double (NAN, "NaN");
  assert_double (INFINITY, "+Inf");
  assert_double (-INFINITY, "-Inf");

  /* Random doubles round-trip. */
  for (guint i = 0; i < 10000; i++)
    {
      double value = g_test_rand_double_range (-1e6, 1e6) * pow (10, g_test_rand_int_range (-20, 20));
      GString *out = g_string_new (NULL);

      cryo_metrics_append_double (out, value);
      g_assert_null (strchr (out->str, ','));
      g_assert_cmpfloat (g_ascii_strtod (out->str, NULL), ==, value);
      g_string_free (out, TRUE);
    }
}

static void
test_quantity_families (void)
{
  double factor = 0;

  g_assert_cmpstr (cryo_metrics_quantity_family (CRYO_QUANTITY_PRESSURE, &factor), ==, "cryomon_pressure_pascals");
  g_assert_cmpfloat (factor, ==, 1);
  g_assert_cmpstr (cryo_metrics_quantity_family (CRYO_QUANTITY_TEMPERATURE, &factor), ==, "cryomon_temperature_kelvin");
  g_assert_cmpfloat (factor, ==, 1);
  g_assert_cmpstr (cryo_metrics_quantity_family (CRYO_QUANTITY_ROTATION_SPEED, &factor), ==, "cryomon_rotation_speed_hertz");
  g_assert_cmpfloat_with_epsilon (factor * 60, 1, 1e-15);
  g_assert_cmpstr (cryo_metrics_quantity_family (CRYO_QUANTITY_DURATION, &factor), ==, "cryomon_duration_seconds");
  g_assert_cmpfloat (factor, ==, 3600);

  /* Every quantity has a family, and no two share one. */
  {
    g_autoptr(GEnumClass) quantities = g_type_class_ref (CRYO_TYPE_QUANTITY);
    g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < quantities->n_values; i++)
      {
        const char *name = cryo_metrics_quantity_family (quantities->values[i].value, NULL);

        g_assert_true (g_str_has_prefix (name, "cryomon_"));
        g_assert_false (g_hash_table_contains (names, name));
        g_hash_table_add (names, (char *) name);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics/readings", test_readings);
  g_test_add_func ("/metrics/device-metrics", test_device_metrics);
  g_test_add_func ("/metrics/no-devices", test_no_devices);
  g_test_add_func ("/metrics/label-values", test_label_values);
  g_test_add_func ("/metrics/numbers", test_numbers);
  g_test_add_func ("/metrics/quantity-families", test_quantity_families);

  return g_test_run ();
}
