/* cryo-modbus-transport.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cryo-serial-transport.h"
#include "cryo-transport.h"

G_BEGIN_DECLS

/* The response timeout a new transport starts with, in milliseconds. */
#define CRYO_MODBUS_DEFAULT_RESPONSE_TIMEOUT_MS 1000

#define CRYO_TYPE_MODBUS_TRANSPORT (cryo_modbus_transport_get_type ())

G_DECLARE_FINAL_TYPE (CryoModbusTransport, cryo_modbus_transport, CRYO, MODBUS_TRANSPORT, GObject)

CryoTransport *cryo_modbus_transport_new_tcp                 (const char              *host,
                                                              guint                    port,
                                                              guint                    unit_id);
CryoTransport *cryo_modbus_transport_new_rtu                 (const char              *path,
                                                              const CryoSerialConfig  *serial,
                                                              guint                    unit_id);

void           cryo_modbus_transport_set_response_timeout    (CryoModbusTransport     *self,
                                                              guint                    timeout_ms);
guint          cryo_modbus_transport_get_response_timeout    (CryoModbusTransport     *self);
guint          cryo_modbus_transport_get_unit_id             (CryoModbusTransport     *self);
gboolean       cryo_modbus_transport_is_tcp                  (CryoModbusTransport     *self);

gboolean       cryo_modbus_transport_read_input_registers    (CryoModbusTransport     *self,
                                                              guint                    address,
                                                              guint                    count,
                                                              guint16                 *registers,
                                                              GError                 **error);
gboolean       cryo_modbus_transport_read_holding_registers  (CryoModbusTransport     *self,
                                                              guint                    address,
                                                              guint                    count,
                                                              guint16                 *registers,
                                                              GError                 **error);
gboolean       cryo_modbus_transport_write_register          (CryoModbusTransport     *self,
                                                              guint                    address,
                                                              guint16                  value,
                                                              GError                 **error);

G_END_DECLS
