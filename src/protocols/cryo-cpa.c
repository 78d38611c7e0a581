/* cryo-cpa.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cryomech CPA compressor register-map codec; every wire fact comes from
 * shared/protocols/cryomech-cpa-modbus.md (sections cited as "Addressing",
 * "Input registers", "Float word order", "Warning and alarm state",
 * "Operating state", "Control"). The Modbus framing itself is libmodbus's;
 * this file only turns register values into a #CryoCpaSnapshot and back.
 */

#define G_LOG_DOMAIN "cryo-cpa"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <modbus.h>

#include "cryo-cpa.h"

/* Indices into the register array: input register N is registers[N - 1]
 * ("Addressing": the first register is PDU address 1). */
#define REG(n)                  ((n) - CRYO_CPA_FIRST_INPUT_REGISTER)
#define REG_STATE               REG (1)
#define REG_RUNNING             REG (2)
#define FIRST_WARNINGS          3
#define FIRST_ALARMS            5
#define REG_PRESSURE_SCALE      REG (29)
#define REG_TEMPERATURE_SCALE   REG (30)
#define REG_SERIAL              REG (31)
#define REG_MODEL               REG (32)
#define REG_SOFTWARE            REG (33)

/* The largest bit-weight sum, bits 0..30 all set ("Warning and alarm
 * state"). */
#define MAX_BIT_SUM             0x7FFFFFFFu

/* Translation context of the register field names used in messages. */
#define FIELD_CONTEXT           "compressor register"
/* Translation context of the warning and alarm bit names. */
#define BIT_CONTEXT             "compressor warning or alarm"

/* The float fields after the two bit sets ("Input registers"), in register
 * order. */
static const struct
{
  guint       first_register;
  const char *name;
  gsize       offset;
} float_fields[] = {
  { 7,  NC_("compressor register", "Coolant in temperature"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, coolant_in) },
  { 9,  NC_("compressor register", "Coolant out temperature"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, coolant_out) },
  { 11, NC_("compressor register", "Oil temperature"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, oil) },
  { 13, NC_("compressor register", "Helium temperature"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, helium) },
  { 15, NC_("compressor register", "Low pressure"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, low_pressure) },
  { 17, NC_("compressor register", "Low pressure average"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, low_pressure_average) },
  { 19, NC_("compressor register", "High pressure"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, high_pressure) },
  { 21, NC_("compressor register", "High pressure average"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, high_pressure_average) },
  { 23, NC_("compressor register", "Delta pressure average"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, delta_pressure_average) },
  { 25, NC_("compressor register", "Motor current"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, motor_current) },
  { 27, NC_("compressor register", "Hours of operation"),
    G_STRUCT_OFFSET (CryoCpaSnapshot, hours) },
};

/* Warning and alarm bits, least significant first ("Warning and alarm
 * state"). */
static const char * const bit_names[CRYO_CPA_N_STATUS_BITS] = {
  NC_("compressor warning or alarm", "Coolant in high"),
  NC_("compressor warning or alarm", "Coolant in low"),
  NC_("compressor warning or alarm", "Coolant out high"),
  NC_("compressor warning or alarm", "Coolant out low"),
  NC_("compressor warning or alarm", "Oil high"),
  NC_("compressor warning or alarm", "Oil low"),
  NC_("compressor warning or alarm", "Helium high"),
  NC_("compressor warning or alarm", "Helium low"),
  NC_("compressor warning or alarm", "Low pressure high"),
  NC_("compressor warning or alarm", "Low pressure low"),
  NC_("compressor warning or alarm", "High pressure high"),
  NC_("compressor warning or alarm", "High pressure low"),
  NC_("compressor warning or alarm", "Delta pressure high"),
  NC_("compressor warning or alarm", "Delta pressure low"),
  NC_("compressor warning or alarm", "Motor current low"),
  NC_("compressor warning or alarm", "Three-phase error"),
  NC_("compressor warning or alarm", "Power supply error"),
  NC_("compressor warning or alarm", "Static pressure high"),
  NC_("compressor warning or alarm", "Static pressure low"),
  NC_("compressor warning or alarm", "Cold-head motor stall"),
  NC_("compressor warning or alarm", "Coolant in sensor"),
  NC_("compressor warning or alarm", "Coolant out sensor"),
  NC_("compressor warning or alarm", "Helium sensor"),
  NC_("compressor warning or alarm", "Oil sensor"),
  NC_("compressor warning or alarm", "High pressure sensor"),
  NC_("compressor warning or alarm", "Low pressure sensor"),
  NC_("compressor warning or alarm", "Motor current sensor"),
  NC_("compressor warning or alarm", "Motor current high"),
  NC_("compressor warning or alarm", "Inverter error"),
  NC_("compressor warning or alarm", "Driver communication loss"),
  NC_("compressor warning or alarm", "Inverter communication loss"),
};

static double *
snapshot_field (CryoCpaSnapshot *snapshot,
                gsize            offset)
{
  return G_STRUCT_MEMBER_P (snapshot, offset);
}

/* Rejects NaN and infinities; @name is the untranslated field name. */
static gboolean
check_finite (float        value,
              const char  *name,
              guint        first_register,
              GError     **error)
{
  if (isnan (value))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("%s (registers %u-%u) is not a number"),
                   g_dpgettext2 (GETTEXT_PACKAGE, FIELD_CONTEXT, name),
                   first_register, first_register + 1);
      return FALSE;
    }

  if (isinf (value))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("%s (registers %u-%u) is infinite"),
                   g_dpgettext2 (GETTEXT_PACKAGE, FIELD_CONTEXT, name),
                   first_register, first_register + 1);
      return FALSE;
    }

  return TRUE;
}

static gboolean
decode_bit_set (const guint16  *registers,
                guint           first_register,
                const char     *name,
                guint32        *bits,
                GError        **error)
{
  float value = cryo_cpa_float_from_registers (registers + REG (first_register));

  if (!check_finite (value, name, first_register, error))
    return FALSE;

  if (!cryo_cpa_bits_from_float (value, bits, error))
    {
      g_prefix_error (error, _("%s (registers %u-%u): "),
                      g_dpgettext2 (GETTEXT_PACKAGE, FIELD_CONTEXT, name),
                      first_register, first_register + 1);
      return FALSE;
    }

  return TRUE;
}

/**
 * cryo_cpa_float_from_registers:
 * @registers: (array fixed-size=2): two input register values as libmodbus
 *   returns them, the first holding the low 16 bits of the float
 *
 * Reads a float in the panel's “CDAB” word order (cryomech-cpa-modbus.md,
 * “Float word order”): {0x4396, 0x428E} is 0x428E4396, 71.132. This is
 * modbus_get_float_cdab(), which the spec checked. The result may be NaN
 * or infinite; the caller decides. Pure; any thread.
 *
 * Returns: the float
 */
float
cryo_cpa_float_from_registers (const guint16 *registers)
{
  g_return_val_if_fail (registers != NULL, NAN);

  return modbus_get_float_cdab (registers);
}

/**
 * cryo_cpa_float_to_registers:
 * @value: the float to write, any value (NaN payloads are kept)
 * @registers: (out caller-allocates) (array fixed-size=2): receives the low
 *   16 bits of @value's IEEE-754 encoding in @registers[0] and the high 16
 *   bits in @registers[1]
 *
 * Writes a float in the panel's “CDAB” word order (cryomech-cpa-modbus.md,
 * “Float word order”), the exact inverse of cryo_cpa_float_from_registers():
 * 71.132 gives {0x4396, 0x428E}.
 *
 * This does not call modbus_set_float_cdab(): in libmodbus 3.1.6 (Debian 12)
 * on a little-endian host that function is not the inverse of
 * modbus_get_float_cdab() but swaps the bytes inside each register
 * (71.132 gives {0x9643, 0x8E42}; see libmodbus issues #665 and #807 on
 * its float setters). Splitting the float's bits is the same
 * on every host and libmodbus version, and the tests check it against
 * modbus_get_float_cdab() and the spec's vectors. Pure; any thread.
 */
void
cryo_cpa_float_to_registers (float    value,
                             guint16 *registers)
{
  guint32 bits;

  g_return_if_fail (registers != NULL);

  memcpy (&bits, &value, sizeof bits);
  registers[0] = bits & 0xFFFF;
  registers[1] = bits >> 16;
}

/**
 * cryo_cpa_decode_input_registers:
 * @registers: (array length=n_registers): the values of input registers
 *   1..33 in order, as libmodbus's modbus_read_input_registers() returns
 *   them for a read of 33 registers from address 1; @registers[0] is input
 *   register 1 (cryomech-cpa-modbus.md, “Addressing”)
 * @n_registers: number of values in @registers; must be
 *   %CRYO_CPA_N_INPUT_REGISTERS (may be 0 with @registers %NULL)
 * @snapshot: (out caller-allocates): the decoded registers; untouched on error
 * @error: return location for a #GError
 *
 * Decodes the compressor's input registers (cryomech-cpa-modbus.md, “Input
 * registers”). Float pairs use the “CDAB” word order (“Float word order”)
 * and are read with cryo_cpa_float_from_registers(); the warning and alarm sets are
 * decoded with cryo_cpa_bits_from_float() (“Warning and alarm state”).
 * Temperatures and pressures stay in the panel's scales, given by the low
 * byte of registers 29 and 30 (the high byte is not defined and is
 * ignored).
 *
 * An operating state the spec does not list (“Operating state”) is
 * accepted and stored as is, because a newer panel may add states; use
 * cryo_cpa_state_is_known() and cryo_cpa_dup_state_name() to report it.
 * Everything else that cannot be interpreted is an error.
 *
 * Pure; any thread.
 *
 * Returns: %TRUE on success. %FALSE with %CRYO_PROTOCOL_ERROR_MALFORMED when
 *   @n_registers is not 33, a float is NaN or infinite, a warning or alarm
 *   float is not a valid bit-weight sum, the running register is neither 0
 *   nor 1, or a scale code is not 0, 1 or 2; the message names the field
 */
gboolean
cryo_cpa_decode_input_registers (const guint16    *registers,
                                 gsize             n_registers,
                                 CryoCpaSnapshot  *snapshot,
                                 GError          **error)
{
  CryoCpaSnapshot s = { 0 };
  guint pressure_scale;
  guint temperature_scale;

  g_return_val_if_fail (registers != NULL || n_registers == 0, FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_registers != CRYO_CPA_N_INPUT_REGISTERS)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Expected %u input registers from the compressor, received %zu"),
                   (guint) CRYO_CPA_N_INPUT_REGISTERS, n_registers);
      return FALSE;
    }

  s.state = registers[REG_STATE];

  switch (registers[REG_RUNNING])
    {
    case 0:
      s.running = FALSE;
      break;
    case 1:
      s.running = TRUE;
      break;
    default:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Compressor running (register 2) is %u, expected 0 (off) or 1 (on)"),
                   (guint) registers[REG_RUNNING]);
      return FALSE;
    }

  if (!decode_bit_set (registers, FIRST_WARNINGS,
                       NC_("compressor register", "Warning state"),
                       &s.warnings, error))
    return FALSE;
  if (!decode_bit_set (registers, FIRST_ALARMS,
                       NC_("compressor register", "Alarm state"),
                       &s.alarms, error))
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (float_fields); i++)
    {
      guint first = float_fields[i].first_register;
      float value = cryo_cpa_float_from_registers (registers + REG (first));

      if (!check_finite (value, float_fields[i].name, first, error))
        return FALSE;
      *snapshot_field (&s, float_fields[i].offset) = value;
    }

  pressure_scale = registers[REG_PRESSURE_SCALE] & 0xFF;
  switch (pressure_scale)
    {
    case CRYO_CPA_PRESSURE_SCALE_PSI:
    case CRYO_CPA_PRESSURE_SCALE_BAR:
    case CRYO_CPA_PRESSURE_SCALE_KPA:
      s.pressure_scale = pressure_scale;
      break;
    default:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Unknown pressure scale code %u (register 29); expected 0 (psi), 1 (bar) or 2 (kPa)"),
                   pressure_scale);
      return FALSE;
    }

  temperature_scale = registers[REG_TEMPERATURE_SCALE] & 0xFF;
  switch (temperature_scale)
    {
    case CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT:
    case CRYO_CPA_TEMPERATURE_SCALE_CELSIUS:
    case CRYO_CPA_TEMPERATURE_SCALE_KELVIN:
      s.temperature_scale = temperature_scale;
      break;
    default:
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Unknown temperature scale code %u (register 30); expected 0 (°F), 1 (°C) or 2 (K)"),
                   temperature_scale);
      return FALSE;
    }

  s.serial_number = registers[REG_SERIAL];
  s.model_code = registers[REG_MODEL];
  s.software_major = registers[REG_SOFTWARE] >> 8;
  s.software_minor = registers[REG_SOFTWARE] & 0xFF;

  *snapshot = s;

  return TRUE;
}

/**
 * cryo_cpa_encode_input_registers:
 * @snapshot: the values to encode; @state, @serial_number and @model_code
 *   must fit 16 bits, @software_major and @software_minor 8 bits, @warnings
 *   and @alarms bits 0..30, the scales must be known values
 * @registers: (out caller-allocates) (array fixed-size=33): room for
 *   %CRYO_CPA_N_INPUT_REGISTERS values; @registers[0] receives input
 *   register 1
 *
 * The inverse of cryo_cpa_decode_input_registers(), for the simulator and
 * the tests (cryomech-cpa-modbus.md, “Input registers”). Doubles are
 * narrowed to float and written with cryo_cpa_float_to_registers() (“Float
 * word order”), so a snapshot whose values are floats round-trips exactly; the
 * bit sets go through cryo_cpa_bits_to_float(), which is lossy for some
 * sets (see there). Non-finite values are encoded as they are, which lets
 * tests build malformed registers. The scales' high bytes are written as
 * 0. Unknown operating states are encoded as they are.
 *
 * Pure; any thread.
 */
void
cryo_cpa_encode_input_registers (const CryoCpaSnapshot *snapshot,
                                 guint16               *registers)
{
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (registers != NULL);
  g_return_if_fail (snapshot->state <= G_MAXUINT16);
  g_return_if_fail (snapshot->serial_number <= G_MAXUINT16);
  g_return_if_fail (snapshot->model_code <= G_MAXUINT16);
  g_return_if_fail (snapshot->software_major <= G_MAXUINT8);
  g_return_if_fail (snapshot->software_minor <= G_MAXUINT8);
  g_return_if_fail (snapshot->warnings <= MAX_BIT_SUM);
  g_return_if_fail (snapshot->alarms <= MAX_BIT_SUM);
  g_return_if_fail (snapshot->pressure_scale <= CRYO_CPA_PRESSURE_SCALE_KPA);
  g_return_if_fail (snapshot->temperature_scale <= CRYO_CPA_TEMPERATURE_SCALE_KELVIN);

  registers[REG_STATE] = snapshot->state;
  registers[REG_RUNNING] = snapshot->running ? 1 : 0;
  cryo_cpa_float_to_registers (cryo_cpa_bits_to_float (snapshot->warnings),
                               registers + REG (FIRST_WARNINGS));
  cryo_cpa_float_to_registers (cryo_cpa_bits_to_float (snapshot->alarms),
                               registers + REG (FIRST_ALARMS));

  for (gsize i = 0; i < G_N_ELEMENTS (float_fields); i++)
    {
      const double *value = (const double *) ((const guint8 *) snapshot
                                              + float_fields[i].offset);

      cryo_cpa_float_to_registers ((float) *value,
                                   registers + REG (float_fields[i].first_register));
    }

  registers[REG_PRESSURE_SCALE] = snapshot->pressure_scale;
  registers[REG_TEMPERATURE_SCALE] = snapshot->temperature_scale;
  registers[REG_SERIAL] = snapshot->serial_number;
  registers[REG_MODEL] = snapshot->model_code;
  registers[REG_SOFTWARE] = (snapshot->software_major << 8) | snapshot->software_minor;
}

/**
 * cryo_cpa_bits_from_float:
 * @value: a warning or alarm state float (input registers 3-4 or 5-6, read
 *   with cryo_cpa_float_from_registers())
 * @bits: (out): the bit set, bits 0..30
 * @error: return location for a #GError
 *
 * Decodes a warning or alarm state (cryomech-cpa-modbus.md, “Warning and
 * alarm state”): the panel sends minus the sum of the set bits' weights
 * 2^bit, so bits 0 and 2 arrive as -5.0. 0.0 and -0.0 mean no bit set.
 *
 * A float carries 24 significant bits, so a set whose lowest and highest
 * set bits are 24 or more positions apart may not be representable: bits
 * 30 and 0 together, -(2^30 + 1), become -2^30 in a float. Such a value is
 * decoded honestly as the set it represents (here bit 30 alone); there is
 * no way to recover the lost low bits. Every whole float from
 * -(2^31 - 1) to 0 decodes to some set of bits 0..30.
 *
 * Pure; any thread.
 *
 * Returns: %TRUE on success; %FALSE with %CRYO_PROTOCOL_ERROR_MALFORMED
 *   when @value is NaN, infinite, positive, not a whole number or below
 *   -(2^31 - 1) (which would need bit 31 or more); @bits is then untouched
 */
gboolean
cryo_cpa_bits_from_float (float     value,
                          guint32  *bits,
                          GError  **error)
{
  g_return_val_if_fail (bits != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (isnan (value))
    {
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                           _("The warning or alarm state is not a number"));
      return FALSE;
    }

  if (isinf (value))
    {
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                           _("The warning or alarm state is infinite"));
      return FALSE;
    }

  if (value > 0.0f)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("The warning or alarm state %.9g is positive; it must be zero or negative"),
                   (double) value);
      return FALSE;
    }

  if (value != truncf (value))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("The warning or alarm state %.9g is not a whole number"),
                   (double) value);
      return FALSE;
    }

  /* Compared as doubles: -(2^31 - 1) is not a float. */
  if (-(double) value > (double) MAX_BIT_SUM)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("The warning or alarm state %.9g needs bits above bit 30"),
                   (double) value);
      return FALSE;
    }

  *bits = (guint32) -(double) value;

  return TRUE;
}

/**
 * cryo_cpa_bits_to_float:
 * @bits: a set of bits 0..30
 *
 * Encodes a warning or alarm set as the panel does (cryomech-cpa-modbus.md,
 * “Warning and alarm state”): minus the sum of the weights 2^bit, rounded
 * to the nearest float; the empty set is +0.0.
 *
 * This is lossy when the set's lowest and highest bits are 24 or more
 * positions apart and the sum needs more than 24 significant bits: bits
 * 30 and 0 give -2^30, which decodes to bit 30 alone; rounding can also
 * carry into a higher bit ({0..23} plus bit 30 gives -(2^30 + 2^24)). A
 * sum that would round to -2^31 (any set containing all of bits 6..30) is
 * given as -2147483520 instead, the nearest float that still decodes (to
 * bits 7..30). Every set whose highest and lowest bits are at most 23
 * positions apart round-trips exactly.
 *
 * Pure; any thread.
 *
 * Returns: the float to send in registers 3-4 or 5-6
 */
float
cryo_cpa_bits_to_float (guint32 bits)
{
  float sum;

  g_return_val_if_fail (bits <= MAX_BIT_SUM, 0.0f);

  if (bits == 0)
    return 0.0f;

  sum = (float) bits;
  if ((double) sum > (double) MAX_BIT_SUM)
    sum = nextafterf (sum, 0.0f);

  return -sum;
}

/**
 * cryo_cpa_state_is_known:
 * @state: an operating state, input register 1
 *
 * Whether @state is one of the operating states the spec lists
 * (cryomech-cpa-modbus.md, “Operating state”): 0, 2, 3, 5, 6, 7, 8, 9, 15.
 * Decoding accepts other values, because a newer panel may add states; a
 * caller should show them as unknown rather than fail. Any thread.
 *
 * Returns: %TRUE for a #CryoCpaState value
 */
gboolean
cryo_cpa_state_is_known (guint state)
{
  switch (state)
    {
    case CRYO_CPA_STATE_IDLE:
    case CRYO_CPA_STATE_STARTING:
    case CRYO_CPA_STATE_RUNNING:
    case CRYO_CPA_STATE_STOPPING:
    case CRYO_CPA_STATE_ERROR_LOCKOUT:
    case CRYO_CPA_STATE_ERROR:
    case CRYO_CPA_STATE_HELIUM_COOL_DOWN:
    case CRYO_CPA_STATE_POWER_ERROR:
    case CRYO_CPA_STATE_RECOVERED:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * cryo_cpa_state_to_string:
 * @state: an operating state, input register 1
 *
 * Names an operating state (cryomech-cpa-modbus.md, “Operating state”) for
 * display: “Idle”, “Starting”, “Running”, “Stopping”, “Error lockout”,
 * “Error”, “Helium overtemperature cool-down”, “Power-related error”,
 * “Recovered from error”. Use cryo_cpa_dup_state_name() to show the number
 * of an unknown state. Any thread.
 *
 * Returns: (transfer none): a static translated string; “Unknown” for a
 *   state cryo_cpa_state_is_known() rejects
 */
const char *
cryo_cpa_state_to_string (guint state)
{
  switch (state)
    {
    case CRYO_CPA_STATE_IDLE:
      return C_("compressor state", "Idle");
    case CRYO_CPA_STATE_STARTING:
      return C_("compressor state", "Starting");
    case CRYO_CPA_STATE_RUNNING:
      return C_("compressor state", "Running");
    case CRYO_CPA_STATE_STOPPING:
      return C_("compressor state", "Stopping");
    case CRYO_CPA_STATE_ERROR_LOCKOUT:
      return C_("compressor state", "Error lockout");
    case CRYO_CPA_STATE_ERROR:
      return C_("compressor state", "Error");
    case CRYO_CPA_STATE_HELIUM_COOL_DOWN:
      return C_("compressor state", "Helium overtemperature cool-down");
    case CRYO_CPA_STATE_POWER_ERROR:
      return C_("compressor state", "Power-related error");
    case CRYO_CPA_STATE_RECOVERED:
      return C_("compressor state", "Recovered from error");
    default:
      return C_("compressor state", "Unknown");
    }
}

/**
 * cryo_cpa_dup_state_name:
 * @state: an operating state, input register 1
 *
 * Like cryo_cpa_state_to_string(), but an unknown state is shown with its
 * number, “Unknown (12)”, so a state a newer panel adds can be looked up in
 * its manual (cryomech-cpa-modbus.md, “Operating state”). Any thread.
 *
 * Returns: (transfer full): a newly allocated translated string
 */
char *
cryo_cpa_dup_state_name (guint state)
{
  if (cryo_cpa_state_is_known (state))
    return g_strdup (cryo_cpa_state_to_string (state));

  return g_strdup_printf (C_("compressor state", "Unknown (%u)"), state);
}

/**
 * cryo_cpa_bit_to_string:
 * @bit: a warning or alarm bit, 0..30
 *
 * Names a warning or alarm bit (cryomech-cpa-modbus.md, “Warning and alarm
 * state”): 0 “Coolant in high”, 1 “Coolant in low”, … 29 “Driver
 * communication loss”, 30 “Inverter communication loss”. The same bits are
 * used for warnings and alarms. Any thread.
 *
 * Returns: (transfer none): a static translated string
 */
const char *
cryo_cpa_bit_to_string (guint bit)
{
  g_return_val_if_fail (bit < CRYO_CPA_N_STATUS_BITS, NULL);

  return g_dpgettext2 (GETTEXT_PACKAGE, BIT_CONTEXT, bit_names[bit]);
}

/**
 * cryo_cpa_bits_to_strv:
 * @bits: a warning or alarm set, bits 0..30
 *
 * Names the set bits, lowest bit first (cryomech-cpa-modbus.md, “Warning
 * and alarm state”), with cryo_cpa_bit_to_string(). Any thread.
 *
 * Returns: (transfer full) (array zero-terminated=1): a newly allocated
 *   %NULL-terminated array of translated names, empty when @bits is 0;
 *   free with g_strfreev()
 */
char **
cryo_cpa_bits_to_strv (guint32 bits)
{
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (bits <= MAX_BIT_SUM, NULL);

  names = g_ptr_array_new_with_free_func (g_free);
  for (guint bit = 0; bit < CRYO_CPA_N_STATUS_BITS; bit++)
    {
      if (bits & (1u << bit))
        g_ptr_array_add (names, g_strdup (cryo_cpa_bit_to_string (bit)));
    }
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * cryo_cpa_dup_model_name:
 * @model_code: input register 32, major code in the high byte, minor in the
 *   low (cryomech-cpa-modbus.md, “Input registers”)
 *
 * Names a compressor model: “CPA1110” for 0x0413, the one code the spec
 * lists; otherwise “CPA model 0x0A1B”. Any thread.
 *
 * Returns: (transfer full): a newly allocated string
 */
char *
cryo_cpa_dup_model_name (guint model_code)
{
  if (model_code == CRYO_CPA_MODEL_CPA1110)
    return g_strdup ("CPA1110");

  return g_strdup_printf (_("CPA model 0x%04X"), model_code);
}

/**
 * cryo_cpa_pressure_scale_to_unit:
 * @scale: a pressure scale, low byte of input register 29
 *
 * The unit of the pressures in a snapshot (cryomech-cpa-modbus.md, “Input
 * registers”, register 29): psi, bar or kPa. Any thread.
 *
 * Returns: %CRYO_UNIT_PSI, %CRYO_UNIT_BAR or %CRYO_UNIT_KPA
 */
CryoUnit
cryo_cpa_pressure_scale_to_unit (CryoCpaPressureScale scale)
{
  switch (scale)
    {
    case CRYO_CPA_PRESSURE_SCALE_PSI:
      return CRYO_UNIT_PSI;
    case CRYO_CPA_PRESSURE_SCALE_BAR:
      return CRYO_UNIT_BAR;
    case CRYO_CPA_PRESSURE_SCALE_KPA:
      return CRYO_UNIT_KPA;
    default:
      g_return_val_if_reached (CRYO_UNIT_NONE);
    }
}

/**
 * cryo_cpa_temperature_scale_to_unit:
 * @scale: a temperature scale, low byte of input register 30
 *
 * The unit of the temperatures in a snapshot (cryomech-cpa-modbus.md,
 * “Input registers”, register 30): °F, °C or K. Any thread.
 *
 * Returns: %CRYO_UNIT_FAHRENHEIT, %CRYO_UNIT_CELSIUS or %CRYO_UNIT_KELVIN
 */
CryoUnit
cryo_cpa_temperature_scale_to_unit (CryoCpaTemperatureScale scale)
{
  switch (scale)
    {
    case CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT:
      return CRYO_UNIT_FAHRENHEIT;
    case CRYO_CPA_TEMPERATURE_SCALE_CELSIUS:
      return CRYO_UNIT_CELSIUS;
    case CRYO_CPA_TEMPERATURE_SCALE_KELVIN:
      return CRYO_UNIT_KELVIN;
    default:
      g_return_val_if_reached (CRYO_UNIT_NONE);
    }
}
