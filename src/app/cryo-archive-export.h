/* cryo-archive-export.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean cryo_archive_export_csv (const char          *archive_path,
                                  const char          *csv_path,
                                  gint64               from_us,
                                  gint64               to_us,
                                  const char * const  *device_names,
                                  GSettings           *settings,
                                  GError             **error);

G_END_DECLS
