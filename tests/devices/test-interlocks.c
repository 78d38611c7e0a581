/* test-interlocks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <math.h>

#include "cryo-compressor.h"
#include "cryo-pump-station.h"

#include "../test-readings.h"

static const char *age_names[N_AGES] = {
  "fresh", "slightly-ahead", "at-limit", "just-over", "never", "future"
};

static gboolean
age_is_ok (Age age)
{
  return age == AGE_FRESH || age == AGE_SLIGHTLY_AHEAD || age == AGE_AT_LIMIT;
}

/* The reason a single reading is refused with, in the C locale. */
static char *
expected_fresh_reason (const char *title,
                       const char *what,
                       double      value,
                       Age         age)
{
  if (age == AGE_NEVER || isnan (value))
    return g_strdup_printf ("No %s reading yet", what);
  if (age == AGE_JUST_OVER)
    return g_strdup_printf ("%s reading is 3.1 s old — must be under 3 s", title);
  if (age == AGE_FUTURE)
    return g_strdup_printf ("%s reading is 2 s in the future — check the system clock", title);
  return NULL;
}

static void
test_representative_reasons (void)
{
  static const struct
  {
    double      status;
    double      speed;
    const char *reason;
  } cases[] = {
    { 5, 0, "Pump status is Normal — must be Stop" },
    { 1, 0, "Pump status is Waiting for interlock — must be Stop" },
    { 6, 812, "Pump status is Fail — must be Stop; Turbo at 812 rpm — must be 0" },
    { 5, 81000, "Pump status is Normal — must be Stop; Turbo at 81000 rpm — must be 0" },
    { 0, 812, "Turbo at 812 rpm — must be 0" },
    { 0, 1, "Turbo at 1 rpm — must be 0" },
    { 0, 81000, "Turbo at 81000 rpm — must be 0" },
    { 0, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CryoReading status = make_reading (cases[i].status, AGE_FRESH);
      CryoReading speed = make_reading (cases[i].speed, AGE_FRESH);
      g_autofree char *reason = NULL;
      gboolean allowed;

      allowed = cryo_pump_station_check_start (&status, &speed, NOW, MAX_AGE, &reason);
      g_assert_cmpint (allowed, ==, cases[i].reason == NULL);
      g_assert_cmpstr (reason, ==, cases[i].reason);
    }
}

/* Window 205 names (agilent-window.md "Windows used"); 7 is not a status. */
static const char * const status_names[] = {
  "Stop", "Waiting for interlock", "Starting", "Auto-tuning", "Braking", "Normal", "Fail", "Unknown",
};

static void
test_every_combination (void)
{
  static const double statuses[] = { 0, 1, 2, 3, 4, 5, 6, 7, NAN };
  static const double speeds[] = { 0, 1, 812, 81000, NAN };
  guint n_allowed = 0;

  for (guint si = 0; si < G_N_ELEMENTS (statuses); si++)
  for (guint vi = 0; vi < G_N_ELEMENTS (speeds); vi++)
  for (Age sa = 0; sa < N_AGES; sa++)
  for (Age va = 0; va < N_AGES; va++)
    {
      double status_value = statuses[si];
      double speed_value = speeds[vi];
      CryoReading status = make_reading (status_value, sa);
      CryoReading speed = make_reading (speed_value, va);
      gboolean status_fresh = age_is_ok (sa) && !isnan (status_value);
      gboolean speed_fresh = age_is_ok (va) && !isnan (speed_value);
      gboolean expect_allowed = status_fresh && speed_fresh && status_value == 0 && speed_value == 0;
      g_autofree char *reason = NULL;
      g_autofree char *expected = NULL;
      gboolean allowed;

      allowed = cryo_pump_station_check_start (&status, &speed, NOW, MAX_AGE, &reason);
      if (allowed != expect_allowed)
        g_error ("status %g (%s), speed %g (%s): allowed %d",
                 status_value, age_names[sa], speed_value, age_names[va], allowed);
      g_assert_cmpint (allowed, ==,
                       cryo_pump_station_check_start (&status, &speed, NOW, MAX_AGE, NULL));

      if (allowed)
        {
          g_assert_null (reason);
          n_allowed++;
          continue;
        }

      g_assert_nonnull (reason);

      /* Every failing check, in the documented order, joined by "; ". */
      {
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

        if (!status_fresh)
          g_ptr_array_add (parts, expected_fresh_reason ("Pump status", "pump status", status_value, sa));
        if (!speed_fresh)
          g_ptr_array_add (parts, expected_fresh_reason ("Turbo speed", "turbo speed", speed_value, va));
        if (status_fresh && status_value != 0)
          g_ptr_array_add (parts, g_strdup_printf ("Pump status is %s — must be Stop",
                                                   status_names[(guint) status_value]));
        if (speed_fresh && speed_value != 0)
          g_ptr_array_add (parts, g_strdup_printf ("Turbo at %g rpm — must be 0", speed_value));

        g_assert_cmpuint (parts->len, >, 0);
        g_ptr_array_add (parts, NULL);
        expected = g_strjoinv ("; ", (char **) parts->pdata);
        g_assert_cmpstr (reason, ==, expected);
      }
    }

  /* status 0, speed 0, both in one of the three acceptable ages */
  g_assert_cmpuint (n_allowed, ==, 3 * 3);
}

static void
test_compressor (void)
{
  static const struct
  {
    double      state;
    double      alarms;
    Age         age;
    const char *reason;
  } cases[] = {
    { CRYO_CPA_STATE_IDLE, 0, AGE_FRESH, NULL },
    { CRYO_CPA_STATE_RECOVERED, 0, AGE_AT_LIMIT, NULL },
    { 3, 0, AGE_FRESH, "Compressor is Running — must be Idle or Recovered from error" },
    { CRYO_CPA_STATE_IDLE, 1, AGE_FRESH, "Alarm active: " },
    { 3, 0, AGE_JUST_OVER, "Compressor state reading is 3.1 s old — must be under 3 s; "
                           "Alarm state reading is 3.1 s old — must be under 3 s" },
    { NAN, NAN, AGE_NEVER, "No compressor state reading yet; No alarm state reading yet" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CryoReading state = make_reading (cases[i].state, cases[i].age);
      CryoReading alarms = make_reading (cases[i].alarms, cases[i].age);
      g_autofree char *reason = NULL;
      gboolean allowed;

      allowed = cryo_compressor_check_start (&state, &alarms, NOW, MAX_AGE, &reason);
      g_assert_cmpint (allowed, ==, cases[i].reason == NULL);
      if (cases[i].reason == NULL)
        g_assert_null (reason);
      else
        g_assert_true (g_str_has_prefix (reason, cases[i].reason));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/interlocks/pump-station/representative-reasons", test_representative_reasons);
  g_test_add_func ("/interlocks/pump-station/every-combination", test_every_combination);

  g_test_add_func ("/interlocks/compressor", test_compressor);

  return g_test_run ();
}
