/* cryo-modbus-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-modbus-transport"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <modbus.h>

#include "cryo-modbus-transport.h"
#include "cryo-protocol-error.h"
#include "cryo-serial-transport-private.h"

/* Modbus application protocol v1.1b3, 6.3/6.4: at most 125 registers per read,
 * addresses 0 to 65535. */
#define MAX_READ_REGISTERS MODBUS_MAX_READ_REGISTERS
#define ADDRESS_SPACE      0x10000

/* Unit ids libmodbus accepts: 1 to 247 on a serial line (0 is broadcast, which gets
 * no reply), 0 to 255 over TCP. */
#define RTU_UNIT_ID_MAX 247
#define TCP_UNIT_ID_MAX 255

/*
 * One libmodbus context, created on open and freed on close, so that every open
 * starts from a fresh connection (and, for TCP, a fresh name lookup). The context
 * belongs to the worker thread; only the response timeout may be set from another
 * thread, and the worker picks it up at its next request.
 */
struct _CryoModbusTransport
{
  GObject           parent_instance;

  /* Constant after construction */
  gboolean          is_tcp;
  char             *host;              /* TCP */
  guint             port;              /* TCP */
  char             *path;              /* RTU */
  CryoSerialConfig  serial;            /* RTU */
  guint             unit_id;
  char             *endpoint;          /* "host:port" or the path, for messages */
  char             *description;

  gint              timeout_ms;        /* atomic */

  /* Worker thread */
  modbus_t         *ctx;               /* NULL when closed */
  int               lock_fd;           /* RTU: holds the advisory lock; -1 otherwise */
  guint             applied_timeout_ms;
  gint64            quiet_until;       /* monotonic µs; 0 when the line is clean */
};

typedef enum
{
  REGISTERS_INPUT,
  REGISTERS_HOLDING,
} RegisterKind;

static void cryo_modbus_transport_iface_init (CryoTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CryoModbusTransport, cryo_modbus_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_TRANSPORT,
                                                      cryo_modbus_transport_iface_init))

/* Modbus application protocol v1.1b3, 7 (exception codes); 9 is not assigned. */
static const char * const exception_names[] = {
  [MODBUS_EXCEPTION_ILLEGAL_FUNCTION] = N_("illegal function"),
  [MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS] = N_("illegal data address"),
  [MODBUS_EXCEPTION_ILLEGAL_DATA_VALUE] = N_("illegal data value"),
  [MODBUS_EXCEPTION_SLAVE_OR_SERVER_FAILURE] = N_("server device failure"),
  [MODBUS_EXCEPTION_ACKNOWLEDGE] = N_("acknowledge"),
  [MODBUS_EXCEPTION_SLAVE_OR_SERVER_BUSY] = N_("server device busy"),
  [MODBUS_EXCEPTION_NEGATIVE_ACKNOWLEDGE] = N_("negative acknowledge"),
  [MODBUS_EXCEPTION_MEMORY_PARITY] = N_("memory parity error"),
  [MODBUS_EXCEPTION_GATEWAY_PATH] = N_("gateway path unavailable"),
  [MODBUS_EXCEPTION_GATEWAY_TARGET] = N_("gateway target device failed to respond"),
};

/* The rates libmodbus 3.1 maps to termios speeds on Linux; it silently falls back
 * to 9600 for any other. */
static const guint rtu_baud_rates[] = {
  110, 300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800,
  500000, 576000, 921600, 1000000, 1152000, 1500000, 2500000, 3000000, 3500000, 4000000,
};

static char
parity_char (CryoParity parity)
{
  switch (parity)
    {
    case CRYO_PARITY_ODD:
      return 'O';
    case CRYO_PARITY_EVEN:
      return 'E';
    case CRYO_PARITY_NONE:
    default:
      return 'N';
    }
}

static char *
describe_registers (RegisterKind kind,
                    guint        address,
                    guint        count)
{
  if (kind == REGISTERS_INPUT)
    {
      if (count == 1)
        return g_strdup_printf (_("input register %u"), address);
      return g_strdup_printf (_("input registers %u–%u"), address, address + count - 1);
    }

  if (count == 1)
    return g_strdup_printf (_("holding register %u"), address);
  return g_strdup_printf (_("holding registers %u–%u"), address, address + count - 1);
}

static void
set_disconnected_error (CryoModbusTransport  *self,
                        GError              **error)
{
  if (self->is_tcp)
    g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED,
                 _("Connection to %s lost. Is the compressor on the network?"),
                 self->endpoint);
  else
    cryo_serial_set_errno_error (error, EIO, CRYO_SERIAL_OP_READ, self->path);
}

static gboolean
is_disconnect_errno (int errnum)
{
  switch (errnum)
    {
    case ECONNRESET:
    case ECONNABORTED:
    case ECONNREFUSED:
    case EPIPE:
    case EBADF:
    case EIO:
    case ENXIO:
    case ENODEV:
    case ENOTCONN:
    case ESHUTDOWN:
    case ENETDOWN:
    case ENETUNREACH:
    case EHOSTUNREACH:
      return TRUE;

    default:
      return FALSE;
    }
}

static void
apply_timeout (CryoModbusTransport *self)
{
  guint timeout_ms = (guint) g_atomic_int_get (&self->timeout_ms);

  if (timeout_ms == self->applied_timeout_ms)
    return;

  modbus_set_response_timeout (self->ctx, timeout_ms / 1000, (timeout_ms % 1000) * 1000);
  self->applied_timeout_ms = timeout_ms;
}

/* Creates the context's common settings; FALSE with errno set. */
static gboolean
configure_context (CryoModbusTransport *self,
                   modbus_t            *ctx)
{
  guint timeout_ms = (guint) g_atomic_int_get (&self->timeout_ms);

  if (modbus_set_slave (ctx, (int) self->unit_id) != 0)
    return FALSE;

  /* Errors are handled here, not by libmodbus reconnecting or sleeping on its own. */
  if (modbus_set_error_recovery (ctx, MODBUS_ERROR_RECOVERY_NONE) != 0)
    return FALSE;

  if (modbus_set_response_timeout (ctx, timeout_ms / 1000, (timeout_ms % 1000) * 1000) != 0)
    return FALSE;

  self->applied_timeout_ms = timeout_ms;

  return TRUE;
}

static gboolean
open_tcp (CryoModbusTransport  *self,
          GError              **error)
{
  struct addrinfo hints = { 0 };
  struct addrinfo *list = NULL;
  char service[16];
  int errsv = 0;
  int ret;

  if (self->port == 0 || self->port > 65535)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                   _("Invalid TCP port %u. Choose a port from 1 to 65535 (Modbus uses 502)."),
                   self->port);
      return FALSE;
    }

  g_snprintf (service, sizeof service, "%u", self->port);

  /* libmodbus reports a failed lookup as "connection refused": resolve here so that
   * a misspelt host name says so. */
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  ret = getaddrinfo (self->host, service, &hints, &list);
  if (ret != 0)
    {
      const char *reason = ret == EAI_SYSTEM ? g_strerror (errno) : gai_strerror (ret);

      switch (ret)
        {
        case EAI_NONAME:
        case EAI_AGAIN:
        case EAI_FAIL:
#ifdef EAI_NODATA
        case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
        case EAI_ADDRFAMILY:
#endif
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_NOT_FOUND,
                       _("Could not find the host %s: %s. Check the compressor’s network "
                         "address."),
                       self->host, reason);
          break;

        default:
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED,
                       _("Could not look up the host %s: %s"), self->host, reason);
          break;
        }
      return FALSE;
    }

  for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
    {
      char numeric[NI_MAXHOST];
      modbus_t *ctx;

      if (getnameinfo (ai->ai_addr, ai->ai_addrlen, numeric, sizeof numeric, NULL, 0,
                       NI_NUMERICHOST) != 0)
        continue;

      /* An IPv4 context connects to the address as given; the _pi variant would look
       * it up again, with AI_ADDRCONFIG, which hides 127.0.0.1 on IPv6-only hosts. */
      if (ai->ai_family == AF_INET)
        ctx = modbus_new_tcp (numeric, (int) self->port);
      else
        ctx = modbus_new_tcp_pi (numeric, service);
      if (ctx == NULL)
        {
          errsv = errno;
          continue;
        }

      /* The response timeout also bounds the connect. */
      errno = 0;
      if (configure_context (self, ctx) && modbus_connect (ctx) == 0)
        {
          self->ctx = ctx;
          break;
        }

      errsv = errno;
      modbus_free (ctx);
    }

  freeaddrinfo (list);

  if (self->ctx == NULL)
    {
      /* libmodbus leaves EINPROGRESS behind when the connect timed out. */
      if (errsv == EINPROGRESS || errsv == 0)
        errsv = ETIMEDOUT;

      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_OPEN_FAILED,
                   _("Could not connect to %s: %s. Is the compressor on the network?"),
                   self->endpoint, g_strerror (errsv));
      return FALSE;
    }

  g_debug ("Connected to %s", self->description);

  return TRUE;
}

static gboolean
open_rtu (CryoModbusTransport  *self,
          GError              **error)
{
  gboolean baud_ok = FALSE;
  modbus_t *ctx;
  int fd;
  int errsv;

  if (!cryo_serial_config_validate (&self->serial, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (rtu_baud_rates); i++)
    baud_ok |= rtu_baud_rates[i] == self->serial.baud;

  if (!baud_ok)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                   _("Unsupported baud rate %u for Modbus RTU. Choose a standard rate such "
                     "as 9600 or 19200."),
                   self->serial.baud);
      return FALSE;
    }

  if (self->unit_id < 1 || self->unit_id > RTU_UNIT_ID_MAX)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                   _("Invalid unit id %u. Choose the compressor’s unit id, from 1 to 247."),
                   self->unit_id);
      return FALSE;
    }

  /* libmodbus opens and configures the port itself. Take the lock on a descriptor of
   * our own first, so that a port in use by another program is never reconfigured
   * under it; this also maps open errors before libmodbus sees the port. */
  do
    fd = open (self->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
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

  if (!cryo_serial_lock_fd (fd))
    {
      errsv = EBUSY;
      goto failed;
    }

  ctx = modbus_new_rtu (self->path, (int) self->serial.baud, parity_char (self->serial.parity),
                        (int) self->serial.data_bits, (int) self->serial.stop_bits);
  if (ctx == NULL)
    {
      errsv = errno;
      goto failed;
    }

  if (!configure_context (self, ctx) || modbus_connect (ctx) != 0)
    {
      errsv = errno;
      modbus_free (ctx);
      goto failed;
    }

  /* As the serial transport does for real ports: keep other openers out too. */
  if (!cryo_serial_path_is_pty (self->path))
    ioctl (modbus_get_socket (ctx), TIOCEXCL);

  modbus_flush (ctx);

  self->ctx = ctx;
  self->lock_fd = fd;
  g_debug ("Opened %s", self->description);

  return TRUE;

failed:
  close (fd);
  cryo_serial_set_errno_error (error, errsv, CRYO_SERIAL_OP_OPEN, self->path);
  return FALSE;
}

static gboolean
cryo_modbus_transport_open (CryoTransport  *transport,
                            GError        **error)
{
  CryoModbusTransport *self = CRYO_MODBUS_TRANSPORT (transport);

  cryo_transport_close (transport);

  if (self->is_tcp)
    {
      if (self->unit_id > TCP_UNIT_ID_MAX)
        {
          g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
                       _("Invalid unit id %u. Choose the compressor’s unit id, from 0 to 255."),
                       self->unit_id);
          return FALSE;
        }

      return open_tcp (self, error);
    }

  return open_rtu (self, error);
}

static void
cryo_modbus_transport_close (CryoTransport *transport)
{
  CryoModbusTransport *self = CRYO_MODBUS_TRANSPORT (transport);

  if (self->ctx != NULL)
    {
      modbus_close (self->ctx);
      g_clear_pointer (&self->ctx, modbus_free);
    }

  if (self->lock_fd >= 0)
    {
      close (self->lock_fd);
      self->lock_fd = -1;
    }

  self->quiet_until = 0;
}

static gboolean
cryo_modbus_transport_is_open (CryoTransport *transport)
{
  return CRYO_MODBUS_TRANSPORT (transport)->ctx != NULL;
}

static void
set_not_byte_stream_error (CryoModbusTransport  *self,
                           GError              **error)
{
  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
               _("%s is a Modbus connection, not a byte stream."), self->description);
}

static gboolean
cryo_modbus_transport_write_all (CryoTransport  *transport,
                                 const guint8   *data,
                                 gsize           len,
                                 GError        **error)
{
  set_not_byte_stream_error (CRYO_MODBUS_TRANSPORT (transport), error);
  return FALSE;
}

static gssize
cryo_modbus_transport_read (CryoTransport  *transport,
                            guint8         *buffer,
                            gsize           len,
                            guint           timeout_ms,
                            GError        **error)
{
  set_not_byte_stream_error (CRYO_MODBUS_TRANSPORT (transport), error);
  return -1;
}

static void
cryo_modbus_transport_discard_input (CryoTransport *transport)
{
  CryoModbusTransport *self = CRYO_MODBUS_TRANSPORT (transport);

  if (self->ctx != NULL)
    modbus_flush (self->ctx);
}

static const char *
cryo_modbus_transport_get_description (CryoTransport *transport)
{
  return CRYO_MODBUS_TRANSPORT (transport)->description;
}

static void
cryo_modbus_transport_iface_init (CryoTransportInterface *iface)
{
  iface->open = cryo_modbus_transport_open;
  iface->close = cryo_modbus_transport_close;
  iface->is_open = cryo_modbus_transport_is_open;
  iface->write_all = cryo_modbus_transport_write_all;
  iface->read = cryo_modbus_transport_read;
  iface->discard_input = cryo_modbus_transport_discard_input;
  iface->get_description = cryo_modbus_transport_get_description;
}

/*
 * Before every request: the line must hold nothing but the coming reply. After a
 * request went wrong (no reply, or a reply we could not pair with it) a late reply
 * may still be on its way; RTU frames carry no transaction id, so it would pass for
 * the answer to the next identical request. Wait until one more response timeout
 * has passed since the failure, then drop whatever arrived.
 */
static gboolean
begin_request (CryoModbusTransport  *self,
               GError              **error)
{
  if (self->ctx == NULL)
    {
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_DISCONNECTED,
                   _("The Modbus connection to %s is not open."), self->endpoint);
      return FALSE;
    }

  apply_timeout (self);

  if (self->quiet_until != 0)
    {
      gint64 left = self->quiet_until - g_get_monotonic_time ();

      if (left > 0)
        g_usleep ((gulong) left);
      self->quiet_until = 0;
    }

  modbus_flush (self->ctx);

  return TRUE;
}

/* After a failed request: flush, and keep the line quiet for one more response
 * timeout (see begin_request()). */
static void
mark_line_dirty (CryoModbusTransport *self)
{
  modbus_flush (self->ctx);
  self->quiet_until = g_get_monotonic_time () + (gint64) self->applied_timeout_ms * 1000;
}

/* Maps the errno of a failed libmodbus request to a GError. @what names the
 * registers, e.g. "input registers 1–33". */
static void
set_request_error (CryoModbusTransport  *self,
                   int                   errnum,
                   const char           *what,
                   GError              **error)
{
  if (errnum > MODBUS_ENOBASE && errnum <= EMBXGTAR)
    {
      int code = errnum - MODBUS_ENOBASE;
      const char *name = code < (int) G_N_ELEMENTS (exception_names) &&
                         exception_names[code] != NULL
                         ? _(exception_names[code]) : _("unknown exception");

      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_EXCEPTION,
                   _("The compressor answered “%s” (Modbus exception %d) for %s"),
                   name, code, what);
      return;
    }

  switch (errnum)
    {
    case ETIMEDOUT:
      mark_line_dirty (self);
      g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT,
                   _("No reply from unit %u within %u ms. Check the unit id and the "
                     "connection."),
                   self->unit_id, self->applied_timeout_ms);
      return;

    case EMBBADCRC:
      mark_line_dirty (self);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM,
                   _("The reply from unit %u for %s failed its CRC check. Check the baud "
                     "rate, the parity and the cable."),
                   self->unit_id, what);
      return;

    case EMBBADDATA:
      mark_line_dirty (self);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                   _("The reply from unit %u does not answer the request for %s."),
                   self->unit_id, what);
      return;

    case EMBBADSLAVE:
      mark_line_dirty (self);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                   _("Another unit answered the request for %s sent to unit %u. Check the "
                     "unit ids on the bus."),
                   what, self->unit_id);
      return;

    case EMBBADEXC:
    case EMBUNKEXC:
    case EMBMDATA:
      mark_line_dirty (self);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("The reply from unit %u for %s is malformed."), self->unit_id, what);
      return;

    default:
      break;
    }

  if (is_disconnect_errno (errnum))
    {
      set_disconnected_error (self, error);
      return;
    }

  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_IO,
               _("Modbus request to %s for %s failed: %s"),
               self->endpoint, what, modbus_strerror (errnum));
}

static gboolean
check_range (guint         address,
             guint         count,
             guint         max_count,
             GError      **error)
{
  if (count >= 1 && count <= max_count && address < ADDRESS_SPACE &&
      count <= ADDRESS_SPACE - address)
    return TRUE;

  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
               _("Cannot access %u registers from address %u: Modbus allows 1 to %u "
                 "registers within addresses 0 to 65535."),
               count, address, max_count);
  return FALSE;
}

static gboolean
read_registers (CryoModbusTransport  *self,
                RegisterKind          kind,
                guint                 address,
                guint                 count,
                guint16              *registers,
                GError              **error)
{
  uint16_t buffer[MAX_READ_REGISTERS];
  g_autofree char *what = NULL;
  int ret;

  if (!check_range (address, count, MAX_READ_REGISTERS, error) ||
      !begin_request (self, error))
    return FALSE;

  errno = 0;
  if (kind == REGISTERS_INPUT)
    ret = modbus_read_input_registers (self->ctx, (int) address, (int) count, buffer);
  else
    ret = modbus_read_registers (self->ctx, (int) address, (int) count, buffer);

  if (ret < 0)
    {
      int errsv = errno;

      what = describe_registers (kind, address, count);
      set_request_error (self, errsv, what, error);
      return FALSE;
    }

  if ((guint) ret != count)
    {
      what = describe_registers (kind, address, count);
      mark_line_dirty (self);
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Unit %u returned %d registers instead of %u for %s."),
                   self->unit_id, ret, count, what);
      return FALSE;
    }

  memcpy (registers, buffer, count * sizeof (guint16));

  return TRUE;
}

static void
cryo_modbus_transport_finalize (GObject *object)
{
  CryoModbusTransport *self = (CryoModbusTransport *) object;

  cryo_modbus_transport_close (CRYO_TRANSPORT (self));
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (cryo_modbus_transport_parent_class)->finalize (object);
}

static void
cryo_modbus_transport_class_init (CryoModbusTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_modbus_transport_finalize;
}

static void
cryo_modbus_transport_init (CryoModbusTransport *self)
{
  self->lock_fd = -1;
  self->timeout_ms = CRYO_MODBUS_DEFAULT_RESPONSE_TIMEOUT_MS;
}

/**
 * cryo_modbus_transport_new_tcp:
 * @host: a host name, an IPv4 address or an IPv6 address (without brackets)
 * @port: the TCP port, 1 to 65535; Modbus TCP uses 502 (protocol: Transports)
 * @unit_id: the unit identifier sent in every request, 0 to 255; the CPA panel uses 1
 *
 * Creates a closed Modbus TCP client. Opening looks @host up and connects, within the
 * response timeout; an unknown host fails with %CRYO_TRANSPORT_ERROR_NOT_FOUND, a
 * refused or unreachable connection with %CRYO_TRANSPORT_ERROR_OPEN_FAILED, a port or
 * unit id out of range with %CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT. The description
 * reads "tcp:HOST:PORT, unit N".
 *
 * The byte-stream methods of #CryoTransport (cryo_transport_read(),
 * cryo_transport_write_all()) fail with %CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT; use the
 * register functions of this class in the link's job functions.
 *
 * Thread: any; the transport itself is then used by one thread at a time.
 *
 * Returns: (transfer full): a new #CryoModbusTransport
 */
CryoTransport *
cryo_modbus_transport_new_tcp (const char *host,
                               guint       port,
                               guint       unit_id)
{
  CryoModbusTransport *self;

  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  self = g_object_new (CRYO_TYPE_MODBUS_TRANSPORT, NULL);
  self->is_tcp = TRUE;
  self->host = g_strdup (host);
  self->port = port;
  self->unit_id = unit_id;

  if (strchr (host, ':') != NULL)
    self->endpoint = g_strdup_printf ("[%s]:%u", host, port);
  else
    self->endpoint = g_strdup_printf ("%s:%u", host, port);
  self->description = g_strdup_printf ("tcp:%s, unit %u", self->endpoint, unit_id);

  return CRYO_TRANSPORT (self);
}

/**
 * cryo_modbus_transport_new_rtu:
 * @path: the serial device, e.g. "/dev/ttyUSB0", a pseudo-terminal or a symbolic link
 *   to one
 * @serial: (nullable): the line settings, %NULL for 9600 8N1; the CPA panel setting
 *   varies (protocol: Transports)
 * @unit_id: the unit (slave) id, 1 to 247; the CPA default is 16
 *
 * Creates a closed Modbus RTU client. Opening maps errors as the serial transport
 * does (%CRYO_TRANSPORT_ERROR_NOT_FOUND, %CRYO_TRANSPORT_ERROR_PERMISSION,
 * %CRYO_TRANSPORT_ERROR_BUSY, %CRYO_TRANSPORT_ERROR_OPEN_FAILED), takes the same
 * advisory lock, so that a Modbus and a serial transport never share a port, and
 * rejects line settings or a unit id libmodbus cannot use with
 * %CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT. The description reads
 * "PATH, 9600 8N1, unit N".
 *
 * Thread: any; the transport itself is then used by one thread at a time.
 *
 * Returns: (transfer full): a new #CryoModbusTransport
 */
CryoTransport *
cryo_modbus_transport_new_rtu (const char             *path,
                               const CryoSerialConfig *serial,
                               guint                   unit_id)
{
  static const CryoSerialConfig default_serial = CRYO_SERIAL_CONFIG_INIT;
  CryoModbusTransport *self;
  g_autofree char *line = NULL;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);

  self = g_object_new (CRYO_TYPE_MODBUS_TRANSPORT, NULL);
  self->is_tcp = FALSE;
  self->path = g_strdup (path);
  self->serial = serial != NULL ? *serial : default_serial;
  self->unit_id = unit_id;
  self->endpoint = g_strdup (path);

  line = cryo_serial_config_to_string (&self->serial);
  self->description = g_strdup_printf ("%s, %s, unit %u", path, line, unit_id);

  return CRYO_TRANSPORT (self);
}

/**
 * cryo_modbus_transport_set_response_timeout:
 * @self: a #CryoModbusTransport
 * @timeout_ms: how long to wait for the start of a reply, in milliseconds, > 0;
 *   the default is %CRYO_MODBUS_DEFAULT_RESPONSE_TIMEOUT_MS (1000)
 *
 * Sets the response timeout. Over TCP it also bounds the connect. Bytes within a
 * reply may be up to libmodbus's byte timeout (500 ms) apart.
 *
 * Thread: any; an open transport applies it from its next request.
 */
void
cryo_modbus_transport_set_response_timeout (CryoModbusTransport *self,
                                            guint                timeout_ms)
{
  g_return_if_fail (CRYO_IS_MODBUS_TRANSPORT (self));
  g_return_if_fail (timeout_ms > 0 && timeout_ms <= G_MAXINT);

  g_atomic_int_set (&self->timeout_ms, (gint) timeout_ms);
}

/**
 * cryo_modbus_transport_get_response_timeout:
 * @self: a #CryoModbusTransport
 *
 * Thread: any.
 *
 * Returns: the response timeout in milliseconds
 */
guint
cryo_modbus_transport_get_response_timeout (CryoModbusTransport *self)
{
  g_return_val_if_fail (CRYO_IS_MODBUS_TRANSPORT (self), 0);

  return (guint) g_atomic_int_get (&self->timeout_ms);
}

/**
 * cryo_modbus_transport_get_unit_id:
 * @self: a #CryoModbusTransport
 *
 * Thread: any.
 *
 * Returns: the unit id given at construction
 */
guint
cryo_modbus_transport_get_unit_id (CryoModbusTransport *self)
{
  g_return_val_if_fail (CRYO_IS_MODBUS_TRANSPORT (self), 0);

  return self->unit_id;
}

/**
 * cryo_modbus_transport_is_tcp:
 * @self: a #CryoModbusTransport
 *
 * Thread: any.
 *
 * Returns: %TRUE for Modbus TCP, %FALSE for Modbus RTU
 */
gboolean
cryo_modbus_transport_is_tcp (CryoModbusTransport *self)
{
  g_return_val_if_fail (CRYO_IS_MODBUS_TRANSPORT (self), FALSE);

  return self->is_tcp;
}

/**
 * cryo_modbus_transport_read_input_registers:
 * @self: an open #CryoModbusTransport
 * @address: the PDU address of the first register: input register "30,001" is 1
 *   (protocol: Addressing)
 * @count: how many registers, 1 to 125
 * @registers: (out caller-allocates) (array length=count): the values, host order
 * @error: return location for a #CryoTransportError or #CryoProtocolError
 *
 * Reads @count input registers (function 04) in one request. @registers is written
 * only on success.
 *
 * Errors: %CRYO_TRANSPORT_ERROR_TIMEOUT when no reply came within the response
 * timeout; %CRYO_PROTOCOL_ERROR_EXCEPTION when the unit answered a Modbus exception
 * (the message names it and the registers); %CRYO_PROTOCOL_ERROR_CHECKSUM on a bad CRC;
 * %CRYO_PROTOCOL_ERROR_UNEXPECTED or %CRYO_PROTOCOL_ERROR_MALFORMED for a reply that
 * does not fit the request; %CRYO_TRANSPORT_ERROR_DISCONNECTED when the connection or
 * port is gone (also when the transport is not open), so that a link reconnects;
 * %CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT for a range Modbus cannot express. After a
 * timeout or a reply that could not be paired with its request, the next request
 * waits until one response timeout has passed since, then flushes, so that a late
 * reply is never taken for the next answer.
 *
 * Thread: the worker thread that opened the transport.
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_modbus_transport_read_input_registers (CryoModbusTransport  *self,
                                            guint                 address,
                                            guint                 count,
                                            guint16              *registers,
                                            GError              **error)
{
  g_return_val_if_fail (CRYO_IS_MODBUS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (registers != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return read_registers (self, REGISTERS_INPUT, address, count, registers, error);
}

/**
 * cryo_modbus_transport_read_holding_registers:
 * @self: an open #CryoModbusTransport
 * @address: the PDU address of the first register: holding register "40,001" is 1
 *   (protocol: Addressing)
 * @count: how many registers, 1 to 125
 * @registers: (out caller-allocates) (array length=count): the values, host order
 * @error: return location for a #CryoTransportError or #CryoProtocolError
 *
 * Reads @count holding registers (function 03) in one request. @registers is written
 * only on success. Errors as for cryo_modbus_transport_read_input_registers().
 *
 * Thread: the worker thread that opened the transport.
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_modbus_transport_read_holding_registers (CryoModbusTransport  *self,
                                              guint                 address,
                                              guint                 count,
                                              guint16              *registers,
                                              GError              **error)
{
  g_return_val_if_fail (CRYO_IS_MODBUS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (registers != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return read_registers (self, REGISTERS_HOLDING, address, count, registers, error);
}

/**
 * cryo_modbus_transport_write_register:
 * @self: an open #CryoModbusTransport
 * @address: the PDU address of the holding register: "40,001" is 1 (protocol:
 *   Control)
 * @value: the value to write
 * @error: return location for a #CryoTransportError or #CryoProtocolError
 *
 * Writes one holding register (function 06) and waits for the unit's echo. Errors as
 * for cryo_modbus_transport_read_input_registers(); after a timeout the write may or
 * may not have taken effect.
 *
 * Thread: the worker thread that opened the transport.
 *
 * Returns: %TRUE when the unit confirmed the write
 */
gboolean
cryo_modbus_transport_write_register (CryoModbusTransport  *self,
                                      guint                 address,
                                      guint16               value,
                                      GError              **error)
{
  g_autofree char *what = NULL;
  int ret;

  g_return_val_if_fail (CRYO_IS_MODBUS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_range (address, 1, 1, error) || !begin_request (self, error))
    return FALSE;

  errno = 0;
  ret = modbus_write_register (self->ctx, (int) address, value);
  if (ret != 1)
    {
      int errsv = errno;

      what = describe_registers (REGISTERS_HOLDING, address, 1);
      if (ret < 0)
        {
          set_request_error (self, errsv, what, error);
        }
      else
        {
          mark_line_dirty (self);
          g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                       _("The reply from unit %u for %s is malformed."), self->unit_id,
                       what);
        }
      return FALSE;
    }

  return TRUE;
}
