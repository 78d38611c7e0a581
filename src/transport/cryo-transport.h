/* cryo-transport.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRYO_TRANSPORT_ERROR (cryo_transport_error_quark ())

/**
 * CryoTransportError:
 * @CRYO_TRANSPORT_ERROR_NOT_FOUND: no such port or path
 * @CRYO_TRANSPORT_ERROR_PERMISSION: access denied (EACCES); the message tells the operator
 *   to join the dialout group
 * @CRYO_TRANSPORT_ERROR_BUSY: the port is in use by another program (EBUSY, or its lock is held)
 * @CRYO_TRANSPORT_ERROR_OPEN_FAILED: any other failure to open or configure the port
 * @CRYO_TRANSPORT_ERROR_DISCONNECTED: the port vanished (EIO, ENXIO, POLLHUP: USB adapter
 *   unplugged, pseudo-terminal master closed), or the link is not connected
 * @CRYO_TRANSPORT_ERROR_TIMEOUT: no (complete) reply in time; raised by protocol transactions,
 *   never by cryo_transport_read(), which returns 0 on timeout
 * @CRYO_TRANSPORT_ERROR_IO: any other read or write failure
 * @CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT: a bad line configuration (baud rate, data bits,
 *   parity, stop bits)
 *
 * Errors of the transport layer in src/transport/. Messages are translated and say what
 * the operator can do.
 */
typedef enum
{
  CRYO_TRANSPORT_ERROR_NOT_FOUND,
  CRYO_TRANSPORT_ERROR_PERMISSION,
  CRYO_TRANSPORT_ERROR_BUSY,
  CRYO_TRANSPORT_ERROR_OPEN_FAILED,
  CRYO_TRANSPORT_ERROR_DISCONNECTED,
  CRYO_TRANSPORT_ERROR_TIMEOUT,
  CRYO_TRANSPORT_ERROR_IO,
  CRYO_TRANSPORT_ERROR_INVALID_ARGUMENT,
} CryoTransportError;

GQuark cryo_transport_error_quark (void);

#define CRYO_TYPE_TRANSPORT (cryo_transport_get_type ())

G_DECLARE_INTERFACE (CryoTransport, cryo_transport, CRYO, TRANSPORT, GObject)

/**
 * CryoTransportInterface:
 * @parent_iface: the parent interface
 * @open: opens and configures the port; %FALSE with a #CryoTransportError on failure
 * @close: closes the port; does nothing when it is closed
 * @is_open: whether the port is open
 * @write_all: writes every byte or fails
 * @read: waits up to a timeout for at least one byte, see cryo_transport_read()
 * @discard_input: drops bytes received and not yet read
 * @get_description: a short human-readable name, constant for the object's lifetime
 *
 * A byte stream to one instrument. Every method except @get_description is called from
 * one thread at a time (the link's worker, or a test); implementations need no locking
 * of their own.
 */
struct _CryoTransportInterface
{
  GTypeInterface parent_iface;

  gboolean     (*open)            (CryoTransport  *self,
                                   GError        **error);
  void         (*close)           (CryoTransport  *self);
  gboolean     (*is_open)         (CryoTransport  *self);
  gboolean     (*write_all)       (CryoTransport  *self,
                                   const guint8   *data,
                                   gsize           len,
                                   GError        **error);
  gssize       (*read)            (CryoTransport  *self,
                                   guint8         *buffer,
                                   gsize           len,
                                   guint           timeout_ms,
                                   GError        **error);
  void         (*discard_input)   (CryoTransport  *self);
  const char  *(*get_description) (CryoTransport  *self);
};

gboolean    cryo_transport_open            (CryoTransport  *self,
                                            GError        **error);
void        cryo_transport_close           (CryoTransport  *self);
gboolean    cryo_transport_is_open         (CryoTransport  *self);
gboolean    cryo_transport_write_all       (CryoTransport  *self,
                                            const guint8   *data,
                                            gsize           len,
                                            GError        **error);
gssize      cryo_transport_read            (CryoTransport  *self,
                                            guint8         *buffer,
                                            gsize           len,
                                            guint           timeout_ms,
                                            GError        **error);
void        cryo_transport_discard_input   (CryoTransport  *self);
const char *cryo_transport_get_description (CryoTransport  *self);

gboolean    cryo_transport_error_is_fatal  (const GError   *error);

G_END_DECLS
