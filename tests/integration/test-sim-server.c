/* test-sim-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulators' server base with a responder of the test's own: a serial
 * line that answers requests and streams packets unasked, as the
 * instruments to come do (Cryostream, Incuvers), and the model's clock.
 */

#define G_LOG_DOMAIN "test-sim-server"

#include "config.h"

#include <gio/gio.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cryo-sim-server.h"
#include "test-stream-responder.h"


/* --- helpers ------------------------------------------------------------ */

static CryoSimServer *
new_server (double speed)
{
  g_autoptr(TestResponder) responder = g_object_new (TEST_TYPE_RESPONDER, NULL);
  CryoSimServerOptions options = CRYO_SIM_SERVER_OPTIONS_INIT;

  options.speed = speed;

  return cryo_sim_server_new (CRYO_SIM_RESPONDER (responder), &options);
}

static TestResponder *
lock_responder (CryoSimServer *server)
{
  cryo_sim_server_lock (server);
  return TEST_RESPONDER (cryo_sim_server_get_responder (server));
}

static guint
get_n_packets (CryoSimServer *server)
{
  guint n = lock_responder (server)->n_packets;

  cryo_sim_server_unlock (server);
  return n;
}

static double
get_elapsed (CryoSimServer *server)
{
  double elapsed = lock_responder (server)->elapsed_s;

  cryo_sim_server_unlock (server);
  return elapsed;
}

/* Until the server thread has made @n more packets: time has passed there. */
static void
wait_for_packets (CryoSimServer *server,
                  guint          n)
{
  guint target = get_n_packets (server) + n;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (get_n_packets (server) < target)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5000);
    }
}

static int
open_port (const char *path)
{
  struct termios tio;
  int fd = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (tcgetattr (fd, &tio), ==, 0);
  cfmakeraw (&tio);
  g_assert_cmpint (tcsetattr (fd, TCSANOW, &tio), ==, 0);

  return fd;
}

/* Reads one line ("…\n") within 2 s. */
static char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      int timeout_ms = (int) ((deadline - g_get_monotonic_time ()) / 1000);
      char c;

      g_assert_cmpint (timeout_ms, >, 0);
      g_assert_cmpint (poll (&pfd, 1, timeout_ms), ==, 1);
      g_assert_cmpint (read (fd, &c, 1), ==, 1);
      if (c == '\n')
        return g_string_free (line, FALSE);
      g_string_append_c (line, c);
    }
}

static gboolean
readable (int fd)
{
  struct pollfd pfd = { fd, POLLIN, 0 };

  return poll (&pfd, 1, 0) == 1;
}

static void
drain (int fd)
{
  char buffer[256];

  while (readable (fd) && read (fd, buffer, sizeof buffer) > 0)
    ;
}

/* --- tests -------------------------------------------------------------- */

/* Requests are answered between the stream's packets, which come unasked
 * and in order; both pass through the fault injection and are counted. */
static void
test_serial_stream (void)
{
  g_autoptr(CryoSimServer) server = new_server (1.0);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) log = NULL;
  guint previous = 0, n_replies;
  gboolean ponged = FALSE;
  int fd;

  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_sim_server_is_running (server));
  g_assert_cmpuint (cryo_sim_server_get_port (server), ==, 0);
  fd = open_port (cryo_sim_server_get_path (server));

  g_assert_cmpint (write (fd, "pi", 2), ==, 2);
  g_assert_cmpint (write (fd, "ng\n", 3), ==, 3);
  while (!ponged || previous < 5)
    {
      g_autofree char *line = read_line (fd);

      if (g_str_equal (line, "pong"))
        {
          g_assert_false (ponged);
          ponged = TRUE;
          continue;
        }

      g_assert_true (line[0] == '#');
      g_assert_cmpuint (g_ascii_strtoull (line + 1, NULL, 10), >, previous);
      previous = (guint) g_ascii_strtoull (line + 1, NULL, 10);
    }

  log = cryo_sim_server_dup_command_log (server);
  g_assert_cmpstrv (log, ((const char * const[]) { "ping ACK", NULL }));
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), >=, 1 + 5);

  /* Dropped: the packets are made, none is sent. */
  cryo_sim_server_set_faults (server, 0.0, 1.0, 0);
  wait_for_packets (server, 1);
  drain (fd);
  n_replies = cryo_sim_server_get_n_replies (server);
  wait_for_packets (server, 3);
  g_assert_false (readable (fd));
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, n_replies);

  close (fd);
  cryo_sim_server_stop (server);
  g_assert_false (cryo_sim_server_is_running (server));
  g_assert_null (cryo_sim_server_get_path (server));
}

/* Paced at 1200 bit/s, 8N1, the line carries 120 bytes/s and no more,
 * although the responder streams faster than that; its packets still come
 * whole and in order, and without pacing they come at once again. */
static void
test_baud_pacing (void)
{
  g_autoptr(TestResponder) responder = g_object_new (TEST_TYPE_RESPONDER, NULL);
  CryoSimServerOptions options = CRYO_SIM_SERVER_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  const double byte_us = 10.0 * G_USEC_PER_SEC / 1200;
  guint previous = 0, n_bytes = 0;
  gint64 first_us = 0, elapsed_us;
  int fd;

  options.baud = 1200;
  server = cryo_sim_server_new (CRYO_SIM_RESPONDER (responder), &options);
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  fd = open_port (cryo_sim_server_get_path (server));

  /* "#N\n" every 20 ms is over 200 bytes/s: the line is the limit. */
  while (n_bytes < 60)
    {
      g_autofree char *line = read_line (fd);

      if (first_us == 0)
        first_us = g_get_monotonic_time ();
      else
        n_bytes += strlen (line) + 1;

      g_assert_true (line[0] == '#');
      g_assert_cmpuint (g_ascii_strtoull (line + 1, NULL, 10), ==, previous + 1);
      previous = (guint) g_ascii_strtoull (line + 1, NULL, 10);
    }
  elapsed_us = g_get_monotonic_time () - first_us;
  g_test_message ("%u bytes in %.3f s", n_bytes, elapsed_us / 1e6);

  /* Never faster than the line: each byte takes 8.3 ms. */
  g_assert_cmpfloat (elapsed_us, >=, n_bytes * byte_us * 0.99);
  g_assert_cmpint (elapsed_us, <, 5 * G_USEC_PER_SEC);

  /* Unpaced: the backlog drains in order, then packets come as made. */
  cryo_sim_server_set_baud (server, 0);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *line = read_line (fd);

      g_assert_cmpuint (g_ascii_strtoull (line + 1, NULL, 10), ==, previous + 1);
      previous = (guint) g_ascii_strtoull (line + 1, NULL, 10);
    }

  close (fd);
  cryo_sim_server_stop (server);
}

/* The model's clock runs at the speed factor, and stands while frozen. */
static void
test_clock (void)
{
  g_autoptr(CryoSimServer) server = new_server (100.0);
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  double frozen_at;

  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);

  wait_for_packets (server, 20);
  g_assert_cmpfloat (get_elapsed (server), >, 0.0);
  /* Never ahead of 100 × the real time elapsed. */
  g_assert_cmpfloat (get_elapsed (server), <=,
                     100.0 * (g_get_monotonic_time () - started) / G_USEC_PER_SEC);

  cryo_sim_server_set_frozen (server, TRUE);
  wait_for_packets (server, 1);
  frozen_at = get_elapsed (server);
  wait_for_packets (server, 10);
  g_assert_cmpfloat (get_elapsed (server), ==, frozen_at);

  cryo_sim_server_set_frozen (server, FALSE);
  wait_for_packets (server, 10);
  g_assert_cmpfloat (get_elapsed (server), >, frozen_at);

  g_assert_finalize_object (g_steal_pointer (&server));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-server/serial-stream", test_serial_stream);
  g_test_add_func ("/sim-server/clock", test_clock);
  g_test_add_func ("/sim-server/baud-pacing", test_baud_pacing);

  return g_test_run ();
}
