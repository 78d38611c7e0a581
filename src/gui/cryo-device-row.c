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
  CryoConditionSet *conditions;
  guint          tick_source;

  GtkWidget     *status_dot;
  GtkLabel      *name_label;
  GtkLabel      *status_label;
  GtkWidget     *alarm_icon;
};

G_DEFINE_FINAL_TYPE (CryoDeviceRow, cryo_device_row, GTK_TYPE_LIST_BOX_ROW)

/* With the session's conditions, the icon says whether any of the
 * device's active conditions is unacknowledged: then it stands out, else
 * it is dimmed. Without, it shows the instrument's alarms. */
static void
cryo_device_row_update_badge (CryoDeviceRow *self,
                              gboolean       alarms)
{
  g_autofree char *tooltip = NULL;
  guint n_active = 0;
  guint n_unacknowledged;
  GListModel *conditions;
  const char *id;

  if (self->conditions == NULL)
    {
      gtk_widget_set_visible (self->alarm_icon, alarms);
      return;
    }

  id = cryo_device_get_id (self->device);
  conditions = cryo_condition_set_get_conditions (self->conditions);
  for (guint i = 0; i < g_list_model_get_n_items (conditions); i++)
    {
      g_autoptr(CryoCondition) condition = g_list_model_get_item (conditions, i);

      if (g_str_equal (cryo_condition_get_device_id (condition), id))
        n_active++;
    }
  n_unacknowledged = cryo_condition_set_count_unacknowledged (self->conditions, id);

  gtk_widget_set_visible (self->alarm_icon, n_active > 0);
  if (n_unacknowledged > 0)
    {
      gtk_widget_remove_css_class (self->alarm_icon, "dim-label");
      gtk_widget_add_css_class (self->alarm_icon, "error");
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unacknowledged condition",
                                              "%u unacknowledged conditions", n_unacknowledged),
                                 n_unacknowledged);
    }
  else
    {
      gtk_widget_remove_css_class (self->alarm_icon, "error");
      gtk_widget_add_css_class (self->alarm_icon, "dim-label");
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u active condition, acknowledged",
                                              "%u active conditions, all acknowledged", n_active),
                                 n_active);
    }
  gtk_widget_set_tooltip_text (self->alarm_icon, tooltip);
}

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
  cryo_device_row_update_badge (self, alarms[0] != NULL);
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
  g_clear_object (&self->conditions);

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
 * @conditions: (nullable): the session's active conditions
 *
 * Creates a sidebar row: the device's name, a status indicator (online,
 * stale, error) and its connection text, refreshed as they change (a
 * rename included) and every second for the reconnect countdown; and an
 * icon while the device has active conditions, prominent while any is
 * unacknowledged (without @conditions, while the instrument has alarms).
 *
 * Returns: (transfer full): a new row
 */
CryoDeviceRow *
cryo_device_row_new (CryoDevice       *device,
                     CryoConditionSet *conditions)
{
  CryoDeviceRow *self;

  g_return_val_if_fail (CRYO_IS_DEVICE (device), NULL);
  g_return_val_if_fail (!conditions || CRYO_IS_CONDITION_SET (conditions), NULL);

  self = g_object_new (CRYO_TYPE_DEVICE_ROW, NULL);
  self->device = g_object_ref (device);
  if (conditions != NULL)
    {
      self->conditions = g_object_ref (conditions);
      g_signal_connect_object (conditions, "changed", G_CALLBACK (cryo_device_row_update),
                               self, G_CONNECT_SWAPPED);
    }

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
