/* cryo-sim-server-modbus.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Modbus side of #CryoSimServer: libmodbus frames the requests (RTU on
 * the pseudo-terminal, TCP from clients of a listening socket), the
 * #CryoSimModbusResponder applies them, and libmodbus builds the reply into
 * a socketpair, from which it is read back so that it can be dropped,
 * altered or delayed like any other reply.
 */

#define G_LOG_DOMAIN "cryo-sim-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cryo-sim-modbus-responder.h"
#include "cryo-sim-server-private.h"

#define LISTEN_BACKLOG         8
#define MAX_CLIENTS            16
#define RTU_SETTLE_US          (20 * 1000)
#define RTU_CHECKSUM_LENGTH    2
#define INDICATION_TIMEOUT_S   1

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static gboolean
ensure_capture (CryoSimServer  *self,
                GError        **error)
{
  if (self->capture_fds[0] >= 0)
    return TRUE;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, self->capture_fds) != 0)
    {
      int saved_errno = errno;

      self->capture_fds[0] = self->capture_fds[1] = -1;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot start the simulator: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static modbus_t *
new_rtu_context (const char *device,
                 guint       unit_id,
                 int         fd)
{
  modbus_t *ctx = modbus_new_rtu (device, 9600, 'N', 8, 1);

  if (ctx == NULL)
    return NULL;

  /* Never wait for ever, even if poll() woke us without a byte to read. */
  modbus_set_indication_timeout (ctx, INDICATION_TIMEOUT_S, 0);
  modbus_set_slave (ctx, (int) unit_id);
  modbus_set_socket (ctx, fd);

  return ctx;
}

static guint
get_unit_id (CryoSimServer *self)
{
  guint unit_id;

  g_mutex_lock (&self->mutex);
  unit_id = cryo_sim_modbus_responder_get_unit_id (CRYO_SIM_MODBUS_RESPONDER (self->responder));
  g_mutex_unlock (&self->mutex);

  return unit_id;
}

/* Frames the pseudo-terminal's bytes as Modbus RTU requests. */
gboolean
cryo_sim_server_setup_rtu (CryoSimServer      *self,
                           CryoSimConnection  *connection,
                           GError            **error)
{
  modbus_t *ctx;

  /* libmodbus waits on its descriptor with select(). */
  if (connection->fd >= FD_SETSIZE)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (EMFILE),
                   _("Cannot create a pseudo-terminal for the simulator: %s"),
                   g_strerror (EMFILE));
      return FALSE;
    }

  if (!ensure_capture (self, error))
    return FALSE;

  ctx = new_rtu_context (self->pty_path, get_unit_id (self), connection->fd);
  if (ctx == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot serve Modbus RTU: %s"), modbus_strerror (saved_errno));
      return FALSE;
    }

  connection->modbus = ctx;
  connection->owns_modbus = TRUE;
  return TRUE;
}

/* Applies a request and has libmodbus build the reply. Returns NULL when
 * there is none (an RTU broadcast). */
static GBytes *
build_reply (CryoSimServer     *self,
             CryoSimConnection *connection,
             const guint8      *query,
             int                len)
{
  CryoSimModbusResponder *responder = CRYO_SIM_MODBUS_RESPONDER (self->responder);
  modbus_t *ctx = connection->modbus;
  int header = modbus_get_header_length (ctx);
  int checksum = connection->is_socket ? 0 : RTU_CHECKSUM_LENGTH;
  guint8 buffer[MODBUS_MAX_ADU_LENGTH + 16];
  guint exception;
  ssize_t n;
  int rc;

  g_assert (len > header + checksum);

  while (read (self->capture_fds[1], buffer, sizeof buffer) > 0)
    ;

  g_mutex_lock (&self->mutex);
  exception = cryo_sim_modbus_responder_handle_request (responder, query + header,
                                                        (gsize) (len - header - checksum));
  modbus_set_socket (ctx, self->capture_fds[0]);
  if (exception != 0)
    rc = modbus_reply_exception (ctx, query, exception);
  else
    rc = modbus_reply (ctx, query, len, cryo_sim_modbus_responder_get_mapping (responder));
  g_mutex_unlock (&self->mutex);
  modbus_set_socket (ctx, connection->fd);

  if (rc < 0)
    {
      g_debug ("Cannot build a reply: %s", modbus_strerror (errno));
      return NULL;
    }

  n = read (self->capture_fds[1], buffer, sizeof buffer);
  if (n <= 0)
    return NULL;

  return g_bytes_new (buffer, (gsize) n);
}

/* Discards the rest of a bad RTU frame, as a device resynchronises on the
 * silence after it. */
static void
drain_rtu (int fd)
{
  guint8 buffer[256];

  g_usleep (RTU_SETTLE_US);
  while (read (fd, buffer, sizeof buffer) > 0)
    ;
}

static void
close_client (CryoSimServer     *self,
              CryoSimConnection *connection)
{
  cryo_sim_connection_close (connection);
  g_ptr_array_remove_fast (self->clients, connection);
}

/* Receives one request on @connection and answers it. Returns whether to go
 * on watching the connection. */
gboolean
cryo_sim_server_serve_modbus (CryoSimServer     *self,
                              CryoSimConnection *connection)
{
  guint8 query[MODBUS_MAX_ADU_LENGTH];
  g_autoptr(GBytes) reply = NULL;
  int rc;

  modbus_set_socket (connection->modbus, connection->fd);
  rc = modbus_receive (connection->modbus, query);

  if (rc < 0)
    {
      /* A closed connection or a bad frame. */
      g_debug ("Request not served: %s", modbus_strerror (errno));
      if (connection->is_socket)
        {
          close_client (self, connection);
          return G_SOURCE_REMOVE;
        }
      drain_rtu (connection->fd);
      return G_SOURCE_CONTINUE;
    }

  if (rc == 0)
    {
      modbus_t *fresh;

      /* A request for another unit id: libmodbus 3.1.6 then takes the next
       * frame for that unit's reply and ignores it, as on a shared RS-485
       * bus. On a point-to-point pty no other unit replies, and the next
       * frame is the master's next request: a fresh context forgets. */
      fresh = new_rtu_context (self->pty_path, get_unit_id (self), connection->fd);
      if (fresh != NULL)
        {
          modbus_free (connection->modbus);
          connection->modbus = fresh;
        }
      return G_SOURCE_CONTINUE;
    }

  cryo_sim_server_received (self, connection, (gsize) rc);
  reply = build_reply (self, connection, query, rc);
  if (reply != NULL)
    cryo_sim_server_dispatch (self, connection, reply);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_listen_readable_cb (int          listen_fd,
                       GIOCondition condition,
                       gpointer     user_data)
{
  CryoSimServer *self = user_data;
  CryoSimConnection *connection;
  int fd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);

  if (fd < 0)
    {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        g_debug ("Cannot accept a connection: %s", g_strerror (errno));
      return G_SOURCE_CONTINUE;
    }

  /* libmodbus waits on its socket with select(). */
  if (fd >= FD_SETSIZE || self->clients->len >= MAX_CLIENTS)
    {
      g_debug ("Connection refused: too many clients");
      close (fd);
      return G_SOURCE_CONTINUE;
    }

  connection = cryo_sim_connection_new (self, fd, TRUE);
  connection->modbus = self->tcp_modbus;
  g_ptr_array_add (self->clients, connection);
  cryo_sim_server_watch (self, connection);

  return G_SOURCE_CONTINUE;
}

/* After the server thread has ended. */
void
cryo_sim_server_close_tcp (CryoSimServer *self)
{
  /* Clients see their connection drop. */
  for (guint i = 0; i < self->clients->len; i++)
    cryo_sim_connection_close (g_ptr_array_index (self->clients, i));
  g_ptr_array_set_size (self->clients, 0);

  if (self->listen_source != NULL)
    g_source_destroy (self->listen_source);
  g_clear_pointer (&self->listen_source, g_source_unref);

  /* The context does not own the descriptor: modbus_free() leaves it. */
  close_fd (&self->listen_fd);
  g_clear_pointer (&self->tcp_modbus, modbus_free);
  g_clear_pointer (&self->tcp_address, g_free);
  self->port = 0;

  close_fd (&self->capture_fds[0]);
  close_fd (&self->capture_fds[1]);
}

/**
 * cryo_sim_server_start_tcp:
 * @self: a #CryoSimServer whose responder is a #CryoSimModbusResponder
 * @address: IPv4 address to listen on, e.g. "127.0.0.1"
 * @port: TCP port, 0 for any free port (see cryo_sim_server_get_port())
 * @error: return location for a #GError (G_IO_ERROR: INVALID_ARGUMENT for
 *   an address that is not an IPv4 literal, ADDRESS_IN_USE, …;
 *   G_FILE_ERROR when the command log cannot be opened)
 *
 * Serves Modbus TCP (libmodbus) from the server thread, several clients at
 * once; every unit id is answered, as Modbus TCP devices do. The listening
 * socket has SO_REUSEADDR, so a stopped server can be started again on the
 * same port at once. May be combined with cryo_sim_server_start_pty() (one
 * model behind both). Call from one thread, the same as
 * cryo_sim_server_stop().
 *
 * Returns: %TRUE when serving
 */
gboolean
cryo_sim_server_start_tcp (CryoSimServer  *self,
                           const char     *address,
                           guint           port,
                           GError        **error)
{
  struct in_addr in;
  struct sockaddr_in bound;
  socklen_t bound_len = sizeof bound;
  modbus_t *ctx;
  int fd, saved_errno;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (CRYO_IS_SIM_MODBUS_RESPONDER (self->responder), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->tcp_modbus == NULL, FALSE);

  /* libmodbus would bind INADDR_NONE for anything else. */
  if (inet_pton (AF_INET, address, &in) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IPv4 address"), address);
      return FALSE;
    }

  if (!cryo_sim_server_open_command_log (self, error))
    return FALSE;

  ctx = modbus_new_tcp (address, (int) port);
  if (ctx == NULL)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot serve Modbus TCP on %s:%u: %s"),
                   address, port, modbus_strerror (saved_errno));
      return FALSE;
    }

  modbus_set_indication_timeout (ctx, INDICATION_TIMEOUT_S, 0);
  fd = modbus_tcp_listen (ctx, LISTEN_BACKLOG);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot serve Modbus TCP on %s:%u: %s"),
                   address, port, modbus_strerror (saved_errno));
      modbus_free (ctx);
      return FALSE;
    }

  if (getsockname (fd, (struct sockaddr *) &bound, &bound_len) != 0
      || fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) | O_NONBLOCK) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot serve Modbus TCP on %s:%u: %s"),
                   address, port, g_strerror (saved_errno));
      close (fd);
      modbus_free (ctx);
      return FALSE;
    }

  if (!ensure_capture (self, error))
    {
      close (fd);
      modbus_free (ctx);
      return FALSE;
    }

  self->tcp_modbus = ctx;
  self->listen_fd = fd;
  self->tcp_address = g_strdup (address);
  self->port = ntohs (bound.sin_port);

  cryo_sim_server_ensure_thread (self);
  self->listen_source = g_unix_fd_source_new (fd, G_IO_IN);
  g_source_set_callback (self->listen_source, G_SOURCE_FUNC (on_listen_readable_cb), self, NULL);
  g_source_attach (self->listen_source, self->context);

  return TRUE;
}

/**
 * cryo_sim_server_get_tcp_address:
 * @self: a #CryoSimServer
 *
 * Returns: (nullable): the address given to cryo_sim_server_start_tcp(),
 *   %NULL when not serving TCP
 */
const char *
cryo_sim_server_get_tcp_address (CryoSimServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), NULL);

  return self->tcp_address;
}

/**
 * cryo_sim_server_get_port:
 * @self: a #CryoSimServer
 *
 * Returns: the TCP port served (the one chosen when started with port 0),
 *   0 when not serving TCP
 */
guint
cryo_sim_server_get_port (CryoSimServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), 0);

  return self->port;
}
