/* cryo-sim-cpa-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated Cryomech CPA compressor served with libmodbus from its own
 * thread: Modbus TCP on a loopback port and/or Modbus RTU on a
 * pseudo-terminal, with a time-scale factor, fault injection and a command
 * log. shared/protocols/cryomech-cpa-modbus.md "Simulator behaviour";
 * DESIGN.md "Simulator".
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRYO_SIM_CPA_COMMAND_LOG_MAX 4096

/**
 * CryoSimCpaOptions:
 * @speed: time-scale factor of the model (> 0; 1 = real time)
 * @corrupt: probability 0..1 that a reply has one random byte altered
 * @drop: probability 0..1 that a reply is not sent
 * @delay_ms: delay before each reply, ms
 * @unit_id: RTU unit (slave) id answered, 1..247 (default 16); over TCP
 *   every unit id is answered
 * @running: %TRUE to start warmed up and running (state 3), %FALSE idle
 * @pressure_scale: the panel's pressure scale, register 29: 0 psi, 1 bar,
 *   2 kPa
 * @temperature_scale: the panel's temperature scale, register 30: 0 °F,
 *   1 °C, 2 K
 * @warnings: warning bits (0..30) reported from the start
 * @alarms: alarm bits (0..30) set from the start
 * @frozen: %TRUE to stop the model's clock: the registers stay constant
 *   (writes still change the state)
 * @command_log_path: (nullable) (type filename): file the command log is
 *   appended to, one line per write request
 *
 * Options of a simulated CPA compressor. Initialise with
 * %CRYO_SIM_CPA_OPTIONS_INIT and change what differs.
 */
typedef struct
{
  double      speed;
  double      corrupt;
  double      drop;
  guint       delay_ms;
  guint       unit_id;
  gboolean    running;
  guint       pressure_scale;
  guint       temperature_scale;
  guint32     warnings;
  guint32     alarms;
  gboolean    frozen;
  const char *command_log_path;
} CryoSimCpaOptions;

#define CRYO_SIM_CPA_OPTIONS_INIT { 1.0, 0.0, 0.0, 0, 16, FALSE, 0, 0, 0, 0, FALSE, NULL }

#define CRYO_TYPE_SIM_CPA_SERVER (cryo_sim_cpa_server_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimCpaServer, cryo_sim_cpa_server, CRYO, SIM_CPA_SERVER, GObject)

CryoSimCpaServer *cryo_sim_cpa_server_new             (const CryoSimCpaOptions *options);
gboolean          cryo_sim_cpa_server_start_tcp       (CryoSimCpaServer        *self,
                                                       const char              *address,
                                                       guint                    port,
                                                       GError                 **error);
guint             cryo_sim_cpa_server_get_port        (CryoSimCpaServer        *self);
gboolean          cryo_sim_cpa_server_start_rtu       (CryoSimCpaServer        *self,
                                                       const char              *link_path,
                                                       GError                 **error);
const char       *cryo_sim_cpa_server_get_path        (CryoSimCpaServer        *self);
const char       *cryo_sim_cpa_server_get_pty_path    (CryoSimCpaServer        *self);
gboolean          cryo_sim_cpa_server_is_running      (CryoSimCpaServer        *self);
void              cryo_sim_cpa_server_stop            (CryoSimCpaServer        *self);
char            **cryo_sim_cpa_server_dup_command_log (CryoSimCpaServer        *self);
guint             cryo_sim_cpa_server_get_n_replies   (CryoSimCpaServer        *self);
void              cryo_sim_cpa_server_get_registers   (CryoSimCpaServer        *self,
                                                       guint16                 *registers);
void              cryo_sim_cpa_server_set_faults      (CryoSimCpaServer        *self,
                                                       double                   corrupt,
                                                       double                   drop,
                                                       guint                    delay_ms);
void              cryo_sim_cpa_server_set_warnings    (CryoSimCpaServer        *self,
                                                       guint32                  bits);
void              cryo_sim_cpa_server_set_alarms      (CryoSimCpaServer        *self,
                                                       guint32                  bits);
void              cryo_sim_cpa_server_set_frozen      (CryoSimCpaServer        *self,
                                                       gboolean                 frozen);
guint             cryo_sim_cpa_server_get_state       (CryoSimCpaServer        *self);

G_END_DECLS
