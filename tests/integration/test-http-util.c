/* test-http-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain HTTP/1.0 client for tests that talk to another process (the
 * metrics endpoint of a `cryomon`, Prometheus's API): blocking is fine
 * there, the server runs elsewhere.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "test-http-util.h"

/* Sends `METHOD PATH HTTP/1.0` to @host_and_port and reads the whole
 * response. Returns its status code, with its body in @body; 0 with @error
 * set when the server could not be reached or the response is not HTTP. */
guint
http_request (const char  *host_and_port,
              const char  *method,
              const char  *path,
              char       **body,
              GError     **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GByteArray) response = g_byte_array_new ();
  g_autofree char *request = NULL;
  const char *end_of_headers;
  guint status = 0;

  *body = NULL;
  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, host_and_port, 80, NULL, error);
  if (connection == NULL)
    return 0;

  request = g_strdup_printf ("%s %s HTTP/1.0\r\nHost: %s\r\n\r\n", method, path, host_and_port);
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  request, strlen (request), NULL, NULL, error))
    return 0;

  for (;;)
    {
      guint8 buffer[4096];
      gssize n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                      buffer, sizeof buffer, NULL, error);

      if (n < 0)
        return 0;
      if (n == 0)
        break;
      g_byte_array_append (response, buffer, (guint) n);
    }
  g_byte_array_append (response, (const guint8 *) "", 1);

  if (sscanf ((const char *) response->data, "HTTP/1.%*d %u", &status) != 1 ||
      (end_of_headers = strstr ((const char *) response->data, "\r\n\r\n")) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an HTTP response: %s",
                   (const char *) response->data);
      return 0;
    }

  *body = g_strdup (end_of_headers + 4);
  return status;
}

/* A TCP port nothing listens on now on loopback (the kernel's pick,
 * released), for a server that cannot be told to pick its own. */
guint
free_tcp_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_close (listener);

  return port;
}

/* Deletes @path and everything under it. */
void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_remove (path);
}
