/* cryo-sim-cpa-responder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instrument side of the Cryomech CPA Modbus register map in front of a
 * #CryoSimCpa: a #CryoSimModbusResponder with input registers 1..33 and
 * holding register 1 at those PDU addresses.
 * shared/protocols/cryomech-cpa-modbus.md "Control" and "Simulator
 * behaviour". No I/O; not thread-safe.
 */

#pragma once

#include <glib-object.h>

#include "cryo-sim-cpa.h"
#include "cryo-sim-modbus-responder.h"

G_BEGIN_DECLS

#define CRYO_TYPE_SIM_CPA_RESPONDER (cryo_sim_cpa_responder_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimCpaResponder, cryo_sim_cpa_responder, CRYO, SIM_CPA_RESPONDER, GObject)

CryoSimCpaResponder *cryo_sim_cpa_responder_new       (CryoSimCpa          *model,
                                                       guint                unit_id);
CryoSimCpa          *cryo_sim_cpa_responder_get_model (CryoSimCpaResponder *self);

G_END_DECLS
