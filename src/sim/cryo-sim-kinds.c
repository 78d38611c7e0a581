/* cryo-sim-kinds.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulators Cryomon has: one line per instrument.
 */

#define G_LOG_DOMAIN "cryo-sim-kinds"

#include "config.h"

#include "cryo-sim-cpa-server.h"
#include "cryo-sim-kinds.h"
#include "cryo-sim-pump-station-server.h"

static const CryoSimKind * const kinds[] = {
  &cryo_sim_pump_station_kind,
  &cryo_sim_cpa_kind,
  NULL
};

/**
 * cryo_sim_get_kinds:
 *
 * Returns: (transfer none) (array zero-terminated=1): every simulator, in
 *   the order the demo starts them and `cryomon-sim --help` lists them
 */
const CryoSimKind * const *
cryo_sim_get_kinds (void)
{
  return kinds;
}
