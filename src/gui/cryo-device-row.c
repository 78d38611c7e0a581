/* cryo-device-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-device-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-device-row.h"
#include "cryo-status.h"

struct _CryoDeviceRow
{
  GtkListBoxRow  parent_instance;

  CryoDevice    *device;
  guint          tick_source;

  GtkWidget     *status_dot;
  GtkLabel      *name_label;
  GtkLabel      *status_label;
  GtkWidget     *alarm_icon;
};

G_DEFINE_FINAL_TYPE (CryoDeviceRow, cryo_device_row, GTK_TYPE_LIST_BOX_ROW)

static void
cryo_device_row_update (CryoDeviceRow *self)
{
  g_autofree char *status = cryo_device_dup_status_text (self->device);
  const char * const *alarms = cryo_device_get_alarms (self->device);

  gtk_label_set_label (self->name_label, cryo_device_get_name (self->device));
  gtk_label_set_label (self->status_label, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), status);
  {
    /* Translators: a sidebar row for a screen reader: device name and status, "Cryostream, Connected" */
    g_autofree char *accessible = g_strdup_printf (_("%s, %s"), cryo_device_get_name (self->device),
                                                   status != NULL ? status : "");

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }
  cryo_status_dot_update (self->status_dot, cryo_device_get_state (self->device));
  gtk_widget_set_visible (self->alarm_icon, alarms[0] != NULL);
}

static gboolean
cryo_device_row_tick_cb (gpointer user_data)
{
  cryo_device_row_update (CRYO_DEVICE_ROW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
cryo_device_row_dispose (GObject *object)
{
  CryoDeviceRow *self = CRYO_DEVICE_ROW (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_DEVICE_ROW);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (cryo_device_row_parent_class)->dispose (object);
}

static void
cryo_device_row_class_init (CryoDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cryo_device_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-device-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceRow, status_dot);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceRow, alarm_icon);
}

static void
cryo_device_row_init (CryoDeviceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cryo_device_row_new:
 * @device: the device to show
 *
 * Creates a sidebar row: the device's name, a status indicator (online,
 * stale, error) and its connection text, refreshed as they change (a
 * rename included) and every second for the reconnect countdown.
 *
 * Returns: (transfer full): a new row
 */
CryoDeviceRow *
cryo_device_row_new (CryoDevice *device)
{
  CryoDeviceRow *self;

  g_return_val_if_fail (CRYO_IS_DEVICE (device), NULL);

  self = g_object_new (CRYO_TYPE_DEVICE_ROW, NULL);
  self->device = g_object_ref (device);

  g_signal_connect_object (device, "notify::name", G_CALLBACK (cryo_device_row_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::state", G_CALLBACK (cryo_device_row_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::last-error", G_CALLBACK (cryo_device_row_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::alarms", G_CALLBACK (cryo_device_row_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::monitoring", G_CALLBACK (cryo_device_row_update),
                           self, G_CONNECT_SWAPPED);
  self->tick_source = g_timeout_add_seconds (1, cryo_device_row_tick_cb, self);

  cryo_device_row_update (self);

  return self;
}

/**
 * cryo_device_row_get_device:
 * @self: a #CryoDeviceRow
 *
 * Returns: (transfer none): the device the row shows
 */
CryoDevice *
cryo_device_row_get_device (CryoDeviceRow *self)
{
  g_return_val_if_fail (CRYO_IS_DEVICE_ROW (self), NULL);

  return self->device;
}
