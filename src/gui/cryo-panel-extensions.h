/* cryo-panel-extensions.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an instrument adds to the common device panel, and the one list of
 * them, as cryo-kinds.c lists the kinds (DESIGN.md "Adding an
 * instrument"): the panel asks each whether it applies to its device.
 */

#pragma once

#include <gtk/gtk.h>

#include "cryo-device-panel.h"

G_BEGIN_DECLS

/**
 * CryoPanelExtension:
 * @applies: whether the extension belongs on the panel of @device
 * @create: a new widget for that panel (a button that opens a dialog);
 *   it talks to @device only
 *
 * An instrument's addition to the common panel, defined in the
 * instrument's own GUI file.
 */
typedef struct
{
  gboolean   (*applies) (CryoDevice *device);
  GtkWidget *(*create)  (CryoDevice *device);
} CryoPanelExtension;

void cryo_panel_extensions_attach (CryoDevicePanel *panel);

G_END_DECLS
