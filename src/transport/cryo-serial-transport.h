/* cryo-serial-transport.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cryo-transport.h"

G_BEGIN_DECLS

/**
 * CryoParity:
 * @CRYO_PARITY_NONE: no parity bit
 * @CRYO_PARITY_ODD: odd parity
 * @CRYO_PARITY_EVEN: even parity
 */
typedef enum
{
  CRYO_PARITY_NONE,
  CRYO_PARITY_ODD,
  CRYO_PARITY_EVEN,
} CryoParity;

/**
 * CryoSerialConfig:
 * @baud: line speed in bit/s, one of the standard rates (50 … 4000000)
 * @data_bits: 5, 6, 7 or 8
 * @parity: the parity bit
 * @stop_bits: 1 or 2
 *
 * The line settings of a serial port. Flow control is always off (no RTS/CTS, no
 * XON/XOFF): instrument protocols send 0x11/0x13 as data.
 */
typedef struct
{
  guint      baud;
  guint      data_bits;
  CryoParity parity;
  guint      stop_bits;
} CryoSerialConfig;

#define CRYO_SERIAL_CONFIG_INIT { 9600, 8, CRYO_PARITY_NONE, 1 }

/**
 * CryoSerialPortInfo:
 * @path: the device path, e.g. "/dev/ttyUSB0"
 * @description: what the port is, for a port chooser, e.g.
 *   "FTDI FT232R USB UART (A10K2Z3B)"
 * @stable_path: (nullable): the link udev made to the port under
 *   `/dev/serial/by-id/`, e.g.
 *   "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K2Z3B-if00-port0":
 *   unlike @path it names the same adapter after re-plugging or a reboot,
 *   so it is the one to save. %NULL for ports without one (built-in UARTs).
 */
typedef struct
{
  char *path;
  char *description;
  char *stable_path;
} CryoSerialPortInfo;

#define CRYO_TYPE_SERIAL_TRANSPORT (cryo_serial_transport_get_type ())

G_DECLARE_FINAL_TYPE (CryoSerialTransport, cryo_serial_transport, CRYO, SERIAL_TRANSPORT, GObject)

CryoTransport          *cryo_serial_transport_new        (const char              *path,
                                                          const CryoSerialConfig  *config);
const char             *cryo_serial_transport_get_path   (CryoSerialTransport     *self);
const CryoSerialConfig *cryo_serial_transport_get_config (CryoSerialTransport     *self);

gboolean                cryo_serial_config_validate      (const CryoSerialConfig  *config,
                                                          GError                 **error);
char                   *cryo_serial_config_to_string     (const CryoSerialConfig  *config);

void                    cryo_serial_port_info_free       (CryoSerialPortInfo      *info);
GPtrArray              *cryo_serial_list_ports           (GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoSerialPortInfo, cryo_serial_port_info_free)

G_END_DECLS
