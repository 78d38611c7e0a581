/* cryo-sim-pty.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pseudo-terminal a simulator serves a serial instrument on (byte
 * streams and Modbus RTU alike): see cryo_sim_server_start_pty().
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean cryo_sim_pty_open   (int         *master_fd,
                              int         *slave_fd,
                              char       **pty_path,
                              GError     **error);
gboolean cryo_sim_pty_link   (const char  *pty_path,
                              const char  *link_path,
                              GError     **error);
void     cryo_sim_pty_unlink (const char  *pty_path,
                              const char  *link_path);

G_END_DECLS
