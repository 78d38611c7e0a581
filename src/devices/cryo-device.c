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
#include "cryo-modbus-transport.h"
#include "cryo-protocol-error.h"
#include "cryo-serial-transport.h"
#include "cryo-socket-transport.h"
#include "cryo-transport.h"

typedef struct
{
  CryoDeviceConfig *config;
  char            *id;
  char            *name;
  char            *model;
  char            *last_error;
  char           **alarms;
  char           **warnings;          /* published: the instrument's, then maintenance */
  char           **instrument_warnings;
  char           **service_warnings;
  CryoServiceTracker *service_tracker;
  CryoLink        *link;
  GPtrArray       *channels;
  GHashTable      *channels_by_key;

  CryoDeviceState  state;
  guint            poll_interval_ms;
  guint            poll_source;
  guint64          n_polls;
  guint64          n_errors;
  /* [action index * CRYO_N_ACTION_OUTCOMES + outcome], in the order of
   * the kind's action table */
  guint64         *n_action_outcomes;
  guint            n_actions;

  guint            monitoring : 1;
  guint            connection_lost : 1;
  guint            poll_in_flight : 1;
  guint            poll_due : 1;
  guint            action_in_flight : 1;
  guint            polled_since_connect : 1;
  guint            last_poll_complete : 1;
  guint            last_poll_failed : 1;
} CryoDevicePrivate;

enum {
  PROP_0,
  PROP_CONFIG,
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
  ACTION_FINISHED,
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

  gboolean was_connected;

  if (priv->state == state)
    return;

  /* A connection counts as lost when a device that answered is cut off
   * (port gone) or stops answering (polls fail), and as restored when it
   * answers again; connecting at start is neither. */
  was_connected = priv->state == CRYO_DEVICE_STATE_ONLINE || priv->state == CRYO_DEVICE_STATE_STALE;
  priv->state = state;

  if (was_connected && priv->monitoring && !priv->connection_lost &&
      (state == CRYO_DEVICE_STATE_DISCONNECTED || state == CRYO_DEVICE_STATE_ERROR))
    {
      g_autofree char *text = NULL;

      priv->connection_lost = TRUE;
      if (priv->last_error != NULL)
        text = g_strdup_printf (_("Connection lost: %s"), priv->last_error);
      cryo_device_log_event (self, CRYO_EVENT_KIND_CONNECTION_LOST, CRYO_EVENT_SEVERITY_ERROR,
                             text != NULL ? text : _("Connection lost"));
    }
  else if (state == CRYO_DEVICE_STATE_ONLINE && priv->connection_lost)
    {
      priv->connection_lost = FALSE;
      cryo_device_log_event (self, CRYO_EVENT_KIND_CONNECTION_RESTORED, CRYO_EVENT_SEVERITY_INFO,
                             _("Connection restored"));
    }

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
      if (cryo_link_get_stale (priv->link) && priv->polled_since_connect)
        cryo_device_set_state (self, CRYO_DEVICE_STATE_STALE);
      else if (!priv->polled_since_connect)
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

  /* A stream brings its readings by itself (on_link_message_cb). */
  if (CRYO_DEVICE_GET_CLASS (self)->poll == NULL)
    return;

  priv->poll_in_flight = TRUE;
  CRYO_DEVICE_GET_CLASS (self)->poll (self);
}

static gboolean
cryo_device_poll_timeout_cb (gpointer user_data)
{
  CryoDevice *self = CRYO_DEVICE (user_data);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  /* A poll that takes longer than the interval is followed by the next one
   * as soon as it ends, not at the next tick: the line stays as busy as
   * it allows. */
  if (priv->poll_in_flight)
    priv->poll_due = TRUE;
  else
    cryo_device_poll_now (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
poll_due_cb (gpointer user_data)
{
  cryo_device_poll_now (CRYO_DEVICE (user_data));
  return G_SOURCE_REMOVE;
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
on_link_message_cb (CryoDevice *self,
                    gpointer    message,
                    CryoLink   *link)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  /* Not monitoring: the stream goes on, the history keeps its gap. */
  if (!priv->monitoring)
    return;

  CRYO_DEVICE_GET_CLASS (self)->message (self, message);
}

static void
on_link_stale_cb (CryoDevice *self,
                  GParamSpec *pspec,
                  CryoLink   *link)
{
  if (cryo_link_get_stale (link))
    {
      g_autofree char *text = g_strdup_printf (_("No status from the instrument for %u s"),
                                               (3 * cryo_device_get_poll_interval (self) + 999) / 1000);

      cryo_device_set_last_error (self, text);
      cryo_device_mark_gap (self);
    }

  cryo_device_update_state (self);
}

/* The live span every channel's history keeps in memory, seconds. */
static guint history_span_s = 24 * 60 * 60;

/* Samples for the live span at one sample per poll (or per @period_s),
 * with room for polls a little faster than asked and at least 1024. */
static gsize
live_capacity (guint poll_interval_ms,
               guint period_s)
{
  guint64 interval_ms = MAX (MAX (poll_interval_ms, 100), (guint64) period_s * 1000);

  return MAX ((guint64) history_span_s * 1000 / interval_ms * 5 / 4, 1024);
}

static void
cryo_device_constructed (GObject *object)
{
  CryoDevice *self = CRYO_DEVICE (object);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  const CryoDeviceKind *kind = CRYO_DEVICE_GET_CLASS (self)->kind;

  G_OBJECT_CLASS (cryo_device_parent_class)->constructed (object);

  g_assert (CRYO_IS_LINK (priv->link));
  g_assert (kind != NULL);

  if (priv->config == NULL)
    priv->config = cryo_device_config_new (kind, NULL);

  if (priv->name == NULL)
    priv->name = g_strdup (priv->config->name ? priv->config->name : cryo_device_kind_get_title (kind));
  /* A configured id outlives renames; without one (a device made for a
   * test, a simulator) the name gives it. */
  if (priv->id == NULL)
    priv->id = priv->config->id ? g_strdup (priv->config->id) : cryo_device_make_id (priv->name);
  if (priv->model == NULL)
    priv->model = g_strdup (kind->model);

  while (kind->actions != NULL && kind->actions[priv->n_actions].name != NULL)
    priv->n_actions++;
  priv->n_action_outcomes = g_new0 (guint64, MAX (priv->n_actions, 1) * CRYO_N_ACTION_OUTCOMES);

  priv->poll_interval_ms = priv->config->poll_interval_ms ? priv->config->poll_interval_ms
                                                          : MAX (kind->default_poll_interval_ms, 100);

  for (guint i = 0; kind->channels[i].key != NULL; i++)
    {
      const CryoChannelInfo *info = &kind->channels[i];
      g_autofree char *channel_id = g_strdup_printf ("%s.%s", priv->id, info->key);
      g_autoptr(CryoChannel) channel = NULL;

      channel = cryo_channel_new (channel_id, g_dgettext (GETTEXT_PACKAGE, info->label),
                                  info->csv_name, info->quantity, info->scale,
                                  info->digits,
                                  info->history_capacity ? info->history_capacity
                                                         : live_capacity (priv->poll_interval_ms,
                                                                          info->period_s));
      cryo_channel_set_device_name (channel, priv->name);
      cryo_channel_set_phases (channel, info->phases);
      g_ptr_array_add (priv->channels, g_object_ref (channel));
      g_hash_table_insert (priv->channels_by_key, (char *) info->key, channel);
    }

  /* A stream instrument: the link reads continuously; no status for three
   * of its intervals (or the kind's stale time) makes it stale, and for ten
   * (10 s at least, twice the stale time) the port is reopened. */
  if (kind->link_kind == CRYO_LINK_KIND_SERIAL_STREAM)
    {
      guint stale_ms = kind->stream_stale_ms ? kind->stream_stale_ms : 3 * priv->poll_interval_ms;

      g_assert (kind->stream_codec != NULL);
      g_assert (CRYO_DEVICE_GET_CLASS (self)->message != NULL);

      cryo_link_set_stream (priv->link, kind->stream_codec, stale_ms,
                            MAX (MAX (10 * priv->poll_interval_ms, 10000), 2 * stale_ms));
      g_signal_connect_object (priv->link, "message",
                               G_CALLBACK (on_link_message_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (priv->link, "notify::stale",
                               G_CALLBACK (on_link_stale_cb), self,
                               G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (priv->link, "notify::state",
                           G_CALLBACK (on_link_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->link, "notify::retry-time",
                           G_CALLBACK (on_link_state_changed_cb), self,
                           G_CONNECT_SWAPPED);

  priv->service_tracker = cryo_service_tracker_new (self);
}

static void
cryo_device_dispose (GObject *object)
{
  CryoDevice *self = CRYO_DEVICE (object);
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_clear_handle_id (&priv->poll_source, g_source_remove);
  g_clear_object (&priv->service_tracker);

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
  g_clear_pointer (&priv->instrument_warnings, g_strfreev);
  g_clear_pointer (&priv->service_warnings, g_strfreev);
  g_clear_pointer (&priv->channels_by_key, g_hash_table_unref);
  g_clear_pointer (&priv->channels, g_ptr_array_unref);
  g_clear_pointer (&priv->config, cryo_device_config_free);
  g_clear_pointer (&priv->n_action_outcomes, g_free);

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
    case PROP_CONFIG:
      g_value_set_boxed (value, priv->config);
      break;

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
    case PROP_CONFIG:
      priv->config = g_value_dup_boxed (value);
      break;

    case PROP_NAME:
      if (priv->channels_by_key == NULL || g_hash_table_size (priv->channels_by_key) == 0)
        {
          g_free (priv->name);
          priv->name = g_value_dup_string (value);
        }
      else
        cryo_device_set_name (self, g_value_get_string (value));
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

  /**
   * CryoDevice:config:
   *
   * How the instrument is reached (a copy), and the name and poll interval
   * it was configured with. Construct-only.
   */
  properties [PROP_CONFIG] =
    g_param_spec_boxed ("config", NULL, NULL, CRYO_TYPE_DEVICE_CONFIG,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoDevice:id:
   *
   * A stable id ("pumping_station_2"): the configuration's (kept when the
   * device is renamed), else derived from the name at creation. The
   * prefix of the device's channel ids, so its key in the history archive.
   */
  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CryoDevice:name:
   *
   * The user-visible, unique name ("Pumping station 2"): shown in the
   * sidebar, legends, toasts, headless lines and every event-log line.
   */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

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

  /**
   * CryoDevice::action-finished:
   * @self: the device
   * @action: the action's name ("start")
   * @outcome: a #CryoActionOutcome: %CRYO_ACTION_OUTCOME_DONE when the
   *   instrument confirmed it, %CRYO_ACTION_OUTCOME_UNCONFIRMED when it was
   *   sent but the instrument did not confirm it (by status, within its
   *   time) or its outcome is unknown
   * @text: what the event log says of the outcome, translated
   *
   * Emitted in the main thread when a command that was sent has finished,
   * after its outcome was logged; not for one refused before sending.
   */
  signals [ACTION_FINISHED] =
    g_signal_new ("action-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, CRYO_TYPE_ACTION_OUTCOME, G_TYPE_STRING);
}

static void
cryo_device_init (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  priv->poll_interval_ms = 1000;
  priv->channels = g_ptr_array_new_with_free_func (g_object_unref);
  priv->channels_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  priv->alarms = g_new0 (char *, 1);
  priv->warnings = g_new0 (char *, 1);
  priv->instrument_warnings = g_new0 (char *, 1);
  priv->service_warnings = g_new0 (char *, 1);
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

/* Replaces a list of conditions. The session's condition set follows the
 * property and logs each raise and clear, knowing which were already
 * active before a restart. */
static void
cryo_device_update_conditions (CryoDevice          *self,
                               char              ***conditions,
                               const char * const  *updated,
                               guint                prop_id)
{
  static const char * const empty[] = { NULL };

  if (updated == NULL)
    updated = empty;

  if (g_strv_equal ((const char * const *) *conditions, updated))
    return;

  g_strfreev (*conditions);
  *conditions = g_strdupv ((char **) updated);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

/**
 * cryo_device_dup_state_text:
 * @self: a #CryoDevice
 *
 * The instrument's own state as it reports it: the pumping station's
 * status (window 205), the compressor's operating state. Details that
 * qualify it follow, each after %CRYO_DEVICE_STATE_SEPARATOR: a
 * Cryostream's phase, a cryopump's valves and thermocouples.
 *
 * Returns: (transfer full) (nullable): a translated word or two, then any
 *   details, %NULL when unknown
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
 * For subclasses. The session's #CryoConditionSet logs each raise and
 * clear.
 */
void
cryo_device_set_alarms (CryoDevice         *self,
                        const char * const *alarms)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  cryo_device_update_conditions (self, &priv->alarms, alarms, PROP_ALARMS);
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

/* The instrument's warnings and the maintenance warnings come from two
 * places at two rates; each replaces only its own part of the list. */
static void
publish_warnings (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) merged = NULL;

  g_strv_builder_addv (builder, (const char **) priv->instrument_warnings);
  g_strv_builder_addv (builder, (const char **) priv->service_warnings);
  merged = g_strv_builder_end (builder);

  cryo_device_update_conditions (self, &priv->warnings, (const char * const *) merged,
                                 PROP_WARNINGS);
}

static void
replace_strv (char               ***list,
              const char * const   *updated)
{
  static const char * const empty[] = { NULL };

  g_strfreev (*list);
  *list = g_strdupv ((char **) (updated != NULL ? updated : empty));
}

/**
 * cryo_device_set_warnings:
 * @self: a #CryoDevice
 * @warnings: (nullable): the active warnings the instrument reports, translated
 *
 * For subclasses. #CryoDevice:warnings is these followed by the maintenance
 * warnings (cryo_device_set_service_warnings()). The session's
 * #CryoConditionSet logs each raise and clear.
 */
void
cryo_device_set_warnings (CryoDevice         *self,
                          const char * const *warnings)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  replace_strv (&priv->instrument_warnings, warnings);
  publish_warnings (self);
}

/**
 * cryo_device_set_service_warnings:
 * @self: a #CryoDevice
 * @warnings: (nullable): the maintenance warnings, translated ("Tip seal
 *   service due within 14 days")
 *
 * For the device's #CryoServiceTracker: replaces the maintenance part of
 * #CryoDevice:warnings, leaving the instrument's own. A newly raised
 * warning is written to the event log.
 */
void
cryo_device_set_service_warnings (CryoDevice         *self,
                                  const char * const *warnings)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  replace_strv (&priv->service_warnings, warnings);
  publish_warnings (self);
}

/**
 * cryo_device_get_service_tracker:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none): the maintenance forecasts of the device's
 *   counters of hours
 */
CryoServiceTracker *
cryo_device_get_service_tracker (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return priv->service_tracker;
}

/**
 * cryo_device_set_service_hours:
 * @self: a #CryoDevice
 * @service_hours: what the kind's counter of total hours
 *   (%CRYO_CHANNEL_FLAG_SERVICE_RECORD) read at the last service, h; NaN
 *   for none
 *
 * Records a service in the device's configuration (the caller saves it)
 * and updates the forecasts.
 */
void
cryo_device_set_service_hours (CryoDevice *self,
                               double      service_hours)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));
  g_return_if_fail (isnan (service_hours) || service_hours >= 0);

  priv->config->service_hours = service_hours;
  if (priv->service_tracker != NULL)
    cryo_service_tracker_update (priv->service_tracker);
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
 * @key: a channel key of the device's kind ("pressure")
 *
 * Returns: (transfer none) (nullable): the channel, or %NULL
 */
CryoChannel *
cryo_device_lookup_channel (CryoDevice *self,
                            const char *key)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (priv->channels_by_key, key);
}

/**
 * cryo_device_get_channel_info:
 * @self: a #CryoDevice
 * @channel: one of its channels
 *
 * Returns: (transfer none): how the device's kind describes @channel
 *   (its key, flags, service interval); channels are in table order
 */
const CryoChannelInfo *
cryo_device_get_channel_info (CryoDevice  *self,
                              CryoChannel *channel)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  guint index;

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);
  g_return_val_if_fail (CRYO_IS_CHANNEL (channel), NULL);

  if (!g_ptr_array_find (priv->channels, channel, &index))
    g_return_val_if_reached (NULL);

  return &CRYO_DEVICE_GET_CLASS (self)->kind->channels[index];
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

  if (priv->poll_due)
    {
      priv->poll_due = FALSE;
      g_idle_add_full (G_PRIORITY_DEFAULT, poll_due_cb, g_object_ref (self), g_object_unref);
    }

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
 * cryo_device_get_channel_max_age:
 * @self: a #CryoDevice
 * @channel: one of its channels
 *
 * Returns: the age in µs beyond which a reading of @channel is old: three
 *   poll intervals, or three of the channel's own periods when the device
 *   reads it less often (#CryoChannelInfo.period_s)
 */
gint64
cryo_device_get_channel_max_age (CryoDevice  *self,
                                 CryoChannel *channel)
{
  const CryoChannelInfo *info;

  g_return_val_if_fail (CRYO_IS_DEVICE (self), 0);

  info = cryo_device_get_channel_info (self, channel);
  g_return_val_if_fail (info != NULL, 0);

  return MAX (cryo_device_get_max_reading_age (self), 3 * (gint64) info->period_s * G_USEC_PER_SEC);
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
 * cryo_device_get_n_action_outcomes:
 * @self: a #CryoDevice
 * @action: an action name of the device's kind ("start")
 * @outcome: how it ended
 *
 * How many times @action ended with @outcome since the device was created:
 * one count for each outcome the event log records (an action already in
 * effect, an unknown action or one refused as busy is not counted).
 *
 * Returns: the count; 0 for an action the device does not have
 */
guint64
cryo_device_get_n_action_outcomes (CryoDevice        *self,
                                   const char        *action,
                                   CryoActionOutcome  outcome)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  const CryoDeviceAction *entry;

  g_return_val_if_fail (CRYO_IS_DEVICE (self), 0);
  g_return_val_if_fail (action != NULL, 0);
  g_return_val_if_fail (outcome < CRYO_N_ACTION_OUTCOMES, 0);

  entry = cryo_device_lookup_action (self, action);
  if (entry == NULL)
    return 0;

  return priv->n_action_outcomes[(entry - cryo_device_get_actions (self)) * CRYO_N_ACTION_OUTCOMES + outcome];
}

/**
 * cryo_device_get_actions:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none): the device's actions (its kind's table), ended
 *   by an entry whose name is %NULL
 */
const CryoDeviceAction *
cryo_device_get_actions (CryoDevice *self)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return CRYO_DEVICE_GET_CLASS (self)->kind->actions;
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
  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  return cryo_device_kind_lookup_action (CRYO_DEVICE_GET_CLASS (self)->kind, action);
}

/**
 * cryo_device_dup_value_text:
 * @self: a #CryoDevice
 * @channel: one of its channels, of %CRYO_QUANTITY_STATE
 * @value: a reading of it
 *
 * Returns: (transfer full) (nullable): @value in the instrument's words
 *   ("maintain", "heating"), for the panel; %NULL when the number says it
 */
char *
cryo_device_dup_value_text (CryoDevice  *self,
                            CryoChannel *channel,
                            double       value)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);
  g_return_val_if_fail (CRYO_IS_CHANNEL (channel), NULL);

  if (CRYO_DEVICE_GET_CLASS (self)->dup_value_text == NULL || isnan (value))
    return NULL;

  return CRYO_DEVICE_GET_CLASS (self)->dup_value_text (self, channel, value);
}

/**
 * cryo_device_dup_confirmation:
 * @self: a #CryoDevice
 * @action: an action name
 * @params: (array fixed-size=4): its parameters in table order
 *
 * Whether @action with @params needs the operator's confirmation before it
 * runs, and what to tell them: the action table's consequence, or what the
 * instrument adds from its current readings (a change that ends control of
 * something it maintains). The command line runs actions without asking.
 *
 * Returns: (transfer full) (nullable): the confirmation's text (possibly
 *   empty), %NULL when none is needed
 */
char *
cryo_device_dup_confirmation (CryoDevice   *self,
                              const char   *action,
                              const double *params)
{
  const CryoDeviceAction *entry;

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  entry = cryo_device_lookup_action (self, action);
  g_return_val_if_fail (entry != NULL, NULL);

  if (CRYO_DEVICE_GET_CLASS (self)->dup_confirmation != NULL)
    return CRYO_DEVICE_GET_CLASS (self)->dup_confirmation (self, action, params);

  if (!entry->needs_confirmation)
    return NULL;

  return g_strdup (entry->consequence != NULL ? g_dgettext (GETTEXT_PACKAGE, entry->consequence) : "");
}

/**
 * cryo_device_is_action_in_effect:
 * @self: a #CryoDevice
 * @action: an action name
 * @reason: (out) (optional) (transfer full): what is already so ("The pump
 *   is already stopped")
 *
 * Returns: %TRUE when what @action would do is already so, from the latest
 *   readings: the action is not offered and not sent
 */
gboolean
cryo_device_is_action_in_effect (CryoDevice  *self,
                                 const char  *action,
                                 char       **reason)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (reason != NULL)
    *reason = NULL;

  if (CRYO_DEVICE_GET_CLASS (self)->in_effect == NULL)
    return FALSE;

  return CRYO_DEVICE_GET_CLASS (self)->in_effect (self, action, reason);
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

  if (priv->state == CRYO_DEVICE_STATE_DISCONNECTED || priv->state == CRYO_DEVICE_STATE_CONNECTING)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("%s is not connected"), priv->name);
      return FALSE;
    }

  if (cryo_device_is_action_in_effect (self, action, reason))
    return FALSE;

  if (CRYO_DEVICE_GET_CLASS (self)->check_action == NULL)
    return TRUE;

  return CRYO_DEVICE_GET_CLASS (self)->check_action (self, action, reason);
}

/* What the event log calls an action: "start", or "ramp (rate=120 K/h, …)". */
static char *
dup_action_text (const CryoDeviceAction *action,
                  const double           *params)
{
  g_autofree char *values = cryo_device_action_format_params (action, params);

  if (values[0] == '\0')
    return g_strdup (action->name);

  return g_strdup_printf ("%s (%s)", action->name, values);
}

/* An action on its way: what the event log calls it, and where it is
 * counted. */
typedef struct
{
  char  *text;
  guint  index;
} ActionRun;

static void
action_run_free (ActionRun *run)
{
  g_free (run->text);
  g_free (run);
}

static ActionRun *
action_run_new (CryoDevice             *self,
                const CryoDeviceAction *entry,
                const double           *values)
{
  ActionRun *run = g_new0 (ActionRun, 1);

  run->text = dup_action_text (entry, values);
  run->index = (guint) (entry - cryo_device_get_actions (self));

  return run;
}

static void
count_action (CryoDevice        *self,
              const ActionRun   *run,
              CryoActionOutcome  outcome)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_assert (run->index < priv->n_actions);
  priv->n_action_outcomes[run->index * CRYO_N_ACTION_OUTCOMES + outcome]++;
}

static gboolean
is_refusal (const GError *error)
{
  return g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED) ||
         g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE) ||
         g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED);
}

static void
cryo_device_action_done_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  CryoDevice *self = CRYO_DEVICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  const ActionRun *run = g_task_get_task_data (task);
  const char *action = cryo_device_get_actions (self)[run->index].name;
  CryoActionOutcome outcome;
  g_autofree char *text = NULL;

  cryo_device_set_busy (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      const char *what;
      CryoEventSeverity severity = CRYO_EVENT_SEVERITY_WARNING;

      if (is_refusal (error))
        {
          what = _("refused");
          outcome = CRYO_ACTION_OUTCOME_REFUSED;
        }
      else if (g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED))
        {
          what = _("outcome unknown");
          outcome = CRYO_ACTION_OUTCOME_UNCONFIRMED;
        }
      else
        {
          what = _("failed");
          severity = CRYO_EVENT_SEVERITY_ERROR;
          outcome = CRYO_ACTION_OUTCOME_FAILED;
        }

      count_action (self, run, outcome);
      text = g_strdup_printf ("%s: %s: %s", run->text, what, error->message);
      cryo_device_log_event (self, CRYO_EVENT_KIND_ACTION_RESULT, severity, text);
    }
  else
    {
      text = g_strdup_printf ("%s: %s", run->text, _("done"));
      outcome = CRYO_ACTION_OUTCOME_DONE;
      count_action (self, run, outcome);
      cryo_device_log_event (self, CRYO_EVENT_KIND_ACTION_RESULT, CRYO_EVENT_SEVERITY_INFO, text);
    }

  g_signal_emit (self, signals [ACTION_FINISHED], 0, action, outcome, text);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);

  /* The next poll confirms what the instrument did. */
  cryo_device_poll_now (self);
}

/**
 * cryo_device_run_action_async:
 * @self: a #CryoDevice
 * @action: an action name ("start", "stop")
 * @params: (nullable) (array fixed-size=4): the action's parameters in the
 *   order of its table and in each parameter's unit; %NULL for the defaults
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the main thread when the action has finished
 * @user_data: data for @callback
 *
 * Runs a control action: the parameters are checked against the action
 * table, then the interlock against the latest readings, then the command
 * is queued on the link ahead of polls, where the subclass reads the
 * deciding values again and sends only if the interlock still holds.
 * Every outcome is written to the event log with the device's name.
 * Confirmation is the caller's business (see
 * #CryoDeviceAction.needs_confirmation).
 */
void
cryo_device_run_action_async (CryoDevice          *self,
                              const char          *action,
                              const double        *params,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);
  const CryoDeviceAction *entry;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  ActionRun *run;
  double values[CRYO_ACTION_MAX_PARAMS] = { 0 };

  g_return_if_fail (CRYO_IS_DEVICE (self));
  g_return_if_fail (action != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cryo_device_run_action_async);

  entry = cryo_device_lookup_action (self, action);
  if (entry == NULL)
    {
      g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNKNOWN_ACTION,
                               _("%s has no action “%s”"), priv->name, action);
      return;
    }

  if (params != NULL)
    memcpy (values, params, cryo_device_action_get_n_params (entry) * sizeof (double));
  else
    cryo_device_action_get_defaults (entry, values);

  run = action_run_new (self, entry, values);
  g_task_set_task_data (task, run, (GDestroyNotify) action_run_free);

  if (priv->action_in_flight)
    {
      g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_BUSY,
                               _("Another command to %s is still running"), priv->name);
      return;
    }

  if (priv->state != CRYO_DEVICE_STATE_DISCONNECTED && priv->state != CRYO_DEVICE_STATE_CONNECTING &&
      cryo_device_is_action_in_effect (self, action, &reason))
    {
      g_task_return_new_error (task, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_IN_EFFECT, "%s", reason);
      return;
    }
  g_clear_pointer (&reason, g_free);

  cryo_device_log_event (self, CRYO_EVENT_KIND_ACTION, CRYO_EVENT_SEVERITY_INFO, run->text);

  if (!cryo_device_action_check_params (entry, values, &error) ||
      !cryo_device_check_action (self, action, &reason))
    {
      g_autofree char *text = NULL;

      if (error == NULL)
        error = g_error_new_literal (CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED, reason);

      text = g_strdup_printf ("%s: %s: %s", run->text, _("refused"), error->message);
      count_action (self, run, CRYO_ACTION_OUTCOME_REFUSED);
      cryo_device_log_event (self, CRYO_EVENT_KIND_ACTION_RESULT, CRYO_EVENT_SEVERITY_WARNING,
                             text);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cryo_device_set_busy (self, TRUE);

  inner = g_task_new (self, cancellable, cryo_device_action_done_cb, g_steal_pointer (&task));
  CRYO_DEVICE_GET_CLASS (self)->run_action (self, action, values, g_steal_pointer (&inner));
}

static void
cryo_device_command_done_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (cryo_link_run_finish (CRYO_LINK (object), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cryo_device_run_command:
 * @self: a #CryoDevice
 * @func: runs the command on the link's worker thread: re-reads the
 *   deciding values, sends, and returns non-%NULL when the instrument
 *   accepted it, or %NULL with an error
 * @request: (transfer full): what @func needs; owned by the worker while
 *   it runs
 * @request_destroy: frees @request
 * @task: (transfer full): the task given to the run_action vfunc
 *
 * For subclasses' run_action: queues @func ahead of polls and completes
 * @task with its outcome.
 */
void
cryo_device_run_command (CryoDevice     *self,
                         CryoLinkFunc    func,
                         gpointer        request,
                         GDestroyNotify  request_destroy,
                         GTask          *task)
{
  g_return_if_fail (CRYO_IS_DEVICE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (G_IS_TASK (task));

  cryo_link_run_async (cryo_device_get_link (self),
                       CRYO_LINK_PRIORITY_COMMAND,
                       func,
                       request, request_destroy,
                       NULL,
                       g_task_get_cancellable (task),
                       cryo_device_command_done_cb,
                       task);
}

/**
 * cryo_device_resolve_write:
 * @write_error: (transfer full): why a command's single write was not
 *   acknowledged
 * @what: translated prefix of the messages: "The station did not start: "
 * @read_back: reads back the state the command changes
 * @data: for @read_back
 * @error: the outcome when it is not done (see below)
 *
 * For subclasses, on the worker thread, after sending a command exactly
 * once: a write is never retried blindly. A NACK or an explicit refusal is
 * the instrument's (%CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED). A port that
 * failed leaves the outcome unknown (%CRYO_DEVICE_ERROR_UNCONFIRMED). A
 * missing or damaged acknowledgement is resolved by reading the state back:
 * done, not done (%CRYO_DEVICE_ERROR_FAILED: the action may be offered
 * again, through the interlock), or unknown when that fails too
 * (%CRYO_DEVICE_ERROR_UNCONFIRMED, with what was read).
 *
 * Returns: %TRUE when the command is done
 */
gboolean
cryo_device_resolve_write (GError            *write_error,
                           const char        *what,
                           CryoReadBackFunc   read_back,
                           gpointer           data,
                           GError           **error)
{
  g_autoptr(GError) owned = write_error;
  g_autoptr(GError) read_error = NULL;

  g_return_val_if_fail (write_error != NULL, FALSE);
  g_return_val_if_fail (read_back != NULL, FALSE);

  if (owned->domain == CRYO_PROTOCOL_ERROR)
    {
      switch (owned->code)
        {
        case CRYO_PROTOCOL_ERROR_NACK:
        case CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW:
        case CRYO_PROTOCOL_ERROR_DATA_TYPE:
        case CRYO_PROTOCOL_ERROR_OUT_OF_RANGE:
        case CRYO_PROTOCOL_ERROR_REFUSED:
        case CRYO_PROTOCOL_ERROR_EXCEPTION:
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED,
                       "%s%s", what, owned->message);
          return FALSE;

        default:
          break;
        }
    }
  else if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&owned));
      return FALSE;
    }
  else if (!g_error_matches (owned, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT))
    {
      /* The port failed: the bytes may or may not have left. */
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED,
                   _("%soutcome unknown: %s"), what, owned->message);
      return FALSE;
    }

  switch (read_back (data, &read_error))
    {
    case CRYO_READ_BACK_DONE:
      g_message ("%sacknowledgement lost (%s); read back: done", what, owned->message);
      return TRUE;

    case CRYO_READ_BACK_NOT_DONE:
      /* Translators: "The station did not start: its acknowledgement was lost (…), and it reads back as before" */
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_FAILED,
                   _("%sits acknowledgement was lost (%s), and it reads back as before"),
                   what, owned->message);
      return FALSE;

    case CRYO_READ_BACK_FAILED:
    default:
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED,
                   _("%soutcome unknown: the acknowledgement was lost (%s) and reading back failed (%s)"),
                   what, owned->message, read_error ? read_error->message : _("no reply"));
      return FALSE;
    }
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

/**
 * cryo_device_class_set_kind:
 * @klass: a #CryoDeviceClass of a final subclass
 * @kind: (transfer none): the subclass's kind descriptor, which lives as
 *   long as the program
 *
 * For subclasses, in class_init: names the descriptor the base class
 * builds channels, actions, the model and poll interval from.
 */
void
cryo_device_class_set_kind (CryoDeviceClass      *klass,
                            const CryoDeviceKind *kind)
{
  g_return_if_fail (CRYO_IS_DEVICE_CLASS (klass));
  g_return_if_fail (kind != NULL);

  klass->kind = kind;
}

/**
 * cryo_device_get_kind:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none): the device's kind descriptor
 */
const CryoDeviceKind *
cryo_device_get_kind (CryoDevice *self)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return CRYO_DEVICE_GET_CLASS (self)->kind;
}

/**
 * cryo_device_get_config:
 * @self: a #CryoDevice
 *
 * Returns: (transfer none): how the device was configured (its name there
 *   is the configured one; see cryo_device_get_name() for the name in use)
 */
const CryoDeviceConfig *
cryo_device_get_config (CryoDevice *self)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_val_if_fail (CRYO_IS_DEVICE (self), NULL);

  return priv->config;
}

/**
 * cryo_device_set_name:
 * @self: a #CryoDevice
 * @name: the new user-visible name, not empty
 *
 * Renames the device. Its id (and so its channel ids and CSV columns)
 * stays as it was created, so a rename never splits a trend.
 */
void
cryo_device_set_name (CryoDevice *self,
                      const char *name)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));
  g_return_if_fail (name != NULL && name[0] != '\0');

  if (g_strcmp0 (priv->name, name) == 0)
    return;

  g_free (priv->name);
  priv->name = g_strdup (name);

  for (guint i = 0; i < priv->channels->len; i++)
    cryo_channel_set_device_name (g_ptr_array_index (priv->channels, i), name);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

/**
 * cryo_device_make_id:
 * @name: a device name ("Pumping station 2", "Kältefalle")
 *
 * Derives a stable identifier from a name: ASCII letters and digits in
 * lower case, every other run of characters one underscore
 * ("pumping_station_2", "kaltefalle"). A name with no letter or digit
 * gives "device".
 *
 * Returns: (transfer full): the id
 */
char *
cryo_device_make_id (const char *name)
{
  g_autofree char *ascii = NULL;
  GString *id;

  g_return_val_if_fail (name != NULL, NULL);

  ascii = g_str_to_ascii (name, "C");
  id = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (id, g_ascii_tolower (*p));
      else if (id->len > 0 && id->str[id->len - 1] != '_')
        g_string_append_c (id, '_');
    }

  while (id->len > 0 && id->str[id->len - 1] == '_')
    g_string_truncate (id, id->len - 1);

  if (id->len == 0)
    g_string_append (id, "device");

  return g_string_free (id, FALSE);
}

/**
 * cryo_device_new_from_config:
 * @config: how to reach the instrument; its name should already be unique
 *   among the devices in use (CryoSession sees to that)
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG when @config's kind cannot use
 *   its port
 *
 * Creates the device of @config's kind with a link over the configured port:
 * a serial line (libserialport, or termios for a pseudo-terminal) or, for
 * `tcp:HOST:PORT`, a serial device server's raw TCP port; Modbus RTU, or
 * Modbus TCP for `tcp:HOST:PORT`. Nothing is opened until monitoring starts.
 *
 * Returns: (transfer full) (nullable): the device
 */
CryoDevice *
cryo_device_new_from_config (const CryoDeviceConfig  *config,
                             GError                 **error)
{
  const CryoDeviceKind *kind;
  g_autoptr(CryoTransport) transport = NULL;
  g_autoptr(CryoLink) link = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->kind != NULL, NULL);

  kind = config->kind;

  switch (kind->link_kind)
    {
    case CRYO_LINK_KIND_MODBUS:
      if (config->host != NULL)
        transport = cryo_modbus_transport_new_tcp (config->host, config->tcp_port,
                                                   cryo_device_config_get_option (config, "unit"));
      else if (config->port != NULL)
        transport = cryo_modbus_transport_new_rtu (config->port, &config->serial,
                                                   cryo_device_config_get_option (config, "unit"));
      break;

    case CRYO_LINK_KIND_SERIAL:
    case CRYO_LINK_KIND_SERIAL_STREAM:
    default:
      if (config->host != NULL)
        transport = cryo_socket_transport_new (config->host, config->tcp_port);
      else if (config->port != NULL)
        transport = cryo_serial_transport_new (config->port, &config->serial);
      break;
    }

  if (transport == NULL)
    {
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                   _("%s has no port"), config->name ? config->name : kind->id);
      return NULL;
    }

  link = cryo_link_new (transport);

  return g_object_new (kind->get_type (),
                       "config", config,
                       "link", link,
                       NULL);
}

/**
 * cryo_device_set_history_span:
 * @seconds: how long a span of samples each channel keeps in memory, ≥ 60
 *   (the "history-span" preference, 24 h by default)
 *
 * Applies to devices created afterwards: their histories hold @seconds of
 * samples at their poll interval (older spans come from the archive).
 * Main thread, before devices are created.
 */
void
cryo_device_set_history_span (guint seconds)
{
  history_span_s = MAX (seconds, 60);
}

/**
 * cryo_device_log_event:
 * @self: a #CryoDevice
 * @kind: what happened
 * @severity: how much it matters
 * @text: what happened, translated
 *
 * Writes an event of now about this device (its id and current name) to
 * the default #CryoEventLog, with the user's login name for the kinds an
 * operator causes (cryo_event_kind_is_by_user()). Main thread.
 */
void
cryo_device_log_event (CryoDevice        *self,
                       CryoEventKind      kind,
                       CryoEventSeverity  severity,
                       const char        *text)
{
  CryoDevicePrivate *priv = cryo_device_get_instance_private (self);

  g_return_if_fail (CRYO_IS_DEVICE (self));

  cryo_event_log_add_new (cryo_event_log_get_default (), priv->id, priv->name, kind, severity,
                          text);
}

