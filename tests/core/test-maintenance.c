/* test-maintenance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "cryo-maintenance.h"

#define SEC G_GINT64_CONSTANT (1000000)
#define HOUR (3600 * SEC)
#define DAY (24 * HOUR)
#define LEAD (14 * DAY)

/* 1 January 2027, 00:00 UTC. */
#define T0 (G_GINT64_CONSTANT (1798761600) * SEC)

/* Hourly readings over @days of a counter that gains @hours_per_day,
 * starting at @start_hours; returns the time of the last one. */
static gint64
fill_steady (GArray *samples,
             gint64  start_us,
             double  start_hours,
             double  days,
             double  hours_per_day)
{
  gint64 t = start_us;
  guint n = (guint) (days * 24);

  for (guint i = 0; i <= n; i++)
    {
      CryoSample s = { start_us + i * HOUR, start_hours + hours_per_day * i / 24.0 };

      g_array_append_val (samples, s);
      t = s.time_us;
    }

  return t;
}

static GArray *
new_samples (void)
{
  return g_array_new (FALSE, FALSE, sizeof (CryoSample));
}

static void
test_maintenance_no_data (void)
{
  CryoMaintenanceForecast f;
  CryoSample gap = { T0, NAN };

  cryo_maintenance_forecast (NULL, 0, 5000, 0, T0, LEAD, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_UNKNOWN);
  g_assert_true (isnan (f.hours_since_service));
  g_assert_true (isnan (f.hours_remaining));
  g_assert_true (isnan (f.rate_hours_per_day));
  g_assert_cmpint (f.due_time_us, ==, 0);
  g_assert_cmpfloat (f.interval_hours, ==, 5000);

  /* Only a gap is no reading either. */
  cryo_maintenance_forecast (&gap, 1, 5000, 0, T0, LEAD, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_UNKNOWN);

  g_assert_true (isnan (cryo_maintenance_usage_rate (NULL, 0, T0, CRYO_MAINTENANCE_RATE_WINDOW_US,
                                                     CRYO_MAINTENANCE_RATE_MIN_SPAN_US)));
}

static void
test_maintenance_one_reading (void)
{
  CryoMaintenanceForecast f;
  CryoSample s = { T0, 1200 };

  /* Hours since service known at once; the rate needs an hour of steps. */
  cryo_maintenance_forecast (&s, 1, 5000, 0, T0, LEAD, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_cmpfloat (f.hours_since_service, ==, 1200);
  g_assert_cmpfloat (f.hours_remaining, ==, 3800);
  g_assert_true (isnan (f.rate_hours_per_day));
  g_assert_cmpint (f.due_time_us, ==, 0);
}

static void
test_maintenance_short_history (void)
{
  CryoSample s[] = { { T0, 100 }, { T0 + 30 * 60 * SEC, 100.5 } };
  CryoMaintenanceForecast f;

  cryo_maintenance_forecast (s, G_N_ELEMENTS (s), 5000, 0, T0 + 30 * 60 * SEC, LEAD, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_true (isnan (f.rate_hours_per_day));
  g_assert_cmpint (f.due_time_us, ==, 0);
}

static void
test_maintenance_steady (void)
{
  g_autoptr(GArray) samples = new_samples ();
  CryoMaintenanceForecast f;
  gint64 now;

  /* Running round the clock for three days, 1000 h to go: due in 1000/24
   * days from the last reading. */
  now = fill_steady (samples, T0, 3928, 3, 24);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now, LEAD, &f);
  g_assert_cmpfloat_with_epsilon (f.rate_hours_per_day, 24, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.hours_since_service, 4000, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.hours_remaining, 1000, 1e-9);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_cmpint (llabs (f.due_time_us - (now + (gint64) (1000.0 / 24 * DAY))), <=, 1);

  /* Eight hours a day: a third of the rate, three times as far. */
  g_array_set_size (samples, 0);
  now = fill_steady (samples, T0, 4000 - 8 * 3, 3, 8);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now, LEAD, &f);
  g_assert_cmpfloat_with_epsilon (f.rate_hours_per_day, 8, 1e-9);
  g_assert_cmpint (llabs (f.due_time_us - (now + 125 * DAY)), <=, 1);
}

static void
test_maintenance_due_soon (void)
{
  g_autoptr(GArray) samples = new_samples ();
  CryoMaintenanceForecast f;
  gint64 now;

  /* 24 h a day with 14 days × 24 h + 1 h to go: just outside the lead time. */
  now = fill_steady (samples, T0, 5000 - 14 * 24 - 1 - 48, 2, 24);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now, LEAD, &f);
  g_assert_cmpfloat_with_epsilon (f.hours_remaining, 14 * 24 + 1, 1e-9);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);

  /* An hour later (one more reading), it is inside. */
  {
    CryoSample s = { now + HOUR, 5000 - 14 * 24 };

    g_array_append_val (samples, s);
  }
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now + HOUR, LEAD, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_DUE_SOON);
  g_assert_cmpint (llabs (f.due_time_us - (now + HOUR + LEAD)), <=, 1);

  /* A longer lead time says so earlier; a shorter one later. */
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now + HOUR, 13 * DAY, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 6000, 0, now + HOUR, 60 * DAY, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_DUE_SOON);
}

static void
test_maintenance_idle (void)
{
  g_autoptr(GArray) samples = new_samples ();
  CryoMaintenanceForecast f;
  gint64 now;

  /* The counter stands still for a week: no date, however close. */
  now = fill_steady (samples, T0, 4990, 7, 0);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now, LEAD, &f);
  g_assert_cmpfloat (f.rate_hours_per_day, ==, 0);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_cmpint (f.due_time_us, ==, 0);
  g_assert_cmpfloat_with_epsilon (f.hours_remaining, 10, 1e-9);

  /* Used a minute a year: no date centuries away either. */
  g_array_set_size (samples, 0);
  now = fill_steady (samples, T0, 10, 7, 1.0 / 60 / 365);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now, LEAD, &f);
  g_assert_cmpfloat (f.rate_hours_per_day, >, 0);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_cmpint (f.due_time_us, ==, 0);
}

static void
test_maintenance_window (void)
{
  g_autoptr(GArray) samples = new_samples ();
  gint64 now;
  double rate;

  /* Ten days at 24 h a day, then seven idle: the week's window sees idle. */
  now = fill_steady (samples, T0, 0, 10, 24);
  now = fill_steady (samples, now + HOUR, 240, 7, 0);
  rate = cryo_maintenance_usage_rate ((CryoSample *) samples->data, samples->len, now,
                                      CRYO_MAINTENANCE_RATE_WINDOW_US, CRYO_MAINTENANCE_RATE_MIN_SPAN_US);
  g_assert_cmpfloat (rate, ==, 0);

  /* Readings later than now (a clock set back) do not count. */
  rate = cryo_maintenance_usage_rate ((CryoSample *) samples->data, samples->len, T0 + 5 * DAY,
                                      CRYO_MAINTENANCE_RATE_WINDOW_US, CRYO_MAINTENANCE_RATE_MIN_SPAN_US);
  g_assert_cmpfloat_with_epsilon (rate, 24, 1e-9);
}

static void
test_maintenance_gap (void)
{
  g_autoptr(GArray) samples = new_samples ();
  CryoSample gap = { 0, NAN };
  CryoSample after;
  gint64 now;
  double rate;

  /* A day read at 12 h a day, a NaN (disconnected), then nothing for two
   * days while the part ran 12 h a day, then a reading: the step across
   * the gap counts its hours and its time. */
  now = fill_steady (samples, T0, 1000, 1, 12);
  gap.time_us = now + SEC;
  g_array_append_val (samples, gap);
  after = (CryoSample) { now + 2 * DAY, 1012 + 24 };
  g_array_append_val (samples, after);
  rate = cryo_maintenance_usage_rate ((CryoSample *) samples->data, samples->len, after.time_us,
                                      CRYO_MAINTENANCE_RATE_WINDOW_US, CRYO_MAINTENANCE_RATE_MIN_SPAN_US);
  g_assert_cmpfloat_with_epsilon (rate, 12, 1e-9);
}

static void
test_maintenance_reset (void)
{
  g_autoptr(GArray) samples = new_samples ();
  CryoMaintenanceForecast f;
  gint64 now;

  /* A tip seal at 4998 h replaced (the counter written back to 0) midway
   * through three days at 24 h a day: the step down is not usage, the rest
   * is, and the forecast starts from the new seal. */
  now = fill_steady (samples, T0, 4998 - 36, 1.5, 24);
  now = fill_steady (samples, now + HOUR, 0, 1.5, 24);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now, LEAD, &f);
  g_assert_cmpfloat_with_epsilon (f.rate_hours_per_day, 24, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.hours_since_service, 36, 1e-9);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);

  /* A counter set forward by hand (more hours than the clock allows) is
   * no usage either. */
  g_array_set_size (samples, 0);
  now = fill_steady (samples, T0, 100, 1, 6);
  now = fill_steady (samples, now + HOUR, 3000, 1, 6);
  g_assert_cmpfloat_with_epsilon (cryo_maintenance_usage_rate ((CryoSample *) samples->data, samples->len, now,
                                                               CRYO_MAINTENANCE_RATE_WINDOW_US,
                                                               CRYO_MAINTENANCE_RATE_MIN_SPAN_US),
                                  6, 1e-9);
}

static void
test_maintenance_overdue (void)
{
  g_autoptr(GArray) samples = new_samples ();
  CryoMaintenanceForecast f;
  gint64 now;

  now = fill_steady (samples, T0, 5100, 2, 24);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 5000, 0, now + HOUR, LEAD, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OVERDUE);
  g_assert_cmpfloat_with_epsilon (f.hours_remaining, -148, 1e-9);
  g_assert_cmpint (f.due_time_us, ==, now);

  /* Exactly at the interval is due, not soon. */
  {
    CryoSample s = { T0, 5000 };

    cryo_maintenance_forecast (&s, 1, 5000, 0, T0, LEAD, &f);
    g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OVERDUE);
  }
}

static void
test_maintenance_total_hours (void)
{
  g_autoptr(GArray) samples = new_samples ();
  CryoMaintenanceForecast f;
  gint64 now;

  /* A compressor at 24 700 h serviced at 20 000 h, 20 000 h interval. */
  now = fill_steady (samples, T0, 24700 - 48, 2, 24);
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 20000, 20000, now, LEAD, &f);
  g_assert_cmpfloat_with_epsilon (f.hours_since_service, 4700, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.hours_remaining, 15300, 1e-9);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OK);

  /* Never recorded: nothing to count from. */
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 20000, NAN, now, LEAD, &f);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_UNKNOWN);
  g_assert_true (isnan (f.hours_since_service));

  /* A controller replaced since the service (its counter below the
   * record): its reading is the hours since. */
  cryo_maintenance_forecast ((CryoSample *) samples->data, samples->len, 20000, 30000, now, LEAD, &f);
  g_assert_cmpfloat_with_epsilon (f.hours_since_service, 24700, 1e-9);
  g_assert_cmpint (f.status, ==, CRYO_MAINTENANCE_OVERDUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/maintenance/no-data", test_maintenance_no_data);
  g_test_add_func ("/maintenance/one-reading", test_maintenance_one_reading);
  g_test_add_func ("/maintenance/short-history", test_maintenance_short_history);
  g_test_add_func ("/maintenance/steady", test_maintenance_steady);
  g_test_add_func ("/maintenance/due-soon", test_maintenance_due_soon);
  g_test_add_func ("/maintenance/idle", test_maintenance_idle);
  g_test_add_func ("/maintenance/window", test_maintenance_window);
  g_test_add_func ("/maintenance/gap", test_maintenance_gap);
  g_test_add_func ("/maintenance/reset", test_maintenance_reset);
  g_test_add_func ("/maintenance/overdue", test_maintenance_overdue);
  g_test_add_func ("/maintenance/total-hours", test_maintenance_total_hours);

  return g_test_run ();
}
