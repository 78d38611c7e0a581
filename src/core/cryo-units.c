/* cryo-units.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-units"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-units.h"

/* Pascals per unit for the pressure units; 0 for the others. */
static const struct
{
  CryoUnit      unit;
  CryoQuantity  quantity;
  const char   *symbol;
  double        pascals;
} unit_table[] = {
  { CRYO_UNIT_NONE,    CRYO_QUANTITY_NONE,           "",     0 },
  { CRYO_UNIT_PA,      CRYO_QUANTITY_PRESSURE,       "Pa",   1.0 },
  { CRYO_UNIT_MBAR,    CRYO_QUANTITY_PRESSURE,       "mbar", 100.0 },
  { CRYO_UNIT_TORR,    CRYO_QUANTITY_PRESSURE,       "Torr", 101325.0 / 760.0 },
  { CRYO_UNIT_KPA,     CRYO_QUANTITY_PRESSURE,       "kPa",  1000.0 },
  { CRYO_UNIT_BAR,     CRYO_QUANTITY_PRESSURE,       "bar",  100000.0 },
  { CRYO_UNIT_PSI,     CRYO_QUANTITY_PRESSURE,       "psi",  6894.757293168 },
  { CRYO_UNIT_KELVIN,  CRYO_QUANTITY_TEMPERATURE,    "K",    0 },
  { CRYO_UNIT_CELSIUS, CRYO_QUANTITY_TEMPERATURE,    "°C",   0 },
  /* The one symbol that is an English word's abbreviation: people read
   * it in their language (cryo_unit_get_label_symbol()), files keep it. */
  { CRYO_UNIT_RPM,     CRYO_QUANTITY_ROTATION_SPEED, NC_("unit symbol", "rpm"), 0 },
  { CRYO_UNIT_HZ,      CRYO_QUANTITY_FREQUENCY,      "Hz",   0 },
  { CRYO_UNIT_AMPERE,  CRYO_QUANTITY_CURRENT,        "A",    0 },
  { CRYO_UNIT_PERCENT, CRYO_QUANTITY_PERCENT,        "%",    0 },
  { CRYO_UNIT_HOURS,   CRYO_QUANTITY_DURATION,       "h",    0 },
  { CRYO_UNIT_FAHRENHEIT, CRYO_QUANTITY_TEMPERATURE, "°F",   0 },
  { CRYO_UNIT_LITRES_PER_MINUTE, CRYO_QUANTITY_FLOW, "l/min", 0 },
};

#define KELVIN_AT_ZERO_CELSIUS 273.15

static gboolean
unit_is_valid (CryoUnit unit)
{
  return (guint) unit < G_N_ELEMENTS (unit_table);
}

GType
cryo_quantity_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { CRYO_QUANTITY_NONE, "CRYO_QUANTITY_NONE", "none" },
        { CRYO_QUANTITY_PRESSURE, "CRYO_QUANTITY_PRESSURE", "pressure" },
        { CRYO_QUANTITY_TEMPERATURE, "CRYO_QUANTITY_TEMPERATURE", "temperature" },
        { CRYO_QUANTITY_ROTATION_SPEED, "CRYO_QUANTITY_ROTATION_SPEED", "rotation-speed" },
        { CRYO_QUANTITY_FREQUENCY, "CRYO_QUANTITY_FREQUENCY", "frequency" },
        { CRYO_QUANTITY_CURRENT, "CRYO_QUANTITY_CURRENT", "current" },
        { CRYO_QUANTITY_PERCENT, "CRYO_QUANTITY_PERCENT", "percent" },
        { CRYO_QUANTITY_DURATION, "CRYO_QUANTITY_DURATION", "duration" },
        { CRYO_QUANTITY_STATE, "CRYO_QUANTITY_STATE", "state" },
        { CRYO_QUANTITY_FLOW, "CRYO_QUANTITY_FLOW", "flow" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("CryoQuantity"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

GType
cryo_unit_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { CRYO_UNIT_NONE, "CRYO_UNIT_NONE", "none" },
        { CRYO_UNIT_PA, "CRYO_UNIT_PA", "pa" },
        { CRYO_UNIT_MBAR, "CRYO_UNIT_MBAR", "mbar" },
        { CRYO_UNIT_TORR, "CRYO_UNIT_TORR", "torr" },
        { CRYO_UNIT_KPA, "CRYO_UNIT_KPA", "kpa" },
        { CRYO_UNIT_BAR, "CRYO_UNIT_BAR", "bar" },
        { CRYO_UNIT_PSI, "CRYO_UNIT_PSI", "psi" },
        { CRYO_UNIT_KELVIN, "CRYO_UNIT_KELVIN", "kelvin" },
        { CRYO_UNIT_CELSIUS, "CRYO_UNIT_CELSIUS", "celsius" },
        { CRYO_UNIT_RPM, "CRYO_UNIT_RPM", "rpm" },
        { CRYO_UNIT_HZ, "CRYO_UNIT_HZ", "hz" },
        { CRYO_UNIT_AMPERE, "CRYO_UNIT_AMPERE", "ampere" },
        { CRYO_UNIT_PERCENT, "CRYO_UNIT_PERCENT", "percent" },
        { CRYO_UNIT_HOURS, "CRYO_UNIT_HOURS", "hours" },
        { CRYO_UNIT_FAHRENHEIT, "CRYO_UNIT_FAHRENHEIT", "fahrenheit" },
        { CRYO_UNIT_LITRES_PER_MINUTE, "CRYO_UNIT_LITRES_PER_MINUTE", "litres-per-minute" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("CryoUnit"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/**
 * cryo_unit_get_quantity:
 * @unit: a #CryoUnit
 *
 * Returns: what @unit measures; %CRYO_QUANTITY_NONE for %CRYO_UNIT_NONE and
 *   for values outside the enumeration
 */
CryoQuantity
cryo_unit_get_quantity (CryoUnit unit)
{
  if (!unit_is_valid (unit))
    return CRYO_QUANTITY_NONE;

  return unit_table[unit].quantity;
}

/**
 * cryo_quantity_get_canonical_unit:
 * @quantity: a #CryoQuantity
 *
 * The unit every value of @quantity is stored in (DESIGN.md "Core types"):
 * pressure Pa, temperature K, rotation speed rpm, frequency Hz, current A,
 * percent %, duration h, flow l/min; %CRYO_UNIT_NONE for state and none.
 *
 * Returns: the canonical unit
 */
CryoUnit
cryo_quantity_get_canonical_unit (CryoQuantity quantity)
{
  switch (quantity)
    {
    case CRYO_QUANTITY_PRESSURE:
      return CRYO_UNIT_PA;
    case CRYO_QUANTITY_TEMPERATURE:
      return CRYO_UNIT_KELVIN;
    case CRYO_QUANTITY_ROTATION_SPEED:
      return CRYO_UNIT_RPM;
    case CRYO_QUANTITY_FREQUENCY:
      return CRYO_UNIT_HZ;
    case CRYO_QUANTITY_CURRENT:
      return CRYO_UNIT_AMPERE;
    case CRYO_QUANTITY_PERCENT:
      return CRYO_UNIT_PERCENT;
    case CRYO_QUANTITY_DURATION:
      return CRYO_UNIT_HOURS;
    case CRYO_QUANTITY_FLOW:
      return CRYO_UNIT_LITRES_PER_MINUTE;
    case CRYO_QUANTITY_NONE:
    case CRYO_QUANTITY_STATE:
    default:
      return CRYO_UNIT_NONE;
    }
}

/**
 * cryo_unit_get_symbol:
 * @unit: a #CryoUnit
 *
 * The symbol written to files. Symbols are SI or customary notation and
 * are not translated: "Pa", "mbar", "Torr", "kPa", "bar", "psi", "K", "°C",
 * "°F" (UTF-8), "rpm", "Hz", "A", "%", "h". Labels take
 * cryo_unit_get_label_symbol(), which translates "rpm".
 *
 * Returns: (transfer none): the symbol, "" for %CRYO_UNIT_NONE and for values
 *   outside the enumeration
 */
const char *
cryo_unit_get_symbol (CryoUnit unit)
{
  if (!unit_is_valid (unit))
    return "";

  return unit_table[unit].symbol;
}

/**
 * cryo_unit_get_label_symbol:
 * @unit: a #CryoUnit
 *
 * The symbol shown to people: cryo_unit_get_symbol()'s, in the user's
 * language where it writes the symbol otherwise (German "U/min" for "rpm").
 * Never for files or machine-read output, which take cryo_unit_get_symbol().
 *
 * Returns: (transfer none): the symbol, "" for %CRYO_UNIT_NONE and for values
 *   outside the enumeration
 */
const char *
cryo_unit_get_label_symbol (CryoUnit unit)
{
  const char *symbol = cryo_unit_get_symbol (unit);

  if (symbol[0] == '\0')
    return symbol;

  return g_dpgettext2 (GETTEXT_PACKAGE, "unit symbol", symbol);
}

/**
 * cryo_unit_from_symbol:
 * @symbol: a unit symbol as written by cryo_unit_get_symbol(), or "degC" or "degF"
 * @unit: (out): where to store the unit
 *
 * Parses a symbol, case-sensitively ("Pa" and "PA" differ; "mbar" is not
 * "mBar"). "degC" is accepted as an ASCII spelling of "°C"; "" gives
 * %CRYO_UNIT_NONE.
 *
 * Returns: %TRUE and sets @unit when @symbol is known; %FALSE and leaves
 *   @unit alone otherwise
 */
gboolean
cryo_unit_from_symbol (const char *symbol,
                       CryoUnit   *unit)
{
  g_return_val_if_fail (symbol != NULL, FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);

  if (strcmp (symbol, "degC") == 0)
    {
      *unit = CRYO_UNIT_CELSIUS;
      return TRUE;
    }

  if (strcmp (symbol, "degF") == 0)
    {
      *unit = CRYO_UNIT_FAHRENHEIT;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (unit_table); i++)
    {
      if (strcmp (symbol, unit_table[i].symbol) == 0)
        {
          *unit = unit_table[i].unit;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * cryo_unit_convert:
 * @value: a value in @from
 * @from: the unit of @value
 * @to: the unit wanted
 *
 * Converts between units of the same quantity: pressure through pascals
 * (1 mbar = 100 Pa, 1 Torr = 101325/760 Pa, 1 kPa, 1 bar = 10⁵ Pa,
 * 1 psi = 6894.757293168 Pa), temperature as °C = K − 273.15 and
 * °F = °C × 9/5 + 32, identity for
 * @from == @to. NaN stays NaN (a gap).
 *
 * Returns: @value in @to, or NaN when the units measure different
 *   quantities
 */
double
cryo_unit_convert (double   value,
                   CryoUnit from,
                   CryoUnit to)
{
  if (!unit_is_valid (from) || !unit_is_valid (to))
    return NAN;

  if (from == to)
    return value;

  if (unit_table[from].quantity != unit_table[to].quantity)
    return NAN;

  switch (unit_table[from].quantity)
    {
    case CRYO_QUANTITY_PRESSURE:
      if (from == CRYO_UNIT_PA)
        return value / unit_table[to].pascals;
      if (to == CRYO_UNIT_PA)
        return value * unit_table[from].pascals;
      return value * unit_table[from].pascals / unit_table[to].pascals;

    case CRYO_QUANTITY_TEMPERATURE:
      {
        double kelvin;

        if (from == CRYO_UNIT_CELSIUS)
          kelvin = value + KELVIN_AT_ZERO_CELSIUS;
        else if (from == CRYO_UNIT_FAHRENHEIT)
          kelvin = (value - 32.0) * 5.0 / 9.0 + KELVIN_AT_ZERO_CELSIUS;
        else
          kelvin = value;

        if (to == CRYO_UNIT_CELSIUS)
          return kelvin - KELVIN_AT_ZERO_CELSIUS;
        if (to == CRYO_UNIT_FAHRENHEIT)
          return (kelvin - KELVIN_AT_ZERO_CELSIUS) * 9.0 / 5.0 + 32.0;
        return kelvin;
      }

    /* Every other quantity has a single unit, so from == to above. */
    case CRYO_QUANTITY_NONE:
    case CRYO_QUANTITY_ROTATION_SPEED:
    case CRYO_QUANTITY_FREQUENCY:
    case CRYO_QUANTITY_CURRENT:
    case CRYO_QUANTITY_PERCENT:
    case CRYO_QUANTITY_DURATION:
    case CRYO_QUANTITY_STATE:
    case CRYO_QUANTITY_FLOW:
    default:
      return NAN;
    }
}
