/* test-ticks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>

#include "cryo-ticks.h"

#define SEC G_GINT64_CONSTANT (1000000)
#define MINUTE (60 * SEC)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

static guint
count_labels (GArray *ticks)
{
  guint n = 0;

  for (guint i = 0; i < ticks->len; i++)
    if (g_array_index (ticks, CryoTick, i).label != NULL)
      n++;

  return n;
}

static void
assert_ascending (GArray *ticks)
{
  for (guint i = 1; i < ticks->len; i++)
    g_assert_cmpfloat (g_array_index (ticks, CryoTick, i - 1).value, <,
                       g_array_index (ticks, CryoTick, i).value);
}

static const CryoTick *
find_tick (GArray *ticks,
           double  value)
{
  for (guint i = 0; i < ticks->len; i++)
    {
      const CryoTick *t = &g_array_index (ticks, CryoTick, i);

      if (fabs (t->value - value) <= fabs (value) * 1e-12)
        return t;
    }

  return NULL;
}

static void
test_ticks_power_of_ten (void)
{
  g_autofree char *a = cryo_ticks_format_power_of_ten (-7);
  g_autofree char *b = cryo_ticks_format_power_of_ten (3);
  g_autofree char *c = cryo_ticks_format_power_of_ten (0);
  g_autofree char *d = cryo_ticks_format_power_of_ten (-12);

  g_assert_cmpstr (a, ==, "10⁻⁷");
  g_assert_cmpstr (b, ==, "10³");
  g_assert_cmpstr (c, ==, "10⁰");
  g_assert_cmpstr (d, ==, "10⁻¹²");
}

static void
test_ticks_scientific (void)
{
  static const struct { double value; guint digits; const char *text; } cases[] = {
    { 2.9e-3, 2, "2.9 × 10⁻³" },
    { 2.94e-3, 2, "2.9 × 10⁻³" },
    { 9.96, 2, "1.0 × 10¹" },
    { 4.2, 2, "4.2" },
    { 1013.25, 3, "1.01 × 10³" },
    { -5e-7, 1, "-5 × 10⁻⁷" },
    { 0.0, 2, "0" },
    { NAN, 2, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cryo_ticks_format_scientific (cases[i].value, cases[i].digits);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_ticks_log_decades (void)
{
  g_autoptr(GArray) ticks = cryo_ticks_log (1e-3, 1e-1, 10);
  const CryoTick *t;
  guint n_major = 0, n_minor = 0;

  assert_ascending (ticks);
  for (guint i = 0; i < ticks->len; i++)
    {
      t = &g_array_index (ticks, CryoTick, i);
      if (t->major)
        {
          n_major++;
          g_assert_nonnull (t->label);
        }
      else
        {
          n_minor++;
          g_assert_null (t->label);
        }
    }
  g_assert_cmpuint (n_major, ==, 3);
  g_assert_cmpuint (n_minor, ==, 16);

  t = find_tick (ticks, 1e-3);
  g_assert_nonnull (t);
  g_assert_true (t->major);
  g_assert_cmpstr (t->label, ==, "10⁻³");
  t = find_tick (ticks, 1e-1);
  g_assert_nonnull (t);
  g_assert_cmpstr (t->label, ==, "10⁻¹");

  for (int k = 2; k <= 9; k++)
    {
      t = find_tick (ticks, k * 1e-2);
      g_assert_nonnull (t);
      g_assert_false (t->major);
    }
  g_assert_null (find_tick (ticks, 2e-1));
}

static void
test_ticks_log_crowded (void)
{
  g_autoptr(GArray) all = cryo_ticks_log (1e-8, 1e3, 12);
  g_autoptr(GArray) every2 = cryo_ticks_log (1e-8, 1e3, 6);
  g_autoptr(GArray) every5 = cryo_ticks_log (1e-8, 1e3, 3);
  g_autoptr(GArray) huge = cryo_ticks_log (1e-12, 1e12, 8);
  const CryoTick *t;

  g_assert_cmpuint (count_labels (all), ==, 12);
  g_assert_nonnull (find_tick (all, 5e-8));

  /* Every 2nd decade labelled: even exponents; minor ticks kept. */
  g_assert_cmpuint (count_labels (every2), ==, 6);
  t = find_tick (every2, 1e-6);
  g_assert_cmpstr (t->label, ==, "10⁻⁶");
  t = find_tick (every2, 1e-7);
  g_assert_true (t->major);
  g_assert_null (t->label);
  g_assert_nonnull (find_tick (every2, 3e-7));

  /* Every 5th: 10⁻⁵ and 10⁰; no minor ticks any more. */
  g_assert_cmpuint (count_labels (every5), ==, 2);
  g_assert_cmpstr (find_tick (every5, 1e-5)->label, ==, "10⁻⁵");
  g_assert_cmpstr (find_tick (every5, 1.0)->label, ==, "10⁰");
  g_assert_null (find_tick (every5, 3e-7));
  g_assert_cmpuint (every5->len, ==, 12);

  g_assert_cmpuint (count_labels (huge), ==, 5);
  g_assert_cmpstr (find_tick (huge, 1e10)->label, ==, "10¹⁰");
  g_assert_cmpstr (find_tick (huge, 1e-10)->label, ==, "10⁻¹⁰");
  assert_ascending (huge);
}

static void
test_ticks_log_small_range (void)
{
  g_autoptr(GArray) inside = cryo_ticks_log (2e-3, 7e-3, 6);
  g_autoptr(GArray) one = cryo_ticks_log (5e-4, 3e-3, 6);

  /* No decade inside: the minor ticks carry the labels. */
  g_assert_cmpuint (inside->len, ==, 6);
  g_assert_cmpstr (find_tick (inside, 2e-3)->label, ==, "2 × 10⁻³");
  g_assert_cmpstr (find_tick (inside, 7e-3)->label, ==, "7 × 10⁻³");
  g_assert_false (find_tick (inside, 5e-3)->major);

  g_assert_cmpstr (find_tick (one, 1e-3)->label, ==, "10⁻³");
  g_assert_cmpstr (find_tick (one, 5e-4)->label, ==, "5 × 10⁻⁴");
  g_assert_cmpstr (find_tick (one, 3e-3)->label, ==, "3 × 10⁻³");
  g_assert_cmpuint (one->len, ==, 8);
}

static void
test_ticks_log_bounds (void)
{
  double lo, hi;

  cryo_ticks_log_bounds (2.9e-3, 0.5, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 1e-3);
  g_assert_cmpfloat (hi, ==, 1.0);

  /* Values on a decade are kept off the frame. */
  cryo_ticks_log_bounds (1e-3, 1e-3, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 1e-4);
  g_assert_cmpfloat (hi, ==, 1e-2);

  cryo_ticks_log_bounds (1e-7, 1e5, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 1e-8);
  g_assert_cmpfloat (hi, ==, 1e6);

  cryo_ticks_log_bounds (2e-7, 1000, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 1e-7);
  g_assert_cmpfloat (hi, ==, 1e4);

  cryo_ticks_log_bounds (4.5e-9, 4.6e-9, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 1e-9);
  g_assert_cmpfloat (hi, ==, 1e-8);
}

static void
test_ticks_linear (void)
{
  g_autoptr(GArray) unit = cryo_ticks_linear (0.0, 1.0, 6);
  g_autoptr(GArray) sym = cryo_ticks_linear (-1.0, 1.0, 5);
  g_autoptr(GArray) speed = cryo_ticks_linear (0.0, 90000.0, 6);
  g_autoptr(GArray) odd = cryo_ticks_linear (0.013, 0.021, 5);

  g_assert_cmpfloat (cryo_ticks_nice_step (10.0, 6), ==, 2.0);
  g_assert_cmpfloat (cryo_ticks_nice_step (10.0, 11), ==, 1.0);
  g_assert_cmpfloat (cryo_ticks_nice_step (1.0, 5), ==, 0.5);
  g_assert_cmpfloat (cryo_ticks_nice_step (90000.0, 6), ==, 20000.0);
  g_assert_cmpfloat (cryo_ticks_nice_step (0.008, 5), ==, 0.002);
  g_assert_cmpfloat (cryo_ticks_nice_step (3e-6, 4), ==, 1e-6);

  g_assert_cmpuint (cryo_ticks_get_decimals (2.0), ==, 0);
  g_assert_cmpuint (cryo_ticks_get_decimals (0.5), ==, 1);
  g_assert_cmpuint (cryo_ticks_get_decimals (0.1), ==, 1);
  g_assert_cmpuint (cryo_ticks_get_decimals (0.05), ==, 2);
  g_assert_cmpuint (cryo_ticks_get_decimals (0.002), ==, 3);

  g_assert_cmpuint (unit->len, ==, 6);
  g_assert_cmpstr (g_array_index (unit, CryoTick, 0).label, ==, "0.0");
  g_assert_cmpstr (g_array_index (unit, CryoTick, 3).label, ==, "0.6");
  g_assert_cmpstr (g_array_index (unit, CryoTick, 5).label, ==, "1.0");

  g_assert_cmpuint (sym->len, ==, 5);
  g_assert_cmpstr (g_array_index (sym, CryoTick, 0).label, ==, "-1.0");
  g_assert_cmpstr (g_array_index (sym, CryoTick, 2).label, ==, "0.0");
  g_assert_cmpfloat (g_array_index (sym, CryoTick, 2).value, ==, 0.0);

  g_assert_cmpuint (speed->len, ==, 5);
  g_assert_cmpstr (g_array_index (speed, CryoTick, 4).label, ==, "80000");

  g_assert_cmpuint (odd->len, ==, 4);
  g_assert_cmpstr (g_array_index (odd, CryoTick, 0).label, ==, "0.014");
  g_assert_cmpstr (g_array_index (odd, CryoTick, 3).label, ==, "0.020");
  assert_ascending (odd);
}

static void
test_ticks_linear_bounds (void)
{
  double lo, hi;

  /* 0 is far below: keep the data's own range. */
  cryo_ticks_linear_bounds (81000, 82000, 6, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 81000);
  g_assert_cmpfloat (hi, ==, 82000);

  /* 0 is close: include it. */
  cryo_ticks_linear_bounds (10, 90, 6, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 100);

  cryo_ticks_linear_bounds (-90, -10, 6, &lo, &hi);
  g_assert_cmpfloat (lo, ==, -100);
  g_assert_cmpfloat (hi, ==, 0);

  cryo_ticks_linear_bounds (4.2, 4.2, 6, &lo, &hi);
  g_assert_cmpfloat (lo, <, 4.2);
  g_assert_cmpfloat (hi, >, 4.2);

  cryo_ticks_linear_bounds (0, 0, 6, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 1);

  cryo_ticks_linear_bounds (291.3, 293.7, 6, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 291.0);
  g_assert_cmpfloat (hi, ==, 294.0);
}

static void
test_ticks_time_intervals (void)
{
  static const struct { gint64 span; gint64 interval; } cases[] = {
    { 10 * SEC, 2 * SEC },
    { 30 * SEC, 10 * SEC },
    { 1 * MINUTE, 15 * SEC },
    { 10 * MINUTE, 2 * MINUTE },
    { 1 * HOUR, 15 * MINUTE },
    { 3 * HOUR, 1 * HOUR },
    { 1 * DAY, 6 * HOUR },
    { 3 * DAY, 1 * DAY },
    { 7 * DAY, 2 * DAY },
    { 30 * DAY, 7 * DAY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cryo_ticks_time_interval (cases[i].span, 6), ==, cases[i].interval);
}

static GDateTime *
local_time (GTimeZone *tz,
            gint64     time_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / SEC);

  return g_date_time_to_timezone (utc, tz);
}

/* For spans from 10 s to 30 days: at most max_ticks ticks, at least 2,
 * inside the span, ascending, every one on a local boundary of its
 * interval. */
static void
test_ticks_time_spans (void)
{
  static const gint64 spans[] = {
    10 * SEC, 45 * SEC, 2 * MINUTE, 10 * MINUTE, 40 * MINUTE, 2 * HOUR, 5 * HOUR,
    18 * HOUR, 2 * DAY, 4 * DAY, 7 * DAY, 12 * DAY, 30 * DAY,
  };
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Kolkata");
  /* 2024-11-22 14:23:45.678 UTC */
  const gint64 begin = G_GINT64_CONSTANT (1732285425678000);

  g_assert_nonnull (tz);

  for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
    {
      g_autoptr(GArray) ticks = cryo_ticks_time (begin, begin + spans[i], 7, tz);
      gint64 interval = cryo_ticks_time_interval (spans[i], 7);

      g_assert_cmpuint (ticks->len, <=, 7);
      g_assert_cmpuint (ticks->len, >=, 2);
      assert_ascending (ticks);

      for (guint j = 0; j < ticks->len; j++)
        {
          const CryoTick *t = &g_array_index (ticks, CryoTick, j);
          gint64 us = (gint64) t->value;
          g_autoptr(GDateTime) dt = local_time (tz, us);
          gint64 local_of_day;

          g_assert_cmpint (us, >=, begin);
          g_assert_cmpint (us, <=, begin + spans[i]);
          g_assert_nonnull (t->label);
          g_assert_true (t->major);
          g_assert_cmpint (us % SEC, ==, 0);

          local_of_day = (g_date_time_get_hour (dt) * 3600 + g_date_time_get_minute (dt) * 60 +
                          g_date_time_get_second (dt)) * SEC;
          if (interval < DAY)
            g_assert_cmpint (local_of_day % interval, ==, 0);
          else
            g_assert_cmpint (local_of_day, ==, 0);
          if (interval == 7 * DAY)
            g_assert_cmpint (g_date_time_get_day_of_week (dt), ==, 1);
          if (j > 0 && interval < DAY)
            g_assert_cmpint (us - (gint64) g_array_index (ticks, CryoTick, j - 1).value, ==, interval);
        }
    }
}

static void
test_ticks_time_labels (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) start = g_date_time_new (tz, 2024, 11, 22, 14, 23, 41.5);
  gint64 begin = g_date_time_to_unix (start) * SEC + g_date_time_get_microsecond (start);
  g_autoptr(GArray) secs = cryo_ticks_time (begin, begin + 10 * SEC, 6, tz);
  g_autoptr(GArray) mins = cryo_ticks_time (begin, begin + 10 * MINUTE, 6, tz);
  g_autoptr(GArray) hours = cryo_ticks_time (begin, begin + 2 * DAY, 6, tz);
  g_autoptr(GArray) days = cryo_ticks_time (begin, begin + 30 * DAY, 6, tz);

  g_assert_cmpstr (g_array_index (secs, CryoTick, 0).label, ==, "14:23:42");
  g_assert_cmpstr (g_array_index (secs, CryoTick, 1).label, ==, "14:23:44");
  g_assert_cmpstr (g_array_index (mins, CryoTick, 0).label, ==, "14:24");
  g_assert_cmpstr (g_array_index (mins, CryoTick, 1).label, ==, "14:26");
  /* 2 days at 6 tick → 12 h steps from local midnight or noon. */
  g_assert_cmpstr (g_array_index (hours, CryoTick, 0).label, ==, "Sat 00:00");
  g_assert_cmpstr (g_array_index (hours, CryoTick, 1).label, ==, "Sat 12:00");
  /* Weeks start on Monday 25 November. */
  g_assert_cmpstr (g_array_index (days, CryoTick, 0).label, ==, "25 Nov");
  g_assert_cmpstr (g_array_index (days, CryoTick, 1).label, ==, "2 Dec");
}

static void
test_ticks_time_dst (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  /* Clocks go back at 03:00 CEST on 27 October 2024. */
  g_autoptr(GDateTime) start = g_date_time_new (tz, 2024, 10, 26, 20, 0, 0);
  gint64 begin = g_date_time_to_unix (start) * SEC;
  g_autoptr(GArray) ticks = cryo_ticks_time (begin, begin + 24 * HOUR, 6, tz);
  static const char * const labels[] = { "Sun 00:00", "Sun 06:00", "Sun 12:00", "Sun 18:00" };

  g_assert_cmpuint (ticks->len, ==, G_N_ELEMENTS (labels));
  for (guint i = 0; i < ticks->len; i++)
    g_assert_cmpstr (g_array_index (ticks, CryoTick, i).label, ==, labels[i]);
  /* The night is an hour longer. */
  g_assert_cmpint ((gint64) (g_array_index (ticks, CryoTick, 1).value -
                             g_array_index (ticks, CryoTick, 0).value), ==, 7 * HOUR);
}

/* With TZ set and no zone passed, ticks align to that zone's midnight. */
static void
test_ticks_time_local_midnight (void)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) start = g_date_time_new (ny, 2024, 11, 20, 9, 30, 0);
  gint64 begin = g_date_time_to_unix (start) * SEC;
  g_autoptr(GArray) ticks = cryo_ticks_time (begin, begin + 4 * DAY, 6, NULL);

  g_assert_cmpuint (ticks->len, ==, 4);
  for (guint i = 0; i < ticks->len; i++)
    {
      g_autoptr(GDateTime) dt = local_time (ny, (gint64) g_array_index (ticks, CryoTick, i).value);

      g_assert_cmpint (g_date_time_get_hour (dt), ==, 0);
      g_assert_cmpint (g_date_time_get_minute (dt), ==, 0);
      g_assert_cmpint (g_date_time_get_day_of_month (dt), ==, 21 + (int) i);
    }
  g_assert_cmpstr (g_array_index (ticks, CryoTick, 0).label, ==, "21 Nov");
  /* 05:00 UTC, not 00:00 UTC. */
  g_assert_cmpint (((gint64) g_array_index (ticks, CryoTick, 0).value / SEC) % 86400, ==, 5 * 3600);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "America/New_York", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ticks/power-of-ten", test_ticks_power_of_ten);
  g_test_add_func ("/ticks/scientific", test_ticks_scientific);
  g_test_add_func ("/ticks/log/decades", test_ticks_log_decades);
  g_test_add_func ("/ticks/log/crowded", test_ticks_log_crowded);
  g_test_add_func ("/ticks/log/small-range", test_ticks_log_small_range);
  g_test_add_func ("/ticks/log/bounds", test_ticks_log_bounds);
  g_test_add_func ("/ticks/linear", test_ticks_linear);
  g_test_add_func ("/ticks/linear/bounds", test_ticks_linear_bounds);
  g_test_add_func ("/ticks/time/intervals", test_ticks_time_intervals);
  g_test_add_func ("/ticks/time/spans", test_ticks_time_spans);
  g_test_add_func ("/ticks/time/labels", test_ticks_time_labels);
  g_test_add_func ("/ticks/time/dst", test_ticks_time_dst);
  g_test_add_func ("/ticks/time/local-midnight", test_ticks_time_local_midnight);

  return g_test_run ();
}
