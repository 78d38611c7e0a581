/* test-conditions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cryo-condition-set.h"
#include "cryo-event-log.h"
#include "cryo-kinds.h"
#include "cryo-session.h"

typedef struct
{
  char         *dir;
  char         *state_path;
  CryoEventLog *log;
  GPtrArray    *events;    /* CryoEvent, as logged */
} Fixture;

static void
on_event_added_cb (CryoEventLog *log,
                   CryoEvent    *event,
                   Fixture      *fixture)
{
  g_ptr_array_add (fixture->events, g_object_ref (event));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *log_path = NULL;

  fixture->dir = g_dir_make_tmp ("cryomon-conditions-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->state_path = g_build_filename (fixture->dir, "conditions.ini", NULL);
  log_path = g_build_filename (fixture->dir, "events.log", NULL);
  fixture->log = cryo_event_log_new (log_path);
  cryo_event_log_set_default (fixture->log);
  fixture->events = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (fixture->log, "event-added", G_CALLBACK (on_event_added_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *log_path = g_build_filename (fixture->dir, "events.log", NULL);
  g_autofree char *history = g_build_filename (fixture->dir, "history.sqlite", NULL);

  g_signal_handlers_disconnect_by_data (fixture->log, fixture);
  cryo_event_log_set_default (NULL);
  g_clear_object (&fixture->log);
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
  g_remove (fixture->state_path);
  g_remove (log_path);
  g_remove (history);
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->state_path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

static CryoEvent *
event_at (Fixture *fixture,
          guint    i)
{
  g_assert_cmpuint (i, <, fixture->events->len);
  return g_ptr_array_index (fixture->events, i);
}

static void
on_raised_cb (CryoConditionSet *set,
              CryoCondition    *condition,
              guint            *n_raised)
{
  (*n_raised)++;
}

/* A raise is logged once however often it is raised while active; a clear
 * is logged and removes it; raised again, it is new again. */
static void
test_raise_clear (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(CryoConditionSet) set = cryo_condition_set_new (NULL);
  GListModel *conditions = cryo_condition_set_get_conditions (set);
  CryoCondition *condition, *again;
  guint n_raised = 0;

  g_signal_connect (set, "raised", G_CALLBACK (on_raised_cb), &n_raised);

  condition = cryo_condition_set_raise (set, "pump", "Pump", "alarm:Turbo overheated",
                                        CRYO_EVENT_SEVERITY_ALARM, "Turbo overheated", 1000);
  g_assert_nonnull (condition);
  g_assert_true (cryo_condition_get_active (condition));
  g_assert_false (cryo_condition_get_acknowledged (condition));
  g_assert_cmpint (cryo_condition_get_raised_us (condition), ==, 1000);
  g_assert_cmpuint (n_raised, ==, 1);
  g_assert_cmpuint (fixture->events->len, ==, 1);
  g_assert_cmpint (cryo_event_get_kind (event_at (fixture, 0)), ==, CRYO_EVENT_KIND_ALARM_RAISED);
  g_assert_cmpint (cryo_event_get_severity (event_at (fixture, 0)), ==, CRYO_EVENT_SEVERITY_ALARM);
  g_assert_cmpstr (cryo_event_get_device_id (event_at (fixture, 0)), ==, "pump");
  g_assert_cmpstr (cryo_event_get_device_name (event_at (fixture, 0)), ==, "Pump");
  g_assert_cmpstr (cryo_event_get_text (event_at (fixture, 0)), ==, "Turbo overheated");
  g_assert_cmpint (cryo_event_get_time_us (event_at (fixture, 0)), ==, 1000);

  again = cryo_condition_set_raise (set, "pump", "Pump", "alarm:Turbo overheated",
                                    CRYO_EVENT_SEVERITY_ALARM, "Turbo overheated", 2000);
  g_assert_true (again == condition);
  g_assert_cmpint (cryo_condition_get_raised_us (again), ==, 1000);
  g_assert_cmpuint (n_raised, ==, 1);
  g_assert_cmpuint (fixture->events->len, ==, 1);

  /* The same key on another device is another condition. */
  cryo_condition_set_raise (set, "cpa", "Compressor", "alarm:Turbo overheated",
                            CRYO_EVENT_SEVERITY_ALARM, "Turbo overheated", 2000);
  g_assert_cmpuint (n_raised, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (conditions), ==, 2);
  g_assert_cmpuint (cryo_condition_set_count_unacknowledged (set, "pump"), ==, 1);

  g_object_ref (condition);
  g_assert_true (cryo_condition_set_clear (set, "pump", "alarm:Turbo overheated", 3000));
  g_assert_false (cryo_condition_get_active (condition));
  g_assert_cmpint (cryo_condition_get_cleared_us (condition), ==, 3000);
  g_clear_object (&condition);
  g_assert_null (cryo_condition_set_lookup (set, "pump", "alarm:Turbo overheated"));
  g_assert_cmpuint (g_list_model_get_n_items (conditions), ==, 1);
  g_assert_cmpuint (fixture->events->len, ==, 3);
  g_assert_cmpint (cryo_event_get_kind (event_at (fixture, 2)), ==, CRYO_EVENT_KIND_ALARM_CLEARED);
  g_assert_cmpint (cryo_event_get_time_us (event_at (fixture, 2)), ==, 3000);
  g_assert_cmpuint (cryo_condition_set_count_unacknowledged (set, "pump"), ==, 0);

  /* Clearing what is not active does nothing. */
  g_assert_false (cryo_condition_set_clear (set, "pump", "alarm:Turbo overheated", 4000));
  g_assert_cmpuint (fixture->events->len, ==, 3);

  cryo_condition_set_raise (set, "pump", "Pump", "alarm:Turbo overheated",
                            CRYO_EVENT_SEVERITY_ALARM, "Turbo overheated", 5000);
  g_assert_cmpuint (n_raised, ==, 3);
  g_assert_cmpuint (fixture->events->len, ==, 4);
}

/* Acknowledge records the login name and the time, in the condition and
 * in the log, once. */
static void
test_acknowledge (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(CryoConditionSet) set = cryo_condition_set_new (NULL);
  CryoCondition *condition;
  gint64 before_us = g_get_real_time ();
  CryoEvent *event;

  condition = cryo_condition_set_raise (set, "pump", "Pump", "connection", CRYO_EVENT_SEVERITY_ERROR,
                                        "No connection for more than 30 seconds", before_us);
  cryo_condition_set_raise (set, "pump", "Pump", "stale", CRYO_EVENT_SEVERITY_WARNING,
                            "No readings for more than 60 seconds", before_us);
  g_assert_cmpuint (cryo_condition_set_count_unacknowledged (set, "pump"), ==, 2);

  cryo_condition_set_acknowledge (set, condition, g_get_user_name ());
  g_assert_true (cryo_condition_get_acknowledged (condition));
  g_assert_cmpstr (cryo_condition_get_acknowledged_by (condition), ==, g_get_user_name ());
  g_assert_cmpint (cryo_condition_get_acknowledged_us (condition), >=, before_us);
  g_assert_cmpint (cryo_condition_get_acknowledged_us (condition), <=, g_get_real_time ());
  g_assert_cmpuint (cryo_condition_set_count_unacknowledged (set, "pump"), ==, 1);

  g_assert_cmpuint (fixture->events->len, ==, 3);
  event = event_at (fixture, 2);
  g_assert_cmpint (cryo_event_get_kind (event), ==, CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED);
  g_assert_cmpstr (cryo_event_get_user (event), ==, g_get_user_name ());
  g_assert_cmpstr (cryo_event_get_device_id (event), ==, "pump");
  g_assert_cmpstr (cryo_event_get_text (event), ==, "No connection for more than 30 seconds");
  g_assert_cmpint (cryo_event_get_time_us (event), ==, cryo_condition_get_acknowledged_us (condition));

  /* Once is enough; another user does not take it over. */
  cryo_condition_set_acknowledge (set, condition, "someone-else");
  g_assert_cmpstr (cryo_condition_get_acknowledged_by (condition), ==, g_get_user_name ());
  g_assert_cmpuint (fixture->events->len, ==, 3);

  /* The rest of the device's at once. */
  g_assert_cmpuint (cryo_condition_set_acknowledge_device (set, "pump", "operator"), ==, 1);
  g_assert_cmpuint (cryo_condition_set_count_unacknowledged (set, "pump"), ==, 0);
  g_assert_cmpuint (fixture->events->len, ==, 4);
  g_assert_cmpstr (cryo_event_get_user (event_at (fixture, 3)), ==, "operator");
  g_assert_cmpuint (cryo_condition_set_acknowledge_device (set, "pump", "operator"), ==, 0);
  g_assert_cmpuint (fixture->events->len, ==, 4);

  /* The log file has the user in its line. */
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (cryo_event_log_get_path (fixture->log), &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "alarm-acknowledged"));
    g_assert_nonnull (strstr (contents, "\toperator\t"));
  }
}

/* The conditions still active at the end of a run are active at the start
 * of the next, with their raise time and acknowledgement, and raising them
 * again is neither logged nor announced. */
static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CryoConditionSet) first = cryo_condition_set_new (fixture->state_path);
  g_autoptr(CryoConditionSet) second = NULL;
  g_autoptr(GError) error = NULL;
  CryoCondition *condition;
  guint n_raised = 0;

  g_assert_cmpuint (g_list_model_get_n_items (cryo_condition_set_get_conditions (first)), ==, 0);
  condition = cryo_condition_set_raise (first, "pump", "Pump\tstation\n", "alarm:Turbo overheated",
                                        CRYO_EVENT_SEVERITY_ALARM, "Turbo overheated", 1000);
  cryo_condition_set_acknowledge (first, condition, "operator");
  cryo_condition_set_raise (first, "cpa", "Compressor", "threshold:helium_temperature",
                            CRYO_EVENT_SEVERITY_ALARM, "Helium above 40 °C", 2000);
  cryo_condition_set_raise (first, "cpa", "Compressor", "stale", CRYO_EVENT_SEVERITY_WARNING,
                            "No readings", 2500);
  cryo_condition_set_clear (first, "cpa", "stale", 2600);
  cryo_condition_set_shutdown (first);
  g_assert_cmpuint (fixture->events->len, ==, 5);

  second = cryo_condition_set_new (fixture->state_path);
  g_signal_connect (second, "raised", G_CALLBACK (on_raised_cb), &n_raised);
  g_assert_cmpuint (g_list_model_get_n_items (cryo_condition_set_get_conditions (second)), ==, 2);

  condition = cryo_condition_set_lookup (second, "pump", "alarm:Turbo overheated");
  g_assert_nonnull (condition);
  g_assert_cmpstr (cryo_condition_get_device_name (condition), ==, "Pump\tstation\n");
  g_assert_cmpint (cryo_condition_get_severity (condition), ==, CRYO_EVENT_SEVERITY_ALARM);
  g_assert_cmpstr (cryo_condition_get_text (condition), ==, "Turbo overheated");
  g_assert_cmpint (cryo_condition_get_raised_us (condition), ==, 1000);
  g_assert_cmpstr (cryo_condition_get_acknowledged_by (condition), ==, "operator");
  g_assert_cmpint (cryo_condition_get_acknowledged_us (condition), >, 0);

  condition = cryo_condition_set_lookup (second, "cpa", "threshold:helium_temperature");
  g_assert_nonnull (condition);
  g_assert_cmpstr (cryo_condition_get_text (condition), ==, "Helium above 40 °C");
  g_assert_false (cryo_condition_get_acknowledged (condition));
  g_assert_null (cryo_condition_set_lookup (second, "cpa", "stale"));

  /* Still active after the restart: not new. */
  cryo_condition_set_raise (second, "pump", "Pump", "alarm:Turbo overheated",
                            CRYO_EVENT_SEVERITY_ALARM, "Turbo overheated", 9000);
  cryo_condition_set_raise (second, "cpa", "Compressor", "threshold:helium_temperature",
                            CRYO_EVENT_SEVERITY_ALARM, "Helium above 40 °C", 9000);
  g_assert_cmpuint (n_raised, ==, 0);
  g_assert_cmpuint (fixture->events->len, ==, 5);

  /* But it clears as any other, and the file follows. */
  g_assert_true (cryo_condition_set_clear (second, "cpa", "threshold:helium_temperature", 9500));
  g_assert_cmpuint (fixture->events->len, ==, 6);
  g_assert_true (cryo_condition_set_save (second, &error));
  g_assert_no_error (error);
  g_clear_object (&second);

  second = cryo_condition_set_new (fixture->state_path);
  g_assert_cmpuint (g_list_model_get_n_items (cryo_condition_set_get_conditions (second)), ==, 1);
}

/* A damaged state file is an empty or partial set, not a failure. */
static void
test_damaged_state (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CryoConditionSet) set = NULL;
  g_autoptr(GError) error = NULL;
  static const char text[] =
    "[condition 0]\n"
    "device=pump\nkey=connection\nseverity=error\ntext=No connection\nraised-us=5\n"
    "[condition 1]\n"
    "device=pump\nkey=stale\nseverity=catastrophic\ntext=x\nraised-us=5\n"
    "[condition 2]\n"
    "device=pump\nseverity=alarm\ntext=x\nraised-us=5\n"
    "[condition 3]\n"
    "device=pump\nkey=connection\nseverity=alarm\ntext=twice\nraised-us=5\n";

  g_assert_true (g_file_set_contents (fixture->state_path, "\x01garbage[", -1, &error));
  set = cryo_condition_set_new (fixture->state_path);
  g_assert_cmpuint (g_list_model_get_n_items (cryo_condition_set_get_conditions (set)), ==, 0);
  g_clear_object (&set);

  g_assert_true (g_file_set_contents (fixture->state_path, text, -1, &error));
  set = cryo_condition_set_new (fixture->state_path);
  g_assert_cmpuint (g_list_model_get_n_items (cryo_condition_set_get_conditions (set)), ==, 1);
  g_assert_cmpstr (cryo_condition_get_text (cryo_condition_set_lookup (set, "pump", "connection")),
                   ==, "No connection");
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_until_condition (CryoConditionSet *set,
                         const char       *device_id,
                         const char       *key,
                         gboolean          active)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (!timed_out && (cryo_condition_set_lookup (set, device_id, key) != NULL) != active)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (source);
}

static CryoDevice *
find_device_with_channel (CryoSession *session,
                          const char  *key)
{
  GListModel *devices = cryo_session_get_devices (session);

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, i);

      if (cryo_device_lookup_channel (device, key) != NULL)
        return device;
    }

  g_assert_not_reached ();
}

static guint
find_entry (CryoSession *session,
            CryoDevice  *device)
{
  for (guint i = 0; i < cryo_session_get_n_entries (session); i++)
    if (cryo_session_get_entry_device (session, i) == device)
      return i;

  g_assert_not_reached ();
}

/* Sets one threshold in the device's configuration, as the dialog does. */
static void
replace_threshold (CryoSession *session,
                   CryoDevice  *device,
                   const char  *channel,
                   const char  *threshold)
{
  guint position = find_entry (session, device);
  g_autoptr(CryoDeviceConfig) config = cryo_device_config_copy (cryo_session_get_entry_config (session, position));
  g_autoptr(GError) error = NULL;

  g_assert_true (cryo_device_config_set_threshold (config, channel, threshold, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_session_replace (session, position, config, &error));
  g_assert_no_error (error);
  /* A threshold is no reason to reconnect. */
  g_assert_true (cryo_session_get_entry_device (session, position) == device);
}

/* A session's devices raise their threshold conditions from their samples;
 * a changed threshold keeps an active condition without a new raise, one
 * the value no longer crosses clears it. After a restart the condition is
 * still active (not raised anew) until the configuration, which no longer
 * has the threshold, clears it. */
static void
test_session_threshold (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CryoSession) session = cryo_session_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *history = g_build_filename (fixture->dir, "history.sqlite", NULL);
  g_autofree char *id = NULL;
  CryoConditionSet *set;
  CryoThresholdSpec spec;
  CryoDevice *device;
  CryoEvent *last;
  guint n_raised = 0;
  guint n_events;

  g_assert_true (cryo_session_open_history (session, history, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_session_load (session, NULL, TRUE, &error));
  g_assert_no_error (error);
  set = cryo_session_get_conditions (session);
  g_signal_connect (set, "raised", G_CALLBACK (on_raised_cb), &n_raised);
  device = find_device_with_channel (session, "helium_temperature");
  id = g_strdup (cryo_device_get_id (device));

  /* Unknown channels and units that do not fit are refused. */
  g_assert_true (cryo_threshold_spec_parse ("above 1 mbar", &spec, NULL));
  g_assert_false (cryo_condition_set_set_threshold (set, device, "helium_temperature", &spec, &error));
  g_assert_error (error, CRYO_THRESHOLD_ERROR, CRYO_THRESHOLD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cryo_threshold_spec_parse ("above 1 K", &spec, NULL));
  g_assert_false (cryo_condition_set_set_threshold (set, device, "no_such_channel", &spec, &error));
  g_assert_error (error, CRYO_THRESHOLD_ERROR, CRYO_THRESHOLD_ERROR_INVALID);
  g_clear_error (&error);

  /* Helium in a running compressor is far above 1 K. */
  replace_threshold (session, device, "helium_temperature", "above 1 K");
  cryo_session_set_monitoring (session, TRUE);
  iterate_until_condition (set, id, "threshold:helium_temperature", TRUE);
  g_assert_cmpuint (n_raised, ==, 1);
  g_assert_cmpstr (cryo_condition_get_text (cryo_condition_set_lookup (set, id, "threshold:helium_temperature")),
                   ==, "Helium above 1 K");

  /* A new threshold that the value still crosses does not raise again;
   * one it does not cross clears it at the next sample. */
  replace_threshold (session, device, "helium_temperature", "above 2 K");
  replace_threshold (session, device, "helium_temperature", "above 10000 K");
  iterate_until_condition (set, id, "threshold:helium_temperature", FALSE);
  g_assert_cmpuint (n_raised, ==, 1);

  replace_threshold (session, device, "helium_temperature", "above 1 K");
  iterate_until_condition (set, id, "threshold:helium_temperature", TRUE);
  g_assert_cmpuint (n_raised, ==, 2);

  /* A restart: still active, not new; the demo's configuration has no
   * threshold, so loading it clears the condition, once. */
  cryo_session_shutdown (session);
  g_clear_object (&session);
  n_raised = 0;
  session = cryo_session_new (NULL);
  g_assert_true (cryo_session_open_history (session, history, &error));
  g_assert_no_error (error);
  set = cryo_session_get_conditions (session);
  g_signal_connect (set, "raised", G_CALLBACK (on_raised_cb), &n_raised);
  g_assert_nonnull (cryo_condition_set_lookup (set, id, "threshold:helium_temperature"));
  n_events = fixture->events->len;
  g_assert_true (cryo_session_load (session, NULL, TRUE, &error));
  g_assert_no_error (error);
  g_assert_null (cryo_condition_set_lookup (set, id, "threshold:helium_temperature"));
  g_assert_cmpuint (n_raised, ==, 0);
  g_assert_cmpuint (fixture->events->len, ==, n_events + 1);
  last = event_at (fixture, n_events);
  g_assert_cmpint (cryo_event_get_kind (last), ==, CRYO_EVENT_KIND_ALARM_CLEARED);
  g_assert_cmpstr (cryo_event_get_text (last), ==, "Helium above 1 K");

  cryo_session_shutdown (session);
}

/* Thresholds in a device's configuration: `threshold.CHANNEL=` in a
 * --device string and devices.conf, checked against the kind's channels and
 * their units, written back in one form. */
static void
test_config_thresholds (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const invalid[] = {
    "cpa:tcp:127.0.0.1:1,threshold.no_such_reading=above 1 K",
    "cpa:tcp:127.0.0.1:1,threshold.helium_temperature=above 1 mbar",
    "cpa:tcp:127.0.0.1:1,threshold.helium_temperature=above 1",
    "cpa:tcp:127.0.0.1:1,threshold.helium_temperature=over 1 K",
  };
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(CryoDeviceConfig) again = NULL;
  g_autoptr(CryoDeviceConfig) from_file = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *value = NULL;

  config = cryo_device_config_parse ("cpa:tcp:127.0.0.1:1,name=Compressor,"
                                     "threshold.helium_temperature=above 40 degC for 0.5 min hysteresis 2 K",
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cryo_device_config_get_threshold (config, "helium_temperature"), ==,
                   "above 40 °C for 30 s hysteresis 2 °C");
  g_assert_null (cryo_device_config_get_threshold (config, "helium"));
  g_assert_null (cryo_device_config_get_threshold (config, "helium_temp"));

  spec = cryo_device_config_to_spec (config);
  again = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  g_assert_true (cryo_device_config_equal (config, again));

  cryo_device_config_to_keyfile (config, keyfile, "Compressor");
  value = g_key_file_get_string (keyfile, "Compressor", "threshold.helium_temperature", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "above 40 °C for 30 s hysteresis 2 °C");
  from_file = cryo_device_config_from_keyfile (keyfile, "Compressor", &error);
  g_assert_no_error (error);
  g_assert_true (cryo_device_config_equal (config, from_file));

  /* Removed, it is no longer equal, then equal again without. */
  g_assert_true (cryo_device_config_set_threshold (again, "helium_temperature", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (again->thresholds);
  g_assert_false (cryo_device_config_equal (config, again));
  g_assert_true (cryo_device_config_set_threshold (config, "helium_temperature", NULL, &error));
  g_assert_true (cryo_device_config_equal (config, again));

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(CryoDeviceConfig) bad = cryo_device_config_parse (invalid[i], &error);

      g_test_message ("%s", invalid[i]);
      g_assert_null (bad);
      g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG);
      g_clear_error (&error);
    }
}

/* An unconfirmed action has nothing that would clear it but a confirmed
 * run: acknowledging it clears it too. Raised once however often the
 * device reports it. */
static void
test_unconfirmed_acknowledge (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(CryoSession) session = cryo_session_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *history = g_build_filename (fixture->dir, "history.sqlite", NULL);
  g_autofree char *key = NULL;
  GListModel *devices;
  CryoConditionSet *set;
  CryoCondition *condition;
  CryoDevice *device = NULL;
  const char *action = NULL;
  guint n_raised = 0;
  guint n_events;

  g_assert_true (cryo_session_open_history (session, history, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_session_load (session, NULL, TRUE, &error));
  g_assert_no_error (error);
  set = cryo_session_get_conditions (session);
  g_signal_connect (set, "raised", G_CALLBACK (on_raised_cb), &n_raised);

  devices = cryo_session_get_devices (session);
  for (guint i = 0; device == NULL && i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(CryoDevice) item = g_list_model_get_item (devices, i);

      if (cryo_device_get_actions (item)[0].name != NULL)
        {
          device = item;
          action = cryo_device_get_actions (item)[0].name;
        }
    }
  g_assert_nonnull (device);
  key = g_strconcat ("action:", action, NULL);

  n_events = fixture->events->len;
  g_signal_emit_by_name (device, "action-finished", action, CRYO_ACTION_OUTCOME_UNCONFIRMED, "not confirmed");
  g_signal_emit_by_name (device, "action-finished", action, CRYO_ACTION_OUTCOME_UNCONFIRMED, "not confirmed");
  condition = cryo_condition_set_lookup (set, cryo_device_get_id (device), key);
  g_assert_nonnull (condition);
  g_assert_cmpint (cryo_condition_get_severity (condition), ==, CRYO_EVENT_SEVERITY_ERROR);
  g_assert_cmpuint (n_raised, ==, 1);
  g_assert_cmpuint (fixture->events->len, ==, n_events + 1);

  /* Refused or failed says nothing of the unconfirmed run. */
  g_signal_emit_by_name (device, "action-finished", action, CRYO_ACTION_OUTCOME_FAILED, "failed");
  g_assert_nonnull (cryo_condition_set_lookup (set, cryo_device_get_id (device), key));

  cryo_condition_set_acknowledge (set, condition, "jdoe");
  g_assert_null (cryo_condition_set_lookup (set, cryo_device_get_id (device), key));
  g_assert_cmpuint (fixture->events->len, ==, n_events + 3);
  g_assert_cmpint (cryo_event_get_kind (event_at (fixture, n_events + 1)), ==, CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED);
  g_assert_cmpstr (cryo_event_get_user (event_at (fixture, n_events + 1)), ==, "jdoe");
  g_assert_cmpint (cryo_event_get_kind (event_at (fixture, n_events + 2)), ==, CRYO_EVENT_KIND_ALARM_CLEARED);

  cryo_session_shutdown (session);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  cryo_kinds_register_all ();

  g_test_add ("/conditions/unconfirmed-acknowledge", Fixture, NULL, fixture_set_up, test_unconfirmed_acknowledge,
              fixture_tear_down);
  g_test_add ("/conditions/raise-clear", Fixture, NULL, fixture_set_up, test_raise_clear, fixture_tear_down);
  g_test_add ("/conditions/acknowledge", Fixture, NULL, fixture_set_up, test_acknowledge, fixture_tear_down);
  g_test_add ("/conditions/restart", Fixture, NULL, fixture_set_up, test_restart, fixture_tear_down);
  g_test_add ("/conditions/damaged-state", Fixture, NULL, fixture_set_up, test_damaged_state, fixture_tear_down);
  g_test_add ("/conditions/config-thresholds", Fixture, NULL, fixture_set_up, test_config_thresholds,
              fixture_tear_down);
  g_test_add ("/conditions/session-threshold", Fixture, NULL, fixture_set_up, test_session_threshold,
              fixture_tear_down);

  return g_test_run ();
}
