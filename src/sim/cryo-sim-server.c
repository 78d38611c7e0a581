/* cryo-sim-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The thread, the pseudo-terminal, byte-stream serving, fault injection,
 * the pacing of a line at a baud rate and the counters. Modbus framing and the TCP port are in
 * cryo-sim-server-modbus.c.
 */

#define G_LOG_DOMAIN "cryo-sim-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <errno.h>
#include <math.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cryo-sim-faults.h"
#include "cryo-sim-modbus-responder.h"
#include "cryo-sim-pty.h"
#include "cryo-sim-server-private.h"

#define TICK_INTERVAL_MS 100
#define READ_CHUNK       256
/* A peer that stops reading loses the replies beyond this, rather than
 * growing the server without bound. */
#define MAX_OUTPUT       (64 * 1024)
/* A paced line hands its bytes over at least this far apart (but the last
 * byte of a reply on time), so that 115200 bit/s does not mean a wake-up
 * per byte. */
#define PACE_SLICE_US    5000
/* A UART frame of 8N1: start bit, 8 data bits, stop bit. */
#define BITS_PER_BYTE    10

enum {
  PROP_0,
  PROP_RESPONDER,
  N_PROPS
};

typedef struct
{
  CryoSimConnection *connection;
  GBytes            *reply;
} DelayedReply;

/* Bytes on their way out of a paced line: byte i has left once
 * start_us + (i + 1) × byte_us has passed. */
typedef struct
{
  GBytes *bytes;
  gint64  start_us;
  double  byte_us;
  gsize   sent;                 /* handed to the connection's output so far */
} CryoSimPacedBytes;

G_DEFINE_FINAL_TYPE (CryoSimServer, cryo_sim_server, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];

static void
paced_bytes_free (gpointer data)
{
  CryoSimPacedBytes *paced = data;

  g_bytes_unref (paced->bytes);
  g_free (paced);
}

static void
connection_clear (gpointer data)
{
  CryoSimConnection *connection = data;

  g_assert (connection->fd < 0);
  g_assert (g_queue_is_empty (&connection->paced));
  g_clear_pointer (&connection->output, g_byte_array_unref);
}

/* (transfer full): a connection on @fd, which it closes. */
CryoSimConnection *
cryo_sim_connection_new (CryoSimServer *server,
                         int            fd,
                         gboolean       is_socket)
{
  CryoSimConnection *connection = g_atomic_rc_box_new0 (CryoSimConnection);

  connection->server = server;
  connection->fd = fd;
  connection->is_socket = is_socket;
  connection->output = g_byte_array_new ();
  g_queue_init (&connection->paced);

  return connection;
}

void
cryo_sim_connection_unref (CryoSimConnection *connection)
{
  g_atomic_rc_box_release_full (connection, connection_clear);
}

static CryoSimConnection *
connection_ref (CryoSimConnection *connection)
{
  return g_atomic_rc_box_acquire (connection);
}

/* The peer sees the port vanish (a pty's slave side hangs up, a TCP
 * client reads end-of-file); replies still delayed are dropped. */
void
cryo_sim_connection_close (CryoSimConnection *connection)
{
  if (connection->read_source != NULL)
    g_source_destroy (connection->read_source);
  if (connection->write_source != NULL)
    g_source_destroy (connection->write_source);
  if (connection->pace_source != NULL)
    g_source_destroy (connection->pace_source);
  g_clear_pointer (&connection->read_source, g_source_unref);
  g_clear_pointer (&connection->write_source, g_source_unref);
  g_clear_pointer (&connection->pace_source, g_source_unref);
  g_queue_clear_full (&connection->paced, paced_bytes_free);
  connection->paced_len = 0;

  if (connection->fd >= 0)
    close (connection->fd);
  connection->fd = -1;

  if (connection->owns_modbus)
    g_clear_pointer (&connection->modbus, modbus_free);
  connection->modbus = NULL;
  g_byte_array_set_size (connection->output, 0);
}

static void
delayed_reply_free (gpointer data)
{
  DelayedReply *delayed = data;

  cryo_sim_connection_unref (delayed->connection);
  g_bytes_unref (delayed->reply);
  g_free (delayed);
}

/* Writes what it can without blocking; returns TRUE while bytes remain (a
 * peer that does not read fills the pty or socket buffer). */
static gboolean
flush_output (CryoSimConnection *connection)
{
  GByteArray *output = connection->output;

  while (output->len > 0)
    {
      ssize_t n;

      /* MSG_NOSIGNAL: a client gone must not kill the process. */
      if (connection->is_socket)
        n = send (connection->fd, output->data, output->len, MSG_NOSIGNAL | MSG_DONTWAIT);
      else
        n = write (connection->fd, output->data, output->len);

      if (n > 0)
        {
          g_byte_array_remove_range (output, 0, (guint) n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return TRUE;

      g_debug ("Cannot send a reply: %s", n < 0 ? g_strerror (errno) : "no progress");
      g_byte_array_set_size (output, 0);
      return FALSE;
    }

  return FALSE;
}

static gboolean
on_writable_cb (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  CryoSimConnection *connection = user_data;

  if (flush_output (connection))
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&connection->write_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
send_data (CryoSimConnection *connection,
           const guint8      *data,
           gsize              len)
{
  /* Closed while the reply was delayed. */
  if (connection->fd < 0)
    return;

  if (connection->output->len + len > MAX_OUTPUT)
    {
      g_debug ("Reply dropped: the peer does not read");
      return;
    }

  g_byte_array_append (connection->output, data, (guint) len);

  if (flush_output (connection) && connection->write_source == NULL)
    {
      connection->write_source = g_unix_fd_source_new (connection->fd, G_IO_OUT);
      g_source_set_callback (connection->write_source, G_SOURCE_FUNC (on_writable_cb),
                             connection_ref (connection),
                             (GDestroyNotify) cryo_sim_connection_unref);
      g_source_attach (connection->write_source, connection->server->context);
    }
}

static void
send_bytes (CryoSimConnection *connection,
            GBytes            *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  send_data (connection, data, len);
}

static gboolean
pace_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs pace_source_funcs = {
  .dispatch = pace_source_dispatch,
};

/* Hands over the paced bytes that have left the line by now, and sets the
 * next wake-up: at the next byte due, at most one slice from now, and never
 * after the last byte of the oldest bytes queued, so that a reply ends when
 * the line would have ended it. */
static gboolean
on_pace_cb (gpointer user_data)
{
  CryoSimConnection *connection = user_data;
  CryoSimPacedBytes *paced;
  gint64 now = g_get_monotonic_time ();

  while ((paced = g_queue_peek_head (&connection->paced)) != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (paced->bytes, &len);
      gsize due = 0;

      /* byte_us is 0 for bytes that were only queued to keep their order. */
      if (now >= paced->start_us)
        due = paced->byte_us > 0 ? MIN (len, (gsize) ((now - paced->start_us) / paced->byte_us))
                                 : len;

      if (due > paced->sent)
        {
          send_data (connection, data + paced->sent, due - paced->sent);
          paced->sent = due;
        }

      if (paced->sent < len)
        {
          gint64 next_due = paced->start_us + (gint64) ceil ((paced->sent + 1) * paced->byte_us);
          gint64 end = paced->start_us + (gint64) ceil (len * paced->byte_us);

          g_source_set_ready_time (connection->pace_source,
                                   MIN (end, MAX (next_due, now + PACE_SLICE_US)));
          return G_SOURCE_CONTINUE;
        }

      connection->paced_len -= len;
      paced_bytes_free (g_queue_pop_head (&connection->paced));
    }

  g_source_set_ready_time (connection->pace_source, -1);
  return G_SOURCE_CONTINUE;
}

/* Queues @bytes to leave @connection's paced line, at @baud 8N1 (0: at
 * once, but after the bytes queued before), from @ready_us or once the bytes
 * already queued have left, whichever is later. */
static void
send_paced (CryoSimConnection *connection,
            GBytes            *bytes,
            gint64             ready_us,
            guint              baud)
{
  CryoSimPacedBytes *paced;
  gsize len = g_bytes_get_size (bytes);

  if (connection->paced_len + len > MAX_OUTPUT)
    {
      g_debug ("Reply dropped: the line is full");
      return;
    }

  paced = g_new0 (CryoSimPacedBytes, 1);
  paced->bytes = g_bytes_ref (bytes);
  paced->byte_us = baud > 0 ? BITS_PER_BYTE * (double) G_USEC_PER_SEC / baud : 0.0;
  paced->start_us = MAX (ready_us, connection->tx_free_us);
  connection->tx_free_us = paced->start_us + (gint64) ceil (len * paced->byte_us);
  g_queue_push_tail (&connection->paced, paced);
  connection->paced_len += len;

  if (connection->pace_source == NULL)
    {
      connection->pace_source = g_source_new (&pace_source_funcs, sizeof (GSource));
      g_source_set_static_name (connection->pace_source, "[cryo-sim-server] pace");
      g_source_set_callback (connection->pace_source, on_pace_cb,
                             connection_ref (connection),
                             (GDestroyNotify) cryo_sim_connection_unref);
      g_source_attach (connection->pace_source, connection->server->context);
    }

  /* Now: the callback works out when the first byte is due. */
  g_source_set_ready_time (connection->pace_source, 0);
}

/* How fast @connection's line goes: 0 unless it is the pty of a server
 * with a baud rate. Server thread. */
static guint
get_line_baud (CryoSimServer     *self,
               CryoSimConnection *connection)
{
  guint baud;

  if (connection->is_socket)
    return 0;

  g_mutex_lock (&self->mutex);
  baud = self->baud;
  g_mutex_unlock (&self->mutex);

  return baud;
}

/* Notes that @n_bytes were just read from @connection: on a paced line they
 * came one after the other, so a request is complete, and its reply may
 * start, only once the line has carried its last byte. Server thread. */
void
cryo_sim_server_received (CryoSimServer     *self,
                          CryoSimConnection *connection,
                          gsize              n_bytes)
{
  guint baud = get_line_baud (self, connection);
  gint64 now = g_get_monotonic_time ();

  if (baud == 0)
    return;

  connection->rx_done_us = MAX (now, connection->rx_done_us) +
                           (gint64) ceil (n_bytes * BITS_PER_BYTE * (double) G_USEC_PER_SEC / baud);
}

static gboolean
on_delay_elapsed_cb (gpointer user_data)
{
  DelayedReply *delayed = user_data;

  send_bytes (delayed->connection, delayed->reply);

  return G_SOURCE_REMOVE;
}

/* Sends @reply to @connection as a faulty line would: maybe dropped, maybe
 * with a byte altered, after the configured delay. Server thread. */
void
cryo_sim_server_dispatch (CryoSimServer     *self,
                          CryoSimConnection *connection,
                          GBytes            *reply)
{
  g_autoptr(GBytes) out = NULL;
  double corrupt, drop;
  guint delay_ms;
  guint baud;

  g_mutex_lock (&self->mutex);
  corrupt = self->corrupt;
  drop = self->drop;
  delay_ms = self->delay_ms;
  g_mutex_unlock (&self->mutex);

  out = cryo_sim_faults_apply (self->rand, reply, corrupt, drop);
  if (out == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->n_replies++;
  g_mutex_unlock (&self->mutex);

  /* A line no longer paced still sends what it queued first. */
  baud = get_line_baud (self, connection);
  if (baud > 0 || !g_queue_is_empty (&connection->paced))
    {
      gint64 ready_us = MAX (g_get_monotonic_time (), connection->rx_done_us) +
                        (gint64) delay_ms * 1000;

      send_paced (connection, out, ready_us, baud);
    }
  else if (delay_ms > 0)
    {
      DelayedReply *delayed = g_new0 (DelayedReply, 1);
      g_autoptr(GSource) source = g_timeout_source_new (delay_ms);

      delayed->connection = connection_ref (connection);
      delayed->reply = g_steal_pointer (&out);
      g_source_set_callback (source, on_delay_elapsed_cb, delayed, delayed_reply_free);
      g_source_attach (source, self->context);
    }
  else
    {
      send_bytes (connection, out);
    }
}

static gboolean
serve_bytes (CryoSimServer     *self,
             CryoSimConnection *connection)
{
  g_autoptr(GPtrArray) replies = NULL;
  guint8 buffer[READ_CHUNK];
  ssize_t n;

  n = read (connection->fd, buffer, sizeof buffer);
  if (n < 0)
    {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
        return G_SOURCE_CONTINUE;

      /* With our own slave descriptor open this does not happen on Linux;
       * stop watching rather than spin on a dead descriptor. */
      g_debug ("Cannot read the pseudo-terminal: %s", g_strerror (errno));
      return G_SOURCE_REMOVE;
    }
  if (n == 0)
    return G_SOURCE_CONTINUE;

  cryo_sim_server_received (self, connection, (gsize) n);

  g_mutex_lock (&self->mutex);
  replies = cryo_sim_responder_feed (self->responder, buffer, (gsize) n);
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < replies->len; i++)
    cryo_sim_server_dispatch (self, connection, g_ptr_array_index (replies, i));

  return G_SOURCE_CONTINUE;
}

static gboolean
on_readable_cb (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  CryoSimConnection *connection = user_data;

  if (connection->modbus != NULL)
    return cryo_sim_server_serve_modbus (connection->server, connection);

  return serve_bytes (connection->server, connection);
}

/* Serves @connection from the server thread from now on. */
void
cryo_sim_server_watch (CryoSimServer     *self,
                       CryoSimConnection *connection)
{
  g_assert (connection->read_source == NULL);

  connection->read_source = g_unix_fd_source_new (connection->fd, G_IO_IN);
  g_source_set_callback (connection->read_source, G_SOURCE_FUNC (on_readable_cb),
                         connection_ref (connection),
                         (GDestroyNotify) cryo_sim_connection_unref);
  g_source_attach (connection->read_source, self->context);
}

static gboolean
on_tick_cb (gpointer user_data)
{
  CryoSimServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double elapsed = (now - self->last_tick_us) / (double) G_USEC_PER_SEC;

  /* Time frozen is not caught up afterwards. */
  self->last_tick_us = now;

  g_mutex_lock (&self->mutex);
  if (!self->frozen)
    cryo_sim_responder_tick (self->responder, elapsed * self->speed);
  g_mutex_unlock (&self->mutex);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_stream_cb (gpointer user_data)
{
  CryoSimServer *self = user_data;
  g_autoptr(GBytes) packet = NULL;

  g_mutex_lock (&self->mutex);
  packet = cryo_sim_responder_next_packet (self->responder);
  g_mutex_unlock (&self->mutex);

  /* A streaming instrument streams on its serial line. */
  if (packet != NULL && self->pty != NULL)
    cryo_sim_server_dispatch (self, self->pty, packet);

  return G_SOURCE_CONTINUE;
}

static gpointer
server_thread (gpointer user_data)
{
  CryoSimServer *self = user_data;

  g_main_context_push_thread_default (self->context);
  /* A flag rather than a GMainLoop: a quit that comes before the loop
   * runs is not lost. */
  while (!g_atomic_int_get (&self->quit))
    g_main_context_iteration (self->context, TRUE);
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/* Starts the server thread and its clock unless running: the endpoints are
 * attached to its context as they start. */
void
cryo_sim_server_ensure_thread (CryoSimServer *self)
{
  guint stream_interval_ms;

  if (self->thread != NULL)
    return;

  self->context = g_main_context_new ();
  g_atomic_int_set (&self->quit, FALSE);
  self->last_tick_us = g_get_monotonic_time ();

  self->tick_source = g_timeout_source_new (TICK_INTERVAL_MS);
  g_source_set_callback (self->tick_source, on_tick_cb, self, NULL);
  g_source_attach (self->tick_source, self->context);

  g_mutex_lock (&self->mutex);
  stream_interval_ms = cryo_sim_responder_get_stream_interval_ms (self->responder);
  g_mutex_unlock (&self->mutex);

  if (stream_interval_ms > 0)
    {
      self->stream_source = g_timeout_source_new (stream_interval_ms);
      g_source_set_callback (self->stream_source, on_stream_cb, self, NULL);
      g_source_attach (self->stream_source, self->context);
    }

  self->thread = g_thread_new ("cryo-sim-server", server_thread, self);
}

/* Opens the command log file on the first start; it stays open across
 * restarts, as the instrument's memory of commands does. */
gboolean
cryo_sim_server_open_command_log (CryoSimServer  *self,
                                  GError        **error)
{
  if (self->command_log_path == NULL || self->command_log_open)
    return TRUE;

  if (!cryo_sim_command_log_set_path (self->command_log, self->command_log_path, error))
    return FALSE;

  self->command_log_open = TRUE;
  return TRUE;
}

static void
close_pty (CryoSimServer *self)
{
  /* Closing the master hangs up the slave side: the port vanishes. */
  if (self->pty != NULL)
    cryo_sim_connection_close (self->pty);
  g_clear_pointer (&self->pty, cryo_sim_connection_unref);

  cryo_sim_pty_unlink (self->pty_path, self->link_path);
  g_clear_pointer (&self->link_path, g_free);

  if (self->slave_fd >= 0)
    close (self->slave_fd);
  self->slave_fd = -1;
  g_clear_pointer (&self->pty_path, g_free);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
cryo_sim_server_constructed (GObject *object)
{
  CryoSimServer *self = (CryoSimServer *)object;

  G_OBJECT_CLASS (cryo_sim_server_parent_class)->constructed (object);

  g_assert (CRYO_IS_SIM_RESPONDER (self->responder));
  cryo_sim_responder_set_command_log (self->responder, self->command_log);
}

static void
cryo_sim_server_dispose (GObject *object)
{
  CryoSimServer *self = (CryoSimServer *)object;

  cryo_sim_server_stop (self);

  G_OBJECT_CLASS (cryo_sim_server_parent_class)->dispose (object);
}

static void
cryo_sim_server_finalize (GObject *object)
{
  CryoSimServer *self = (CryoSimServer *)object;

  /* A start that failed may have left the reply socketpair open. */
  cryo_sim_server_close_tcp (self);

  g_clear_object (&self->responder);
  g_clear_object (&self->command_log);
  g_clear_pointer (&self->command_log_path, g_free);
  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cryo_sim_server_parent_class)->finalize (object);
}

static void
cryo_sim_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CryoSimServer *self = CRYO_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_RESPONDER:
      g_value_set_object (value, self->responder);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_sim_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CryoSimServer *self = CRYO_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_RESPONDER:
      self->responder = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_sim_server_class_init (CryoSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cryo_sim_server_constructed;
  object_class->dispose = cryo_sim_server_dispose;
  object_class->finalize = cryo_sim_server_finalize;
  object_class->get_property = cryo_sim_server_get_property;
  object_class->set_property = cryo_sim_server_set_property;

  /**
   * CryoSimServer:responder:
   *
   * The instrument served: its model behind its protocol.
   */
  properties [PROP_RESPONDER] =
    g_param_spec_object ("responder", NULL, NULL,
                         CRYO_TYPE_SIM_RESPONDER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cryo_sim_server_init (CryoSimServer *self)
{
  g_mutex_init (&self->mutex);
  self->speed = 1.0;
  self->slave_fd = -1;
  self->listen_fd = -1;
  self->capture_fds[0] = self->capture_fds[1] = -1;
  self->command_log = cryo_sim_command_log_new ();
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_sim_connection_unref);
  self->rand = g_rand_new ();
}

/**
 * cryo_sim_server_new:
 * @responder: the instrument to serve; the server becomes the writer of its
 *   command log (cryo_sim_responder_set_command_log())
 * @options: the server's options (see #CryoSimServerOptions); copied
 *
 * Nothing is served until cryo_sim_server_start_pty() or
 * cryo_sim_server_start_tcp().
 *
 * Returns: (transfer full): a new server
 */
CryoSimServer *
cryo_sim_server_new (CryoSimResponder           *responder,
                     const CryoSimServerOptions *options)
{
  CryoSimServer *self;

  g_return_val_if_fail (CRYO_IS_SIM_RESPONDER (responder), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->speed > 0.0, NULL);
  g_return_val_if_fail (options->corrupt >= 0.0 && options->corrupt <= 1.0, NULL);
  g_return_val_if_fail (options->drop >= 0.0 && options->drop <= 1.0, NULL);
  g_return_val_if_fail (options->baud <= 4000000, NULL);

  self = g_object_new (CRYO_TYPE_SIM_SERVER, "responder", responder, NULL);
  self->speed = options->speed;
  self->corrupt = options->corrupt;
  self->drop = options->drop;
  self->delay_ms = options->delay_ms;
  self->frozen = !!options->frozen;
  self->baud = options->baud;
  self->command_log_path = g_strdup (options->command_log_path);

  return self;
}

/**
 * cryo_sim_server_get_responder:
 * @self: a #CryoSimServer
 *
 * Returns: (transfer none): the instrument served. Reach its model only
 *   between cryo_sim_server_lock() and cryo_sim_server_unlock().
 */
CryoSimResponder *
cryo_sim_server_get_responder (CryoSimServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), NULL);

  return self->responder;
}

/**
 * cryo_sim_server_start_pty:
 * @self: a #CryoSimServer
 * @link_path: (type filename) (nullable): where to create a symbolic link
 *   to the pseudo-terminal; an existing symbolic link there is replaced, any
 *   other file is refused
 * @error: return location for a #GError (G_IO_ERROR; G_IO_ERROR_EXISTS when
 *   a non-link is at @link_path; G_FILE_ERROR when the command log cannot
 *   be opened)
 *
 * Creates a pseudo-terminal in raw mode and serves it from the server
 * thread (started if need be, with its own #GMainContext): a serial
 * responder gets the bytes as they arrive and its replies are sent after the
 * configured delay, its stream packets as they fall due; a
 * #CryoSimModbusResponder is served Modbus RTU for its unit id only (other
 * unit ids get no reply, broadcasts are applied without one). A pty has no
 * baud rate or parity: clients may use any, and bytes go as fast as memory
 * unless the server paces them (#CryoSimServerOptions.baud,
 * cryo_sim_server_set_baud()). The model is advanced every
 * 100 ms by the elapsed wall time times the speed factor. May be combined
 * with cryo_sim_server_start_tcp() (one model behind both). Call from one
 * thread, the same as cryo_sim_server_stop(). A stopped server may be
 * started again (a new pseudo-terminal; the model carries on), which
 * simulates a port that vanished and came back.
 *
 * Returns: %TRUE when serving
 */
gboolean
cryo_sim_server_start_pty (CryoSimServer  *self,
                           const char     *link_path,
                           GError        **error)
{
  g_autoptr(CryoSimConnection) connection = NULL;
  int master_fd;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->pty == NULL, FALSE);

  if (!cryo_sim_server_open_command_log (self, error))
    return FALSE;

  if (!cryo_sim_pty_open (&master_fd, &self->slave_fd, &self->pty_path, error))
    return FALSE;
  connection = cryo_sim_connection_new (self, master_fd, FALSE);

  if (link_path != NULL)
    {
      if (!cryo_sim_pty_link (self->pty_path, link_path, error))
        goto failed;
      self->link_path = g_strdup (link_path);
    }

  if (CRYO_IS_SIM_MODBUS_RESPONDER (self->responder)
      && !cryo_sim_server_setup_rtu (self, connection, error))
    goto failed;

  cryo_sim_server_ensure_thread (self);
  self->pty = g_steal_pointer (&connection);
  cryo_sim_server_watch (self, self->pty);

  return TRUE;

failed:
  cryo_sim_connection_close (connection);
  close_pty (self);
  return FALSE;
}

/**
 * cryo_sim_server_get_path:
 * @self: a #CryoSimServer
 *
 * Returns: (type filename) (nullable): the link path given to
 *   cryo_sim_server_start_pty(), else the pseudo-terminal's slave path
 *   (/dev/pts/N); %NULL when no pseudo-terminal is served
 */
const char *
cryo_sim_server_get_path (CryoSimServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), NULL);

  return self->link_path != NULL ? self->link_path : self->pty_path;
}

/**
 * cryo_sim_server_get_pty_path:
 * @self: a #CryoSimServer
 *
 * Returns: (type filename) (nullable): the pseudo-terminal's slave path
 *   (/dev/pts/N); %NULL when no pseudo-terminal is served
 */
const char *
cryo_sim_server_get_pty_path (CryoSimServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), NULL);

  return self->pty_path;
}

/**
 * cryo_sim_server_is_running:
 * @self: a #CryoSimServer
 *
 * Returns: %TRUE between a successful start and cryo_sim_server_stop()
 */
gboolean
cryo_sim_server_is_running (CryoSimServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), FALSE);

  return self->thread != NULL;
}

/**
 * cryo_sim_server_stop:
 * @self: a #CryoSimServer
 *
 * Stops serving: joins the server thread (pending delayed replies are
 * discarded), closes the TCP connections (clients read end-of-file or
 * ECONNRESET) and the listening socket, closes the pseudo-terminal (clients
 * see POLLHUP, reads return EIO or end-of-file) and removes the symbolic
 * link if it still points to it. The model carries on when started again;
 * so does the command log. Does nothing when not running. Call from the
 * thread that started it.
 */
void
cryo_sim_server_stop (CryoSimServer *self)
{
  g_return_if_fail (CRYO_IS_SIM_SERVER (self));

  if (self->thread == NULL)
    return;

  g_atomic_int_set (&self->quit, TRUE);
  g_main_context_wakeup (self->context);
  g_thread_join (g_steal_pointer (&self->thread));

  cryo_sim_server_close_tcp (self);
  close_pty (self);
  destroy_source (&self->tick_source);
  destroy_source (&self->stream_source);

  /* Destroys the delayed replies still pending. */
  g_clear_pointer (&self->context, g_main_context_unref);
}

/**
 * cryo_sim_server_dup_command_log:
 * @self: a #CryoSimServer
 *
 * A copy of the command log: one line per command that reached the
 * instrument intact, in the responder's format (e.g. "000 1 ACK" for the
 * pumping station, "HR1 0x0001 ACK" for the compressor), across restarts.
 * Keeps the last %CRYO_SIM_COMMAND_LOG_MAX lines. Thread-safe.
 *
 * Returns: (transfer full): a %NULL-terminated array of lines, oldest first
 */
char **
cryo_sim_server_dup_command_log (CryoSimServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), NULL);

  return cryo_sim_command_log_dup_lines (self->command_log);
}

/**
 * cryo_sim_server_get_n_replies:
 * @self: a #CryoSimServer
 *
 * Returns: how many replies (and stream packets) were sent or scheduled,
 *   corrupted ones included, dropped ones not, since creation. Thread-safe.
 */
guint
cryo_sim_server_get_n_replies (CryoSimServer *self)
{
  guint n;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_replies;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * cryo_sim_server_set_faults:
 * @self: a #CryoSimServer
 * @corrupt: probability 0..1 that a reply has one random byte altered
 * @drop: probability 0..1 that a reply is not sent (the request is still
 *   applied)
 * @delay_ms: delay before each reply, ms
 *
 * Changes the fault injection for the replies to come. Thread-safe.
 */
void
cryo_sim_server_set_faults (CryoSimServer *self,
                            double         corrupt,
                            double         drop,
                            guint          delay_ms)
{
  g_return_if_fail (CRYO_IS_SIM_SERVER (self));
  g_return_if_fail (corrupt >= 0.0 && corrupt <= 1.0);
  g_return_if_fail (drop >= 0.0 && drop <= 1.0);

  g_mutex_lock (&self->mutex);
  self->corrupt = corrupt;
  self->drop = drop;
  self->delay_ms = delay_ms;
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_server_set_frozen:
 * @self: a #CryoSimServer
 * @frozen: %TRUE to stop the model's clock
 *
 * While frozen, the model changes only through commands and the
 * simulator's setters (no warm-up, no state timers, no fresh noise), so
 * that reads can be compared. Unfreezing does not catch up the time frozen.
 * Thread-safe.
 */
void
cryo_sim_server_set_frozen (CryoSimServer *self,
                            gboolean       frozen)
{
  g_return_if_fail (CRYO_IS_SIM_SERVER (self));

  g_mutex_lock (&self->mutex);
  self->frozen = !!frozen;
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_server_set_baud:
 * @self: a #CryoSimServer
 * @baud: the line speed in bit/s, up to 4000000; 0 for none
 *
 * Paces the pseudo-terminal like a serial line at @baud, 8N1 (ten bits a
 * byte, so 9600 bit/s carries 960 bytes/s), both ways: a request counts as
 * received once its bytes would have arrived, and a reply starts after that
 * (and after the delay of cryo_sim_server_set_faults()) and leaves no faster
 * than the line, after the replies and stream packets before it. With 0 the
 * pseudo-terminal goes as fast as memory, as it does by default. TCP clients
 * are never paced. Applies to the bytes read and replies made from now on.
 * Thread-safe.
 */
void
cryo_sim_server_set_baud (CryoSimServer *self,
                          guint          baud)
{
  g_return_if_fail (CRYO_IS_SIM_SERVER (self));
  g_return_if_fail (baud <= 4000000);

  g_mutex_lock (&self->mutex);
  self->baud = baud;
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_server_lock:
 * @self: a #CryoSimServer
 *
 * Takes the lock under which the server thread calls the responder, so that
 * another thread may read or change the responder's model (a front-panel
 * key, an alarm) between requests. Release it with
 * cryo_sim_server_unlock(); do not start or stop the server meanwhile.
 */
void
cryo_sim_server_lock (CryoSimServer *self)
{
  g_return_if_fail (CRYO_IS_SIM_SERVER (self));

  g_mutex_lock (&self->mutex);
}

/**
 * cryo_sim_server_unlock:
 * @self: a #CryoSimServer
 *
 * Releases the lock taken with cryo_sim_server_lock().
 */
void
cryo_sim_server_unlock (CryoSimServer *self)
{
  g_return_if_fail (CRYO_IS_SIM_SERVER (self));

  g_mutex_unlock (&self->mutex);
}
