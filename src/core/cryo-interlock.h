/* cryo-interlock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-types.h"

G_BEGIN_DECLS

gboolean cryo_interlock_check_fresh              (const char        *what,
                                                  const CryoReading *reading,
                                                  gint64             now_us,
                                                  gint64             max_age_us,
                                                  char             **reason);
gboolean cryo_interlock_pump_station_can_start   (const CryoReading *status,
                                                  const CryoReading *speed_rpm,
                                                  gint64             now_us,
                                                  gint64             max_age_us,
                                                  char             **reason);

gboolean cryo_interlock_compressor_can_start     (const CryoReading *state,
                                                  const CryoReading *alarm_bits,
                                                  gint64             now_us,
                                                  gint64             max_age_us,
                                                  char             **reason);

G_END_DECLS
