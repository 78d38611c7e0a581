/* cryo-pump-station.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Agilent TPS-compact pumping station (turbo + dry scroll pump), spoken
 * to in Agilent's Window protocol: shared/protocols/agilent-window.md.
 */

#define G_LOG_DOMAIN "cryo-pump-station"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-agilent.h"
#include "cryo-interlock.h"
#include "cryo-pump-station.h"
#include "cryo-transport.h"

#define HISTORY_CAPACITY (7 * 24 * 3600)

struct _CryoPumpStation
{
  CryoDevice    parent_instance;

  CryoChannel  *pressure_channel;   /* owned by the base class */
  CryoChannel  *speed_channel;
  CryoChannel  *tip_seal_channel;

  GCancellable *cancellable;

  CryoReading   status;
  double        pressure_pa;
  double        speed_rpm;
  int           error_bits;
  int           tip_seal_hours;
  int           pressure_unit;
  guint         address;

  gint64        unit_read_us;
  gint64        tip_seal_read_us;
};

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PRESSURE,
  PROP_SPEED,
  PROP_STATUS,
  PROP_ERROR_BITS,
  PROP_TIP_SEAL_HOURS,
  PROP_PRESSURE_UNIT,
  N_PROPS
};

/* What one poll asks for and what it brings back. Owned by the worker while
 * the transaction runs, then by the main thread: never shared. */
typedef struct
{
  guint8          address;
  CryoLinkStats  *stats;      /* the link's, which outlives the request */
  gboolean        read_unit;
  gboolean        read_tip_seal;
} PollRequest;

typedef struct
{
  gint64    time_us;
  gboolean  has_unit;
  guint     unit;
  gboolean  has_pressure;
  double    pressure;            /* in the unit of window 163 */
  gboolean  has_speed;
  guint     speed_rpm;
  gboolean  has_status;
  guint     status;
  gboolean  has_error_bits;
  guint     error_bits;
  gboolean  has_tip_seal;
  guint     tip_seal_hours;
  guint     n_missing;
  GError   *error;               /* the first reason a reading is missing */
} PollResult;

typedef struct
{
  guint8          address;
  CryoLinkStats  *stats;
  char           *action;
  gint64          max_age_us;
} CommandRequest;

/* The gauge reports two significant digits ("2.9E-03", window 224). */
static const CryoChannelInfo pump_station_channels[] = {
  { "pressure", N_("Pressure"), "pressure", CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG,
    2, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  { "speed", N_("Turbo speed"), "speed", CRYO_QUANTITY_ROTATION_SPEED, CRYO_SCALE_LINEAR,
    6, HISTORY_CAPACITY, CRYO_CHANNEL_FLAG_PRIMARY },
  /* Agilent's service interval for the scroll pump's tip seal. */
  { "tip_seal_hours", N_("Tip seal since service"), "tip_seal_hours", CRYO_QUANTITY_DURATION,
    CRYO_SCALE_LINEAR, 6, 24 * 7 * 4, CRYO_CHANNEL_FLAG_NONE, 5000,
    CRYO_PUMP_STATION_TIP_SEAL_PERIOD_S, NULL, N_("Tip seal service"), "reset-tip-seal" },
  { NULL }
};

static const CryoKindOption pump_station_options[] = {
  { "address", N_("RS-485 address"), 0, CRYO_AGILENT_MAX_ADDRESS, 0, 0 },
  { NULL }
};

static const CryoDeviceAction pump_station_actions[] = {
  { "start", N_("Start Pump"), TRUE, FALSE,
    N_("The scroll pump starts, then the turbo pump runs up to full speed."), { { NULL } } },
  { "stop", N_("Stop Pump"), TRUE, TRUE,
    N_("The turbo pump stops and spins down; the chamber is no longer pumped."), { { NULL } } },
  /* The counter's reset after a tip-seal change (agilent-window.md, window
   * 358); the panel offers it as the counter's Service Done. */
  { "reset-tip-seal", N_("Tip Seal Service Done"), TRUE, FALSE,
    N_("The station's tip-seal counter is set back to 0 h: do this once the tip seal has been replaced. "
       "The service interval counts from there."), { { NULL } } },
  { NULL }
};

/**
 * cryo_pump_station_kind:
 *
 * The Agilent TPS-compact pumping station: Window protocol request/reply on
 * RS-232 or RS-485, 9600 8N1 (agilent-window.md "Line settings").
 */
const CryoDeviceKind cryo_pump_station_kind = {
  .id = "pump-station",
  .title = N_("Pumping station"),
  .model = "Agilent TPS-compact",
  .summary = N_("Agilent TPS-compact pumping station, Window protocol on RS-232/485"),
  .link_kind = CRYO_LINK_KIND_SERIAL,
  .default_baud = 9600,
  .default_parity = CRYO_PARITY_NONE,
  .default_poll_interval_ms = 1000,
  .options = pump_station_options,
  .channels = pump_station_channels,
  .actions = pump_station_actions,
  .get_type = cryo_pump_station_get_type,
};

G_DEFINE_FINAL_TYPE (CryoPumpStation, cryo_pump_station, CRYO_TYPE_DEVICE)

static GParamSpec *properties [N_PROPS];

static void
poll_result_free (gpointer data)
{
  PollResult *result = data;

  g_clear_error (&result->error);
  g_free (result);
}

static void
command_request_free (gpointer data)
{
  CommandRequest *request = data;

  g_free (request->action);
  g_free (request);
}

/* What a worker-thread exchange with the station needs. */
typedef struct
{
  CryoTransport *transport;
  CryoLinkStats *stats;
  guint8         address;
  GCancellable  *cancellable;
} Exchange;

/* A logic window written, to be read back when the acknowledgement is lost. */
typedef struct
{
  const Exchange *ex;
  guint           window;
  gboolean        value;
} WriteBack;

/* Tries of one exchange (agilent-window.md "Replies": drivers wait
 * 0.1-0.2 s; Cryomon allows 500 ms): a damaged reply is asked for again at
 * once, a missing one after the timeout; at most this many sends of a read. */
#define MAX_TRIES 3
#define MAX_TIMEOUT_TRIES 2
/* A pause inside a reply this long ends it: over ten character times at
 * 9600 baud, and more than a pseudo-terminal or a USB adapter leaves. */
#define REPLY_GAP_MS 50

/*
 * One request/reply exchange on the worker thread: write @request, then read
 * until a frame from the station's address arrives that answers @window (or
 * is a code frame), for at most the reply timeout. A damaged reply (bad
 * checksum, garbage, a reply to another window) is retried at once rather
 * than after the timeout. A request that changes something (@may_resend
 * %FALSE) is sent once, whatever happens: its caller resolves a lost
 * acknowledgement by reading the state back. Transport failures end the
 * exchange at once. Counts into the link's statistics.
 */
static gboolean
agilent_transact (const Exchange    *ex,
                  GBytes            *request,
                  guint              window,
                  gboolean           may_resend,
                  CryoAgilentFrame  *reply,
                  GError           **error)
{
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GError) bad_frame = NULL;
  gsize request_len;
  const guint8 *request_bytes = g_bytes_get_data (request, &request_len);
  guint n_timeouts = 0;

  g_atomic_int_inc (&ex->stats->transactions);

  for (guint attempt = 0; attempt < (may_resend ? MAX_TRIES : 1); attempt++)
    {
      gint64 deadline = g_get_monotonic_time () + CRYO_PUMP_STATION_REPLY_TIMEOUT_MS * 1000;
      gboolean damaged = FALSE;
      gboolean got_bytes = FALSE;

      if (g_cancellable_set_error_if_cancelled (ex->cancellable, error))
        return FALSE;

      if (attempt > 0)
        g_atomic_int_inc (&ex->stats->retries);

      cryo_transport_discard_input (ex->transport);
      cryo_agilent_decoder_reset (decoder);

      if (!cryo_transport_write_all (ex->transport, request_bytes, request_len, error))
        return FALSE;

      while (!damaged)
        {
          guint8 buffer[64];
          gint64 remaining_ms = (deadline - g_get_monotonic_time ()) / 1000;
          CryoAgilentDecodeResult decoded;
          gssize n_read;

          if (remaining_ms <= 0)
            break;

          /* Once a reply has begun, a pause in it means it ended without a
           * frame the decoder could find (a damaged start byte): damaged,
           * not missing, so it is asked for again at once. */
          n_read = cryo_transport_read (ex->transport, buffer, sizeof buffer,
                                        got_bytes ? MIN (remaining_ms, REPLY_GAP_MS) : remaining_ms,
                                        error);
          if (n_read < 0)
            return FALSE;
          if (n_read == 0)
            {
              if (got_bytes)
                {
                  g_clear_error (&bad_frame);
                  bad_frame = g_error_new (CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED,
                                           _("bytes with no frame in them"));
                  damaged = TRUE;
                }
              break;
            }
          got_bytes = TRUE;

          cryo_agilent_decoder_feed (decoder, buffer, n_read);

          while (!damaged)
            {
              g_autoptr(GError) local_error = NULL;

              decoded = cryo_agilent_decoder_next (decoder, reply, &local_error);
              if (decoded == CRYO_AGILENT_DECODE_NEED_MORE)
                break;

              if (decoded == CRYO_AGILENT_DECODE_ERROR)
                {
                  g_debug ("Garbled reply to window %03u: %s", window, local_error->message);
                  g_clear_error (&bad_frame);
                  bad_frame = g_steal_pointer (&local_error);
                  damaged = TRUE;
                }
              else if (reply->address == ex->address && (reply->is_code || reply->window == window))
                return TRUE;
              else
                {
                  g_clear_error (&bad_frame);
                  bad_frame = g_error_new (CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED,
                                           _("a reply to window %03u from address %u"),
                                           reply->window, reply->address);
                  damaged = TRUE;
                }
            }
        }

      if (damaged)
        g_atomic_int_inc (&ex->stats->damaged);
      else
        {
          g_atomic_int_inc (&ex->stats->timeouts);
          /* Silence is worth one more try, not a third. */
          if (++n_timeouts >= MAX_TIMEOUT_TRIES)
            break;
        }
    }

  if (bad_frame != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&bad_frame),
                                  _("Garbled reply to window %03u: "), window);
      return FALSE;
    }

  g_set_error (error, CRYO_TRANSPORT_ERROR, CRYO_TRANSPORT_ERROR_TIMEOUT,
               _("No reply to window %03u within %d ms. Check the cable, the baud rate and the RS-485 address."),
               window, CRYO_PUMP_STATION_REPLY_TIMEOUT_MS);
  return FALSE;
}

static gboolean
agilent_read (const Exchange    *ex,
              guint              window,
              CryoAgilentFrame  *reply,
              GError           **error)
{
  g_autoptr(GBytes) request = cryo_agilent_encode_read (ex->address, window);

  return agilent_transact (ex, request, window, TRUE, reply, error);
}

static gboolean
agilent_read_numeric (const Exchange  *ex,
                      guint            window,
                      guint           *value,
                      GError         **error)
{
  CryoAgilentFrame reply;

  return agilent_read (ex, window, &reply, error) &&
         cryo_agilent_reply_get_numeric (&reply, window, value, error);
}

static gboolean
agilent_read_logic (const Exchange  *ex,
                    guint            window,
                    gboolean        *value,
                    GError         **error)
{
  CryoAgilentFrame reply;

  return agilent_read (ex, window, &reply, error) &&
         cryo_agilent_reply_get_logic (&reply, window, value, error);
}

/* Reads a logic window back after a write whose acknowledgement was lost:
 * did the station take the value? */
static CryoReadBack
agilent_read_back_logic (gpointer   data,
                         GError   **error)
{
  const WriteBack *write = data;
  gboolean value;

  if (!agilent_read_logic (write->ex, write->window, &value, error))
    return CRYO_READ_BACK_FAILED;

  return value == write->value ? CRYO_READ_BACK_DONE : CRYO_READ_BACK_NOT_DONE;
}

/* Writes a logic window exactly once (agilent-window.md "Write"): an ACK
 * is done; a NACK or an error code is the station's refusal; a missing or
 * damaged acknowledgement is resolved by reading the window back, never by
 * writing again. @what prefixes the message of a failure. */
static gboolean
agilent_write_logic (const Exchange  *ex,
                     guint            window,
                     gboolean         value,
                     const char      *what,
                     GError         **error)
{
  g_autoptr(GBytes) request = cryo_agilent_encode_write_logic (ex->address, window, value);
  g_autoptr(GError) local_error = NULL;
  WriteBack write = { ex, window, value };
  CryoAgilentFrame reply;

  if (agilent_transact (ex, request, window, FALSE, &reply, &local_error) &&
      cryo_agilent_reply_check_ack (&reply, &local_error))
    return TRUE;

  return cryo_device_resolve_write (g_steal_pointer (&local_error), what,
                                    agilent_read_back_logic, &write, error);
}

static gboolean
is_transport_failure (const GError *error)
{
  return error->domain == CRYO_TRANSPORT_ERROR && error->code != CRYO_TRANSPORT_ERROR_TIMEOUT;
}

static void
poll_result_missing (PollResult *result,
                     GError    **error)
{
  result->n_missing++;
  if (result->error == NULL)
    result->error = g_steal_pointer (error);
  g_clear_error (error);
}

/* Worker thread: one poll, every window in turn (agilent-window.md "Windows
 * used"). A reading that fails is missing; the rest are still read, unless
 * the port failed or the station answered nothing at all. */
static gpointer
pump_station_poll_func (CryoTransport *transport,
                        gpointer       task_data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  const PollRequest *request = task_data;
  g_autoptr(GError) local_error = NULL;
  PollResult *result = g_new0 (PollResult, 1);
  Exchange ex = { transport, request->stats, request->address, cancellable };
  gboolean silent = FALSE;

#define READ_WINDOW(call)                                                     \
  G_STMT_START {                                                              \
    if (silent)                                                               \
      result->n_missing++;                                                    \
    else if (!(call))                                                         \
      {                                                                       \
        if (is_transport_failure (local_error) ||                             \
            g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))  \
          {                                                                   \
            g_propagate_error (error, g_steal_pointer (&local_error));        \
            poll_result_free (result);                                        \
            return NULL;                                                      \
          }                                                                   \
        if (g_error_matches (local_error, CRYO_TRANSPORT_ERROR,               \
                             CRYO_TRANSPORT_ERROR_TIMEOUT))                   \
          silent = TRUE;                                                      \
        poll_result_missing (result, &local_error);                           \
      }                                                                       \
  } G_STMT_END

  if (request->read_unit)
    {
      READ_WINDOW (agilent_read_numeric (&ex, CRYO_AGILENT_WINDOW_PRESSURE_UNIT,
                                         &result->unit, &local_error));
      result->has_unit = !silent && local_error == NULL && result->n_missing == 0;
    }

  {
    CryoAgilentFrame reply;
    guint before = result->n_missing;

    READ_WINDOW (agilent_read (&ex, CRYO_AGILENT_WINDOW_PRESSURE, &reply, &local_error) &&
                 cryo_agilent_reply_get_pressure (&reply, &result->pressure, &local_error));
    result->has_pressure = result->n_missing == before;
  }

  {
    guint before = result->n_missing;
    READ_WINDOW (agilent_read_numeric (&ex, CRYO_AGILENT_WINDOW_SPEED,
                                       &result->speed_rpm, &local_error));
    result->has_speed = result->n_missing == before;
  }

  {
    guint before = result->n_missing;
    READ_WINDOW (agilent_read_numeric (&ex, CRYO_AGILENT_WINDOW_STATUS,
                                       &result->status, &local_error));
    result->has_status = result->n_missing == before;
  }

  {
    guint before = result->n_missing;
    READ_WINDOW (agilent_read_numeric (&ex, CRYO_AGILENT_WINDOW_ERROR_CODE,
                                       &result->error_bits, &local_error));
    result->has_error_bits = result->n_missing == before;
  }

  {
    gboolean running;
    READ_WINDOW (agilent_read_logic (&ex, CRYO_AGILENT_WINDOW_START_STOP,
                                     &running, &local_error));
  }

  if (request->read_tip_seal)
    {
      guint before = result->n_missing;
      READ_WINDOW (agilent_read_numeric (&ex, CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS,
                                         &result->tip_seal_hours, &local_error));
      result->has_tip_seal = result->n_missing == before;
    }

#undef READ_WINDOW

  result->time_us = g_get_real_time ();

  return result;
}

static CryoUnit
agilent_unit_to_unit (guint code)
{
  switch (code)
    {
    case CRYO_AGILENT_UNIT_MBAR: return CRYO_UNIT_MBAR;
    case CRYO_AGILENT_UNIT_PA:   return CRYO_UNIT_PA;
    case CRYO_AGILENT_UNIT_TORR: return CRYO_UNIT_TORR;
    default:                     return CRYO_UNIT_NONE;
    }
}

static void
set_double_property (CryoPumpStation *self,
                     double          *field,
                     double           value,
                     guint            prop_id)
{
  if (*field == value || (isnan (*field) && isnan (value)))
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

static void
set_int_property (CryoPumpStation *self,
                  int             *field,
                  int              value,
                  guint            prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

static const char *
status_name (guint status)
{
  const char *name = cryo_agilent_status_to_string (status);

  return name != NULL ? name : _("Unknown");
}

/**
 * cryo_pump_station_check_start:
 * @status: the status reading (window 205: 0 Stop … 6 Fail)
 * @speed_rpm: the turbo speed reading in rpm (window 226)
 * @now_us: current wall-clock time, µs since the Unix epoch
 * @max_age_us: oldest acceptable reading, µs
 * @reason: (out) (optional) (transfer full): why starting is refused
 *
 * The pumping station may be started only when its status is Stop (0) and
 * the turbo stands still (0 rpm), both from fresh readings
 * (agilent-window.md "Windows used"; the seed program's rule). Every
 * failing condition is reported, joined by "; ": readings not fresh, then
 * the status, then the speed. Pure function, any thread; reasons are
 * translated.
 *
 * Returns: %TRUE when starting is allowed
 */
gboolean
cryo_pump_station_check_start (const CryoReading *status,
                               const CryoReading *speed_rpm,
                               gint64             now_us,
                               gint64             max_age_us,
                               char             **reason)
{
  CryoInterlock interlock;
  guint code = 0;

  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (speed_rpm != NULL, FALSE);

  cryo_interlock_init (&interlock, now_us, max_age_us);
  cryo_interlock_require_fresh (&interlock, _("pump status"), status);
  cryo_interlock_require_fresh (&interlock, _("turbo speed"), speed_rpm);

  if (status->value >= 0 && status->value <= G_MAXUINT && status->value == floor (status->value))
    {
      code = (guint) status->value;
      /* Names, not codes, for an operator (and a screen reader). */
      /* Translators: "Pump status is Normal — must be Stop" */
      cryo_interlock_require_equal (&interlock, status, CRYO_AGILENT_STATUS_STOP,
                                    _("Pump status is %s — must be %s"),
                                    status_name (code), status_name (CRYO_AGILENT_STATUS_STOP));
    }
  else
    cryo_interlock_require_equal (&interlock, status, CRYO_AGILENT_STATUS_STOP,
                                  _("Pump status is %g — must be %s"),
                                  status->value, status_name (CRYO_AGILENT_STATUS_STOP));

  /* Translators: "Turbo at 812 rpm — must be 0" */
  cryo_interlock_require_equal (&interlock, speed_rpm, 0, _("Turbo at %g rpm — must be 0"), speed_rpm->value);

  return cryo_interlock_finish (&interlock, reason);
}

static void
cryo_pump_station_update_alarms (CryoPumpStation *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) alarms = NULL;

  if (self->status.time_us != 0 && self->status.value == CRYO_AGILENT_STATUS_FAIL)
    g_strv_builder_add (builder, _("Pump failure: the controller reports status Fail"));

  if (self->error_bits > 0)
    {
      for (guint bit = 0; bit < 8; bit++)
        {
          if (self->error_bits & (1u << bit))
            {
              g_autofree char *meaning = cryo_agilent_error_bits_to_string (1u << bit);
              g_strv_builder_add (builder, meaning);
            }
        }
    }

  alarms = g_strv_builder_end (builder);
  cryo_device_set_alarms (CRYO_DEVICE (self), (const char * const *) alarms);
}

static void
cryo_pump_station_poll_cb (GObject      *object,
                           GAsyncResult *async_result,
                           gpointer      user_data)
{
  g_autoptr(CryoPumpStation) self = user_data;
  g_autoptr(GError) error = NULL;
  PollResult *result;
  CryoUnit unit;
  double pressure_pa = NAN;

  result = cryo_link_run_finish (CRYO_LINK (object), async_result, &error);

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gint64 now_us = g_get_real_time ();

          cryo_device_push_sample (CRYO_DEVICE (self), self->pressure_channel, now_us, NAN);
          cryo_device_push_sample (CRYO_DEVICE (self), self->speed_channel, now_us, NAN);
          self->status.value = NAN;
          self->status.time_us = 0;
          set_double_property (self, &self->pressure_pa, NAN, PROP_PRESSURE);
          set_double_property (self, &self->speed_rpm, NAN, PROP_SPEED);
          g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
        }
      cryo_device_poll_done (CRYO_DEVICE (self), FALSE, error);
      return;
    }

  if (result->has_unit)
    {
      self->unit_read_us = g_get_monotonic_time ();
      set_int_property (self, &self->pressure_unit, result->unit, PROP_PRESSURE_UNIT);
    }

  if (result->has_tip_seal)
    {
      self->tip_seal_read_us = g_get_monotonic_time ();
      set_int_property (self, &self->tip_seal_hours, result->tip_seal_hours, PROP_TIP_SEAL_HOURS);
      cryo_device_push_sample (CRYO_DEVICE (self), self->tip_seal_channel,
                               result->time_us, result->tip_seal_hours);
    }

  unit = self->pressure_unit >= 0 ? agilent_unit_to_unit (self->pressure_unit) : CRYO_UNIT_NONE;
  if (result->has_pressure && unit != CRYO_UNIT_NONE)
    pressure_pa = cryo_unit_convert (result->pressure, unit, CRYO_UNIT_PA);
  else if (result->has_pressure)
    {
      g_autoptr(GError) unit_error =
        g_error_new (CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                     _("Pressure unit (window 163) is unknown, so the pressure cannot be shown"));
      poll_result_missing (result, &unit_error);
    }

  cryo_device_push_sample (CRYO_DEVICE (self), self->pressure_channel, result->time_us, pressure_pa);
  set_double_property (self, &self->pressure_pa, pressure_pa, PROP_PRESSURE);

  cryo_device_push_sample (CRYO_DEVICE (self), self->speed_channel, result->time_us,
                           result->has_speed ? (double) result->speed_rpm : NAN);
  set_double_property (self, &self->speed_rpm, result->has_speed ? (double) result->speed_rpm : NAN,
                       PROP_SPEED);

  if (result->has_status)
    {
      self->status.value = result->status;
      self->status.time_us = result->time_us;
    }
  else
    {
      self->status.value = NAN;
      self->status.time_us = 0;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);

  if (result->has_error_bits)
    set_int_property (self, &self->error_bits, result->error_bits, PROP_ERROR_BITS);

  cryo_pump_station_update_alarms (self);

  cryo_device_poll_done (CRYO_DEVICE (self), result->n_missing == 0, result->error);
  poll_result_free (result);
}

static void
cryo_pump_station_poll (CryoDevice *device)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (device);
  PollRequest *request = g_new0 (PollRequest, 1);
  gint64 now = g_get_monotonic_time ();

  request->address = self->address;
  request->stats = cryo_link_get_stats (cryo_device_get_link (device));
  request->read_unit = (self->unit_read_us == 0 ||
                        now - self->unit_read_us >= (gint64) CRYO_PUMP_STATION_UNIT_PERIOD_S * G_USEC_PER_SEC);
  request->read_tip_seal = (self->tip_seal_read_us == 0 ||
                            now - self->tip_seal_read_us >= (gint64) CRYO_PUMP_STATION_TIP_SEAL_PERIOD_S * G_USEC_PER_SEC);

  cryo_link_run_async (cryo_device_get_link (device),
                       CRYO_LINK_PRIORITY_POLL,
                       pump_station_poll_func,
                       request, g_free,
                       poll_result_free,
                       self->cancellable,
                       cryo_pump_station_poll_cb,
                       g_object_ref (self));
}

static void
cryo_pump_station_connected (CryoDevice *device)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (device);

  /* A reopened port may be a different station, or one set to another unit. */
  self->unit_read_us = 0;
  self->tip_seal_read_us = 0;
}

static gboolean
cryo_pump_station_check_action (CryoDevice  *device,
                                const char  *action,
                                char       **reason)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (device);

  if (g_str_equal (action, "start"))
    {
      CryoReading speed = cryo_channel_get_reading (self->speed_channel);

      return cryo_pump_station_check_start (&self->status, &speed,
                                            g_get_real_time (),
                                            cryo_device_get_max_reading_age (device),
                                            reason);
    }

  return TRUE;
}

static gboolean
cryo_pump_station_in_effect (CryoDevice  *device,
                             const char  *action,
                             char       **reason)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (device);
  CryoReading speed = cryo_channel_get_reading (self->speed_channel);

  if (g_str_equal (action, "stop") && self->status.time_us != 0 &&
      self->status.value == CRYO_AGILENT_STATUS_STOP && speed.time_us != 0 && speed.value == 0)
    {
      if (reason != NULL)
        *reason = g_strdup (_("The pump is already stopped"));
      return TRUE;
    }

  return FALSE;
}

/* Worker thread: start, re-checked against readings taken right now, then
 * window 000 written once. */
static gboolean
pump_station_start (const Exchange        *ex,
                    const CommandRequest  *request,
                    GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;
  CryoReading status = CRYO_READING_INIT;
  CryoReading speed = CRYO_READING_INIT;
  guint status_value, speed_value;
  gboolean remote;

  if (!agilent_read_numeric (ex, CRYO_AGILENT_WINDOW_STATUS, &status_value, &local_error) ||
      !agilent_read_numeric (ex, CRYO_AGILENT_WINDOW_SPEED, &speed_value, &local_error))
    {
      if (is_transport_failure (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED,
                   _("Could not read status and turbo speed again before starting: %s"),
                   local_error->message);
      return FALSE;
    }

  status.value = status_value;
  status.time_us = g_get_real_time ();
  speed.value = speed_value;
  speed.time_us = status.time_us;

  if (!cryo_pump_station_check_start (&status, &speed, g_get_real_time (),
                                      request->max_age_us, &reason))
    {
      g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED, reason);
      return FALSE;
    }

  /* Window 000 is writable only in serial mode (agilent-window.md "Windows used"). */
  if (!agilent_read_logic (ex, CRYO_AGILENT_WINDOW_REMOTE, &remote, error))
    return FALSE;

  if (remote &&
      !agilent_write_logic (ex, CRYO_AGILENT_WINDOW_REMOTE, FALSE,
                            _("Could not switch the station to serial mode: "), error))
    return FALSE;

  return agilent_write_logic (ex, CRYO_AGILENT_WINDOW_START_STOP, TRUE,
                              _("The station did not start: "), error);
}

static CryoReadBack
agilent_read_back_tip_seal (gpointer   data,
                            GError   **error)
{
  const Exchange *ex = data;
  guint hours;

  if (!agilent_read_numeric (ex, CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS, &hours, error))
    return CRYO_READ_BACK_FAILED;

  return hours == 0 ? CRYO_READ_BACK_DONE : CRYO_READ_BACK_NOT_DONE;
}

/* Worker thread: window 358 written to 0 once (agilent-window.md "Windows
 * used"); a lost acknowledgement is resolved by reading the counter back. */
static gboolean
pump_station_reset_tip_seal (const Exchange  *ex,
                             GError         **error)
{
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GError) local_error = NULL;
  CryoAgilentFrame reply;

  request = cryo_agilent_encode_write_numeric (ex->address, CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS, 0, error);
  if (request == NULL)
    return FALSE;

  if (agilent_transact (ex, request, CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS, FALSE, &reply, &local_error) &&
      cryo_agilent_reply_check_ack (&reply, &local_error))
    return TRUE;

  return cryo_device_resolve_write (g_steal_pointer (&local_error),
                                    _("The tip-seal counter was not reset: "),
                                    agilent_read_back_tip_seal, (gpointer) ex, error);
}

/* Worker thread: stop, then keep the speed reading alive (window 167) so the
 * operator sees the rotor spin down, as the seed program did. */
static gboolean
pump_station_stop (const Exchange        *ex,
                   const CommandRequest  *request,
                   GError               **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!agilent_write_logic (ex, CRYO_AGILENT_WINDOW_START_STOP, FALSE,
                            _("The station did not stop: "), error))
    return FALSE;

  if (!agilent_write_logic (ex, CRYO_AGILENT_WINDOW_SPEED_AFTER_STOP, TRUE,
                            _("Window 167 (speed reading after stop): "), &local_error))
    g_warning ("Pump stopped, but %s", local_error->message);

  return TRUE;
}

static gpointer
pump_station_command_func (CryoTransport *transport,
                           gpointer       task_data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  const CommandRequest *request = task_data;
  Exchange ex = { transport, request->stats, request->address, cancellable };
  gboolean ok;

  if (g_str_equal (request->action, "start"))
    ok = pump_station_start (&ex, request, error);
  else if (g_str_equal (request->action, "stop"))
    ok = pump_station_stop (&ex, request, error);
  else if (g_str_equal (request->action, "reset-tip-seal"))
    ok = pump_station_reset_tip_seal (&ex, error);
  else
    g_assert_not_reached ();

  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
cryo_pump_station_run_action (CryoDevice   *device,
                              const char   *action,
                              const double *params,
                              GTask        *task)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (device);
  CommandRequest *request = g_new0 (CommandRequest, 1);

  request->address = self->address;
  request->stats = cryo_link_get_stats (cryo_device_get_link (device));
  request->action = g_strdup (action);
  request->max_age_us = cryo_device_get_max_reading_age (device);

  /* The poll after the command reads the counter again, not an hour later. */
  if (g_str_equal (action, "reset-tip-seal"))
    self->tip_seal_read_us = 0;

  cryo_device_run_command (device, pump_station_command_func,
                           request, command_request_free, task);
}

static char *
cryo_pump_station_dup_state_text (CryoDevice *device)
{
  int status = cryo_pump_station_get_status (CRYO_PUMP_STATION (device));

  return status < 0 ? NULL : g_strdup (cryo_agilent_status_to_string (status));
}

static void
cryo_pump_station_constructed (GObject *object)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (object);
  CryoDevice *device = CRYO_DEVICE (object);

  G_OBJECT_CLASS (cryo_pump_station_parent_class)->constructed (object);

  self->address = cryo_device_config_get_option (cryo_device_get_config (device), "address");
  self->pressure_channel = cryo_device_lookup_channel (device, "pressure");
  self->speed_channel = cryo_device_lookup_channel (device, "speed");
  self->tip_seal_channel = cryo_device_lookup_channel (device, "tip_seal_hours");
}

static void
cryo_pump_station_dispose (GObject *object)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (cryo_pump_station_parent_class)->dispose (object);
}

static void
cryo_pump_station_finalize (GObject *object)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cryo_pump_station_parent_class)->finalize (object);
}

static void
cryo_pump_station_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CryoPumpStation *self = CRYO_PUMP_STATION (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_uint (value, self->address);
      break;

    case PROP_PRESSURE:
      g_value_set_double (value, self->pressure_pa);
      break;

    case PROP_SPEED:
      g_value_set_double (value, self->speed_rpm);
      break;

    case PROP_STATUS:
      g_value_set_int (value, cryo_pump_station_get_status (self));
      break;

    case PROP_ERROR_BITS:
      g_value_set_int (value, self->error_bits);
      break;

    case PROP_TIP_SEAL_HOURS:
      g_value_set_int (value, self->tip_seal_hours);
      break;

    case PROP_PRESSURE_UNIT:
      g_value_set_int (value, self->pressure_unit);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_pump_station_class_init (CryoPumpStationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CryoDeviceClass *device_class = CRYO_DEVICE_CLASS (klass);

  object_class->constructed = cryo_pump_station_constructed;
  object_class->dispose = cryo_pump_station_dispose;
  object_class->finalize = cryo_pump_station_finalize;
  object_class->get_property = cryo_pump_station_get_property;

  device_class->poll = cryo_pump_station_poll;
  device_class->connected = cryo_pump_station_connected;
  device_class->check_action = cryo_pump_station_check_action;
  device_class->in_effect = cryo_pump_station_in_effect;
  device_class->run_action = cryo_pump_station_run_action;
  device_class->dup_state_text = cryo_pump_station_dup_state_text;

  cryo_device_class_set_kind (device_class, &cryo_pump_station_kind);

  properties [PROP_ADDRESS] =
    g_param_spec_uint ("address", NULL, NULL,
                       0, CRYO_AGILENT_MAX_ADDRESS, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_PRESSURE] =
    g_param_spec_double ("pressure", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ERROR_BITS] =
    g_param_spec_int ("error-bits", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_TIP_SEAL_HOURS] =
    g_param_spec_int ("tip-seal-hours", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PRESSURE_UNIT] =
    g_param_spec_int ("pressure-unit", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cryo_pump_station_init (CryoPumpStation *self)
{
  self->cancellable = g_cancellable_new ();
  self->status.value = NAN;
  self->pressure_pa = NAN;
  self->speed_rpm = NAN;
  self->error_bits = -1;
  self->tip_seal_hours = -1;
  self->pressure_unit = -1;
}

/**
 * cryo_pump_station_new:
 * @link: the link to the station's serial port
 * @address: the RS-485 address, 0..31 (0 on RS-232)
 *
 * Creates the pumping-station device. It polls windows 224 (pressure),
 * 226 (rotation speed), 205 (status), 206 (error bits) and 000 every poll,
 * 163 (pressure unit) on connect and every minute, and 358 (tip-seal hours)
 * on connect and hourly (agilent-window.md "Windows used").
 *
 * Returns: (transfer full): a new #CryoDevice
 */
CryoDevice *
cryo_pump_station_new (CryoLink *link,
                       guint     address)
{
  g_autoptr(CryoDeviceConfig) config = cryo_device_config_new (&cryo_pump_station_kind, NULL);
  g_autofree char *value = g_strdup_printf ("%u", address);

  g_return_val_if_fail (CRYO_IS_LINK (link), NULL);
  g_return_val_if_fail (address <= CRYO_AGILENT_MAX_ADDRESS, NULL);

  cryo_device_config_set_option (config, "address", value, NULL);

  return g_object_new (CRYO_TYPE_PUMP_STATION,
                       "config", config,
                       "link", link,
                       NULL);
}

/**
 * cryo_pump_station_get_address:
 * @self: a #CryoPumpStation
 *
 * Returns: the RS-485 address, 0..31
 */
guint
cryo_pump_station_get_address (CryoPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_PUMP_STATION (self), 0);

  return self->address;
}

/**
 * cryo_pump_station_get_pressure:
 * @self: a #CryoPumpStation
 *
 * Returns: the last gauge pressure in Pa, NaN when missing
 */
double
cryo_pump_station_get_pressure (CryoPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_PUMP_STATION (self), NAN);

  return self->pressure_pa;
}

/**
 * cryo_pump_station_get_speed:
 * @self: a #CryoPumpStation
 *
 * Returns: the last turbo rotation speed in rpm, NaN when missing
 */
double
cryo_pump_station_get_speed (CryoPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_PUMP_STATION (self), NAN);

  return self->speed_rpm;
}

/**
 * cryo_pump_station_get_status:
 * @self: a #CryoPumpStation
 *
 * Returns: the last status (window 205: 0 stop … 6 fail), -1 when missing
 */
int
cryo_pump_station_get_status (CryoPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_PUMP_STATION (self), -1);

  return (self->status.time_us == 0 || isnan (self->status.value)) ? -1 : (int) self->status.value;
}

/**
 * cryo_pump_station_get_error_bits:
 * @self: a #CryoPumpStation
 *
 * Returns: the last error bits (window 206), -1 before the first reading
 */
int
cryo_pump_station_get_error_bits (CryoPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_PUMP_STATION (self), -1);

  return self->error_bits;
}

/**
 * cryo_pump_station_get_tip_seal_hours:
 * @self: a #CryoPumpStation
 *
 * Returns: hours since the last tip-seal service (window 358), -1 when unknown
 */
int
cryo_pump_station_get_tip_seal_hours (CryoPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_PUMP_STATION (self), -1);

  return self->tip_seal_hours;
}

/**
 * cryo_pump_station_get_pressure_unit:
 * @self: a #CryoPumpStation
 *
 * Returns: the station's own pressure unit (window 163: 0 mbar, 1 Pa,
 *   2 Torr), -1 when unknown
 */
int
cryo_pump_station_get_pressure_unit (CryoPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_PUMP_STATION (self), -1);

  return self->pressure_unit;
}
