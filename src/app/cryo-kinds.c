/* cryo-kinds.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that lists Cryomon's instruments: each line pairs a device
 * kind with its simulator (DESIGN.md "Adding an instrument"). Nothing else
 * in the program names a kind.
 */

#define G_LOG_DOMAIN "cryo-kinds"

#include "config.h"

#include "cryo-compressor.h"
#include "cryo-cryostream.h"
#include "cryo-cti-pump.h"
#include "cryo-incubator.h"
#include "cryo-kinds.h"
#include "cryo-pump-station.h"
#include "cryo-sim-cpa-server.h"
#include "cryo-sim-cryostream-server.h"
#include "cryo-sim-cti-server.h"
#include "cryo-sim-incuvers-server.h"
#include "cryo-sim-pump-station-server.h"

static const CryoKindRegistration registrations[] = {
  { &cryo_pump_station_kind, &cryo_sim_pump_station_kind },
  { &cryo_compressor_kind, &cryo_sim_cpa_kind },
  { &cryo_cryostream_kind, &cryo_sim_cryostream_kind },
  { &cryo_cti_pump_kind, &cryo_sim_cti_kind },
  { &cryo_incubator_kind, &cryo_sim_incuvers_kind },
};

/**
 * cryo_kinds_register_all:
 *
 * Registers every instrument kind with the device registry
 * (cryo_device_kind_register()). Call once at start-up, before any device
 * configuration is parsed; calling it again is harmless.
 */
void
cryo_kinds_register_all (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (registrations); i++)
    cryo_device_kind_register (registrations[i].device);
}

/**
 * cryo_kinds_get_all:
 * @n_registrations: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_registrations): every
 *   instrument, in the order the UI lists them
 */
const CryoKindRegistration *
cryo_kinds_get_all (guint *n_registrations)
{
  g_return_val_if_fail (n_registrations != NULL, NULL);

  *n_registrations = G_N_ELEMENTS (registrations);
  return registrations;
}

/**
 * cryo_kinds_lookup:
 * @kind_id: a kind id ("pump-station")
 *
 * Returns: (transfer none) (nullable): the instrument's registration
 */
const CryoKindRegistration *
cryo_kinds_lookup (const char *kind_id)
{
  g_return_val_if_fail (kind_id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (registrations); i++)
    if (g_str_equal (registrations[i].device->id, kind_id))
      return &registrations[i];

  return NULL;
}

/**
 * cryo_kinds_dup_simulators:
 *
 * Returns: (transfer container) (array zero-terminated=1): every
 *   instrument's simulator, in registration order; free the array with
 *   g_free()
 */
const CryoSimKind **
cryo_kinds_dup_simulators (void)
{
  const CryoSimKind **simulators = g_new0 (const CryoSimKind *, G_N_ELEMENTS (registrations) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (registrations); i++)
    simulators[i] = registrations[i].simulator;

  return simulators;
}
