/* cryo-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device.h"

G_BEGIN_DECLS

#define CRYO_TYPE_DEMO (cryo_demo_get_type ())

G_DECLARE_FINAL_TYPE (CryoDemo, cryo_demo, CRYO, DEMO, GObject)

CryoDemo  *cryo_demo_new         (GError   **error);
GPtrArray *cryo_demo_get_devices (CryoDemo  *self);

G_END_DECLS
