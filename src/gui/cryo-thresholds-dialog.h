/* cryo-thresholds-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-session.h"

G_BEGIN_DECLS

#define CRYO_TYPE_THRESHOLDS_DIALOG (cryo_thresholds_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CryoThresholdsDialog, cryo_thresholds_dialog, CRYO, THRESHOLDS_DIALOG, AdwWindow)

CryoThresholdsDialog *cryo_thresholds_dialog_new       (CryoSession          *session,
                                                        CryoDevice           *device);
AdwEntryRow          *cryo_thresholds_dialog_get_row   (CryoThresholdsDialog *self,
                                                        const char           *channel);

G_END_DECLS
