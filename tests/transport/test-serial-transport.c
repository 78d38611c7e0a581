/* test-serial-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The serial transport against a pseudo-terminal pair made here: the test plays the
 * instrument on the master side.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cryo-serial-transport.h"
#include "cryo-serial-transport-private.h"

typedef struct
{
  int   master;
  char *slave_path;
  char *tmpdir;
} Pty;

/* Fixture data: leave the new pty in its default cooked mode (echo, ICANON, ICRNL,
 * ONLCR, IXON, ISIG), so that only the transport can make it raw. */
#define PTY_COOKED GINT_TO_POINTER (0)
/* Fixture data: make the slave raw first, as a simulator would. */
#define PTY_RAW    GINT_TO_POINTER (1)

static void
pty_setup (Pty           *pty,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *name;

  pty->master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (pty->master, >=, 0);
  g_assert_no_errno (grantpt (pty->master));
  g_assert_no_errno (unlockpt (pty->master));
  name = ptsname (pty->master);
  g_assert_nonnull (name);
  pty->slave_path = g_strdup (name);
  g_assert_no_errno (fcntl (pty->master, F_SETFL, fcntl (pty->master, F_GETFL) | O_NONBLOCK));

  if (data == PTY_RAW)
    {
      struct termios tio;
      int slave = open (pty->slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);

      g_assert_cmpint (slave, >=, 0);
      g_assert_no_errno (tcgetattr (slave, &tio));
      cfmakeraw (&tio);
      g_assert_no_errno (tcsetattr (slave, TCSANOW, &tio));
      close (slave);
    }

  pty->tmpdir = g_dir_make_tmp ("cryo-transport-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
pty_teardown (Pty           *pty,
              gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (pty->tmpdir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (pty->tmpdir, name, NULL);
      g_assert_no_errno (g_unlink (path));
    }
  g_assert_no_errno (g_rmdir (pty->tmpdir));

  if (pty->master >= 0)
    close (pty->master);
  g_free (pty->slave_path);
  g_free (pty->tmpdir);
}

static char *
pty_make_link (Pty        *pty,
               const char *name)
{
  char *link = g_build_filename (pty->tmpdir, name, NULL);

  g_assert_no_errno (symlink (pty->slave_path, link));

  return link;
}

static void
master_write (Pty          *pty,
              const guint8 *data,
              gsize         len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = write (pty->master, data + done, len - done);

      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        {
          struct pollfd pfd = { .fd = pty->master, .events = POLLOUT };
          g_assert_cmpint (poll (&pfd, 1, 5000), ==, 1);
          continue;
        }
      g_assert_cmpint (n, >, 0);
      done += n;
    }
}

/* Reads whatever arrives on the master within @timeout_ms, up to @len bytes. */
static gsize
master_read (Pty    *pty,
             guint8 *buffer,
             gsize   len,
             guint   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize got = 0;

  while (got < len)
    {
      struct pollfd pfd = { .fd = pty->master, .events = POLLIN };
      gint64 left = deadline - g_get_monotonic_time ();
      gssize n;

      if (left <= 0)
        break;
      if (poll (&pfd, 1, (int) ((left + 999) / 1000)) <= 0)
        continue;

      n = read (pty->master, buffer + got, len - got);
      if (n > 0)
        got += n;
      else if (n < 0 && errno != EAGAIN && errno != EINTR)
        break;
    }

  return got;
}

static gsize
transport_read_exact (CryoTransport *transport,
                      guint8        *buffer,
                      gsize          len)
{
  gsize got = 0;

  while (got < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = cryo_transport_read (transport, buffer + got, len - got, 2000, &error);

      g_assert_no_error (error);
      if (n == 0)
        break;
      g_assert_cmpint (n, >, 0);
      got += n;
    }

  return got;
}

/* Every byte value, with the ones a cooked terminal would eat or rewrite (NUL,
 * STX/ETX, ^C, ^D, ^Q/^S, CR/LF, DEL, ^Z, 0x80..0xFF) first and repeated. */
static GByteArray *
make_pattern (void)
{
  static const guint8 special[] = {
    0x02, 0x03, 0x11, 0x13, 0x0d, 0x0a, 0x0d, 0x00, 0x04, 0x1a, 0x1c, 0x7f,
    0x15, 0x17, 0x12, 0x16, 0x0f, 0x19, 0x80, 0xff, 0x83, 0x91, 0x93, 0x0a, 0x0d,
  };
  GByteArray *bytes = g_byte_array_new ();

  g_byte_array_append (bytes, special, sizeof special);
  for (guint i = 0; i < 256; i++)
    {
      guint8 b = i;
      g_byte_array_append (bytes, &b, 1);
    }
  for (guint i = 0x80; i <= 0xff; i++)
    {
      guint8 b = 0xff - (i - 0x80);
      g_byte_array_append (bytes, &b, 1);
    }

  return bytes;
}

static void
assert_open (CryoTransport *transport)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cryo_transport_open (transport, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_transport_is_open (transport));
}

static void
exchange_both_ways (Pty           *pty,
                    CryoTransport *transport)
{
  g_autoptr(GByteArray) pattern = make_pattern ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buffer = g_malloc0 (pattern->len + 16);
  guint8 extra[16];

  /* Host to instrument. */
  g_assert_true (cryo_transport_write_all (transport, pattern->data, pattern->len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (master_read (pty, buffer, pattern->len, 2000), ==, pattern->len);
  g_assert_cmpmem (buffer, pattern->len, pattern->data, pattern->len);

  /* Instrument to host. */
  master_write (pty, pattern->data, pattern->len);
  g_assert_cmpuint (transport_read_exact (transport, buffer, pattern->len), ==, pattern->len);
  g_assert_cmpmem (buffer, pattern->len, pattern->data, pattern->len);

  /* No echo, no extra CR, nothing else on either side. */
  g_assert_cmpuint (master_read (pty, extra, sizeof extra, 100), ==, 0);
  g_assert_cmpint (cryo_transport_read (transport, extra, sizeof extra, 50, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_open_slave (Pty           *pty,
                 gconstpointer  data)
{
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (pty->slave_path, NULL);
  g_autofree char *expected = g_strdup_printf ("%s, 9600 8N1", pty->slave_path);

  g_assert_cmpstr (cryo_transport_get_description (transport), ==, expected);
  g_assert_false (cryo_transport_is_open (transport));

  assert_open (transport);
  exchange_both_ways (pty, transport);

  cryo_transport_close (transport);
  g_assert_false (cryo_transport_is_open (transport));
  cryo_transport_close (transport);

  /* Reopening works, and opening an open transport reopens it. */
  assert_open (transport);
  assert_open (transport);
  exchange_both_ways (pty, transport);
}

static void
test_open_symlink (Pty           *pty,
                   gconstpointer  data)
{
  g_autofree char *link = pty_make_link (pty, "ttyCRYO0");
  const CryoSerialConfig config = { 115200, 8, CRYO_PARITY_NONE, 1 };
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (link, &config);
  g_autofree char *expected = g_strdup_printf ("%s, 115200 8N1", link);

  g_assert_true (cryo_serial_path_is_pty (link));
  g_assert_cmpstr (cryo_transport_get_description (transport), ==, expected);

  assert_open (transport);
  exchange_both_ways (pty, transport);
}

/* The line settings reach the terminal, and raw mode is what the transport set. */
static void
test_termios (Pty           *pty,
              gconstpointer  data)
{
  const CryoSerialConfig config = { 19200, 7, CRYO_PARITY_EVEN, 2 };
  const CryoSerialConfig odd = { 4800, 8, CRYO_PARITY_ODD, 1 };
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (pty->slave_path, &config);
  g_autoptr(CryoTransport) transport_odd = cryo_serial_transport_new (pty->slave_path, &odd);
  struct termios tio;
  int probe;

  assert_open (transport);

  probe = open (pty->slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (probe, >=, 0);
  g_assert_no_errno (tcgetattr (probe, &tio));

  g_assert_cmpuint (tio.c_lflag & (ICANON | ECHO | ECHONL | ISIG | IEXTEN), ==, 0);
  g_assert_cmpuint (tio.c_iflag & (IXON | IXOFF | ICRNL | INLCR | IGNCR | ISTRIP), ==, 0);
  g_assert_cmpuint (tio.c_oflag & OPOST, ==, 0);
  /* Linux's pty driver forces CS8 and clears PARENB whatever is set, so data bits
   * and parity cannot be read back here; stop bits and speed can. */
  g_assert_cmpuint (tio.c_cflag & CSTOPB, ==, CSTOPB);
  g_assert_cmpuint (tio.c_cflag & (CLOCAL | CREAD), ==, CLOCAL | CREAD);
  g_assert_cmpuint (tio.c_cflag & CRTSCTS, ==, 0);
  g_assert_cmpuint (cfgetispeed (&tio), ==, B19200);
  g_assert_cmpuint (cfgetospeed (&tio), ==, B19200);

  cryo_transport_close (transport);
  assert_open (transport_odd);
  g_assert_no_errno (tcgetattr (probe, &tio));
  g_assert_cmpuint (tio.c_cflag & CSIZE, ==, CS8);
  g_assert_cmpuint (tio.c_cflag & CSTOPB, ==, 0);
  g_assert_cmpuint (cfgetospeed (&tio), ==, B4800);

  close (probe);
}

/* A line with parity on a pseudo-terminal (a simulated CTI cryopump,
 * 2400 7E1) opens again after it was closed: the pty driver keeps its
 * CS8 and no parity, and Debian's glibc reports that as EINVAL once the
 * rest of the settings are already in place (pyserial issue #196). */
static void
test_reopen_with_parity (Pty           *pty,
                         gconstpointer  data)
{
  const CryoSerialConfig config = { 2400, 7, CRYO_PARITY_EVEN, 1 };
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (pty->slave_path, &config);
  g_autoptr(CryoTransport) again = cryo_serial_transport_new (pty->slave_path, &config);

  assert_open (transport);
  exchange_both_ways (pty, transport);
  cryo_transport_close (transport);

  assert_open (transport);
  exchange_both_ways (pty, transport);
  cryo_transport_close (transport);

  assert_open (again);
  exchange_both_ways (pty, again);
}

static void
test_read_timeout (Pty           *pty,
                   gconstpointer  data)
{
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (pty->slave_path, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buffer[8];
  gint64 start;
  gssize n;

  assert_open (transport);

  start = g_get_monotonic_time ();
  n = cryo_transport_read (transport, buffer, sizeof buffer, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 180 * 1000);

  n = cryo_transport_read (transport, buffer, sizeof buffer, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);

  /* A byte that is already there comes back at once, also with timeout 0. */
  master_write (pty, (const guint8 *) "\x06", 1);
  g_assert_cmpuint (transport_read_exact (transport, buffer, 1), ==, 1);
  g_assert_cmpuint (buffer[0], ==, 0x06);
}

/* Waits until @n bytes the master wrote wait in the slave's input queue: the pty
 * driver hands them over from a work queue, not within write(). A second opening of
 * the slave shares that queue, and FIONREAD counts it without taking anything. */
static void
wait_input_queued (Pty   *pty,
                   gsize  n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  int probe = open (pty->slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  int queued = 0;

  g_assert_cmpint (probe, >=, 0);
  for (;;)
    {
      g_assert_no_errno (ioctl (probe, FIONREAD, &queued));
      if ((gsize) queued >= n)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  close (probe);
}

static void
test_discard_input (Pty           *pty,
                    gconstpointer  data)
{
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (pty->slave_path, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buffer[64];

  assert_open (transport);

  master_write (pty, (const guint8 *) "stale reply bytes", 17);
  wait_input_queued (pty, 17);
  cryo_transport_discard_input (transport);
  g_assert_cmpint (cryo_transport_read (transport, buffer, sizeof buffer, 100, &error), ==, 0);
  g_assert_no_error (error);

  master_write (pty, (const guint8 *) "fresh", 5);
  g_assert_cmpuint (transport_read_exact (transport, buffer, 5), ==, 5);
  g_assert_cmpmem (buffer, 5, "fresh", 5);
}

static void
test_disconnect (Pty           *pty,
                 gconstpointer  data)
{
  g_autoptr(CryoTransport) transport = cryo_serial_transport_new (pty->slave_path, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buffer[8];
  gint64 start;
  gssize n;

  assert_open (transport);

  close (pty->master);
  pty->master = -1;

  start = g_get_monotonic_time ();
  n = cryo_transport_read (transport, buffer, sizeof buffer, 5000, &error);
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_assert_cmpint (n, ==, -1);
  /* Detected from the hang-up, not by waiting for the timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4000 * 1000);
  g_clear_error (&error);

  g_assert_false (cryo_transport_write_all (transport, (const guint8 *) "x", 1, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED);
  g_clear_error (&error);

  cryo_transport_close (transport);

  /* The pty is gone with its master. */
  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND);
}

static void
test_not_found (Pty           *pty,
                gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (pty->tmpdir, "ttyUSB9", NULL);
  g_autofree char *dangling = g_build_filename (pty->tmpdir, "dangling", NULL);
  const char *paths[] = { missing, dangling, "/dev/ttyCRYOnonexistent0" };

  g_assert_no_errno (symlink (missing, dangling));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(CryoTransport) transport = cryo_serial_transport_new (paths[i], NULL);
      g_autoptr(GError) error = NULL;
      guint8 buffer[4];

      g_assert_false (cryo_transport_open (transport, &error));
      g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, paths[i]));
      g_assert_false (cryo_transport_is_open (transport));
      g_clear_error (&error);

      /* I/O on a closed transport fails cleanly. */
      g_assert_cmpint (cryo_transport_read (transport, buffer, sizeof buffer, 10, &error), ==, -1);
      g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO);
      g_clear_error (&error);
      g_assert_false (cryo_transport_write_all (transport, buffer, 1, &error));
      g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO);
      cryo_transport_discard_input (transport);
    }
}

static void
test_not_a_tty (Pty           *pty,
                gconstpointer  data)
{
  g_autofree char *file = g_build_filename (pty->tmpdir, "plain-file", NULL);
  g_autoptr(CryoTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (file, "not a tty", -1, NULL));
  transport = cryo_serial_transport_new (file, NULL);

  g_assert_false (cryo_transport_open (transport, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED);
  g_assert_false (cryo_transport_is_open (transport));
}

static void
test_busy (Pty           *pty,
           gconstpointer  data)
{
  g_autofree char *link = pty_make_link (pty, "ttyCRYO1");
  g_autoptr(CryoTransport) first = cryo_serial_transport_new (pty->slave_path, NULL);
  g_autoptr(CryoTransport) second = cryo_serial_transport_new (link, NULL);
  g_autoptr(GError) error = NULL;

  assert_open (first);

  g_assert_false (cryo_transport_open (second, &error));
  g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, link));
  g_assert_false (cryo_transport_is_open (second));

  cryo_transport_close (first);
  assert_open (second);
  exchange_both_ways (pty, second);
}

static void
test_invalid_config (void)
{
  static const CryoSerialConfig bad[] = {
    { 0, 8, CRYO_PARITY_NONE, 1 },
    { 12345, 8, CRYO_PARITY_NONE, 1 },
    { 9600, 4, CRYO_PARITY_NONE, 1 },
    { 9600, 9, CRYO_PARITY_NONE, 1 },
    { 9600, 8, (CryoParity) 7, 1 },
    { 9600, 8, CRYO_PARITY_NONE, 0 },
    { 9600, 8, CRYO_PARITY_NONE, 3 },
  };
  static const CryoSerialConfig good[] = {
    CRYO_SERIAL_CONFIG_INIT,
    { 300, 7, CRYO_PARITY_EVEN, 1 },
    { 115200, 8, CRYO_PARITY_ODD, 2 },
    { 4000000, 5, CRYO_PARITY_NONE, 1 },
  };
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CryoTransport) transport = cryo_serial_transport_new ("/dev/ttyCRYOnonexistent0",
                                                                      &bad[i]);

      g_assert_false (cryo_serial_config_validate (&bad[i], &error));
      g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);

      /* The configuration is checked before the path. */
      g_assert_false (cryo_transport_open (transport, &error));
      g_assert_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (cryo_serial_config_validate (&good[i], &error));
      g_assert_no_error (error);
    }

  text = cryo_serial_config_to_string (&good[1]);
  g_assert_cmpstr (text, ==, "300 7E1");
  g_clear_pointer (&text, g_free);
  text = cryo_serial_config_to_string (&good[2]);
  g_assert_cmpstr (text, ==, "115200 8O2");
}

static void
assert_errno_maps (int           errnum,
                   CryoSerialOp  op,
                   int           code,
                   const char   *fragment)
{
  g_autoptr(GError) error = NULL;

  cryo_serial_set_errno_error (&error, errnum, op, "/dev/ttyUSB0");
  g_assert_error (error, CRYO_TRANSPORT_ERROR, code);
  g_assert_nonnull (strstr (error->message, "/dev/ttyUSB0"));
  if (fragment != NULL)
    g_assert_nonnull (strstr (error->message, fragment));
}

/* Root opens anything, so permission and busy errors are proven on the mapping. */
static void
test_errno_mapping (void)
{
  assert_errno_maps (EACCES, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_PERMISSION, "dialout");
  assert_errno_maps (EPERM, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_PERMISSION, "dialout");
  assert_errno_maps (ENOENT, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_NOT_FOUND, "USB adapter");
  assert_errno_maps (ENODEV, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_NOT_FOUND, NULL);
  assert_errno_maps (ENXIO, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_NOT_FOUND, NULL);
  assert_errno_maps (EBUSY, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_BUSY, NULL);
  assert_errno_maps (EWOULDBLOCK, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_BUSY, NULL);
  assert_errno_maps (ENOTTY, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_OPEN_FAILED, NULL);
  assert_errno_maps (EMFILE, CRYO_SERIAL_OP_OPEN, CRYO_TRANSPORT_ERROR_OPEN_FAILED, NULL);

  assert_errno_maps (EIO, CRYO_SERIAL_OP_READ, CRYO_TRANSPORT_ERROR_DISCONNECTED, NULL);
  assert_errno_maps (ENXIO, CRYO_SERIAL_OP_READ, CRYO_TRANSPORT_ERROR_DISCONNECTED, NULL);
  assert_errno_maps (ENODEV, CRYO_SERIAL_OP_READ, CRYO_TRANSPORT_ERROR_DISCONNECTED, NULL);
  assert_errno_maps (EIO, CRYO_SERIAL_OP_WRITE, CRYO_TRANSPORT_ERROR_DISCONNECTED, NULL);
  assert_errno_maps (EPIPE, CRYO_SERIAL_OP_WRITE, CRYO_TRANSPORT_ERROR_DISCONNECTED, NULL);
  assert_errno_maps (EINVAL, CRYO_SERIAL_OP_READ, CRYO_TRANSPORT_ERROR_IO, NULL);
  assert_errno_maps (ENOSPC, CRYO_SERIAL_OP_WRITE, CRYO_TRANSPORT_ERROR_IO, NULL);
}

static void
test_is_pty (Pty           *pty,
             gconstpointer  data)
{
  g_autofree char *link = pty_make_link (pty, "ttyCRYO2");
  g_autofree char *missing = g_build_filename (pty->tmpdir, "nothing", NULL);

  g_assert_true (cryo_serial_path_is_pty (pty->slave_path));
  g_assert_true (cryo_serial_path_is_pty (link));
  g_assert_false (cryo_serial_path_is_pty ("/dev/null"));
  g_assert_false (cryo_serial_path_is_pty (pty->tmpdir));
  g_assert_false (cryo_serial_path_is_pty (missing));
}

static void
test_list_ports (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ports = cryo_serial_list_ports (&error);

  g_assert_no_error (error);
  g_assert_nonnull (ports);

  for (guint i = 0; i < ports->len; i++)
    {
      CryoSerialPortInfo *info = g_ptr_array_index (ports, i);

      g_test_message ("%s: %s", info->path, info->description);
      g_assert_true (g_str_has_prefix (info->path, "/dev/"));
      g_assert_nonnull (info->description);
      g_assert_cmpstr (info->description, !=, "");
      g_assert_false (cryo_serial_path_is_pty (info->path));
      if (info->stable_path != NULL)
        g_assert_true (g_str_has_prefix (info->stable_path, "/dev/serial/by-id/"));
    }
}

/* udev's /dev/serial/by-id links name the adapter, whatever ttyUSB number
 * it got: each port gets the link that resolves to it, others none. */
static void
test_stable_paths (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-by-id-XXXXXX", NULL);
  g_autofree char *by_id = g_build_filename (dir, "by-id", NULL);
  g_autofree char *usb0 = g_build_filename (dir, "ttyUSB0", NULL);
  g_autofree char *usb1 = g_build_filename (dir, "ttyUSB1", NULL);
  g_autofree char *builtin = g_build_filename (dir, "ttyS0", NULL);
  g_autofree char *link0 = g_build_filename (by_id, "usb-FTDI_FT232R_USB_UART_A10K2Z3B-if00-port0", NULL);
  g_autofree char *link1 = g_build_filename (by_id, "usb-Prolific_PL2303-if00-port0", NULL);
  g_autofree char *dangling = g_build_filename (by_id, "usb-unplugged-if00-port0", NULL);
  g_autoptr(GPtrArray) ports = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_serial_port_info_free);
  const char *paths[] = { usb0, usb1, builtin };

  g_assert_cmpint (g_mkdir (by_id, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      CryoSerialPortInfo *info = g_new0 (CryoSerialPortInfo, 1);

      g_assert_true (g_file_set_contents (paths[i], "", 0, NULL));
      info->path = g_strdup (paths[i]);
      info->description = g_strdup ("test");
      g_ptr_array_add (ports, info);
    }
  g_assert_cmpint (symlink ("../ttyUSB0", link0), ==, 0);
  g_assert_cmpint (symlink (usb1, link1), ==, 0);
  g_assert_cmpint (symlink ("../ttyUSB9", dangling), ==, 0);

  cryo_serial_find_stable_paths (ports, by_id);

  g_assert_cmpstr (((CryoSerialPortInfo *) g_ptr_array_index (ports, 0))->stable_path, ==, link0);
  g_assert_cmpstr (((CryoSerialPortInfo *) g_ptr_array_index (ports, 1))->stable_path, ==, link1);
  g_assert_null (((CryoSerialPortInfo *) g_ptr_array_index (ports, 2))->stable_path);

  /* No by-id folder at all: nothing changes, nothing fails. */
  g_clear_pointer (&((CryoSerialPortInfo *) g_ptr_array_index (ports, 0))->stable_path, g_free);
  cryo_serial_find_stable_paths (ports, dangling);
  g_assert_null (((CryoSerialPortInfo *) g_ptr_array_index (ports, 0))->stable_path);

  g_unlink (link0);
  g_unlink (link1);
  g_unlink (dangling);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_unlink (paths[i]);
  g_rmdir (by_id);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD_PTY_TEST(path, func, data) \
  g_test_add (path, Pty, data, pty_setup, func, pty_teardown)

  ADD_PTY_TEST ("/serial/open-slave/cooked", test_open_slave, PTY_COOKED);
  ADD_PTY_TEST ("/serial/open-slave/raw", test_open_slave, PTY_RAW);
  ADD_PTY_TEST ("/serial/open-symlink/cooked", test_open_symlink, PTY_COOKED);
  ADD_PTY_TEST ("/serial/open-symlink/raw", test_open_symlink, PTY_RAW);
  ADD_PTY_TEST ("/serial/termios", test_termios, PTY_COOKED);
  ADD_PTY_TEST ("/serial/reopen-with-parity", test_reopen_with_parity, PTY_RAW);
  ADD_PTY_TEST ("/serial/read-timeout", test_read_timeout, PTY_RAW);
  ADD_PTY_TEST ("/serial/discard-input", test_discard_input, PTY_RAW);
  ADD_PTY_TEST ("/serial/disconnect", test_disconnect, PTY_RAW);
  ADD_PTY_TEST ("/serial/not-found", test_not_found, PTY_RAW);
  ADD_PTY_TEST ("/serial/not-a-tty", test_not_a_tty, PTY_RAW);
  ADD_PTY_TEST ("/serial/busy", test_busy, PTY_RAW);
  ADD_PTY_TEST ("/serial/is-pty", test_is_pty, PTY_RAW);
  g_test_add_func ("/serial/invalid-config", test_invalid_config);
  g_test_add_func ("/serial/errno-mapping", test_errno_mapping);
  g_test_add_func ("/serial/list-ports", test_list_ports);
  g_test_add_func ("/serial/stable-paths", test_stable_paths);

  return g_test_run ();
}
