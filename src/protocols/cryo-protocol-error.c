/* cryo-protocol-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-protocol-error"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-protocol-error.h"

/**
 * cryo_protocol_error_quark:
 *
 * The error domain of the wire codecs in src/protocols/ (#CRYO_PROTOCOL_ERROR);
 * error codes are #CryoProtocolError. Thread safe.
 *
 * Returns: the #GQuark "cryo-protocol-error-quark"
 */
G_DEFINE_QUARK (cryo-protocol-error-quark, cryo_protocol_error)
