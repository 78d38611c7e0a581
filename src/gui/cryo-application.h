/* cryo-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-metrics-server.h"
#include "cryo-session.h"

G_BEGIN_DECLS

#define CRYO_TYPE_APPLICATION (cryo_application_get_type ())

G_DECLARE_FINAL_TYPE (CryoApplication, cryo_application, CRYO, APPLICATION, AdwApplication)

CryoApplication *cryo_application_new          (GPtrArray       *configs,
                                                gboolean         demo,
                                                const char      *metrics_listen);
CryoSession     *cryo_application_get_session  (CryoApplication *self);
GSettings       *cryo_application_get_settings (CryoApplication *self);
CryoMetricsServer *cryo_application_get_metrics_server (CryoApplication *self);
void             cryo_application_set_history  (CryoApplication *self,
                                                const char      *path,
                                                gboolean         enabled);

G_END_DECLS
