/* cryo-device-config.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device-kind.h"
#include "cryo-serial-transport.h"

G_BEGIN_DECLS

/**
 * CryoDeviceConfig:
 * @kind: the instrument kind
 * @name: (nullable): the device's name given by the user; %NULL for the
 *   kind's title, made unique when the device is added
 * @id: (nullable): the device's stable id, the key of its channels in the
 *   history archive ("pumping_station"): assigned once when the device is
 *   added (derived from its name then, unique among the configured
 *   devices) and kept when it is renamed; %NULL until then, and in a
 *   devices file written before ids existed (the session then derives it
 *   from the name, as every earlier version did)
 * @port: the device path ("/dev/ttyUSB0", a pseudo-terminal or a link to
 *   one), or %NULL for a network instrument
 * @host: (nullable): the host of a TCP instrument: Modbus TCP, or for a
 *   serial kind a serial device server (raw TCP)
 * @tcp_port: the TCP port of a TCP instrument
 * @serial: line settings (baud rate, data bits, parity, stop bits); unused
 *   over TCP
 * @options: the kind's option values, in the order of its options table
 * @options_given: bit i set when option i was given (else its default applies)
 * @poll_interval_ms: poll interval in ms, 0 for the preference's value
 * @disabled: configured but not opened
 * @service_hours: what the kind's counter of total hours (the channel with
 *   %CRYO_CHANNEL_FLAG_SERVICE_RECORD) read at the last service, h; NaN
 *   when no service was recorded. `service-hours` in the keyfile.
 * @thresholds: (nullable): the user's thresholds, "CHANNEL=THRESHOLD" with
 *   the threshold in the text form of cryo_threshold_spec_to_string(), in
 *   channel-table order; `threshold.CHANNEL=` keys in devices.conf
 *
 * How to reach one instrument: from `--device KIND:PORT[,key=value]...` or
 * a group of the devices keyfile. Boxed, so a device can keep its own copy.
 */
typedef struct
{
  const CryoDeviceKind *kind;
  char                 *name;
  char                 *id;
  char                 *port;
  char                 *host;
  guint                 tcp_port;
  CryoSerialConfig      serial;
  guint                 options[CRYO_KIND_MAX_OPTIONS];
  guint                 options_given;
  guint                 poll_interval_ms;
  gboolean              disabled;
  double                service_hours;
  char                **thresholds;
} CryoDeviceConfig;

#define CRYO_TYPE_DEVICE_CONFIG (cryo_device_config_get_type ())

GType             cryo_device_config_get_type         (void) G_GNUC_CONST;
CryoDeviceConfig *cryo_device_config_new              (const CryoDeviceKind     *kind,
                                                       const char               *port);
CryoDeviceConfig *cryo_device_config_copy             (const CryoDeviceConfig   *config);
void              cryo_device_config_free             (CryoDeviceConfig         *config);
gboolean          cryo_device_config_equal            (const CryoDeviceConfig   *a,
                                                       const CryoDeviceConfig   *b);
CryoDeviceConfig *cryo_device_config_parse            (const char               *spec,
                                                       GError                  **error);
char             *cryo_device_config_to_spec          (const CryoDeviceConfig   *config);
gboolean          cryo_device_config_set_port         (CryoDeviceConfig         *config,
                                                       const char               *port,
                                                       GError                  **error);
char             *cryo_device_config_dup_port_spec    (const CryoDeviceConfig   *config);
gboolean          cryo_device_config_set_option       (CryoDeviceConfig         *config,
                                                       const char               *key,
                                                       const char               *value,
                                                       GError                  **error);
guint             cryo_device_config_get_option       (const CryoDeviceConfig   *config,
                                                       const char               *name);
gboolean          cryo_device_config_set_threshold    (CryoDeviceConfig         *config,
                                                       const char               *channel,
                                                       const char               *threshold,
                                                       GError                  **error);
const char       *cryo_device_config_get_threshold    (const CryoDeviceConfig   *config,
                                                       const char               *channel);
CryoDeviceConfig *cryo_device_config_from_keyfile     (GKeyFile                 *keyfile,
                                                       const char               *group,
                                                       GError                  **error);
void              cryo_device_config_to_keyfile       (const CryoDeviceConfig   *config,
                                                       GKeyFile                 *keyfile,
                                                       const char               *group);
char             *cryo_device_config_edit_keyfile_text (const char           *text,
                                                       const char               *old_group,
                                                       const char               *new_group,
                                                       const CryoDeviceConfig   *config,
                                                       GError                  **error);
GPtrArray        *cryo_device_config_load_keyfile     (const char               *path,
                                                       GError                  **error);
char             *cryo_device_config_get_default_path (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoDeviceConfig, cryo_device_config_free)

G_END_DECLS
