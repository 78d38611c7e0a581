/* cryo-sim-cpa-responder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-cpa-responder"

#include "config.h"

#include "cryo-cpa.h"
#include "cryo-sim-cpa-responder.h"

#define MAX_RTU_UNIT_ID 247

struct _CryoSimCpaResponder
{
  GObject           parent_instance;

  CryoSimCpa       *model;
  guint             unit_id;
  modbus_mapping_t *mapping;
};

static void responder_iface_init        (CryoSimResponderInterface       *iface);
static void modbus_responder_iface_init (CryoSimModbusResponderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CryoSimCpaResponder, cryo_sim_cpa_responder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_SIM_RESPONDER, responder_iface_init)
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_SIM_MODBUS_RESPONDER,
                                                      modbus_responder_iface_init))

static void
log_command (CryoSimCpaResponder *self,
             guint                address,
             guint                value,
             const char          *outcome)
{
  cryo_sim_responder_log_command (CRYO_SIM_RESPONDER (self), "HR%u 0x%04X %s",
                                  address, value, outcome);
}

/* A write of @value to holding register @address, applied to the model.
 * Returns the Modbus exception code to reply with, 0 for the normal echo.
 * cryomech-cpa-modbus.md "Control". */
static guint
apply_write (CryoSimCpaResponder *self,
             guint                address,
             guint                value)
{
  if (address != CRYO_CPA_CONTROL_REGISTER)
    {
      log_command (self, address, value, "ILLEGAL_ADDRESS");
      return MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS;
    }

  switch (value)
    {
    case CRYO_CPA_CONTROL_START:
      switch (cryo_sim_cpa_start (self->model))
        {
        case CRYO_SIM_CPA_START_ACCEPTED:
          log_command (self, address, value, "ACK");
          break;
        case CRYO_SIM_CPA_START_REFUSED_ALARM:
          log_command (self, address, value, "REFUSED (alarm)");
          break;
        case CRYO_SIM_CPA_START_REFUSED_STATE:
        default:
          log_command (self, address, value, "REFUSED (state)");
          break;
        }
      return 0;

    case CRYO_CPA_CONTROL_STOP:
    case CRYO_CPA_CONTROL_STOP_VENDOR:
      cryo_sim_cpa_stop (self->model);
      log_command (self, address, value, "ACK");
      return 0;

    default:
      log_command (self, address, value, "ILLEGAL_VALUE");
      return MODBUS_EXCEPTION_ILLEGAL_DATA_VALUE;
    }
}

/* Every write to a holding register that reached the simulator intact is
 * logged as "HR<address> 0x<value> <outcome>", the outcome ACK,
 * "REFUSED (alarm)", "REFUSED (state)" (acknowledged on the wire, state
 * unchanged), ILLEGAL_VALUE or ILLEGAL_ADDRESS (answered with that
 * exception), e.g. "HR1 0x0001 ACK"; reads are not logged. */
static guint
cryo_sim_cpa_responder_handle_request (CryoSimModbusResponder *responder,
                                       const guint8           *pdu,
                                       gsize                   len)
{
  CryoSimCpaResponder *self = CRYO_SIM_CPA_RESPONDER (responder);
  guint8 function = pdu[0];

  cryo_sim_cpa_encode_input_registers (self->model, self->mapping->tab_input_registers);

  if (function == MODBUS_FC_WRITE_SINGLE_REGISTER && len >= 5)
    {
      return apply_write (self,
                          (guint) (pdu[1] << 8 | pdu[2]),
                          (guint) (pdu[3] << 8 | pdu[4]));
    }

  if (function == MODBUS_FC_WRITE_MULTIPLE_REGISTERS && len >= 8)
    {
      guint address = (guint) (pdu[1] << 8 | pdu[2]);
      guint quantity = (guint) (pdu[3] << 8 | pdu[4]);
      guint byte_count = pdu[5];
      guint value = (guint) (pdu[6] << 8 | pdu[7]);

      /* Malformed requests are left to libmodbus, which answers them with
       * an exception. */
      if (quantity >= 1 && byte_count == 2 * quantity && len >= 6 + byte_count)
        {
          if (quantity == 1)
            return apply_write (self, address, value);

          log_command (self, address, value, "ILLEGAL_ADDRESS");
          return MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS;
        }
      return 0;
    }

  /* The panel has no use for them; answering them through the mapping
   * would change holding register 1 behind the model's back. */
  if (function == MODBUS_FC_MASK_WRITE_REGISTER
      || function == MODBUS_FC_WRITE_AND_READ_REGISTERS)
    return MODBUS_EXCEPTION_ILLEGAL_FUNCTION;

  return 0;
}

static guint
cryo_sim_cpa_responder_get_unit_id (CryoSimModbusResponder *responder)
{
  return CRYO_SIM_CPA_RESPONDER (responder)->unit_id;
}

static modbus_mapping_t *
cryo_sim_cpa_responder_get_mapping (CryoSimModbusResponder *responder)
{
  return CRYO_SIM_CPA_RESPONDER (responder)->mapping;
}

static void
cryo_sim_cpa_responder_tick (CryoSimResponder *responder,
                             double            dt_seconds)
{
  cryo_sim_cpa_tick (CRYO_SIM_CPA_RESPONDER (responder)->model, dt_seconds);
}

static void
responder_iface_init (CryoSimResponderInterface *iface)
{
  iface->tick = cryo_sim_cpa_responder_tick;
}

static void
modbus_responder_iface_init (CryoSimModbusResponderInterface *iface)
{
  iface->get_unit_id = cryo_sim_cpa_responder_get_unit_id;
  iface->get_mapping = cryo_sim_cpa_responder_get_mapping;
  iface->handle_request = cryo_sim_cpa_responder_handle_request;
}

static void
cryo_sim_cpa_responder_finalize (GObject *object)
{
  CryoSimCpaResponder *self = (CryoSimCpaResponder *)object;

  g_clear_object (&self->model);
  g_clear_pointer (&self->mapping, modbus_mapping_free);

  G_OBJECT_CLASS (cryo_sim_cpa_responder_parent_class)->finalize (object);
}

static void
cryo_sim_cpa_responder_class_init (CryoSimCpaResponderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_sim_cpa_responder_finalize;
}

static void
cryo_sim_cpa_responder_init (CryoSimCpaResponder *self)
{
  self->mapping = modbus_mapping_new_start_address (0, 0, 0, 0,
                                                    CRYO_CPA_CONTROL_REGISTER, 1,
                                                    CRYO_CPA_FIRST_INPUT_REGISTER,
                                                    CRYO_CPA_N_INPUT_REGISTERS);
  g_assert (self->mapping != NULL);
}

/**
 * cryo_sim_cpa_responder_new:
 * @model: the compressor whose registers are served
 * @unit_id: the RTU unit (slave) id answered, 1..247 (the panel's default
 *   is 16); over TCP every unit id is answered
 *
 * Creates the Modbus side of a simulated CPA1110 panel for @model
 * (cryomech-cpa-modbus.md "Simulator behaviour"): reads of the input
 * registers return the model's values, a write of holding register 1
 * starts or stops it, other writes are refused with an exception.
 *
 * Returns: (transfer full): a new responder holding a reference on @model
 */
CryoSimCpaResponder *
cryo_sim_cpa_responder_new (CryoSimCpa *model,
                            guint       unit_id)
{
  CryoSimCpaResponder *self;

  g_return_val_if_fail (CRYO_IS_SIM_CPA (model), NULL);
  g_return_val_if_fail (unit_id >= 1 && unit_id <= MAX_RTU_UNIT_ID, NULL);

  self = g_object_new (CRYO_TYPE_SIM_CPA_RESPONDER, NULL);
  self->model = g_object_ref (model);
  self->unit_id = unit_id;
  cryo_sim_cpa_encode_input_registers (self->model, self->mapping->tab_input_registers);

  return self;
}

/**
 * cryo_sim_cpa_responder_get_model:
 * @self: a #CryoSimCpaResponder
 *
 * Returns: (transfer none): the model behind the responder
 */
CryoSimCpa *
cryo_sim_cpa_responder_get_model (CryoSimCpaResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA_RESPONDER (self), NULL);
  return self->model;
}
