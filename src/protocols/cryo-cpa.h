/* cryo-cpa.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cryomech CPA compressor register map: shared/protocols/cryomech-cpa-modbus.md.
 * Pure codec over register values; the Modbus framing is libmodbus's.
 */

#pragma once

#include <glib.h>

#include "cryo-protocol-error.h"
#include "cryo-units.h"

G_BEGIN_DECLS

/**
 * CRYO_CPA_CONTROL_REGISTER:
 *
 * Holding register 1 (cryomech-cpa-modbus.md, “Control”): the client writes
 * %CRYO_CPA_CONTROL_START (function 06) to start and %CRYO_CPA_CONTROL_STOP
 * to stop; the simulator also accepts the vendor sample's
 * %CRYO_CPA_CONTROL_STOP_VENDOR. Start only when the operating state is
 * %CRYO_CPA_STATE_IDLE or %CRYO_CPA_STATE_RECOVERED and no alarm bit is set.
 */

/* cryomech-cpa-modbus.md "Addressing" and "Control" */
#define CRYO_CPA_FIRST_INPUT_REGISTER    1
#define CRYO_CPA_N_INPUT_REGISTERS       33
#define CRYO_CPA_CONTROL_REGISTER        1
#define CRYO_CPA_CONTROL_START           0x0001
#define CRYO_CPA_CONTROL_STOP            0x00FF
#define CRYO_CPA_CONTROL_STOP_VENDOR     0xFFFF
#define CRYO_CPA_DEFAULT_RTU_UNIT_ID     16
#define CRYO_CPA_DEFAULT_TCP_UNIT_ID     1
#define CRYO_CPA_DEFAULT_TCP_PORT        502
#define CRYO_CPA_N_STATUS_BITS           31
#define CRYO_CPA_MODEL_CPA1110           0x0413

/* cryomech-cpa-modbus.md "Operating state" */
typedef enum
{
  CRYO_CPA_STATE_IDLE             = 0,
  CRYO_CPA_STATE_STARTING         = 2,
  CRYO_CPA_STATE_RUNNING          = 3,
  CRYO_CPA_STATE_STOPPING         = 5,
  CRYO_CPA_STATE_ERROR_LOCKOUT    = 6,
  CRYO_CPA_STATE_ERROR            = 7,
  CRYO_CPA_STATE_HELIUM_COOL_DOWN = 8,
  CRYO_CPA_STATE_POWER_ERROR      = 9,
  CRYO_CPA_STATE_RECOVERED        = 15,
} CryoCpaState;

/* register 29, low byte */
typedef enum
{
  CRYO_CPA_PRESSURE_SCALE_PSI = 0,
  CRYO_CPA_PRESSURE_SCALE_BAR = 1,
  CRYO_CPA_PRESSURE_SCALE_KPA = 2,
} CryoCpaPressureScale;

/* register 30, low byte */
typedef enum
{
  CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT = 0,
  CRYO_CPA_TEMPERATURE_SCALE_CELSIUS    = 1,
  CRYO_CPA_TEMPERATURE_SCALE_KELVIN     = 2,
} CryoCpaTemperatureScale;

/**
 * CryoCpaSnapshot:
 * @state: operating state (register 1), a #CryoCpaState value
 * @running: compressor running (register 2)
 * @warnings: warning bit set (registers 3-4: a float holding minus the sum of bit weights)
 * @alarms: alarm bit set (registers 5-6, same encoding)
 * @coolant_in: coolant in temperature, in @temperature_scale (registers 7-8)
 * @coolant_out: coolant out temperature (9-10)
 * @oil: oil temperature (11-12)
 * @helium: helium temperature (13-14)
 * @low_pressure: low-side pressure, in @pressure_scale (15-16)
 * @low_pressure_average: (17-18)
 * @high_pressure: high-side pressure (19-20)
 * @high_pressure_average: (21-22)
 * @delta_pressure_average: (23-24)
 * @motor_current: motor current, A (25-26)
 * @hours: hours of operation (27-28)
 * @pressure_scale: the panel's pressure unit (register 29)
 * @temperature_scale: the panel's temperature unit (register 30)
 * @serial_number: panel serial number (register 31)
 * @model_code: model, major code in the high byte, minor in the low (register 32)
 * @software_major: software revision, high byte of register 33
 * @software_minor: software revision, low byte of register 33
 *
 * The compressor's input registers 1..33, decoded. Values stay in the
 * panel's own units, as the instrument reports them.
 */
typedef struct
{
  guint                    state;
  gboolean                 running;
  guint32                  warnings;
  guint32                  alarms;
  double                   coolant_in;
  double                   coolant_out;
  double                   oil;
  double                   helium;
  double                   low_pressure;
  double                   low_pressure_average;
  double                   high_pressure;
  double                   high_pressure_average;
  double                   delta_pressure_average;
  double                   motor_current;
  double                   hours;
  CryoCpaPressureScale     pressure_scale;
  CryoCpaTemperatureScale  temperature_scale;
  guint                    serial_number;
  guint                    model_code;
  guint                    software_major;
  guint                    software_minor;
} CryoCpaSnapshot;

float        cryo_cpa_float_from_registers   (const guint16           *registers);
void         cryo_cpa_float_to_registers     (float                    value,
                                              guint16                 *registers);
gboolean     cryo_cpa_decode_input_registers (const guint16           *registers,
                                              gsize                    n_registers,
                                              CryoCpaSnapshot         *snapshot,
                                              GError                 **error);
void         cryo_cpa_encode_input_registers (const CryoCpaSnapshot   *snapshot,
                                              guint16                 *registers);
gboolean     cryo_cpa_bits_from_float        (float                    value,
                                              guint32                 *bits,
                                              GError                 **error);
float        cryo_cpa_bits_to_float          (guint32                  bits);
const char  *cryo_cpa_state_to_string        (guint                    state);
gboolean     cryo_cpa_state_is_known         (guint                    state);
char        *cryo_cpa_dup_state_name         (guint                    state);
const char  *cryo_cpa_bit_to_string          (guint                    bit);
char       **cryo_cpa_bits_to_strv           (guint32                  bits);
char        *cryo_cpa_dup_model_name         (guint                    model_code);
CryoUnit     cryo_cpa_pressure_scale_to_unit (CryoCpaPressureScale     scale);
CryoUnit     cryo_cpa_temperature_scale_to_unit (CryoCpaTemperatureScale scale);

G_END_DECLS
