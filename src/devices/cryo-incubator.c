/* cryo-incubator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Incuvers incubator device: status lines become readings (chamber and
 * door temperature, CO2, O2, their set points), modes, heater indicators
 * and alarms; actions become command lines, written one per status line,
 * that count as done only when a later status line reflects them. Wire
 * facts from shared/protocols/incuvers-pilink.md ("Link", "Status lines",
 * "Commands") and its seed ("Modes", "Alarms").
 */

#define G_LOG_DOMAIN "cryo-incubator"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cryo-event-log.h"
#include "cryo-incubator.h"
#include "cryo-transport.h"

/* A week of status lines, one a second. */
#define HISTORY_CAPACITY (7 * 24 * 3600)
#define CELSIUS_TO_KELVIN 273.15
/* A set point, key or identity without a status field to show it (SS, IP4,
 * MWR, MWF) is taken once this many status lines followed its line: the
 * controller reads commands once per control-loop pass ("Link"). */
#define UNREFLECTED_LINES 2

typedef struct
{
  char *key;
  int   value;
  char *text;
} Expected;

/* A change sent or being sent, waiting for status lines to reflect it. */
typedef struct
{
  GTask     *task;
  GArray    *expected;           /* Expected */
  GPtrArray *lines;              /* lines still to write, in order */
  guint      n_written;
  gboolean   writing;
  guint      lines_since_write;  /* status lines since the last one was written */
  char      *description;
} Pending;

struct _CryoIncubator
{
  CryoDevice           parent_instance;

  CryoIncuversStatus  *status;
  gint64               status_time_us;    /* 0 before the first line */

  Pending             *pending;
  guint                confirm_source;

  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (CryoIncubator, cryo_incubator, CRYO_TYPE_DEVICE)

static const CryoChannelInfo incubator_channels[] = {
  { "chamber_temperature", N_("Chamber temperature"), "chamber_temperature", CRYO_QUANTITY_TEMPERATURE,
    CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  { "door_temperature", N_("Door temperature"), "door_temperature", CRYO_QUANTITY_TEMPERATURE,
    CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "temperature_setpoint", N_("Temperature set point"), "temperature_setpoint", CRYO_QUANTITY_TEMPERATURE,
    CRYO_SCALE_LINEAR, 5, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "co2", N_("CO₂"), "co2", CRYO_QUANTITY_PERCENT,
    CRYO_SCALE_LINEAR, 4, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "co2_setpoint", N_("CO₂ set point"), "co2_setpoint", CRYO_QUANTITY_PERCENT,
    CRYO_SCALE_LINEAR, 4, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "o2", N_("O₂"), "o2", CRYO_QUANTITY_PERCENT,
    CRYO_SCALE_LINEAR, 4, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "o2_setpoint", N_("O₂ set point"), "o2_setpoint", CRYO_QUANTITY_PERCENT,
    CRYO_SCALE_LINEAR, 4, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  /* Modes and heater indicators: numbers in the record, words on the
   * panel (cryo_incubator_dup_value_text()); alarms are shown as alarms. */
  { "heat_mode", N_("Heat mode"), "heat_mode", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "chamber_heater", N_("Chamber heater"), "chamber_heater", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "door_heater", N_("Door heater"), "door_heater", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "co2_mode", N_("CO₂ mode"), "co2_mode", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "o2_mode", N_("O₂ mode"), "o2_mode", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "fan_mode", N_("Fan mode"), "fan_mode", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "light_mode", N_("Light mode"), "light_mode", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_NONE },
  { "heat_alarm", N_("Heat alarm"), "heat_alarm", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_HIDDEN },
  { "co2_alarm", N_("CO₂ alarm"), "co2_alarm", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_HIDDEN },
  { "o2_alarm", N_("O₂ alarm"), "o2_alarm", CRYO_QUANTITY_STATE,
    CRYO_SCALE_LINEAR, 1, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_HIDDEN },
  { NULL }
};

/* The modes an operator picks from (incuvers-pilink.md "Modes", seed
 * "Modes"); -1 leaves a mode as it is. */
static const CryoParamChoice heat_mode_choices[] = {
  { -1, N_("Unchanged") }, { 0, N_("Off") }, { 1, N_("On") }, { 0, NULL }
};
static const CryoParamChoice gas_mode_choices[] = {
  { -1, N_("Unchanged") }, { CRYO_INCUVERS_GAS_OFF, N_("Off") },
  { CRYO_INCUVERS_GAS_READ, N_("Read") }, { CRYO_INCUVERS_GAS_MAINTAIN, N_("Maintain") }, { 0, NULL }
};
static const CryoParamChoice fan_mode_choices[] = {
  { -1, N_("Unchanged") }, { 0, N_("Off") }, { 1, N_("On while heating + 30 s") },
  { 2, N_("On while heating + 60 s") },
  /* xgettext:no-c-format */
  { 3, N_("On while heating + 50 % of the time") }, { 4, N_("Always on") }, { 0, NULL }
};

/* "Commands": set points in hundredths, both ends excluded, so the fields
 * stop one hundredth inside. A mode of -1 leaves that mode as it is. */
static const CryoDeviceAction incubator_actions[] = {
  { "set-temperature", N_("Set Temperature"), FALSE, FALSE, NULL,
    { { "value", N_("Temperature set point"), CRYO_UNIT_CELSIUS, 2, 5.01, 74.99, 0.1, 37.0 }, { NULL } } },
  { "set-co2", N_("Set CO₂"), FALSE, FALSE, NULL,
    { { "value", N_("CO₂ set point"), CRYO_UNIT_PERCENT, 2, 0.11, 24.99, 0.1, 5.0 }, { NULL } } },
  { "set-o2", N_("Set O₂"), FALSE, FALSE, NULL,
    { { "value", N_("O₂ set point"), CRYO_UNIT_PERCENT, 2, 0.01, 20.99, 0.1, 20.0 }, { NULL } } },
  { "set-mode", N_("Set Modes"), FALSE, FALSE, NULL,
    { { "heat", N_("Heat mode"), CRYO_UNIT_NONE, 0, -1, 1, 1, -1, heat_mode_choices },
      { "co2", N_("CO₂ mode"), CRYO_UNIT_NONE, 0, -1, 2, 1, -1, gas_mode_choices },
      { "o2", N_("O₂ mode"), CRYO_UNIT_NONE, 0, -1, 2, 1, -1, gas_mode_choices },
      { "fan", N_("Fan mode"), CRYO_UNIT_NONE, 0, -1, 4, 1, -1, fan_mode_choices },
      { NULL } } },
  { "save-settings", N_("Save Settings"), TRUE, FALSE,
    N_("The incubator stores its current set points and modes in its memory, so that they "
       "survive a restart."), { { NULL } } },
  { NULL }
};

/* The link's stream codec, around the protocol's decoder (worker thread). */
static gpointer
stream_decoder_new (void)
{
  return cryo_incuvers_decoder_new ();
}

static void
stream_decoder_free (gpointer decoder)
{
  cryo_incuvers_decoder_free (decoder);
}

static void
stream_feed (gpointer      decoder,
             const guint8 *data,
             gsize         len)
{
  cryo_incuvers_decoder_feed (decoder, data, len);
}

static gboolean
stream_next (gpointer   decoder,
             gpointer  *message,
             GError   **error)
{
  CryoIncuversStatus *status = NULL;

  if (!cryo_incuvers_decoder_next (decoder, &status, error))
    return FALSE;

  *message = status;
  return TRUE;
}

static const CryoStreamCodec incubator_codec = {
  stream_decoder_new, stream_decoder_free, stream_feed, stream_next,
  (GDestroyNotify) cryo_incuvers_status_free,
};

/**
 * cryo_incubator_kind:
 *
 * The Incuvers incubator's environment controller: 9600 8N1, a status line
 * about once a second ("Link"); stale after 10 s without a valid one.
 */
const CryoDeviceKind cryo_incubator_kind = {
  .id = "incubator",
  .title = N_("Incubator"),
  .model = "Incuvers incubator",
  .summary = N_("Incuvers incubator: temperature, CO₂ and O₂ over the PiLink serial line"),
  .link_kind = CRYO_LINK_KIND_SERIAL_STREAM,
  .default_baud = 9600,
  .default_parity = CRYO_PARITY_NONE,
  .default_poll_interval_ms = 1000,
  .stream_stale_ms = CRYO_INCUBATOR_STALE_MS,
  .stream_codec = &incubator_codec,
  .channels = incubator_channels,
  .actions = incubator_actions,
  .get_type = cryo_incubator_get_type,
};

static void
expected_clear (gpointer data)
{
  Expected *expected = data;

  g_free (expected->key);
  g_free (expected->text);
}

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->task);
  g_clear_pointer (&pending->expected, g_array_unref);
  g_clear_pointer (&pending->lines, g_ptr_array_unref);
  g_free (pending->description);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static gboolean
is_known (int value)
{
  return value != CRYO_INCUVERS_ABSENT && value != CRYO_INCUVERS_NO_SENSOR;
}

static double
celsius_to_kelvin (int centi)
{
  return is_known (centi) ? centi / 100.0 + CELSIUS_TO_KELVIN : NAN;
}

static double
percent (int centi)
{
  return is_known (centi) ? centi / 100.0 : NAN;
}

static double
number (int value)
{
  return value != CRYO_INCUVERS_ABSENT ? value : NAN;
}

static double
indicator_value (CryoIncuversIndicator indicator)
{
  switch (indicator)
    {
    case CRYO_INCUVERS_INDICATOR_OFF:
      return 0;
    case CRYO_INCUVERS_INDICATOR_ON:
      return 1;
    case CRYO_INCUVERS_INDICATOR_STEPPING:
      return 2;
    case CRYO_INCUVERS_INDICATOR_ABSENT:
    default:
      return NAN;
    }
}

static gboolean
alarm_raised (const CryoIncuversAlarm *alarm)
{
  return alarm->indicator == CRYO_INCUVERS_INDICATOR_ON || alarm->indicator == CRYO_INCUVERS_INDICATOR_STEPPING;
}

static double
alarm_value (const CryoIncuversAlarm *alarm)
{
  return alarm->indicator == CRYO_INCUVERS_INDICATOR_ABSENT ? NAN : alarm_raised (alarm);
}

/* In words, for the state text, errors and the event log. */
static char *
describe_setting (const char *key,
                  int         value,
                  const char *text)
{
  if (g_str_equal (key, "TP"))
    return g_strdup_printf (_("temperature set point %.2f °C"), value / 100.0);
  if (g_str_equal (key, "CP"))
    return g_strdup_printf (_("CO₂ set point %.2f %%"), value / 100.0);
  if (g_str_equal (key, "OP"))
    return g_strdup_printf (_("O₂ set point %.2f %%"), value / 100.0);
  if (g_str_equal (key, "TM"))
    return g_strdup_printf (_("heat mode %d"), value);
  if (g_str_equal (key, "CM"))
    return g_strdup_printf (_("CO₂ mode %d"), value);
  if (g_str_equal (key, "OM"))
    return g_strdup_printf (_("O₂ mode %d"), value);
  if (g_str_equal (key, "FM"))
    return g_strdup_printf (_("fan mode %d"), value);
  if (g_str_equal (key, "SS"))
    return g_strdup (_("save settings"));
  return g_strdup_printf ("%s %s", key, text != NULL ? text : "");
}

/* Whether @s shows @expected, or UNREFLECTED_LINES lines have passed for
 * what no status field shows. */
static gboolean
is_reflected (const Expected           *expected,
              const CryoIncuversStatus *s,
              guint                     lines_since_write)
{
  const char *key = expected->key;

  if (g_str_equal (key, "TP"))
    return s->temperature_setpoint == expected->value;
  if (g_str_equal (key, "CP"))
    return s->co2_setpoint == expected->value;
  if (g_str_equal (key, "OP"))
    return s->o2_setpoint == expected->value;
  if (g_str_equal (key, "TM"))
    return s->heat_mode == expected->value;
  if (g_str_equal (key, "CM"))
    return s->co2_mode == expected->value;
  if (g_str_equal (key, "OM"))
    return s->o2_mode == expected->value;
  if (g_str_equal (key, "FM"))
    return s->fan_mode == expected->value;
  if (g_str_equal (key, "ID"))
    return g_strcmp0 (s->id, expected->text) == 0;
  return lines_since_write >= UNREFLECTED_LINES;
}

/* Worker thread: the controller never answers ("Link"), so a command line
 * is one write; status lines confirm it. */
static gpointer
write_func (CryoTransport  *transport,
            gpointer        task_data,
            GCancellable   *cancellable,
            GError        **error)
{
  const char *line = task_data;

  if (!cryo_transport_write_all (transport, (const guint8 *) line, strlen (line), error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
finish_pending (CryoIncubator *self,
                GError        *error)
{
  g_autoptr(Pending) pending = g_steal_pointer (&self->pending);
  g_autoptr(GTask) task = NULL;

  g_clear_handle_id (&self->confirm_source, g_source_remove);
  if (pending == NULL)
    {
      g_clear_error (&error);
      return;
    }

  task = g_steal_pointer (&pending->task);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
confirm_timeout_cb (gpointer user_data)
{
  CryoIncubator *self = user_data;
  g_autoptr(GString) missing = g_string_new (NULL);

  self->confirm_source = 0;

  for (guint i = 0; self->status != NULL && i < self->pending->expected->len; i++)
    {
      const Expected *expected = &g_array_index (self->pending->expected, Expected, i);

      if (!is_reflected (expected, self->status, self->pending->lines_since_write))
        {
          g_autofree char *text = describe_setting (expected->key, expected->value, expected->text);

          g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", text);
        }
    }
  if (missing->len == 0)
    g_string_append (missing, self->pending->description);

  finish_pending (self, g_error_new (CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED,
                                     _("Not accepted by the incubator: no status line showed %s within %u s"),
                                     missing->str, CRYO_INCUBATOR_CONFIRM_TIMEOUT_MS / 1000));
  return G_SOURCE_REMOVE;
}

static void send_next_line (CryoIncubator *self);

static void
line_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CryoIncubator *self = CRYO_INCUBATOR (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->pending == NULL)
        return;
      /* A later line lost leaves the earlier ones applied. */
      if (self->pending->n_written > 0)
        {
          g_autoptr(GError) partial = g_error_new (CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED,
                                                   _("Only part of the change reached the incubator: %s"),
                                                   error->message);
          finish_pending (self, g_steal_pointer (&partial));
        }
      else
        finish_pending (self, g_steal_pointer (&error));
      return;
    }

  if (self->pending == NULL)
    return;

  self->pending->writing = FALSE;
  self->pending->n_written++;
  self->pending->lines_since_write = 0;

  /* Not accepted unless a status line shows it within the time. */
  g_clear_handle_id (&self->confirm_source, g_source_remove);
  self->confirm_source = g_timeout_add (CRYO_INCUBATOR_CONFIRM_TIMEOUT_MS, confirm_timeout_cb, self);
}

static void
send_next_line (CryoIncubator *self)
{
  Pending *pending = self->pending;
  GTask *task;

  g_assert (pending != NULL && !pending->writing && pending->lines->len > 0);

  pending->writing = TRUE;
  task = g_task_new (self, self->cancellable, line_written_cb, NULL);
  cryo_device_run_command (CRYO_DEVICE (self), write_func,
                           g_ptr_array_steal_index (pending->lines, 0), g_free, task);
}

/* Encodes @settings (nothing is sent when one is out of range), then
 * writes the first line; each later line follows a status line, so that
 * the controller's 64-byte serial buffer takes one line per loop pass. */
static void
start_change (CryoIncubator             *self,
              const CryoIncuversSetting *settings,
              guint                      n_settings,
              GTask                     *task)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  Pending *pending;

  if (self->pending != NULL)
    {
      g_task_return_new_error (owned, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_BUSY,
                               _("Another change to %s is still waiting for confirmation"),
                               cryo_device_get_name (CRYO_DEVICE (self)));
      return;
    }

  lines = cryo_incuvers_encode_command (settings, n_settings, &error);
  if (lines == NULL)
    {
      g_task_return_new_error (owned, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE,
                               "%s", error->message);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->task = g_steal_pointer (&owned);
  pending->expected = g_array_sized_new (FALSE, TRUE, sizeof (Expected), n_settings);
  g_array_set_clear_func (pending->expected, expected_clear);
  for (guint i = 0; i < n_settings; i++)
    {
      Expected expected = { g_strdup (settings[i].key), settings[i].value, g_strdup (settings[i].text) };
      g_autofree char *text = describe_setting (settings[i].key, settings[i].value, settings[i].text);

      g_array_append_val (pending->expected, expected);
      g_string_append_printf (description, "%s%s", i > 0 ? ", " : "", text);
    }
  pending->lines = g_steal_pointer (&lines);
  pending->description = g_string_free (g_steal_pointer (&description), FALSE);
  self->pending = pending;

  send_next_line (self);
}

static void
update_conditions (CryoIncubator            *self,
                   const CryoIncuversStatus *s)
{
  g_autoptr(GPtrArray) alarms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  /* Seed "Alarms": raised when a maintained value is not reached. */
  if (alarm_raised (&s->heat_alarm))
    g_ptr_array_add (alarms, g_strdup (_("Heat alarm: the chamber temperature is not reaching its set point")));
  if (alarm_raised (&s->co2_alarm))
    g_ptr_array_add (alarms, g_strdup (_("CO₂ alarm: the CO₂ level is not reaching its set point")));
  if (alarm_raised (&s->o2_alarm))
    g_ptr_array_add (alarms, g_strdup (_("O₂ alarm: the O₂ level is not reaching its set point")));

  /* Seed "Alarms": maintain without the sensor ends in an alarm that turns
   * the unit off. */
  if (s->co2_mode == CRYO_INCUVERS_GAS_MAINTAIN && !is_known (s->co2))
    g_ptr_array_add (warnings, g_strdup (_("CO₂ is maintained but the incubator reports no CO₂ sensor: "
                                           "its alarm will turn the unit off")));
  if (s->o2_mode == CRYO_INCUVERS_GAS_MAINTAIN && !is_known (s->o2))
    g_ptr_array_add (warnings, g_strdup (_("O₂ is maintained but the incubator reports no O₂ sensor: "
                                           "its alarm will turn the unit off")));

  g_ptr_array_add (alarms, NULL);
  g_ptr_array_add (warnings, NULL);
  cryo_device_set_alarms (CRYO_DEVICE (self), alarms->len > 1 ? (const char * const *) alarms->pdata : NULL);
  cryo_device_set_warnings (CRYO_DEVICE (self), warnings->len > 1 ? (const char * const *) warnings->pdata : NULL);
}

static gboolean
all_reflected (CryoIncubator *self)
{
  for (guint i = 0; i < self->pending->expected->len; i++)
    if (!is_reflected (&g_array_index (self->pending->expected, Expected, i), self->status,
                       self->pending->lines_since_write))
      return FALSE;
  return TRUE;
}

static void
cryo_incubator_message (CryoDevice *device,
                        gpointer    message)
{
  CryoIncubator *self = CRYO_INCUBATOR (device);
  const CryoIncuversStatus *s = message;
  gint64 now_us = g_get_real_time ();
  const struct { const char *key; double value; } samples[] = {
    { "chamber_temperature", celsius_to_kelvin (s->chamber_temperature) },
    { "door_temperature", celsius_to_kelvin (s->door_temperature) },
    { "temperature_setpoint", celsius_to_kelvin (s->temperature_setpoint) },
    { "co2", percent (s->co2) },
    { "co2_setpoint", percent (s->co2_setpoint) },
    { "o2", percent (s->o2) },
    { "o2_setpoint", percent (s->o2_setpoint) },
    { "heat_mode", number (s->heat_mode) },
    { "co2_mode", number (s->co2_mode) },
    { "o2_mode", number (s->o2_mode) },
    { "fan_mode", number (s->fan_mode) },
    { "light_mode", number (s->light_mode) },
    { "chamber_heater", indicator_value (s->chamber_heater) },
    { "door_heater", indicator_value (s->door_heater) },
    { "heat_alarm", alarm_value (&s->heat_alarm) },
    { "co2_alarm", alarm_value (&s->co2_alarm) },
    { "o2_alarm", alarm_value (&s->o2_alarm) },
  };

  g_clear_pointer (&self->status, cryo_incuvers_status_free);
  self->status = cryo_incuvers_status_copy (s);
  self->status_time_us = now_us;

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    cryo_device_push_sample (device, cryo_device_lookup_channel (device, samples[i].key),
                             now_us, samples[i].value);

  update_conditions (self, s);

  if (self->pending != NULL && !self->pending->writing)
    {
      if (self->pending->lines->len > 0)
        send_next_line (self);
      else
        {
          self->pending->lines_since_write++;
          if (all_reflected (self))
            finish_pending (self, NULL);
        }
    }

  cryo_device_poll_done (device, TRUE, NULL);
}

static gboolean
has_fresh_status (CryoIncubator  *self,
                  char          **reason)
{
  if (self->status_time_us != 0
      && g_get_real_time () - self->status_time_us <= cryo_device_get_max_reading_age (CRYO_DEVICE (self)))
    return TRUE;

  if (reason != NULL)
    *reason = g_strdup (_("No fresh status line from the incubator"));
  return FALSE;
}

static gboolean
cryo_incubator_check_action (CryoDevice  *device,
                             const char  *action,
                             char       **reason)
{
  return has_fresh_status (CRYO_INCUBATOR (device), reason);
}

static gboolean
sensor_absent (int reading)
{
  return !is_known (reading);
}

/* Seed "Modes" and "Alarms": turning maintenance off, and maintaining a
 * gas without its sensor (an alarm that turns the unit off), are
 * confirmed first. */
static char *
cryo_incubator_dup_confirmation (CryoDevice   *device,
                                 const char   *action,
                                 const double *params)
{
  CryoIncubator *self = CRYO_INCUBATOR (device);
  const CryoIncuversStatus *s = self->status;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (!g_str_equal (action, "set-mode"))
    {
      const CryoDeviceAction *entry = cryo_device_lookup_action (device, action);

      return entry->needs_confirmation ? g_strdup (g_dgettext (GETTEXT_PACKAGE, entry->consequence)) : NULL;
    }

  if (s == NULL)
    return NULL;

  if (params[0] == 0 && s->heat_mode != 0)
    g_ptr_array_add (parts, _("Heating stops: the chamber cools towards room temperature."));
  if (params[1] >= 0 && params[1] < CRYO_INCUVERS_GAS_MAINTAIN && s->co2_mode == CRYO_INCUVERS_GAS_MAINTAIN)
    g_ptr_array_add (parts, _("CO₂ is no longer maintained at its set point."));
  if (params[2] >= 0 && params[2] < CRYO_INCUVERS_GAS_MAINTAIN && s->o2_mode == CRYO_INCUVERS_GAS_MAINTAIN)
    g_ptr_array_add (parts, _("O₂ is no longer maintained at its set point."));
  if (params[1] == CRYO_INCUVERS_GAS_MAINTAIN && sensor_absent (s->co2))
    g_ptr_array_add (parts, _("The incubator reports no CO₂ sensor: maintaining CO₂ without one raises an "
                              "alarm that turns the unit off."));
  if (params[2] == CRYO_INCUVERS_GAS_MAINTAIN && sensor_absent (s->o2))
    g_ptr_array_add (parts, _("The incubator reports no O₂ sensor: maintaining O₂ without one raises an "
                              "alarm that turns the unit off."));

  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("\n", (char **) parts->pdata);
}

static void
cryo_incubator_run_action (CryoDevice   *device,
                           const char   *action,
                           const double *params,
                           GTask        *task)
{
  CryoIncubator *self = CRYO_INCUBATOR (device);
  static const char * const mode_keys[] = { "TM", "CM", "OM", "FM" };
  CryoIncuversSetting settings[G_N_ELEMENTS (mode_keys)];
  guint n = 0;

  if (g_str_equal (action, "set-temperature"))
    settings[n++] = (CryoIncuversSetting) { "TP", (int) lround (params[0] * 100.0), NULL };
  else if (g_str_equal (action, "set-co2"))
    settings[n++] = (CryoIncuversSetting) { "CP", (int) lround (params[0] * 100.0), NULL };
  else if (g_str_equal (action, "set-o2"))
    settings[n++] = (CryoIncuversSetting) { "OP", (int) lround (params[0] * 100.0), NULL };
  else if (g_str_equal (action, "set-mode"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (mode_keys); i++)
        if (params[i] >= 0)
          settings[n++] = (CryoIncuversSetting) { mode_keys[i], (int) lround (params[i]), NULL };
      if (n == 0)
        {
          g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER,
                                   _("Give at least one mode to change: heat, co2, o2 or fan"));
          g_object_unref (task);
          return;
        }
    }
  else if (g_str_equal (action, "save-settings"))
    settings[n++] = (CryoIncuversSetting) { "SS", 1, NULL };
  else
    g_assert_not_reached ();

  start_change (self, settings, n, task);
}

static const char *
gas_mode_text (int mode)
{
  switch (mode)
    {
    case CRYO_INCUVERS_GAS_OFF:
      return _("off");
    case CRYO_INCUVERS_GAS_READ:
      return _("read");
    case CRYO_INCUVERS_GAS_MAINTAIN:
      return _("maintain");
    default:
      return _("unknown");
    }
}

/* Seed "Modes": the fan's four running modes. */
static const char *
fan_mode_text (int mode)
{
  static const char * const texts[] = {
    N_("off"), N_("on while heating + 30 s"), N_("on while heating + 60 s"),
    /* xgettext:no-c-format */
    N_("on while heating + 50 % of the time"), N_("always on"),
  };

  return mode >= 0 && mode < (int) G_N_ELEMENTS (texts) ? _(texts[mode]) : _("unknown");
}

static const char *
light_mode_text (int mode)
{
  static const char * const texts[] = { N_("off"), N_("internal timing"), N_("external timing") };

  return mode >= 0 && mode < (int) G_N_ELEMENTS (texts) ? _(texts[mode]) : _("unknown");
}

static const char *
heat_mode_text (int mode)
{
  switch (mode)
    {
    case 0:
      return _("off");
    case 1:
      return _("on");
    default:
      return _("unknown");
    }
}

static char *
cryo_incubator_dup_value_text (CryoDevice  *device,
                               CryoChannel *channel,
                               double       value)
{
  CryoIncubator *self = CRYO_INCUBATOR (device);
  int n = (int) value;

  if (channel == cryo_device_lookup_channel (device, "heat_mode"))
    return g_strdup (heat_mode_text (n));
  if (channel == cryo_device_lookup_channel (device, "fan_mode"))
    return g_strdup (fan_mode_text (n));
  if (channel == cryo_device_lookup_channel (device, "light_mode"))
    return g_strdup (light_mode_text (n));
  if (channel == cryo_device_lookup_channel (device, "chamber_heater")
      || channel == cryo_device_lookup_channel (device, "door_heater"))
    return g_strdup (n == 0 ? _("off") : n == 1 ? _("heating") : _("stepping"));
  if (channel == cryo_device_lookup_channel (device, "co2_mode")
      || channel == cryo_device_lookup_channel (device, "o2_mode"))
    {
      gboolean co2 = channel == cryo_device_lookup_channel (device, "co2_mode");
      int reading = self->status == NULL ? CRYO_INCUVERS_ABSENT : co2 ? self->status->co2 : self->status->o2;

      /* Translators: a gas mode of a unit without that sensor, "maintain (no sensor)" */
      return is_known (reading) ? g_strdup (gas_mode_text (n))
                                : g_strdup_printf (_("%s (no sensor)"), gas_mode_text (n));
    }
  return NULL;
}

/* Short, for large type: the heating, or the change waiting for its
 * confirmation; the modes are readings of their own. */
static char *
cryo_incubator_dup_state_text (CryoDevice *device)
{
  CryoIncubator *self = CRYO_INCUBATOR (device);
  const CryoIncuversStatus *s = self->status;

  if (s == NULL)
    return NULL;

  if (self->pending != NULL)
    /* Translators: a change sent to the incubator, not yet in its status lines */
    return g_strdup_printf (_("Confirming %s"), self->pending->description);

  switch (s->heat_mode)
    {
    case 0:
      return g_strdup (_("Heating off"));
    case 1:
      return g_strdup (_("Heating on"));
    case CRYO_INCUVERS_ABSENT:
      return NULL;
    default:
      return g_strdup_printf (_("Heat mode %d"), s->heat_mode);
    }
}

static void
cryo_incubator_dispose (GObject *object)
{
  CryoIncubator *self = CRYO_INCUBATOR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->pending != NULL)
    finish_pending (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The device was removed before the incubator confirmed the change")));

  G_OBJECT_CLASS (cryo_incubator_parent_class)->dispose (object);
}

static void
cryo_incubator_finalize (GObject *object)
{
  CryoIncubator *self = CRYO_INCUBATOR (object);

  g_clear_pointer (&self->status, cryo_incuvers_status_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cryo_incubator_parent_class)->finalize (object);
}

static void
cryo_incubator_class_init (CryoIncubatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CryoDeviceClass *device_class = CRYO_DEVICE_CLASS (klass);

  object_class->dispose = cryo_incubator_dispose;
  object_class->finalize = cryo_incubator_finalize;

  device_class->message = cryo_incubator_message;
  device_class->check_action = cryo_incubator_check_action;
  device_class->run_action = cryo_incubator_run_action;
  device_class->dup_state_text = cryo_incubator_dup_state_text;
  device_class->dup_confirmation = cryo_incubator_dup_confirmation;
  device_class->dup_value_text = cryo_incubator_dup_value_text;

  cryo_device_class_set_kind (device_class, &cryo_incubator_kind);
}

static void
cryo_incubator_init (CryoIncubator *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * cryo_incubator_get_status:
 * @self: a #CryoIncubator
 *
 * Returns: (transfer none) (nullable): the latest valid status line, %NULL
 *   before the first one
 */
const CryoIncuversStatus *
cryo_incubator_get_status (CryoIncubator *self)
{
  g_return_val_if_fail (CRYO_IS_INCUBATOR (self), NULL);

  return self->status;
}

/**
 * cryo_incubator_is_pending:
 * @self: a #CryoIncubator
 *
 * Returns: whether a change was sent (or is being sent) that no status
 *   line has confirmed yet
 */
gboolean
cryo_incubator_is_pending (CryoIncubator *self)
{
  g_return_val_if_fail (CRYO_IS_INCUBATOR (self), FALSE);

  return self->pending != NULL;
}

static void
apply_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CryoIncubator *self = CRYO_INCUBATOR (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  const char *what = g_task_get_task_data (task);
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      gboolean unconfirmed = g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED);

      text = g_strdup_printf ("%s: %s: %s", what, _("failed"), error->message);
      cryo_device_log_event (CRYO_DEVICE (self), CRYO_EVENT_KIND_ACTION_RESULT,
                             unconfirmed ? CRYO_EVENT_SEVERITY_WARNING : CRYO_EVENT_SEVERITY_ERROR,
                             text);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  text = g_strdup_printf ("%s: %s", what, _("done"));
  cryo_device_log_event (CRYO_DEVICE (self), CRYO_EVENT_KIND_ACTION_RESULT, CRYO_EVENT_SEVERITY_INFO,
                         text);
  g_task_return_boolean (task, TRUE);
}

/**
 * cryo_incubator_apply_async:
 * @self: a #CryoIncubator
 * @settings: (array length=n_settings): what to set, in order (set points
 *   in hundredths, modes, identity strings: #CryoIncuversSetting)
 * @n_settings: how many (≥ 1)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the main thread when the status lines confirm the
 *   change, or when it fails
 * @user_data: data for @callback
 *
 * Sends several settings at once, as command lines of at most the
 * controller's length ("Commands": split when longer), one line per status
 * line, and waits for the status lines to reflect every setting they can
 * show. The outcome goes to the event log. Errors: %CRYO_DEVICE_ERROR_REFUSED
 * without fresh status, %CRYO_DEVICE_ERROR_OUT_OF_RANGE when a setting is
 * out of range (nothing is sent), %CRYO_DEVICE_ERROR_BUSY while another
 * change waits, %CRYO_DEVICE_ERROR_UNCONFIRMED when no status line showed
 * it within %CRYO_INCUBATOR_CONFIRM_TIMEOUT_MS, or the transport's error.
 */
void
cryo_incubator_apply_async (CryoIncubator             *self,
                            const CryoIncuversSetting *settings,
                            guint                      n_settings,
                            GCancellable              *cancellable,
                            GAsyncReadyCallback        callback,
                            gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) what = g_string_new (_("apply"));
  g_autofree char *reason = NULL;

  g_return_if_fail (CRYO_IS_INCUBATOR (self));
  g_return_if_fail (settings != NULL && n_settings > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cryo_incubator_apply_async);
  for (guint i = 0; i < n_settings; i++)
    {
      g_autofree char *text = describe_setting (settings[i].key, settings[i].value, settings[i].text);

      g_string_append_printf (what, "%s%s", i == 0 ? " (" : ", ", text);
    }
  g_string_append_c (what, ')');
  g_task_set_task_data (task, g_string_free (g_steal_pointer (&what), FALSE), g_free);

  cryo_device_log_event (CRYO_DEVICE (self), CRYO_EVENT_KIND_ACTION, CRYO_EVENT_SEVERITY_INFO,
                         g_task_get_task_data (task));

  if (!has_fresh_status (self, &reason))
    {
      g_autofree char *text = g_strdup_printf ("%s: %s: %s", (const char *) g_task_get_task_data (task),
                                               _("refused"), reason);

      cryo_device_log_event (CRYO_DEVICE (self), CRYO_EVENT_KIND_ACTION_RESULT,
                             CRYO_EVENT_SEVERITY_WARNING, text);
      g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED, "%s", reason);
      return;
    }

  start_change (self, settings, n_settings,
                g_task_new (self, cancellable, apply_done_cb, g_steal_pointer (&task)));
}

/**
 * cryo_incubator_apply_finish:
 * @self: a #CryoIncubator
 * @result: the result given to the callback
 * @error: see cryo_incubator_apply_async()
 *
 * Returns: %TRUE when the status lines confirmed the change
 */
gboolean
cryo_incubator_apply_finish (CryoIncubator  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (CRYO_IS_INCUBATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
