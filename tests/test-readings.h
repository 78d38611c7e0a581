/* test-readings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Readings of chosen ages around an interlock's freshness limit, for the
 * core rules' tests and the instruments' interlock tests.
 */

#pragma once

#include <glib.h>
#include <math.h>

#include "cryo-types.h"

#define SEC     G_GINT64_CONSTANT (1000000)
#define NOW     (G_GINT64_CONSTANT (1770470625) * SEC + 123456)
#define MAX_AGE (3 * SEC)

typedef enum
{
  AGE_FRESH,
  AGE_SLIGHTLY_AHEAD,     /* clock skew under a second: accepted */
  AGE_AT_LIMIT,
  AGE_JUST_OVER,
  AGE_NEVER,
  AGE_FUTURE,
  N_AGES
} Age;

static inline CryoReading
make_reading (double value,
              Age    age)
{
  CryoReading reading = { value, 0 };

  switch (age)
    {
    case AGE_FRESH:
      reading.time_us = NOW - SEC;
      break;
    case AGE_SLIGHTLY_AHEAD:
      reading.time_us = NOW + SEC / 2;
      break;
    case AGE_AT_LIMIT:
      reading.time_us = NOW - MAX_AGE;
      break;
    case AGE_JUST_OVER:
      reading.time_us = NOW - MAX_AGE - 1;
      break;
    case AGE_NEVER:
      reading.value = NAN;
      reading.time_us = 0;
      break;
    case AGE_FUTURE:
      reading.time_us = NOW + 2 * SEC;
      break;
    case N_AGES:
    default:
      g_assert_not_reached ();
    }

  return reading;
}

