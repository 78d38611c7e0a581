/* cryo-connect-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-application.h"

G_BEGIN_DECLS

#define CRYO_TYPE_CONNECT_DIALOG (cryo_connect_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CryoConnectDialog, cryo_connect_dialog, CRYO, CONNECT_DIALOG, AdwWindow)

CryoConnectDialog *cryo_connect_dialog_new (CryoApplication *application);

G_END_DECLS
