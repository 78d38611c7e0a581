/* test-cti-regen-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cryopump's regen parameters dialog, reached from the button its panel
 * extension adds to the common panel: opening it reads the parameters from
 * the simulated pump into its fields, and a confirmed Set writes one.
 */

#include "config.h"

#include <adwaita.h>

#include "cryo-cti-pump.h"
#include "cryo-cti-regen-dialog.h"
#include "cryo-device-panel.h"
#include "cryo-sim-cti-server.h"
#include "test-gui-util.h"

static gboolean
is_verified (gpointer data)
{
  return cryo_cti_pump_get_verified (data) && cryo_cti_pump_get_regen_phase (data) >= 0;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_toplevel (CRYO_TYPE_CTI_REGEN_DIALOG) != NULL;
}

static gboolean
params_read (gpointer data)
{
  GtkSpinButton *field = cryo_cti_regen_dialog_get_field (data, "P0");

  return cryo_cti_pump_get_param (CRYO_CTI_PUMP (cryo_cti_regen_dialog_get_device (data)), "P0") == 600 &&
         gtk_spin_button_get_value (field) == 600;
}

static gboolean
confirmation_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
pump_has_60 (gpointer data)
{
  return cryo_sim_cti_server_get_param (data, "P3") == 60;
}

static void
test_read_and_set (void)
{
  CryoSimCtiOptions options = CRYO_SIM_CTI_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = cryo_sim_cti_server_new (&options);
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GtkWidget *button;
  CryoCtiRegenDialog *dialog;
  AdwMessageDialog *confirm;

  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  config = cryo_device_config_new (&cryo_cti_pump_kind, cryo_sim_server_get_path (server));
  config->poll_interval_ms = 100;
  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  cryo_device_set_monitoring (device, TRUE);
  iterate_until (is_verified, device, 5000);

  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (cryo_device_panel_new (device, NULL)));
  gtk_window_present (GTK_WINDOW (window));

  /* The extension's button on the common panel opens the dialog, which
   * reads the parameters. */
  button = find_widget (window, is_button_labelled, "_Regen Parameters…");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  iterate_until (dialog_shown, NULL, 2000);
  dialog = CRYO_CTI_REGEN_DIALOG (find_toplevel (CRYO_TYPE_CTI_REGEN_DIALOG));
  iterate_until (params_read, dialog, 5000);
  g_assert_cmpfloat (gtk_spin_button_get_value (cryo_cti_regen_dialog_get_field (dialog, "P3")), ==, 50);
  g_assert_cmpfloat (gtk_spin_button_get_value (cryo_cti_regen_dialog_get_field (dialog, "PC")), ==, 1);

  /* A value out of the field's range cannot be typed: the field keeps
   * the pump's range (seed: P3 25..200 mTorr). */
  gtk_spin_button_set_value (cryo_cti_regen_dialog_get_field (dialog, "P3"), 500);
  g_assert_cmpfloat (gtk_spin_button_get_value (cryo_cti_regen_dialog_get_field (dialog, "P3")), ==, 200);

  /* Set, confirmed, writes P3 and nothing else. */
  gtk_spin_button_set_value (cryo_cti_regen_dialog_get_field (dialog, "P3"), 60);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "regen.set", "s", "set-rough-pressure");
  iterate_until (confirmation_shown, NULL, 2000);
  confirm = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (confirm, "set-rough-pressure");
  iterate_until (pump_has_60, server, 5000);
  {
    g_auto(GStrv) log = cryo_sim_server_dup_command_log (server);

    g_assert_cmpuint (g_strv_length (log), ==, 1);
    g_assert_cmpstr (log[0], ==, "P360 A");
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  cryo_device_set_monitoring (device, FALSE);
  cryo_sim_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/cti-regen-dialog/read-and-set", test_read_and_set);

  return g_test_run ();
}
