/* cryo-sim-modbus-responder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated Modbus instrument: its register map behind libmodbus, which
 * frames the requests (RTU on a pseudo-terminal, TCP on a port) and builds
 * the replies for #CryoSimServer. DESIGN.md "Simulator".
 */

#pragma once

#include <glib-object.h>
#include <modbus.h>

#include "cryo-sim-responder.h"

G_BEGIN_DECLS

#define CRYO_TYPE_SIM_MODBUS_RESPONDER (cryo_sim_modbus_responder_get_type ())

G_DECLARE_INTERFACE (CryoSimModbusResponder, cryo_sim_modbus_responder, CRYO, SIM_MODBUS_RESPONDER, CryoSimResponder)

/**
 * CryoSimModbusResponderInterface:
 * @get_unit_id: the unit (slave) id answered over RTU, 1..247; over TCP
 *   every unit id is answered
 * @get_mapping: the registers libmodbus answers reads from (and stores
 *   writes in), owned by the responder
 * @handle_request: applies a request to the model and brings the mapping up
 *   to date before libmodbus answers from it; returns 0 for that normal
 *   reply, or the Modbus exception code to answer with instead
 *
 * Called like #CryoSimResponder, in the server's thread under its lock.
 */
struct _CryoSimModbusResponderInterface
{
  GTypeInterface parent_iface;

  guint             (*get_unit_id)    (CryoSimModbusResponder *self);
  modbus_mapping_t *(*get_mapping)    (CryoSimModbusResponder *self);
  guint             (*handle_request) (CryoSimModbusResponder *self,
                                       const guint8           *pdu,
                                       gsize                   len);
};

guint             cryo_sim_modbus_responder_get_unit_id    (CryoSimModbusResponder *self);
modbus_mapping_t *cryo_sim_modbus_responder_get_mapping    (CryoSimModbusResponder *self);
guint             cryo_sim_modbus_responder_handle_request (CryoSimModbusResponder *self,
                                                            const guint8           *pdu,
                                                            gsize                   len);

G_END_DECLS
