/* cryo-sim-cpa-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated Cryomech CPA compressor as a whole: its model and Modbus
 * responder on a #CryoSimServer (Modbus TCP on a loopback port and/or
 * Modbus RTU on a pseudo-terminal), and its #CryoSimKind for cryomon-sim
 * and the demo. shared/protocols/cryomech-cpa-modbus.md "Simulator
 * behaviour".
 */

#pragma once

#include "cryo-sim-kind.h"
#include "cryo-sim-server.h"

G_BEGIN_DECLS

/**
 * CryoSimCpaOptions:
 * @server: the server's options (@server.frozen stops the model's clock:
 *   the registers stay constant, writes still change the state)
 * @unit_id: RTU unit (slave) id answered, 1..247 (default 16); over TCP
 *   every unit id is answered
 * @running: %TRUE to start warmed up and running (state 3), %FALSE idle
 * @pressure_scale: the panel's pressure scale, register 29: 0 psi, 1 bar,
 *   2 kPa
 * @temperature_scale: the panel's temperature scale, register 30: 0 °F,
 *   1 °C, 2 K
 * @warnings: warning bits (0..30) reported from the start
 * @alarms: alarm bits (0..30) set from the start
 * @starting: with @running %FALSE, the start command has just been given:
 *   the compressor starts from idle and warms up (the demo's start)
 *
 * Options of a simulated CPA compressor. Initialise with
 * %CRYO_SIM_CPA_OPTIONS_INIT and change what differs.
 */
typedef struct
{
  CryoSimServerOptions server;
  guint                unit_id;
  gboolean             running;
  guint                pressure_scale;
  guint                temperature_scale;
  guint32              warnings;
  guint32              alarms;
  gboolean             starting;
} CryoSimCpaOptions;

#define CRYO_SIM_CPA_OPTIONS_INIT { CRYO_SIM_SERVER_OPTIONS_INIT, 16, FALSE, 0, 0, 0, 0, FALSE }

extern const CryoSimKind cryo_sim_cpa_kind;

CryoSimServer *cryo_sim_cpa_server_new           (const CryoSimCpaOptions *options);
void           cryo_sim_cpa_server_get_registers (CryoSimServer           *server,
                                                  guint16                 *registers);
void           cryo_sim_cpa_server_set_warnings  (CryoSimServer           *server,
                                                  guint32                  bits);
void           cryo_sim_cpa_server_set_alarms    (CryoSimServer           *server,
                                                  guint32                  bits);
guint          cryo_sim_cpa_server_get_state     (CryoSimServer           *server);

G_END_DECLS
