/* cryo-metrics-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The metrics endpoint: `GET /metrics` over HTTP (libsoup 3) for
 * Prometheus to scrape, on the main context. It only reads: no path or
 * method changes anything, so an open port can show readings but never
 * start or stop an instrument.
 */

#define G_LOG_DOMAIN "cryo-metrics-server"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <math.h>

#include "cryo-metrics.h"
#include "cryo-metrics-server.h"

struct _CryoMetricsServer
{
  GObject     parent_instance;

  GListModel *devices;
  GSettings  *settings;
  SoupServer *server;
  char       *uri;
  char       *error;
};

enum {
  PROP_0,
  PROP_DEVICES,
  PROP_SETTINGS,
  PROP_URI,
  PROP_ERROR,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CryoMetricsServer, cryo_metrics_server, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

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
set_uri_and_error (CryoMetricsServer *self,
                   const char        *uri,
                   const char        *error)
{
  if (set_str (&self->uri, uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_URI]);
  if (set_str (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
}

/* What a scrape serves: every device's state and readings as they are
 * now, in the main thread, so nothing changes under it. */
typedef struct
{
  GArray    *devices;    /* CryoMetricsDevice */
  GArray    *channels;   /* CryoMetricsChannel, of all devices */
  GArray    *actions;    /* CryoMetricsAction, of all devices */
  GPtrArray *refs;       /* the CryoDevices, alive while the strings are used */
} Snapshot;

static void
snapshot_clear (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->devices, g_array_unref);
  g_clear_pointer (&snapshot->channels, g_array_unref);
  g_clear_pointer (&snapshot->actions, g_array_unref);
  g_clear_pointer (&snapshot->refs, g_ptr_array_unref);
}

static void
snapshot_device (Snapshot   *snapshot,
                 CryoDevice *device)
{
  CryoMetricsDevice entry = { 0 };
  GPtrArray *channels = cryo_device_get_channels (device);
  const CryoDeviceAction *actions = cryo_device_get_actions (device);
  CryoLink *link = cryo_device_get_link (device);
  CryoLinkStats *stats = cryo_link_get_stats (link);
  const char * const *alarms = cryo_device_get_alarms (device);
  const char * const *warnings = cryo_device_get_warnings (device);

  entry.name = cryo_device_get_name (device);
  entry.kind = cryo_device_get_kind (device)->id;
  entry.state = cryo_device_get_state (device);

  /* Offsets for now: the arrays may move while they grow. */
  entry.channels = GUINT_TO_POINTER (snapshot->channels->len);
  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      const CryoChannelInfo *info = cryo_device_get_channel_info (device, channel);
      CryoQuantity quantity = cryo_channel_get_quantity (channel);
      CryoUnit canonical = cryo_quantity_get_canonical_unit (quantity);
      CryoUnit unit = cryo_channel_get_unit (channel);
      CryoMetricsChannel metric = { 0 };

      metric.key = info->key;
      metric.quantity = quantity;
      metric.value = cryo_channel_get_reading (channel).value;
      if (unit != canonical && isfinite (metric.value))
        metric.value = cryo_unit_convert (metric.value, unit, canonical);
      metric.value_time_us = cryo_channel_get_value_time (channel);
      g_array_append_val (snapshot->channels, metric);
    }
  entry.n_channels = channels->len;

  entry.actions = GUINT_TO_POINTER (snapshot->actions->len);
  for (guint i = 0; actions[i].name != NULL; i++)
    {
      CryoMetricsAction metric = { actions[i].name, { 0 } };

      for (guint o = 0; o < CRYO_N_ACTION_OUTCOMES; o++)
        metric.n_outcomes[o] = cryo_device_get_n_action_outcomes (device, actions[i].name, o);
      g_array_append_val (snapshot->actions, metric);
      entry.n_actions++;
    }

  entry.n_polls = cryo_device_get_n_polls (device);
  entry.n_poll_errors = cryo_device_get_n_errors (device);
  entry.n_transactions = (guint) g_atomic_int_get (&stats->transactions);
  entry.n_stream_messages = cryo_link_get_n_messages (link);
  entry.n_dropped_frames = (guint) g_atomic_int_get (&stats->damaged) + cryo_link_get_n_decode_errors (link);
  entry.n_timeouts = (guint) g_atomic_int_get (&stats->timeouts);
  entry.n_retries = (guint) g_atomic_int_get (&stats->retries);
  entry.n_reconnects = cryo_link_get_n_reconnects (link);
  entry.link_quality_percent = cryo_link_get_quality (link);
  entry.n_alarms = alarms != NULL ? g_strv_length ((char **) alarms) : 0;
  entry.n_warnings = warnings != NULL ? g_strv_length ((char **) warnings) : 0;

  g_array_append_val (snapshot->devices, entry);
  g_ptr_array_add (snapshot->refs, g_object_ref (device));
}

static void
snapshot_take (Snapshot   *snapshot,
               GListModel *devices)
{
  guint n = g_list_model_get_n_items (devices);

  snapshot->devices = g_array_sized_new (FALSE, TRUE, sizeof (CryoMetricsDevice), n);
  snapshot->channels = g_array_new (FALSE, TRUE, sizeof (CryoMetricsChannel));
  snapshot->actions = g_array_new (FALSE, TRUE, sizeof (CryoMetricsAction));
  snapshot->refs = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, i);

      snapshot_device (snapshot, device);
    }

  /* Now that the arrays stay put, offsets become pointers. */
  for (guint i = 0; i < snapshot->devices->len; i++)
    {
      CryoMetricsDevice *entry = &g_array_index (snapshot->devices, CryoMetricsDevice, i);

      entry->channels = (CryoMetricsChannel *) (gpointer) snapshot->channels->data +
                        GPOINTER_TO_UINT (entry->channels);
      entry->actions = (CryoMetricsAction *) (gpointer) snapshot->actions->data +
                       GPOINTER_TO_UINT (entry->actions);
    }
}

/**
 * cryo_metrics_dup_text:
 * @devices: (element-type CryoDevice): the devices
 * @now_us: the wall-clock time of the scrape, µs since the Unix epoch
 *
 * What `GET /metrics` serves: a snapshot of @devices written by
 * cryo_metrics_write(). Main thread.
 *
 * Returns: (transfer full): the text, in the Prometheus text exposition
 *   format 0.0.4
 */
char *
cryo_metrics_dup_text (GListModel *devices,
                       gint64      now_us)
{
  Snapshot snapshot = { 0 };
  GString *text = g_string_sized_new (8192);

  g_return_val_if_fail (G_IS_LIST_MODEL (devices), NULL);

  snapshot_take (&snapshot, devices);
  cryo_metrics_write (text, (const CryoMetricsDevice *) (gpointer) snapshot.devices->data,
                      snapshot.devices->len, now_us);
  snapshot_clear (&snapshot);

  return g_string_free (text, FALSE);
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

/* Every request comes here: /metrics by GET or HEAD is served, any other
 * method on it is 405 and any other path 404. Nothing here changes
 * anything. */
static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CryoMetricsServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  char *text;

  /* The server closes each connection after its response: libsoup 3.2
   * leaks a connection that the client closes while idle, and a scrape
   * every 15 s or so gains nothing from keeping one open. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");

  if (g_strcmp0 (path, "/metrics") != 0)
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "Cryomon serves /metrics only.\n");
      return;
    }

  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
      respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Cryomon's metrics are read-only: GET /metrics.\n");
      return;
    }

  text = cryo_metrics_dup_text (self->devices, g_get_real_time ());
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, CONTENT_TYPE, SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
apply_settings (CryoMetricsServer *self)
{
  g_autofree char *listen = cryo_metrics_dup_settings_listen (self->settings);
  g_autoptr(GError) error = NULL;

  if (listen == NULL)
    cryo_metrics_server_stop (self);
  else if (!cryo_metrics_server_listen (self, listen, &error))
    g_debug ("%s", error->message);
}

static void
on_settings_changed_cb (CryoMetricsServer *self,
                        const char        *key,
                        GSettings         *settings)
{
  if (g_str_has_prefix (key, "metrics-"))
    apply_settings (self);
}

static void
cryo_metrics_server_constructed (GObject *object)
{
  CryoMetricsServer *self = CRYO_METRICS_SERVER (object);

  G_OBJECT_CLASS (cryo_metrics_server_parent_class)->constructed (object);

  g_assert (G_IS_LIST_MODEL (self->devices));

  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed_cb),
                               self, G_CONNECT_SWAPPED);
      apply_settings (self);
    }
}

static void
cryo_metrics_server_dispose (GObject *object)
{
  CryoMetricsServer *self = CRYO_METRICS_SERVER (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->settings);
  g_clear_object (&self->devices);

  G_OBJECT_CLASS (cryo_metrics_server_parent_class)->dispose (object);
}

static void
cryo_metrics_server_finalize (GObject *object)
{
  CryoMetricsServer *self = CRYO_METRICS_SERVER (object);

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (cryo_metrics_server_parent_class)->finalize (object);
}

static void
cryo_metrics_server_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CryoMetricsServer *self = CRYO_METRICS_SERVER (object);

  switch (prop_id)
    {
    case PROP_DEVICES:
      g_value_set_object (value, self->devices);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_metrics_server_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CryoMetricsServer *self = CRYO_METRICS_SERVER (object);

  switch (prop_id)
    {
    case PROP_DEVICES:
      self->devices = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_metrics_server_class_init (CryoMetricsServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cryo_metrics_server_constructed;
  object_class->dispose = cryo_metrics_server_dispose;
  object_class->finalize = cryo_metrics_server_finalize;
  object_class->get_property = cryo_metrics_server_get_property;
  object_class->set_property = cryo_metrics_server_set_property;

  /**
   * CryoMetricsServer:devices:
   *
   * The devices whose metrics are served (a #GListModel of #CryoDevice),
   * read at every scrape, so devices added later are served too.
   */
  properties [PROP_DEVICES] =
    g_param_spec_object ("devices", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoMetricsServer:settings:
   *
   * The application settings whose `metrics-enabled`, `metrics-address`
   * and `metrics-port` the server follows, or %NULL when it serves only
   * where cryo_metrics_server_listen() says (`--metrics-listen`).
   */
  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoMetricsServer:uri:
   *
   * Where the metrics are served (`http://127.0.0.1:9184/metrics`), or
   * %NULL when they are not.
   */
  properties [PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoMetricsServer:error:
   *
   * Why the metrics are not served where they should be (the address is
   * wrong or in use), translated; %NULL otherwise.
   */
  properties [PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cryo_metrics_server_init (CryoMetricsServer *self)
{
}

/**
 * cryo_metrics_server_new:
 * @devices: (element-type CryoDevice): the devices to serve the metrics of
 * @settings: (nullable): the application settings to follow (see
 *   #CryoMetricsServer:settings)
 *
 * Creates the metrics endpoint. With @settings it starts serving at once
 * if the preference says so; errors go to #CryoMetricsServer:error.
 *
 * Returns: (transfer full): a new server
 */
CryoMetricsServer *
cryo_metrics_server_new (GListModel *devices,
                         GSettings  *settings)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (devices), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRYO_TYPE_METRICS_SERVER,
                       "devices", devices,
                       "settings", settings,
                       NULL);
}

/**
 * cryo_metrics_parse_listen:
 * @listen: `ADDRESS:PORT`: an IPv4 address, or an IPv6 address in
 *   brackets, and a port from 0 to 65535 (0 for any free port):
 *   `127.0.0.1:9184`, `0.0.0.0:9184`, `[::1]:9184`
 * @address: (out) (transfer full): the socket address
 * @error: %G_IO_ERROR_INVALID_ARGUMENT when @listen is not of that form
 *   (host names are refused: resolving one could block)
 *
 * Returns: %TRUE when @listen was understood
 */
gboolean
cryo_metrics_parse_listen (const char      *listen,
                           GSocketAddress **address,
                           GError         **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  const char *colon;
  guint64 port;

  g_return_val_if_fail (listen != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  colon = strrchr (listen, ':');
  if (colon != NULL)
    {
      if (listen[0] == '[' && colon > listen + 1 && colon[-1] == ']')
        host = g_strndup (listen + 1, colon - listen - 2);
      else if (listen[0] != '[' && memchr (listen, ':', colon - listen) == NULL)
        host = g_strndup (listen, colon - listen);
    }

  if (host != NULL)
    inet = g_inet_address_new_from_string (host);

  if (inet == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, G_MAXUINT16, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The metrics address must be ADDRESS:PORT with a numeric IP address, such as "
                     "127.0.0.1:%d or [::1]:%d, not “%s”"),
                   CRYO_METRICS_DEFAULT_PORT, CRYO_METRICS_DEFAULT_PORT, listen);
      return FALSE;
    }

  *address = g_inet_socket_address_new (inet, (guint16) port);
  return TRUE;
}

/**
 * cryo_metrics_dup_settings_listen:
 * @settings: (nullable): the application settings
 *
 * Returns: (transfer full) (nullable): where the preference says to serve
 *   the metrics, as `ADDRESS:PORT` (an IPv6 address in brackets), or %NULL
 *   when it is off (or there are no settings)
 */
char *
cryo_metrics_dup_settings_listen (GSettings *settings)
{
  g_autofree char *address = NULL;
  guint port;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (settings == NULL || !g_settings_get_boolean (settings, "metrics-enabled"))
    return NULL;

  address = g_strstrip (g_settings_get_string (settings, "metrics-address"));
  port = g_settings_get_uint (settings, "metrics-port");

  if (strchr (address, ':') != NULL && address[0] != '[')
    return g_strdup_printf ("[%s]:%u", address, port);

  return g_strdup_printf ("%s:%u", address, port);
}

/**
 * cryo_metrics_server_listen:
 * @self: a #CryoMetricsServer
 * @listen: where to serve: `ADDRESS:PORT` (see cryo_metrics_parse_listen())
 * @error: %G_IO_ERROR_INVALID_ARGUMENT for a malformed @listen, or the
 *   #GIOError of the socket (%G_IO_ERROR_ADDRESS_IN_USE, …), its message
 *   saying where
 *
 * Serves `GET /metrics` at @listen on the thread-default main context,
 * instead of wherever it was served before. On failure nothing is served
 * and #CryoMetricsServer:error says why.
 *
 * Returns: %TRUE when the metrics are served
 */
gboolean
cryo_metrics_server_listen (CryoMetricsServer  *self,
                            const char         *listen,
                            GError            **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *host = NULL;
  g_autofree char *uri = NULL;
  GSList *listeners;

  g_return_val_if_fail (CRYO_IS_METRICS_SERVER (self), FALSE);
  g_return_val_if_fail (listen != NULL, FALSE);

  cryo_metrics_server_stop (self);

  if (!cryo_metrics_parse_listen (listen, &address, &local_error))
    {
      set_uri_and_error (self, NULL, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->server = soup_server_new ("server-header", PACKAGE_NAME "/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->server, NULL, on_request_cb, self, NULL);

  if (!soup_server_listen (self->server, address, 0, &local_error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot serve metrics at %s: %s"),
                                                  listen, local_error->message);

      g_clear_object (&self->server);
      set_uri_and_error (self, NULL, message);
      g_set_error_literal (error, local_error->domain, local_error->code, message);
      return FALSE;
    }

  /* The port the system chose for port 0. (Not soup_server_get_uris(),
   * which leaks an address in libsoup 3.2.) */
  listeners = soup_server_get_listeners (self->server);
  g_assert (listeners != NULL);
  bound = g_socket_get_local_address (listeners->data, &local_error);
  g_slist_free (listeners);
  if (bound == NULL)
    {
      cryo_metrics_server_stop (self);
      set_uri_and_error (self, NULL, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)));
  uri = g_uri_join (G_URI_FLAGS_NONE, "http", NULL, host,
                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                    "/metrics", NULL, NULL);
  set_uri_and_error (self, uri, NULL);

  return TRUE;
}

/**
 * cryo_metrics_server_stop:
 * @self: a #CryoMetricsServer
 *
 * Stops serving, closing the port; requests in progress are dropped.
 */
void
cryo_metrics_server_stop (CryoMetricsServer *self)
{
  g_return_if_fail (CRYO_IS_METRICS_SERVER (self));

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  set_uri_and_error (self, NULL, NULL);
}

/**
 * cryo_metrics_server_get_uri:
 * @self: a #CryoMetricsServer
 *
 * Returns: (nullable): #CryoMetricsServer:uri
 */
const char *
cryo_metrics_server_get_uri (CryoMetricsServer *self)
{
  g_return_val_if_fail (CRYO_IS_METRICS_SERVER (self), NULL);

  return self->uri;
}

/**
 * cryo_metrics_server_get_error:
 * @self: a #CryoMetricsServer
 *
 * Returns: (nullable): #CryoMetricsServer:error
 */
const char *
cryo_metrics_server_get_error (CryoMetricsServer *self)
{
  g_return_val_if_fail (CRYO_IS_METRICS_SERVER (self), NULL);

  return self->error;
}
