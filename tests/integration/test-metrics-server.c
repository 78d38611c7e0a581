/* test-metrics-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The metrics endpoint over HTTP on the demo's simulated instruments: what
 * GET /metrics serves (and that promtool accepts it), that nothing else is
 * served, where it listens, and that it follows the preference.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <math.h>

#include "cryo-metrics-server.h"
#include "cryo-session.h"
#include "test-device-util.h"

typedef struct
{
  guint    status;
  char    *content_type;
  char    *allow;
  GBytes  *body;
  gboolean done;
} Response;

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->content_type, g_free);
  g_clear_pointer (&response->allow, g_free);
  g_clear_pointer (&response->body, g_bytes_unref);
}

static void
on_response_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Response *response = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;

  response->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                                            NULL));
  response->allow = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Allow"));
  response->done = TRUE;
}

/* Sends @method @uri and runs the main context (where the server also
 * runs) until the response is in. */
static void
request (const char *method,
         const char *uri,
         Response   *response)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);

  memset (response, 0, sizeof *response);
  g_assert_nonnull (msg);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_response_cb, response);
  while (!response->done)
    g_main_context_iteration (NULL, TRUE);
}

static char *
body_text (Response *response)
{
  gsize len;
  const char *data = g_bytes_get_data (response->body, &len);

  return g_strndup (data, len);
}

static CryoDevice *
find_device_of_kind (CryoSession *session,
                     const char  *kind)
{
  GListModel *devices = cryo_session_get_devices (session);

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, i);

      if (g_str_equal (cryo_device_get_kind (device)->id, kind))
        return device;
    }

  g_error ("no %s in the demo", kind);
}

static gboolean
has_pressure (gpointer data)
{
  CryoDevice *device = data;

  return isfinite (cryo_channel_get_reading (cryo_device_lookup_channel (device, "pressure")).value);
}

/* promtool (Debian's prometheus package) lints @text as Prometheus would
 * read it: names, units, counters, HELP. */
static void
assert_promtool_accepts (const char *text)
{
  g_autofree char *promtool = g_find_program_in_path ("promtool");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (promtool == NULL)
    {
      g_test_skip ("promtool is not installed (Debian package prometheus, which build-aux/setup.sh installs)");
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              promtool, "check", "metrics", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("promtool: %s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");
}

static void
test_http (void)
{
  g_autoptr(CryoSession) session = cryo_session_new (NULL);
  g_autoptr(CryoMetricsServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *base = NULL;
  g_autofree char *other = NULL;
  g_autofree char *expected = NULL;
  CryoDevice *station;
  Response response;

  g_assert_true (cryo_session_load (session, NULL, TRUE, &error));
  g_assert_no_error (error);
  station = find_device_of_kind (session, "pump-station");

  server = cryo_metrics_server_new (cryo_session_get_devices (session), NULL);
  g_assert_null (cryo_metrics_server_get_uri (server));
  g_assert_true (cryo_metrics_server_listen (server, "127.0.0.1:0", &error));
  g_assert_no_error (error);
  g_assert_null (cryo_metrics_server_get_error (server));
  g_assert_true (g_str_has_prefix (cryo_metrics_server_get_uri (server), "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (cryo_metrics_server_get_uri (server), "/metrics"));
  g_assert_cmpstr (cryo_metrics_server_get_uri (server) + strlen ("http://127.0.0.1:"), !=, "0/metrics");

  cryo_session_set_monitoring (session, TRUE);
  g_assert_true (wait_for (has_pressure, station, 10000));

  request ("GET", cryo_metrics_server_get_uri (server), &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpstr (response.content_type, ==, "text/plain");
  text = body_text (&response);
  g_test_message ("%s", text);
  response_clear (&response);

  /* The station's pressure, in pascals, as the device has it. */
  expected = g_strdup_printf ("\ncryomon_pressure_pascals{device=\"%s\",kind=\"pump-station\",channel=\"pressure\"} ",
                              cryo_device_get_name (station));
  g_assert_nonnull (strstr (text, expected));
  g_assert_nonnull (strstr (text, "\n# TYPE cryomon_temperature_kelvin gauge\n"));
  g_assert_nonnull (strstr (text, "state=\"online\"} 1\n"));
  assert_promtool_accepts (text);

  /* HEAD: the headers of GET, no body. */
  request ("HEAD", cryo_metrics_server_get_uri (server), &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (response.body), ==, 0);
  response_clear (&response);

  /* Read-only: every other method is refused, and says which it allows. */
  for (guint i = 0; i < 4; i++)
    {
      const char *methods[] = { "POST", "PUT", "DELETE", "PATCH" };

      request (methods[i], cryo_metrics_server_get_uri (server), &response);
      g_assert_cmpuint (response.status, ==, 405);
      g_assert_cmpstr (response.allow, ==, "GET, HEAD");
      response_clear (&response);
    }

  /* Nothing but /metrics. */
  base = g_strndup (cryo_metrics_server_get_uri (server),
                    strlen (cryo_metrics_server_get_uri (server)) - strlen ("metrics"));
  for (guint i = 0; i < 4; i++)
    {
      const char *paths[] = { "", "metrics/", "start", "metrics/pump-station/start" };
      g_autofree char *uri = g_strconcat (base, paths[i], NULL);

      request (i == 3 ? "POST" : "GET", uri, &response);
      g_assert_cmpuint (response.status, ==, 404);
      response_clear (&response);
    }

  /* No request started anything. */
  for (guint o = 0; o < CRYO_N_ACTION_OUTCOMES; o++)
    {
      g_assert_cmpuint (cryo_device_get_n_action_outcomes (station, "start", o), ==, 0);
      g_assert_cmpuint (cryo_device_get_n_action_outcomes (station, "stop", o), ==, 0);
    }

  /* A port in use: an error that says where, and nothing served. */
  {
    g_autoptr(CryoMetricsServer) second = cryo_metrics_server_new (cryo_session_get_devices (session), NULL);
    g_autofree char *port = g_strndup (base + strlen ("http://127.0.0.1:"),
                                       strlen (base) - strlen ("http://127.0.0.1:") - 1);

    other = g_strdup_printf ("127.0.0.1:%s", port);
    g_assert_false (cryo_metrics_server_listen (second, other, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
    g_assert_nonnull (strstr (error->message, other));
    g_assert_null (cryo_metrics_server_get_uri (second));
    g_assert_cmpstr (cryo_metrics_server_get_error (second), ==, error->message);
    g_clear_error (&error);
  }

  /* Stopped: the port is closed. */
  cryo_metrics_server_stop (server);
  g_assert_null (cryo_metrics_server_get_uri (server));
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, other, 0, NULL, &error);

    g_assert_null (connection);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
    g_clear_error (&error);
  }

  cryo_session_shutdown (session);
}

static void
test_parse_listen (void)
{
  const char *good[] = { "127.0.0.1:9184", "0.0.0.0:0", "[::1]:9184", "[::]:65535", "192.0.2.7:1" };
  const char *bad[] = { "", ":9184", "localhost:9184", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                        "127.0.0.1:-1", "127.0.0.1:91x", "::1:9184", "[::1]", "[::1]:", "[::1:9184",
                        "1.2.3:9184", "127.0.0.1:9184 ", " 127.0.0.1:9184" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GSocketAddress) address = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (cryo_metrics_parse_listen (good[i], &address, &error));
      g_assert_no_error (error);
      g_assert_true (G_IS_INET_SOCKET_ADDRESS (address));
    }

  {
    g_autoptr(GSocketAddress) address = NULL;

    g_assert_true (cryo_metrics_parse_listen ("[::1]:9184", &address, NULL));
    g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)), ==, 9184);
    g_assert_true (g_inet_address_get_is_loopback (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address))));
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GSocketAddress) address = NULL;
      g_autoptr(GError) error = NULL;

      if (cryo_metrics_parse_listen (bad[i], &address, &error))
        g_error ("“%s” was accepted", bad[i]);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_null (address);
    }
}

/* A port nothing listens on now (the kernel's pick, released). */
static guint
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
count_notify (guint *count)
{
  (*count)++;
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GListStore) devices = g_list_store_new (CRYO_TYPE_DEVICE);
  g_autoptr(CryoMetricsServer) server = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *listen = NULL;
  guint port = free_port ();
  guint n_uri = 0;
  Response response;

  /* Off unless asked for; the default address is this computer's. */
  g_assert_false (g_settings_get_boolean (settings, "metrics-enabled"));
  g_assert_null (cryo_metrics_dup_settings_listen (settings));
  g_assert_null (cryo_metrics_dup_settings_listen (NULL));
  server = cryo_metrics_server_new (G_LIST_MODEL (devices), settings);
  g_assert_null (cryo_metrics_server_get_uri (server));
  g_assert_null (cryo_metrics_server_get_error (server));
  g_signal_connect_swapped (server, "notify::uri", G_CALLBACK (count_notify), &n_uri);

  g_settings_set_uint (settings, "metrics-port", port);
  g_assert_null (cryo_metrics_server_get_uri (server));
  g_assert_cmpuint (n_uri, ==, 0);

  g_settings_set_boolean (settings, "metrics-enabled", TRUE);
  listen = cryo_metrics_dup_settings_listen (settings);
  expected = g_strdup_printf ("127.0.0.1:%u", port);
  g_assert_cmpstr (listen, ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("http://127.0.0.1:%u/metrics", port);
  g_assert_cmpstr (cryo_metrics_server_get_uri (server), ==, expected);
  g_assert_cmpuint (n_uri, ==, 1);

  /* No devices: the build info alone. */
  request ("GET", expected, &response);
  g_assert_cmpuint (response.status, ==, 200);
  {
    g_autofree char *text = body_text (&response);

    g_assert_true (g_str_has_prefix (text, "# HELP cryomon_build_info "));
  }
  response_clear (&response);

  /* An address that is not one: not served, and the reason is there. */
  g_settings_set_string (settings, "metrics-address", "lab-pc-7");
  g_assert_null (cryo_metrics_server_get_uri (server));
  g_assert_nonnull (strstr (cryo_metrics_server_get_error (server), "lab-pc-7"));
  g_assert_cmpuint (n_uri, ==, 2);

  /* IPv6 addresses get their brackets. */
  g_settings_set_string (settings, "metrics-address", "::1");
  g_clear_pointer (&listen, g_free);
  listen = cryo_metrics_dup_settings_listen (settings);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("[::1]:%u", port);
  g_assert_cmpstr (listen, ==, expected);

  g_settings_set_string (settings, "metrics-address", "127.0.0.1");
  g_assert_nonnull (cryo_metrics_server_get_uri (server));
  g_assert_null (cryo_metrics_server_get_error (server));

  g_settings_set_boolean (settings, "metrics-enabled", FALSE);
  g_assert_null (cryo_metrics_server_get_uri (server));
  g_assert_null (cryo_metrics_server_get_error (server));

  g_settings_reset (settings, "metrics-enabled");
  g_settings_reset (settings, "metrics-address");
  g_settings_reset (settings, "metrics-port");
  g_assert_finalize_object (g_steal_pointer (&server));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics-server/http", test_http);
  g_test_add_func ("/metrics-server/parse-listen", test_parse_listen);
  g_test_add_func ("/metrics-server/settings", test_settings);

  return g_test_run ();
}
