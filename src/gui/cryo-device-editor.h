/* cryo-device-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-session.h"

G_BEGIN_DECLS

#define CRYO_TYPE_DEVICE_EDITOR (cryo_device_editor_get_type ())

G_DECLARE_FINAL_TYPE (CryoDeviceEditor, cryo_device_editor, CRYO, DEVICE_EDITOR, GtkBox)

CryoDeviceEditor *cryo_device_editor_new (CryoSession *session,
                                          GSettings   *settings,
                                          int          position);

G_END_DECLS
