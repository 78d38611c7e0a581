/* cryo-devices-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-session.h"

G_BEGIN_DECLS

#define CRYO_TYPE_DEVICES_DIALOG (cryo_devices_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CryoDevicesDialog, cryo_devices_dialog, CRYO, DEVICES_DIALOG, AdwPreferencesWindow)

CryoDevicesDialog *cryo_devices_dialog_new (CryoSession *session,
                                            GSettings   *settings);

G_END_DECLS
