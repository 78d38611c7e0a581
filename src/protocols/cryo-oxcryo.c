/* cryo-oxcryo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Oxford Cryosystems Cryostream status and command packets; every wire fact
 * comes from shared/protocols/oxford-cryostream.md (sections cited as
 * "Link", "Byte order", "Status packets", "Command packets", "Alarm
 * severity") and the tables of its seed ("Run modes", "Phase ids", "Alarm
 * codes", "Hardware Type").
 */

#define G_LOG_DOMAIN "cryo-oxcryo"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cryo-oxcryo.h"

/* "Status packets": no temperature the controller reports reaches 600 K
 * (Plus models stop at 500 K); a larger value means the bytes are not a
 * packet. */
#define MAX_PLAUSIBLE_CK 60000
#define MAX_PERCENT      100

struct _CryoOxcryoDecoder
{
  GByteArray *buffer;
  gsize       n_discarded;
};

/* Seed "Run modes" */
static const char * const run_mode_names[] = {
  N_("Starting up"),
  N_("Start-up failed"),
  N_("Ready"),
  N_("Running"),
  N_("Set-up"),
  N_("Shut down"),
  N_("Shut down with error"),
};

/**
 * cryo_oxcryo_phases:
 *
 * The seed's "Phase ids" as data: each PhaseId with its untranslated name,
 * ended by an entry whose label is %NULL. The Cryostream's phase channel
 * names its bands with it.
 */
const CryoPhaseLabel cryo_oxcryo_phases[] = {
  { CRYO_OXCRYO_PHASE_RAMP,       N_("Ramp") },
  { CRYO_OXCRYO_PHASE_COOL,       N_("Cool") },
  { CRYO_OXCRYO_PHASE_PLAT,       N_("Plateau") },
  { CRYO_OXCRYO_PHASE_HOLD,       N_("Hold") },
  { CRYO_OXCRYO_PHASE_END,        N_("End") },
  { CRYO_OXCRYO_PHASE_PURGE,      N_("Purge") },
  { CRYO_OXCRYO_PHASE_PURGE_ALT,  N_("Purge") },
  { CRYO_OXCRYO_PHASE_WAIT,       N_("Wait") },
  { CRYO_OXCRYO_PHASE_REGEN,      N_("Regeneration") },
  { CRYO_OXCRYO_PHASE_REGEN_COOL, N_("Cooling after regeneration") },
  { 0, NULL }
};

/* Seed "Alarm codes": indexed by code, level 0..4 ("Alarm severity"). */
static const struct
{
  int         level;
  const char *text;
} alarms[CRYO_OXCRYO_MAX_ALARM + 1] = {
  { 0, N_("No errors or warnings") },
  { 1, N_("Stop pressed") },
  { 1, N_("Stop command") },
  { 1, N_("End complete") },
  { 1, N_("Purge complete") },
  { 2, N_("Temperature warning") },
  { 2, N_("Pressure warning") },
  { 2, N_("Check vacuum") },
  { 4, N_("Self-check fail") },
  { 4, N_("Flow rate fail") },
  { 4, N_("Temperature control error") },
  { 4, N_("Gas type error") },
  { 4, N_("Temperature reading error") },
  { 4, N_("Suction temperature error") },
  { 4, N_("Sensor fail") },
  { 3, N_("Brownout") },
  { 4, N_("Sink overheat") },
  { 4, N_("PSU overheat") },
  { 4, N_("Power loss") },
  { 4, N_("Coldhead too cold") },
  { 4, N_("Coldhead time out") },
  { 2, N_("Cryodrive not found") },
  { 4, N_("Cryodrive error") },
  { 4, N_("No nitrogen") },
  { 4, N_("No helium") },
  { 2, N_("Vacuum gauge fail") },
  { 2, N_("Vacuum reading error") },
  { 2, N_("RS232 error") },
  { 2, N_("Coldhead temperature warning") },
  { 4, N_("Coldhead temperature error") },
  { 2, N_("Do not open cryostat") },
  { 3, N_("Do not open cryostat") },
  { 2, N_("Unplug crystal sensor") },
  { 2, N_("Cryostat open") },
  { 4, N_("Cryostat open timeout") },
  { 2, N_("High temperature warning") },
  { 4, N_("High temperature error") },
  { 3, N_("Cryodrive temperature sensor fault") },
  { 3, N_("Cryodrive pressure sensor fault") },
  { 3, N_("Cryodrive low temperature trip") },
  { 3, N_("Cryodrive high temperature trip") },
  { 3, N_("Cryodrive low pressure trip") },
  { 2, N_("Cryodrive high temperature warning") },
  { 2, N_("Cryodrive low pressure warning") },
  { 2, N_("Connect gas supply") },
  { 3, N_("Autofill fault") },
  { 1, N_("Autofill about to fill") },
  { 2, N_("Autofill filling") },
  { 4, N_("Collar temperature error") },
  { 4, N_("Coldhead error") },
  { 1, N_("Turbo flow") },
  { 1, N_("Helium selected") },
  { 2, N_("Cryodrive not ready") },
  { 2, N_("Regeneration required") },
  { 1, N_("Regeneration complete") },
  { 2, N_("Connect vacuum") },
  { 2, N_("Disconnect vacuum") },
};

/* Seed "Hardware Type" */
static const struct
{
  CryoOxcryoHardware bit;
  const char        *name;
} hardware_bits[] = {
  { CRYO_OXCRYO_HARDWARE_PLUS,       N_("Plus (500 K)") },
  { CRYO_OXCRYO_HARDWARE_SHUTTER,    N_("CryoShutter") },
  { CRYO_OXCRYO_HARDWARE_SERIES_800, N_("800 series") },
  { CRYO_OXCRYO_HARDWARE_AUTOFILL,   N_("AutoFill") },
};

/* "Command packets": the size of each id's packet; End also comes in the
 * 2-byte form of the 2019 page (see command_parse). */
static const struct
{
  guint8 id;
  guint8 size;
} command_sizes[] = {
  { CRYO_OXCRYO_COMMAND_RESTART,    2 },
  { CRYO_OXCRYO_COMMAND_RAMP,       6 },
  { CRYO_OXCRYO_COMMAND_PLAT,       4 },
  { CRYO_OXCRYO_COMMAND_HOLD,       2 },
  { CRYO_OXCRYO_COMMAND_COOL,       4 },
  { CRYO_OXCRYO_COMMAND_END,        4 },
  { CRYO_OXCRYO_COMMAND_PURGE,      2 },
  { CRYO_OXCRYO_COMMAND_PAUSE,      2 },
  { CRYO_OXCRYO_COMMAND_RESUME,     2 },
  { CRYO_OXCRYO_COMMAND_STOP,       2 },
  { CRYO_OXCRYO_COMMAND_TURBO,      3 },
  { CRYO_OXCRYO_COMMAND_SET_FORMAT, 3 },
};

/* "Byte order": big-endian throughout. */
static inline guint16
get_u16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline void
put_u16 (guint8  *p,
         guint16  value)
{
  p[0] = value >> 8;
  p[1] = value & 0xFF;
}

static gboolean
phase_is_known (guint phase_id)
{
  for (gsize i = 0; cryo_oxcryo_phases[i].label != NULL; i++)
    if ((guint) cryo_oxcryo_phases[i].value == phase_id)
      return TRUE;
  return FALSE;
}

static gboolean
header_is_valid (guint8 length,
                 guint8 type)
{
  return (length == CRYO_OXCRYO_STANDARD_LENGTH && type == CRYO_OXCRYO_STANDARD_TYPE)
         || (length == CRYO_OXCRYO_EXTENDED_LENGTH && type == CRYO_OXCRYO_EXTENDED_TYPE);
}

/**
 * cryo_oxcryo_run_mode_to_string:
 * @run_mode: a RunMode byte
 *
 * Returns: (transfer none): the translated name of @run_mode (seed "Run
 *   modes"), or %NULL for a value the table does not have
 */
const char *
cryo_oxcryo_run_mode_to_string (guint run_mode)
{
  if (run_mode >= G_N_ELEMENTS (run_mode_names))
    return NULL;
  return _(run_mode_names[run_mode]);
}

/**
 * cryo_oxcryo_phase_to_string:
 * @phase_id: a PhaseId byte
 *
 * Returns: (transfer none): the translated name of @phase_id (seed "Phase
 *   ids"), or %NULL for a value the table does not have
 */
const char *
cryo_oxcryo_phase_to_string (guint phase_id)
{
  for (gsize i = 0; cryo_oxcryo_phases[i].label != NULL; i++)
    if ((guint) cryo_oxcryo_phases[i].value == phase_id)
      return _(cryo_oxcryo_phases[i].label);
  return NULL;
}

/**
 * cryo_oxcryo_alarm_to_string:
 * @alarm_code: an AlarmCode byte
 *
 * Returns: (transfer none): the translated text of @alarm_code (seed "Alarm
 *   codes"), or %NULL for a code beyond the table
 */
const char *
cryo_oxcryo_alarm_to_string (guint alarm_code)
{
  if (alarm_code > CRYO_OXCRYO_MAX_ALARM)
    return NULL;
  return _(alarms[alarm_code].text);
}

/**
 * cryo_oxcryo_alarm_get_level:
 * @alarm_code: an AlarmCode byte
 *
 * The level is not on the wire; it comes from the seed's "Alarm codes" table
 * ("Alarm severity": ≥ 2 warning, 4 the machine has shut down).
 *
 * Returns: 0..4, or -1 for a code beyond the table
 */
int
cryo_oxcryo_alarm_get_level (guint alarm_code)
{
  if (alarm_code > CRYO_OXCRYO_MAX_ALARM)
    return -1;
  return alarms[alarm_code].level;
}

/**
 * cryo_oxcryo_hardware_bit_to_string:
 * @bit: one #CryoOxcryoHardware bit
 *
 * Returns: (transfer none): its translated name (seed "Hardware Type"), or
 *   %NULL for anything but one known bit
 */
const char *
cryo_oxcryo_hardware_bit_to_string (CryoOxcryoHardware bit)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hardware_bits); i++)
    if (hardware_bits[i].bit == bit)
      return _(hardware_bits[i].name);
  return NULL;
}

/**
 * cryo_oxcryo_max_target:
 * @hardware_type: HardwareType bits of an extended packet (0 when unknown)
 *
 * Returns: the highest target temperature in centikelvin a Ramp or Cool may
 *   ask for: 500.00 K on Plus models, else 400.00 K ("Command packets")
 */
guint
cryo_oxcryo_max_target (guint hardware_type)
{
  return (hardware_type & CRYO_OXCRYO_HARDWARE_PLUS) ? CRYO_OXCRYO_MAX_TARGET_PLUS_CK
                                                     : CRYO_OXCRYO_MAX_TARGET_CK;
}

/**
 * cryo_oxcryo_status_decode:
 * @bytes: (array length=len): exactly one packet, from its Length byte
 * @len: 32 or 42
 * @status: (out caller-allocates): the decoded packet, written on success
 * @error: a #CRYO_PROTOCOL_ERROR: %CRYO_PROTOCOL_ERROR_TRUNCATED when @len
 *   is not what byte 0 says, %CRYO_PROTOCOL_ERROR_MALFORMED for an unknown
 *   length/type pair or a field out of range
 *
 * Decodes one status packet ("Status packets": offsets, big-endian). Since
 * there is no checksum, the range checks of "Framing recovery" (run mode,
 * phase, alarm code, percentages, temperatures) are what tell a packet from
 * line noise.
 *
 * Returns: %TRUE when @status was written
 */
gboolean
cryo_oxcryo_status_decode (const guint8      *bytes,
                           gsize              len,
                           CryoOxcryoStatus  *status,
                           GError           **error)
{
  CryoOxcryoStatus s = { 0 };

  g_return_val_if_fail (bytes != NULL || len == 0, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len < 2 || !header_is_valid (bytes[0], bytes[1]))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Not a Cryostream status packet (length/type %u/%u)"),
                   len > 0 ? bytes[0] : 0, len > 1 ? bytes[1] : 0);
      return FALSE;
    }
  if (len != bytes[0])
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED,
                   _("Cryostream status packet of %u bytes arrived with %zu"),
                   bytes[0], len);
      return FALSE;
    }

  s.extended = bytes[1] == CRYO_OXCRYO_EXTENDED_TYPE;
  s.gas_set_point = get_u16 (bytes + 2);
  s.gas_temp = get_u16 (bytes + 4);
  s.gas_error = (gint16) get_u16 (bytes + 6);
  s.run_mode = bytes[8];
  s.phase_id = bytes[9];
  s.ramp_rate = get_u16 (bytes + 10);
  s.target_temp = get_u16 (bytes + 12);
  s.evap_temp = get_u16 (bytes + 14);
  s.suct_temp = get_u16 (bytes + 16);
  s.remaining = get_u16 (bytes + 18);
  s.gas_flow = bytes[20];
  s.gas_heat = bytes[21];
  s.evap_heat = bytes[22];
  s.suct_heat = bytes[23];
  s.line_pressure = bytes[24];
  s.alarm_code = bytes[25];
  s.run_time = get_u16 (bytes + 26);
  s.controller_number = get_u16 (bytes + 28);
  s.software_version = bytes[30];
  s.evap_adjust = bytes[31];
  if (s.extended)
    {
      s.turbo_mode = bytes[32];
      s.hardware_type = bytes[33];
      s.shutter_state = bytes[34];
      s.shutter_time = bytes[35];
      s.average_gas_heat = bytes[36];
      s.average_suct_heat = bytes[37];
      s.time_to_fill = get_u16 (bytes + 38);
      s.total_hours = get_u16 (bytes + 40);
    }

  if (s.run_mode >= G_N_ELEMENTS (run_mode_names)
      || !phase_is_known (s.phase_id)
      || s.alarm_code > CRYO_OXCRYO_MAX_ALARM
      || s.gas_heat > MAX_PERCENT || s.evap_heat > MAX_PERCENT || s.suct_heat > MAX_PERCENT
      || s.gas_set_point > MAX_PLAUSIBLE_CK || s.gas_temp > MAX_PLAUSIBLE_CK
      || s.target_temp > MAX_PLAUSIBLE_CK || s.evap_temp > MAX_PLAUSIBLE_CK
      || s.suct_temp > MAX_PLAUSIBLE_CK
      || (s.extended && (s.turbo_mode > 1
                         || (s.hardware_type & ~CRYO_OXCRYO_HARDWARE_ALL) != 0
                         || s.average_gas_heat > MAX_PERCENT
                         || s.average_suct_heat > MAX_PERCENT)))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Cryostream status packet with a field out of range"));
      return FALSE;
    }

  *status = s;
  return TRUE;
}

/**
 * cryo_oxcryo_status_encode:
 * @status: a packet; @status->extended chooses the form
 *
 * The inverse of cryo_oxcryo_status_decode(), for the simulator.
 *
 * Returns: (transfer full): 32 or 42 bytes
 */
GBytes *
cryo_oxcryo_status_encode (const CryoOxcryoStatus *status)
{
  guint8 b[CRYO_OXCRYO_EXTENDED_LENGTH] = { 0 };
  gsize len;

  g_return_val_if_fail (status != NULL, NULL);

  len = status->extended ? CRYO_OXCRYO_EXTENDED_LENGTH : CRYO_OXCRYO_STANDARD_LENGTH;
  b[0] = len;
  b[1] = status->extended ? CRYO_OXCRYO_EXTENDED_TYPE : CRYO_OXCRYO_STANDARD_TYPE;
  put_u16 (b + 2, status->gas_set_point);
  put_u16 (b + 4, status->gas_temp);
  put_u16 (b + 6, (guint16) status->gas_error);
  b[8] = status->run_mode;
  b[9] = status->phase_id;
  put_u16 (b + 10, status->ramp_rate);
  put_u16 (b + 12, status->target_temp);
  put_u16 (b + 14, status->evap_temp);
  put_u16 (b + 16, status->suct_temp);
  put_u16 (b + 18, status->remaining);
  b[20] = status->gas_flow;
  b[21] = status->gas_heat;
  b[22] = status->evap_heat;
  b[23] = status->suct_heat;
  b[24] = status->line_pressure;
  b[25] = status->alarm_code;
  put_u16 (b + 26, status->run_time);
  put_u16 (b + 28, status->controller_number);
  b[30] = status->software_version;
  b[31] = status->evap_adjust;
  if (status->extended)
    {
      b[32] = status->turbo_mode;
      b[33] = status->hardware_type;
      b[34] = status->shutter_state;
      b[35] = status->shutter_time;
      b[36] = status->average_gas_heat;
      b[37] = status->average_suct_heat;
      put_u16 (b + 38, status->time_to_fill);
      put_u16 (b + 40, status->total_hours);
    }

  return g_bytes_new (b, len);
}

/* "Command packets": [size][id][parameters, big-endian] */
static GBytes *
encode_command (guint8        id,
                const guint8 *params,
                gsize         n_params)
{
  guint8 b[CRYO_OXCRYO_MAX_COMMAND];

  g_assert (n_params + 2 <= sizeof b);

  b[0] = n_params + 2;
  b[1] = id;
  if (n_params > 0)
    memcpy (b + 2, params, n_params);
  return g_bytes_new (b, n_params + 2);
}

static gboolean
check_range (guint        value,
             guint        min,
             guint        max,
             const char  *what,
             GError     **error)
{
  if (value >= min && value <= max)
    return TRUE;

  g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE,
               _("%s %u is outside %u…%u"), what, value, min, max);
  return FALSE;
}

static gboolean
check_target (guint    target,
              guint    max_target,
              GError **error)
{
  if (target >= CRYO_OXCRYO_MIN_TARGET_CK && target <= max_target)
    return TRUE;

  g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE,
               _("Target %u.%02u K is outside %u…%u K"),
               target / 100, target % 100,
               CRYO_OXCRYO_MIN_TARGET_CK / 100, max_target / 100);
  return FALSE;
}

/**
 * cryo_oxcryo_encode_restart:
 *
 * Returns: (transfer full): the Restart packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_restart (void)
{
  return encode_command (CRYO_OXCRYO_COMMAND_RESTART, NULL, 0);
}

/**
 * cryo_oxcryo_encode_ramp:
 * @rate: K/h, 1..360
 * @target: centikelvin, 8000..@max_target
 * @max_target: 40000, or 50000 on Plus models (see cryo_oxcryo_max_target())
 * @error: %CRYO_PROTOCOL_ERROR_OUT_OF_RANGE for a parameter out of range
 *
 * Returns: (transfer full) (nullable): the Ramp packet ("Command packets"),
 *   or %NULL with @error set and no bytes
 */
GBytes *
cryo_oxcryo_encode_ramp (guint    rate,
                         guint    target,
                         guint    max_target,
                         GError **error)
{
  guint8 p[4];

  g_return_val_if_fail (max_target <= CRYO_OXCRYO_MAX_TARGET_PLUS_CK, NULL);

  if (!check_range (rate, CRYO_OXCRYO_MIN_RATE, CRYO_OXCRYO_MAX_RATE, _("Ramp rate (K/h)"), error)
      || !check_target (target, max_target, error))
    return NULL;

  put_u16 (p, rate);
  put_u16 (p + 2, target);
  return encode_command (CRYO_OXCRYO_COMMAND_RAMP, p, sizeof p);
}

/**
 * cryo_oxcryo_encode_plat:
 * @minutes: 1..1440
 * @error: %CRYO_PROTOCOL_ERROR_OUT_OF_RANGE for @minutes out of range
 *
 * Returns: (transfer full) (nullable): the Plat packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_plat (guint    minutes,
                         GError **error)
{
  guint8 p[2];

  if (!check_range (minutes, CRYO_OXCRYO_MIN_PLAT_MIN, CRYO_OXCRYO_MAX_PLAT_MIN,
                    _("Plateau duration (min)"), error))
    return NULL;

  put_u16 (p, minutes);
  return encode_command (CRYO_OXCRYO_COMMAND_PLAT, p, sizeof p);
}

/**
 * cryo_oxcryo_encode_hold:
 *
 * Returns: (transfer full): the Hold packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_hold (void)
{
  return encode_command (CRYO_OXCRYO_COMMAND_HOLD, NULL, 0);
}

/**
 * cryo_oxcryo_encode_cool:
 * @target: centikelvin, 8000..@max_target
 * @max_target: see cryo_oxcryo_encode_ramp()
 * @error: %CRYO_PROTOCOL_ERROR_OUT_OF_RANGE for @target out of range
 *
 * Returns: (transfer full) (nullable): the Cool packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_cool (guint    target,
                         guint    max_target,
                         GError **error)
{
  guint8 p[2];

  g_return_val_if_fail (max_target <= CRYO_OXCRYO_MAX_TARGET_PLUS_CK, NULL);

  if (!check_target (target, max_target, error))
    return NULL;

  put_u16 (p, target);
  return encode_command (CRYO_OXCRYO_COMMAND_COOL, p, sizeof p);
}

/**
 * cryo_oxcryo_encode_end:
 * @rate: K/h, 1..360
 * @error: %CRYO_PROTOCOL_ERROR_OUT_OF_RANGE for @rate out of range
 *
 * Encodes the 4-byte End that working controllers use ("Command packets").
 *
 * Returns: (transfer full) (nullable): the End packet
 */
GBytes *
cryo_oxcryo_encode_end (guint    rate,
                        GError **error)
{
  guint8 p[2];

  if (!check_range (rate, CRYO_OXCRYO_MIN_RATE, CRYO_OXCRYO_MAX_RATE, _("End rate (K/h)"), error))
    return NULL;

  put_u16 (p, rate);
  return encode_command (CRYO_OXCRYO_COMMAND_END, p, sizeof p);
}

/**
 * cryo_oxcryo_encode_purge:
 *
 * Returns: (transfer full): the Purge packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_purge (void)
{
  return encode_command (CRYO_OXCRYO_COMMAND_PURGE, NULL, 0);
}

/**
 * cryo_oxcryo_encode_pause:
 *
 * Returns: (transfer full): the Pause packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_pause (void)
{
  return encode_command (CRYO_OXCRYO_COMMAND_PAUSE, NULL, 0);
}

/**
 * cryo_oxcryo_encode_resume:
 *
 * Returns: (transfer full): the Resume packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_resume (void)
{
  return encode_command (CRYO_OXCRYO_COMMAND_RESUME, NULL, 0);
}

/**
 * cryo_oxcryo_encode_stop:
 *
 * Returns: (transfer full): the Stop packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_stop (void)
{
  return encode_command (CRYO_OXCRYO_COMMAND_STOP, NULL, 0);
}

/**
 * cryo_oxcryo_encode_turbo:
 * @on: turbo on or off
 *
 * Returns: (transfer full): the Turbo packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_turbo (gboolean on)
{
  guint8 p = on ? 1 : 0;

  return encode_command (CRYO_OXCRYO_COMMAND_TURBO, &p, 1);
}

/**
 * cryo_oxcryo_encode_set_format:
 * @extended: ask for extended (42-byte) status packets
 *
 * Returns: (transfer full): the SetFormat packet ("Command packets")
 */
GBytes *
cryo_oxcryo_encode_set_format (gboolean extended)
{
  guint8 p = extended ? 1 : 0;

  return encode_command (CRYO_OXCRYO_COMMAND_SET_FORMAT, &p, 1);
}

/**
 * cryo_oxcryo_command_parse:
 * @bytes: (array length=len): bytes the controller received, from what
 *   should be a size byte
 * @len: how many
 * @command: (out caller-allocates): the command, written for
 *   %CRYO_OXCRYO_DECODE_PACKET
 * @consumed: (out): bytes to drop from the front: the packet's size for
 *   %CRYO_OXCRYO_DECODE_PACKET, 1 for %CRYO_OXCRYO_DECODE_ERROR, 0 for
 *   %CRYO_OXCRYO_DECODE_NEED_MORE
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for an unknown size/id pair
 *
 * Reads one command packet as a controller (the simulator) does
 * ("Command packets"). End is accepted in both its 4-byte and its 2-byte
 * form. Parameters are not range-checked: a controller ignores what it
 * cannot do, and the simulator decides that.
 *
 * Returns: what was found
 */
CryoOxcryoDecodeResult
cryo_oxcryo_command_parse (const guint8       *bytes,
                           gsize               len,
                           CryoOxcryoCommand  *command,
                           gsize              *consumed,
                           GError            **error)
{
  CryoOxcryoCommand c = { 0 };
  gboolean known = FALSE;

  g_return_val_if_fail (bytes != NULL || len == 0, CRYO_OXCRYO_DECODE_ERROR);
  g_return_val_if_fail (command != NULL && consumed != NULL, CRYO_OXCRYO_DECODE_ERROR);

  *consumed = 0;
  if (len < 2)
    return CRYO_OXCRYO_DECODE_NEED_MORE;

  for (gsize i = 0; i < G_N_ELEMENTS (command_sizes); i++)
    if (command_sizes[i].id == bytes[1]
        && (command_sizes[i].size == bytes[0]
            || (bytes[1] == CRYO_OXCRYO_COMMAND_END && bytes[0] == 2)))
      known = TRUE;

  if (!known)
    {
      *consumed = 1;
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Not a Cryostream command (size/id %u/%u)"), bytes[0], bytes[1]);
      return CRYO_OXCRYO_DECODE_ERROR;
    }
  if (len < bytes[0])
    return CRYO_OXCRYO_DECODE_NEED_MORE;

  c.id = bytes[1];
  switch (c.id)
    {
    case CRYO_OXCRYO_COMMAND_RAMP:
      c.rate = get_u16 (bytes + 2);
      c.target = get_u16 (bytes + 4);
      break;
    case CRYO_OXCRYO_COMMAND_PLAT:
      c.minutes = get_u16 (bytes + 2);
      break;
    case CRYO_OXCRYO_COMMAND_COOL:
      c.target = get_u16 (bytes + 2);
      break;
    case CRYO_OXCRYO_COMMAND_END:
      c.has_rate = bytes[0] == 4;
      if (c.has_rate)
        c.rate = get_u16 (bytes + 2);
      break;
    case CRYO_OXCRYO_COMMAND_TURBO:
    case CRYO_OXCRYO_COMMAND_SET_FORMAT:
      c.flag = bytes[2];
      break;
    default:
      break;
    }

  *command = c;
  *consumed = bytes[0];
  return CRYO_OXCRYO_DECODE_PACKET;
}

/**
 * cryo_oxcryo_decoder_new:
 *
 * An incremental decoder of the status packet stream ("Status packets",
 * "Framing recovery"): there is no sync byte, so it accepts a packet only
 * where the length/type pair is 32/1 or 42/2 and every field is in range,
 * and otherwise shifts by one byte.
 *
 * Returns: (transfer full): a decoder, free with cryo_oxcryo_decoder_free()
 */
CryoOxcryoDecoder *
cryo_oxcryo_decoder_new (void)
{
  CryoOxcryoDecoder *decoder = g_new0 (CryoOxcryoDecoder, 1);

  decoder->buffer = g_byte_array_sized_new (2 * CRYO_OXCRYO_EXTENDED_LENGTH);
  return decoder;
}

void
cryo_oxcryo_decoder_free (CryoOxcryoDecoder *decoder)
{
  if (decoder == NULL)
    return;
  g_byte_array_unref (decoder->buffer);
  g_free (decoder);
}

/**
 * cryo_oxcryo_decoder_feed:
 * @decoder: a decoder
 * @bytes: (array length=len) (nullable): bytes as read, in any chunking
 * @len: how many
 *
 * Queues @bytes for cryo_oxcryo_decoder_next(). Call next() until it
 * returns %CRYO_OXCRYO_DECODE_NEED_MORE after each feed; the decoder then
 * holds fewer than %CRYO_OXCRYO_EXTENDED_LENGTH bytes.
 */
void
cryo_oxcryo_decoder_feed (CryoOxcryoDecoder *decoder,
                          const guint8      *bytes,
                          gsize              len)
{
  g_return_if_fail (decoder != NULL);
  g_return_if_fail (bytes != NULL || len == 0);
  g_return_if_fail (len <= G_MAXUINT - decoder->buffer->len);

  if (len > 0)
    g_byte_array_append (decoder->buffer, bytes, len);
}

/**
 * cryo_oxcryo_decoder_next:
 * @decoder: a decoder
 * @status: (out caller-allocates): written for %CRYO_OXCRYO_DECODE_PACKET
 * @error: for %CRYO_OXCRYO_DECODE_ERROR: %CRYO_PROTOCOL_ERROR_MALFORMED
 *
 * Returns: %CRYO_OXCRYO_DECODE_PACKET with the next packet;
 *   %CRYO_OXCRYO_DECODE_ERROR when it dropped bytes that start no valid
 *   packet (counted in cryo_oxcryo_decoder_get_n_discarded(); call again);
 *   %CRYO_OXCRYO_DECODE_NEED_MORE when the bytes so far may still begin a
 *   packet
 */
CryoOxcryoDecodeResult
cryo_oxcryo_decoder_next (CryoOxcryoDecoder  *decoder,
                          CryoOxcryoStatus   *status,
                          GError            **error)
{
  GByteArray *buf;
  gsize skip = 0;

  g_return_val_if_fail (decoder != NULL, CRYO_OXCRYO_DECODE_ERROR);
  g_return_val_if_fail (status != NULL, CRYO_OXCRYO_DECODE_ERROR);

  buf = decoder->buffer;

  /* Skip to the first place where a packet may start: a valid length/type
   * pair, or a last byte that may be the Length of one. */
  while (skip < buf->len)
    {
      if (skip + 1 < buf->len)
        {
          if (header_is_valid (buf->data[skip], buf->data[skip + 1]))
            {
              gsize len = buf->data[skip];

              if (skip > 0 || buf->len < len)
                break;
              if (cryo_oxcryo_status_decode (buf->data, len, status, NULL))
                {
                  g_byte_array_remove_range (buf, 0, len);
                  return CRYO_OXCRYO_DECODE_PACKET;
                }
            }
        }
      else if (buf->data[skip] == CRYO_OXCRYO_STANDARD_LENGTH
               || buf->data[skip] == CRYO_OXCRYO_EXTENDED_LENGTH)
        {
          break;
        }
      skip++;
    }

  if (skip == 0)
    return CRYO_OXCRYO_DECODE_NEED_MORE;

  g_byte_array_remove_range (buf, 0, skip);
  decoder->n_discarded += skip;
  g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
               g_dngettext (GETTEXT_PACKAGE,
                            "Skipped %zu byte that starts no Cryostream status packet",
                            "Skipped %zu bytes that start no Cryostream status packet",
                            skip),
               skip);
  return CRYO_OXCRYO_DECODE_ERROR;
}

/**
 * cryo_oxcryo_decoder_get_n_discarded:
 * @decoder: a decoder
 *
 * Returns: bytes dropped as not part of a valid packet since creation
 */
gsize
cryo_oxcryo_decoder_get_n_discarded (CryoOxcryoDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, 0);
  return decoder->n_discarded;
}

/**
 * cryo_oxcryo_decoder_get_n_buffered:
 * @decoder: a decoder
 *
 * Returns: bytes held for a packet not yet complete
 */
gsize
cryo_oxcryo_decoder_get_n_buffered (CryoOxcryoDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, 0);
  return decoder->buffer->len;
}
