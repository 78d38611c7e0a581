/* test-link-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CryoLink in stream mode through the real serial transport, against a peer on a
 * pseudo-terminal that writes "$<n>*<checksum>\r\n" lines at a steady rate from the
 * main context: order, garbage, commands between reads, the stale and reopen
 * watchdog, the peer going away and coming back, a prompt stop, no leaks.
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "cryo-link.h"
#include "cryo-protocol-error.h"
#include "cryo-serial-transport.h"
#include "cryo-sim-pty.h"

#define PEER_PERIOD_MS 20
#define WAIT_TIMEOUT_S 10

/* The test lines' longest valid form, "$4294967295*FF\r\n", with room to spare. */
#define LINE_MAX_LEN 32

static GThread *main_thread;
static gint n_decoders_alive;
static gint n_messages_alive;

/* ------------------------------------------------------------------------------ */
/* The test codec: "$" decimal digits "*" two hex digits of the XOR of the digits,  */
/* then CR LF. Garbage waits for the next "$" so that a run of it counts once,     */
/* whatever the read slices cut it into.                                           */

typedef struct
{
  guint n;
} TestMessage;

typedef struct
{
  GByteArray *buffer;
} TestDecoder;

static guint8
xor_checksum (const char *digits)
{
  guint8 sum = 0;

  for (const char *p = digits; *p != '\0'; p++)
    sum ^= (guint8) *p;

  return sum;
}

static char *
format_line (guint n)
{
  g_autofree char *digits = g_strdup_printf ("%u", n);

  return g_strdup_printf ("$%s*%02X\r\n", digits, xor_checksum (digits));
}

static gpointer
test_decoder_new (void)
{
  TestDecoder *decoder = g_new0 (TestDecoder, 1);

  g_assert_true (g_thread_self () != main_thread);
  decoder->buffer = g_byte_array_new ();
  g_atomic_int_inc (&n_decoders_alive);

  return decoder;
}

static void
test_decoder_free (gpointer data)
{
  TestDecoder *decoder = data;

  g_assert_true (g_thread_self () != main_thread);
  g_byte_array_unref (decoder->buffer);
  g_free (decoder);
  g_atomic_int_add (&n_decoders_alive, -1);
}

static void
test_decoder_feed (gpointer      data,
                   const guint8 *bytes,
                   gsize         len)
{
  TestDecoder *decoder = data;

  g_assert_true (g_thread_self () != main_thread);
  g_assert_cmpuint (len, >, 0);
  g_byte_array_append (decoder->buffer, bytes, len);
}

static gboolean
parse_line (const char  *line,
            gpointer    *message,
            GError     **error)
{
  const char *star = strchr (line, '*');
  g_autofree char *digits = NULL;
  TestMessage *parsed;
  guint64 n;
  guint64 checksum;

  if (star == NULL)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   "No checksum in “%s”", line);
      return FALSE;
    }

  digits = g_strndup (line, star - line);
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT, &n, NULL) ||
      strlen (star + 1) != 2 ||
      !g_ascii_string_to_unsigned (star + 1, 16, 0, 0xff, &checksum, NULL))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   "Malformed line “%s”", line);
      return FALSE;
    }

  if (checksum != xor_checksum (digits))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM,
                   "Checksum %02X, expected %02X in “%s”",
                   (guint) checksum, xor_checksum (digits), line);
      return FALSE;
    }

  parsed = g_new (TestMessage, 1);
  parsed->n = (guint) n;
  g_atomic_int_inc (&n_messages_alive);
  *message = parsed;

  return TRUE;
}

static gboolean
test_decoder_next (gpointer   data,
                   gpointer  *message,
                   GError   **error)
{
  TestDecoder *decoder = data;
  GByteArray *buffer = decoder->buffer;
  const guint8 *start;
  const guint8 *restart;
  const guint8 *end;
  g_autofree char *line = NULL;

  g_assert_true (g_thread_self () != main_thread);

  start = memchr (buffer->data, '$', buffer->len);
  if (start == NULL)
    {
      if (buffer->len <= LINE_MAX_LEN)
        return FALSE;

      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG,
                   "No line start in %u bytes", buffer->len);
      g_byte_array_set_size (buffer, 0);
      return FALSE;
    }

  if (start > buffer->data)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   "%u bytes of garbage", (guint) (start - buffer->data));
      g_byte_array_remove_range (buffer, 0, start - buffer->data);
      return FALSE;
    }

  end = memmem (buffer->data, buffer->len, "\r\n", 2);
  restart = memchr (buffer->data + 1, '$', buffer->len - 1);

  if (restart != NULL && (end == NULL || restart < end))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED,
                   "A line cut short after %u bytes", (guint) (restart - buffer->data));
      g_byte_array_remove_range (buffer, 0, restart - buffer->data);
      return FALSE;
    }

  if (end == NULL)
    {
      if (buffer->len <= LINE_MAX_LEN)
        return FALSE;

      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG,
                   "No line end in %u bytes", buffer->len);
      g_byte_array_set_size (buffer, 0);
      return FALSE;
    }

  line = g_strndup ((const char *) buffer->data + 1, end - buffer->data - 1);
  g_byte_array_remove_range (buffer, 0, end - buffer->data + 2);

  return parse_line (line, message, error);
}

static void
test_message_free (gpointer data)
{
  g_free (data);
  g_atomic_int_add (&n_messages_alive, -1);
}

static const CryoStreamCodec test_codec = {
  .decoder_new = test_decoder_new,
  .decoder_free = test_decoder_free,
  .feed = test_decoder_feed,
  .next = test_decoder_next,
  .message_free = test_message_free,
};

/* ------------------------------------------------------------------------------ */
/* The peer: an instrument on a pseudo-terminal, reached through a symbolic link   */
/* that stays put when the peer goes away and comes back on a new pseudo-terminal. */
/* It runs in the main context, like the test.                                     */

typedef struct
{
  char         *tmpdir;
  char         *link_path;
  char         *pty_path;
  int           master_fd;        /* -1 while away */
  int           slave_fd;
  guint         write_id;
  guint         read_id;
  guint         next_n;           /* the number of the next line */
  gboolean      silent;
  gint64        last_write_time;  /* g_get_monotonic_time() just before the last line was
                                   * written: the link may decode it at once, before the
                                   * write call returns */
  const char  **extra;            /* extra[n]: bytes written right after line n */
  guint         n_extra;
  GString      *received;         /* what the link wrote */
} Peer;

static void
peer_write (Peer       *peer,
            const char *bytes)
{
  gsize len = strlen (bytes);
  gsize done = 0;

  while (done < len)
    {
      gssize n = write (peer->master_fd, bytes + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      /* A full pseudo-terminal while the link is away: the rest is lost, as on a
       * real line. */
      if (n <= 0)
        return;
      done += n;
    }
}

static gboolean
peer_write_cb (gpointer data)
{
  Peer *peer = data;
  g_autofree char *line = NULL;

  if (peer->silent || peer->master_fd < 0)
    return G_SOURCE_CONTINUE;

  line = format_line (peer->next_n);
  peer->last_write_time = g_get_monotonic_time ();
  peer_write (peer, line);
  if (peer->next_n < peer->n_extra && peer->extra[peer->next_n] != NULL)
    peer_write (peer, peer->extra[peer->next_n]);

  peer->next_n++;

  return G_SOURCE_CONTINUE;
}

static gboolean
peer_read_cb (int          fd,
              GIOCondition condition,
              gpointer     data)
{
  Peer *peer = data;
  char buffer[256];
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (peer->received, buffer, n);

  return G_SOURCE_CONTINUE;
}

static void
peer_appear (Peer *peer)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (peer->master_fd, <, 0);
  cryo_sim_pty_open (&peer->master_fd, &peer->slave_fd, &peer->pty_path, &error);
  g_assert_no_error (error);
  cryo_sim_pty_link (peer->pty_path, peer->link_path, &error);
  g_assert_no_error (error);

  peer->read_id = g_unix_fd_add (peer->master_fd, G_IO_IN, peer_read_cb, peer);
}

/* The instrument is unplugged: its pseudo-terminal closes and, so that nobody else's
 * pseudo-terminal that reuses the number can be opened through it, the link goes. */
static void
peer_vanish (Peer *peer)
{
  g_assert_cmpint (peer->master_fd, >=, 0);
  g_clear_handle_id (&peer->read_id, g_source_remove);
  cryo_sim_pty_unlink (peer->pty_path, peer->link_path);
  close (peer->master_fd);
  close (peer->slave_fd);
  peer->master_fd = -1;
  peer->slave_fd = -1;
  g_clear_pointer (&peer->pty_path, g_free);
}

static Peer *
peer_new (const char **extra,
          guint        n_extra)
{
  g_autoptr(GError) error = NULL;
  Peer *peer = g_new0 (Peer, 1);

  peer->tmpdir = g_dir_make_tmp ("cryo-link-stream-XXXXXX", &error);
  g_assert_no_error (error);
  peer->link_path = g_build_filename (peer->tmpdir, "port", NULL);
  peer->master_fd = -1;
  peer->slave_fd = -1;
  peer->next_n = 1;
  peer->extra = extra;
  peer->n_extra = n_extra;
  peer->received = g_string_new (NULL);

  peer_appear (peer);

  return peer;
}

static void
peer_free (Peer *peer)
{
  g_clear_handle_id (&peer->write_id, g_source_remove);
  if (peer->master_fd >= 0)
    peer_vanish (peer);
  g_assert_no_errno (g_rmdir (peer->tmpdir));
  g_free (peer->tmpdir);
  g_free (peer->link_path);
  g_string_free (peer->received, TRUE);
  g_free (peer);
}

/* ------------------------------------------------------------------------------ */
/* The link and what it told the main context                                      */

typedef struct
{
  GArray *numbers;             /* guint: the messages' numbers, in emission order */
  guint   n_became_stale;
  guint   n_became_fresh;
  gint64  stale_time;          /* g_get_monotonic_time() when it last became stale */
  gint64  first_waiting_time;  /* when the state first became waiting */
  GArray *retry_times;         /* gint64: each non-zero retry-time notified */
} StreamLog;

static void
message_cb (CryoLink   *link,
            gpointer    message,
            StreamLog  *log)
{
  const TestMessage *parsed = message;

  g_assert_true (g_thread_self () == main_thread);
  g_array_append_val (log->numbers, parsed->n);
}

static void
notify_stale_cb (CryoLink   *link,
                 GParamSpec *pspec,
                 StreamLog  *log)
{
  g_assert_true (g_thread_self () == main_thread);

  if (cryo_link_get_stale (link))
    {
      log->n_became_stale++;
      log->stale_time = g_get_monotonic_time ();
    }
  else
    {
      log->n_became_fresh++;
    }
}

static void
notify_state_cb (CryoLink   *link,
                 GParamSpec *pspec,
                 StreamLog  *log)
{
  g_assert_true (g_thread_self () == main_thread);

  if (cryo_link_get_state (link) == CRYO_LINK_STATE_WAITING && log->first_waiting_time == 0)
    log->first_waiting_time = g_get_monotonic_time ();
}

static void
notify_retry_time_cb (CryoLink   *link,
                      GParamSpec *pspec,
                      StreamLog  *log)
{
  gint64 retry_time = cryo_link_get_retry_time (link);

  g_assert_true (g_thread_self () == main_thread);

  if (retry_time != 0)
    g_array_append_val (log->retry_times, retry_time);
}

static void
notify_counter_cb (CryoLink   *link,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  g_assert_true (g_thread_self () == main_thread);
}

static void
stream_log_init (StreamLog *log)
{
  *log = (StreamLog) { 0 };
  log->numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  log->retry_times = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
stream_log_clear (StreamLog *log)
{
  g_clear_pointer (&log->numbers, g_array_unref);
  g_clear_pointer (&log->retry_times, g_array_unref);
}

static guint
log_number (StreamLog *log,
            guint      i)
{
  return g_array_index (log->numbers, guint, i);
}

static CryoLink *
stream_link_new (Peer      *peer,
                 StreamLog *log,
                 guint      stale_ms,
                 guint      reopen_ms,
                 guint      backoff_initial_ms,
                 guint      backoff_max_ms)
{
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (peer->link_path, NULL);
  CryoLink *link = cryo_link_new (transport);

  cryo_link_set_stream (link, &test_codec, stale_ms, reopen_ms);
  cryo_link_set_backoff (link, backoff_initial_ms, backoff_max_ms);

  g_signal_connect (link, "message", G_CALLBACK (message_cb), log);
  g_signal_connect (link, "notify::stale", G_CALLBACK (notify_stale_cb), log);
  g_signal_connect (link, "notify::state", G_CALLBACK (notify_state_cb), log);
  g_signal_connect (link, "notify::retry-time", G_CALLBACK (notify_retry_time_cb), log);
  g_signal_connect (link, "notify::n-messages", G_CALLBACK (notify_counter_cb), NULL);
  g_signal_connect (link, "notify::n-decode-errors", G_CALLBACK (notify_counter_cb), NULL);
  g_signal_connect (link, "notify::n-reconnects", G_CALLBACK (notify_counter_cb), NULL);

  return link;
}

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

/* The peer starts writing once the link is connected, so that the first line is 1:
 * opening the port flushed whatever was written before. */
static void
start_streaming (CryoLink *link,
                 Peer     *peer)
{
  cryo_link_start (link);
  WAIT_FOR (cryo_link_is_connected (link));
  peer->write_id = g_timeout_add (PEER_PERIOD_MS, peer_write_cb, peer);
}

/* The peer falls silent and every line it wrote is emitted. */
static void
quiesce (Peer      *peer,
         StreamLog *log)
{
  peer->silent = TRUE;
  WAIT_FOR (log->numbers->len > 0 && log_number (log, log->numbers->len - 1) == peer->next_n - 1);
}

static void
assert_consecutive_from_1 (StreamLog *log)
{
  for (guint i = 0; i < log->numbers->len; i++)
    g_assert_cmpuint (log_number (log, i), ==, i + 1);
}

static void
assert_increasing (StreamLog *log)
{
  for (guint i = 1; i < log->numbers->len; i++)
    g_assert_cmpuint (log_number (log, i - 1), <, log_number (log, i));
}

static void
finish_test (CryoLink  *link,
             Peer      *peer,
             StreamLog *log)
{
  drain_main_context ();
  g_assert_finalize_object (link);
  peer_free (peer);
  stream_log_clear (log);

  g_assert_cmpint (g_atomic_int_get (&n_decoders_alive), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&n_messages_alive), ==, 0);
}

/* ------------------------------------------------------------------------------ */
/* Jobs                                                                            */

typedef struct
{
  gboolean  done;
  char     *result;
  GError   *error;
} Outcome;

static gpointer
write_command_func (CryoTransport  *transport,
                    gpointer        task_data,
                    GCancellable   *cancellable,
                    GError        **error)
{
  const char *command = task_data;

  g_assert_true (g_thread_self () != main_thread);

  if (!cryo_transport_write_all (transport, (const guint8 *) command, strlen (command), error))
    return NULL;

  return g_strdup_printf ("sent %s", command);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_true (g_thread_self () == main_thread);
  outcome->result = cryo_link_run_finish (CRYO_LINK (object), result, &outcome->error);
  outcome->done = TRUE;
}

/* ------------------------------------------------------------------------------ */
/* Tests                                                                           */

static void
test_order (void)
{
  Peer *peer = peer_new (NULL, 0);
  StreamLog log;
  CryoLink *link;

  stream_log_init (&log);
  link = stream_link_new (peer, &log, 400, 800, 50, 400);

  g_assert_false (cryo_link_get_stale (link));
  start_streaming (link, peer);

  WAIT_FOR (log.numbers->len >= 25);
  quiesce (peer, &log);

  /* Every line written, once, in order, on the main thread (message_cb checks). */
  assert_consecutive_from_1 (&log);
  g_assert_cmpuint (cryo_link_get_n_messages (link), ==, log.numbers->len);
  g_assert_cmpuint (cryo_link_get_n_decode_errors (link), ==, 0);
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 0);
  g_assert_cmpuint (log.n_became_stale, ==, 0);
  g_assert_true (cryo_link_is_connected (link));

  cryo_link_stop (link);
  g_assert_cmpint (cryo_link_get_state (link), ==, CRYO_LINK_STATE_STOPPED);
  finish_test (link, peer, &log);
}

static void
test_garbage (void)
{
  static const char *extra[] = {
    [3] = "noise\r\n",
    [6] = "$1003*00\r\n",   /* the checksum of "1003" is 02 */
    [9] = "$12x4*7F\r\n",
    [12] = "$77",           /* cut short by the next line's "$" */
  };
  Peer *peer = peer_new (extra, G_N_ELEMENTS (extra));
  StreamLog log;
  CryoLink *link;

  stream_log_init (&log);
  link = stream_link_new (peer, &log, 400, 800, 50, 400);

  start_streaming (link, peer);

  WAIT_FOR (log.numbers->len >= 16);
  quiesce (peer, &log);

  /* Nothing from the bad lines; every good line, in order. */
  assert_consecutive_from_1 (&log);
  g_assert_cmpuint (cryo_link_get_n_messages (link), ==, log.numbers->len);
  g_assert_cmpuint (cryo_link_get_n_decode_errors (link), ==, 4);
  /* The stream went on: no stale, no reopen. */
  g_assert_true (cryo_link_is_connected (link));
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 0);
  g_assert_cmpuint (log.n_became_stale, ==, 0);

  cryo_link_stop (link);
  finish_test (link, peer, &log);
}

static void
test_command (void)
{
  Peer *peer = peer_new (NULL, 0);
  StreamLog log;
  CryoLink *link;
  Outcome outcome = { 0 };
  guint n_at_result;

  stream_log_init (&log);
  link = stream_link_new (peer, &log, 400, 800, 50, 400);

  start_streaming (link, peer);
  WAIT_FOR (log.numbers->len >= 3);

  cryo_link_run_async (link, CRYO_LINK_PRIORITY_COMMAND, write_command_func,
                       g_strdup ("!SET 42\r\n"), g_free, g_free, NULL, run_cb, &outcome);
  WAIT_FOR (outcome.done);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (outcome.result, ==, "sent !SET 42\r\n");

  /* The peer read exactly what the job wrote. */
  WAIT_FOR (peer->received->len >= strlen ("!SET 42\r\n"));
  g_assert_cmpstr (peer->received->str, ==, "!SET 42\r\n");

  /* The stream goes on after the job. */
  n_at_result = log.numbers->len;
  WAIT_FOR (log.numbers->len >= n_at_result + 3);
  quiesce (peer, &log);

  assert_consecutive_from_1 (&log);
  g_assert_cmpuint (cryo_link_get_n_decode_errors (link), ==, 0);
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 0);

  cryo_link_stop (link);
  g_free (outcome.result);
  finish_test (link, peer, &log);
}

static void
test_stale_and_reopen (void)
{
  /* Steps far enough apart that a back-off which started over on each open (200 ms
   * each time) cannot pass for one that doubles. */
  const guint stale_ms = 250;
  const guint reopen_ms = 500;
  const gint64 expected_delay_ms[] = { 400, 800 };
  Peer *peer = peer_new (NULL, 0);
  StreamLog log;
  CryoLink *link;
  gint64 last_write_time;
  guint n_before;

  stream_log_init (&log);
  link = stream_link_new (peer, &log, stale_ms, reopen_ms, 200, 1600);

  start_streaming (link, peer);
  WAIT_FOR (log.numbers->len >= 5);
  g_assert_false (cryo_link_get_stale (link));

  peer->silent = TRUE;
  last_write_time = peer->last_write_time;

  /* Stale, no sooner than stale_ms after the last line could have been decoded. */
  WAIT_FOR (cryo_link_get_stale (link));
  g_assert_cmpuint (log.n_became_stale, ==, 1);
  g_assert_cmpint (log.stale_time - last_write_time, >=, stale_ms * G_TIME_SPAN_MILLISECOND);

  /* Closed by the watchdog no sooner than reopen_ms, then reopened ever more slowly:
   * a port that opens proves nothing, only a message restarts the back-off. Each
   * cycle is an open, reopen_ms of silence and the next delay. */
  WAIT_FOR (log.retry_times->len >= 3);
  g_assert_cmpint (log.first_waiting_time - last_write_time, >=,
                   reopen_ms * G_TIME_SPAN_MILLISECOND);
  g_assert_nonnull (strstr (cryo_link_get_last_error (link), "No valid data"));
  for (guint i = 1; i < 3; i++)
    {
      gint64 step = g_array_index (log.retry_times, gint64, i) -
                    g_array_index (log.retry_times, gint64, i - 1);

      g_test_message ("watchdog cycle %u: %.1f ms", i, step / 1000.0);
      g_assert_cmpint (step, >=, (reopen_ms + expected_delay_ms[i - 1]) * G_TIME_SPAN_MILLISECOND);
    }
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), >=, 2);

  /* Stale all along: reopening does not make the stream fresh. */
  g_assert_true (cryo_link_get_stale (link));
  g_assert_cmpuint (log.n_became_stale, ==, 1);
  g_assert_cmpuint (log.n_became_fresh, ==, 0);

  /* The instrument speaks again: fresh, connected, counted as a reconnect. */
  n_before = log.numbers->len;
  peer->silent = FALSE;
  WAIT_FOR (!cryo_link_get_stale (link) && log.numbers->len > n_before);
  g_assert_true (cryo_link_is_connected (link));
  g_assert_null (cryo_link_get_last_error (link));
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 3);
  g_assert_cmpuint (log.n_became_fresh, ==, 1);
  assert_increasing (&log);

  cryo_link_stop (link);
  g_assert_false (cryo_link_get_stale (link));
  finish_test (link, peer, &log);
}

static void
test_peer_gone (void)
{
  /* The watchdog stays out of the way: the hang-up alone closes the port. */
  const gint64 expected_delay_ms[] = { 100, 200, 400 };
  Peer *peer = peer_new (NULL, 0);
  StreamLog log;
  CryoLink *link;
  guint n_before;

  stream_log_init (&log);
  link = stream_link_new (peer, &log, 250, 5000, 50, 400);

  start_streaming (link, peer);
  WAIT_FOR (log.numbers->len >= 5);

  peer_vanish (peer);

  /* The hang-up, then failed opens: each retry comes at least the doubled delay
   * after the one before. */
  WAIT_FOR (log.retry_times->len >= 4);
  g_assert_cmpint (cryo_link_get_state (link), !=, CRYO_LINK_STATE_CONNECTED);
  g_assert_nonnull (cryo_link_get_last_error (link));
  for (guint i = 1; i < 4; i++)
    {
      gint64 step = g_array_index (log.retry_times, gint64, i) -
                    g_array_index (log.retry_times, gint64, i - 1);

      g_test_message ("retry %u after %.1f ms", i, step / 1000.0);
      g_assert_cmpint (step, >=, expected_delay_ms[i - 1] * G_TIME_SPAN_MILLISECOND);
    }
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 0);
  WAIT_FOR (cryo_link_get_stale (link));

  /* Plugged in again, on a new pseudo-terminal behind the same path. */
  n_before = log.numbers->len;
  peer_appear (peer);
  WAIT_FOR (cryo_link_is_connected (link) && !cryo_link_get_stale (link) &&
            log.numbers->len > n_before);
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 1);
  g_assert_null (cryo_link_get_last_error (link));
  assert_increasing (&log);

  cryo_link_stop (link);
  finish_test (link, peer, &log);
}

static void
test_stop_promptly (void)
{
  Peer *peer = peer_new (NULL, 0);
  StreamLog log;
  CryoLink *link;
  gint64 start;
  guint n_at_stop;

  stream_log_init (&log);
  link = stream_link_new (peer, &log, 400, 800, 50, 400);

  start_streaming (link, peer);
  WAIT_FOR (log.numbers->len >= 3);

  /* The worker is in a read slice: it returns within one. */
  start = g_get_monotonic_time ();
  cryo_link_stop (link);
  g_test_message ("stopped in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (cryo_link_get_state (link), ==, CRYO_LINK_STATE_STOPPED);
  g_assert_false (cryo_link_get_stale (link));

  /* Nothing is emitted after the stop. */
  n_at_stop = log.numbers->len;
  drain_main_context ();
  g_assert_cmpuint (log.numbers->len, ==, n_at_stop);
  g_assert_cmpint (g_atomic_int_get (&n_decoders_alive), ==, 0);

  /* Started again, then dropped while streaming: dispose is as quick. */
  cryo_link_start (link);
  WAIT_FOR (cryo_link_is_connected (link));
  WAIT_FOR (log.numbers->len >= n_at_stop + 3);
  assert_increasing (&log);

  drain_main_context ();
  start = g_get_monotonic_time ();
  g_assert_finalize_object (link);
  g_test_message ("disposed in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * G_TIME_SPAN_MILLISECOND);

  peer_free (peer);
  stream_log_clear (&log);
  g_assert_cmpint (g_atomic_int_get (&n_decoders_alive), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&n_messages_alive), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  main_thread = g_thread_self ();

  g_test_add_func ("/link-stream/order", test_order);
  g_test_add_func ("/link-stream/garbage", test_garbage);
  g_test_add_func ("/link-stream/command", test_command);
  g_test_add_func ("/link-stream/stale-and-reopen", test_stale_and_reopen);
  g_test_add_func ("/link-stream/peer-gone", test_peer_gone);
  g_test_add_func ("/link-stream/stop-promptly", test_stop_promptly);

  return g_test_run ();
}
