/* cryo-sim-incuvers-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated Incuvers incubator as a whole: its model and responder on a
 * #CryoSimServer (a pseudo-terminal), and its #CryoSimKind for cryomon-sim
 * and the demo. shared/protocols/incuvers-pilink.md "Simulator behaviour".
 */

#pragma once

#include "cryo-sim-incuvers.h"
#include "cryo-sim-kind.h"
#include "cryo-sim-server.h"

G_BEGIN_DECLS

/**
 * CryoSimIncuversOptions:
 * @server: the server's options
 * @setup: how the incubator starts
 * @ignored: (nullable): NULL-terminated command keys the controller
 *   ignores ("TP", "CM"…)
 *
 * Options of a simulated incubator. Initialise with
 * %CRYO_SIM_INCUVERS_OPTIONS_INIT and change what differs.
 */
typedef struct
{
  CryoSimServerOptions  server;
  CryoSimIncuversSetup  setup;
  const char * const   *ignored;
} CryoSimIncuversOptions;

#define CRYO_SIM_INCUVERS_OPTIONS_INIT { CRYO_SIM_SERVER_OPTIONS_INIT, CRYO_SIM_INCUVERS_SETUP_INIT, NULL }

extern const CryoSimKind cryo_sim_incuvers_kind;

CryoSimServer *cryo_sim_incuvers_server_new         (const CryoSimIncuversOptions *options);
void           cryo_sim_incuvers_server_set_ignored (CryoSimServer                *server,
                                                     const char                   *key,
                                                     gboolean                      ignored);
void           cryo_sim_incuvers_server_set_silent  (CryoSimServer                *server,
                                                     gboolean                      silent);
double         cryo_sim_incuvers_server_get_setpoint_c (CryoSimServer             *server);
int            cryo_sim_incuvers_server_get_mode    (CryoSimServer                *server,
                                                     const char                   *key);
guint          cryo_sim_incuvers_server_get_n_saves (CryoSimServer                *server);

G_END_DECLS
