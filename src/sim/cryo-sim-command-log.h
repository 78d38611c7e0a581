/* cryo-sim-command-log.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command log of a simulated instrument: one line per command that
 * reached it, kept in memory and optionally appended to a file, so that
 * tests can prove which commands reached the wire. DESIGN.md "Simulator".
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRYO_SIM_COMMAND_LOG_MAX 4096

#define CRYO_TYPE_SIM_COMMAND_LOG (cryo_sim_command_log_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimCommandLog, cryo_sim_command_log, CRYO, SIM_COMMAND_LOG, GObject)

CryoSimCommandLog  *cryo_sim_command_log_new       (void);
gboolean            cryo_sim_command_log_set_path  (CryoSimCommandLog  *self,
                                                    const char         *path,
                                                    GError            **error);
void                cryo_sim_command_log_append    (CryoSimCommandLog  *self,
                                                    const char         *line);
char              **cryo_sim_command_log_dup_lines (CryoSimCommandLog  *self);

G_END_DECLS
