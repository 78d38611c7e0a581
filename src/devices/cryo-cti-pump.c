/* cryo-cti-pump.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CTI/Brooks On-Board cryopump module, spoken to in its ASCII protocol:
 * shared/protocols/cti-onboard.md and the command reference seed (003).
 *
 * Each poll is one link job that asks its queries back to back, so the
 * line stays as busy as 2400 baud allows: the priority set (J, K, L, S1, O)
 * every poll, one query of the background set per poll while a background
 * round is due (every 15 s), and what a reply asks for at once (t? after a
 * power-failure flag, e after an aborted regen). After every connect the
 * first polls ask only the seed's step-1 queries ("Safe Testing Order");
 * control actions stay refused until all of them have answered.
 */

#define G_LOG_DOMAIN "cryo-cti-pump"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-cti-pump.h"
#include "cryo-interlock.h"
#include "cryo-transport.h"
#include "cryo-units.h"

#define HISTORY_CAPACITY (7 * 24 * 3600)
/* A reply's silence after it began means it ended without a packet. */
#define REPLY_GAP_MS 100
/* Tries of a read: the reply timeout and one retry (cti-onboard.md
 * "Replies"). */
#define MAX_TRIES 2

typedef enum
{
  PAYLOAD_TEXT,
  PAYLOAD_DECIMAL,
  PAYLOAD_COUNT,
  PAYLOAD_STATUS,
  PAYLOAD_BIASED,
  PAYLOAD_REGEN_STEP,
  PAYLOAD_CHAR,
} PayloadKind;

/* The queries Cryomon asks (seed "Priority Query Commands", "Background
 * Query Commands"). */
typedef enum
{
  Q_VERSION,
  Q_SERIAL,
  Q_STAGE1,
  Q_STAGE2,
  Q_PUMP_TC,
  Q_STATUS1,
  Q_PUMP_ON,
  Q_HOURS,
  Q_REGEN_STEP,
  Q_AUX_TC,
  Q_REGEN_CYCLES,
  Q_STATUS2,
  Q_STATUS3,
  Q_MEMORY,
  Q_HOURS_FULL,
  Q_HOURS_FAST,
  Q_TIME_LEFT,
  Q_POWER_FAILURE,
  Q_REGEN_FLAGS,
  Q_MOTOR,
  Q_REGEN_ERROR,
  N_QUERIES
} Query;

static const struct
{
  const char  *command;
  PayloadKind  kind;
} queries[N_QUERIES] = {
  [Q_VERSION] = { "@", PAYLOAD_TEXT },
  [Q_SERIAL] = { "VA?", PAYLOAD_TEXT },
  [Q_STAGE1] = { "J", PAYLOAD_DECIMAL },
  [Q_STAGE2] = { "K", PAYLOAD_DECIMAL },
  [Q_PUMP_TC] = { "L", PAYLOAD_DECIMAL },
  [Q_STATUS1] = { "S1", PAYLOAD_STATUS },
  [Q_PUMP_ON] = { "A?", PAYLOAD_COUNT },
  [Q_HOURS] = { "Y?", PAYLOAD_COUNT },
  [Q_REGEN_STEP] = { "O", PAYLOAD_REGEN_STEP },
  [Q_AUX_TC] = { "M", PAYLOAD_DECIMAL },
  [Q_REGEN_CYCLES] = { "Z?", PAYLOAD_COUNT },
  [Q_STATUS2] = { "S2", PAYLOAD_STATUS },
  [Q_STATUS3] = { "S3", PAYLOAD_STATUS },
  [Q_MEMORY] = { "W", PAYLOAD_BIASED },
  [Q_HOURS_FULL] = { "a", PAYLOAD_COUNT },
  [Q_HOURS_FAST] = { "a2", PAYLOAD_COUNT },
  [Q_TIME_LEFT] = { "k", PAYLOAD_COUNT },
  [Q_POWER_FAILURE] = { "t?", PAYLOAD_COUNT },
  [Q_REGEN_FLAGS] = { "v", PAYLOAD_BIASED },
  [Q_MOTOR] = { "u", PAYLOAD_CHAR },
  [Q_REGEN_ERROR] = { "e", PAYLOAD_CHAR },
};

/* Seed "Safe Testing Order", step 1. */
static const Query step1_queries[] = {
  Q_VERSION, Q_SERIAL, Q_STAGE1, Q_STAGE2, Q_PUMP_TC, Q_STATUS1, Q_PUMP_ON, Q_HOURS,
};

static const Query priority_queries[] = {
  Q_STAGE1, Q_STAGE2, Q_PUMP_TC, Q_STATUS1, Q_REGEN_STEP,
};

static const Query background_queries[] = {
  Q_HOURS, Q_PUMP_ON, Q_AUX_TC, Q_REGEN_CYCLES, Q_STATUS2, Q_STATUS3, Q_MEMORY, Q_HOURS_FULL,
  Q_HOURS_FAST, Q_TIME_LEFT, Q_POWER_FAILURE, Q_REGEN_FLAGS, Q_MOTOR, Q_VERSION,
};

#define MAX_POLL_QUERIES (G_N_ELEMENTS (step1_queries) + G_N_ELEMENTS (priority_queries) + 3)

typedef struct
{
  gboolean ok;
  double   number;
  guint    flags;
  char     code;
  char     text[CRYO_CTI_MAX_DATA];
} QueryValue;

struct _CryoCtiPump
{
  CryoDevice          parent_instance;

  CryoChannel        *stage1_channel;   /* owned by the base class */
  CryoChannel        *stage2_channel;
  CryoChannel        *pump_tc_channel;
  CryoChannel        *aux_tc_channel;
  CryoChannel        *hours_channel;
  CryoChannel        *hours_full_channel;
  CryoChannel        *hours_fast_channel;
  CryoChannel        *cycles_channel;
  CryoChannel        *time_left_channel;
  CryoChannel        *regen_step_channel;
  CryoChannel        *status1_channel;

  GCancellable       *cancellable;

  /* Since the last connect. */
  guint               step1_ok;         /* bits by index in step1_queries */
  gboolean            verified;
  gint64              next_round_us;    /* monotonic; 0: a round is due now */
  guint               round_index;      /* next background query, or n = idle */
  gboolean            need_power_status;
  gboolean            need_regen_error;

  CryoReading         regen_phase;
  char                regen_code;
  int                 status1;
  int                 status2;
  int                 power_failure_status;
  gboolean            power_failure_flag;
  char                regen_error;
  char                motor;
  int                 memory_errors;
  int                 regen_flags;
  int                 time_left_min;
  char               *version;
  char               *serial;
  int                 params[16];

  CryoCtiPumpCounters counters;
};

enum {
  PROP_0,
  PROP_VERIFIED,
  PROP_POWER_FAILURE,
  PROP_STATUS1,
  PROP_REGEN_PHASE,
  N_PROPS
};

/* A poll's queries; after a step-1 poll, @then only if every one of them
 * answered (seed "Safe Testing Order": step 2 once communication works). */
typedef struct
{
  CryoLinkStats *stats;
  Query          queries[MAX_POLL_QUERIES];
  guint          n_queries;
  Query          then[G_N_ELEMENTS (priority_queries)];
  guint          n_then;
} PollRequest;

typedef struct
{
  gint64              time_us;
  QueryValue          values[N_QUERIES];
  gboolean            asked[N_QUERIES];
  gboolean            power_failure;      /* a reply carried B, F or H */
  guint               n_missing;
  GError             *error;              /* the first reason a reading is missing */
  CryoCtiPumpCounters counters;
} PollResult;

typedef struct
{
  CryoLinkStats *stats;
  char          *action;
  double         params[CRYO_ACTION_MAX_PARAMS];
  gint64         max_age_us;
} CommandRequest;

/* What an action brings back to the main thread: the parameters it read
 * or set (-1 where it did not). */
typedef struct
{
  int params[16];
  int power_failure_status;   /* t? read back after t=, or -1 */
} CommandResult;

/* What a worker-thread exchange with the module needs and counts. */
typedef struct
{
  CryoTransport       *transport;
  CryoLinkStats       *stats;
  GCancellable        *cancellable;
  gboolean             power_failure;
  CryoCtiPumpCounters  counters;
} Exchange;

/* Resolution of the module (cti-onboard.md "Payload formats"): tenths of
 * a kelvin, two significant digits of a TC gauge. */
static const CryoChannelInfo cti_pump_channels[] = {
  { "stage1", N_("First stage"), "stage1", CRYO_QUANTITY_TEMPERATURE, CRYO_SCALE_LINEAR,
    4, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  { "stage2", N_("Second stage"), "stage2", CRYO_QUANTITY_TEMPERATURE, CRYO_SCALE_LINEAR,
    4, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  { "pump_tc", N_("Pump TC pressure"), "pump_tc", CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG,
    2, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  { "aux_tc", N_("Aux TC pressure"), "aux_tc", CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG,
    2, HISTORY_CAPACITY / 16, CRYO_CHANNEL_FLAG_NONE, 0, CRYO_CTI_PUMP_BACKGROUND_PERIOD_S },
  { "regen_time_left", N_("Regen step, minutes left"), "regen_time_left", CRYO_QUANTITY_NONE,
    CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY / 16, CRYO_CHANNEL_FLAG_NONE, 0,
    CRYO_CTI_PUMP_BACKGROUND_PERIOD_S },
  { "hours", N_("Operating hours"), "hours", CRYO_QUANTITY_DURATION, CRYO_SCALE_LINEAR,
    6, HISTORY_CAPACITY / 16, CRYO_CHANNEL_FLAG_NONE, 0, CRYO_CTI_PUMP_BACKGROUND_PERIOD_S },
  /* The pump resets it with each full regeneration; the interval (about
   * twelve weeks of pumping) is a default, a site sets its own in
   * Preferences. */
  { "hours_since_full_regen", N_("Since full regen"), "hours_since_full_regen", CRYO_QUANTITY_DURATION,
    CRYO_SCALE_LINEAR, 6, HISTORY_CAPACITY / 16, CRYO_CHANNEL_FLAG_NONE, 2000,
    CRYO_CTI_PUMP_BACKGROUND_PERIOD_S, NULL, N_("Full regeneration") },
  { "hours_since_fast_regen", N_("Since fast regen"), "hours_since_fast_regen", CRYO_QUANTITY_DURATION,
    CRYO_SCALE_LINEAR, 6, HISTORY_CAPACITY / 16, CRYO_CHANNEL_FLAG_NONE, 0,
    CRYO_CTI_PUMP_BACKGROUND_PERIOD_S },
  { "regen_cycles", N_("Regen cycles"), "regen_cycles", CRYO_QUANTITY_NONE, CRYO_SCALE_LINEAR,
    6, HISTORY_CAPACITY / 16, CRYO_CHANNEL_FLAG_NONE, 0, CRYO_CTI_PUMP_BACKGROUND_PERIOD_S },
  { "regen_step", N_("Regen step"), "regen_step", CRYO_QUANTITY_STATE, CRYO_SCALE_LINEAR,
    2, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_HIDDEN, 0, 0, cryo_cti_regen_phases },
  /* S1 as flags (seed "S1 — System Status"), for export. */
  { "status1", N_("Status flags"), "status1", CRYO_QUANTITY_STATE, CRYO_SCALE_LINEAR,
    2, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_HIDDEN },
  { NULL }
};

#define PARAM_ACTION(name, command, label, unit, max, min, dflt)                    \
  { name, label, TRUE, FALSE,                                                     \
    N_("The pump takes the new value at once; a regeneration under way uses it "  \
       "from its next step."),                                                    \
    { { "value", label, unit, 0, min, max, 1, dflt }, { NULL } } }

/* Seed "Control Commands", "Configuration Commands" and "Temperature
 * Control": the ranges are the seed's (cryo_cti_params). */
static const CryoDeviceAction cti_pump_actions[] = {
  { "pump-on", N_("Pump On"), TRUE, FALSE,
    N_("The cryopump motor starts and the pump cools down."), { { NULL } } },
  { "pump-off", N_("Pump Off"), TRUE, TRUE,
    N_("The cryopump stops and warms up, releasing the gas it holds."), { { NULL } } },
  { "regen-full", N_("Start Full Regen"), TRUE, TRUE,
    N_("The pump warms up, purges, roughs and cools down again: it does not pump for hours."),
    { { NULL } } },
  { "regen-fast", N_("Start Fast Regen"), TRUE, TRUE,
    N_("The pump warms its second stage, purges, roughs and cools down again."), { { NULL } } },
  { "regen-abort", N_("Abort Regen"), TRUE, TRUE,
    N_("The regeneration stops in its current step; the pump stays off until it is started."),
    { { NULL } } },
  { "clear-power-failure", N_("Clear Power Failure"), FALSE, FALSE, NULL, { { NULL } } },
  { "read-regen-params", N_("Read Regen Parameters"), FALSE, FALSE, NULL, { { NULL } } },
  PARAM_ACTION ("set-restart-delay", "P0", N_("Pump restart delay (s)"), CRYO_UNIT_NONE, 59994, 0, 600),
  PARAM_ACTION ("set-extended-purge", "P1", N_("Extended purge time (s)"), CRYO_UNIT_NONE, 9990, 0, 600),
  PARAM_ACTION ("set-repurge-cycles", "P2", N_("Repurge cycles"), CRYO_UNIT_NONE, 200, 0, 10),
  PARAM_ACTION ("set-rough-pressure", "P3", N_("Rough to pressure (mTorr)"), CRYO_UNIT_NONE, 200, 25, 50),
  PARAM_ACTION ("set-ror-limit", "P4", N_("Rate-of-rise limit (mTorr/min)"), CRYO_UNIT_NONE, 100, 1, 10),
  PARAM_ACTION ("set-ror-cycles", "P5", N_("Rate-of-rise cycles"), CRYO_UNIT_NONE, 200, 0, 5),
  PARAM_ACTION ("set-restart-temperature", "P6", N_("Restart temperature"), CRYO_UNIT_KELVIN, 80, 0, 20),
  PARAM_ACTION ("set-roughing-interlock", "PA", N_("Roughing interlock (0 off, 1 on)"), CRYO_UNIT_NONE, 1, 0, 1),
  PARAM_ACTION ("set-pumps-per-compressor", "PC", N_("Pumps per compressor"), CRYO_UNIT_NONE, 3, 1, 1),
  PARAM_ACTION ("set-repurge-time", "PG", N_("Repurge time (s)"), CRYO_UNIT_NONE, 9999, 0, 120),
  PARAM_ACTION ("set-start-delay", "j", N_("Regen start delay (s)"), CRYO_UNIT_NONE, 59994, 0, 0),
  PARAM_ACTION ("set-stage1-setpoint", "H", N_("First stage set point (0 off)"), CRYO_UNIT_KELVIN, 320, 0, 0),
  PARAM_ACTION ("set-stage2-setpoint", "I", N_("Second stage set point (0 off)"), CRYO_UNIT_KELVIN, 30, 0, 0),
  { NULL }
};

/* The parameter each set-… action writes, in the order of the table. */
static const struct
{
  const char *action;
  const char *command;
} param_actions[] = {
  { "set-restart-delay", "P0" },
  { "set-extended-purge", "P1" },
  { "set-repurge-cycles", "P2" },
  { "set-rough-pressure", "P3" },
  { "set-ror-limit", "P4" },
  { "set-ror-cycles", "P5" },
  { "set-restart-temperature", "P6" },
  { "set-roughing-interlock", "PA" },
  { "set-pumps-per-compressor", "PC" },
  { "set-repurge-time", "PG" },
  { "set-start-delay", "j" },
  { "set-stage1-setpoint", "H" },
  { "set-stage2-setpoint", "I" },
};

/**
 * cryo_cti_pump_kind:
 *
 * The CTI/Brooks On-Board cryopump: ASCII request/reply on RS-232, 2400
 * baud 7E1 (cti-onboard.md "Line"). Polls back to back: as fast as the
 * line allows.
 */
const CryoDeviceKind cryo_cti_pump_kind = {
  .id = "cti",
  .title = N_("Cryopump"),
  .model = "CTI/Brooks On-Board",
  .summary = N_("CTI/Brooks On-Board cryopump, ASCII protocol on RS-232 (2400 7E1)"),
  .link_kind = CRYO_LINK_KIND_SERIAL,
  .default_baud = 2400,
  .default_parity = CRYO_PARITY_EVEN,
  .default_data_bits = 7,
  .default_poll_interval_ms = 250,
  .channels = cti_pump_channels,
  .actions = cti_pump_actions,
  .get_type = cryo_cti_pump_get_type,
};

G_DEFINE_FINAL_TYPE (CryoCtiPump, cryo_cti_pump, CRYO_TYPE_DEVICE)

static GParamSpec *properties [N_PROPS];

static void
poll_result_free (gpointer data)
{
  PollResult *result = data;

  g_clear_error (&result->error);
  g_free (result);
}

static void
command_request_free (gpointer data)
{
  CommandRequest *request = data;

  g_free (request->action);
  g_free (request);
}

/**
 * cryo_cti_pump_action_get_param:
 * @action: an action of the kind
 *
 * Returns: (nullable): the parameter command a set-… action writes ("P3"
 *   for set-rough-pressure), %NULL for any other action
 */
const char *
cryo_cti_pump_action_get_param (const char *action)
{
  g_return_val_if_fail (action != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (param_actions); i++)
    if (g_str_equal (param_actions[i].action, action))
      return param_actions[i].command;

  return NULL;
}

static gssize
param_index (const char *command)
{
  for (gsize i = 0; i < cryo_cti_n_params; i++)
    if (g_str_equal (cryo_cti_params[i].command, command))
      return (gssize) i;

  return -1;
}

static gboolean
is_transport_failure (const GError *error)
{
  return (error->domain == CRYO_TRANSPORT_ERROR && error->code != CRYO_TRANSPORT_ERROR_TIMEOUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/*
 * One request/reply exchange on the worker thread: write @command once,
 * read until a reply packet or the reply timeout (cti-onboard.md
 * "Replies": 1 s). A read (@may_resend) is asked again once after a
 * missing or damaged reply; a command that changes something is sent once,
 * whatever happens, and its caller resolves a lost reply by reading back.
 * Replies carry no command, so the input is emptied before each request
 * and a late reply to an earlier one cannot be taken for this one's.
 */
static gboolean
cti_transact (Exchange      *ex,
              const char    *command,
              gboolean       may_resend,
              CryoCtiReply  *reply,
              GError       **error)
{
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GError) bad_reply = NULL;
  CryoCtiDecoder *decoder;
  const guint8 *request_bytes;
  gsize request_len;
  gboolean done = FALSE;

  request = cryo_cti_encode (CRYO_CTI_NO_ADDRESS, command, error);
  if (request == NULL)
    return FALSE;
  request_bytes = g_bytes_get_data (request, &request_len);

  decoder = cryo_cti_decoder_new ();
  g_atomic_int_inc (&ex->stats->transactions);

  for (guint attempt = 0; attempt < (may_resend ? MAX_TRIES : 1) && !done; attempt++)
    {
      gint64 deadline = g_get_monotonic_time () + CRYO_CTI_REPLY_TIMEOUT_MS * 1000;
      gboolean damaged = FALSE;
      gboolean got_bytes = FALSE;

      if (g_cancellable_set_error_if_cancelled (ex->cancellable, error))
        break;

      if (attempt > 0)
        g_atomic_int_inc (&ex->stats->retries);

      cryo_transport_discard_input (ex->transport);
      cryo_cti_decoder_reset (decoder);

      if (!cryo_transport_write_all (ex->transport, request_bytes, request_len, error))
        break;
      ex->counters.wire_chars += request_len;

      while (!done && !damaged)
        {
          guint8 buffer[32];
          gint64 remaining_ms = (deadline - g_get_monotonic_time ()) / 1000;
          CryoCtiDecodeResult decoded;
          CryoCtiPacket packet;
          gssize n_read;

          if (remaining_ms <= 0)
            break;

          n_read = cryo_transport_read (ex->transport, buffer, sizeof buffer,
                                        got_bytes ? MIN (remaining_ms, REPLY_GAP_MS) : remaining_ms,
                                        error);
          if (n_read < 0)
            {
              cryo_cti_decoder_free (decoder);
              return FALSE;
            }
          if (n_read == 0)
            {
              if (got_bytes)
                {
                  g_clear_error (&bad_reply);
                  bad_reply = g_error_new_literal (CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED,
                                                   _("bytes with no packet in them"));
                  damaged = TRUE;
                }
              break;
            }
          got_bytes = TRUE;
          ex->counters.wire_chars += n_read;
          cryo_cti_decoder_feed (decoder, buffer, n_read);

          /* Every packet the bytes hold: a damaged one may be followed by
           * the reply itself. */
          do
            {
              g_autoptr(GError) packet_error = NULL;

              decoded = cryo_cti_decoder_next (decoder, &packet, &packet_error);
              if (decoded == CRYO_CTI_DECODE_PACKET && cryo_cti_reply_parse (&packet, reply, &packet_error))
                done = TRUE;
              else if (decoded != CRYO_CTI_DECODE_NEED_MORE)
                {
                  g_clear_error (&bad_reply);
                  bad_reply = g_steal_pointer (&packet_error);
                  damaged = TRUE;
                }
            }
          while (!done && decoded != CRYO_CTI_DECODE_NEED_MORE);
        }

      if (done)
        break;
      if (damaged)
        g_atomic_int_inc (&ex->stats->damaged);
      else if (error == NULL || *error == NULL)
        g_atomic_int_inc (&ex->stats->timeouts);
    }

  cryo_cti_decoder_free (decoder);

  if (error != NULL && *error != NULL)
    return FALSE;

  if (!done)
    {
      if (bad_reply != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&bad_reply),
                                      _("Garbled reply to “%s”: "), command);
          return FALSE;
        }

      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT,
                   _("No reply to “%s” within %d ms. Check the cable and the line settings (2400 7E1)."),
                   command, CRYO_CTI_REPLY_TIMEOUT_MS);
      return FALSE;
    }

  ex->counters.transactions++;
  if (reply->power_failure)
    ex->power_failure = TRUE;

  return TRUE;
}

static gboolean
parse_payload (PayloadKind   kind,
               const char   *payload,
               QueryValue   *value,
               GError      **error)
{
  guint count;

  switch (kind)
    {
    case PAYLOAD_TEXT:
      g_strlcpy (value->text, payload, sizeof value->text);
      return TRUE;

    case PAYLOAD_DECIMAL:
      return cryo_cti_parse_decimal (payload, &value->number, error);

    case PAYLOAD_COUNT:
      if (!cryo_cti_parse_count (payload, &count, error))
        return FALSE;
      value->number = count;
      return TRUE;

    case PAYLOAD_STATUS:
      return cryo_cti_parse_status (payload, &value->flags, error);

    case PAYLOAD_BIASED:
      return cryo_cti_parse_biased (payload, &value->flags, error);

    case PAYLOAD_REGEN_STEP:
      {
        CryoCtiRegenPhase phase;

        if (!cryo_cti_parse_regen_step (payload, &value->code, &phase, error))
          return FALSE;
        value->number = phase;
        return TRUE;
      }

    case PAYLOAD_CHAR:
    default:
      return cryo_cti_parse_char (payload, &value->code, error);
    }
}

/* A query: the reply must be A/B with a payload of its kind. */
static gboolean
cti_query (Exchange     *ex,
           const char   *command,
           PayloadKind   kind,
           QueryValue   *value,
           GError      **error)
{
  CryoCtiReply reply;

  if (!cti_transact (ex, command, TRUE, &reply, error) ||
      !cryo_cti_reply_check (&reply, command, error))
    return FALSE;

  if (!parse_payload (kind, reply.payload, value, error))
    {
      g_prefix_error (error, _("Reply to “%s”: "), command);
      return FALSE;
    }

  value->ok = TRUE;
  return TRUE;
}

/* Worker thread: one poll, its queries in turn. A reading that fails is
 * missing and the rest are still read, unless the port failed or the pump
 * answered nothing at all. */
static gpointer
cti_pump_poll_func (CryoTransport *transport,
                    gpointer       task_data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  const PollRequest *request = task_data;
  PollResult *result = g_new0 (PollResult, 1);
  Exchange ex = { transport, request->stats, cancellable };
  gboolean silent = FALSE;

  for (guint i = 0; i < request->n_queries + request->n_then; i++)
    {
      Query q = i < request->n_queries ? request->queries[i] : request->then[i - request->n_queries];
      g_autoptr(GError) local_error = NULL;

      if (i == request->n_queries && result->n_missing > 0)
        break;

      result->asked[q] = TRUE;

      if (silent)
        {
          result->n_missing++;
          continue;
        }

      if (cti_query (&ex, queries[q].command, queries[q].kind, &result->values[q], &local_error))
        {
          if (q == Q_STAGE1 || q == Q_STAGE2 || q == Q_PUMP_TC || q == Q_STATUS1 || q == Q_REGEN_STEP)
            ex.counters.priority_transactions++;
          continue;
        }

      if (is_transport_failure (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          poll_result_free (result);
          return NULL;
        }

      /* A pump that answers nothing is not asked the rest of this poll. */
      if (g_error_matches (local_error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT))
        silent = TRUE;

      result->n_missing++;
      if (result->error == NULL)
        result->error = g_steal_pointer (&local_error);
    }

  result->power_failure = ex.power_failure;
  result->counters = ex.counters;
  result->time_us = g_get_real_time ();

  return result;
}

static void
set_int_property (CryoCtiPump *self,
                  int         *field,
                  int          value,
                  guint        prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

static void
set_boolean_property (CryoCtiPump *self,
                      gboolean    *field,
                      gboolean     value,
                      guint        prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

static gboolean
regen_running (CryoCtiPump *self)
{
  return self->regen_phase.time_us != 0 && !isnan (self->regen_phase.value) &&
         cryo_cti_regen_phase_is_running ((CryoCtiRegenPhase) self->regen_phase.value);
}

static void
cryo_cti_pump_update_conditions (CryoCtiPump *self)
{
  g_autoptr(GStrvBuilder) alarms = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) warnings = g_strv_builder_new ();
  g_auto(GStrv) alarm_list = NULL;
  g_auto(GStrv) warning_list = NULL;

  /* An aborted regen: its error code in words (seed "Regen Error Codes");
   * an operator's own abort is a warning, anything else an alarm. */
  if (self->regen_phase.time_us != 0 && self->regen_phase.value == CRYO_CTI_REGEN_PHASE_ABORTED)
    {
      const char *text = self->regen_error != 0 ? cryo_cti_regen_error_to_string (self->regen_error) : NULL;
      g_autofree char *message = NULL;

      if (text == NULL && self->regen_error != 0)
        /* Translators: an error code the seed's table does not list */
        message = g_strdup_printf (_("Regen aborted: error code “%c”"), self->regen_error);
      else if (text == NULL)
        message = g_strdup (_("Regen aborted"));
      else
        /* Translators: "Regen aborted: Warm-up timeout (more than 60 min)" */
        message = g_strdup_printf (_("Regen aborted: %s"), text);

      /* Unknown until e has answered: a warning until then. */
      g_strv_builder_add (self->regen_error == 'F' || self->regen_error == '@' || self->regen_error == 0
                          ? warnings : alarms, message);
    }

  /* A power failure: how the module recovered (seed "Power Failure
   * Status"), until the flag is cleared with t=. */
  if (self->power_failure_flag)
    {
      const char *text = self->power_failure_status > 0
                         ? cryo_cti_power_failure_to_string (self->power_failure_status) : NULL;
      g_autofree char *message = text != NULL
                                 /* Translators: "Power failure: Recovered from power failure" */
                                 ? g_strdup_printf (_("Power failure: %s"), text)
                                 : g_strdup (_("Power failure since the flag was last cleared"));

      g_strv_builder_add (self->power_failure_status == 5 || self->power_failure_status == 6
                          ? alarms : warnings, message);
    }

  if (self->memory_errors > 0)
    {
      if (self->memory_errors & CRYO_CTI_MEMORY_DIODE_DATA)
        g_strv_builder_add (alarms, _("Memory error: diode calibration data"));
      if (self->memory_errors & CRYO_CTI_MEMORY_REGEN_PARAMS)
        g_strv_builder_add (alarms, _("Memory error: regen parameters"));
      if (self->memory_errors & CRYO_CTI_MEMORY_HISTORY_DATA)
        g_strv_builder_add (alarms, _("Memory error: regen history"));
    }

  if (self->motor == 'P' || self->motor == '`' || self->motor == 'p')
    {
      g_autofree char *message = g_strdup_printf (_("Pump motor drive: %s"),
                                                  cryo_cti_motor_failure_to_string (self->motor));
      g_strv_builder_add (alarms, message);
    }

  if (self->regen_flags > 0)
    {
      if (self->regen_flags & CRYO_CTI_REGEN_FLAG_PURGE_GAS_FAIL)
        g_strv_builder_add (warnings, _("Regen: purge gas failure detected"));
      if (self->regen_flags & CRYO_CTI_REGEN_FLAG_HEATER_FAIL)
        g_strv_builder_add (alarms, _("Regen: heater failure detected"));
      if (self->regen_flags & CRYO_CTI_REGEN_FLAG_FAST_REVERTED)
        g_strv_builder_add (warnings, _("Fast regen reverted to a full regen"));
    }

  alarm_list = g_strv_builder_end (alarms);
  warning_list = g_strv_builder_end (warnings);
  cryo_device_set_alarms (CRYO_DEVICE (self), (const char * const *) alarm_list);
  cryo_device_set_warnings (CRYO_DEVICE (self), (const char * const *) warning_list);
}

static double
microns_to_pa (double microns)
{
  /* 1 micron (mTorr) = 1e-3 Torr (cti-onboard.md "Payload formats"). */
  return cryo_unit_convert (microns * 1e-3, CRYO_UNIT_TORR, CRYO_UNIT_PA);
}

static void
push_value (CryoCtiPump       *self,
            const PollResult  *result,
            Query              q,
            CryoChannel       *channel,
            double             value)
{
  if (!result->asked[q])
    return;

  cryo_device_push_sample (CRYO_DEVICE (self), channel, result->time_us,
                           result->values[q].ok ? value : NAN);
}

static void
cryo_cti_pump_apply (CryoCtiPump      *self,
                     const PollResult *result)
{
  const QueryValue *v = result->values;

  self->counters.transactions += result->counters.transactions;
  self->counters.priority_transactions += result->counters.priority_transactions;
  self->counters.wire_chars += result->counters.wire_chars;

  push_value (self, result, Q_STAGE1, self->stage1_channel, v[Q_STAGE1].number);
  push_value (self, result, Q_STAGE2, self->stage2_channel, v[Q_STAGE2].number);
  push_value (self, result, Q_PUMP_TC, self->pump_tc_channel, microns_to_pa (v[Q_PUMP_TC].number));
  push_value (self, result, Q_AUX_TC, self->aux_tc_channel, microns_to_pa (v[Q_AUX_TC].number));
  push_value (self, result, Q_HOURS, self->hours_channel, v[Q_HOURS].number);
  push_value (self, result, Q_HOURS_FULL, self->hours_full_channel, v[Q_HOURS_FULL].number);
  push_value (self, result, Q_HOURS_FAST, self->hours_fast_channel, v[Q_HOURS_FAST].number);
  push_value (self, result, Q_REGEN_CYCLES, self->cycles_channel, v[Q_REGEN_CYCLES].number);
  push_value (self, result, Q_STATUS1, self->status1_channel, v[Q_STATUS1].flags);

  if (result->asked[Q_STATUS1])
    {
      set_int_property (self, &self->status1, v[Q_STATUS1].ok ? (int) v[Q_STATUS1].flags : -1,
                        PROP_STATUS1);
      /* S1 bit 0x20 clear: a power failure occurred (seed "S1"). */
      if (v[Q_STATUS1].ok && !(v[Q_STATUS1].flags & CRYO_CTI_S1_POWER_NORMAL))
        self->need_power_status = TRUE;
    }
  if (result->asked[Q_STATUS2] && v[Q_STATUS2].ok)
    self->status2 = (int) v[Q_STATUS2].flags;

  if (result->asked[Q_REGEN_STEP])
    {
      CryoCtiRegenPhase before = self->regen_phase.time_us != 0 && !isnan (self->regen_phase.value)
                                 ? (CryoCtiRegenPhase) self->regen_phase.value : CRYO_CTI_N_REGEN_PHASES;

      if (v[Q_REGEN_STEP].ok)
        {
          self->regen_phase.value = v[Q_REGEN_STEP].number;
          self->regen_phase.time_us = result->time_us;
          self->regen_code = v[Q_REGEN_STEP].code;
          /* Aborted: the reason is read with e (seed "Regen States"). */
          if (v[Q_REGEN_STEP].number == CRYO_CTI_REGEN_PHASE_ABORTED && before != CRYO_CTI_REGEN_PHASE_ABORTED)
            {
              self->regen_error = 0;
              self->need_regen_error = TRUE;
            }
        }
      else
        {
          self->regen_phase.value = NAN;
          self->regen_phase.time_us = 0;
        }
      cryo_device_push_sample (CRYO_DEVICE (self), self->regen_step_channel, result->time_us,
                               self->regen_phase.value);
      if (before != (self->regen_phase.time_us != 0 ? (CryoCtiRegenPhase) self->regen_phase.value
                                                    : CRYO_CTI_N_REGEN_PHASES))
        g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REGEN_PHASE]);
    }

  if (result->asked[Q_TIME_LEFT] && v[Q_TIME_LEFT].ok)
    self->time_left_min = (int) v[Q_TIME_LEFT].number;
  /* Minutes left mean something only while a regen runs. */
  if (result->asked[Q_TIME_LEFT] || result->asked[Q_REGEN_STEP])
    cryo_device_push_sample (CRYO_DEVICE (self), self->time_left_channel, result->time_us,
                             regen_running (self) && self->time_left_min >= 0 ? self->time_left_min : NAN);

  if (result->asked[Q_REGEN_ERROR] && v[Q_REGEN_ERROR].ok)
    {
      self->regen_error = v[Q_REGEN_ERROR].code;
      self->need_regen_error = FALSE;
    }

  if (result->power_failure)
    {
      /* A new failure: what t? said of an earlier one no longer holds. */
      if (!self->power_failure_flag)
        self->power_failure_status = -1;
      set_boolean_property (self, &self->power_failure_flag, TRUE, PROP_POWER_FAILURE);
      self->need_power_status = TRUE;
    }
  if (result->asked[Q_POWER_FAILURE] && v[Q_POWER_FAILURE].ok)
    {
      self->power_failure_status = (int) v[Q_POWER_FAILURE].number;
      self->need_power_status = FALSE;
      set_boolean_property (self, &self->power_failure_flag, self->power_failure_status != 0,
                            PROP_POWER_FAILURE);
    }

  if (result->asked[Q_MEMORY] && v[Q_MEMORY].ok)
    self->memory_errors = (int) v[Q_MEMORY].flags;
  if (result->asked[Q_MOTOR] && v[Q_MOTOR].ok)
    self->motor = v[Q_MOTOR].code;
  if (result->asked[Q_REGEN_FLAGS] && v[Q_REGEN_FLAGS].ok)
    self->regen_flags = (int) v[Q_REGEN_FLAGS].flags;

  if (result->asked[Q_VERSION] && v[Q_VERSION].ok && g_strcmp0 (self->version, v[Q_VERSION].text) != 0)
    {
      g_autofree char *model = g_strdup_printf ("%s %s", cryo_cti_pump_kind.model, v[Q_VERSION].text);

      g_free (self->version);
      self->version = g_strdup (v[Q_VERSION].text);
      cryo_device_set_model (CRYO_DEVICE (self), model);
    }
  if (result->asked[Q_SERIAL] && v[Q_SERIAL].ok)
    {
      g_free (self->serial);
      self->serial = g_strdup (v[Q_SERIAL].text);
    }

  /* Seed "Safe Testing Order": step 1 done since the last connect. */
  if (!self->verified)
    {
      for (guint i = 0; i < G_N_ELEMENTS (step1_queries); i++)
        if (result->asked[step1_queries[i]] && v[step1_queries[i]].ok)
          self->step1_ok |= 1u << i;

      if (self->step1_ok == (1u << G_N_ELEMENTS (step1_queries)) - 1)
        set_boolean_property (self, &self->verified, TRUE, PROP_VERIFIED);
    }

  cryo_cti_pump_update_conditions (self);
}

static void
cryo_cti_pump_poll_cb (GObject      *object,
                       GAsyncResult *async_result,
                       gpointer      user_data)
{
  g_autoptr(CryoCtiPump) self = user_data;
  g_autoptr(GError) error = NULL;
  PollResult *result;

  result = cryo_link_run_finish (CRYO_LINK (object), async_result, &error);

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gint64 now_us = g_get_real_time ();

          cryo_device_push_sample (CRYO_DEVICE (self), self->stage1_channel, now_us, NAN);
          cryo_device_push_sample (CRYO_DEVICE (self), self->stage2_channel, now_us, NAN);
          cryo_device_push_sample (CRYO_DEVICE (self), self->pump_tc_channel, now_us, NAN);
          cryo_device_push_sample (CRYO_DEVICE (self), self->status1_channel, now_us, NAN);
          self->regen_phase.value = NAN;
          self->regen_phase.time_us = 0;
          g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REGEN_PHASE]);
          /* Unknown, like the regen step: "Pump on" from before the port
           * went away must not stand as the state. */
          set_int_property (self, &self->status1, -1, PROP_STATUS1);
        }
      cryo_device_poll_done (CRYO_DEVICE (self), FALSE, error);
      return;
    }

  cryo_cti_pump_apply (self, result);
  cryo_device_poll_done (CRYO_DEVICE (self), result->n_missing == 0, result->error);
  poll_result_free (result);
}

static void
add_query (PollRequest *request,
           Query        q)
{
  for (guint i = 0; i < request->n_queries; i++)
    if (request->queries[i] == q)
      return;

  g_assert (request->n_queries < MAX_POLL_QUERIES);
  request->queries[request->n_queries++] = q;
}

static void
cryo_cti_pump_poll (CryoDevice *device)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (device);
  PollRequest *request = g_new0 (PollRequest, 1);
  gint64 now = g_get_monotonic_time ();

  request->stats = cryo_link_get_stats (cryo_device_get_link (device));

  if (!self->verified)
    {
      /* Step 1 of the seed's safe testing order, nothing else, until every
       * one of its queries has answered since the connect. */
      for (guint i = 0; i < G_N_ELEMENTS (step1_queries); i++)
        if (!(self->step1_ok & (1u << i)))
          add_query (request, step1_queries[i]);

      /* The rest of the priority set once they all answer. */
      for (guint i = 0; i < G_N_ELEMENTS (priority_queries); i++)
        {
          gboolean asked = FALSE;

          for (guint j = 0; j < request->n_queries; j++)
            asked |= request->queries[j] == priority_queries[i];
          if (!asked)
            request->then[request->n_then++] = priority_queries[i];
        }
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (priority_queries); i++)
        add_query (request, priority_queries[i]);

      if (self->round_index >= G_N_ELEMENTS (background_queries) && now >= self->next_round_us)
        {
          self->round_index = 0;
          self->next_round_us = now + CRYO_CTI_PUMP_BACKGROUND_PERIOD_S * G_USEC_PER_SEC;
        }
      if (self->round_index < G_N_ELEMENTS (background_queries))
        add_query (request, background_queries[self->round_index++]);

      if (self->need_power_status)
        add_query (request, Q_POWER_FAILURE);
      if (self->need_regen_error)
        add_query (request, Q_REGEN_ERROR);
    }

  cryo_link_run_async (cryo_device_get_link (device),
                       CRYO_LINK_PRIORITY_POLL,
                       cti_pump_poll_func,
                       request, g_free,
                       poll_result_free,
                       self->cancellable,
                       cryo_cti_pump_poll_cb,
                       g_object_ref (self));
}

static void
cryo_cti_pump_connected (CryoDevice *device)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (device);

  /* A reopened port may lead to another pump: the safe testing order
   * starts again, and so does the background set. */
  self->step1_ok = 0;
  set_boolean_property (self, &self->verified, FALSE, PROP_VERIFIED);
  self->round_index = G_N_ELEMENTS (background_queries);
  self->next_round_us = 0;
  self->need_power_status = TRUE;
  self->need_regen_error = FALSE;
}

/**
 * cryo_cti_pump_check_action:
 * @action: an action of the kind ("pump-on", "regen-full", "set-…")
 * @verified: whether the seed's step-1 read-only queries have all answered
 *   since the last connect
 * @regen_phase: the regen step reading (a #CryoCtiRegenPhase)
 * @now_us: current wall-clock time, µs since the Unix epoch
 * @max_age_us: oldest acceptable reading, µs
 * @reason: (out) (optional) (transfer full): why @action is refused
 *
 * The pump's interlocks: no control action before the seed's safe testing
 * order has verified the link (step 1); pump off and a regen start are
 * refused while a regeneration runs (abort it first); an abort needs a
 * regeneration under way. Regen step readings must be fresh for all three.
 * Pure function, any thread; reasons are translated.
 *
 * Returns: %TRUE when @action is allowed
 */
gboolean
cryo_cti_pump_check_action (const char         *action,
                            gboolean            verified,
                            const CryoReading  *regen_phase,
                            gint64              now_us,
                            gint64              max_age_us,
                            char              **reason)
{
  CryoInterlock interlock;
  gboolean known;
  CryoCtiRegenPhase phase = CRYO_CTI_REGEN_PHASE_PUMP_OFF;
  CryoReading running = CRYO_READING_INIT;

  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (regen_phase != NULL, FALSE);

  cryo_interlock_init (&interlock, now_us, max_age_us);

  if (!verified)
    {
      CryoReading never = CRYO_READING_INIT;

      never.value = 0;
      never.time_us = now_us;
      cryo_interlock_require_equal (&interlock, &never, 1,
                                    _("The pump’s read-only queries have not all answered since it was connected"));
    }

  known = regen_phase->time_us != 0 && isfinite (regen_phase->value) &&
          regen_phase->value >= 0 && regen_phase->value < CRYO_CTI_N_REGEN_PHASES;
  if (known)
    phase = (CryoCtiRegenPhase) regen_phase->value;
  running.value = known && cryo_cti_regen_phase_is_running (phase) ? 1 : 0;
  running.time_us = regen_phase->time_us;

  if (g_str_equal (action, "pump-off") || g_str_equal (action, "regen-full") ||
      g_str_equal (action, "regen-fast"))
    {
      cryo_interlock_require_fresh (&interlock, _("regen step"), regen_phase);
      /* Translators: "A regeneration is running (Rough) — abort it first" */
      cryo_interlock_require_equal (&interlock, &running, 0,
                                    _("A regeneration is running (%s) — abort it first"),
                                    cryo_cti_regen_phase_to_string (phase));
    }
  else if (g_str_equal (action, "regen-abort"))
    {
      cryo_interlock_require_fresh (&interlock, _("regen step"), regen_phase);
      cryo_interlock_require_equal (&interlock, &running, 1, _("No regeneration is running (%s)"),
                                    cryo_cti_regen_phase_to_string (phase));
    }

  return cryo_interlock_finish (&interlock, reason);
}

static gboolean
cryo_cti_pump_check (CryoDevice  *device,
                     const char  *action,
                     char       **reason)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (device);

  return cryo_cti_pump_check_action (action, self->verified, &self->regen_phase, g_get_real_time (),
                                     cryo_device_get_max_reading_age (device), reason);
}

static gboolean
cryo_cti_pump_in_effect (CryoDevice  *device,
                         const char  *action,
                         char       **reason)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (device);
  const char *text = NULL;

  if (self->status1 >= 0 && g_str_equal (action, "pump-on") && (self->status1 & CRYO_CTI_S1_PUMP_ON))
    text = _("The pump is already on");
  else if (self->status1 >= 0 && g_str_equal (action, "pump-off") && !(self->status1 & CRYO_CTI_S1_PUMP_ON)
           && !regen_running (self))
    text = _("The pump is already off");
  else if (g_str_equal (action, "clear-power-failure") && self->power_failure_status == 0 &&
           !self->power_failure_flag)
    text = _("No power failure to clear");

  if (text != NULL && reason != NULL)
    *reason = g_strdup (text);

  return text != NULL;
}

/* What reading back says about a command: the state it sets (S1's pump
 * bit, the regen step, the power-failure status, a parameter). */
typedef struct
{
  Exchange   *ex;
  const char *action;
  const char *param;     /* for set-… */
  guint       value;
} ReadBack;

static CryoReadBack
cti_read_back (gpointer   data,
               GError   **error)
{
  ReadBack *back = data;
  QueryValue value = { 0 };

  if (g_str_equal (back->action, "pump-on") || g_str_equal (back->action, "pump-off"))
    {
      gboolean want_on = g_str_equal (back->action, "pump-on");

      if (!cti_query (back->ex, "S1", PAYLOAD_STATUS, &value, error))
        return CRYO_READ_BACK_FAILED;
      return ((value.flags & CRYO_CTI_S1_PUMP_ON) != 0) == want_on ? CRYO_READ_BACK_DONE : CRYO_READ_BACK_NOT_DONE;
    }

  if (g_str_has_prefix (back->action, "regen-"))
    {
      gboolean want_running = !g_str_equal (back->action, "regen-abort");

      if (!cti_query (back->ex, "O", PAYLOAD_REGEN_STEP, &value, error))
        return CRYO_READ_BACK_FAILED;
      return cryo_cti_regen_phase_is_running ((CryoCtiRegenPhase) value.number) == want_running
             ? CRYO_READ_BACK_DONE : CRYO_READ_BACK_NOT_DONE;
    }

  if (g_str_equal (back->action, "clear-power-failure"))
    {
      if (!cti_query (back->ex, "t?", PAYLOAD_COUNT, &value, error))
        return CRYO_READ_BACK_FAILED;
      return value.number == 0 ? CRYO_READ_BACK_DONE : CRYO_READ_BACK_NOT_DONE;
    }

  {
    g_autofree char *query = g_strdup_printf ("%s?", back->param);

    if (!cti_query (back->ex, query, PAYLOAD_COUNT, &value, error))
      return CRYO_READ_BACK_FAILED;
    return value.number == back->value ? CRYO_READ_BACK_DONE : CRYO_READ_BACK_NOT_DONE;
  }
}

/* Worker thread: an action, re-checked against a regen step read right
 * now, sent once, and confirmed by reading back what it sets. */
static gpointer
cti_pump_command_func (CryoTransport *transport,
                       gpointer       task_data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  const CommandRequest *request = task_data;
  Exchange ex = { transport, request->stats, cancellable };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *command = NULL;
  g_autofree char *what = NULL;
  g_autofree char *reason = NULL;
  const CryoDeviceAction *action = cryo_device_kind_lookup_action (&cryo_cti_pump_kind, request->action);
  ReadBack back = { &ex, request->action, NULL, 0 };
  g_autofree CommandResult *result = NULL;
  QueryValue step = { 0 };
  CryoReading phase = CRYO_READING_INIT;
  CryoCtiReply reply;

  g_assert (action != NULL);

  result = g_new (CommandResult, 1);
  result->power_failure_status = -1;
  for (guint i = 0; i < G_N_ELEMENTS (result->params); i++)
    result->params[i] = -1;

  /* Configuration on demand (cti-onboard.md "Polling plan"): only reads. */
  if (g_str_equal (request->action, "read-regen-params"))
    {
      for (gsize i = 0; i < cryo_cti_n_params; i++)
        {
          g_autofree char *query = g_strdup_printf ("%s?", cryo_cti_params[i].command);
          QueryValue value = { 0 };

          if (!cti_query (&ex, query, PAYLOAD_COUNT, &value, error))
            {
              g_prefix_error (error, _("Regen parameters were not read: "));
              return NULL;
            }
          result->params[i] = (int) MIN (value.number, G_MAXINT);
        }
      return g_steal_pointer (&result);
    }

  if (!cti_query (&ex, "O", PAYLOAD_REGEN_STEP, &step, &local_error))
    {
      if (is_transport_failure (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED,
                   _("Could not read the regen step again before sending: %s"), local_error->message);
      return NULL;
    }
  phase.value = step.number;
  phase.time_us = g_get_real_time ();

  if (!cryo_cti_pump_check_action (request->action, TRUE, &phase, g_get_real_time (),
                                   request->max_age_us, &reason))
    {
      g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED, reason);
      return NULL;
    }

  if (g_str_equal (request->action, "pump-on"))
    command = g_strdup ("A1");
  else if (g_str_equal (request->action, "pump-off"))
    command = g_strdup ("A0");
  else if (g_str_equal (request->action, "regen-full"))
    command = g_strdup ("N1");
  else if (g_str_equal (request->action, "regen-fast"))
    command = g_strdup ("N2");
  else if (g_str_equal (request->action, "regen-abort"))
    command = g_strdup ("N0");
  else if (g_str_equal (request->action, "clear-power-failure"))
    command = g_strdup ("t=");
  else
    {
      back.param = cryo_cti_pump_action_get_param (request->action);
      g_assert (back.param != NULL);
      back.value = (guint) request->params[0];
      command = g_strdup_printf ("%s%u", back.param, back.value);
    }

  /* Translators: the prefix of a failed action's message, "Pump Off: " */
  what = g_strdup_printf (_("%s: "), g_dgettext (GETTEXT_PACKAGE, action->label));

  if (!cti_transact (&ex, command, FALSE, &reply, &local_error) ||
      !cryo_cti_reply_check (&reply, command, &local_error))
    {
      if (!cryo_device_resolve_write (g_steal_pointer (&local_error), what, cti_read_back, &back, error))
        return NULL;
      if (back.param != NULL)
        result->params[param_index (back.param)] = (int) back.value;
      if (g_str_equal (request->action, "clear-power-failure"))
        result->power_failure_status = 0;
      return g_steal_pointer (&result);
    }

  /* Acknowledged: confirmed only when the pump reads back what it was told. */
  switch (cti_read_back (&back, &local_error))
    {
    case CRYO_READ_BACK_DONE:
      if (back.param != NULL)
        result->params[param_index (back.param)] = (int) back.value;
      if (g_str_equal (request->action, "clear-power-failure"))
        result->power_failure_status = 0;
      return g_steal_pointer (&result);

    case CRYO_READ_BACK_NOT_DONE:
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED,
                   _("%sthe pump acknowledged “%s” but does not read back as changed"), what, command);
      return NULL;

    case CRYO_READ_BACK_FAILED:
    default:
      if (is_transport_failure (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED,
                   _("%sthe pump acknowledged “%s” but reading back failed: %s"), what, command,
                   local_error->message);
      return NULL;
    }
}

static void
cryo_cti_pump_command_cb (GObject      *object,
                          GAsyncResult *async_result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CryoCtiPump *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autofree CommandResult *result = cryo_link_run_finish (CRYO_LINK (object), async_result, &error);

  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (gsize i = 0; i < cryo_cti_n_params; i++)
    if (result->params[i] >= 0)
      self->params[i] = result->params[i];

  /* Cleared, as the pump read back. */
  if (result->power_failure_status == 0)
    {
      self->power_failure_status = 0;
      set_boolean_property (self, &self->power_failure_flag, FALSE, PROP_POWER_FAILURE);
      cryo_cti_pump_update_conditions (self);
    }

  g_task_return_boolean (task, TRUE);
}

/* As cryo_device_run_command(), keeping what the action read or set. */
static void
cryo_cti_pump_run_action (CryoDevice   *device,
                          const char   *action,
                          const double *params,
                          GTask        *task)
{
  CommandRequest *request = g_new0 (CommandRequest, 1);

  request->stats = cryo_link_get_stats (cryo_device_get_link (device));
  request->action = g_strdup (action);
  memcpy (request->params, params, sizeof request->params);
  request->max_age_us = cryo_device_get_max_reading_age (device);

  cryo_link_run_async (cryo_device_get_link (device),
                       CRYO_LINK_PRIORITY_COMMAND,
                       cti_pump_command_func,
                       request, command_request_free,
                       g_free,
                       g_task_get_cancellable (task),
                       cryo_cti_pump_command_cb,
                       task);
}

/* Adds @part to a state text, after CRYO_DEVICE_STATE_SEPARATOR unless it
 * is the first. */
static void
append_state_part (GString    *text,
                   const char *part)
{
  if (text->len > 0)
    g_string_append (text, CRYO_DEVICE_STATE_SEPARATOR);
  g_string_append (text, part);
}

/* "Rough, 12 min left · Pump on · Rough valve open · …": the regen step
 * and the S1 flags in words, on one line (headless prints it as one). */
static char *
cryo_cti_pump_dup_state_text (CryoDevice *device)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (device);
  g_autoptr(GString) text = g_string_new (NULL);
  guint s1;

  if (self->regen_phase.time_us != 0 && !isnan (self->regen_phase.value))
    {
      const char *step = cryo_cti_regen_phase_to_string ((CryoCtiRegenPhase) self->regen_phase.value);

      if (regen_running (self) && self->time_left_min >= 0)
        /* Translators: a regen step and the minutes left in it, "Rough, 12 min left" */
        g_string_append_printf (text, _("%s, %d min left"), step, self->time_left_min);
      else
        g_string_append (text, step);

      if (self->regen_phase.value == CRYO_CTI_REGEN_PHASE_ABORTED && self->regen_error != 0)
        {
          const char *error = cryo_cti_regen_error_to_string (self->regen_error);

          if (error != NULL)
            g_string_append_printf (text, " (%s)", error);
        }
    }

  if (self->status1 < 0)
    return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;

  s1 = (guint) self->status1;
  append_state_part (text, (s1 & CRYO_CTI_S1_PUMP_ON) ? _("Pump on") : _("Pump off"));
  append_state_part (text, (s1 & CRYO_CTI_S1_ROUGH_VALVE) ? _("Rough valve open") : _("Rough valve closed"));
  append_state_part (text, (s1 & CRYO_CTI_S1_PURGE_VALVE) ? _("Purge valve open") : _("Purge valve closed"));
  append_state_part (text, (s1 & CRYO_CTI_S1_CRYO_TC) ? _("Pump TC on") : _("Pump TC off"));
  append_state_part (text, (s1 & CRYO_CTI_S1_AUX_TC) ? _("Aux TC on") : _("Aux TC off"));
  append_state_part (text, (s1 & CRYO_CTI_S1_POWER_NORMAL) ? _("Power normal") : _("Power failed"));

  if (self->power_failure_flag && self->power_failure_status > 0)
    {
      const char *status = cryo_cti_power_failure_to_string (self->power_failure_status);

      if (status != NULL)
        append_state_part (text, status);
    }

  if (!self->verified)
    append_state_part (text, _("Checking the link (read-only queries)"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
cryo_cti_pump_constructed (GObject *object)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (object);
  CryoDevice *device = CRYO_DEVICE (object);

  G_OBJECT_CLASS (cryo_cti_pump_parent_class)->constructed (object);

  self->stage1_channel = cryo_device_lookup_channel (device, "stage1");
  self->stage2_channel = cryo_device_lookup_channel (device, "stage2");
  self->pump_tc_channel = cryo_device_lookup_channel (device, "pump_tc");
  self->aux_tc_channel = cryo_device_lookup_channel (device, "aux_tc");
  self->hours_channel = cryo_device_lookup_channel (device, "hours");
  self->hours_full_channel = cryo_device_lookup_channel (device, "hours_since_full_regen");
  self->hours_fast_channel = cryo_device_lookup_channel (device, "hours_since_fast_regen");
  self->cycles_channel = cryo_device_lookup_channel (device, "regen_cycles");
  self->time_left_channel = cryo_device_lookup_channel (device, "regen_time_left");
  self->regen_step_channel = cryo_device_lookup_channel (device, "regen_step");
  self->status1_channel = cryo_device_lookup_channel (device, "status1");
}

static void
cryo_cti_pump_dispose (GObject *object)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (cryo_cti_pump_parent_class)->dispose (object);
}

static void
cryo_cti_pump_finalize (GObject *object)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->serial, g_free);

  G_OBJECT_CLASS (cryo_cti_pump_parent_class)->finalize (object);
}

static void
cryo_cti_pump_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CryoCtiPump *self = CRYO_CTI_PUMP (object);

  switch (prop_id)
    {
    case PROP_VERIFIED:
      g_value_set_boolean (value, self->verified);
      break;

    case PROP_POWER_FAILURE:
      g_value_set_boolean (value, self->power_failure_flag);
      break;

    case PROP_STATUS1:
      g_value_set_int (value, self->status1);
      break;

    case PROP_REGEN_PHASE:
      g_value_set_int (value, cryo_cti_pump_get_regen_phase (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_cti_pump_class_init (CryoCtiPumpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CryoDeviceClass *device_class = CRYO_DEVICE_CLASS (klass);

  object_class->constructed = cryo_cti_pump_constructed;
  object_class->dispose = cryo_cti_pump_dispose;
  object_class->finalize = cryo_cti_pump_finalize;
  object_class->get_property = cryo_cti_pump_get_property;

  device_class->poll = cryo_cti_pump_poll;
  device_class->connected = cryo_cti_pump_connected;
  device_class->check_action = cryo_cti_pump_check;
  device_class->in_effect = cryo_cti_pump_in_effect;
  device_class->run_action = cryo_cti_pump_run_action;
  device_class->dup_state_text = cryo_cti_pump_dup_state_text;

  cryo_device_class_set_kind (device_class, &cryo_cti_pump_kind);

  /**
   * CryoCtiPump:verified:
   *
   * Whether the seed's step-1 read-only queries have all answered since the
   * last connect; control actions are refused until then.
   */
  properties [PROP_VERIFIED] =
    g_param_spec_boolean ("verified", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoCtiPump:power-failure:
   *
   * Whether the module reports a power failure not yet cleared (B/F/H
   * replies, or t? not 0).
   */
  properties [PROP_POWER_FAILURE] =
    g_param_spec_boolean ("power-failure", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoCtiPump:status1:
   *
   * The last S1 flags (#CryoCtiStatus1), -1 when unknown.
   */
  properties [PROP_STATUS1] =
    g_param_spec_int ("status1", NULL, NULL, -1, 0xFF, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoCtiPump:regen-phase:
   *
   * The last regen step (#CryoCtiRegenPhase), -1 when unknown.
   */
  properties [PROP_REGEN_PHASE] =
    g_param_spec_int ("regen-phase", NULL, NULL, -1, CRYO_CTI_N_REGEN_PHASES - 1, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cryo_cti_pump_init (CryoCtiPump *self)
{
  self->cancellable = g_cancellable_new ();
  self->regen_phase.value = NAN;
  self->status1 = -1;
  self->status2 = -1;
  self->power_failure_status = -1;
  self->memory_errors = -1;
  self->regen_flags = -1;
  self->time_left_min = -1;
  self->round_index = G_N_ELEMENTS (background_queries);
  for (guint i = 0; i < G_N_ELEMENTS (self->params); i++)
    self->params[i] = -1;
}

/**
 * cryo_cti_pump_new:
 * @link: the link to the pump's serial port
 *
 * Creates the cryopump device (cti-onboard.md "Polling plan").
 *
 * Returns: (transfer full): a new #CryoDevice
 */
CryoDevice *
cryo_cti_pump_new (CryoLink *link)
{
  g_return_val_if_fail (CRYO_IS_LINK (link), NULL);

  return g_object_new (CRYO_TYPE_CTI_PUMP, "link", link, NULL);
}

/**
 * cryo_cti_pump_get_verified:
 * @self: a #CryoCtiPump
 *
 * Returns: whether control actions may be offered: the seed's step-1
 *   read-only queries have all answered since the last connect
 */
gboolean
cryo_cti_pump_get_verified (CryoCtiPump *self)
{
  g_return_val_if_fail (CRYO_IS_CTI_PUMP (self), FALSE);

  return self->verified;
}

/**
 * cryo_cti_pump_get_power_failure:
 * @self: a #CryoCtiPump
 *
 * Returns: whether a power failure is reported and not yet cleared
 */
gboolean
cryo_cti_pump_get_power_failure (CryoCtiPump *self)
{
  g_return_val_if_fail (CRYO_IS_CTI_PUMP (self), FALSE);

  return self->power_failure_flag;
}

/**
 * cryo_cti_pump_get_status1:
 * @self: a #CryoCtiPump
 *
 * Returns: the last S1 flags (#CryoCtiStatus1), -1 when unknown
 */
int
cryo_cti_pump_get_status1 (CryoCtiPump *self)
{
  g_return_val_if_fail (CRYO_IS_CTI_PUMP (self), -1);

  return self->status1;
}

/**
 * cryo_cti_pump_get_regen_phase:
 * @self: a #CryoCtiPump
 *
 * Returns: the last regen step (#CryoCtiRegenPhase), -1 when unknown
 */
int
cryo_cti_pump_get_regen_phase (CryoCtiPump *self)
{
  g_return_val_if_fail (CRYO_IS_CTI_PUMP (self), -1);

  if (self->regen_phase.time_us == 0 || isnan (self->regen_phase.value))
    return -1;

  return (int) self->regen_phase.value;
}

/**
 * cryo_cti_pump_get_param:
 * @self: a #CryoCtiPump
 * @command: a parameter's command ("P0", "j", "H")
 *
 * Returns: the value last read (read-regen-params) or set through this
 *   device, -1 when unknown
 */
int
cryo_cti_pump_get_param (CryoCtiPump *self,
                         const char  *command)
{
  gssize index;

  g_return_val_if_fail (CRYO_IS_CTI_PUMP (self), -1);
  g_return_val_if_fail (command != NULL, -1);

  index = param_index (command);
  return index >= 0 ? self->params[index] : -1;
}

/**
 * cryo_cti_pump_get_counters:
 * @self: a #CryoCtiPump
 * @counters: (out caller-allocates): what the line has carried
 *
 * Main thread; updated as each poll ends.
 */
void
cryo_cti_pump_get_counters (CryoCtiPump         *self,
                            CryoCtiPumpCounters *counters)
{
  g_return_if_fail (CRYO_IS_CTI_PUMP (self));
  g_return_if_fail (counters != NULL);

  *counters = self->counters;
}
