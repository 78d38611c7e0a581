/* cryo-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-metrics-server.h"

G_BEGIN_DECLS

#define CRYO_TYPE_PREFERENCES_WINDOW (cryo_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CryoPreferencesWindow, cryo_preferences_window, CRYO, PREFERENCES_WINDOW, AdwPreferencesWindow)

CryoPreferencesWindow *cryo_preferences_window_new (GSettings         *settings,
                                                    CryoMetricsServer *metrics_server);

G_END_DECLS
