/* cryo-maintenance.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cryo-types.h"

G_BEGIN_DECLS

/* How far back the usage rate looks, and how much of that it needs. */
#define CRYO_MAINTENANCE_RATE_WINDOW_US   (G_GINT64_CONSTANT (7) * 24 * 3600 * G_USEC_PER_SEC)
#define CRYO_MAINTENANCE_RATE_MIN_SPAN_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define CRYO_MAINTENANCE_MAX_FORECAST_DAYS 36500.0

/**
 * CryoMaintenanceStatus:
 * @CRYO_MAINTENANCE_UNKNOWN: no reading of the counter yet, or (for a
 *   counter of total hours) no service recorded
 * @CRYO_MAINTENANCE_OK: the interval ends later than the lead time from now,
 *   or the part is idle, or the rate is not known yet
 * @CRYO_MAINTENANCE_DUE_SOON: at the current rate the interval ends within
 *   the lead time
 * @CRYO_MAINTENANCE_OVERDUE: the interval has passed
 *
 * Where a part counted in hours stands against its service interval.
 */
typedef enum
{
  CRYO_MAINTENANCE_UNKNOWN,
  CRYO_MAINTENANCE_OK,
  CRYO_MAINTENANCE_DUE_SOON,
  CRYO_MAINTENANCE_OVERDUE,
} CryoMaintenanceStatus;

/**
 * CryoMaintenanceForecast:
 * @status: where the part stands
 * @hours_since_service: counted hours since the last service, h; NaN when unknown
 * @interval_hours: the service interval the forecast was made for, h
 * @hours_remaining: @interval_hours minus @hours_since_service (negative
 *   when overdue), h; NaN when unknown
 * @rate_hours_per_day: operating hours counted per calendar day over the
 *   recent history; NaN when the history is too short
 * @due_time_us: when the interval ends at that rate (wall clock, µs since
 *   the epoch); for an overdue part the time of the last reading; 0 when
 *   there is no forecast (an idle part, an unknown rate)
 */
typedef struct
{
  CryoMaintenanceStatus status;
  double                hours_since_service;
  double                interval_hours;
  double                hours_remaining;
  double                rate_hours_per_day;
  gint64                due_time_us;
} CryoMaintenanceForecast;

double   cryo_maintenance_usage_rate (const CryoSample        *samples,
                                      gsize                    n_samples,
                                      gint64                   now_us,
                                      gint64                   window_us,
                                      gint64                   min_span_us);
void     cryo_maintenance_forecast   (const CryoSample        *samples,
                                      gsize                    n_samples,
                                      double                   interval_hours,
                                      double                   service_hours,
                                      gint64                   now_us,
                                      gint64                   lead_time_us,
                                      CryoMaintenanceForecast *forecast);

G_END_DECLS
