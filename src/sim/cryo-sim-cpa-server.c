/* cryo-sim-cpa-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-cpa-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <modbus.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cryo-cpa.h"
#include "cryo-sim-cpa.h"
#include "cryo-sim-cpa-server.h"
#include "cryo-sim-faults.h"
#include "cryo-sim-pty.h"

#define TICK_INTERVAL_MS       100
#define LISTEN_BACKLOG         8
#define MAX_CLIENTS            16
#define RTU_SETTLE_US          (20 * 1000)
#define MAX_RTU_UNIT_ID        247
#define INDICATION_TIMEOUT_S   1

typedef struct
{
  int       fd;
  gboolean  is_socket;
  GBytes   *reply;
  gint64    due_us;
} PendingReply;

struct _CryoSimCpaServer
{
  GObject            parent_instance;

  /* Guards everything below it that the server thread and the API share:
   * the model, the fault settings, the counters, the command log and the
   * endpoints (published to the running thread by start_*). */
  GMutex             mutex;
  CryoSimCpa        *model;
  double             speed;
  double             corrupt;
  double             drop;
  guint              delay_ms;
  gboolean           frozen;
  guint              n_replies;
  GPtrArray         *command_log;        /* element-type utf8 */
  FILE              *command_log_file;
  modbus_t          *tcp_ctx;
  int                listen_fd;
  modbus_t          *rtu_ctx;
  int                master_fd;

  /* Owned by the thread calling start/stop. */
  guint              unit_id;
  char              *command_log_path;
  guint              port;
  int                slave_fd;
  char              *pty_path;
  char              *link_path;
  GThread           *thread;
  int                wake_fds[2];
  gint               quit;               /* atomic */

  /* Used only in the server thread while it runs. */
  GRand             *rand;
  modbus_mapping_t  *mapping;
  GArray            *clients;            /* element-type int: TCP client sockets */
  GQueue             pending;            /* PendingReply, by due time */
  int                capture_fds[2];     /* socketpair: libmodbus writes replies into [0] */
  gint64             last_tick_us;
};

G_DEFINE_FINAL_TYPE (CryoSimCpaServer, cryo_sim_cpa_server, G_TYPE_OBJECT)

static void
pending_reply_free (gpointer data)
{
  PendingReply *pending = data;

  g_bytes_unref (pending->reply);
  g_free (pending);
}

static gint
pending_reply_compare (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const PendingReply *pa = a;
  const PendingReply *pb = b;

  return (pa->due_us > pb->due_us) - (pa->due_us < pb->due_us);
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

/* Called with the mutex held. */
static void
log_command (CryoSimCpaServer *self,
             guint             address,
             guint             value,
             const char       *outcome)
{
  char *line = g_strdup_printf ("HR%u 0x%04X %s", address, value, outcome);

  g_debug ("Command: %s", line);

  if (self->command_log_file != NULL)
    {
      if (fputs (line, self->command_log_file) == EOF
          || fputc ('\n', self->command_log_file) == EOF
          || fflush (self->command_log_file) != 0)
        g_debug ("Cannot append to the command log: %s", g_strerror (errno));
    }

  if (self->command_log->len >= CRYO_SIM_CPA_COMMAND_LOG_MAX)
    g_ptr_array_remove_index (self->command_log, 0);
  g_ptr_array_add (self->command_log, line);
}

/* A write of @value to holding register @address, applied to the model.
 * Called with the mutex held. Returns the Modbus exception code to reply
 * with, 0 for the normal echo. cryomech-cpa-modbus.md "Control". */
static int
apply_write (CryoSimCpaServer *self,
             guint             address,
             guint             value)
{
  if (address != CRYO_CPA_CONTROL_REGISTER)
    {
      log_command (self, address, value, "ILLEGAL_ADDRESS");
      return MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS;
    }

  switch (value)
    {
    case CRYO_CPA_CONTROL_START:
      switch (cryo_sim_cpa_start (self->model))
        {
        case CRYO_SIM_CPA_START_ACCEPTED:
          log_command (self, address, value, "ACK");
          break;
        case CRYO_SIM_CPA_START_REFUSED_ALARM:
          log_command (self, address, value, "REFUSED (alarm)");
          break;
        case CRYO_SIM_CPA_START_REFUSED_STATE:
        default:
          log_command (self, address, value, "REFUSED (state)");
          break;
        }
      return 0;

    case CRYO_CPA_CONTROL_STOP:
    case CRYO_CPA_CONTROL_STOP_VENDOR:
      cryo_sim_cpa_stop (self->model);
      log_command (self, address, value, "ACK");
      return 0;

    default:
      log_command (self, address, value, "ILLEGAL_VALUE");
      return MODBUS_EXCEPTION_ILLEGAL_DATA_VALUE;
    }
}

/* Applies a request to the model and has libmodbus build the reply into
 * the capture socket, from which it is read back: the bytes can then be
 * dropped, altered or delayed. Returns NULL when there is no reply (an RTU
 * broadcast). */
static GBytes *
build_reply (CryoSimCpaServer *self,
             modbus_t         *ctx,
             const guint8     *query,
             int               len)
{
  int header = modbus_get_header_length (ctx);
  guint8 buffer[MODBUS_MAX_ADU_LENGTH + 16];
  guint8 function;
  int exception = 0;
  ssize_t n;
  int rc;

  g_assert (len > header);
  function = query[header];

  g_mutex_lock (&self->mutex);
  cryo_sim_cpa_encode_input_registers (self->model, self->mapping->tab_input_registers);

  if (function == MODBUS_FC_WRITE_SINGLE_REGISTER && len >= header + 5)
    {
      exception = apply_write (self,
                               (guint) (query[header + 1] << 8 | query[header + 2]),
                               (guint) (query[header + 3] << 8 | query[header + 4]));
    }
  else if (function == MODBUS_FC_WRITE_MULTIPLE_REGISTERS && len >= header + 8)
    {
      guint address = (guint) (query[header + 1] << 8 | query[header + 2]);
      guint quantity = (guint) (query[header + 3] << 8 | query[header + 4]);
      guint byte_count = query[header + 5];
      guint value = (guint) (query[header + 6] << 8 | query[header + 7]);

      /* Malformed requests are left to libmodbus, which answers them with
       * an exception. */
      if (quantity >= 1 && byte_count == 2 * quantity
          && len >= header + 6 + (int) byte_count)
        {
          if (quantity == 1)
            exception = apply_write (self, address, value);
          else
            {
              log_command (self, address, value, "ILLEGAL_ADDRESS");
              exception = MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS;
            }
        }
    }
  else if (function == MODBUS_FC_MASK_WRITE_REGISTER
           || function == MODBUS_FC_WRITE_AND_READ_REGISTERS)
    {
      /* The panel has no use for them; answering them through the mapping
       * would change holding register 1 behind the model's back. */
      exception = MODBUS_EXCEPTION_ILLEGAL_FUNCTION;
    }
  g_mutex_unlock (&self->mutex);

  while (read (self->capture_fds[1], buffer, sizeof buffer) > 0)
    ;

  modbus_set_socket (ctx, self->capture_fds[0]);
  if (exception != 0)
    rc = modbus_reply_exception (ctx, query, (unsigned int) exception);
  else
    rc = modbus_reply (ctx, query, len, self->mapping);
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

static void
send_reply (int      fd,
            gboolean is_socket,
            GBytes  *reply)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);
  gsize done = 0;

  while (done < len)
    {
      ssize_t n;

      if (is_socket)
        n = send (fd, data + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
      else
        n = write (fd, data + done, len - done);

      if (n > 0)
        {
          done += (gsize) n;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;

      /* A client that does not read its replies loses them. */
      g_debug ("Cannot send a reply: %s", n < 0 ? g_strerror (errno) : "no progress");
      return;
    }
}

static void
dispatch_reply (CryoSimCpaServer *self,
                int               fd,
                gboolean          is_socket,
                GBytes           *reply)
{
  g_autoptr(GBytes) out = NULL;
  double corrupt, drop;
  guint delay_ms;

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

  if (delay_ms > 0)
    {
      PendingReply *pending = g_new0 (PendingReply, 1);

      pending->fd = fd;
      pending->is_socket = is_socket;
      pending->reply = g_steal_pointer (&out);
      pending->due_us = g_get_monotonic_time () + (gint64) delay_ms * 1000;
      g_queue_insert_sorted (&self->pending, pending, pending_reply_compare, NULL);
    }
  else
    {
      send_reply (fd, is_socket, out);
    }
}

static void
send_due_replies (CryoSimCpaServer *self)
{
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->pending))
    {
      PendingReply *pending = g_queue_peek_head (&self->pending);

      if (pending->due_us > now)
        break;

      g_queue_pop_head (&self->pending);
      send_reply (pending->fd, pending->is_socket, pending->reply);
      pending_reply_free (pending);
    }
}

static void
forget_pending (CryoSimCpaServer *self,
                int               fd)
{
  GList *l = self->pending.head;

  while (l != NULL)
    {
      GList *next = l->next;
      PendingReply *pending = l->data;

      if (pending->fd == fd)
        {
          pending_reply_free (pending);
          g_queue_delete_link (&self->pending, l);
        }
      l = next;
    }
}

/* Receives one request on @fd with @ctx and answers it. Returns what
 * modbus_receive() returned: -1 on an error (a closed connection, a bad
 * frame), 0 for a request ignored by libmodbus (another RTU unit id). */
static int
serve_request (CryoSimCpaServer *self,
               modbus_t         *ctx,
               int               fd,
               gboolean          is_socket)
{
  guint8 query[MODBUS_MAX_ADU_LENGTH];
  g_autoptr(GBytes) reply = NULL;
  int rc;

  modbus_set_socket (ctx, fd);
  rc = modbus_receive (ctx, query);
  if (rc <= 0)
    {
      if (rc < 0)
        g_debug ("Request not served: %s", modbus_strerror (errno));
      return rc;
    }

  reply = build_reply (self, ctx, query, rc);
  modbus_set_socket (ctx, fd);
  if (reply != NULL)
    dispatch_reply (self, fd, is_socket, reply);

  return rc;
}

static void
close_client (CryoSimCpaServer *self,
              int               fd)
{
  for (guint i = 0; i < self->clients->len; i++)
    {
      if (g_array_index (self->clients, int, i) == fd)
        {
          g_array_remove_index_fast (self->clients, i);
          break;
        }
    }

  /* Before the descriptor number can be reused by an accept. */
  forget_pending (self, fd);
  close (fd);
}

static void
accept_client (CryoSimCpaServer *self,
               int               listen_fd)
{
  int fd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);

  if (fd < 0)
    {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        g_debug ("Cannot accept a connection: %s", g_strerror (errno));
      return;
    }

  /* libmodbus waits on its socket with select(). */
  if (fd >= FD_SETSIZE || self->clients->len >= MAX_CLIENTS)
    {
      g_debug ("Connection refused: too many clients");
      close (fd);
      return;
    }

  g_array_append_val (self->clients, fd);
}

/* Discards the rest of a bad RTU frame, as a device resynchronises on the
 * silence after it. */
static void
drain_rtu (int master_fd)
{
  guint8 buffer[256];

  g_usleep (RTU_SETTLE_US);
  while (read (master_fd, buffer, sizeof buffer) > 0)
    ;
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

static void
serve_rtu (CryoSimCpaServer *self,
           modbus_t         *ctx,
           int               master_fd)
{
  int rc = serve_request (self, ctx, master_fd, FALSE);

  if (rc < 0)
    {
      drain_rtu (master_fd);
    }
  else if (rc == 0)
    {
      modbus_t *fresh;

      /* A request for another unit id: libmodbus 3.1.6 then takes the next
       * frame for that unit's reply and ignores it, as on a shared RS-485
       * bus. On a point-to-point pty no other unit replies, and the next
       * frame is the master's next request: a fresh context forgets. */
      fresh = new_rtu_context (self->pty_path, self->unit_id, master_fd);
      if (fresh != NULL)
        {
          g_mutex_lock (&self->mutex);
          modbus_free (self->rtu_ctx);
          self->rtu_ctx = fresh;
          g_mutex_unlock (&self->mutex);
        }
    }
}

static void
maybe_tick (CryoSimCpaServer *self)
{
  gint64 now = g_get_monotonic_time ();
  double elapsed;

  if (now - self->last_tick_us < TICK_INTERVAL_MS * 1000)
    return;

  elapsed = (now - self->last_tick_us) / (double) G_USEC_PER_SEC;
  self->last_tick_us = now;

  g_mutex_lock (&self->mutex);
  if (!self->frozen)
    cryo_sim_cpa_tick (self->model, elapsed * self->speed);
  g_mutex_unlock (&self->mutex);
}

static int
next_timeout_ms (CryoSimCpaServer *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 next = self->last_tick_us + TICK_INTERVAL_MS * 1000;
  PendingReply *pending = g_queue_peek_head (&self->pending);

  if (pending != NULL && pending->due_us < next)
    next = pending->due_us;
  if (next <= now)
    return 0;

  return (int) ((next - now + 999) / 1000);
}

static void
add_pollfd (GArray *pfds,
            int     fd)
{
  struct pollfd pfd = { fd, POLLIN, 0 };

  g_array_append_val (pfds, pfd);
}

static gpointer
server_thread (gpointer user_data)
{
  CryoSimCpaServer *self = user_data;
  g_autoptr(GArray) pfds = g_array_new (FALSE, FALSE, sizeof (struct pollfd));

  while (!g_atomic_int_get (&self->quit))
    {
      modbus_t *tcp_ctx, *rtu_ctx;
      int listen_fd, master_fd;
      guint listen_index = 0, master_index = 0, first_client;
      struct pollfd *p;

      g_mutex_lock (&self->mutex);
      tcp_ctx = self->tcp_ctx;
      listen_fd = self->listen_fd;
      rtu_ctx = self->rtu_ctx;
      master_fd = self->master_fd;
      g_mutex_unlock (&self->mutex);

      g_array_set_size (pfds, 0);
      add_pollfd (pfds, self->wake_fds[0]);
      if (listen_fd >= 0)
        {
          listen_index = pfds->len;
          add_pollfd (pfds, listen_fd);
        }
      if (master_fd >= 0)
        {
          master_index = pfds->len;
          add_pollfd (pfds, master_fd);
        }
      first_client = pfds->len;
      for (guint i = 0; i < self->clients->len; i++)
        add_pollfd (pfds, g_array_index (self->clients, int, i));

      if (poll ((struct pollfd *) pfds->data, pfds->len, next_timeout_ms (self)) < 0
          && errno != EINTR)
        g_debug ("poll: %s", g_strerror (errno));

      maybe_tick (self);
      p = (struct pollfd *) pfds->data;

      if (p[0].revents != 0)
        {
          guint8 buffer[64];

          while (read (self->wake_fds[0], buffer, sizeof buffer) > 0)
            ;
        }

      if (listen_fd >= 0 && p[listen_index].revents != 0)
        accept_client (self, listen_fd);

      if (master_fd >= 0 && p[master_index].revents != 0)
        serve_rtu (self, rtu_ctx, master_fd);

      for (guint i = first_client; i < pfds->len; i++)
        {
          if (p[i].revents == 0)
            continue;
          if (serve_request (self, tcp_ctx, p[i].fd, TRUE) < 0)
            close_client (self, p[i].fd);
        }

      send_due_replies (self);
    }

  /* Clients see their connection drop. */
  for (guint i = 0; i < self->clients->len; i++)
    close (g_array_index (self->clients, int, i));
  g_array_set_size (self->clients, 0);
  g_queue_clear_full (&self->pending, pending_reply_free);

  return NULL;
}

static void
wake_thread (CryoSimCpaServer *self)
{
  guint8 byte = 1;

  if (self->wake_fds[1] >= 0 && write (self->wake_fds[1], &byte, 1) < 0 && errno != EAGAIN)
    g_debug ("Cannot wake the server thread: %s", g_strerror (errno));
}

static gboolean
ensure_thread (CryoSimCpaServer  *self,
               GError           **error)
{
  if (self->thread != NULL)
    return TRUE;

  if (!g_unix_open_pipe (self->wake_fds, FD_CLOEXEC, error))
    return FALSE;
  if (!g_unix_set_fd_nonblocking (self->wake_fds[0], TRUE, error)
      || !g_unix_set_fd_nonblocking (self->wake_fds[1], TRUE, error))
    goto failed;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, self->capture_fds) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot start the simulator: %s"), g_strerror (saved_errno));
      goto failed;
    }

  g_atomic_int_set (&self->quit, FALSE);
  self->last_tick_us = g_get_monotonic_time ();
  self->thread = g_thread_new ("cryo-sim-cpa", server_thread, self);

  return TRUE;

failed:
  close_fd (&self->wake_fds[0]);
  close_fd (&self->wake_fds[1]);
  close_fd (&self->capture_fds[0]);
  close_fd (&self->capture_fds[1]);
  return FALSE;
}

static gboolean
open_command_log (CryoSimCpaServer  *self,
                  GError           **error)
{
  FILE *file;

  if (self->command_log_path == NULL || self->command_log_file != NULL)
    return TRUE;

  file = g_fopen (self->command_log_path, "ae");
  if (file == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (self->command_log_path);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot open the command log “%s”: %s"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  g_mutex_lock (&self->mutex);
  self->command_log_file = file;
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

static gboolean
open_pty (CryoSimCpaServer  *self,
          int               *master_fd,
          GError           **error)
{
  if (!cryo_sim_pty_open (master_fd, &self->slave_fd, &self->pty_path, error))
    return FALSE;

  /* libmodbus waits on its descriptor with select(). */
  if (*master_fd >= FD_SETSIZE)
    {
      close_fd (master_fd);
      close_fd (&self->slave_fd);
      g_clear_pointer (&self->pty_path, g_free);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (EMFILE),
                   _("Cannot create a pseudo-terminal for the simulator: %s"),
                   g_strerror (EMFILE));
      return FALSE;
    }

  return TRUE;
}

static gboolean
create_link (CryoSimCpaServer  *self,
             const char        *link_path,
             GError           **error)
{
  if (!cryo_sim_pty_link (self->pty_path, link_path, error))
    return FALSE;

  self->link_path = g_strdup (link_path);
  return TRUE;
}

static void
remove_link (CryoSimCpaServer *self)
{
  cryo_sim_pty_unlink (self->pty_path, self->link_path);
  g_clear_pointer (&self->link_path, g_free);
}

static void
cryo_sim_cpa_server_dispose (GObject *object)
{
  CryoSimCpaServer *self = (CryoSimCpaServer *)object;

  cryo_sim_cpa_server_stop (self);

  G_OBJECT_CLASS (cryo_sim_cpa_server_parent_class)->dispose (object);
}

static void
cryo_sim_cpa_server_finalize (GObject *object)
{
  CryoSimCpaServer *self = (CryoSimCpaServer *)object;

  g_clear_object (&self->model);
  g_clear_pointer (&self->command_log, g_ptr_array_unref);
  g_clear_pointer (&self->command_log_file, fclose);
  g_clear_pointer (&self->command_log_path, g_free);
  g_clear_pointer (&self->mapping, modbus_mapping_free);
  g_clear_pointer (&self->clients, g_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cryo_sim_cpa_server_parent_class)->finalize (object);
}

static void
cryo_sim_cpa_server_class_init (CryoSimCpaServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cryo_sim_cpa_server_dispose;
  object_class->finalize = cryo_sim_cpa_server_finalize;
}

static void
cryo_sim_cpa_server_init (CryoSimCpaServer *self)
{
  g_mutex_init (&self->mutex);
  self->speed = 1.0;
  self->listen_fd = -1;
  self->master_fd = -1;
  self->slave_fd = -1;
  self->wake_fds[0] = self->wake_fds[1] = -1;
  self->capture_fds[0] = self->capture_fds[1] = -1;
  self->command_log = g_ptr_array_new_with_free_func (g_free);
  self->clients = g_array_new (FALSE, FALSE, sizeof (int));
  self->rand = g_rand_new ();
  g_queue_init (&self->pending);
}

/**
 * cryo_sim_cpa_server_new:
 * @options: the simulator's options (see #CryoSimCpaOptions); copied
 *
 * Creates a simulated Cryomech CPA1110 compressor (cryomech-cpa-modbus.md
 * "Simulator behaviour"): input registers 1..33 and holding register 1 at
 * those PDU addresses. Nothing is served until
 * cryo_sim_cpa_server_start_tcp() or cryo_sim_cpa_server_start_rtu().
 *
 * Returns: (transfer full): a new server
 */
CryoSimCpaServer *
cryo_sim_cpa_server_new (const CryoSimCpaOptions *options)
{
  CryoSimCpaServer *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->speed > 0.0, NULL);
  g_return_val_if_fail (options->corrupt >= 0.0 && options->corrupt <= 1.0, NULL);
  g_return_val_if_fail (options->drop >= 0.0 && options->drop <= 1.0, NULL);
  g_return_val_if_fail (options->unit_id >= 1 && options->unit_id <= MAX_RTU_UNIT_ID, NULL);
  g_return_val_if_fail (options->pressure_scale <= CRYO_CPA_PRESSURE_SCALE_KPA, NULL);
  g_return_val_if_fail (options->temperature_scale <= CRYO_CPA_TEMPERATURE_SCALE_KELVIN, NULL);

  self = g_object_new (CRYO_TYPE_SIM_CPA_SERVER, NULL);
  self->speed = options->speed;
  self->corrupt = options->corrupt;
  self->drop = options->drop;
  self->delay_ms = options->delay_ms;
  self->unit_id = options->unit_id;
  self->frozen = options->frozen;
  self->command_log_path = g_strdup (options->command_log_path);

  self->model = cryo_sim_cpa_new (options->running, g_random_int ());
  cryo_sim_cpa_set_pressure_scale (self->model, options->pressure_scale);
  cryo_sim_cpa_set_temperature_scale (self->model, options->temperature_scale);
  cryo_sim_cpa_set_warnings (self->model, options->warnings);
  cryo_sim_cpa_set_alarms (self->model, options->alarms);

  self->mapping = modbus_mapping_new_start_address (0, 0, 0, 0,
                                                    CRYO_CPA_CONTROL_REGISTER, 1,
                                                    CRYO_CPA_FIRST_INPUT_REGISTER,
                                                    CRYO_CPA_N_INPUT_REGISTERS);
  g_assert (self->mapping != NULL);
  cryo_sim_cpa_encode_input_registers (self->model, self->mapping->tab_input_registers);

  return self;
}

/**
 * cryo_sim_cpa_server_start_tcp:
 * @self: a #CryoSimCpaServer
 * @address: IPv4 address to listen on, e.g. "127.0.0.1"
 * @port: TCP port, 0 for any free port (see cryo_sim_cpa_server_get_port())
 * @error: return location for a #GError (G_IO_ERROR: INVALID_ARGUMENT for
 *   an address that is not an IPv4 literal, ADDRESS_IN_USE, …;
 *   G_FILE_ERROR when the command log cannot be opened)
 *
 * Serves Modbus TCP (libmodbus) from the server thread, several clients at
 * once; every unit id is answered, as the panel does.
 * The listening socket has SO_REUSEADDR, so a stopped server can be
 * started again on the same port at once. May be combined with
 * cryo_sim_cpa_server_start_rtu() (one model behind both). Call from one
 * thread, the same as cryo_sim_cpa_server_stop().
 *
 * Returns: %TRUE when serving
 */
gboolean
cryo_sim_cpa_server_start_tcp (CryoSimCpaServer  *self,
                               const char        *address,
                               guint              port,
                               GError           **error)
{
  struct in_addr in;
  struct sockaddr_in bound;
  socklen_t bound_len = sizeof bound;
  modbus_t *ctx;
  int fd, saved_errno;

  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->tcp_ctx == NULL, FALSE);

  /* libmodbus would bind INADDR_NONE for anything else. */
  if (inet_pton (AF_INET, address, &in) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IPv4 address"), address);
      return FALSE;
    }

  if (!open_command_log (self, error))
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

  if (!ensure_thread (self, error))
    {
      close (fd);
      modbus_free (ctx);
      return FALSE;
    }

  self->port = ntohs (bound.sin_port);

  g_mutex_lock (&self->mutex);
  self->tcp_ctx = ctx;
  self->listen_fd = fd;
  g_mutex_unlock (&self->mutex);
  wake_thread (self);

  return TRUE;
}

/**
 * cryo_sim_cpa_server_get_port:
 * @self: a #CryoSimCpaServer
 *
 * Returns: the TCP port served (the one chosen when started with port 0),
 *   0 when not serving TCP
 */
guint
cryo_sim_cpa_server_get_port (CryoSimCpaServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), 0);

  return self->port;
}

/**
 * cryo_sim_cpa_server_start_rtu:
 * @self: a #CryoSimCpaServer
 * @link_path: (type filename) (nullable): where to create a symbolic link
 *   to the pseudo-terminal; an existing symbolic link there is replaced, any
 *   other file is refused
 * @error: return location for a #GError (G_IO_ERROR; G_IO_ERROR_EXISTS when
 *   a non-link is at @link_path; G_FILE_ERROR when the command log cannot
 *   be opened)
 *
 * Serves Modbus RTU (libmodbus) on a new pseudo-terminal in raw mode, for
 * the unit id of the options only: requests for other unit ids get no
 * reply; broadcasts (unit 0) are applied without a reply. A pty has no
 * baud rate or parity: clients may use any. May be combined with
 * cryo_sim_cpa_server_start_tcp(). Call from one thread, the same as
 * cryo_sim_cpa_server_stop().
 *
 * Returns: %TRUE when serving
 */
gboolean
cryo_sim_cpa_server_start_rtu (CryoSimCpaServer  *self,
                               const char        *link_path,
                               GError           **error)
{
  modbus_t *ctx;
  int master_fd = -1;

  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->rtu_ctx == NULL, FALSE);

  if (!open_command_log (self, error))
    return FALSE;

  if (!open_pty (self, &master_fd, error))
    return FALSE;

  if (link_path != NULL && !create_link (self, link_path, error))
    goto failed;

  ctx = new_rtu_context (self->pty_path, self->unit_id, master_fd);
  if (ctx == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot serve Modbus RTU: %s"), modbus_strerror (saved_errno));
      goto failed;
    }

  if (!ensure_thread (self, error))
    {
      modbus_free (ctx);
      goto failed;
    }

  g_mutex_lock (&self->mutex);
  self->rtu_ctx = ctx;
  self->master_fd = master_fd;
  g_mutex_unlock (&self->mutex);
  wake_thread (self);

  return TRUE;

failed:
  remove_link (self);
  close_fd (&master_fd);
  close_fd (&self->slave_fd);
  g_clear_pointer (&self->pty_path, g_free);
  return FALSE;
}

/**
 * cryo_sim_cpa_server_get_path:
 * @self: a #CryoSimCpaServer
 *
 * Returns: (type filename) (nullable): the link path given to
 *   cryo_sim_cpa_server_start_rtu(), else the pseudo-terminal's slave path
 *   (/dev/pts/N); %NULL when not serving RTU
 */
const char *
cryo_sim_cpa_server_get_path (CryoSimCpaServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), NULL);

  return self->link_path != NULL ? self->link_path : self->pty_path;
}

/**
 * cryo_sim_cpa_server_get_pty_path:
 * @self: a #CryoSimCpaServer
 *
 * Returns: (type filename) (nullable): the pseudo-terminal's slave path
 *   (/dev/pts/N); %NULL when not serving RTU
 */
const char *
cryo_sim_cpa_server_get_pty_path (CryoSimCpaServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), NULL);

  return self->pty_path;
}

/**
 * cryo_sim_cpa_server_is_running:
 * @self: a #CryoSimCpaServer
 *
 * Returns: %TRUE between a successful start and cryo_sim_cpa_server_stop()
 */
gboolean
cryo_sim_cpa_server_is_running (CryoSimCpaServer *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), FALSE);

  return self->thread != NULL;
}

/**
 * cryo_sim_cpa_server_stop:
 * @self: a #CryoSimCpaServer
 *
 * Stops serving: joins the server thread (pending delayed replies are
 * discarded), closes the TCP connections (clients read end-of-file or
 * ECONNRESET) and the listening socket, closes the pseudo-terminal (clients
 * see POLLHUP, reads return EIO or end-of-file) and removes the symbolic
 * link if it still points to it. The model carries on when started again.
 * Does nothing when not running. Call from the thread that started it.
 */
void
cryo_sim_cpa_server_stop (CryoSimCpaServer *self)
{
  modbus_t *tcp_ctx, *rtu_ctx;
  int listen_fd, master_fd;

  g_return_if_fail (CRYO_IS_SIM_CPA_SERVER (self));

  if (self->thread == NULL)
    return;

  g_atomic_int_set (&self->quit, TRUE);
  wake_thread (self);
  g_thread_join (g_steal_pointer (&self->thread));

  close_fd (&self->wake_fds[0]);
  close_fd (&self->wake_fds[1]);
  close_fd (&self->capture_fds[0]);
  close_fd (&self->capture_fds[1]);

  g_mutex_lock (&self->mutex);
  tcp_ctx = g_steal_pointer (&self->tcp_ctx);
  rtu_ctx = g_steal_pointer (&self->rtu_ctx);
  listen_fd = self->listen_fd;
  master_fd = self->master_fd;
  self->listen_fd = -1;
  self->master_fd = -1;
  g_mutex_unlock (&self->mutex);

  /* The contexts do not own the descriptors: modbus_free() leaves them. */
  close_fd (&listen_fd);
  g_clear_pointer (&tcp_ctx, modbus_free);
  self->port = 0;

  /* Closing the master hangs up the slave side: the port vanishes. */
  close_fd (&master_fd);
  g_clear_pointer (&rtu_ctx, modbus_free);
  remove_link (self);
  close_fd (&self->slave_fd);
  g_clear_pointer (&self->pty_path, g_free);
}

/**
 * cryo_sim_cpa_server_dup_command_log:
 * @self: a #CryoSimCpaServer
 *
 * A copy of the command log: one line per write request to a holding
 * register that reached the simulator intact (for this unit id on RTU),
 * "HR<address> 0x<value> <outcome>" with the outcome ACK, "REFUSED (alarm)",
 * "REFUSED (state)" (acknowledged on the wire, state unchanged),
 * ILLEGAL_VALUE or ILLEGAL_ADDRESS (answered with that exception), e.g.
 * "HR1 0x0001 ACK", "HR1 0x00FF ACK". Reads are not logged. Keeps the last
 * %CRYO_SIM_CPA_COMMAND_LOG_MAX lines. Thread-safe.
 *
 * Returns: (transfer full): a %NULL-terminated array of lines, oldest first
 */
char **
cryo_sim_cpa_server_dup_command_log (CryoSimCpaServer *self)
{
  char **log;

  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), NULL);

  g_mutex_lock (&self->mutex);
  log = g_new0 (char *, self->command_log->len + 1);
  for (guint i = 0; i < self->command_log->len; i++)
    log[i] = g_strdup (g_ptr_array_index (self->command_log, i));
  g_mutex_unlock (&self->mutex);

  return log;
}

/**
 * cryo_sim_cpa_server_get_n_replies:
 * @self: a #CryoSimCpaServer
 *
 * Returns: how many replies were sent or scheduled (corrupted ones
 *   included, dropped ones not) since creation. Thread-safe.
 */
guint
cryo_sim_cpa_server_get_n_replies (CryoSimCpaServer *self)
{
  guint n;

  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_replies;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * cryo_sim_cpa_server_get_registers:
 * @self: a #CryoSimCpaServer
 * @registers: (out caller-allocates) (array fixed-size=33): input registers
 *   1..33
 *
 * What a read of the 33 input registers would return now (the model is
 * ticked every 100 ms unless frozen). Thread-safe.
 */
void
cryo_sim_cpa_server_get_registers (CryoSimCpaServer *self,
                                   guint16          *registers)
{
  g_return_if_fail (CRYO_IS_SIM_CPA_SERVER (self));
  g_return_if_fail (registers != NULL);

  g_mutex_lock (&self->mutex);
  cryo_sim_cpa_encode_input_registers (self->model, registers);
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_cpa_server_set_faults:
 * @self: a #CryoSimCpaServer
 * @corrupt: probability 0..1 that a reply has one random byte altered
 * @drop: probability 0..1 that a reply is not sent (the request is still
 *   applied)
 * @delay_ms: delay before each reply, ms
 *
 * Changes the fault injection for the replies to come. Thread-safe.
 */
void
cryo_sim_cpa_server_set_faults (CryoSimCpaServer *self,
                                double            corrupt,
                                double            drop,
                                guint             delay_ms)
{
  g_return_if_fail (CRYO_IS_SIM_CPA_SERVER (self));
  g_return_if_fail (corrupt >= 0.0 && corrupt <= 1.0);
  g_return_if_fail (drop >= 0.0 && drop <= 1.0);

  g_mutex_lock (&self->mutex);
  self->corrupt = corrupt;
  self->drop = drop;
  self->delay_ms = delay_ms;
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_cpa_server_set_warnings:
 * @self: a #CryoSimCpaServer
 * @bits: warning bits 0..30 (registers 3-4), 0 to clear
 *
 * See cryo_sim_cpa_set_warnings(). Thread-safe.
 */
void
cryo_sim_cpa_server_set_warnings (CryoSimCpaServer *self,
                                  guint32           bits)
{
  g_return_if_fail (CRYO_IS_SIM_CPA_SERVER (self));

  g_mutex_lock (&self->mutex);
  cryo_sim_cpa_set_warnings (self->model, bits);
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_cpa_server_set_alarms:
 * @self: a #CryoSimCpaServer
 * @bits: alarm bits 0..30 (registers 5-6), 0 to clear
 *
 * See cryo_sim_cpa_set_alarms(): an alarm stops a running compressor
 * (state 7) and refuses starts. Thread-safe.
 */
void
cryo_sim_cpa_server_set_alarms (CryoSimCpaServer *self,
                                guint32           bits)
{
  g_return_if_fail (CRYO_IS_SIM_CPA_SERVER (self));

  g_mutex_lock (&self->mutex);
  cryo_sim_cpa_set_alarms (self->model, bits);
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_cpa_server_set_frozen:
 * @self: a #CryoSimCpaServer
 * @frozen: %TRUE to stop the model's clock
 *
 * While frozen, the registers change only through writes and the setters
 * (no warm-up, no state timers, no fresh noise), so that reads can be
 * compared. Unfreezing does not catch up the time frozen. Thread-safe.
 */
void
cryo_sim_cpa_server_set_frozen (CryoSimCpaServer *self,
                                gboolean          frozen)
{
  g_return_if_fail (CRYO_IS_SIM_CPA_SERVER (self));

  g_mutex_lock (&self->mutex);
  self->frozen = !!frozen;
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_cpa_server_get_state:
 * @self: a #CryoSimCpaServer
 *
 * Returns: the model's operating state, register 1 (#CryoCpaState).
 *   Thread-safe.
 */
guint
cryo_sim_cpa_server_get_state (CryoSimCpaServer *self)
{
  guint state;

  g_return_val_if_fail (CRYO_IS_SIM_CPA_SERVER (self), CRYO_CPA_STATE_ERROR);

  g_mutex_lock (&self->mutex);
  state = cryo_sim_cpa_get_state (self->model);
  g_mutex_unlock (&self->mutex);

  return state;
}
