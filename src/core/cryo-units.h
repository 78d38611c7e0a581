/* cryo-units.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CryoQuantity:
 *
 * What a channel measures; each has one canonical unit (DESIGN.md "Core types"):
 * pressure Pa, temperature K, rotation rpm, frequency Hz, current A, time h,
 * gas flow l/min.
 */
typedef enum
{
  CRYO_QUANTITY_NONE,
  CRYO_QUANTITY_PRESSURE,
  CRYO_QUANTITY_TEMPERATURE,
  CRYO_QUANTITY_ROTATION_SPEED,
  CRYO_QUANTITY_FREQUENCY,
  CRYO_QUANTITY_CURRENT,
  CRYO_QUANTITY_PERCENT,
  CRYO_QUANTITY_DURATION,
  CRYO_QUANTITY_STATE,
  CRYO_QUANTITY_FLOW,
} CryoQuantity;

/**
 * CryoUnit:
 *
 * Units Cryomon reads, stores or displays. Values are stored in the canonical
 * unit of their quantity and converted only for display and export.
 */
typedef enum
{
  CRYO_UNIT_NONE,
  CRYO_UNIT_PA,
  CRYO_UNIT_MBAR,
  CRYO_UNIT_TORR,
  CRYO_UNIT_KPA,
  CRYO_UNIT_BAR,
  CRYO_UNIT_PSI,
  CRYO_UNIT_KELVIN,
  CRYO_UNIT_CELSIUS,
  CRYO_UNIT_RPM,
  CRYO_UNIT_HZ,
  CRYO_UNIT_AMPERE,
  CRYO_UNIT_PERCENT,
  CRYO_UNIT_HOURS,
  CRYO_UNIT_FAHRENHEIT,
  CRYO_UNIT_LITRES_PER_MINUTE,
} CryoUnit;

#define CRYO_TYPE_QUANTITY (cryo_quantity_get_type ())
#define CRYO_TYPE_UNIT     (cryo_unit_get_type ())

GType        cryo_quantity_get_type        (void) G_GNUC_CONST;
GType        cryo_unit_get_type            (void) G_GNUC_CONST;

CryoQuantity cryo_unit_get_quantity        (CryoUnit      unit);
CryoUnit     cryo_quantity_get_canonical_unit (CryoQuantity quantity);
const char  *cryo_unit_get_symbol          (CryoUnit      unit);
const char  *cryo_unit_get_label_symbol    (CryoUnit      unit);
gboolean     cryo_unit_from_symbol         (const char   *symbol,
                                            CryoUnit     *unit);
double       cryo_unit_convert             (double        value,
                                            CryoUnit      from,
                                            CryoUnit      to);

G_END_DECLS
