/* cryo-condition.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-condition"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-condition.h"

/**
 * CryoCondition:
 *
 * One active condition of a device (issue 12 §1): an alarm or warning the
 * instrument reports, one of Cryomon's own (no connection, readings
 * missing) or a user threshold crossed. It has a raise time, a clear time
 * once it is over, and who acknowledged it when. Its key names it within
 * its device and stays the same from one raise to the next ("alarm:…",
 * "connection", "threshold:pressure"). #CryoConditionSet makes and
 * changes conditions; everything else only reads them. Main thread.
 */
struct _CryoCondition
{
  GObject            parent_instance;

  char              *device_id;
  char              *device_name;
  char              *key;
  char              *text;
  CryoEventSeverity  severity;
  gint64             raised_us;
  gint64             cleared_us;
  char              *acknowledged_by;
  gint64             acknowledged_us;
};

enum {
  PROP_0,
  PROP_DEVICE_ID,
  PROP_DEVICE_NAME,
  PROP_KEY,
  PROP_SEVERITY,
  PROP_TEXT,
  PROP_RAISED_US,
  PROP_CLEARED_US,
  PROP_ACTIVE,
  PROP_ACKNOWLEDGED_BY,
  PROP_ACKNOWLEDGED_US,
  PROP_ACKNOWLEDGED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (CryoCondition, cryo_condition, G_TYPE_OBJECT)

static void
cryo_condition_finalize (GObject *object)
{
  CryoCondition *self = (CryoCondition *) object;

  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->acknowledged_by, g_free);

  G_OBJECT_CLASS (cryo_condition_parent_class)->finalize (object);
}

static void
cryo_condition_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CryoCondition *self = CRYO_CONDITION (object);

  switch (prop_id)
    {
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;

    case PROP_DEVICE_NAME:
      g_value_set_string (value, self->device_name);
      break;

    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_SEVERITY:
      g_value_set_int (value, self->severity);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_RAISED_US:
      g_value_set_int64 (value, self->raised_us);
      break;

    case PROP_CLEARED_US:
      g_value_set_int64 (value, self->cleared_us);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, cryo_condition_get_active (self));
      break;

    case PROP_ACKNOWLEDGED_BY:
      g_value_set_string (value, self->acknowledged_by);
      break;

    case PROP_ACKNOWLEDGED_US:
      g_value_set_int64 (value, self->acknowledged_us);
      break;

    case PROP_ACKNOWLEDGED:
      g_value_set_boolean (value, cryo_condition_get_acknowledged (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_condition_class_init (CryoConditionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cryo_condition_finalize;
  object_class->get_property = cryo_condition_get_property;

  properties [PROP_DEVICE_ID] = g_param_spec_string ("device-id", NULL, NULL, NULL, flags);
  properties [PROP_DEVICE_NAME] = g_param_spec_string ("device-name", NULL, NULL, NULL, flags);
  properties [PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  /* A CryoEventSeverity; the event model registers no enum type. */
  properties [PROP_SEVERITY] =
    g_param_spec_int ("severity", NULL, NULL, 0, CRYO_N_EVENT_SEVERITIES - 1, 0, flags);
  properties [PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties [PROP_RAISED_US] =
    g_param_spec_int64 ("raised-us", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_CLEARED_US] =
    g_param_spec_int64 ("cleared-us", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, TRUE, flags);
  properties [PROP_ACKNOWLEDGED_BY] = g_param_spec_string ("acknowledged-by", NULL, NULL, NULL, flags);
  properties [PROP_ACKNOWLEDGED_US] =
    g_param_spec_int64 ("acknowledged-us", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_ACKNOWLEDGED] = g_param_spec_boolean ("acknowledged", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cryo_condition_init (CryoCondition *self)
{
}

/**
 * cryo_condition_new:
 * @device_id: the device's stable id
 * @device_name: the device's name when the condition was raised
 * @key: names the condition within its device, the same on every raise
 * @severity: warning, alarm or error
 * @text: what the condition is, translated ("Turbo overtemperature")
 * @raised_us: when it was raised, µs since the epoch
 *
 * Returns: (transfer full): an active, unacknowledged condition
 */
CryoCondition *
cryo_condition_new (const char        *device_id,
                    const char        *device_name,
                    const char        *key,
                    CryoEventSeverity  severity,
                    const char        *text,
                    gint64             raised_us)
{
  CryoCondition *self;

  g_return_val_if_fail (device_id != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (CRYO_TYPE_CONDITION, NULL);
  self->device_id = g_strdup (device_id);
  self->device_name = g_strdup (device_name != NULL ? device_name : device_id);
  self->key = g_strdup (key);
  self->severity = severity;
  self->text = g_strdup (text);
  self->raised_us = raised_us;

  return self;
}

/**
 * cryo_condition_get_device_id:
 * @self: a #CryoCondition
 *
 * Returns: the id of the device the condition is about
 */
const char *
cryo_condition_get_device_id (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), NULL);

  return self->device_id;
}

/**
 * cryo_condition_get_device_name:
 * @self: a #CryoCondition
 *
 * Returns: the device's name when the condition was raised
 */
const char *
cryo_condition_get_device_name (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), NULL);

  return self->device_name;
}

/**
 * cryo_condition_get_key:
 * @self: a #CryoCondition
 *
 * Returns: what names the condition within its device
 */
const char *
cryo_condition_get_key (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), NULL);

  return self->key;
}

/**
 * cryo_condition_get_severity:
 * @self: a #CryoCondition
 *
 * Returns: how much the condition matters
 */
CryoEventSeverity
cryo_condition_get_severity (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), CRYO_EVENT_SEVERITY_INFO);

  return self->severity;
}

/**
 * cryo_condition_get_text:
 * @self: a #CryoCondition
 *
 * Returns: what the condition is, translated
 */
const char *
cryo_condition_get_text (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), NULL);

  return self->text;
}

/**
 * cryo_condition_get_raised_us:
 * @self: a #CryoCondition
 *
 * Returns: when the condition was raised, µs since the epoch
 */
gint64
cryo_condition_get_raised_us (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), 0);

  return self->raised_us;
}

/**
 * cryo_condition_get_cleared_us:
 * @self: a #CryoCondition
 *
 * Returns: when the condition cleared, µs since the epoch; 0 while active
 */
gint64
cryo_condition_get_cleared_us (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), 0);

  return self->cleared_us;
}

/**
 * cryo_condition_get_active:
 * @self: a #CryoCondition
 *
 * Returns: whether the condition has not cleared
 */
gboolean
cryo_condition_get_active (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), FALSE);

  return self->cleared_us == 0;
}

/**
 * cryo_condition_get_acknowledged_by:
 * @self: a #CryoCondition
 *
 * Returns: (nullable): the login name of who acknowledged the condition
 */
const char *
cryo_condition_get_acknowledged_by (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), NULL);

  return self->acknowledged_by;
}

/**
 * cryo_condition_get_acknowledged_us:
 * @self: a #CryoCondition
 *
 * Returns: when the condition was acknowledged, µs since the epoch; 0 if not
 */
gint64
cryo_condition_get_acknowledged_us (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), 0);

  return self->acknowledged_us;
}

/**
 * cryo_condition_get_acknowledged:
 * @self: a #CryoCondition
 *
 * Returns: whether someone acknowledged the condition
 */
gboolean
cryo_condition_get_acknowledged (CryoCondition *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION (self), FALSE);

  return self->acknowledged_by != NULL;
}

/**
 * cryo_condition_set_cleared:
 * @self: an active #CryoCondition
 * @cleared_us: when it cleared, µs since the epoch, not 0
 *
 * For #CryoConditionSet: marks the condition as over.
 */
void
cryo_condition_set_cleared (CryoCondition *self,
                            gint64         cleared_us)
{
  g_return_if_fail (CRYO_IS_CONDITION (self));
  g_return_if_fail (cleared_us > 0);

  if (self->cleared_us == cleared_us)
    return;

  self->cleared_us = cleared_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLEARED_US]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ACTIVE]);
}

/**
 * cryo_condition_set_acknowledged:
 * @self: a #CryoCondition
 * @user: the login name of who acknowledged it
 * @acknowledged_us: when, µs since the epoch
 *
 * For #CryoConditionSet: records the acknowledgement. A condition already
 * acknowledged keeps its first one.
 */
void
cryo_condition_set_acknowledged (CryoCondition *self,
                                 const char    *user,
                                 gint64         acknowledged_us)
{
  g_return_if_fail (CRYO_IS_CONDITION (self));
  g_return_if_fail (user != NULL);

  if (self->acknowledged_by != NULL)
    return;

  self->acknowledged_by = g_strdup (user);
  self->acknowledged_us = acknowledged_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ACKNOWLEDGED_BY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ACKNOWLEDGED_US]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ACKNOWLEDGED]);
}
