/* test-incubator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incubator device against its simulator over a pseudo-terminal,
 * through the real serial transport and the link's stream mode: readings,
 * corrupted lines counted and skipped, set points confirmed by the status
 * lines (each line's exact text in the simulator's command log), the
 * not-accepted path, refusals with nothing on the wire, a long change
 * split into valid lines, confirmations, alarms, staleness, and the
 * command line's exit codes against cryomon-sim.
 */

#define G_LOG_DOMAIN "test-incubator"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cryo-condition-set.h"
#include "cryo-event-log.h"
#include "cryo-incubator.h"
#include "cryo-sim-incuvers-server.h"
#include "test-device-util.h"

/* How long an action may take, its confirmation included. */
#define ACTION_TIMEOUT_MS (CRYO_INCUBATOR_CONFIRM_TIMEOUT_MS + 5000)

/* Status lines every 100 ms keep the tests short. */
#define INTERVAL_MS 100

typedef struct
{
  CryoSimServer *server;
  CryoDevice    *device;
} Fixture;

static void
start (Fixture                      *f,
       const CryoSimIncuversOptions *options)
{
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  f->server = cryo_sim_incuvers_server_new (options);
  g_assert_true (cryo_sim_server_start_pty (f->server, NULL, &error));
  g_assert_no_error (error);

  config = cryo_device_config_new (&cryo_incubator_kind, cryo_sim_server_get_path (f->server));
  config->poll_interval_ms = INTERVAL_MS;
  f->device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  g_assert_true (CRYO_IS_INCUBATOR (f->device));

  cryo_device_set_monitoring (f->device, TRUE);
  g_assert_true (wait_for (is_online, f->device, 5000));
}

static void
start_default (Fixture *f)
{
  CryoSimIncuversOptions options = CRYO_SIM_INCUVERS_OPTIONS_INIT;

  options.setup.interval_ms = INTERVAL_MS;
  start (f, &options);
}

static void
stop (Fixture *f)
{
  cryo_device_set_monitoring (f->device, FALSE);
  g_clear_object (&f->device);
  cryo_sim_server_stop (f->server);
  g_clear_object (&f->server);
}

static double
reading (Fixture    *f,
         const char *key)
{
  return cryo_channel_get_reading (cryo_device_lookup_channel (f->device, key)).value;
}

/* A state reading in the words the panel shows. */
static void
assert_words (Fixture    *f,
              const char *key,
              const char *words)
{
  CryoChannel *channel = cryo_device_lookup_channel (f->device, key);
  g_autofree char *text = cryo_device_dup_value_text (f->device, channel,
                                                      cryo_channel_get_reading (channel).value);

  g_assert_cmpstr (text, ==, words);
}

static char **
dup_log (CryoSimServer *server)
{
  return cryo_sim_server_dup_command_log (server);
}

/* The command log line of a command line: the line without "\r\n", then
 * what became of each key. */
static char *
log_line (const char *payload,
          const char *outcome)
{
  g_autofree char *line = cryo_incuvers_frame_command (payload, NULL);

  g_assert_nonnull (line);
  g_strchomp (line);
  return g_strdup_printf ("%s %s", line, outcome);
}

static void
test_readings (void)
{
  Fixture f = { 0 };
  const CryoIncuversStatus *s;
  g_autofree char *state = NULL;
  CryoLink *link;

  start_default (&f);
  s = cryo_incubator_get_status (CRYO_INCUBATOR (f.device));
  g_assert_nonnull (s);
  g_assert_cmpstr (s->firmware, ==, "v1.12 (06)");

  /* temperatures in K (the display unit converts), gases in % */
  g_assert_cmpfloat_with_epsilon (reading (&f, "chamber_temperature"), 36.5 + 273.15, 0.5);
  g_assert_cmpfloat (reading (&f, "door_temperature"), >, reading (&f, "chamber_temperature"));
  g_assert_cmpfloat_with_epsilon (reading (&f, "temperature_setpoint"), 37.0 + 273.15, 1e-9);
  g_assert_cmpfloat_with_epsilon (reading (&f, "co2"), 5.0, 0.1);
  g_assert_cmpfloat_with_epsilon (reading (&f, "co2_setpoint"), 5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (reading (&f, "o2_setpoint"), 20.0, 1e-9);
  /* no O2 sensor: a gap, not a number */
  g_assert_true (isnan (reading (&f, "o2")));
  g_assert_cmpfloat (reading (&f, "heat_mode"), ==, 1);
  g_assert_cmpfloat (reading (&f, "co2_mode"), ==, 2);
  g_assert_cmpfloat (reading (&f, "o2_mode"), ==, 0);
  g_assert_cmpfloat (reading (&f, "fan_mode"), ==, 4);
  g_assert_cmpfloat (reading (&f, "chamber_heater"), >=, 1);
  g_assert_cmpfloat (reading (&f, "heat_alarm"), ==, 0);
  g_assert_cmpfloat (reading (&f, "co2_alarm"), ==, 0);

  state = cryo_device_dup_state_text (f.device);
  g_assert_cmpstr (state, ==, "Heating on");
  assert_words (&f, "heat_mode", "on");
  assert_words (&f, "co2_mode", "maintain");
  assert_words (&f, "o2_mode", "off (no sensor)");
  assert_words (&f, "fan_mode", "always on");
  assert_words (&f, "light_mode", "off");
  assert_words (&f, "door_heater", "heating");
  g_assert_null (cryo_device_get_alarms (f.device)[0]);
  g_assert_null (cryo_device_get_warnings (f.device)[0]);

  /* a clean line: everything valid */
  link = cryo_device_get_link (f.device);
  g_assert_true (cryo_link_is_stream (link));
  g_assert_cmpuint (cryo_link_get_n_messages (link), >, 0);
  stop (&f);
}

static gboolean
has_dropped_and_valid (gpointer data)
{
  CryoLink *link = cryo_device_get_link (data);

  return cryo_link_get_n_decode_errors (link) >= 3 && cryo_link_get_n_messages (link) >= 30;
}

static gboolean
chamber_is_sane (Fixture *f)
{
  const CryoIncuversStatus *s = cryo_incubator_get_status (CRYO_INCUBATOR (f->device));

  return s->chamber_temperature > 3000 && s->chamber_temperature < 4000
         && s->temperature_setpoint == 3700 && s->fan_mode == 4;
}

static void
on_sample_cb (CryoDevice  *device,
              CryoChannel *channel,
              gint64       time_us,
              double       value,
              gpointer     user_data)
{
  guint *n_bad = user_data;

  /* No corrupted line may reach the readings. */
  if (g_str_has_suffix (cryo_channel_get_id (channel), ".temperature_setpoint") && value != 37.0 + 273.15)
    (*n_bad)++;
}

static void
test_corrupted_lines (void)
{
  Fixture f = { 0 };
  CryoSimIncuversOptions options = CRYO_SIM_INCUVERS_OPTIONS_INIT;
  g_autofree char *counts = NULL;
  CryoLink *link;
  guint n_bad = 0;
  guint quality;

  options.setup.interval_ms = INTERVAL_MS;
  options.server.corrupt = 0.3;
  start (&f, &options);
  g_signal_connect (f.device, "sample", G_CALLBACK (on_sample_cb), &n_bad);

  g_assert_true (wait_for (has_dropped_and_valid, f.device, 30000));
  g_assert_cmpuint (n_bad, ==, 0);
  g_assert_true (chamber_is_sane (&f));

  /* the counts and the share, as the panel and headless show them */
  link = cryo_device_get_link (f.device);
  quality = cryo_link_get_quality (link);
  counts = cryo_link_dup_quality_text (link);
  g_test_message ("link %u %%: %s", quality, counts);
  g_assert_cmpuint (quality, <, 100);
  g_assert_cmpuint (quality, >, 20);
  g_assert_nonnull (strstr (counts, "valid"));
  g_assert_nonnull (strstr (counts, "dropped"));
  g_signal_handlers_disconnect_by_func (f.device, on_sample_cb, &n_bad);
  stop (&f);
}

static void
test_set_points_confirmed (void)
{
  Fixture f = { 0 };
  CryoSimIncuversOptions options = CRYO_SIM_INCUVERS_OPTIONS_INIT;
  const double temperature[] = { 37.5 };
  const double co2[] = { 6.25 };
  const double o2[] = { 18 };
  const double modes[] = { -1, 1, 2, 3 };
  ActionResult action;
  g_auto(GStrv) log = NULL;
  g_autofree char *tp = log_line ("TP|3750", "TP=applied");
  g_autofree char *cp = log_line ("CP|625", "CP=applied");
  g_autofree char *op = log_line ("OP|1800", "OP=applied");
  g_autofree char *modes_line = log_line ("CM|1&OM|2&FM|3", "CM=applied OM=applied FM=applied");
  g_autofree char *save = log_line ("SS|1", "SS=applied");

  options.setup.interval_ms = INTERVAL_MS;
  options.setup.o2_sensor = TRUE;
  start (&f, &options);

  /* the spec's vector */
  g_assert_cmpstr (tp, ==, "7~e3516923$TP|3750 TP=applied");

  run_action_full (f.device, "set-temperature", temperature, ACTION_TIMEOUT_MS, &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_cmpfloat (cryo_sim_incuvers_server_get_setpoint_c (f.server), ==, 37.5);
  /* confirmed by the status line, not by the write */
  g_assert_cmpfloat_with_epsilon (reading (&f, "temperature_setpoint"), 37.5 + 273.15, 1e-9);
  g_assert_false (cryo_incubator_is_pending (CRYO_INCUBATOR (f.device)));

  run_action_full (f.device, "set-co2", co2, ACTION_TIMEOUT_MS, &action);
  g_assert_no_error (action.error);
  g_assert_cmpfloat_with_epsilon (reading (&f, "co2_setpoint"), 6.25, 1e-9);

  run_action_full (f.device, "set-o2", o2, ACTION_TIMEOUT_MS, &action);
  g_assert_no_error (action.error);
  g_assert_cmpfloat_with_epsilon (reading (&f, "o2_setpoint"), 18.0, 1e-9);

  run_action_full (f.device, "set-mode", modes, ACTION_TIMEOUT_MS, &action);
  g_assert_no_error (action.error);
  g_assert_cmpint (cryo_sim_incuvers_server_get_mode (f.server, "TM"), ==, 1);
  g_assert_cmpint (cryo_sim_incuvers_server_get_mode (f.server, "CM"), ==, 1);
  g_assert_cmpint (cryo_sim_incuvers_server_get_mode (f.server, "OM"), ==, 2);
  g_assert_cmpint (cryo_sim_incuvers_server_get_mode (f.server, "FM"), ==, 3);

  run_action_full (f.device, "save-settings", NULL, ACTION_TIMEOUT_MS, &action);
  g_assert_no_error (action.error);
  g_assert_cmpuint (cryo_sim_incuvers_server_get_n_saves (f.server), ==, 1);

  /* exactly these lines reached the controller, each accepted */
  log = dup_log (f.server);
  g_assert_cmpuint (g_strv_length (log), ==, 5);
  g_assert_cmpstr (log[0], ==, tp);
  g_assert_cmpstr (log[1], ==, cp);
  g_assert_cmpstr (log[2], ==, op);
  g_assert_cmpstr (log[3], ==, modes_line);
  g_assert_cmpstr (log[4], ==, save);
  stop (&f);
}

typedef struct
{
  GPtrArray *results;
  guint      n_conditions;   /* raised and cleared events */
} Events;

static void
on_event_added_cb (CryoEventLog *log,
                   CryoEvent    *event,
                   gpointer      user_data)
{
  Events *events = user_data;

  /* What the operator asked, and its outcome, name who asked; a condition
   * that Cryomon raises or clears names nobody. */
  if (cryo_event_kind_is_by_user (cryo_event_get_kind (event)))
    g_assert_cmpstr (cryo_event_get_user (event), ==, g_get_user_name ());
  else
    g_assert_cmpstr (cryo_event_get_user (event), ==, "");
  if (cryo_event_get_kind (event) == CRYO_EVENT_KIND_ALARM_RAISED ||
      cryo_event_get_kind (event) == CRYO_EVENT_KIND_ALARM_CLEARED)
    events->n_conditions++;

  if (cryo_event_get_kind (event) == CRYO_EVENT_KIND_ACTION_RESULT)
    g_ptr_array_add (events->results, g_strdup (cryo_event_get_text (event)));
}

static void
on_condition_raised_cb (CryoConditionSet *set,
                        CryoCondition    *condition,
                        guint            *n_raised)
{
  (*n_raised)++;
}

static gboolean
is_pending (gpointer device)
{
  return cryo_incubator_is_pending (device);
}

static void
test_not_accepted (void)
{
  Fixture f = { 0 };
  const double temperature[] = { 37.5 };
  ActionResult action = { 0 };
  g_autofree char *ignored = log_line ("TP|3750", "TP=ignored");
  g_autofree char *state = NULL;
  Events events = { g_ptr_array_new_with_free_func (g_free) };
  gulong id;
  gint64 start_us;

  g_autoptr(CryoConditionSet) conditions = cryo_condition_set_new (NULL);
  CryoCondition *condition;
  guint n_raised = 0;

  start_default (&f);
  cryo_condition_set_watch_device (conditions, f.device);
  g_signal_connect (conditions, "raised", G_CALLBACK (on_condition_raised_cb), &n_raised);
  cryo_sim_incuvers_server_set_ignored (f.server, "TP", TRUE);
  id = g_signal_connect (cryo_event_log_get_default (), "event-added", G_CALLBACK (on_event_added_cb), &events);

  start_us = g_get_monotonic_time ();
  cryo_device_run_action_async (f.device, "set-temperature", temperature, NULL, action_result_cb, &action);

  /* pending, and said so, until the time is up */
  g_assert_true (wait_for (is_pending, f.device, 1000));
  state = cryo_device_dup_state_text (f.device);
  g_assert_true (g_str_has_prefix (state, "Confirming temperature set point 37"));

  g_assert_true (wait_for (action_result_done, &action, CRYO_INCUBATOR_CONFIRM_TIMEOUT_MS + 5000));
  g_assert_cmpint (g_get_monotonic_time () - start_us, >=, CRYO_INCUBATOR_CONFIRM_TIMEOUT_MS * 1000);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED);
  g_assert_nonnull (strstr (action.error->message, "Not accepted by the incubator"));
  g_assert_false (action.ok);
  g_clear_error (&action.error);
  g_assert_false (cryo_incubator_is_pending (CRYO_INCUBATOR (f.device)));

  /* the line did reach it, and the event log says it was not accepted */
  {
    g_auto(GStrv) log = dup_log (f.server);

    g_assert_cmpuint (g_strv_length (log), ==, 1);
    g_assert_cmpstr (log[0], ==, ignored);
  }
  g_assert_cmpuint (events.results->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (events.results, 0), "Not accepted by the incubator"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (events.results, 0), "set-temperature"));

  /* Not confirmed is a condition of its own, an error, raised and logged
   * once... */
  condition = cryo_condition_set_lookup (conditions, cryo_device_get_id (f.device), "action:set-temperature");
  g_assert_nonnull (condition);
  g_assert_cmpint (cryo_condition_get_severity (condition), ==, CRYO_EVENT_SEVERITY_ERROR);
  g_assert_nonnull (strstr (cryo_condition_get_text (condition), "not confirmed by the instrument"));
  g_assert_cmpuint (n_raised, ==, 1);
  g_assert_cmpuint (events.n_conditions, ==, 1);

  /* ...that a later confirmed run of the same action clears. */
  cryo_sim_incuvers_server_set_ignored (f.server, "TP", FALSE);
  run_action_full (f.device, "set-temperature", temperature, ACTION_TIMEOUT_MS, &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_null (cryo_condition_set_lookup (conditions, cryo_device_get_id (f.device), "action:set-temperature"));
  g_assert_cmpuint (n_raised, ==, 1);
  g_assert_cmpuint (events.n_conditions, ==, 2);

  cryo_condition_set_unwatch_device (conditions, f.device);
  g_signal_handler_disconnect (cryo_event_log_get_default (), id);
  g_ptr_array_unref (events.results);
  stop (&f);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ActionResult *action = user_data;

  action->ok = cryo_incubator_apply_finish (CRYO_INCUBATOR (object), result, &action->error);
  action->done = TRUE;
}

static void
test_refused (void)
{
  Fixture f = { 0 };
  const struct { const char *action; double params[4]; } cases[] = {
    { "set-temperature", { 75 } }, { "set-temperature", { 5 } }, { "set-temperature", { 80 } },
    { "set-co2", { 25 } }, { "set-co2", { 0.1 } }, { "set-o2", { 21 } }, { "set-o2", { 0 } },
    { "set-mode", { 2, -1, -1, -1 } }, { "set-mode", { -1, 3, -1, -1 } }, { "set-mode", { -1, -1, -1, 5 } },
  };
  const CryoIncuversSetting beyond[] = { { "CP", 500 }, { "TP", 7500 } };
  ActionResult action;

  start_default (&f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      run_action_full (f.device, cases[i].action, cases[i].params, ACTION_TIMEOUT_MS, &action);
      g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
      g_clear_error (&action.error);
    }

  /* past the action table, the codec's own check: nothing is encoded */
  memset (&action, 0, sizeof action);
  cryo_incubator_apply_async (CRYO_INCUBATOR (f.device), beyond, G_N_ELEMENTS (beyond), NULL, apply_cb, &action);
  g_assert_true (wait_for (action_result_done, &action, 5000));
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
  g_clear_error (&action.error);

  /* no modes given: nothing to do */
  {
    const double none[] = { -1, -1, -1, -1 };

    run_action_full (f.device, "set-mode", none, ACTION_TIMEOUT_MS, &action);
    g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER);
    g_clear_error (&action.error);
  }

  /* nothing reached the wire */
  g_assert_cmpuint (command_log_length (f.server), ==, 0);
  stop (&f);
}

static void
test_long_change (void)
{
  Fixture f = { 0 };
  const CryoIncuversSetting settings[] = {
    { "TP", 3650 }, { "CP", 550 }, { "FM", 2 },
    { "ID", 0, "CRYOMON-INCUBATOR-7" }, { "IP4", 0, "192.168.100.200" },
  };
  g_autoptr(GPtrArray) lines = cryo_incuvers_encode_command (settings, G_N_ELEMENTS (settings), NULL);
  g_auto(GStrv) log = NULL;
  ActionResult action = { 0 };

  /* more than a line holds */
  g_assert_cmpuint (lines->len, >=, 2);

  start_default (&f);
  cryo_incubator_apply_async (CRYO_INCUBATOR (f.device), settings, G_N_ELEMENTS (settings), NULL,
                              apply_cb, &action);
  g_assert_true (wait_for (action_result_done, &action, CRYO_INCUBATOR_CONFIRM_TIMEOUT_MS + 5000));
  g_assert_no_error (action.error);
  g_assert_true (action.ok);

  /* each line reached the controller whole, passed its Len/CRC rule and
   * was applied; the status lines show the result */
  log = dup_log (f.server);
  g_assert_cmpuint (g_strv_length (log), ==, lines->len);
  for (guint i = 0; i < lines->len; i++)
    {
      g_autofree char *line = g_strdup (g_ptr_array_index (lines, i));

      g_strchomp (line);
      g_test_message ("%s", log[i]);
      g_assert_true (g_str_has_prefix (log[i], line));
      g_assert_null (strstr (log[i], "rejected"));
      g_assert_null (strstr (log[i], "ignored"));
      g_assert_nonnull (strstr (log[i], "=applied"));
    }
  g_assert_cmpfloat (cryo_sim_incuvers_server_get_setpoint_c (f.server), ==, 36.5);
  g_assert_cmpint (cryo_sim_incuvers_server_get_mode (f.server, "FM"), ==, 2);
  g_assert_cmpstr (cryo_incubator_get_status (CRYO_INCUBATOR (f.device))->id, ==, "CRYOMON-INCUBATOR-7");
  g_assert_cmpfloat_with_epsilon (reading (&f, "co2_setpoint"), 5.5, 1e-9);
  stop (&f);
}

static void
test_confirmations (void)
{
  Fixture f = { 0 };
  CryoSimIncuversOptions options = CRYO_SIM_INCUVERS_OPTIONS_INIT;
  const double heat_off[] = { 0, -1, -1, -1 };
  const double co2_read[] = { -1, 1, -1, -1 };
  const double o2_maintain[] = { -1, -1, 2, -1 };
  const double fan[] = { -1, -1, -1, 3 };
  const double heat_on[] = { 1, -1, -1, -1 };
  const double temperature[] = { 37.5 };
  g_autofree char *text = NULL;

  options.setup.interval_ms = INTERVAL_MS;
  start (&f, &options);

  /* maintenance switched off */
  text = cryo_device_dup_confirmation (f.device, "set-mode", heat_off);
  g_assert_nonnull (strstr (text, "Heating stops"));
  g_clear_pointer (&text, g_free);
  text = cryo_device_dup_confirmation (f.device, "set-mode", co2_read);
  g_assert_nonnull (strstr (text, "CO₂ is no longer maintained"));
  g_clear_pointer (&text, g_free);

  /* maintain on a gas without its sensor: the seed's warning */
  text = cryo_device_dup_confirmation (f.device, "set-mode", o2_maintain);
  g_assert_nonnull (strstr (text, "no O₂ sensor"));
  g_assert_nonnull (strstr (text, "turns the unit off"));
  g_clear_pointer (&text, g_free);

  /* nothing maintained stops: no question */
  g_assert_null (cryo_device_dup_confirmation (f.device, "set-mode", fan));
  g_assert_null (cryo_device_dup_confirmation (f.device, "set-mode", heat_on));
  g_assert_null (cryo_device_dup_confirmation (f.device, "set-temperature", temperature));
  /* the action table's own */
  text = cryo_device_dup_confirmation (f.device, "save-settings", NULL);
  g_assert_nonnull (strstr (text, "survive a restart"));
  stop (&f);
}

static gboolean
has_heat_alarm (gpointer data)
{
  const char * const *alarms = cryo_device_get_alarms (data);

  return alarms[0] != NULL && strstr (alarms[0], "Heat alarm") != NULL;
}

static gboolean
heat_went_off (gpointer data)
{
  const CryoIncuversStatus *s = cryo_incubator_get_status (data);
  const char * const *alarms = cryo_device_get_alarms (data);

  return s->heat_mode == 0 && alarms[0] != NULL && strstr (alarms[0], "CO₂ alarm") != NULL;
}

static void
test_alarms (void)
{
  Fixture f = { 0 };
  CryoSimIncuversOptions options = CRYO_SIM_INCUVERS_OPTIONS_INIT;

  /* a set point the heater cannot reach: the heat alarm after 600 s of
   * model time */
  options.setup.interval_ms = INTERVAL_MS;
  options.setup.temperature_setpoint_c = 70.0;
  options.server.speed = 300;
  start (&f, &options);
  g_assert_true (wait_for (has_heat_alarm, f.device, 15000));
  g_assert_cmpfloat (reading (&f, "heat_alarm"), ==, 1);
  stop (&f);

  /* CO2 maintained without a sensor: warned at once, then the alarm turns
   * the unit's heating off */
  options = (CryoSimIncuversOptions) CRYO_SIM_INCUVERS_OPTIONS_INIT;
  options.setup.interval_ms = INTERVAL_MS;
  options.setup.co2_sensor = FALSE;
  options.server.speed = 300;
  start (&f, &options);
  g_assert_nonnull (cryo_device_get_warnings (f.device)[0]);
  g_assert_nonnull (strstr (cryo_device_get_warnings (f.device)[0], "no CO₂ sensor"));
  g_assert_true (isnan (reading (&f, "co2")));
  g_assert_true (wait_for (heat_went_off, f.device, 15000));
  stop (&f);
}

static gboolean
is_stale (gpointer device)
{
  return cryo_device_get_state (device) == CRYO_DEVICE_STATE_STALE;
}

static void
test_stale (void)
{
  Fixture f = { 0 };
  gint64 silent_us;

  start_default (&f);
  cryo_sim_incuvers_server_set_silent (f.server, TRUE);
  silent_us = g_get_monotonic_time ();

  /* 10 s without a valid line, not three status intervals */
  g_assert_true (wait_for (is_stale, f.device, CRYO_INCUBATOR_STALE_MS + 5000));
  g_assert_cmpint (g_get_monotonic_time () - silent_us, >=, (CRYO_INCUBATOR_STALE_MS - 500) * 1000);
  g_assert_true (isnan (reading (&f, "chamber_temperature")));

  cryo_sim_incuvers_server_set_silent (f.server, FALSE);
  g_assert_true (wait_for (is_online, f.device, 10000));
  stop (&f);
}

/* --- the command line: cryomon-sim and cryomon --headless --action ------- */

static void
test_command_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-incubator-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "incubator", NULL);
  g_autofree char *log_path = g_build_filename (dir, "commands.log", NULL);
  g_autofree char *device = g_strdup_printf ("incubator:%s,poll=0.2", link_path);
  const struct
  {
    const char *sim_option;
    const char *action;
    int         status;
    const char *payload;      /* NULL: nothing may reach the wire */
    const char *outcome;
  } cases[] = {
    { "--interval=200", "incubator:set-temperature,value=37.5", 0, "TP|3750", "TP=applied" },
    { "--interval=200", "incubator:set-co2,value=6", 0, "CP|600", "CP=applied" },
    { "--o2-sensor", "incubator:set-o2,value=18.5", 0, "OP|1850", "OP=applied" },
    { "--heat-off", "incubator:set-mode,heat=1", 0, "TM|1", "TM=applied" },
    { "--interval=200", "incubator:set-mode,co2=1,fan=2", 0, "CM|1&FM|2", "CM=applied FM=applied" },
    { "--interval=200", "incubator:save-settings", 0, "SS|1", "SS=applied" },
    /* out of range: refused, nothing on the wire */
    { "--interval=200", "incubator:set-temperature,value=75", 3, NULL, NULL },
    { "--interval=200", "incubator:set-temperature,value=5", 3, NULL, NULL },
    { "--interval=200", "incubator:set-co2,value=25", 3, NULL, NULL },
    { "--interval=200", "incubator:set-o2,value=21", 3, NULL, NULL },
    { "--interval=200", "incubator:set-mode,fan=5", 3, NULL, NULL },
    /* within the range, but not one of the modes */
    { "--interval=200", "incubator:set-mode,heat=0.5", 3, NULL, NULL },
    /* nothing to change */
    { "--interval=200", "incubator:set-mode", 2, NULL, NULL },
    /* sent, not accepted within 10 s */
    { "--ignore=TP", "incubator:set-temperature,value=37.5", 4, "TP|3750", "TP=ignored" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) sim = spawn_sim ("incubator", link_path, "--interval", "200",
                                                        "--command-log", log_path,
                                                        cases[i].sim_option, NULL);
      g_autofree char *log = NULL;
      g_autofree char *output = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_cmpint (run_headless (device, cases[i].action, &output, NULL), ==, cases[i].status);
      g_subprocess_send_signal (sim, SIGTERM);
      g_subprocess_wait (sim, NULL, NULL);

      log = read_log (log_path);
      g_test_message ("command log:\n%s", log);
      lines = g_strsplit (g_strstrip (log), "\n", -1);
      if (cases[i].payload == NULL)
        g_assert_cmpstr (log, ==, "");
      else
        {
          g_autofree char *expected = log_line (cases[i].payload, cases[i].outcome);

          g_assert_cmpuint (g_strv_length (lines), ==, 1);
          g_assert_cmpstr (lines[0], ==, expected);
        }

      /* headless prints the link's counts */
      if (cases[i].status == 0)
        g_assert_nonnull (strstr (output, " dropped="));
      g_unlink (log_path);
    }

  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/incubator/readings", test_readings);
  g_test_add_func ("/incubator/corrupted-lines", test_corrupted_lines);
  g_test_add_func ("/incubator/set-points-confirmed", test_set_points_confirmed);
  g_test_add_func ("/incubator/not-accepted", test_not_accepted);
  g_test_add_func ("/incubator/refused", test_refused);
  g_test_add_func ("/incubator/long-change", test_long_change);
  g_test_add_func ("/incubator/confirmations", test_confirmations);
  g_test_add_func ("/incubator/alarms", test_alarms);
  g_test_add_func ("/incubator/stale", test_stale);
  g_test_add_func ("/incubator/command-line", test_command_line);

  return g_test_run ();
}
