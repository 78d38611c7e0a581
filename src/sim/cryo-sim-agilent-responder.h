/* cryo-sim-agilent-responder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instrument side of the Agilent "Window" protocol in front of a
 * #CryoSimPumpStation: a serial #CryoSimResponder, request bytes in, reply
 * frames out. shared/protocols/agilent-window.md, "Replies" and "Simulator
 * behaviour". No I/O; not thread-safe.
 */

#pragma once

#include <glib-object.h>

#include "cryo-sim-pump-station.h"
#include "cryo-sim-responder.h"

G_BEGIN_DECLS

#define CRYO_TYPE_SIM_AGILENT_RESPONDER (cryo_sim_agilent_responder_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimAgilentResponder, cryo_sim_agilent_responder, CRYO, SIM_AGILENT_RESPONDER, GObject)

CryoSimAgilentResponder *cryo_sim_agilent_responder_new        (CryoSimPumpStation      *model,
                                                                guint                    address);
CryoSimPumpStation      *cryo_sim_agilent_responder_get_model  (CryoSimAgilentResponder *self);
guint                    cryo_sim_agilent_responder_get_address (CryoSimAgilentResponder *self);
guint                    cryo_sim_agilent_responder_get_n_bad_frames (CryoSimAgilentResponder *self);

G_END_DECLS
