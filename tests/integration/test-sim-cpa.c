/* test-sim-cpa.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cryomech CPA compressor simulator: the model, the libmodbus server
 * over Modbus TCP and Modbus RTU on a pty (cryomech-cpa-modbus.md
 * "Simulator behaviour"), and the cryomon-sim executable read by an
 * independent Modbus master, mbpoll.
 */

#define G_LOG_DOMAIN "test-sim-cpa"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <modbus.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cryo-cpa.h"
#include "cryo-sim-cpa.h"
#include "cryo-sim-cpa-server.h"
#include "cryo-sim-server.h"
#include "test-sim-util.h"

#define N_REGS CRYO_CPA_N_INPUT_REGISTERS

/* --- helpers ------------------------------------------------------------ */

static guint16
crc16_modbus (const guint8 *data,
              gsize         len)
{
  guint16 crc = 0xFFFF;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc & 1) ? (guint16) ((crc >> 1) ^ 0xA001) : (guint16) (crc >> 1);
    }

  return crc;
}

/* A 33-register read reply as the wire carries it: RTU (unit, 04, 66,
 * registers big-endian, CRC low byte first) or TCP (MBAP for transaction
 * 1, unit 1, then the PDU). */
static GBytes *
expected_read_reply (const guint16 *registers,
                     gboolean       rtu)
{
  GByteArray *array = g_byte_array_new ();
  const guint8 rtu_head[] = { 0x10, 0x04, 2 * N_REGS };
  const guint8 tcp_head[] = { 0x00, 0x01, 0x00, 0x00, 0x00, 3 + 2 * N_REGS, 0x01, 0x04, 2 * N_REGS };

  if (rtu)
    g_byte_array_append (array, rtu_head, sizeof rtu_head);
  else
    g_byte_array_append (array, tcp_head, sizeof tcp_head);

  for (guint i = 0; i < N_REGS; i++)
    {
      guint8 be[2] = { registers[i] >> 8, registers[i] & 0xFF };

      g_byte_array_append (array, be, 2);
    }

  if (rtu)
    {
      guint16 crc = crc16_modbus (array->data, array->len);
      guint8 le[2] = { crc & 0xFF, crc >> 8 };

      g_byte_array_append (array, le, 2);
    }

  return g_byte_array_free_to_bytes (array);
}

/* Reads until @max bytes arrived or @timeout_ms passed without any. */
static GBytes *
read_bytes (int   fd,
            gsize max,
            int   timeout_ms)
{
  GByteArray *array = g_byte_array_new ();

  while (array->len < max)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      guint8 buffer[512];
      ssize_t n;

      if (poll (&pfd, 1, timeout_ms) <= 0)
        break;
      n = read (fd, buffer, MIN (sizeof buffer, max - array->len));
      if (n <= 0)
        break;
      g_byte_array_append (array, buffer, (guint) n);
    }

  return g_byte_array_free_to_bytes (array);
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

static int
connect_tcp (guint port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_port = htons ((guint16) port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);

  return fd;
}

static gsize
count_differences (GBytes *a,
                   GBytes *b)
{
  gsize len_a, len_b, n = 0;
  const guint8 *da = g_bytes_get_data (a, &len_a);
  const guint8 *db = g_bytes_get_data (b, &len_b);

  g_assert_cmpuint (len_a, ==, len_b);
  for (gsize i = 0; i < len_a; i++)
    n += da[i] != db[i];

  return n;
}

static modbus_t *
new_tcp_client (guint port,
                int   unit_id)
{
  modbus_t *ctx = modbus_new_tcp ("127.0.0.1", (int) port);

  g_assert_nonnull (ctx);
  g_assert_cmpint (modbus_set_slave (ctx, unit_id), ==, 0);
  g_assert_cmpint (modbus_set_response_timeout (ctx, 1, 0), ==, 0);
  g_assert_cmpint (modbus_connect (ctx), ==, 0);

  return ctx;
}

static modbus_t *
new_rtu_client (const char *path,
                int         unit_id)
{
  modbus_t *ctx = modbus_new_rtu (path, 115200, 'N', 8, 1);

  g_assert_nonnull (ctx);
  g_assert_cmpint (modbus_set_slave (ctx, unit_id), ==, 0);
  g_assert_cmpint (modbus_set_response_timeout (ctx, 1, 0), ==, 0);
  g_assert_cmpint (modbus_connect (ctx), ==, 0);

  return ctx;
}

static void
close_client (modbus_t *ctx)
{
  modbus_close (ctx);
  modbus_free (ctx);
}

static void
read_input_registers (modbus_t *ctx,
                      guint16  *registers)
{
  int rc = modbus_read_input_registers (ctx, CRYO_CPA_FIRST_INPUT_REGISTER, N_REGS, registers);

  if (rc < 0)
    g_test_message ("read: %s", modbus_strerror (errno));
  g_assert_cmpint (rc, ==, N_REGS);
}

/* The client's read equals what the server says a read returns now. */
static void
assert_read_matches (CryoSimServer *server,
                     modbus_t      *ctx)
{
  guint16 expected[N_REGS];
  guint16 got[N_REGS];

  read_input_registers (ctx, got);
  cryo_sim_cpa_server_get_registers (server, expected);
  g_assert_cmpmem (got, sizeof got, expected, sizeof expected);
}

static void
decode (const guint16   *registers,
        CryoCpaSnapshot *snapshot)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cryo_cpa_decode_input_registers (registers, N_REGS, snapshot, &error));
  g_assert_no_error (error);
}

static void
assert_log (CryoSimServer      *server,
            const char *const  *expected)
{
  g_auto(GStrv) log = cryo_sim_server_dup_command_log (server);

  g_assert_cmpstrv (log, expected);
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

static void
start_tcp (CryoSimServer *server)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cryo_sim_server_start_tcp (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cryo_sim_server_get_port (server), >, 0);
}

/* --- model -------------------------------------------------------------- */

static void
test_model_start_stop (void)
{
  g_autoptr(CryoSimCpa) model = cryo_sim_cpa_new (FALSE, 1);

  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_IDLE);
  g_assert_false (cryo_sim_cpa_get_running (model));

  g_assert_cmpint (cryo_sim_cpa_start (model), ==, CRYO_SIM_CPA_START_ACCEPTED);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_STARTING);
  g_assert_true (cryo_sim_cpa_get_running (model));

  /* "Starting" for about 10 s. */
  cryo_sim_cpa_tick (model, 9.5);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_STARTING);
  /* A second start changes nothing. */
  g_assert_cmpint (cryo_sim_cpa_start (model), ==, CRYO_SIM_CPA_START_ACCEPTED);
  cryo_sim_cpa_tick (model, 1.0);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_RUNNING);
  g_assert_true (cryo_sim_cpa_get_running (model));

  cryo_sim_cpa_stop (model);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_STOPPING);
  g_assert_false (cryo_sim_cpa_get_running (model));
  g_assert_cmpfloat (cryo_sim_cpa_get_motor_current_a (model), ==, 0.0);

  /* No start while stopping. */
  g_assert_cmpint (cryo_sim_cpa_start (model), ==, CRYO_SIM_CPA_START_REFUSED_STATE);
  cryo_sim_cpa_tick (model, 9.5);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_STOPPING);
  cryo_sim_cpa_tick (model, 1.0);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_IDLE);

  /* A stop while idle changes nothing; starting works again. */
  cryo_sim_cpa_stop (model);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_IDLE);
  g_assert_cmpint (cryo_sim_cpa_start (model), ==, CRYO_SIM_CPA_START_ACCEPTED);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_STARTING);
}

static void
test_model_warm_up (void)
{
  g_autoptr(CryoSimCpa) model = cryo_sim_cpa_new (FALSE, 2);
  CryoCpaSnapshot s;
  double last_high, last_low, last_helium, hours0;

  /* Idle: static pressure on both sides, everything at the coolant's
   * temperature; no noise before the first tick. */
  cryo_sim_cpa_get_snapshot (model, &s);
  g_assert_cmpfloat (s.high_pressure, ==, 200.0);
  g_assert_cmpfloat (s.low_pressure, ==, 200.0);
  g_assert_cmpfloat (s.delta_pressure_average, ==, 0.0);
  g_assert_cmpfloat (s.coolant_in, ==, 70.0);
  g_assert_cmpfloat (s.helium, ==, 70.0);
  g_assert_cmpfloat (s.motor_current, ==, 0.0);
  g_assert_cmpfloat (s.hours, ==, 24735.5);
  g_assert_false (s.running);
  g_assert_cmpuint (s.serial_number, ==, 1234);
  g_assert_cmpuint (s.model_code, ==, 0x0413);
  g_assert_cmpuint (s.software_major, ==, 2);
  g_assert_cmpuint (s.software_minor, ==, 3);

  /* Idle time does not count. */
  cryo_sim_cpa_tick (model, 600.0);
  g_assert_cmpfloat (cryo_sim_cpa_get_hours (model), ==, 24735.5);
  hours0 = cryo_sim_cpa_get_hours (model);

  g_assert_cmpint (cryo_sim_cpa_start (model), ==, CRYO_SIM_CPA_START_ACCEPTED);
  last_high = cryo_sim_cpa_get_high_pressure_psi (model);
  last_low = cryo_sim_cpa_get_low_pressure_psi (model);
  last_helium = cryo_sim_cpa_get_helium_temperature_f (model);

  for (int t = 1; t <= 1800; t++)
    {
      cryo_sim_cpa_tick (model, 1.0);
      cryo_sim_cpa_get_snapshot (model, &s);

      /* The true values move monotonically towards their targets (until
       * they reach them to double precision). */
      g_assert_cmpfloat (cryo_sim_cpa_get_high_pressure_psi (model), >=, last_high);
      g_assert_cmpfloat (cryo_sim_cpa_get_low_pressure_psi (model), <=, last_low);
      g_assert_cmpfloat (cryo_sim_cpa_get_helium_temperature_f (model), >=, last_helium);
      if (t <= 600)
        {
          g_assert_cmpfloat (cryo_sim_cpa_get_high_pressure_psi (model), >, last_high);
          g_assert_cmpfloat (cryo_sim_cpa_get_low_pressure_psi (model), <, last_low);
          g_assert_cmpfloat (cryo_sim_cpa_get_helium_temperature_f (model), >, last_helium);
        }
      last_high = cryo_sim_cpa_get_high_pressure_psi (model);
      last_low = cryo_sim_cpa_get_low_pressure_psi (model);
      last_helium = cryo_sim_cpa_get_helium_temperature_f (model);

      /* The averages lag the readings; delta = high average − low average. */
      g_assert_cmpfloat (s.high_pressure_average, <=, last_high);
      g_assert_cmpfloat (s.low_pressure_average, >=, last_low);
      if (t <= 600)
        {
          g_assert_cmpfloat (s.high_pressure_average, <, last_high);
          g_assert_cmpfloat (s.low_pressure_average, >, last_low);
        }
      g_assert_cmpfloat_with_epsilon (s.delta_pressure_average,
                                      s.high_pressure_average - s.low_pressure_average, 1e-9);
      /* Small noise. */
      g_assert_cmpfloat (fabs (s.high_pressure - last_high), <=, 0.3);
      g_assert_cmpfloat (fabs (s.coolant_in - 70.0), <=, 0.05);

      if (t == 10)
        g_assert_cmpfloat (s.motor_current, >, 20.0);
      if (t == 30)
        {
          /* Pressures well on their way, temperatures barely. */
          g_assert_cmpfloat (last_high, >, 230.0);
          g_assert_cmpfloat (last_low, <, 150.0);
          g_assert_cmpfloat (last_helium, <, 80.0);
        }
      if (t == 300)
        {
          g_assert_cmpfloat (last_high, >, 285.0);
          g_assert_cmpfloat (last_low, <, 75.0);
          /* "Over minutes": not there yet after five. */
          g_assert_cmpfloat (last_helium, >, 100.0);
          g_assert_cmpfloat (last_helium, <, 145.0);
        }
    }

  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_RUNNING);
  g_assert_true (s.running);
  g_assert_cmpfloat_with_epsilon (s.high_pressure, 290.0, 1.0);
  g_assert_cmpfloat_with_epsilon (s.low_pressure, 70.0, 1.0);
  g_assert_cmpfloat_with_epsilon (s.delta_pressure_average, 220.0, 1.0);
  g_assert_cmpfloat_with_epsilon (s.coolant_in, 70.0, 0.1);
  g_assert_cmpfloat_with_epsilon (s.coolant_out, 97.3, 0.5);
  g_assert_cmpfloat_with_epsilon (s.oil, 99.0, 1.0);
  g_assert_cmpfloat_with_epsilon (s.helium, 150.9, 2.0);
  g_assert_cmpfloat_with_epsilon (s.motor_current, 27.0, 0.2);
  /* Half an hour of operation. */
  g_assert_cmpfloat_with_epsilon (s.hours, hours0 + 0.5, 1e-6);

  /* Stopped: current off, pressures equalise, temperatures relax. */
  cryo_sim_cpa_stop (model);
  cryo_sim_cpa_tick (model, 3600.0);
  cryo_sim_cpa_get_snapshot (model, &s);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_IDLE);
  g_assert_cmpfloat (s.motor_current, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (s.high_pressure, 200.0, 1.0);
  g_assert_cmpfloat_with_epsilon (s.low_pressure, 200.0, 1.0);
  g_assert_cmpfloat (s.helium, <, 100.0);
  /* Not while stopping or idle. */
  g_assert_cmpfloat_with_epsilon (s.hours, hours0 + 0.5, 1e-6);
}

static void
test_model_scales (void)
{
  g_autoptr(CryoSimCpa) model = cryo_sim_cpa_new (TRUE, 3);
  guint16 registers[N_REGS];
  CryoCpaSnapshot psi, bar, kpa, decoded;

  cryo_sim_cpa_tick (model, 1.0);
  cryo_sim_cpa_get_snapshot (model, &psi);
  g_assert_cmpuint (psi.pressure_scale, ==, CRYO_CPA_PRESSURE_SCALE_PSI);
  g_assert_cmpuint (psi.temperature_scale, ==, CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT);

  cryo_sim_cpa_set_pressure_scale (model, CRYO_CPA_PRESSURE_SCALE_BAR);
  cryo_sim_cpa_set_temperature_scale (model, CRYO_CPA_TEMPERATURE_SCALE_CELSIUS);
  cryo_sim_cpa_get_snapshot (model, &bar);
  g_assert_cmpfloat_with_epsilon (bar.high_pressure, psi.high_pressure * 0.0689475729, 1e-6);
  g_assert_cmpfloat_with_epsilon (bar.delta_pressure_average,
                                  psi.delta_pressure_average * 0.0689475729, 1e-6);
  g_assert_cmpfloat_with_epsilon (bar.helium, (psi.helium - 32.0) * 5.0 / 9.0, 1e-9);
  g_assert_cmpfloat (bar.motor_current, ==, psi.motor_current);

  cryo_sim_cpa_set_pressure_scale (model, CRYO_CPA_PRESSURE_SCALE_KPA);
  cryo_sim_cpa_set_temperature_scale (model, CRYO_CPA_TEMPERATURE_SCALE_KELVIN);
  cryo_sim_cpa_get_snapshot (model, &kpa);
  g_assert_cmpfloat_with_epsilon (kpa.low_pressure, psi.low_pressure * 6.89475729, 1e-6);
  g_assert_cmpfloat_with_epsilon (kpa.coolant_in, (psi.coolant_in - 32.0) * 5.0 / 9.0 + 273.15, 1e-9);

  /* Registers 29 and 30 say which; the codec reads back the same values
   * to float precision. */
  cryo_sim_cpa_encode_input_registers (model, registers);
  g_assert_cmpuint (registers[28], ==, CRYO_CPA_PRESSURE_SCALE_KPA);
  g_assert_cmpuint (registers[29], ==, CRYO_CPA_TEMPERATURE_SCALE_KELVIN);
  g_assert_cmpuint (registers[30], ==, 1234);
  g_assert_cmpuint (registers[31], ==, 0x0413);
  g_assert_cmpuint (registers[32], ==, 0x0203);
  decode (registers, &decoded);
  g_assert_cmpuint (decoded.state, ==, CRYO_CPA_STATE_RUNNING);
  g_assert_true (decoded.running);
  g_assert_cmpfloat_with_epsilon (decoded.low_pressure, kpa.low_pressure, 1e-3);
  g_assert_cmpfloat_with_epsilon (decoded.helium, kpa.helium, 1e-4);
  g_assert_cmpfloat_with_epsilon (decoded.hours, kpa.hours, 0.01);
}

static void
test_model_alarms (void)
{
  g_autoptr(CryoSimCpa) model = cryo_sim_cpa_new (TRUE, 4);
  g_autoptr(CryoSimCpa) idle = cryo_sim_cpa_new (FALSE, 4);
  CryoCpaSnapshot s;

  /* Warnings are only reported. */
  cryo_sim_cpa_set_warnings (model, 1u << 0 | 1u << 2);
  cryo_sim_cpa_get_snapshot (model, &s);
  g_assert_cmpuint (s.warnings, ==, 0x5);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_RUNNING);

  /* An alarm stops the running compressor: state 7, motor off. */
  cryo_sim_cpa_set_alarms (model, 1u << 15);
  cryo_sim_cpa_get_snapshot (model, &s);
  g_assert_cmpuint (s.alarms, ==, 1u << 15);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_ERROR);
  g_assert_false (s.running);
  g_assert_cmpfloat (s.motor_current, ==, 0.0);
  cryo_sim_cpa_tick (model, 60.0);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_ERROR);
  g_assert_cmpfloat (cryo_sim_cpa_get_high_pressure_psi (model), <, 280.0);

  /* Starts are refused while it is set; a stop does not clear it. */
  g_assert_cmpint (cryo_sim_cpa_start (model), ==, CRYO_SIM_CPA_START_REFUSED_ALARM);
  cryo_sim_cpa_stop (model);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_ERROR);

  /* Cleared: recovered from error (15), from which a start is allowed. */
  cryo_sim_cpa_set_alarms (model, 0);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_RECOVERED);
  g_assert_cmpint (cryo_sim_cpa_start (model), ==, CRYO_SIM_CPA_START_ACCEPTED);
  g_assert_cmpuint (cryo_sim_cpa_get_state (model), ==, CRYO_CPA_STATE_STARTING);

  /* Idle with an alarm: stays idle, refuses the start. */
  cryo_sim_cpa_set_alarms (idle, 1u << 30 | 1u << 0);
  g_assert_cmpuint (cryo_sim_cpa_get_state (idle), ==, CRYO_CPA_STATE_IDLE);
  g_assert_cmpint (cryo_sim_cpa_start (idle), ==, CRYO_SIM_CPA_START_REFUSED_ALARM);
  g_assert_cmpuint (cryo_sim_cpa_get_state (idle), ==, CRYO_CPA_STATE_IDLE);
  cryo_sim_cpa_get_snapshot (idle, &s);
  g_assert_cmpuint (s.alarms, ==, 1u << 30 | 1u << 0);

  /* Bits beyond 30 do not exist. */
  cryo_sim_cpa_set_warnings (idle, 0xFFFFFFFFu);
  g_assert_cmpuint (cryo_sim_cpa_get_warnings (idle), ==, 0x7FFFFFFFu);
}

static void
test_model_seeded (void)
{
  g_autoptr(CryoSimCpa) a = cryo_sim_cpa_new (TRUE, 77);
  g_autoptr(CryoSimCpa) b = cryo_sim_cpa_new (TRUE, 77);
  g_autoptr(CryoSimCpa) c = cryo_sim_cpa_new (TRUE, 78);
  guint16 ra[N_REGS], rb[N_REGS], rc[N_REGS];
  gboolean differs = FALSE;

  for (int i = 0; i < 20; i++)
    {
      cryo_sim_cpa_tick (a, 0.5);
      cryo_sim_cpa_tick (b, 0.5);
      cryo_sim_cpa_tick (c, 0.5);
      cryo_sim_cpa_encode_input_registers (a, ra);
      cryo_sim_cpa_encode_input_registers (b, rb);
      cryo_sim_cpa_encode_input_registers (c, rc);
      g_assert_cmpmem (ra, sizeof ra, rb, sizeof rb);
      differs |= memcmp (ra, rc, sizeof ra) != 0;
    }
  g_assert_true (differs);
}

/* --- Modbus TCP --------------------------------------------------------- */

static void
test_tcp_read (void)
{
  g_autoptr(CryoSimServer) server = new_server (TRUE, TRUE);
  guint16 registers[N_REGS];
  guint16 holding;
  CryoCpaSnapshot s;
  modbus_t *a, *b, *c;

  g_assert_false (cryo_sim_server_is_running (server));
  g_assert_cmpuint (cryo_sim_server_get_port (server), ==, 0);
  start_tcp (server);
  g_assert_true (cryo_sim_server_is_running (server));
  g_assert_null (cryo_sim_server_get_path (server));

  /* Several clients at once, any unit id. */
  a = new_tcp_client (cryo_sim_server_get_port (server), 1);
  b = new_tcp_client (cryo_sim_server_get_port (server), 16);
  c = new_tcp_client (cryo_sim_server_get_port (server), 255);
  for (int i = 0; i < 3; i++)
    {
      assert_read_matches (server, a);
      assert_read_matches (server, b);
      assert_read_matches (server, c);
    }

  read_input_registers (b, registers);
  decode (registers, &s);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_RUNNING);
  g_assert_true (s.running);
  g_assert_cmpuint (s.warnings, ==, 0);
  g_assert_cmpuint (s.alarms, ==, 0);
  g_assert_cmpfloat_with_epsilon (s.high_pressure, 290.0, 1.0);
  g_assert_cmpfloat_with_epsilon (s.low_pressure, 70.0, 1.0);
  g_assert_cmpfloat_with_epsilon (s.motor_current, 27.0, 0.2);
  g_assert_cmpfloat_with_epsilon (s.hours, 24735.5, 0.01);
  g_assert_cmpuint (s.pressure_scale, ==, CRYO_CPA_PRESSURE_SCALE_PSI);
  g_assert_cmpuint (s.temperature_scale, ==, CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT);
  g_assert_cmpuint (s.serial_number, ==, 1234);
  g_assert_cmpuint (s.model_code, ==, CRYO_CPA_MODEL_CPA1110);
  g_assert_cmpuint (s.software_major, ==, 2);
  g_assert_cmpuint (s.software_minor, ==, 3);

  /* Register 30,001 is PDU address 1: address 0 and 34 do not exist. */
  g_assert_cmpint (modbus_read_input_registers (a, 0, N_REGS, registers), ==, -1);
  g_assert_cmpint (errno, ==, EMBXILADD);
  g_assert_cmpint (modbus_read_input_registers (a, 1, N_REGS + 1, registers), ==, -1);
  g_assert_cmpint (errno, ==, EMBXILADD);
  /* Holding register 1 reads back; there are no coils. */
  g_assert_cmpint (modbus_read_registers (a, 1, 1, &holding), ==, 1);
  g_assert_cmpint (modbus_read_bits (a, 0, 1, (guint8 *) &holding), ==, -1);
  g_assert_cmpint (errno, ==, EMBXILADD);

  close_client (a);
  close_client (b);
  close_client (c);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_tcp_commands (void)
{
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-cpa-XXXXXX", &error);
  g_autofree char *log_path = NULL;
  g_autofree char *contents = NULL;
  guint16 registers[N_REGS];
  guint16 value = 0x00FF;
  CryoCpaSnapshot s;
  modbus_t *client;

  g_assert_no_error (error);
  log_path = g_build_filename (dir, "commands.log", NULL);

  options.server.frozen = TRUE;
  options.server.command_log_path = log_path;
  server = cryo_sim_cpa_server_new (&options);
  start_tcp (server);
  client = new_tcp_client (cryo_sim_server_get_port (server), 1);

  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_IDLE);
  g_assert_cmpint (modbus_write_register (client, CRYO_CPA_CONTROL_REGISTER, CRYO_CPA_CONTROL_START), ==, 1);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STARTING);
  read_input_registers (client, registers);
  decode (registers, &s);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_STARTING);
  g_assert_true (s.running);

  g_assert_cmpint (modbus_write_register (client, CRYO_CPA_CONTROL_REGISTER, CRYO_CPA_CONTROL_STOP), ==, 1);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STOPPING);
  g_assert_cmpint (modbus_write_register (client, CRYO_CPA_CONTROL_REGISTER, CRYO_CPA_CONTROL_STOP_VENDOR), ==, 1);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STOPPING);

  /* Other values: illegal data value, nothing changes. */
  g_assert_cmpint (modbus_write_register (client, CRYO_CPA_CONTROL_REGISTER, 0x1234), ==, -1);
  g_assert_cmpint (errno, ==, EMBXILVAL);
  g_assert_cmpint (modbus_write_register (client, CRYO_CPA_CONTROL_REGISTER, 0), ==, -1);
  g_assert_cmpint (errno, ==, EMBXILVAL);
  /* A 0-based client writing address 0 reaches no register. */
  g_assert_cmpint (modbus_write_register (client, 0, CRYO_CPA_CONTROL_START), ==, -1);
  g_assert_cmpint (errno, ==, EMBXILADD);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STOPPING);

  /* Function 16 with one register is the same command. */
  g_assert_cmpint (modbus_write_registers (client, CRYO_CPA_CONTROL_REGISTER, 1, &value), ==, 1);

  assert_log (server, (const char *const[]) {
    "HR1 0x0001 ACK",
    "HR1 0x00FF ACK",
    "HR1 0xFFFF ACK",
    "HR1 0x1234 ILLEGAL_VALUE",
    "HR1 0x0000 ILLEGAL_VALUE",
    "HR0 0x0001 ILLEGAL_ADDRESS",
    "HR1 0x00FF ACK",
    NULL });
  g_assert_true (g_file_get_contents (log_path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==,
                   "HR1 0x0001 ACK\nHR1 0x00FF ACK\nHR1 0xFFFF ACK\n"
                   "HR1 0x1234 ILLEGAL_VALUE\nHR1 0x0000 ILLEGAL_VALUE\n"
                   "HR0 0x0001 ILLEGAL_ADDRESS\nHR1 0x00FF ACK\n");

  close_client (client);
  g_assert_finalize_object (g_steal_pointer (&server));
  g_assert_cmpint (g_unlink (log_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_tcp_alarm (void)
{
  g_autoptr(CryoSimServer) server = new_server (TRUE, TRUE);
  guint16 registers[N_REGS];
  CryoCpaSnapshot s;
  modbus_t *client;

  start_tcp (server);
  client = new_tcp_client (cryo_sim_server_get_port (server), 1);

  cryo_sim_cpa_server_set_warnings (server, 1u << 4);
  cryo_sim_cpa_server_set_alarms (server, 1u << 15 | 1u << 10);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_ERROR);
  assert_read_matches (server, client);
  read_input_registers (client, registers);
  decode (registers, &s);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_ERROR);
  g_assert_false (s.running);
  g_assert_cmpfloat (s.motor_current, ==, 0.0);
  g_assert_cmpuint (s.warnings, ==, 1u << 4);
  g_assert_cmpuint (s.alarms, ==, 1u << 15 | 1u << 10);

  /* The start is acknowledged on the wire but refused. */
  g_assert_cmpint (modbus_write_register (client, CRYO_CPA_CONTROL_REGISTER, CRYO_CPA_CONTROL_START), ==, 1);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_ERROR);

  cryo_sim_cpa_server_set_alarms (server, 0);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_RECOVERED);
  g_assert_cmpint (modbus_write_register (client, CRYO_CPA_CONTROL_REGISTER, CRYO_CPA_CONTROL_START), ==, 1);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STARTING);

  assert_log (server, (const char *const[]) {
    "HR1 0x0001 REFUSED (alarm)",
    "HR1 0x0001 ACK",
    NULL });

  close_client (client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_tcp_faults (void)
{
  g_autoptr(CryoSimServer) server = new_server (TRUE, TRUE);
  g_autoptr(GBytes) request = hex_bytes ("00 01 00 00 00 06 01 04 00 01 00 21");
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) exact = NULL;
  g_autoptr(GBytes) nothing = NULL;
  guint16 registers[N_REGS];
  guint port;
  gint64 sent;
  modbus_t *client;
  int fd;

  start_tcp (server);
  port = cryo_sim_server_get_port (server);
  cryo_sim_cpa_server_get_registers (server, registers);
  expected = expected_read_reply (registers, FALSE);

  /* The raw reply to the spec's TCP request ("Test vectors"). */
  fd = connect_tcp (port);
  write_all (fd, request);
  exact = read_bytes (fd, g_bytes_get_size (expected), 2000);
  g_assert_true (g_bytes_equal (exact, expected));
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 1);

  /* Dropped: no reply; the client times out. */
  cryo_sim_server_set_faults (server, 0.0, 1.0, 0);
  write_all (fd, request);
  nothing = read_bytes (fd, 1, 300);
  g_assert_cmpuint (g_bytes_get_size (nothing), ==, 0);
  client = new_tcp_client (port, 1);
  modbus_set_response_timeout (client, 0, 300000);
  g_assert_cmpint (modbus_read_input_registers (client, 1, N_REGS, registers), ==, -1);
  g_assert_cmpint (errno, ==, ETIMEDOUT);
  close_client (client);
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 1);

  /* Corrupted: same length, exactly one byte differs. */
  cryo_sim_server_set_faults (server, 1.0, 0.0, 0);
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) corrupted = NULL;

      write_all (fd, request);
      corrupted = read_bytes (fd, g_bytes_get_size (expected), 2000);
      g_assert_cmpuint (count_differences (corrupted, expected), ==, 1);
    }

  /* TCP has no checksum, and libmodbus 3.1.6 ignores the MBAP protocol,
   * length and unit bytes: a client sees an error or wrong data unless
   * the altered byte is one of those 4 of 75. Ten tries. */
  {
    guint n_noticed = 0;

    for (int i = 0; i < 10; i++)
      {
        guint16 got[N_REGS];
        int rc;

        client = new_tcp_client (port, 1);
        modbus_set_response_timeout (client, 0, 300000);
        rc = modbus_read_input_registers (client, 1, N_REGS, got);
        n_noticed += rc < 0 || memcmp (got, registers, sizeof got) != 0;
        close_client (client);
      }
    g_assert_cmpuint (n_noticed, >=, 1);
  }

  /* Delayed by 400 ms. */
  cryo_sim_server_set_faults (server, 0.0, 0.0, 400);
  client = new_tcp_client (port, 1);
  modbus_set_response_timeout (client, 0, 150000);
  g_assert_cmpint (modbus_read_input_registers (client, 1, N_REGS, registers), ==, -1);
  g_assert_cmpint (errno, ==, ETIMEDOUT);
  close_client (client);
  client = new_tcp_client (port, 1);
  sent = g_get_monotonic_time ();
  assert_read_matches (server, client);
  g_assert_cmpint (g_get_monotonic_time () - sent, >=, 390 * 1000);
  close_client (client);

  close (fd);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_tcp_stop_restart (void)
{
  g_autoptr(CryoSimServer) server = new_server (FALSE, TRUE);
  g_autoptr(GError) error = NULL;
  guint16 registers[N_REGS];
  struct pollfd pfd;
  modbus_t *client;
  guint8 byte;
  guint port;
  ssize_t n;

  start_tcp (server);
  port = cryo_sim_server_get_port (server);
  client = new_tcp_client (port, 1);
  assert_read_matches (server, client);
  g_assert_cmpint (modbus_write_register (client, 1, CRYO_CPA_CONTROL_START), ==, 1);

  /* The connection drops. */
  cryo_sim_server_stop (server);
  g_assert_false (cryo_sim_server_is_running (server));
  g_assert_cmpuint (cryo_sim_server_get_port (server), ==, 0);
  pfd.fd = modbus_get_socket (client);
  pfd.events = POLLIN;
  pfd.revents = 0;
  g_assert_cmpint (poll (&pfd, 1, 1000), ==, 1);
  n = recv (pfd.fd, &byte, 1, 0);
  g_assert_true (n == 0 || (n < 0 && errno == ECONNRESET));
  g_assert_cmpint (modbus_read_input_registers (client, 1, N_REGS, registers), ==, -1);
  close_client (client);

  /* Started again on the same port at once; the model carried on. */
  g_assert_true (cryo_sim_server_start_tcp (server, "127.0.0.1", port, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cryo_sim_server_get_port (server), ==, port);
  client = new_tcp_client (port, 1);
  assert_read_matches (server, client);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STARTING);
  close_client (client);

  /* A second server cannot take the port. */
  {
    g_autoptr(CryoSimServer) other = new_server (FALSE, TRUE);

    g_assert_false (cryo_sim_server_start_tcp (other, "127.0.0.1", port, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
    g_clear_error (&error);
    g_assert_false (cryo_sim_server_start_tcp (other, "localhost", 0, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_tcp_speed (void)
{
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  guint16 a[N_REGS], b[N_REGS];
  gint64 deadline;
  modbus_t *client;

  /* 100× real time: the 10 s start takes about 0.1 s. */
  options.server.speed = 100.0;
  server = cryo_sim_cpa_server_new (&options);
  start_tcp (server);
  client = new_tcp_client (cryo_sim_server_get_port (server), 1);
  g_assert_cmpint (modbus_write_register (client, 1, CRYO_CPA_CONTROL_START), ==, 1);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (cryo_sim_cpa_server_get_state (server) != CRYO_CPA_STATE_RUNNING
         && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_RUNNING);

  /* Not frozen: the registers move; frozen: they stay. */
  read_input_registers (client, a);
  g_usleep (300000);
  read_input_registers (client, b);
  g_assert_true (memcmp (a, b, sizeof a) != 0);

  cryo_sim_server_set_frozen (server, TRUE);
  g_usleep (150000);
  read_input_registers (client, a);
  g_usleep (300000);
  read_input_registers (client, b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);

  close_client (client);
  g_assert_finalize_object (g_steal_pointer (&server));
}

/* --- Modbus RTU on a pty ------------------------------------------------- */

static void
test_rtu_read_write (void)
{
  g_autoptr(CryoSimServer) server = new_server (FALSE, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-cpa-XXXXXX", &error);
  g_autofree char *link = NULL;
  g_autofree char *target = NULL;
  guint16 registers[N_REGS];
  CryoCpaSnapshot s;
  modbus_t *client;

  g_assert_no_error (error);
  link = g_build_filename (dir, "ttyCPA", NULL);

  g_assert_true (cryo_sim_server_start_pty (server, link, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cryo_sim_server_get_path (server), ==, link);
  g_assert_true (g_str_has_prefix (cryo_sim_server_get_pty_path (server), "/dev/pts/"));
  target = g_file_read_link (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (target, ==, cryo_sim_server_get_pty_path (server));

  client = new_rtu_client (link, CRYO_CPA_DEFAULT_RTU_UNIT_ID);
  assert_read_matches (server, client);
  read_input_registers (client, registers);
  decode (registers, &s);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_IDLE);
  g_assert_cmpfloat_with_epsilon (s.high_pressure, 200.0, 0.5);
  g_assert_cmpuint (s.serial_number, ==, 1234);

  g_assert_cmpint (modbus_write_register (client, 1, CRYO_CPA_CONTROL_START), ==, 1);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STARTING);
  assert_read_matches (server, client);
  g_assert_cmpint (modbus_write_register (client, 1, 0x1234), ==, -1);
  g_assert_cmpint (errno, ==, EMBXILVAL);
  g_assert_cmpint (modbus_write_register (client, 1, CRYO_CPA_CONTROL_STOP), ==, 1);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STOPPING);
  assert_log (server, (const char *const[]) {
    "HR1 0x0001 ACK",
    "HR1 0x1234 ILLEGAL_VALUE",
    "HR1 0x00FF ACK",
    NULL });

  close_client (client);
  g_assert_finalize_object (g_steal_pointer (&server));
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_rtu_vectors (void)
{
  g_autoptr(CryoSimServer) server = new_server (FALSE, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) start = hex_bytes ("10 06 00 01 00 01 1A 8B");
  g_autoptr(GBytes) stop = hex_bytes ("10 06 00 01 00 FF 9B 0B");
  g_autoptr(GBytes) stop_vendor = hex_bytes ("10 06 00 01 FF FF DA FB");
  g_autoptr(GBytes) read = hex_bytes ("10 04 00 01 00 21 62 93");
  g_autoptr(GBytes) echo = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GBytes) expected = NULL;
  guint16 registers[N_REGS];
  int fd;

  /* The test's CRC agrees with the spec's frames. */
  g_assert_cmpuint (crc16_modbus (g_bytes_get_data (start, NULL), 6), ==, 0x8B1A);

  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  fd = open_port (cryo_sim_server_get_path (server));

  /* cryomech-cpa-modbus.md "Test vectors": writes are echoed. */
  write_all (fd, start);
  echo = read_bytes (fd, 8, 2000);
  g_assert_true (g_bytes_equal (echo, start));
  g_clear_pointer (&echo, g_bytes_unref);
  write_all (fd, stop);
  echo = read_bytes (fd, 8, 2000);
  g_assert_true (g_bytes_equal (echo, stop));
  g_clear_pointer (&echo, g_bytes_unref);
  write_all (fd, stop_vendor);
  echo = read_bytes (fd, 8, 2000);
  g_assert_true (g_bytes_equal (echo, stop_vendor));

  cryo_sim_cpa_server_get_registers (server, registers);
  expected = expected_read_reply (registers, TRUE);
  write_all (fd, read);
  reply = read_bytes (fd, 71, 2000);
  g_assert_true (g_bytes_equal (reply, expected));

  assert_log (server, (const char *const[]) {
    "HR1 0x0001 ACK", "HR1 0x00FF ACK", "HR1 0xFFFF ACK", NULL });

  close (fd);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_rtu_unit_id (void)
{
  g_autoptr(CryoSimServer) server = new_server (FALSE, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) other_start = hex_bytes ("11 06 00 01 00 01");
  g_autoptr(GBytes) broadcast_start = hex_bytes ("00 06 00 01 00 01");
  g_autoptr(GBytes) read = hex_bytes ("10 04 00 01 00 21 62 93");
  guint16 registers[N_REGS];
  modbus_t *client, *other;
  int fd;

  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);

  /* Another unit id: no reply at all, nothing applied. */
  other = new_rtu_client (cryo_sim_server_get_path (server), 17);
  modbus_set_response_timeout (other, 0, 300000);
  g_assert_cmpint (modbus_read_input_registers (other, 1, N_REGS, registers), ==, -1);
  g_assert_cmpint (errno, ==, ETIMEDOUT);
  g_assert_cmpint (modbus_write_register (other, 1, CRYO_CPA_CONTROL_START), ==, -1);
  g_assert_cmpint (errno, ==, ETIMEDOUT);
  close_client (other);
  g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_IDLE);
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 0);

  /* The next request for our unit is answered at once (libmodbus would
   * otherwise swallow it as the other unit's reply). */
  client = new_rtu_client (cryo_sim_server_get_path (server), 16);
  assert_read_matches (server, client);
  close_client (client);

  /* Raw: a request for unit 17 then one for unit 16 in a row. */
  fd = open_port (cryo_sim_server_get_path (server));
  {
    guint16 crc = crc16_modbus (g_bytes_get_data (other_start, NULL), 6);
    guint8 frame[8];
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GBytes) nothing = NULL;
    g_autoptr(GBytes) reply = NULL;

    memcpy (frame, g_bytes_get_data (other_start, NULL), 6);
    frame[6] = crc & 0xFF;
    frame[7] = crc >> 8;
    bytes = g_bytes_new (frame, sizeof frame);
    write_all (fd, bytes);
    nothing = read_bytes (fd, 1, 300);
    g_assert_cmpuint (g_bytes_get_size (nothing), ==, 0);
    write_all (fd, read);
    reply = read_bytes (fd, 71, 2000);
    g_assert_cmpuint (g_bytes_get_size (reply), ==, 71);
  }

  /* Broadcast (unit 0): applied, not answered. */
  {
    guint16 crc = crc16_modbus (g_bytes_get_data (broadcast_start, NULL), 6);
    guint8 frame[8];
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GBytes) nothing = NULL;

    memcpy (frame, g_bytes_get_data (broadcast_start, NULL), 6);
    frame[6] = crc & 0xFF;
    frame[7] = crc >> 8;
    bytes = g_bytes_new (frame, sizeof frame);
    write_all (fd, bytes);
    nothing = read_bytes (fd, 1, 300);
    g_assert_cmpuint (g_bytes_get_size (nothing), ==, 0);
    g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_STARTING);
  }
  close (fd);

  assert_log (server, (const char *const[]) { "HR1 0x0001 ACK", NULL });
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_rtu_other_unit_option (void)
{
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  guint16 registers[N_REGS];
  modbus_t *client;

  options.unit_id = 1;
  options.server.frozen = TRUE;
  server = cryo_sim_cpa_server_new (&options);
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);

  client = new_rtu_client (cryo_sim_server_get_path (server), 16);
  modbus_set_response_timeout (client, 0, 300000);
  g_assert_cmpint (modbus_read_input_registers (client, 1, N_REGS, registers), ==, -1);
  g_assert_cmpint (errno, ==, ETIMEDOUT);
  modbus_set_slave (client, 1);
  assert_read_matches (server, client);
  close_client (client);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_rtu_faults (void)
{
  g_autoptr(CryoSimServer) server = new_server (TRUE, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) read = hex_bytes ("10 04 00 01 00 21 62 93");
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) nothing = NULL;
  g_autoptr(GBytes) early = NULL;
  g_autoptr(GBytes) late = NULL;
  guint16 registers[N_REGS];
  modbus_t *client;
  gint64 sent;
  int fd;

  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  fd = open_port (cryo_sim_server_get_path (server));
  cryo_sim_cpa_server_get_registers (server, registers);
  expected = expected_read_reply (registers, TRUE);

  /* Dropped. */
  cryo_sim_server_set_faults (server, 0.0, 1.0, 0);
  write_all (fd, read);
  nothing = read_bytes (fd, 1, 300);
  g_assert_cmpuint (g_bytes_get_size (nothing), ==, 0);
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 0);

  /* Corrupted: exactly one byte differs, which the CRC catches. */
  cryo_sim_server_set_faults (server, 1.0, 0.0, 0);
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) corrupted = NULL;
      const guint8 *data;

      write_all (fd, read);
      corrupted = read_bytes (fd, 71, 2000);
      g_assert_cmpuint (count_differences (corrupted, expected), ==, 1);
      data = g_bytes_get_data (corrupted, NULL);
      g_assert_cmpuint (crc16_modbus (data, 69), !=, (guint16) (data[69] | data[70] << 8));
    }
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 5);
  close (fd);

  client = new_rtu_client (cryo_sim_server_get_path (server), 16);
  modbus_set_response_timeout (client, 0, 300000);
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpint (modbus_read_input_registers (client, 1, N_REGS, registers), ==, -1);
      g_assert_true (errno == EMBBADCRC || errno == EMBBADDATA || errno == EMBBADSLAVE
                     || errno == ETIMEDOUT || errno > MODBUS_ENOBASE);
      g_usleep (50000);
      modbus_flush (client);
    }

  /* Delayed by 400 ms. */
  cryo_sim_server_set_faults (server, 0.0, 0.0, 400);
  fd = open_port (cryo_sim_server_get_path (server));
  sent = g_get_monotonic_time ();
  write_all (fd, read);
  early = read_bytes (fd, 1, 150);
  g_assert_cmpuint (g_bytes_get_size (early), ==, 0);
  late = read_bytes (fd, 71, 2000);
  g_assert_true (g_bytes_equal (late, expected));
  g_assert_cmpint (g_get_monotonic_time () - sent, >=, 390 * 1000);
  close (fd);

  modbus_set_response_timeout (client, 1, 0);
  assert_read_matches (server, client);
  close_client (client);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_rtu_stop_restart (void)
{
  g_autoptr(CryoSimServer) server = new_server (FALSE, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-cpa-XXXXXX", &error);
  g_autofree char *link = NULL;
  guint16 registers[N_REGS];
  struct pollfd pfd;
  modbus_t *client;

  g_assert_no_error (error);
  link = g_build_filename (dir, "ttyCPA", NULL);
  g_assert_true (cryo_sim_server_start_pty (server, link, &error));
  g_assert_no_error (error);

  client = new_rtu_client (link, 16);
  assert_read_matches (server, client);

  cryo_sim_server_stop (server);
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_null (cryo_sim_server_get_path (server));
  pfd.fd = modbus_get_socket (client);
  pfd.events = POLLIN;
  pfd.revents = 0;
  g_assert_cmpint (poll (&pfd, 1, 1000), ==, 1);
  g_assert_true (pfd.revents & (POLLHUP | POLLERR));
  modbus_set_response_timeout (client, 0, 300000);
  g_assert_cmpint (modbus_read_input_registers (client, 1, N_REGS, registers), ==, -1);
  close_client (client);

  /* The adapter comes back at the same path. */
  g_assert_true (cryo_sim_server_start_pty (server, link, &error));
  g_assert_no_error (error);
  client = new_rtu_client (link, 16);
  assert_read_matches (server, client);
  close_client (client);

  /* TCP and RTU from one server: one model behind both. */
  start_tcp (server);
  client = new_tcp_client (cryo_sim_server_get_port (server), 1);
  g_assert_cmpint (modbus_write_register (client, 1, CRYO_CPA_CONTROL_START), ==, 1);
  close_client (client);
  client = new_rtu_client (link, 16);
  read_input_registers (client, registers);
  g_assert_cmpuint (registers[0], ==, CRYO_CPA_STATE_STARTING);
  close_client (client);

  g_assert_finalize_object (g_steal_pointer (&server));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --- the cryomon-sim executable and mbpoll ------------------------------ */

static GSubprocess *
spawn_sim (GDataInputStream **out,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) sim_binary ());
  g_ptr_array_add (argv, (gpointer) "cpa");
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  *out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  return process;
}

static char *
read_line (GDataInputStream *out)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);

  return line;
}

static void
terminate (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* Runs mbpoll with @argv (after the program name); returns its stdout. */
static char *
run_mbpoll (const char *const *argv)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mbpoll = g_find_program_in_path ("mbpoll");
  char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  /* An independent peer is the point of this test: without it the test
   * fails (build-aux/setup.sh installs the mbpoll package). */
  if (mbpoll == NULL)
    g_test_message ("mbpoll is not installed (Debian package mbpoll)");
  g_assert_nonnull (mbpoll);

  g_ptr_array_add (full, mbpoll);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);

  process = g_subprocess_newv ((const char *const *) full->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL,
                                                &stdout_text, &stderr_text, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_test_message ("mbpoll failed: %s%s", stdout_text, stderr_text);
  g_assert_true (g_subprocess_get_successful (process));

  return stdout_text;
}

/* mbpoll -t 3:hex prints "[N]: \t0xHHHH" per register. */
static void
parse_mbpoll_registers (const char *text,
                        guint16    *registers)
{
  g_autoptr(GRegex) regex = g_regex_new ("^\\[(\\d+)\\]:\\s+0x([0-9A-Fa-f]{4})\\s*$",
                                         G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n = 0;

  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *index = g_match_info_fetch (match, 1);
      g_autofree char *value = g_match_info_fetch (match, 2);

      g_assert_cmpuint (n, <, N_REGS);
      /* With -0 the references are PDU addresses: 1..33. */
      g_assert_cmpuint (g_ascii_strtoull (index, NULL, 10), ==, n + 1);
      registers[n++] = (guint16) g_ascii_strtoull (value, NULL, 16);
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (n, ==, N_REGS);
}

static void
test_binary_mbpoll_tcp (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-cpa-XXXXXX", &error);
  g_autofree char *log_path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *out_read = NULL;
  g_autofree char *out_stop = NULL;
  g_autofree char *out_again = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) process = NULL;
  guint16 by_mbpoll[N_REGS], by_libmodbus[N_REGS];
  CryoCpaSnapshot s;
  guint64 port;
  modbus_t *client;

  g_assert_no_error (error);
  log_path = g_build_filename (dir, "commands.log", NULL);

  process = spawn_sim (&out, "--tcp", "127.0.0.1:0", "--freeze", "--state", "running",
                       "--pressure-scale", "bar", "--temperature-scale", "K",
                       "--warning", "3", "--command-log", log_path, NULL);
  line = read_line (out);
  g_assert_true (g_str_has_prefix (line, "tcp:127.0.0.1:"));
  port_text = g_strdup (line + strlen ("tcp:127.0.0.1:"));
  g_assert_true (g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL));

  out_read = run_mbpoll ((const char *const[]) {
    "-m", "tcp", "-p", port_text, "-a", "1", "-t", "3:hex", "-0", "-r", "1",
    "-c", "33", "-1", "127.0.0.1", NULL });
  parse_mbpoll_registers (out_read, by_mbpoll);

  client = new_tcp_client ((guint) port, 1);
  read_input_registers (client, by_libmodbus);
  g_assert_cmpmem (by_mbpoll, sizeof by_mbpoll, by_libmodbus, sizeof by_libmodbus);
  decode (by_libmodbus, &s);
  g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_RUNNING);
  g_assert_cmpuint (s.pressure_scale, ==, CRYO_CPA_PRESSURE_SCALE_BAR);
  g_assert_cmpuint (s.temperature_scale, ==, CRYO_CPA_TEMPERATURE_SCALE_KELVIN);
  g_assert_cmpuint (s.warnings, ==, 1u << 3);
  g_assert_cmpfloat_with_epsilon (s.high_pressure, 290.0 * 0.0689475729, 0.1);
  g_assert_cmpfloat_with_epsilon (s.coolant_in, 294.26, 0.1);

  /* mbpoll writes the stop (holding register 1 at PDU address 1). */
  out_stop = run_mbpoll ((const char *const[]) {
    "-m", "tcp", "-p", port_text, "-a", "1", "-t", "4", "-0", "-r", "1",
    "-1", "127.0.0.1", "255", NULL });
  read_input_registers (client, by_libmodbus);
  g_assert_cmpuint (by_libmodbus[0], ==, CRYO_CPA_STATE_STOPPING);
  out_again = run_mbpoll ((const char *const[]) {
    "-m", "tcp", "-p", port_text, "-a", "16", "-t", "3:hex", "-0", "-r", "1",
    "-c", "33", "-1", "127.0.0.1", NULL });
  parse_mbpoll_registers (out_again, by_mbpoll);
  g_assert_cmpmem (by_mbpoll, sizeof by_mbpoll, by_libmodbus, sizeof by_libmodbus);
  close_client (client);

  g_assert_true (g_file_get_contents (log_path, &log, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log, ==, "HR1 0x00FF ACK\n");

  terminate (process);
  g_assert_cmpint (g_unlink (log_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_binary_rtu (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-cpa-XXXXXX", &error);
  g_autofree char *link = NULL;
  g_autofree char *line = NULL;
  g_autofree char *out_read = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) process = NULL;
  guint16 by_mbpoll[N_REGS], by_libmodbus[N_REGS];
  modbus_t *client;

  g_assert_no_error (error);
  link = g_build_filename (dir, "ttyCPA", NULL);

  process = spawn_sim (&out, "--link", link, "--unit", "5", "--freeze",
                       "--alarm", "15", "--alarm", "20", NULL);
  line = read_line (out);
  g_assert_cmpstr (line, ==, link);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));

  out_read = run_mbpoll ((const char *const[]) {
    "-m", "rtu", "-a", "5", "-b", "9600", "-P", "none", "-t", "3:hex", "-0", "-r", "1",
    "-c", "33", "-1", link, NULL });
  parse_mbpoll_registers (out_read, by_mbpoll);

  client = new_rtu_client (link, 5);
  read_input_registers (client, by_libmodbus);
  g_assert_cmpmem (by_mbpoll, sizeof by_mbpoll, by_libmodbus, sizeof by_libmodbus);
  {
    CryoCpaSnapshot s;

    decode (by_libmodbus, &s);
    g_assert_cmpuint (s.state, ==, CRYO_CPA_STATE_IDLE);
    g_assert_cmpuint (s.alarms, ==, 1u << 15 | 1u << 20);
  }
  /* Refused while the alarm is set. */
  g_assert_cmpint (modbus_write_register (client, 1, CRYO_CPA_CONTROL_START), ==, 1);
  read_input_registers (client, by_libmodbus);
  g_assert_cmpuint (by_libmodbus[0], ==, CRYO_CPA_STATE_IDLE);
  close_client (client);

  terminate (process);
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_binary_usage (void)
{
  run_usage_error ("--tcp", "cpa", "--tcp", "127.0.0.1", NULL);
  run_usage_error ("--tcp", "cpa", "--tcp", "127.0.0.1:65536", NULL);
  run_usage_error ("--unit", "cpa", "--unit", "0", NULL);
  run_usage_error ("--unit", "cpa", "--unit", "248", NULL);
  run_usage_error ("--state", "cpa", "--state", "stopped", NULL);
  run_usage_error ("--pressure-scale", "cpa", "--pressure-scale", "mbar", NULL);
  run_usage_error ("--temperature-scale", "cpa", "--temperature-scale", "R", NULL);
  run_usage_error ("--alarm", "cpa", "--alarm", "31", NULL);
  run_usage_error ("--warning", "cpa", "--warning", "x", NULL);
  run_usage_error ("--corrupt", "cpa", "--corrupt", "2", NULL);
  run_usage_error ("--address", "cpa", "--address", "3", NULL);
  run_usage_error ("--tcp", "pump-station", "--tcp", "127.0.0.1:0", NULL);
  run_usage_error ("--freeze", "pump-station", "--freeze", NULL);
}

static void
test_binary_tcp_in_use (void)
{
  g_autoptr(CryoSimServer) server = new_server (FALSE, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *address = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  start_tcp (server);
  address = g_strdup_printf ("127.0.0.1:%u", cryo_sim_server_get_port (server));
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, sim_binary (), "cpa", "--tcp", address, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL,
                                                &stdout_text, &stderr_text, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpstr (stdout_text, ==, "");
  g_assert_nonnull (strstr (stderr_text, address));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-cpa/model/start-stop", test_model_start_stop);
  g_test_add_func ("/sim-cpa/model/warm-up", test_model_warm_up);
  g_test_add_func ("/sim-cpa/model/scales", test_model_scales);
  g_test_add_func ("/sim-cpa/model/alarms", test_model_alarms);
  g_test_add_func ("/sim-cpa/model/seeded", test_model_seeded);
  g_test_add_func ("/sim-cpa/tcp/read", test_tcp_read);
  g_test_add_func ("/sim-cpa/tcp/commands", test_tcp_commands);
  g_test_add_func ("/sim-cpa/tcp/alarm", test_tcp_alarm);
  g_test_add_func ("/sim-cpa/tcp/faults", test_tcp_faults);
  g_test_add_func ("/sim-cpa/tcp/stop-restart", test_tcp_stop_restart);
  g_test_add_func ("/sim-cpa/tcp/speed", test_tcp_speed);
  g_test_add_func ("/sim-cpa/rtu/read-write", test_rtu_read_write);
  g_test_add_func ("/sim-cpa/rtu/vectors", test_rtu_vectors);
  g_test_add_func ("/sim-cpa/rtu/unit-id", test_rtu_unit_id);
  g_test_add_func ("/sim-cpa/rtu/other-unit-option", test_rtu_other_unit_option);
  g_test_add_func ("/sim-cpa/rtu/faults", test_rtu_faults);
  g_test_add_func ("/sim-cpa/rtu/stop-restart", test_rtu_stop_restart);
  g_test_add_func ("/sim-cpa/binary/mbpoll-tcp", test_binary_mbpoll_tcp);
  g_test_add_func ("/sim-cpa/binary/rtu", test_binary_rtu);
  g_test_add_func ("/sim-cpa/binary/usage", test_binary_usage);
  g_test_add_func ("/sim-cpa/binary/tcp-in-use", test_binary_tcp_in_use);

  return g_test_run ();
}
