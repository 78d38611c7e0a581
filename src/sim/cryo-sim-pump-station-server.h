/* cryo-sim-pump-station-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated Agilent TPS-compact pumping station as a whole: its model
 * and Window-protocol responder on a #CryoSimServer (a pseudo-terminal),
 * and its #CryoSimKind for cryomon-sim and the demo.
 * shared/protocols/agilent-window.md "Simulator behaviour".
 */

#pragma once

#include "cryo-sim-kind.h"
#include "cryo-sim-server.h"

G_BEGIN_DECLS

/**
 * CryoSimPumpStationOptions:
 * @server: the server's options
 * @address: RS-485 address answered, 0..31
 * @running: %TRUE to start at speed, %FALSE stopped and vented
 * @pressure_unit: initial window 163: 0 mbar, 1 Pa, 2 Torr
 * @error_bits: window 206 fault bits latched from the start (0 = none)
 * @remote: start in remote (front-panel) mode, window 008 = 1
 * @starting: with @running %FALSE, the start command has just been given:
 *   a pump-down from atmosphere, the turbo spinning up (the demo's start)
 * @tip_seal_hours: initial window 358 (hours since the tip-seal service),
 *   -1 for the model's own
 *
 * Options of a simulated pumping station. Initialise with
 * %CRYO_SIM_PUMP_STATION_OPTIONS_INIT and change what differs.
 */
typedef struct
{
  CryoSimServerOptions server;
  guint                address;
  gboolean             running;
  guint                pressure_unit;
  guint                error_bits;
  gboolean             remote;
  gboolean             starting;
  int                  tip_seal_hours;
} CryoSimPumpStationOptions;

#define CRYO_SIM_PUMP_STATION_OPTIONS_INIT { CRYO_SIM_SERVER_OPTIONS_INIT, 0, TRUE, 0, 0, FALSE, FALSE, -1 }

extern const CryoSimKind cryo_sim_pump_station_kind;

CryoSimServer *cryo_sim_pump_station_server_new (const CryoSimPumpStationOptions *options);

void     cryo_sim_pump_station_server_set_error_bits          (CryoSimServer *server,
                                                               guint          bits);
void     cryo_sim_pump_station_server_set_tip_seal_hours      (CryoSimServer *server,
                                                               guint          hours);
gboolean cryo_sim_pump_station_server_press_front_panel_start (CryoSimServer *server);
void     cryo_sim_pump_station_server_press_front_panel_stop  (CryoSimServer *server);
gboolean cryo_sim_pump_station_server_get_started             (CryoSimServer *server);
guint    cryo_sim_pump_station_server_get_status              (CryoSimServer *server);
double   cryo_sim_pump_station_server_get_rpm                 (CryoSimServer *server);
double   cryo_sim_pump_station_server_get_pressure_mbar       (CryoSimServer *server);

G_END_DECLS
