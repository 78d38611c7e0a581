/* test-pump-station.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pumping-station device against the simulator, through the real serial
 * transport on a pseudo-terminal: readings, interlocks proven from the
 * simulator's command log, corrupted replies, and reconnection after the
 * simulator is killed and restarted.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>

#include "cryo-device-config.h"
#include "cryo-event-log.h"
#include "test-device-util.h"
#include "cryo-protocol-error.h"
#include "cryo-pump-station.h"
#include "cryo-serial-transport.h"
#include "cryo-sim-pump-station-server.h"
#include "cryo-sim-server.h"

static CryoDevice *
create_device (const char *path,
               guint       poll_interval_ms)
{
  CryoSerialConfig serial = CRYO_SERIAL_CONFIG_INIT;
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (path, &serial);
  g_autoptr(CryoLink) link = cryo_link_new (transport);
  CryoDevice *device;

  cryo_link_set_backoff (link, 200, 800);
  device = cryo_pump_station_new (link, 0);
  cryo_device_set_poll_interval (device, poll_interval_ms);

  return device;
}

static CryoSimServer *
start_server_full (gboolean running,
                   guint    pressure_unit,
                   gboolean remote)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  CryoSimServer *server;

  options.running = running;
  options.pressure_unit = pressure_unit;
  options.remote = remote;
  server = cryo_sim_pump_station_server_new (&options);
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);

  return server;
}

static CryoSimServer *
start_server (gboolean running,
              guint    pressure_unit)
{
  return start_server_full (running, pressure_unit, FALSE);
}

static guint
count_log_lines (CryoSimServer *server,
                 const char    *prefix)
{
  g_auto(GStrv) log = cryo_sim_server_dup_command_log (server);
  guint n = 0;

  for (guint i = 0; log[i] != NULL; i++)
    if (g_str_has_prefix (log[i], prefix))
      n++;

  return n;
}

/* The station's own unit (window 163) must not change what Cryomon stores:
 * canonical Pa. At atmosphere the simulator reads 1.0E+03 mbar, 1.0E+05 Pa
 * or 7.5E+02 Torr (two significant digits, window 224). */
static void
test_readings_units (void)
{
  for (guint unit = 0; unit <= 2; unit++)
    {
      g_autoptr(CryoSimServer) server = start_server (FALSE, unit);
      g_autoptr(CryoDevice) device = create_device (cryo_sim_server_get_path (server), 200);
      double expected_pa = cryo_sim_pump_station_server_get_pressure_mbar (server) * 100.0;
      double pressure_pa;

      cryo_device_set_monitoring (device, TRUE);
      g_assert_true (wait_for (is_online, device, 5000));

      g_assert_cmpint (cryo_pump_station_get_pressure_unit (CRYO_PUMP_STATION (device)), ==, unit);
      pressure_pa = cryo_pump_station_get_pressure (CRYO_PUMP_STATION (device));
      g_assert_true (isfinite (pressure_pa));
      /* Two significant digits: within 5 % of the model's value. */
      g_assert_cmpfloat (fabs (pressure_pa - expected_pa) / expected_pa, <, 0.05);
      g_assert_cmpfloat (cryo_pump_station_get_speed (CRYO_PUMP_STATION (device)), ==, 0.0);
      g_assert_cmpint (cryo_pump_station_get_status (CRYO_PUMP_STATION (device)), ==, 0);
      g_assert_cmpint (cryo_pump_station_get_tip_seal_hours (CRYO_PUMP_STATION (device)), >, 0);

      cryo_device_set_monitoring (device, FALSE);
      g_clear_object (&device);
      cryo_sim_server_stop (server);
    }
}

static void
test_start_refused_while_spinning (void)
{
  g_autoptr(CryoSimServer) server = start_server (TRUE, 0);
  g_autoptr(CryoDevice) device = create_device (cryo_sim_server_get_path (server), 200);
  g_autofree char *reason = NULL;
  ActionResult action;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));

  g_assert_false (cryo_device_check_action (device, "start", &reason));
  g_assert_nonnull (strstr (reason, "rpm"));

  run_action (device, "start", &action);
  g_assert_false (action.ok);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED);
  g_clear_error (&action.error);

  /* Nothing reached the wire. */
  g_assert_cmpuint (count_log_lines (server, "000 "), ==, 0);

  /* Counted as the event log records it (the metrics' actions_total). */
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "start", CRYO_ACTION_OUTCOME_REFUSED), ==, 1);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "start", CRYO_ACTION_OUTCOME_DONE), ==, 0);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "stop", CRYO_ACTION_OUTCOME_REFUSED), ==, 0);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "no-such-action", CRYO_ACTION_OUTCOME_REFUSED), ==, 0);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

static gboolean
is_spinning (gpointer data)
{
  CryoPumpStation *station = data;

  return cryo_pump_station_get_status (station) == 2 && cryo_pump_station_get_speed (station) > 0;
}

static void
test_start_accepted_then_stop (void)
{
  g_autoptr(CryoSimServer) server = start_server (FALSE, 0);
  g_autoptr(CryoDevice) device = create_device (cryo_sim_server_get_path (server), 200);
  ActionResult action;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));
  g_assert_true (cryo_device_check_action (device, "start", NULL));

  run_action (device, "start", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_cmpuint (count_log_lines (server, "000 1 ACK"), ==, 1);

  /* The next polls confirm it: status 2 (starting), rotor turning. */
  g_assert_true (wait_for (is_spinning, device, 5000));

  run_action (device, "stop", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_cmpuint (count_log_lines (server, "000 0 ACK"), ==, 1);
  g_assert_cmpuint (count_log_lines (server, "167 1 ACK"), ==, 1);

  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "start", CRYO_ACTION_OUTCOME_DONE), ==, 1);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "stop", CRYO_ACTION_OUTCOME_DONE), ==, 1);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "stop", CRYO_ACTION_OUTCOME_FAILED), ==, 0);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

/* The main thread's readings say stopped, but the station was started in
 * between: the worker's re-read must refuse before anything is sent. */
static void
test_start_rechecked_in_worker (void)
{
  g_autoptr(CryoSimServer) server = start_server (FALSE, 0);
  /* One poll at connect, the next in 20 s: the readings stay "stopped,
   * 0 rpm" and fresh (three intervals) for the whole test. */
  g_autoptr(CryoDevice) device = create_device (cryo_sim_server_get_path (server), 20000);
  g_autofree char *reason = NULL;
  ActionResult action;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));

  /* Someone presses Start on the controller itself. */
  g_assert_true (cryo_sim_pump_station_server_press_front_panel_start (server));
  g_assert_cmpuint (cryo_sim_pump_station_server_get_status (server), ==, 2);

  g_assert_true (cryo_device_check_action (device, "start", &reason));
  run_action (device, "start", &action);
  g_assert_false (action.ok);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED);
  g_test_message ("refused in the worker: %s", action.error->message);
  g_clear_error (&action.error);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "start", CRYO_ACTION_OUTCOME_REFUSED), ==, 1);
  /* No start command reached the station. */
  g_assert_cmpuint (count_log_lines (server, "000 "), ==, 0);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

/* A station in remote mode (window 008 = 1) takes start/stop only after
 * being switched to serial mode: the start sends 008 = 0 first. */
static void
test_start_switches_to_serial_mode (void)
{
  g_autoptr(CryoSimServer) server = start_server_full (FALSE, 0, TRUE);
  g_autoptr(CryoDevice) device = create_device (cryo_sim_server_get_path (server), 200);
  g_auto(GStrv) log = NULL;
  ActionResult action;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));

  run_action (device, "start", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);

  log = cryo_sim_server_dup_command_log (server);
  g_assert_cmpuint (g_strv_length (log), ==, 2);
  g_assert_cmpstr (log[0], ==, "008 0 ACK");
  g_assert_cmpstr (log[1], ==, "000 1 ACK");

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

/* The station refuses a stop in remote mode with 0x35 (window disabled):
 * that is an error for the operator, never a success. */
static void
test_refused_stop_is_an_error (void)
{
  g_autoptr(CryoSimServer) server = start_server_full (TRUE, 0, TRUE);
  g_autoptr(CryoDevice) device = create_device (cryo_sim_server_get_path (server), 200);
  ActionResult action;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));

  run_action (device, "stop", &action);
  g_assert_false (action.ok);
  /* The instrument's own refusal: exit code 3 on the command line. */
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED);
  g_assert_nonnull (strstr (action.error->message, "window disabled (0x35)"));
  g_test_message ("%s", action.error->message);
  g_clear_error (&action.error);
  g_assert_cmpuint (count_log_lines (server, "000 0 DISABLED"), ==, 1);
  g_assert_cmpuint (count_log_lines (server, "167 "), ==, 0);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "stop", CRYO_ACTION_OUTCOME_REFUSED), ==, 1);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (device, "stop", CRYO_ACTION_OUTCOME_FAILED), ==, 0);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

static gboolean
enough_polls (gpointer data)
{
  return cryo_device_get_n_polls (CRYO_DEVICE (data)) >= 25;
}

static void
test_corrupted_replies (void)
{
  g_autoptr(CryoSimServer) server = start_server (TRUE, 0);
  g_autoptr(CryoDevice) device = create_device (cryo_sim_server_get_path (server), 100);
  CryoChannel *pressure = cryo_device_lookup_channel (device, "pressure");
  CryoHistoryIter iter;
  CryoSample sample;
  guint n_finite = 0, n_gaps = 0;

  cryo_sim_server_set_faults (server, 0.2, 0.0, 0);
  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (enough_polls, device, 60000));

  cryo_history_iter_init (&iter, cryo_channel_get_history (pressure), 0, G_MAXINT64);
  while (cryo_history_iter_next (&iter, &sample))
    {
      if (isnan (sample.value))
        n_gaps++;
      else
        {
          n_finite++;
          g_assert_cmpfloat (sample.value, >, 0);
          g_assert_cmpfloat (sample.value, <, 2e5);
        }
    }

  {
    CryoLink *link = cryo_device_get_link (device);
    CryoLinkStats *stats = cryo_link_get_stats (link);
    g_autofree char *counts = cryo_link_dup_quality_text (link);

    g_test_message ("%u finite pressures, %u gaps, %" G_GUINT64_FORMAT " errors; link %u %%: %s",
                    n_finite, n_gaps, cryo_device_get_n_errors (device),
                    cryo_link_get_quality (link), counts);

    /* Damaged replies are asked for again at once: they cost retries, not
     * readings. */
    g_assert_cmpint (g_atomic_int_get (&stats->damaged), >, 0);
    g_assert_cmpint (g_atomic_int_get (&stats->retries), >=, g_atomic_int_get (&stats->damaged) / 2);
    g_assert_cmpuint (cryo_link_get_quality (link), <, 100);
    g_assert_cmpuint (cryo_link_get_quality (link), >, 50);
    g_assert_cmpuint (n_finite, >=, 20);
  }

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

static gboolean
start_allowed (gpointer data)
{
  return cryo_device_check_action (CRYO_DEVICE (data), "start", NULL);
}

static void
count_read_backs_cb (const char     *log_domain,
                     GLogLevelFlags  log_level,
                     const char     *message,
                     gpointer        user_data)
{
  if (strstr (message, "read back: done") != NULL)
    (*(guint *) user_data)++;
}

/* Issue 7: a start whose acknowledgement is lost is never written again
 * blindly. With 40 % of the replies corrupted, over 50 starts, the station
 * receives each start at most once, and what Cryomon reports matches what
 * the station did: done means started, not done means not started, and
 * only "unknown" may be either. */
static void
test_start_exactly_once (void)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  guint n_done = 0, n_not_done = 0, n_unknown = 0, n_refused = 0, n_read_back = 0;
  guint handler;

  /* A fast model: a stopped rotor is at rest at once. */
  options.running = FALSE;
  options.server.speed = 1000.0;
  server = cryo_sim_pump_station_server_new (&options);
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);

  device = create_device (cryo_sim_server_get_path (server), 100);
  cryo_sim_server_set_faults (server, 0.4, 0.0, 0);
  cryo_device_set_monitoring (device, TRUE);
  handler = g_log_set_handler ("cryo-device", G_LOG_LEVEL_MESSAGE, count_read_backs_cb, &n_read_back);

  for (guint run = 0; run < 50; run++)
    {
      ActionResult action;
      guint before, after;
      gboolean started;

      cryo_sim_pump_station_server_press_front_panel_stop (server);
      g_assert_true (wait_for (start_allowed, device, 20000));

      before = count_log_lines (server, "000 1");
      run_action (device, "start", &action);
      after = count_log_lines (server, "000 1");
      started = cryo_sim_pump_station_server_get_started (server);

      g_assert_cmpuint (after - before, <=, 1);

      if (action.ok)
        {
          n_done++;
          g_assert_true (started);
          g_assert_cmpuint (after - before, ==, 1);
        }
      else if (g_error_matches (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_FAILED))
        {
          n_not_done++;
          g_assert_false (started);
        }
      else if (g_error_matches (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED))
        {
          n_unknown++;
          g_test_message ("unknown: %s", action.error->message);
        }
      else
        {
          /* Nothing written: the re-check could not read the station
           * again (refused), or a read before the write timed out. */
          g_test_message ("not sent: %s", action.error->message);
          g_assert_cmpuint (after, ==, before);
          g_assert_false (started);
          n_refused++;
        }
      g_clear_error (&action.error);
    }

  g_log_remove_handler ("cryo-device", handler);
  g_test_message ("50 starts at 40 %% corrupted replies: %u done (%u of them by reading back), "
                  "%u not done, %u unknown, %u not sent",
                  n_done, n_read_back, n_not_done, n_unknown, n_refused);
  g_assert_cmpuint (n_done, >, 0);
  /* Lost acknowledgements happened, and were resolved by reading back. */
  g_assert_cmpuint (n_read_back, >, 0);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

static gboolean
has_alarms (gpointer data)
{
  return cryo_device_get_alarms (CRYO_DEVICE (data))[0] != NULL;
}

/* Error bits (window 206) and status 6 (fail) become named alarms, and a
 * failed pump cannot be started. */
static void
test_alarms (void)
{
  g_autoptr(CryoSimServer) server = start_server (TRUE, 0);
  g_autoptr(CryoDevice) device = create_device (cryo_sim_server_get_path (server), 200);
  const char * const *alarms;
  g_autofree char *reason = NULL;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));
  g_assert_null (cryo_device_get_alarms (device)[0]);

  /* 0x02 pump overtemperature, 0x80 too high load */
  cryo_sim_pump_station_server_set_error_bits (server, 0x82);
  g_assert_true (wait_for (has_alarms, device, 5000));
  g_assert_true (wait_for (is_online, device, 5000));

  alarms = cryo_device_get_alarms (device);
  g_assert_cmpint (cryo_pump_station_get_error_bits (CRYO_PUMP_STATION (device)), ==, 0x82);
  g_assert_cmpuint (g_strv_length ((char **) alarms), ==, 3);
  g_assert_nonnull (strstr (alarms[0], "Fail"));
  g_assert_nonnull (strstr (alarms[1], "overtemperature"));
  g_assert_nonnull (strstr (alarms[2], "load"));

  g_assert_false (cryo_device_check_action (device, "start", &reason));
  g_assert_nonnull (strstr (reason, "status is Fail —"));

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

static void
test_reconnect_after_kill (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-test-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "pump", NULL);
  g_autoptr(GSubprocess) sim = spawn_sim ("pump-station", link_path, "--state", "stopped", NULL);
  g_autoptr(GSubprocess) sim2 = NULL;
  g_autoptr(CryoDevice) device = create_device (link_path, 200);
  guint n_before;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));

  g_subprocess_send_signal (sim, SIGKILL);
  g_subprocess_wait (sim, NULL, NULL);
  g_assert_true (wait_for (is_disconnected, device, 5000));
  g_assert_nonnull (cryo_device_get_last_error (device));

  n_before = cryo_link_get_n_reconnects (cryo_device_get_link (device));
  sim2 = spawn_sim ("pump-station", link_path, "--state", "stopped", NULL);
  /* No user action: the link's back-off reopens the port by itself. */
  g_assert_true (wait_for (is_online, device, 10000));
  g_assert_cmpuint (cryo_link_get_n_reconnects (cryo_device_get_link (device)), >, n_before);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  g_subprocess_send_signal (sim2, SIGTERM);
  g_subprocess_wait (sim2, NULL, NULL);
  g_rmdir (dir);
}

static gboolean
has_tip_seal_warning (gpointer device)
{
  return g_strv_contains (cryo_device_get_warnings (device), "Tip seal service overdue");
}

static gboolean
has_alarm (gpointer device)
{
  return g_strv_length ((char **) cryo_device_get_alarms (device)) > 0;
}

static gboolean
lacks_tip_seal_warning (gpointer device)
{
  return !has_tip_seal_warning (device);
}

/* A tip seal past its interval (the simulator started there with
 * --tip-seal-hours) raises the maintenance warning beside the station's
 * own; its Service Done writes window 358 = 0 once, and the counter read
 * right after it lifts the warning. */
static void
test_tip_seal_service (void)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autofree char *confirmation = NULL;
  CryoMaintenanceForecast forecast;
  ActionResult action;

  options.running = FALSE;
  options.tip_seal_hours = 5001;
  server = cryo_sim_pump_station_server_new (&options);
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  device = create_device (cryo_sim_server_get_path (server), 200);

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (has_tip_seal_warning, device, 5000));
  g_assert_true (cryo_service_tracker_get_forecast (cryo_device_get_service_tracker (device),
                                                    cryo_device_lookup_channel (device, "tip_seal_hours"),
                                                    &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_OVERDUE);
  g_assert_cmpfloat (forecast.hours_since_service, ==, 5001);

  /* The station's own conditions come and go without touching it. */
  cryo_sim_pump_station_server_set_error_bits (server, 0x02);
  g_assert_true (wait_for (has_alarm, device, 5000));
  g_assert_true (has_tip_seal_warning (device));
  cryo_sim_pump_station_server_set_error_bits (server, 0);

  confirmation = cryo_device_dup_confirmation (device, "reset-tip-seal", NULL);
  g_assert_nonnull (strstr (confirmation, "set back to 0 h"));
  run_action (device, "reset-tip-seal", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_cmpuint (count_log_lines (server, "358 000000 ACK"), ==, 1);
  g_assert_true (wait_for (lacks_tip_seal_warning, device, 5000));
  g_assert_cmpint (cryo_pump_station_get_tip_seal_hours (CRYO_PUMP_STATION (device)), ==, 0);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-events-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (dir, "events.log", NULL);
  g_autoptr(CryoEventLog) log = NULL;

  g_test_init (&argc, &argv, NULL);

  log = cryo_event_log_new (log_path);
  cryo_event_log_set_default (log);

  g_test_add_func ("/pump-station/readings-in-every-unit", test_readings_units);
  g_test_add_func ("/pump-station/start-refused-while-spinning", test_start_refused_while_spinning);
  g_test_add_func ("/pump-station/start-accepted-then-stop", test_start_accepted_then_stop);
  g_test_add_func ("/pump-station/start-rechecked-in-worker", test_start_rechecked_in_worker);
  g_test_add_func ("/pump-station/start-switches-to-serial-mode", test_start_switches_to_serial_mode);
  g_test_add_func ("/pump-station/refused-stop-is-an-error", test_refused_stop_is_an_error);
  g_test_add_func ("/pump-station/corrupted-replies", test_corrupted_replies);
  g_test_add_func ("/pump-station/start-exactly-once", test_start_exactly_once);
  g_test_add_func ("/pump-station/alarms", test_alarms);
  g_test_add_func ("/pump-station/reconnect-after-kill", test_reconnect_after_kill);
  g_test_add_func ("/pump-station/tip-seal-service", test_tip_seal_service);

  return g_test_run ();
}
