/* cryo-channel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-channel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-channel.h"

/**
 * CryoChannel:
 *
 * One measured quantity of one instrument: a stable id (`pump.pressure`), a
 * translated label, the column name used in CSV exports, the quantity and
 * its canonical unit, the preferred plot scale, the instrument's resolution
 * in significant digits, and the history of its samples.
 *
 * All properties but the device name are construct-only. A channel is used
 * from the main thread.
 */
struct _CryoChannel
{
  GObject       parent_instance;

  char         *id;
  char         *label;
  char         *csv_name;
  CryoQuantity  quantity;
  CryoScale     scale;
  guint         digits;
  gsize         history_capacity;

  char         *device_name;
  const CryoPhaseLabel *phases;

  CryoHistory  *history;
  CryoReading   reading;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_LABEL,
  PROP_CSV_NAME,
  PROP_QUANTITY,
  PROP_UNIT,
  PROP_SCALE,
  PROP_DIGITS,
  PROP_HISTORY_CAPACITY,
  PROP_DEVICE_NAME,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (CryoChannel, cryo_channel, G_TYPE_OBJECT)

#define DEFAULT_HISTORY_CAPACITY 4096
#define MAX_DIGITS               17

GType
cryo_scale_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { CRYO_SCALE_LINEAR, "CRYO_SCALE_LINEAR", "linear" },
        { CRYO_SCALE_LOG, "CRYO_SCALE_LOG", "log" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("CryoScale"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

static void
cryo_channel_constructed (GObject *object)
{
  CryoChannel *self = (CryoChannel *)object;

  G_OBJECT_CLASS (cryo_channel_parent_class)->constructed (object);

  self->history = cryo_history_new (self->history_capacity);
}

static void
cryo_channel_finalize (GObject *object)
{
  CryoChannel *self = (CryoChannel *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->csv_name, g_free);
  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->history, cryo_history_free);

  G_OBJECT_CLASS (cryo_channel_parent_class)->finalize (object);
}

static void
cryo_channel_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CryoChannel *self = CRYO_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_CSV_NAME:
      g_value_set_string (value, self->csv_name);
      break;

    case PROP_DEVICE_NAME:
      g_value_set_string (value, self->device_name);
      break;

    case PROP_QUANTITY:
      g_value_set_enum (value, self->quantity);
      break;

    case PROP_UNIT:
      g_value_set_enum (value, cryo_channel_get_unit (self));
      break;

    case PROP_SCALE:
      g_value_set_enum (value, self->scale);
      break;

    case PROP_DIGITS:
      g_value_set_uint (value, self->digits);
      break;

    case PROP_HISTORY_CAPACITY:
      g_value_set_uint64 (value, self->history_capacity);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_channel_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CryoChannel *self = CRYO_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_LABEL:
      self->label = g_value_dup_string (value);
      break;

    case PROP_CSV_NAME:
      self->csv_name = g_value_dup_string (value);
      break;

    case PROP_QUANTITY:
      self->quantity = g_value_get_enum (value);
      break;

    case PROP_SCALE:
      self->scale = g_value_get_enum (value);
      break;

    case PROP_DIGITS:
      self->digits = g_value_get_uint (value);
      break;

    case PROP_HISTORY_CAPACITY:
      self->history_capacity = g_value_get_uint64 (value);
      break;

    case PROP_DEVICE_NAME:
      cryo_channel_set_device_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_channel_class_init (CryoChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cryo_channel_constructed;
  object_class->finalize = cryo_channel_finalize;
  object_class->get_property = cryo_channel_get_property;
  object_class->set_property = cryo_channel_set_property;

  /**
   * CryoChannel:id:
   *
   * Stable identifier, "<device>.<reading>" (`pump.pressure`); used in
   * settings and never translated.
   */
  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoChannel:label:
   *
   * Translated, human-readable name ("Chamber pressure").
   */
  properties [PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoChannel:csv-name:
   *
   * Column name in CSV exports ("pressure"); not translated, so files
   * read the same in every locale.
   */
  properties [PROP_CSV_NAME] =
    g_param_spec_string ("csv-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoChannel:quantity:
   *
   * What the channel measures; fixes #CryoChannel:unit.
   */
  properties [PROP_QUANTITY] =
    g_param_spec_enum ("quantity", NULL, NULL,
                       CRYO_TYPE_QUANTITY,
                       CRYO_QUANTITY_NONE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoChannel:unit:
   *
   * The canonical unit of #CryoChannel:quantity, the unit of every value
   * pushed and stored.
   */
  properties [PROP_UNIT] =
    g_param_spec_enum ("unit", NULL, NULL,
                       CRYO_TYPE_UNIT,
                       CRYO_UNIT_NONE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CryoChannel:scale:
   *
   * Preferred plot axis: log for vacuum pressure, linear otherwise.
   */
  properties [PROP_SCALE] =
    g_param_spec_enum ("scale", NULL, NULL,
                       CRYO_TYPE_SCALE,
                       CRYO_SCALE_LINEAR,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoChannel:digits:
   *
   * Significant digits the instrument resolves, 1..17; exports and
   * displays keep this many.
   */
  properties [PROP_DIGITS] =
    g_param_spec_uint ("digits", NULL, NULL,
                       1, MAX_DIGITS, 3,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoChannel:history-capacity:
   *
   * How many raw samples the channel's history keeps.
   */
  properties [PROP_HISTORY_CAPACITY] =
    g_param_spec_uint64 ("history-capacity", NULL, NULL,
                         1, G_MAXSIZE, DEFAULT_HISTORY_CAPACITY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoChannel:device-name:
   *
   * The user-visible name of the device the channel belongs to ("Pumping
   * station 2"), for legends, hover readouts and exports that span devices.
   */
  properties [PROP_DEVICE_NAME] =
    g_param_spec_string ("device-name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cryo_channel_init (CryoChannel *self)
{
  self->reading.value = NAN;
  self->reading.time_us = 0;
}

/**
 * cryo_channel_new:
 * @id: stable identifier (`pump.pressure`)
 * @label: translated label
 * @csv_name: CSV column name, ASCII without commas ("pressure")
 * @quantity: what the channel measures
 * @scale: preferred plot scale
 * @digits: significant digits the instrument resolves, 1..17
 * @history_capacity: raw samples the history keeps, at least 1
 *
 * Creates a channel whose unit is the canonical unit of @quantity and whose
 * history holds up to @history_capacity samples.
 *
 * Returns: (transfer full): a new #CryoChannel
 */
CryoChannel *
cryo_channel_new (const char   *id,
                  const char   *label,
                  const char   *csv_name,
                  CryoQuantity  quantity,
                  CryoScale     scale,
                  guint         digits,
                  gsize         history_capacity)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (digits >= 1 && digits <= MAX_DIGITS, NULL);
  g_return_val_if_fail (history_capacity > 0, NULL);

  return g_object_new (CRYO_TYPE_CHANNEL,
                       "id", id,
                       "label", label,
                       "csv-name", csv_name,
                       "quantity", quantity,
                       "scale", scale,
                       "digits", digits,
                       "history-capacity", (guint64) history_capacity,
                       NULL);
}

/**
 * cryo_channel_get_id:
 * @self: a #CryoChannel
 *
 * Returns: (transfer none): the stable identifier
 */
const char *
cryo_channel_get_id (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), NULL);

  return self->id;
}

/**
 * cryo_channel_get_label:
 * @self: a #CryoChannel
 *
 * Returns: (transfer none) (nullable): the translated label
 */
const char *
cryo_channel_get_label (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), NULL);

  return self->label;
}

/**
 * cryo_channel_get_csv_name:
 * @self: a #CryoChannel
 *
 * Returns: (transfer none) (nullable): the CSV column name
 */
const char *
cryo_channel_get_csv_name (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), NULL);

  return self->csv_name;
}

/**
 * cryo_channel_get_quantity:
 * @self: a #CryoChannel
 *
 * Returns: what the channel measures
 */
CryoQuantity
cryo_channel_get_quantity (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), CRYO_QUANTITY_NONE);

  return self->quantity;
}

/**
 * cryo_channel_get_unit:
 * @self: a #CryoChannel
 *
 * Returns: the canonical unit of the channel's quantity, the unit of its
 *   samples
 */
CryoUnit
cryo_channel_get_unit (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), CRYO_UNIT_NONE);

  return cryo_quantity_get_canonical_unit (self->quantity);
}

/**
 * cryo_channel_get_scale:
 * @self: a #CryoChannel
 *
 * Returns: the preferred plot scale
 */
CryoScale
cryo_channel_get_scale (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), CRYO_SCALE_LINEAR);

  return self->scale;
}

/**
 * cryo_channel_get_digits:
 * @self: a #CryoChannel
 *
 * Returns: significant digits the instrument resolves
 */
guint
cryo_channel_get_digits (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), 0);

  return self->digits;
}

/**
 * cryo_channel_get_history:
 * @self: a #CryoChannel
 *
 * Returns: (transfer none): the channel's history, owned by @self
 */
CryoHistory *
cryo_channel_get_history (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), NULL);

  return self->history;
}

/**
 * cryo_channel_push:
 * @self: a #CryoChannel
 * @time_us: wall-clock time of the sample, µs since the Unix epoch
 * @value: the value in the channel's unit, NaN for a gap
 *
 * Appends a sample to the history. When the history accepts it, the
 * channel's reading becomes @value at @time_us if @value is finite, or
 * unknown ({NaN, @time_us}) if it is NaN or infinite.
 *
 * Main thread.
 *
 * Returns: %FALSE when the history refused the sample (time going
 *   backwards); the reading is then unchanged
 */
gboolean
cryo_channel_push (CryoChannel *self,
                   gint64       time_us,
                   double       value)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), FALSE);

  if (!cryo_history_append (self->history, time_us, value))
    return FALSE;

  self->reading.value = isfinite (value) ? value : NAN;
  self->reading.time_us = time_us;

  return TRUE;
}

/**
 * cryo_channel_get_reading:
 * @self: a #CryoChannel
 *
 * The last accepted reading, for interlocks and panels.
 *
 * Returns: {value, time} of the last finite value pushed; {NaN, 0} when
 *   nothing was pushed; {NaN, time of the gap} when the last push was a gap
 */
CryoReading
cryo_channel_get_reading (CryoChannel *self)
{
  CryoReading unknown = CRYO_READING_INIT;

  g_return_val_if_fail (CRYO_IS_CHANNEL (self), unknown);

  return self->reading;
}

/**
 * cryo_channel_get_device_name:
 * @self: a #CryoChannel
 *
 * Returns: (nullable): the name of the device the channel belongs to
 */
const char *
cryo_channel_get_device_name (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), NULL);

  return self->device_name;
}

/**
 * cryo_channel_set_device_name:
 * @self: a #CryoChannel
 * @device_name: (nullable): the name of its device
 *
 * Set by the device when it is created or renamed.
 */
void
cryo_channel_set_device_name (CryoChannel *self,
                              const char  *device_name)
{
  g_return_if_fail (CRYO_IS_CHANNEL (self));

  if (g_strcmp0 (self->device_name, device_name) == 0)
    return;

  g_free (self->device_name);
  self->device_name = g_strdup (device_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEVICE_NAME]);
}

/**
 * cryo_channel_dup_device_csv_name:
 * @self: a #CryoChannel
 *
 * The column name of the channel in an export that spans devices:
 * `<device id>_<csv name>`, where the device id is the part of the
 * channel id before its last dot ("pumping_station_2.pressure" gives
 * "pumping_station_2_pressure"). A channel id without a dot gives the
 * plain CSV name.
 *
 * Returns: (transfer full): the column name
 */
char *
cryo_channel_dup_device_csv_name (CryoChannel *self)
{
  const char *dot;

  g_return_val_if_fail (CRYO_IS_CHANNEL (self), NULL);

  dot = strrchr (self->id, '.');
  if (dot == NULL)
    return g_strdup (self->csv_name);

  return g_strdup_printf ("%.*s_%s", (int) (dot - self->id), self->id, self->csv_name);
}

/**
 * cryo_channel_get_phases:
 * @self: a channel
 *
 * Returns: (transfer none) (nullable): the phases its samples name, as set
 *   with cryo_channel_set_phases(), or %NULL for an ordinary reading
 */
const CryoPhaseLabel *
cryo_channel_get_phases (CryoChannel *self)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), NULL);

  return self->phases;
}

/**
 * cryo_channel_set_phases:
 * @self: a channel whose samples are phase codes
 * @phases: (nullable): a static table of its phases, ended by an entry
 *   whose label is %NULL; it must outlive the channel. Codes absent from it
 *   (idle, shut down) are no phase.
 *
 * Marks @self as the phase of a procedure: the trend draws its phases as
 * labelled bands behind the traces (DESIGN.md "UI").
 */
void
cryo_channel_set_phases (CryoChannel          *self,
                         const CryoPhaseLabel *phases)
{
  g_return_if_fail (CRYO_IS_CHANNEL (self));

  self->phases = phases;
}

/**
 * cryo_channel_lookup_phase:
 * @self: a channel
 * @value: a sample value
 *
 * Returns: (transfer none) (nullable): the untranslated name of the phase
 *   @value codes, or %NULL when it names none (not a whole number, NaN,
 *   not in the table, or @self has no phases)
 */
const char *
cryo_channel_lookup_phase (CryoChannel *self,
                           double       value)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (self), NULL);

  if (self->phases == NULL || !isfinite (value) || value != floor (value)
      || value < G_MININT || value > G_MAXINT)
    return NULL;

  for (guint i = 0; self->phases[i].label != NULL; i++)
    if (self->phases[i].value == (int) value)
      return self->phases[i].label;

  return NULL;
}
