/* test-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo window at the sizes an operator's screens have: nothing
 * vanishes at 800×600 or 360 px wide (the sidebar folds away, the panel
 * and the plots take turns and scroll, a plot keeps its axis labels), and
 * at 1920×1080 the plots take the width. (That every control has a name
 * a screen reader can say is test-accessibility's.)
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cryo-application.h"
#include "cryo-device-panel.h"
#include "cryo-device-row.h"
#include "cryo-trend-plot.h"
#include "cryo-trend-view.h"
#include "cryo-window.h"
#include "test-gui-util.h"

static GtkWidget *
find_leaflet (GtkWidget *window,
              gboolean   outer)
{
  GtkWidget *leaflet = find_widget (window, is_of_type, GSIZE_TO_POINTER (ADW_TYPE_LEAFLET));

  g_assert_nonnull (leaflet);
  if (outer)
    return leaflet;

  leaflet = find_widget (adw_leaflet_get_child_by_name (ADW_LEAFLET (leaflet), "content"),
                         is_of_type, GSIZE_TO_POINTER (ADW_TYPE_LEAFLET));
  g_assert_nonnull (leaflet);
  return leaflet;
}

static GtkWidget *
shown_panel (GtkWidget *window)
{
  GtkWidget *panel = find_widget (window, is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_PANEL));

  g_assert_nonnull (panel);
  return gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (panel)));
}

/* Shown, with room: mapped, at least @min_width wide, inside the window
 * (not pushed past its right edge), and inside a scrolled window. */
static void
assert_shown_and_scrolls (GtkWidget *widget,
                          GtkWidget *window,
                          int        min_width)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_cmpint (gtk_widget_get_width (widget), >=, min_width);
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));
  g_assert_nonnull (gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW));
}

/* Its y axis labels drawn, and room left for the data. */
static void
assert_plot_readable (CryoTrendPlot *plot,
                      GtkWidget     *window)
{
  double axis_width;

  assert_shown_and_scrolls (GTK_WIDGET (plot), window, 180);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (plot));
  g_object_get (plot, "axis-width", &axis_width, NULL);
  g_assert_cmpfloat (axis_width, >, 10);
  g_assert_cmpfloat (gtk_widget_get_width (GTK_WIDGET (plot)) - axis_width, >=, 120);
}

/* Every button of the header bar lies inside the window. */
static void
assert_header_fits (GtkWidget *window)
{
  GtkWidget *header = find_widget (window, is_of_type, GSIZE_TO_POINTER (ADW_TYPE_HEADER_BAR));
  GtkWidget *buttons[] = {
    find_widget (header, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON)),
    find_widget (header, has_css_class, "close"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      graphene_rect_t bounds;

      g_assert_nonnull (buttons[i]);
      g_assert_true (gtk_widget_get_mapped (buttons[i]));
      g_assert_true (gtk_widget_compute_bounds (buttons[i], window, &bounds));
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));
    }
}

static CryoTrendPlot *
pressure_plot (GtkWidget *window)
{
  GtkWidget *view = find_widget (window, is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_TREND_VIEW));

  g_assert_nonnull (view);
  return cryo_trend_view_get_plot (CRYO_TREND_VIEW (view), CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG);
}

static gboolean
plot_has_axis (gpointer data)
{
  double axis_width;

  g_object_get (data, "axis-width", &axis_width, NULL);
  return axis_width > 0;
}

/* How many lines @label takes as it is allocated now. */
static int
n_lines (GtkWidget *label)
{
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_true (gtk_widget_get_mapped (label));
  return pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (label)));
}

static gboolean
state_detail_shown (gpointer root)
{
  GtkWidget *detail = find_widget (root, has_css_class, "cryo-state-detail");

  return detail != NULL && gtk_widget_get_visible (detail);
}

static void
show_device (GtkWidget *window,
             int        index)
{
  GtkWidget *list = find_widget (window, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_BOX));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), index);

  g_signal_emit_by_name (row, "activate");
  gtk_test_widget_wait_for_draw (window);
}

/* Long texts in the narrow panel at 1400×900 keep to two lines: a counter's
 * title beside its Service Done (it took three), and a cryopump's state,
 * whose valve and thermocouple details go in smaller text under it (all of
 * it large took six). */
static void
assert_panel_text_fits (GtkWidget *widget)
{
  GtkWidget *panel, *row, *state, *detail;

  show_device (widget, 0);
  panel = shown_panel (widget);
  row = find_widget (panel, is_row_titled, "Tip seal since service");
  g_assert_nonnull (row);
  g_assert_nonnull (find_widget (row, is_button_labelled, "Service _Done"));
  g_assert_cmpint (n_lines (find_widget (row, is_label_with_text, "Tip seal since service")), <=, 2);

  show_device (widget, 3);
  panel = shown_panel (widget);
  iterate_until (state_detail_shown, panel, 10000);
  gtk_test_widget_wait_for_draw (widget);
  state = find_widget (panel, has_css_class, "cryo-state-value");
  detail = find_widget (panel, has_css_class, "cryo-state-detail");
  g_test_message ("cryopump state: %s / %s", gtk_label_get_label (GTK_LABEL (state)),
                  gtk_label_get_label (GTK_LABEL (detail)));
  g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (state)), " · "));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (detail)), "Pump o"));
  g_assert_cmpint (n_lines (state), <=, 2);

  show_device (widget, 0);
}

static void
test_layout_sizes (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE, NULL);
  GtkWindow *window;
  GtkWidget *widget;
  GtkWidget *leaflet, *content_leaflet, *switcher, *panel_toggle, *trends_toggle;
  CryoTrendPlot *plot;

  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);
  widget = GTK_WIDGET (window);

  leaflet = find_leaflet (widget, TRUE);
  content_leaflet = find_leaflet (widget, FALSE);
  plot = pressure_plot (widget);
  g_assert_nonnull (plot);
  panel_toggle = find_widget (widget, is_button_labelled, "_Readings");
  trends_toggle = find_widget (widget, is_button_labelled, "_Trends");
  g_assert_nonnull (panel_toggle);
  g_assert_nonnull (trends_toggle);
  switcher = gtk_widget_get_parent (panel_toggle);

  /* 1400×900: sidebar, panel and plots side by side. */
  resize_window (window, 1400, 900);
  iterate_until (plot_has_axis, plot, 5000);
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (content_leaflet)));
  assert_shown_and_scrolls (shown_panel (widget), widget, 280);
  assert_plot_readable (plot, widget);
  assert_header_fits (widget);
  assert_panel_text_fits (widget);

  /* The Event Log under the plots: its filters wrap, the sidebar stays. */
  g_assert_true (gtk_widget_activate_action (widget, "win.show-events", NULL));
  resize_window (window, 1400, 900);
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (content_leaflet)));
  g_assert_true (gtk_widget_activate_action (widget, "win.show-events", NULL));
  resize_window (window, 1400, 900);

  /* 800×600: the sidebar folds away, the panel and the plots stay side by
   * side, each scrolling. */
  resize_window (window, 800, 600);
  g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (leaflet)), ==, "content");
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (content_leaflet)));
  g_assert_false (gtk_widget_get_mapped (switcher));
  assert_shown_and_scrolls (shown_panel (widget), widget, 280);
  assert_plot_readable (plot, widget);
  assert_header_fits (widget);

  /* The back button brings the sidebar, a device brings its panel. */
  g_assert_true (gtk_widget_activate_action (widget, "win.show-devices", NULL));
  resize_window (window, 800, 600);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (leaflet)), ==, "sidebar");
  {
    GtkWidget *list = find_widget (widget, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_BOX));
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1);

    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
    g_signal_emit_by_name (row, "activate");
    resize_window (window, 800, 600);
    g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (leaflet)), ==, "content");
    g_assert_true (cryo_device_panel_get_device (CRYO_DEVICE_PANEL (shown_panel (widget)))
                   == cryo_device_row_get_device (CRYO_DEVICE_ROW (row)));
  }

  /* 360 px wide: the panel and the plots take turns. */
  resize_window (window, 360, 640);
  g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (content_leaflet)));
  g_assert_true (gtk_widget_get_mapped (switcher));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (content_leaflet)), ==, "panel");
  assert_shown_and_scrolls (shown_panel (widget), widget, 280);
  assert_header_fits (widget);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (trends_toggle), TRUE);
  resize_window (window, 360, 640);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (content_leaflet)), ==, "trends");
  assert_plot_readable (plot, widget);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (panel_toggle), TRUE);
  resize_window (window, 360, 640);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (content_leaflet)), ==, "panel");

  /* 1920×1080: the plots take the width the panel does not need. */
  resize_window (window, 1920, 1080);
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (content_leaflet)));
  g_assert_false (gtk_widget_get_mapped (switcher));
  assert_shown_and_scrolls (shown_panel (widget), widget, 280);
  assert_plot_readable (plot, widget);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (plot)), >, 1920 / 2);
  g_assert_cmpint (gtk_widget_get_width (shown_panel (widget)), <=, 1920 / 4);

  close_app_window (app, window);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  /* A leaflet folds at once, not after a 250 ms transition. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* GNOME's and phones' title buttons, whatever the X server's defaults. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  g_test_add_func ("/layout/sizes", test_layout_sizes);

  return g_test_run ();
}
