/* cryo-sim-kinds.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-sim-kind.h"

G_BEGIN_DECLS

const CryoSimKind * const *cryo_sim_get_kinds (void);

G_END_DECLS
