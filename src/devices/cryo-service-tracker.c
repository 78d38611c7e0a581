/* cryo-service-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The maintenance forecasts of one device: for each of its counters of
 * hours with a service interval (a tip seal, a compressor, a cryopump since
 * its regeneration) a thinned record of the counter over the rate window,
 * the forecast (cryo-maintenance.h) and, when a forecast is within the
 * lead time or overdue, a maintenance warning among the device's warnings.
 */

#define G_LOG_DOMAIN "cryo-service-tracker"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-device.h"
#include "cryo-service-tracker.h"

/* Readings kept for the rate: one per this much time, over the window. */
#define KEEP_EVERY_US (G_GINT64_CONSTANT (600) * G_USEC_PER_SEC)
#define USEC_PER_DAY (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

typedef struct
{
  CryoChannel           *channel;   /* owned by the device */
  const CryoChannelInfo *info;
  GArray                *samples;   /* CryoSample, in time order */
  double                 interval_hours;
  CryoMaintenanceForecast forecast;
} Counter;

struct _CryoServiceTracker
{
  GObject    parent_instance;

  GWeakRef   device;
  GArray    *counters;   /* Counter */
  guint      lead_days;
};

G_DEFINE_FINAL_TYPE (CryoServiceTracker, cryo_service_tracker, G_TYPE_OBJECT)

static void
counter_clear (gpointer data)
{
  Counter *counter = data;

  g_clear_pointer (&counter->samples, g_array_unref);
}

static Counter *
find_counter (CryoServiceTracker *self,
              CryoChannel        *channel)
{
  for (guint i = 0; i < self->counters->len; i++)
    {
      Counter *counter = &g_array_index (self->counters, Counter, i);

      if (counter->channel == channel)
        return counter;
    }

  return NULL;
}

/* Keeps the newest reading, and one per KEEP_EVERY_US before it: the
 * newest replaces the one before while they are close, unless the counter
 * went down (a reset, which the rate must see). */
static void
counter_add (Counter *counter,
             gint64   time_us,
             double   hours)
{
  GArray *samples = counter->samples;
  CryoSample sample = { time_us, hours };
  guint drop = 0;

  if (!isfinite (hours))
    return;

  if (samples->len > 0 && time_us < g_array_index (samples, CryoSample, samples->len - 1).time_us)
    g_array_set_size (samples, 0);  /* the clock went back: start again */

  if (samples->len >= 2 &&
      time_us - g_array_index (samples, CryoSample, samples->len - 2).time_us < KEEP_EVERY_US &&
      hours >= g_array_index (samples, CryoSample, samples->len - 1).value)
    g_array_index (samples, CryoSample, samples->len - 1) = sample;
  else
    g_array_append_val (samples, sample);

  while (drop < samples->len &&
         g_array_index (samples, CryoSample, drop).time_us < time_us - CRYO_MAINTENANCE_RATE_WINDOW_US - KEEP_EVERY_US)
    drop++;
  if (drop > 0)
    g_array_remove_range (samples, 0, drop);
}

static double
counter_service_hours (Counter    *counter,
                       CryoDevice *device)
{
  if (counter->info->flags & CRYO_CHANNEL_FLAG_SERVICE_RECORD)
    return cryo_device_get_config (device)->service_hours;

  return 0;
}

static char *
dup_warning (Counter *counter,
             guint    lead_days)
{
  const char *part = g_dgettext (GETTEXT_PACKAGE, counter->info->service_part ? counter->info->service_part
                                                                              : counter->info->label);

  switch (counter->forecast.status)
    {
    case CRYO_MAINTENANCE_DUE_SOON:
      /* Translators: a maintenance warning, "Tip seal service due within 14 days" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s due within %u day", "%s due within %u days",
                                           lead_days),
                              part, lead_days);

    case CRYO_MAINTENANCE_OVERDUE:
      /* Translators: a maintenance warning, "Tip seal service overdue" */
      return g_strdup_printf (_("%s overdue"), part);

    case CRYO_MAINTENANCE_UNKNOWN:
    case CRYO_MAINTENANCE_OK:
    default:
      return NULL;
    }
}

static void
evaluate (CryoServiceTracker *self,
          CryoDevice         *device)
{
  gint64 now_us = g_get_real_time ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) warnings = NULL;

  for (guint i = 0; i < self->counters->len; i++)
    {
      Counter *counter = &g_array_index (self->counters, Counter, i);
      g_autofree char *warning = NULL;

      cryo_maintenance_forecast ((const CryoSample *) (gpointer) counter->samples->data, counter->samples->len,
                                 counter->interval_hours, counter_service_hours (counter, device),
                                 now_us, (gint64) self->lead_days * USEC_PER_DAY, &counter->forecast);

      warning = dup_warning (counter, self->lead_days);
      if (warning != NULL)
        g_strv_builder_add (builder, warning);
    }

  warnings = g_strv_builder_end (builder);
  cryo_device_set_service_warnings (device, (const char * const *) warnings);
}

static void
on_sample_cb (CryoDevice         *device,
              CryoChannel        *channel,
              gint64              time_us,
              double              value,
              CryoServiceTracker *self)
{
  Counter *counter = find_counter (self, channel);

  if (counter == NULL)
    return;

  counter_add (counter, time_us, value);
  evaluate (self, device);
}

static void
cryo_service_tracker_finalize (GObject *object)
{
  CryoServiceTracker *self = CRYO_SERVICE_TRACKER (object);

  g_weak_ref_clear (&self->device);
  g_clear_pointer (&self->counters, g_array_unref);

  G_OBJECT_CLASS (cryo_service_tracker_parent_class)->finalize (object);
}

static void
cryo_service_tracker_class_init (CryoServiceTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_service_tracker_finalize;
}

static void
cryo_service_tracker_init (CryoServiceTracker *self)
{
  self->counters = g_array_new (FALSE, TRUE, sizeof (Counter));
  g_array_set_clear_func (self->counters, counter_clear);
  self->lead_days = CRYO_SERVICE_DEFAULT_LEAD_DAYS;
  g_weak_ref_init (&self->device, NULL);
}

/**
 * cryo_service_tracker_new:
 * @device: the device whose counters to follow; its channels exist
 *
 * For #CryoDevice, which owns one: follows each channel of @device's kind
 * with a service interval (#CryoChannelInfo.service_hours) through
 * #CryoDevice::sample, at the kind's default interval and a lead time of
 * %CRYO_SERVICE_DEFAULT_LEAD_DAYS until told otherwise. Main thread.
 *
 * Returns: (transfer full): a new tracker
 */
CryoServiceTracker *
cryo_service_tracker_new (CryoDevice *device)
{
  CryoServiceTracker *self;
  GPtrArray *channels;

  g_return_val_if_fail (CRYO_IS_DEVICE (device), NULL);

  self = g_object_new (CRYO_TYPE_SERVICE_TRACKER, NULL);
  g_weak_ref_set (&self->device, device);

  channels = cryo_device_get_channels (device);
  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      const CryoChannelInfo *info = cryo_device_get_channel_info (device, channel);
      Counter counter = { channel, info };

      if (info->service_hours == 0)
        continue;

      counter.samples = g_array_new (FALSE, FALSE, sizeof (CryoSample));
      counter.interval_hours = info->service_hours;
      cryo_maintenance_forecast (NULL, 0, counter.interval_hours, 0, 0, 0, &counter.forecast);
      g_array_append_val (self->counters, counter);
    }

  if (self->counters->len > 0)
    g_signal_connect_object (device, "sample", G_CALLBACK (on_sample_cb), self, 0);

  return self;
}

/**
 * cryo_service_tracker_get_n_counters:
 * @self: a #CryoServiceTracker
 *
 * Returns: how many counters with a service interval the device has
 */
guint
cryo_service_tracker_get_n_counters (CryoServiceTracker *self)
{
  g_return_val_if_fail (CRYO_IS_SERVICE_TRACKER (self), 0);

  return self->counters->len;
}

/**
 * cryo_service_tracker_get_counter:
 * @self: a #CryoServiceTracker
 * @index: below cryo_service_tracker_get_n_counters()
 *
 * Returns: (transfer none): the counter's channel, in the kind's order
 */
CryoChannel *
cryo_service_tracker_get_counter (CryoServiceTracker *self,
                                  guint               index)
{
  g_return_val_if_fail (CRYO_IS_SERVICE_TRACKER (self), NULL);
  g_return_val_if_fail (index < self->counters->len, NULL);

  return g_array_index (self->counters, Counter, index).channel;
}

/**
 * cryo_service_tracker_get_forecast:
 * @self: a #CryoServiceTracker
 * @channel: one of the device's channels
 * @forecast: (out caller-allocates): its forecast as of the last reading or
 *   change of the preferences
 *
 * Returns: %FALSE when @channel has no service interval
 */
gboolean
cryo_service_tracker_get_forecast (CryoServiceTracker      *self,
                                   CryoChannel             *channel,
                                   CryoMaintenanceForecast *forecast)
{
  Counter *counter;

  g_return_val_if_fail (CRYO_IS_SERVICE_TRACKER (self), FALSE);
  g_return_val_if_fail (forecast != NULL, FALSE);

  counter = find_counter (self, channel);
  if (counter == NULL)
    return FALSE;

  *forecast = counter->forecast;
  return TRUE;
}

static Counter *
find_counter_by_key (CryoServiceTracker *self,
                     const char         *channel_key)
{
  for (guint i = 0; i < self->counters->len; i++)
    {
      Counter *counter = &g_array_index (self->counters, Counter, i);

      if (g_str_equal (counter->info->key, channel_key))
        return counter;
    }

  return NULL;
}

/**
 * cryo_service_tracker_set_interval:
 * @self: a #CryoServiceTracker
 * @channel_key: the key of a counter ("tip_seal_hours")
 * @interval_hours: its service interval, h (> 0)
 *
 * The interval from the preferences; forecasts and warnings follow at once.
 */
void
cryo_service_tracker_set_interval (CryoServiceTracker *self,
                                   const char         *channel_key,
                                   double              interval_hours)
{
  Counter *counter;

  g_return_if_fail (CRYO_IS_SERVICE_TRACKER (self));
  g_return_if_fail (channel_key != NULL);
  g_return_if_fail (interval_hours > 0);

  counter = find_counter_by_key (self, channel_key);
  g_return_if_fail (counter != NULL);

  if (counter->interval_hours == interval_hours)
    return;

  counter->interval_hours = interval_hours;
  cryo_service_tracker_update (self);
}

/**
 * cryo_service_tracker_get_interval:
 * @self: a #CryoServiceTracker
 * @channel_key: the key of a counter
 *
 * Returns: its service interval, h; 0 when it is no counter
 */
double
cryo_service_tracker_get_interval (CryoServiceTracker *self,
                                   const char         *channel_key)
{
  Counter *counter;

  g_return_val_if_fail (CRYO_IS_SERVICE_TRACKER (self), 0);
  g_return_val_if_fail (channel_key != NULL, 0);

  counter = find_counter_by_key (self, channel_key);
  return counter != NULL ? counter->interval_hours : 0;
}

/**
 * cryo_service_tracker_set_lead_days:
 * @self: a #CryoServiceTracker
 * @lead_days: how many days before a forecast date the maintenance warning
 *   is raised (≥ 1)
 */
void
cryo_service_tracker_set_lead_days (CryoServiceTracker *self,
                                    guint               lead_days)
{
  g_return_if_fail (CRYO_IS_SERVICE_TRACKER (self));
  g_return_if_fail (lead_days > 0);

  if (self->lead_days == lead_days)
    return;

  self->lead_days = lead_days;
  cryo_service_tracker_update (self);
}

/**
 * cryo_service_tracker_get_lead_days:
 * @self: a #CryoServiceTracker
 *
 * Returns: the lead time of the maintenance warning, days
 */
guint
cryo_service_tracker_get_lead_days (CryoServiceTracker *self)
{
  g_return_val_if_fail (CRYO_IS_SERVICE_TRACKER (self), 0);

  return self->lead_days;
}

/**
 * cryo_service_tracker_update:
 * @self: a #CryoServiceTracker
 *
 * Recomputes every forecast and the maintenance warnings, as after a new
 * service record. Main thread.
 */
void
cryo_service_tracker_update (CryoServiceTracker *self)
{
  g_autoptr(CryoDevice) device = NULL;

  g_return_if_fail (CRYO_IS_SERVICE_TRACKER (self));

  device = g_weak_ref_get (&self->device);
  if (device != NULL && self->counters->len > 0)
    evaluate (self, device);
}

/**
 * cryo_service_tracker_load_history:
 * @self: a #CryoServiceTracker
 *
 * Takes each counter's readings from its channel's history, as the
 * session fills it from the archive at start (the live span): after a
 * restart the usage rate, and so the forecast date, is known at once
 * rather than after another hour of readings. Readings the tracker has
 * already are not taken twice. Main thread, before the device polls.
 */
void
cryo_service_tracker_load_history (CryoServiceTracker *self)
{
  g_return_if_fail (CRYO_IS_SERVICE_TRACKER (self));

  for (guint i = 0; i < self->counters->len; i++)
    {
      Counter *counter = &g_array_index (self->counters, Counter, i);
      const CryoHistory *history = cryo_channel_get_history (counter->channel);
      gint64 after_us = G_MININT64;
      CryoHistoryIter iter;
      CryoSample sample;

      if (counter->samples->len > 0)
        after_us = g_array_index (counter->samples, CryoSample, counter->samples->len - 1).time_us;

      cryo_history_iter_init (&iter, history, G_MININT64, G_MAXINT64);
      while (cryo_history_iter_next (&iter, &sample))
        if (sample.time_us > after_us)
          counter_add (counter, sample.time_us, sample.value);
    }

  cryo_service_tracker_update (self);
}
