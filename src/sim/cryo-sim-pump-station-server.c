/* cryo-sim-pump-station-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-pump-station-server"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-agilent.h"
#include "cryo-sim-agilent-responder.h"
#include "cryo-sim-pump-station-server.h"

/* cryomon-sim pump-station: one command line per process. */
static char     *opt_state;
static char     *opt_unit;
static int       opt_address;
static int       opt_error_bits;
static gboolean  opt_remote;
static int       opt_tip_seal_hours = -1;

static const GOptionEntry option_entries[] = {
  { "state", 0, 0, G_OPTION_ARG_STRING, &opt_state,
    N_("Initial state: running (default) or stopped"), N_("STATE") },
  { "unit", 0, 0, G_OPTION_ARG_STRING, &opt_unit,
    N_("Initial pressure unit: mbar (default), Pa or Torr"), N_("UNIT") },
  { "address", 'a', 0, G_OPTION_ARG_INT, &opt_address,
    N_("Answer RS-485 address N (0..31, default 0)"), N_("N") },
  { "error", 0, 0, G_OPTION_ARG_INT, &opt_error_bits,
    N_("Latch these fault bits (window 206, 1..255) from the start"), N_("BITS") },
  { "remote", 0, 0, G_OPTION_ARG_NONE, &opt_remote,
    N_("Start in remote (front-panel) mode, window 008 = 1: start/stop writes are refused "
       "until serial mode is set"), NULL },
  { "tip-seal-hours", 0, 0, G_OPTION_ARG_INT, &opt_tip_seal_hours,
    N_("Start the tip-seal counter (window 358) at N hours, e.g. near its service interval"), N_("N") },
  { NULL }
};

/* (transfer none): the model, with the server locked. */
static CryoSimPumpStation *
lock_model (CryoSimServer *server)
{
  CryoSimResponder *responder = cryo_sim_server_get_responder (server);

  cryo_sim_server_lock (server);
  return cryo_sim_agilent_responder_get_model (CRYO_SIM_AGILENT_RESPONDER (responder));
}

static gboolean
is_pump_station_server (CryoSimServer *server)
{
  return CRYO_IS_SIM_SERVER (server)
         && CRYO_IS_SIM_AGILENT_RESPONDER (cryo_sim_server_get_responder (server));
}

static GOptionGroup *
create_option_group (void)
{
  return cryo_sim_kind_new_option_group (&cryo_sim_pump_station_kind, _("Pump-station options:"),
                                         _("Show the pump-station options"), option_entries);
}

static CryoSimServer *
start (const CryoSimServerOptions  *server_options,
       const char                  *link_path,
       GError                     **error)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;

  options.server = *server_options;

  if (opt_address < 0 || opt_address > CRYO_AGILENT_MAX_ADDRESS)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--address needs a number from 0 to 31"));
      return NULL;
    }
  options.address = (guint) opt_address;

  if (opt_error_bits < 0 || opt_error_bits > 255)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--error needs bits from 0 to 255"));
      return NULL;
    }
  options.error_bits = (guint) opt_error_bits;
  options.remote = opt_remote;

  if (opt_tip_seal_hours < -1 || opt_tip_seal_hours > 999999)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--tip-seal-hours needs a number of hours from 0 to 999999"));
      return NULL;
    }
  options.tip_seal_hours = opt_tip_seal_hours;

  if (opt_state == NULL || g_strcmp0 (opt_state, "running") == 0)
    options.running = TRUE;
  else if (g_strcmp0 (opt_state, "stopped") == 0)
    options.running = FALSE;
  else
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--state needs “running” or “stopped”"));
      return NULL;
    }

  if (opt_unit == NULL || g_ascii_strcasecmp (opt_unit, "mbar") == 0)
    options.pressure_unit = CRYO_AGILENT_UNIT_MBAR;
  else if (g_ascii_strcasecmp (opt_unit, "Pa") == 0)
    options.pressure_unit = CRYO_AGILENT_UNIT_PA;
  else if (g_ascii_strcasecmp (opt_unit, "Torr") == 0)
    options.pressure_unit = CRYO_AGILENT_UNIT_TORR;
  else
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--unit needs “mbar”, “Pa” or “Torr”"));
      return NULL;
    }

  return cryo_sim_kind_start_pty (cryo_sim_pump_station_server_new (&options), link_path, error);
}

static CryoSimServer *
start_demo (char   **device_spec,
            GError **error)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;

  /* A pump-down from atmosphere: the first minute of the demo moves. */
  options.running = FALSE;
  options.starting = TRUE;
  return cryo_sim_kind_start_demo_pty (&cryo_sim_pump_station_kind, cryo_sim_pump_station_server_new (&options),
                                       device_spec, error);
}

const CryoSimKind cryo_sim_pump_station_kind = {
  .id = "pump-station",
  .description = N_("Agilent TPS-compact pumping station, Window protocol over RS-232"),
  .create_option_group = create_option_group,
  .start = start,
  .start_demo = start_demo,
};

/**
 * cryo_sim_pump_station_server_new:
 * @options: the simulator's options (see #CryoSimPumpStationOptions); copied
 *
 * Creates a simulated Agilent TPS-compact pumping station speaking the
 * Window protocol (agilent-window.md "Simulator behaviour"), to be started
 * with cryo_sim_server_start_pty(). Its command log has one line per write
 * request, "<window> <data> <reply>", e.g. "000 1 ACK".
 *
 * Returns: (transfer full): a new server
 */
CryoSimServer *
cryo_sim_pump_station_server_new (const CryoSimPumpStationOptions *options)
{
  g_autoptr(CryoSimPumpStation) model = NULL;
  g_autoptr(CryoSimAgilentResponder) responder = NULL;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (options->pressure_unit <= CRYO_AGILENT_UNIT_TORR, NULL);

  model = cryo_sim_pump_station_new (options->running, g_random_int ());
  cryo_sim_pump_station_set_pressure_unit (model, options->pressure_unit);
  if (options->error_bits != 0)
    cryo_sim_pump_station_set_error_bits (model, options->error_bits);
  cryo_sim_pump_station_set_remote (model, options->remote);
  if (options->tip_seal_hours >= 0)
    cryo_sim_pump_station_set_tip_seal_hours (model, (guint) options->tip_seal_hours);
  if (options->starting && !options->running)
    cryo_sim_pump_station_start (model);
  responder = cryo_sim_agilent_responder_new (model, options->address);

  return cryo_sim_server_new (CRYO_SIM_RESPONDER (responder), &options->server);
}

/**
 * cryo_sim_pump_station_server_set_error_bits:
 * @server: a server made by cryo_sim_pump_station_server_new()
 * @bits: window 206 error bits to latch (0x01..0xFF), 0 to clear
 *
 * Fault injection in the pump: see cryo_sim_pump_station_set_error_bits().
 * Thread-safe.
 */
void
cryo_sim_pump_station_server_set_error_bits (CryoSimServer *server,
                                             guint          bits)
{
  g_return_if_fail (is_pump_station_server (server));

  cryo_sim_pump_station_set_error_bits (lock_model (server), bits);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_pump_station_server_set_tip_seal_hours:
 * @server: a server made by cryo_sim_pump_station_server_new()
 * @hours: the tip-seal counter (window 358), hours since its service
 *
 * Sets the counter as a seal worn that long would read, behind the back
 * of whoever talks to the serial port (tests of the maintenance forecast).
 * Thread-safe.
 */
void
cryo_sim_pump_station_server_set_tip_seal_hours (CryoSimServer *server,
                                                 guint          hours)
{
  g_return_if_fail (is_pump_station_server (server));

  cryo_sim_pump_station_set_tip_seal_hours (lock_model (server), hours);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_pump_station_server_press_front_panel_start:
 * @server: a server made by cryo_sim_pump_station_server_new()
 *
 * Starts the pump as its front-panel Start key would: behind the back of
 * whoever talks to the serial port, and absent from the command log. Tests
 * use it to prove that a start is re-checked against fresh readings.
 * Thread-safe.
 *
 * Returns: %TRUE when the model started (it refuses while a fault is set)
 */
gboolean
cryo_sim_pump_station_server_press_front_panel_start (CryoSimServer *server)
{
  gboolean started;

  g_return_val_if_fail (is_pump_station_server (server), FALSE);

  started = cryo_sim_pump_station_start (lock_model (server));
  cryo_sim_server_unlock (server);

  return started;
}

/**
 * cryo_sim_pump_station_server_press_front_panel_stop:
 * @server: a server made by cryo_sim_pump_station_server_new()
 *
 * Stops the pump as its front-panel Stop key would, absent from the
 * command log. Thread-safe.
 */
void
cryo_sim_pump_station_server_press_front_panel_stop (CryoSimServer *server)
{
  g_return_if_fail (is_pump_station_server (server));

  cryo_sim_pump_station_stop (lock_model (server));
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_pump_station_server_get_started:
 * @server: a server made by cryo_sim_pump_station_server_new()
 *
 * Returns: the model's start/stop flag (window 000): what the commands it
 *   received did. Thread-safe.
 */
gboolean
cryo_sim_pump_station_server_get_started (CryoSimServer *server)
{
  gboolean started;

  g_return_val_if_fail (is_pump_station_server (server), FALSE);

  started = cryo_sim_pump_station_get_started (lock_model (server));
  cryo_sim_server_unlock (server);

  return started;
}

/**
 * cryo_sim_pump_station_server_get_status:
 * @server: a server made by cryo_sim_pump_station_server_new()
 *
 * Returns: the model's window 205 status (0..6). Thread-safe.
 */
guint
cryo_sim_pump_station_server_get_status (CryoSimServer *server)
{
  guint status;

  g_return_val_if_fail (is_pump_station_server (server), CRYO_AGILENT_STATUS_FAIL);

  status = cryo_sim_pump_station_get_status (lock_model (server));
  cryo_sim_server_unlock (server);

  return status;
}

/**
 * cryo_sim_pump_station_server_get_rpm:
 * @server: a server made by cryo_sim_pump_station_server_new()
 *
 * Returns: the model's true rotor speed, rpm. Thread-safe.
 */
double
cryo_sim_pump_station_server_get_rpm (CryoSimServer *server)
{
  double rpm;

  g_return_val_if_fail (is_pump_station_server (server), 0.0);

  rpm = cryo_sim_pump_station_get_rpm (lock_model (server));
  cryo_sim_server_unlock (server);

  return rpm;
}

/**
 * cryo_sim_pump_station_server_get_pressure_mbar:
 * @server: a server made by cryo_sim_pump_station_server_new()
 *
 * Returns: the model's true chamber pressure, mbar. Thread-safe.
 */
double
cryo_sim_pump_station_server_get_pressure_mbar (CryoSimServer *server)
{
  double pressure;

  g_return_val_if_fail (is_pump_station_server (server), 0.0);

  pressure = cryo_sim_pump_station_get_pressure_mbar (lock_model (server));
  cryo_sim_server_unlock (server);

  return pressure;
}
