/* cryo-sim-agilent-responder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-agilent-responder"

#include "config.h"

#include "cryo-agilent.h"
#include "cryo-sim-agilent-responder.h"

struct _CryoSimAgilentResponder
{
  GObject             parent_instance;

  CryoSimPumpStation *model;
  CryoAgilentDecoder *decoder;
  guint8              address;
  guint               n_bad_frames;
};

typedef struct
{
  guint           window;
  CryoAgilentType type;
  gboolean        writable;
} WindowInfo;

/* The windows the simulated TPS-compact knows: agilent-window.md
 * "Windows used". Anything else answers 0x32. */
static const WindowInfo windows[] = {
  { CRYO_AGILENT_WINDOW_START_STOP,       CRYO_AGILENT_TYPE_LOGIC,        TRUE },
  { CRYO_AGILENT_WINDOW_REMOTE,           CRYO_AGILENT_TYPE_LOGIC,        TRUE },
  { CRYO_AGILENT_WINDOW_ACTIVE_STOP,      CRYO_AGILENT_TYPE_LOGIC,        TRUE },
  { CRYO_AGILENT_WINDOW_BAUD_RATE,        CRYO_AGILENT_TYPE_NUMERIC,      TRUE },
  { CRYO_AGILENT_WINDOW_PRESSURE_UNIT,    CRYO_AGILENT_TYPE_NUMERIC,      TRUE },
  { CRYO_AGILENT_WINDOW_SPEED_AFTER_STOP, CRYO_AGILENT_TYPE_LOGIC,        TRUE },
  { CRYO_AGILENT_WINDOW_CURRENT,          CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_VOLTAGE,          CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_POWER,            CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_FREQUENCY,        CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_TEMPERATURE,      CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_STATUS,           CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_ERROR_CODE,       CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_PRESSURE,         CRYO_AGILENT_TYPE_ALPHANUMERIC, FALSE },
  { CRYO_AGILENT_WINDOW_SPEED,            CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_CYCLE_TIME,       CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_CYCLE_COUNT,      CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_PUMP_LIFE,        CRYO_AGILENT_TYPE_NUMERIC,      FALSE },
  { CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS,   CRYO_AGILENT_TYPE_NUMERIC,      TRUE },
};

static void responder_iface_init (CryoSimResponderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CryoSimAgilentResponder, cryo_sim_agilent_responder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_SIM_RESPONDER, responder_iface_init))

static const WindowInfo *
find_window (guint window)
{
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    if (windows[i].window == window)
      return &windows[i];

  return NULL;
}

static const char *
code_name (guint8 code)
{
  switch (code)
    {
    case CRYO_AGILENT_CODE_ACK:            return "ACK";
    case CRYO_AGILENT_CODE_NACK:           return "NACK";
    case CRYO_AGILENT_CODE_UNKNOWN_WINDOW: return "UNKNOWN_WINDOW";
    case CRYO_AGILENT_CODE_DATA_TYPE:      return "DATA_TYPE";
    case CRYO_AGILENT_CODE_OUT_OF_RANGE:   return "OUT_OF_RANGE";
    case CRYO_AGILENT_CODE_DISABLED:       return "DISABLED";
    default:                               return "UNKNOWN_CODE";
    }
}

static void
log_write (CryoSimAgilentResponder *self,
           const CryoAgilentFrame  *frame,
           guint8                   code)
{
  g_autofree char *data = NULL;

  /* Device-side data is untrusted: keep the log one printable line each. */
  if (frame->data_len == 0)
    data = g_strdup ("-");
  else
    {
      gsize len = MIN (frame->data_len, sizeof frame->data);

      data = g_strndup (frame->data, len);
      for (gsize i = 0; i < len; i++)
        if (!g_ascii_isgraph (data[i]) && data[i] != ' ')
          data[i] = '?';
    }

  cryo_sim_responder_log_command (CRYO_SIM_RESPONDER (self), "%03u %s %s",
                                  frame->window, data, code_name (code));
}

static gboolean
parse_digits (const CryoAgilentFrame *frame,
              gsize                   expected_len,
              guint                  *value)
{
  guint v = 0;

  if (frame->data_len != expected_len || expected_len > sizeof frame->data)
    return FALSE;

  for (gsize i = 0; i < expected_len; i++)
    {
      if (!g_ascii_isdigit (frame->data[i]))
        return FALSE;
      v = v * 10 + (guint) (frame->data[i] - '0');
    }

  *value = v;
  return TRUE;
}

static gboolean
pump_at_rest (CryoSimAgilentResponder *self)
{
  return !cryo_sim_pump_station_get_started (self->model)
         && cryo_sim_pump_station_get_rpm (self->model) <= 0.0;
}

/* Validates and applies one write; returns the reply code. */
static guint8
apply_write (CryoSimAgilentResponder *self,
             const CryoAgilentFrame  *frame)
{
  const WindowInfo *info = find_window (frame->window);
  guint value = 0;

  if (info == NULL)
    return CRYO_AGILENT_CODE_UNKNOWN_WINDOW;
  if (!info->writable)
    return CRYO_AGILENT_CODE_DISABLED;

  if (info->type == CRYO_AGILENT_TYPE_LOGIC)
    {
      if (!parse_digits (frame, 1, &value))
        return CRYO_AGILENT_CODE_DATA_TYPE;
      if (value > 1)
        return CRYO_AGILENT_CODE_OUT_OF_RANGE;
    }
  else
    {
      g_assert (info->type == CRYO_AGILENT_TYPE_NUMERIC);
      if (!parse_digits (frame, 6, &value))
        return CRYO_AGILENT_CODE_DATA_TYPE;
    }

  switch (frame->window)
    {
    case CRYO_AGILENT_WINDOW_START_STOP:
      if (cryo_sim_pump_station_get_remote (self->model))
        return CRYO_AGILENT_CODE_DISABLED;
      if (value == 1)
        {
          if (!cryo_sim_pump_station_start (self->model))
            return CRYO_AGILENT_CODE_DISABLED;
        }
      else
        cryo_sim_pump_station_stop (self->model);
      break;

    case CRYO_AGILENT_WINDOW_REMOTE:
      if (!pump_at_rest (self))
        return CRYO_AGILENT_CODE_DISABLED;
      cryo_sim_pump_station_set_remote (self->model, value == 1);
      break;

    case CRYO_AGILENT_WINDOW_ACTIVE_STOP:
      cryo_sim_pump_station_set_active_stop (self->model, value == 1);
      break;

    case CRYO_AGILENT_WINDOW_BAUD_RATE:
      if (value > 4)
        return CRYO_AGILENT_CODE_OUT_OF_RANGE;
      cryo_sim_pump_station_set_baud_rate (self->model, value);
      break;

    case CRYO_AGILENT_WINDOW_PRESSURE_UNIT:
      if (value > CRYO_AGILENT_UNIT_TORR)
        return CRYO_AGILENT_CODE_OUT_OF_RANGE;
      cryo_sim_pump_station_set_pressure_unit (self->model, value);
      break;

    case CRYO_AGILENT_WINDOW_SPEED_AFTER_STOP:
      cryo_sim_pump_station_set_speed_after_stop (self->model, value == 1);
      break;

    case CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS:
      cryo_sim_pump_station_set_tip_seal_hours (self->model, value);
      break;

    default:
      g_assert_not_reached ();
    }

  return CRYO_AGILENT_CODE_ACK;
}

static guint
read_numeric (CryoSimAgilentResponder *self,
              guint                    window)
{
  CryoSimPumpStation *m = self->model;

  switch (window)
    {
    case CRYO_AGILENT_WINDOW_BAUD_RATE:      return cryo_sim_pump_station_get_baud_rate (m);
    case CRYO_AGILENT_WINDOW_PRESSURE_UNIT:  return cryo_sim_pump_station_get_pressure_unit (m);
    case CRYO_AGILENT_WINDOW_CURRENT:        return cryo_sim_pump_station_get_current_ma (m);
    case CRYO_AGILENT_WINDOW_VOLTAGE:        return cryo_sim_pump_station_get_voltage_v (m);
    case CRYO_AGILENT_WINDOW_POWER:          return cryo_sim_pump_station_get_power_w (m);
    case CRYO_AGILENT_WINDOW_FREQUENCY:      return cryo_sim_pump_station_get_frequency_hz (m);
    case CRYO_AGILENT_WINDOW_TEMPERATURE:    return cryo_sim_pump_station_get_temperature_c (m);
    case CRYO_AGILENT_WINDOW_STATUS:         return cryo_sim_pump_station_get_status (m);
    case CRYO_AGILENT_WINDOW_ERROR_CODE:     return cryo_sim_pump_station_get_error_bits (m);
    case CRYO_AGILENT_WINDOW_SPEED:          return cryo_sim_pump_station_get_reported_rpm (m);
    case CRYO_AGILENT_WINDOW_CYCLE_TIME:     return cryo_sim_pump_station_get_cycle_time_min (m);
    case CRYO_AGILENT_WINDOW_CYCLE_COUNT:    return cryo_sim_pump_station_get_cycle_count (m);
    case CRYO_AGILENT_WINDOW_PUMP_LIFE:      return cryo_sim_pump_station_get_pump_life_h (m);
    case CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS: return cryo_sim_pump_station_get_tip_seal_hours (m);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
read_logic (CryoSimAgilentResponder *self,
            guint                    window)
{
  CryoSimPumpStation *m = self->model;

  switch (window)
    {
    case CRYO_AGILENT_WINDOW_START_STOP:       return cryo_sim_pump_station_get_started (m);
    case CRYO_AGILENT_WINDOW_REMOTE:           return cryo_sim_pump_station_get_remote (m);
    case CRYO_AGILENT_WINDOW_ACTIVE_STOP:      return cryo_sim_pump_station_get_active_stop (m);
    case CRYO_AGILENT_WINDOW_SPEED_AFTER_STOP: return cryo_sim_pump_station_get_speed_after_stop (m);
    default:
      g_assert_not_reached ();
    }
}

static GBytes *
answer_read (CryoSimAgilentResponder *self,
             guint                    window)
{
  const WindowInfo *info = find_window (window);
  g_autofree char *data = NULL;

  if (info == NULL)
    return cryo_agilent_encode_reply_code (self->address, CRYO_AGILENT_CODE_UNKNOWN_WINDOW);

  switch (info->type)
    {
    case CRYO_AGILENT_TYPE_LOGIC:
      data = g_strdup (read_logic (self, window) ? "1" : "0");
      break;

    case CRYO_AGILENT_TYPE_NUMERIC:
      data = g_strdup_printf ("%06u", MIN (read_numeric (self, window), 999999u));
      break;

    case CRYO_AGILENT_TYPE_ALPHANUMERIC:
      g_assert (window == CRYO_AGILENT_WINDOW_PRESSURE);
      data = cryo_sim_pump_station_dup_pressure_text (self->model);
      break;

    case CRYO_AGILENT_TYPE_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  return cryo_agilent_encode_reply_data (self->address, window, data);
}

static GBytes *
answer (CryoSimAgilentResponder *self,
        const CryoAgilentFrame  *frame)
{
  guint8 code;

  /* RS-485: other stations' traffic, and replies or codes that are not
   * requests, are not ours to answer. */
  if (frame->address != self->address || frame->is_code)
    return NULL;

  if (!frame->is_write)
    {
      if (frame->data_len != 0)
        return NULL;
      return answer_read (self, frame->window);
    }

  code = apply_write (self, frame);
  log_write (self, frame, code);

  return cryo_agilent_encode_reply_code (self->address, code);
}

/* agilent-window.md "Simulator behaviour": sync on STX, read up to ETX
 * plus two CRC characters; frames with a bad CRC, other addresses, code
 * frames and reply-shaped frames get no reply. A read gets a data reply of
 * the window's type (0x32 for an unknown window). A write is validated and
 * applied and gets a code: 0x32 unknown window, 0x35 read-only window, 0x33
 * wrong data length or non-digit data, 0x34 value out of range (logic not
 * 0/1, 108 > 4, 163 > 2), 0x35 a start/stop write in remote mode (008 = 1),
 * a start while a fault is latched, a write to 008 while the pump runs; ACK
 * otherwise. Every write to this address is logged with its reply, as
 * "<window> <data> <reply>": the window as three digits, the data as sent
 * ("-" when empty), the reply as ACK, NACK, UNKNOWN_WINDOW, DATA_TYPE,
 * OUT_OF_RANGE or DISABLED, e.g. "000 1 ACK", "163 000002 ACK". */
static GPtrArray *
cryo_sim_agilent_responder_feed (CryoSimResponder *responder,
                                 const guint8     *bytes,
                                 gsize             len)
{
  CryoSimAgilentResponder *self = CRYO_SIM_AGILENT_RESPONDER (responder);
  g_autoptr(GPtrArray) replies = NULL;

  replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  if (len > 0)
    cryo_agilent_decoder_feed (self->decoder, bytes, len);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      CryoAgilentFrame frame;
      CryoAgilentDecodeResult result;
      GBytes *reply;

      result = cryo_agilent_decoder_next (self->decoder, &frame, &error);
      if (result == CRYO_AGILENT_DECODE_NEED_MORE)
        break;

      if (result == CRYO_AGILENT_DECODE_ERROR)
        {
          /* No reply to a damaged frame: the client times out and retries. */
          self->n_bad_frames++;
          g_debug ("Dropping request: %s", error != NULL ? error->message : "?");
          continue;
        }

      reply = answer (self, &frame);
      if (reply != NULL)
        g_ptr_array_add (replies, reply);
    }

  return g_steal_pointer (&replies);
}

static void
cryo_sim_agilent_responder_tick (CryoSimResponder *responder,
                                 double            dt_seconds)
{
  CryoSimAgilentResponder *self = CRYO_SIM_AGILENT_RESPONDER (responder);

  cryo_sim_pump_station_tick (self->model, dt_seconds);
}

static void
responder_iface_init (CryoSimResponderInterface *iface)
{
  iface->tick = cryo_sim_agilent_responder_tick;
  iface->feed = cryo_sim_agilent_responder_feed;
}

static void
cryo_sim_agilent_responder_finalize (GObject *object)
{
  CryoSimAgilentResponder *self = (CryoSimAgilentResponder *)object;

  g_clear_object (&self->model);
  g_clear_pointer (&self->decoder, cryo_agilent_decoder_free);

  G_OBJECT_CLASS (cryo_sim_agilent_responder_parent_class)->finalize (object);
}

static void
cryo_sim_agilent_responder_class_init (CryoSimAgilentResponderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_sim_agilent_responder_finalize;
}

static void
cryo_sim_agilent_responder_init (CryoSimAgilentResponder *self)
{
  self->decoder = cryo_agilent_decoder_new ();
}

/**
 * cryo_sim_agilent_responder_new:
 * @model: the pumping station whose windows are served
 * @address: the station's RS-485 address, 0..31 (ADDR byte 0x80 + address;
 *   0 on RS-232)
 *
 * Creates the instrument side of the Window protocol for @model: a serial
 * #CryoSimResponder (see cryo_sim_responder_feed()) whose tick advances
 * @model.
 *
 * Returns: (transfer full): a new responder holding a reference on @model
 */
CryoSimAgilentResponder *
cryo_sim_agilent_responder_new (CryoSimPumpStation *model,
                                guint               address)
{
  CryoSimAgilentResponder *self;

  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (model), NULL);
  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);

  self = g_object_new (CRYO_TYPE_SIM_AGILENT_RESPONDER, NULL);
  self->model = g_object_ref (model);
  self->address = (guint8) address;

  return self;
}

/**
 * cryo_sim_agilent_responder_get_model:
 * @self: a #CryoSimAgilentResponder
 *
 * Returns: (transfer none): the model behind the responder
 */
CryoSimPumpStation *
cryo_sim_agilent_responder_get_model (CryoSimAgilentResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_AGILENT_RESPONDER (self), NULL);
  return self->model;
}

/**
 * cryo_sim_agilent_responder_get_address:
 * @self: a #CryoSimAgilentResponder
 *
 * Returns: the RS-485 address answered, 0..31
 */
guint
cryo_sim_agilent_responder_get_address (CryoSimAgilentResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_AGILENT_RESPONDER (self), 0);
  return self->address;
}

/**
 * cryo_sim_agilent_responder_get_n_bad_frames:
 * @self: a #CryoSimAgilentResponder
 *
 * Returns: how many damaged frames (bad CRC, truncated, overlong,
 *   malformed) were dropped without a reply
 */
guint
cryo_sim_agilent_responder_get_n_bad_frames (CryoSimAgilentResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_AGILENT_RESPONDER (self), 0);
  return self->n_bad_frames;
}
