/* test-accessibility.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control of the demo window, of each device's panel and of every
 * dialog has a name a screen reader can say: an accessible label of its
 * own, or a label it is labelled by. Widgets inside a composite control
 * (the toggle inside a menu button, the text inside an entry) are the
 * composite's business and are not walked.
 *
 * Tab from the top of the window reaches every device row, legend toggle,
 * plot and Event Log filter, and stops only on named controls; a plot's
 * description says what it shows.
 */

#include "config.h"

#include <adwaita.h>

#include "cryo-application.h"
#include "cryo-cti-pump.h"
#include "cryo-cti-regen-dialog.h"
#include "cryo-device-editor.h"
#include "cryo-device-row.h"
#include "cryo-devices-dialog.h"
#include "cryo-event-log-view.h"
#include "cryo-export-dialog.h"
#include "cryo-preferences-window.h"
#include "cryo-thresholds-dialog.h"
#include "cryo-trend-plot.h"
#include "cryo-trend-view.h"
#include "cryo-window.h"
#include "test-gui-util.h"

/* A non-empty accessible label. GTK 4.8 has no getter for a property's
 * value; comparing with "" tells an empty one apart. */
static gboolean
has_label (GtkWidget *widget)
{
  g_autofree char *differs = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return differs != NULL;
}

static gboolean
has_name (GtkWidget *widget)
{
  return has_label (widget)
         || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* What an operator reaches with Tab or a click and must hear named. */
static gboolean
is_control (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX_ROW (widget))
    {
      GtkWidget *list = gtk_widget_get_parent (widget);

      return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget))
             || (GTK_IS_LIST_BOX (list)
                 && gtk_list_box_get_selection_mode (GTK_LIST_BOX (list)) != GTK_SELECTION_NONE
                 && gtk_list_box_row_get_selectable (GTK_LIST_BOX_ROW (widget)));
    }

  return GTK_IS_BUTTON (widget)
         || GTK_IS_MENU_BUTTON (widget)
         || ADW_IS_SPLIT_BUTTON (widget)
         || GTK_IS_CHECK_BUTTON (widget)
         || GTK_IS_SWITCH (widget)
         || GTK_IS_DROP_DOWN (widget)
         || GTK_IS_SPIN_BUTTON (widget)
         || GTK_IS_ENTRY (widget)
         || GTK_IS_SEARCH_ENTRY (widget)
         || GTK_IS_PASSWORD_ENTRY (widget)
         || GTK_IS_SCALE (widget)
         || GTK_IS_TEXT_VIEW (widget)
         || CRYO_IS_TREND_PLOT (widget)
         /* A combo row's list of the current choice is not one. */
         || ((GTK_IS_COLUMN_VIEW (widget) || GTK_IS_LIST_VIEW (widget))
             && gtk_widget_get_can_focus (widget));
}

/* Controls built of controls: they carry the name. */
static gboolean
is_composite (GtkWidget *widget)
{
  return GTK_IS_MENU_BUTTON (widget)
         || ADW_IS_SPLIT_BUTTON (widget)
         || GTK_IS_DROP_DOWN (widget)
         || GTK_IS_SPIN_BUTTON (widget)
         || GTK_IS_ENTRY (widget)
         || GTK_IS_SEARCH_ENTRY (widget)
         || GTK_IS_PASSWORD_ENTRY (widget)
         || GTK_IS_POPOVER (widget)
         || ADW_IS_ENTRY_ROW (widget)
         || GTK_IS_COLUMN_VIEW (widget)
         || GTK_IS_LIST_VIEW (widget)
         || GTK_IS_SCROLLBAR (widget);
}

/* The text an operator sees nearest to @widget, to say which one. */
static char *
describe (GtkWidget *widget)
{
  GString *path = g_string_new (G_OBJECT_TYPE_NAME (widget));

  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    {
      g_string_prepend (path, " > ");
      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (ADW_IS_PREFERENCES_ROW (w))
        {
          g_string_append_printf (path, " (row \"%s\")", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)));
          break;
        }
    }
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (path, " (icon %s)", gtk_button_get_icon_name (GTK_BUTTON (widget)));
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL)
    g_string_append_printf (path, " (icon %s)", gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)));

  return g_string_free (path, FALSE);
}

/* Hidden widgets are skipped: an expander row's enable switch it does not
 * show, for one. The pages of a stack are all walked. */
static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *unnamed)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (is_control (widget) && !has_name (widget))
    g_ptr_array_add (unnamed, describe (widget));

  if (is_composite (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed);
}

/* Every control under @root named; lists the ones that are not. */
static void
assert_all_named (GtkWidget  *root,
                  const char *what)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  collect_unnamed (root, unnamed);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("%s: no accessible name: %s", what, (char *) unnamed->pdata[i]);
  /* All of them listed, then the test fails. */
  if (unnamed->len > 0)
    g_test_fail_printf ("%s: %u controls without an accessible name", what, unnamed->len);
}

static gboolean
toplevel_shown (gpointer type)
{
  GtkWindow *window = find_toplevel (GPOINTER_TO_SIZE (type));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

/* Opens a dialog through @action (as the menu or a button would), walks it
 * and closes it. */
static void
assert_dialog_named (GtkWidget  *window,
                     const char *action,
                     GVariant   *parameter,
                     GType       type)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action_variant (window, action, parameter));
  iterate_until (toplevel_shown, GSIZE_TO_POINTER (type), 5000);
  dialog = find_toplevel (type);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  assert_all_named (GTK_WIDGET (dialog), action);
  gtk_window_destroy (dialog);
}

static void
assert_window_and_dialogs_named (CryoApplication *app,
                                 GtkWindow       *window)
{
  CryoSession *session = cryo_application_get_session (app);
  GListModel *devices = cryo_session_get_devices (session);

  /* The window with every device's panel: the stack holds them all. */
  g_assert_cmpuint (g_list_model_get_n_items (devices), >=, 5);
  assert_all_named (GTK_WIDGET (window), "window");

  /* Each dialog an operator can open from the window. */
  assert_dialog_named (GTK_WIDGET (window), "app.preferences", NULL, CRYO_TYPE_PREFERENCES_WINDOW);
  assert_dialog_named (GTK_WIDGET (window), "win.export", NULL, CRYO_TYPE_EXPORT_DIALOG);
  assert_dialog_named (GTK_WIDGET (window), "win.devices", NULL, CRYO_TYPE_DEVICES_DIALOG);
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, i);

      assert_dialog_named (GTK_WIDGET (window), "win.thresholds",
                           g_variant_new_string (cryo_device_get_id (device)),
                           CRYO_TYPE_THRESHOLDS_DIALOG);
    }

  /* The CTI pump's regeneration settings. */
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, i);
      GtkWindow *dialog;

      if (cryo_device_get_kind (device) != &cryo_cti_pump_kind)
        continue;
      dialog = GTK_WINDOW (cryo_cti_regen_dialog_new (device));
      gtk_window_present (dialog);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
      assert_all_named (GTK_WIDGET (dialog), "regeneration dialog");
      gtk_window_destroy (dialog);
    }

  /* The device editor for a new device, with each kind's settings. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    GtkWidget *editor_window = gtk_window_new ();
    CryoDeviceEditor *editor = cryo_device_editor_new (session, settings, -1);
    AdwComboRow *kind_row;
    guint n_kinds;

    gtk_window_set_child (GTK_WINDOW (editor_window), GTK_WIDGET (editor));
    gtk_window_present (GTK_WINDOW (editor_window));
    kind_row = ADW_COMBO_ROW (find_widget (editor_window, is_row_titled, "Type"));
    n_kinds = g_list_model_get_n_items (adw_combo_row_get_model (kind_row));
    g_assert_cmpuint (n_kinds, >=, 5);
    for (guint i = 0; i < n_kinds; i++)
      {
        g_autofree char *what = g_strdup_printf ("device editor, type %u", i);

        adw_combo_row_set_selected (kind_row, i);
        gtk_test_widget_wait_for_draw (editor_window);
        assert_all_named (editor_window, what);
      }
    gtk_window_destroy (GTK_WINDOW (editor_window));
  }
}

/* The nearest control at or above @widget: what a screen reader names
 * when @widget has the focus (the text inside an entry, the toggle inside
 * a menu button). */
static GtkWidget *
focus_control (GtkWidget *widget)
{
  GtkWidget *control = NULL;

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (is_control (w))
      control = w;
    else if (control != NULL)
      break;

  return control;
}

static gboolean
plot_has_description (gpointer plot)
{
  return gtk_test_accessible_has_property (plot, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Tab from the top of the window to its end: every stop is a control with
 * a name, and the legend toggles, the plots and the Event Log's filters are
 * among them. */
static void
assert_tab_order (GtkWindow   *window,
                  CryoSession *session)
{
  g_autoptr(GPtrArray) stops = g_ptr_array_new ();
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *view, *plot;
  guint n_legend = 0, n_plots = 0, n_events = 0, n_rows = 0;

  gtk_window_set_focus (window, NULL);
  for (guint i = 0; i < 400; i++)
    {
      GtkWidget *focus, *control;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        break;
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      /* Round once: back at the first stop. */
      if (g_ptr_array_find (stops, focus, NULL))
        break;
      g_ptr_array_add (stops, focus);

      control = focus_control (focus);
      /* A selectable label (a reading, to copy) is named by its text. */
      if (control == NULL && GTK_IS_LABEL (focus) && gtk_label_get_text (GTK_LABEL (focus))[0] != '\0')
        continue;
      if (control == NULL || !has_name (control))
        g_ptr_array_add (unnamed, describe (focus));
      else if (gtk_widget_has_css_class (control, "cryo-legend-toggle"))
        n_legend++;
      else if (CRYO_IS_TREND_PLOT (control))
        n_plots++;
      else if (CRYO_IS_DEVICE_ROW (control))
        n_rows++;
      else if (gtk_widget_get_ancestor (control, CRYO_TYPE_EVENT_LOG_VIEW) != NULL)
        n_events++;
    }
  g_test_message ("%u focus stops: %u devices, %u legend toggles, %u plots, %u in the Event Log",
                  stops->len, n_rows, n_legend, n_plots, n_events);

  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("focus stop without an accessible name: %s", (char *) unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 0);

  /* Every device in the sidebar; the pumping station's pressure plot: two
   * or more series, each with a toggle; its stacked plot below; the Event
   * Log's four filters, search, export and list. */
  g_assert_cmpuint (n_rows, ==, g_list_model_get_n_items (cryo_session_get_devices (session)));
  g_assert_cmpuint (n_legend, >=, 2);
  g_assert_cmpuint (n_plots, >=, 2);
  g_assert_cmpuint (n_events, >=, 7);

  /* A plot's description says what it shows, within the trend view's
   * once-a-second update. */
  view = find_widget (GTK_WIDGET (window), is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_TREND_VIEW));
  plot = find_widget (view, is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_TREND_PLOT));
  g_assert_nonnull (plot);
  iterate_until (plot_has_description, plot, 5000);

  gtk_window_set_focus (window, NULL);
}

/* One application for all of it: a second in the same process could not
 * register on the bus while the first is still exported. */
static void
test_accessibility (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE, NULL);
  GtkWindow *window;

  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);

  /* Wide enough for the sidebar, the panel and the trends side by side. */
  resize_window (window, 1400, 900);

  /* The Event Log pane open: its filters are walked too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-events", NULL));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  assert_tab_order (window, cryo_application_get_session (app));
  assert_window_and_dialogs_named (app, window);

  close_app_window (app, window);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  g_test_add_func ("/accessibility/window", test_accessibility);

  return g_test_run ();
}
