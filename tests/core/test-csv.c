/* test-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cryo-csv.h"
#include "cryo-history.h"

#define SEC G_GINT64_CONSTANT (1000000)

/* 2026-02-07T13:23:45.123456Z, a winter instant (CET, +01:00). */
#define T0 (G_GINT64_CONSTANT (1770470625) * SEC + 123456)

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cryo-csv-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "export.csv", NULL);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }

  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static guint
count_dir_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;

  return n;
}

/* What GDateTime says the export's time stamp for @time_us must be. */
static char *
expected_iso (gint64 time_us)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / SEC);
  g_autoptr(GDateTime) with_us = g_date_time_add (utc, time_us % SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (with_us, tz);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S.%f%:z");
}

static char **
write_and_read_lines (const char          *path,
                      const CryoCsvSeries *series,
                      guint                n_series,
                      gint64               begin_us,
                      gint64               end_us)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (cryo_csv_write (path, series, n_series, begin_us, end_us, &error));
  g_assert_no_error (error);

  contents = read_file (path);
  len = strlen (contents);
  g_assert_cmpuint (len, >, 0);
  g_assert_cmpint (contents[len - 1], ==, '\n');
  g_assert_null (strchr (contents, '\r'));
  contents[len - 1] = '\0';

  return g_strsplit (contents, "\n", -1);
}

/* Files */

static void
test_single_series (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  g_autofree char *iso0 = expected_iso (T0);
  g_autofree char *iso1 = expected_iso (T0 + 5111000);
  g_autofree char *row0 = NULL;
  g_autofree char *row1 = NULL;
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_MBAR, 3 },
  };

  g_assert_true (cryo_history_append (history, T0, 0.123456));
  g_assert_true (cryo_history_append (history, T0 + 5111000, 2e-5));

  lines = write_and_read_lines (fixture->path, series, 1, T0, T0 + 10 * SEC);

  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==, "timestamp_iso,seconds_since_start,pressure,units");
  row0 = g_strdup_printf ("%s,0.000000,0.00123,mbar", iso0);
  row1 = g_strdup_printf ("%s,5.111000,2e-07,mbar", iso1);
  g_assert_cmpstr (lines[1], ==, row0);
  g_assert_cmpstr (lines[2], ==, row1);
  g_assert_cmpstr (iso0, ==, "2026-02-07T14:23:45.123456+01:00");
}

static void
test_empty_range (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };

  g_assert_true (cryo_history_append (history, T0, 1.0));

  lines = write_and_read_lines (fixture->path, series, 1, T0 + SEC, T0 + 2 * SEC);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_cmpstr (lines[0], ==, "timestamp_iso,seconds_since_start,pressure,units");
}

static void
test_range_inclusive (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "speed", history, CRYO_UNIT_RPM, CRYO_UNIT_RPM, 5 },
  };

  for (int i = 0; i < 10; i++)
    g_assert_true (cryo_history_append (history, T0 + i * SEC, i * 1000));

  lines = write_and_read_lines (fixture->path, series, 1, T0 + 2 * SEC, T0 + 5 * SEC);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (g_str_has_suffix (lines[1], ",0.000000,2000,rpm"));
  g_assert_true (g_str_has_suffix (lines[4], ",3.000000,5000,rpm"));
}

static void
test_multi_series_merge (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CryoHistory) pressure = cryo_history_new (16);
  g_autoptr(CryoHistory) speed = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "pressure", pressure, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
    { "speed", speed, CRYO_UNIT_RPM, CRYO_UNIT_RPM, 5 },
  };
  const char *expected_tails[] = {
    ",0.000000,1e-05,Pa,,",
    ",0.500000,,,0,rpm",
    ",1.000000,2e-05,Pa,812,rpm",
    ",2.000000,,Pa,81000,rpm",
    ",3.000001,,,81000,rpm",
  };

  /* pressure at 0, 1, 2 (a gap) s; speed at 0.5, 1, 2, 3.000001 s */
  g_assert_true (cryo_history_append (pressure, T0, 1e-5));
  g_assert_true (cryo_history_append (pressure, T0 + SEC, 2e-5));
  g_assert_true (cryo_history_append (pressure, T0 + 2 * SEC, NAN));
  g_assert_true (cryo_history_append (speed, T0 + SEC / 2, 0));
  g_assert_true (cryo_history_append (speed, T0 + SEC, 812));
  g_assert_true (cryo_history_append (speed, T0 + 2 * SEC, 81000));
  g_assert_true (cryo_history_append (speed, T0 + 3 * SEC + 1, 81000));

  lines = write_and_read_lines (fixture->path, series, 2, G_MININT64, G_MAXINT64);

  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[0], ==,
                   "timestamp_iso,seconds_since_start,pressure,pressure_units,speed,speed_units");
  for (guint i = 0; i < G_N_ELEMENTS (expected_tails); i++)
    {
      g_autofree char *iso = NULL;
      gint64 t;

      switch (i)
        {
        case 0: t = T0; break;
        case 1: t = T0 + SEC / 2; break;
        case 2: t = T0 + SEC; break;
        case 3: t = T0 + 2 * SEC; break;
        default: t = T0 + 3 * SEC + 1; break;
        }
      iso = expected_iso (t);
      g_assert_true (g_str_has_prefix (lines[i + 1], iso));
      g_assert_cmpstr (lines[i + 1] + strlen (iso), ==, expected_tails[i]);
    }
}

static void
test_duplicate_times (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "current", history, CRYO_UNIT_AMPERE, CRYO_UNIT_AMPERE, 3 },
  };

  g_assert_true (cryo_history_append (history, T0, 1.0));
  g_assert_true (cryo_history_append (history, T0, 2.0));
  g_assert_true (cryo_history_append (history, T0 + SEC, 3.0));

  lines = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);

  /* One row per distinct time; the last sample at a time wins. */
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_suffix (lines[1], ",0.000000,2,A"));
  g_assert_true (g_str_has_suffix (lines[2], ",1.000000,3,A"));
}

static void
test_unit_conversion (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CryoHistory) pressure = cryo_history_new (16);
  g_autoptr(CryoHistory) temperature = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "p_mbar", pressure, CRYO_UNIT_PA, CRYO_UNIT_MBAR, 4 },
    { "p_torr", pressure, CRYO_UNIT_PA, CRYO_UNIT_TORR, 4 },
    { "p_pa", pressure, CRYO_UNIT_PA, CRYO_UNIT_PA, 4 },
    { "t", temperature, CRYO_UNIT_KELVIN, CRYO_UNIT_CELSIUS, 5 },
  };

  g_assert_true (cryo_history_append (pressure, T0, 101325.0));
  g_assert_true (cryo_history_append (pressure, T0 + SEC, 1.33322e-4));
  g_assert_true (cryo_history_append (temperature, T0, 4.2));
  g_assert_true (cryo_history_append (temperature, T0 + SEC, 293.15));

  lines = write_and_read_lines (fixture->path, series, 4, G_MININT64, G_MAXINT64);

  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==,
                   "timestamp_iso,seconds_since_start,p_mbar,p_mbar_units,p_torr,p_torr_units,"
                   "p_pa,p_pa_units,t,t_units");
  g_assert_true (g_str_has_suffix (lines[1], ",0.000000,1013,mbar,760,Torr,1.013e+05,Pa,-268.95,°C"));
  g_assert_true (g_str_has_suffix (lines[2], ",1.000000,1.333e-06,mbar,1e-06,Torr,0.0001333,Pa,20,°C"));
}

static void
test_quoted_names (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "a,b", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
    { "say \"hi\"", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };

  lines = write_and_read_lines (fixture->path, series, 2, G_MININT64, G_MAXINT64);
  g_assert_cmpstr (lines[0], ==,
                   "timestamp_iso,seconds_since_start,\"a,b\",\"a,b_units\","
                   "\"say \"\"hi\"\"\",\"say \"\"hi\"\"_units\"");
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
check_timestamps_in_zone (const char *path,
                          const char *zone)
{
  g_autoptr(CryoHistory) history = cryo_history_new (20000);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "v", history, CRYO_UNIT_NONE, CRYO_UNIT_NONE, 3 },
  };
  /* Three hours before: the 2026 European DST changes (01:00 UTC on 29 March
   * and 25 October), New Year, the day before the epoch, and Liberia's move
   * from -00:44:30 to UTC (1972-01-07 00:44:30 UTC), a change in mid-minute
   * from an offset of odd seconds. */
  static const gint64 anchors[] = {
    G_GINT64_CONSTANT (-86400 * 3),
    G_GINT64_CONSTANT (63593070) - 3 * 3600,
    G_GINT64_CONSTANT (1767225600) - 3 * 3600,
    G_GINT64_CONSTANT (1774746000) - 3 * 3600,
    G_GINT64_CONSTANT (1792890000) - 3 * 3600,
  };
  g_setenv ("TZ", zone, TRUE);

  for (guint a = 0; a < G_N_ELEMENTS (anchors); a++)
    {
      gint64 t = anchors[a] * SEC;

      /* Every ~37 s for 6 hours with random microseconds, plus the
       * seconds right at each quarter hour. */
      for (guint i = 0; i < 600; i++)
        {
          gint64 stamp = t + i * 37 * SEC + g_rand_int_range (rand, 0, 1000000);

          if (i % 25 == 0)
            stamp = (stamp / (900 * SEC)) * 900 * SEC + (i % 50 == 0 ? 0 : -1);
          g_array_append_val (times, stamp);
        }

      /* Every second for three minutes around the change. */
      for (gint64 i = -90; i <= 90; i++)
        {
          gint64 stamp = t + (3 * 3600 + i) * SEC + g_rand_int_range (rand, 0, 1000000);

          g_array_append_val (times, stamp);
        }
    }

  g_array_sort (times, compare_times);
  for (guint i = 0; i < times->len; i++)
    {
      gint64 stamp = g_array_index (times, gint64, i);

      if (i > 0 && stamp == g_array_index (times, gint64, i - 1))
        {
          g_array_remove_index (times, i--);
          continue;
        }
      g_assert_true (cryo_history_append (history, stamp, i));
    }

  lines = write_and_read_lines (path, series, 1, G_MININT64, G_MAXINT64);
  g_assert_cmpuint (g_strv_length (lines), ==, times->len + 1);

  for (guint i = 0; i < times->len; i++)
    {
      gint64 stamp = g_array_index (times, gint64, i);
      gint64 elapsed = stamp - g_array_index (times, gint64, 0);
      g_autofree char *iso = expected_iso (stamp);
      g_autofree char *prefix = g_strdup_printf ("%s,%" G_GINT64_FORMAT ".%06d,", iso,
                                                 elapsed / SEC, (int) (elapsed % SEC));

      if (!g_str_has_prefix (lines[i + 1], prefix))
        g_error ("TZ=%s: row “%s” should start with “%s”", zone, lines[i + 1], prefix);
    }
}

static void
test_timestamps (Fixture       *fixture,
                 gconstpointer  data)
{
  /* The last changes 30 s into the minute; no real zone does, but the
   * writer must not assume a minute is uniform from its first second. */
  static const char *zones[] = {
    "Europe/Berlin", "UTC", "Asia/Kolkata", "America/St_Johns", "Africa/Monrovia",
    "CET-1CEST,M3.5.0/2:00:30,M10.5.0/3:00:30",
  };
  g_autofree char *winter = NULL;
  g_autofree char *summer = NULL;
  g_autofree char *utc = NULL;
  g_autofree char *lmt = NULL;
  g_autofree char *gmt = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    check_timestamps_in_zone (fixture->path, zones[i]);

  /* And literally, so a missing zone database cannot pass unnoticed. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  winter = expected_iso (G_GINT64_CONSTANT (1774745999) * SEC + 999999);
  summer = expected_iso (G_GINT64_CONSTANT (1774746000) * SEC);
  g_assert_cmpstr (winter, ==, "2026-03-29T01:59:59.999999+01:00");
  g_assert_cmpstr (summer, ==, "2026-03-29T03:00:00.000000+02:00");

  g_setenv ("TZ", "UTC", TRUE);
  utc = expected_iso (G_GINT64_CONSTANT (1795326534) * SEC + 123456);
  g_assert_cmpstr (utc, ==, "2026-11-22T05:48:54.123456+00:00");

  g_setenv ("TZ", "Africa/Monrovia", TRUE);
  lmt = expected_iso (G_GINT64_CONSTANT (63593069) * SEC + 999999);
  gmt = expected_iso (G_GINT64_CONSTANT (63593070) * SEC);
  g_assert_cmpstr (lmt, ==, "1972-01-06T23:59:59.999999-00:44");
  g_assert_cmpstr (gmt, ==, "1972-01-07T00:44:30.000000+00:00");

  g_setenv ("TZ", "Europe/Berlin", TRUE);
}

static void
test_dst_rows (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };

  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_assert_true (cryo_history_append (history, G_GINT64_CONSTANT (1774745999) * SEC + 999999, 1));
  g_assert_true (cryo_history_append (history, G_GINT64_CONSTANT (1774746000) * SEC, 2));

  lines = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);
  g_assert_cmpstr (lines[1], ==, "2026-03-29T01:59:59.999999+01:00,0.000000,1,Pa");
  g_assert_cmpstr (lines[2], ==, "2026-03-29T03:00:00.000000+02:00,0.000001,2,Pa");
}

/* GDateTime holds years 1..9999 of the local calendar: four-digit years
 * before 1000, and an empty time stamp cell beyond. */
static void
test_calendar_limits (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) utc_lines = NULL;
  g_auto(GStrv) berlin_lines = NULL;
  /* 0800-01-01T00:00:00.25Z, 9999-12-31T22:59:59.999999Z, an hour later
   * and a further hour later (10000-01-01T00:00:00Z) */
  const gint64 times[] = {
    G_GINT64_CONSTANT (-36921657600) * SEC + 250000,
    G_GINT64_CONSTANT (253402297199) * SEC + 999999,
    G_GINT64_CONSTANT (253402300799) * SEC + 999999,
    G_GINT64_CONSTANT (253402300800) * SEC,
  };
  const char *utc_stamps[] = {
    "0800-01-01T00:00:00.250000+00:00",
    "9999-12-31T22:59:59.999999+00:00",
    "9999-12-31T23:59:59.999999+00:00",
    "",
  };
  /* Berlin kept local mean time, +00:53:28, until 1893. */
  const char *berlin_stamps[] = {
    "0800-01-01T00:53:28.250000+00:53",
    "9999-12-31T23:59:59.999999+01:00",
    "",
    "",
  };
  CryoCsvSeries series[] = {
    { "v", history, CRYO_UNIT_NONE, CRYO_UNIT_NONE, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    g_assert_true (cryo_history_append (history, times[i], i));

  g_setenv ("TZ", "UTC", TRUE);
  utc_lines = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  berlin_lines = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);

  g_assert_cmpuint (g_strv_length (utc_lines), ==, G_N_ELEMENTS (times) + 1);
  g_assert_cmpuint (g_strv_length (berlin_lines), ==, G_N_ELEMENTS (times) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 elapsed = times[i] - times[0];
      g_autofree char *utc_row = g_strdup_printf ("%s,%" G_GINT64_FORMAT ".%06d,%u,",
                                                  utc_stamps[i], elapsed / SEC,
                                                  (int) (elapsed % SEC), i);
      g_autofree char *berlin_row = g_strdup_printf ("%s,%" G_GINT64_FORMAT ".%06d,%u,",
                                                     berlin_stamps[i], elapsed / SEC,
                                                     (int) (elapsed % SEC), i);

      g_assert_cmpstr (utc_lines[i + 1], ==, utc_row);
      g_assert_cmpstr (berlin_lines[i + 1], ==, berlin_row);
    }
}

/* The whole gint64 range: seconds_since_start spans up to 2^64 - 1 µs,
 * which t - start_us in gint64 would overflow; the time stamps there are
 * outside GDateTime's years and left empty. */
static void
test_extreme_times (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "v", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };

  g_setenv ("TZ", "UTC", TRUE);
  g_assert_true (cryo_history_append (history, G_MININT64, 1));
  g_assert_true (cryo_history_append (history, G_MININT64 + 1, 2));
  g_assert_true (cryo_history_append (history, 0, 3));
  g_assert_true (cryo_history_append (history, G_MAXINT64 - 1, 4));
  g_assert_true (cryo_history_append (history, G_MAXINT64, 5));

  lines = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);

  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[1], ==, ",0.000000,1,Pa");
  g_assert_cmpstr (lines[2], ==, ",0.000001,2,Pa");
  g_assert_cmpstr (lines[3], ==, "1970-01-01T00:00:00.000000+00:00,9223372036854.775808,3,Pa");
  g_assert_cmpstr (lines[4], ==, ",18446744073709.551614,4,Pa");
  g_assert_cmpstr (lines[5], ==, ",18446744073709.551615,5,Pa");

  g_setenv ("TZ", "Europe/Berlin", TRUE);
}

static void
test_missing_folder (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "export.csv", NULL);
  g_autofree char *not_dir = g_build_filename (fixture->dir, "file", NULL);
  g_autofree char *under_file = g_build_filename (not_dir, "export.csv", NULL);
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };

  g_assert_true (cryo_history_append (history, T0, 1));

  g_assert_false (cryo_csv_write (path, series, 1, G_MININT64, G_MAXINT64, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 0);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (not_dir, "x", -1, NULL));
  g_assert_false (cryo_csv_write (under_file, series, 1, G_MININT64, G_MAXINT64, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, under_file));
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 1);
}

static void
fill_large_history (CryoHistory *history)
{
  for (int i = 0; i < 100000; i++)
    g_assert_true (cryo_history_append (history, T0 + i * SEC, 1e-3 * (i + 1)));
}

/* Exports under a file size limit that makes write(2) fail with EFBIG
 * part-way, like a full disk. */
static gboolean
write_with_size_limit (const char          *path,
                       const CryoCsvSeries *series,
                       GError             **error)
{
  struct rlimit saved, limited;
  void (*saved_handler) (int);
  gboolean ok;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 256 * 1024;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  ok = cryo_csv_write (path, series, 1, G_MININT64, G_MAXINT64, error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);

  return ok;
}

typedef struct
{
  GCancellable *cancellable;
  double        last;
  guint         calls;
  guint         cancel_after;
} Progress;

static void
progress_cb (double   fraction,
             gpointer data)
{
  Progress *progress = data;

  g_assert_cmpfloat (fraction, >=, progress->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  progress->last = fraction;
  if (++progress->calls == progress->cancel_after)
    g_cancellable_cancel (progress->cancellable);
}

/* A long export says how far it got, and a cancelled one leaves the file
 * as it was and no temporary file. */
static void
test_progress_and_cancel (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (100000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  Progress progress = { cancellable, 0.0, 0, 0 };
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_MBAR, 6 },
  };
  gint64 first, last;

  fill_large_history (history);
  g_assert_true (cryo_history_get_time_range (history, &first, &last));

  g_assert_true (cryo_csv_write_full (fixture->path, series, 1, first, last, progress_cb, &progress,
                                      cancellable, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, >=, 4);   /* 100,000 rows of ~40 bytes, 1 MiB at a time */
  g_assert_cmpfloat (progress.last, >, 0.5);

  g_assert_true (g_file_set_contents (fixture->path, "previous export\n", -1, NULL));
  progress = (Progress) { cancellable, 0.0, 0, 3 };
  g_assert_false (cryo_csv_write_full (fixture->path, series, 1, first, last, progress_cb, &progress,
                                       cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 3);
  contents = read_file (fixture->path);
  g_assert_cmpstr (contents, ==, "previous export\n");
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 1);
}

static void
test_failure_keeps_existing_file (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (100000);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_MBAR, 6 },
  };

  fill_large_history (history);
  g_assert_true (g_file_set_contents (fixture->path, "previous export\n", -1, NULL));

  g_assert_false (write_with_size_limit (fixture->path, series, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, fixture->path));
  contents = read_file (fixture->path);
  g_assert_cmpstr (contents, ==, "previous export\n");
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 1);

  /* Without the limit the same export replaces the file. */
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (cryo_csv_write (fixture->path, series, 1, G_MININT64, G_MAXINT64, &error));
  g_assert_no_error (error);
  contents = read_file (fixture->path);
  g_assert_true (g_str_has_prefix (contents, "timestamp_iso,seconds_since_start,pressure,units\n"));
  g_assert_true (g_str_has_suffix (contents, ",99999.000000,1,mbar\n"));
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 1);
}

static void
test_failure_leaves_no_new_file (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (100000);
  g_autoptr(GError) error = NULL;
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_MBAR, 6 },
  };

  fill_large_history (history);

  g_assert_false (write_with_size_limit (fixture->path, series, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 0);
}

static guint
get_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_lstat (path, &buf), ==, 0);
  return buf.st_mode & 07777;
}

/* An export replaces a file's contents, not its permissions: a private
 * file stays private, a group-readable one group-readable. */
static void
test_keeps_mode (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) again = NULL;
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };
  mode_t mask = umask (022);

  g_assert_true (cryo_history_append (history, T0, 1));

  /* A new file gets the usual mode. */
  lines = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);
  g_assert_cmpuint (get_mode (fixture->path), ==, 0644);

  g_assert_cmpint (g_chmod (fixture->path, 0600), ==, 0);
  again = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);
  g_assert_cmpstrv (again, lines);
  g_assert_cmpuint (get_mode (fixture->path), ==, 0600);

  g_assert_cmpint (g_chmod (fixture->path, 0640), ==, 0);
  g_clear_pointer (&again, g_strfreev);
  again = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);
  g_assert_cmpuint (get_mode (fixture->path), ==, 0640);
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 1);

  /* Under the umask 002 of many desktops a new export is still not
   * writable by the group. */
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  umask (002);
  g_clear_pointer (&again, g_strfreev);
  again = write_and_read_lines (fixture->path, series, 1, G_MININT64, G_MAXINT64);
  g_assert_cmpuint (get_mode (fixture->path), ==, 0644);

  umask (mask);
}

static void
assert_link (const char *link,
             const char *expected_target)
{
  g_autofree char *target = g_file_read_link (link, NULL);

  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpstr (target, ==, expected_target);
}

/* A symbolic link at the export path (a chain of them, relative or
 * absolute) is followed: the target is replaced, keeping its mode, and the
 * links stay links. A dangling link creates its target. */
static void
test_follows_symlink (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_autofree char *sub = g_build_filename (fixture->dir, "data", NULL);
  g_autofree char *target = g_build_filename (sub, "run.csv", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "latest.csv", NULL);
  g_autofree char *chain = g_build_filename (fixture->dir, "current.csv", NULL);
  g_autofree char *dangling = g_build_filename (fixture->dir, "next.csv", NULL);
  g_autofree char *dangling_target = g_build_filename (sub, "next.csv", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };

  g_assert_true (cryo_history_append (history, T0, 1));
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (target, "previous export\n", -1, NULL));
  g_assert_cmpint (g_chmod (target, 0640), ==, 0);
  g_assert_cmpint (symlink ("data/run.csv", link), ==, 0);
  g_assert_cmpint (symlink (link, chain), ==, 0);
  g_assert_cmpint (symlink ("data/next.csv", dangling), ==, 0);

  lines = write_and_read_lines (link, series, 1, G_MININT64, G_MAXINT64);
  assert_link (link, "data/run.csv");
  g_assert_cmpuint (get_mode (target), ==, 0640);
  expected = g_strjoinv ("\n", lines);
  contents = read_file (target);
  g_assert_true (g_str_has_prefix (contents, expected));

  /* g_file_set_contents() itself replaces the file, with its own mode. */
  g_assert_true (g_file_set_contents (target, "previous export\n", -1, NULL));
  g_assert_cmpint (g_chmod (target, 0640), ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = write_and_read_lines (chain, series, 1, G_MININT64, G_MAXINT64);
  assert_link (chain, link);
  assert_link (link, "data/run.csv");
  g_clear_pointer (&contents, g_free);
  contents = read_file (target);
  g_assert_true (g_str_has_prefix (contents, expected));
  g_assert_cmpuint (get_mode (target), ==, 0640);

  g_clear_pointer (&lines, g_strfreev);
  lines = write_and_read_lines (dangling, series, 1, G_MININT64, G_MAXINT64);
  assert_link (dangling, "data/next.csv");
  g_assert_true (g_file_test (dangling_target, G_FILE_TEST_IS_REGULAR));

  /* No temporary file left on either side of the links. */
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 4);
  g_assert_cmpuint (count_dir_entries (sub), ==, 2);
}

/* A failed export through a link leaves its target whole. */
static void
test_symlink_failure_keeps_target (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (100000);
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_build_filename (fixture->dir, "run.csv", NULL);
  g_autofree char *contents = NULL;
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_MBAR, 6 },
  };

  fill_large_history (history);
  g_assert_true (g_file_set_contents (target, "previous export\n", -1, NULL));
  g_assert_cmpint (symlink ("run.csv", fixture->path), ==, 0);

  g_assert_false (write_with_size_limit (fixture->path, series, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, fixture->path));
  assert_link (fixture->path, "run.csv");
  contents = read_file (target);
  g_assert_cmpstr (contents, ==, "previous export\n");
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 2);
}

/* A loop of links fails like open(2) does, naming the file. */
static void
test_symlink_loop (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_autoptr(GError) error = NULL;
  g_autofree char *other = g_build_filename (fixture->dir, "other.csv", NULL);
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };

  g_assert_true (cryo_history_append (history, T0, 1));
  g_assert_cmpint (symlink ("other.csv", fixture->path), ==, 0);
  g_assert_cmpint (symlink ("export.csv", other), ==, 0);

  g_assert_false (cryo_csv_write (fixture->path, series, 1, G_MININT64, G_MAXINT64, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS);
  g_assert_nonnull (strstr (error->message, fixture->path));
  assert_link (fixture->path, "other.csv");
  assert_link (other, "export.csv");
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 2);
}

static void
test_locale (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CryoHistory) history = cryo_history_new (16);
  g_autofree char *contents = NULL;
  g_autofree char *printf_text = NULL;
  g_autoptr(GError) error = NULL;
  const char *lc_all = g_getenv ("LC_ALL");
  CryoCsvSeries series[] = {
    { "pressure", history, CRYO_UNIT_PA, CRYO_UNIT_MBAR, 4 },
  };

  /* Under LC_ALL=de_DE.UTF-8 the locale must really be German, or the test
   * proves nothing. */
  if (lc_all != NULL && g_str_has_prefix (lc_all, "de_DE"))
    {
      g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");
      printf_text = g_strdup_printf ("%.2f", 1.25);
      g_assert_cmpstr (printf_text, ==, "1,25");
    }
  else
    {
      g_assert_cmpstr (localeconv ()->decimal_point, ==, ".");
    }

  g_assert_true (cryo_history_append (history, T0 + 250000, 123.4));
  g_assert_true (cryo_history_append (history, T0 + 1750000, 0.015));
  g_assert_true (cryo_csv_write (fixture->path, series, 1, G_MININT64, G_MAXINT64, &error));
  g_assert_no_error (error);

  contents = read_file (fixture->path);
  g_assert_cmpstr (contents, ==,
                   "timestamp_iso,seconds_since_start,pressure,units\n"
                   "2026-02-07T14:23:45.373456+01:00,0.000000,1.234,mbar\n"
                   "2026-02-07T14:23:46.873456+01:00,1.500000,0.00015,mbar\n");
}

/* Streaming */

/* Writes the samples of @series through a #CryoCsvWriter, one row per
 * distinct time as cryo_csv_write() merges them, and closes it. */
static void
stream_series (const char          *path,
               const CryoCsvSeries *series,
               guint                n_series)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoCsvWriter) writer = NULL;
  g_autofree CryoCsvColumn *columns = g_new0 (CryoCsvColumn, n_series);
  g_autofree CryoHistoryIter *iters = g_new0 (CryoHistoryIter, n_series);
  g_autofree CryoSample *heads = g_new0 (CryoSample, n_series);
  g_autofree gboolean *has_head = g_new0 (gboolean, n_series);
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (CryoCsvCell));

  for (guint i = 0; i < n_series; i++)
    {
      columns[i].name = series[i].name;
      columns[i].stored_unit = series[i].stored_unit;
      columns[i].unit = series[i].unit;
      columns[i].digits = series[i].digits;
      cryo_history_iter_init (&iters[i], series[i].history, G_MININT64, G_MAXINT64);
      has_head[i] = cryo_history_iter_next (&iters[i], &heads[i]);
    }

  writer = cryo_csv_writer_new (path, columns, n_series, &error);
  g_assert_no_error (error);
  g_assert_nonnull (writer);

  for (;;)
    {
      gint64 t = G_MAXINT64;
      gboolean any = FALSE;

      for (guint i = 0; i < n_series; i++)
        if (has_head[i] && (!any || heads[i].time_us < t))
          {
            t = heads[i].time_us;
            any = TRUE;
          }
      if (!any)
        break;

      /* Several samples of a series at one time are several cells: the
       * last must win, as in an export. */
      g_array_set_size (cells, 0);
      for (guint i = 0; i < n_series; i++)
        while (has_head[i] && heads[i].time_us == t)
          {
            CryoCsvCell cell = { i, heads[i].value };

            g_array_append_val (cells, cell);
            has_head[i] = cryo_history_iter_next (&iters[i], &heads[i]);
          }

      g_assert_true (cryo_csv_writer_add_row (writer, t, (const CryoCsvCell *) (gpointer) cells->data,
                                              cells->len, &error));
      g_assert_no_error (error);
    }

  g_assert_true (cryo_csv_writer_close (writer, &error));
  g_assert_no_error (error);
}

/* A recording reads like an export of the same samples, byte for byte:
 * header, gaps, missing cells, units, numbers, time stamps across a change
 * of the UTC offset. */
static void
test_writer_matches_export (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CryoHistory) pressure = cryo_history_new (64);
  g_autoptr(CryoHistory) temperature = cryo_history_new (64);
  g_autoptr(CryoHistory) speed = cryo_history_new (64);
  g_autofree char *streamed = g_build_filename (fixture->dir, "streamed.csv", NULL);
  g_autofree char *exported = NULL;
  g_autofree char *recorded = NULL;
  /* 2026-03-29T00:59:58Z: Berlin goes from +01:00 to +02:00 meanwhile. */
  const gint64 dst = G_GINT64_CONSTANT (1774745998) * SEC;
  CryoCsvSeries series[] = {
    { "pressure", pressure, CRYO_UNIT_PA, CRYO_UNIT_MBAR, 2 },
    { "coolant \"in\", °C", temperature, CRYO_UNIT_KELVIN, CRYO_UNIT_CELSIUS, 4 },
    { "speed", speed, CRYO_UNIT_RPM, CRYO_UNIT_RPM, 5 },
  };

  for (int i = 0; i < 6; i++)
    {
      gint64 t = dst + i * 700000;

      g_assert_true (cryo_history_append (pressure, t, i == 3 ? NAN : 1.5e-3 * (i + 1)));
      if (i % 2 == 0)
        g_assert_true (cryo_history_append (temperature, t, 294.261 + i));
      if (i == 4)
        g_assert_true (cryo_history_append (temperature, t, INFINITY));
      g_assert_true (cryo_history_append (speed, t + (i == 5 ? 1 : 0), i * 16200.0));
    }

  g_assert_true (cryo_csv_write (fixture->path, series, G_N_ELEMENTS (series),
                                 G_MININT64, G_MAXINT64, NULL));
  stream_series (streamed, series, G_N_ELEMENTS (series));

  exported = read_file (fixture->path);
  recorded = read_file (streamed);
  g_assert_nonnull (strstr (exported, "+01:00,"));
  g_assert_nonnull (strstr (exported, "+02:00,"));
  g_assert_cmpstr (recorded, ==, exported);
}

/* The file exists, with its header, from the start, and holds every row
 * that was flushed: what a crash leaves. */
static void
test_writer_grows (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoCsvWriter) writer = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *iso0 = expected_iso (T0);
  g_autofree char *iso1 = expected_iso (T0 + SEC);
  g_autofree char *expected = NULL;
  const CryoCsvColumn columns[] = {
    { "pressure", CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
    { "speed", CRYO_UNIT_RPM, CRYO_UNIT_RPM, 5 },
  };
  const CryoCsvCell first[] = { { 0, 1e-5 }, { 1, 81000 } };
  const CryoCsvCell second[] = { { 1, NAN } };
  const CryoCsvCell late[] = { { 0, 2e-5 } };

  writer = cryo_csv_writer_new (fixture->path, columns, G_N_ELEMENTS (columns), &error);
  g_assert_no_error (error);
  contents = read_file (fixture->path);
  g_assert_cmpstr (contents, ==, "timestamp_iso,seconds_since_start,pressure,pressure_units,speed,speed_units\n");
  g_clear_pointer (&contents, g_free);

  /* Rows wait in memory for the flush. */
  g_assert_true (cryo_csv_writer_add_row (writer, T0, first, G_N_ELEMENTS (first), &error));
  g_assert_true (cryo_csv_writer_add_row (writer, T0 + SEC, second, G_N_ELEMENTS (second), &error));
  contents = read_file (fixture->path);
  g_assert_cmpuint (strlen (contents), ==, strlen ("timestamp_iso,seconds_since_start,pressure,"
                                                   "pressure_units,speed,speed_units\n"));
  g_clear_pointer (&contents, g_free);

  g_assert_true (cryo_csv_writer_flush (writer, &error));
  g_assert_no_error (error);
  contents = read_file (fixture->path);
  expected = g_strdup_printf ("timestamp_iso,seconds_since_start,pressure,pressure_units,speed,speed_units\n"
                              "%s,0.000000,1e-05,Pa,81000,rpm\n"
                              "%s,1.000000,,,,rpm\n", iso0, iso1);
  g_assert_cmpstr (contents, ==, expected);
  g_clear_pointer (&contents, g_free);

  /* A row older than the first (another device's poll that came back
   * later) counts back. */
  g_assert_true (cryo_csv_writer_add_row (writer, T0 - SEC / 4, late, G_N_ELEMENTS (late), &error));
  g_assert_true (cryo_csv_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_csv_writer_close (writer, &error));
  contents = read_file (fixture->path);
  g_assert_true (g_str_has_suffix (contents, ",-0.250000,2e-05,Pa,,\n"));
}

/* A log is written in place: a new file gets 0644 whatever the umask
 * leaves, an existing one keeps its mode, a link stays a link. */
static void
test_writer_modes_and_links (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoCsvWriter) writer = NULL;
  g_autofree char *sub = g_build_filename (fixture->dir, "data", NULL);
  g_autofree char *target = g_build_filename (sub, "run.csv", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "latest.csv", NULL);
  g_autofree char *contents = NULL;
  const CryoCsvColumn columns[] = {
    { "pressure", CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };
  mode_t mask = umask (002);

  writer = cryo_csv_writer_new (fixture->path, columns, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (get_mode (fixture->path), ==, 0644);
  g_clear_pointer (&writer, cryo_csv_writer_free);

  g_assert_true (g_file_set_contents (fixture->path, "old contents, longer than a header line\n"
                                      "and a second line\n", -1, NULL));
  g_assert_cmpint (g_chmod (fixture->path, 0600), ==, 0);
  writer = cryo_csv_writer_new (fixture->path, columns, 1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&writer, cryo_csv_writer_free);
  g_assert_cmpuint (get_mode (fixture->path), ==, 0600);
  contents = read_file (fixture->path);
  g_assert_cmpstr (contents, ==, "timestamp_iso,seconds_since_start,pressure,units\n");
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (target, "previous run\n", -1, NULL));
  g_assert_cmpint (g_chmod (target, 0640), ==, 0);
  g_assert_cmpint (symlink ("data/run.csv", link), ==, 0);
  writer = cryo_csv_writer_new (link, columns, 1, &error);
  g_assert_no_error (error);
  g_assert_true (cryo_csv_writer_close (writer, &error));
  g_assert_no_error (error);
  assert_link (link, "data/run.csv");
  g_assert_cmpuint (get_mode (target), ==, 0640);
  contents = read_file (target);
  g_assert_cmpstr (contents, ==, "timestamp_iso,seconds_since_start,pressure,units\n");

  umask (mask);
}

/* A path that cannot be written fails when the writer is made, naming it. */
static void
test_writer_unwritable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "run.csv", NULL);
  const CryoCsvColumn columns[] = {
    { "pressure", CRYO_UNIT_PA, CRYO_UNIT_PA, 3 },
  };

  g_assert_null (cryo_csv_writer_new (path, columns, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  g_assert_null (cryo_csv_writer_new (fixture->dir, columns, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (error->message, fixture->dir));
  g_assert_cmpuint (count_dir_entries (fixture->dir), ==, 0);
}

/* A full disk (here a file size limit) is reported by the flush that hits
 * it, naming the file. */
static void
test_writer_write_error (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoCsvWriter) writer = NULL;
  struct rlimit saved, limited;
  void (*saved_handler) (int);
  const CryoCsvColumn columns[] = {
    { "pressure", CRYO_UNIT_PA, CRYO_UNIT_MBAR, 6 },
  };
  gboolean ok = TRUE;

  writer = cryo_csv_writer_new (fixture->path, columns, 1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 64 * 1024;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  for (int i = 0; i < 100000 && ok; i++)
    {
      CryoCsvCell cell = { 0, 1e-3 * (i + 1) };

      ok = cryo_csv_writer_add_row (writer, T0 + i * SEC, &cell, 1, &error) &&
           cryo_csv_writer_flush (writer, &error);
    }

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);

  g_assert_false (ok);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything looks at the time zone. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  setlocale (LC_ALL, "");

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/csv/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("single-series", test_single_series);
  ADD ("empty-range", test_empty_range);
  ADD ("range-inclusive", test_range_inclusive);
  ADD ("multi-series-merge", test_multi_series_merge);
  ADD ("duplicate-times", test_duplicate_times);
  ADD ("unit-conversion", test_unit_conversion);
  ADD ("quoted-names", test_quoted_names);
  ADD ("timestamps", test_timestamps);
  ADD ("dst-rows", test_dst_rows);
  ADD ("calendar-limits", test_calendar_limits);
  ADD ("extreme-times", test_extreme_times);
  ADD ("missing-folder", test_missing_folder);
  ADD ("failure-keeps-existing-file", test_failure_keeps_existing_file);
  ADD ("progress-and-cancel", test_progress_and_cancel);
  ADD ("failure-leaves-no-new-file", test_failure_leaves_no_new_file);
  ADD ("keeps-mode", test_keeps_mode);
  ADD ("follows-symlink", test_follows_symlink);
  ADD ("symlink-failure-keeps-target", test_symlink_failure_keeps_target);
  ADD ("symlink-loop", test_symlink_loop);
  ADD ("locale", test_locale);
  ADD ("writer-matches-export", test_writer_matches_export);
  ADD ("writer-grows", test_writer_grows);
  ADD ("writer-modes-and-links", test_writer_modes_and_links);
  ADD ("writer-unwritable", test_writer_unwritable);
  ADD ("writer-write-error", test_writer_write_error);

#undef ADD

  return g_test_run ();
}
