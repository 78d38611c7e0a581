/* cryo-sim-agilent-responder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instrument side of the Agilent "Window" protocol in front of a
 * #CryoSimPumpStation: request bytes in, reply frames out.
 * shared/protocols/agilent-window.md, "Replies" and "Simulator behaviour".
 * No I/O apart from the optional command-log file; not thread-safe.
 */

#pragma once

#include <glib-object.h>

#include "cryo-sim-pump-station.h"

G_BEGIN_DECLS

#define CRYO_SIM_COMMAND_LOG_MAX 4096

#define CRYO_TYPE_SIM_AGILENT_RESPONDER (cryo_sim_agilent_responder_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimAgilentResponder, cryo_sim_agilent_responder, CRYO, SIM_AGILENT_RESPONDER, GObject)

CryoSimAgilentResponder *cryo_sim_agilent_responder_new        (CryoSimPumpStation      *model,
                                                                guint                    address);
CryoSimPumpStation      *cryo_sim_agilent_responder_get_model  (CryoSimAgilentResponder *self);
guint                    cryo_sim_agilent_responder_get_address (CryoSimAgilentResponder *self);
GPtrArray               *cryo_sim_agilent_responder_feed       (CryoSimAgilentResponder *self,
                                                                const guint8            *bytes,
                                                                gsize                    len);
gboolean                 cryo_sim_agilent_responder_set_command_log_path (CryoSimAgilentResponder *self,
                                                                          const char              *path,
                                                                          GError                 **error);
char                   **cryo_sim_agilent_responder_dup_command_log (CryoSimAgilentResponder *self);
guint                    cryo_sim_agilent_responder_get_n_bad_frames (CryoSimAgilentResponder *self);

G_END_DECLS
