/* cryo-sim-modbus-responder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-modbus-responder"

#include "config.h"

#include "cryo-sim-modbus-responder.h"

G_DEFINE_INTERFACE (CryoSimModbusResponder, cryo_sim_modbus_responder, CRYO_TYPE_SIM_RESPONDER)

static void
cryo_sim_modbus_responder_default_init (CryoSimModbusResponderInterface *iface)
{
}

/**
 * cryo_sim_modbus_responder_get_unit_id:
 * @self: a #CryoSimModbusResponder
 *
 * Returns: the unit (slave) id answered over Modbus RTU, 1..247: requests
 *   for other units get no reply, broadcasts (unit 0) are applied without
 *   one. Over Modbus TCP every unit id is answered.
 */
guint
cryo_sim_modbus_responder_get_unit_id (CryoSimModbusResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_MODBUS_RESPONDER (self), 0);

  return CRYO_SIM_MODBUS_RESPONDER_GET_IFACE (self)->get_unit_id (self);
}

/**
 * cryo_sim_modbus_responder_get_mapping:
 * @self: a #CryoSimModbusResponder
 *
 * Returns: (transfer none): the register map libmodbus answers from
 *   (modbus_reply()); used in the server thread only
 */
modbus_mapping_t *
cryo_sim_modbus_responder_get_mapping (CryoSimModbusResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_MODBUS_RESPONDER (self), NULL);

  return CRYO_SIM_MODBUS_RESPONDER_GET_IFACE (self)->get_mapping (self);
}

/**
 * cryo_sim_modbus_responder_handle_request:
 * @self: a #CryoSimModbusResponder
 * @pdu: (array length=len): the request's protocol data unit: function code
 *   first, without the RTU address and CRC or the TCP MBAP header; libmodbus
 *   has checked its framing but not its contents
 * @len: length of @pdu, ≥ 1
 *
 * Applies the request to the model (writes are logged with
 * cryo_sim_responder_log_command()) and updates the mapping, from which
 * libmodbus then builds the reply.
 *
 * Returns: 0 for libmodbus's normal reply, else the Modbus exception code
 *   (MODBUS_EXCEPTION_ILLEGAL_FUNCTION, …) to answer with
 */
guint
cryo_sim_modbus_responder_handle_request (CryoSimModbusResponder *self,
                                          const guint8           *pdu,
                                          gsize                   len)
{
  g_return_val_if_fail (CRYO_IS_SIM_MODBUS_RESPONDER (self),
                        MODBUS_EXCEPTION_SLAVE_OR_SERVER_FAILURE);
  g_return_val_if_fail (pdu != NULL && len >= 1,
                        MODBUS_EXCEPTION_SLAVE_OR_SERVER_FAILURE);

  return CRYO_SIM_MODBUS_RESPONDER_GET_IFACE (self)->handle_request (self, pdu, len);
}
