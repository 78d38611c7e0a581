/* fuzz-cpa-registers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cryomech CPA register map decoder (cryo-cpa.h) on any register
 * values, as a Modbus read could return them. The input is the registers,
 * two bytes each, big-endian as on the wire; an odd last byte is dropped.
 * - the decode fails exactly when it sets an error, and then leaves the
 *   snapshot untouched; it succeeds only for 33 registers;
 * - a decoded snapshot holds what the registers say (state, running,
 *   scales, serial, model, software) and only finite values;
 * - encoding the snapshot (cryo_cpa_encode_input_registers(), the
 *   simulator's encoder) gives back the same registers wherever the map
 *   defines them: all but the undefined high bytes of registers 29-30, and
 *   a warning or alarm float of -0.0, which means the same as +0.0;
 * - decoding those registers again gives the same snapshot;
 * - the names shown for the state, model and bits are UTF-8.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cryo-cpa.h"

#include "fuzz-target.h"

/* More than the map has, so wrong counts are tried too. */
#define MAX_REGISTERS 40

#define REG(n) ((n) - CRYO_CPA_FIRST_INPUT_REGISTER)

static gboolean
float_is_minus_zero (const guint16 *registers)
{
  float value = cryo_cpa_float_from_registers (registers);

  return value == 0.0f && signbit (value);
}

static void
assert_same_snapshot (const CryoCpaSnapshot *a,
                      const CryoCpaSnapshot *b)
{
  const double *x[] = {
    &a->coolant_in, &a->coolant_out, &a->oil, &a->helium, &a->low_pressure,
    &a->low_pressure_average, &a->high_pressure, &a->high_pressure_average,
    &a->delta_pressure_average, &a->motor_current, &a->hours,
  };
  const double *y[] = {
    &b->coolant_in, &b->coolant_out, &b->oil, &b->helium, &b->low_pressure,
    &b->low_pressure_average, &b->high_pressure, &b->high_pressure_average,
    &b->delta_pressure_average, &b->motor_current, &b->hours,
  };

  g_assert_cmpuint (a->state, ==, b->state);
  g_assert_cmpint (!a->running, ==, !b->running);
  g_assert_cmpuint (a->warnings, ==, b->warnings);
  g_assert_cmpuint (a->alarms, ==, b->alarms);
  g_assert_cmpint (a->pressure_scale, ==, b->pressure_scale);
  g_assert_cmpint (a->temperature_scale, ==, b->temperature_scale);
  g_assert_cmpuint (a->serial_number, ==, b->serial_number);
  g_assert_cmpuint (a->model_code, ==, b->model_code);
  g_assert_cmpuint (a->software_major, ==, b->software_major);
  g_assert_cmpuint (a->software_minor, ==, b->software_minor);

  /* Bit for bit: -0.0 stays -0.0. */
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    g_assert_cmpmem (x[i], sizeof (double), y[i], sizeof (double));
}

static void
check_snapshot (const guint16         *registers,
                const CryoCpaSnapshot *s)
{
  const double *values[] = {
    &s->coolant_in, &s->coolant_out, &s->oil, &s->helium, &s->low_pressure,
    &s->low_pressure_average, &s->high_pressure, &s->high_pressure_average,
    &s->delta_pressure_average, &s->motor_current, &s->hours,
  };
  g_auto(GStrv) warnings = NULL;
  g_auto(GStrv) alarms = NULL;
  g_autofree char *state = NULL;
  g_autofree char *model = NULL;

  g_assert_cmpuint (s->state, ==, registers[REG (1)]);
  g_assert_cmpuint (registers[REG (2)], <=, 1);
  g_assert_cmpint (!s->running, ==, !registers[REG (2)]);
  g_assert_cmpuint (s->warnings, <=, 0x7FFFFFFF);
  g_assert_cmpuint (s->alarms, <=, 0x7FFFFFFF);
  g_assert_cmpint (s->pressure_scale, ==, registers[REG (29)] & 0xFF);
  g_assert_cmpint (s->pressure_scale, <=, CRYO_CPA_PRESSURE_SCALE_KPA);
  g_assert_cmpint (s->temperature_scale, ==, registers[REG (30)] & 0xFF);
  g_assert_cmpint (s->temperature_scale, <=, CRYO_CPA_TEMPERATURE_SCALE_KELVIN);
  g_assert_cmpuint (s->serial_number, ==, registers[REG (31)]);
  g_assert_cmpuint (s->model_code, ==, registers[REG (32)]);
  g_assert_cmpuint ((s->software_major << 8) | s->software_minor, ==, registers[REG (33)]);

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_true (isfinite (*values[i]));

  warnings = cryo_cpa_bits_to_strv (s->warnings);
  alarms = cryo_cpa_bits_to_strv (s->alarms);
  state = cryo_cpa_dup_state_name (s->state);
  model = cryo_cpa_dup_model_name (s->model_code);
  for (guint i = 0; warnings[i] != NULL; i++)
    g_assert_true (g_utf8_validate (warnings[i], -1, NULL));
  for (guint i = 0; alarms[i] != NULL; i++)
    g_assert_true (g_utf8_validate (alarms[i], -1, NULL));
  g_assert_true (g_utf8_validate (state, -1, NULL));
  g_assert_true (g_utf8_validate (model, -1, NULL));
  g_assert_cmpuint (g_strv_length (warnings), ==, __builtin_popcount (s->warnings));
  g_assert_cmpuint (g_strv_length (alarms), ==, __builtin_popcount (s->alarms));
}

static void
check_round_trip (const guint16         *registers,
                  const CryoCpaSnapshot *snapshot)
{
  guint16 encoded[CRYO_CPA_N_INPUT_REGISTERS];
  CryoCpaSnapshot again;
  g_autoptr(GError) error = NULL;

  cryo_cpa_encode_input_registers (snapshot, encoded);

  for (guint n = 1; n <= CRYO_CPA_N_INPUT_REGISTERS; n++)
    {
      guint16 expected = registers[REG (n)];

      /* Registers 29-30: only the low byte is defined. */
      if (n == 29 || n == 30)
        expected &= 0xFF;

      /* Warning and alarm sets: -0.0 is the empty set, written +0.0. */
      if ((n == 3 || n == 4) && float_is_minus_zero (registers + REG (3)))
        expected = 0;
      if ((n == 5 || n == 6) && float_is_minus_zero (registers + REG (5)))
        expected = 0;

      g_assert_cmpuint (encoded[REG (n)], ==, expected);
    }

  g_assert_true (cryo_cpa_decode_input_registers (encoded, G_N_ELEMENTS (encoded), &again, &error));
  g_assert_no_error (error);
  assert_same_snapshot (snapshot, &again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint16 registers[MAX_REGISTERS];
  gsize n_registers = size / 2;
  CryoCpaSnapshot snapshot, untouched;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  fuzz_make_warnings_fatal ();

  if (n_registers > MAX_REGISTERS)
    return 0;

  for (gsize i = 0; i < n_registers; i++)
    registers[i] = (guint16) (data[2 * i] << 8 | data[2 * i + 1]);

  memset (&snapshot, 0x5A, sizeof snapshot);
  memcpy (&untouched, &snapshot, sizeof snapshot);

  ok = cryo_cpa_decode_input_registers (n_registers > 0 ? registers : NULL, n_registers,
                                        &snapshot, &error);

  if (!ok)
    {
      fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
      g_assert_cmpint (error->code, ==, CRYO_PROTOCOL_ERROR_MALFORMED);
      g_assert_cmpmem (&snapshot, sizeof snapshot, &untouched, sizeof untouched);
      return 0;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (n_registers, ==, CRYO_CPA_N_INPUT_REGISTERS);
  check_snapshot (registers, &snapshot);
  check_round_trip (registers, &snapshot);

  return 0;
}
