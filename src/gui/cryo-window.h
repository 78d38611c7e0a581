/* cryo-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-session.h"

G_BEGIN_DECLS

#define CRYO_TYPE_WINDOW (cryo_window_get_type ())

G_DECLARE_FINAL_TYPE (CryoWindow, cryo_window, CRYO, WINDOW, AdwApplicationWindow)

CryoWindow *cryo_window_new             (GtkApplication  *application,
                                         CryoSession     *session,
                                         GSettings       *settings);
gboolean    cryo_window_export_to_path  (CryoWindow      *self,
                                         const char      *path,
                                         GError         **error);
void        cryo_window_export          (CryoWindow      *self,
                                         const char      *path);
void        cryo_window_add_toast       (CryoWindow      *self,
                                         const char      *title);

G_END_DECLS
