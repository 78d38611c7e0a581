/* cryo-socket-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-socket-transport"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "cryo-socket-transport.h"

/* How long write_all waits for room in a full send buffer, as the serial
 * transport does: a device server that stops taking bytes is stuck. */
#define WRITE_STALL_TIMEOUT_MS 5000

/* Bounds discard_input, so that a babbling instrument cannot keep us there. */
#define DISCARD_CHUNK      256
#define DISCARD_MAX_CHUNKS 64

/*
 * A serial port on a device server (Moxa NPort in TCP server mode, ser2net in
 * raw mode): one TCP connection carries the instrument's bytes both ways, with
 * no framing of its own and no line settings (the server's web page or
 * configuration file sets those). GSocketClient connects; afterwards the link's
 * worker waits on the socket itself with deadlines of its own and never lets a
 * call block, as the serial transport does with poll().
 */
struct _CryoSocketTransport
{
  GObject            parent_instance;

  char              *host;
  guint              port;
  char              *endpoint;     /* "host:port", "[v6]:port": for messages */
  char              *description;  /* "tcp:" endpoint */

  GSocketConnection *connection;   /* NULL when closed */
  GSocket           *socket;       /* owned by @connection */
};

static void cryo_socket_transport_iface_init (CryoTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CryoSocketTransport, cryo_socket_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_TRANSPORT,
                                                      cryo_socket_transport_iface_init))

typedef enum
{
  SOCKET_OP_READ,
  SOCKET_OP_WRITE,
} SocketOp;

static void
set_not_open_error (CryoSocketTransport  *self,
                    GError              **error)
{
  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
               _("The connection to %s is not open."), self->endpoint);
}

static void
set_disconnected_error (CryoSocketTransport  *self,
                        GError              **error)
{
  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED,
               _("The connection to %s was closed. Check the serial device server and "
                 "the network."),
               self->endpoint);
}

/* A failed read or write: the peer closing or resetting the connection, or the
 * network failing under it, is a disconnection (the link reconnects); anything
 * else an I/O error, which closes the connection too. */
static void
set_io_error (CryoSocketTransport  *self,
              const GError         *io_error,
              SocketOp              op,
              GError              **error)
{
  if (io_error->domain == G_IO_ERROR)
    {
      switch (io_error->code)
        {
        case G_IO_ERROR_CONNECTION_CLOSED:  /* ECONNRESET, EPIPE */
        case G_IO_ERROR_NOT_CONNECTED:
        case G_IO_ERROR_TIMED_OUT:          /* the kernel gave up retransmitting */
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_CONNECTION_REFUSED:
          set_disconnected_error (self, error);
          return;

        default:
          break;
        }
    }

  if (op == SOCKET_OP_READ)
    g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
                 _("Could not read from %s: %s"), self->endpoint, io_error->message);
  else
    g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
                 _("Could not write to %s: %s"), self->endpoint, io_error->message);
}

/* GSocketClient prefixes its own "Could not connect to …": say it once, in the
 * operator's terms, from the error code. */
static void
set_connect_error (CryoSocketTransport  *self,
                   const GError         *connect_error,
                   GError              **error)
{
  const char *reason = connect_error->message;

  if (connect_error->domain == G_RESOLVER_ERROR)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND,
                   _("Could not find the host of %s: %s. Check the serial device server’s "
                     "address."),
                   self->endpoint, connect_error->message);
      return;
    }

  if (g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED,
                   _("Could not connect to %s: no answer within %u s. Is the serial device "
                     "server on the network?"),
                   self->endpoint, CRYO_SOCKET_TRANSPORT_CONNECT_TIMEOUT_S);
      return;
    }

  if (g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    reason = g_strerror (ECONNREFUSED);
  else if (g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    reason = g_strerror (EHOSTUNREACH);
  else if (g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    reason = g_strerror (ENETUNREACH);

  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED,
               _("Could not connect to %s: %s. Is the serial device server on, with this "
                 "port in raw TCP server mode?"),
               self->endpoint, reason);
}

static void
cryo_socket_transport_close (CryoTransport *transport)
{
  CryoSocketTransport *self = CRYO_SOCKET_TRANSPORT (transport);

  if (self->connection == NULL)
    return;

  g_debug ("Closing %s", self->description);

  /* Closing the stream closes the socket; an error here changes nothing. */
  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  self->socket = NULL;
  g_clear_object (&self->connection);
}

static gboolean
cryo_socket_transport_open (CryoTransport  *transport,
                            GError        **error)
{
  CryoSocketTransport *self = CRYO_SOCKET_TRANSPORT (transport);
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;
  GSocket *socket;

  cryo_socket_transport_close (transport);

  if (self->port == 0 || self->port > 65535)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                   _("Invalid TCP port %u. Choose the port the serial device server "
                     "serves this line on, from 1 to 65535."),
                   self->port);
      return FALSE;
    }

  client = g_socket_client_new ();
  /* A device server sits on the lab network: a desktop's web proxy is not the
   * way there. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, CRYO_SOCKET_TRANSPORT_CONNECT_TIMEOUT_S);

  address = g_network_address_new (self->host, (guint16) self->port);
  connection = g_socket_client_connect (client, address, NULL, &local_error);
  if (connection == NULL)
    {
      set_connect_error (self, local_error, error);
      return FALSE;
    }

  socket = g_socket_connection_get_socket (connection);

  /* The client's timeout stays on the socket; reads and writes keep deadlines
   * of their own instead. */
  g_socket_set_timeout (socket, 0);

  /* Requests are a few bytes each and the reply is awaited before the next:
   * Nagle's algorithm would only add latency. */
  if (!g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, &local_error))
    {
      g_debug ("%s: cannot set TCP_NODELAY: %s", self->description, local_error->message);
      g_clear_error (&local_error);
    }

  self->connection = g_steal_pointer (&connection);
  self->socket = socket;

  g_debug ("Connected to %s", self->description);

  return TRUE;
}

static gboolean
cryo_socket_transport_is_open (CryoTransport *transport)
{
  return CRYO_SOCKET_TRANSPORT (transport)->connection != NULL;
}

/* Waits until @condition holds or @deadline (monotonic µs) passes. GSocket
 * waits in whole milliseconds, rounding down: round up, so that a wait never
 * ends before its deadline. */
static gboolean
wait_for_condition (CryoSocketTransport  *self,
                    GIOCondition          condition,
                    gint64                deadline,
                    GError              **error)
{
  gint64 left = MAX (deadline - g_get_monotonic_time (), 0);

  return g_socket_condition_timed_wait (self->socket, condition, (left + 999) / 1000 * 1000,
                                        NULL, error);
}

static gboolean
cryo_socket_transport_write_all (CryoTransport  *transport,
                                 const guint8   *data,
                                 gsize           len,
                                 GError        **error)
{
  CryoSocketTransport *self = CRYO_SOCKET_TRANSPORT (transport);
  gsize done = 0;

  if (self->socket == NULL)
    {
      set_not_open_error (self, error);
      return FALSE;
    }

  while (done < len)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 deadline;
      gssize n;

      /* GSocket sends with MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE. */
      n = g_socket_send_with_blocking (self->socket, (const char *) data + done, len - done,
                                       FALSE, NULL, &local_error);
      if (n > 0)
        {
          done += n;
          continue;
        }

      if (n < 0 && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          set_io_error (self, local_error, SOCKET_OP_WRITE, error);
          return FALSE;
        }
      g_clear_error (&local_error);

      deadline = g_get_monotonic_time () + WRITE_STALL_TIMEOUT_MS * 1000;
      if (!wait_for_condition (self, G_IO_OUT, deadline, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
                         _("%s does not accept data. Check the serial device server and "
                           "the network."),
                         self->endpoint);
          else
            set_io_error (self, local_error, SOCKET_OP_WRITE, error);
          return FALSE;
        }
    }

  return TRUE;
}

static gssize
cryo_socket_transport_read (CryoTransport  *transport,
                            guint8         *buffer,
                            gsize           len,
                            guint           timeout_ms,
                            GError        **error)
{
  CryoSocketTransport *self = CRYO_SOCKET_TRANSPORT (transport);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (self->socket == NULL)
    {
      set_not_open_error (self, error);
      return -1;
    }

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n;

      if (!wait_for_condition (self, G_IO_IN, deadline, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            return 0;

          set_io_error (self, local_error, SOCKET_OP_READ, error);
          return -1;
        }

      /* Readable also means end-of-file or an error pending: receive says which. */
      n = g_socket_receive_with_blocking (self->socket, (char *) buffer, len, FALSE, NULL,
                                          &local_error);
      if (n > 0)
        return n;

      if (n == 0)
        {
          set_disconnected_error (self, error);
          return -1;
        }

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          if (g_get_monotonic_time () >= deadline)
            return 0;
          continue;
        }

      set_io_error (self, local_error, SOCKET_OP_READ, error);
      return -1;
    }
}

static void
cryo_socket_transport_discard_input (CryoTransport *transport)
{
  CryoSocketTransport *self = CRYO_SOCKET_TRANSPORT (transport);
  char scratch[DISCARD_CHUNK];

  if (self->socket == NULL)
    return;

  /* What has arrived and no more; end-of-file or an error stays pending for
   * the next read to report. */
  for (guint i = 0; i < DISCARD_MAX_CHUNKS; i++)
    {
      if (g_socket_receive_with_blocking (self->socket, scratch, sizeof scratch, FALSE,
                                          NULL, NULL) <= 0)
        break;
    }
}

static const char *
cryo_socket_transport_get_description (CryoTransport *transport)
{
  return CRYO_SOCKET_TRANSPORT (transport)->description;
}

static void
cryo_socket_transport_iface_init (CryoTransportInterface *iface)
{
  iface->open = cryo_socket_transport_open;
  iface->close = cryo_socket_transport_close;
  iface->is_open = cryo_socket_transport_is_open;
  iface->write_all = cryo_socket_transport_write_all;
  iface->read = cryo_socket_transport_read;
  iface->discard_input = cryo_socket_transport_discard_input;
  iface->get_description = cryo_socket_transport_get_description;
}

static void
cryo_socket_transport_finalize (GObject *object)
{
  CryoSocketTransport *self = (CryoSocketTransport *) object;

  cryo_socket_transport_close (CRYO_TRANSPORT (self));
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (cryo_socket_transport_parent_class)->finalize (object);
}

static void
cryo_socket_transport_class_init (CryoSocketTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_socket_transport_finalize;
}

static void
cryo_socket_transport_init (CryoSocketTransport *self)
{
}

/**
 * cryo_socket_transport_new:
 * @host: a host name, an IPv4 address or an IPv6 address (without brackets) of
 *   a serial device server
 * @port: the TCP port it serves the instrument's serial line on, 1 to 65535;
 *   there is no standard one (Moxa NPort: 4001 for its first port; ser2net:
 *   whatever its configuration says)
 *
 * Creates a closed transport to a serial port on a device server: raw TCP, the
 * instrument's bytes as they are (Moxa NPort "TCP Server" mode, ser2net "raw";
 * not telnet or RFC 2217, whose escapes would corrupt binary frames). The line
 * settings (baud rate, parity…) are the device server's, not Cryomon's.
 *
 * Opening looks @host up and connects within
 * %CRYO_SOCKET_TRANSPORT_CONNECT_TIMEOUT_S seconds, without any proxy: an
 * unknown host fails with %CRYO_TRANSPORT_ERROR_NOT_FOUND; a refused,
 * unreachable or unanswered connection with %CRYO_TRANSPORT_ERROR_OPEN_FAILED;
 * a port out of range with %CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT. Every message
 * names "HOST:PORT". Once open, the peer closing or resetting the connection is
 * %CRYO_TRANSPORT_ERROR_DISCONNECTED, so that a link reconnects with its
 * back-off; cryo_transport_read() returns 0 on timeout like the serial
 * transport, and cryo_transport_discard_input() drops what has arrived without
 * waiting. The description reads "tcp:HOST:PORT" ("tcp:[ADDRESS]:PORT" for an
 * IPv6 address).
 *
 * Thread: any; the transport itself is then used by one thread at a time (the
 * link's worker), where its calls block for at most their timeouts.
 *
 * Returns: (transfer full): a new #CryoSocketTransport
 */
CryoTransport *
cryo_socket_transport_new (const char *host,
                           guint       port)
{
  CryoSocketTransport *self;

  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  self = g_object_new (CRYO_TYPE_SOCKET_TRANSPORT, NULL);
  self->host = g_strdup (host);
  self->port = port;

  if (strchr (host, ':') != NULL)
    self->endpoint = g_strdup_printf ("[%s]:%u", host, port);
  else
    self->endpoint = g_strdup_printf ("%s:%u", host, port);
  self->description = g_strdup_printf ("tcp:%s", self->endpoint);

  return CRYO_TRANSPORT (self);
}

/**
 * cryo_socket_transport_get_host:
 * @self: a #CryoSocketTransport
 *
 * Thread: any.
 *
 * Returns: (transfer none): the host given to cryo_socket_transport_new()
 */
const char *
cryo_socket_transport_get_host (CryoSocketTransport *self)
{
  g_return_val_if_fail (CRYO_IS_SOCKET_TRANSPORT (self), NULL);

  return self->host;
}

/**
 * cryo_socket_transport_get_port:
 * @self: a #CryoSocketTransport
 *
 * Thread: any.
 *
 * Returns: the TCP port given to cryo_socket_transport_new()
 */
guint
cryo_socket_transport_get_port (CryoSocketTransport *self)
{
  g_return_val_if_fail (CRYO_IS_SOCKET_TRANSPORT (self), 0);

  return self->port;
}
