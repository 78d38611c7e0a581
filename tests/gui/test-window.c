/* test-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window in demo mode, driven through its actions: readings appear,
 * a refused start says why, and Export writes the expected file.
 */

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "cryo-application.h"
#include "cryo-compressor.h"
#include "cryo-device-config.h"
#include "cryo-device-editor.h"
#include "cryo-device-panel.h"
#include "cryo-device-row.h"
#include "cryo-devices-dialog.h"
#include "cryo-sim-cpa-server.h"
#include "cryo-sim-server.h"
#include "cryo-event-log.h"
#include "cryo-preferences-window.h"
#include "cryo-trend-view.h"
#include "cryo-window.h"
#include "test-gui-util.h"

static gboolean
is_legend_toggle_of (GtkWidget     *widget,
                     gconstpointer  channel)
{
  return GTK_IS_TOGGLE_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "channel") == channel;
}

static gboolean
widget_insensitive (gpointer data)
{
  return !gtk_widget_is_sensitive (data);
}

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
  /* the demo's compressor starts as Cryomon does: Starting, then Running */
  static const char * const running_states[] = { "Running", "Starting", NULL };
  StateWait running = { NULL, running_states };
  LabelWait start_refused = { NULL, "Start Pump" };
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryomon-ui-XXXXXX", NULL);
  g_autofree char *both_path = g_build_filename (dir, "both.csv", NULL);
  g_autofree char *pressure_path = g_build_filename (dir, "pressure.csv", NULL);
  g_autofree char *header = NULL;
  GtkWindow *window;
  GtkWidget *banner, *reason, *pressure_label, *unit_label, *compressor_start;
  CryoTrendView *trend_view;
  GListModel *devices;

  /* Memory only: the tests of the archive have their own files. */

  cryo_application_set_history (app, NULL, FALSE);

  window = open_app_window (app);

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
  start_refused.root = GTK_WIDGET (window);
  iterate_until (button_refused, &start_refused, 5000);
  reason = find_widget (GTK_WIDGET (window), is_label_starting_with, "Start Pump unavailable:");
  g_assert_nonnull (reason);
  g_assert_true (gtk_widget_is_visible (reason));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason)), "rpm"));

  /* The simulated compressor runs: its panel says so, and refuses a start. */
  devices = cryo_session_get_devices (cryo_application_get_session (app));
  /* the pump and compressor first; instruments registered later follow */
  g_assert_cmpuint (g_list_model_get_n_items (devices), >=, 2);
  running.root = GTK_WIDGET (window);
  iterate_until (state_shown, &running, 10000);
  compressor_start = find_widget (GTK_WIDGET (window), is_button_labelled, "Start Compressor");
  g_assert_nonnull (compressor_start);
  iterate_until (widget_insensitive, compressor_start, 5000);
  reason = find_widget (GTK_WIDGET (window), is_label_starting_with, "Start Compressor unavailable:");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason)), "must be Idle"));
  /* A screen reader hears the same reason on the button. */
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (compressor_start),
                                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                     gtk_label_get_label (GTK_LABEL (reason))
                                                     + strlen ("Start Compressor unavailable: ")));

  /* Export writes the plotted series over the plotted range: every plot's. */
  g_assert_true (cryo_window_export_to_path (CRYO_WINDOW (window), both_path, &error));
  g_assert_no_error (error);
  header = read_first_line (both_path);
  /* Several devices: every column says which. The pump's pressure comes
   * first; other instruments' pressures (on the same plot) may follow it
   * before the compressor's temperatures. */
  g_assert_true (g_str_has_prefix (header, "timestamp_iso,seconds_since_start,"
                                           "pumping_station_pressure,pumping_station_pressure_units,"));
  g_assert_nonnull (strstr (header, ",helium_compressor_coolant_in,"));
  g_assert_nonnull (strstr (header, ",pumping_station_speed,pumping_station_speed_units,"));
  g_assert_nonnull (strstr (header, ",helium_compressor_helium,helium_compressor_helium_units,"));
  g_assert_nonnull (strstr (header, ",helium_compressor_high_pressure,helium_compressor_high_pressure_units,"));
  g_clear_pointer (&header, g_free);

  /* The pressure alone gives the seed program's header. */
  trend_view = CRYO_TREND_VIEW (find_widget (GTK_WIDGET (window), is_of_type,
                                             GSIZE_TO_POINTER (CRYO_TYPE_TREND_VIEW)));
  {
    g_autoptr(CryoDevice) pump = g_list_model_get_item (devices, 0);

    cryo_trend_plot_set_series_visible (cryo_trend_view_get_plot (trend_view, CRYO_QUANTITY_ROTATION_SPEED,
                                                                  CRYO_SCALE_LINEAR),
                                        cryo_device_lookup_channel (pump, "speed"), FALSE);
    /* every other device's series hidden */
    for (guint d = 1; d < g_list_model_get_n_items (devices); d++)
      {
        g_autoptr(CryoDevice) other = g_list_model_get_item (devices, d);
        GPtrArray *channels = cryo_device_get_channels (other);

        for (guint i = 0; i < channels->len; i++)
          {
            CryoChannel *channel = g_ptr_array_index (channels, i);
            CryoTrendPlot *plot = cryo_trend_view_get_plot (trend_view, cryo_channel_get_quantity (channel),
                                                            cryo_channel_get_scale (channel));

            if (plot != NULL)
              cryo_trend_plot_set_series_visible (plot, channel, FALSE);
          }
      }
  }
  /* Procedure phases (the demo's Cryostream has them) are bands behind
   * the temperatures, not series of their own. */
  {
    guint n_phase_channels = 0;

    for (guint d = 0; d < g_list_model_get_n_items (devices); d++)
      {
        g_autoptr(CryoDevice) device = g_list_model_get_item (devices, d);
        GPtrArray *channels = cryo_device_get_channels (device);

        for (guint i = 0; i < channels->len; i++)
          if (cryo_channel_get_phases (g_ptr_array_index (channels, i)) != NULL)
            n_phase_channels++;
      }
    g_assert_cmpuint (n_phase_channels, >=, 1);
    g_assert_cmpuint (cryo_trend_plot_get_n_phases (cryo_trend_view_get_plot (trend_view, CRYO_QUANTITY_TEMPERATURE,
                                                                              CRYO_SCALE_LINEAR)),
                      ==, n_phase_channels);
  }

  /* Legend entries are toggle buttons a keyboard reaches, named for a
   * screen reader; they show and hide their series, and follow it. */
  {
    g_autoptr(CryoDevice) pump = g_list_model_get_item (devices, 0);
    CryoChannel *pressure = cryo_device_lookup_channel (pump, "pressure");
    CryoTrendPlot *plot = cryo_trend_view_get_plot (trend_view, CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG);
    GtkWidget *toggle = find_widget (GTK_WIDGET (trend_view), is_legend_toggle_of, pressure);

    g_assert_nonnull (toggle);
    g_assert_true (gtk_widget_get_focusable (toggle));
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
    g_assert_false (cryo_trend_plot_get_series_visible (plot, pressure));
    cryo_trend_plot_set_series_visible (plot, pressure, TRUE);
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  }

  /* The span selector: 24 h live; a custom range pauses there, says so,
   * and Back to Live follows again. */
  {
    CryoTrendPlot *plot = cryo_trend_view_get_plot (trend_view, CRYO_QUANTITY_TEMPERATURE,
                                                    CRYO_SCALE_LINEAR);
    GtkWidget *revealer = find_widget (GTK_WIDGET (trend_view), is_of_type,
                                       GSIZE_TO_POINTER (GTK_TYPE_REVEALER));
    GtkWidget *paused, *grid;
    GtkWindow *dialog;
    gint64 begin, end, from_us, to_us;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (trend_view), "trend.span", "s", "86400"));
    g_assert_true (cryo_trend_plot_get_follow (plot));
    g_assert_cmpint (cryo_trend_plot_get_span (plot), ==, G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC);
    g_assert_nonnull (find_widget (GTK_WIDGET (trend_view), is_label_starting_with, "Last 24 h"));
    g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

    /* Live with a few seconds of data: they fill the width. */
    cryo_trend_plot_get_visible_range (plot, &begin, &end);
    g_assert_cmpint (end - begin, <, 600 * G_USEC_PER_SEC);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (trend_view), "trend.custom-range", NULL));
    dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (dialog);
    grid = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
    g_assert_true (cryo_trend_view_parse_time ("2026-11-30 14:00", &from_us));
    g_assert_true (cryo_trend_view_parse_time ("2026-11-30T18:00:00", &to_us));
    g_assert_cmpint (to_us - from_us, ==, G_GINT64_CONSTANT (4) * 3600 * G_USEC_PER_SEC);
    gtk_editable_set_text (GTK_EDITABLE (gtk_grid_get_child_at (GTK_GRID (grid), 1, 0)), "not a time");
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "show"));
    gtk_editable_set_text (GTK_EDITABLE (gtk_grid_get_child_at (GTK_GRID (grid), 1, 0)), "2026-11-30 14:00");
    gtk_editable_set_text (GTK_EDITABLE (gtk_grid_get_child_at (GTK_GRID (grid), 1, 1)), "2026-11-30 18:00");
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "show"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "show");
    gtk_window_destroy (dialog);

    g_assert_false (cryo_trend_plot_get_follow (plot));
    cryo_trend_plot_get_visible_range (plot, &begin, &end);
    g_assert_cmpint (begin, ==, from_us);
    g_assert_cmpint (end, ==, to_us);
    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
    paused = find_widget (GTK_WIDGET (trend_view), is_label_starting_with, "Paused: ");
    g_assert_nonnull (paused);
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (paused)), "14:00"));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (trend_view), "trend.live", NULL));
    g_assert_true (cryo_trend_plot_get_follow (plot));
    g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (trend_view), "trend.span", "s", "600"));
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

static gboolean
is_label_showing (GtkWidget     *widget,
                  gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_editor (GtkWindow *dialog)
{
  return find_widget (GTK_WIDGET (dialog), is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_EDITOR));
}

static gboolean
editor_closed (gpointer data)
{
  return find_editor (data) == NULL;
}

static GtkWidget *
find_editor_row (GtkWidget  *editor,
                 const char *title)
{
  GtkWidget *row = find_widget (editor, is_row_titled, title);

  g_assert_nonnull (row);
  return row;
}

static void
set_row_spin (GtkWidget *editor,
              const char *title,
              double      value)
{
  GtkWidget *spin = find_widget (find_editor_row (editor, title), is_of_type,
                                 GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static double
get_row_spin (GtkWidget  *editor,
              const char *title)
{
  GtkWidget *spin = find_widget (find_editor_row (editor, title), is_of_type,
                                 GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));

  g_assert_nonnull (spin);
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin));
}

/* The banner atop the editor: its text, "" while it is hidden; @style
 * ("error", "success") tells whether it has that style. */
static const char *
get_editor_message (GtkWidget  *editor,
                    const char *style,
                    gboolean   *has_style)
{
  GtkWidget *label = find_widget (editor, has_css_class, "cryo-editor-message");
  GtkWidget *banner = gtk_widget_get_ancestor (label, GTK_TYPE_BOX);
  GtkWidget *revealer = gtk_widget_get_ancestor (label, GTK_TYPE_REVEALER);

  if (has_style != NULL)
    *has_style = gtk_widget_has_css_class (banner, style);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)) ? gtk_label_get_text (GTK_LABEL (label)) : "";
}

static const char *
get_editor_error (GtkWidget *editor)
{
  gboolean error = FALSE;
  const char *text = get_editor_message (editor, "error", &error);

  return error ? text : "";
}

static gboolean
test_connected (gpointer data)
{
  gboolean success = FALSE;
  const char *text = get_editor_message (data, "success", &success);

  g_assert_cmpstr (get_editor_error (data), ==, "");
  return success && g_str_has_prefix (text, "Connected: ");
}

/* Devices… Add: a compressor on the network, tested first, replaces the
 * demo in the same window and is remembered in the devices file. */
static char *read_file (const char *path);

static gboolean
shows_service_recorded (gpointer window)
{
  return find_widget (window, is_label_starting_with, "Since service: 0 h of 30000 h") != NULL;
}

static void
test_connect_compressor (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE, NULL);
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = cryo_sim_cpa_server_new (&options);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *conf = NULL;
  const char *title = cryo_device_kind_get_title (&cryo_compressor_kind);
  CryoSession *session;
  GtkWindow *window, *dialog;
  GtkWidget *editor, *row, *banner;
  GListModel *titles;
  guint n_titles;

  g_assert_true (cryo_sim_server_start_tcp (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  /* The first test's application is still exported on the session bus. */
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.ConnectTest");
  /* Memory only: the tests of the archive have their own files. */
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);
  session = cryo_application_get_session (app);
  conf_path = g_build_filename (g_get_user_config_dir (), "cryomon", "devices.conf", NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.devices", NULL);
  dialog = find_toplevel (CRYO_TYPE_DEVICES_DIALOG);
  g_assert_nonnull (dialog);

  /* The simulators are listed, and said to be replaced by a real device. */
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_label_starting_with,
                                 "These simulated instruments are not saved. Adding a real device replaces them."));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_row_titled, title));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "devices.add", NULL);
  editor = find_editor (dialog);
  g_assert_nonnull (editor);

  /* Every registered kind is offered, by its title. */
  row = find_editor_row (editor, "Type");
  titles = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  n_titles = g_list_model_get_n_items (titles);
  g_assert_cmpuint (n_titles, >=, 2);
  for (guint i = 0; i < n_titles; i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (titles), i), title))
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, cryo_compressor_kind.model);

  /* The name follows the type (the simulated compressor leaves); a Modbus
   * kind is reached over the network unless told, with the unit id the
   * descriptor gives for TCP. */
  row = find_editor_row (editor, "Name");
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (row)), title));
  row = find_editor_row (editor, "Interface");
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  g_assert_false (gtk_widget_is_visible (find_editor_row (editor, "Baud rate")));
  g_assert_cmpfloat (get_row_spin (editor, "Modbus unit id"), ==,
                     cryo_compressor_kind.options[0].default_tcp_value);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
  g_assert_true (gtk_widget_is_visible (find_editor_row (editor, "Baud rate")));
  g_assert_cmpfloat (get_row_spin (editor, "Modbus unit id"), ==,
                     cryo_compressor_kind.options[0].default_value);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);

  /* A missing host is refused, and says so. */
  gtk_widget_activate_action (editor, "editor.save", NULL);
  g_assert_nonnull (strstr (get_editor_error (editor), "host name"));
  g_assert_true (cryo_session_get_demo (session));

  row = find_editor_row (editor, "Host name or IP address");
  gtk_editable_set_text (GTK_EDITABLE (row), "127.0.0.1");
  g_assert_cmpstr (get_editor_error (editor), ==, "");
  set_row_spin (editor, "TCP port", cryo_sim_server_get_port (server));
  port = g_strdup_printf ("%u", cryo_sim_server_get_port (server));

  /* Testing polls the compressor once; nothing is saved or replaced. */
  gtk_widget_activate_action (editor, "editor.test", NULL);
  iterate_until (test_connected, editor, 10000);
  g_assert_true (cryo_session_get_demo (session));
  g_assert_false (g_file_test (conf_path, G_FILE_TEST_EXISTS));

  gtk_widget_activate_action (editor, "editor.save", NULL);
  iterate_until (editor_closed, dialog, 5000);

  /* The simulators are gone; the compressor is listed, saved, and
   * monitored in the same window. */
  g_assert_false (cryo_session_get_demo (session));
  g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 1);
  row = find_widget (GTK_WIDGET (dialog), is_row_titled, title);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "saved in devices.conf"));
  gtk_window_destroy (dialog);

  iterate_until (compressor_online, cryo_session_get_devices (session), 10000);
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
  g_assert_true (g_file_get_contents (conf_path, &conf, NULL, NULL));
  g_assert_nonnull (strstr (conf, "type=cpa"));
  g_assert_nonnull (strstr (conf, port));
  g_assert_null (strstr (conf, "service-hours="));

  /* Service Done by the hours: confirmed, then recorded in its group and
   * counted from. */
  {
    g_autofree char *heading = g_strdup_printf ("Record a Service of %s?", title);
    g_autofree char *recorded = NULL;
    GtkWidget *button;
    GtkWindow *confirm;

    g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_showing, "No service recorded"));
    button = find_widget (GTK_WIDGET (window), is_button_labelled, "Service _Done");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    confirm = (GtkWindow *) find_dialog (heading);
    g_assert_nonnull (confirm);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "record");

    iterate_until (shows_service_recorded, window, 5000);
    recorded = read_file (conf_path);
    g_assert_nonnull (strstr (recorded, "service-hours=24"));
    g_assert_false (cryo_session_get_demo (session));
  }

  close_app_window (app, window);
  cryo_sim_server_stop (server);
  g_unlink (conf_path);
}

static gboolean
sidebar_shows (GtkWidget  *window,
               const char *name)
{
  GtkWidget *row = find_widget (window, is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_ROW));

  for (; row != NULL; row = gtk_widget_get_next_sibling (row))
    if (find_widget (row, is_label_showing, name) != NULL)
      return TRUE;

  return FALSE;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Two stations in devices.conf: removing one through the dialog leaves
 * the other's group and comment; renaming renames its sidebar row; what
 * cannot be done is said in the dialog. */
static void
test_devices_file (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, FALSE, NULL);
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), "cryomon", NULL);
  g_autofree char *conf_path = g_build_filename (folder, "devices.conf", NULL);
  g_autofree char *missing_a = g_build_filename (folder, "ttyCRYOmissingA", NULL);
  g_autofree char *missing_b = g_build_filename (folder, "ttyCRYOmissingB", NULL);
  g_autofree char *conf = NULL;
  CryoSession *session;
  CryoDevice *device;
  GtkWindow *window, *dialog, *confirm;
  GtkWidget *editor, *row;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  conf = g_strdup_printf ("# Vacuum stations of lab 3, deployed by the admin\n"
                          "[Station A]\n"
                          "type=pump-station\n"
                          "port=%s\n"
                          "\n"
                          "[R&D <run 3>]\n"
                          "# On the load lock: keep this comment\n"
                          "type=pump-station\n"
                          "port=%s\n"
                          "address=2\n",
                          missing_a, missing_b);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  g_clear_pointer (&conf, g_free);

  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.DevicesTest");
  /* Memory only: the tests of the archive have their own files. */
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);
  session = cryo_application_get_session (app);
  g_assert_false (cryo_session_get_demo (session));
  g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 2);

  /* A port that never opened claims no link quality. */
  {
    LabelWait not_found = { GTK_WIDGET (window), "not found" };

    iterate_until (shows, &not_found, 10000);
    g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "Link: nothing sent yet"));
    g_assert_null (find_widget (GTK_WIDGET (window), is_label_starting_with, "Link: 100 %"));
  }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.devices", NULL);
  dialog = find_toplevel (CRYO_TYPE_DEVICES_DIALOG);
  g_assert_nonnull (dialog);

  /* A name is shown as typed, never as markup. */
  row = find_widget (GTK_WIDGET (dialog), is_row_titled, "R&D <run 3>");
  g_assert_nonnull (row);
  g_assert_nonnull (find_widget (row, is_label_showing, "R&D <run 3>"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), missing_b));

  /* Remove asks first, naming the device. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "devices.edit", "u", 0);
  editor = find_editor (dialog);
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_editor_row (editor, "Name"))), ==, "Station A");
  gtk_widget_activate_action (editor, "editor.remove", NULL);
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirm)), "Station A"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "remove");
  iterate_until (editor_closed, dialog, 5000);

  g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 1);
  g_assert_false (sidebar_shows (GTK_WIDGET (window), "Station A"));
  conf = read_file (conf_path);
  g_assert_null (strstr (conf, "[Station A]"));
  g_assert_nonnull (strstr (conf, "# Vacuum stations of lab 3, deployed by the admin\n"));
  g_assert_nonnull (strstr (conf, "[R&D <run 3>]\n# On the load lock: keep this comment\ntype=pump-station\n"));
  g_assert_nonnull (strstr (conf, "address=2"));
  g_clear_pointer (&conf, g_free);

  /* A rename keeps the device (and its trends) and renames its row. */
  device = cryo_session_get_entry_device (session, 0);
  g_assert_true (sidebar_shows (GTK_WIDGET (window), "R&D <run 3>"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "devices.edit", "u", 0);
  editor = find_editor (dialog);
  g_assert_cmpfloat (get_row_spin (editor, "RS-485 address"), ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (find_editor_row (editor, "Name")), "Load lock");
  gtk_widget_activate_action (editor, "editor.save", NULL);
  iterate_until (editor_closed, dialog, 5000);

  g_assert_true (cryo_session_get_entry_device (session, 0) == device);
  g_assert_cmpstr (cryo_device_get_name (device), ==, "Load lock");
  g_assert_true (sidebar_shows (GTK_WIDGET (window), "Load lock"));
  g_assert_false (sidebar_shows (GTK_WIDGET (window), "R&D <run 3>"));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_row_titled, "Load lock"));
  conf = read_file (conf_path);
  g_assert_null (strstr (conf, "[R&D <run 3>]"));
  g_assert_nonnull (strstr (conf, "[Load lock]"));
  g_assert_nonnull (strstr (conf, "address=2"));
  g_clear_pointer (&conf, g_free);

  /* Refused values and an unusable devices file are told in the dialog;
   * nothing changes. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "devices.edit", "u", 0);
  editor = find_editor (dialog);
  gtk_editable_set_text (GTK_EDITABLE (find_editor_row (editor, "Name")), " ");
  gtk_widget_activate_action (editor, "editor.save", NULL);
  g_assert_cmpstr (get_editor_error (editor), ==, "The device name is empty");
  gtk_editable_set_text (GTK_EDITABLE (find_editor_row (editor, "Name")), "Turbo");
  gtk_editable_set_text (GTK_EDITABLE (find_editor_row (editor, "Serial port")), "");
  gtk_widget_activate_action (editor, "editor.save", NULL);
  g_assert_cmpstr (get_editor_error (editor), ==, "The port is empty");
  gtk_editable_set_text (GTK_EDITABLE (find_editor_row (editor, "Serial port")), missing_b);

  g_assert_cmpint (g_unlink (conf_path), ==, 0);
  g_assert_cmpint (g_mkdir (conf_path, 0700), ==, 0);
  gtk_widget_activate_action (editor, "editor.save", NULL);
  g_assert_nonnull (strstr (get_editor_error (editor), conf_path));
  g_assert_cmpstr (cryo_device_get_name (device), ==, "Load lock");
  g_assert_true (find_editor (dialog) == editor);

  gtk_window_destroy (dialog);
  close_app_window (app, window);
  g_rmdir (conf_path);
}

static gboolean
is_text_starting_with (GtkWidget     *widget,
                       gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Shown;

/* A label shows @text (what is drawn, not its markup), e.g. in a toast. */
static gboolean
text_shown (gpointer data)
{
  Shown *shown = data;

  return find_widget (shown->root, is_text_starting_with, shown->text) != NULL;
}

/* The label is laid out on screen with room for all of its text. */
static gboolean
label_drawn_whole (gpointer data)
{
  GtkWidget *label = data;

  return gtk_widget_get_mapped (label) && gtk_widget_get_width (label) > 0 &&
         !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label)));
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* A device named "R&D <run 3>", a file and folder named after it: toasts,
 * dialogs and labels show the name as typed, never as markup (which
 * blanked toasts, and fails the test through GTK's warning). An export
 * through the window's own asynchronous path says where the file went, with
 * a button that opens its folder. */
static void
test_names_shown_literally (void)
{
  static const char name[] = "R&D <run 3>";
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = cryo_sim_cpa_server_new (&options);
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_device_config_free);
  g_autoptr(CryoApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryomon-ui-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (dir, name, NULL);
  g_autofree char *csv = g_build_filename (folder, "R&D <run 3>.csv", NULL);
  g_autofree char *missing = g_build_filename (folder, "missing", "run.csv", NULL);
  g_autofree char *folder_uri = NULL;
  g_autofree char *heading = g_strdup_printf ("Start Compressor on %s?", name);
  g_autofree char *accepted = g_strdup_printf ("Start Compressor: accepted by %s", name);
  g_autofree char *alarm = g_strdup_printf ("%s: alarm: ", name);
  CryoDeviceConfig *config;
  GtkWindow *window, *dialog;
  GtkWidget *panel, *label, *button;
  GVariant *target;
  Shown shown;

  g_assert_true (cryo_sim_server_start_tcp (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  spec = g_strdup_printf ("cpa:tcp:127.0.0.1:%u,name=%s", cryo_sim_server_get_port (server), name);
  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  g_ptr_array_add (configs, config);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);

  app = cryo_application_new (configs, FALSE, NULL);
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.NamesTest");
  /* Memory only: the tests of the archive have their own files. */
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);
  iterate_until (compressor_online, cryo_session_get_devices (cryo_application_get_session (app)), 10000);
  shown.root = GTK_WIDGET (window);

  /* The sidebar and the panel. */
  g_assert_true (sidebar_shows (GTK_WIDGET (window), name));
  panel = find_widget (GTK_WIDGET (window), is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_PANEL));
  g_assert_nonnull (find_widget (panel, is_label_showing, name));

  /* The confirmation names the device as typed. */
  iterate_until (start_enabled, panel, 5000);
  gtk_widget_activate_action (panel, "device.run", "s", "start");
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, heading);
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_label_showing, heading));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "start");
  gtk_window_destroy (dialog);

  /* The accepted action's toast, then an alarm's. */
  shown.text = accepted;
  iterate_until (text_shown, &shown, 10000);
  cryo_sim_cpa_server_set_alarms (server, 1u << 6);
  shown.text = alarm;
  iterate_until (text_shown, &shown, 15000);

  /* An export through the window's worker-thread path: the toast names the
   * file and opens its folder. */
  cryo_window_export (CRYO_WINDOW (window), csv);
  shown.text = "Exported to R&D <run 3>.csv";
  iterate_until (text_shown, &shown, 15000);
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
  label = find_widget (GTK_WIDGET (window), is_text_starting_with, shown.text);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, shown.text);
  /* Shown, not just held: a blank toast had its text too. */
  iterate_until (label_drawn_whole, label, 5000);
  button = find_widget (gtk_widget_get_parent (label), is_button_labelled, "Open Folder");
  if (button == NULL)
    button = find_widget (gtk_widget_get_parent (gtk_widget_get_parent (label)),
                          is_button_labelled, "Open Folder");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.open-folder");
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  folder_uri = g_filename_to_uri (folder, NULL, NULL);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, folder_uri);

  /* A failed export says why in a dialog, the path as it is. */
  cryo_window_export (CRYO_WINDOW (window), missing);
  iterate_until (message_dialog_shown, NULL, 10000);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Export Failed");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), missing));
  shown.root = GTK_WIDGET (dialog);
  shown.text = "Could not write";
  g_assert_true (text_shown (&shown));
  label = find_widget (GTK_WIDGET (dialog), is_text_starting_with, shown.text);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), missing));
  gtk_window_destroy (dialog);

  close_app_window (app, window);
  cryo_sim_server_stop (server);
  g_unlink (csv);
  g_rmdir (folder);
  g_rmdir (dir);
}

/* A serial instrument behind a serial device server opens in the editor on
 * the network, and saving it unchanged keeps its tcp: port. */
static void
test_device_server_in_editor (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, FALSE, NULL);
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), "cryomon", NULL);
  g_autofree char *conf_path = g_build_filename (folder, "devices.conf", NULL);
  g_autofree char *conf = NULL;
  GtkWindow *window, *dialog;
  GtkWidget *editor, *row;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (conf_path,
                                      "[Behind NPort]\ntype=pump-station\nport=tcp:127.0.0.1:1\n",
                                      -1, NULL));

  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.ServerTest");
  /* Memory only: the tests of the archive have their own files. */
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.devices", NULL);
  dialog = find_toplevel (CRYO_TYPE_DEVICES_DIALOG);
  g_assert_nonnull (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "devices.edit", "u", 0);
  editor = find_editor (dialog);
  g_assert_nonnull (editor);

  row = find_editor_row (editor, "Interface");
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (row))), ==,
                   "Network (serial device server)");
  row = find_editor_row (editor, "Host name or IP address");
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "127.0.0.1");

  gtk_widget_activate_action (editor, "editor.save", NULL);
  iterate_until (editor_closed, dialog, 5000);
  conf = read_file (conf_path);
  g_assert_nonnull (strstr (conf, "port=tcp:127.0.0.1:1\n"));

  gtk_window_destroy (dialog);
  close_app_window (app, window);
  g_unlink (conf_path);
}

static gboolean
status_starts_with (gpointer data)
{
  AdwActionRow *row = data;
  const char *prefix = g_object_get_data (G_OBJECT (row), "test-prefix");

  return g_str_has_prefix (adw_action_row_get_subtitle (row), prefix);
}

static void
wait_for_status (AdwActionRow *row,
                 const char   *prefix)
{
  g_object_set_data_full (G_OBJECT (row), "test-prefix", g_strdup (prefix), g_free);
  iterate_until (status_starts_with, row, 5000);
}

/* Preferences > Metrics: the switch serves, the status row says where,
 * an address that is not one says why it does not. */
static void
test_metrics_preferences (void)
{
  /* Settings of its own: an application of an earlier test that is still
   * around would follow the process's and take the port first. */
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APP_ID, backend);
  g_autoptr(GListStore) devices = g_list_store_new (CRYO_TYPE_DEVICE);
  g_autoptr(CryoMetricsServer) server = cryo_metrics_server_new (G_LIST_MODEL (devices), settings);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *serving = NULL;
  GtkWindow *preferences;
  GtkWidget *enable_row, *address_row, *status_row;
  guint16 port;

  /* A port nothing listens on. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  g_settings_set_uint (settings, "metrics-port", port);

  /* What the application's Preferences action opens. */
  preferences = GTK_WINDOW (cryo_preferences_window_new (settings, server));
  gtk_window_present (preferences);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (preferences));

  enable_row = find_widget (GTK_WIDGET (preferences), is_row_titled, "Serve Metrics");
  address_row = find_widget (GTK_WIDGET (preferences), is_row_titled, "Address");
  status_row = find_widget (GTK_WIDGET (preferences), is_row_titled, "Status");
  g_assert_true (ADW_IS_EXPANDER_ROW (enable_row));
  g_assert_true (ADW_IS_ENTRY_ROW (address_row));
  g_assert_true (ADW_IS_ACTION_ROW (status_row));

  /* Off by default, on this computer only when on. */
  g_assert_false (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (enable_row)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address_row)), ==, "127.0.0.1");
  wait_for_status (ADW_ACTION_ROW (status_row), "Not serving");

  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (enable_row), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "metrics-enabled"));
  serving = g_strdup_printf ("Serving at http://127.0.0.1:%u/metrics", port);
  wait_for_status (ADW_ACTION_ROW (status_row), serving);
  g_assert_cmpstr (cryo_metrics_server_get_uri (server), ==, serving + strlen ("Serving at "));

  /* The address is taken when applied. */
  gtk_editable_set_text (GTK_EDITABLE (address_row), "lab-pc-7");
  {
    g_autofree char *address = g_settings_get_string (settings, "metrics-address");

    g_assert_cmpstr (address, ==, "127.0.0.1");
  }
  g_signal_emit_by_name (address_row, "apply");
  wait_for_status (ADW_ACTION_ROW (status_row), "The metrics address must be ADDRESS:PORT");
  g_assert_null (cryo_metrics_server_get_uri (server));

  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (enable_row), FALSE);
  wait_for_status (ADW_ACTION_ROW (status_row), "Not serving");

  /* Maintenance: the warning's lead time, and a row per service interval
   * that writes its entry of the dictionary. */
  {
    GtkWidget *lead = find_widget (find_widget (GTK_WIDGET (preferences), is_row_titled, "Warning lead time"),
                                   is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));
    g_autofree char *title = g_strdup_printf ("%s: %s", cryo_device_kind_get_title (&cryo_compressor_kind),
                                              "Hours of operation");
    GtkWidget *interval = find_widget (find_widget (GTK_WIDGET (preferences), is_row_titled, title),
                                       is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));
    g_autoptr(GVariant) intervals = NULL;
    guint32 hours = 0;

    g_assert_nonnull (lead);
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (lead)), ==, 14);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (lead), 30);
    g_assert_cmpuint (g_settings_get_uint (settings, "service-lead-days"), ==, 30);
    g_settings_reset (settings, "service-lead-days");

    g_assert_nonnull (interval);
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (interval)), ==, 30000);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (interval), 25000);
    intervals = g_settings_get_value (settings, "service-intervals");
    g_assert_true (g_variant_lookup (intervals, "cpa.hours", "u", &hours));
    g_assert_cmpuint (hours, ==, 25000);
    g_settings_reset (settings, "service-intervals");
  }

  g_object_ref (preferences);
  gtk_window_destroy (preferences);
  g_assert_finalize_object (preferences);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/window/demo", test_demo_window);
  g_test_add_func ("/window/connect-compressor", test_connect_compressor);
  g_test_add_func ("/window/devices-file", test_devices_file);
  g_test_add_func ("/window/device-server-in-editor", test_device_server_in_editor);
  g_test_add_func ("/window/names-shown-literally", test_names_shown_literally);
  g_test_add_func ("/window/metrics-preferences", test_metrics_preferences);

  return g_test_run ();
}
