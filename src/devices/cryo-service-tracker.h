/* cryo-service-tracker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cryo-channel.h"
#include "cryo-device-kind.h"
#include "cryo-maintenance.h"

G_BEGIN_DECLS

#define CRYO_SERVICE_DEFAULT_LEAD_DAYS 14

#define CRYO_TYPE_SERVICE_TRACKER (cryo_service_tracker_get_type ())

G_DECLARE_FINAL_TYPE (CryoServiceTracker, cryo_service_tracker, CRYO, SERVICE_TRACKER, GObject)

typedef struct _CryoDevice CryoDevice;

CryoServiceTracker     *cryo_service_tracker_new             (CryoDevice               *device);
guint                   cryo_service_tracker_get_n_counters  (CryoServiceTracker       *self);
CryoChannel            *cryo_service_tracker_get_counter     (CryoServiceTracker       *self,
                                                              guint                     index);
gboolean                cryo_service_tracker_get_forecast    (CryoServiceTracker       *self,
                                                              CryoChannel              *channel,
                                                              CryoMaintenanceForecast  *forecast);
void                    cryo_service_tracker_set_interval    (CryoServiceTracker       *self,
                                                              const char               *channel_key,
                                                              double                    interval_hours);
double                  cryo_service_tracker_get_interval    (CryoServiceTracker       *self,
                                                              const char               *channel_key);
void                    cryo_service_tracker_set_lead_days   (CryoServiceTracker       *self,
                                                              guint                     lead_days);
guint                   cryo_service_tracker_get_lead_days   (CryoServiceTracker       *self);
void                    cryo_service_tracker_update          (CryoServiceTracker       *self);
void                    cryo_service_tracker_load_history    (CryoServiceTracker       *self);

G_END_DECLS
