/* cryo-device-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cryo-condition-set.h"
#include "cryo-device.h"

G_BEGIN_DECLS

#define CRYO_TYPE_DEVICE_ROW (cryo_device_row_get_type ())

G_DECLARE_FINAL_TYPE (CryoDeviceRow, cryo_device_row, CRYO, DEVICE_ROW, GtkListBoxRow)

CryoDeviceRow *cryo_device_row_new        (CryoDevice       *device,
                                           CryoConditionSet *conditions);
CryoDevice    *cryo_device_row_get_device (CryoDeviceRow *self);

G_END_DECLS
