/* test-cryostream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cryostream device against its simulator over a pseudo-terminal,
 * through the real serial transport and the link's stream mode: readings,
 * the switch to extended packets, each command's exact bytes in the
 * simulator's command log, confirmation by status and its absence,
 * refusals with nothing on the wire, alarms, resynchronisation after line
 * noise, staleness and reconnection.
 */

#define G_LOG_DOMAIN "test-cryostream"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cryo-cryostream.h"
#include "cryo-sim-cryostream-server.h"
#include "test-device-util.h"

/* How long an action may take, its confirmation included. */
#define ACTION_TIMEOUT_MS (CRYO_CRYOSTREAM_CONFIRM_TIMEOUT_MS + 5000)

/* Status packets every 100 ms keep the tests short; the device's interval
 * is set to match, so it is stale after 300 ms. */
#define INTERVAL_MS 100

typedef struct
{
  CryoSimServer *server;
  CryoDevice    *device;
} Fixture;

static void
start (Fixture                        *f,
       const CryoSimCryostreamOptions *options)
{
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  f->server = cryo_sim_cryostream_server_new (options);
  g_assert_true (cryo_sim_server_start_pty (f->server, NULL, &error));
  g_assert_no_error (error);

  config = cryo_device_config_new (&cryo_cryostream_kind, cryo_sim_server_get_path (f->server));
  config->poll_interval_ms = INTERVAL_MS;
  f->device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  g_assert_true (CRYO_IS_CRYOSTREAM (f->device));

  cryo_device_set_monitoring (f->device, TRUE);
  g_assert_true (wait_for (is_online, f->device, 5000));
}

static void
start_default (Fixture *f)
{
  CryoSimCryostreamOptions options = CRYO_SIM_CRYOSTREAM_OPTIONS_INIT;

  options.interval_ms = INTERVAL_MS;
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

static gboolean
is_extended (gpointer data)
{
  const CryoOxcryoStatus *s = cryo_cryostream_get_status (data);

  return s != NULL && s->extended;
}

/* Runs an action that must be confirmed, and checks its bytes on the wire. */
static void
run_confirmed (Fixture      *f,
               const char   *name,
               const double *params,
               const char   *log_line)
{
  ActionResult action;
  CommandLogWait w = { f->server, log_line };

  g_test_message ("%s → %s", name, log_line);
  run_action_full (f->device, name, params, ACTION_TIMEOUT_MS, &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_true (command_log_has (&w));
}

static void
test_readings (void)
{
  Fixture f = { 0 };
  CryoReading gas;
  CommandLogWait w = { NULL, "03 28 01 set-format applied" };
  g_autofree char *state = NULL;
  CryoChannel *phase;

  start_default (&f);
  w.server = f.server;

  /* SetFormat(1) on connect, then extended packets */
  g_assert_true (wait_for (command_log_has, &w, 5000));
  g_assert_true (wait_for (is_extended, f.device, 5000));
  g_assert_cmpuint (cryo_cryostream_get_n_set_format (CRYO_CRYOSTREAM (f.device)), ==, 1);

  gas = cryo_channel_get_reading (cryo_device_lookup_channel (f.device, "gas_temperature"));
  g_assert_cmpfloat_with_epsilon (gas.value, 100.0, 0.5);
  g_assert_cmpfloat_with_epsilon (cryo_channel_get_reading (cryo_device_lookup_channel (f.device, "gas_flow")).value,
                                  5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cryo_channel_get_reading (cryo_device_lookup_channel (f.device, "line_pressure")).value,
                                  12000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (cryo_channel_get_reading (cryo_device_lookup_channel (f.device, "total_hours")).value,
                                  8760.0, 1.0);
  state = cryo_device_dup_state_text (f.device);
  g_assert_cmpstr (state, ==, "Running · Hold");

  /* The phase, for the bands behind the temperature trace. */
  phase = cryo_device_lookup_channel (f.device, "phase");
  g_assert_cmpfloat (cryo_channel_get_reading (phase).value, ==, CRYO_OXCRYO_PHASE_HOLD);
  g_assert_cmpstr (cryo_channel_lookup_phase (phase, cryo_channel_get_reading (phase).value), ==, "Hold");

  stop (&f);
}

static gboolean
has_many_set_formats (gpointer data)
{
  return cryo_cryostream_get_n_set_format (data) >= 3;
}

static gboolean
has_many_polls (gpointer data)
{
  return cryo_device_get_n_polls (data) >= 3 * CRYO_CRYOSTREAM_SET_FORMAT_RETRY;
}

static void
test_set_format_again (void)
{
  Fixture f = { 0 };
  CryoSimCryostreamOptions options = CRYO_SIM_CRYOSTREAM_OPTIONS_INIT;
  const char * const ignored[] = { "set-format", NULL };

  /* A controller of version 20 that keeps sending standard packets gets
   * SetFormat again… */
  options.interval_ms = INTERVAL_MS;
  options.ignored = ignored;
  start (&f, &options);
  g_assert_true (wait_for (has_many_set_formats, f.device, 10000));
  g_assert_false (is_extended (f.device));
  stop (&f);

  /* …one of version 17, which cannot, only once. */
  options.ignored = NULL;
  options.software_version = 17;
  start (&f, &options);
  g_assert_true (wait_for (has_many_polls, f.device, 10000));
  g_assert_cmpuint (cryo_cryostream_get_n_set_format (CRYO_CRYOSTREAM (f.device)), ==, 1);
  g_assert_false (is_extended (f.device));
  stop (&f);
}

static void
test_commands (void)
{
  Fixture f = { 0 };
  const double ramp[] = { 120, 250.5 };
  const double plat[] = { 720 };
  const double cool[] = { 170 };
  const double end[] = { 360 };

  start_default (&f);
  g_assert_true (wait_for (is_extended, f.device, 5000));

  run_confirmed (&f, "ramp", ramp, "06 0B 00 78 61 DA ramp applied");
  run_confirmed (&f, "plat", plat, "04 0C 02 D0 plat applied");
  run_confirmed (&f, "hold", NULL, "02 0D hold applied");
  run_confirmed (&f, "cool", cool, "04 0E 42 68 cool applied");
  run_confirmed (&f, "turbo-on", NULL, "03 14 01 turbo applied");
  run_confirmed (&f, "turbo-off", NULL, "03 14 00 turbo applied");
  run_confirmed (&f, "pause", NULL, "02 11 pause applied");
  run_confirmed (&f, "resume", NULL, "02 12 resume applied");
  run_confirmed (&f, "end", end, "04 0F 01 68 end applied");
  run_confirmed (&f, "stop", NULL, "02 13 stop applied");
  run_confirmed (&f, "restart", NULL, "02 0A restart applied");
  run_confirmed (&f, "cool", cool, "04 0E 42 68 cool applied");
  run_confirmed (&f, "stop", NULL, "02 13 stop applied");
  run_confirmed (&f, "purge", NULL, "02 10 purge applied");

  stop (&f);
}

static void
test_not_confirmed (void)
{
  Fixture f = { 0 };
  const double ramp[] = { 120, 250.5 };
  ActionResult action;
  CommandLogWait w = { NULL, "06 0B 00 78 61 DA ramp ignored" };

  start_default (&f);
  w.server = f.server;
  cryo_sim_cryostream_server_set_ignored (f.server, "ramp", TRUE);

  run_action_full (f.device, "ramp", ramp, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED);
  g_assert_false (action.ok);
  g_assert_true (command_log_has (&w));
  g_clear_error (&action.error);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (f.device, "ramp", CRYO_ACTION_OUTCOME_UNCONFIRMED), ==, 1);
  g_assert_cmpuint (cryo_device_get_n_action_outcomes (f.device, "ramp", CRYO_ACTION_OUTCOME_DONE), ==, 0);

  stop (&f);
}

static void
test_refused (void)
{
  Fixture f = { 0 };
  CryoSimCryostreamOptions options = CRYO_SIM_CRYOSTREAM_OPTIONS_INIT;
  const double ramp_high[] = { 120, 450 };
  const double ramp_beyond[] = { 120, 600 };
  const double ramp_fast[] = { 400, 250 };
  ActionResult action;
  g_autofree char *reason = NULL;
  guint n_lines;

  /* running: restart and purge are refused, and a 700/800 without "Plus"
   * stops at 400 K */
  options.interval_ms = INTERVAL_MS;
  start (&f, &options);
  g_assert_true (wait_for (is_extended, f.device, 5000));
  n_lines = command_log_length (f.server);

  g_assert_false (cryo_device_check_action (f.device, "restart", &reason));
  g_assert_nonnull (strstr (reason, "must be shut down"));
  run_action_full (f.device, "restart", NULL, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED);
  g_clear_error (&action.error);
  run_action_full (f.device, "purge", NULL, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED);
  g_clear_error (&action.error);
  run_action_full (f.device, "ramp", ramp_high, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
  g_clear_error (&action.error);
  run_action_full (f.device, "ramp", ramp_beyond, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
  g_clear_error (&action.error);
  run_action_full (f.device, "ramp", ramp_fast, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
  g_clear_error (&action.error);
  g_assert_cmpuint (command_log_length (f.server), ==, n_lines);
  stop (&f);

  /* shut down: programs are refused */
  options.run_mode = CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK;
  start (&f, &options);
  g_assert_true (wait_for (is_extended, f.device, 5000));
  n_lines = command_log_length (f.server);
  run_action_full (f.device, "ramp", NULL, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED);
  g_clear_error (&action.error);
  run_action_full (f.device, "stop", NULL, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED);
  g_clear_error (&action.error);
  g_assert_cmpuint (command_log_length (f.server), ==, n_lines);
  stop (&f);

  /* a Plus model reaches 500 K */
  options.run_mode = CRYO_OXCRYO_RUN_MODE_RUN;
  options.hardware_type = CRYO_OXCRYO_HARDWARE_SERIES_800 | CRYO_OXCRYO_HARDWARE_PLUS;
  start (&f, &options);
  g_assert_true (wait_for (is_extended, f.device, 5000));
  run_confirmed (&f, "ramp", ramp_high, "06 0B 00 78 AF C8 ramp applied");
  stop (&f);
}

static gboolean
has_warning (gpointer data)
{
  const char * const *warnings = cryo_device_get_warnings (data);

  return warnings[0] != NULL && strstr (warnings[0], "Check vacuum (alarm 7, level 2)") != NULL;
}

static gboolean
has_alarm (gpointer data)
{
  const char * const *alarms = cryo_device_get_alarms (data);

  return alarms[0] != NULL && strstr (alarms[0], "No nitrogen (alarm 23, level 4)") != NULL;
}

static void
test_alarms (void)
{
  Fixture f = { 0 };

  start_default (&f);
  cryo_sim_cryostream_server_set_alarm (f.server, 7);
  g_assert_true (wait_for (has_warning, f.device, 5000));
  g_assert_null (cryo_device_get_alarms (f.device)[0]);

  cryo_sim_cryostream_server_set_alarm (f.server, 23);
  g_assert_true (wait_for (has_alarm, f.device, 5000));
  g_assert_null (cryo_device_get_warnings (f.device)[0]);
  stop (&f);
}

static gboolean
has_decode_errors_and_polls (gpointer data)
{
  CryoDevice *device = data;

  return cryo_link_get_n_decode_errors (cryo_device_get_link (device)) > 0
         && cryo_device_get_n_polls (device) >= 20;
}

static void
test_noise (void)
{
  Fixture f = { 0 };
  CryoSimCryostreamOptions options = CRYO_SIM_CRYOSTREAM_OPTIONS_INIT;

  options.interval_ms = INTERVAL_MS;
  options.server.corrupt = 0.3;
  start (&f, &options);
  g_assert_true (wait_for (has_decode_errors_and_polls, f.device, 20000));
  stop (&f);
}

static gboolean
is_stale (gpointer device)
{
  return cryo_device_get_state (device) == CRYO_DEVICE_STATE_STALE;
}

static gboolean
has_reconnected (gpointer device)
{
  return cryo_link_get_n_reconnects (cryo_device_get_link (device)) > 0;
}

static void
test_stale_and_reconnect (void)
{
  Fixture f = { 0 };

  start_default (&f);
  g_assert_true (wait_for (is_extended, f.device, 5000));

  cryo_sim_cryostream_server_set_silent (f.server, TRUE);
  g_assert_true (wait_for (is_stale, f.device, 5000));
  g_assert_true (isnan (cryo_channel_get_reading (cryo_device_lookup_channel (f.device, "gas_temperature")).value));

  /* 10 s of silence: the port is reopened, and SetFormat sent again */
  g_assert_true (wait_for (has_reconnected, f.device, 20000));
  cryo_sim_cryostream_server_set_silent (f.server, FALSE);
  g_assert_true (wait_for (is_online, f.device, 10000));
  g_assert_cmpuint (cryo_cryostream_get_n_set_format (CRYO_CRYOSTREAM (f.device)), >=, 2);
  stop (&f);
}

/* --- the command line: cryomon-sim and cryomon --headless --action ------- */

static void
test_command_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-cryostream-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "cryostream", NULL);
  g_autofree char *log_path = g_build_filename (dir, "commands.log", NULL);
  g_autofree char *device = g_strdup_printf ("cryostream:%s,poll=0.2", link_path);
  const struct
  {
    const char *sim_option;
    const char *action;
    int         status;
    const char *log_line;     /* NULL: no command but SetFormat reached it */
  } cases[] = {
    { "--state=run", "cryostream:ramp,rate=120,target=250.5", 0, "06 0B 00 78 61 DA ramp applied" },
    { "--state=run", "cryostream:plat,duration=720", 0, "04 0C 02 D0 plat applied" },
    { "--state=run", "cryostream:cool,target=170", 0, "04 0E 42 68 cool applied" },
    { "--state=run", "cryostream:end,rate=360", 0, "04 0F 01 68 end applied" },
    { "--state=run", "cryostream:stop", 0, "02 13 stop applied" },
    { "--state=shutdown", "cryostream:restart", 0, "02 0A restart applied" },
    /* refused: nothing on the wire */
    { "--state=shutdown", "cryostream:ramp,rate=120,target=250.5", 3, NULL },
    { "--state=run", "cryostream:ramp,rate=120,target=450", 3, NULL },
    { "--state=run", "cryostream:purge", 3, NULL },
    /* sent, not confirmed */
    { "--ignore=ramp", "cryostream:ramp,rate=120,target=250.5", 4, "06 0B 00 78 61 DA ramp ignored" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) sim = spawn_sim ("cryostream", link_path, "--interval", "200",
                                                        "--command-log", log_path,
                                                        cases[i].sim_option, NULL);
      g_autofree char *log = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_cmpint (run_headless (device, cases[i].action, NULL, NULL), ==, cases[i].status);
      g_subprocess_send_signal (sim, SIGTERM);
      g_subprocess_wait (sim, NULL, NULL);

      log = read_log (log_path);
      lines = g_strsplit (g_strstrip (log), "\n", -1);
      g_test_message ("command log:\n%s", log);
      for (guint j = 0; lines[j] != NULL; j++)
        if (!g_str_has_prefix (lines[j], "03 28 01 set-format"))
          g_assert_cmpstr (lines[j], ==, cases[i].log_line);
      if (cases[i].log_line != NULL)
        g_assert_true (g_strv_contains ((const char * const *) lines, cases[i].log_line));
      g_unlink (log_path);
    }

  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cryostream/readings", test_readings);
  g_test_add_func ("/cryostream/set-format-again", test_set_format_again);
  g_test_add_func ("/cryostream/commands", test_commands);
  g_test_add_func ("/cryostream/not-confirmed", test_not_confirmed);
  g_test_add_func ("/cryostream/refused", test_refused);
  g_test_add_func ("/cryostream/alarms", test_alarms);
  g_test_add_func ("/cryostream/noise", test_noise);
  g_test_add_func ("/cryostream/stale-and-reconnect", test_stale_and_reconnect);
  g_test_add_func ("/cryostream/command-line", test_command_line);

  return g_test_run ();
}
