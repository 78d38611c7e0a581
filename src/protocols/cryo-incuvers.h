/* cryo-incuvers.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Incuvers incubator "PiLink" serial line protocol: shared/protocols/
 * incuvers-pilink.md and its seed (the Incuvers environment control README).
 * Pure codec: no I/O.
 */

#pragma once

#include <glib.h>

#include "cryo-protocol-error.h"

G_BEGIN_DECLS

/* incuvers-pilink.md "Status lines": -10000 means the sensor is absent. */
#define CRYO_INCUVERS_NO_SENSOR           (-10000)
/* A value whose key the status line did not carry. */
#define CRYO_INCUVERS_ABSENT              G_MININT

/* "Commands": 0 < Len ≤ 52 and a line of at most 64 characters before "\n". */
#define CRYO_INCUVERS_MAX_COMMAND_PAYLOAD 52
#define CRYO_INCUVERS_MAX_COMMAND_LINE    64
/* Both limits together: Len + digits(Len) + 11 ≤ 64 leaves 51. */
#define CRYO_INCUVERS_MAX_COMMAND_FRAMED  51
/* Seed "RPi → Arduino": bytes without the special characters are dropped
 * after 80 characters. */
#define CRYO_INCUVERS_MAX_GARBAGE         80
/* The longest status payload accepted: v1.12 sends about 180 characters,
 * newer firmware a few keys more. */
#define CRYO_INCUVERS_MAX_STATUS_PAYLOAD  1024

/* "Status lines", seed "Modes" and "Alarms": command ranges in hundredths,
 * both ends excluded ("Commands"). */
#define CRYO_INCUVERS_TEMPERATURE_MIN_CENTI 500
#define CRYO_INCUVERS_TEMPERATURE_MAX_CENTI 7500
#define CRYO_INCUVERS_CO2_MIN_CENTI         10
#define CRYO_INCUVERS_CO2_MAX_CENTI         2500
#define CRYO_INCUVERS_O2_MIN_CENTI          0
#define CRYO_INCUVERS_O2_MAX_CENTI          2100

/**
 * CryoIncuversIndicator:
 * @CRYO_INCUVERS_INDICATOR_ABSENT: the status line did not carry it
 * @CRYO_INCUVERS_INDICATOR_OFF: `-`
 * @CRYO_INCUVERS_INDICATOR_ON: `*` (heating; an alarm raised), or the
 *   door's LCD variant `#`
 * @CRYO_INCUVERS_INDICATOR_STEPPING: `+`, or the door's LCD variant `=`
 *
 * An indicator character ("Status lines"; seed "LCD display").
 */
typedef enum
{
  CRYO_INCUVERS_INDICATOR_ABSENT,
  CRYO_INCUVERS_INDICATOR_OFF,
  CRYO_INCUVERS_INDICATOR_ON,
  CRYO_INCUVERS_INDICATOR_STEPPING,
} CryoIncuversIndicator;

/**
 * CryoIncuversMode:
 * @CRYO_INCUVERS_GAS_OFF: CO2 / O2 off: no control, monitoring or alarm
 * @CRYO_INCUVERS_GAS_READ: the sensor is read, nothing controlled
 * @CRYO_INCUVERS_GAS_MAINTAIN: the set point is maintained; its alarm is armed
 *
 * Gas modes, `CM` and `OM` (seed "Gas", "Modes"). Heat mode `TM` is 0 off
 * / 1 on, fan mode `FM` 0..4, light mode `LM` 0..2.
 */
typedef enum
{
  CRYO_INCUVERS_GAS_OFF      = 0,
  CRYO_INCUVERS_GAS_READ     = 1,
  CRYO_INCUVERS_GAS_MAINTAIN = 2,
} CryoIncuversMode;

#define CRYO_INCUVERS_MAX_FAN_MODE   4
#define CRYO_INCUVERS_MAX_LIGHT_MODE 2

/**
 * CryoIncuversField:
 * @key: the key as sent ("TC", "RH")
 * @value: the value as sent, possibly empty
 *
 * One `Key|Value` pair of a payload.
 */
typedef struct
{
  char *key;
  char *value;
} CryoIncuversField;

/**
 * CryoIncuversAlarm:
 * @indicator: a v1.12 alarm indicator (`-` none, `*` raised)
 * @setting: a newer firmware's numeric alarm setting, 0 off, 1 report,
 *   2 alarm; -1 when the line carried an indicator or nothing
 *
 * The `TA`, `CA`, `OA` fields, which firmware versions send either way.
 */
typedef struct
{
  CryoIncuversIndicator indicator;
  int                   setting;
} CryoIncuversAlarm;

/**
 * CryoIncuversStatus:
 * @millis: the controller's uptime in ms (the first `TS`), -1 when absent
 * @id: (nullable): `ID`, the serial identifier
 * @firmware: (nullable): `IV`, the firmware version
 * @fan_mode: the first numeric `FM` (0..4)
 * @free_memory: the second `FM`, bytes, -1 when absent
 * @heat_mode: `TM`
 * @temperature_setpoint: `TP`, hundredths of °C
 * @chamber_temperature: `TC`, hundredths of °C
 * @door_temperature: `TD`, hundredths of °C
 * @door_heater: the first indicator of the second `TS`
 * @chamber_heater: its second indicator
 * @heat_alarm: `TA`
 * @co2_mode: `CM`
 * @co2_setpoint: `CP`, hundredths of %
 * @co2: `CC`, hundredths of %
 * @co2_alarm: `CA`
 * @o2_mode: `OM`
 * @o2_setpoint: `OP`, hundredths of %
 * @o2: `OC`, hundredths of %
 * @o2_alarm: `OA`
 * @light_mode: `LM`
 * @light_state: `LS`
 * @fields: (element-type CryoIncuversField): every non-empty field of the
 *   payload in order, unknown keys included
 *
 * A decoded status line ("Status lines"). Integer values are
 * %CRYO_INCUVERS_ABSENT when the line did not carry the key (or carried a
 * value that is not a number); sensor readings are %CRYO_INCUVERS_NO_SENSOR
 * when the sensor is absent.
 */
typedef struct
{
  gint64                 millis;
  char                  *id;
  char                  *firmware;
  int                    fan_mode;
  gint64                 free_memory;
  int                    heat_mode;
  int                    temperature_setpoint;
  int                    chamber_temperature;
  int                    door_temperature;
  CryoIncuversIndicator  door_heater;
  CryoIncuversIndicator  chamber_heater;
  CryoIncuversAlarm      heat_alarm;
  int                    co2_mode;
  int                    co2_setpoint;
  int                    co2;
  CryoIncuversAlarm      co2_alarm;
  int                    o2_mode;
  int                    o2_setpoint;
  int                    o2;
  CryoIncuversAlarm      o2_alarm;
  int                    light_mode;
  CryoIncuversIndicator  light_state;
  GPtrArray             *fields;
} CryoIncuversStatus;

/* The longest identity string sent (a MAC or IPv4 address, a serial id). */
#define CRYO_INCUVERS_MAX_TEXT 32

/**
 * CryoIncuversSetting:
 * @key: a command key the v1.12 controller accepts: `TP`, `CP`, `OP`,
 *   `TM`, `CM`, `OM`, `FM`, `SS`, or an identity key `ID`, `IP4`, `MWR`,
 *   `MWF`
 * @value: its value: hundredths of °C or % for the set points, the mode,
 *   1 for `SS`; unused for an identity key
 * @text: an identity key's string (printable ASCII without `& | ~ $`, at
 *   most %CRYO_INCUVERS_MAX_TEXT characters); %NULL for the others
 *
 * One `Key|Value` pair of a command ("Commands").
 */
typedef struct
{
  const char *key;
  int         value;
  const char *text;
} CryoIncuversSetting;

typedef struct _CryoIncuversDecoder CryoIncuversDecoder;

CryoIncuversStatus  *cryo_incuvers_status_new            (void);
CryoIncuversStatus  *cryo_incuvers_status_copy           (const CryoIncuversStatus  *status);
void                 cryo_incuvers_status_free           (CryoIncuversStatus        *status);
const char          *cryo_incuvers_status_lookup         (const CryoIncuversStatus  *status,
                                                          const char                *key);

guint32              cryo_incuvers_crc32                 (const char                *data,
                                                          gsize                      len);
gboolean             cryo_incuvers_parse_payload         (const char                *payload,
                                                          gsize                      len,
                                                          CryoIncuversStatus        *status,
                                                          GError                   **error);
CryoIncuversStatus  *cryo_incuvers_parse_status_line     (const char                *line,
                                                          gsize                      len,
                                                          GError                   **error);
char                *cryo_incuvers_parse_command_line    (const char                *line,
                                                          gsize                      len,
                                                          GError                   **error);
GPtrArray           *cryo_incuvers_split_payload         (const char                *payload,
                                                          GError                   **error);

char                *cryo_incuvers_frame_status          (const char                *payload);
char                *cryo_incuvers_frame_command         (const char                *payload,
                                                          GError                   **error);
gboolean             cryo_incuvers_check_setting         (const CryoIncuversSetting *setting,
                                                          GError                   **error);
gboolean             cryo_incuvers_is_text_key           (const char                *key);
GPtrArray           *cryo_incuvers_encode_command        (const CryoIncuversSetting *settings,
                                                          guint                      n_settings,
                                                          GError                   **error);

CryoIncuversDecoder *cryo_incuvers_decoder_new           (void);
void                 cryo_incuvers_decoder_free          (CryoIncuversDecoder       *decoder);
void                 cryo_incuvers_decoder_feed          (CryoIncuversDecoder       *decoder,
                                                          const guint8              *data,
                                                          gsize                      len);
gboolean             cryo_incuvers_decoder_next          (CryoIncuversDecoder       *decoder,
                                                          CryoIncuversStatus       **status,
                                                          GError                   **error);
gsize                cryo_incuvers_decoder_get_buffered  (CryoIncuversDecoder       *decoder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoIncuversStatus, cryo_incuvers_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoIncuversDecoder, cryo_incuvers_decoder_free)

G_END_DECLS
