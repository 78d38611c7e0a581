/* cryo-protocol-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRYO_PROTOCOL_ERROR (cryo_protocol_error_quark ())

/**
 * CryoProtocolError:
 * @CRYO_PROTOCOL_ERROR_CHECKSUM: a frame's checksum did not match
 * @CRYO_PROTOCOL_ERROR_TRUNCATED: a frame ended early (a new start byte arrived inside it)
 * @CRYO_PROTOCOL_ERROR_OVERLONG: no frame end within the longest frame the protocol allows
 * @CRYO_PROTOCOL_ERROR_MALFORMED: a frame had the right envelope but wrong contents
 * @CRYO_PROTOCOL_ERROR_UNEXPECTED: a well-formed reply that does not answer the request
 * @CRYO_PROTOCOL_ERROR_NACK: the instrument answered NACK (command not executed)
 * @CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW: the instrument does not know the window/register
 * @CRYO_PROTOCOL_ERROR_DATA_TYPE: the instrument rejected the data type or length
 * @CRYO_PROTOCOL_ERROR_OUT_OF_RANGE: the instrument rejected the value as out of range
 * @CRYO_PROTOCOL_ERROR_REFUSED: the instrument refused the command in its current
 *   state (window disabled, remote mode)
 * @CRYO_PROTOCOL_ERROR_EXCEPTION: the instrument answered a Modbus exception
 *   (illegal function, data address or value, device failure…); the message
 *   names it
 *
 * Errors of the wire codecs in src/protocols/, shared by every protocol.
 */
typedef enum
{
  CRYO_PROTOCOL_ERROR_CHECKSUM,
  CRYO_PROTOCOL_ERROR_TRUNCATED,
  CRYO_PROTOCOL_ERROR_OVERLONG,
  CRYO_PROTOCOL_ERROR_MALFORMED,
  CRYO_PROTOCOL_ERROR_UNEXPECTED,
  CRYO_PROTOCOL_ERROR_NACK,
  CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW,
  CRYO_PROTOCOL_ERROR_DATA_TYPE,
  CRYO_PROTOCOL_ERROR_OUT_OF_RANGE,
  CRYO_PROTOCOL_ERROR_REFUSED,
  CRYO_PROTOCOL_ERROR_EXCEPTION,
} CryoProtocolError;

GQuark cryo_protocol_error_quark (void);

G_END_DECLS
