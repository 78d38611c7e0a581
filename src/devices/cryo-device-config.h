/* cryo-device-config.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device.h"
#include "cryo-serial-transport.h"

G_BEGIN_DECLS

/**
 * CryoDeviceConfig:
 * @type: the instrument type ("pump-station", "cpa")
 * @port: the device path ("/dev/ttyUSB0", a pseudo-terminal or a link to one),
 *   or %NULL for a network instrument
 * @host: (nullable): the host of a Modbus TCP instrument
 * @tcp_port: the TCP port of a Modbus TCP instrument (default 502)
 * @serial: line settings (baud rate, data bits, parity, stop bits)
 * @address: the RS-485 address 0..31 of the pumping station
 * @unit_id: the Modbus unit id of the compressor, 0 for the default
 *   (16 over RTU, 1 over TCP: cryomech-cpa-modbus.md "Transports")
 * @poll_interval_ms: poll interval in ms, 0 for the preference's value
 *
 * How to reach one instrument: from `--device TYPE:PORT[,key=value]...` or
 * a group of the devices keyfile.
 */
typedef struct
{
  char             *type;
  char             *port;
  char             *host;
  guint             tcp_port;
  CryoSerialConfig  serial;
  guint             address;
  guint             unit_id;
  guint             poll_interval_ms;
} CryoDeviceConfig;

CryoDeviceConfig *cryo_device_config_new            (const char              *type,
                                                     const char              *port);
void              cryo_device_config_free           (CryoDeviceConfig        *config);
CryoDeviceConfig *cryo_device_config_parse          (const char              *spec,
                                                     GError                 **error);
GPtrArray        *cryo_device_config_load_keyfile   (const char              *path,
                                                     GError                 **error);
char             *cryo_device_config_get_default_path (void);
CryoDevice       *cryo_device_config_create_device  (const CryoDeviceConfig  *config,
                                                     GError                 **error);
const char * const *cryo_device_config_get_types    (void);
char             *cryo_device_config_dup_port_spec  (const CryoDeviceConfig  *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoDeviceConfig, cryo_device_config_free)

G_END_DECLS
