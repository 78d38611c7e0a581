/* cryo-sim-cryostream-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated Oxford Cryostream as a whole: its model and responder on a
 * #CryoSimServer (a pseudo-terminal), and its #CryoSimKind for cryomon-sim
 * and the demo. shared/protocols/oxford-cryostream.md "Simulator
 * behaviour".
 */

#pragma once

#include "cryo-sim-kind.h"
#include "cryo-sim-server.h"

G_BEGIN_DECLS

/**
 * CryoSimCryostreamOptions:
 * @server: the server's options
 * @run_mode: initial RunMode: 3 Run (holding), 2 StartUpOK or 5 ShutdownOK
 * @gas_k: initial gas temperature, K
 * @software_version: SoftwareVersion; 17 or less never sends extended packets
 * @hardware_type: HardwareType bits (12, the default: an 800 series with AutoFill)
 * @alarm_code: AlarmCode reported from the start (0 none)
 * @interval_ms: status packet period, ms of real time (1000 as the spec says)
 * @ignored: (nullable): NULL-terminated command names the controller ignores
 *   ("ramp", "stop", "set-format"…)
 *
 * Options of a simulated Cryostream. Initialise with
 * %CRYO_SIM_CRYOSTREAM_OPTIONS_INIT and change what differs.
 */
typedef struct
{
  CryoSimServerOptions  server;
  guint                 run_mode;
  double                gas_k;
  guint                 software_version;
  guint                 hardware_type;
  guint                 alarm_code;
  guint                 interval_ms;
  const char * const   *ignored;
} CryoSimCryostreamOptions;

#define CRYO_SIM_CRYOSTREAM_OPTIONS_INIT { CRYO_SIM_SERVER_OPTIONS_INIT, 3, 100.0, 20, 12, 0, 1000, NULL }

extern const CryoSimKind cryo_sim_cryostream_kind;

gboolean       cryo_sim_cryostream_command_from_name (const char                     *name,
                                                      guint                          *command_id);
CryoSimServer *cryo_sim_cryostream_server_new        (const CryoSimCryostreamOptions *options);

void     cryo_sim_cryostream_server_set_alarm    (CryoSimServer *server,
                                                  guint          alarm_code);
void     cryo_sim_cryostream_server_set_ignored  (CryoSimServer *server,
                                                  const char    *command,
                                                  gboolean       ignored);
void     cryo_sim_cryostream_server_set_silent   (CryoSimServer *server,
                                                  gboolean       silent);
guint    cryo_sim_cryostream_server_get_run_mode (CryoSimServer *server);
guint    cryo_sim_cryostream_server_get_phase    (CryoSimServer *server);
double   cryo_sim_cryostream_server_get_gas_k    (CryoSimServer *server);
double   cryo_sim_cryostream_server_get_target_k (CryoSimServer *server);
gboolean cryo_sim_cryostream_server_get_extended (CryoSimServer *server);

G_END_DECLS
