/* cryo-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-device"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-device.h"
#include "cryo-devices-enums.h"
#include "cryo-event-log.h"
#include "cryo-protocol-error.h"
#include "cryo-transport.h"

typedef struct
{
  char            *id;
  char            *name;
  char            *model;
  char            *last_error;
  char           **alarms;
  char           **warnings;
  CryoLink        *link;
  GPtrArray       *channels;
  GHashTable      *channels_by_id;

  CryoDeviceState  state;
  guint            poll_interval_ms;
  guint            poll_source;
  guint64          n_polls;
  guint64          n_errors;

  guint            monitoring : 1;
  guint            poll_in_flight : 1;
  guint            action_in_flight : 1;
  guint            polled_since_connect : 1;
  guint            last_poll_complete : 1;
  guint            last_poll_failed : 1;
} CryoDevicePrivate;

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_MODEL,
  PROP_LINK,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_ALARMS,
  PROP_WARNINGS,
  PROP_POLL_INTERVAL,
  PROP_MONITORING,
  PROP_BUSY,
  N_PROPS
};

enum {
  SAMPLE,
  POLLED,
  N_SIGNALS
};

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CryoDevice, cryo_device, G_TYPE_OBJECT)
G_DEFINE_QUARK (cryo-device-error-quark, cryo_device_error)

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static gboolean
set_str (char       **dest,
         const char  *value)
{
  if (g_strcmp0 (*dest, value) == 0)
    return FALSE;

  g_free (*dest);
  *dest = g_strdup (value);
  return TRUE;
}

static void
cryo_device_set_state (CryoDevice      *self,
                       CryoDeviceState  state)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  if (priv->state == state)
    return;

  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

static void
cryo_device_set_last_error (CryoDevice *self,
                            const char *message)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  if (set_str (&priv->last_error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LAST_ERROR]);
}

/* The device state follows the link while the port is not usable, and the
 * outcome of the last poll once it is. */
static void
cryo_device_update_state (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  switch (cryo_link_get_state (priv->link))
    {
    case CRYO_LINK_STATE_STOPPED:
    case CRYO_LINK_STATE_WAITING:
      cryo_device_set_state (self, CRYO_DEVICE_STATE_DISCONNECTED);
      break;

    case CRYO_LINK_STATE_CONNECTING:
      cryo_device_set_state (self, CRYO_DEVICE_STATE_CONNECTING);
      break;

    case CRYO_LINK_STATE_CONNECTED:
      if (!priv->polled_since_connect)
        cryo_device_set_state (self, CRYO_DEVICE_STATE_CONNECTING);
      else if (priv->last_poll_failed)
        cryo_device_set_state (self, CRYO_DEVICE_STATE_ERROR);
      else if (!priv->last_poll_complete)
        cryo_device_set_state (self, CRYO_DEVICE_STATE_STALE);
      else
        cryo_device_set_state (self, CRYO_DEVICE_STATE_ONLINE);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* A gap marker, once, so the plot breaks its line where readings stop. */
static void
cryo_device_mark_gap (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  gint64 now_us = g_get_real_time ();

  for (guint i = 0; i < priv->channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (priv->channels, i);
      CryoSample last;

      if (cryo_history_get_last (cryo_channel_get_history (channel), &last) && !isnan (last.value))
        cryo_device_push_sample (self, channel, now_us, NAN);
    }
}

static void
cryo_device_poll_now (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  if (!priv->monitoring || priv->poll_in_flight)
    return;

  if (cryo_link_get_state (priv->link) != CRYO_LINK_STATE_CONNECTED)
    {
      cryo_device_mark_gap (self);
      return;
    }

  priv->poll_in_flight = TRUE;
  CRYO_DEVICE_GET_CLASS (self)->poll (self);
}

static gboolean
cryo_device_poll_timeout_cb (gpointer user_data)
{
  cryo_device_poll_now (CRYO_DEVICE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
cryo_device_restart_poll_timer (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_clear_handle_id (&priv->poll_source, g_source_remove);

  if (priv->monitoring)
    priv->poll_source = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                            priv->poll_interval_ms,
                                            cryo_device_poll_timeout_cb,
                                            self, NULL);
}

static void
on_link_state_changed_cb (CryoDevice *self,
                          GParamSpec *pspec,
                          CryoLink   *link)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  CryoLinkState state = cryo_link_get_state (link);

  if (state == CRYO_LINK_STATE_CONNECTED)
    {
      priv->polled_since_connect = FALSE;
      if (CRYO_DEVICE_GET_CLASS (self)->connected)
        CRYO_DEVICE_GET_CLASS (self)->connected (self);
      cryo_device_poll_now (self);
    }
  else if (state == CRYO_LINK_STATE_WAITING)
    {
      cryo_device_set_last_error (self, cryo_link_get_last_error (link));
      cryo_device_mark_gap (self);
    }

  cryo_device_update_state (self);
}

static void
cryo_device_constructed (GObject *object)
{
  CryoDevice *self = CRYO_DEVICE (object);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  G_OBJECT_CLASS (cryo_device_parent_class)->constructed (object);

  g_assert (CRYO_IS_LINK (priv->link));

  g_signal_connect_object (priv->link, "notify::state",
                           G_CALLBACK (on_link_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->link, "notify::retry-time",
                           G_CALLBACK (on_link_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
cryo_device_dispose (GObject *object)
{
  CryoDevice *self = CRYO_DEVICE (object);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_clear_handle_id (&priv->poll_source, g_source_remove);

  if (priv->link != NULL)
    {
      cryo_link_stop (priv->link);
      g_clear_object (&priv->link);
    }

  G_OBJECT_CLASS (cryo_device_parent_class)->dispose (object);
}

static void
cryo_device_finalize (GObject *object)
{
  CryoDevice *self = CRYO_DEVICE (object);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_clear_pointer (&priv->id, g_free);
  g_clear_pointer (&priv->name, g_free);
  g_clear_pointer (&priv->model, g_free);
  g_clear_pointer (&priv->last_error, g_free);
  g_clear_pointer (&priv->alarms, g_strfreev);
  g_clear_pointer (&priv->warnings, g_strfreev);
  g_clear_pointer (&priv->channels_by_id, g_hash_table_unref);
  g_clear_pointer (&priv->channels, g_ptr_array_unref);

  G_OBJECT_CLASS (cryo_device_parent_class)->finalize (object);
}

static void
cryo_device_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CryoDevice *self = CRYO_DEVICE (object);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;

    case PROP_MODEL:
      g_value_set_string (value, priv->model);
      break;

    case PROP_LINK:
      g_value_set_object (value, priv->link);
      break;

    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, priv->last_error);
      break;

    case PROP_ALARMS:
      g_value_set_boxed (value, priv->alarms);
      break;

    case PROP_WARNINGS:
      g_value_set_boxed (value, priv->warnings);
      break;

    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, priv->poll_interval_ms);
      break;

    case PROP_MONITORING:
      g_value_set_boolean (value, priv->monitoring);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, priv->action_in_flight);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_device_set_busy (CryoDevice *self,
                      gboolean    busy)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  if (priv->action_in_flight == !!busy)
    return;

  priv->action_in_flight = !!busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
cryo_device_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CryoDevice *self = CRYO_DEVICE (object);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      priv->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;

    case PROP_MODEL:
      cryo_device_set_model (self, g_value_get_string (value));
      break;

    case PROP_LINK:
      priv->link = g_value_dup_object (value);
      break;

    case PROP_POLL_INTERVAL:
      cryo_device_set_poll_interval (self, g_value_get_uint (value));
      break;

    case PROP_MONITORING:
      cryo_device_set_monitoring (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_device_class_init (CryoDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cryo_device_constructed;
  object_class->dispose = cryo_device_dispose;
  object_class->finalize = cryo_device_finalize;
  object_class->get_property = cryo_device_get_property;
  object_class->set_property = cryo_device_set_property;

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LINK] =
    g_param_spec_object ("link", NULL, NULL, CRYO_TYPE_LINK,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CRYO_TYPE_DEVICE_STATE, CRYO_DEVICE_STATE_DISCONNECTED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ALARMS] =
    g_param_spec_boxed ("alarms", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_WARNINGS] =
    g_param_spec_boxed ("warnings", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL,
                       100, 3600 * 1000, 1000,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MONITORING] =
    g_param_spec_boolean ("monitoring", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CryoDevice::sample:
   * @self: the device
   * @channel: the #CryoChannel that received the sample
   * @time_us: wall-clock time of the sample, µs since the epoch
   * @value: the value in the channel's canonical unit, NaN for a gap
   *
   * Emitted in the main thread after the sample was appended to the
   * channel's history.
   */
  signals [SAMPLE] =
    g_signal_new ("sample",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, CRYO_TYPE_CHANNEL, G_TYPE_INT64, G_TYPE_DOUBLE);

  /**
   * CryoDevice::polled:
   * @self: the device
   *
   * Emitted in the main thread when a poll has finished and its samples
   * were pushed, so that interlock states can be evaluated again.
   */
  signals [POLLED] =
    g_signal_new ("polled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cryo_device_init (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  priv->poll_interval_ms = 1000;
  priv->channels = g_ptr_array_new_with_free_func (g_object_unref);
  priv->channels_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  priv->alarms = g_new0 (char *, 1);
  priv->warnings = g_new0 (char *, 1);
}

/**
 * cryo_device_get_id:
 * @self: a #CryoDevice
 *
 * Returns: the device's stable id ("pump"), the prefix of its channel ids
 */
const char *
cryo_device_get_id (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return priv->id;
}

/**
 * cryo_device_get_name:
 * @self: a #CryoDevice
 *
 * Returns: the device's name for people ("Pumping station")
 */
const char *
cryo_device_get_name (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return priv->name;
}

/**
 * cryo_device_get_model:
 * @self: a #CryoDevice
 *
 * Returns: (nullable): the instrument model, as far as known
 */
const char *
cryo_device_get_model (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return priv->model;
}

/**
 * cryo_device_set_model:
 * @self: a #CryoDevice
 * @model: (nullable): the instrument model
 *
 * For subclasses: sets the model shown to the user.
 */
void
cryo_device_set_model (CryoDevice *self,
                       const char *model)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  if (set_str (&priv->model, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODEL]);
}

/**
 * cryo_device_get_state:
 * @self: a #CryoDevice
 *
 * Returns: the connection and data state of the device
 */
CryoDeviceState
cryo_device_get_state (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), CRYO_DEVICE_STATE_DISCONNECTED);

  return priv->state;
}

/**
 * cryo_device_get_last_error:
 * @self: a #CryoDevice
 *
 * Returns: (nullable): the message of the last failure (port, poll or
 *   reply), %NULL after a complete poll
 */
const char *
cryo_device_get_last_error (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return priv->last_error;
}

/**
 * cryo_device_dup_status_text:
 * @self: a #CryoDevice
 *
 * Describes the connection for people: "Connected", "Connecting…",
 * "Reconnecting in 4 s", "Error: …". The reconnect countdown changes every
 * second, so callers showing it refresh it on a timer.
 *
 * Returns: (transfer full): a translated sentence
 */
char *
cryo_device_dup_status_text (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  switch (priv->state)
    {
    case CRYO_DEVICE_STATE_ONLINE:
      return g_strdup (priv->monitoring ? _("Connected") : _("Connected, not monitoring"));

    case CRYO_DEVICE_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));

    case CRYO_DEVICE_STATE_STALE:
      return g_strdup_printf (_("Readings missing: %s"),
                              priv->last_error ? priv->last_error : _("no reply"));

    case CRYO_DEVICE_STATE_ERROR:
      return g_strdup_printf (_("Error: %s"),
                              priv->last_error ? priv->last_error : _("unknown error"));

    case CRYO_DEVICE_STATE_DISCONNECTED:
    default:
      if (cryo_link_get_state (priv->link) == CRYO_LINK_STATE_WAITING)
        {
          gint64 retry = cryo_link_get_retry_time (priv->link);
          gint64 seconds = MAX (0, (retry - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

          if (priv->last_error != NULL)
            return g_strdup_printf (_("Reconnecting in %d s — %s"), (int) seconds, priv->last_error);
          return g_strdup_printf (_("Reconnecting in %d s"), (int) seconds);
        }
      return g_strdup (_("Disconnected"));
    }
}

/* Replaces a list of conditions; the ones that are new go to the event log,
 * so an operator can tell afterwards when each was raised. */
static void
cryo_device_update_conditions (CryoDevice          *self,
                               char              ***conditions,
                               const char * const  *updated,
                               const char          *kind,
                               guint                prop_id)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  static const char * const empty[] = { NULL };

  if (updated == NULL)
    updated = empty;

  if (g_strv_equal ((const char * const *) *conditions, updated))
    return;

  for (guint i = 0; updated[i] != NULL; i++)
    {
      if (!g_strv_contains ((const char * const *) *conditions, updated[i]))
        {
          g_message ("%s: %s: %s", priv->name, kind, updated[i]);
          cryo_event_log_add (cryo_event_log_get_default (), priv->name, kind, updated[i]);
        }
    }

  g_strfreev (*conditions);
  *conditions = g_strdupv ((char **) updated);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

/**
 * cryo_device_dup_state_text:
 * @self: a #CryoDevice
 *
 * The instrument's own state as it reports it: the pumping station's
 * status (window 205), the compressor's operating state.
 *
 * Returns: (transfer full) (nullable): a translated word or two, %NULL when
 *   unknown
 */
char *
cryo_device_dup_state_text (CryoDevice *self)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  if (CRYO_DEVICE_GET_CLASS (self)->dup_state_text == NULL)
    return NULL;

  return CRYO_DEVICE_GET_CLASS (self)->dup_state_text (self);
}

/**
 * cryo_device_get_alarms:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none): the active alarms as translated sentences, an
 *   empty vector when there are none
 */
const char * const *
cryo_device_get_alarms (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return (const char * const *) priv->alarms;
}

/**
 * cryo_device_set_alarms:
 * @self: a #CryoDevice
 * @alarms: (nullable): the active alarms, translated
 *
 * For subclasses. A newly raised alarm is written to the event log.
 */
void
cryo_device_set_alarms (CryoDevice         *self,
                        const char * const *alarms)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  cryo_device_update_conditions (self, &priv->alarms, alarms, _("alarm"), PROP_ALARMS);
}

/**
 * cryo_device_get_warnings:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none): the active warnings (conditions that do not
 *   stop the instrument yet) as translated sentences, an empty vector when
 *   there are none
 */
const char * const *
cryo_device_get_warnings (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return (const char * const *) priv->warnings;
}

/**
 * cryo_device_set_warnings:
 * @self: a #CryoDevice
 * @warnings: (nullable): the active warnings, translated
 *
 * For subclasses. A newly raised warning is written to the event log.
 */
void
cryo_device_set_warnings (CryoDevice         *self,
                          const char * const *warnings)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  cryo_device_update_conditions (self, &priv->warnings, warnings, _("warning"), PROP_WARNINGS);
}

/**
 * cryo_device_get_link:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none): the link that owns the device's transport
 */
CryoLink *
cryo_device_get_link (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return priv->link;
}

/**
 * cryo_device_get_channels:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none) (element-type CryoChannel): the device's channels
 */
GPtrArray *
cryo_device_get_channels (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return priv->channels;
}

/**
 * cryo_device_lookup_channel:
 * @self: a #CryoDevice
 * @id: a channel id such as "pump.pressure"
 *
 * Returns: (transfer none) (nullable): the channel, or %NULL
 */
CryoChannel *
cryo_device_lookup_channel (CryoDevice *self,
                            const char *id)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (priv->channels_by_id, id);
}

/**
 * cryo_device_add_channel:
 * @self: a #CryoDevice
 * @channel: (transfer none): a channel
 *
 * For subclasses, at construction.
 */
void
cryo_device_add_channel (CryoDevice  *self,
                         CryoChannel *channel)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));
  g_return_if_fail (CRYO_IS_CHANNEL (channel));

  g_ptr_array_add (priv->channels, g_object_ref (channel));
  g_hash_table_insert (priv->channels_by_id, (char *) cryo_channel_get_id (channel), channel);
}

/**
 * cryo_device_push_sample:
 * @self: a #CryoDevice
 * @channel: one of the device's channels
 * @time_us: wall-clock time, µs since the epoch
 * @value: the value in the channel's canonical unit, NaN for a gap
 *
 * For subclasses: appends to the channel's history and emits
 * #CryoDevice::sample. Main thread only.
 */
void
cryo_device_push_sample (CryoDevice  *self,
                         CryoChannel *channel,
                         gint64       time_us,
                         double       value)
{
  g_return_if_fail (CRYO_IS_DEVICE (self));
  g_return_if_fail (CRYO_IS_CHANNEL (channel));

  if (cryo_channel_push (channel, time_us, value))
    g_signal_emit (self, signals [SAMPLE], 0, channel, time_us, value);
}

/**
 * cryo_device_count_error:
 * @self: a #CryoDevice
 * @error: what went wrong
 *
 * For subclasses: counts a communication error (bad frame, timeout) that
 * did not end the poll, logs it and makes it the last error.
 */
void
cryo_device_count_error (CryoDevice   *self,
                         const GError *error)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));
  g_return_if_fail (error != NULL);

  priv->n_errors++;
  g_debug ("%s: %s", priv->name, error->message);
  cryo_device_set_last_error (self, error->message);
}

/**
 * cryo_device_poll_done:
 * @self: a #CryoDevice
 * @complete: every reading of the poll arrived
 * @error: (nullable): why the poll failed or was incomplete
 *
 * For subclasses: ends the poll started by the poll vfunc, after its samples
 * were pushed. Emits #CryoDevice::polled.
 */
void
cryo_device_poll_done (CryoDevice   *self,
                       gboolean      complete,
                       const GError *error)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  priv->poll_in_flight = FALSE;
  priv->n_polls++;

  /* A cancelled poll (monitoring stopped, device going away) says nothing
   * about the instrument. */
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL && g_error_matches (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED))
    {
      /* The link goes to back-off and tells us through notify::state. */
      cryo_device_mark_gap (self);
      cryo_device_set_last_error (self, error->message);
      cryo_device_update_state (self);
      g_signal_emit (self, signals [POLLED], 0);
      return;
    }

  priv->polled_since_connect = TRUE;
  priv->last_poll_complete = complete;
  priv->last_poll_failed = (error != NULL &&
                            error->domain == CRYO_PROTOCOL_ERROR &&
                            error->code >= CRYO_PROTOCOL_ERROR_NACK);

  if (error != NULL)
    cryo_device_count_error (self, error);
  else if (complete)
    cryo_device_set_last_error (self, NULL);

  cryo_device_update_state (self);
  g_signal_emit (self, signals [POLLED], 0);
}

/**
 * cryo_device_get_poll_interval:
 * @self: a #CryoDevice
 *
 * Returns: the poll interval in milliseconds
 */
guint
cryo_device_get_poll_interval (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), 0);

  return priv->poll_interval_ms;
}

/**
 * cryo_device_set_poll_interval:
 * @self: a #CryoDevice
 * @poll_interval_ms: milliseconds between polls, 100 or more
 *
 * Sets how often the device is polled. Readings older than three intervals
 * count as stale for the interlocks.
 */
void
cryo_device_set_poll_interval (CryoDevice *self,
                               guint       poll_interval_ms)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  poll_interval_ms = MAX (poll_interval_ms, 100);

  if (priv->poll_interval_ms == poll_interval_ms)
    return;

  priv->poll_interval_ms = poll_interval_ms;
  cryo_device_restart_poll_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_POLL_INTERVAL]);
}

/**
 * cryo_device_get_max_reading_age:
 * @self: a #CryoDevice
 *
 * Returns: the age in µs beyond which a reading is stale: three poll
 *   intervals (DESIGN.md "Interlocks")
 */
gint64
cryo_device_get_max_reading_age (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), 0);

  return 3 * (gint64) priv->poll_interval_ms * 1000;
}

/**
 * cryo_device_get_monitoring:
 * @self: a #CryoDevice
 *
 * Returns: whether the device is being polled
 */
gboolean
cryo_device_get_monitoring (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), FALSE);

  return priv->monitoring;
}

/**
 * cryo_device_set_monitoring:
 * @self: a #CryoDevice
 * @monitoring: whether to poll the device
 *
 * Starts or stops polling. The first start opens the port on the link's
 * worker thread; stopping keeps the port open so that monitoring resumes
 * at once, and leaves a gap in the history.
 */
void
cryo_device_set_monitoring (CryoDevice *self,
                            gboolean    monitoring)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  monitoring = !!monitoring;

  if (priv->monitoring == monitoring)
    return;

  priv->monitoring = monitoring;

  if (monitoring)
    {
      if (cryo_link_get_state (priv->link) == CRYO_LINK_STATE_STOPPED)
        cryo_link_start (priv->link);
      else
        cryo_device_poll_now (self);
    }
  else
    {
      cryo_device_mark_gap (self);
    }

  cryo_device_restart_poll_timer (self);
  cryo_device_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MONITORING]);
}

/**
 * cryo_device_get_n_polls:
 * @self: a #CryoDevice
 *
 * Returns: how many polls have finished
 */
guint64
cryo_device_get_n_polls (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), 0);

  return priv->n_polls;
}

/**
 * cryo_device_get_n_errors:
 * @self: a #CryoDevice
 *
 * Returns: how many communication errors (timeouts, garbled or refused
 *   replies) were counted
 */
guint64
cryo_device_get_n_errors (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), 0);

  return priv->n_errors;
}

/**
 * cryo_device_get_actions:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none): the device's actions, ended by an entry whose
 *   name is %NULL
 */
const CryoDeviceAction *
cryo_device_get_actions (CryoDevice *self)
{
  static const CryoDeviceAction none[] = { { NULL } };

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  if (CRYO_DEVICE_GET_CLASS (self)->get_actions == NULL)
    return none;

  return CRYO_DEVICE_GET_CLASS (self)->get_actions (self);
}

/**
 * cryo_device_lookup_action:
 * @self: a #CryoDevice
 * @action: an action name ("start")
 *
 * Returns: (transfer none) (nullable): the action, or %NULL
 */
const CryoDeviceAction *
cryo_device_lookup_action (CryoDevice *self,
                           const char *action)
{
  const CryoDeviceAction *actions;

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  actions = cryo_device_get_actions (self);
  for (guint i = 0; actions[i].name != NULL; i++)
    {
      if (g_str_equal (actions[i].name, action))
        return &actions[i];
    }

  return NULL;
}

/**
 * cryo_device_check_action:
 * @self: a #CryoDevice
 * @action: an action name
 * @reason: (out) (optional) (transfer full): why it is refused
 *
 * Evaluates the action's interlock against the latest readings and their
 * ages, now. The worker checks again against fresh readings right before
 * it sends anything.
 *
 * Returns: %TRUE when the action is allowed now
 */
gboolean
cryo_device_check_action (CryoDevice  *self,
                          const char  *action,
                          char       **reason)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (reason != NULL)
    *reason = NULL;

  if (cryo_device_lookup_action (self, action) == NULL)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("%s has no action “%s”"), priv->name, action);
      return FALSE;
    }

  if (priv->action_in_flight)
    {
      if (reason != NULL)
        *reason = g_strdup (_("Another command is still running"));
      return FALSE;
    }

  if (CRYO_DEVICE_GET_CLASS (self)->check_action == NULL)
    return TRUE;

  return CRYO_DEVICE_GET_CLASS (self)->check_action (self, action, reason);
}

static void
cryo_device_action_done_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  CryoDevice *self = CRYO_DEVICE (object);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  const char *action = g_task_get_task_data (task);

  cryo_device_set_busy (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      const char *what = g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED)
                         ? _("refused") : _("failed");
      g_autofree char *text = g_strdup_printf ("%s: %s", what, error->message);

      cryo_event_log_add (cryo_event_log_get_default (), priv->name, action, text);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      cryo_event_log_add (cryo_event_log_get_default (), priv->name, action, _("done"));
      g_task_return_boolean (task, TRUE);
    }

  /* The next poll confirms what the instrument did. */
  cryo_device_poll_now (self);
}

/**
 * cryo_device_run_action_async:
 * @self: a #CryoDevice
 * @action: an action name ("start", "stop")
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the main thread when the action has finished
 * @user_data: data for @callback
 *
 * Runs a control action: the interlock is checked against the latest
 * readings, then the command is queued on the link ahead of polls, where
 * the subclass reads the deciding values again and sends only if the
 * interlock still holds. Every outcome is written to the event log.
 * Confirmation is the caller's business (see
 * #CryoDeviceAction.needs_confirmation).
 */
void
cryo_device_run_action_async (CryoDevice          *self,
                              const char          *action,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autofree char *reason = NULL;

  g_return_if_fail (CRYO_IS_DEVICE (self));
  g_return_if_fail (action != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cryo_device_run_action_async);
  g_task_set_task_data (task, g_strdup (action), g_free);

  if (cryo_device_lookup_action (self, action) == NULL)
    {
      g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNKNOWN_ACTION,
                               _("%s has no action “%s”"), priv->name, action);
      return;
    }

  if (priv->action_in_flight)
    {
      g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_BUSY,
                               _("Another command to %s is still running"), priv->name);
      return;
    }

  if (!cryo_device_check_action (self, action, &reason))
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", _("refused"), reason);

      cryo_event_log_add (cryo_event_log_get_default (), priv->name, action, text);
      g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED, "%s", reason);
      return;
    }

  cryo_device_set_busy (self, TRUE);

  inner = g_task_new (self, cancellable, cryo_device_action_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (inner, g_strdup (action), g_free);
  CRYO_DEVICE_GET_CLASS (self)->run_action (self, action, g_steal_pointer (&inner));
}

/**
 * cryo_device_run_action_finish:
 * @self: a #CryoDevice
 * @result: the #GAsyncResult
 * @error: a location for a #GError: %CRYO_DEVICE_ERROR_REFUSED with the
 *   interlock's reason, %CRYO_DEVICE_ERROR_BUSY, a %CRYO_PROTOCOL_ERROR
 *   (NACK, refused by the instrument), a %CRYO_TRANSPORT_ERROR
 *
 * Returns: %TRUE when the instrument accepted the command
 */
gboolean
cryo_device_run_action_finish (CryoDevice    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
