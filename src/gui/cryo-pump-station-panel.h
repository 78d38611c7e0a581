/* cryo-pump-station-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cryo-pump-station.h"

G_BEGIN_DECLS

#define CRYO_TYPE_PUMP_STATION_PANEL (cryo_pump_station_panel_get_type ())

G_DECLARE_FINAL_TYPE (CryoPumpStationPanel, cryo_pump_station_panel, CRYO, PUMP_STATION_PANEL, GtkWidget)

CryoPumpStationPanel *cryo_pump_station_panel_new        (CryoPumpStation      *device,
                                                          GSettings            *settings);
CryoPumpStation      *cryo_pump_station_panel_get_device (CryoPumpStationPanel *self);

G_END_DECLS
