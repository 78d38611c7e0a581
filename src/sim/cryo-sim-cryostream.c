/* cryo-sim-cryostream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated Cryostream: see cryo-sim-cryostream.h. Behaviour from
 * oxford-cryostream.md "Simulator behaviour"; packets from the codec.
 */

#define G_LOG_DOMAIN "cryo-sim-cryostream"

#include "config.h"

#include <math.h>

#include "cryo-oxcryo.h"
#include "cryo-sim-cryostream.h"

/* "Cool as fast as possible": how fast the set point may move, K/h. */
#define COOL_RATE_K_H    6000.0
/* Purge warms at the fastest program rate. */
#define PURGE_RATE_K_H   360.0
/* The gas follows the set point with this time constant, s. */
#define GAS_LAG_S        3.0
#define GAS_FLOW_DL      50
#define TURBO_FLOW_DL    100

struct _CryoSimCryostream
{
  GObject      parent_instance;

  guint        run_mode;
  guint        phase;
  guint        paused_phase;
  gboolean     paused;
  double       set_point_k;
  double       gas_k;
  double       target_k;
  double       rate_k_h;
  double       plat_left_min;
  double       run_time_min;
  guint        alarm_code;
  guint        software_version;
  guint        hardware_type;
  gboolean     extended;
  gboolean     turbo;
  gboolean     silent;
  guint        interval_ms;
  guint32      ignored;        /* bit per command id 10..40 - 10 */
  GByteArray  *input;
};

static void responder_iface_init (CryoSimResponderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CryoSimCryostream, cryo_sim_cryostream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_SIM_RESPONDER, responder_iface_init))

static const char *
command_name (guint id)
{
  switch (id)
    {
    case CRYO_OXCRYO_COMMAND_RESTART: return "restart";
    case CRYO_OXCRYO_COMMAND_RAMP: return "ramp";
    case CRYO_OXCRYO_COMMAND_PLAT: return "plat";
    case CRYO_OXCRYO_COMMAND_HOLD: return "hold";
    case CRYO_OXCRYO_COMMAND_COOL: return "cool";
    case CRYO_OXCRYO_COMMAND_END: return "end";
    case CRYO_OXCRYO_COMMAND_PURGE: return "purge";
    case CRYO_OXCRYO_COMMAND_PAUSE: return "pause";
    case CRYO_OXCRYO_COMMAND_RESUME: return "resume";
    case CRYO_OXCRYO_COMMAND_STOP: return "stop";
    case CRYO_OXCRYO_COMMAND_TURBO: return "turbo";
    case CRYO_OXCRYO_COMMAND_SET_FORMAT: return "set-format";
    default: return "unknown";
    }
}

static guint32
ignored_bit (guint id)
{
  return id >= 10 && id < 42 ? 1u << (id - 10) : 0;
}

static gboolean
is_shut_down (CryoSimCryostream *self)
{
  return self->run_mode == CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK
         || self->run_mode == CRYO_OXCRYO_RUN_MODE_SHUTDOWN_FAIL;
}

static gboolean
can_run_program (CryoSimCryostream *self)
{
  return self->run_mode == CRYO_OXCRYO_RUN_MODE_RUN
         || self->run_mode == CRYO_OXCRYO_RUN_MODE_STARTUP_OK;
}

static void
start_phase (CryoSimCryostream *self,
             guint              phase)
{
  self->run_mode = CRYO_OXCRYO_RUN_MODE_RUN;
  self->phase = phase;
  self->paused = FALSE;
  if (self->alarm_code > 0 && self->alarm_code <= 4)
    self->alarm_code = 0;
}

static void
shut_down (CryoSimCryostream *self,
           guint              alarm_code)
{
  self->run_mode = CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK;
  self->phase = CRYO_OXCRYO_PHASE_HOLD;
  self->paused = FALSE;
  self->turbo = FALSE;
  self->alarm_code = alarm_code;
}

/* Applies one command; returns whether the controller acted on it (it
 * silently ignores the rest: "Link"). */
static gboolean
apply (CryoSimCryostream       *self,
       const CryoOxcryoCommand *c)
{
  guint max_target = cryo_oxcryo_max_target (self->hardware_type);

  if (self->ignored & ignored_bit (c->id))
    return FALSE;

  switch (c->id)
    {
    case CRYO_OXCRYO_COMMAND_RAMP:
      if (!can_run_program (self) || c->rate < CRYO_OXCRYO_MIN_RATE || c->rate > CRYO_OXCRYO_MAX_RATE
          || c->target < CRYO_OXCRYO_MIN_TARGET_CK || c->target > max_target)
        return FALSE;
      start_phase (self, CRYO_OXCRYO_PHASE_RAMP);
      self->rate_k_h = c->rate;
      self->target_k = c->target / 100.0;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_COOL:
      if (!can_run_program (self) || c->target < CRYO_OXCRYO_MIN_TARGET_CK || c->target > max_target)
        return FALSE;
      start_phase (self, CRYO_OXCRYO_PHASE_COOL);
      self->rate_k_h = CRYO_OXCRYO_MAX_RATE;
      self->target_k = c->target / 100.0;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_PLAT:
      if (!can_run_program (self) || c->minutes < CRYO_OXCRYO_MIN_PLAT_MIN
          || c->minutes > CRYO_OXCRYO_MAX_PLAT_MIN)
        return FALSE;
      start_phase (self, CRYO_OXCRYO_PHASE_PLAT);
      self->target_k = self->set_point_k;
      self->plat_left_min = c->minutes;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_HOLD:
      if (!can_run_program (self))
        return FALSE;
      start_phase (self, CRYO_OXCRYO_PHASE_HOLD);
      self->target_k = self->set_point_k;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_END:
      if (!can_run_program (self))
        return FALSE;
      if (c->has_rate && (c->rate < CRYO_OXCRYO_MIN_RATE || c->rate > CRYO_OXCRYO_MAX_RATE))
        return FALSE;
      start_phase (self, CRYO_OXCRYO_PHASE_END);
      self->rate_k_h = c->has_rate ? c->rate : CRYO_OXCRYO_MAX_RATE;
      self->target_k = CRYO_SIM_CRYOSTREAM_AMBIENT_K;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_PURGE:
      if (!is_shut_down (self))
        return FALSE;
      start_phase (self, CRYO_OXCRYO_PHASE_PURGE);
      self->rate_k_h = PURGE_RATE_K_H;
      self->target_k = CRYO_SIM_CRYOSTREAM_AMBIENT_K + 6.0;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_PAUSE:
      if (self->run_mode != CRYO_OXCRYO_RUN_MODE_RUN || self->paused)
        return FALSE;
      self->paused_phase = self->phase;
      self->phase = CRYO_OXCRYO_PHASE_HOLD;
      self->paused = TRUE;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_RESUME:
      if (self->run_mode != CRYO_OXCRYO_RUN_MODE_RUN || !self->paused)
        return FALSE;
      self->phase = self->paused_phase;
      self->paused = FALSE;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_STOP:
      if (is_shut_down (self))
        return FALSE;
      shut_down (self, 2);
      self->target_k = CRYO_SIM_CRYOSTREAM_AMBIENT_K;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_RESTART:
      if (!is_shut_down (self))
        return FALSE;
      self->run_mode = CRYO_OXCRYO_RUN_MODE_STARTUP_OK;
      self->phase = CRYO_OXCRYO_PHASE_HOLD;
      self->alarm_code = 0;
      self->extended = FALSE;   /* "until the controller restarts" */
      self->run_time_min = 0;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_TURBO:
      if (c->flag > 1)
        return FALSE;
      self->turbo = c->flag == 1;
      return TRUE;

    case CRYO_OXCRYO_COMMAND_SET_FORMAT:
      /* "Status packets": only controllers newer than version 17 switch */
      if (c->flag > 1 || self->software_version <= 17)
        return FALSE;
      self->extended = c->flag == 1;
      return TRUE;

    default:
      return FALSE;
    }
}

static double
step_toward (double from,
             double to,
             double max_step)
{
  if (fabs (to - from) <= max_step)
    return to;
  return from + (to > from ? max_step : -max_step);
}

static void
cryo_sim_cryostream_tick (CryoSimResponder *responder,
                          double            dt)
{
  CryoSimCryostream *self = CRYO_SIM_CRYOSTREAM (responder);

  if (dt <= 0)
    return;

  if (self->run_mode == CRYO_OXCRYO_RUN_MODE_RUN)
    {
      self->run_time_min += dt / 60.0;

      switch (self->paused ? CRYO_OXCRYO_PHASE_HOLD : self->phase)
        {
        case CRYO_OXCRYO_PHASE_RAMP:
        case CRYO_OXCRYO_PHASE_END:
        case CRYO_OXCRYO_PHASE_PURGE:
          self->set_point_k = step_toward (self->set_point_k, self->target_k, self->rate_k_h * dt / 3600.0);
          break;
        case CRYO_OXCRYO_PHASE_COOL:
          self->set_point_k = step_toward (self->set_point_k, self->target_k, COOL_RATE_K_H * dt / 3600.0);
          break;
        case CRYO_OXCRYO_PHASE_PLAT:
          self->plat_left_min = MAX (0.0, self->plat_left_min - dt / 60.0);
          break;
        default:
          break;
        }

      if (!self->paused && self->set_point_k == self->target_k)
        {
          /* the phase is over: the next one is an indefinite Hold */
          if (self->phase == CRYO_OXCRYO_PHASE_END)
            shut_down (self, 3);
          else if (self->phase == CRYO_OXCRYO_PHASE_PURGE)
            shut_down (self, 4);
          else if ((self->phase == CRYO_OXCRYO_PHASE_RAMP || self->phase == CRYO_OXCRYO_PHASE_COOL)
                   || (self->phase == CRYO_OXCRYO_PHASE_PLAT && self->plat_left_min <= 0))
            self->phase = CRYO_OXCRYO_PHASE_HOLD;
        }
    }
  else if (is_shut_down (self))
    {
      /* no cooling: the gas drifts to room temperature */
      self->set_point_k = step_toward (self->set_point_k, CRYO_SIM_CRYOSTREAM_AMBIENT_K, 600.0 * dt / 3600.0);
    }

  self->gas_k += (self->set_point_k - self->gas_k) * (1.0 - exp (-dt / GAS_LAG_S));
}

static GPtrArray *
cryo_sim_cryostream_feed (CryoSimResponder *responder,
                          const guint8     *bytes,
                          gsize             len)
{
  CryoSimCryostream *self = CRYO_SIM_CRYOSTREAM (responder);
  CryoOxcryoCommand command;
  gsize consumed;
  CryoOxcryoDecodeResult result;

  g_byte_array_append (self->input, bytes, len);

  while ((result = cryo_oxcryo_command_parse (self->input->data, self->input->len,
                                              &command, &consumed, NULL))
         != CRYO_OXCRYO_DECODE_NEED_MORE)
    {
      if (result == CRYO_OXCRYO_DECODE_PACKET)
        {
          g_autoptr(GString) hex = g_string_new (NULL);
          gboolean applied;

          for (gsize i = 0; i < consumed; i++)
            g_string_append_printf (hex, "%s%02X", i > 0 ? " " : "", self->input->data[i]);
          applied = apply (self, &command);
          cryo_sim_responder_log_command (responder, "%s %s %s", hex->str,
                                          command_name (command.id),
                                          applied ? "applied" : "ignored");
        }
      g_byte_array_remove_range (self->input, 0, consumed);
    }

  /* The controller never answers a command ("Link"). */
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static guint
cryo_sim_cryostream_get_stream_interval_ms (CryoSimResponder *responder)
{
  return CRYO_SIM_CRYOSTREAM (responder)->interval_ms;
}

static guint16
to_ck (double k)
{
  return (guint16) CLAMP (lround (k * 100.0), 0, 60000);
}

static GBytes *
cryo_sim_cryostream_next_packet (CryoSimResponder *responder)
{
  CryoSimCryostream *self = CRYO_SIM_CRYOSTREAM (responder);
  CryoOxcryoStatus s = { 0 };
  double remaining_min = 0;

  if (self->silent)
    return NULL;

  if (self->run_mode == CRYO_OXCRYO_RUN_MODE_RUN)
    {
      if (self->phase == CRYO_OXCRYO_PHASE_PLAT)
        remaining_min = self->plat_left_min;
      else if (self->phase != CRYO_OXCRYO_PHASE_HOLD && self->rate_k_h > 0)
        remaining_min = fabs (self->target_k - self->set_point_k) / self->rate_k_h * 60.0;
    }

  s.extended = self->extended;
  s.gas_set_point = to_ck (self->set_point_k);
  s.gas_temp = to_ck (self->gas_k);
  s.gas_error = (gint16) ((int) s.gas_set_point - (int) s.gas_temp);
  s.run_mode = self->run_mode;
  s.phase_id = self->phase;
  s.ramp_rate = (guint16) self->rate_k_h;
  s.target_temp = to_ck (self->target_k);
  s.evap_temp = to_ck (MAX (77.5, self->gas_k - 3.5));
  s.suct_temp = to_ck (CRYO_SIM_CRYOSTREAM_AMBIENT_K + 0.8);
  s.remaining = (guint16) MIN (ceil (remaining_min), G_MAXUINT16);
  s.gas_flow = is_shut_down (self) ? 0 : self->turbo ? TURBO_FLOW_DL : GAS_FLOW_DL;
  s.gas_heat = is_shut_down (self) ? 0 : (guint8) CLAMP (20 + (s.gas_error / 10), 0, 100);
  s.evap_heat = 0;
  s.suct_heat = is_shut_down (self) ? 0 : 35;
  s.line_pressure = is_shut_down (self) ? 0 : 12;
  s.alarm_code = self->alarm_code;
  s.run_time = (guint16) MIN (self->run_time_min, G_MAXUINT16);
  s.controller_number = 5678;
  s.software_version = self->software_version;
  s.evap_adjust = 0;
  if (self->extended)
    {
      s.turbo_mode = self->turbo;
      s.hardware_type = self->hardware_type;
      s.shutter_state = (self->hardware_type & CRYO_OXCRYO_HARDWARE_AUTOFILL) ? 70 : 0;
      s.shutter_time = (self->hardware_type & CRYO_OXCRYO_HARDWARE_SERIES_800) ? self->paused : 0;
      s.average_gas_heat = s.gas_heat;
      s.average_suct_heat = s.suct_heat;
      s.time_to_fill = (self->hardware_type & CRYO_OXCRYO_HARDWARE_AUTOFILL) ? 95 : 0;
      s.total_hours = (guint16) MIN (8760 + self->run_time_min / 60.0, G_MAXUINT16);
    }

  return cryo_oxcryo_status_encode (&s);
}

static void
responder_iface_init (CryoSimResponderInterface *iface)
{
  iface->tick = cryo_sim_cryostream_tick;
  iface->feed = cryo_sim_cryostream_feed;
  iface->get_stream_interval_ms = cryo_sim_cryostream_get_stream_interval_ms;
  iface->next_packet = cryo_sim_cryostream_next_packet;
}

static void
cryo_sim_cryostream_finalize (GObject *object)
{
  CryoSimCryostream *self = CRYO_SIM_CRYOSTREAM (object);

  g_clear_pointer (&self->input, g_byte_array_unref);

  G_OBJECT_CLASS (cryo_sim_cryostream_parent_class)->finalize (object);
}

static void
cryo_sim_cryostream_class_init (CryoSimCryostreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cryo_sim_cryostream_finalize;
}

static void
cryo_sim_cryostream_init (CryoSimCryostream *self)
{
  self->input = g_byte_array_new ();
}

/**
 * cryo_sim_cryostream_new:
 * @run_mode: the #CryoOxcryoRunMode to start in: Run (holding at @gas_k),
 *   StartUpOK or ShutdownOK
 * @gas_k: the initial gas temperature and set point, K
 * @software_version: SoftwareVersion sent; 17 or less ignores SetFormat
 * @hardware_type: HardwareType bits sent in extended packets
 * @interval_ms: period of the status packets, ms of real time (the spec's
 *   controller: 1000)
 *
 * Returns: (transfer full): a new simulated controller
 */
CryoSimCryostream *
cryo_sim_cryostream_new (guint  run_mode,
                         double gas_k,
                         guint  software_version,
                         guint  hardware_type,
                         guint  interval_ms)
{
  CryoSimCryostream *self;

  g_return_val_if_fail (run_mode <= CRYO_OXCRYO_RUN_MODE_SHUTDOWN_FAIL, NULL);
  g_return_val_if_fail (software_version <= 255, NULL);
  g_return_val_if_fail ((hardware_type & ~CRYO_OXCRYO_HARDWARE_ALL) == 0, NULL);
  g_return_val_if_fail (interval_ms > 0, NULL);

  self = g_object_new (CRYO_TYPE_SIM_CRYOSTREAM, NULL);
  self->run_mode = run_mode;
  self->phase = CRYO_OXCRYO_PHASE_HOLD;
  self->set_point_k = self->gas_k = self->target_k = gas_k;
  self->rate_k_h = CRYO_OXCRYO_MAX_RATE;
  self->software_version = software_version;
  self->hardware_type = hardware_type;
  self->interval_ms = interval_ms;
  return self;
}

/**
 * cryo_sim_cryostream_set_alarm:
 * @self: a simulated controller
 * @alarm_code: AlarmCode to report (0..56, 0 clears); level 4 codes shut
 *   the controller down, as the seed's "Alarm codes" say
 */
void
cryo_sim_cryostream_set_alarm (CryoSimCryostream *self,
                               guint              alarm_code)
{
  g_return_if_fail (CRYO_IS_SIM_CRYOSTREAM (self));
  g_return_if_fail (alarm_code <= CRYO_OXCRYO_MAX_ALARM);

  if (cryo_oxcryo_alarm_get_level (alarm_code) == 4)
    {
      shut_down (self, alarm_code);
      self->run_mode = CRYO_OXCRYO_RUN_MODE_SHUTDOWN_FAIL;
    }
  else
    self->alarm_code = alarm_code;
}

/**
 * cryo_sim_cryostream_set_ignored:
 * @self: a simulated controller
 * @command_id: a #CryoOxcryoCommandId
 * @ignored: %TRUE to ignore that command (logged as "ignored")
 *
 * Fault injection: a controller that does not act on a command, so the
 * device's "not confirmed" path can be tested.
 */
void
cryo_sim_cryostream_set_ignored (CryoSimCryostream *self,
                                 guint              command_id,
                                 gboolean           ignored)
{
  g_return_if_fail (CRYO_IS_SIM_CRYOSTREAM (self));

  if (ignored)
    self->ignored |= ignored_bit (command_id);
  else
    self->ignored &= ~ignored_bit (command_id);
}

/**
 * cryo_sim_cryostream_set_silent:
 * @self: a simulated controller
 * @silent: %TRUE to stop sending status packets
 *
 * Fault injection: a controller that falls silent (cable pulled on its
 * side), for the device's staleness and reconnect.
 */
void
cryo_sim_cryostream_set_silent (CryoSimCryostream *self,
                                gboolean           silent)
{
  g_return_if_fail (CRYO_IS_SIM_CRYOSTREAM (self));
  self->silent = silent;
}

guint
cryo_sim_cryostream_get_run_mode (CryoSimCryostream *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CRYOSTREAM (self), 0);
  return self->run_mode;
}

guint
cryo_sim_cryostream_get_phase (CryoSimCryostream *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CRYOSTREAM (self), 0);
  return self->phase;
}

double
cryo_sim_cryostream_get_gas_k (CryoSimCryostream *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CRYOSTREAM (self), 0);
  return self->gas_k;
}

double
cryo_sim_cryostream_get_target_k (CryoSimCryostream *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CRYOSTREAM (self), 0);
  return self->target_k;
}

gboolean
cryo_sim_cryostream_get_extended (CryoSimCryostream *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CRYOSTREAM (self), FALSE);
  return self->extended;
}
