/* cryo-oxcryo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Oxford Cryosystems Cryostream 700 / 800 binary serial protocol:
 * shared/protocols/oxford-cryostream.md and the status-packet tables of its
 * seed (Oxford Cryosystems' "Cryostream status packet" page). Pure codec: no
 * I/O. Named after the vendor's "OxcryoPackets" so that its header does not
 * clash with the device's cryo-cryostream.h.
 */

#pragma once

#include <glib.h>

#include "cryo-channel.h"
#include "cryo-protocol-error.h"

G_BEGIN_DECLS

/* oxford-cryostream.md "Status packets" */
#define CRYO_OXCRYO_STANDARD_LENGTH   32
#define CRYO_OXCRYO_STANDARD_TYPE     1
#define CRYO_OXCRYO_EXTENDED_LENGTH   42
#define CRYO_OXCRYO_EXTENDED_TYPE     2
/* The longest command packet ("Command packets": Ramp). */
#define CRYO_OXCRYO_MAX_COMMAND       6

/* "Command packets": target range in centikelvin; Plus models reach 500 K. */
#define CRYO_OXCRYO_MIN_TARGET_CK      8000
#define CRYO_OXCRYO_MAX_TARGET_CK      40000
#define CRYO_OXCRYO_MAX_TARGET_PLUS_CK 50000
#define CRYO_OXCRYO_MIN_RATE           1
#define CRYO_OXCRYO_MAX_RATE           360
#define CRYO_OXCRYO_MIN_PLAT_MIN       1
#define CRYO_OXCRYO_MAX_PLAT_MIN       1440

/* Seed "Run modes" */
typedef enum
{
  CRYO_OXCRYO_RUN_MODE_STARTUP       = 0,
  CRYO_OXCRYO_RUN_MODE_STARTUP_FAIL  = 1,
  CRYO_OXCRYO_RUN_MODE_STARTUP_OK    = 2,
  CRYO_OXCRYO_RUN_MODE_RUN           = 3,
  CRYO_OXCRYO_RUN_MODE_SETUP         = 4,
  CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK   = 5,
  CRYO_OXCRYO_RUN_MODE_SHUTDOWN_FAIL = 6,
} CryoOxcryoRunMode;

/* Seed "Phase ids" (meaningful while RunMode is Run: oxford-cryostream.md
 * "Status packets"; the seed's "RunMode = 1" is a typo there). */
typedef enum
{
  CRYO_OXCRYO_PHASE_RAMP       = 0,
  CRYO_OXCRYO_PHASE_COOL       = 1,
  CRYO_OXCRYO_PHASE_PLAT       = 2,
  CRYO_OXCRYO_PHASE_HOLD       = 3,
  CRYO_OXCRYO_PHASE_END        = 4,
  CRYO_OXCRYO_PHASE_PURGE      = 5,
  CRYO_OXCRYO_PHASE_PURGE_ALT  = 9,
  CRYO_OXCRYO_PHASE_WAIT       = 10,
  CRYO_OXCRYO_PHASE_REGEN      = 11,
  CRYO_OXCRYO_PHASE_REGEN_COOL = 12,
} CryoOxcryoPhase;

/* Seed "Hardware Type": bit 1 of the table is the least significant. */
typedef enum
{
  CRYO_OXCRYO_HARDWARE_PLUS       = 1 << 0,
  CRYO_OXCRYO_HARDWARE_SHUTTER    = 1 << 1,
  CRYO_OXCRYO_HARDWARE_SERIES_800 = 1 << 2,
  CRYO_OXCRYO_HARDWARE_AUTOFILL   = 1 << 3,
} CryoOxcryoHardware;

#define CRYO_OXCRYO_HARDWARE_ALL 0x0F

/* oxford-cryostream.md "Command packets" */
typedef enum
{
  CRYO_OXCRYO_COMMAND_RESTART    = 10,
  CRYO_OXCRYO_COMMAND_RAMP       = 11,
  CRYO_OXCRYO_COMMAND_PLAT       = 12,
  CRYO_OXCRYO_COMMAND_HOLD       = 13,
  CRYO_OXCRYO_COMMAND_COOL       = 14,
  CRYO_OXCRYO_COMMAND_END        = 15,
  CRYO_OXCRYO_COMMAND_PURGE      = 16,
  CRYO_OXCRYO_COMMAND_PAUSE      = 17,
  CRYO_OXCRYO_COMMAND_RESUME     = 18,
  CRYO_OXCRYO_COMMAND_STOP       = 19,
  CRYO_OXCRYO_COMMAND_TURBO      = 20,
  CRYO_OXCRYO_COMMAND_SET_FORMAT = 40,
} CryoOxcryoCommandId;

/* The highest alarm code of the seed's "Alarm codes" table. */
#define CRYO_OXCRYO_MAX_ALARM 56

/**
 * CryoOxcryoStatus:
 * @extended: %TRUE for a 42-byte extended packet; the fields after
 *   @evap_adjust are 0 in a standard one
 * @gas_set_point, @gas_temp, @target_temp, @evap_temp, @suct_temp:
 *   centikelvin (8000 = 80.00 K)
 * @gas_error: centikelvin, signed (set point − gas temperature)
 * @run_mode: a #CryoOxcryoRunMode
 * @phase_id: a #CryoOxcryoPhase, meaningful while @run_mode is Run
 * @ramp_rate: K/h
 * @remaining: minutes left in the phase
 * @gas_flow: 0.1 l/min
 * @gas_heat, @evap_heat, @suct_heat: %
 * @line_pressure: 0.01 bar
 * @alarm_code: the most serious alarm, see cryo_oxcryo_alarm_get_level()
 * @run_time: minutes in Run mode
 * @controller_number, @software_version, @evap_adjust: as sent
 * @turbo_mode: 1 in turbo mode (extended)
 * @hardware_type: #CryoOxcryoHardware bits (extended)
 * @shutter_state: CryoShutter state, or LN level % on an 800 with AutoFill
 * @shutter_time: CryoShutter time, or the Suspended flag on an 800
 * @average_gas_heat, @average_suct_heat: %
 * @time_to_fill: minutes to the next LN fill
 * @total_hours: hours the device has run
 *
 * One status packet, fields as on the wire (oxford-cryostream.md "Status
 * packets": offsets and units).
 */
typedef struct
{
  gboolean extended;
  guint16  gas_set_point;
  guint16  gas_temp;
  gint16   gas_error;
  guint8   run_mode;
  guint8   phase_id;
  guint16  ramp_rate;
  guint16  target_temp;
  guint16  evap_temp;
  guint16  suct_temp;
  guint16  remaining;
  guint8   gas_flow;
  guint8   gas_heat;
  guint8   evap_heat;
  guint8   suct_heat;
  guint8   line_pressure;
  guint8   alarm_code;
  guint16  run_time;
  guint16  controller_number;
  guint8   software_version;
  guint8   evap_adjust;
  guint8   turbo_mode;
  guint8   hardware_type;
  guint8   shutter_state;
  guint8   shutter_time;
  guint8   average_gas_heat;
  guint8   average_suct_heat;
  guint16  time_to_fill;
  guint16  total_hours;
} CryoOxcryoStatus;

/**
 * CryoOxcryoCommand:
 * @id: a #CryoOxcryoCommandId
 * @rate: K/h (Ramp; End when @has_rate)
 * @target: centikelvin (Ramp, Cool)
 * @minutes: Plat duration
 * @flag: Turbo on / SetFormat extended
 * @has_rate: End came in its 4-byte form
 *
 * One command packet as the controller reads it.
 */
typedef struct
{
  guint8   id;
  guint16  rate;
  guint16  target;
  guint16  minutes;
  guint8   flag;
  gboolean has_rate;
} CryoOxcryoCommand;

typedef enum
{
  CRYO_OXCRYO_DECODE_NEED_MORE,
  CRYO_OXCRYO_DECODE_PACKET,
  CRYO_OXCRYO_DECODE_ERROR,
} CryoOxcryoDecodeResult;

typedef struct _CryoOxcryoDecoder CryoOxcryoDecoder;

const char *cryo_oxcryo_run_mode_to_string (guint               run_mode);
extern const CryoPhaseLabel cryo_oxcryo_phases[];

const char *cryo_oxcryo_phase_to_string    (guint               phase_id);
const char *cryo_oxcryo_alarm_to_string    (guint               alarm_code);
int         cryo_oxcryo_alarm_get_level    (guint               alarm_code);
const char *cryo_oxcryo_hardware_bit_to_string (CryoOxcryoHardware bit);

gboolean    cryo_oxcryo_status_decode      (const guint8       *bytes,
                                            gsize               len,
                                            CryoOxcryoStatus   *status,
                                            GError            **error);
GBytes     *cryo_oxcryo_status_encode      (const CryoOxcryoStatus *status);
guint       cryo_oxcryo_max_target         (guint               hardware_type);

GBytes     *cryo_oxcryo_encode_restart     (void);
GBytes     *cryo_oxcryo_encode_ramp        (guint               rate,
                                            guint               target,
                                            guint               max_target,
                                            GError            **error);
GBytes     *cryo_oxcryo_encode_plat        (guint               minutes,
                                            GError            **error);
GBytes     *cryo_oxcryo_encode_hold        (void);
GBytes     *cryo_oxcryo_encode_cool        (guint               target,
                                            guint               max_target,
                                            GError            **error);
GBytes     *cryo_oxcryo_encode_end         (guint               rate,
                                            GError            **error);
GBytes     *cryo_oxcryo_encode_purge       (void);
GBytes     *cryo_oxcryo_encode_pause       (void);
GBytes     *cryo_oxcryo_encode_resume      (void);
GBytes     *cryo_oxcryo_encode_stop        (void);
GBytes     *cryo_oxcryo_encode_turbo       (gboolean            on);
GBytes     *cryo_oxcryo_encode_set_format  (gboolean            extended);

CryoOxcryoDecodeResult cryo_oxcryo_command_parse (const guint8      *bytes,
                                                  gsize              len,
                                                  CryoOxcryoCommand *command,
                                                  gsize             *consumed,
                                                  GError           **error);

CryoOxcryoDecoder     *cryo_oxcryo_decoder_new   (void);
void                   cryo_oxcryo_decoder_free  (CryoOxcryoDecoder *decoder);
void                   cryo_oxcryo_decoder_feed  (CryoOxcryoDecoder *decoder,
                                                  const guint8      *bytes,
                                                  gsize              len);
CryoOxcryoDecodeResult cryo_oxcryo_decoder_next  (CryoOxcryoDecoder *decoder,
                                                  CryoOxcryoStatus  *status,
                                                  GError           **error);
gsize                  cryo_oxcryo_decoder_get_n_discarded (CryoOxcryoDecoder *decoder);
gsize                  cryo_oxcryo_decoder_get_n_buffered  (CryoOxcryoDecoder *decoder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoOxcryoDecoder, cryo_oxcryo_decoder_free)

G_END_DECLS
