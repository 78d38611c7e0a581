/* cryo-compressor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cryomech CPA helium compressor over Modbus TCP or RTU:
 * shared/protocols/cryomech-cpa-modbus.md.
 */

#define G_LOG_DOMAIN "cryo-compressor"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-compressor.h"
#include "cryo-interlock.h"
#include "cryo-modbus-transport.h"
#include "cryo-transport.h"

#define HISTORY_CAPACITY (7 * 24 * 3600 / 2)

/* The panel sends IEEE floats; six significant digits are more than its
 * sensors resolve and all that a float32 carries reliably.
 * cryomech-cpa-modbus.md "Input registers" */
#define CHANNEL(key, label, csv_name, quantity, flags) \
  { key, label, csv_name, quantity, CRYO_SCALE_LINEAR, 6, HISTORY_CAPACITY, flags }

static const CryoChannelInfo compressor_channels[] = {
  CHANNEL ("coolant_in_temperature", N_("Coolant in"), "coolant_in", CRYO_QUANTITY_TEMPERATURE, 0),
  CHANNEL ("coolant_out_temperature", N_("Coolant out"), "coolant_out", CRYO_QUANTITY_TEMPERATURE, 0),
  CHANNEL ("oil_temperature", N_("Oil"), "oil", CRYO_QUANTITY_TEMPERATURE, 0),
  CHANNEL ("helium_temperature", N_("Helium"), "helium", CRYO_QUANTITY_TEMPERATURE,
           CRYO_CHANNEL_FLAG_PRIMARY),
  CHANNEL ("low_pressure", N_("Low pressure"), "low_pressure", CRYO_QUANTITY_PRESSURE,
           CRYO_CHANNEL_FLAG_PRIMARY),
  CHANNEL ("high_pressure", N_("High pressure"), "high_pressure", CRYO_QUANTITY_PRESSURE,
           CRYO_CHANNEL_FLAG_PRIMARY),
  CHANNEL ("low_pressure_average", N_("Low pressure average"), "low_pressure_average",
           CRYO_QUANTITY_PRESSURE, 0),
  CHANNEL ("high_pressure_average", N_("High pressure average"), "high_pressure_average",
           CRYO_QUANTITY_PRESSURE, 0),
  CHANNEL ("delta_pressure_average", N_("Delta pressure average"), "delta_pressure_average",
           CRYO_QUANTITY_PRESSURE, 0),
  CHANNEL ("motor_current", N_("Motor current"), "motor_current", CRYO_QUANTITY_CURRENT, 0),
  /* Service is counted from the hours recorded at the last one ("Service
   * Done"); the interval is a default for the adsorber, a site sets its own
   * in Preferences. */
  { "hours", N_("Hours of operation"), "hours", CRYO_QUANTITY_DURATION, CRYO_SCALE_LINEAR, 6,
    HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_SERVICE_RECORD, 30000, 0, NULL, N_("Compressor service") },
  { NULL }
};

#undef CHANNEL

#define N_CHANNELS (G_N_ELEMENTS (compressor_channels) - 1)

/* Where each channel's value is in a decoded snapshot, in table order. */
static const gsize snapshot_offsets[N_CHANNELS] = {
  G_STRUCT_OFFSET (CryoCpaSnapshot, coolant_in),
  G_STRUCT_OFFSET (CryoCpaSnapshot, coolant_out),
  G_STRUCT_OFFSET (CryoCpaSnapshot, oil),
  G_STRUCT_OFFSET (CryoCpaSnapshot, helium),
  G_STRUCT_OFFSET (CryoCpaSnapshot, low_pressure),
  G_STRUCT_OFFSET (CryoCpaSnapshot, high_pressure),
  G_STRUCT_OFFSET (CryoCpaSnapshot, low_pressure_average),
  G_STRUCT_OFFSET (CryoCpaSnapshot, high_pressure_average),
  G_STRUCT_OFFSET (CryoCpaSnapshot, delta_pressure_average),
  G_STRUCT_OFFSET (CryoCpaSnapshot, motor_current),
  G_STRUCT_OFFSET (CryoCpaSnapshot, hours),
};

/* cryomech-cpa-modbus.md "Transports": unit id 16 on RTU in Cryomech's
 * sample code, 1 over TCP. */
static const CryoKindOption compressor_options[] = {
  { "unit", N_("Modbus unit id"), 1, 247, CRYO_CPA_DEFAULT_RTU_UNIT_ID, CRYO_CPA_DEFAULT_TCP_UNIT_ID },
  { NULL }
};

static const CryoDeviceAction compressor_actions[] = {
  { "start", N_("Start Compressor"), TRUE, FALSE,
    N_("The compressor starts and the cold head begins to cool."), { { NULL } } },
  { "stop", N_("Stop Compressor"), TRUE, TRUE,
    N_("The compressor stops; the cold head warms up."), { { NULL } } },
  { NULL }
};

/**
 * cryo_compressor_kind:
 *
 * The Cryomech CPA helium compressor: Modbus RTU on RS-232/485 (115200 8N1
 * as in Cryomech's sample code) or Modbus TCP on port 502
 * (cryomech-cpa-modbus.md "Transports").
 */
const CryoDeviceKind cryo_compressor_kind = {
  .id = "cpa",
  .title = N_("Helium compressor"),
  .model = "Cryomech CPA",
  .summary = N_("Cryomech CPA helium compressor, Modbus TCP or RTU"),
  .link_kind = CRYO_LINK_KIND_MODBUS,
  .default_baud = 115200,
  .default_parity = CRYO_PARITY_NONE,
  .default_tcp_port = CRYO_CPA_DEFAULT_TCP_PORT,
  .default_poll_interval_ms = CRYO_COMPRESSOR_DEFAULT_POLL_MS,
  .options = compressor_options,
  .channels = compressor_channels,
  .actions = compressor_actions,
  .get_type = cryo_compressor_get_type,
};

struct _CryoCompressor
{
  CryoDevice       parent_instance;

  CryoChannel     *channels[N_CHANNELS];   /* owned by the base class */
  GCancellable    *cancellable;

  CryoCpaSnapshot  snapshot;
  gboolean         has_snapshot;
  CryoReading      state;
  CryoReading      alarm_bits;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_SNAPSHOT_TIME,
  N_PROPS
};

typedef struct
{
  gint64          time_us;
  CryoCpaSnapshot snapshot;
} PollResult;

typedef struct
{
  char           *action;
  gint64          max_age_us;
  CryoLinkStats  *stats;      /* the link's, which outlives the request */
} CommandRequest;

G_DEFINE_FINAL_TYPE (CryoCompressor, cryo_compressor, CRYO_TYPE_DEVICE)

static GParamSpec *properties [N_PROPS];

static void
command_request_free (gpointer data)
{
  CommandRequest *request = data;

  g_free (request->action);
  g_free (request);
}

/* Worker thread: the 33 input registers in one request
 * (cryomech-cpa-modbus.md "Addressing"), decoded. */
static gboolean
compressor_read (CryoTransport    *transport,
                 CryoLinkStats    *stats,
                 CryoCpaSnapshot  *snapshot,
                 GError          **error)
{
  guint16 registers[CRYO_CPA_N_INPUT_REGISTERS];
  g_autoptr(GError) local_error = NULL;

  g_atomic_int_inc (&stats->transactions);

  if (!cryo_modbus_transport_read_input_registers (CRYO_MODBUS_TRANSPORT (transport),
                                                   CRYO_CPA_FIRST_INPUT_REGISTER,
                                                   CRYO_CPA_N_INPUT_REGISTERS,
                                                   registers, &local_error) ||
      !cryo_cpa_decode_input_registers (registers, CRYO_CPA_N_INPUT_REGISTERS, snapshot, &local_error))
    {
      if (g_error_matches (local_error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT))
        g_atomic_int_inc (&stats->timeouts);
      else if (local_error->domain == CRYO_PROTOCOL_ERROR)
        g_atomic_int_inc (&stats->damaged);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static gpointer
compressor_poll_func (CryoTransport *transport,
                      gpointer       task_data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  PollResult *result = g_new0 (PollResult, 1);

  if (!compressor_read (transport, task_data, &result->snapshot, error))
    {
      g_free (result);
      return NULL;
    }

  result->time_us = g_get_real_time ();
  return result;
}

/**
 * cryo_compressor_check_start:
 * @state: the operating state reading (cryomech-cpa-modbus.md "Operating
 *   state", input register 1)
 * @alarm_bits: the alarm bit set reading (input registers 5-6, decoded to
 *   bits and stored as a number)
 * @now_us: current wall-clock time, µs since the Unix epoch
 * @max_age_us: oldest acceptable reading, µs
 * @reason: (out) (optional) (transfer full): why starting is refused
 *
 * The compressor may be started only when it is Idle (0) or Recovered from
 * error (15) and no alarm bit is set, both from fresh readings
 * (cryomech-cpa-modbus.md "Control"). Every failing condition is reported,
 * joined by "; ": readings not fresh, then the state, then the alarms by
 * name. Pure function, any thread; reasons are translated.
 *
 * Returns: %TRUE when starting is allowed
 */
gboolean
cryo_compressor_check_start (const CryoReading *state,
                             const CryoReading *alarm_bits,
                             gint64             now_us,
                             gint64             max_age_us,
                             char             **reason)
{
  CryoInterlock interlock;
  CryoReading startable = CRYO_READING_INIT;
  guint code;

  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (alarm_bits != NULL, FALSE);

  cryo_interlock_init (&interlock, now_us, max_age_us);
  cryo_interlock_require_fresh (&interlock, _("compressor state"), state);
  cryo_interlock_require_fresh (&interlock, _("alarm state"), alarm_bits);

  /* Two states allow a start: the rule is "startable equals 1". */
  startable = *state;
  startable.value = (state->value == CRYO_CPA_STATE_IDLE || state->value == CRYO_CPA_STATE_RECOVERED);
  code = (state->value >= 0 && state->value <= G_MAXUINT) ? (guint) state->value : G_MAXUINT;
  if (!isnan (state->value))
    /* Translators: "Compressor is Running — must be Idle or Recovered from error" */
    cryo_interlock_require_equal (&interlock, &startable, 1,
                                  _("Compressor is %s — must be %s or %s"),
                                  cryo_cpa_state_to_string (code),
                                  cryo_cpa_state_to_string (CRYO_CPA_STATE_IDLE),
                                  cryo_cpa_state_to_string (CRYO_CPA_STATE_RECOVERED));

  if (alarm_bits->value != 0 && !isnan (alarm_bits->value))
    {
      guint32 bits = (alarm_bits->value > 0 && alarm_bits->value <= G_MAXUINT32) ? (guint32) alarm_bits->value : 0;
      g_auto(GStrv) names = cryo_cpa_bits_to_strv (bits);
      g_autofree char *joined = g_strjoinv (", ", names);

      /* Translators: "Alarm active: Helium high, Oil high — clear it at the compressor first" */
      cryo_interlock_require_equal (&interlock, alarm_bits, 0,
                                    _("Alarm active: %s — clear it at the compressor first"),
                                    joined[0] ? joined : _("unknown alarm"));
    }

  return cryo_interlock_finish (&interlock, reason);
}

static void
cryo_compressor_push_gaps (CryoCompressor *self)
{
  gint64 now_us = g_get_real_time ();

  for (guint i = 0; i < N_CHANNELS; i++)
    cryo_device_push_sample (CRYO_DEVICE (self), self->channels[i], now_us, NAN);

  self->state.value = NAN;
  self->state.time_us = 0;
  self->alarm_bits.value = NAN;
  self->alarm_bits.time_us = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

static void
cryo_compressor_apply (CryoCompressor     *self,
                       const PollResult   *result)
{
  const CryoCpaSnapshot *snapshot = &result->snapshot;
  CryoUnit pressure_unit = cryo_cpa_pressure_scale_to_unit (snapshot->pressure_scale);
  CryoUnit temperature_unit = cryo_cpa_temperature_scale_to_unit (snapshot->temperature_scale);
  g_autofree char *model_name = cryo_cpa_dup_model_name (snapshot->model_code);
  g_autofree char *model = NULL;
  g_auto(GStrv) alarms = cryo_cpa_bits_to_strv (snapshot->alarms);
  g_auto(GStrv) warnings = cryo_cpa_bits_to_strv (snapshot->warnings);

  self->snapshot = *snapshot;
  self->has_snapshot = TRUE;

  for (guint i = 0; i < N_CHANNELS; i++)
    {
      CryoChannel *channel = self->channels[i];
      double value = G_STRUCT_MEMBER (double, snapshot, snapshot_offsets[i]);
      CryoUnit unit = CRYO_UNIT_NONE;

      /* Stored canonical (K, Pa), from the panel's own unit. */
      if (compressor_channels[i].quantity == CRYO_QUANTITY_TEMPERATURE)
        unit = temperature_unit;
      else if (compressor_channels[i].quantity == CRYO_QUANTITY_PRESSURE)
        unit = pressure_unit;

      if (unit != CRYO_UNIT_NONE)
        value = cryo_unit_convert (value, unit, cryo_channel_get_unit (channel));

      cryo_device_push_sample (CRYO_DEVICE (self), channel, result->time_us, value);
    }

  self->state.value = snapshot->state;
  self->state.time_us = result->time_us;
  self->alarm_bits.value = snapshot->alarms;
  self->alarm_bits.time_us = result->time_us;

  /* Translators: "CPA1110 · serial 1234 · software 2.3" */
  model = g_strdup_printf (_("%s · serial %u · software %u.%u"), model_name,
                           snapshot->serial_number, snapshot->software_major, snapshot->software_minor);
  cryo_device_set_model (CRYO_DEVICE (self), model);
  cryo_device_set_alarms (CRYO_DEVICE (self), (const char * const *) alarms);
  cryo_device_set_warnings (CRYO_DEVICE (self), (const char * const *) warnings);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SNAPSHOT_TIME]);
}

static void
cryo_compressor_poll_cb (GObject      *object,
                         GAsyncResult *async_result,
                         gpointer      user_data)
{
  g_autoptr(CryoCompressor) self = user_data;
  g_autoptr(GError) error = NULL;
  PollResult *result;

  result = cryo_link_run_finish (CRYO_LINK (object), async_result, &error);

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cryo_compressor_push_gaps (self);
      cryo_device_poll_done (CRYO_DEVICE (self), FALSE, error);
      return;
    }

  cryo_compressor_apply (self, result);
  cryo_device_poll_done (CRYO_DEVICE (self), TRUE, NULL);
  g_free (result);
}

static void
cryo_compressor_poll (CryoDevice *device)
{
  CryoCompressor *self = CRYO_COMPRESSOR (device);

  cryo_link_run_async (cryo_device_get_link (device),
                       CRYO_LINK_PRIORITY_POLL,
                       compressor_poll_func,
                       cryo_link_get_stats (cryo_device_get_link (device)), NULL,
                       g_free,
                       self->cancellable,
                       cryo_compressor_poll_cb,
                       g_object_ref (self));
}

static gboolean
cryo_compressor_check_action (CryoDevice  *device,
                              const char  *action,
                              char       **reason)
{
  CryoCompressor *self = CRYO_COMPRESSOR (device);

  if (g_str_equal (action, "start"))
    return cryo_compressor_check_start (&self->state, &self->alarm_bits,
                                        g_get_real_time (),
                                        cryo_device_get_max_reading_age (device),
                                        reason);

  return TRUE;
}

static gboolean
cryo_compressor_in_effect (CryoDevice  *device,
                           const char  *action,
                           char       **reason)
{
  CryoCompressor *self = CRYO_COMPRESSOR (device);

  if (g_str_equal (action, "stop") && self->state.time_us != 0 &&
      self->state.value == CRYO_CPA_STATE_IDLE)
    {
      if (reason != NULL)
        *reason = g_strdup (_("The compressor is already idle"));
      return TRUE;
    }

  return FALSE;
}

typedef struct
{
  CryoTransport  *transport;
  CryoLinkStats  *stats;
  gboolean        start;
} WriteBack;

/* Did the compressor take the command? Its operating state says: starting
 * or running after a start, stopping or idle after a stop. */
static CryoReadBack
compressor_read_back (gpointer   data,
                      GError   **error)
{
  const WriteBack *write = data;
  CryoCpaSnapshot snapshot;
  gboolean going = FALSE, still = FALSE;

  if (!compressor_read (write->transport, write->stats, &snapshot, error))
    return CRYO_READ_BACK_FAILED;

  switch (snapshot.state)
    {
    case CRYO_CPA_STATE_STARTING:
    case CRYO_CPA_STATE_RUNNING:
      going = write->start;
      still = !write->start;
      break;

    case CRYO_CPA_STATE_STOPPING:
    case CRYO_CPA_STATE_IDLE:
    case CRYO_CPA_STATE_RECOVERED:
      going = !write->start;
      still = write->start;
      break;

    default:
      break;
    }

  if (going)
    return CRYO_READ_BACK_DONE;
  if (still)
    return CRYO_READ_BACK_NOT_DONE;

  {
    g_autofree char *state = cryo_cpa_dup_state_name (snapshot.state);

    g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                 _("the compressor reads %s"), state);
  }
  return CRYO_READ_BACK_FAILED;
}

/* Worker thread: start (holding register 1 = 0x0001), sent only if the
 * registers read right now still allow it; stop (0x00FF) always
 * (cryomech-cpa-modbus.md "Control"). */
static gpointer
compressor_command_func (CryoTransport *transport,
                         gpointer       task_data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  const CommandRequest *request = task_data;
  CryoModbusTransport *modbus = CRYO_MODBUS_TRANSPORT (transport);
  GError *write_error = NULL;
  WriteBack write_back;

  if (g_str_equal (request->action, "start"))
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *reason = NULL;
      CryoCpaSnapshot snapshot;
      CryoReading state, alarms;

      if (!compressor_read (transport, request->stats, &snapshot, &local_error))
        {
          if (local_error->domain == CRYO_TRANSPORT_ERROR &&
              local_error->code != CRYO_TRANSPORT_ERROR_TIMEOUT)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED,
                       _("Could not read the compressor's state again before starting: %s"),
                       local_error->message);
          return NULL;
        }

      state.value = snapshot.state;
      state.time_us = g_get_real_time ();
      alarms.value = snapshot.alarms;
      alarms.time_us = state.time_us;

      if (!cryo_compressor_check_start (&state, &alarms, g_get_real_time (),
                                        request->max_age_us, &reason))
        {
          g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED, reason);
          return NULL;
        }
    }

  /* Written once (cryomech-cpa-modbus.md "Control"); a lost echo is
   * resolved by reading the operating state back. */
  write_back.transport = transport;
  write_back.stats = request->stats;
  write_back.start = g_str_equal (request->action, "start");
  g_atomic_int_inc (&request->stats->transactions);
  if (!cryo_modbus_transport_write_register (modbus, CRYO_CPA_CONTROL_REGISTER,
                                             write_back.start ? CRYO_CPA_CONTROL_START
                                                              : CRYO_CPA_CONTROL_STOP,
                                             &write_error) &&
      !cryo_device_resolve_write (g_steal_pointer (&write_error),
                                  write_back.start ? _("The compressor did not start: ")
                                                   : _("The compressor did not stop: "),
                                  compressor_read_back, &write_back, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

static void
cryo_compressor_run_action (CryoDevice   *device,
                            const char   *action,
                            const double *params,
                            GTask        *task)
{
  CommandRequest *request = g_new0 (CommandRequest, 1);

  request->action = g_strdup (action);
  request->max_age_us = cryo_device_get_max_reading_age (device);
  request->stats = cryo_link_get_stats (cryo_device_get_link (device));

  cryo_device_run_command (device, compressor_command_func,
                           request, command_request_free, task);
}

static char *
cryo_compressor_dup_state_text (CryoDevice *device)
{
  int state = cryo_compressor_get_state (CRYO_COMPRESSOR (device));

  return state < 0 ? NULL : cryo_cpa_dup_state_name (state);
}

static void
cryo_compressor_constructed (GObject *object)
{
  CryoCompressor *self = CRYO_COMPRESSOR (object);

  G_OBJECT_CLASS (cryo_compressor_parent_class)->constructed (object);

  for (guint i = 0; i < N_CHANNELS; i++)
    self->channels[i] = cryo_device_lookup_channel (CRYO_DEVICE (self), compressor_channels[i].key);
}

static void
cryo_compressor_dispose (GObject *object)
{
  CryoCompressor *self = CRYO_COMPRESSOR (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (cryo_compressor_parent_class)->dispose (object);
}

static void
cryo_compressor_finalize (GObject *object)
{
  CryoCompressor *self = CRYO_COMPRESSOR (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cryo_compressor_parent_class)->finalize (object);
}

static void
cryo_compressor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CryoCompressor *self = CRYO_COMPRESSOR (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, cryo_compressor_get_state (self));
      break;

    case PROP_SNAPSHOT_TIME:
      g_value_set_int64 (value, self->has_snapshot ? self->state.time_us : 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_compressor_class_init (CryoCompressorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CryoDeviceClass *device_class = CRYO_DEVICE_CLASS (klass);

  object_class->constructed = cryo_compressor_constructed;
  object_class->dispose = cryo_compressor_dispose;
  object_class->finalize = cryo_compressor_finalize;
  object_class->get_property = cryo_compressor_get_property;

  device_class->poll = cryo_compressor_poll;
  device_class->check_action = cryo_compressor_check_action;
  device_class->in_effect = cryo_compressor_in_effect;
  device_class->run_action = cryo_compressor_run_action;
  device_class->dup_state_text = cryo_compressor_dup_state_text;

  cryo_device_class_set_kind (device_class, &cryo_compressor_kind);

  properties [PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoCompressor:snapshot-time:
   *
   * When the registers of cryo_compressor_get_snapshot() were read, µs
   * since the epoch; notified after every successful poll.
   */
  properties [PROP_SNAPSHOT_TIME] =
    g_param_spec_int64 ("snapshot-time", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cryo_compressor_init (CryoCompressor *self)
{
  self->cancellable = g_cancellable_new ();
  self->state.value = NAN;
  self->alarm_bits.value = NAN;
}

/**
 * cryo_compressor_new:
 * @link: the link to the compressor, over a #CryoModbusTransport (TCP or RTU)
 *
 * Creates the compressor device. It reads input registers 1..33 in one
 * request every poll (default every 2 s) and controls holding register 1
 * (cryomech-cpa-modbus.md).
 *
 * Returns: (transfer full): a new #CryoDevice
 */
CryoDevice *
cryo_compressor_new (CryoLink *link)
{
  g_return_val_if_fail (CRYO_IS_LINK (link), NULL);
  g_return_val_if_fail (CRYO_IS_MODBUS_TRANSPORT (cryo_link_get_transport (link)), NULL);

  return g_object_new (CRYO_TYPE_COMPRESSOR,
                       "link", link,
                       NULL);
}

/**
 * cryo_compressor_get_snapshot:
 * @self: a #CryoCompressor
 *
 * Returns: (nullable): the registers of the last successful poll, in the
 *   panel's units, or %NULL before the first one
 */
const CryoCpaSnapshot *
cryo_compressor_get_snapshot (CryoCompressor *self)
{
  g_return_val_if_fail (CRYO_IS_COMPRESSOR (self), NULL);

  return self->has_snapshot ? &self->snapshot : NULL;
}

/**
 * cryo_compressor_get_state:
 * @self: a #CryoCompressor
 *
 * Returns: the operating state of the last poll (a #CryoCpaState value),
 *   -1 when unknown (not connected, last poll failed)
 */
int
cryo_compressor_get_state (CryoCompressor *self)
{
  g_return_val_if_fail (CRYO_IS_COMPRESSOR (self), -1);

  return (self->state.time_us == 0 || isnan (self->state.value)) ? -1 : (int) self->state.value;
}
