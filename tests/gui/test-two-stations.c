/* test-two-stations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two pumping stations side by side, named "Chamber A" and "Chamber B", in
 * the real window: they are told apart in the sidebar, the legends, the
 * hover readout, the CSV header and the event log, and each station's
 * start asks for confirmation naming it.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cryo-application.h"
#include "cryo-device-panel.h"
#include "cryo-kinds.h"
#include "cryo-trend-view.h"
#include "cryo-window.h"
#include "test-gui-util.h"

static gboolean
all_online (gpointer data)
{
  GListModel *devices = data;
  guint n = g_list_model_get_n_items (devices);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, i);

      if (cryo_device_get_state (device) != CRYO_DEVICE_STATE_ONLINE)
        return FALSE;
    }

  return n == 2;
}

static gboolean
log_names_chamber_b (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (data, &contents, NULL, NULL) &&
         strstr (contents, "Chamber B") != NULL && strstr (contents, "stop") != NULL;
}

static CryoDeviceConfig *
start_station (const char     *name,
               CryoSimServer **server)
{
  const CryoKindRegistration *registration = cryo_kinds_lookup ("pump-station");
  g_autofree char *spec = NULL;
  g_autoptr(GError) error = NULL;
  CryoDeviceConfig *config;

  *server = registration->simulator->start_demo (&spec, &error);
  g_assert_no_error (error);
  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  config->name = g_strdup (name);
  config->poll_interval_ms = 200;

  return config;
}

static void
test_two_stations (void)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_device_config_free);
  g_autoptr(CryoSimServer) server_a = NULL;
  g_autoptr(CryoSimServer) server_b = NULL;
  g_autoptr(CryoApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryomon-two-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "two.csv", NULL);
  g_autofree char *log_path = g_build_filename (g_get_user_data_dir (), "cryomon", "events.log", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *hover = NULL;
  g_autoptr(CryoDevice) chamber_b = NULL;
  CryoTrendView *trend_view;
  CryoTrendPlot *pressure_plot;
  GListModel *devices;
  GtkWindow *window, *confirm;
  GtkWidget *panel;

  g_ptr_array_add (configs, start_station ("Chamber A", &server_a));
  g_ptr_array_add (configs, start_station ("Chamber B", &server_b));

  app = cryo_application_new (configs, FALSE, NULL);
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.TwoStations");
  /* Memory only: the tests of the archive have their own files. */
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);

  devices = cryo_session_get_devices (cryo_application_get_session (app));
  iterate_until (all_online, devices, 10000);
  chamber_b = g_list_model_get_item (devices, 1);
  g_assert_cmpstr (cryo_device_get_name (chamber_b), ==, "Chamber B");

  /* The sidebar names both. */
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "Chamber A"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "Chamber B"));

  /* One pressure plot with both, each legend entry and hover line naming
   * its station. */
  trend_view = CRYO_TREND_VIEW (find_widget (GTK_WIDGET (window), is_of_type,
                                             GSIZE_TO_POINTER (CRYO_TYPE_TREND_VIEW)));
  pressure_plot = cryo_trend_view_get_plot (trend_view, CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG);
  g_assert_nonnull (pressure_plot);
  g_assert_cmpuint (cryo_trend_plot_get_n_series (pressure_plot), ==, 2);
  hover = cryo_trend_plot_get_hover_text (pressure_plot, g_get_real_time ());
  g_test_message ("%s", hover);
  g_assert_nonnull (strstr (hover, "\nChamber A · Pressure: "));
  g_assert_nonnull (strstr (hover, "\nChamber B · Pressure: "));
  g_assert_null (strstr (hover, "—"));

  /* Every CSV column says which station. */
  g_assert_true (cryo_window_export_to_path (CRYO_WINDOW (window), csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "timestamp_iso,seconds_since_start,"
                                        "chamber_a_pressure,chamber_a_pressure_units,"
                                        "chamber_b_pressure,chamber_b_pressure_units,"
                                        "chamber_a_speed,chamber_a_speed_units,"
                                        "chamber_b_speed,chamber_b_speed_units\n"));

  /* Stopping Chamber B asks first, naming it; the event log says which
   * station stopped. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.monitoring", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.monitoring", NULL);
  iterate_until (all_online, devices, 10000);
  panel = NULL;
  for (GtkWidget *child = find_widget (GTK_WIDGET (window), is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_PANEL));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (CRYO_IS_DEVICE_PANEL (child) && cryo_device_panel_get_device (CRYO_DEVICE_PANEL (child)) == chamber_b)
      panel = child;
  g_assert_nonnull (panel);

  gtk_widget_activate_action (panel, "device.run", "s", "stop");
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirm)), ==,
                   "Stop Pump on Chamber B?");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "stop");
  iterate_until (log_names_chamber_b, log_path, 10000);

  close_app_window (app, window);
  cryo_sim_server_stop (server_a);
  cryo_sim_server_stop (server_b);
  g_unlink (csv_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/window/two-stations", test_two_stations);

  return g_test_run ();
}
