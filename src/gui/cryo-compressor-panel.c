/* cryo-compressor-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-compressor-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "cryo-compressor-panel.h"
#include "cryo-status.h"

struct _CryoCompressorPanel
{
  GtkWidget       parent_instance;

  CryoCompressor *device;
  GSettings      *settings;
  guint           tick_source;

  GtkWidget      *box;
  GtkLabel       *name_label;
  GtkLabel       *model_label;
  GtkWidget      *status_dot;
  GtkLabel       *connection_label;
  GtkLabel       *state_label;
  GtkListBox     *condition_list;
  GtkWidget      *start_button;
  GtkWidget      *stop_button;
  GtkLabel       *reason_label;
  GtkLabel       *coolant_in_label;
  GtkLabel       *coolant_out_label;
  GtkLabel       *oil_label;
  GtkLabel       *helium_label;
  GtkLabel       *high_pressure_label;
  GtkLabel       *low_pressure_label;
  GtkLabel       *high_pressure_average_label;
  GtkLabel       *low_pressure_average_label;
  GtkLabel       *delta_pressure_average_label;
  GtkLabel       *motor_current_label;
  GtkLabel       *hours_label;
};

G_DEFINE_FINAL_TYPE (CryoCompressorPanel, cryo_compressor_panel, GTK_TYPE_WIDGET)

static void
set_reading (GtkLabel *label,
             double    value,
             CryoUnit  from,
             CryoUnit  to,
             guint     decimals,
             gboolean  known)
{
  g_autofree char *text = cryo_format_value (known ? value : NAN, from, to, decimals);

  gtk_label_set_label (label, text);
}

static void
cryo_compressor_panel_update_readings (CryoCompressorPanel *self)
{
  const CryoCpaSnapshot *snapshot = cryo_compressor_get_snapshot (self->device);
  int state = cryo_compressor_get_state (self->device);
  gboolean known = snapshot != NULL && state >= 0;
  CryoCpaSnapshot empty = { 0 };
  CryoUnit temperature_to = cryo_settings_get_unit (self->settings, "temperature-unit", CRYO_UNIT_KELVIN);
  CryoUnit pressure_to = cryo_settings_get_unit (self->settings, "compressor-pressure-unit", CRYO_UNIT_PSI);
  CryoUnit temperature_from, pressure_from;
  guint pressure_decimals;

  if (snapshot == NULL)
    snapshot = &empty;

  temperature_from = cryo_cpa_temperature_scale_to_unit (snapshot->temperature_scale);
  pressure_from = cryo_cpa_pressure_scale_to_unit (snapshot->pressure_scale);
  pressure_decimals = pressure_to == CRYO_UNIT_BAR ? 2 : 1;

  gtk_label_set_label (self->state_label, known ? cryo_cpa_state_to_string (state) : "—");

  set_reading (self->coolant_in_label, snapshot->coolant_in, temperature_from, temperature_to, 1, known);
  set_reading (self->coolant_out_label, snapshot->coolant_out, temperature_from, temperature_to, 1, known);
  set_reading (self->oil_label, snapshot->oil, temperature_from, temperature_to, 1, known);
  set_reading (self->helium_label, snapshot->helium, temperature_from, temperature_to, 1, known);
  set_reading (self->high_pressure_label, snapshot->high_pressure, pressure_from, pressure_to,
               pressure_decimals, known);
  set_reading (self->low_pressure_label, snapshot->low_pressure, pressure_from, pressure_to,
               pressure_decimals, known);
  set_reading (self->high_pressure_average_label, snapshot->high_pressure_average, pressure_from,
               pressure_to, pressure_decimals, known);
  set_reading (self->low_pressure_average_label, snapshot->low_pressure_average, pressure_from,
               pressure_to, pressure_decimals, known);
  set_reading (self->delta_pressure_average_label, snapshot->delta_pressure_average, pressure_from,
               pressure_to, pressure_decimals, known);
  set_reading (self->motor_current_label, snapshot->motor_current, CRYO_UNIT_AMPERE, CRYO_UNIT_AMPERE,
               1, known);
  set_reading (self->hours_label, snapshot->hours, CRYO_UNIT_HOURS, CRYO_UNIT_HOURS, 1, known);

  if (cryo_compressor_get_snapshot (self->device) != NULL)
    {
      g_autofree char *model = cryo_cpa_dup_model_name (snapshot->model_code);
      /* Translators: "CPA1110 · serial 1234 · software 2.3" */
      g_autofree char *text = g_strdup_printf (_("%s · serial %u · software %u.%u"), model,
                                               snapshot->serial_number,
                                               snapshot->software_major, snapshot->software_minor);

      gtk_label_set_label (self->model_label, text);
    }
  else
    gtk_label_set_label (self->model_label, cryo_device_get_model (CRYO_DEVICE (self->device)));
}

static void
cryo_compressor_panel_update_connection (CryoCompressorPanel *self)
{
  cryo_panel_update_connection (CRYO_DEVICE (self->device), self->connection_label, self->status_dot);
}

static void
cryo_compressor_panel_update_actions (CryoCompressorPanel *self)
{
  cryo_panel_update_actions (GTK_WIDGET (self), CRYO_DEVICE (self->device),
                             self->start_button, self->stop_button, self->reason_label);
}

static void
cryo_compressor_panel_update_conditions (CryoCompressorPanel *self)
{
  cryo_condition_list_update (self->condition_list,
                              cryo_device_get_alarms (CRYO_DEVICE (self->device)),
                              cryo_device_get_warnings (CRYO_DEVICE (self->device)));
}

static void
cryo_compressor_panel_update (CryoCompressorPanel *self)
{
  cryo_compressor_panel_update_connection (self);
  cryo_compressor_panel_update_readings (self);
  cryo_compressor_panel_update_actions (self);
}

static gboolean
cryo_compressor_panel_tick_cb (gpointer user_data)
{
  CryoCompressorPanel *self = user_data;

  /* Readings age and reconnect countdowns run even when nothing arrives. */
  cryo_compressor_panel_update_connection (self);
  cryo_compressor_panel_update_actions (self);

  return G_SOURCE_CONTINUE;
}

static void
refresh_cb (GtkWidget *panel)
{
  cryo_compressor_panel_update (CRYO_COMPRESSOR_PANEL (panel));
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  CryoCompressorPanel *self = CRYO_COMPRESSOR_PANEL (user_data);

  if (g_strcmp0 (response, "cancel") == 0 || g_strcmp0 (response, "close") == 0)
    return;

  cryo_panel_run_action (GTK_WIDGET (self), CRYO_DEVICE (self->device), response, refresh_cb);
  cryo_compressor_panel_update_actions (self);
}

/* Both actions are confirmed: starting a compressor on a cold head that is
 * not ready is as costly as stopping one by mistake. */
static void
cryo_compressor_panel_confirm (CryoCompressorPanel *self,
                               const char          *action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *name = cryo_device_get_name (CRYO_DEVICE (self->device));
  gboolean start = g_str_equal (action, "start");
  g_autofree char *heading = g_strdup_printf (start ? _("Start %s?") : _("Stop %s?"), name);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading,
                                                       start
                                                         ? _("The compressor starts and the cold head begins to cool. "
                                                             "Check that the cooling water is flowing.")
                                                         : _("The compressor stops and the cold head warms up.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    action, start ? _("_Start Compressor") : _("_Stop Compressor"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, action,
                                              start ? ADW_RESPONSE_SUGGESTED : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cryo_compressor_panel_start_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  cryo_compressor_panel_confirm (CRYO_COMPRESSOR_PANEL (widget), "start");
}

static void
cryo_compressor_panel_stop_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  cryo_compressor_panel_confirm (CRYO_COMPRESSOR_PANEL (widget), "stop");
}

static void
cryo_compressor_panel_dispose (GObject *object)
{
  CryoCompressorPanel *self = CRYO_COMPRESSOR_PANEL (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_COMPRESSOR_PANEL);
  g_clear_object (&self->device);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cryo_compressor_panel_parent_class)->dispose (object);
}

static void
cryo_compressor_panel_class_init (CryoCompressorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cryo_compressor_panel_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-compressor-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, box);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, name_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, model_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, status_dot);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, connection_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, condition_list);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, start_button);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, coolant_in_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, coolant_out_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, oil_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, helium_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, high_pressure_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, low_pressure_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, high_pressure_average_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, low_pressure_average_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, delta_pressure_average_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, motor_current_label);
  gtk_widget_class_bind_template_child (widget_class, CryoCompressorPanel, hours_label);

  gtk_widget_class_install_action (widget_class, "device.start", NULL,
                                   cryo_compressor_panel_start_action);
  gtk_widget_class_install_action (widget_class, "device.stop", NULL,
                                   cryo_compressor_panel_stop_action);
}

static void
cryo_compressor_panel_init (CryoCompressorPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cryo_compressor_panel_new:
 * @device: the compressor to show
 * @settings: the application settings (temperature and compressor
 *   pressure units)
 *
 * Creates the compressor panel: state in words, temperatures, pressures,
 * motor current and hours with units, model, serial number and software
 * revision, the active alarms and warnings, and Start / Stop Compressor
 * behind the interlock and a confirmation.
 *
 * Returns: (transfer full): a new panel
 */
CryoCompressorPanel *
cryo_compressor_panel_new (CryoCompressor *device,
                           GSettings      *settings)
{
  CryoCompressorPanel *self;

  g_return_val_if_fail (CRYO_IS_COMPRESSOR (device), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CRYO_TYPE_COMPRESSOR_PANEL, NULL);
  self->device = g_object_ref (device);
  self->settings = g_object_ref (settings);

  gtk_label_set_label (self->name_label, cryo_device_get_name (CRYO_DEVICE (device)));

  g_signal_connect_object (device, "notify::snapshot-time",
                           G_CALLBACK (cryo_compressor_panel_update_readings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::state",
                           G_CALLBACK (cryo_compressor_panel_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::last-error",
                           G_CALLBACK (cryo_compressor_panel_update_connection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::alarms",
                           G_CALLBACK (cryo_compressor_panel_update_conditions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::warnings",
                           G_CALLBACK (cryo_compressor_panel_update_conditions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "polled",
                           G_CALLBACK (cryo_compressor_panel_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::busy",
                           G_CALLBACK (cryo_compressor_panel_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::temperature-unit",
                           G_CALLBACK (cryo_compressor_panel_update_readings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::compressor-pressure-unit",
                           G_CALLBACK (cryo_compressor_panel_update_readings), self, G_CONNECT_SWAPPED);

  self->tick_source = g_timeout_add_seconds (1, cryo_compressor_panel_tick_cb, self);

  cryo_compressor_panel_update (self);
  cryo_compressor_panel_update_conditions (self);

  return self;
}
