/* cryo-display-units.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cryo-channel.h"
#include "cryo-device-kind.h"

G_BEGIN_DECLS

GSettings *cryo_settings_new_if_installed     (void);
CryoUnit   cryo_settings_get_unit             (GSettings            *settings,
                                               const char           *key,
                                               CryoUnit              fallback);
CryoUnit   cryo_settings_get_pressure_unit    (GSettings            *settings);
const char *cryo_display_unit_key             (CryoQuantity          quantity,
                                               CryoScale             scale);
CryoUnit   cryo_display_unit_for              (GSettings            *settings,
                                               CryoQuantity          quantity,
                                               CryoScale             scale);
CryoUnit   cryo_display_unit_for_channel      (GSettings            *settings,
                                               CryoChannel          *channel);
guint      cryo_settings_get_poll_interval    (GSettings            *settings,
                                               const CryoDeviceKind *kind);
void       cryo_settings_set_poll_interval    (GSettings            *settings,
                                               const CryoDeviceKind *kind,
                                               guint                 poll_interval_ms);

guint      cryo_settings_get_service_hours    (GSettings             *settings,
                                               const CryoDeviceKind  *kind,
                                               const CryoChannelInfo *channel);
guint      cryo_settings_get_service_lead_days (GSettings            *settings);

G_END_DECLS
