/* test-channel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-object.h>
#include <math.h>

#include "cryo-channel.h"

#define SEC G_GINT64_CONSTANT (1000000)
#define T0 (G_GINT64_CONSTANT (1770470625) * SEC)

static void
test_properties (void)
{
  CryoChannel *channel = cryo_channel_new ("pump.pressure", "Chamber pressure", "pressure",
                                           CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG, 3, 128);
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *csv_name = NULL;
  CryoQuantity quantity;
  CryoUnit unit;
  CryoScale scale;
  guint digits;
  guint64 capacity;

  g_assert_cmpstr (cryo_channel_get_id (channel), ==, "pump.pressure");
  g_assert_cmpstr (cryo_channel_get_label (channel), ==, "Chamber pressure");
  g_assert_cmpstr (cryo_channel_get_csv_name (channel), ==, "pressure");
  g_assert_cmpint (cryo_channel_get_quantity (channel), ==, CRYO_QUANTITY_PRESSURE);
  g_assert_cmpint (cryo_channel_get_unit (channel), ==, CRYO_UNIT_PA);
  g_assert_cmpint (cryo_channel_get_scale (channel), ==, CRYO_SCALE_LOG);
  g_assert_cmpuint (cryo_channel_get_digits (channel), ==, 3);
  g_assert_nonnull (cryo_channel_get_history (channel));
  g_assert_cmpuint (cryo_history_get_capacity (cryo_channel_get_history (channel)), >=, 128);
  g_assert_cmpuint (cryo_history_get_n_samples (cryo_channel_get_history (channel)), ==, 0);

  g_object_get (channel,
                "id", &id,
                "label", &label,
                "csv-name", &csv_name,
                "quantity", &quantity,
                "unit", &unit,
                "scale", &scale,
                "digits", &digits,
                "history-capacity", &capacity,
                NULL);
  g_assert_cmpstr (id, ==, "pump.pressure");
  g_assert_cmpstr (label, ==, "Chamber pressure");
  g_assert_cmpstr (csv_name, ==, "pressure");
  g_assert_cmpint (quantity, ==, CRYO_QUANTITY_PRESSURE);
  g_assert_cmpint (unit, ==, CRYO_UNIT_PA);
  g_assert_cmpint (scale, ==, CRYO_SCALE_LOG);
  g_assert_cmpuint (digits, ==, 3);
  g_assert_cmpuint (capacity, ==, 128);

  g_assert_finalize_object (channel);
}

static void
test_units (void)
{
  static const struct
  {
    CryoQuantity quantity;
    CryoUnit     unit;
  } expected[] = {
    { CRYO_QUANTITY_NONE, CRYO_UNIT_NONE },
    { CRYO_QUANTITY_PRESSURE, CRYO_UNIT_PA },
    { CRYO_QUANTITY_TEMPERATURE, CRYO_UNIT_KELVIN },
    { CRYO_QUANTITY_ROTATION_SPEED, CRYO_UNIT_RPM },
    { CRYO_QUANTITY_FREQUENCY, CRYO_UNIT_HZ },
    { CRYO_QUANTITY_CURRENT, CRYO_UNIT_AMPERE },
    { CRYO_QUANTITY_PERCENT, CRYO_UNIT_PERCENT },
    { CRYO_QUANTITY_DURATION, CRYO_UNIT_HOURS },
    { CRYO_QUANTITY_STATE, CRYO_UNIT_NONE },
    { CRYO_QUANTITY_FLOW, CRYO_UNIT_LITRES_PER_MINUTE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      CryoChannel *channel = cryo_channel_new ("x.y", "X", "x", expected[i].quantity,
                                               CRYO_SCALE_LINEAR, 4, 8);

      g_assert_cmpint (cryo_channel_get_unit (channel), ==, expected[i].unit);
      g_assert_finalize_object (channel);
    }
}

static void
assert_reading (CryoChannel *channel,
                double       value,
                gint64       time_us)
{
  CryoReading reading = cryo_channel_get_reading (channel);

  if (isnan (value))
    g_assert_true (isnan (reading.value));
  else
    g_assert_cmpfloat (reading.value, ==, value);
  g_assert_cmpint (reading.time_us, ==, time_us);
}

static void
test_reading (void)
{
  CryoChannel *channel = cryo_channel_new ("pump.speed", "Turbo speed", "speed",
                                           CRYO_QUANTITY_ROTATION_SPEED, CRYO_SCALE_LINEAR, 5, 16);
  CryoHistory *history = cryo_channel_get_history (channel);
  CryoSample last;

  /* Never read */
  assert_reading (channel, NAN, 0);
  g_assert_cmpint (cryo_channel_get_value_time (channel), ==, 0);

  g_assert_true (cryo_channel_push (channel, T0, 812));
  assert_reading (channel, 812, T0);

  g_assert_true (cryo_channel_push (channel, T0 + SEC, 0));
  assert_reading (channel, 0, T0 + SEC);

  /* A gap makes the reading unknown, stamped with the gap's time. */
  g_assert_true (cryo_channel_push (channel, T0 + 2 * SEC, NAN));
  assert_reading (channel, NAN, T0 + 2 * SEC);
  /* The last value is still that of before the gap. */
  g_assert_cmpint (cryo_channel_get_value_time (channel), ==, T0 + SEC);
  g_assert_true (cryo_history_get_last (history, &last));
  g_assert_true (isnan (last.value));

  g_assert_true (cryo_channel_push (channel, T0 + 3 * SEC, 81000));
  assert_reading (channel, 81000, T0 + 3 * SEC);
  g_assert_cmpint (cryo_channel_get_value_time (channel), ==, T0 + 3 * SEC);

  /* Time going backwards is refused and changes nothing. */
  g_assert_false (cryo_channel_push (channel, T0 + SEC, 5));
  assert_reading (channel, 81000, T0 + 3 * SEC);
  g_assert_cmpint (cryo_channel_get_value_time (channel), ==, T0 + 3 * SEC);
  g_assert_cmpuint (cryo_history_get_n_samples (history), ==, 4);
  g_assert_true (cryo_history_get_last (history, &last));
  g_assert_cmpint (last.time_us, ==, T0 + 3 * SEC);
  g_assert_cmpfloat (last.value, ==, 81000);

  g_assert_finalize_object (channel);
}

static void
test_enum_type (void)
{
  g_autoptr(GEnumClass) scale = g_type_class_ref (CRYO_TYPE_SCALE);

  g_assert_cmpuint (scale->n_values, ==, 2);
  g_assert_cmpstr (g_enum_get_value (scale, CRYO_SCALE_LOG)->value_nick, ==, "log");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/channel/properties", test_properties);
  g_test_add_func ("/channel/units", test_units);
  g_test_add_func ("/channel/reading", test_reading);
  g_test_add_func ("/channel/enum-type", test_enum_type);

  return g_test_run ();
}
