/* cryo-sim-cti.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated CTI/Brooks On-Board cryopump module: its cryopump and
 * regeneration model and its ASCII protocol in one serial
 * #CryoSimResponder that answers request packets. shared/protocols/
 * cti-onboard.md and the command reference seed. No I/O; not thread-safe
 * (the server's lock guards it).
 */

#pragma once

#include <glib-object.h>

#include "cryo-cti.h"
#include "cryo-sim-responder.h"

G_BEGIN_DECLS

/* Temperatures of a pump at rest and a cold one, K. */
#define CRYO_SIM_CTI_AMBIENT_K      295.0
#define CRYO_SIM_CTI_COLD_STAGE1_K  65.0
#define CRYO_SIM_CTI_COLD_STAGE2_K  15.0

#define CRYO_TYPE_SIM_CTI (cryo_sim_cti_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimCti, cryo_sim_cti, CRYO, SIM_CTI, GObject)

CryoSimCti        *cryo_sim_cti_new                (gboolean     pump_on,
                                                    gboolean     power_failure,
                                                    int          address);
void               cryo_sim_cti_power_failure      (CryoSimCti  *self);
void               cryo_sim_cti_set_refused        (CryoSimCti  *self,
                                                    const char  *command,
                                                    gboolean     refused);
gboolean           cryo_sim_cti_get_pump_on        (CryoSimCti  *self);
CryoCtiRegenPhase  cryo_sim_cti_get_regen_phase    (CryoSimCti  *self);
char               cryo_sim_cti_get_regen_code     (CryoSimCti  *self);
gboolean           cryo_sim_cti_get_power_failure  (CryoSimCti  *self);
double             cryo_sim_cti_get_stage2_k       (CryoSimCti  *self);
guint              cryo_sim_cti_get_regen_cycles   (CryoSimCti  *self);
guint              cryo_sim_cti_get_param          (CryoSimCti  *self,
                                                    const char  *command);

G_END_DECLS
