/* cryo-sim-cryostream.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated Oxford Cryostream 700/800 controller: the gas-stream model and
 * its binary protocol in one serial #CryoSimResponder that streams status
 * packets and reads command packets. shared/protocols/oxford-cryostream.md
 * "Simulator behaviour". No I/O; not thread-safe (the server's lock guards
 * it).
 */

#pragma once

#include <glib-object.h>

#include "cryo-sim-responder.h"

G_BEGIN_DECLS

/* Room temperature the gas warms to after End, Purge or Stop, K. */
#define CRYO_SIM_CRYOSTREAM_AMBIENT_K 294.0

#define CRYO_TYPE_SIM_CRYOSTREAM (cryo_sim_cryostream_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimCryostream, cryo_sim_cryostream, CRYO, SIM_CRYOSTREAM, GObject)

CryoSimCryostream *cryo_sim_cryostream_new              (guint              run_mode,
                                                         double             gas_k,
                                                         guint              software_version,
                                                         guint              hardware_type,
                                                         guint              interval_ms);
void               cryo_sim_cryostream_set_alarm        (CryoSimCryostream *self,
                                                         guint              alarm_code);
void               cryo_sim_cryostream_set_ignored      (CryoSimCryostream *self,
                                                         guint              command_id,
                                                         gboolean           ignored);
guint              cryo_sim_cryostream_get_run_mode     (CryoSimCryostream *self);
guint              cryo_sim_cryostream_get_phase        (CryoSimCryostream *self);
double             cryo_sim_cryostream_get_gas_k        (CryoSimCryostream *self);
double             cryo_sim_cryostream_get_target_k     (CryoSimCryostream *self);
gboolean           cryo_sim_cryostream_get_extended     (CryoSimCryostream *self);
void               cryo_sim_cryostream_set_silent       (CryoSimCryostream *self,
                                                         gboolean           silent);

G_END_DECLS
