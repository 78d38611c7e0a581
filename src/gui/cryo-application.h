/* cryo-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-device-config.h"

G_BEGIN_DECLS

#define CRYO_TYPE_APPLICATION (cryo_application_get_type ())

G_DECLARE_FINAL_TYPE (CryoApplication, cryo_application, CRYO, APPLICATION, AdwApplication)

CryoApplication *cryo_application_new          (GPtrArray       *configs,
                                                gboolean         demo);
GListModel      *cryo_application_get_devices  (CryoApplication *self);
gboolean         cryo_application_get_demo     (CryoApplication *self);
GSettings       *cryo_application_get_settings (CryoApplication *self);
const char      *cryo_application_get_config_error (CryoApplication *self);
gboolean         cryo_application_connect_device (CryoApplication  *self,
                                                  CryoDeviceConfig *config,
                                                  GError          **error);

G_END_DECLS
