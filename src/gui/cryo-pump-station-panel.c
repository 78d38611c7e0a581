/* cryo-pump-station-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-pump-station-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "cryo-agilent.h"
#include "cryo-pump-station-panel.h"
#include "cryo-status.h"

struct _CryoPumpStationPanel
{
  GtkWidget        parent_instance;

  CryoPumpStation *device;
  GSettings       *settings;
  guint            tick_source;

  GtkWidget       *box;
  GtkLabel        *name_label;
  GtkLabel        *model_label;
  GtkWidget       *status_dot;
  GtkLabel        *connection_label;
  GtkLabel        *pressure_label;
  GtkLabel        *pressure_unit_label;
  GtkLabel        *speed_label;
  GtkLabel        *status_label;
  AdwActionRow    *tip_seal_row;
  GtkWidget       *tip_seal_warning;
  GtkLabel        *tip_seal_label;
  GtkListBox      *alarm_list;
  GtkWidget       *start_button;
  GtkWidget       *stop_button;
  GtkLabel        *reason_label;
};

G_DEFINE_FINAL_TYPE (CryoPumpStationPanel, cryo_pump_station_panel, GTK_TYPE_WIDGET)

static void
cryo_pump_station_panel_update_readings (CryoPumpStationPanel *self)
{
  CryoUnit unit = cryo_settings_get_pressure_unit (self->settings);
  double pressure = cryo_pump_station_get_pressure (self->device);
  double speed = cryo_pump_station_get_speed (self->device);
  int status = cryo_pump_station_get_status (self->device);
  int tip_seal = cryo_pump_station_get_tip_seal_hours (self->device);
  guint threshold = g_settings_get_uint (self->settings, "tip-seal-threshold");
  g_autofree char *pressure_text = cryo_format_pressure (pressure, unit);
  g_autofree char *speed_number = cryo_format_thousands (speed);
  g_autofree char *speed_text = NULL;
  g_autofree char *tip_seal_text = NULL;

  gtk_label_set_label (self->pressure_label, pressure_text);
  gtk_label_set_label (self->pressure_unit_label, cryo_unit_get_symbol (unit));

  /* Translators: a turbo rotation speed, e.g. "81,000 rpm" */
  speed_text = isnan (speed) ? g_strdup ("—") : g_strdup_printf (_("%s rpm"), speed_number);
  gtk_label_set_label (self->speed_label, speed_text);

  gtk_label_set_label (self->status_label,
                       status < 0 ? "—" : cryo_agilent_status_to_string (status));

  if (tip_seal < 0)
    tip_seal_text = g_strdup ("—");
  else
    {
      g_autofree char *hours = cryo_format_thousands (tip_seal);
      /* Translators: hours counted since the scroll pump's tip seal was last changed */
      tip_seal_text = g_strdup_printf (_("%s h since service"), hours);
    }
  gtk_label_set_label (self->tip_seal_label, tip_seal_text);

  if (tip_seal >= 0 && (guint) tip_seal > threshold)
    {
      g_autofree char *subtitle = g_strdup_printf (_("Service due: above %u h"), threshold);

      adw_action_row_set_subtitle (self->tip_seal_row, subtitle);
      gtk_widget_set_visible (self->tip_seal_warning, TRUE);
      gtk_widget_set_tooltip_text (self->tip_seal_warning, subtitle);
    }
  else
    {
      adw_action_row_set_subtitle (self->tip_seal_row, NULL);
      gtk_widget_set_visible (self->tip_seal_warning, FALSE);
    }
}

static void
cryo_pump_station_panel_update_connection (CryoPumpStationPanel *self)
{
  cryo_panel_update_connection (CRYO_DEVICE (self->device), self->connection_label, self->status_dot);
  gtk_label_set_label (self->model_label, cryo_device_get_model (CRYO_DEVICE (self->device)));
}

static void
cryo_pump_station_panel_update_actions (CryoPumpStationPanel *self)
{
  cryo_panel_update_actions (GTK_WIDGET (self), CRYO_DEVICE (self->device),
                             self->start_button, self->stop_button, self->reason_label);
}

static void
cryo_pump_station_panel_update_alarms (CryoPumpStationPanel *self)
{
  cryo_condition_list_update (self->alarm_list, cryo_device_get_alarms (CRYO_DEVICE (self->device)), NULL);
}

static void
cryo_pump_station_panel_update (CryoPumpStationPanel *self)
{
  cryo_pump_station_panel_update_connection (self);
  cryo_pump_station_panel_update_readings (self);
  cryo_pump_station_panel_update_actions (self);
}

static gboolean
cryo_pump_station_panel_tick_cb (gpointer user_data)
{
  CryoPumpStationPanel *self = user_data;

  /* Readings age and reconnect countdowns run even when nothing arrives. */
  cryo_pump_station_panel_update_connection (self);
  cryo_pump_station_panel_update_actions (self);

  return G_SOURCE_CONTINUE;
}

static void
refresh_cb (GtkWidget *panel)
{
  cryo_pump_station_panel_update (CRYO_PUMP_STATION_PANEL (panel));
}

static void
cryo_pump_station_panel_run (CryoPumpStationPanel *self,
                             const char           *action)
{
  cryo_panel_run_action (GTK_WIDGET (self), CRYO_DEVICE (self->device), action, refresh_cb);
  cryo_pump_station_panel_update_actions (self);
}

static void
on_stop_response_cb (CryoPumpStationPanel *self,
                     const char           *response,
                     AdwMessageDialog     *dialog)
{
  if (g_strcmp0 (response, "stop") == 0)
    cryo_pump_station_panel_run (self, "stop");
}

static void
cryo_pump_station_panel_start_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  cryo_pump_station_panel_run (CRYO_PUMP_STATION_PANEL (widget), "start");
}

static void
cryo_pump_station_panel_stop_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CryoPumpStationPanel *self = CRYO_PUMP_STATION_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *name = cryo_device_get_name (CRYO_DEVICE (self->device));
  g_autofree char *heading = g_strdup_printf (_("Stop %s?"), name);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading,
                                                       _("The turbo pump brakes and the scroll pump stops. "
                                                         "The chamber pressure will rise.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "stop", _("_Stop Pump"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_stop_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cryo_pump_station_panel_dispose (GObject *object)
{
  CryoPumpStationPanel *self = CRYO_PUMP_STATION_PANEL (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_PUMP_STATION_PANEL);
  g_clear_object (&self->device);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cryo_pump_station_panel_parent_class)->dispose (object);
}

static void
cryo_pump_station_panel_class_init (CryoPumpStationPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cryo_pump_station_panel_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-pump-station-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, box);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, name_label);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, model_label);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, status_dot);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, connection_label);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, pressure_label);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, pressure_unit_label);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, speed_label);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, tip_seal_row);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, tip_seal_warning);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, tip_seal_label);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, alarm_list);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, start_button);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CryoPumpStationPanel, reason_label);

  gtk_widget_class_install_action (widget_class, "device.start", NULL,
                                   cryo_pump_station_panel_start_action);
  gtk_widget_class_install_action (widget_class, "device.stop", NULL,
                                   cryo_pump_station_panel_stop_action);
}

static void
cryo_pump_station_panel_init (CryoPumpStationPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cryo_pump_station_panel_new:
 * @device: the pumping station to show
 * @settings: the application settings (pressure unit, tip-seal threshold)
 *
 * Creates the pumping-station panel: connection state, pressure in large
 * type, turbo speed, status, tip-seal hours with a service warning, alarms,
 * and Start Pump / Stop Pump behind the interlock and a confirmation.
 *
 * Returns: (transfer full): a new panel
 */
CryoPumpStationPanel *
cryo_pump_station_panel_new (CryoPumpStation *device,
                             GSettings       *settings)
{
  CryoPumpStationPanel *self;
  static const char * const readings[] = {
    "notify::pressure", "notify::speed", "notify::status", "notify::tip-seal-hours",
  };

  g_return_val_if_fail (CRYO_IS_PUMP_STATION (device), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CRYO_TYPE_PUMP_STATION_PANEL, NULL);
  self->device = g_object_ref (device);
  self->settings = g_object_ref (settings);

  gtk_label_set_label (self->name_label, cryo_device_get_name (CRYO_DEVICE (device)));

  for (guint i = 0; i < G_N_ELEMENTS (readings); i++)
    g_signal_connect_object (device, readings[i],
                             G_CALLBACK (cryo_pump_station_panel_update_readings),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::state",
                           G_CALLBACK (cryo_pump_station_panel_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::last-error",
                           G_CALLBACK (cryo_pump_station_panel_update_connection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::model",
                           G_CALLBACK (cryo_pump_station_panel_update_connection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::alarms",
                           G_CALLBACK (cryo_pump_station_panel_update_alarms), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "polled",
                           G_CALLBACK (cryo_pump_station_panel_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::busy",
                           G_CALLBACK (cryo_pump_station_panel_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::pressure-unit",
                           G_CALLBACK (cryo_pump_station_panel_update_readings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::tip-seal-threshold",
                           G_CALLBACK (cryo_pump_station_panel_update_readings), self, G_CONNECT_SWAPPED);

  self->tick_source = g_timeout_add_seconds (1, cryo_pump_station_panel_tick_cb, self);

  cryo_pump_station_panel_update (self);
  cryo_pump_station_panel_update_alarms (self);

  return self;
}

/**
 * cryo_pump_station_panel_get_device:
 * @self: a #CryoPumpStationPanel
 *
 * Returns: (transfer none): the device the panel shows
 */
CryoPumpStation *
cryo_pump_station_panel_get_device (CryoPumpStationPanel *self)
{
  g_return_val_if_fail (CRYO_IS_PUMP_STATION_PANEL (self), NULL);

  return self->device;
}
