/* cryo-ticks.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CryoTick:
 * @value: where the tick sits, in axis units: the data value for linear and
 *   log axes (not its logarithm), µs since the Unix epoch for time axes
 * @label: (nullable): the text to draw next to the tick, %NULL for an
 *   unlabelled tick
 * @major: a major tick (decade, step of a linear or time axis) rather than a
 *   minor one; the plot draws grid lines at major ticks
 *
 * One axis tick.  The arrays returned by the cryo_ticks_*() functions own
 * their labels (the array's clear function frees them).
 */
typedef struct
{
  double    value;
  char     *label;
  gboolean  major;
} CryoTick;

GArray  *cryo_ticks_log                 (double      min,
                                         double      max,
                                         guint       max_labels);
void     cryo_ticks_log_bounds          (double      min,
                                         double      max,
                                         double     *lower,
                                         double     *upper);
GArray  *cryo_ticks_linear              (double      min,
                                         double      max,
                                         guint       max_ticks);
double   cryo_ticks_nice_step           (double      range,
                                         guint       max_ticks);
guint    cryo_ticks_get_decimals        (double      step);
void     cryo_ticks_linear_bounds       (double      min,
                                         double      max,
                                         guint       max_ticks,
                                         double     *lower,
                                         double     *upper);
GArray  *cryo_ticks_time                (gint64      begin_us,
                                         gint64      end_us,
                                         guint       max_ticks,
                                         GTimeZone  *tz);
gint64   cryo_ticks_time_interval       (gint64      span_us,
                                         guint       max_ticks);
char    *cryo_ticks_format_power_of_ten (int         exponent);
char    *cryo_ticks_format_scientific   (double      value,
                                         guint       digits);

G_END_DECLS
