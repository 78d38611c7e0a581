/* test-socket-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw TCP transport (serial device servers) against a peer made here: a
 * GSocketListener on 127.0.0.1 whose one connection a thread of the test plays
 * as the device server would, following a script per test.
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>

#include "cryo-socket-transport.h"

typedef struct _Peer Peer;

/* Runs in the peer's thread with the accepted connection, blocking as it likes. */
typedef void (*PeerScript) (GSocketConnection *connection);

struct _Peer
{
  GSocketListener *listener;
  guint16          port;
  PeerScript       script;
  GThread         *thread;
};

static gpointer
peer_thread (gpointer data)
{
  Peer *peer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_listener_accept (peer->listener, NULL, NULL, &error);
  g_assert_no_error (error);

  peer->script (connection);

  return NULL;
}

/* Listens on 127.0.0.1, a port of the kernel's choosing, and serves one
 * connection with @script. */
static Peer *
peer_new (PeerScript script)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  Peer *peer = g_new0 (Peer, 1);

  peer->listener = g_socket_listener_new ();
  g_socket_listener_add_address (peer->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, (GSocketAddress **) &effective,
                                 &error);
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  peer->script = script;
  peer->thread = g_thread_new ("test-peer", peer_thread, peer);

  return peer;
}

/* Waits for the script to end, then stops listening. */
static void
peer_free (Peer *peer)
{
  g_thread_join (peer->thread);
  g_socket_listener_close (peer->listener);
  g_object_unref (peer->listener);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

static CryoTransport *
open_transport (Peer *peer)
{
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = cryo_socket_transport_new ("127.0.0.1", peer->port);

  cryo_transport_open (transport, &error);
  g_assert_no_error (error);
  g_assert_true (cryo_transport_is_open (transport));

  return transport;
}

/* Reads until @len bytes have come, each read waiting up to 2 s. */
static void
read_exactly (CryoTransport *transport,
              guint8        *buffer,
              gsize          len)
{
  gsize done = 0;

  while (done < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = cryo_transport_read (transport, buffer + done, len - done, 2000, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      done += n;
    }
}

static void
peer_read_exactly (GSocketConnection *connection,
                   const char        *expected)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autofree char *got = g_malloc0 (strlen (expected) + 1);
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  g_assert_true (g_input_stream_read_all (in, got, strlen (expected), &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expected);
}

static void
peer_write (GSocketConnection *connection,
            const char        *bytes)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (out, bytes, strlen (bytes), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Until the client closes: so that the peer's close never races the test. */
static void
peer_wait_for_close (GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  char buffer[64];

  while (g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
}

static void
echo_script (GSocketConnection *connection)
{
  peer_read_exactly (connection, "PING\r");
  /* A reply in two pieces, as a device server forwards what the line gave it. */
  peer_write (connection, "PO");
  peer_write (connection, "NG\r");
  peer_wait_for_close (connection);
}

static void
test_read_write (void)
{
  g_autoptr(Peer) peer = peer_new (echo_script);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strdup_printf ("tcp:127.0.0.1:%u", peer->port);
  CryoTransport *transport = open_transport (peer);
  guint8 reply[6] = { 0 };

  g_assert_cmpstr (cryo_transport_get_description (transport), ==, description);
  g_assert_cmpstr (cryo_socket_transport_get_host (CRYO_SOCKET_TRANSPORT (transport)), ==, "127.0.0.1");
  g_assert_cmpuint (cryo_socket_transport_get_port (CRYO_SOCKET_TRANSPORT (transport)), ==, peer->port);

  g_assert_true (cryo_transport_write_all (transport, (const guint8 *) "PING\r", 5, &error));
  g_assert_no_error (error);
  read_exactly (transport, reply, 5);
  g_assert_cmpstr ((char *) reply, ==, "PONG\r");

  cryo_transport_close (transport);
  g_assert_false (cryo_transport_is_open (transport));
  cryo_transport_close (transport);
  g_assert_finalize_object (transport);
}

static void
silent_script (GSocketConnection *connection)
{
  peer_wait_for_close (connection);
}

/* No reply is not an error: read returns 0 once the timeout has passed, and
 * not before; the connection stays open. */
static void
test_read_timeout (void)
{
  g_autoptr(Peer) peer = peer_new (silent_script);
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = open_transport (peer);
  guint8 buffer[16];
  gint64 start, elapsed;

  start = g_get_monotonic_time ();
  g_assert_cmpint (cryo_transport_read (transport, buffer, sizeof buffer, 200, &error), ==, 0);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpint (elapsed, >=, 200 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);

  /* 0 ms takes only what is there. */
  start = g_get_monotonic_time ();
  g_assert_cmpint (cryo_transport_read (transport, buffer, sizeof buffer, 0, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_assert_true (cryo_transport_is_open (transport));
  cryo_transport_close (transport);
  g_assert_finalize_object (transport);
}

static void
close_script (GSocketConnection *connection)
{
  peer_write (connection, "AB");
  g_assert_true (g_io_stream_close (G_IO_STREAM (connection), NULL, NULL));
}

/* The device server closes the connection (restarted, or it gave the port to
 * another client): bytes sent before still come first, then DISCONNECTED,
 * which a link takes as the port gone. */
static void
test_peer_close (void)
{
  g_autoptr(Peer) peer = peer_new (close_script);
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1:%u", peer->port);
  CryoTransport *transport = open_transport (peer);
  guint8 buffer[3] = { 0 };

  read_exactly (transport, buffer, 2);
  g_assert_cmpstr ((char *) buffer, ==, "AB");

  g_assert_cmpint (cryo_transport_read (transport, buffer, sizeof buffer, 2000, &error), ==, -1);
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_assert_true (cryo_transport_error_is_fatal (error));
  g_assert_nonnull (strstr (error->message, endpoint));

  cryo_transport_close (transport);
  g_assert_finalize_object (transport);
}

static void
reset_script (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };
  char request;

  /* Only once the client has written, so its connect has finished: a reset that
   * overtakes the connect fails cryo_transport_open() instead (ECONNRESET from
   * the connect result), a different case than the one tested here. */
  g_assert_cmpint (g_socket_receive (socket, &request, 1, NULL, NULL), ==, 1);

  /* A zero linger time makes close send a reset rather than end-of-file. */
  g_assert_no_errno (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER,
                                 &linger, sizeof linger));
  g_assert_true (g_socket_close (socket, NULL));
}

static void
test_peer_reset (void)
{
  g_autoptr(Peer) peer = peer_new (reset_script);
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1:%u", peer->port);
  CryoTransport *transport = open_transport (peer);
  guint8 buffer[8];

  g_assert_true (cryo_transport_write_all (transport, (const guint8 *) "?", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cryo_transport_read (transport, buffer, sizeof buffer, 2000, &error), ==, -1);
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (error->message, endpoint));
  g_clear_error (&error);

  /* Writing to the dead connection fails the same way, without SIGPIPE. */
  g_assert_false (cryo_transport_write_all (transport, (const guint8 *) "?", 1, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);

  cryo_transport_close (transport);
  g_assert_finalize_object (transport);
}

static void
garbage_script (GSocketConnection *connection)
{
  /* One write: on loopback it arrives whole. */
  peer_write (connection, "garbage!");
  peer_read_exactly (connection, "Q");
  peer_write (connection, "R");
  peer_wait_for_close (connection);
}

/* Discarding drops what has arrived, without waiting for more. */
static void
test_discard_input (void)
{
  g_autoptr(Peer) peer = peer_new (garbage_script);
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = open_transport (peer);
  guint8 buffer[16] = { 0 };
  gint64 start;

  /* The first byte proves the rest is here too. */
  read_exactly (transport, buffer, 1);
  g_assert_cmpint (buffer[0], ==, 'g');

  start = g_get_monotonic_time ();
  cryo_transport_discard_input (transport);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_assert_true (cryo_transport_write_all (transport, (const guint8 *) "Q", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cryo_transport_read (transport, buffer, sizeof buffer, 2000, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (buffer[0], ==, 'R');

  cryo_transport_close (transport);
  /* Closed: nothing to discard, nothing happens. */
  cryo_transport_discard_input (transport);
  g_assert_finalize_object (transport);
}

/* A port bound but not listening: nobody else takes it, connects are refused. */
static guint16
get_refusing_port (GSocket **socket)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                          &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (*socket, address, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (*socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;
  guint16 port = get_refusing_port (&socket);
  CryoTransport *transport = cryo_socket_transport_new ("127.0.0.1", port);

  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED);
  g_assert_true (cryo_transport_error_is_fatal (error));
  prefix = g_strdup_printf ("Could not connect to 127.0.0.1:%u: ", port);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  /* Said once, not again by GSocketClient. */
  g_assert_null (strstr (error->message + strlen (prefix), "Could not connect"));
  g_assert_false (cryo_transport_is_open (transport));

  g_assert_finalize_object (transport);
}

static void
test_unknown_host (void)
{
  g_autoptr(GError) error = NULL;
  /* .invalid never resolves (RFC 6761). */
  CryoTransport *transport = cryo_socket_transport_new ("nport.cryomon-test.invalid", 4001);

  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nport.cryomon-test.invalid:4001"));
  g_assert_false (cryo_transport_is_open (transport));
  g_assert_finalize_object (transport);
}

static void
test_not_open (void)
{
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = cryo_socket_transport_new ("127.0.0.1", 4001);
  CryoTransport *v6 = cryo_socket_transport_new ("::1", 4001);
  guint8 buffer[4];

  g_assert_cmpstr (cryo_transport_get_description (transport), ==, "tcp:127.0.0.1:4001");
  g_assert_cmpstr (cryo_transport_get_description (v6), ==, "tcp:[::1]:4001");
  g_assert_false (cryo_transport_is_open (transport));

  g_assert_cmpint (cryo_transport_read (transport, buffer, sizeof buffer, 10, &error), ==, -1);
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (cryo_transport_write_all (transport, buffer, 1, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO);
  g_clear_error (&error);
  cryo_transport_discard_input (transport);
  cryo_transport_close (transport);

  g_assert_finalize_object (transport);
  g_assert_finalize_object (v6);
}

static void
test_invalid_port (void)
{
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = cryo_socket_transport_new ("127.0.0.1", 0);

  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_assert_finalize_object (transport);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/socket-transport/read-write", test_read_write);
  g_test_add_func ("/socket-transport/read-timeout", test_read_timeout);
  g_test_add_func ("/socket-transport/peer-close", test_peer_close);
  g_test_add_func ("/socket-transport/peer-reset", test_peer_reset);
  g_test_add_func ("/socket-transport/discard-input", test_discard_input);
  g_test_add_func ("/socket-transport/refused", test_refused);
  g_test_add_func ("/socket-transport/unknown-host", test_unknown_host);
  g_test_add_func ("/socket-transport/not-open", test_not_open);
  g_test_add_func ("/socket-transport/invalid-port", test_invalid_port);

  return g_test_run ();
}
