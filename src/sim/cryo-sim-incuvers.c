/* cryo-sim-incuvers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated incubator: see cryo-sim-incuvers.h. Behaviour from
 * incuvers-pilink.md "Simulator behaviour"; lines from the codec.
 */

#define G_LOG_DOMAIN "cryo-sim-incuvers"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cryo-incuvers.h"
#include "cryo-sim-incuvers.h"

/* The chamber follows its heater with this time constant, s, and warms by
 * at most this much a second; it cannot get further above the room than
 * CHAMBER_MAX_RISE_C, so a higher set point is never reached. */
#define CHAMBER_TAU_S        60.0
#define CHAMBER_MAX_RATE_C_S 0.1
#define CHAMBER_MAX_RISE_C   40.0
#define COOLING_TAU_S        300.0
/* The door pad keeps the door this much warmer than the chamber. */
#define DOOR_ABOVE_C         0.3
#define DOOR_TAU_S           30.0
/* Gas valves: time constant and the fastest change, %/s. */
#define GAS_TAU_S            30.0
#define GAS_MAX_RATE_PCT_S   0.05
#define GAS_LEAK_TAU_S       300.0
/* How far off target counts as not reached. */
#define TEMPERATURE_BAND_C   0.5
#define GAS_BAND_PCT         0.5
/* What the v1.12 firmware reports of itself ("Test vectors"). */
#define FIRMWARE             "v1.12 (06)"
#define SERIAL_ID            "IRIS0001"
#define FREE_MEMORY          5336

typedef struct
{
  gboolean raised;
  double   off_target_s;
} Alarm;

struct _CryoSimIncuvers
{
  GObject      parent_instance;

  double       millis;
  double       chamber_c;
  double       door_c;
  double       setpoint_c;
  int          heat_mode;
  int          fan_mode;
  int          light_mode;
  gboolean     co2_sensor;
  gboolean     o2_sensor;
  int          co2_mode;
  double       co2_pct;
  double       co2_setpoint_pct;
  int          o2_mode;
  double       o2_pct;
  double       o2_setpoint_pct;
  Alarm        heat_alarm;
  Alarm        co2_alarm;
  Alarm        o2_alarm;
  char        *serial_id;
  guint        n_saves;
  guint        interval_ms;
  gboolean     silent;
  GHashTable  *ignored;        /* command keys */
  GByteArray  *input;
};

static void responder_iface_init (CryoSimResponderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CryoSimIncuvers, cryo_sim_incuvers, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_SIM_RESPONDER, responder_iface_init))

/* "Commands": the keys a v1.12 controller takes. */
static const char * const command_keys[] = {
  "TP", "CP", "OP", "TM", "CM", "OM", "FM", "SS", "ID", "IP4", "MWR", "MWF", NULL,
};

static double
approach (double value,
          double target,
          double tau_s,
          double max_rate,
          double dt)
{
  double next = value + (target - value) * (1.0 - exp (-dt / tau_s));

  if (max_rate > 0)
    next = CLAMP (next, value - max_rate * dt, value + max_rate * dt);
  return next;
}

/* A maintained value off target for longer than the alarm delay raises
 * its alarm; back on target clears it. */
static void
watch (Alarm    *alarm,
       gboolean  off_target,
       double    dt)
{
  if (off_target)
    alarm->off_target_s += dt;
  else
    alarm->off_target_s = 0;
  alarm->raised = alarm->off_target_s > CRYO_SIM_INCUVERS_ALARM_AFTER_S;
}

static void
cryo_sim_incuvers_tick (CryoSimResponder *responder,
                        double            dt)
{
  CryoSimIncuvers *self = CRYO_SIM_INCUVERS (responder);
  gboolean heating = self->heat_mode == 1;
  gboolean co2_maintained = self->co2_mode == CRYO_INCUVERS_GAS_MAINTAIN;
  gboolean o2_maintained = self->o2_mode == CRYO_INCUVERS_GAS_MAINTAIN;

  if (dt <= 0)
    return;

  self->millis += dt * 1000.0;

  if (heating)
    {
      double reachable = MIN (self->setpoint_c, CRYO_SIM_INCUVERS_AMBIENT_C + CHAMBER_MAX_RISE_C);

      self->chamber_c = approach (self->chamber_c, reachable, CHAMBER_TAU_S, CHAMBER_MAX_RATE_C_S, dt);
      self->door_c = approach (self->door_c, self->chamber_c + DOOR_ABOVE_C, DOOR_TAU_S, 0, dt);
    }
  else
    {
      self->chamber_c = approach (self->chamber_c, CRYO_SIM_INCUVERS_AMBIENT_C, COOLING_TAU_S, 0, dt);
      self->door_c = approach (self->door_c, CRYO_SIM_INCUVERS_AMBIENT_C, COOLING_TAU_S, 0, dt);
    }

  self->co2_pct = co2_maintained ? approach (self->co2_pct, self->co2_setpoint_pct, GAS_TAU_S, GAS_MAX_RATE_PCT_S, dt)
                                 : approach (self->co2_pct, CRYO_SIM_INCUVERS_AIR_CO2_PCT, GAS_LEAK_TAU_S, 0, dt);
  self->o2_pct = o2_maintained ? approach (self->o2_pct, self->o2_setpoint_pct, GAS_TAU_S, GAS_MAX_RATE_PCT_S, dt)
                               : approach (self->o2_pct, CRYO_SIM_INCUVERS_AIR_O2_PCT, GAS_LEAK_TAU_S, 0, dt);

  watch (&self->heat_alarm, heating && fabs (self->chamber_c - self->setpoint_c) > TEMPERATURE_BAND_C, dt);
  /* Maintaining a gas without its sensor never reaches the target. */
  watch (&self->co2_alarm, co2_maintained && (!self->co2_sensor
                                              || fabs (self->co2_pct - self->co2_setpoint_pct) > GAS_BAND_PCT), dt);
  watch (&self->o2_alarm, o2_maintained && (!self->o2_sensor
                                            || fabs (self->o2_pct - self->o2_setpoint_pct) > GAS_BAND_PCT), dt);

  /* Seed "Alarms": maintain on a gas the unit lacks raises an alarm that
   * turns the unit off. */
  if ((self->co2_alarm.raised && !self->co2_sensor) || (self->o2_alarm.raised && !self->o2_sensor))
    self->heat_mode = 0;
}

static int
centi (double value)
{
  return (int) lround (value * 100.0);
}

/* One command pair; returns what became of it. */
static const char *
apply (CryoSimIncuvers         *self,
       const CryoIncuversField *field)
{
  CryoIncuversSetting setting = { field->key, 0 };
  gint64 value;

  if (!g_strv_contains (command_keys, field->key))
    return "unknown";
  if (g_hash_table_contains (self->ignored, field->key))
    return "ignored";

  /* Identity strings: shown on the unit's display; ID is reported back. */
  if (cryo_incuvers_is_text_key (field->key))
    {
      setting.text = field->value;
      if (!cryo_incuvers_check_setting (&setting, NULL))
        return "rejected";
      if (g_str_equal (field->key, "ID"))
        {
          g_free (self->serial_id);
          self->serial_id = g_strdup (field->value);
        }
      return "applied";
    }

  if (!g_ascii_string_to_signed (field->value, 10, G_MININT, G_MAXINT, &value, NULL))
    return "rejected";
  setting.value = (int) value;
  if (!cryo_incuvers_check_setting (&setting, NULL))
    return "rejected";

  if (g_str_equal (field->key, "TP"))
    self->setpoint_c = value / 100.0;
  else if (g_str_equal (field->key, "CP"))
    self->co2_setpoint_pct = value / 100.0;
  else if (g_str_equal (field->key, "OP"))
    self->o2_setpoint_pct = value / 100.0;
  else if (g_str_equal (field->key, "TM"))
    self->heat_mode = (int) value;
  else if (g_str_equal (field->key, "CM"))
    self->co2_mode = (int) value;
  else if (g_str_equal (field->key, "OM"))
    self->o2_mode = (int) value;
  else if (g_str_equal (field->key, "FM"))
    self->fan_mode = (int) value;
  else if (g_str_equal (field->key, "SS"))
    self->n_saves++;

  return "applied";
}

/* One line as the controller reads it; the command log gets the line and
 * what became of each pair, e.g. "7~e3516923$TP|3750 TP=applied". */
static void
receive_line (CryoSimIncuvers *self,
              const char      *line,
              gsize            len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = cryo_incuvers_parse_command_line (line, len, &error);
  g_autofree char *raw = g_strndup (line, len);
  g_autofree char *printable = NULL;
  g_autoptr(GString) outcome = g_string_new (NULL);

  g_strchomp (raw);
  printable = g_strescape (raw, NULL);

  if (payload != NULL)
    {
      g_autoptr(GPtrArray) fields = cryo_incuvers_split_payload (payload, &error);

      for (guint i = 0; fields != NULL && i < fields->len; i++)
        {
          CryoIncuversField *field = g_ptr_array_index (fields, i);

          g_string_append_printf (outcome, "%s%s=%s", i > 0 ? " " : "", field->key, apply (self, field));
        }
    }

  if (error != NULL)
    g_string_append_printf (outcome, "rejected: %s", error->message);

  cryo_sim_responder_log_command (CRYO_SIM_RESPONDER (self), "%s %s", printable, outcome->str);
}

static GPtrArray *
cryo_sim_incuvers_feed (CryoSimResponder *responder,
                        const guint8     *bytes,
                        gsize             len)
{
  CryoSimIncuvers *self = CRYO_SIM_INCUVERS (responder);

  for (gsize i = 0; i < len; i++)
    {
      g_byte_array_append (self->input, &bytes[i], 1);

      if (bytes[i] == '\n')
        {
          receive_line (self, (const char *) self->input->data, self->input->len);
          g_byte_array_set_size (self->input, 0);
        }
      else if (self->input->len >= CRYO_INCUVERS_MAX_GARBAGE)
        {
          /* Seed "RPi → Arduino": dropped after 80 characters. */
          cryo_sim_responder_log_command (responder, "(%u characters without a line end) dropped",
                                          self->input->len);
          g_byte_array_set_size (self->input, 0);
        }
    }

  /* The controller never answers a command ("Link"). */
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static guint
cryo_sim_incuvers_get_stream_interval_ms (CryoSimResponder *responder)
{
  return CRYO_SIM_INCUVERS (responder)->interval_ms;
}

static char
indicator (gboolean on,
           gboolean stepping)
{
  return on ? (stepping ? '+' : '*') : '-';
}

static int
sensor_centi (gboolean present,
              double   value)
{
  return present ? centi (value) : CRYO_INCUVERS_NO_SENSOR;
}

/* A v1.12 status line ("Status lines"), keys in the firmware's order. */
static GBytes *
cryo_sim_incuvers_next_packet (CryoSimResponder *responder)
{
  CryoSimIncuvers *self = CRYO_SIM_INCUVERS (responder);
  g_autoptr(GString) payload = g_string_new (NULL);
  double chamber_short = self->setpoint_c - self->chamber_c;
  double door_short = self->setpoint_c + DOOR_ABOVE_C - self->door_c;
  gboolean heating = self->heat_mode == 1;
  char *line;

  if (self->silent)
    return NULL;

  g_string_append_printf (payload, "TS|%.0f&ID|%s&IV|%s&IR|4&FM|%d&TM|%d&TP|%d&TC|%d&TD|%d&TO|-10000",
                          floor (self->millis), self->serial_id, FIRMWARE, self->fan_mode, self->heat_mode,
                          centi (self->setpoint_c), centi (self->chamber_c), centi (self->door_c));
  g_string_append_printf (payload, "&TS|%c%c&TA|%c",
                          indicator (heating && door_short > 0.05, FALSE),
                          indicator (heating && chamber_short > 0.05, chamber_short <= TEMPERATURE_BAND_C),
                          indicator (self->heat_alarm.raised, FALSE));
  g_string_append_printf (payload, "&CM|%d&CP|%d&CC|%d&CS|-&CA|%c&CG|0",
                          self->co2_mode, centi (self->co2_setpoint_pct),
                          sensor_centi (self->co2_sensor, self->co2_pct),
                          indicator (self->co2_alarm.raised, FALSE));
  g_string_append_printf (payload, "&OM|%d&OP|%d&OC|%d&OS|-&OA|%c",
                          self->o2_mode, centi (self->o2_setpoint_pct),
                          sensor_centi (self->o2_sensor, self->o2_pct),
                          indicator (self->o2_alarm.raised, FALSE));
  g_string_append_printf (payload, "&LM|%d&LS|-&FM|%d", self->light_mode, FREE_MEMORY);

  line = cryo_incuvers_frame_status (payload->str);
  return g_bytes_new_take (line, strlen (line));
}

static void
responder_iface_init (CryoSimResponderInterface *iface)
{
  iface->tick = cryo_sim_incuvers_tick;
  iface->feed = cryo_sim_incuvers_feed;
  iface->get_stream_interval_ms = cryo_sim_incuvers_get_stream_interval_ms;
  iface->next_packet = cryo_sim_incuvers_next_packet;
}

static void
cryo_sim_incuvers_finalize (GObject *object)
{
  CryoSimIncuvers *self = CRYO_SIM_INCUVERS (object);

  g_clear_pointer (&self->input, g_byte_array_unref);
  g_clear_pointer (&self->ignored, g_hash_table_unref);
  g_clear_pointer (&self->serial_id, g_free);

  G_OBJECT_CLASS (cryo_sim_incuvers_parent_class)->finalize (object);
}

static void
cryo_sim_incuvers_class_init (CryoSimIncuversClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cryo_sim_incuvers_finalize;
}

static void
cryo_sim_incuvers_init (CryoSimIncuvers *self)
{
  self->input = g_byte_array_new ();
  self->ignored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->fan_mode = CRYO_INCUVERS_MAX_FAN_MODE;
  self->serial_id = g_strdup (SERIAL_ID);
}

/**
 * cryo_sim_incuvers_new:
 * @setup: how the incubator starts
 *
 * Returns: (transfer full): a new simulated controller
 */
CryoSimIncuvers *
cryo_sim_incuvers_new (const CryoSimIncuversSetup *setup)
{
  CryoSimIncuvers *self;

  g_return_val_if_fail (setup != NULL, NULL);
  g_return_val_if_fail (setup->interval_ms > 0, NULL);
  g_return_val_if_fail (setup->heat_mode == 0 || setup->heat_mode == 1, NULL);
  g_return_val_if_fail (setup->co2_mode >= 0 && setup->co2_mode <= 2, NULL);
  g_return_val_if_fail (setup->o2_mode >= 0 && setup->o2_mode <= 2, NULL);

  self = g_object_new (CRYO_TYPE_SIM_INCUVERS, NULL);
  self->chamber_c = setup->chamber_c;
  self->door_c = setup->chamber_c + (setup->heat_mode ? DOOR_ABOVE_C : 0);
  self->setpoint_c = setup->temperature_setpoint_c;
  self->heat_mode = setup->heat_mode;
  self->co2_sensor = setup->co2_sensor;
  self->o2_sensor = setup->o2_sensor;
  self->co2_mode = setup->co2_mode;
  self->co2_setpoint_pct = setup->co2_setpoint_pct;
  self->co2_pct = setup->co2_mode == CRYO_INCUVERS_GAS_MAINTAIN ? setup->co2_setpoint_pct
                                                                : CRYO_SIM_INCUVERS_AIR_CO2_PCT;
  self->o2_mode = setup->o2_mode;
  self->o2_setpoint_pct = setup->o2_setpoint_pct;
  self->o2_pct = setup->o2_mode == CRYO_INCUVERS_GAS_MAINTAIN ? setup->o2_setpoint_pct
                                                              : CRYO_SIM_INCUVERS_AIR_O2_PCT;
  self->interval_ms = setup->interval_ms;
  return self;
}

/**
 * cryo_sim_incuvers_is_command_key:
 * @key: a key ("TP")
 *
 * Returns: whether the v1.12 controller takes @key in a command
 *   ("Commands")
 */
gboolean
cryo_sim_incuvers_is_command_key (const char *key)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return g_strv_contains (command_keys, key);
}

/**
 * cryo_sim_incuvers_set_ignored:
 * @self: a simulated controller
 * @key: a command key, see cryo_sim_incuvers_is_command_key()
 * @ignored: %TRUE to ignore it (logged as "ignored")
 *
 * Fault injection: a controller that does not act on a key, so the
 * device's "not accepted" path can be tested.
 */
void
cryo_sim_incuvers_set_ignored (CryoSimIncuvers *self,
                               const char      *key,
                               gboolean         ignored)
{
  g_return_if_fail (CRYO_IS_SIM_INCUVERS (self));
  g_return_if_fail (cryo_sim_incuvers_is_command_key (key));

  if (ignored)
    g_hash_table_add (self->ignored, g_strdup (key));
  else
    g_hash_table_remove (self->ignored, key);
}

/**
 * cryo_sim_incuvers_set_silent:
 * @self: a simulated controller
 * @silent: %TRUE to stop sending status lines
 *
 * Fault injection: a controller that falls silent, for staleness.
 */
void
cryo_sim_incuvers_set_silent (CryoSimIncuvers *self,
                              gboolean         silent)
{
  g_return_if_fail (CRYO_IS_SIM_INCUVERS (self));

  self->silent = silent;
}

/**
 * cryo_sim_incuvers_get_chamber_c:
 * @self: a simulated controller
 *
 * Returns: the chamber temperature, °C
 */
double
cryo_sim_incuvers_get_chamber_c (CryoSimIncuvers *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_INCUVERS (self), NAN);

  return self->chamber_c;
}

/**
 * cryo_sim_incuvers_get_setpoint_c:
 * @self: a simulated controller
 *
 * Returns: the temperature set point `TP`, °C
 */
double
cryo_sim_incuvers_get_setpoint_c (CryoSimIncuvers *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_INCUVERS (self), NAN);

  return self->setpoint_c;
}

/**
 * cryo_sim_incuvers_get_mode:
 * @self: a simulated controller
 * @key: "TM", "CM", "OM" or "FM"
 *
 * Returns: that mode, -1 for another key
 */
int
cryo_sim_incuvers_get_mode (CryoSimIncuvers *self,
                            const char      *key)
{
  g_return_val_if_fail (CRYO_IS_SIM_INCUVERS (self), -1);
  g_return_val_if_fail (key != NULL, -1);

  if (g_str_equal (key, "TM"))
    return self->heat_mode;
  if (g_str_equal (key, "CM"))
    return self->co2_mode;
  if (g_str_equal (key, "OM"))
    return self->o2_mode;
  if (g_str_equal (key, "FM"))
    return self->fan_mode;
  return -1;
}

/**
 * cryo_sim_incuvers_get_alarm:
 * @self: a simulated controller
 * @key: "TA", "CA" or "OA"
 *
 * Returns: whether that alarm is raised
 */
gboolean
cryo_sim_incuvers_get_alarm (CryoSimIncuvers *self,
                             const char      *key)
{
  g_return_val_if_fail (CRYO_IS_SIM_INCUVERS (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (g_str_equal (key, "TA"))
    return self->heat_alarm.raised;
  if (g_str_equal (key, "CA"))
    return self->co2_alarm.raised;
  if (g_str_equal (key, "OA"))
    return self->o2_alarm.raised;
  return FALSE;
}

/**
 * cryo_sim_incuvers_get_n_saves:
 * @self: a simulated controller
 *
 * Returns: how many `SS|1` commands saved the settings
 */
guint
cryo_sim_incuvers_get_n_saves (CryoSimIncuvers *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_INCUVERS (self), 0);

  return self->n_saves;
}
