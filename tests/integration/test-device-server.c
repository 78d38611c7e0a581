/* test-device-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A serial instrument behind a serial device server: socat plays the Moxa
 * NPort or ser2net, bridging a loopback TCP port to the pumping-station
 * simulator's pseudo-terminal, and the device, configured as
 * `tcp:127.0.0.1:PORT`, goes through the real socket transport. It reads,
 * starts and stops the station, and rides out the device server going away
 * and coming back.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "cryo-device-config.h"
#include "cryo-event-log.h"
#include "cryo-kinds.h"
#include "cryo-pump-station.h"
#include "cryo-sim-pump-station-server.h"
#include "cryo-sim-server.h"
#include "test-device-util.h"

/* A port free on 127.0.0.1 now: bound to port 0, then released. socat takes
 * it with reuseaddr, and takes it again after a restart. */
static guint16
pick_free_port (void)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A failed assertion aborts the test: socat must not outlive it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* socat serving one TCP connection on 127.0.0.1:@port with the pseudo-terminal
 * at @pty_path, as a device server serves its serial port; returns once it
 * listens (it says so on stderr with -d -d). */
static GSubprocess *
spawn_socat (guint16     port,
             const char *pty_path)
{
  g_autofree char *listen = g_strdup_printf ("TCP-LISTEN:%u,bind=127.0.0.1,reuseaddr", port);
  g_autofree char *file = g_strdup_printf ("FILE:%s,rawer", pty_path);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *socat;

  /* Its stdout is not the test's: meson reads that to its end. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  socat = g_subprocess_launcher_spawn (launcher, &error,
                                       "socat", "-d", "-d", listen, file, NULL);
  g_assert_no_error (error);

  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (socat));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (err, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("socat ended before it listened on 127.0.0.1:%u", port);

      g_test_message ("socat: %s", line);
      if (strstr (line, "listening on") != NULL)
        break;
    }

  return socat;
}

static void
kill_socat (GSubprocess *socat)
{
  g_subprocess_send_signal (socat, SIGKILL);
  g_assert_true (g_subprocess_wait (socat, NULL, NULL));
}

static gboolean
is_spinning (gpointer data)
{
  CryoPumpStation *station = data;

  return cryo_pump_station_get_status (station) == 2 && cryo_pump_station_get_speed (station) > 0;
}

static gboolean
is_stopped (gpointer data)
{
  return cryo_pump_station_get_status (CRYO_PUMP_STATION (data)) == 0;
}

static guint
count_log_lines (CryoSimServer *server,
                 const char    *prefix)
{
  g_auto(GStrv) log = cryo_sim_server_dup_command_log (server);
  guint n = 0;

  for (guint i = 0; log[i] != NULL; i++)
    if (g_str_has_prefix (log[i], prefix))
      n++;

  return n;
}

static void
test_pump_station_via_socat (void)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GSubprocess) socat = NULL;
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *socat_path = g_find_program_in_path ("socat");
  g_autofree char *spec = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *description = NULL;
  CryoLink *link;
  ActionResult action;
  guint16 port;
  guint n_reconnects;

  if (socat_path == NULL)
    {
      g_test_skip ("socat is not installed (build-aux/setup.sh installs it)");
      return;
    }

  options.running = FALSE;
  server = cryo_sim_pump_station_server_new (&options);
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);

  port = pick_free_port ();
  endpoint = g_strdup_printf ("127.0.0.1:%u", port);
  socat = spawn_socat (port, cryo_sim_server_get_pty_path (server));

  /* Configured as an operator would, through the kind's configuration. */
  spec = g_strdup_printf ("pump-station:tcp:%s,poll=0.2", endpoint);
  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  link = cryo_device_get_link (device);
  description = g_strdup_printf ("tcp:%s", endpoint);
  g_assert_cmpstr (cryo_transport_get_description (cryo_link_get_transport (link)), ==,
                   description);
  cryo_link_set_backoff (link, 200, 800);

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 10000));

  run_action (device, "start", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_cmpuint (count_log_lines (server, "000 1 ACK"), ==, 1);
  g_assert_true (wait_for (is_spinning, device, 5000));

  run_action (device, "stop", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_cmpuint (count_log_lines (server, "000 0 ACK"), ==, 1);
  g_assert_true (wait_for (is_stopped, device, 5000));

  /* The device server goes away: the link closes and retries by itself. */
  kill_socat (socat);
  g_clear_object (&socat);
  g_assert_true (wait_for (is_disconnected, device, 5000));
  g_test_message ("while socat is away: %s", cryo_device_get_last_error (device));
  g_assert_nonnull (strstr (cryo_device_get_last_error (device), endpoint));
  g_assert_cmpint (cryo_link_get_state (link), !=, CRYO_LINK_STATE_CONNECTED);

  /* And comes back on the same port: Online again without anyone's help. */
  n_reconnects = cryo_link_get_n_reconnects (link);
  socat = spawn_socat (port, cryo_sim_server_get_pty_path (server));
  g_assert_true (wait_for (is_online, device, 10000));
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), >, n_reconnects);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  kill_socat (socat);
  cryo_sim_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-events-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (dir, "events.log", NULL);
  g_autoptr(CryoEventLog) log = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  cryo_kinds_register_all ();

  log = cryo_event_log_new (log_path);
  cryo_event_log_set_default (log);

  g_test_add_func ("/device-server/pump-station-via-socat", test_pump_station_via_socat);

  status = g_test_run ();

  cryo_event_log_set_default (NULL);
  g_clear_object (&log);
  g_unlink (log_path);
  g_rmdir (dir);

  return status;
}
