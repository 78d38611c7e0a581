/* cryo-sim-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cryo-agilent.h"
#include "cryo-sim-agilent-responder.h"
#include "cryo-sim-pump-station.h"
#include "cryo-sim-pty.h"
#include "cryo-sim-server.h"
#include "cryo-sim-faults.h"

#define TICK_INTERVAL_MS 100
#define READ_CHUNK       256

struct _CryoSimServer
{
  GObject                  parent_instance;

  /* Guards everything below it that the server thread and the API share:
   * the model, the responder, the fault settings and the counters. */
  GMutex                   mutex;
  CryoSimPumpStation      *model;
  CryoSimAgilentResponder *responder;
  double                   speed;
  double                   corrupt;
  double                   drop;
  guint                    delay_ms;
  guint                    n_replies;

  char                    *command_log_path;
  gboolean                 command_log_open;

  /* Owned by the thread calling start/stop. */
  int                      master_fd;
  int                      slave_fd;
  char                    *pty_path;
  char                    *link_path;
  GMainContext            *context;
  GThread                 *thread;
  gint                     quit;     /* atomic */

  /* Used only in the server thread while it runs. */
  GRand                   *rand;
  GSource                 *read_source;
  GSource                 *write_source;
  GSource                 *tick_source;
  GByteArray              *output;
  gint64                   last_tick_us;
};

typedef struct
{
  CryoSimServer *server;
  GBytes        *reply;
} DelayedReply;

G_DEFINE_FINAL_TYPE (CryoSimServer, cryo_sim_server, G_TYPE_OBJECT)

static gboolean flush_output (CryoSimServer *self);

static void
delayed_reply_free (gpointer data)
{
  DelayedReply *delayed = data;

  g_bytes_unref (delayed->reply);
  g_free (delayed);
}

static gboolean
on_write_ready_cb (int          fd,
                   GIOCondition condition,
                   gpointer     user_data)
{
  CryoSimServer *self = user_data;

  if (flush_output (self))
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&self->write_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* Writes what it can without blocking; returns TRUE while bytes remain
 * (a client that does not read fills the pty buffer). */
static gboolean
flush_output (CryoSimServer *self)
{
  while (self->output->len > 0)
    {
      ssize_t n = write (self->master_fd, self->output->data, self->output->len);

      if (n > 0)
        {
          g_byte_array_remove_range (self->output, 0, (guint) n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return TRUE;

      g_debug ("Cannot write to the pseudo-terminal: %s", g_strerror (errno));
      g_byte_array_set_size (self->output, 0);
      return FALSE;
    }

  return FALSE;
}

static void
send_reply (CryoSimServer *self,
            GBytes        *reply)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (reply, &len);

  g_byte_array_append (self->output, data, (guint) len);

  if (flush_output (self) && self->write_source == NULL)
    {
      self->write_source = g_unix_fd_source_new (self->master_fd, G_IO_OUT);
      g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_write_ready_cb), self, NULL);
      g_source_attach (self->write_source, self->context);
    }
}

static gboolean
on_delay_elapsed_cb (gpointer user_data)
{
  DelayedReply *delayed = user_data;

  send_reply (delayed->server, delayed->reply);

  return G_SOURCE_REMOVE;
}

static void
dispatch_reply (CryoSimServer *self,
                GBytes        *reply,
                double         corrupt,
                double         drop,
                guint          delay_ms)
{
  g_autoptr(GBytes) out = NULL;

  out = cryo_sim_faults_apply (self->rand, reply, corrupt, drop);
  if (out == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->n_replies++;
  g_mutex_unlock (&self->mutex);

  if (delay_ms > 0)
    {
      DelayedReply *delayed = g_new0 (DelayedReply, 1);
      g_autoptr(GSource) source = g_timeout_source_new (delay_ms);

      delayed->server = self;
      delayed->reply = g_steal_pointer (&out);
      g_source_set_callback (source, on_delay_elapsed_cb, delayed, delayed_reply_free);
      g_source_attach (source, self->context);
    }
  else
    {
      send_reply (self, out);
    }
}

static gboolean
on_master_readable_cb (int          fd,
                       GIOCondition condition,
                       gpointer     user_data)
{
  CryoSimServer *self = user_data;
  g_autoptr(GPtrArray) replies = NULL;
  guint8 buffer[READ_CHUNK];
  double corrupt, drop;
  guint delay_ms;
  ssize_t n;

  n = read (fd, buffer, sizeof buffer);
  if (n < 0)
    {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
        return G_SOURCE_CONTINUE;

      /* With our own slave descriptor open this does not happen on Linux;
       * stop watching rather than spin on a dead descriptor. */
      g_debug ("Cannot read the pseudo-terminal: %s", g_strerror (errno));
      g_clear_pointer (&self->read_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  if (n == 0)
    return G_SOURCE_CONTINUE;

  g_mutex_lock (&self->mutex);
  replies = cryo_sim_agilent_responder_feed (self->responder, buffer, (gsize) n);
  corrupt = self->corrupt;
  drop = self->drop;
  delay_ms = self->delay_ms;
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < replies->len; i++)
    dispatch_reply (self, g_ptr_array_index (replies, i), corrupt, drop, delay_ms);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick_cb (gpointer user_data)
{
  CryoSimServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double elapsed = (now - self->last_tick_us) / (double) G_USEC_PER_SEC;

  self->last_tick_us = now;

  g_mutex_lock (&self->mutex);
  cryo_sim_pump_station_tick (self->model, elapsed * self->speed);
  g_mutex_unlock (&self->mutex);

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

  /* Tear down this thread's sources here, in their own thread. */
  if (self->read_source != NULL)
    g_source_destroy (self->read_source);
  if (self->write_source != NULL)
    g_source_destroy (self->write_source);
  if (self->tick_source != NULL)
    g_source_destroy (self->tick_source);
  g_clear_pointer (&self->read_source, g_source_unref);
  g_clear_pointer (&self->write_source, g_source_unref);
  g_clear_pointer (&self->tick_source, g_source_unref);

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

static gboolean
open_pty (CryoSimServer  *self,
          GError        **error)
{
  return cryo_sim_pty_open (&self->master_fd, &self->slave_fd, &self->pty_path, error);
}

static gboolean
create_link (CryoSimServer  *self,
             const char     *link_path,
             GError        **error)
{
  if (!cryo_sim_pty_link (self->pty_path, link_path, error))
    return FALSE;

  self->link_path = g_strdup (link_path);
  return TRUE;
}

static void
remove_link (CryoSimServer *self)
{
  cryo_sim_pty_unlink (self->pty_path, self->link_path);
  g_clear_pointer (&self->link_path, g_free);
}

static void
close_pty (CryoSimServer *self)
{
  if (self->master_fd >= 0)
    close (self->master_fd);
  if (self->slave_fd >= 0)
    close (self->slave_fd);
  self->master_fd = -1;
  self->slave_fd = -1;
  g_clear_pointer (&self->pty_path, g_free);
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

  g_clear_object (&self->responder);
  g_clear_object (&self->model);
  g_clear_pointer (&self->command_log_path, g_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->output, g_byte_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cryo_sim_server_parent_class)->finalize (object);
}

static void
cryo_sim_server_class_init (CryoSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cryo_sim_server_dispose;
  object_class->finalize = cryo_sim_server_finalize;
}

static void
cryo_sim_server_init (CryoSimServer *self)
{
  g_mutex_init (&self->mutex);
  self->master_fd = -1;
  self->slave_fd = -1;
  self->speed = 1.0;
  self->rand = g_rand_new ();
  self->output = g_byte_array_new ();
}

/**
 * cryo_sim_server_new_pump_station:
 * @options: the simulator's options (see #CryoSimOptions); copied
 *
 * Creates a simulated Agilent TPS-compact pumping station speaking the
 * Window protocol (agilent-window.md "Simulator behaviour"). Nothing is
 * served until cryo_sim_server_start().
 *
 * Returns: (transfer full): a new server
 */
CryoSimServer *
cryo_sim_server_new_pump_station (const CryoSimOptions *options)
{
  CryoSimServer *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->speed > 0.0, NULL);
  g_return_val_if_fail (options->corrupt >= 0.0 && options->corrupt <= 1.0, NULL);
  g_return_val_if_fail (options->drop >= 0.0 && options->drop <= 1.0, NULL);
  g_return_val_if_fail (options->address <= CRYO_AGILENT_MAX_ADDRESS, NULL);
  g_return_val_if_fail (options->pressure_unit <= CRYO_AGILENT_UNIT_TORR, NULL);

  self = g_object_new (CRYO_TYPE_SIM_SERVER, NULL);
  self->speed = options->speed;
  self->corrupt = options->corrupt;
  self->drop = options->drop;
  self->delay_ms = options->delay_ms;
  self->command_log_path = g_strdup (options->command_log_path);

  self->model = cryo_sim_pump_station_new (options->running, g_random_int ());
  cryo_sim_pump_station_set_pressure_unit (self->model, options->pressure_unit);
  if (options->error_bits != 0)
    cryo_sim_pump_station_set_error_bits (self->model, options->error_bits);
  cryo_sim_pump_station_set_remote (self->model, options->remote);
  self->responder = cryo_sim_agilent_responder_new (self->model, options->address);

  return self;
}

/**
 * cryo_sim_server_start:
 * @self: a #CryoSimServer
 * @link_path: (type filename) (nullable): where to create a symbolic link
 *   to the pseudo-terminal; an existing symbolic link there is replaced, any
 *   other file is refused
 * @error: return location for a #GError (G_IO_ERROR; G_IO_ERROR_EXISTS when
 *   a non-link is at @link_path; G_FILE_ERROR when the command log cannot
 *   be opened)
 *
 * Creates a pseudo-terminal in raw mode and starts serving it from a new
 * thread with its own #GMainContext: requests are answered as they arrive
 * (after the configured delay), the model is advanced every 100 ms by the
 * elapsed wall time times the speed factor. Call from one thread, the same
 * as cryo_sim_server_stop(). A stopped server may be started again (a new
 * pseudo-terminal; the model carries on), which simulates a port that
 * vanished and came back.
 *
 * Returns: %TRUE when serving
 */
gboolean
cryo_sim_server_start (CryoSimServer  *self,
                       const char     *link_path,
                       GError        **error)
{
  g_autoptr(GSource) read_source = NULL;
  g_autoptr(GSource) tick_source = NULL;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  if (self->command_log_path != NULL && !self->command_log_open)
    {
      if (!cryo_sim_agilent_responder_set_command_log_path (self->responder,
                                                            self->command_log_path,
                                                            error))
        return FALSE;
      self->command_log_open = TRUE;
    }

  if (!open_pty (self, error))
    {
      close_pty (self);
      return FALSE;
    }

  if (link_path != NULL && !create_link (self, link_path, error))
    {
      close_pty (self);
      return FALSE;
    }

  self->context = g_main_context_new ();
  g_atomic_int_set (&self->quit, FALSE);
  self->last_tick_us = g_get_monotonic_time ();
  g_byte_array_set_size (self->output, 0);

  self->read_source = g_unix_fd_source_new (self->master_fd, G_IO_IN);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_master_readable_cb), self, NULL);
  g_source_attach (self->read_source, self->context);

  self->tick_source = g_timeout_source_new (TICK_INTERVAL_MS);
  g_source_set_callback (self->tick_source, on_tick_cb, self, NULL);
  g_source_attach (self->tick_source, self->context);

  self->thread = g_thread_new ("cryo-sim-server", server_thread, self);

  return TRUE;
}

/**
 * cryo_sim_server_get_path:
 * @self: a #CryoSimServer
 *
 * Returns: (type filename) (nullable): the link path given to
 *   cryo_sim_server_start(), else the pseudo-terminal's slave path
 *   (/dev/pts/N); %NULL when not started
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
 *   (/dev/pts/N); %NULL when not started
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
 * Returns: %TRUE between a successful cryo_sim_server_start() and
 *   cryo_sim_server_stop()
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
 * discarded), closes the pseudo-terminal so that clients see the port
 * vanish (their reads return EIO or end-of-file, poll reports POLLHUP) and
 * removes the symbolic link if it still points to it. Does nothing when not
 * running. Call from the thread that called cryo_sim_server_start().
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

  /* Destroys the delayed replies still pending. */
  g_clear_pointer (&self->context, g_main_context_unref);

  /* Closing the master hangs up the slave side: the port vanishes. */
  if (self->master_fd >= 0)
    close (self->master_fd);
  self->master_fd = -1;

  remove_link (self);
  close_pty (self);
}

/**
 * cryo_sim_server_dup_command_log:
 * @self: a #CryoSimServer
 *
 * A copy of the command log: every write request that reached the
 * simulator with a valid CRC, as "<window> <data> <reply>" (see
 * cryo_sim_agilent_responder_dup_command_log()). Thread-safe.
 *
 * Returns: (transfer full): a %NULL-terminated array of lines, oldest first
 */
char **
cryo_sim_server_dup_command_log (CryoSimServer *self)
{
  char **log;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), NULL);

  g_mutex_lock (&self->mutex);
  log = cryo_sim_agilent_responder_dup_command_log (self->responder);
  g_mutex_unlock (&self->mutex);

  return log;
}

/**
 * cryo_sim_server_get_n_replies:
 * @self: a #CryoSimServer
 *
 * Returns: how many replies were sent or scheduled (corrupted ones
 *   included, dropped ones not) since creation. Thread-safe.
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
 * @drop: probability 0..1 that a reply is not sent
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
 * cryo_sim_server_set_error_bits:
 * @self: a #CryoSimServer
 * @bits: window 206 error bits to latch (0x01..0xFF), 0 to clear
 *
 * Fault injection in the pump: see cryo_sim_pump_station_set_error_bits().
 * Thread-safe.
 */
void
cryo_sim_server_set_error_bits (CryoSimServer *self,
                                guint          bits)
{
  g_return_if_fail (CRYO_IS_SIM_SERVER (self));

  g_mutex_lock (&self->mutex);
  cryo_sim_pump_station_set_error_bits (self->model, bits);
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_server_press_front_panel_start:
 * @self: a #CryoSimServer
 *
 * Starts the pump as its front-panel Start key would: behind the back of
 * whoever talks to the serial port, and absent from the command log. Tests
 * use it to prove that a start is re-checked against fresh readings.
 * Thread-safe.
 *
 * Returns: %TRUE when the model started (it refuses while a fault is set)
 */
gboolean
cryo_sim_server_press_front_panel_start (CryoSimServer *self)
{
  gboolean started;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), FALSE);

  g_mutex_lock (&self->mutex);
  started = cryo_sim_pump_station_start (self->model);
  g_mutex_unlock (&self->mutex);

  return started;
}

/**
 * cryo_sim_server_get_pump_status:
 * @self: a #CryoSimServer
 *
 * Returns: the model's window 205 status (0..6). Thread-safe.
 */
guint
cryo_sim_server_get_pump_status (CryoSimServer *self)
{
  guint status;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), CRYO_AGILENT_STATUS_FAIL);

  g_mutex_lock (&self->mutex);
  status = cryo_sim_pump_station_get_status (self->model);
  g_mutex_unlock (&self->mutex);

  return status;
}

/**
 * cryo_sim_server_get_pump_rpm:
 * @self: a #CryoSimServer
 *
 * Returns: the model's true rotor speed, rpm. Thread-safe.
 */
double
cryo_sim_server_get_pump_rpm (CryoSimServer *self)
{
  double rpm;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), 0.0);

  g_mutex_lock (&self->mutex);
  rpm = cryo_sim_pump_station_get_rpm (self->model);
  g_mutex_unlock (&self->mutex);

  return rpm;
}

/**
 * cryo_sim_server_get_pump_pressure_mbar:
 * @self: a #CryoSimServer
 *
 * Returns: the model's true chamber pressure, mbar. Thread-safe.
 */
double
cryo_sim_server_get_pump_pressure_mbar (CryoSimServer *self)
{
  double p;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (self), 0.0);

  g_mutex_lock (&self->mutex);
  p = cryo_sim_pump_station_get_pressure_mbar (self->model);
  g_mutex_unlock (&self->mutex);

  return p;
}
