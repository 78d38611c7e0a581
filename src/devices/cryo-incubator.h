/* cryo-incubator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Incuvers incubator: a stream instrument (its controller sends a
 * CRC-checked status line about once a second, unasked) whose set points
 * and modes are changed by command lines that only its later status lines
 * confirm. shared/protocols/incuvers-pilink.md.
 */

#pragma once

#include "cryo-device.h"
#include "cryo-incuvers.h"

G_BEGIN_DECLS

/* A change is pending until a status line reflects it; after this long
 * without, it was not accepted (issue 10). */
#define CRYO_INCUBATOR_CONFIRM_TIMEOUT_MS 10000
/* No valid status line for this long makes the device stale (issue 10). */
#define CRYO_INCUBATOR_STALE_MS           10000

#define CRYO_TYPE_INCUBATOR (cryo_incubator_get_type ())

G_DECLARE_FINAL_TYPE (CryoIncubator, cryo_incubator, CRYO, INCUBATOR, CryoDevice)

extern const CryoDeviceKind cryo_incubator_kind;

const CryoIncuversStatus *cryo_incubator_get_status   (CryoIncubator              *self);
gboolean                  cryo_incubator_is_pending   (CryoIncubator              *self);
void                      cryo_incubator_apply_async  (CryoIncubator              *self,
                                                       const CryoIncuversSetting  *settings,
                                                       guint                       n_settings,
                                                       GCancellable               *cancellable,
                                                       GAsyncReadyCallback         callback,
                                                       gpointer                    user_data);
gboolean                  cryo_incubator_apply_finish (CryoIncubator              *self,
                                                       GAsyncResult               *result,
                                                       GError                    **error);

G_END_DECLS
