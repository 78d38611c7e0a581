/* test-http-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

guint  http_request (const char  *host_and_port,
                     const char  *method,
                     const char  *path,
                     char       **body,
                     GError     **error);
guint  free_tcp_port (void);
void   remove_tree   (const char  *path);

G_END_DECLS
