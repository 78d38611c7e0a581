/* cryo-panel-extensions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one list of panel extensions: one line per instrument that has one.
 */

#define G_LOG_DOMAIN "cryo-panel-extensions"

#include "config.h"

#include "cryo-cti-regen-dialog.h"
#include "cryo-panel-extensions.h"

static const CryoPanelExtension * const extensions[] = {
  &cryo_cti_regen_panel_extension,
};

/**
 * cryo_panel_extensions_attach:
 * @panel: a device panel, built
 *
 * Adds to @panel, through cryo_device_panel_add_extension(), the widget of
 * every extension that applies to its device.
 */
void
cryo_panel_extensions_attach (CryoDevicePanel *panel)
{
  CryoDevice *device;

  g_return_if_fail (CRYO_IS_DEVICE_PANEL (panel));

  device = cryo_device_panel_get_device (panel);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (extensions[i]->applies (device))
      cryo_device_panel_add_extension (panel, extensions[i]->create (device));
}
