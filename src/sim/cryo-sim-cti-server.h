/* cryo-sim-cti-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated CTI/Brooks On-Board cryopump as a whole: its model and
 * ASCII responder (#CryoSimCti) on a #CryoSimServer (a pseudo-terminal),
 * and its #CryoSimKind for cryomon-sim and the demo.
 * shared/protocols/cti-onboard.md.
 */

#pragma once

#include "cryo-cti.h"
#include "cryo-sim-kind.h"
#include "cryo-sim-server.h"

G_BEGIN_DECLS

/**
 * CryoSimCtiOptions:
 * @server: the server's options; a @server.baud of 2400 paces the line as
 *   the module's 7E1 line (one character per 4.17 ms)
 * @pump_on: %TRUE to start with the pump on and cold
 * @power_failure: %TRUE to start as after a power failure (the latch set)
 * @address: Network Terminal address answered (0…19), or
 *   %CRYO_CTI_NO_ADDRESS
 * @refused: (nullable): NULL-terminated commands the pump answers G
 *   (refused by its interlock), e.g. "A1", "N1"
 *
 * Options of a simulated On-Board cryopump. Initialise with
 * %CRYO_SIM_CTI_OPTIONS_INIT and change what differs.
 */
typedef struct
{
  CryoSimServerOptions  server;
  gboolean              pump_on;
  gboolean              power_failure;
  int                   address;
  const char * const   *refused;
} CryoSimCtiOptions;

#define CRYO_SIM_CTI_OPTIONS_INIT { CRYO_SIM_SERVER_OPTIONS_INIT, TRUE, FALSE, CRYO_CTI_NO_ADDRESS, NULL }

extern const CryoSimKind cryo_sim_cti_kind;

CryoSimServer     *cryo_sim_cti_server_new                (const CryoSimCtiOptions *options);
void               cryo_sim_cti_server_power_failure      (CryoSimServer           *server);
void               cryo_sim_cti_server_set_refused        (CryoSimServer           *server,
                                                           const char              *command,
                                                           gboolean                 refused);
gboolean           cryo_sim_cti_server_get_pump_on        (CryoSimServer           *server);
char               cryo_sim_cti_server_get_regen_code     (CryoSimServer           *server);
CryoCtiRegenPhase  cryo_sim_cti_server_get_regen_phase    (CryoSimServer           *server);
gboolean           cryo_sim_cti_server_get_power_failure  (CryoSimServer           *server);
guint              cryo_sim_cti_server_get_regen_cycles   (CryoSimServer           *server);
guint              cryo_sim_cti_server_get_param          (CryoSimServer           *server,
                                                           const char              *command);

G_END_DECLS
