/* test-maintenance-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The maintenance forecasts on the common device panel: a simulated
 * pumping station whose tip seal is past its interval says so and warns;
 * a counter running towards its interval shows the forecast date and warns
 * within the lead time; a compressor's Service Done asks first, then asks
 * the window to record it.
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "cryo-device-panel.h"
#include "cryo-kinds.h"
#include "cryo-sim-pump-station-server.h"
#include "test-gui-util.h"
#include "../test-counters.h"

static GtkWidget *
show_panel (CryoDevice *device,
            GSettings  *settings)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (cryo_device_panel_new (device, settings)));
  gtk_window_present (GTK_WINDOW (window));
  g_object_ref (window);

  return window;
}

static void
close_window (GtkWidget *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* The simulator's tip seal past 5000 h, read over the wire. */
static void
test_tip_seal_overdue (void)
{
  const CryoKindRegistration *registration = cryo_kinds_lookup ("pump-station");
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  LabelWait overdue = { NULL, "of 5000 h, service overdue" };
  LabelWait reset = { NULL, "0 h of 5000 h" };
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *window;
  GtkWidget *button;

  server = registration->simulator->start_demo (&spec, &error);
  g_assert_no_error (error);
  cryo_sim_pump_station_server_set_tip_seal_hours (server, 5001);
  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);

  window = show_panel (device, settings);
  overdue.root = reset.root = window;
  g_assert_null (find_widget (window, is_label_containing, "service overdue"));

  cryo_device_set_monitoring (device, TRUE);
  iterate_until (shows, &overdue, 10000);
  g_assert_nonnull (find_widget (window, is_label_with_text, "Tip seal since service"));
  g_assert_nonnull (find_widget (window, is_label_with_text, "Tip seal service overdue"));
  g_assert_true (g_strv_contains (cryo_device_get_warnings (device), "Tip seal service overdue"));

  /* The station resets its own counter: Service Done is its action, by
   * the counter, not among the controls, and confirmed first. */
  g_assert_null (find_widget (window, is_button_labelled, "Tip Seal Service Done"));
  button = find_widget (window, is_button_labelled, "Service _Done");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  heading = g_strdup_printf ("Tip Seal Service Done on %s?", cryo_device_get_name (device));
  dialog = find_dialog (heading);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "set back to 0 h"));
  adw_message_dialog_response (dialog, "reset-tip-seal");
  iterate_until (shows, &reset, 10000);
  g_assert_false (g_strv_contains (cryo_device_get_warnings (device), "Tip seal service overdue"));
  g_assert_null (find_widget (window, is_label_with_text, "Tip seal service overdue"));

  cryo_device_set_monitoring (device, FALSE);
  close_window (window);
  cryo_sim_server_stop (server);
}

/* A week at 24 h a day with 200 h to go: due in a little over 8 days,
 * inside the 14 days' lead time; a lead time of 7 days lifts the warning. */
static void
test_due_soon (void)
{
  g_autoptr(CryoDevice) device = new_device ("pump-station:/dev/null,name=Station");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GDateTime) due = g_date_time_new_from_unix_local ((g_get_real_time () + 200 * HOUR) / G_USEC_PER_SEC);
  g_autofree char *date = g_date_time_format (due, "%-d %B %Y");
  g_autofree char *text = g_strdup_printf ("4800 h of 5000 h, due about %s", date);
  LabelWait forecast = { NULL, text };
  GtkWidget *window = show_panel (device, settings);

  forecast.root = window;
  push_counter (device, "tip_seal_hours", 7, 24, 4800);
  iterate_until (shows, &forecast, 5000);
  g_assert_nonnull (find_widget (window, is_label_with_text, "Tip seal service due within 14 days"));

  cryo_service_tracker_set_lead_days (cryo_device_get_service_tracker (device), 7);
  g_assert_cmpuint (g_strv_length ((char **) cryo_device_get_warnings (device)), ==, 0);
  gtk_test_widget_wait_for_draw (window);
  g_assert_null (find_widget (window, is_label_with_text, "Tip seal service due within 14 days"));

  close_window (window);
}

static void
on_record_service_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GPtrArray *recorded = user_data;

  g_ptr_array_add (recorded, g_variant_dup_string (parameter, NULL));
}

/* Service Done on a compressor: only with a reading, confirmed first,
 * then the window's win.record-service with the device's id. */
static void
test_service_done (void)
{
  g_autoptr(CryoDevice) device = new_device ("cpa:tcp:192.0.2.1,name=Compressor");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) record = g_simple_action_new ("record-service", G_VARIANT_TYPE_STRING);
  g_autoptr(GPtrArray) recorded = g_ptr_array_new_with_free_func (g_free);
  LabelWait none = { NULL, "No service recorded" };
  LabelWait overdue = { NULL, "Since service: 30001 h of 30000 h, service overdue" };
  AdwMessageDialog *dialog;
  GtkWidget *window;
  GtkWidget *button;

  g_signal_connect (record, "activate", G_CALLBACK (on_record_service_cb), recorded);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (record));
  window = show_panel (device, settings);
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
  none.root = overdue.root = window;

  button = find_widget (window, is_button_labelled, "Service _Done");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button));

  push_counter (device, "hours", 1, 24, 34700);
  iterate_until (shows, &none, 5000);
  g_assert_true (gtk_widget_get_sensitive (button));

  /* Cancelled: nothing recorded. */
  g_signal_emit_by_name (button, "clicked");
  dialog = find_dialog ("Record a Service of Compressor?");
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "34700 h of Hours of operation"));
  adw_message_dialog_response (dialog, "cancel");
  g_assert_cmpuint (recorded->len, ==, 0);

  g_signal_emit_by_name (button, "clicked");
  dialog = find_dialog ("Record a Service of Compressor?");
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "record");
  g_assert_cmpuint (recorded->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (recorded, 0), ==, cryo_device_get_id (device));

  /* What the session records, the panel counts from. */
  cryo_device_set_service_hours (device, 34700 - 30001);
  iterate_until (shows, &overdue, 5000);
  g_assert_nonnull (find_widget (window, is_label_with_text, "Compressor service overdue"));

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/maintenance-panel/tip-seal-overdue", test_tip_seal_overdue);
  g_test_add_func ("/maintenance-panel/due-soon", test_due_soon);
  g_test_add_func ("/maintenance-panel/service-done", test_service_done);

  return g_test_run ();
}
