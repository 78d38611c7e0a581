/* test-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CryoLink against a scriptable fake transport: queue order, results in the main
 * context, back-off and reconnect, stop and dispose at awkward moments, no leaks.
 */

#include "config.h"

#include <gio/gio.h>

#include "cryo-link.h"

/* A short back-off keeps the tests fast; the scheduling noise of a loaded machine
 * stays well below these steps. */
#define SHORT_INITIAL_MS 20
#define SHORT_MAX_MS     160

#define WAIT_TIMEOUT_S 10

static GThread *main_thread;
static gint n_task_data_alive;
static gint n_results_alive;

/* ------------------------------------------------------------------------------ */
/* The fake transport. Everything the worker calls is recorded under a mutex.    */

#define TEST_TYPE_FAKE_TRANSPORT (test_fake_transport_get_type ())
G_DECLARE_FINAL_TYPE (TestFakeTransport, test_fake_transport, TEST, FAKE_TRANSPORT, GObject)

struct _TestFakeTransport
{
  GObject    parent_instance;

  GMutex     mutex;
  GCond      cond;
  gboolean   is_open;
  guint      fail_opens;         /* the next this many opens fail */
  guint      n_opens;            /* attempts */
  guint      n_good_opens;
  guint      n_closes;           /* closes of an open transport */
  GArray    *open_times;         /* gint64, g_get_monotonic_time() at each attempt */
  GPtrArray *jobs;               /* names of the jobs run, in order */
  gboolean   off_main_thread;    /* every call came from another thread */
  gboolean   blocking;           /* a blocking job is running */
  gboolean   release;            /* let blocking jobs finish */
};

static void test_fake_transport_iface_init (CryoTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFakeTransport, test_fake_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_TRANSPORT,
                                                      test_fake_transport_iface_init))

static void
fake_check_thread_locked (TestFakeTransport *self)
{
  if (g_thread_self () == main_thread)
    self->off_main_thread = FALSE;
}

static gboolean
fake_open (CryoTransport  *transport,
           GError        **error)
{
  TestFakeTransport *self = TEST_FAKE_TRANSPORT (transport);
  gint64 now = g_get_monotonic_time ();
  gboolean ok;

  g_mutex_lock (&self->mutex);
  fake_check_thread_locked (self);
  self->n_opens++;
  g_array_append_val (self->open_times, now);

  if (self->fail_opens > 0)
    {
      self->fail_opens--;
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND,
                   "Fake port %u not found", self->n_opens);
      ok = FALSE;
    }
  else
    {
      self->is_open = TRUE;
      self->n_good_opens++;
      ok = TRUE;
    }

  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  return ok;
}

static void
fake_close (CryoTransport *transport)
{
  TestFakeTransport *self = TEST_FAKE_TRANSPORT (transport);

  g_mutex_lock (&self->mutex);
  fake_check_thread_locked (self);
  if (self->is_open)
    self->n_closes++;
  self->is_open = FALSE;
  g_mutex_unlock (&self->mutex);
}

static gboolean
fake_is_open (CryoTransport *transport)
{
  TestFakeTransport *self = TEST_FAKE_TRANSPORT (transport);
  gboolean is_open;

  g_mutex_lock (&self->mutex);
  is_open = self->is_open;
  g_mutex_unlock (&self->mutex);

  return is_open;
}

static gboolean
fake_write_all (CryoTransport  *transport,
                const guint8   *data,
                gsize           len,
                GError        **error)
{
  return TRUE;
}

static gssize
fake_read (CryoTransport  *transport,
           guint8         *buffer,
           gsize           len,
           guint           timeout_ms,
           GError        **error)
{
  return 0;
}

static void
fake_discard_input (CryoTransport *transport)
{
}

static const char *
fake_get_description (CryoTransport *transport)
{
  return "fake";
}

static void
test_fake_transport_iface_init (CryoTransportInterface *iface)
{
  iface->open = fake_open;
  iface->close = fake_close;
  iface->is_open = fake_is_open;
  iface->write_all = fake_write_all;
  iface->read = fake_read;
  iface->discard_input = fake_discard_input;
  iface->get_description = fake_get_description;
}

static void
test_fake_transport_finalize (GObject *object)
{
  TestFakeTransport *self = TEST_FAKE_TRANSPORT (object);

  g_array_unref (self->open_times);
  g_ptr_array_unref (self->jobs);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (test_fake_transport_parent_class)->finalize (object);
}

static void
test_fake_transport_class_init (TestFakeTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_fake_transport_finalize;
}

static void
test_fake_transport_init (TestFakeTransport *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->open_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->jobs = g_ptr_array_new_with_free_func (g_free);
  self->off_main_thread = TRUE;
}

static TestFakeTransport *
fake_new (guint fail_opens)
{
  TestFakeTransport *self = g_object_new (TEST_TYPE_FAKE_TRANSPORT, NULL);

  self->fail_opens = fail_opens;

  return self;
}

static guint
fake_get_uint (TestFakeTransport *self,
               const guint       *field)
{
  guint value;

  g_mutex_lock (&self->mutex);
  value = *field;
  g_mutex_unlock (&self->mutex);

  return value;
}

static gboolean
fake_get_blocking (TestFakeTransport *self)
{
  gboolean value;

  g_mutex_lock (&self->mutex);
  value = self->blocking;
  g_mutex_unlock (&self->mutex);

  return value;
}

static void
fake_set_fail_opens (TestFakeTransport *self,
                     guint              fail_opens)
{
  g_mutex_lock (&self->mutex);
  self->fail_opens = fail_opens;
  g_mutex_unlock (&self->mutex);
}

static void
fake_release (TestFakeTransport *self)
{
  g_mutex_lock (&self->mutex);
  self->release = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Main thread, after the link is stopped: the jobs that ran, joined by spaces. */
static char *
fake_dup_jobs (TestFakeTransport *self)
{
  g_autoptr(GString) str = g_string_new (NULL);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->jobs->len; i++)
    g_string_append_printf (str, "%s%s", i > 0 ? " " : "",
                            (const char *) g_ptr_array_index (self->jobs, i));
  g_mutex_unlock (&self->mutex);

  return g_string_free (g_steal_pointer (&str), FALSE);
}

/* ------------------------------------------------------------------------------ */
/* Jobs                                                                            */

typedef enum
{
  JOB_RECORD,       /* records its name, returns it */
  JOB_DISCONNECT,   /* records, fails with DISCONNECTED */
  JOB_TIMEOUT,      /* records, fails with TIMEOUT */
  JOB_BLOCK,        /* records, waits for release or cancellation */
  JOB_TRANSACT,     /* records, counts a request and a damaged reply as protocol code would */
} JobKind;

typedef struct
{
  JobKind        kind;
  char          *name;
  CryoLinkStats *stats;   /* JOB_TRANSACT */
} JobSpec;

static void
job_spec_free (gpointer data)
{
  JobSpec *spec = data;

  g_assert_true (g_thread_self () == main_thread);
  g_free (spec->name);
  g_free (spec);
  g_atomic_int_add (&n_task_data_alive, -1);
}

static JobSpec *
job_spec_new (JobKind     kind,
              const char *name)
{
  JobSpec *spec = g_new0 (JobSpec, 1);

  spec->kind = kind;
  spec->name = g_strdup (name);
  g_atomic_int_inc (&n_task_data_alive);

  return spec;
}

static void
result_free (gpointer data)
{
  g_free (data);
  g_atomic_int_add (&n_results_alive, -1);
}

static gpointer
job_func (CryoTransport  *transport,
          gpointer        task_data,
          GCancellable   *cancellable,
          GError        **error)
{
  TestFakeTransport *fake = TEST_FAKE_TRANSPORT (transport);
  JobSpec *spec = task_data;

  g_assert_true (g_thread_self () != main_thread);
  g_assert_true (cryo_transport_is_open (transport));
  g_assert_true (G_IS_CANCELLABLE (cancellable));

  g_mutex_lock (&fake->mutex);
  g_ptr_array_add (fake->jobs, g_strdup (spec->name));
  g_mutex_unlock (&fake->mutex);

  switch (spec->kind)
    {
    case JOB_RECORD:
      break;

    case JOB_DISCONNECT:
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED,
                   "Fake port unplugged");
      return NULL;

    case JOB_TIMEOUT:
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT,
                   "No reply from the fake");
      return NULL;

    case JOB_TRANSACT:
      g_atomic_int_inc (&spec->stats->transactions);
      g_atomic_int_inc (&spec->stats->retries);
      g_atomic_int_inc (&spec->stats->damaged);
      break;

    case JOB_BLOCK:
      g_mutex_lock (&fake->mutex);
      fake->blocking = TRUE;
      while (!fake->release && !g_cancellable_is_cancelled (cancellable))
        g_cond_wait_until (&fake->cond, &fake->mutex,
                           g_get_monotonic_time () + 5 * G_TIME_SPAN_MILLISECOND);
      fake->blocking = FALSE;
      g_mutex_unlock (&fake->mutex);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      break;

    default:
      g_assert_not_reached ();
    }

  g_atomic_int_inc (&n_results_alive);
  return g_strdup (spec->name);
}

typedef struct
{
  gboolean  done;
  char     *result;
  GError   *error;
  gint64    time;
  guint     order;
} Outcome;

static guint n_completed;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, result_free);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_true (g_thread_self () == main_thread);
  g_assert_false (outcome->done);

  outcome->result = cryo_link_run_finish (CRYO_LINK (object), result, &outcome->error);
  g_assert_true ((outcome->result == NULL) != (outcome->error == NULL));
  outcome->time = g_get_monotonic_time ();
  outcome->order = n_completed++;
  outcome->done = TRUE;
}

static void
submit (CryoLink         *link,
        CryoLinkPriority  priority,
        JobKind           kind,
        const char       *name,
        GCancellable     *cancellable,
        Outcome          *outcome)
{
  outcome_clear (outcome);
  cryo_link_run_async (link, priority, job_func, job_spec_new (kind, name), job_spec_free,
                       result_free, cancellable, run_cb, outcome);
  /* Never completed inside the call. */
  g_assert_false (outcome->done);
}

/* ------------------------------------------------------------------------------ */
/* Helpers                                                                         */

#define WAIT_FOR(condition)                                                         \
  G_STMT_START {                                                                    \
    gint64 wait_deadline_ = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(condition))                                                            \
      {                                                                             \
        if (g_get_monotonic_time () > wait_deadline_)                               \
          g_error ("Timed out waiting for %s", #condition);                         \
        if (!g_main_context_iteration (NULL, FALSE))                                \
          g_usleep (500);                                                           \
      }                                                                             \
  } G_STMT_END

static void
drain_main_context (void)
{
  for (guint i = 0; i < 10; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

typedef struct
{
  guint    n_notifies;
  gboolean saw_waiting;
  gboolean saw_connecting;
  gboolean saw_connected;
} StateLog;

static void
notify_state_cb (CryoLink   *link,
                 GParamSpec *pspec,
                 StateLog   *log)
{
  g_assert_true (g_thread_self () == main_thread);
  log->n_notifies++;

  switch (cryo_link_get_state (link))
    {
    case CRYO_LINK_STATE_WAITING:
      log->saw_waiting = TRUE;
      /* Published together with the state. */
      g_assert_cmpint (cryo_link_get_retry_time (link), >, 0);
      g_assert_nonnull (cryo_link_get_last_error (link));
      break;

    case CRYO_LINK_STATE_CONNECTING:
      log->saw_connecting = TRUE;
      g_assert_cmpint (cryo_link_get_retry_time (link), ==, 0);
      break;

    case CRYO_LINK_STATE_CONNECTED:
      log->saw_connected = TRUE;
      g_assert_cmpint (cryo_link_get_retry_time (link), ==, 0);
      g_assert_null (cryo_link_get_last_error (link));
      break;

    case CRYO_LINK_STATE_STOPPED:
      g_assert_cmpint (cryo_link_get_retry_time (link), ==, 0);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
notify_other_cb (CryoLink   *link,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  g_assert_true (g_thread_self () == main_thread);
}

static CryoLink *
link_new (TestFakeTransport *fake,
          StateLog          *log)
{
  CryoLink *link = cryo_link_new (CRYO_TRANSPORT (fake));

  g_assert_true (cryo_link_get_transport (link) == CRYO_TRANSPORT (fake));
  g_assert_cmpint (cryo_link_get_state (link), ==, CRYO_LINK_STATE_STOPPED);
  g_signal_connect (link, "notify::state", G_CALLBACK (notify_state_cb), log);
  g_signal_connect (link, "notify::retry-time", G_CALLBACK (notify_other_cb), NULL);
  g_signal_connect (link, "notify::last-error", G_CALLBACK (notify_other_cb), NULL);
  g_signal_connect (link, "notify::n-reconnects", G_CALLBACK (notify_other_cb), NULL);

  return link;
}

static void
finish_test (CryoLink          *link,
             TestFakeTransport *fake)
{
  drain_main_context ();
  g_assert_finalize_object (link);

  g_assert_false (fake_is_open (CRYO_TRANSPORT (fake)));
  g_assert_true (fake->off_main_thread);
  g_assert_finalize_object (fake);

  g_assert_cmpint (g_atomic_int_get (&n_task_data_alive), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&n_results_alive), ==, 0);
}

/* ------------------------------------------------------------------------------ */
/* Tests                                                                           */

static void
test_run_and_stop (void)
{
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome outcome = { 0 };

  cryo_link_start (link);
  g_assert_cmpint (cryo_link_get_state (link), ==, CRYO_LINK_STATE_CONNECTING);
  WAIT_FOR (cryo_link_is_connected (link));
  g_assert_true (log.saw_connected);
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_opens), ==, 1);

  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "a", NULL, &outcome);
  WAIT_FOR (outcome.done);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (outcome.result, ==, "a");
  outcome_clear (&outcome);

  cryo_link_stop (link);
  g_assert_cmpint (cryo_link_get_state (link), ==, CRYO_LINK_STATE_STOPPED);
  g_assert_false (fake_is_open (CRYO_TRANSPORT (fake)));
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_closes), ==, 1);
  cryo_link_stop (link);

  /* After stop, jobs are cancelled. */
  submit (link, CRYO_LINK_PRIORITY_COMMAND, JOB_RECORD, "late", NULL, &outcome);
  WAIT_FOR (outcome.done);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  outcome_clear (&outcome);

  finish_test (link, fake);
}

/* Quality is judged only from traffic: none while the port fails to open
 * or while jobs send nothing, then from what protocol code counted. */
static void
test_traffic (void)
{
  TestFakeTransport *fake = fake_new (2);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome outcome = { 0 };
  JobSpec *spec;

  g_assert_false (cryo_link_has_traffic (link));
  cryo_link_set_backoff (link, SHORT_INITIAL_MS, SHORT_MAX_MS);
  cryo_link_start (link);
  WAIT_FOR (log.saw_waiting);
  g_assert_false (cryo_link_has_traffic (link));
  g_assert_cmpuint (cryo_link_get_quality (link), ==, 100);

  WAIT_FOR (cryo_link_is_connected (link));
  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "silent", NULL, &outcome);
  WAIT_FOR (outcome.done);
  g_assert_false (cryo_link_has_traffic (link));
  outcome_clear (&outcome);

  /* One request sent twice, the first reply damaged: half the sends got an
   * intact reply. */
  spec = job_spec_new (JOB_TRANSACT, "request");
  spec->stats = cryo_link_get_stats (link);
  cryo_link_run_async (link, CRYO_LINK_PRIORITY_POLL, job_func, spec, job_spec_free,
                       result_free, NULL, run_cb, &outcome);
  WAIT_FOR (outcome.done);
  g_assert_no_error (outcome.error);
  g_assert_true (cryo_link_has_traffic (link));
  g_assert_cmpuint (cryo_link_get_quality (link), ==, 50);
  outcome_clear (&outcome);

  cryo_link_stop (link);
  finish_test (link, fake);
}

static void
test_order (void)
{
  static const struct
  {
    CryoLinkPriority priority;
    const char *name;
  } queued[] = {
    { CRYO_LINK_PRIORITY_POLL, "p1" },
    { CRYO_LINK_PRIORITY_POLL, "p2" },
    { CRYO_LINK_PRIORITY_COMMAND, "c1" },
    { CRYO_LINK_PRIORITY_POLL, "p3" },
    { CRYO_LINK_PRIORITY_COMMAND, "c2" },
    { CRYO_LINK_PRIORITY_COMMAND, "c3" },
    { CRYO_LINK_PRIORITY_POLL, "p4" },
  };
  static const char *expected_completion[] = { "block", "c1", "c2", "c3", "p1", "p2", "p3", "p4" };
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome blocker = { 0 };
  Outcome outcomes[G_N_ELEMENTS (queued)] = { { 0 } };
  g_autofree char *jobs = NULL;

  cryo_link_start (link);
  WAIT_FOR (cryo_link_is_connected (link));

  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_BLOCK, "block", NULL, &blocker);
  WAIT_FOR (fake_get_blocking (fake));

  for (guint i = 0; i < G_N_ELEMENTS (queued); i++)
    submit (link, queued[i].priority, JOB_RECORD, queued[i].name, NULL, &outcomes[i]);

  fake_release (fake);

  WAIT_FOR (blocker.done);
  for (guint i = 0; i < G_N_ELEMENTS (queued); i++)
    WAIT_FOR (outcomes[i].done);

  g_assert_no_error (blocker.error);
  for (guint i = 0; i < G_N_ELEMENTS (queued); i++)
    {
      g_assert_no_error (outcomes[i].error);
      g_assert_cmpstr (outcomes[i].result, ==, queued[i].name);
      /* Results arrive in the order the jobs ran. */
      g_assert_cmpstr (expected_completion[outcomes[i].order - blocker.order],
                       ==, queued[i].name);
    }

  cryo_link_stop (link);
  jobs = fake_dup_jobs (fake);
  g_assert_cmpstr (jobs, ==, "block c1 c2 c3 p1 p2 p3 p4");

  outcome_clear (&blocker);
  for (guint i = 0; i < G_N_ELEMENTS (queued); i++)
    outcome_clear (&outcomes[i]);
  finish_test (link, fake);
}

static void
test_backoff (void)
{
  /* Delays after each of 7 failed opens: doubling from the initial, capped. */
  static const guint expected_ms[] = { 20, 40, 80, 160, 160, 160, 160 };
  TestFakeTransport *fake = fake_new (G_N_ELEMENTS (expected_ms));
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);

  cryo_link_set_backoff (link, SHORT_INITIAL_MS, SHORT_MAX_MS);
  cryo_link_start (link);

  WAIT_FOR (cryo_link_is_connected (link));

  g_assert_true (log.saw_waiting);
  g_assert_null (cryo_link_get_last_error (link));
  g_assert_cmpint (cryo_link_get_retry_time (link), ==, 0);
  /* Never connected before, so this is not a reconnect. */
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 0);

  cryo_link_stop (link);

  g_assert_cmpuint (fake->open_times->len, ==, G_N_ELEMENTS (expected_ms) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected_ms); i++)
    {
      gint64 delay_us = g_array_index (fake->open_times, gint64, i + 1) -
                        g_array_index (fake->open_times, gint64, i);

      g_test_message ("retry %u after %.1f ms (expected %u)", i + 1, delay_us / 1000.0,
                      expected_ms[i]);
      g_assert_cmpint (delay_us, >=, (gint64) expected_ms[i] * 1000);

      /* The cap holds: a capped delay is not doubled again. */
      if (expected_ms[i] == SHORT_MAX_MS)
        g_assert_cmpint (delay_us, <, (gint64) 2 * SHORT_MAX_MS * 1000);
    }

  finish_test (link, fake);
}

static void
test_reconnect (void)
{
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome unplug = { 0 };
  Outcome behind = { 0 };
  Outcome after = { 0 };
  g_autofree char *jobs = NULL;

  /* Long enough that the waiting state is seen; then the first retry fails too. */
  cryo_link_set_backoff (link, 200, 400);
  cryo_link_start (link);
  WAIT_FOR (cryo_link_is_connected (link));

  fake_set_fail_opens (fake, 1);
  submit (link, CRYO_LINK_PRIORITY_COMMAND, JOB_DISCONNECT, "unplug", NULL, &unplug);
  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "behind", NULL, &behind);

  WAIT_FOR (unplug.done && behind.done);
  g_assert_error (unplug.error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  /* Queued behind the failure: fails at once, never waits for the reconnect. */
  g_assert_error (behind.error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_closes), ==, 1);

  WAIT_FOR (cryo_link_get_state (link) == CRYO_LINK_STATE_WAITING);
  g_assert_cmpstr (cryo_link_get_last_error (link), ==, "Fake port unplugged");

  /* Reopened by itself: no job submitted. One failed retry, then success. */
  WAIT_FOR (cryo_link_is_connected (link));
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_opens), ==, 3);
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_good_opens), ==, 2);
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 1);
  g_assert_null (cryo_link_get_last_error (link));
  g_assert_true (log.saw_waiting);

  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "after", NULL, &after);
  WAIT_FOR (after.done);
  g_assert_no_error (after.error);

  cryo_link_stop (link);
  jobs = fake_dup_jobs (fake);
  g_assert_cmpstr (jobs, ==, "unplug after");

  outcome_clear (&unplug);
  outcome_clear (&behind);
  outcome_clear (&after);
  finish_test (link, fake);
}

static void
test_waiting_rejects (void)
{
  TestFakeTransport *fake = fake_new (G_MAXUINT);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome outcome = { 0 };
  gint64 start;

  cryo_link_set_backoff (link, 5000, 5000);
  cryo_link_start (link);
  WAIT_FOR (cryo_link_get_state (link) == CRYO_LINK_STATE_WAITING);

  g_assert_cmpstr (cryo_link_get_last_error (link), ==, "Fake port 1 not found");
  g_assert_cmpint (cryo_link_get_retry_time (link), >, g_get_monotonic_time ());
  g_assert_cmpint (cryo_link_get_retry_time (link), <=,
                   g_get_monotonic_time () + 5000 * G_TIME_SPAN_MILLISECOND);

  start = g_get_monotonic_time ();
  submit (link, CRYO_LINK_PRIORITY_COMMAND, JOB_RECORD, "rejected", NULL, &outcome);
  WAIT_FOR (outcome.done);
  g_assert_error (outcome.error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_assert_cmpstr (outcome.error->message, ==, "Not connected");
  g_assert_cmpint (outcome.time - start, <, 2000 * G_TIME_SPAN_MILLISECOND);
  outcome_clear (&outcome);

  /* Stop while the worker sleeps in back-off: at once, not at the retry time. */
  start = g_get_monotonic_time ();
  cryo_link_stop (link);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2000 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (cryo_link_get_state (link), ==, CRYO_LINK_STATE_STOPPED);
  g_assert_cmpint (cryo_link_get_retry_time (link), ==, 0);
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_opens), ==, 1);
  g_assert_cmpuint (fake->jobs->len, ==, 0);

  finish_test (link, fake);
}

static void
test_timeout_keeps_open (void)
{
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome timeout = { 0 };
  Outcome next = { 0 };

  cryo_link_set_backoff (link, SHORT_INITIAL_MS, SHORT_MAX_MS);
  cryo_link_start (link);
  WAIT_FOR (cryo_link_is_connected (link));

  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_TIMEOUT, "timeout", NULL, &timeout);
  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "next", NULL, &next);
  WAIT_FOR (timeout.done && next.done);

  g_assert_error (timeout.error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT);
  g_assert_no_error (next.error);
  g_assert_cmpstr (next.result, ==, "next");
  g_assert_true (cryo_link_is_connected (link));
  g_assert_null (cryo_link_get_last_error (link));
  g_assert_false (log.saw_waiting);
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_opens), ==, 1);
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_closes), ==, 0);

  cryo_link_stop (link);
  outcome_clear (&timeout);
  outcome_clear (&next);
  finish_test (link, fake);
}

static void
test_stop_while_running (void)
{
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome blocker = { 0 };
  Outcome command = { 0 };
  Outcome poll = { 0 };
  Outcome late = { 0 };
  g_autofree char *jobs = NULL;

  cryo_link_start (link);
  WAIT_FOR (cryo_link_is_connected (link));

  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_BLOCK, "block", NULL, &blocker);
  WAIT_FOR (fake_get_blocking (fake));
  submit (link, CRYO_LINK_PRIORITY_COMMAND, JOB_RECORD, "command", NULL, &command);
  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "poll", NULL, &poll);

  /* The running job sees its cancellable cancelled; stop waits for it. */
  cryo_link_stop (link);
  g_assert_cmpint (cryo_link_get_state (link), ==, CRYO_LINK_STATE_STOPPED);
  g_assert_false (fake_is_open (CRYO_TRANSPORT (fake)));

  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "late", NULL, &late);

  WAIT_FOR (blocker.done && command.done && poll.done && late.done);
  g_assert_error (blocker.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (command.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (poll.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (late.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  jobs = fake_dup_jobs (fake);
  g_assert_cmpstr (jobs, ==, "block");

  outcome_clear (&blocker);
  outcome_clear (&command);
  outcome_clear (&poll);
  outcome_clear (&late);
  finish_test (link, fake);
}

static void
test_cancel (void)
{
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  g_autoptr(GCancellable) cancel_running = g_cancellable_new ();
  g_autoptr(GCancellable) cancel_queued = g_cancellable_new ();
  Outcome blocker = { 0 };
  Outcome queued = { 0 };
  Outcome other = { 0 };
  g_autofree char *jobs = NULL;

  cryo_link_start (link);
  WAIT_FOR (cryo_link_is_connected (link));

  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_BLOCK, "block", cancel_running, &blocker);
  WAIT_FOR (fake_get_blocking (fake));
  submit (link, CRYO_LINK_PRIORITY_COMMAND, JOB_RECORD, "queued", cancel_queued, &queued);
  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "other", NULL, &other);

  g_cancellable_cancel (cancel_queued);
  g_cancellable_cancel (cancel_running);

  WAIT_FOR (blocker.done && queued.done && other.done);
  g_assert_error (blocker.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (queued.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (other.error);
  g_assert_true (cryo_link_is_connected (link));

  cryo_link_stop (link);
  jobs = fake_dup_jobs (fake);
  g_assert_cmpstr (jobs, ==, "block other");

  outcome_clear (&blocker);
  outcome_clear (&queued);
  outcome_clear (&other);
  finish_test (link, fake);
}

static void
test_restart (void)
{
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome outcome = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      cryo_link_start (link);
      cryo_link_start (link);
      WAIT_FOR (cryo_link_is_connected (link));

      submit (link, CRYO_LINK_PRIORITY_COMMAND, JOB_RECORD, "x", NULL, &outcome);
      WAIT_FOR (outcome.done);
      g_assert_no_error (outcome.error);
      outcome_clear (&outcome);

      cryo_link_stop (link);
    }

  g_assert_cmpuint (fake_get_uint (fake, &fake->n_good_opens), ==, 3);
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_closes), ==, 3);

  finish_test (link, fake);
}

/* Dropping the last reference without stop: the worker is joined wherever it is. */
static void
test_dispose_while_waiting (void)
{
  TestFakeTransport *fake = fake_new (G_MAXUINT);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  gint64 start;

  cryo_link_set_backoff (link, 10000, 10000);
  cryo_link_start (link);
  WAIT_FOR (cryo_link_get_state (link) == CRYO_LINK_STATE_WAITING);

  start = g_get_monotonic_time ();
  finish_test (link, fake);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2000 * G_TIME_SPAN_MILLISECOND);
}

static void
test_dispose_while_connected (void)
{
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome outcome = { 0 };

  cryo_link_start (link);
  WAIT_FOR (cryo_link_is_connected (link));
  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "x", NULL, &outcome);

  /* The queued job keeps the link alive until its result is delivered. */
  g_object_unref (link);
  WAIT_FOR (outcome.done);
  g_assert_no_error (outcome.error);
  outcome_clear (&outcome);

  drain_main_context ();
  g_assert_cmpuint (fake_get_uint (fake, &fake->n_closes), ==, 1);
  g_assert_false (fake_is_open (CRYO_TRANSPORT (fake)));
  g_assert_finalize_object (fake);
  g_assert_cmpint (g_atomic_int_get (&n_task_data_alive), ==, 0);
}

/* Submitted before start: stopped, so cancelled; a connecting link rejects. */
static void
test_not_started (void)
{
  TestFakeTransport *fake = fake_new (0);
  StateLog log = { 0 };
  CryoLink *link = link_new (fake, &log);
  Outcome outcome = { 0 };

  submit (link, CRYO_LINK_PRIORITY_POLL, JOB_RECORD, "x", NULL, &outcome);
  WAIT_FOR (outcome.done);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  outcome_clear (&outcome);

  g_assert_cmpuint (fake_get_uint (fake, &fake->n_opens), ==, 0);
  finish_test (link, fake);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  main_thread = g_thread_self ();

  g_test_add_func ("/link/run-and-stop", test_run_and_stop);
  g_test_add_func ("/link/order", test_order);
  g_test_add_func ("/link/traffic", test_traffic);
  g_test_add_func ("/link/backoff", test_backoff);
  g_test_add_func ("/link/reconnect", test_reconnect);
  g_test_add_func ("/link/waiting-rejects", test_waiting_rejects);
  g_test_add_func ("/link/timeout-keeps-open", test_timeout_keeps_open);
  g_test_add_func ("/link/stop-while-running", test_stop_while_running);
  g_test_add_func ("/link/cancel", test_cancel);
  g_test_add_func ("/link/restart", test_restart);
  g_test_add_func ("/link/dispose-while-waiting", test_dispose_while_waiting);
  g_test_add_func ("/link/dispose-while-connected", test_dispose_while_connected);
  g_test_add_func ("/link/not-started", test_not_started);

  return g_test_run ();
}
