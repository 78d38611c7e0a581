/* cryo-compressor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-cpa.h"
#include "cryo-device.h"

G_BEGIN_DECLS

#define CRYO_TYPE_COMPRESSOR (cryo_compressor_get_type ())

G_DECLARE_FINAL_TYPE (CryoCompressor, cryo_compressor, CRYO, COMPRESSOR, CryoDevice)

#define CRYO_COMPRESSOR_DEFAULT_POLL_MS 2000

extern const CryoDeviceKind cryo_compressor_kind;

gboolean               cryo_compressor_check_start  (const CryoReading *state,
                                                     const CryoReading *alarm_bits,
                                                     gint64             now_us,
                                                     gint64             max_age_us,
                                                     char             **reason);
CryoDevice            *cryo_compressor_new          (CryoLink       *link);
const CryoCpaSnapshot *cryo_compressor_get_snapshot (CryoCompressor *self);
int                    cryo_compressor_get_state    (CryoCompressor *self);

G_END_DECLS
