/* cryo-cryostream.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Oxford Cryosystems Cryostream 700/800 gas-stream cooler: a stream
 * instrument (it sends a status packet every second, unasked) that runs
 * temperature programs. shared/protocols/oxford-cryostream.md.
 */

#pragma once

#include "cryo-device.h"
#include "cryo-oxcryo.h"

G_BEGIN_DECLS

/* An action is done only when a status packet shows it within this time
 * (issue 8: "verified against the controller's own status packets"). */
#define CRYO_CRYOSTREAM_CONFIRM_TIMEOUT_MS 5000
/* Standard packets from a controller that could send extended ones: after
 * this many, SetFormat(1) is sent again ("Status packets"). */
#define CRYO_CRYOSTREAM_SET_FORMAT_RETRY   5

#define CRYO_TYPE_CRYOSTREAM (cryo_cryostream_get_type ())

G_DECLARE_FINAL_TYPE (CryoCryostream, cryo_cryostream, CRYO, CRYOSTREAM, CryoDevice)

extern const CryoDeviceKind cryo_cryostream_kind;

const CryoOxcryoStatus *cryo_cryostream_get_status       (CryoCryostream *self);
guint                   cryo_cryostream_get_n_set_format (CryoCryostream *self);

G_END_DECLS
