/* test-cti.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CTI On-Board cryopump device against its simulator over a
 * pseudo-terminal, through the real serial transport: readings, the
 * power-failure latch, refusals by Cryomon's interlock (nothing on the
 * wire) and by the pump's (G), regen parameters, a full regen followed
 * step by step to completion at high speed, `d` never on the wire, and the
 * command line's exit codes against cryomon-sim.
 */

#define G_LOG_DOMAIN "test-cti"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cryo-cti-pump.h"
#include "cryo-sim-cti-server.h"
#include "cryo-units.h"
#include "test-device-util.h"

/* How long an action may take, its confirmation included. */
#define ACTION_TIMEOUT_MS 10000

#define POLL_MS 100

typedef struct
{
  CryoSimServer *server;
  CryoDevice    *device;
} Fixture;

static gboolean
is_verified (gpointer data)
{
  return cryo_cti_pump_get_verified (data) && cryo_cti_pump_get_regen_phase (data) >= 0;
}

static void
start (Fixture                 *f,
       const CryoSimCtiOptions *options)
{
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  f->server = cryo_sim_cti_server_new (options);
  g_assert_true (cryo_sim_server_start_pty (f->server, NULL, &error));
  g_assert_no_error (error);

  config = cryo_device_config_new (&cryo_cti_pump_kind, cryo_sim_server_get_path (f->server));
  config->poll_interval_ms = POLL_MS;
  f->device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  g_assert_true (CRYO_IS_CTI_PUMP (f->device));

  /* The line defaults of the kind: 2400 7E1 (cti-onboard.md "Line"). */
  g_assert_cmpuint (config->serial.baud, ==, 2400);
  g_assert_cmpuint (config->serial.data_bits, ==, 7);
  g_assert_cmpint (config->serial.parity, ==, CRYO_PARITY_EVEN);

  cryo_device_set_monitoring (f->device, TRUE);
  g_assert_true (wait_for (is_online, f->device, 5000));
  g_assert_true (wait_for (is_verified, f->device, 5000));
}

static void
start_default (Fixture *f)
{
  CryoSimCtiOptions options = CRYO_SIM_CTI_OPTIONS_INIT;

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

/* No line of the command log is `d` (erase regen history), with or
 * without a value. */
static void
assert_no_erase (CryoSimServer *server)
{
  g_auto(GStrv) log = cryo_sim_server_dup_command_log (server);

  for (guint i = 0; log[i] != NULL; i++)
    g_assert_false (log[i][0] == 'd');
}

static void
run_ok (Fixture      *f,
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
  g_assert_true (log_line == NULL || command_log_has (&w));
}

static double
reading (Fixture    *f,
         const char *key)
{
  return cryo_channel_get_reading (cryo_device_lookup_channel (f->device, key)).value;
}

static gboolean
has_background (gpointer data)
{
  Fixture *f = data;

  return !isnan (reading (f, "hours")) && !isnan (reading (f, "regen_cycles")) &&
         !isnan (reading (f, "aux_tc"));
}

static gboolean
has_hours_since_regen (gpointer data)
{
  return !isnan (reading (data, "hours_since_full_regen"));
}

static void
test_readings (void)
{
  Fixture f = { 0 };
  g_autofree char *state = NULL;
  CryoServiceTracker *tracker;
  CryoMaintenanceForecast forecast;
  CryoChannel *step;
  double microns_pa = cryo_unit_convert (0.5e-3, CRYO_UNIT_TORR, CRYO_UNIT_PA);

  start_default (&f);

  g_assert_cmpfloat_with_epsilon (reading (&f, "stage1"), 65.0, 0.05);
  g_assert_cmpfloat_with_epsilon (reading (&f, "stage2"), 15.0, 0.05);
  g_assert_cmpfloat_with_epsilon (reading (&f, "pump_tc"), microns_pa, microns_pa * 0.01);
  g_assert_cmpint (cryo_cti_pump_get_status1 (CRYO_CTI_PUMP (f.device)), ==,
                   CRYO_CTI_S1_PUMP_ON | CRYO_CTI_S1_CRYO_TC | CRYO_CTI_S1_AUX_TC | CRYO_CTI_S1_POWER_NORMAL);
  g_assert_cmpint (cryo_cti_pump_get_regen_phase (CRYO_CTI_PUMP (f.device)), ==, CRYO_CTI_REGEN_PHASE_COMPLETE);
  g_assert_cmpfloat (reading (&f, "status1"), ==, 0x39);

  /* The background set, one query a poll. */
  g_assert_true (wait_for (has_background, &f, 10000));
  g_assert_cmpfloat (reading (&f, "hours"), ==, 2330);
  g_assert_cmpfloat (reading (&f, "regen_cycles"), ==, 127);
  g_assert_cmpfloat_with_epsilon (reading (&f, "aux_tc"), microns_pa * 1.1, microns_pa * 0.02);

  /* No regen, so no time left and no band. */
  g_assert_true (isnan (reading (&f, "regen_time_left")));
  step = cryo_device_lookup_channel (f.device, "regen_step");
  g_assert_nonnull (cryo_channel_get_phases (step));
  g_assert_null (cryo_channel_lookup_phase (step, CRYO_CTI_REGEN_PHASE_COMPLETE));

  state = cryo_device_dup_state_text (f.device);
  g_assert_nonnull (strstr (state, "Regen complete"));
  g_assert_nonnull (strstr (state, "Pump on"));
  g_assert_nonnull (strstr (state, "Power normal"));
  g_assert_cmpstr (cryo_device_get_model (f.device), ==, "CTI/Brooks On-Board P A2.01");
  g_assert_null (cryo_device_get_alarms (f.device)[0]);
  g_assert_null (cryo_device_get_warnings (f.device)[0]);

  /* Hours since the last full regen (query a), from the pump: the
   * maintenance forecast counts them against the interval. */
  g_assert_true (wait_for (has_hours_since_regen, &f, 20000));
  tracker = cryo_device_get_service_tracker (f.device);
  g_assert_true (cryo_service_tracker_get_forecast (tracker,
                                                    cryo_device_lookup_channel (f.device, "hours_since_full_regen"),
                                                    &forecast));
  g_assert_cmpint (forecast.status, ==, CRYO_MAINTENANCE_OK);
  g_assert_cmpfloat (forecast.hours_since_service, ==, 1234);
  g_assert_cmpfloat (forecast.interval_hours, ==, 2000);
  cryo_service_tracker_set_interval (tracker, "hours_since_full_regen", 1000);
  g_assert_cmpstr (cryo_device_get_warnings (f.device)[0], ==, "Full regeneration overdue");
  cryo_service_tracker_set_interval (tracker, "hours_since_full_regen", 2000);
  g_assert_null (cryo_device_get_warnings (f.device)[0]);

  /* Only queries so far: the command log is empty. */
  g_assert_cmpuint (command_log_length (f.server), ==, 0);

  /* Unplugged: the step and the flags are unknown, not "Pump on" from
   * before. */
  cryo_sim_server_stop (f.server);
  g_assert_true (wait_for (is_disconnected, f.device, 10000));
  g_assert_cmpint (cryo_cti_pump_get_status1 (CRYO_CTI_PUMP (f.device)), ==, -1);
  g_clear_pointer (&state, g_free);
  state = cryo_device_dup_state_text (f.device);
  g_assert_null (state);

  stop (&f);
}

/* The flag, and the recovery status t? reads once a reply carried it. */
static gboolean
has_power_failure (gpointer data)
{
  return cryo_cti_pump_get_power_failure (data) &&
         g_strcmp0 (cryo_device_get_warnings (data)[0], "Power failure: Recovered from power failure") == 0;
}

static gboolean
latch_cleared (gpointer data)
{
  return !cryo_sim_cti_server_get_power_failure (data);
}

static void
test_power_failure (void)
{
  CryoSimCtiOptions options = CRYO_SIM_CTI_OPTIONS_INIT;
  Fixture f = { 0 };
  g_autofree char *state = NULL;

  options.power_failure = TRUE;
  start (&f, &options);

  /* B replies flag it; t? says how the pump recovered; the S1 read clears
   * the latch in the module. */
  g_assert_true (wait_for (has_power_failure, f.device, 5000));
  g_assert_cmpstr (cryo_device_get_warnings (f.device)[0], ==, "Power failure: Recovered from power failure");
  g_assert_true (wait_for (latch_cleared, f.server, 5000));
  state = cryo_device_dup_state_text (f.device);
  g_assert_nonnull (strstr (state, "Recovered from power failure"));

  run_ok (&f, "clear-power-failure", NULL, "t= A");
  g_assert_false (cryo_cti_pump_get_power_failure (CRYO_CTI_PUMP (f.device)));
  g_assert_null (cryo_device_get_warnings (f.device)[0]);

  /* Nothing left to clear. */
  {
    g_autofree char *reason = NULL;

    g_assert_true (cryo_device_is_action_in_effect (f.device, "clear-power-failure", &reason));
    g_assert_cmpstr (reason, ==, "No power failure to clear");
  }

  /* A power failure while monitored. */
  cryo_sim_cti_server_power_failure (f.server);
  g_assert_true (wait_for (has_power_failure, f.device, 5000));
  g_assert_true (wait_for (latch_cleared, f.server, 5000));

  stop (&f);
}

static gboolean
regen_is_running (gpointer data)
{
  int phase = cryo_cti_pump_get_regen_phase (data);

  return phase >= 0 && cryo_cti_regen_phase_is_running (phase);
}

static gboolean
is_aborted_with_reason (gpointer data)
{
  /* The error code (e) is read at the poll after the one that saw V. */
  return cryo_cti_pump_get_regen_phase (data) == CRYO_CTI_REGEN_PHASE_ABORTED &&
         g_strcmp0 (cryo_device_get_warnings (data)[0], "Regen aborted: Manual abort") == 0;
}

static void
assert_refused (Fixture    *f,
                const char *name,
                const char *reason_part)
{
  ActionResult action;
  guint before = command_log_length (f->server);

  run_action_full (f->device, name, NULL, ACTION_TIMEOUT_MS, &action);
  g_assert_false (action.ok);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED);
  g_test_message ("%s refused: %s", name, action.error->message);
  g_assert_nonnull (strstr (action.error->message, reason_part));
  g_clear_error (&action.error);
  g_assert_cmpuint (command_log_length (f->server), ==, before);
}

static void
test_interlocks (void)
{
  Fixture f = { 0 };
  ActionResult action;
  g_autofree char *state = NULL;
  g_auto(GStrv) log = NULL;

  start_default (&f);

  /* No regen: an abort is refused before anything is sent. */
  assert_refused (&f, "regen-abort", "No regeneration is running");

  run_ok (&f, "regen-full", NULL, "N1 A");
  g_assert_true (wait_for (regen_is_running, f.device, 5000));

  /* While it runs: pump off and a second start are refused by Cryomon,
   * and none of them reaches the wire. */
  assert_refused (&f, "pump-off", "A regeneration is running");
  assert_refused (&f, "regen-full", "abort it first");
  assert_refused (&f, "regen-fast", "abort it first");
  log = cryo_sim_server_dup_command_log (f.server);
  g_assert_cmpuint (g_strv_length (log), ==, 1);
  g_assert_cmpstr (log[0], ==, "N1 A");

  /* Aborted: the pump says why (e), a warning for a manual abort. */
  run_ok (&f, "regen-abort", NULL, "N0 A");
  g_assert_true (wait_for (is_aborted_with_reason, f.device, 5000));
  g_assert_cmpstr (cryo_device_get_warnings (f.device)[0], ==, "Regen aborted: Manual abort");
  state = cryo_device_dup_state_text (f.device);
  g_assert_nonnull (strstr (state, "Regen aborted (Manual abort)"));

  /* The pump's own refusal (G): sent, refused by the pump, with the
   * command; nothing was changed. */
  cryo_sim_cti_server_set_refused (f.server, "A1", TRUE);
  run_action_full (f.device, "pump-on", NULL, ACTION_TIMEOUT_MS, &action);
  g_assert_false (action.ok);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED);
  g_assert_nonnull (strstr (action.error->message, "refused by the pump"));
  g_assert_nonnull (strstr (action.error->message, "A1"));
  g_clear_error (&action.error);
  {
    CommandLogWait w = { f.server, "A1 G" };
    g_assert_true (command_log_has (&w));
  }
  g_assert_false (cryo_sim_cti_server_get_pump_on (f.server));

  cryo_sim_cti_server_set_refused (f.server, "A1", FALSE);
  run_ok (&f, "pump-on", NULL, "A1 A");
  g_assert_true (cryo_sim_cti_server_get_pump_on (f.server));

  assert_no_erase (f.server);
  stop (&f);
}

static void
test_params (void)
{
  Fixture f = { 0 };
  ActionResult action;
  double value = 60;
  double too_big = 201;

  start_default (&f);

  run_ok (&f, "read-regen-params", NULL, NULL);
  g_assert_cmpint (cryo_cti_pump_get_param (CRYO_CTI_PUMP (f.device), "P0"), ==, 600);
  g_assert_cmpint (cryo_cti_pump_get_param (CRYO_CTI_PUMP (f.device), "P3"), ==, 50);
  g_assert_cmpint (cryo_cti_pump_get_param (CRYO_CTI_PUMP (f.device), "PC"), ==, 1);
  g_assert_cmpuint (command_log_length (f.server), ==, 0);

  run_ok (&f, "set-rough-pressure", &value, "P360 A");
  g_assert_cmpuint (cryo_sim_cti_server_get_param (f.server, "P3"), ==, 60);
  g_assert_cmpint (cryo_cti_pump_get_param (CRYO_CTI_PUMP (f.device), "P3"), ==, 60);

  /* Out of the seed's range: refused, nothing sent. */
  run_action_full (f.device, "set-rough-pressure", &too_big, ACTION_TIMEOUT_MS, &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
  g_clear_error (&action.error);
  g_assert_cmpuint (command_log_length (f.server), ==, 1);

  value = 320;
  run_ok (&f, "set-stage1-setpoint", &value, "H320 A");
  value = 59994;
  run_ok (&f, "set-start-delay", &value, "j59994 A");

  stop (&f);
}

typedef struct
{
  GArray  *phases;    /* int: each regen step the device saw, once */
  gboolean seen_time_left;
} PhaseLog;

static void
on_phase_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  PhaseLog *log = user_data;
  int phase = cryo_cti_pump_get_regen_phase (CRYO_CTI_PUMP (object));

  if (phase >= 0 && (log->phases->len == 0 ||
                     g_array_index (log->phases, int, log->phases->len - 1) != phase))
    g_array_append_val (log->phases, phase);
}

static void
on_polled_cb (CryoDevice *device,
              gpointer    user_data)
{
  PhaseLog *log = user_data;
  CryoReading left = cryo_channel_get_reading (cryo_device_lookup_channel (device, "regen_time_left"));

  if (!isnan (left.value) && left.value > 0)
    log->seen_time_left = TRUE;
}

static gboolean
is_complete_after_regen (gpointer data)
{
  PhaseLog *log = data;

  return log->phases->len > 2 &&
         g_array_index (log->phases, int, log->phases->len - 1) == CRYO_CTI_REGEN_PHASE_COMPLETE;
}

/* A full regen at 600 times real time (about 10 s): every step in order,
 * on the trend as bands, then complete with one more regen counted. */
static void
test_full_regen (void)
{
  static const int expected[] = {
    CRYO_CTI_REGEN_PHASE_COMPLETE,
    CRYO_CTI_REGEN_PHASE_WARMUP,
    CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE,
    CRYO_CTI_REGEN_PHASE_ROUGH,
    CRYO_CTI_REGEN_PHASE_RATE_OF_RISE,
    CRYO_CTI_REGEN_PHASE_COOLDOWN,
    CRYO_CTI_REGEN_PHASE_COMPLETE,
  };
  CryoSimCtiOptions options = CRYO_SIM_CTI_OPTIONS_INIT;
  Fixture f = { 0 };
  PhaseLog log = { g_array_new (FALSE, FALSE, sizeof (int)) };
  CryoChannel *step;
  CryoHistoryIter iter;
  CryoSample sample;
  guint n_bands = 0;
  int phase;
  gulong notify, polled;

  options.server.speed = 600;
  start (&f, &options);

  phase = cryo_cti_pump_get_regen_phase (CRYO_CTI_PUMP (f.device));
  g_array_append_val (log.phases, phase);
  notify = g_signal_connect (f.device, "notify::regen-phase", G_CALLBACK (on_phase_cb), &log);
  polled = g_signal_connect (f.device, "polled", G_CALLBACK (on_polled_cb), &log);

  run_ok (&f, "regen-full", NULL, "N1 A");
  g_assert_true (wait_for (is_complete_after_regen, &log, 60000));
  g_signal_handler_disconnect (f.device, notify);
  g_signal_handler_disconnect (f.device, polled);

  for (guint i = 0; i < log.phases->len; i++)
    g_test_message ("step %u: %s", i, cryo_cti_regen_phase_to_string (g_array_index (log.phases, int, i)));
  g_assert_cmpmem (log.phases->data, log.phases->len * sizeof (int), expected, sizeof expected);
  g_assert_true (log.seen_time_left);
  g_assert_cmpuint (cryo_sim_cti_server_get_regen_cycles (f.server), ==, 128);

  /* The regen step channel carries the steps as samples with labels. */
  step = cryo_device_lookup_channel (f.device, "regen_step");
  cryo_history_iter_init (&iter, cryo_channel_get_history (step), 0, G_MAXINT64);
  while (cryo_history_iter_next (&iter, &sample))
    if (cryo_channel_lookup_phase (step, sample.value) != NULL)
      n_bands++;
  g_assert_cmpuint (n_bands, >, 5);
  g_assert_cmpstr (cryo_channel_lookup_phase (step, CRYO_CTI_REGEN_PHASE_ROUGH), ==, "Rough");

  /* Cold again. */
  g_assert_cmpfloat (reading (&f, "stage2"), <, 20.0);

  assert_no_erase (f.server);
  g_array_unref (log.phases);
  stop (&f);
}

typedef struct
{
  CryoDevice *device;
  guint64     until;
} PollWait;

static gboolean
has_polled_until (gpointer data)
{
  PollWait *w = data;

  return cryo_device_get_n_polls (w->device) >= w->until;
}

/* Waits for two more polls, so the device has read what an action did. */
static void
settle (Fixture *f)
{
  PollWait w = { f->device, cryo_device_get_n_polls (f->device) + 2 };

  g_assert_true (wait_for (has_polled_until, &w, 5000));
}

/* Runs @name for what it brings about, whatever its outcome (it may be in
 * effect already). */
static void
prepare (Fixture    *f,
         const char *name)
{
  ActionResult action;

  run_action_full (f->device, name, NULL, ACTION_TIMEOUT_MS, &action);
  g_clear_error (&action.error);
  settle (f);
}

/* Every action of the kind, run with its defaults, in an order that lets
 * each reach the pump: none of them puts `d` on the wire, and the codec
 * refuses to encode it. */
static void
test_never_erase (void)
{
  const CryoDeviceAction *actions = cryo_cti_pump_kind.actions;
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  start_default (&f);

  for (guint i = 0; actions[i].name != NULL; i++)
    {
      const char *name = actions[i].name;
      ActionResult action;

      /* What each action needs first: a regen to abort; no regen and a
       * running pump for the others that change the pump's state. */
      if (g_str_equal (name, "regen-abort") && !regen_is_running (f.device))
        {
          prepare (&f, "pump-on");
          prepare (&f, "regen-full");
        }
      else if (g_str_equal (name, "regen-full") || g_str_equal (name, "regen-fast") ||
               g_str_equal (name, "pump-off"))
        {
          if (regen_is_running (f.device))
            prepare (&f, "regen-abort");
          prepare (&f, "pump-on");
        }

      run_action_full (f.device, name, NULL, ACTION_TIMEOUT_MS, &action);
      g_test_message ("%s: %s", name, action.error ? action.error->message : "done");
      g_clear_error (&action.error);
      settle (&f);
    }

  g_assert_cmpuint (command_log_length (f.server), >, 10);
  assert_no_erase (f.server);

  bytes = cryo_cti_encode (CRYO_CTI_NO_ADDRESS, "d", &error);
  g_assert_null (bytes);
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_REFUSED);

  stop (&f);
}

/* --- the command line: cryomon-sim cti and cryomon --headless --action --- */

static void
test_command_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-cti-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "cti", NULL);
  g_autofree char *log_path = g_build_filename (dir, "commands.log", NULL);
  g_autofree char *device = g_strdup_printf ("cti:%s,poll=0.1", link_path);
  const struct
  {
    const char *sim_option;
    const char *action;
    int         status;
    const char *log;          /* the whole command log */
    const char *said;         /* in what cryomon prints, or NULL */
  } cases[] = {
    { "--state=on", "cti:pump-off", 0, "A0 A\n", NULL },
    { "--state=off", "cti:pump-on", 0, "A1 A\n", NULL },
    { "--state=on", "cti:regen-full", 0, "N1 A\n", NULL },
    { "--state=on", "cti:regen-fast", 0, "N2 A\n", NULL },
    { "--power-failure", "cti:clear-power-failure", 0, "t= A\n", NULL },
    { "--state=on", "cti:set-repurge-cycles,value=12", 0, "P212 A\n", NULL },
    /* refused by Cryomon: nothing on the wire */
    { "--state=on", "cti:regen-abort", 3, "", "No regeneration is running" },
    { "--state=on", "cti:set-restart-temperature,value=81", 3, "", "out of range" },
    /* refused by the pump: G, with the command */
    { "--refuse=A0", "cti:pump-off", 3, "A0 G\n", "refused by the pump: “A0”" },
    { "--refuse=N1", "cti:regen-full", 3, "N1 G\n", "refused by the pump: “N1”" },
    /* no such action, `d` above all: a usage error, nothing sent */
    { "--state=on", "cti:d", 2, "", NULL },
    { "--state=on", "cti:erase-regen-history", 2, "", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) sim = spawn_sim ("cti", link_path, "--command-log", log_path,
                                                        cases[i].sim_option, NULL);
      g_autofree char *log = NULL;
      g_autofree char *said = NULL;

      g_assert_cmpint (run_headless (device, cases[i].action, NULL, &said), ==, cases[i].status);
      if (cases[i].said != NULL)
        g_assert_nonnull (strstr (said, cases[i].said));
      g_subprocess_send_signal (sim, SIGTERM);
      g_subprocess_wait (sim, NULL, NULL);

      if (!g_file_get_contents (log_path, &log, NULL, NULL))
        log = g_strdup ("");
      g_assert_cmpstr (log, ==, cases[i].log);
      g_unlink (log_path);
    }

  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cti/readings", test_readings);
  g_test_add_func ("/cti/power-failure", test_power_failure);
  g_test_add_func ("/cti/interlocks", test_interlocks);
  g_test_add_func ("/cti/params", test_params);
  g_test_add_func ("/cti/full-regen", test_full_regen);
  g_test_add_func ("/cti/never-erase", test_never_erase);
  g_test_add_func ("/cti/command-line", test_command_line);

  return g_test_run ();
}
