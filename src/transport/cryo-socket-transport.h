/* cryo-socket-transport.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cryo-transport.h"

G_BEGIN_DECLS

/* How long opening waits for the TCP connection, in seconds (GSocketClient's
 * timeout has whole seconds). A device server on the lab network answers in
 * milliseconds; an address with nothing behind it should not hold the link's
 * worker, or cryo_link_stop(), for long. */
#define CRYO_SOCKET_TRANSPORT_CONNECT_TIMEOUT_S 3

#define CRYO_TYPE_SOCKET_TRANSPORT (cryo_socket_transport_get_type ())

G_DECLARE_FINAL_TYPE (CryoSocketTransport, cryo_socket_transport, CRYO, SOCKET_TRANSPORT, GObject)

CryoTransport *cryo_socket_transport_new      (const char          *host,
                                               guint                port);
const char    *cryo_socket_transport_get_host (CryoSocketTransport *self);
guint          cryo_socket_transport_get_port (CryoSocketTransport *self);

G_END_DECLS
