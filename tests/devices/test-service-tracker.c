/* test-service-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A device's maintenance forecasts from the readings of its counters, the
 * service record of its configuration, the preferences it is given, and
 * the maintenance warnings beside the instrument's own.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cryo-condition-set.h"
#include "cryo-device.h"
#include "cryo-event-log.h"
#include "cryo-kinds.h"
#include "cryo-session.h"
#include "../test-counters.h"

static gboolean
has_warning (CryoDevice *device,
             const char *text)
{
  return g_strv_contains (cryo_device_get_warnings (device), text);
}

static void
on_event_added_cb (CryoEventLog *log,
                   CryoEvent    *event,
                   GPtrArray    *events)
{
  g_ptr_array_add (events, g_strdup_printf ("%s|%s|%s|%s", cryo_event_get_device_name (event),
                                            cryo_event_kind_to_id (cryo_event_get_kind (event)),
                                            cryo_event_severity_to_id (cryo_event_get_severity (event)),
                                            cryo_event_get_text (event)));
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
  /* The session's condition set logs raises and clears. */
  g_autoptr(CryoConditionSet) conditions = cryo_condition_set_new (NULL);
  gulong added_id = g_signal_connect (cryo_event_log_get_default (), "event-added", G_CALLBACK (on_event_added_cb), events);
  g_signal_connect_swapped (device, "notify::warnings", G_CALLBACK (on_notify_cb), &n_notify);
  cryo_condition_set_watch_device (conditions, device);

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
  g_assert_cmpuint (count_events (events, "Compressor|alarm-raised|warning|Compressor service due within 14 days"), ==, 1);

  /* The instrument's warnings change without touching the maintenance
   * warning, which is not logged again. */
  cryo_device_set_warnings (device, NULL);
  g_assert_false (has_warning (device, "Oil pump low"));
  g_assert_true (has_warning (device, "Compressor service due within 14 days"));
  push_counter (device, "hours", 0, 24, 34700.5);
  g_assert_true (has_warning (device, "Compressor service due within 14 days"));
  g_assert_cmpuint (count_events (events, "Compressor|alarm-raised|warning|Compressor service due within 14 days"), ==, 1);

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

  cryo_condition_set_unwatch_device (conditions, device);
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

/* After a restart the session fills the channel's history from the
 * archive: the tracker takes those readings, and the rate (so the date
 * the tip seal is due) is known at once. Taking them again changes
 * nothing. */
static void
test_load_history (void)
{
  g_autoptr(CryoDevice) device = new_device ("pump-station:/dev/null,name=Station");
  CryoServiceTracker *tracker = cryo_device_get_service_tracker (device);
  CryoChannel *tip_seal = cryo_device_lookup_channel (device, "tip_seal_hours");
  gint64 now = g_get_real_time ();
  CryoMaintenanceForecast forecast, again;

  /* Three hours of the last run, running round the clock, 4900 h at the
   * end: as the archive gives them, without the device's sample signal. */
  for (int m = 180; m >= 0; m -= 10)
    g_assert_true (cryo_channel_push (tip_seal, now - (gint64) m * 60 * G_USEC_PER_SEC, 4900 - m / 60.0));
  g_assert_true (cryo_service_tracker_get_forecast (tracker, tip_seal, &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_UNKNOWN);

  cryo_service_tracker_load_history (tracker);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, tip_seal, &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_DUE_SOON);
  g_assert_cmpfloat_with_epsilon (forecast.hours_since_service, 4900, 1e-9);
  g_assert_cmpfloat_with_epsilon (forecast.rate_hours_per_day, 24, 0.01);
  /* 100 h left at 24 h a day: due in about four days and four hours. */
  g_assert_cmpint (ABS (forecast.due_time_us - (now + 100 * HOUR)), <, 60 * G_USEC_PER_SEC);
  g_assert_true (has_warning (device, "Tip seal service due within 14 days"));

  cryo_service_tracker_load_history (tracker);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, tip_seal, &again));
  g_assert_cmpfloat (again.rate_hours_per_day, ==, forecast.rate_hours_per_day);
  g_assert_cmpint (again.due_time_us, ==, forecast.due_time_us);

  /* Live readings go on from there. */
  cryo_device_push_sample (device, tip_seal, now + HOUR, 4901);
  g_assert_true (cryo_service_tracker_get_forecast (tracker, tip_seal, &forecast));
  g_assert_cmpfloat_with_epsilon (forecast.rate_hours_per_day, 24, 0.01);
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

/* The session gives devices the preferences, and "Service done" writes
 * the hours to the device's group of devices.conf, leaving the rest. */
static void
test_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryomon-service-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "devices.conf", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cryomon.Cryomon");
  g_autoptr(CryoSession) session = cryo_session_new (settings);
  g_autoptr(CryoSession) reloaded = cryo_session_new (settings);
  g_autoptr(GVariantBuilder) intervals = g_variant_builder_new (G_VARIANT_TYPE ("a{su}"));
  g_autofree char *text = NULL;
  CryoServiceTracker *tracker;
  CryoDevice *device;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path,
                                      "# the lab's compressor\n"
                                      "[Compressor]\n"
                                      "type=cpa\n"
                                      "port=tcp:192.0.2.1\n"
                                      "\n"
                                      "[Spare]\n"
                                      "type=cpa\n"
                                      "port=tcp:192.0.2.2\n", -1, NULL));
  g_variant_builder_add (intervals, "{su}", "cpa.hours", 20000);
  g_settings_set_value (settings, "service-intervals", g_variant_builder_end (intervals));
  g_settings_set_uint (settings, "service-lead-days", 21);

  cryo_session_set_config_path (session, path);
  g_assert_true (cryo_session_load (session, NULL, FALSE, &error));
  g_assert_no_error (error);
  device = cryo_session_get_entry_device (session, 0);
  tracker = cryo_device_get_service_tracker (device);
  g_assert_cmpfloat (cryo_service_tracker_get_interval (tracker, "hours"), ==, 20000);
  g_assert_cmpuint (cryo_service_tracker_get_lead_days (tracker), ==, 21);

  /* Preferences changed later reach the running devices. */
  g_settings_set_uint (settings, "service-lead-days", 10);
  g_assert_cmpuint (cryo_service_tracker_get_lead_days (tracker), ==, 10);
  g_settings_reset (settings, "service-intervals");
  g_assert_cmpfloat (cryo_service_tracker_get_interval (tracker, "hours"), ==, 30000);

  /* No reading yet: nothing to record. */
  g_assert_false (cryo_session_record_service (session, device, &error));
  g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_NOT_MONITORING);
  g_clear_error (&error);
  g_assert_true (isnan (cryo_device_get_config (device)->service_hours));

  push_counter (device, "hours", 1, 24, 34700.5);
  g_assert_true (cryo_session_record_service (session, device, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (cryo_device_get_config (device)->service_hours, ==, 34700.5);
  g_assert_cmpfloat (cryo_session_get_entry_config (session, 0)->service_hours, ==, 34700.5);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "# the lab's compressor\n[Compressor]\n"));
  g_assert_nonnull (strstr (text, "service-hours=34700.5\n"));
  g_assert_cmpint (g_strstr_len (text, -1, "service-hours=") - text, <, strstr (text, "[Spare]") - text);
  g_assert_null (strstr (strstr (text, "[Spare]"), "service-hours="));

  /* The next start counts from it. */
  cryo_session_set_config_path (reloaded, path);
  g_assert_true (cryo_session_load (reloaded, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (cryo_device_get_config (cryo_session_get_entry_device (reloaded, 0))->service_hours,
                                  34700.5, 1e-9);

  cryo_session_shutdown (session);
  cryo_session_shutdown (reloaded);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  cryo_kinds_register_all ();

  g_test_add_func ("/service-tracker/compressor", test_compressor);
  g_test_add_func ("/service-tracker/tip-seal", test_tip_seal);
  g_test_add_func ("/service-tracker/load-history", test_load_history);
  g_test_add_func ("/service-tracker/no-counters", test_no_counters);
  g_test_add_func ("/service-tracker/session", test_session);

  return g_test_run ();
}
