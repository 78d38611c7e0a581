/* test-units.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <math.h>

#include "cryo-units.h"

static const struct
{
  CryoUnit      unit;
  const char   *symbol;
  CryoQuantity  quantity;
} units[] = {
  { CRYO_UNIT_NONE, "", CRYO_QUANTITY_NONE },
  { CRYO_UNIT_PA, "Pa", CRYO_QUANTITY_PRESSURE },
  { CRYO_UNIT_MBAR, "mbar", CRYO_QUANTITY_PRESSURE },
  { CRYO_UNIT_TORR, "Torr", CRYO_QUANTITY_PRESSURE },
  { CRYO_UNIT_KPA, "kPa", CRYO_QUANTITY_PRESSURE },
  { CRYO_UNIT_BAR, "bar", CRYO_QUANTITY_PRESSURE },
  { CRYO_UNIT_PSI, "psi", CRYO_QUANTITY_PRESSURE },
  { CRYO_UNIT_KELVIN, "K", CRYO_QUANTITY_TEMPERATURE },
  { CRYO_UNIT_CELSIUS, "°C", CRYO_QUANTITY_TEMPERATURE },
  { CRYO_UNIT_RPM, "rpm", CRYO_QUANTITY_ROTATION_SPEED },
  { CRYO_UNIT_HZ, "Hz", CRYO_QUANTITY_FREQUENCY },
  { CRYO_UNIT_AMPERE, "A", CRYO_QUANTITY_CURRENT },
  { CRYO_UNIT_PERCENT, "%", CRYO_QUANTITY_PERCENT },
  { CRYO_UNIT_HOURS, "h", CRYO_QUANTITY_DURATION },
  { CRYO_UNIT_FAHRENHEIT, "°F", CRYO_QUANTITY_TEMPERATURE },
  { CRYO_UNIT_LITRES_PER_MINUTE, "l/min", CRYO_QUANTITY_FLOW },
};

/* Pascals per unit, from the definitions, for the pressure units. */
static double
pascals_per (CryoUnit unit)
{
  switch (unit)
    {
    case CRYO_UNIT_PA: return 1;
    case CRYO_UNIT_MBAR: return 100;
    case CRYO_UNIT_TORR: return 101325.0 / 760.0;
    case CRYO_UNIT_KPA: return 1000;
    case CRYO_UNIT_BAR: return 100000;
    case CRYO_UNIT_PSI: return 6894.757293168;
    default: g_assert_not_reached ();
    }
}

static void
assert_close (double actual,
              double expected)
{
  double tolerance = fabs (expected) * 1e-12 + 1e-300;

  if (!(fabs (actual - expected) <= tolerance))
    g_error ("%.17g is not %.17g", actual, expected);
}

static void
test_symbols (void)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (units) == CRYO_UNIT_LITRES_PER_MINUTE + 1);

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      CryoUnit parsed = CRYO_UNIT_LITRES_PER_MINUTE + 1;

      g_assert_cmpstr (cryo_unit_get_symbol (units[i].unit), ==, units[i].symbol);
      g_assert_true (cryo_unit_from_symbol (units[i].symbol, &parsed));
      g_assert_cmpint (parsed, ==, units[i].unit);
      g_assert_cmpint (cryo_unit_get_quantity (units[i].unit), ==, units[i].quantity);
    }
}

static void
test_from_symbol (void)
{
  static const char *rejected[] = { "pa", "PA", "MBAR", "mBar", "torr", "KPA", "Bar", "PSI",
                                    "k", "°c", "degc", "C", "RPM", "hz", "a", "H", " Pa", "Pa ",
                                    "furlong", "deg C" };
  CryoUnit unit = CRYO_UNIT_PA;

  g_assert_true (cryo_unit_from_symbol ("degC", &unit));
  g_assert_cmpint (unit, ==, CRYO_UNIT_CELSIUS);

  for (guint i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      unit = CRYO_UNIT_HOURS;
      g_assert_false (cryo_unit_from_symbol (rejected[i], &unit));
      g_assert_cmpint (unit, ==, CRYO_UNIT_HOURS);
    }
}

static void
test_canonical (void)
{
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_NONE), ==, CRYO_UNIT_NONE);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_PRESSURE), ==, CRYO_UNIT_PA);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_TEMPERATURE), ==, CRYO_UNIT_KELVIN);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_ROTATION_SPEED), ==, CRYO_UNIT_RPM);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_FREQUENCY), ==, CRYO_UNIT_HZ);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_CURRENT), ==, CRYO_UNIT_AMPERE);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_PERCENT), ==, CRYO_UNIT_PERCENT);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_DURATION), ==, CRYO_UNIT_HOURS);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_STATE), ==, CRYO_UNIT_NONE);
  g_assert_cmpint (cryo_quantity_get_canonical_unit (CRYO_QUANTITY_FLOW), ==, CRYO_UNIT_LITRES_PER_MINUTE);

  /* Every canonical unit measures its own quantity. */
  for (CryoQuantity q = CRYO_QUANTITY_PRESSURE; q <= CRYO_QUANTITY_DURATION; q++)
    g_assert_cmpint (cryo_unit_get_quantity (cryo_quantity_get_canonical_unit (q)), ==, q);
}

static void
test_known_values (void)
{
  assert_close (cryo_unit_convert (1, CRYO_UNIT_MBAR, CRYO_UNIT_PA), 100);
  assert_close (cryo_unit_convert (760, CRYO_UNIT_TORR, CRYO_UNIT_PA), 101325);
  assert_close (cryo_unit_convert (101325, CRYO_UNIT_PA, CRYO_UNIT_TORR), 760);
  assert_close (cryo_unit_convert (1013.25, CRYO_UNIT_MBAR, CRYO_UNIT_TORR), 760);
  assert_close (cryo_unit_convert (1, CRYO_UNIT_KPA, CRYO_UNIT_PA), 1000);
  assert_close (cryo_unit_convert (1, CRYO_UNIT_BAR, CRYO_UNIT_MBAR), 1000);
  assert_close (cryo_unit_convert (1, CRYO_UNIT_PSI, CRYO_UNIT_PA), 6894.757293168);
  assert_close (cryo_unit_convert (14.69594877551422, CRYO_UNIT_PSI, CRYO_UNIT_TORR), 760);
  assert_close (cryo_unit_convert (1e-7, CRYO_UNIT_MBAR, CRYO_UNIT_PA), 1e-5);
  assert_close (cryo_unit_convert (0, CRYO_UNIT_CELSIUS, CRYO_UNIT_KELVIN), 273.15);
  assert_close (cryo_unit_convert (4.2, CRYO_UNIT_KELVIN, CRYO_UNIT_CELSIUS), -268.95);
  assert_close (cryo_unit_convert (-273.15, CRYO_UNIT_CELSIUS, CRYO_UNIT_KELVIN), 0);
  assert_close (cryo_unit_convert (32, CRYO_UNIT_FAHRENHEIT, CRYO_UNIT_KELVIN), 273.15);
  assert_close (cryo_unit_convert (212, CRYO_UNIT_FAHRENHEIT, CRYO_UNIT_CELSIUS), 100);
  assert_close (cryo_unit_convert (-40, CRYO_UNIT_CELSIUS, CRYO_UNIT_FAHRENHEIT), -40);
  /* A CPA panel in °F: 71.132 °F coolant (cryomech-cpa-modbus.md vector) */
  assert_close (cryo_unit_convert (71.132, CRYO_UNIT_FAHRENHEIT, CRYO_UNIT_KELVIN), 294.89);
  g_assert_cmpfloat (cryo_unit_convert (81000, CRYO_UNIT_RPM, CRYO_UNIT_RPM), ==, 81000);
  g_assert_true (isnan (cryo_unit_convert (NAN, CRYO_UNIT_PA, CRYO_UNIT_MBAR)));
  g_assert_true (isnan (cryo_unit_convert (NAN, CRYO_UNIT_KELVIN, CRYO_UNIT_CELSIUS)));
}

/* Independent reference: the defining formulas, through kelvin. */
static double
to_kelvin (double   x,
           CryoUnit unit)
{
  switch (unit)
    {
    case CRYO_UNIT_CELSIUS:    return x + 273.15;
    case CRYO_UNIT_FAHRENHEIT: return (x + 459.67) * 5.0 / 9.0;
    default:                   return x;
    }
}

static double
from_kelvin (double   kelvin,
             CryoUnit unit)
{
  switch (unit)
    {
    case CRYO_UNIT_CELSIUS:    return kelvin - 273.15;
    case CRYO_UNIT_FAHRENHEIT: return kelvin * 9.0 / 5.0 - 459.67;
    default:                   return kelvin;
    }
}

static void
test_every_pair (void)
{
  static const double samples[] = { 0, 1e-9, 3.7e-4, 1, 42.5, 101325, -12.5 };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (units); j++)
        {
          CryoUnit from = units[i].unit;
          CryoUnit to = units[j].unit;

          for (guint k = 0; k < G_N_ELEMENTS (samples); k++)
            {
              double x = samples[k];
              double y = cryo_unit_convert (x, from, to);

              if (from == to)
                {
                  g_assert_cmpfloat (y, ==, x);
                }
              else if (units[i].quantity != units[j].quantity)
                {
                  g_assert_true (isnan (y));
                }
              else if (units[i].quantity == CRYO_QUANTITY_PRESSURE)
                {
                  assert_close (y, x * pascals_per (from) / pascals_per (to));
                  assert_close (cryo_unit_convert (y, to, from), x);
                }
              else
                {
                  g_assert_cmpint (units[i].quantity, ==, CRYO_QUANTITY_TEMPERATURE);
                  /* Offsets and scales: absolute error relative to 273.15 */
                  g_assert_cmpfloat_with_epsilon (y, from_kelvin (to_kelvin (x, from), to), 1e-9);
                  g_assert_cmpfloat_with_epsilon (cryo_unit_convert (y, to, from), x, 1e-9);
                }
            }
        }
    }
}

static void
test_enum_types (void)
{
  g_autoptr(GEnumClass) quantity = g_type_class_ref (CRYO_TYPE_QUANTITY);
  g_autoptr(GEnumClass) unit = g_type_class_ref (CRYO_TYPE_UNIT);

  g_assert_cmpuint (quantity->n_values, ==, CRYO_QUANTITY_FLOW + 1);
  g_assert_cmpuint (unit->n_values, ==, CRYO_UNIT_LITRES_PER_MINUTE + 1);
  g_assert_cmpstr (g_enum_get_value (quantity, CRYO_QUANTITY_PRESSURE)->value_nick, ==, "pressure");
  g_assert_cmpstr (g_enum_get_value (unit, CRYO_UNIT_CELSIUS)->value_nick, ==, "celsius");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/units/symbols", test_symbols);
  g_test_add_func ("/units/from-symbol", test_from_symbol);
  g_test_add_func ("/units/canonical", test_canonical);
  g_test_add_func ("/units/known-values", test_known_values);
  g_test_add_func ("/units/every-pair", test_every_pair);
  g_test_add_func ("/units/enum-types", test_enum_types);

  return g_test_run ();
}
