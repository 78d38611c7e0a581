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
