/* cryo-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-transport"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-transport.h"

G_DEFINE_QUARK (cryo-transport-error-quark, cryo_transport_error)

G_DEFINE_INTERFACE (CryoTransport, cryo_transport, G_TYPE_OBJECT)

static void
cryo_transport_default_init (CryoTransportInterface *iface)
{
}

/**
 * cryo_transport_open:
 * @self: a #CryoTransport
 * @error: return location for a #CryoTransportError
 *
 * Opens and configures the port. Opening an open transport closes it first.
 *
 * Thread: the owning worker thread.
 *
 * Returns: %TRUE on success; %FALSE with %CRYO_TRANSPORT_ERROR_NOT_FOUND,
 *   %CRYO_TRANSPORT_ERROR_PERMISSION, %CRYO_TRANSPORT_ERROR_BUSY,
 *   %CRYO_TRANSPORT_ERROR_OPEN_FAILED or %CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT
 */
gboolean
cryo_transport_open (CryoTransport  *self,
                     GError        **error)
{
  g_return_val_if_fail (CRYO_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return CRYO_TRANSPORT_GET_IFACE (self)->open (self, error);
}

/**
 * cryo_transport_close:
 * @self: a #CryoTransport
 *
 * Closes the port. Does nothing when it is already closed.
 *
 * Thread: the owning worker thread.
 */
void
cryo_transport_close (CryoTransport *self)
{
  g_return_if_fail (CRYO_IS_TRANSPORT (self));

  CRYO_TRANSPORT_GET_IFACE (self)->close (self);
}

/**
 * cryo_transport_is_open:
 * @self: a #CryoTransport
 *
 * Thread: the owning worker thread.
 *
 * Returns: whether the port is open (it may still have vanished since the last I/O)
 */
gboolean
cryo_transport_is_open (CryoTransport *self)
{
  g_return_val_if_fail (CRYO_IS_TRANSPORT (self), FALSE);

  return CRYO_TRANSPORT_GET_IFACE (self)->is_open (self);
}

/**
 * cryo_transport_write_all:
 * @self: an open #CryoTransport
 * @data: (array length=len): the bytes to send
 * @len: number of bytes in @data
 * @error: return location for a #CryoTransportError
 *
 * Writes all @len bytes, waiting for the output buffer as needed.
 *
 * Thread: the owning worker thread.
 *
 * Returns: %TRUE when every byte was handed to the port; %FALSE with
 *   %CRYO_TRANSPORT_ERROR_DISCONNECTED when the port vanished, or
 *   %CRYO_TRANSPORT_ERROR_IO (also when the transport is not open)
 */
gboolean
cryo_transport_write_all (CryoTransport  *self,
                          const guint8   *data,
                          gsize           len,
                          GError        **error)
{
  g_return_val_if_fail (CRYO_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return CRYO_TRANSPORT_GET_IFACE (self)->write_all (self, data, len, error);
}

/**
 * cryo_transport_read:
 * @self: an open #CryoTransport
 * @buffer: (out caller-allocates) (array length=len): where to store the bytes
 * @len: size of @buffer in bytes, at least 1
 * @timeout_ms: how long to wait for the first byte, in milliseconds; 0 only
 *   takes what has already arrived
 * @error: return location for a #CryoTransportError
 *
 * Waits up to @timeout_ms for at least one byte and returns what has arrived, at most
 * @len bytes. A timeout is not an error here: framing and reply deadlines belong to
 * the protocol, which raises %CRYO_TRANSPORT_ERROR_TIMEOUT itself.
 *
 * Thread: the owning worker thread.
 *
 * Returns: the number of bytes read (> 0), 0 on timeout, or -1 with
 *   %CRYO_TRANSPORT_ERROR_DISCONNECTED when the port vanished, or
 *   %CRYO_TRANSPORT_ERROR_IO (also when the transport is not open)
 */
gssize
cryo_transport_read (CryoTransport  *self,
                     guint8         *buffer,
                     gsize           len,
                     guint           timeout_ms,
                     GError        **error)
{
  g_return_val_if_fail (CRYO_IS_TRANSPORT (self), -1);
  g_return_val_if_fail (buffer != NULL, -1);
  g_return_val_if_fail (len > 0, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return CRYO_TRANSPORT_GET_IFACE (self)->read (self, buffer, len, timeout_ms, error);
}

/**
 * cryo_transport_discard_input:
 * @self: a #CryoTransport
 *
 * Drops every byte received and not yet read, e.g. the rest of a garbled reply before
 * the next request. Does nothing when the transport is closed.
 *
 * Thread: the owning worker thread.
 */
void
cryo_transport_discard_input (CryoTransport *self)
{
  g_return_if_fail (CRYO_IS_TRANSPORT (self));

  CRYO_TRANSPORT_GET_IFACE (self)->discard_input (self);
}

/**
 * cryo_transport_get_description:
 * @self: a #CryoTransport
 *
 * A short name of the port and its settings for logs and the user interface, e.g.
 * "/dev/ttyUSB0, 9600 8N1". It does not change for the object's lifetime.
 *
 * Thread: any.
 *
 * Returns: (transfer none): the description
 */
const char *
cryo_transport_get_description (CryoTransport *self)
{
  g_return_val_if_fail (CRYO_IS_TRANSPORT (self), NULL);

  return CRYO_TRANSPORT_GET_IFACE (self)->get_description (self);
}

/**
 * cryo_transport_error_is_fatal:
 * @error: (nullable): an error returned by a transport or a transaction over it
 *
 * Whether @error means the port is gone or unusable, so that a link closes it and
 * reopens it later: %CRYO_TRANSPORT_ERROR_DISCONNECTED, %CRYO_TRANSPORT_ERROR_IO,
 * %CRYO_TRANSPORT_ERROR_NOT_FOUND, %CRYO_TRANSPORT_ERROR_PERMISSION,
 * %CRYO_TRANSPORT_ERROR_BUSY and %CRYO_TRANSPORT_ERROR_OPEN_FAILED. A timeout, a bad
 * configuration and every protocol error leave the port open.
 *
 * Thread: any.
 *
 * Returns: %TRUE when the port should be closed and reopened
 */
gboolean
cryo_transport_error_is_fatal (const GError *error)
{
  if (error == NULL || error->domain != CRYO_TRANSPORT_ERROR)
    return FALSE;

  switch ((CryoTransportError) error->code)
    {
    case CRYO_TRANSPORT_ERROR_DISCONNECTED:
    case CRYO_TRANSPORT_ERROR_IO:
    case CRYO_TRANSPORT_ERROR_NOT_FOUND:
    case CRYO_TRANSPORT_ERROR_PERMISSION:
    case CRYO_TRANSPORT_ERROR_BUSY:
    case CRYO_TRANSPORT_ERROR_OPEN_FAILED:
      return TRUE;

    case CRYO_TRANSPORT_ERROR_TIMEOUT:
    case CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT:
    default:
      return FALSE;
    }
}
