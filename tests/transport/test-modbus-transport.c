/* test-modbus-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Modbus transport against libmodbus servers run here in a thread: Modbus TCP on
 * a loopback port, Modbus RTU on the master side of a pseudo-terminal pair whose
 * slave the transport opens. Registers, exceptions, timeouts, late replies, lost
 * connections, open errors, and a CryoLink reconnecting by itself.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <gio/gio.h>
#include <modbus.h>

#include "cryo-link.h"
#include "cryo-modbus-transport.h"
#include "cryo-protocol-error.h"
#include "cryo-serial-transport.h"

#define TEST_TIMEOUT_MS  200
#define SERVER_UNIT      16
#define WAIT_TIMEOUT_S   10
#define N_CPA_REGISTERS  33

/* A late first reply: past the client's timeout, well before the client's quiet time
 * (one more timeout) ends. */
#define LATE_REPLY_MS    300

/* Input registers 1..33 of a running CPA1110 (psi, °F), from
 * tests/vectors/cryomech-cpa-modbus.json ("input_registers"). */
static const guint16 cpa_registers[N_CPA_REGISTERS] = {
  3, 1, 0, 0, 0, 0, 17302, 17038, 42729, 17090, 6160, 17094, 56426, 17174, 44237, 17038,
  0, 17036, 7242, 17296, 49152, 17295, 32768, 17241, 49807, 16853, 16128, 18113, 0, 0,
  1234, 1043, 515,
};

static const CryoSerialConfig rtu_config = { 19200, 8, CRYO_PARITY_EVEN, 1 };

/* ------------------------------------------------------------------------------ */
/* The server                                                                      */

typedef struct
{
  gboolean          tcp;
  modbus_t         *ctx;
  modbus_mapping_t *mapping;
  GThread          *thread;
  gint              stop;            /* atomic */
  gint              n_requests;      /* atomic: answered */
  gint              n_ignored;       /* atomic: RTU, for another unit */
  guint             late_first_ms;   /* delay the first reply this long */

  /* TCP */
  guint16           port;
  int               listen_fd;
  int               client_fd;       /* server thread */

  /* RTU */
  int               master_fd;
  int               hold_fd;         /* keeps the slave open so the master never hangs up */
  char             *slave_path;
} TestServer;

/* Server thread. Holding register 2 counts the replies, so that a test can tell which
 * reply it got. */
static void
server_reply (TestServer    *server,
              const uint8_t *query,
              int            length)
{
  int n = g_atomic_int_add (&server->n_requests, 1) + 1;

  server->mapping->tab_registers[1] = (uint16_t) n;

  if (n == 1 && server->late_first_ms > 0)
    g_usleep (server->late_first_ms * 1000);

  modbus_reply (server->ctx, query, length, server->mapping);
}

static gpointer
tcp_server_thread (gpointer data)
{
  TestServer *server = data;
  uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];

  while (!g_atomic_int_get (&server->stop))
    {
      struct pollfd pfd[2] = {
        { .fd = server->listen_fd, .events = POLLIN },
        { .fd = server->client_fd, .events = POLLIN },
      };
      int rc;

      if (poll (pfd, 2, 20) <= 0)
        continue;

      if ((pfd[0].revents & POLLIN) != 0)
        {
          int fd = accept4 (server->listen_fd, NULL, NULL, SOCK_CLOEXEC);

          if (fd >= 0)
            {
              /* One client at a time: a new one replaces the old. */
              if (server->client_fd >= 0)
                close (server->client_fd);
              server->client_fd = fd;
            }
          continue;
        }

      if (server->client_fd < 0 || pfd[1].revents == 0)
        continue;

      modbus_set_socket (server->ctx, server->client_fd);
      rc = modbus_receive (server->ctx, query);
      if (rc > 0)
        {
          server_reply (server, query, rc);
        }
      else if (rc < 0)
        {
          close (server->client_fd);
          server->client_fd = -1;
        }
    }

  if (server->client_fd >= 0)
    close (server->client_fd);
  server->client_fd = -1;

  return NULL;
}

static gpointer
rtu_server_thread (gpointer data)
{
  TestServer *server = data;
  uint8_t query[MODBUS_RTU_MAX_ADU_LENGTH];

  while (!g_atomic_int_get (&server->stop))
    {
      int rc = modbus_receive (server->ctx, query);

      if (rc > 0)
        server_reply (server, query, rc);
      else if (rc == 0)
        g_atomic_int_inc (&server->n_ignored);
      else if (errno != ETIMEDOUT)
        g_usleep (5000);   /* a bad frame or a hang-up: keep serving */
    }

  return NULL;
}

static void
server_init_mapping (TestServer *server)
{
  /* Input registers 1..33 as in the vectors, holding registers 1..2. */
  server->mapping = modbus_mapping_new_start_address (0, 0, 0, 0, 1, 2, 1, N_CPA_REGISTERS);
  g_assert_nonnull (server->mapping);
  memcpy (server->mapping->tab_input_registers, cpa_registers, sizeof cpa_registers);
}

/* Listens on 127.0.0.1:@port (0: any free port) and starts the thread. */
static void
tcp_server_start (TestServer *server,
                  guint16     port)
{
  struct sockaddr_in addr = { 0 };
  socklen_t addr_len = sizeof addr;
  int one = 1;

  server->tcp = TRUE;
  server->client_fd = -1;
  server->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (server->listen_fd, >=, 0);
  g_assert_no_errno (setsockopt (server->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one,
                                 sizeof one));
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_no_errno (bind (server->listen_fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (listen (server->listen_fd, 4));
  g_assert_no_errno (getsockname (server->listen_fd, (struct sockaddr *) &addr, &addr_len));
  server->port = ntohs (addr.sin_port);

  if (server->mapping == NULL)
    server_init_mapping (server);
  if (server->ctx == NULL)
    {
      server->ctx = modbus_new_tcp ("127.0.0.1", server->port);
      g_assert_nonnull (server->ctx);
    }

  g_atomic_int_set (&server->stop, FALSE);
  server->thread = g_thread_new ("modbus-tcp-server", tcp_server_thread, server);
}

/* Stops the thread and closes every socket: the server is gone, its port free. */
static void
tcp_server_stop (TestServer *server)
{
  g_atomic_int_set (&server->stop, TRUE);
  g_clear_pointer (&server->thread, g_thread_join);

  if (server->listen_fd >= 0)
    close (server->listen_fd);
  server->listen_fd = -1;
}

static void
rtu_server_start (TestServer *server)
{
  struct termios tio;
  const char *name;

  server->tcp = FALSE;
  server->master_fd = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (server->master_fd, >=, 0);
  g_assert_no_errno (grantpt (server->master_fd));
  g_assert_no_errno (unlockpt (server->master_fd));
  name = ptsname (server->master_fd);
  g_assert_nonnull (name);
  server->slave_path = g_strdup (name);

  server->hold_fd = open (server->slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (server->hold_fd, >=, 0);
  g_assert_no_errno (tcgetattr (server->hold_fd, &tio));
  cfmakeraw (&tio);
  g_assert_no_errno (tcsetattr (server->hold_fd, TCSANOW, &tio));

  server_init_mapping (server);

  /* An RTU context that is never connected: it serves the master side it is given. */
  server->ctx = modbus_new_rtu (server->slave_path, 19200, 'E', 8, 1);
  g_assert_nonnull (server->ctx);
  g_assert_no_errno (modbus_set_slave (server->ctx, SERVER_UNIT));
  g_assert_no_errno (modbus_set_socket (server->ctx, server->master_fd));
  /* Wake up often to notice the stop flag; after a request for another unit,
   * libmodbus waits this long for that unit's reply before serving again. */
  g_assert_no_errno (modbus_set_indication_timeout (server->ctx, 0, 20000));
  g_assert_no_errno (modbus_set_response_timeout (server->ctx, 0, 50000));

  server->thread = g_thread_new ("modbus-rtu-server", rtu_server_thread, server);
}

static void
server_free (TestServer *server)
{
  g_atomic_int_set (&server->stop, TRUE);
  g_clear_pointer (&server->thread, g_thread_join);

  if (server->tcp)
    {
      tcp_server_stop (server);
    }
  else
    {
      close (server->hold_fd);
      close (server->master_fd);
    }

  /* Never connected by libmodbus (the sockets are ours): free without closing. */
  g_clear_pointer (&server->ctx, modbus_free);
  g_clear_pointer (&server->mapping, modbus_mapping_free);
  g_free (server->slave_path);
  g_free (server);
}

static TestServer *
server_new (void)
{
  TestServer *server = g_new0 (TestServer, 1);

  server->listen_fd = -1;
  server->client_fd = -1;
  server->master_fd = -1;
  server->hold_fd = -1;

  return server;
}

/* ------------------------------------------------------------------------------ */
/* Helpers                                                                         */

static CryoModbusTransport *
open_tcp_client (TestServer *server,
                 guint       unit_id)
{
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = cryo_modbus_transport_new_tcp ("127.0.0.1", server->port, unit_id);

  cryo_modbus_transport_set_response_timeout (CRYO_MODBUS_TRANSPORT (transport),
                                              TEST_TIMEOUT_MS);
  g_assert_true (cryo_transport_open (transport, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_transport_is_open (transport));

  return CRYO_MODBUS_TRANSPORT (transport);
}

static CryoModbusTransport *
open_rtu_client (TestServer *server,
                 guint       unit_id)
{
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = cryo_modbus_transport_new_rtu (server->slave_path, &rtu_config,
                                                            unit_id);

  cryo_modbus_transport_set_response_timeout (CRYO_MODBUS_TRANSPORT (transport),
                                              TEST_TIMEOUT_MS);
  g_assert_true (cryo_transport_open (transport, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_transport_is_open (transport));

  return CRYO_MODBUS_TRANSPORT (transport);
}

/* Open descriptors of this process, to catch a transport that leaks its socket or
 * its lock. */
static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
assert_cpa_registers (const guint16 *registers)
{
  g_assert_cmpmem (registers, N_CPA_REGISTERS * sizeof (guint16),
                   cpa_registers, sizeof cpa_registers);
}

/* The exchange both transports must get right. */
static void
check_registers (CryoModbusTransport *client)
{
  g_autoptr(GError) error = NULL;
  guint16 registers[N_CPA_REGISTERS + 1];
  guint16 holding[2] = { 0, 0 };
  guint8 byte = 0;

  /* 30,001..30,033 in one request, byte-exact (protocol: Input registers). */
  memset (registers, 0xAA, sizeof registers);
  g_assert_true (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                             registers, &error));
  g_assert_no_error (error);
  assert_cpa_registers (registers);
  g_assert_cmpuint (registers[N_CPA_REGISTERS], ==, 0xAAAA);   /* nothing past count */

  /* A part of the map. */
  g_assert_true (cryo_modbus_transport_read_input_registers (client, 31, 3, registers,
                                                             &error));
  g_assert_no_error (error);
  g_assert_cmpuint (registers[0], ==, 1234);
  g_assert_cmpuint (registers[1], ==, 0x0413);
  g_assert_cmpuint (registers[2], ==, 0x0203);

  /* Stop (0x00FF) to holding register 1, read back (protocol: Control). */
  g_assert_true (cryo_modbus_transport_write_register (client, 1, 0x00FF, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_modbus_transport_read_holding_registers (client, 1, 1, holding, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (holding[0], ==, 0x00FF);
  g_assert_true (cryo_modbus_transport_write_register (client, 1, 0x0001, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_modbus_transport_read_holding_registers (client, 1, 1, holding, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (holding[0], ==, 0x0001);

  /* Outside the map: a Modbus exception that names itself and the registers; the
   * output stays untouched. */
  memset (registers, 0x55, sizeof registers);
  g_assert_false (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS + 1,
                                                              registers, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_EXCEPTION);
  g_assert_nonnull (strstr (error->message, "“illegal data address” (Modbus exception 2)"));
  g_assert_nonnull (strstr (error->message, "input registers 1–34"));
  g_assert_cmpuint (registers[0], ==, 0x5555);
  g_clear_error (&error);

  g_assert_false (cryo_modbus_transport_read_holding_registers (client, 3, 1, holding,
                                                                &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_EXCEPTION);
  g_assert_nonnull (strstr (error->message, "illegal data address"));
  g_assert_nonnull (strstr (error->message, "holding register 3"));
  g_clear_error (&error);

  g_assert_false (cryo_modbus_transport_write_register (client, 0, 1, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_EXCEPTION);
  g_assert_nonnull (strstr (error->message, "holding register 0"));
  g_clear_error (&error);

  /* An exception is an answer: the connection stays and the next request works at
   * once. */
  g_assert_true (cryo_transport_is_open (CRYO_TRANSPORT (client)));
  g_assert_true (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                             registers, &error));
  g_assert_no_error (error);
  assert_cpa_registers (registers);

  /* Ranges Modbus cannot express never reach the wire. */
  g_assert_false (cryo_modbus_transport_read_input_registers (client, 1, 0, registers,
                                                              &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cryo_modbus_transport_read_input_registers (client, 1, 126, registers,
                                                              &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cryo_modbus_transport_read_holding_registers (client, 65535, 2, holding,
                                                                &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cryo_modbus_transport_write_register (client, 65536, 1, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Not a byte stream. */
  g_assert_false (cryo_transport_write_all (CRYO_TRANSPORT (client), &byte, 1, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (cryo_transport_read (CRYO_TRANSPORT (client), &byte, 1, 10, &error), ==, -1);
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  cryo_transport_discard_input (CRYO_TRANSPORT (client));
  g_assert_true (cryo_modbus_transport_read_input_registers (client, 1, 2, registers, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (registers[0], ==, 3);

  /* Closed: no request, and an error that makes a link reconnect. */
  cryo_transport_close (CRYO_TRANSPORT (client));
  g_assert_false (cryo_transport_is_open (CRYO_TRANSPORT (client)));
  cryo_transport_close (CRYO_TRANSPORT (client));
  g_assert_false (cryo_modbus_transport_read_input_registers (client, 1, 1, registers, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_clear_error (&error);
}

/* The first reply comes after the client gave up on it: the next request must get
 * its own reply, never the late one (which carries reply count 1). */
static void
check_late_reply (CryoModbusTransport *client,
                  TestServer          *server)
{
  g_autoptr(GError) error = NULL;
  guint16 holding[2] = { 0, 0 };
  gint64 start;

  start = g_get_monotonic_time ();
  g_assert_false (cryo_modbus_transport_read_holding_registers (client, 1, 2, holding, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT);
  g_assert_false (cryo_transport_error_is_fatal (error));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (TEST_TIMEOUT_MS - 10) * 1000);
  g_clear_error (&error);

  g_assert_true (cryo_transport_is_open (CRYO_TRANSPORT (client)));
  g_assert_true (cryo_modbus_transport_read_holding_registers (client, 1, 2, holding, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&server->n_requests), ==, 2);
  g_assert_cmpuint (holding[1], ==, 2);

  g_assert_true (cryo_modbus_transport_read_holding_registers (client, 1, 2, holding, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (holding[1], ==, 3);
}

/* ------------------------------------------------------------------------------ */
/* Tests                                                                           */

static void
test_tcp_registers (void)
{
  TestServer *server = server_new ();
  CryoModbusTransport *client;
  g_autofree char *description = NULL;

  tcp_server_start (server, 0);
  client = open_tcp_client (server, 1);

  description = g_strdup_printf ("tcp:127.0.0.1:%u, unit 1", server->port);
  g_assert_cmpstr (cryo_transport_get_description (CRYO_TRANSPORT (client)), ==, description);
  g_assert_true (cryo_modbus_transport_is_tcp (client));
  g_assert_cmpuint (cryo_modbus_transport_get_unit_id (client), ==, 1);
  g_assert_cmpuint (cryo_modbus_transport_get_response_timeout (client), ==, TEST_TIMEOUT_MS);

  check_registers (client);

  g_assert_finalize_object (client);
  server_free (server);
}

static void
test_tcp_default_timeout (void)
{
  CryoTransport *transport = cryo_modbus_transport_new_tcp ("::1", 502, 1);

  g_assert_cmpuint (cryo_modbus_transport_get_response_timeout (CRYO_MODBUS_TRANSPORT (transport)),
                    ==, 1000);
  g_assert_cmpstr (cryo_transport_get_description (transport), ==, "tcp:[::1]:502, unit 1");
  g_assert_false (cryo_transport_is_open (transport));
  g_assert_finalize_object (transport);
}

static void
test_tcp_late_reply (void)
{
  TestServer *server = server_new ();
  CryoModbusTransport *client;

  server->late_first_ms = LATE_REPLY_MS;
  tcp_server_start (server, 0);
  client = open_tcp_client (server, 1);

  check_late_reply (client, server);

  g_assert_finalize_object (client);
  server_free (server);
}

static void
test_tcp_server_closed (void)
{
  g_autoptr(GError) error = NULL;
  TestServer *server = server_new ();
  CryoModbusTransport *client;
  guint16 registers[N_CPA_REGISTERS];
  guint n_fds = count_fds ();

  tcp_server_start (server, 0);
  client = open_tcp_client (server, 1);
  g_assert_true (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                             registers, &error));
  g_assert_no_error (error);

  tcp_server_stop (server);

  g_assert_false (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                              registers, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_assert_true (cryo_transport_error_is_fatal (error));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_clear_error (&error);

  /* Still nothing there on the next try, whatever the socket says by now. */
  g_assert_false (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                              registers, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_clear_error (&error);

  g_assert_finalize_object (client);
  server_free (server);
  g_assert_cmpuint (count_fds (), ==, n_fds);
}

static void
test_tcp_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  struct sockaddr_in addr = { 0 };
  socklen_t addr_len = sizeof addr;
  CryoTransport *transport;
  int fd;

  /* A port bound but not listening: nobody else takes it, connects are refused. */
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (getsockname (fd, (struct sockaddr *) &addr, &addr_len));

  transport = cryo_modbus_transport_new_tcp ("127.0.0.1", ntohs (addr.sin_port), 1);
  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED);
  g_assert_true (cryo_transport_error_is_fatal (error));
  endpoint = g_strdup_printf ("Could not connect to 127.0.0.1:%u: ", ntohs (addr.sin_port));
  g_assert_true (g_str_has_prefix (error->message, endpoint));
  g_assert_true (g_str_has_suffix (error->message, "Is the compressor on the network?"));
  g_assert_false (cryo_transport_is_open (transport));

  close (fd);
  g_assert_finalize_object (transport);
}

static void
test_tcp_unknown_host (void)
{
  g_autoptr(GError) error = NULL;
  /* .invalid never resolves (RFC 6761). */
  CryoTransport *transport = cryo_modbus_transport_new_tcp ("cpa.cryomon-test.invalid", 502, 1);

  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "cpa.cryomon-test.invalid"));
  g_assert_false (cryo_transport_is_open (transport));
  g_assert_finalize_object (transport);
}

static void
test_invalid_settings (void)
{
  static const CryoSerialConfig odd_baud = { 134, 8, CRYO_PARITY_NONE, 1 };
  static const CryoSerialConfig bad_bits = { 9600, 9, CRYO_PARITY_NONE, 1 };
  g_autoptr(GError) error = NULL;
  CryoTransport *transport;

  transport = cryo_modbus_transport_new_tcp ("127.0.0.1", 0, 1);
  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_finalize_object (transport);

  transport = cryo_modbus_transport_new_tcp ("127.0.0.1", 502, 256);
  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_finalize_object (transport);

  /* Checked before the port is looked at. */
  transport = cryo_modbus_transport_new_rtu ("/nonexistent/ttyUSB-cryomon", &odd_baud, 16);
  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_finalize_object (transport);

  transport = cryo_modbus_transport_new_rtu ("/nonexistent/ttyUSB-cryomon", &bad_bits, 16);
  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_finalize_object (transport);

  transport = cryo_modbus_transport_new_rtu ("/nonexistent/ttyUSB-cryomon", NULL, 0);
  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_finalize_object (transport);
}

static void
test_rtu_registers (void)
{
  TestServer *server = server_new ();
  CryoModbusTransport *client;
  g_autofree char *description = NULL;

  rtu_server_start (server);
  client = open_rtu_client (server, SERVER_UNIT);

  description = g_strdup_printf ("%s, 19200 8E1, unit 16", server->slave_path);
  g_assert_cmpstr (cryo_transport_get_description (CRYO_TRANSPORT (client)), ==, description);
  g_assert_false (cryo_modbus_transport_is_tcp (client));

  check_registers (client);

  g_assert_finalize_object (client);
  server_free (server);
}

static void
test_rtu_default_config (void)
{
  CryoTransport *transport = cryo_modbus_transport_new_rtu ("/dev/ttyUSB0", NULL, 16);

  g_assert_cmpstr (cryo_transport_get_description (transport), ==,
                   "/dev/ttyUSB0, 9600 8N1, unit 16");
  g_assert_finalize_object (transport);
}

static void
test_rtu_busy (void)
{
  g_autoptr(GError) error = NULL;
  TestServer *server = server_new ();
  CryoModbusTransport *client;
  CryoTransport *second;
  CryoTransport *serial;
  guint16 registers[N_CPA_REGISTERS];
  guint n_fds = count_fds ();

  rtu_server_start (server);
  client = open_rtu_client (server, SERVER_UNIT);

  second = cryo_modbus_transport_new_rtu (server->slave_path, &rtu_config, SERVER_UNIT);
  g_assert_false (cryo_transport_open (second, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_BUSY);
  g_assert_false (cryo_transport_is_open (second));
  g_clear_error (&error);

  /* The same lock as the serial transport's, both ways. */
  serial = cryo_serial_transport_new (server->slave_path, &rtu_config);
  g_assert_false (cryo_transport_open (serial, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_BUSY);
  g_clear_error (&error);

  /* The failed openers left the line alone. */
  g_assert_true (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                             registers, &error));
  g_assert_no_error (error);
  assert_cpa_registers (registers);

  cryo_transport_close (CRYO_TRANSPORT (client));
  g_assert_true (cryo_transport_open (serial, &error));
  g_assert_no_error (error);
  g_assert_false (cryo_transport_open (CRYO_TRANSPORT (client), &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_BUSY);
  g_clear_error (&error);
  cryo_transport_close (serial);

  g_assert_true (cryo_transport_open (CRYO_TRANSPORT (client), &error));
  g_assert_no_error (error);
  g_assert_true (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                             registers, &error));
  g_assert_no_error (error);
  assert_cpa_registers (registers);

  g_assert_finalize_object (serial);
  g_assert_finalize_object (second);
  g_assert_finalize_object (client);
  server_free (server);
  g_assert_cmpuint (count_fds (), ==, n_fds);
}

static void
test_rtu_timeout (void)
{
  g_autoptr(GError) error = NULL;
  TestServer *server = server_new ();
  CryoModbusTransport *client;
  guint16 registers[N_CPA_REGISTERS];
  gint64 start;
  gint64 elapsed;
  guint n_fds = count_fds ();

  rtu_server_start (server);

  /* The server is unit 16: it ignores unit 17, as a bus does. */
  client = open_rtu_client (server, SERVER_UNIT + 1);

  for (guint i = 0; i < 2; i++)
    {
      start = g_get_monotonic_time ();
      g_assert_false (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                                  registers, &error));
      elapsed = g_get_monotonic_time () - start;
      g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT);
      g_assert_false (cryo_transport_error_is_fatal (error));
      g_assert_cmpstr (error->message, ==,
                       "No reply from unit 17 within 200 ms. Check the unit id and the "
                       "connection.");
      g_clear_error (&error);

      /* About the response timeout (the second try also waits out the quiet time
       * after the first). */
      g_assert_cmpint (elapsed, >=, (TEST_TIMEOUT_MS - 10) * 1000);
      g_assert_cmpint (elapsed, <, (i + 1) * TEST_TIMEOUT_MS * 1000 + 1500 * 1000);
      g_assert_true (cryo_transport_is_open (CRYO_TRANSPORT (client)));
    }

  g_assert_cmpint (g_atomic_int_get (&server->n_ignored), >=, 1);
  g_assert_cmpint (g_atomic_int_get (&server->n_requests), ==, 0);
  g_assert_finalize_object (client);

  /* The line and the server are fine: the right unit gets its answer. */
  client = open_rtu_client (server, SERVER_UNIT);
  g_assert_true (cryo_modbus_transport_read_input_registers (client, 1, N_CPA_REGISTERS,
                                                             registers, &error));
  g_assert_no_error (error);
  assert_cpa_registers (registers);

  g_assert_finalize_object (client);
  server_free (server);
  g_assert_cmpuint (count_fds (), ==, n_fds);
}

static void
test_rtu_late_reply (void)
{
  TestServer *server = server_new ();
  CryoModbusTransport *client;

  server->late_first_ms = LATE_REPLY_MS;
  rtu_server_start (server);
  client = open_rtu_client (server, SERVER_UNIT);

  /* RTU frames have no transaction id: the late reply would fit the next request
   * perfectly, so only the quiet time keeps it out. */
  check_late_reply (client, server);

  g_assert_finalize_object (client);
  server_free (server);
}

static void
test_rtu_not_found (void)
{
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = cryo_modbus_transport_new_rtu ("/nonexistent/ttyUSB-cryomon",
                                                            NULL, 16);

  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "Serial port /nonexistent/ttyUSB-cryomon not found. Is the USB adapter "
                   "plugged in?");
  g_assert_false (cryo_transport_is_open (transport));
  g_assert_finalize_object (transport);
}

static void
test_rtu_not_a_tty (void)
{
  g_autoptr(GError) error = NULL;
  CryoTransport *transport = cryo_modbus_transport_new_rtu ("/dev/null", NULL, 16);

  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED);
  g_assert_false (cryo_transport_is_open (transport));
  g_assert_finalize_object (transport);
}

/* ------------------------------------------------------------------------------ */
/* A CryoLink owning a Modbus transport                                            */

typedef struct
{
  gboolean  done;
  guint16  *registers;
  GError   *error;
} JobOutcome;

#define WAIT_FOR(condition)                                                         \
  G_STMT_START {                                                                    \
    gint64 wait_deadline_ = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(condition))                                                            \
      {                                                                             \
        if (g_get_monotonic_time () > wait_deadline_)                               \
          g_error ("Timed out waiting for %s", #condition);                         \
        if (!g_main_context_iteration (NULL, FALSE))                                \
          g_usleep (1000);                                                          \
      }                                                                             \
  } G_STMT_END

static gpointer
read_cpa_job (CryoTransport  *transport,
              gpointer        task_data,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autofree guint16 *registers = g_new0 (guint16, N_CPA_REGISTERS);

  if (!cryo_modbus_transport_read_input_registers (CRYO_MODBUS_TRANSPORT (transport), 1,
                                                   N_CPA_REGISTERS, registers, error))
    return NULL;

  return g_steal_pointer (&registers);
}

static void
read_cpa_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  JobOutcome *outcome = user_data;

  outcome->registers = cryo_link_run_finish (CRYO_LINK (object), result, &outcome->error);
  outcome->done = TRUE;
}

static void
run_read (CryoLink   *link,
          JobOutcome *outcome)
{
  g_clear_pointer (&outcome->registers, g_free);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;

  cryo_link_run_async (link, CRYO_LINK_PRIORITY_POLL, read_cpa_job, NULL, NULL, g_free, NULL,
                       read_cpa_cb, outcome);
  WAIT_FOR (outcome->done);
}

static void
test_link_reconnect (void)
{
  TestServer *server = server_new ();
  JobOutcome outcome = { 0 };
  CryoTransport *transport;
  CryoLink *link;
  guint16 port;

  tcp_server_start (server, 0);
  port = server->port;

  transport = cryo_modbus_transport_new_tcp ("127.0.0.1", port, 1);
  cryo_modbus_transport_set_response_timeout (CRYO_MODBUS_TRANSPORT (transport),
                                              TEST_TIMEOUT_MS);
  link = cryo_link_new (transport);
  cryo_link_set_backoff (link, 20, 160);
  cryo_link_start (link);

  WAIT_FOR (cryo_link_is_connected (link));
  run_read (link, &outcome);
  g_assert_no_error (outcome.error);
  assert_cpa_registers (outcome.registers);

  /* The compressor goes away: the next poll fails, the link closes the transport and
   * keeps trying. */
  tcp_server_stop (server);
  run_read (link, &outcome);
  g_assert_error (outcome.error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_assert_null (outcome.registers);
  WAIT_FOR (cryo_link_get_state (link) == CRYO_LINK_STATE_WAITING &&
            cryo_link_get_last_error (link) != NULL &&
            g_str_has_prefix (cryo_link_get_last_error (link), "Could not connect to"));
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 0);

  /* Back on the same port: the link reconnects by itself. */
  tcp_server_start (server, port);
  g_assert_cmpuint (server->port, ==, port);
  WAIT_FOR (cryo_link_is_connected (link));
  g_assert_cmpuint (cryo_link_get_n_reconnects (link), ==, 1);

  run_read (link, &outcome);
  g_assert_no_error (outcome.error);
  assert_cpa_registers (outcome.registers);

  cryo_link_stop (link);
  WAIT_FOR (cryo_link_get_state (link) == CRYO_LINK_STATE_STOPPED);
  for (guint i = 0; i < 10; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
  g_assert_finalize_object (link);
  g_assert_false (cryo_transport_is_open (transport));
  g_assert_finalize_object (transport);

  g_clear_pointer (&outcome.registers, g_free);
  server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/modbus-transport/tcp/registers", test_tcp_registers);
  g_test_add_func ("/modbus-transport/tcp/default-timeout", test_tcp_default_timeout);
  g_test_add_func ("/modbus-transport/tcp/late-reply", test_tcp_late_reply);
  g_test_add_func ("/modbus-transport/tcp/server-closed", test_tcp_server_closed);
  g_test_add_func ("/modbus-transport/tcp/refused", test_tcp_refused);
  g_test_add_func ("/modbus-transport/tcp/unknown-host", test_tcp_unknown_host);
  g_test_add_func ("/modbus-transport/invalid-settings", test_invalid_settings);
  g_test_add_func ("/modbus-transport/rtu/registers", test_rtu_registers);
  g_test_add_func ("/modbus-transport/rtu/default-config", test_rtu_default_config);
  g_test_add_func ("/modbus-transport/rtu/busy", test_rtu_busy);
  g_test_add_func ("/modbus-transport/rtu/timeout", test_rtu_timeout);
  g_test_add_func ("/modbus-transport/rtu/late-reply", test_rtu_late_reply);
  g_test_add_func ("/modbus-transport/rtu/not-found", test_rtu_not_found);
  g_test_add_func ("/modbus-transport/rtu/not-a-tty", test_rtu_not_a_tty);
  g_test_add_func ("/modbus-transport/link/reconnect", test_link_reconnect);

  return g_test_run ();
}
