/* cryo-cryostream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cryostream device: status packets become readings, state text,
 * warnings and alarms; actions become command packets that count as done
 * only when a later status packet shows their effect. Wire facts from
 * shared/protocols/oxford-cryostream.md ("Link", "Status packets", "Command
 * packets", "Alarm severity").
 */

#define G_LOG_DOMAIN "cryo-cryostream"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cryo-cryostream.h"
#include "cryo-event-log.h"
#include "cryo-transport.h"

/* A week of one-second packets. */
#define HISTORY_CAPACITY (7 * 24 * 3600)

typedef enum
{
  EXPECT_RAMP,
  EXPECT_PLAT,
  EXPECT_HOLD,
  EXPECT_COOL,
  EXPECT_END,
  EXPECT_PURGE,
  EXPECT_PAUSE,
  EXPECT_RESUME,
  EXPECT_STOP,
  EXPECT_RESTART,
  EXPECT_TURBO_ON,
  EXPECT_TURBO_OFF,
} Expect;

/* Which run modes an action needs. */
typedef enum
{
  NEEDS_PROGRAM,     /* Run or StartUpOK */
  NEEDS_RUN,         /* Run */
  NEEDS_SHUTDOWN,    /* ShutdownOK or ShutdownFail */
  NEEDS_NOT_SHUTDOWN,
} Needs;

struct _CryoCryostream
{
  CryoDevice        parent_instance;

  CryoOxcryoStatus  status;
  gint64            status_time_us;    /* 0 before the first packet */
  guint             last_alarm;
  guint             n_standard;        /* standard packets since SetFormat */
  guint             n_set_format;

  /* The action waiting for a status packet to confirm it. */
  GTask            *pending;
  Expect            expect;
  guint16           expect_target;
  guint             confirm_source;

  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (CryoCryostream, cryo_cryostream, CRYO_TYPE_DEVICE)

static const CryoChannelInfo cryostream_channels[] = {
  { "gas_temperature", N_("Gas temperature"), "gas_temperature", CRYO_QUANTITY_TEMPERATURE,
    CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  { "set_point", N_("Set point"), "set_point", CRYO_QUANTITY_TEMPERATURE,
    CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  /* a difference: not converted to °C like a temperature would be */
  { "gas_error", N_("Gas error (K)"), "gas_error_k", CRYO_QUANTITY_NONE,
    CRYO_SCALE_LINEAR, 3, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  { "target_temperature", N_("Target temperature"), "target_temperature", CRYO_QUANTITY_TEMPERATURE,
    CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "evaporator_temperature", N_("Evaporator temperature"), "evaporator_temperature",
    CRYO_QUANTITY_TEMPERATURE, CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "suction_temperature", N_("Suction temperature"), "suction_temperature",
    CRYO_QUANTITY_TEMPERATURE, CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "gas_flow", N_("Gas flow"), "gas_flow", CRYO_QUANTITY_FLOW,
    CRYO_SCALE_LINEAR, 3, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "gas_heat", N_("Gas heater"), "gas_heat", CRYO_QUANTITY_PERCENT,
    CRYO_SCALE_LINEAR, 3, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "evaporator_heat", N_("Evaporator heater"), "evaporator_heat", CRYO_QUANTITY_PERCENT,
    CRYO_SCALE_LINEAR, 3, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "suction_heat", N_("Suction heater"), "suction_heat", CRYO_QUANTITY_PERCENT,
    CRYO_SCALE_LINEAR, 3, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "line_pressure", N_("Line pressure"), "line_pressure", CRYO_QUANTITY_PRESSURE,
    CRYO_SCALE_LINEAR, 3, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "ln_level", N_("LN₂ level"), "ln_level", CRYO_QUANTITY_PERCENT,
    CRYO_SCALE_LINEAR, 3, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "remaining", N_("Phase time left (min)"), "remaining_min", CRYO_QUANTITY_NONE,
    CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "run_time", N_("Run time"), "run_time", CRYO_QUANTITY_DURATION,
    CRYO_SCALE_LINEAR, 6, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_HIDDEN },
  { "total_hours", N_("Total hours"), "total_hours", CRYO_QUANTITY_DURATION,
    CRYO_SCALE_LINEAR, 6, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  /* the PhaseId while the run mode is Run, drawn as bands behind the
   * temperatures; NaN otherwise */
  { "phase", N_("Phase"), "phase", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 2, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_HIDDEN, 0, 0, cryo_oxcryo_phases },
  { NULL }
};

/* "Command packets": rates 1..360 K/h, targets 80..400 K (500 K on Plus
 * models, checked against the HardwareType the controller reports). */
#define RATE_PARAM(default_rate) \
  { "rate", N_("Rate (K/h)"), CRYO_UNIT_NONE, 0, 1, 360, 1, default_rate }
#define TARGET_PARAM \
  { "target", N_("Target"), CRYO_UNIT_KELVIN, 2, 80, 500, 0.01, 100 }

static const CryoDeviceAction cryostream_actions[] = {
  { "ramp", N_("Ramp"), TRUE, FALSE,
    N_("The gas temperature changes at the given rate to the target."),
    { RATE_PARAM (360), TARGET_PARAM, { NULL } } },
  { "plat", N_("Plateau"), TRUE, FALSE,
    N_("The gas temperature is held where it is for the given time."),
    { { "duration", N_("Duration (min)"), CRYO_UNIT_NONE, 0, 1, 1440, 1, 60 }, { NULL } } },
  { "hold", N_("Hold"), TRUE, FALSE,
    N_("The gas temperature is held where it is until another command."), { { NULL } } },
  { "cool", N_("Cool"), TRUE, FALSE,
    N_("The gas is cooled as fast as possible to the target."), { TARGET_PARAM, { NULL } } },
  { "end", N_("End"), TRUE, TRUE,
    N_("The gas warms to room temperature at the given rate and the Cryostream shuts down: "
       "a crystal in the stream will warm up."),
    { RATE_PARAM (360), { NULL } } },
  { "purge", N_("Purge"), TRUE, TRUE,
    N_("The shut-down Cryostream heats its gas path to clear ice, then shuts down again: "
       "nothing may be in the stream."), { { NULL } } },
  { "pause", N_("Pause"), TRUE, FALSE,
    N_("The running program stops where it is until it is resumed."), { { NULL } } },
  { "resume", N_("Resume"), TRUE, FALSE,
    N_("The paused program goes on."), { { NULL } } },
  { "stop", N_("Stop"), TRUE, TRUE,
    N_("The Cryostream shuts down at once without a controlled warm-up: the gas flow stops "
       "and a crystal in the stream will warm up and may ice."), { { NULL } } },
  { "restart", N_("Restart"), TRUE, FALSE,
    N_("The shut-down Cryostream starts up again and waits for a program."), { { NULL } } },
  { "turbo-on", N_("Turbo On"), TRUE, FALSE,
    N_("The gas flow rises to 10 l/min."), { { NULL } } },
  { "turbo-off", N_("Turbo Off"), TRUE, FALSE,
    N_("The gas flow returns to 5 l/min."), { { NULL } } },
  { NULL }
};

static gpointer
status_copy (const CryoOxcryoStatus *status)
{
  return g_memdup2 (status, sizeof *status);
}

/* The link's stream codec, around the protocol's decoder (worker thread). */
static gpointer
stream_decoder_new (void)
{
  return cryo_oxcryo_decoder_new ();
}

static void
stream_decoder_free (gpointer decoder)
{
  cryo_oxcryo_decoder_free (decoder);
}

static void
stream_feed (gpointer      decoder,
             const guint8 *data,
             gsize         len)
{
  cryo_oxcryo_decoder_feed (decoder, data, len);
}

static gboolean
stream_next (gpointer   decoder,
             gpointer  *message,
             GError   **error)
{
  CryoOxcryoStatus status;

  switch (cryo_oxcryo_decoder_next (decoder, &status, error))
    {
    case CRYO_OXCRYO_DECODE_PACKET:
      *message = status_copy (&status);
      return TRUE;
    case CRYO_OXCRYO_DECODE_ERROR:
    case CRYO_OXCRYO_DECODE_NEED_MORE:
    default:
      return FALSE;
    }
}

static const CryoStreamCodec cryostream_codec = {
  stream_decoder_new, stream_decoder_free, stream_feed, stream_next, g_free,
};

/**
 * cryo_cryostream_kind:
 *
 * The Oxford Cryosystems Cryostream 700/800: RS-232 9600 8N1, a status
 * packet every second ("Link").
 */
const CryoDeviceKind cryo_cryostream_kind = {
  .id = "cryostream",
  .title = N_("Cryostream"),
  .model = "Oxford Cryosystems Cryostream 700/800",
  .summary = N_("Oxford Cryosystems Cryostream 700/800 gas-stream cooler, binary status stream on RS-232"),
  .link_kind = CRYO_LINK_KIND_SERIAL_STREAM,
  .default_baud = 9600,
  .default_parity = CRYO_PARITY_NONE,
  .default_poll_interval_ms = 1000,
  .stream_codec = &cryostream_codec,
  .channels = cryostream_channels,
  .actions = cryostream_actions,
  .get_type = cryo_cryostream_get_type,
};

static gboolean
is_shut_down (guint run_mode)
{
  return run_mode == CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK || run_mode == CRYO_OXCRYO_RUN_MODE_SHUTDOWN_FAIL;
}

/* Worker thread: a Cryostream never answers, so a command is one write
 * ("Link"); the status packets that follow confirm it. */
static gpointer
write_func (CryoTransport  *transport,
            gpointer        task_data,
            GCancellable   *cancellable,
            GError        **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (task_data, &len);

  if (!cryo_transport_write_all (transport, data, len, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
set_format_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (cryo_link_run_finish (CRYO_LINK (object), result, &error) == NULL
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("SetFormat not sent: %s", error->message);
}

/* "Status packets": ask for extended packets; a controller of version 17 or
 * less ignores it. */
static void
send_set_format (CryoCryostream *self)
{
  self->n_standard = 0;
  self->n_set_format++;
  cryo_link_run_async (cryo_device_get_link (CRYO_DEVICE (self)), CRYO_LINK_PRIORITY_COMMAND,
                       write_func, cryo_oxcryo_encode_set_format (TRUE),
                       (GDestroyNotify) g_bytes_unref, NULL, self->cancellable,
                       set_format_done_cb, NULL);
}

static gboolean
expectation_met (CryoCryostream         *self,
                 const CryoOxcryoStatus *s)
{
  gboolean running = s->run_mode == CRYO_OXCRYO_RUN_MODE_RUN;
  gboolean suspended_known = s->extended && (s->hardware_type & CRYO_OXCRYO_HARDWARE_SERIES_800);

  switch (self->expect)
    {
    case EXPECT_RAMP:
      return running && s->target_temp == self->expect_target
             && (s->phase_id == CRYO_OXCRYO_PHASE_RAMP || s->phase_id == CRYO_OXCRYO_PHASE_WAIT
                 || s->phase_id == CRYO_OXCRYO_PHASE_HOLD);
    case EXPECT_COOL:
      return running && s->target_temp == self->expect_target
             && (s->phase_id == CRYO_OXCRYO_PHASE_COOL || s->phase_id == CRYO_OXCRYO_PHASE_HOLD);
    case EXPECT_PLAT:
      return running && s->phase_id == CRYO_OXCRYO_PHASE_PLAT;
    case EXPECT_HOLD:
      return running && s->phase_id == CRYO_OXCRYO_PHASE_HOLD;
    case EXPECT_END:
      return (running && s->phase_id == CRYO_OXCRYO_PHASE_END) || is_shut_down (s->run_mode);
    case EXPECT_PURGE:
      return running && (s->phase_id == CRYO_OXCRYO_PHASE_PURGE
                         || s->phase_id == CRYO_OXCRYO_PHASE_PURGE_ALT);
    case EXPECT_PAUSE:
      return running && s->phase_id == CRYO_OXCRYO_PHASE_HOLD
             && (!suspended_known || s->shutter_time == 1);
    case EXPECT_RESUME:
      return running && (suspended_known ? s->shutter_time == 0
                                         : s->phase_id != CRYO_OXCRYO_PHASE_HOLD);
    case EXPECT_STOP:
      return is_shut_down (s->run_mode);
    case EXPECT_RESTART:
      return !is_shut_down (s->run_mode);
    case EXPECT_TURBO_ON:
      return s->extended && s->turbo_mode == 1;
    case EXPECT_TURBO_OFF:
      return s->extended && s->turbo_mode == 0;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
confirm_timeout_cb (gpointer user_data)
{
  CryoCryostream *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);

  self->confirm_source = 0;
  g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED,
                           _("The Cryostream did not confirm the command: no status packet "
                             "showed its effect within %u s"),
                           CRYO_CRYOSTREAM_CONFIRM_TIMEOUT_MS / 1000);
  return G_SOURCE_REMOVE;
}

static void
update_conditions (CryoCryostream         *self,
                   const CryoOxcryoStatus *s)
{
  CryoDevice *device = CRYO_DEVICE (self);
  int level = cryo_oxcryo_alarm_get_level (s->alarm_code);
  g_autofree char *text = NULL;
  const char *list[2] = { NULL, NULL };

  if (s->alarm_code != 0)
    /* Translators: an alarm of the Cryostream: its text, code and level 0..4 */
    text = g_strdup_printf (_("%s (alarm %u, level %d)"),
                            cryo_oxcryo_alarm_to_string (s->alarm_code), s->alarm_code, level);
  list[0] = text;

  cryo_device_set_alarms (device, level == 4 ? list : NULL);
  cryo_device_set_warnings (device, level >= 2 && level < 4 ? list : NULL);

  /* Level 1 conditions (stop pressed, end complete…) are no fault, but
   * belong in the log all the same. */
  if (s->alarm_code != self->last_alarm && level == 1)
    {
      g_autofree char *entry = g_strdup_printf ("%s: %s", _("alarm"), text);

      cryo_device_log_event (device, CRYO_EVENT_KIND_ALARM_RAISED, CRYO_EVENT_SEVERITY_INFO, entry);
    }
  self->last_alarm = s->alarm_code;
}

static void
cryo_cryostream_message (CryoDevice *device,
                         gpointer    message)
{
  CryoCryostream *self = CRYO_CRYOSTREAM (device);
  const CryoOxcryoStatus *s = message;
  gint64 now_us = g_get_real_time ();
  const struct { const char *key; double value; } samples[] = {
    { "gas_temperature", s->gas_temp / 100.0 },
    { "set_point", s->gas_set_point / 100.0 },
    { "gas_error", s->gas_error / 100.0 },
    { "target_temperature", s->target_temp / 100.0 },
    { "evaporator_temperature", s->evap_temp / 100.0 },
    { "suction_temperature", s->suct_temp / 100.0 },
    { "gas_flow", s->gas_flow / 10.0 },
    { "gas_heat", s->gas_heat },
    { "evaporator_heat", s->evap_heat },
    { "suction_heat", s->suct_heat },
    { "line_pressure", s->line_pressure * 1000.0 },   /* 0.01 bar → Pa */
    { "remaining", s->remaining },
    { "run_time", s->run_time / 60.0 },
    { "phase", s->run_mode == CRYO_OXCRYO_RUN_MODE_RUN ? (double) s->phase_id : NAN },
  };

  self->status = *s;
  self->status_time_us = now_us;

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    cryo_device_push_sample (device, cryo_device_lookup_channel (device, samples[i].key),
                             now_us, samples[i].value);
  if (s->extended)
    {
      cryo_device_push_sample (device, cryo_device_lookup_channel (device, "total_hours"),
                               now_us, s->total_hours);
      /* ShutterState is the LN level only on an 800 with AutoFill (seed
       * "notes") */
      if ((s->hardware_type & CRYO_OXCRYO_HARDWARE_SERIES_800)
          && (s->hardware_type & CRYO_OXCRYO_HARDWARE_AUTOFILL))
        cryo_device_push_sample (device, cryo_device_lookup_channel (device, "ln_level"),
                                 now_us, s->shutter_state);
    }

  update_conditions (self, s);

  /* A controller that could send extended packets but still sends standard
   * ones did not get SetFormat, or restarted since. */
  if (!s->extended && s->software_version > 17
      && ++self->n_standard >= CRYO_CRYOSTREAM_SET_FORMAT_RETRY)
    send_set_format (self);

  if (self->pending != NULL && expectation_met (self, s))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->pending);

      g_clear_handle_id (&self->confirm_source, g_source_remove);
      g_task_return_boolean (task, TRUE);
    }

  cryo_device_poll_done (device, TRUE, NULL);
}

static void
cryo_cryostream_connected (CryoDevice *device)
{
  send_set_format (CRYO_CRYOSTREAM (device));
}

static Needs
action_needs (const char *action)
{
  if (g_str_equal (action, "restart") || g_str_equal (action, "purge"))
    return NEEDS_SHUTDOWN;
  if (g_str_equal (action, "stop"))
    return NEEDS_NOT_SHUTDOWN;
  if (g_str_equal (action, "pause") || g_str_equal (action, "resume"))
    return NEEDS_RUN;
  return NEEDS_PROGRAM;
}

static gboolean
cryo_cryostream_check_action (CryoDevice  *device,
                              const char  *action,
                              char       **reason)
{
  CryoCryostream *self = CRYO_CRYOSTREAM (device);
  guint mode = self->status.run_mode;
  const char *mode_name;
  gboolean ok;

  if (self->status_time_us == 0
      || g_get_real_time () - self->status_time_us > cryo_device_get_max_reading_age (device))
    {
      if (reason != NULL)
        *reason = g_strdup (_("No fresh status from the Cryostream"));
      return FALSE;
    }

  switch (action_needs (action))
    {
    case NEEDS_SHUTDOWN:
      ok = is_shut_down (mode);
      break;
    case NEEDS_NOT_SHUTDOWN:
      ok = !is_shut_down (mode);
      break;
    case NEEDS_RUN:
      ok = mode == CRYO_OXCRYO_RUN_MODE_RUN;
      break;
    case NEEDS_PROGRAM:
    default:
      ok = mode == CRYO_OXCRYO_RUN_MODE_RUN || mode == CRYO_OXCRYO_RUN_MODE_STARTUP_OK;
      break;
    }

  if (ok)
    return TRUE;

  if (reason != NULL)
    {
      mode_name = cryo_oxcryo_run_mode_to_string (mode);
      switch (action_needs (action))
        {
        case NEEDS_SHUTDOWN:
          *reason = g_strdup_printf (_("Cryostream is “%s” — must be shut down"), mode_name);
          break;
        case NEEDS_NOT_SHUTDOWN:
          *reason = g_strdup (_("The Cryostream is already shut down"));
          break;
        case NEEDS_RUN:
          *reason = g_strdup_printf (_("Cryostream is “%s” — must be running"), mode_name);
          break;
        case NEEDS_PROGRAM:
        default:
          *reason = g_strdup_printf (_("Cryostream is “%s” — must be running or ready"), mode_name);
          break;
        }
    }
  return FALSE;
}

static void
command_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CryoCryostream *self = CRYO_CRYOSTREAM (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  /* Sent: now only a later status packet can say it was done. */
  g_assert (self->pending == NULL);
  self->pending = g_steal_pointer (&outer);
  self->confirm_source = g_timeout_add (CRYO_CRYOSTREAM_CONFIRM_TIMEOUT_MS, confirm_timeout_cb, self);
}

static void
cryo_cryostream_run_action (CryoDevice   *device,
                            const char   *action,
                            const double *params,
                            GTask        *task)
{
  CryoCryostream *self = CRYO_CRYOSTREAM (device);
  g_autoptr(GTask) outer = task;
  g_autoptr(GTask) sent = NULL;
  g_autoptr(GBytes) packet = NULL;
  g_autoptr(GError) error = NULL;
  guint max_target = cryo_oxcryo_max_target (self->status.extended ? self->status.hardware_type : 0);

  if (g_str_equal (action, "ramp"))
    {
      self->expect = EXPECT_RAMP;
      self->expect_target = (guint16) lround (params[1] * 100.0);
      packet = cryo_oxcryo_encode_ramp ((guint) lround (params[0]), self->expect_target, max_target, &error);
    }
  else if (g_str_equal (action, "plat"))
    {
      self->expect = EXPECT_PLAT;
      packet = cryo_oxcryo_encode_plat ((guint) lround (params[0]), &error);
    }
  else if (g_str_equal (action, "hold"))
    {
      self->expect = EXPECT_HOLD;
      packet = cryo_oxcryo_encode_hold ();
    }
  else if (g_str_equal (action, "cool"))
    {
      self->expect = EXPECT_COOL;
      self->expect_target = (guint16) lround (params[0] * 100.0);
      packet = cryo_oxcryo_encode_cool (self->expect_target, max_target, &error);
    }
  else if (g_str_equal (action, "end"))
    {
      self->expect = EXPECT_END;
      packet = cryo_oxcryo_encode_end ((guint) lround (params[0]), &error);
    }
  else if (g_str_equal (action, "purge"))
    {
      self->expect = EXPECT_PURGE;
      packet = cryo_oxcryo_encode_purge ();
    }
  else if (g_str_equal (action, "pause"))
    {
      self->expect = EXPECT_PAUSE;
      packet = cryo_oxcryo_encode_pause ();
    }
  else if (g_str_equal (action, "resume"))
    {
      self->expect = EXPECT_RESUME;
      packet = cryo_oxcryo_encode_resume ();
    }
  else if (g_str_equal (action, "stop"))
    {
      self->expect = EXPECT_STOP;
      packet = cryo_oxcryo_encode_stop ();
    }
  else if (g_str_equal (action, "restart"))
    {
      self->expect = EXPECT_RESTART;
      packet = cryo_oxcryo_encode_restart ();
    }
  else if (g_str_equal (action, "turbo-on") || g_str_equal (action, "turbo-off"))
    {
      gboolean on = g_str_equal (action, "turbo-on");

      self->expect = on ? EXPECT_TURBO_ON : EXPECT_TURBO_OFF;
      packet = cryo_oxcryo_encode_turbo (on);
    }
  else
    g_assert_not_reached ();

  /* A target beyond this model's range: nothing is sent. */
  if (packet == NULL)
    {
      g_task_return_new_error (outer, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE,
                               "%s", error->message);
      return;
    }

  sent = g_task_new (self, self->cancellable, command_sent_cb, g_steal_pointer (&outer));
  cryo_device_run_command (device, write_func, g_steal_pointer (&packet),
                           (GDestroyNotify) g_bytes_unref, g_steal_pointer (&sent));
}

static char *
cryo_cryostream_dup_state_text (CryoDevice *device)
{
  CryoCryostream *self = CRYO_CRYOSTREAM (device);
  const CryoOxcryoStatus *s = &self->status;
  const char *mode = cryo_oxcryo_run_mode_to_string (s->run_mode);
  const char *phase = cryo_oxcryo_phase_to_string (s->phase_id);
  g_autofree char *left = NULL;

  if (self->status_time_us == 0)
    return NULL;

  if (s->run_mode != CRYO_OXCRYO_RUN_MODE_RUN || phase == NULL)
    return g_strdup (mode);

  /* "Running · Hold": the mode is the state, the phase its detail. */
  if (s->phase_id == CRYO_OXCRYO_PHASE_HOLD || s->remaining == 0)
    return g_strconcat (mode, CRYO_DEVICE_STATE_SEPARATOR, phase, NULL);

  /* Translators: a Cryostream's phase and the minutes left in it, "Ramp,
   * 12 min left" (after the run mode: "Running · Ramp, 12 min left") */
  left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u min left", "%s, %u min left",
                                       s->remaining),
                          phase, s->remaining);
  return g_strconcat (mode, CRYO_DEVICE_STATE_SEPARATOR, left, NULL);
}

static void
cryo_cryostream_dispose (GObject *object)
{
  CryoCryostream *self = CRYO_CRYOSTREAM (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->confirm_source, g_source_remove);
  if (self->pending != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->pending);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The device was removed before the Cryostream confirmed the command"));
    }

  G_OBJECT_CLASS (cryo_cryostream_parent_class)->dispose (object);
}

static void
cryo_cryostream_finalize (GObject *object)
{
  CryoCryostream *self = CRYO_CRYOSTREAM (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cryo_cryostream_parent_class)->finalize (object);
}

static void
cryo_cryostream_class_init (CryoCryostreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CryoDeviceClass *device_class = CRYO_DEVICE_CLASS (klass);

  object_class->dispose = cryo_cryostream_dispose;
  object_class->finalize = cryo_cryostream_finalize;

  device_class->message = cryo_cryostream_message;
  device_class->connected = cryo_cryostream_connected;
  device_class->check_action = cryo_cryostream_check_action;
  device_class->run_action = cryo_cryostream_run_action;
  device_class->dup_state_text = cryo_cryostream_dup_state_text;

  cryo_device_class_set_kind (device_class, &cryo_cryostream_kind);
}

static void
cryo_cryostream_init (CryoCryostream *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * cryo_cryostream_get_status:
 * @self: a #CryoCryostream
 *
 * Returns: (transfer none) (nullable): the latest status packet, %NULL
 *   before the first one
 */
const CryoOxcryoStatus *
cryo_cryostream_get_status (CryoCryostream *self)
{
  g_return_val_if_fail (CRYO_IS_CRYOSTREAM (self), NULL);

  return self->status_time_us != 0 ? &self->status : NULL;
}

/**
 * cryo_cryostream_get_n_set_format:
 * @self: a #CryoCryostream
 *
 * Returns: how many SetFormat(1) commands were sent: one per connection,
 *   and one more each time standard packets kept arriving from a controller
 *   that could send extended ones
 */
guint
cryo_cryostream_get_n_set_format (CryoCryostream *self)
{
  g_return_val_if_fail (CRYO_IS_CRYOSTREAM (self), 0);

  return self->n_set_format;
}
