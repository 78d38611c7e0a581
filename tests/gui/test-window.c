/* test-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window in demo mode, driven through its actions: readings appear,
 * a refused start says why, and Export writes the expected file.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cryo-application.h"
#include "cryo-compressor.h"
#include "cryo-connect-dialog.h"
#include "cryo-device-panel.h"
#include "cryo-sim-cpa-server.h"
#include "cryo-sim-server.h"
#include "cryo-event-log.h"
#include "cryo-trend-view.h"
#include "cryo-window.h"

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean  (*match) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_label_starting_with (GtkWidget     *widget,
                        gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix);
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static void
iterate_until (gboolean (*condition) (gpointer),
               gpointer   data,
               guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
pressure_shown (gpointer data)
{
  GtkWidget *label = find_widget (data, has_css_class, "cryo-pressure-value");

  return label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "—") != 0;
}

static gboolean
start_refused (gpointer data)
{
  GtkWidget *start = find_widget (data, is_button_labelled, "Start Pump");

  return start != NULL && !gtk_widget_is_sensitive (start);
}

static gboolean
is_state_running (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "cryo-state-value") &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), "Running") == 0;
}

static gboolean
compressor_running (gpointer data)
{
  return find_widget (data, is_state_running, NULL) != NULL;
}

static gboolean
widget_insensitive (gpointer data)
{
  return !gtk_widget_is_sensitive (data);
}

static GtkWindow *find_toplevel (GType type);

static char *
read_first_line (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char *newline;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  newline = strchr (contents, '\n');
  g_assert_nonnull (newline);

  return g_strndup (contents, newline - contents);
}

static void
test_demo_window (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryomon-ui-XXXXXX", NULL);
  g_autofree char *both_path = g_build_filename (dir, "both.csv", NULL);
  g_autofree char *pressure_path = g_build_filename (dir, "pressure.csv", NULL);
  g_autofree char *header = NULL;
  GtkWindow *window;
  GtkWidget *banner, *reason, *pressure_label, *unit_label, *compressor_start;
  CryoTrendView *trend_view;
  GListModel *devices;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CRYO_IS_WINDOW (window));
  g_object_ref (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Demo mode says so. */
  g_assert_true (cryo_session_get_demo (cryo_application_get_session (app)));
  banner = find_widget (GTK_WIDGET (window), is_label_starting_with, "Demo: simulated instruments");
  g_assert_nonnull (banner);
  g_assert_true (gtk_widget_is_visible (banner));

  /* A pressure value with its unit within 5 s. */
  iterate_until (pressure_shown, window, 5000);
  pressure_label = find_widget (GTK_WIDGET (window), has_css_class, "cryo-pressure-value");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (pressure_label)), "× 10"));
  unit_label = gtk_widget_get_next_sibling (pressure_label);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (unit_label)), ==, "mbar");

  /* The simulated turbo spins: Start Pump is refused, and says why. */
  iterate_until (start_refused, window, 5000);
  reason = find_widget (GTK_WIDGET (window), is_label_starting_with, "Start Pump unavailable:");
  g_assert_nonnull (reason);
  g_assert_true (gtk_widget_is_visible (reason));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason)), "rpm"));

  /* The simulated compressor runs: its panel says so, and refuses a start. */
  devices = cryo_session_get_devices (cryo_application_get_session (app));
  g_assert_cmpuint (g_list_model_get_n_items (devices), ==, 2);
  iterate_until (compressor_running, window, 10000);
  compressor_start = find_widget (GTK_WIDGET (window), is_button_labelled, "Start Compressor");
  g_assert_nonnull (compressor_start);
  iterate_until (widget_insensitive, compressor_start, 5000);
  reason = find_widget (GTK_WIDGET (window), is_label_starting_with, "Start Compressor unavailable:");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason)), "must be Idle"));

  /* Export writes the plotted series over the plotted range: every plot's. */
  g_assert_true (cryo_window_export_to_path (CRYO_WINDOW (window), both_path, &error));
  g_assert_no_error (error);
  header = read_first_line (both_path);
  /* Two devices: every column says which. */
  g_assert_true (g_str_has_prefix (header, "timestamp_iso,seconds_since_start,"
                                           "pumping_station_pressure,pumping_station_pressure_units,"
                                           "helium_compressor_coolant_in,"));
  g_assert_nonnull (strstr (header, ",pumping_station_speed,pumping_station_speed_units,"));
  g_assert_nonnull (strstr (header, ",helium_compressor_helium,helium_compressor_helium_units,"));
  g_assert_nonnull (strstr (header, ",helium_compressor_high_pressure,helium_compressor_high_pressure_units,"));
  g_clear_pointer (&header, g_free);

  /* The pressure alone gives the seed program's header. */
  trend_view = CRYO_TREND_VIEW (find_widget (GTK_WIDGET (window), is_of_type,
                                             GSIZE_TO_POINTER (CRYO_TYPE_TREND_VIEW)));
  {
    g_autoptr(CryoDevice) pump = g_list_model_get_item (devices, 0);
    g_autoptr(CryoDevice) cpa = g_list_model_get_item (devices, 1);
    GPtrArray *channels = cryo_device_get_channels (cpa);

    cryo_trend_plot_set_series_visible (cryo_trend_view_get_plot (trend_view, CRYO_QUANTITY_ROTATION_SPEED,
                                                                  CRYO_SCALE_LINEAR),
                                        cryo_device_lookup_channel (pump, "speed"), FALSE);
    for (guint i = 0; i < channels->len; i++)
      {
        CryoChannel *channel = g_ptr_array_index (channels, i);
        CryoTrendPlot *plot = cryo_trend_view_get_plot (trend_view, cryo_channel_get_quantity (channel),
                                                        cryo_channel_get_scale (channel));

        if (plot != NULL)
          cryo_trend_plot_set_series_visible (plot, channel, FALSE);
      }
  }
  g_assert_true (cryo_window_export_to_path (CRYO_WINDOW (window), pressure_path, &error));
  g_assert_no_error (error);
  header = read_first_line (pressure_path);
  g_assert_cmpstr (header, ==, "timestamp_iso,seconds_since_start,pressure,units");

  /* Stop Pump asks first, naming the device and what happens; cancelling
   * sends nothing. */
  {
    GtkWidget *panel = find_widget (GTK_WIDGET (window), is_of_type,
                                    GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_PANEL));
    GtkWindow *confirm;

    g_assert_true (cryo_device_get_name (cryo_device_panel_get_device (CRYO_DEVICE_PANEL (panel))) != NULL);
    gtk_widget_activate_action (panel, "device.run", "s", "stop");
    confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (confirm);
    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirm)), ==,
                     "Stop Pump on Pumping station?");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)), "turbo"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
    gtk_window_destroy (confirm);
  }

  /* Monitoring toggles through its action. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.monitoring", NULL);
  {
    g_autoptr(CryoDevice) device = g_list_model_get_item (devices, 0);
    g_assert_false (cryo_device_get_monitoring (device));
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.monitoring", NULL);

  gtk_window_destroy (window);
  g_assert_finalize_object (window);

  g_application_quit (G_APPLICATION (app));
  g_unlink (both_path);
  g_unlink (pressure_path);
  g_rmdir (dir);
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

static gboolean
compressor_online (gpointer data)
{
  GListModel *devices = data;
  g_autoptr(CryoDevice) device = NULL;

  if (g_list_model_get_n_items (devices) != 1)
    return FALSE;
  device = g_list_model_get_item (devices, 0);
  return CRYO_IS_COMPRESSOR (device) && cryo_device_get_state (device) == CRYO_DEVICE_STATE_ONLINE;
}

static gboolean
start_enabled (gpointer data)
{
  GtkWidget *start = find_widget (data, is_button_labelled, "Start Compressor");

  return start != NULL && gtk_widget_is_sensitive (start);
}

static gboolean
start_logged (gpointer data)
{
  g_auto(GStrv) log = cryo_sim_server_dup_command_log (data);

  return g_strv_contains ((const char * const *) log, "HR1 0x0001 ACK");
}

/* Connect Instrument: a compressor on the network replaces the demo, in the
 * same window, and is remembered in the devices file. */
static void
test_connect_compressor (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE);
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = cryo_sim_cpa_server_new (&options);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *conf = NULL;
  GtkWindow *window, *dialog;
  GtkWidget *row, *banner;

  g_assert_true (cryo_sim_server_start_tcp (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  /* The first test's application is still exported on the session bus. */
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.ConnectTest");
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_object_ref (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);
  dialog = find_toplevel (CRYO_TYPE_CONNECT_DIALOG);
  g_assert_nonnull (dialog);

  row = find_widget (GTK_WIDGET (dialog), is_row_titled, "Instrument");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
  row = find_widget (GTK_WIDGET (dialog), is_row_titled, "Connection");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  row = find_widget (GTK_WIDGET (dialog), is_row_titled, "Host name or address");
  g_assert_true (gtk_widget_get_visible (row));
  gtk_editable_set_text (GTK_EDITABLE (row), "127.0.0.1");
  row = find_widget (GTK_WIDGET (dialog), is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));
  port = g_strdup_printf ("%u", cryo_sim_server_get_port (server));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (row), cryo_sim_server_get_port (server));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.connect", NULL);

  /* The simulators are gone; the compressor is monitored in the same window. */
  g_assert_false (cryo_session_get_demo (cryo_application_get_session (app)));
  iterate_until (compressor_online, cryo_session_get_devices (cryo_application_get_session (app)), 10000);
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == window);
  g_assert_null (find_widget (GTK_WIDGET (window), is_button_labelled, "Start Pump"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_button_labelled, "Stop Compressor"));
  banner = find_widget (GTK_WIDGET (window), has_css_class, "cryo-banner");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (banner))));

  /* Start Compressor asks first, then the command reaches the compressor. */
  {
    GtkWidget *panel = find_widget (GTK_WIDGET (window), is_of_type,
                                    GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_PANEL));
    GtkWindow *confirm;

    g_assert_nonnull (panel);
    iterate_until (start_enabled, panel, 5000);
    gtk_widget_activate_action (panel, "device.run", "s", "start");
    confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (confirm);
    g_assert_cmpuint (cryo_sim_cpa_server_get_state (server), ==, CRYO_CPA_STATE_IDLE);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "start");
    iterate_until (start_logged, server, 5000);
  }

  /* Remembered for the next start. */
  conf_path = g_build_filename (g_get_user_config_dir (), "cryomon", "devices.conf", NULL);
  g_assert_true (g_file_get_contents (conf_path, &conf, NULL, NULL));
  g_assert_nonnull (strstr (conf, "type=cpa"));
  g_assert_nonnull (strstr (conf, port));

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  g_application_quit (G_APPLICATION (app));
  cryo_sim_server_stop (server);
  g_unlink (conf_path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-events-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (dir, "events.log", NULL);

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window/demo", test_demo_window);
  g_test_add_func ("/window/connect-compressor", test_connect_compressor);

  return g_test_run ();
}
