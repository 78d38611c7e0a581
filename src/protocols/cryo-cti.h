/* cryo-cti.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CTI/Brooks On-Board cryopump ASCII serial protocol:
 * shared/protocols/cti-onboard.md for the wire facts and the command
 * reference seed (003) for commands, status bits, regen states, error codes
 * and parameter ranges. Pure codec: no I/O.
 */

#pragma once

#include <glib.h>

#include "cryo-channel.h"
#include "cryo-protocol-error.h"

G_BEGIN_DECLS

/* cti-onboard.md "Packet": '$' DATA (1-14) CHECKSUM CR. */
#define CRYO_CTI_START        '$'
#define CRYO_CTI_END          '\r'
#define CRYO_CTI_MAX_DATA     14
#define CRYO_CTI_MAX_PACKET   (1 + CRYO_CTI_MAX_DATA + 1 + 1)
/* "Packet": Network Terminal pump addresses Pnn. */
#define CRYO_CTI_MAX_ADDRESS  19
#define CRYO_CTI_NO_ADDRESS   (-1)
/* "Line": 7E1 is ten bits a character. */
#define CRYO_CTI_BITS_PER_CHAR 10
/* "Replies": the module answers within 1 s; one retry. */
#define CRYO_CTI_REPLY_TIMEOUT_MS 1000

/**
 * CryoCtiPacket:
 * @data: DATA of the packet, without '$', checksum and CR, NUL-terminated;
 *   7-bit printable ASCII
 * @len: length of @data, 1..14
 *
 * One packet as it was framed, either direction (cti-onboard.md "Packet").
 */
typedef struct
{
  char  data[CRYO_CTI_MAX_DATA + 1];
  gsize len;
} CryoCtiPacket;

/**
 * CryoCtiCode:
 * @CRYO_CTI_CODE_OK: A (or B with the power-failure flag)
 * @CRYO_CTI_CODE_INVALID: E (or F): cannot be executed
 * @CRYO_CTI_CODE_REFUSED: G (or H): refused by an interlock of the pump
 *
 * The response code of a reply, without its power-failure flag
 * (cti-onboard.md "Replies").
 */
typedef enum
{
  CRYO_CTI_CODE_OK,
  CRYO_CTI_CODE_INVALID,
  CRYO_CTI_CODE_REFUSED,
} CryoCtiCode;

/**
 * CryoCtiReply:
 * @code: what the pump did with the command
 * @power_failure: the reply code was B, F or H: a power failure occurred
 *   since the flag was last cleared
 * @code_char: the response code character as received ('A'…'H')
 * @payload: the characters after the code, NUL-terminated (may be empty)
 * @payload_len: length of @payload, 0..13
 */
typedef struct
{
  CryoCtiCode code;
  gboolean    power_failure;
  char        code_char;
  char        payload[CRYO_CTI_MAX_DATA];
  gsize       payload_len;
} CryoCtiReply;

/* Seed "S1 — System Status". */
typedef enum
{
  CRYO_CTI_S1_PUMP_ON       = 1 << 0,
  CRYO_CTI_S1_ROUGH_VALVE   = 1 << 1,
  CRYO_CTI_S1_PURGE_VALVE   = 1 << 2,
  CRYO_CTI_S1_CRYO_TC       = 1 << 3,
  CRYO_CTI_S1_AUX_TC        = 1 << 4,
  CRYO_CTI_S1_POWER_NORMAL  = 1 << 5,
} CryoCtiStatus1;

/* Seed "S2 — Extended Status". */
typedef enum
{
  CRYO_CTI_S2_SETPOINT_1    = 1 << 0,
  CRYO_CTI_S2_SETPOINT_2    = 1 << 1,
  CRYO_CTI_S2_TEMP_CONTROL  = 1 << 3,
} CryoCtiStatus2;

/* Seed "S3 — Pump Phase". */
typedef enum
{
  CRYO_CTI_S3_PHASE_1_CHECK = 1 << 0,
  CRYO_CTI_S3_PHASE_2_CHECK = 1 << 1,
} CryoCtiStatus3;

/* Seed "Regen Flag Bits" (reply to v, biased by 0x40). */
typedef enum
{
  CRYO_CTI_REGEN_FLAG_WAIT_ROUGH_VALVE  = 1 << 0,
  CRYO_CTI_REGEN_FLAG_PURGE_GAS_FAIL    = 1 << 1,
  CRYO_CTI_REGEN_FLAG_HEATER_FAIL       = 1 << 2,
  CRYO_CTI_REGEN_FLAG_FAST_RECOVERED    = 1 << 3,
  CRYO_CTI_REGEN_FLAG_FAST_REVERTED     = 1 << 4,
  CRYO_CTI_REGEN_FLAG_FAST_STARTED      = 1 << 5,
} CryoCtiRegenFlags;

/* Seed "Memory Error Code" (reply to W, '@' = none). */
typedef enum
{
  CRYO_CTI_MEMORY_DIODE_DATA   = 1 << 0,
  CRYO_CTI_MEMORY_REGEN_PARAMS = 1 << 1,
  CRYO_CTI_MEMORY_HISTORY_DATA = 1 << 2,
} CryoCtiMemoryErrors;

/**
 * CryoCtiRegenPhase:
 * @CRYO_CTI_REGEN_PHASE_PUMP_OFF: pump off, no regen (A, \)
 * @CRYO_CTI_REGEN_PHASE_WARMUP: warm-up (B, C, E, ^, ])
 * @CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE: purge gas failure detected (D, F, G, Q, R)
 * @CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE: extended purge (H)
 * @CRYO_CTI_REGEN_PHASE_REPURGE: repurge cycle (S)
 * @CRYO_CTI_REGEN_PHASE_ROUGH: rough to base pressure (I, J, K, T, a, b, j, n)
 * @CRYO_CTI_REGEN_PHASE_RATE_OF_RISE: rate-of-rise test (L)
 * @CRYO_CTI_REGEN_PHASE_COOLDOWN: cool-down (M, N, c, d, o)
 * @CRYO_CTI_REGEN_PHASE_COMPLETE: regen complete (P)
 * @CRYO_CTI_REGEN_PHASE_FAST_START: beginning of fast regen (U)
 * @CRYO_CTI_REGEN_PHASE_ABORTED: regen aborted: read e for the error (V)
 * @CRYO_CTI_REGEN_PHASE_DELAY_RESTART: delay restart (W)
 * @CRYO_CTI_REGEN_PHASE_POWER_FAILURE: power failure (X, Y)
 * @CRYO_CTI_REGEN_PHASE_DELAY_START: delay start (Z)
 * @CRYO_CTI_REGEN_PHASE_ZEROING_TC: zeroing the TC gauge (O, [)
 * @CRYO_CTI_REGEN_PHASE_SHARE_WAIT: share regen wait (f)
 * @CRYO_CTI_REGEN_PHASE_FAST_REPURGE: repurge during fast regen (e)
 * @CRYO_CTI_REGEN_PHASE_PURGE_COORDINATE: purge coordinate wait (h)
 * @CRYO_CTI_REGEN_PHASE_ROUGH_COORDINATE: rough coordinate wait (i)
 * @CRYO_CTI_REGEN_PHASE_PURGE_GAS_RECOVERING: purge gas fail, recovering (k)
 *
 * What the reply to O says, grouped as the seed's "Regen States" table
 * groups its characters. The values are the sample values of the regen
 * step channel, so they never change.
 */
typedef enum
{
  CRYO_CTI_REGEN_PHASE_PUMP_OFF = 0,
  CRYO_CTI_REGEN_PHASE_WARMUP = 1,
  CRYO_CTI_REGEN_PHASE_PURGE_GAS_FAILURE = 2,
  CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE = 3,
  CRYO_CTI_REGEN_PHASE_REPURGE = 4,
  CRYO_CTI_REGEN_PHASE_ROUGH = 5,
  CRYO_CTI_REGEN_PHASE_RATE_OF_RISE = 6,
  CRYO_CTI_REGEN_PHASE_COOLDOWN = 7,
  CRYO_CTI_REGEN_PHASE_COMPLETE = 8,
  CRYO_CTI_REGEN_PHASE_FAST_START = 9,
  CRYO_CTI_REGEN_PHASE_ABORTED = 10,
  CRYO_CTI_REGEN_PHASE_DELAY_RESTART = 11,
  CRYO_CTI_REGEN_PHASE_POWER_FAILURE = 12,
  CRYO_CTI_REGEN_PHASE_DELAY_START = 13,
  CRYO_CTI_REGEN_PHASE_ZEROING_TC = 14,
  CRYO_CTI_REGEN_PHASE_SHARE_WAIT = 15,
  CRYO_CTI_REGEN_PHASE_FAST_REPURGE = 16,
  CRYO_CTI_REGEN_PHASE_PURGE_COORDINATE = 17,
  CRYO_CTI_REGEN_PHASE_ROUGH_COORDINATE = 18,
  CRYO_CTI_REGEN_PHASE_PURGE_GAS_RECOVERING = 19,
} CryoCtiRegenPhase;

#define CRYO_CTI_N_REGEN_PHASES 20

/**
 * CryoCtiRegenState:
 * @code: the character the pump answers to O
 * @phase: the step it belongs to
 *
 * One row of the seed's "Regen States" table.
 */
typedef struct
{
  char              code;
  CryoCtiRegenPhase phase;
} CryoCtiRegenState;

/**
 * CryoCtiCodeText:
 * @code: a reply character or number
 * @text: its meaning, translatable (N_())
 *
 * One row of a table of the seed (regen error codes, power-failure status,
 * motor failure codes).
 */
typedef struct
{
  int         code;
  const char *text;
} CryoCtiCodeText;

/**
 * CryoCtiParam:
 * @command: the command that sets it ("P0", "H"); its query adds '?'
 * @label: what it is, translatable
 * @min: smallest value the pump takes
 * @max: largest value the pump takes
 * @unit: the unit of the value as the seed gives it ("s", "K", "mTorr")
 *
 * One settable regen or temperature-control parameter (seed
 * "Configuration Commands", "Temperature Control").
 */
typedef struct
{
  const char *command;
  const char *label;
  guint       min;
  guint       max;
  const char *unit;
} CryoCtiParam;

extern const CryoCtiRegenState cryo_cti_regen_states[];
extern const gsize             cryo_cti_n_regen_states;
extern const char * const      cryo_cti_regen_phase_names[CRYO_CTI_N_REGEN_PHASES];
extern const CryoPhaseLabel    cryo_cti_regen_phases[];
extern const CryoCtiCodeText   cryo_cti_regen_errors[];
extern const CryoCtiCodeText   cryo_cti_power_failure_status[];
extern const CryoCtiCodeText   cryo_cti_motor_failures[];
extern const CryoCtiParam      cryo_cti_params[];
extern const gsize             cryo_cti_n_params;

typedef struct _CryoCtiDecoder CryoCtiDecoder;

/**
 * CryoCtiDecodeResult:
 * @CRYO_CTI_DECODE_NEED_MORE: no complete packet yet
 * @CRYO_CTI_DECODE_PACKET: a packet was framed and its checksum matched
 * @CRYO_CTI_DECODE_ERROR: a packet was dropped (checksum, '$' inside it,
 *   over-long, control character); the error says which
 */
typedef enum
{
  CRYO_CTI_DECODE_NEED_MORE,
  CRYO_CTI_DECODE_PACKET,
  CRYO_CTI_DECODE_ERROR,
} CryoCtiDecodeResult;

guint8               cryo_cti_checksum                (const char           *data,
                                                       gsize                 len);
gboolean             cryo_cti_command_is_forbidden    (const char           *command);
GBytes              *cryo_cti_encode                  (int                   address,
                                                       const char           *command,
                                                       GError              **error);
GBytes              *cryo_cti_encode_reply            (char                  code_char,
                                                       const char           *payload,
                                                       GError              **error);

CryoCtiDecoder      *cryo_cti_decoder_new             (void);
void                 cryo_cti_decoder_free            (CryoCtiDecoder       *decoder);
void                 cryo_cti_decoder_reset           (CryoCtiDecoder       *decoder);
void                 cryo_cti_decoder_feed            (CryoCtiDecoder       *decoder,
                                                       const guint8         *data,
                                                       gsize                 len);
CryoCtiDecodeResult  cryo_cti_decoder_next            (CryoCtiDecoder       *decoder,
                                                       CryoCtiPacket        *packet,
                                                       GError              **error);
gsize                cryo_cti_decoder_get_n_held      (CryoCtiDecoder       *decoder);
guint64              cryo_cti_decoder_get_n_skipped   (CryoCtiDecoder       *decoder);

gboolean             cryo_cti_split_address           (const CryoCtiPacket  *packet,
                                                       int                  *address,
                                                       const char          **command);
gboolean             cryo_cti_reply_parse             (const CryoCtiPacket  *packet,
                                                       CryoCtiReply         *reply,
                                                       GError              **error);
gboolean             cryo_cti_reply_check            (const CryoCtiReply   *reply,
                                                       const char           *command,
                                                       GError              **error);
gboolean             cryo_cti_parse_decimal           (const char           *payload,
                                                       double               *value,
                                                       GError              **error);
gboolean             cryo_cti_parse_count             (const char           *payload,
                                                       guint                *value,
                                                       GError              **error);
gboolean             cryo_cti_parse_status            (const char           *payload,
                                                       guint                *flags,
                                                       GError              **error);
gboolean             cryo_cti_parse_biased            (const char           *payload,
                                                       guint                *flags,
                                                       GError              **error);
gboolean             cryo_cti_parse_regen_step        (const char           *payload,
                                                       char                 *code,
                                                       CryoCtiRegenPhase    *phase,
                                                       GError              **error);
gboolean             cryo_cti_parse_char              (const char           *payload,
                                                       char                 *code,
                                                       GError              **error);

const char          *cryo_cti_regen_phase_to_string   (CryoCtiRegenPhase     phase);
gboolean             cryo_cti_regen_phase_is_running  (CryoCtiRegenPhase     phase);
const char          *cryo_cti_regen_error_to_string   (char                  code);
const char          *cryo_cti_power_failure_to_string (guint                 status);
const char          *cryo_cti_motor_failure_to_string (char                  code);
const CryoCtiParam  *cryo_cti_lookup_param            (const char           *command);

G_END_DECLS
