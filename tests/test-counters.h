/* test-counters.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Devices made from a --device string, and readings of an hours counter
 * over days, for the maintenance forecast's tests: the service tracker's
 * and the maintenance panel's.
 */

#pragma once

#include "cryo-device.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define DAY  (24 * HOUR)

/* A device of @spec ("pump-station:/dev/null,name=Station"), not started. */
static inline CryoDevice *
new_device (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoDeviceConfig) config = cryo_device_config_parse (spec, &error);
  CryoDevice *device;

  g_assert_no_error (error);
  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);

  return device;
}

/* Hourly readings of @key over the last @days, gaining @hours_per_day and
 * ending at @end_hours now, through the device's sample signal. */
static inline void
push_counter (CryoDevice *device,
              const char *key,
              double      days,
              double      hours_per_day,
              double      end_hours)
{
  CryoChannel *channel = cryo_device_lookup_channel (device, key);
  gint64 now = g_get_real_time ();
  guint n = (guint) (days * 24);

  g_assert_nonnull (channel);
  for (guint i = 0; i <= n; i++)
    cryo_device_push_sample (device, channel, now - (gint64) (n - i) * HOUR,
                             end_hours - hours_per_day * (n - i) / 24.0);
}
