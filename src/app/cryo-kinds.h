/* cryo-kinds.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device-kind.h"

G_BEGIN_DECLS

/**
 * CryoKindRegistration:
 * @device: the instrument kind (its #CryoDevice subclass and descriptor)
 *
 * One instrument as the app layer pairs it: the device kind, and the
 * simulator that speaks its protocol.
 */
typedef struct
{
  const CryoDeviceKind *device;
} CryoKindRegistration;

void                        cryo_kinds_register_all (void);
const CryoKindRegistration *cryo_kinds_get_all      (guint       *n_registrations);
const CryoKindRegistration *cryo_kinds_lookup       (const char  *kind_id);

G_END_DECLS
