/* test-compressor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The compressor device against the CPA simulator over Modbus TCP (loopback)
 * and Modbus RTU (pseudo-terminal) through the real libmodbus transport;
 * interlocks proven from the simulator's command log; reconnection; and
 * interoperability with an independent Modbus server (pymodbus).
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <unistd.h>

#include "cryo-compressor.h"
#include "cryo-event-log.h"
#include "test-device-util.h"
#include "cryo-modbus-transport.h"
#include "cryo-sim-cpa-server.h"
#include "cryo-sim-server.h"

static CryoDevice *
create_device (CryoTransport *transport)
{
  g_autoptr(CryoLink) link = cryo_link_new (transport);
  CryoDevice *device;

  cryo_link_set_backoff (link, 200, 800);
  device = cryo_compressor_new (link);
  cryo_device_set_poll_interval (device, 200);

  return device;
}

static CryoSimServer *
new_server (gboolean running,
            gboolean frozen)
{
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;

  options.running = running;
  options.server.frozen = frozen;
  return cryo_sim_cpa_server_new (&options);
}

static CryoDevice *
connect_tcp (CryoSimServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoTransport) transport = NULL;

  if (cryo_sim_server_get_port (server) == 0)
    {
      g_assert_true (cryo_sim_server_start_tcp (server, "127.0.0.1", 0, &error));
      g_assert_no_error (error);
    }

  transport = cryo_modbus_transport_new_tcp ("127.0.0.1", cryo_sim_server_get_port (server), 1);
  return create_device (transport);
}

static CryoDevice *
connect_rtu (CryoSimServer *server)
{
  CryoSerialConfig serial = CRYO_SERIAL_CONFIG_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoTransport) transport = NULL;

  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);

  serial.baud = 115200;
  transport = cryo_modbus_transport_new_rtu (cryo_sim_server_get_path (server), &serial, 16);
  return create_device (transport);
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

/* Every channel holds the simulator's register, converted from the panel's
 * units to canonical K and Pa. */
static void
check_readings (CryoDevice    *device,
                CryoSimServer *server)
{
  guint16 registers[CRYO_CPA_N_INPUT_REGISTERS];
  g_autoptr(GError) error = NULL;
  CryoCpaSnapshot expected;
  CryoUnit temperature_unit, pressure_unit;
  const struct {
    const char *id;
    double      value;
    gboolean    temperature;
  } *c, checks[] = {
    { "coolant_in_temperature", 0, TRUE },
    { "helium_temperature", 0, TRUE },
    { "high_pressure", 0, FALSE },
    { "low_pressure", 0, FALSE },
    { "motor_current", 0, FALSE },
  };

  cryo_sim_cpa_server_get_registers (server, registers);
  g_assert_true (cryo_cpa_decode_input_registers (registers, G_N_ELEMENTS (registers), &expected, &error));
  g_assert_no_error (error);

  temperature_unit = cryo_cpa_temperature_scale_to_unit (expected.temperature_scale);
  pressure_unit = cryo_cpa_pressure_scale_to_unit (expected.pressure_scale);

  g_assert_cmpint (cryo_compressor_get_state (CRYO_COMPRESSOR (device)), ==, expected.state);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      CryoChannel *channel = cryo_device_lookup_channel (device, checks[i].id);
      CryoReading reading = cryo_channel_get_reading (channel);
      double want;

      c = &checks[i];
      g_assert_nonnull (channel);

      if (g_str_equal (c->id, "coolant_in_temperature"))
        want = cryo_unit_convert (expected.coolant_in, temperature_unit, CRYO_UNIT_KELVIN);
      else if (g_str_equal (c->id, "helium_temperature"))
        want = cryo_unit_convert (expected.helium, temperature_unit, CRYO_UNIT_KELVIN);
      else if (g_str_equal (c->id, "high_pressure"))
        want = cryo_unit_convert (expected.high_pressure, pressure_unit, CRYO_UNIT_PA);
      else if (g_str_equal (c->id, "low_pressure"))
        want = cryo_unit_convert (expected.low_pressure, pressure_unit, CRYO_UNIT_PA);
      else
        want = expected.motor_current;

      g_assert_cmpfloat_with_epsilon (reading.value, want, fabs (want) * 1e-9);
    }
}

static void
test_readings (gconstpointer data)
{
  gboolean rtu = GPOINTER_TO_INT (data);
  g_autoptr(CryoSimServer) server = new_server (TRUE, TRUE);
  g_autoptr(CryoDevice) device = rtu ? connect_rtu (server) : connect_tcp (server);
  const CryoCpaSnapshot *snapshot;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));

  check_readings (device, server);
  snapshot = cryo_compressor_get_snapshot (CRYO_COMPRESSOR (device));
  g_assert_nonnull (snapshot);
  g_assert_cmpuint (snapshot->model_code, ==, CRYO_CPA_MODEL_CPA1110);
  g_assert_cmpstr (cryo_device_get_model (device), ==, "CPA1110 · serial 1234 · software 2.3");

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

static gboolean
is_running (gpointer data)
{
  int state = cryo_compressor_get_state (CRYO_COMPRESSOR (data));

  return state == CRYO_CPA_STATE_STARTING || state == CRYO_CPA_STATE_RUNNING;
}

static gboolean
is_stopping (gpointer data)
{
  int state = cryo_compressor_get_state (CRYO_COMPRESSOR (data));

  return state == CRYO_CPA_STATE_STOPPING || state == CRYO_CPA_STATE_IDLE;
}

static void
test_start_stop (gconstpointer data)
{
  gboolean rtu = GPOINTER_TO_INT (data);
  g_autoptr(CryoSimServer) server = new_server (FALSE, FALSE);
  g_autoptr(CryoDevice) device = rtu ? connect_rtu (server) : connect_tcp (server);
  g_autofree char *reason = NULL;
  ActionResult action;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));
  g_assert_cmpint (cryo_compressor_get_state (CRYO_COMPRESSOR (device)), ==, CRYO_CPA_STATE_IDLE);

  /* Idle: start accepted, and the next polls show it starting. */
  g_assert_true (cryo_device_check_action (device, "start", NULL));
  run_action (device, "start", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_cmpuint (count_log_lines (server, "HR1 0x0001 ACK"), ==, 1);
  g_assert_true (wait_for (is_running, device, 5000));

  /* Running: a second start is refused and never reaches the wire. */
  g_assert_false (cryo_device_check_action (device, "start", &reason));
  g_assert_nonnull (strstr (reason, "must be Idle"));
  run_action (device, "start", &action);
  g_assert_error (action.error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED);
  g_clear_error (&action.error);
  g_assert_cmpuint (count_log_lines (server, "HR1 0x0001"), ==, 1);

  /* Stop is always allowed. */
  run_action (device, "stop", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_cmpuint (count_log_lines (server, "HR1 0x00FF ACK"), ==, 1);
  g_assert_true (wait_for (is_stopping, device, 5000));

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

static gboolean
has_alarms (gpointer data)
{
  return cryo_device_get_alarms (CRYO_DEVICE (data))[0] != NULL;
}

static gboolean
has_warnings (gpointer data)
{
  return cryo_device_get_warnings (CRYO_DEVICE (data))[0] != NULL;
}

/* Warnings and alarms appear as named conditions; an alarm blocks starts. */
static void
test_warnings_and_alarms (void)
{
  g_autoptr(CryoSimServer) server = new_server (FALSE, FALSE);
  g_autoptr(CryoDevice) device = connect_tcp (server);
  g_autofree char *reason = NULL;
  const char * const *warnings;
  const char * const *alarms;

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));
  g_assert_null (cryo_device_get_alarms (device)[0]);

  /* -5.0 on the wire: coolant in high + coolant out high */
  cryo_sim_cpa_server_set_warnings (server, (1 << 0) | (1 << 2));
  g_assert_true (wait_for (has_warnings, device, 5000));
  warnings = cryo_device_get_warnings (device);
  g_assert_cmpuint (g_strv_length ((char **) warnings), ==, 2);
  g_assert_cmpstr (warnings[0], ==, cryo_cpa_bit_to_string (0));
  g_assert_cmpstr (warnings[1], ==, cryo_cpa_bit_to_string (2));
  g_assert_true (cryo_device_check_action (device, "start", NULL));

  cryo_sim_cpa_server_set_alarms (server, 1 << 6);
  g_assert_true (wait_for (has_alarms, device, 5000));
  alarms = cryo_device_get_alarms (device);
  g_assert_cmpstr (alarms[0], ==, cryo_cpa_bit_to_string (6));
  g_assert_false (cryo_device_check_action (device, "start", &reason));
  g_assert_nonnull (strstr (reason, cryo_cpa_bit_to_string (6)));

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

static void
test_reconnect (gconstpointer data)
{
  gboolean rtu = GPOINTER_TO_INT (data);
  g_autofree char *dir = g_dir_make_tmp ("cryomon-cpa-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "cpa", NULL);
  g_autoptr(CryoSimServer) server = new_server (TRUE, FALSE);
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before;

  if (rtu)
    {
      CryoSerialConfig serial = CRYO_SERIAL_CONFIG_INIT;
      g_autoptr(CryoTransport) transport = NULL;

      g_assert_true (cryo_sim_server_start_pty (server, link_path, &error));
      g_assert_no_error (error);
      serial.baud = 115200;
      transport = cryo_modbus_transport_new_rtu (link_path, &serial, 16);
      device = create_device (transport);
    }
  else
    device = connect_tcp (server);

  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));

  /* The compressor goes away … */
  n_before = cryo_link_get_n_reconnects (cryo_device_get_link (device));
  {
    guint port = cryo_sim_server_get_port (server);

    cryo_sim_server_stop (server);
    g_assert_true (wait_for (is_disconnected, device, 5000));
    g_assert_nonnull (cryo_device_get_last_error (device));

    /* … and comes back where it was: the link reopens by itself. */
    if (rtu)
      g_assert_true (cryo_sim_server_start_pty (server, link_path, &error));
    else
      g_assert_true (cryo_sim_server_start_tcp (server, "127.0.0.1", port, &error));
    g_assert_no_error (error);
  }

  g_assert_true (wait_for (is_online, device, 10000));
  g_assert_cmpuint (cryo_link_get_n_reconnects (cryo_device_get_link (device)), >, n_before);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
  g_rmdir (dir);
}

static GSubprocess *
spawn_cpa_sim (const char  *where_option,
               const char  *where,
               const char  *command_log,
               char       **printed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *sim;

  sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                          g_getenv ("CRYOMON_SIM"), "cpa", where_option, where,
                          "--state", "idle", "--command-log", command_log, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  *printed = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*printed);

  return sim;
}

static gboolean
file_has_line (const char *path,
               const char *line)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  return g_strv_contains ((const char * const *) lines, line);
}

/* The cryomon-sim binary, killed outright and started again where it was:
 * the device reconnects by itself, and its commands reach the wire. */
static void
test_sim_binary (gconstpointer data)
{
  gboolean rtu = GPOINTER_TO_INT (data);
  g_autofree char *dir = g_dir_make_tmp ("cryomon-cpa-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "cpa", NULL);
  g_autofree char *log_path = g_build_filename (dir, "commands.log", NULL);
  g_autofree char *printed = NULL;
  g_autofree char *printed2 = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GSubprocess) sim2 = NULL;
  g_autoptr(CryoTransport) transport = NULL;
  g_autoptr(CryoDevice) device = NULL;
  ActionResult action;
  guint port = 0;

  if (rtu)
    {
      CryoSerialConfig serial = CRYO_SERIAL_CONFIG_INIT;

      sim = spawn_cpa_sim ("--link", link_path, log_path, &printed);
      g_assert_cmpstr (printed, ==, link_path);
      serial.baud = 115200;
      transport = cryo_modbus_transport_new_rtu (link_path, &serial, 16);
    }
  else
    {
      sim = spawn_cpa_sim ("--tcp", "127.0.0.1:0", log_path, &printed);
      g_assert_true (g_str_has_prefix (printed, "tcp:127.0.0.1:"));
      port = atoi (printed + strlen ("tcp:127.0.0.1:"));
      g_assert_cmpuint (port, >, 0);
      transport = cryo_modbus_transport_new_tcp ("127.0.0.1", port, 1);
    }

  device = create_device (transport);
  cryo_device_set_monitoring (device, TRUE);
  g_assert_true (wait_for (is_online, device, 5000));

  run_action (device, "start", &action);
  g_assert_no_error (action.error);
  g_assert_true (file_has_line (log_path, "HR1 0x0001 ACK"));
  g_assert_true (wait_for (is_running, device, 5000));

  g_subprocess_send_signal (sim, SIGKILL);
  g_subprocess_wait (sim, NULL, NULL);
  g_assert_true (wait_for (is_disconnected, device, 5000));

  if (rtu)
    sim2 = spawn_cpa_sim ("--link", link_path, log_path, &printed2);
  else
    {
      g_autofree char *where = g_strdup_printf ("127.0.0.1:%u", port);

      sim2 = spawn_cpa_sim ("--tcp", where, log_path, &printed2);
    }
  g_assert_true (wait_for (is_online, device, 10000));

  /* A fresh simulator starts idle: the start is allowed again. */
  g_assert_true (cryo_device_check_action (device, "start", NULL));

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  g_subprocess_send_signal (sim2, SIGTERM);
  g_subprocess_wait (sim2, NULL, NULL);
  g_unlink (log_path);
  g_rmdir (dir);
}

static guint
free_tcp_port (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t len = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  guint port;

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &len), ==, 0);
  port = ntohs (address.sin_port);
  close (fd);

  return port;
}

/* An independent implementation: pymodbus serves the spec's registers and
 * Cryomon's client reads and decodes them exactly
 * (cryomech-cpa-modbus.md "Input registers", reply vector). */
static void
test_pymodbus_server (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "pymodbus-cpa-server.py", NULL);
  g_autofree char *vectors = g_build_filename (g_getenv ("CRYO_TEST_VECTORS"),
                                               "cryomech-cpa-modbus.json", NULL);
  guint port = free_tcp_port ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(CryoTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  guint16 registers[CRYO_CPA_N_INPUT_REGISTERS];
  CryoCpaSnapshot snapshot;
  gint64 deadline;
  g_autofree char *model = NULL;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                             "/usr/bin/python3", script, port_text, vectors, NULL);
  g_assert_no_error (error);

  transport = cryo_modbus_transport_new_tcp ("127.0.0.1", port, 1);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!cryo_transport_open (transport, &error))
    {
      /* The server has not died (its identifier goes when it exits). */
      g_assert_nonnull (g_subprocess_get_identifier (server));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_clear_error (&error);
      g_usleep (100000);
    }

  g_assert_true (cryo_modbus_transport_read_input_registers (CRYO_MODBUS_TRANSPORT (transport),
                                                             CRYO_CPA_FIRST_INPUT_REGISTER,
                                                             CRYO_CPA_N_INPUT_REGISTERS,
                                                             registers, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_cpa_decode_input_registers (registers, G_N_ELEMENTS (registers), &snapshot, &error));
  g_assert_no_error (error);

  /* The values listed with the spec's reply vector. */
  g_assert_cmpuint (snapshot.state, ==, CRYO_CPA_STATE_RUNNING);
  g_assert_true (snapshot.running);
  g_assert_cmpuint (snapshot.warnings, ==, 0);
  g_assert_cmpuint (snapshot.alarms, ==, 0);
  g_assert_cmpfloat_with_epsilon (snapshot.coolant_in, 71.132, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.coolant_out, 97.326, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.oil, 99.047, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.helium, 150.861, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.low_pressure, 71.3375, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.low_pressure_average, 70.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.high_pressure, 288.221, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.high_pressure_average, 287.5, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.delta_pressure_average, 217.5, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.motor_current, 26.72, 1e-4);
  g_assert_cmpfloat_with_epsilon (snapshot.hours, 24735.5, 1e-4);
  g_assert_cmpint (snapshot.pressure_scale, ==, CRYO_CPA_PRESSURE_SCALE_PSI);
  g_assert_cmpint (snapshot.temperature_scale, ==, CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT);
  g_assert_cmpuint (snapshot.serial_number, ==, 1234);
  model = cryo_cpa_dup_model_name (snapshot.model_code);
  g_assert_cmpstr (model, ==, "CPA1110");
  g_assert_cmpuint (snapshot.software_major, ==, 2);
  g_assert_cmpuint (snapshot.software_minor, ==, 3);

  cryo_transport_close (transport);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-events-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (dir, "events.log", NULL);
  g_autoptr(CryoEventLog) log = NULL;

  g_test_init (&argc, &argv, NULL);

  log = cryo_event_log_new (log_path);
  cryo_event_log_set_default (log);

  g_test_add_data_func ("/compressor/tcp/readings", GINT_TO_POINTER (FALSE), test_readings);
  g_test_add_data_func ("/compressor/rtu/readings", GINT_TO_POINTER (TRUE), test_readings);
  g_test_add_data_func ("/compressor/tcp/start-stop", GINT_TO_POINTER (FALSE), test_start_stop);
  g_test_add_data_func ("/compressor/rtu/start-stop", GINT_TO_POINTER (TRUE), test_start_stop);
  g_test_add_func ("/compressor/warnings-and-alarms", test_warnings_and_alarms);
  g_test_add_data_func ("/compressor/tcp/reconnect", GINT_TO_POINTER (FALSE), test_reconnect);
  g_test_add_data_func ("/compressor/rtu/reconnect", GINT_TO_POINTER (TRUE), test_reconnect);
  g_test_add_func ("/compressor/pymodbus-server", test_pymodbus_server);
  g_test_add_data_func ("/compressor/tcp/sim-binary", GINT_TO_POINTER (FALSE), test_sim_binary);
  g_test_add_data_func ("/compressor/rtu/sim-binary", GINT_TO_POINTER (TRUE), test_sim_binary);

  return g_test_run ();
}
