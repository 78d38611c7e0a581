/* cryo-serial-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-serial-transport"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <libserialport.h>

#include "cryo-serial-transport.h"
#include "cryo-serial-transport-private.h"

/* How long write_all waits for room in a full output buffer before it gives up: a
 * stalled output with flow control off means the device or driver is stuck. */
#define WRITE_STALL_TIMEOUT_MS 5000

/* Unix98 pseudo-terminal slaves (/dev/pts/N) use majors 136 to 143. */
#define PTY_SLAVE_MAJOR_FIRST 136
#define PTY_SLAVE_MAJOR_LAST  143

/*
 * Two backends behind one object: libserialport opens and configures real ports
 * (USB adapters, built-in UARTs), the POSIX termios path handles pseudo-terminals
 * and anything libserialport does not recognise. Once open, both are a non-blocking
 * file descriptor, so reading, writing and hang-up detection are shared.
 */
struct _CryoSerialTransport
{
  GObject           parent_instance;

  char             *path;
  CryoSerialConfig  config;
  char             *description;

  struct sp_port   *port;  /* libserialport backend, NULL for termios */
  int               fd;    /* -1 when closed */
};

static void cryo_serial_transport_iface_init (CryoTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CryoSerialTransport, cryo_serial_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_TRANSPORT,
                                                      cryo_serial_transport_iface_init))

static const struct
{
  guint   baud;
  speed_t speed;
} baud_rates[] = {
  { 50, B50 }, { 75, B75 }, { 110, B110 }, { 134, B134 }, { 150, B150 }, { 200, B200 },
  { 300, B300 }, { 600, B600 }, { 1200, B1200 }, { 1800, B1800 }, { 2400, B2400 },
  { 4800, B4800 }, { 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
  { 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 },
  { 500000, B500000 }, { 576000, B576000 }, { 921600, B921600 }, { 1000000, B1000000 },
  { 1152000, B1152000 }, { 1500000, B1500000 }, { 2000000, B2000000 },
  { 2500000, B2500000 }, { 3000000, B3000000 }, { 3500000, B3500000 },
  { 4000000, B4000000 },
};

static gboolean
lookup_speed (guint    baud,
              speed_t *speed)
{
  for (guint i = 0; i < G_N_ELEMENTS (baud_rates); i++)
    {
      if (baud_rates[i].baud == baud)
        {
          if (speed != NULL)
            *speed = baud_rates[i].speed;
          return TRUE;
        }
    }

  return FALSE;
}

static char
parity_letter (CryoParity parity)
{
  switch (parity)
    {
    case CRYO_PARITY_NONE:
      return 'N';
    case CRYO_PARITY_ODD:
      return 'O';
    case CRYO_PARITY_EVEN:
      return 'E';
    default:
      return '?';
    }
}

static void
set_not_open_error (CryoSerialTransport  *self,
                    GError              **error)
{
  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
               _("Serial port %s is not open."), self->path);
}

static void
set_disconnected_error (CryoSerialTransport  *self,
                        GError              **error)
{
  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED,
               _("Serial port %s disconnected. Check the cable and the USB adapter."),
               self->path);
}

/* An advisory lock so that two Cryomon windows (or a Cryomon and a simulator test)
 * never share a port; unlike TIOCEXCL it also holds against root. Released by close. */
static gboolean
lock_fd (int fd)
{
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EINTR)
        return FALSE;
    }

  return TRUE;
}

static gboolean
set_nonblocking (int fd)
{
  int flags = fcntl (fd, F_GETFL);

  if (flags < 0)
    return FALSE;

  return (flags & O_NONBLOCK) != 0 || fcntl (fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

static gboolean
open_termios (CryoSerialTransport  *self,
              const char           *real_path,
              GError              **error)
{
  struct termios tio;
  speed_t speed = B9600;
  gboolean is_pty = cryo_serial_path_is_pty (real_path);
  int fd;
  int errsv;

  if (!lookup_speed (self->config.baud, &speed))
    g_assert_not_reached ();  /* validated by the caller */

  do
    fd = open (real_path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    {
      cryo_serial_set_errno_error (error, errno, CRYO_SERIAL_OP_OPEN, self->path);
      return FALSE;
    }

  if (!isatty (fd))
    {
      errsv = ENOTTY;
      goto failed;
    }

  if (!lock_fd (fd))
    {
      errsv = EBUSY;
      goto failed;
    }

  if (tcgetattr (fd, &tio) != 0)
    {
      errsv = errno;
      goto failed;
    }

  /* Raw: no echo, no signals from 0x03, no XON/XOFF on 0x11/0x13, no CR/LF mapping,
   * all eight bits; then the line settings, modem lines ignored, no RTS/CTS. */
  cfmakeraw (&tio);
  tio.c_iflag &= ~(IXON | IXOFF | IXANY | INPCK);
  tio.c_cflag &= ~(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
  tio.c_cflag |= CLOCAL | CREAD;

  /* A pseudo-terminal (simulators, socat) carries whole bytes: Linux's
   * pty driver forces CS8 and clears PARENB (drivers/tty/pty.c,
   * pty_set_termios), and Debian's glibc reads the settings back and
   * fails with EINVAL when only those did not take (its
   * local-tcsetaddr.diff; pyserial issue #196), which made a second
   * open of a 7E1 simulator fail. The peer at the other end sees the
   * bytes as written, so ask a pty for nothing it cannot do. */
  if (is_pty)
    {
      tio.c_cflag |= CS8;
    }
  else
    {
      switch (self->config.data_bits)
        {
        case 5:
          tio.c_cflag |= CS5;
          break;
        case 6:
          tio.c_cflag |= CS6;
          break;
        case 7:
          tio.c_cflag |= CS7;
          break;
        default:
          tio.c_cflag |= CS8;
          break;
        }

      if (self->config.parity == CRYO_PARITY_ODD)
        tio.c_cflag |= PARENB | PARODD;
      else if (self->config.parity == CRYO_PARITY_EVEN)
        tio.c_cflag |= PARENB;
    }

  if (self->config.stop_bits == 2)
    tio.c_cflag |= CSTOPB;

  /* With O_NONBLOCK, VMIN 1 makes an empty read fail with EAGAIN, so that a read of
   * 0 bytes can only mean end of file: the line was hung up. */
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;

  if (cfsetispeed (&tio, speed) != 0 ||
      cfsetospeed (&tio, speed) != 0 ||
      tcsetattr (fd, TCSANOW, &tio) != 0)
    {
      errsv = errno;
      goto failed;
    }

  tcflush (fd, TCIOFLUSH);

  self->fd = fd;
  g_debug ("Opened %s (%s) through termios", self->description, real_path);

  return TRUE;

failed:
  close (fd);
  cryo_serial_set_errno_error (error, errsv, CRYO_SERIAL_OP_OPEN, self->path);
  return FALSE;
}

static gboolean
configure_libserialport (CryoSerialTransport  *self,
                         struct sp_port       *port)
{
  struct sp_port_config *config = NULL;
  enum sp_parity parity;
  gboolean ok;

  switch (self->config.parity)
    {
    case CRYO_PARITY_ODD:
      parity = SP_PARITY_ODD;
      break;
    case CRYO_PARITY_EVEN:
      parity = SP_PARITY_EVEN;
      break;
    case CRYO_PARITY_NONE:
    default:
      parity = SP_PARITY_NONE;
      break;
    }

  if (sp_new_config (&config) != SP_OK)
    return FALSE;

  /* DTR and RTS on: some RS-232 instruments and isolators draw power from them. */
  ok = sp_get_config (port, config) == SP_OK &&
       sp_set_config_baudrate (config, (int) self->config.baud) == SP_OK &&
       sp_set_config_bits (config, (int) self->config.data_bits) == SP_OK &&
       sp_set_config_parity (config, parity) == SP_OK &&
       sp_set_config_stopbits (config, (int) self->config.stop_bits) == SP_OK &&
       sp_set_config_flowcontrol (config, SP_FLOWCONTROL_NONE) == SP_OK &&
       sp_set_config_dtr (config, SP_DTR_ON) == SP_OK &&
       sp_set_config_rts (config, SP_RTS_ON) == SP_OK &&
       sp_set_config (port, config) == SP_OK;

  sp_free_config (config);

  return ok;
}

/* Returns TRUE when open, FALSE with @error set, or FALSE with @fallback set when the
 * device is a terminal libserialport cannot drive (no modem-line ioctls). */
static gboolean
open_libserialport (CryoSerialTransport  *self,
                    struct sp_port       *port,
                    gboolean             *fallback,
                    GError              **error)
{
  struct termios tio;
  int fd = -1;
  int errsv;

  *fallback = FALSE;

  if (sp_open (port, SP_MODE_READ_WRITE) != SP_OK)
    {
      errsv = sp_last_error_code ();
      sp_free_port (port);

      if (errsv == ENOTTY || errsv == EINVAL)
        {
          *fallback = TRUE;
          return FALSE;
        }

      cryo_serial_set_errno_error (error, errsv, CRYO_SERIAL_OP_OPEN, self->path);
      return FALSE;
    }

  if (sp_get_port_handle (port, &fd) != SP_OK || fd < 0)
    {
      errsv = EBADF;
      goto failed;
    }

  if (!lock_fd (fd))
    {
      errsv = EBUSY;
      goto failed;
    }

  /* Keep other programs out too (root can still open it). */
  ioctl (fd, TIOCEXCL);

  if (!configure_libserialport (self, port))
    {
      g_autofree char *line = cryo_serial_config_to_string (&self->config);
      char *message = sp_last_error_message ();

      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED,
                   _("Could not set serial port %s to %s: %s"), self->path, line, message);
      sp_free_error_message (message);
      sp_close (port);
      sp_free_port (port);
      return FALSE;
    }

  /* Same read semantics as the termios backend: see open_termios(). */
  if (!set_nonblocking (fd) || tcgetattr (fd, &tio) != 0)
    {
      errsv = errno;
      goto failed;
    }
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  if (tcsetattr (fd, TCSANOW, &tio) != 0)
    {
      errsv = errno;
      goto failed;
    }

  sp_flush (port, SP_BUF_BOTH);

  self->port = port;
  self->fd = fd;
  g_debug ("Opened %s through libserialport", self->description);

  return TRUE;

failed:
  sp_close (port);
  sp_free_port (port);
  cryo_serial_set_errno_error (error, errsv, CRYO_SERIAL_OP_OPEN, self->path);
  return FALSE;
}

static gboolean
cryo_serial_transport_open (CryoTransport  *transport,
                            GError        **error)
{
  CryoSerialTransport *self = CRYO_SERIAL_TRANSPORT (transport);
  g_autofree char *real_path = NULL;

  cryo_transport_close (transport);

  if (!cryo_serial_config_validate (&self->config, error))
    return FALSE;

  /* Resolve links (socat, simulators, /dev/serial/by-id) so that libserialport,
   * which looks the name up in sysfs, sees the device node itself. */
  real_path = realpath (self->path, NULL);
  if (real_path == NULL)
    {
      cryo_serial_set_errno_error (error, errno, CRYO_SERIAL_OP_OPEN, self->path);
      return FALSE;
    }

  if (!cryo_serial_path_is_pty (real_path))
    {
      struct sp_port *port = NULL;
      enum sp_return ret;
      gboolean fallback = FALSE;

      ret = sp_get_port_by_name (real_path, &port);
      if (ret == SP_OK)
        {
          if (open_libserialport (self, port, &fallback, error))
            return TRUE;
          if (!fallback)
            return FALSE;
        }
      else if (ret != SP_ERR_ARG)
        {
          char *message = sp_last_error_message ();

          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED,
                       _("Could not open serial port %s: %s"), self->path, message);
          sp_free_error_message (message);
          return FALSE;
        }

      /* SP_ERR_ARG: libserialport does not know the name (not in sysfs). */
      g_debug ("libserialport does not handle %s, using termios", real_path);
    }

  return open_termios (self, real_path, error);
}

static void
cryo_serial_transport_close (CryoTransport *transport)
{
  CryoSerialTransport *self = CRYO_SERIAL_TRANSPORT (transport);

  if (self->port != NULL)
    {
      sp_close (self->port);
      g_clear_pointer (&self->port, sp_free_port);
    }
  else if (self->fd >= 0)
    {
      close (self->fd);
    }

  self->fd = -1;
}

static gboolean
cryo_serial_transport_is_open (CryoTransport *transport)
{
  return CRYO_SERIAL_TRANSPORT (transport)->fd >= 0;
}

static int
remaining_ms (gint64 deadline)
{
  gint64 left = deadline - g_get_monotonic_time ();

  if (left <= 0)
    return 0;

  /* Round up so that poll never returns before the deadline. */
  return (int) MIN ((left + 999) / 1000, G_MAXINT);
}

static gboolean
cryo_serial_transport_write_all (CryoTransport  *transport,
                                 const guint8   *data,
                                 gsize           len,
                                 GError        **error)
{
  CryoSerialTransport *self = CRYO_SERIAL_TRANSPORT (transport);
  gsize done = 0;

  if (self->fd < 0)
    {
      set_not_open_error (self, error);
      return FALSE;
    }

  while (done < len)
    {
      struct pollfd pfd = { .fd = self->fd, .events = POLLOUT };
      gssize n;
      int ret;

      n = write (self->fd, data + done, len - done);
      if (n > 0)
        {
          done += n;
          continue;
        }

      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        {
          cryo_serial_set_errno_error (error, errno, CRYO_SERIAL_OP_WRITE, self->path);
          return FALSE;
        }

      do
        ret = poll (&pfd, 1, WRITE_STALL_TIMEOUT_MS);
      while (ret < 0 && errno == EINTR);

      if (ret < 0)
        {
          cryo_serial_set_errno_error (error, errno, CRYO_SERIAL_OP_WRITE, self->path);
          return FALSE;
        }

      if (ret == 0)
        {
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
                       _("Serial port %s does not accept data. Check the cable and the "
                         "line settings."),
                       self->path);
          return FALSE;
        }

      if ((pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
        {
          set_disconnected_error (self, error);
          return FALSE;
        }
    }

  return TRUE;
}

static gssize
cryo_serial_transport_read (CryoTransport  *transport,
                            guint8         *buffer,
                            gsize           len,
                            guint           timeout_ms,
                            GError        **error)
{
  CryoSerialTransport *self = CRYO_SERIAL_TRANSPORT (transport);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (self->fd < 0)
    {
      set_not_open_error (self, error);
      return -1;
    }

  for (;;)
    {
      struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
      gssize n;
      int ret;

      ret = poll (&pfd, 1, remaining_ms (deadline));
      if (ret < 0)
        {
          if (errno == EINTR)
            continue;
          cryo_serial_set_errno_error (error, errno, CRYO_SERIAL_OP_READ, self->path);
          return -1;
        }

      if (ret == 0)
        {
          if (g_get_monotonic_time () >= deadline)
            return 0;
          continue;
        }

      if ((pfd.revents & POLLNVAL) != 0)
        {
          cryo_serial_set_errno_error (error, EBADF, CRYO_SERIAL_OP_READ, self->path);
          return -1;
        }

      /* Read even on POLLHUP: bytes that arrived before the hang-up come first. */
      n = read (self->fd, buffer, len);
      if (n > 0)
        return n;

      if (n == 0)
        {
          /* End of file on a terminal in VMIN 1 mode: the line was hung up. */
          set_disconnected_error (self, error);
          return -1;
        }

      if (errno == EINTR)
        continue;

      if (errno == EAGAIN || errno == EWOULDBLOCK)
        {
          if ((pfd.revents & (POLLHUP | POLLERR)) != 0)
            {
              set_disconnected_error (self, error);
              return -1;
            }
          continue;
        }

      cryo_serial_set_errno_error (error, errno, CRYO_SERIAL_OP_READ, self->path);
      return -1;
    }
}

static void
cryo_serial_transport_discard_input (CryoTransport *transport)
{
  CryoSerialTransport *self = CRYO_SERIAL_TRANSPORT (transport);
  guint8 scratch[256];

  if (self->fd < 0)
    return;

  if (self->port != NULL)
    sp_flush (self->port, SP_BUF_INPUT);
  else
    tcflush (self->fd, TCIFLUSH);

  /* Whatever the driver still held back; bounded so a babbling device cannot keep us
   * here. */
  for (guint i = 0; i < 64; i++)
    {
      gssize n = read (self->fd, scratch, sizeof scratch);

      if (n <= 0 && !(n < 0 && errno == EINTR))
        break;
    }
}

static const char *
cryo_serial_transport_get_description (CryoTransport *transport)
{
  return CRYO_SERIAL_TRANSPORT (transport)->description;
}

static void
cryo_serial_transport_iface_init (CryoTransportInterface *iface)
{
  iface->open = cryo_serial_transport_open;
  iface->close = cryo_serial_transport_close;
  iface->is_open = cryo_serial_transport_is_open;
  iface->write_all = cryo_serial_transport_write_all;
  iface->read = cryo_serial_transport_read;
  iface->discard_input = cryo_serial_transport_discard_input;
  iface->get_description = cryo_serial_transport_get_description;
}

static void
cryo_serial_transport_finalize (GObject *object)
{
  CryoSerialTransport *self = (CryoSerialTransport *) object;

  cryo_serial_transport_close (CRYO_TRANSPORT (self));
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (cryo_serial_transport_parent_class)->finalize (object);
}

static void
cryo_serial_transport_class_init (CryoSerialTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_serial_transport_finalize;
}

static void
cryo_serial_transport_init (CryoSerialTransport *self)
{
  self->fd = -1;
}

/**
 * cryo_serial_set_errno_error: (skip)
 * @error: return location for a #CryoTransportError
 * @errnum: the errno value of the failed call
 * @op: what failed
 * @path: the port's path as the operator configured it
 *
 * Maps an errno value to a #CryoTransportError with a message that tells the
 * operator what to do. Private to the transport and its tests.
 */
void
cryo_serial_set_errno_error (GError       **error,
                             int            errnum,
                             CryoSerialOp   op,
                             const char    *path)
{
  if (op == CRYO_SERIAL_OP_OPEN)
    {
      switch (errnum)
        {
        case ENOENT:
        case ENODEV:
        case ENXIO:
        case ENOTDIR:
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND,
                       _("Serial port %s not found. Is the USB adapter plugged in?"), path);
          return;

        case EACCES:
        case EPERM:
        case EROFS:
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_PERMISSION,
                       _("Permission denied on %s. Add your user to the dialout group."),
                       path);
          return;

        case EBUSY:
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_BUSY,
                       _("Serial port %s is in use by another program. Close that program "
                         "and try again."),
                       path);
          return;

        case ENOTTY:
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED,
                       _("%s is not a serial port. Check the port setting."), path);
          return;

        default:
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED,
                       _("Could not open serial port %s: %s"), path, g_strerror (errnum));
          return;
        }
    }

  switch (errnum)
    {
    case EIO:
    case ENXIO:
    case ENODEV:
    case EPIPE:
    case EBADF:
    case ESHUTDOWN:
    case ENOTCONN:
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED,
                   _("Serial port %s disconnected. Check the cable and the USB adapter."),
                   path);
      return;

    default:
      if (op == CRYO_SERIAL_OP_READ)
        g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
                     _("Could not read from serial port %s: %s"), path, g_strerror (errnum));
      else
        g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
                     _("Could not write to serial port %s: %s"), path, g_strerror (errnum));
      return;
    }
}

/**
 * cryo_serial_path_is_pty: (skip)
 * @path: a device path, possibly a symbolic link
 *
 * Whether @path is, or links to, a Unix98 pseudo-terminal slave, which libserialport
 * cannot open. Private to the transport and its tests.
 *
 * Returns: %TRUE for a pseudo-terminal
 */
gboolean
cryo_serial_path_is_pty (const char *path)
{
  g_autofree char *real_path = NULL;
  struct stat st;

  g_return_val_if_fail (path != NULL, FALSE);

  real_path = realpath (path, NULL);
  if (real_path == NULL)
    return FALSE;

  if (g_str_has_prefix (real_path, "/dev/pts/"))
    return TRUE;

  /* A devpts mounted elsewhere (containers, chroots): go by the device number. */
  return stat (real_path, &st) == 0 &&
         S_ISCHR (st.st_mode) &&
         major (st.st_rdev) >= PTY_SLAVE_MAJOR_FIRST &&
         major (st.st_rdev) <= PTY_SLAVE_MAJOR_LAST;
}

/**
 * cryo_serial_transport_new:
 * @path: the device path, e.g. "/dev/ttyUSB0", "/dev/serial/by-id/usb-FTDI_…", a
 *   pseudo-terminal "/dev/pts/3" or a symbolic link to one (socat, cryomon-sim)
 * @config: (nullable): the line settings, %NULL for 9600 8N1
 *
 * Creates a closed serial transport. The configuration is checked when the port is
 * opened (%CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT); see cryo_serial_config_validate().
 *
 * Real ports are opened and configured with libserialport; pseudo-terminals, links to
 * them and devices libserialport does not recognise through POSIX termios. Either way
 * the port is raw (no echo, signals, XON/XOFF or CR/LF translation; 8-bit clean), has
 * no flow control, DTR and RTS on, input and output flushed on open, and holds an
 * advisory lock (flock) so that a second opener gets %CRYO_TRANSPORT_ERROR_BUSY.
 *
 * Thread: any; the transport itself is then used by one thread at a time.
 *
 * Returns: (transfer full): a new #CryoSerialTransport
 */
CryoTransport *
cryo_serial_transport_new (const char             *path,
                           const CryoSerialConfig *config)
{
  static const CryoSerialConfig default_config = CRYO_SERIAL_CONFIG_INIT;
  CryoSerialTransport *self;
  g_autofree char *line = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CRYO_TYPE_SERIAL_TRANSPORT, NULL);
  self->path = g_strdup (path);
  self->config = config != NULL ? *config : default_config;

  line = cryo_serial_config_to_string (&self->config);
  self->description = g_strdup_printf ("%s, %s", path, line);

  return CRYO_TRANSPORT (self);
}

/**
 * cryo_serial_transport_get_path:
 * @self: a #CryoSerialTransport
 *
 * Thread: any.
 *
 * Returns: (transfer none): the path given to cryo_serial_transport_new()
 */
const char *
cryo_serial_transport_get_path (CryoSerialTransport *self)
{
  g_return_val_if_fail (CRYO_IS_SERIAL_TRANSPORT (self), NULL);

  return self->path;
}

/**
 * cryo_serial_transport_get_config:
 * @self: a #CryoSerialTransport
 *
 * Thread: any.
 *
 * Returns: (transfer none): the line settings given to cryo_serial_transport_new()
 */
const CryoSerialConfig *
cryo_serial_transport_get_config (CryoSerialTransport *self)
{
  g_return_val_if_fail (CRYO_IS_SERIAL_TRANSPORT (self), NULL);

  return &self->config;
}

/**
 * cryo_serial_config_validate:
 * @config: line settings
 * @error: return location for a #CryoTransportError
 *
 * Checks that @config is one both backends can set: a standard baud rate from 50 to
 * 4000000 bit/s, 5 to 8 data bits, a known parity, 1 or 2 stop bits.
 *
 * Thread: any.
 *
 * Returns: %TRUE when valid; %FALSE with %CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT
 */
gboolean
cryo_serial_config_validate (const CryoSerialConfig  *config,
                             GError                 **error)
{
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lookup_speed (config->baud, NULL))
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                   _("Unsupported baud rate %u. Choose a standard rate such as 9600."),
                   config->baud);
      return FALSE;
    }

  if (config->data_bits < 5 || config->data_bits > 8)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                   _("Unsupported number of data bits %u. Choose 5, 6, 7 or 8."),
                   config->data_bits);
      return FALSE;
    }

  if (config->parity != CRYO_PARITY_NONE &&
      config->parity != CRYO_PARITY_ODD &&
      config->parity != CRYO_PARITY_EVEN)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                   _("Unknown parity setting. Choose none, odd or even."));
      return FALSE;
    }

  if (config->stop_bits != 1 && config->stop_bits != 2)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                   _("Unsupported number of stop bits %u. Choose 1 or 2."),
                   config->stop_bits);
      return FALSE;
    }

  return TRUE;
}

/**
 * cryo_serial_config_to_string:
 * @config: line settings
 *
 * The settings in the usual short form, e.g. "9600 8N1" or "19200 7E2"; the numbers
 * never follow the locale.
 *
 * Thread: any.
 *
 * Returns: (transfer full): a newly allocated string
 */
char *
cryo_serial_config_to_string (const CryoSerialConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  return g_strdup_printf ("%u %u%c%u", config->baud, config->data_bits,
                          parity_letter (config->parity), config->stop_bits);
}

/**
 * cryo_serial_port_info_free:
 * @info: (nullable): a #CryoSerialPortInfo
 *
 * Frees @info and its strings.
 */
void
cryo_serial_port_info_free (CryoSerialPortInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->path);
  g_free (info->description);
  g_free (info->stable_path);
  g_free (info);
}

static char *
describe_usb_port (struct sp_port *port)
{
  const char *manufacturer = sp_get_port_usb_manufacturer (port);
  const char *product = sp_get_port_usb_product (port);
  const char *serial = sp_get_port_usb_serial (port);
  g_autoptr(GString) str = g_string_new (NULL);

  if (manufacturer != NULL && *manufacturer != '\0' &&
      (product == NULL || !g_str_has_prefix (product, manufacturer)))
    g_string_append (str, manufacturer);

  if (product != NULL && *product != '\0')
    {
      if (str->len > 0)
        g_string_append_c (str, ' ');
      g_string_append (str, product);
    }

  if (str->len == 0)
    {
      int vid = 0;
      int pid = 0;

      if (sp_get_port_usb_vid_pid (port, &vid, &pid) == SP_OK)
        g_string_printf (str, _("USB serial adapter %04x:%04x"), vid, pid);
      else
        g_string_append (str, _("USB serial adapter"));
    }

  if (serial != NULL && *serial != '\0')
    g_string_append_printf (str, " (%s)", serial);

  return g_string_free (g_steal_pointer (&str), FALSE);
}

static char *
describe_port (struct sp_port *port)
{
  const char *name = sp_get_port_name (port);
  const char *description = sp_get_port_description (port);
  g_autofree char *base = g_path_get_basename (name);

  switch (sp_get_port_transport (port))
    {
    case SP_TRANSPORT_USB:
      return describe_usb_port (port);

    case SP_TRANSPORT_BLUETOOTH:
      if (description != NULL && *description != '\0' && g_strcmp0 (description, base) != 0)
        return g_strdup_printf (_("Bluetooth serial port %s"), description);
      return g_strdup (_("Bluetooth serial port"));

    case SP_TRANSPORT_NATIVE:
    default:
      if (description != NULL && *description != '\0' && g_strcmp0 (description, base) != 0)
        return g_strdup (description);
      return g_strdup_printf (_("Built-in serial port %s"), base);
    }
}

static int
compare_port_info (gconstpointer a,
                   gconstpointer b)
{
  const CryoSerialPortInfo *info_a = *(const CryoSerialPortInfo * const *) a;
  const CryoSerialPortInfo *info_b = *(const CryoSerialPortInfo * const *) b;
  g_autofree char *key_a = g_utf8_collate_key_for_filename (info_a->path, -1);
  g_autofree char *key_b = g_utf8_collate_key_for_filename (info_b->path, -1);

  return strcmp (key_a, key_b);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/*
 * cryo_serial_find_stable_paths:
 * @ports: (element-type CryoSerialPortInfo): ports found by libserialport
 * @by_id_folder: the folder of udev's links, "/dev/serial/by-id" (another
 *   one in tests)
 *
 * Sets the stable_path of each port that a link in @by_id_folder resolves
 * to. A missing folder (no USB adapter plugged in, no udev) leaves every
 * port without one.
 */
void
cryo_serial_find_stable_paths (GPtrArray  *ports,
                               const char *by_id_folder)
{
  g_autoptr(GDir) dir = g_dir_open (by_id_folder, 0, NULL);
  g_autoptr(GPtrArray) real_paths = NULL;
  g_autoptr(GPtrArray) links = NULL;
  const char *name;

  if (dir == NULL)
    return;

  real_paths = g_ptr_array_new_with_free_func (free);
  for (guint i = 0; i < ports->len; i++)
    {
      CryoSerialPortInfo *info = g_ptr_array_index (ports, i);

      g_ptr_array_add (real_paths, realpath (info->path, NULL));
    }

  /* Sorted, so that a port with several links always gets the same one. */
  links = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (links, g_build_filename (by_id_folder, name, NULL));
  g_ptr_array_sort (links, compare_strings);

  for (guint l = 0; l < links->len; l++)
    {
      const char *link = g_ptr_array_index (links, l);
      g_autofree char *target = realpath (link, NULL);

      for (guint i = 0; target != NULL && i < ports->len; i++)
        {
          CryoSerialPortInfo *info = g_ptr_array_index (ports, i);
          const char *real_path = g_ptr_array_index (real_paths, i);

          if (info->stable_path == NULL && g_strcmp0 (real_path, target) == 0)
            info->stable_path = g_strdup (link);
        }
    }
}

/**
 * cryo_serial_list_ports:
 * @error: return location for a #CryoTransportError
 *
 * Lists the serial ports libserialport finds (USB adapters with their manufacturer,
 * product and serial number, built-in and Bluetooth ports), sorted by path with
 * numbers in natural order, each with its `/dev/serial/by-id/` link when udev made
 * one. Pseudo-terminals are not listed: they are typed in.
 * Opening a port is not attempted, so a listed port may still be busy or forbidden.
 *
 * Thread: any (it blocks briefly on sysfs; call it from a worker if that matters).
 *
 * Returns: (transfer full) (element-type CryoSerialPortInfo): the ports, possibly
 *   none, with cryo_serial_port_info_free() as free function; %NULL with
 *   %CRYO_TRANSPORT_ERROR_IO when the system cannot be queried
 */
GPtrArray *
cryo_serial_list_ports (GError **error)
{
  struct sp_port **list = NULL;
  GPtrArray *ports;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sp_list_ports (&list) != SP_OK)
    {
      char *message = sp_last_error_message ();

      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
                   _("Could not list serial ports: %s"), message);
      sp_free_error_message (message);
      return NULL;
    }

  ports = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_serial_port_info_free);

  for (guint i = 0; list[i] != NULL; i++)
    {
      CryoSerialPortInfo *info = g_new0 (CryoSerialPortInfo, 1);

      info->path = g_strdup (sp_get_port_name (list[i]));
      info->description = describe_port (list[i]);
      g_ptr_array_add (ports, info);
    }

  sp_free_port_list (list);
  g_ptr_array_sort (ports, compare_port_info);
  cryo_serial_find_stable_paths (ports, "/dev/serial/by-id");

  return ports;
}
