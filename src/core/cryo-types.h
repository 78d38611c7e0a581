/* cryo-types.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CryoChannel   CryoChannel;
typedef struct _CryoEventLog  CryoEventLog;
typedef struct _CryoHistory   CryoHistory;

/**
 * CryoSample:
 * @time_us: wall-clock time, microseconds since the Unix epoch (g_get_real_time())
 * @value: the reading in its channel's canonical unit; NaN marks a gap
 *   (no reading, disconnected), where a plot breaks its line
 */
typedef struct
{
  gint64 time_us;
  double value;
} CryoSample;

/**
 * CryoReading:
 * @value: the last reading in its canonical unit, NaN when unknown
 * @time_us: when it was read (g_get_real_time()), 0 when never
 *
 * A reading with its age, the input of the interlock rules.
 */
typedef struct
{
  double value;
  gint64 time_us;
} CryoReading;

#define CRYO_READING_INIT { NAN, 0 }

G_END_DECLS
