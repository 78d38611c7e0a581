/* test-incubator-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The common device panel on a simulated incubator: the chamber
 * temperature in large type, the door temperature, CO2 and O2 listed, the
 * modes and heater indicators in its state, the link quality with valid
 * and dropped lines, set-point fields with the controller's ranges and
 * units; switching heat off asks first, and a set point the controller
 * ignores is reported as not accepted.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cryo-device-panel.h"
#include "cryo-kinds.h"
#include "cryo-sim-incuvers-server.h"
#include "test-gui-util.h"

static gboolean
is_online (gpointer device)
{
  return cryo_device_get_state (device) == CRYO_DEVICE_STATE_ONLINE;
}

static gboolean
has_dialog (gpointer heading)
{
  return find_dialog (heading) != NULL;
}

static void
assert_range (CryoDevicePanel *panel,
              const char      *action,
              double           lower,
              double           upper,
              const char      *subtitle)
{
  GtkSpinButton *field = cryo_device_panel_get_param_field (panel, action, "value");
  GtkAdjustment *adjustment;

  g_assert_nonnull (field);
  adjustment = gtk_spin_button_get_adjustment (field);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_lower (adjustment), lower, 1e-9);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (adjustment), upper, 1e-9);
  g_assert_cmpuint (gtk_spin_button_get_digits (field), ==, 2);
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, subtitle));
}

static gboolean
is_not_online (gpointer device)
{
  return cryo_device_get_state (device) != CRYO_DEVICE_STATE_ONLINE;
}

static void
test_incubator_panel (void)
{
  const CryoKindRegistration *registration = cryo_kinds_lookup ("incubator");
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_auto(GStrv) log = NULL;
  LabelWait link = { NULL, "dropped" };
  CryoDevicePanel *panel;
  GtkWidget *window;
  GtkWidget *primary;
  GtkWidget *state;
  AdwMessageDialog *dialog;

  g_assert_nonnull (registration);
  server = registration->simulator->start_demo (&spec, &error);
  g_assert_no_error (error);
  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  g_settings_set_string (settings, "temperature-unit", "degC");

  window = gtk_window_new ();
  panel = cryo_device_panel_new (device, settings);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  gtk_window_present (GTK_WINDOW (window));
  g_object_ref (window);

  cryo_device_set_monitoring (device, TRUE);
  iterate_until (is_online, device, 10000);
  link.root = GTK_WIDGET (panel);
  iterate_until (shows, &link, 5000);
  gtk_test_widget_wait_for_draw (window);

  /* the chamber temperature large, in the display unit */
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "Chamber temperature"));
  primary = find_widget (GTK_WIDGET (panel), has_css_class, "cryo-primary-value");
  g_assert_nonnull (primary);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (gtk_label_get_label (GTK_LABEL (primary)), NULL), 36.5, 1.0);
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "°C"));

  /* the others listed; modes and heater indicators in the state */
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "Door temperature"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "CO₂"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "O₂"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "CO₂ set point"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "Heating on"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "Chamber heater"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "Door heater"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "heating"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "CO₂ mode"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "maintain"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "off (no sensor)"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text, "always on"));

  /* the link quality as lines valid and dropped */
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_containing, "Link: 100 % good · "));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_containing, " valid, 0 dropped"));

  /* set-point editors with the controller's ranges and units */
  assert_range (panel, "set-temperature", 5.01, 74.99, "5.01 to 74.99 °C");
  assert_range (panel, "set-co2", 0.11, 24.99, "0.11 to 24.99 %");
  assert_range (panel, "set-o2", 0.01, 20.99, "0.01 to 20.99 %");
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_button_labelled, "Set Modes"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_button_labelled, "Save Settings"));

  /* heat off stops maintenance: asked first; cancelled, nothing is sent */
  /* the modes are picked by name, each left as it is unless changed */
  {
    AdwComboRow *heat = cryo_device_panel_get_param_choice (panel, "set-mode", "heat");
    AdwComboRow *fan = cryo_device_panel_get_param_choice (panel, "set-mode", "fan");
    GListModel *names;

    g_assert_nonnull (heat);
    g_assert_null (cryo_device_panel_get_param_field (panel, "set-mode", "heat"));
    names = adw_combo_row_get_model (heat);
    g_assert_cmpuint (g_list_model_get_n_items (names), ==, 3);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "Unchanged");
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 1), ==, "Off");
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 2), ==, "On");
    g_assert_cmpuint (adw_combo_row_get_selected (heat), ==, 0);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (heat)), ==, "Heat mode");
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (fan)), 5), ==,
                     "Always on");
    adw_combo_row_set_selected (heat, 1);
  }
  gtk_widget_activate_action (GTK_WIDGET (panel), "device.run", "s", "set-mode");
  dialog = find_dialog ("Set Modes on Incubator?");
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Heating stops"));
  adw_message_dialog_response (dialog, "cancel");
  log = cryo_sim_server_dup_command_log (server);
  g_assert_cmpuint (g_strv_length (log), ==, 0);

  /* the set point field follows the temperature unit of the preferences,
   * keeping its value; a percentage does not change */
  g_settings_set_string (settings, "temperature-unit", "kelvin");
  assert_range (panel, "set-temperature", 278.16, 348.14, "278.16 to 348.14 K");
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (cryo_device_panel_get_param_field (panel, "set-temperature",
                                                                                                "value")),
                                  310.15, 1e-9);
  assert_range (panel, "set-co2", 0.11, 24.99, "0.11 to 24.99 %");
  g_settings_set_string (settings, "temperature-unit", "degC");
  assert_range (panel, "set-temperature", 5.01, 74.99, "5.01 to 74.99 °C");
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (cryo_device_panel_get_param_field (panel, "set-temperature",
                                                                                                "value")),
                                  37.0, 1e-9);

  /* a set point the controller ignores: not accepted, after 10 s; given in
   * kelvins, sent in the controller's hundredths of a degree Celsius */
  g_settings_set_string (settings, "temperature-unit", "kelvin");
  cryo_sim_incuvers_server_set_ignored (server, "TP", TRUE);
  gtk_spin_button_set_value (cryo_device_panel_get_param_field (panel, "set-temperature", "value"), 311.65);
  gtk_widget_activate_action (GTK_WIDGET (panel), "device.run", "s", "set-temperature");
  iterate_until (has_dialog, (gpointer) "Set Temperature: Outcome Unknown", 20000);
  dialog = find_dialog ("Set Temperature: Outcome Unknown");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Not accepted by the incubator"));
  adw_message_dialog_response (dialog, "close");
  g_clear_pointer (&log, g_strfreev);
  log = cryo_sim_server_dup_command_log (server);
  g_assert_cmpuint (g_strv_length (log), ==, 1);
  g_assert_nonnull (strstr (log[0], "TP|3850"));
  g_settings_set_string (settings, "temperature-unit", "degC");

  /* unplugged: the last state stays, dimmed like an old reading */
  state = find_widget (GTK_WIDGET (panel), has_css_class, "cryo-state-value");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (state)), ==, "Heating on");
  g_assert_false (gtk_widget_has_css_class (state, "dim-label"));
  cryo_sim_server_stop (server);
  iterate_until (is_not_online, device, 20000);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (state)), ==, "Heating on");
  g_assert_true (gtk_widget_has_css_class (state, "dim-label"));

  cryo_device_set_monitoring (device, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  cryo_sim_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/panel/incubator", test_incubator_panel);

  return g_test_run ();
}
