/* cryo-sim-cpa-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-cpa-server"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-cpa.h"
#include "cryo-sim-cpa-responder.h"
#include "cryo-sim-cpa-server.h"

#define MAX_RTU_UNIT_ID 247

/* (transfer none): the model, with the server locked. */
static CryoSimCpa *
lock_model (CryoSimServer *server)
{
  CryoSimResponder *responder = cryo_sim_server_get_responder (server);

  cryo_sim_server_lock (server);
  return cryo_sim_cpa_responder_get_model (CRYO_SIM_CPA_RESPONDER (responder));
}

static gboolean
is_cpa_server (CryoSimServer *server)
{
  return CRYO_IS_SIM_SERVER (server)
         && CRYO_IS_SIM_CPA_RESPONDER (cryo_sim_server_get_responder (server));
}

/**
 * cryo_sim_cpa_server_new:
 * @options: the simulator's options (see #CryoSimCpaOptions); copied
 *
 * Creates a simulated Cryomech CPA1110 compressor (cryomech-cpa-modbus.md
 * "Simulator behaviour"): input registers 1..33 and holding register 1 at
 * those PDU addresses, served once started with cryo_sim_server_start_tcp()
 * and/or cryo_sim_server_start_pty() (Modbus RTU for @options.unit_id).
 * Its command log has one line per write request to a holding register,
 * "HR<address> 0x<value> <outcome>", e.g. "HR1 0x0001 ACK",
 * "HR1 0x0001 REFUSED (alarm)".
 *
 * Returns: (transfer full): a new server
 */
CryoSimServer *
cryo_sim_cpa_server_new (const CryoSimCpaOptions *options)
{
  g_autoptr(CryoSimCpa) model = NULL;
  g_autoptr(CryoSimCpaResponder) responder = NULL;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->unit_id >= 1 && options->unit_id <= MAX_RTU_UNIT_ID, NULL);
  g_return_val_if_fail (options->pressure_scale <= CRYO_CPA_PRESSURE_SCALE_KPA, NULL);
  g_return_val_if_fail (options->temperature_scale <= CRYO_CPA_TEMPERATURE_SCALE_KELVIN, NULL);

  model = cryo_sim_cpa_new (options->running, g_random_int ());
  cryo_sim_cpa_set_pressure_scale (model, options->pressure_scale);
  cryo_sim_cpa_set_temperature_scale (model, options->temperature_scale);
  cryo_sim_cpa_set_warnings (model, options->warnings);
  cryo_sim_cpa_set_alarms (model, options->alarms);
  responder = cryo_sim_cpa_responder_new (model, options->unit_id);

  return cryo_sim_server_new (CRYO_SIM_RESPONDER (responder), &options->server);
}

/**
 * cryo_sim_cpa_server_get_registers:
 * @server: a server made by cryo_sim_cpa_server_new()
 * @registers: (out caller-allocates) (array fixed-size=33): input registers
 *   1..33
 *
 * What a read of the 33 input registers would return now (the model is
 * ticked every 100 ms unless frozen). Thread-safe.
 */
void
cryo_sim_cpa_server_get_registers (CryoSimServer *server,
                                   guint16       *registers)
{
  g_return_if_fail (is_cpa_server (server));
  g_return_if_fail (registers != NULL);

  cryo_sim_cpa_encode_input_registers (lock_model (server), registers);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cpa_server_set_warnings:
 * @server: a server made by cryo_sim_cpa_server_new()
 * @bits: warning bits 0..30 (registers 3-4), 0 to clear
 *
 * See cryo_sim_cpa_set_warnings(). Thread-safe.
 */
void
cryo_sim_cpa_server_set_warnings (CryoSimServer *server,
                                  guint32        bits)
{
  g_return_if_fail (is_cpa_server (server));

  cryo_sim_cpa_set_warnings (lock_model (server), bits);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cpa_server_set_alarms:
 * @server: a server made by cryo_sim_cpa_server_new()
 * @bits: alarm bits 0..30 (registers 5-6), 0 to clear
 *
 * See cryo_sim_cpa_set_alarms(): an alarm stops a running compressor
 * (state 7) and refuses starts. Thread-safe.
 */
void
cryo_sim_cpa_server_set_alarms (CryoSimServer *server,
                                guint32        bits)
{
  g_return_if_fail (is_cpa_server (server));

  cryo_sim_cpa_set_alarms (lock_model (server), bits);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cpa_server_get_state:
 * @server: a server made by cryo_sim_cpa_server_new()
 *
 * Returns: the model's operating state, register 1 (#CryoCpaState).
 *   Thread-safe.
 */
guint
cryo_sim_cpa_server_get_state (CryoSimServer *server)
{
  guint state;

  g_return_val_if_fail (is_cpa_server (server), CRYO_CPA_STATE_ERROR);

  state = cryo_sim_cpa_get_state (lock_model (server));
  cryo_sim_server_unlock (server);

  return state;
}
