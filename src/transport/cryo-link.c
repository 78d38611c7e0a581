/* cryo-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-link"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "cryo-link.h"

#define DEFAULT_BACKOFF_INITIAL_MS 1000
#define DEFAULT_BACKOFF_MAX_MS     30000

/* Stream mode reads in slices this long, so that a queued job or cryo_link_stop()
 * waits at most one slice for the transport. */
#define STREAM_READ_SLICE_MS 100
#define STREAM_READ_SIZE     512

/*
 * Threading: the worker thread owns the transport while it runs and touches nothing
 * else but the fields marked "shared", under @mutex. Everything else, GTasks
 * included, lives in the main context the link was created in: the worker hands
 * finished jobs and state changes over through @done and wakes @source, whose
 * dispatch publishes the state (coalesced) and completes the tasks. The worker never
 * takes or drops a reference, so the link is always disposed in the main context.
 *
 * Stream mode adds a step when no job is queued: one read slice, fed to the codec's
 * decoder (worker only, like the transport), whose messages join @done; a watchdog
 * on the time of the last valid message marks the stream stale and, later, closes
 * the transport to reopen it.
 */
typedef struct
{
  GTask            *task;              /* owned while queued; its task data is this job */
  CryoLinkFunc      func;
  gpointer          task_data;
  GDestroyNotify    task_data_destroy;
  GDestroyNotify    result_destroy;
  CryoLinkPriority  priority;
  GCancellable     *cancellable;       /* given to func: the caller's or the link's stop */
  GCancellable     *user_cancellable;
  gulong            cancelled_id;
  gpointer          result;            /* set by the worker */
  GError           *error;             /* set by the worker */
} CryoLinkJob;

/* An entry of @done: a finished job or, in stream mode, a decoded message. One queue
 * keeps them in the order the worker produced them, so that a command's result comes
 * after the messages decoded before it ran and before those decoded after. */
typedef struct
{
  CryoLinkJob *job;
  gpointer     message;                /* when job is NULL */
} CryoLinkDone;

typedef struct
{
  GSource   source;
  CryoLink *link;                      /* unowned: the link destroys the source */
} CryoLinkSource;

struct _CryoLink
{
  GObject        parent_instance;

  CryoTransport *transport;
  GMainContext  *context;
  GSource       *source;
  GThread       *thread;

  /* Shared with the worker */
  GMutex         mutex;
  GCond          cond;
  guint          backoff_initial_ms;
  guint          backoff_max_ms;
  GQueue         commands;
  GQueue         polls;
  GQueue         done;
  CryoLinkJob   *current;
  gboolean       running;
  gboolean       stopping;
  CryoLinkState  state;
  gint64         retry_time;
  char          *last_error;
  guint          n_reconnects;
  CryoLinkStats  stats;

  /* Shared with the worker, stream mode; the first four are set while it does not run */
  gboolean         streaming;
  CryoStreamCodec  codec;
  guint            stale_ms;
  guint            reopen_ms;
  gboolean         stale;
  guint64          n_messages;
  guint64          n_decode_errors;

  /* Worker only, stream mode */
  gpointer         decoder;            /* while the transport is open */
  gint64           open_time;
  gint64           last_message_time;  /* of the last valid message, or the start */

  /* Main context only: what the properties last said */
  CryoLinkState  pub_state;
  gint64         pub_retry_time;
  char          *pub_last_error;
  guint          pub_n_reconnects;
  gboolean       pub_stale;
  guint64        pub_n_messages;
  guint64        pub_n_decode_errors;
};

enum {
  PROP_0,
  PROP_TRANSPORT,
  PROP_STATE,
  PROP_RETRY_TIME,
  PROP_LAST_ERROR,
  PROP_N_RECONNECTS,
  PROP_STALE,
  PROP_N_MESSAGES,
  PROP_N_DECODE_ERRORS,
  N_PROPS
};

enum {
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (CryoLink, cryo_link, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CryoLinkState, cryo_link_state,
                    G_DEFINE_ENUM_VALUE (CRYO_LINK_STATE_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (CRYO_LINK_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (CRYO_LINK_STATE_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (CRYO_LINK_STATE_WAITING, "waiting"))

static void
cryo_link_job_free (gpointer data)
{
  CryoLinkJob *job = data;

  if (job->cancelled_id != 0)
    g_cancellable_disconnect (job->user_cancellable, job->cancelled_id);
  g_clear_object (&job->user_cancellable);
  g_clear_object (&job->cancellable);

  if (job->task_data_destroy != NULL)
    g_clear_pointer (&job->task_data, job->task_data_destroy);
  if (job->result_destroy != NULL)
    g_clear_pointer (&job->result, job->result_destroy);
  g_clear_error (&job->error);

  g_free (job);
}

static void
forward_cancel_cb (GCancellable *user_cancellable,
                   gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* Main context. Hands the job's outcome to its GTask and drops the queue's reference. */
static void
cryo_link_job_complete (CryoLinkJob *job)
{
  GTask *task = g_steal_pointer (&job->task);

  if (job->error != NULL)
    g_task_return_error (task, g_steal_pointer (&job->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&job->result), job->result_destroy);

  g_object_unref (task);
}

/* Main context. Copies the shared state into the properties and notifies what changed. */
static void
cryo_link_publish (CryoLink *self)
{
  gboolean state_changed;
  gboolean retry_changed;
  gboolean error_changed;
  gboolean reconnects_changed;
  gboolean stale_changed;
  gboolean messages_changed;
  gboolean decode_errors_changed;

  g_mutex_lock (&self->mutex);

  state_changed = self->pub_state != self->state;
  self->pub_state = self->state;

  retry_changed = self->pub_retry_time != self->retry_time;
  self->pub_retry_time = self->retry_time;

  error_changed = g_strcmp0 (self->pub_last_error, self->last_error) != 0;
  if (error_changed)
    {
      g_free (self->pub_last_error);
      self->pub_last_error = g_strdup (self->last_error);
    }

  reconnects_changed = self->pub_n_reconnects != self->n_reconnects;
  self->pub_n_reconnects = self->n_reconnects;

  stale_changed = self->pub_stale != self->stale;
  self->pub_stale = self->stale;

  messages_changed = self->pub_n_messages != self->n_messages;
  self->pub_n_messages = self->n_messages;

  decode_errors_changed = self->pub_n_decode_errors != self->n_decode_errors;
  self->pub_n_decode_errors = self->n_decode_errors;

  g_mutex_unlock (&self->mutex);

  if (!state_changed && !retry_changed && !error_changed && !reconnects_changed &&
      !stale_changed && !messages_changed && !decode_errors_changed)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
  if (retry_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_TIME]);
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LAST_ERROR]);
  if (reconnects_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_RECONNECTS]);
  if (stale_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STALE]);
  if (messages_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_MESSAGES]);
  if (decode_errors_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_DECODE_ERRORS]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
cryo_link_source_dispatch (GSource     *source,
                           GSourceFunc  callback,
                           gpointer     user_data)
{
  g_autoptr(CryoLink) self = g_object_ref (((CryoLinkSource *) source)->link);

  /* Before looking at the shared state, so that a change made while we work wakes
   * us again. */
  g_source_set_ready_time (source, -1);

  /* State first: a callback that asks the link sees the state its result came from. */
  cryo_link_publish (self);

  for (;;)
    {
      g_autofree CryoLinkDone *done = NULL;

      g_mutex_lock (&self->mutex);
      done = g_queue_pop_head (&self->done);
      g_mutex_unlock (&self->mutex);

      if (done == NULL)
        break;

      if (done->job != NULL)
        {
          cryo_link_job_complete (done->job);
        }
      else
        {
          g_signal_emit (self, signals [MESSAGE], 0, done->message);
          self->codec.message_free (done->message);
        }
    }

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs cryo_link_source_funcs = {
  .dispatch = cryo_link_source_dispatch,
};

/* Worker, mutex held. */
static void
wake_main_locked (CryoLink *self)
{
  g_source_set_ready_time (self->source, 0);
}

/* Worker, mutex held. @message when @job is NULL. */
static void
push_done_locked (CryoLink    *self,
                  CryoLinkJob *job,
                  gpointer     message)
{
  CryoLinkDone *done = g_new (CryoLinkDone, 1);

  done->job = job;
  done->message = message;
  g_queue_push_tail (&self->done, done);
}

/* Mutex held, worker joined. Messages are not delivered after a stop; finished jobs
 * still are, as they hold the link alive. */
static void
drop_messages_locked (CryoLink *self)
{
  GList *link = self->done.head;

  while (link != NULL)
    {
      GList *next = link->next;
      CryoLinkDone *done = link->data;

      if (done->job == NULL)
        {
          self->codec.message_free (done->message);
          g_free (done);
          g_queue_delete_link (&self->done, link);
        }

      link = next;
    }
}

/* Worker, mutex not held. The decoder's bytes belong to the connection. */
static void
cryo_link_close_transport (CryoLink *self)
{
  cryo_transport_close (self->transport);

  if (self->decoder != NULL)
    g_clear_pointer (&self->decoder, self->codec.decoder_free);
}

/* Worker, stream mode. */
static gint64
get_stale_time (CryoLink *self)
{
  return self->last_message_time + (gint64) self->stale_ms * 1000;
}

/* Worker, mutex held, stream mode. Stale is a fact about the instrument's messages,
 * not about the port: it holds while the port is closed or being reopened as well. */
static void
update_stale_locked (CryoLink *self)
{
  if (self->stale || g_get_monotonic_time () < get_stale_time (self))
    return;

  g_debug ("No valid message from %s for %u ms: stale",
           cryo_transport_get_description (self->transport), self->stale_ms);
  self->stale = TRUE;
  wake_main_locked (self);
}

/* Worker, mutex held. Closed after a failure: schedule the reopen and double the
 * next delay, up to the maximum. */
static void
enter_waiting_locked (CryoLink   *self,
                      const char *message,
                      guint      *delay_ms)
{
  self->state = CRYO_LINK_STATE_WAITING;
  self->retry_time = g_get_monotonic_time () + (gint64) *delay_ms * 1000;
  g_free (self->last_error);
  self->last_error = g_strdup (message);

  if (*delay_ms >= self->backoff_max_ms / 2)
    *delay_ms = self->backoff_max_ms;
  else
    *delay_ms *= 2;

  wake_main_locked (self);
}

/* Worker, mutex held. Jobs never wait for a reconnect. */
static void
fail_queued_locked (CryoLink *self)
{
  GQueue *queues[] = { &self->commands, &self->polls };

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    {
      CryoLinkJob *job;

      while ((job = g_queue_pop_head (queues[i])) != NULL)
        {
          job->error = g_error_new_literal (CRYO_TRANSPORT_ERROR,
                                            CRYO_TRANSPORT_ERROR_DISCONNECTED,
                                            _("Not connected"));
          push_done_locked (self, job, NULL);
        }
    }
}

/* Worker, mutex not held. */
static void
cryo_link_run_job (CryoLink    *self,
                   CryoLinkJob *job)
{
  GError *error = NULL;
  gpointer result = NULL;

  if (!g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    result = job->func (self->transport, job->task_data, job->cancellable, &error);

  if (error != NULL && result != NULL)
    {
      /* A func that fails returns no result; keep the error. */
      if (job->result_destroy != NULL)
        job->result_destroy (result);
      result = NULL;
    }

  job->result = result;
  job->error = error;
}

/* Worker, mutex not held. Feeds @len bytes to the decoder and takes out every
 * message it completes; garbage and damaged messages are counted, logged and
 * skipped, as the decoder has resynchronised past them. */
static void
cryo_link_decode (CryoLink     *self,
                  const guint8 *data,
                  gsize         len,
                  GQueue       *messages,
                  guint        *n_errors)
{
  self->codec.feed (self->decoder, data, len);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gpointer message = NULL;

      if (self->codec.next (self->decoder, &message, &error))
        {
          g_assert (message != NULL);
          g_queue_push_tail (messages, message);
        }
      else if (error != NULL)
        {
          g_debug ("%s: skipped an invalid message: %s",
                   cryo_transport_get_description (self->transport), error->message);
          (*n_errors)++;
        }
      else
        {
          break;
        }
    }
}

/* Worker, mutex held; released while reading and decoding. One slice of the stream:
 * what arrives within STREAM_READ_SLICE_MS is decoded and handed over, then the
 * watchdog looks at the age of the last valid message. */
static void
cryo_link_read_stream_locked (CryoLink *self,
                              guint    *delay_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *silence = NULL;
  GQueue messages = G_QUEUE_INIT;
  guint8 buffer[STREAM_READ_SIZE];
  guint n_errors = 0;
  guint n_messages;
  gpointer message;
  gint64 now;
  gssize n;

  g_mutex_unlock (&self->mutex);

  if (self->decoder == NULL)
    self->decoder = self->codec.decoder_new ();

  n = cryo_transport_read (self->transport, buffer, sizeof buffer, STREAM_READ_SLICE_MS,
                           &error);
  if (n > 0)
    cryo_link_decode (self, buffer, n, &messages, &n_errors);

  now = g_get_monotonic_time ();
  n_messages = messages.length;
  if (n_messages > 0)
    self->last_message_time = now;

  /* Any read failure closes the port: retrying a read that failed would only spin. */
  if (n < 0)
    {
      g_debug ("Reading %s failed: %s, closing it",
               cryo_transport_get_description (self->transport), error->message);
      cryo_link_close_transport (self);
    }
  else if (now - MAX (self->last_message_time, self->open_time) >=
           (gint64) self->reopen_ms * 1000)
    {
      silence = g_strdup_printf (_("No valid data from %s for %.1f s. Check that the "
                                   "instrument is on and the line settings match."),
                                 cryo_transport_get_description (self->transport),
                                 self->reopen_ms / 1000.0);
      g_debug ("No valid message from %s for %u ms: reopening it",
               cryo_transport_get_description (self->transport), self->reopen_ms);
      cryo_link_close_transport (self);
    }

  g_mutex_lock (&self->mutex);

  self->n_decode_errors += n_errors;

  if (n_messages > 0)
    {
      /* A valid message proves the connection: the back-off starts over. */
      self->stale = FALSE;
      *delay_ms = self->backoff_initial_ms;
      self->n_messages += n_messages;

      while ((message = g_queue_pop_head (&messages)) != NULL)
        push_done_locked (self, NULL, message);
    }

  if (n < 0 || silence != NULL)
    {
      enter_waiting_locked (self, n < 0 ? error->message : silence, delay_ms);
      fail_queued_locked (self);
    }

  if (n_messages > 0 || n_errors > 0)
    wake_main_locked (self);
}

static gpointer
cryo_link_worker (gpointer data)
{
  CryoLink *self = data;
  gboolean was_connected = FALSE;
  guint delay_ms;

  g_mutex_lock (&self->mutex);

  delay_ms = self->backoff_initial_ms;
  self->last_message_time = g_get_monotonic_time ();

  while (!self->stopping)
    {
      CryoLinkJob *job;

      if (self->streaming)
        update_stale_locked (self);

      if (self->state == CRYO_LINK_STATE_WAITING)
        {
          if (g_get_monotonic_time () < self->retry_time)
            {
              gint64 wake_time = self->retry_time;

              if (self->streaming && !self->stale)
                wake_time = MIN (wake_time, get_stale_time (self));

              g_cond_wait_until (&self->cond, &self->mutex, wake_time);
              continue;
            }

          self->state = CRYO_LINK_STATE_CONNECTING;
          self->retry_time = 0;
          wake_main_locked (self);
        }

      if (self->state == CRYO_LINK_STATE_CONNECTING)
        {
          g_autoptr(GError) error = NULL;
          gboolean opened;

          g_mutex_unlock (&self->mutex);
          opened = cryo_transport_open (self->transport, &error);
          g_mutex_lock (&self->mutex);

          if (opened)
            {
              if (was_connected)
                self->n_reconnects++;
              was_connected = TRUE;
              /* A stream port can open with nothing behind it (an adapter without
               * its instrument): there the first valid message restarts the
               * back-off instead, so that a silent instrument is retried ever more
               * slowly. */
              if (self->streaming)
                self->open_time = g_get_monotonic_time ();
              else
                delay_ms = self->backoff_initial_ms;
              self->state = CRYO_LINK_STATE_CONNECTED;
              g_clear_pointer (&self->last_error, g_free);
              wake_main_locked (self);
            }
          else
            {
              g_debug ("Opening %s failed: %s",
                       cryo_transport_get_description (self->transport), error->message);
              enter_waiting_locked (self, error->message, &delay_ms);
            }
          continue;
        }

      job = g_queue_pop_head (&self->commands);
      if (job == NULL)
        job = g_queue_pop_head (&self->polls);
      if (job == NULL && self->streaming)
        {
          cryo_link_read_stream_locked (self, &delay_ms);
          continue;
        }
      if (job == NULL)
        {
          g_cond_wait (&self->cond, &self->mutex);
          continue;
        }

      self->current = job;
      g_mutex_unlock (&self->mutex);

      cryo_link_run_job (self, job);

      if (cryo_transport_error_is_fatal (job->error))
        {
          g_debug ("%s failed: %s, closing it",
                   cryo_transport_get_description (self->transport), job->error->message);
          cryo_link_close_transport (self);
        }

      g_mutex_lock (&self->mutex);
      self->current = NULL;
      push_done_locked (self, job, NULL);

      if (cryo_transport_error_is_fatal (job->error))
        {
          enter_waiting_locked (self, job->error->message, &delay_ms);
          fail_queued_locked (self);
        }

      wake_main_locked (self);
    }

  g_mutex_unlock (&self->mutex);

  cryo_link_close_transport (self);

  return NULL;
}

static void
cryo_link_stop_internal (CryoLink *self,
                         gboolean  publish)
{
  g_autoptr(GCancellable) running_job = NULL;
  GQueue cancelled = G_QUEUE_INIT;
  CryoLinkJob *job;

  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  self->running = FALSE;
  if (self->current != NULL)
    running_job = g_object_ref (self->current->cancellable);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* Outside the lock: cancelling runs the func's own handlers. */
  if (running_job != NULL)
    g_cancellable_cancel (running_job);

  g_thread_join (g_steal_pointer (&self->thread));

  g_mutex_lock (&self->mutex);
  while ((job = g_queue_pop_head (&self->commands)) != NULL)
    g_queue_push_tail (&cancelled, job);
  while ((job = g_queue_pop_head (&self->polls)) != NULL)
    g_queue_push_tail (&cancelled, job);
  drop_messages_locked (self);
  self->state = CRYO_LINK_STATE_STOPPED;
  self->retry_time = 0;
  self->stale = FALSE;
  g_mutex_unlock (&self->mutex);

  if (publish)
    cryo_link_publish (self);

  while ((job = g_queue_pop_head (&cancelled)) != NULL)
    {
      job->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                        _("The connection was stopped"));
      cryo_link_job_complete (job);
    }
}

static void
cryo_link_dispose (GObject *object)
{
  CryoLink *self = (CryoLink *) object;

  /* Queued and finished jobs hold a reference through their GTask, so only an idle,
   * sleeping or streaming worker can be left here. */
  cryo_link_stop_internal (self, FALSE);

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }

  g_clear_object (&self->transport);

  G_OBJECT_CLASS (cryo_link_parent_class)->dispose (object);
}

static void
cryo_link_finalize (GObject *object)
{
  CryoLink *self = (CryoLink *) object;

  g_assert (g_queue_is_empty (&self->commands));
  g_assert (g_queue_is_empty (&self->polls));
  g_assert (g_queue_is_empty (&self->done));

  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->pub_last_error, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (cryo_link_parent_class)->finalize (object);
}

static void
cryo_link_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CryoLink *self = CRYO_LINK (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->pub_state);
      break;

    case PROP_RETRY_TIME:
      g_value_set_int64 (value, self->pub_retry_time);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->pub_last_error);
      break;

    case PROP_N_RECONNECTS:
      g_value_set_uint (value, self->pub_n_reconnects);
      break;

    case PROP_STALE:
      g_value_set_boolean (value, self->pub_stale);
      break;

    case PROP_N_MESSAGES:
      g_value_set_uint64 (value, self->pub_n_messages);
      break;

    case PROP_N_DECODE_ERRORS:
      g_value_set_uint64 (value, self->pub_n_decode_errors);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_link_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CryoLink *self = CRYO_LINK (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      self->transport = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_link_class_init (CryoLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cryo_link_dispose;
  object_class->finalize = cryo_link_finalize;
  object_class->get_property = cryo_link_get_property;
  object_class->set_property = cryo_link_set_property;

  /**
   * CryoLink:transport:
   *
   * The transport the worker owns while the link runs.
   */
  properties [PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL,
                         CRYO_TYPE_TRANSPORT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoLink:state:
   *
   * The connection state. Notified in the link's main context only; changes that
   * follow each other quickly are coalesced.
   */
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CRYO_TYPE_LINK_STATE,
                       CRYO_LINK_STATE_STOPPED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoLink:retry-time:
   *
   * When the worker reopens the transport, in g_get_monotonic_time() microseconds,
   * while #CryoLink:state is %CRYO_LINK_STATE_WAITING; 0 otherwise.
   */
  properties [PROP_RETRY_TIME] =
    g_param_spec_int64 ("retry-time", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoLink:last-error:
   *
   * The translated message of the last failure to open the transport or of the
   * transport failure that closed it; %NULL after a successful open.
   */
  properties [PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoLink:n-reconnects:
   *
   * How many times the transport was reopened after a failure.
   */
  properties [PROP_N_RECONNECTS] =
    g_param_spec_uint ("n-reconnects", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoLink:stale:
   *
   * Stream mode: %TRUE once no valid message has arrived for the stale time given
   * to cryo_link_set_stream(), counted from the last valid message or from
   * cryo_link_start(), whether the port is open or not; %FALSE again with the next
   * valid message, and when stopped. Always %FALSE in request/reply mode. Notified
   * in the link's main context only, within about 100 ms of the deadline.
   */
  properties [PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoLink:n-messages:
   *
   * Stream mode: how many valid messages the decoder produced since the link was
   * created. Notified in the link's main context, coalesced, before the messages
   * it counts are emitted.
   */
  properties [PROP_N_MESSAGES] =
    g_param_spec_uint64 ("n-messages", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoLink:n-decode-errors:
   *
   * Stream mode: how many times since the link was created the decoder skipped
   * bytes that were not a valid message (garbage, a bad checksum, a malformed or
   * overlong message). Each is logged with g_debug(). Notified in the link's main
   * context, coalesced.
   */
  properties [PROP_N_DECODE_ERRORS] =
    g_param_spec_uint64 ("n-decode-errors", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CryoLink::message:
   * @self: a #CryoLink
   * @message: a message from the stream codec's decoder, owned by the link and
   *   freed with the codec's message_free after the emission: copy what you keep
   *
   * Stream mode: emitted in the link's main context for each valid message, in the
   * order received, and in order with the results of cryo_link_run_async() jobs:
   * a job's callback runs after the messages decoded before the job ran and before
   * those decoded after it. Messages still undelivered when the link stops are
   * dropped.
   */
  signals [MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  g_cclosure_marshal_VOID__POINTER,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
  g_signal_set_va_marshaller (signals [MESSAGE],
                              G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__POINTERv);
}

static void
cryo_link_init (CryoLink *self)
{
  CryoLinkSource *source;

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->commands);
  g_queue_init (&self->polls);
  g_queue_init (&self->done);

  self->backoff_initial_ms = DEFAULT_BACKOFF_INITIAL_MS;
  self->backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
  self->state = CRYO_LINK_STATE_STOPPED;
  self->pub_state = CRYO_LINK_STATE_STOPPED;

  self->context = g_main_context_ref_thread_default ();

  source = (CryoLinkSource *) g_source_new (&cryo_link_source_funcs, sizeof *source);
  source->link = self;
  self->source = (GSource *) source;
  g_source_set_static_name (self->source, "[cryo-link]");
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT);
  g_source_attach (self->source, self->context);
}

/**
 * cryo_link_new:
 * @transport: a closed #CryoTransport; the link takes a reference and owns it from
 *   cryo_link_start() to cryo_link_stop()
 *
 * Creates a stopped link. Its main context is the thread-default #GMainContext of
 * the calling thread: every callback, notification and state change is delivered
 * there, and the link must be used (and its last reference dropped) from that
 * thread.
 *
 * Returns: (transfer full): a new #CryoLink
 */
CryoLink *
cryo_link_new (CryoTransport *transport)
{
  g_return_val_if_fail (CRYO_IS_TRANSPORT (transport), NULL);

  return g_object_new (CRYO_TYPE_LINK,
                       "transport", transport,
                       NULL);
}

/**
 * cryo_link_get_transport:
 * @self: a #CryoLink
 *
 * The transport, for its description. Do not do I/O on it from the main context:
 * while the link runs, the worker owns it.
 *
 * Returns: (transfer none): the transport
 */
CryoTransport *
cryo_link_get_transport (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), NULL);

  return self->transport;
}

/**
 * cryo_link_set_backoff:
 * @self: a #CryoLink
 * @initial_ms: the delay before the first reopen after a failure, in milliseconds (> 0)
 * @max_ms: the longest delay, in milliseconds (≥ @initial_ms)
 *
 * Sets the reconnect back-off: after each failure the delay doubles from @initial_ms
 * up to @max_ms, and it returns to @initial_ms after a successful open. The defaults
 * are 1000 and 30000 ms (1, 2, 4, 8, 16, 30, 30 … s). Call it before
 * cryo_link_start().
 */
void
cryo_link_set_backoff (CryoLink *self,
                       guint     initial_ms,
                       guint     max_ms)
{
  g_return_if_fail (CRYO_IS_LINK (self));
  g_return_if_fail (initial_ms > 0);
  g_return_if_fail (max_ms >= initial_ms);

  g_mutex_lock (&self->mutex);
  self->backoff_initial_ms = initial_ms;
  self->backoff_max_ms = max_ms;
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_link_set_stream:
 * @self: a stopped #CryoLink
 * @codec: the protocol's incremental decoder; copied, so a stack or static struct will
 *   do
 * @stale_ms: after this many milliseconds without a valid message the stream is
 *   #CryoLink:stale (> 0)
 * @reopen_ms: after this many milliseconds without a valid message on an open port
 *   the link closes it and reopens it with the back-off of cryo_link_set_backoff()
 *   (≥ @stale_ms)
 *
 * Puts the link in stream mode, for instruments that send status unsolicited. While
 * connected and no job is queued, the worker reads the transport in slices of about
 * 100 ms, feeds the bytes to a decoder made with @codec (a new one for each
 * connection) and emits each message as #CryoLink::message in the main context.
 * Bytes the decoder rejects are counted in #CryoLink:n-decode-errors and skipped;
 * the stream goes on. A read failure closes the port as a fatal job error does.
 *
 * Jobs from cryo_link_run_async() still run, between two slices (so they wait at
 * most one slice), with the transport to themselves: bytes a job reads are not fed to
 * the decoder, so a job for a stream protocol should only write and let the next
 * messages confirm its effect.
 *
 * The reopen watchdog counts from the last valid message or from the open, whichever
 * is later; in stream mode the back-off starts over with a valid message rather than
 * with an open, so a port that opens but stays silent is retried ever more slowly
 * (with the defaults: after 1, 2, 4 … 30 s plus @reopen_ms).
 *
 * Call it before cryo_link_start(), once; there is no way back to request/reply.
 *
 * Thread: the link's main context.
 */
void
cryo_link_set_stream (CryoLink              *self,
                      const CryoStreamCodec *codec,
                      guint                  stale_ms,
                      guint                  reopen_ms)
{
  g_return_if_fail (CRYO_IS_LINK (self));
  g_return_if_fail (self->thread == NULL);
  g_return_if_fail (codec != NULL);
  g_return_if_fail (codec->decoder_new != NULL && codec->decoder_free != NULL);
  g_return_if_fail (codec->feed != NULL && codec->next != NULL);
  g_return_if_fail (codec->message_free != NULL);
  g_return_if_fail (stale_ms > 0);
  g_return_if_fail (reopen_ms >= stale_ms);

  g_mutex_lock (&self->mutex);
  self->streaming = TRUE;
  self->codec = *codec;
  self->stale_ms = stale_ms;
  self->reopen_ms = reopen_ms;
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_link_start:
 * @self: a #CryoLink
 *
 * Starts the worker thread, which opens the transport (#CryoLink:state
 * %CRYO_LINK_STATE_CONNECTING, then %CRYO_LINK_STATE_CONNECTED, or
 * %CRYO_LINK_STATE_WAITING and a reopen by itself at #CryoLink:retry-time). Does
 * nothing when the link is running. A stopped link can be started again.
 *
 * Thread: the link's main context.
 */
void
cryo_link_start (CryoLink *self)
{
  g_return_if_fail (CRYO_IS_LINK (self));

  if (self->thread != NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->stopping = FALSE;
  self->running = TRUE;
  self->state = CRYO_LINK_STATE_CONNECTING;
  self->retry_time = 0;
  g_mutex_unlock (&self->mutex);

  /* Before the worker exists, so that the caller always sees CONNECTING first. */
  cryo_link_publish (self);

  self->thread = g_thread_new ("cryo-link", cryo_link_worker, self);
}

/**
 * cryo_link_stop:
 * @self: a #CryoLink
 *
 * Stops the link: cancels the cancellable of the running job, waits for the worker
 * to finish it (a func that ignores its cancellable delays this by at most its own
 * timeouts) or, in stream mode, its read slice (about 100 ms), closes the transport,
 * completes every queued job with %G_IO_ERROR_CANCELLED and drops the stream
 * messages not yet emitted. Afterwards #CryoLink:state is %CRYO_LINK_STATE_STOPPED and
 * cryo_link_run_async() fails with %G_IO_ERROR_CANCELLED. Does nothing when the link
 * is not running.
 *
 * Thread: the link's main context.
 */
void
cryo_link_stop (CryoLink *self)
{
  g_return_if_fail (CRYO_IS_LINK (self));

  cryo_link_stop_internal (self, TRUE);
}

/**
 * cryo_link_get_state:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: the state as last notified
 */
CryoLinkState
cryo_link_get_state (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), CRYO_LINK_STATE_STOPPED);

  return self->pub_state;
}

/**
 * cryo_link_is_connected:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: whether #CryoLink:state is %CRYO_LINK_STATE_CONNECTED
 */
gboolean
cryo_link_is_connected (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), FALSE);

  return self->pub_state == CRYO_LINK_STATE_CONNECTED;
}

/**
 * cryo_link_get_retry_time:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: the g_get_monotonic_time() (µs) of the next reopen while waiting, else 0
 */
gint64
cryo_link_get_retry_time (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), 0);

  return self->pub_retry_time;
}

/**
 * cryo_link_get_last_error:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: (nullable): the translated message of the last open or transport failure,
 *   %NULL after a successful open
 */
const char *
cryo_link_get_last_error (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), NULL);

  return self->pub_last_error;
}

/**
 * cryo_link_get_stats:
 * @self: a #CryoLink
 *
 * The link's counters, for the protocol code that runs on its worker
 * thread (which counts with g_atomic_int_inc()) and for people (read them
 * with g_atomic_int_get()).
 *
 * Returns: (transfer none): the counters, valid as long as the link
 */
CryoLinkStats *
cryo_link_get_stats (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), NULL);

  return &self->stats;
}

/**
 * cryo_link_get_quality:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: the share of requests sent that got an intact reply in time,
 *   0 to 100 (%); in stream mode the share of valid messages among those
 *   decoded and those dropped; 100 before the first request or message
 *   (cryo_link_has_traffic() tells)
 */
/* What the quality is judged by: requests sent (retries included) and
 * those that failed, or in stream mode the messages decoded or dropped and
 * those dropped. Main context. */
static void
count_traffic (CryoLink *self,
               guint64  *total,
               guint64  *bad)
{
  if (self->streaming)
    {
      *total = self->pub_n_messages + self->pub_n_decode_errors;
      *bad = self->pub_n_decode_errors;
      return;
    }

  *total = (guint64) MAX (g_atomic_int_get (&self->stats.transactions) +
                          g_atomic_int_get (&self->stats.retries), 0);
  *bad = (guint64) MAX (g_atomic_int_get (&self->stats.damaged) +
                        g_atomic_int_get (&self->stats.timeouts), 0);
}

guint
cryo_link_get_quality (CryoLink *self)
{
  guint64 total, bad;

  g_return_val_if_fail (CRYO_IS_LINK (self), 0);

  count_traffic (self, &total, &bad);
  if (total == 0)
    return 100;

  return (guint) ((total - MIN (bad, total)) * 100 / total);
}

/**
 * cryo_link_has_traffic:
 * @self: a #CryoLink
 *
 * Whether the link has anything to judge its quality by: a request sent
 * (counted in #CryoLinkStats by the protocol code), or in stream mode a
 * message decoded or dropped. A port that never opened has none, and its
 * cryo_link_get_quality() of 100 says nothing.
 *
 * Thread: the link's main context.
 *
 * Returns: %TRUE once there was traffic
 */
gboolean
cryo_link_has_traffic (CryoLink *self)
{
  guint64 total, bad;

  g_return_val_if_fail (CRYO_IS_LINK (self), FALSE);

  count_traffic (self, &total, &bad);
  return total > 0;
}

/**
 * cryo_link_dup_quality_text:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: (transfer full): the counts behind cryo_link_get_quality(), for
 *   a tooltip or a log line: "1,204 transactions, 12 damaged replies,
 *   3 timeouts, 15 retries, 0 reconnects"; in stream mode "1,204 valid,
 *   12 dropped, 0 reconnects"
 */
char *
cryo_link_dup_quality_text (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), NULL);

  if (self->streaming)
    /* PRIu64, not G_GUINT64_FORMAT: xgettext reads only the former, so the
     * whole string reaches translators. */
    /* Translators: a stream's messages decoded and dropped, in a panel and a tooltip */
    return g_strdup_printf (_("%'" PRIu64 " valid, %'" PRIu64 " dropped, %'u reconnects"),
                            self->pub_n_messages, self->pub_n_decode_errors, self->pub_n_reconnects);

  /* Translators: the link quality's counts, in a tooltip */
  return g_strdup_printf (_("%'d transactions, %'d damaged replies, %'d timeouts, %'d retries, %'u reconnects"),
                          g_atomic_int_get (&self->stats.transactions),
                          g_atomic_int_get (&self->stats.damaged),
                          g_atomic_int_get (&self->stats.timeouts),
                          g_atomic_int_get (&self->stats.retries),
                          self->pub_n_reconnects);
}

/**
 * cryo_link_get_n_reconnects:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: how many times the transport was reopened after a failure
 */
guint
cryo_link_get_n_reconnects (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), 0);

  return self->pub_n_reconnects;
}

/**
 * cryo_link_is_stream:
 * @self: a #CryoLink
 *
 * Returns: whether the link reads a stream (cryo_link_set_stream())
 */
gboolean
cryo_link_is_stream (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), FALSE);

  return self->streaming;
}

/**
 * cryo_link_get_stale:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: #CryoLink:stale as last notified: in stream mode, whether no valid message
 *   arrived within the stale time
 */
gboolean
cryo_link_get_stale (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), FALSE);

  return self->pub_stale;
}

/**
 * cryo_link_get_n_messages:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: #CryoLink:n-messages as last notified: how many valid stream messages
 *   were decoded
 */
guint64
cryo_link_get_n_messages (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), 0);

  return self->pub_n_messages;
}

/**
 * cryo_link_get_n_decode_errors:
 * @self: a #CryoLink
 *
 * Thread: the link's main context.
 *
 * Returns: #CryoLink:n-decode-errors as last notified: how many times the stream
 *   decoder skipped invalid bytes
 */
guint64
cryo_link_get_n_decode_errors (CryoLink *self)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), 0);

  return self->pub_n_decode_errors;
}

/**
 * cryo_link_run_async:
 * @self: a #CryoLink
 * @priority: %CRYO_LINK_PRIORITY_COMMAND runs before every queued poll; jobs of one
 *   priority run in submission order
 * @func: the transaction, run in the worker thread with the open transport
 * @task_data: (nullable): data for @func
 * @task_data_destroy: (nullable): frees @task_data in the main context once the job
 *   is finished, run or not
 * @result_destroy: (nullable): frees a result that is not taken by
 *   cryo_link_run_finish()
 * @cancellable: (nullable): cancels the job; a queued job then does not run, a
 *   running one sees its cancellable cancelled
 * @callback: called in the main context with the outcome
 * @user_data: data for @callback
 *
 * Queues a job for the worker. The job fails at once (in a later main-loop
 * iteration, never inside this call) with %CRYO_TRANSPORT_ERROR_DISCONNECTED when the
 * link is not connected (connecting, or waiting to reconnect: jobs never wait for a
 * reconnect), and with %G_IO_ERROR_CANCELLED when it is stopped. Queued jobs fail with
 * %CRYO_TRANSPORT_ERROR_DISCONNECTED when a job before them loses the port, or in
 * stream mode when a read or the watchdog closes it. In stream mode jobs run between
 * read slices; see cryo_link_set_stream().
 *
 * Thread: the link's main context; @callback runs in the thread-default main context
 * of the caller, which should be the link's.
 */
void
cryo_link_run_async (CryoLink            *self,
                     CryoLinkPriority     priority,
                     CryoLinkFunc         func,
                     gpointer             task_data,
                     GDestroyNotify       task_data_destroy,
                     GDestroyNotify       result_destroy,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CryoLinkJob *job;

  g_return_if_fail (CRYO_IS_LINK (self));
  g_return_if_fail (priority == CRYO_LINK_PRIORITY_POLL ||
                    priority == CRYO_LINK_PRIORITY_COMMAND);
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cryo_link_run_async);
  g_task_set_name (task, "[cryo-link] run");

  job = g_new0 (CryoLinkJob, 1);
  job->func = func;
  job->task_data = task_data;
  job->task_data_destroy = task_data_destroy;
  job->result_destroy = result_destroy;
  job->priority = priority;
  job->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      job->user_cancellable = g_object_ref (cancellable);
      job->cancelled_id = g_cancellable_connect (cancellable,
                                                 G_CALLBACK (forward_cancel_cb),
                                                 g_object_ref (job->cancellable),
                                                 g_object_unref);
    }
  g_task_set_task_data (task, job, cryo_link_job_free);

  g_mutex_lock (&self->mutex);

  if (!self->running)
    {
      g_mutex_unlock (&self->mutex);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connection is stopped"));
      return;
    }

  if (self->state != CRYO_LINK_STATE_CONNECTED)
    {
      g_mutex_unlock (&self->mutex);
      g_task_return_new_error (task, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED,
                               _("Not connected"));
      return;
    }

  job->task = g_steal_pointer (&task);
  if (priority == CRYO_LINK_PRIORITY_COMMAND)
    g_queue_push_tail (&self->commands, job);
  else
    g_queue_push_tail (&self->polls, job);
  g_cond_signal (&self->cond);

  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_link_run_finish:
 * @self: a #CryoLink
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Thread: the link's main context.
 *
 * Returns: (transfer full) (nullable): the func's result, freed with the
 *   result_destroy given to cryo_link_run_async(); %NULL with @error set on failure:
 *   the func's error, %CRYO_TRANSPORT_ERROR_DISCONNECTED when not connected, or
 *   %G_IO_ERROR_CANCELLED when cancelled or stopped
 */
gpointer
cryo_link_run_finish (CryoLink      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (CRYO_IS_LINK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cryo_link_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
