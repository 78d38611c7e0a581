/* cryo-cti-regen-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-device.h"
#include "cryo-panel-extensions.h"

G_BEGIN_DECLS

#define CRYO_TYPE_CTI_REGEN_DIALOG (cryo_cti_regen_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CryoCtiRegenDialog, cryo_cti_regen_dialog, CRYO, CTI_REGEN_DIALOG, AdwPreferencesWindow)

extern const CryoPanelExtension cryo_cti_regen_panel_extension;

CryoCtiRegenDialog *cryo_cti_regen_dialog_new         (CryoDevice         *device);
CryoDevice         *cryo_cti_regen_dialog_get_device  (CryoCtiRegenDialog *self);
GtkSpinButton      *cryo_cti_regen_dialog_get_field   (CryoCtiRegenDialog *self,
                                                       const char         *command);

G_END_DECLS
