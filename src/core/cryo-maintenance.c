/* cryo-maintenance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The maintenance forecast of a part counted in operating hours (a tip
 * seal, a compressor, a cryopump since its regeneration): how fast the
 * counter runs in calendar time, and when at that rate its service
 * interval ends. Pure arithmetic on samples; no clock, no settings.
 */

#define G_LOG_DOMAIN "cryo-maintenance"

#include "config.h"

#include <math.h>

#include "cryo-maintenance.h"

#define USEC_PER_HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define USEC_PER_DAY (24 * USEC_PER_HOUR)

/* A counter resolves whole hours at worst, so a step may show up to one
 * hour more than the time it took. */
#define COUNTER_RESOLUTION_HOURS 1.0

/**
 * cryo_maintenance_usage_rate:
 * @samples: (array length=n_samples): readings of an hours counter in time
 *   order, values in hours; NaN values (gaps) are skipped
 * @n_samples: how many
 * @now_us: the current wall-clock time, µs since the epoch
 * @window_us: how far back from @now_us to look, µs
 * @min_span_us: the least time the counted steps must cover, µs
 *
 * Operating hours the counter gained per calendar day over the window. A
 * step between two readings counts with its hours and its calendar time,
 * so a gap in the readings (Cryomon not running) counts what the counter
 * gained meanwhile. A step down (the counter reset at a service, or the
 * instrument replaced) and a step up faster than the clock allows (a
 * counter set by hand) count neither: they say nothing of the usage.
 *
 * Returns: hours per day (0 for an idle part), NaN when the counted steps
 *   cover less than @min_span_us
 */
double
cryo_maintenance_usage_rate (const CryoSample *samples,
                             gsize             n_samples,
                             gint64            now_us,
                             gint64            window_us,
                             gint64            min_span_us)
{
  const CryoSample *previous = NULL;
  double hours = 0;
  gint64 span_us = 0;

  g_return_val_if_fail (samples != NULL || n_samples == 0, NAN);

  for (gsize i = 0; i < n_samples; i++)
    {
      const CryoSample *sample = &samples[i];
      double gained;
      gint64 elapsed_us;

      if (!isfinite (sample->value) || sample->time_us < now_us - window_us || sample->time_us > now_us)
        continue;

      if (previous == NULL || sample->time_us <= previous->time_us)
        {
          previous = previous ? previous : sample;
          continue;
        }

      gained = sample->value - previous->value;
      elapsed_us = sample->time_us - previous->time_us;
      previous = sample;

      if (gained < 0 || gained > (double) elapsed_us / USEC_PER_HOUR + COUNTER_RESOLUTION_HOURS)
        continue;

      hours += gained;
      span_us += elapsed_us;
    }

  if (span_us < MAX (min_span_us, 1))
    return NAN;

  return hours / ((double) span_us / USEC_PER_DAY);
}

/**
 * cryo_maintenance_forecast:
 * @samples: (array length=n_samples): readings of the counter in time order,
 *   hours; NaN values (gaps) are skipped
 * @n_samples: how many
 * @interval_hours: the service interval, h (> 0)
 * @service_hours: what the counter read at the last service, h: 0 for a
 *   counter of hours since service (the instrument resets it), NaN for a
 *   counter of total hours whose service was never recorded
 * @now_us: the current wall-clock time, µs since the epoch
 * @lead_time_us: how long before the interval ends a forecast is due
 *   soon, µs
 * @forecast: (out caller-allocates): the forecast
 *
 * Hours since service from the last reading, the usage rate over the last
 * %CRYO_MAINTENANCE_RATE_WINDOW_US (at least
 * %CRYO_MAINTENANCE_RATE_MIN_SPAN_US of steps), and the date the interval
 * ends at that rate. A counter of total hours that reads below its service
 * record was reset or replaced since: its reading is then the hours since
 * service. A due date more than %CRYO_MAINTENANCE_MAX_FORECAST_DAYS away is
 * not given.
 */
void
cryo_maintenance_forecast (const CryoSample        *samples,
                           gsize                    n_samples,
                           double                   interval_hours,
                           double                   service_hours,
                           gint64                   now_us,
                           gint64                   lead_time_us,
                           CryoMaintenanceForecast *forecast)
{
  const CryoSample *last = NULL;
  double since;
  double days;

  g_return_if_fail (samples != NULL || n_samples == 0);
  g_return_if_fail (forecast != NULL);

  *forecast = (CryoMaintenanceForecast) {
    .status = CRYO_MAINTENANCE_UNKNOWN,
    .hours_since_service = NAN,
    .interval_hours = interval_hours,
    .hours_remaining = NAN,
    .rate_hours_per_day = NAN,
    .due_time_us = 0,
  };

  for (gsize i = n_samples; i > 0 && last == NULL; i--)
    if (isfinite (samples[i - 1].value))
      last = &samples[i - 1];

  if (last == NULL || !isfinite (service_hours) || !(interval_hours > 0))
    return;

  since = last->value >= service_hours ? last->value - service_hours : last->value;
  forecast->hours_since_service = since;
  forecast->hours_remaining = interval_hours - since;
  forecast->rate_hours_per_day = cryo_maintenance_usage_rate (samples, n_samples, now_us,
                                                              CRYO_MAINTENANCE_RATE_WINDOW_US,
                                                              CRYO_MAINTENANCE_RATE_MIN_SPAN_US);

  if (forecast->hours_remaining <= 0)
    {
      forecast->status = CRYO_MAINTENANCE_OVERDUE;
      forecast->due_time_us = last->time_us;
      return;
    }

  forecast->status = CRYO_MAINTENANCE_OK;
  if (!(forecast->rate_hours_per_day > 0))
    return;

  /* A part used a few minutes a year has no date worth showing. */
  days = forecast->hours_remaining / forecast->rate_hours_per_day;
  if (days > CRYO_MAINTENANCE_MAX_FORECAST_DAYS)
    return;

  forecast->due_time_us = last->time_us + (gint64) (days * USEC_PER_DAY);
  if (forecast->due_time_us - now_us <= lead_time_us)
    forecast->status = CRYO_MAINTENANCE_DUE_SOON;
}
