/* cryo-kinds.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device-kind.h"
#include "cryo-sim-kind.h"

G_BEGIN_DECLS

/**
 * CryoKindRegistration:
 * @device: the instrument kind (its #CryoDevice subclass and descriptor)
 * @simulator: the simulator that speaks its protocol, for the demo and
 *   `cryomon-sim`
 *
 * One instrument as the app layer pairs it: the device kind, and the
 * simulator that speaks its protocol.
 */
typedef struct
{
  const CryoDeviceKind *device;
  const CryoSimKind    *simulator;
} CryoKindRegistration;

void                        cryo_kinds_register_all (void);
const CryoKindRegistration *cryo_kinds_get_all      (guint       *n_registrations);
const CryoKindRegistration *cryo_kinds_lookup       (const char  *kind_id);
const CryoSimKind         **cryo_kinds_dup_simulators (void);

G_END_DECLS
