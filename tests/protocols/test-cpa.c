/* test-cpa.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the Cryomech CPA register-map codec against
 * shared/protocols/cryomech-cpa-modbus.md and every vector of
 * tests/vectors/cryomech-cpa-modbus.json (turned into cpa-vectors.h at build
 * time by gen-cpa-vectors.py).
 */

#define G_LOG_DOMAIN "test-cpa"

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <modbus.h>

#include "cryo-cpa.h"

#include "cpa-vectors.h"

/* The reply frame of cryomech-cpa-modbus.md, "Test vectors", as printed
 * there (it is not in the JSON file). */
static const char spec_reply_frame[] =
  "10 04 42 00 03 00 01 00 00 00 00 00 00 00 00 43 96 42 8E A6 E9 42 C2 18 10 42 C6 DC 6A 43 16 AC CD "
  "42 8E 7C 29 42 9A 1C 4A 43 90 98 73 43 91 E2 0C 43 58 C2 8F 41 D5 3F 00 46 C1 00 00 00 00 04 D2 "
  "04 13 02 03 61 EE";

/* Float fields by first register, with the name error messages use
 * ("Input registers"). */
static const struct
{
  guint       first_register;
  const char *name;
} float_fields[] = {
  { 3,  "Warning state" },
  { 5,  "Alarm state" },
  { 7,  "Coolant in temperature" },
  { 9,  "Coolant out temperature" },
  { 11, "Oil temperature" },
  { 13, "Helium temperature" },
  { 15, "Low pressure" },
  { 17, "Low pressure average" },
  { 19, "High pressure" },
  { 21, "High pressure average" },
  { 23, "Delta pressure average" },
  { 25, "Motor current" },
  { 27, "Hours of operation" },
};

/* "Warning and alarm state", capitalised, "comm" spelled out. */
static const char * const expected_bit_names[] = {
  "Coolant in high", "Coolant in low", "Coolant out high", "Coolant out low",
  "Oil high", "Oil low", "Helium high", "Helium low",
  "Low pressure high", "Low pressure low", "High pressure high", "High pressure low",
  "Delta pressure high", "Delta pressure low", "Motor current low", "Three-phase error",
  "Power supply error", "Static pressure high", "Static pressure low", "Cold-head motor stall",
  "Coolant in sensor", "Coolant out sensor", "Helium sensor", "Oil sensor",
  "High pressure sensor", "Low pressure sensor", "Motor current sensor", "Motor current high",
  "Inverter error", "Driver communication loss", "Inverter communication loss",
};

/* "Operating state" */
static const struct
{
  guint       state;
  const char *name;
} expected_states[] = {
  { 0,  "Idle" },
  { 2,  "Starting" },
  { 3,  "Running" },
  { 5,  "Stopping" },
  { 6,  "Error lockout" },
  { 7,  "Error" },
  { 8,  "Helium overtemperature cool-down" },
  { 9,  "Power-related error" },
  { 15, "Recovered from error" },
};

/* What each request vector must say, by description ("Control",
 * "Addressing", "Transports"). */
static const struct
{
  const char *description;
  guint8      function;
  guint16     address;
  guint16     value;    /* written value (06) or register count (04) */
  guint16     transaction;
} expected_requests[] = {
  { "start", 0x06, CRYO_CPA_CONTROL_REGISTER, CRYO_CPA_CONTROL_START, 0 },
  { "stop (0x00FF)", 0x06, CRYO_CPA_CONTROL_REGISTER, CRYO_CPA_CONTROL_STOP, 0 },
  { "stop (0xFFFF, vendor sample)", 0x06, CRYO_CPA_CONTROL_REGISTER, CRYO_CPA_CONTROL_STOP_VENDOR, 0 },
  { "read 33 input registers from address 1", 0x04, CRYO_CPA_FIRST_INPUT_REGISTER,
    CRYO_CPA_N_INPUT_REGISTERS, 0 },
  { "same read over TCP, transaction 1, unit 1", 0x04, CRYO_CPA_FIRST_INPUT_REGISTER,
    CRYO_CPA_N_INPUT_REGISTERS, 1 },
};

/* CRC-16/Modbus (poly 0xA001 reflected, init 0xFFFF), test-local so the
 * spec's frames are checked independently of libmodbus. */
static guint16
crc16_modbus (const guint8 *bytes,
              gsize         len)
{
  guint16 crc = 0xFFFF;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= bytes[i];
      for (guint b = 0; b < 8; b++)
        crc = (crc & 1) ? (crc >> 1) ^ 0xA001 : crc >> 1;
    }

  return crc;
}

static void
assert_rtu_crc (const guint8 *frame,
                gsize         len)
{
  guint16 crc;

  g_assert_cmpuint (len, >=, 4);
  crc = crc16_modbus (frame, len - 2);
  /* low byte first ("Test vectors") */
  g_assert_cmphex (frame[len - 2], ==, crc & 0xFF);
  g_assert_cmphex (frame[len - 1], ==, crc >> 8);
}

static guint16
be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static GByteArray *
parse_hex (const char *text)
{
  GByteArray *out = g_byte_array_new ();
  g_auto(GStrv) parts = g_strsplit (text, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint8 b;

      g_assert_cmpuint (strlen (parts[i]), ==, 2);
      g_assert_true (g_ascii_isxdigit (parts[i][0]) && g_ascii_isxdigit (parts[i][1]));
      b = (guint8) (g_ascii_xdigit_value (parts[i][0]) * 16 + g_ascii_xdigit_value (parts[i][1]));
      g_byte_array_append (out, &b, 1);
    }

  return out;
}

/* Within float rounding of a decimal value from the spec. */
static void
assert_float_close (double value,
                    double expected)
{
  g_assert_cmpfloat (fabs (value - expected), <=, fabs (expected) * FLT_EPSILON);
}

static float
float_at (const guint16 *registers,
          guint          first_register)
{
  return modbus_get_float_cdab (registers + first_register - 1);
}

static guint32
float_bits (float f)
{
  guint32 u;

  memcpy (&u, &f, sizeof u);
  return u;
}

static gboolean
same_double (double a,
             double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

static CryoCpaSnapshot
decode_ok (const guint16 *registers)
{
  g_autoptr(GError) error = NULL;
  CryoCpaSnapshot s;

  g_assert_true (cryo_cpa_decode_input_registers (registers, CRYO_CPA_N_INPUT_REGISTERS,
                                                  &s, &error));
  g_assert_no_error (error);

  return s;
}

/* Decoding must fail with MALFORMED, leave the snapshot alone and say
 * something; returns the message. */
static char *
decode_malformed (const guint16 *registers,
                  gsize          n_registers)
{
  g_autoptr(GError) error = NULL;
  CryoCpaSnapshot s;
  CryoCpaSnapshot before;

  memset (&s, 0xA5, sizeof s);
  memcpy (&before, &s, sizeof s);
  g_assert_false (cryo_cpa_decode_input_registers (registers, n_registers, &s, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpmem (&s, sizeof s, &before, sizeof before);

  return g_strdup (error->message);
}

static void
assert_snapshots_equal (const CryoCpaSnapshot *a,
                        const CryoCpaSnapshot *b)
{
  g_assert_cmpuint (a->state, ==, b->state);
  g_assert_cmpint (a->running, ==, b->running);
  g_assert_cmphex (a->warnings, ==, b->warnings);
  g_assert_cmphex (a->alarms, ==, b->alarms);
  g_assert_true (same_double (a->coolant_in, b->coolant_in));
  g_assert_true (same_double (a->coolant_out, b->coolant_out));
  g_assert_true (same_double (a->oil, b->oil));
  g_assert_true (same_double (a->helium, b->helium));
  g_assert_true (same_double (a->low_pressure, b->low_pressure));
  g_assert_true (same_double (a->low_pressure_average, b->low_pressure_average));
  g_assert_true (same_double (a->high_pressure, b->high_pressure));
  g_assert_true (same_double (a->high_pressure_average, b->high_pressure_average));
  g_assert_true (same_double (a->delta_pressure_average, b->delta_pressure_average));
  g_assert_true (same_double (a->motor_current, b->motor_current));
  g_assert_true (same_double (a->hours, b->hours));
  g_assert_cmpint (a->pressure_scale, ==, b->pressure_scale);
  g_assert_cmpint (a->temperature_scale, ==, b->temperature_scale);
  g_assert_cmpuint (a->serial_number, ==, b->serial_number);
  g_assert_cmpuint (a->model_code, ==, b->model_code);
  g_assert_cmpuint (a->software_major, ==, b->software_major);
  g_assert_cmpuint (a->software_minor, ==, b->software_minor);
}

static const CpaVector *
find_vector (CpaVectorKind kind)
{
  for (gsize i = 0; i < CPA_N_VECTORS; i++)
    {
      if (cpa_vectors[i].kind == kind)
        return &cpa_vectors[i];
    }

  g_error ("no vector of kind %d", kind);
}

/* Checks a register array against an input_registers "decoded" block. */
static void
check_decoded (const guint16    *registers,
               const CpaDecoded *d)
{
  CryoCpaSnapshot s = decode_ok (registers);
  const struct
  {
    double      value;
    double      expected;
    guint       first_register;
  } floats[] = {
    { s.coolant_in, d->coolant_in, 7 },
    { s.coolant_out, d->coolant_out, 9 },
    { s.oil, d->oil, 11 },
    { s.helium, d->helium, 13 },
    { s.low_pressure, d->low_pressure, 15 },
    { s.low_pressure_average, d->low_pressure_average, 17 },
    { s.high_pressure, d->high_pressure, 19 },
    { s.high_pressure_average, d->high_pressure_average, 21 },
    { s.delta_pressure_average, d->delta_pressure_average, 23 },
    { s.motor_current, d->motor_current, 25 },
    { s.hours, d->hours, 27 },
  };
  g_autofree char *model = NULL;
  g_autofree char *revision = NULL;
  CryoCpaPressureScale pressure_scale;
  CryoCpaTemperatureScale temperature_scale;

  g_assert_cmpuint (s.state, ==, d->operating_state);
  g_assert_cmpint (s.running, ==, d->running);
  g_assert_cmpfloat (cryo_cpa_bits_to_float (s.warnings), ==, d->warning_state);
  g_assert_cmpfloat (cryo_cpa_bits_to_float (s.alarms), ==, d->alarm_state);
  g_assert_cmpfloat (float_at (registers, 3), ==, d->warning_state);
  g_assert_cmpfloat (float_at (registers, 5), ==, d->alarm_state);

  for (gsize i = 0; i < G_N_ELEMENTS (floats); i++)
    {
      assert_float_close (floats[i].value, floats[i].expected);
      g_assert_cmpfloat (floats[i].value, ==, float_at (registers, floats[i].first_register));
    }

  if (g_str_equal (d->pressure_scale, "psi"))
    pressure_scale = CRYO_CPA_PRESSURE_SCALE_PSI;
  else if (g_str_equal (d->pressure_scale, "bar"))
    pressure_scale = CRYO_CPA_PRESSURE_SCALE_BAR;
  else if (g_str_equal (d->pressure_scale, "kPa"))
    pressure_scale = CRYO_CPA_PRESSURE_SCALE_KPA;
  else
    g_error ("unknown pressure scale “%s” in the vectors", d->pressure_scale);

  if (g_str_equal (d->temperature_scale, "F"))
    temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT;
  else if (g_str_equal (d->temperature_scale, "C"))
    temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_CELSIUS;
  else if (g_str_equal (d->temperature_scale, "K"))
    temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_KELVIN;
  else
    g_error ("unknown temperature scale “%s” in the vectors", d->temperature_scale);

  g_assert_cmpint (s.pressure_scale, ==, pressure_scale);
  g_assert_cmpint (s.temperature_scale, ==, temperature_scale);
  g_assert_cmpuint (s.serial_number, ==, d->serial_number);

  model = cryo_cpa_dup_model_name (s.model_code);
  g_assert_cmpstr (model, ==, d->model);
  revision = g_strdup_printf ("%u.%u", s.software_major, s.software_minor);
  g_assert_cmpstr (revision, ==, d->software_revision);
}

static void
check_request_vector (const CpaVector *v,
                      gboolean        *seen)
{
  const guint8 *pdu;
  guint unit;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (expected_requests); i++)
    {
      if (g_str_equal (expected_requests[i].description, v->description))
        break;
    }
  if (i == G_N_ELEMENTS (expected_requests))
    g_error ("request vector “%s” is not known to this test", v->description);
  g_assert_false (seen[i]);
  seen[i] = TRUE;

  if (v->kind == CPA_VECTOR_RTU_REQUEST)
    {
      /* unit, function, address, value/count, CRC ("Transports") */
      g_assert_cmpuint (v->n_bytes, ==, 8);
      assert_rtu_crc (v->bytes, v->n_bytes);
      unit = v->bytes[0];
      g_assert_cmpuint (unit, ==, CRYO_CPA_DEFAULT_RTU_UNIT_ID);
      g_assert_cmpuint (expected_requests[i].transaction, ==, 0);
      pdu = v->bytes + 1;
    }
  else
    {
      /* MBAP header: transaction, protocol 0, length of unit + PDU, unit */
      g_assert_cmpint (v->kind, ==, CPA_VECTOR_TCP_REQUEST);
      g_assert_cmpuint (v->n_bytes, ==, 12);
      g_assert_cmpuint (be16 (v->bytes), ==, expected_requests[i].transaction);
      g_assert_cmpuint (be16 (v->bytes + 2), ==, 0);
      g_assert_cmpuint (be16 (v->bytes + 4), ==, v->n_bytes - 6);
      unit = v->bytes[6];
      g_assert_cmpuint (unit, ==, CRYO_CPA_DEFAULT_TCP_UNIT_ID);
      pdu = v->bytes + 7;
    }

  g_assert_cmphex (pdu[0], ==, expected_requests[i].function);
  g_assert_cmpuint (be16 (pdu + 1), ==, expected_requests[i].address);
  g_assert_cmphex (be16 (pdu + 3), ==, expected_requests[i].value);
}

static void
check_input_registers_vector (const CpaVector *v)
{
  guint16 encoded[CRYO_CPA_N_INPUT_REGISTERS];
  CryoCpaSnapshot s;

  g_assert_cmpuint (v->start_address, ==, CRYO_CPA_FIRST_INPUT_REGISTER);
  g_assert_cmpuint (v->n_registers, ==, CRYO_CPA_N_INPUT_REGISTERS);
  check_decoded (v->registers, v->decoded);

  /* and back, register for register */
  s = decode_ok (v->registers);
  memset (encoded, 0xEE, sizeof encoded);
  cryo_cpa_encode_input_registers (&s, encoded);
  g_assert_cmpmem (encoded, sizeof encoded, v->registers, v->n_registers * sizeof (guint16));
}

static void
check_float_cdab_vector (const CpaVector *v)
{
  g_assert_cmpuint (v->n_examples, >, 0);

  for (gsize j = 0; j < v->n_examples; j++)
    {
      const CpaFloatExample *ex = &v->examples[j];
      float f = (float) ex->value;
      guint16 regs[2] = { 0xEEEE, 0xEEEE };
      float decoded = cryo_cpa_float_from_registers (ex->registers);

      /* the first register holds the low 16 bits ("Float word order") */
      g_assert_cmphex (ex->registers[0], ==, float_bits (f) & 0xFFFF);
      g_assert_cmphex (ex->registers[1], ==, float_bits (f) >> 16);

      g_assert_cmpfloat (decoded, ==, f);
      g_assert_cmpfloat (modbus_get_float_cdab (ex->registers), ==, f);
      assert_float_close (decoded, ex->value);
      cryo_cpa_float_to_registers (f, regs);
      g_assert_cmphex (regs[0], ==, ex->registers[0]);
      g_assert_cmphex (regs[1], ==, ex->registers[1]);
    }
}

static void
check_warning_state_vector (const CpaVector *v)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  guint32 expected = 0;
  guint32 bits = 0xDEADBEEF;

  for (gsize j = 0; j < v->n_bits; j++)
    {
      g_assert_cmpuint (v->bits[j], <, CRYO_CPA_N_STATUS_BITS);
      expected |= 1u << v->bits[j];
    }

  g_assert_true (cryo_cpa_bits_from_float ((float) v->value, &bits, &error));
  g_assert_no_error (error);
  g_assert_cmphex (bits, ==, expected);
  g_assert_cmpfloat (cryo_cpa_bits_to_float (expected), ==, v->value);

  /* The spec writes the names in lower case; the UI capitalises them. */
  names = cryo_cpa_bits_to_strv (bits);
  g_assert_cmpuint (g_strv_length (names), ==, v->n_bits);
  for (gsize j = 0; j < v->n_bits; j++)
    {
      g_assert_cmpstr (names[j], ==, cryo_cpa_bit_to_string (v->bits[j]));
      g_assert_cmpint (g_ascii_strcasecmp (names[j], v->names[j]), ==, 0);
      g_assert_true (g_ascii_isupper (names[j][0]));
    }
  g_assert_null (v->names[v->n_bits]);
}

static void
test_vectors (void)
{
  gboolean seen_requests[G_N_ELEMENTS (expected_requests)] = { 0 };
  guint n_kind[CPA_N_VECTOR_KINDS] = { 0 };
  guint n_checked = 0;

  g_assert_cmpuint (G_N_ELEMENTS (cpa_vectors), ==, CPA_N_VECTORS);

  for (gsize i = 0; i < CPA_N_VECTORS; i++)
    {
      const CpaVector *v = &cpa_vectors[i];

      g_test_message ("vector %" G_GSIZE_FORMAT ": %s", i, v->description);

      switch (v->kind)
        {
        case CPA_VECTOR_RTU_REQUEST:
        case CPA_VECTOR_TCP_REQUEST:
          check_request_vector (v, seen_requests);
          break;
        case CPA_VECTOR_INPUT_REGISTERS:
          check_input_registers_vector (v);
          break;
        case CPA_VECTOR_FLOAT_CDAB:
          check_float_cdab_vector (v);
          break;
        case CPA_VECTOR_WARNING_STATE:
          check_warning_state_vector (v);
          break;
        case CPA_N_VECTOR_KINDS:
        default:
          g_assert_not_reached ();
        }

      n_kind[v->kind]++;
      n_checked++;
    }

  g_assert_cmpuint (n_checked, ==, CPA_N_VECTORS);
  for (guint k = 0; k < CPA_N_VECTOR_KINDS; k++)
    g_assert_cmpuint (n_kind[k], >, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (expected_requests); i++)
    g_assert_true (seen_requests[i]);
}

/* The spec's float example, spelled out: 71.132 = 0x428E4396 → {0x4396,
 * 0x428E} ("Float word order"); and the codec's writer is the exact
 * inverse of libmodbus's reader for every bit pattern, NaNs included. */
static void
test_float_word_order (void)
{
  const guint16 regs[2] = { 0x4396, 0x428E };
  guint16 out[2] = { 0, 0 };

  g_assert_cmphex (float_bits (71.132f), ==, 0x428E4396);
  g_assert_cmpfloat (modbus_get_float_cdab (regs), ==, 71.132f);
  g_assert_cmpfloat (cryo_cpa_float_from_registers (regs), ==, 71.132f);
  cryo_cpa_float_to_registers (71.132f, out);
  g_assert_cmphex (out[0], ==, 0x4396);
  g_assert_cmphex (out[1], ==, 0x428E);

  for (guint i = 0; i < 100000; i++)
    {
      guint32 u = (guint32) g_test_rand_int ();
      guint16 pair[2];
      float f;

      if (i < 4)
        u = (const guint32[]) { 0, 0x80000000, 0x7F800000, 0xFFC00001 }[i];
      memcpy (&f, &u, sizeof f);
      cryo_cpa_float_to_registers (f, pair);
      g_assert_cmphex (pair[0], ==, u & 0xFFFF);
      g_assert_cmphex (pair[1], ==, u >> 16);
      g_assert_cmphex (float_bits (modbus_get_float_cdab (pair)), ==, u);
      g_assert_cmphex (float_bits (cryo_cpa_float_from_registers (pair)), ==, u);
    }
}

/* The RTU reply of "Test vectors": a consistent frame, decoding to the
 * values the spec lists; its data must be the JSON vector's registers. */
static void
test_spec_reply_frame (void)
{
  g_autoptr(GByteArray) frame = parse_hex (spec_reply_frame);
  const CpaVector *v = find_vector (CPA_VECTOR_INPUT_REGISTERS);
  guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
  g_autofree char *model = NULL;
  CryoCpaSnapshot s;
  guint n_differ = 0;

  g_assert_cmpuint (frame->len, ==, 3 + 2 * CRYO_CPA_N_INPUT_REGISTERS + 2);
  assert_rtu_crc (frame->data, frame->len);
  g_assert_cmphex (frame->data[0], ==, CRYO_CPA_DEFAULT_RTU_UNIT_ID);
  g_assert_cmphex (frame->data[1], ==, 0x04);
  g_assert_cmpuint (frame->data[2], ==, 2 * CRYO_CPA_N_INPUT_REGISTERS);

  for (guint i = 0; i < CRYO_CPA_N_INPUT_REGISTERS; i++)
    regs[i] = be16 (frame->data + 3 + 2 * i);

  /* the values the spec's prose lists for this reply */
  s = decode_ok (regs);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_RUNNING);
  g_assert_true (s.running);
  g_assert_cmphex (s.warnings, ==, 0);
  g_assert_cmphex (s.alarms, ==, 0);
  assert_float_close (s.coolant_in, 71.132);
  assert_float_close (s.coolant_out, 97.326);
  assert_float_close (s.oil, 99.047);
  assert_float_close (s.helium, 150.861);
  assert_float_close (s.low_pressure, 71.3375);
  assert_float_close (s.high_pressure, 288.221);
  assert_float_close (s.motor_current, 26.72);
  assert_float_close (s.hours, 24735.5);
  g_assert_cmpint (s.pressure_scale, ==, CRYO_CPA_PRESSURE_SCALE_PSI);
  g_assert_cmpint (s.temperature_scale, ==, CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT);
  g_assert_cmpuint (s.serial_number, ==, 1234);
  model = cryo_cpa_dup_model_name (s.model_code);
  g_assert_cmpstr (model, ==, "CPA1110");
  g_assert_cmpuint (s.software_major, ==, 2);
  g_assert_cmpuint (s.software_minor, ==, 3);

  /* The same registers as the JSON vector, big-endian words, except the
   * three averages (registers 17-18, 21-24): the spec's frame carries
   * 77.2425 / 291.191 / 216.883 psi there, the JSON 70.0 / 287.5 / 217.5.
   * The prose lists no averages, both are self-consistent (CRC, decoded
   * block), and shared/ is not ours to change: each is checked on its own,
   * and every other register must agree. */
  g_assert_cmpuint (v->n_registers, ==, CRYO_CPA_N_INPUT_REGISTERS);
  for (guint i = 0; i < CRYO_CPA_N_INPUT_REGISTERS; i++)
    {
      guint address = i + 1;
      gboolean average = (address >= 17 && address <= 18) || (address >= 21 && address <= 24);

      if (regs[i] != v->registers[i])
        {
          g_test_message ("register %u: frame 0x%04X, JSON 0x%04X", address, regs[i], v->registers[i]);
          g_assert_true (average);
          n_differ++;
        }
    }
  g_assert_cmpuint (n_differ, ==, 6);
  assert_float_close (s.low_pressure_average, 77.2425);
  assert_float_close (s.high_pressure_average, 291.191);
  assert_float_close (s.delta_pressure_average, 216.883);
}

static void
assert_bits_rejected (float value)
{
  g_autoptr(GError) error = NULL;
  guint32 bits = 0xDEADBEEF;

  g_assert_false (cryo_cpa_bits_from_float (value, &bits, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmphex (bits, ==, 0xDEADBEEF);
}

static guint32
bits_ok (float value)
{
  g_autoptr(GError) error = NULL;
  guint32 bits = 0xDEADBEEF;

  g_assert_true (cryo_cpa_bits_from_float (value, &bits, &error));
  g_assert_no_error (error);

  return bits;
}

static guint
span (guint32 bits)
{
  return (guint) (g_bit_nth_msf (bits, -1) - g_bit_nth_lsf (bits, -1));
}

/* "Warning and alarm state", and the 24-bit mantissa limit. */
static void
test_bits (void)
{
  guint n_exact = 0;
  guint n_lossy = 0;

  g_assert_cmphex (bits_ok (0.0f), ==, 0);
  g_assert_cmphex (bits_ok (-0.0f), ==, 0);
  g_assert_cmphex (bits_ok (-1.0f), ==, 0x1);
  g_assert_cmphex (bits_ok (-5.0f), ==, 0x5);
  g_assert_cmphex (bits_ok (-1073741824.0f), ==, 1u << 30);
  /* the largest float not below -(2^31 - 1) */
  g_assert_cmphex (bits_ok (-2147483520.0f), ==, 0x7FFFFF80);

  /* the empty set is +0.0, registers {0, 0} */
  g_assert_cmphex (float_bits (cryo_cpa_bits_to_float (0)), ==, 0);
  g_assert_cmpfloat (cryo_cpa_bits_to_float (0x5), ==, -5.0f);

  assert_bits_rejected (-2147483648.0f);   /* would need bit 31 */
  assert_bits_rejected (-4294967296.0f);
  assert_bits_rejected (-FLT_MAX);
  assert_bits_rejected (1.0f);
  assert_bits_rejected (5.0f);
  assert_bits_rejected (FLT_TRUE_MIN);
  assert_bits_rejected (0.5f);
  assert_bits_rejected (-0.5f);
  assert_bits_rejected (-2.5f);
  assert_bits_rejected (-FLT_TRUE_MIN);
  assert_bits_rejected (-1048576.5f);
  assert_bits_rejected (NAN);
  assert_bits_rejected (-NAN);
  assert_bits_rejected (INFINITY);
  assert_bits_rejected (-INFINITY);

  /* Every single bit is exact. */
  for (guint bit = 0; bit < CRYO_CPA_N_STATUS_BITS; bit++)
    {
      g_assert_cmpfloat (cryo_cpa_bits_to_float (1u << bit), ==, -ldexpf (1.0f, bit));
      g_assert_cmphex (bits_ok (cryo_cpa_bits_to_float (1u << bit)), ==, 1u << bit);
    }

  /* Pairs and runs of bits: exact exactly when they span at most 24 bit
   * positions (highest - lowest <= 23); otherwise the float is the sum
   * rounded to nearest, and decoding reports what that float says. */
  for (guint lo = 0; lo < CRYO_CPA_N_STATUS_BITS; lo++)
    {
      for (guint hi = lo + 1; hi < CRYO_CPA_N_STATUS_BITS; hi++)
        {
          guint32 pair = (1u << lo) | (1u << hi);
          guint32 run = (guint32) (((1ull << (hi + 1)) - 1) & ~((1ull << lo) - 1));
          guint32 sets[2] = { pair, run };

          for (guint k = 0; k < G_N_ELEMENTS (sets); k++)
            {
              float f = cryo_cpa_bits_to_float (sets[k]);
              guint32 back = bits_ok (f);

              if (hi - lo <= 23)
                {
                  g_assert_cmphex (back, ==, sets[k]);
                  g_assert_cmpfloat ((double) f, ==, -(double) sets[k]);
                  n_exact++;
                }
              else
                {
                  g_assert_cmphex (back, !=, sets[k]);
                  if ((double) sets[k] < 2147483584.0)
                    g_assert_cmpfloat (f, ==, -(float) sets[k]);
                  n_lossy++;
                }
            }
        }
    }
  g_test_message ("%u exact and %u lossy bit sets", n_exact, n_lossy);
  g_assert_cmpuint (n_lossy, >, 0);

  /* Bits 30 and 0: -(2^30 + 1) is not a float; it becomes -2^30, which
   * decodes to bit 30 alone. */
  g_assert_cmpfloat ((float) -(double) ((1u << 30) | 1), ==, -1073741824.0f);
  g_assert_cmpfloat (cryo_cpa_bits_to_float ((1u << 30) | 1), ==, -1073741824.0f);
  g_assert_cmphex (bits_ok (cryo_cpa_bits_to_float ((1u << 30) | 1)), ==, 1u << 30);
  /* Rounding can carry into a bit that was not set. */
  g_assert_cmphex (bits_ok (cryo_cpa_bits_to_float ((1u << 30) | 0xFFFFFF)),
                   ==, (1u << 30) | (1u << 24));
  /* All bits: the sum would round to -2^31, which does not decode; the
   * encoder gives the nearest float that does. */
  g_assert_cmpfloat (cryo_cpa_bits_to_float (0x7FFFFFFF), ==, -2147483520.0f);
  g_assert_cmphex (bits_ok (cryo_cpa_bits_to_float (0x7FFFFFFF)), ==, 0x7FFFFF80);
  g_assert_cmpfloat (cryo_cpa_bits_to_float (0x7FFFFFC0), ==, -2147483520.0f);
  g_assert_cmpfloat (cryo_cpa_bits_to_float (0x7FFFFFBF), ==, -2147483520.0f);

  /* Random sets: always decodable; exact within 24 bit positions. */
  for (guint i = 0; i < 20000; i++)
    {
      guint32 bits = (guint32) g_test_rand_int () & 0x7FFFFFFF;
      float f;
      guint32 back;

      if (i % 2 == 0 && bits != 0)
        bits &= 0xFFFFFFu << g_test_rand_int_range (0, 8);
      f = cryo_cpa_bits_to_float (bits);
      back = bits_ok (f);
      if (bits == 0 || span (bits) <= 23)
        g_assert_cmphex (back, ==, bits);
      else
        g_assert_cmpfloat (fabs ((double) back - (double) bits), <=,
                           ldexp (1.0, g_bit_nth_msf (bits, -1) - 23));
    }
}

static void
test_states (void)
{
  guint n_known = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (expected_states); i++)
    {
      g_autofree char *dup = cryo_cpa_dup_state_name (expected_states[i].state);

      g_assert_true (cryo_cpa_state_is_known (expected_states[i].state));
      g_assert_cmpstr (cryo_cpa_state_to_string (expected_states[i].state), ==,
                       expected_states[i].name);
      g_assert_cmpstr (dup, ==, expected_states[i].name);
    }

  for (guint state = 0; state <= G_MAXUINT16 + 1u; state++)
    {
      if (cryo_cpa_state_is_known (state))
        {
          n_known++;
          continue;
        }
      g_assert_cmpstr (cryo_cpa_state_to_string (state), ==, "Unknown");
      if (state < 20 || state == G_MAXUINT16)
        {
          g_autofree char *dup = cryo_cpa_dup_state_name (state);
          g_autofree char *expected = g_strdup_printf ("Unknown (%u)", state);

          g_assert_cmpstr (dup, ==, expected);
        }
    }
  g_assert_cmpuint (n_known, ==, G_N_ELEMENTS (expected_states));

  /* An unknown state decodes: a newer panel may add states. */
  {
    const CpaVector *v = find_vector (CPA_VECTOR_INPUT_REGISTERS);
    const guint unknown[] = { 1, 4, 10, 14, 16, 255, 0x1234, G_MAXUINT16 };

    for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
      {
        guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
        CryoCpaSnapshot s;

        memcpy (regs, v->registers, sizeof regs);
        regs[0] = unknown[i];
        s = decode_ok (regs);
        g_assert_cmpuint (s.state, ==, unknown[i]);
        g_assert_false (cryo_cpa_state_is_known (s.state));
      }
  }
}

static void
test_bit_names (void)
{
  g_auto(GStrv) none = cryo_cpa_bits_to_strv (0);
  g_auto(GStrv) all = cryo_cpa_bits_to_strv (0x7FFFFFFF);
  g_auto(GStrv) five = cryo_cpa_bits_to_strv (bits_ok (-5.0f));
  const char * const five_expected[] = { "Coolant in high", "Coolant out high", NULL };

  g_assert_cmpuint (G_N_ELEMENTS (expected_bit_names), ==, CRYO_CPA_N_STATUS_BITS);
  for (guint bit = 0; bit < CRYO_CPA_N_STATUS_BITS; bit++)
    {
      g_auto(GStrv) one = cryo_cpa_bits_to_strv (1u << bit);

      g_assert_cmpstr (cryo_cpa_bit_to_string (bit), ==, expected_bit_names[bit]);
      g_assert_cmpuint (g_strv_length (one), ==, 1);
      g_assert_cmpstr (one[0], ==, expected_bit_names[bit]);
    }

  g_assert_nonnull (none);
  g_assert_null (none[0]);
  g_assert_cmpuint (g_strv_length (all), ==, CRYO_CPA_N_STATUS_BITS);
  for (guint bit = 0; bit < CRYO_CPA_N_STATUS_BITS; bit++)
    g_assert_cmpstr (all[bit], ==, expected_bit_names[bit]);
  g_assert_true (g_strv_equal ((const char * const *) five, five_expected));
}

static void
test_model_and_scales (void)
{
  const struct
  {
    guint       code;
    const char *name;
  } models[] = {
    { 0x0413, "CPA1110" },
    { 0x0414, "CPA model 0x0414" },
    { 0x0000, "CPA model 0x0000" },
    { 0x2A0B, "CPA model 0x2A0B" },
    { 0xFFFF, "CPA model 0xFFFF" },
  };
  const CpaVector *v = find_vector (CPA_VECTOR_INPUT_REGISTERS);
  const CryoUnit pressure_units[] = { CRYO_UNIT_PSI, CRYO_UNIT_BAR, CRYO_UNIT_KPA };
  const CryoUnit temperature_units[] = { CRYO_UNIT_FAHRENHEIT, CRYO_UNIT_CELSIUS, CRYO_UNIT_KELVIN };

  for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *name = cryo_cpa_dup_model_name (models[i].code);

      g_assert_cmpstr (name, ==, models[i].name);
    }

  g_assert_cmpint (cryo_cpa_pressure_scale_to_unit (CRYO_CPA_PRESSURE_SCALE_PSI), ==, CRYO_UNIT_PSI);
  g_assert_cmpint (cryo_cpa_pressure_scale_to_unit (CRYO_CPA_PRESSURE_SCALE_BAR), ==, CRYO_UNIT_BAR);
  g_assert_cmpint (cryo_cpa_pressure_scale_to_unit (CRYO_CPA_PRESSURE_SCALE_KPA), ==, CRYO_UNIT_KPA);
  g_assert_cmpint (cryo_cpa_temperature_scale_to_unit (CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT),
                   ==, CRYO_UNIT_FAHRENHEIT);
  g_assert_cmpint (cryo_cpa_temperature_scale_to_unit (CRYO_CPA_TEMPERATURE_SCALE_CELSIUS),
                   ==, CRYO_UNIT_CELSIUS);
  g_assert_cmpint (cryo_cpa_temperature_scale_to_unit (CRYO_CPA_TEMPERATURE_SCALE_KELVIN),
                   ==, CRYO_UNIT_KELVIN);

  /* Every scale code through the decoder; only the low byte counts. */
  for (guint code = 0; code < 3; code++)
    {
      for (guint high = 0; high < 256; high += 85)
        {
          guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
          CryoCpaSnapshot s;

          memcpy (regs, v->registers, sizeof regs);
          regs[28] = (guint16) (high << 8 | code);
          regs[29] = (guint16) (high << 8 | code);
          s = decode_ok (regs);
          g_assert_cmpuint (s.pressure_scale, ==, code);
          g_assert_cmpuint (s.temperature_scale, ==, code);
          g_assert_cmpint (cryo_cpa_pressure_scale_to_unit (s.pressure_scale), ==,
                           pressure_units[code]);
          g_assert_cmpint (cryo_cpa_temperature_scale_to_unit (s.temperature_scale), ==,
                           temperature_units[code]);
        }
    }
}

static void
test_malformed (void)
{
  const CpaVector *v = find_vector (CPA_VECTOR_INPUT_REGISTERS);
  guint16 big[2 * CRYO_CPA_N_INPUT_REGISTERS];
  const gsize counts[] = { 0, 1, 32, 34, 2 * CRYO_CPA_N_INPUT_REGISTERS };
  const float not_finite[] = { NAN, -NAN, INFINITY, -INFINITY };
  const float bad_bits[] = { 1.0f, 0.5f, FLT_TRUE_MIN, -0.5f, -2.5f, -3.0e9f, -FLT_MAX };
  guint n_cases = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (big); i++)
    big[i] = v->registers[i % CRYO_CPA_N_INPUT_REGISTERS];

  /* wrong counts, including 0 with no array at all */
  {
    g_autofree char *msg = decode_malformed (NULL, 0);

    g_assert_nonnull (strstr (msg, "33"));
    n_cases++;
  }
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autofree char *msg = decode_malformed (big, counts[i]);
      g_autofree char *received = g_strdup_printf ("received %" G_GSIZE_FORMAT, counts[i]);

      g_assert_nonnull (strstr (msg, "33"));
      g_assert_nonnull (strstr (msg, received));
      n_cases++;
    }

  /* NaN and infinities in every float field, named in the message */
  for (gsize f = 0; f < G_N_ELEMENTS (float_fields); f++)
    {
      guint first = float_fields[f].first_register;
      g_autofree char *where = g_strdup_printf ("%s (registers %u-%u)",
                                                float_fields[f].name, first, first + 1);

      for (gsize k = 0; k < G_N_ELEMENTS (not_finite); k++)
        {
          guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
          g_autofree char *msg = NULL;
          g_autofree char *expected = NULL;

          memcpy (regs, v->registers, sizeof regs);
          cryo_cpa_float_to_registers (not_finite[k], regs + first - 1);
          msg = decode_malformed (regs, CRYO_CPA_N_INPUT_REGISTERS);
          expected = g_strdup_printf ("%s %s", where,
                                      isnan (not_finite[k]) ? "is not a number" : "is infinite");
          g_assert_cmpstr (msg, ==, expected);
          n_cases++;
        }

      /* any NaN payload */
      {
        guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
        g_autofree char *msg = NULL;

        memcpy (regs, v->registers, sizeof regs);
        regs[first - 1] = 0x0001;
        regs[first] = 0xFF80;
        g_assert_true (isnan (float_at (regs, first)));
        msg = decode_malformed (regs, CRYO_CPA_N_INPUT_REGISTERS);
        g_assert_nonnull (strstr (msg, where));
        n_cases++;
      }
    }

  /* positive, fractional or too large warning and alarm states */
  for (guint first = 3; first <= 5; first += 2)
    {
      for (gsize k = 0; k < G_N_ELEMENTS (bad_bits); k++)
        {
          guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
          g_autofree char *msg = NULL;
          g_autofree char *where = g_strdup_printf ("%s (registers %u-%u)",
                                                    first == 3 ? "Warning state" : "Alarm state",
                                                    first, first + 1);

          memcpy (regs, v->registers, sizeof regs);
          cryo_cpa_float_to_registers (bad_bits[k], regs + first - 1);
          msg = decode_malformed (regs, CRYO_CPA_N_INPUT_REGISTERS);
          g_assert_true (g_str_has_prefix (msg, where));
          n_cases++;
        }
    }

  /* unknown scale codes, whatever the high byte */
  for (guint reg = 29; reg <= 30; reg++)
    {
      for (guint code = 3; code < 256; code++)
        {
          guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
          g_autofree char *msg = NULL;
          g_autofree char *needle = g_strdup_printf ("code %u (register %u)", code, reg);

          memcpy (regs, v->registers, sizeof regs);
          regs[reg - 1] = (guint16) (g_test_rand_int_range (0, 256) << 8 | code);
          msg = decode_malformed (regs, CRYO_CPA_N_INPUT_REGISTERS);
          g_assert_nonnull (strstr (msg, needle));
          n_cases++;
        }
    }

  /* running must be 0 or 1 */
  {
    const guint16 running[] = { 2, 3, 0x0100, 0x00FF, G_MAXUINT16 };

    for (gsize k = 0; k < G_N_ELEMENTS (running); k++)
      {
        guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
        g_autofree char *msg = NULL;

        memcpy (regs, v->registers, sizeof regs);
        regs[1] = running[k];
        msg = decode_malformed (regs, CRYO_CPA_N_INPUT_REGISTERS);
        g_assert_nonnull (strstr (msg, "register 2"));
        n_cases++;
      }
  }

  g_test_message ("%u malformed register sets rejected", n_cases);
}

/* Random register values: decoding never crashes, and whatever it accepts
 * encodes back to the same registers (scale high bytes aside). */
static void
test_random_registers (void)
{
  guint n_ok = 0;
  guint n_rejected = 0;

  for (guint i = 0; i < 20000; i++)
    {
      guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
      g_autoptr(GError) error = NULL;
      CryoCpaSnapshot s;

      for (guint r = 0; r < CRYO_CPA_N_INPUT_REGISTERS; r++)
        regs[r] = (guint16) g_test_rand_int_range (0, 0x10000);
      /* make most of them plausible, so both paths are taken */
      if (i % 4 != 0)
        {
          regs[1] &= 1;
          regs[28] %= 3;
          regs[29] %= 3;
          cryo_cpa_float_to_registers (cryo_cpa_bits_to_float (g_test_rand_int () & 0xFFFF), regs + 2);
          cryo_cpa_float_to_registers (cryo_cpa_bits_to_float (g_test_rand_int () & 0xFF0000), regs + 4);
        }

      if (cryo_cpa_decode_input_registers (regs, CRYO_CPA_N_INPUT_REGISTERS, &s, &error))
        {
          guint16 again[CRYO_CPA_N_INPUT_REGISTERS];

          g_assert_no_error (error);
          cryo_cpa_encode_input_registers (&s, again);
          /* -0.0 bit sets come back as +0.0 */
          if (float_bits (float_at (regs, 3)) == 0x80000000)
            regs[3] = 0;
          if (float_bits (float_at (regs, 5)) == 0x80000000)
            regs[5] = 0;
          g_assert_cmpmem (again, sizeof again, regs, sizeof regs);
          n_ok++;
        }
      else
        {
          g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
          n_rejected++;
        }
    }

  g_test_message ("%u accepted, %u rejected", n_ok, n_rejected);
  g_assert_cmpuint (n_ok, >, 1000);
  g_assert_cmpuint (n_rejected, >, 1000);
}

static double
random_float (void)
{
  for (;;)
    {
      guint32 u = (guint32) g_test_rand_int ();
      float f;

      memcpy (&f, &u, sizeof f);
      if (isfinite (f))
        return f;
    }
}

static guint32
random_exact_bits (void)
{
  guint32 bits = (guint32) g_test_rand_int () & 0xFFFFFF;

  return (bits << g_test_rand_int_range (0, 8)) & 0x7FFFFFFF;
}

/* Random snapshots of float-representable values round-trip exactly. */
static void
test_round_trip (void)
{
  for (guint i = 0; i < 20000; i++)
    {
      guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
      CryoCpaSnapshot s = { 0 };
      CryoCpaSnapshot back;

      s.state = (guint) g_test_rand_int_range (0, 0x10000);
      s.running = g_test_rand_bit ();
      s.warnings = random_exact_bits ();
      s.alarms = random_exact_bits ();
      s.coolant_in = random_float ();
      s.coolant_out = g_test_rand_double_range (-100, 200);
      s.oil = random_float ();
      s.helium = random_float ();
      s.low_pressure = random_float ();
      s.low_pressure_average = (float) g_test_rand_double_range (0, 400);
      s.high_pressure = random_float ();
      s.high_pressure_average = random_float ();
      s.delta_pressure_average = random_float ();
      s.motor_current = random_float ();
      s.hours = (float) g_test_rand_double_range (0, 1e6);
      s.pressure_scale = g_test_rand_int_range (0, 3);
      s.temperature_scale = g_test_rand_int_range (0, 3);
      s.serial_number = (guint) g_test_rand_int_range (0, 0x10000);
      s.model_code = (guint) g_test_rand_int_range (0, 0x10000);
      s.software_major = (guint) g_test_rand_int_range (0, 0x100);
      s.software_minor = (guint) g_test_rand_int_range (0, 0x100);
      /* coolant_out is a double that needs rounding: it comes back as the
       * nearest float */
      cryo_cpa_encode_input_registers (&s, regs);
      back = decode_ok (regs);
      g_assert_cmpfloat (back.coolant_out, ==, (float) s.coolant_out);
      s.coolant_out = (float) s.coolant_out;
      assert_snapshots_equal (&back, &s);
    }
}

static void
test_preconditions (void)
{
  CryoCpaSnapshot s = decode_ok (find_vector (CPA_VECTOR_INPUT_REGISTERS)->registers);
  guint16 regs[CRYO_CPA_N_INPUT_REGISTERS];
  guint16 before[CRYO_CPA_N_INPUT_REGISTERS];
  g_auto(GStrv) strv = NULL;

  memset (regs, 0x5A, sizeof regs);
  memcpy (before, regs, sizeof regs);

  s.serial_number = 0x10000;
  g_test_expect_message ("cryo-cpa", G_LOG_LEVEL_CRITICAL, "*serial_number*");
  cryo_cpa_encode_input_registers (&s, regs);
  g_test_assert_expected_messages ();
  g_assert_cmpmem (regs, sizeof regs, before, sizeof before);
  s.serial_number = 1;

  s.warnings = 0x80000000;
  g_test_expect_message ("cryo-cpa", G_LOG_LEVEL_CRITICAL, "*warnings*");
  cryo_cpa_encode_input_registers (&s, regs);
  g_test_assert_expected_messages ();
  g_assert_cmpmem (regs, sizeof regs, before, sizeof before);

  g_test_expect_message ("cryo-cpa", G_LOG_LEVEL_CRITICAL, "*bits*");
  g_assert_cmpfloat (cryo_cpa_bits_to_float (0x80000000), ==, 0.0f);
  g_test_assert_expected_messages ();

  g_test_expect_message ("cryo-cpa", G_LOG_LEVEL_CRITICAL, "*bit*");
  g_assert_null (cryo_cpa_bit_to_string (CRYO_CPA_N_STATUS_BITS));
  g_test_assert_expected_messages ();

  g_test_expect_message ("cryo-cpa", G_LOG_LEVEL_CRITICAL, "*bits*");
  strv = cryo_cpa_bits_to_strv (0x80000000);
  g_test_assert_expected_messages ();
  g_assert_null (strv);

  g_test_expect_message ("cryo-cpa", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_cmpint (cryo_cpa_pressure_scale_to_unit (3), ==, CRYO_UNIT_NONE);
  g_test_assert_expected_messages ();

  g_test_expect_message ("cryo-cpa", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_cmpint (cryo_cpa_temperature_scale_to_unit (3), ==, CRYO_UNIT_NONE);
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocols/cpa/vectors", test_vectors);
  g_test_add_func ("/protocols/cpa/float-word-order", test_float_word_order);
  g_test_add_func ("/protocols/cpa/spec-reply-frame", test_spec_reply_frame);
  g_test_add_func ("/protocols/cpa/bits", test_bits);
  g_test_add_func ("/protocols/cpa/states", test_states);
  g_test_add_func ("/protocols/cpa/bit-names", test_bit_names);
  g_test_add_func ("/protocols/cpa/model-and-scales", test_model_and_scales);
  g_test_add_func ("/protocols/cpa/malformed", test_malformed);
  g_test_add_func ("/protocols/cpa/random-registers", test_random_registers);
  g_test_add_func ("/protocols/cpa/round-trip", test_round_trip);
  g_test_add_func ("/protocols/cpa/preconditions", test_preconditions);

  return g_test_run ();
}
