/* cryo-compressor-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cryo-compressor.h"

G_BEGIN_DECLS

#define CRYO_TYPE_COMPRESSOR_PANEL (cryo_compressor_panel_get_type ())

G_DECLARE_FINAL_TYPE (CryoCompressorPanel, cryo_compressor_panel, CRYO, COMPRESSOR_PANEL, GtkWidget)

CryoCompressorPanel *cryo_compressor_panel_new (CryoCompressor *device,
                                                GSettings      *settings);

G_END_DECLS
