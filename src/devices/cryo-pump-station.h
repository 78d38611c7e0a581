/* cryo-pump-station.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device.h"

G_BEGIN_DECLS

#define CRYO_TYPE_PUMP_STATION (cryo_pump_station_get_type ())

G_DECLARE_FINAL_TYPE (CryoPumpStation, cryo_pump_station, CRYO, PUMP_STATION, CryoDevice)

#define CRYO_PUMP_STATION_REPLY_TIMEOUT_MS 500
#define CRYO_PUMP_STATION_UNIT_PERIOD_S    60
#define CRYO_PUMP_STATION_TIP_SEAL_PERIOD_S 3600

extern const CryoDeviceKind cryo_pump_station_kind;

gboolean    cryo_pump_station_check_start        (const CryoReading *status,
                                                  const CryoReading *speed_rpm,
                                                  gint64             now_us,
                                                  gint64             max_age_us,
                                                  char             **reason);
CryoDevice *cryo_pump_station_new                (CryoLink        *link,
                                                  guint            address);
guint       cryo_pump_station_get_address        (CryoPumpStation *self);
double      cryo_pump_station_get_pressure       (CryoPumpStation *self);
double      cryo_pump_station_get_speed          (CryoPumpStation *self);
int         cryo_pump_station_get_status         (CryoPumpStation *self);
int         cryo_pump_station_get_error_bits     (CryoPumpStation *self);
int         cryo_pump_station_get_tip_seal_hours (CryoPumpStation *self);
int         cryo_pump_station_get_pressure_unit  (CryoPumpStation *self);

G_END_DECLS
