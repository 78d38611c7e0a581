/* cryo-device-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-condition-set.h"
#include "cryo-device.h"

G_BEGIN_DECLS

#define CRYO_TYPE_DEVICE_PANEL (cryo_device_panel_get_type ())

G_DECLARE_FINAL_TYPE (CryoDevicePanel, cryo_device_panel, CRYO, DEVICE_PANEL, GtkWidget)

CryoDevicePanel *cryo_device_panel_new           (CryoDevice      *device,
                                                  GSettings       *settings);
CryoDevicePanel *cryo_device_panel_new_with_conditions (CryoDevice       *device,
                                                        GSettings        *settings,
                                                        CryoConditionSet *conditions);
CryoDevice      *cryo_device_panel_get_device    (CryoDevicePanel *self);
void             cryo_device_panel_add_extension (CryoDevicePanel *self,
                                                  GtkWidget       *widget);
GtkSpinButton   *cryo_device_panel_get_param_field (CryoDevicePanel *self,
                                                  const char      *action,
                                                  const char      *param);
AdwComboRow     *cryo_device_panel_get_param_choice (CryoDevicePanel *self,
                                                   const char      *action,
                                                   const char      *param);

G_END_DECLS
