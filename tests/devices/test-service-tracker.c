/* test-service-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A device's maintenance forecasts from the readings of its counters, the
 * service record of its configuration, the preferences it is given, and
 * the maintenance warnings beside the instrument's own.
 */

#include "config.h"

#include <math.h>

#include "cryo-device.h"
#include "cryo-event-log.h"
#include "cryo-kinds.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define DAY (24 * HOUR)

static CryoDevice *
new_device (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoDeviceConfig) config = cryo_device_config_parse (spec, &error);
  CryoDevice *device;

  g_assert_no_error (error);
  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);

  return device;
}

/* Hourly readings of @key over the last @days, gaining @hours_per_day and
 * ending at @end_hours now. */
static void
push_counter (CryoDevice *device,
              const char *key,
              double      days,
              double      hours_per_day,
              double      end_hours)
{
  CryoChannel *channel = cryo_device_lookup_channel (device, key);
  gint64 now = g_get_real_time ();
  guint n = (guint) (days * 24);

  g_assert_nonnull (channel);
  for (guint i = 0; i <= n; i++)
    cryo_device_push_sample (device, channel, now - (gint64) (n - i) * HOUR,
                             end_hours - hours_per_day * (n - i) / 24.0);
}

static gboolean
has_warning (CryoDevice *device,
             const char *text)
{
  return g_strv_contains (cryo_device_get_warnings (device), text);
}

static void
on_event_added_cb (CryoEventLog *log,
                   const char   *device,
                   const char   *kind,
                   const char   *result,
                   GPtrArray    *events)
{
  g_ptr_array_add (events, g_strdup_printf ("%s|%s|%s", device, kind, result));
}

static void
on_notify_cb (guint *n_notify)
{
  (*n_notify)++;
}

static guint
count_events (GPtrArray  *events,
              const char *event)
{
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    n += g_str_equal (g_ptr_array_index (events, i), event);

  return n;
}

/* A compressor counts total hours: nothing is forecast until a service is
 * recorded, then from it; due soon raises a warning beside the
 * instrument's own, and the preferences move it. */
static void
test_compressor (void)
{
  g_autoptr(CryoDevice) device = new_device ("cpa:tcp:192.0.2.1,name=Compressor");
  CryoServiceTracker *tracker = cryo_device_get_service_tracker (device);
  CryoChannel *hours = cryo_device_lookup_channel (device, "hours");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  const char *instrument[] = { "Oil pump low", NULL };
  CryoMaintenanceForecast forecast;
  guint n_notify = 0;
  gulong added_id = g_signal_connect (cryo_event_log_get_default (), "added", G_CALLBACK (on_event_added_cb), events);
  g_signal_connect_swapped (device, "notify::warnings", G_CALLBACK (on_notify_cb), &n_notify);

  g_assert_cmpuint (cryo_service_tracker_get_n_counters (tracker), ==, 1);
  g_assert_true (cryo_service_tracker_get_counter (tracker, 0) == hours);
  g_assert_cmpfloat (cryo_service_tracker_get_interval (tracker, "hours"), ==, 30000);
  g_assert_cmpuint (cryo_service_tracker_get_lead_days (tracker), ==, 14);
  g_assert_false (cryo_service_tracker_get_forecast (tracker, cryo_device_lookup_channel (device, "oil_temperature"),
                                                     &forecast));

  /* Three days round the clock, no service on record. */
  push_counter (device, "hours", 3, 24, 34700);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, hours, &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_UNKNOWN);
  g_assert_cmpuint (g_strv_length ((char **) cryo_device_get_warnings (device)), ==, 0);

  cryo_device_set_warnings (device, instrument);
  g_assert_true (has_warning (device, "Oil pump low"));

  /* Serviced 10 days × 24 h before the interval ends: due in 10 days. */
  cryo_device_set_service_hours (device, 34700 - 30000 + 240);
  g_assert_cmpfloat (cryo_device_get_config (device)->service_hours, ==, 34700 - 30000 + 240);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, hours, &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_DUE_SOON);
  g_assert_cmpfloat_with_epsilon (forecast.hours_remaining, 240, 1e-6);
  g_assert_cmpfloat_with_epsilon (forecast.rate_hours_per_day, 24, 1e-6);
  g_assert_cmpint (llabs (forecast.due_time_us - (g_get_real_time () + 10 * DAY)), <, HOUR);
  g_assert_true (has_warning (device, "Compressor service due within 14 days"));
  g_assert_true (has_warning (device, "Oil pump low"));
  g_assert_cmpuint (count_events (events, "Compressor|warning|Compressor service due within 14 days"), ==, 1);

  /* The instrument's warnings change without touching the maintenance
   * warning, which is not logged again. */
  cryo_device_set_warnings (device, NULL);
  g_assert_false (has_warning (device, "Oil pump low"));
  g_assert_true (has_warning (device, "Compressor service due within 14 days"));
  push_counter (device, "hours", 0, 24, 34700.5);
  g_assert_true (has_warning (device, "Compressor service due within 14 days"));
  g_assert_cmpuint (count_events (events, "Compressor|warning|Compressor service due within 14 days"), ==, 1);

  /* A shorter lead time, then a longer interval, lift it. */
  cryo_service_tracker_set_lead_days (tracker, 7);
  g_assert_cmpuint (g_strv_length ((char **) cryo_device_get_warnings (device)), ==, 0);
  cryo_service_tracker_set_lead_days (tracker, 30);
  g_assert_true (has_warning (device, "Compressor service due within 30 days"));
  cryo_service_tracker_set_lead_days (tracker, 14);
  cryo_service_tracker_set_interval (tracker, "hours", 40000);
  g_assert_cmpuint (g_strv_length ((char **) cryo_device_get_warnings (device)), ==, 0);

  /* A service done now: nothing due for years. */
  cryo_device_set_service_hours (device, 34700.5);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, hours, &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_cmpfloat_with_epsilon (forecast.hours_since_service, 0, 1e-9);
  g_assert_cmpuint (g_strv_length ((char **) cryo_device_get_warnings (device)), ==, 0);
  g_assert_cmpuint (n_notify, >, 0);

  g_signal_handler_disconnect (cryo_event_log_get_default (), added_id);
}

/* A tip seal counts hours since its service: past its interval it is
 * overdue at once, without waiting for a rate. */
static void
test_tip_seal (void)
{
  g_autoptr(CryoDevice) device = new_device ("pump-station:/dev/null,name=Station");
  CryoServiceTracker *tracker = cryo_device_get_service_tracker (device);
  CryoChannel *tip_seal = cryo_device_lookup_channel (device, "tip_seal_hours");
  CryoMaintenanceForecast forecast;

  g_assert_cmpuint (cryo_service_tracker_get_n_counters (tracker), ==, 1);
  cryo_device_push_sample (device, tip_seal, g_get_real_time (), 4990);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, tip_seal, &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_true (isnan (forecast.rate_hours_per_day));

  cryo_device_push_sample (device, tip_seal, g_get_real_time () + 1, 5001);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, tip_seal, &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_OVERDUE);
  g_assert_true (has_warning (device, "Tip seal service overdue"));

  /* A gap (disconnected) keeps the last reading's forecast. */
  cryo_device_push_sample (device, tip_seal, g_get_real_time () + 2, NAN);
  g_assert_true (has_warning (device, "Tip seal service overdue"));

  /* The seal replaced: the counter written back to 0. */
  cryo_device_push_sample (device, tip_seal, g_get_real_time () + 3, 0);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, tip_seal, &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_cmpuint (g_strv_length ((char **) cryo_device_get_warnings (device)), ==, 0);
}

/* Kinds without counters have no forecasts and never a maintenance warning. */
static void
test_no_counters (void)
{
  g_autoptr(CryoDevice) device = new_device ("incubator:/dev/null");
  CryoServiceTracker *tracker = cryo_device_get_service_tracker (device);

  g_assert_cmpuint (cryo_service_tracker_get_n_counters (tracker), ==, 0);
  cryo_service_tracker_update (tracker);
  g_assert_cmpuint (g_strv_length ((char **) cryo_device_get_warnings (device)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  cryo_kinds_register_all ();

  g_test_add_func ("/service-tracker/compressor", test_compressor);
  g_test_add_func ("/service-tracker/tip-seal", test_tip_seal);
  g_test_add_func ("/service-tracker/no-counters", test_no_counters);

  return g_test_run ();
}
