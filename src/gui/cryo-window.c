/* cryo-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-csv.h"
#include "cryo-device.h"
#include "cryo-device-panel.h"
#include "cryo-device-row.h"
#include "cryo-devices-dialog.h"
#include "cryo-event-log-view.h"
#include "cryo-status.h"
#include "cryo-trend-view.h"
#include "cryo-export-dialog.h"
#include "cryo-thresholds-dialog.h"
#include "cryo-window.h"

struct _CryoWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  CryoSession          *session;
  GListModel           *devices;
  GHashTable           *panels;     /* CryoDevice → its panel */
  guint                 n_panels;
  guint                 layout_idle;

  /* Template widgets */
  GtkWidget            *back_button;
  GtkToggleButton      *monitoring_button;
  AdwButtonContent     *monitoring_content;
  AdwButtonContent     *export_content;
  AdwButtonContent     *events_content;
  GtkRevealer          *banner_revealer;
  GtkWidget            *banner;
  GtkLabel             *banner_label;
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *device_list;
  AdwLeaflet           *content_leaflet;
  GtkStack             *panel_stack;
  GtkPaned             *events_paned;
  CryoTrendView        *trend_view;
  CryoEventLogView     *event_log_view;

  guint                 events_placed : 1;
  GtkWidget            *switcher;
  GtkToggleButton      *panel_toggle;
  GtkToggleButton      *trends_toggle;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SETTINGS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CryoWindow, cryo_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties [N_PROPS];

static gboolean
cryo_window_get_monitoring (CryoWindow *self)
{
  guint n = g_list_model_get_n_items (self->devices);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (self->devices, i);

      if (cryo_device_get_monitoring (device))
        return TRUE;
    }

  return FALSE;
}

/* The sidebar folded away: the header bar's buttons show their icons
 * only, so that the window can narrow further, to a phone's width. */
static gboolean
cryo_window_get_compact (CryoWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet);
}

static void
cryo_window_update_monitoring (CryoWindow *self)
{
  gboolean monitoring = cryo_window_get_monitoring (self);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "monitoring");
  const char *label = monitoring ? _("Stop Monitoring") : _("Start Monitoring");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (monitoring));

  /* The seed's two buttons, as one toggle that says what it will do; on a
   * narrow window by its icon, its tooltip and its accessible name. */
  adw_button_content_set_label (self->monitoring_content,
                                cryo_window_get_compact (self) ? "" : label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->monitoring_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_button_content_set_icon_name (self->monitoring_content,
                                    monitoring ? "media-playback-stop-symbolic"
                                               : "media-playback-start-symbolic");
}

static GtkWidget *
create_device_row_cb (gpointer item,
                      gpointer user_data)
{
  CryoWindow *self = user_data;

  return GTK_WIDGET (cryo_device_row_new (CRYO_DEVICE (item), cryo_session_get_conditions (self->session)));
}

static void
on_device_list_row_selected_cb (CryoWindow    *self,
                                GtkListBoxRow *row,
                                GtkListBox    *list)
{
  CryoDevice *device;
  GtkWidget *panel;

  if (row == NULL)
    return;

  device = cryo_device_row_get_device (CRYO_DEVICE_ROW (row));
  panel = g_hash_table_lookup (self->panels, device);
  if (panel != NULL)
    gtk_stack_set_visible_child (self->panel_stack, panel);
}

/* The position in the device list of the device whose id is @id, or -1
 * when no device has it (removed since). */
static int
find_device_position (CryoWindow *self,
                      const char *id)
{
  guint n = g_list_model_get_n_items (self->devices);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (self->devices, i);

      if (g_str_equal (cryo_device_get_id (device), id))
        return (int) i;
    }

  return -1;
}

/* Selects the row of the device whose id is @parameter, which shows its
 * panel; an id no device has (removed since) changes nothing. */
static void
cryo_window_show_device_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  CryoWindow *self = user_data;
  int position = find_device_position (self, g_variant_get_string (parameter, NULL));

  if (position >= 0)
    gtk_list_box_select_row (self->device_list, gtk_list_box_get_row_at_index (self->device_list, position));
}

/* Opens the thresholds dialog of the device whose id is @parameter. */
static void
cryo_window_thresholds_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  CryoWindow *self = user_data;
  int position = find_device_position (self, g_variant_get_string (parameter, NULL));
  g_autoptr(CryoDevice) device = NULL;
  CryoThresholdsDialog *dialog;

  if (position < 0)
    return;

  device = g_list_model_get_item (self->devices, position);
  dialog = cryo_thresholds_dialog_new (self->session, device);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_device_list_row_activated_cb (CryoWindow    *self,
                                 GtkListBoxRow *row,
                                 GtkListBox    *list)
{
  /* On a narrow window the chosen device's panel takes the sidebar's place. */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  adw_leaflet_set_visible_child_name (self->content_leaflet, "panel");
}

/* The back button of a window too narrow for the sidebar. */
static void
cryo_window_show_devices_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  CryoWindow *self = user_data;

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
}

static void
on_switcher_toggled_cb (CryoWindow      *self,
                        GtkToggleButton *toggle)
{
  if (!gtk_toggle_button_get_active (toggle))
    return;

  adw_leaflet_set_visible_child_name (self->content_leaflet,
                                      toggle == self->trends_toggle ? "trends" : "panel");
}

/* Whatever folds or unfolds, and whichever page a swipe brought, the
 * header bar and the switcher follow. */
static gboolean
cryo_window_update_layout (gpointer user_data)
{
  CryoWindow *self = user_data;
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  gboolean compact = cryo_window_get_compact (self);
  const char *page = adw_leaflet_get_visible_child_name (self->leaflet);
  const char *content_page = adw_leaflet_get_visible_child_name (self->content_leaflet);

  self->layout_idle = 0;

  gtk_widget_set_visible (self->back_button, folded && g_strcmp0 (page, "sidebar") != 0);
  gtk_widget_set_visible (self->switcher, adw_leaflet_get_folded (self->content_leaflet));
  gtk_toggle_button_set_active (g_strcmp0 (content_page, "trends") == 0 ? self->trends_toggle
                                                                        : self->panel_toggle,
                                TRUE);
  adw_button_content_set_label (self->export_content, compact ? "" : _("Export CSV"));
  adw_button_content_set_label (self->events_content, compact ? "" : _("Event Log"));
  if (self->devices != NULL)
    cryo_window_update_monitoring (self);

  return G_SOURCE_REMOVE;
}

/* A leaflet folds while it is being allocated: the widgets that follow
 * change in the next main-loop turn, not in the middle of the layout. */
static void
on_leaflet_layout_changed_cb (CryoWindow *self)
{
  /* The template's leaflets notify while it is still being built. */
  if (self->leaflet == NULL || self->content_leaflet == NULL || self->switcher == NULL)
    return;

  if (self->layout_idle == 0)
    self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, cryo_window_update_layout, self, NULL);
}

static void
cryo_window_devices_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  CryoWindow *self = user_data;
  CryoDevicesDialog *dialog = cryo_devices_dialog_new (self->session, self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_device_notify_monitoring_cb (CryoWindow *self)
{
  cryo_window_update_monitoring (self);
}

static AdwToast *new_toast (const char *title);

/* A newly raised alarm or error (an instrument's alarm, a threshold, a lost
 * connection, an action not confirmed) is told at once, whichever panel is
 * shown, with a button to its device: one path, the condition set's raise,
 * which also sends the desktop notification. */
static void
on_condition_raised_cb (CryoWindow       *self,
                        CryoCondition    *condition,
                        CryoConditionSet *set)
{
  CryoEventSeverity severity = cryo_condition_get_severity (condition);
  const char *name = cryo_condition_get_device_name (condition);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (name == NULL || *name == '\0')
    name = cryo_condition_get_device_id (condition);

  if (severity == CRYO_EVENT_SEVERITY_ALARM)
    /* Translators: "Helium compressor: alarm: Helium high" */
    title = g_strdup_printf (_("%s: alarm: %s"), name, cryo_condition_get_text (condition));
  else if (severity == CRYO_EVENT_SEVERITY_ERROR)
    /* Translators: "Helium compressor: error: No connection for more than 30 seconds" */
    title = g_strdup_printf (_("%s: error: %s"), name, cryo_condition_get_text (condition));
  else
    return;

  toast = new_toast (title);
  /* Translators: a toast's button that shows the device of an alarm */
  adw_toast_set_button_label (toast, _("Show"));
  adw_toast_set_action_name (toast, "win.show-device");
  adw_toast_set_action_target_value (toast, g_variant_new_string (cryo_condition_get_device_id (condition)));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
cryo_window_add_device (CryoWindow *self,
                        CryoDevice *device)
{
  GtkWidget *panel = GTK_WIDGET (cryo_device_panel_new_with_conditions (device, self->settings,
                                                                        cryo_session_get_conditions (self->session)));
  g_autofree char *name = NULL;

  /* A device replaced by one with the same id keeps no stale page name. */
  name = g_strdup_printf ("%s-%u", cryo_device_get_id (device), self->n_panels++);
  gtk_stack_add_named (self->panel_stack, panel, name);
  g_hash_table_insert (self->panels, g_object_ref (device), panel);
  cryo_trend_view_add_device (self->trend_view, device);

  g_signal_connect_object (device, "notify::monitoring",
                           G_CALLBACK (on_device_notify_monitoring_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
cryo_window_remove_device (CryoWindow *self,
                           CryoDevice *device)
{
  GtkWidget *panel = g_hash_table_lookup (self->panels, device);

  g_signal_handlers_disconnect_by_data (device, self);
  cryo_trend_view_remove_device (self->trend_view, device);
  if (panel != NULL)
    gtk_stack_remove (self->panel_stack, panel);
  g_hash_table_remove (self->panels, device);
}

static void
cryo_window_update_banner (CryoWindow *self)
{
  const char *config_error;
  const char *history_error;
  g_autofree char *text = NULL;
  gboolean demo;

  history_error = self->session ? cryo_session_get_history_error (self->session) : NULL;
  demo = self->session != NULL && cryo_session_get_demo (self->session);
  if (!demo && history_error == NULL)
    {
      gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
      return;
    }

  config_error = demo ? cryo_session_get_config_error (self->session) : NULL;
  if (config_error != NULL)
    {
      text = g_strdup_printf (_("Demo: simulated instruments. The configured devices could not be used: %s"),
                              config_error);
      gtk_widget_add_css_class (self->banner, "error");
    }
  else if (history_error != NULL)
    {
      text = g_strdup_printf ("%s%s", demo ? _("Demo: simulated instruments. ") : "", history_error);
      gtk_widget_add_css_class (self->banner, "error");
    }
  else
    {
      text = g_strdup (_("Demo: simulated instruments. Readings and commands go to built-in simulators, not to real hardware."));
      gtk_widget_remove_css_class (self->banner, "error");
    }

  gtk_label_set_label (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

/* Devices come and go (the demo's simulators replaced by a real station)
 * while the window stays: the others keep their panels and their trends. */
static void
on_devices_items_changed_cb (CryoWindow *self,
                             guint       position,
                             guint       removed,
                             guint       added,
                             GListModel *devices)
{
  if (removed > 0)
    {
      g_autoptr(GPtrArray) gone = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer device;
      guint n = g_list_model_get_n_items (devices);

      g_hash_table_iter_init (&iter, self->panels);
      while (g_hash_table_iter_next (&iter, &device, NULL))
        {
          gboolean present = FALSE;

          for (guint i = 0; i < n && !present; i++)
            {
              g_autoptr(CryoDevice) item = g_list_model_get_item (devices, i);
              present = item == device;
            }
          if (!present)
            g_ptr_array_add (gone, device);
        }

      for (guint i = 0; i < gone->len; i++)
        cryo_window_remove_device (self, g_ptr_array_index (gone, i));
    }

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, i);
      cryo_window_add_device (self, device);
    }

  if (gtk_list_box_get_selected_row (self->device_list) == NULL)
    gtk_list_box_select_row (self->device_list, gtk_list_box_get_row_at_index (self->device_list, 0));

  cryo_window_update_banner (self);
  cryo_window_update_monitoring (self);
}

static void
cryo_window_monitoring_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  CryoWindow *self = user_data;

  cryo_session_set_monitoring (self->session, !cryo_window_get_monitoring (self));
  cryo_window_update_monitoring (self);
}

static void
cryo_window_toast_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  cryo_window_add_toast (CRYO_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

/* win.record-service DEVICE-ID: a device panel's Service Done, once
 * confirmed there; the session records and saves it. */
static void
cryo_window_record_service_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  CryoWindow *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);
  guint n = g_list_model_get_n_items (self->devices);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (self->devices, i);
      g_autoptr(GError) error = NULL;

      if (!g_str_equal (cryo_device_get_id (device), id))
        continue;

      if (cryo_session_record_service (self->session, device, &error))
        {
          /* Translators: a toast, "Service of Compressor recorded" */
          g_autofree char *text = g_strdup_printf (_("Service of %s recorded"), cryo_device_get_name (device));

          cryo_window_add_toast (self, text);
        }
      else
        cryo_show_error_dialog (GTK_WIDGET (self), _("Service Not Recorded"), error->message);
      return;
    }
}

static void
cryo_window_live_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  CryoWindow *self = user_data;

  cryo_trend_view_follow_live (self->trend_view);
}

/* A toast with @title as plain text: libadwaita 1.2 reads toast titles as
 * Pango markup (adw_toast_set_use_markup() is 1.4), so device names and
 * error messages are escaped, and "R&D <run 3>" shows as typed. */
static AdwToast *
new_toast (const char *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  return toast;
}

/**
 * cryo_window_add_toast:
 * @self: a #CryoWindow
 * @title: what to tell the operator, as plain text (never markup)
 *
 * Shows a short message over the window.
 */
void
cryo_window_add_toast (CryoWindow *self,
                       const char *title)
{
  g_return_if_fail (CRYO_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, new_toast (title));
}

typedef struct
{
  CryoWindow *window;
  char       *uri;
} OpenFolder;

static void
open_folder_free (OpenFolder *open)
{
  g_object_unref (open->window);
  g_free (open->uri);
  g_free (open);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenFolder, open_folder_free)

static void
on_folder_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(OpenFolder) open = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    return;

  /* Where the file is matters more than why no file manager came up
   * ("no default application for inode/directory"). */
  folder = g_file_new_for_uri (open->uri);
  name = g_file_get_parse_name (folder);
  /* Translators: the folder, then GLib's reason */
  body = g_strdup_printf (_("The exported file is in %s.\n\n%s"), name, error->message);
  cryo_show_error_dialog (GTK_WIDGET (open->window), _("Could Not Open the Folder"), body);
}

/* GtkFileLauncher would do it, but is GTK 4.10; this is what GTK 4.8's
 * gtk_show_uri() does, with the error told to the operator. Inside the
 * Flatpak, GLib asks the OpenURI portal. */
static void
cryo_window_open_folder_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  CryoWindow *self = user_data;
  g_autoptr(GdkAppLaunchContext) context = NULL;
  OpenFolder *open = g_new0 (OpenFolder, 1);

  open->window = g_object_ref (self);
  open->uri = g_variant_dup_string (parameter, NULL);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (open->uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           on_folder_opened_cb, open);
}

typedef struct
{
  CryoWindow *window;
  char       *path;
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->window);
  g_free (export->path);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static void cryo_window_show_exported (CryoWindow *self,
                                       const char *path);

static void
on_export_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  CryoWindow *self = export->window;
  g_autoptr(GError) error = NULL;

  if (!cryo_trend_view_export_finish (self->trend_view, result, &error))
    {
      /* The dialog tells the operator; the log keeps a trace. */
      g_message ("Export failed: %s", error->message);
      cryo_show_error_dialog (GTK_WIDGET (self), _("Export Failed"), error->message);
      return;
    }

  cryo_window_show_exported (self, export->path);
}

/* Success is told in a toast naming the file, with a button that opens
 * its folder. */
static void
cryo_window_show_exported (CryoWindow *self,
                           const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *folder_uri = NULL;
  AdwToast *toast;

  /* The name the operator chose, not a link's target. */
  file = g_file_new_for_path (path);
  folder = g_file_get_parent (file);
  name = g_filename_display_basename (path);
  /* Translators: a toast after an export, "Exported to run-3.csv" */
  title = g_strdup_printf (_("Exported to %s"), name);

  toast = new_toast (title);
  if (folder != NULL)
    {
      /* Time to read the name and reach the button. */
      adw_toast_set_timeout (toast, 8);
      folder_uri = g_file_get_uri (folder);
      adw_toast_set_button_label (toast, _("Open Folder"));
      adw_toast_set_action_name (toast, "win.open-folder");
      adw_toast_set_action_target_value (toast, g_variant_new_string (folder_uri));
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * cryo_window_export:
 * @self: a #CryoWindow
 * @path: the CSV file to write, in the GLib file name encoding
 *
 * Writes the plotted time range of the plotted series to @path in a worker
 * thread, as the Export CSV action does once its file chooser is answered.
 * Success is told in a toast naming the file, with a button that opens its
 * folder; a failure in a dialog that says why.
 */
void
cryo_window_export (CryoWindow *self,
                    const char *path)
{
  Export *export;

  g_return_if_fail (CRYO_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  export = g_new0 (Export, 1);
  export->window = g_object_ref (self);
  export->path = g_strdup (path);
  cryo_trend_view_export_async (self->trend_view, path, NULL, on_export_written_cb, export);
}

static void
on_dialog_exported_cb (CryoWindow *self,
                       const char *path)
{
  cryo_window_show_exported (self, path);
}

/* Export CSV: a dialog for the range, the readings, the units and the
 * file; it writes the file in a worker thread with a progress bar. */
static void
cryo_window_export_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  CryoWindow *self = user_data;
  CryoExportDialog *dialog;

  dialog = cryo_export_dialog_new (GTK_WINDOW (self), self->trend_view, self->devices);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_dialog_exported_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * cryo_window_export_to_path:
 * @self: a #CryoWindow
 * @path: the CSV file to write
 * @error: a #GFileError or #GIOError naming the file
 *
 * Writes the plotted time range of the plotted series to @path, as the
 * Export CSV action does after its file chooser, but synchronously: for
 * tests and scripts.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
cryo_window_export_to_path (CryoWindow  *self,
                            const char  *path,
                            GError     **error)
{
  g_return_val_if_fail (CRYO_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return cryo_trend_view_export (self->trend_view, path, error);
}

static void
cryo_window_show_events_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  CryoWindow *self = user_data;
  gboolean show = g_variant_get_boolean (parameter);

  g_simple_action_set_state (action, parameter);
  gtk_widget_set_visible (GTK_WIDGET (self->event_log_view), show);
  if (show && !self->events_placed)
    {
      int height = gtk_widget_get_height (GTK_WIDGET (self->events_paned));

      self->events_placed = TRUE;

      /* The trend keeps about two thirds. */
      gtk_paned_set_position (self->events_paned, height > 0 ? height * 2 / 3 : 420);
    }
}

static const GActionEntry win_actions[] = {
  { "monitoring", cryo_window_monitoring_action, NULL, "true" },
  { "export", cryo_window_export_action },
  { "live", cryo_window_live_action },
  { "devices", cryo_window_devices_action },
  { "show-devices", cryo_window_show_devices_action },
  { "toast", cryo_window_toast_action, "s" },
  { "show-device", cryo_window_show_device_action, "s" },
  { "thresholds", cryo_window_thresholds_action, "s" },
  { "open-folder", cryo_window_open_folder_action, "s" },
  { "record-service", cryo_window_record_service_action, "s" },
  { "show-events", NULL, NULL, "false", cryo_window_show_events_action },
};

static void
cryo_window_constructed (GObject *object)
{
  CryoWindow *self = CRYO_WINDOW (object);
  guint n;

  G_OBJECT_CLASS (cryo_window_parent_class)->constructed (object);

  g_assert (CRYO_IS_SESSION (self->session));
  g_assert (G_IS_SETTINGS (self->settings));

  self->devices = g_object_ref (cryo_session_get_devices (self->session));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  cryo_trend_view_set_settings (self->trend_view, self->settings);
  cryo_trend_view_set_archive (self->trend_view, cryo_session_get_archive (self->session));

  self->event_log_view = cryo_event_log_view_new (self->session, self->trend_view);
  gtk_widget_set_visible (GTK_WIDGET (self->event_log_view), FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (self->event_log_view), -1, 160);
  gtk_paned_set_end_child (self->events_paned, GTK_WIDGET (self->event_log_view));
  cryo_trend_view_set_events (self->trend_view,
                              cryo_event_log_view_get_events (self->event_log_view));

  gtk_list_box_bind_model (self->device_list, self->devices,
                           create_device_row_cb, self, NULL);

  n = g_list_model_get_n_items (self->devices);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (self->devices, i);
      cryo_window_add_device (self, device);
    }

  gtk_list_box_select_row (self->device_list, gtk_list_box_get_row_at_index (self->device_list, 0));
  /* A window too narrow for the sidebar opens on the first device. */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  adw_leaflet_set_visible_child_name (self->content_leaflet, "panel");

  g_signal_connect_object (self->devices, "items-changed",
                           G_CALLBACK (on_devices_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (cryo_session_get_conditions (self->session), "raised",
                           G_CALLBACK (on_condition_raised_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->session, "notify::history-error",
                           G_CALLBACK (cryo_window_update_banner), self, G_CONNECT_SWAPPED);
  cryo_window_update_banner (self);

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  cryo_window_update_monitoring (self);
}

static void
cryo_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CryoWindow *self = CRYO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CryoWindow *self = CRYO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_window_dispose (GObject *object)
{
  CryoWindow *self = CRYO_WINDOW (object);

  g_clear_handle_id (&self->layout_idle, g_source_remove);
  if (self->panels != NULL)
    g_hash_table_remove_all (self->panels);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_WINDOW);

  G_OBJECT_CLASS (cryo_window_parent_class)->dispose (object);
}

static void
cryo_window_finalize (GObject *object)
{
  CryoWindow *self = CRYO_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_object (&self->devices);
  g_clear_pointer (&self->panels, g_hash_table_unref);

  G_OBJECT_CLASS (cryo_window_parent_class)->finalize (object);
}

static void
cryo_window_class_init (CryoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cryo_window_constructed;
  object_class->dispose = cryo_window_dispose;
  object_class->finalize = cryo_window_finalize;
  object_class->get_property = cryo_window_get_property;
  object_class->set_property = cryo_window_set_property;

  /**
   * CryoWindow:session:
   *
   * The session whose devices the window shows. Construct-only.
   */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CRYO_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoWindow:settings:
   *
   * The application settings. Construct-only.
   */
  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRYO_TYPE_TREND_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, monitoring_button);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, monitoring_content);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, export_content);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, events_content);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, device_list);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, panel_stack);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, events_paned);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, trend_view);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, switcher);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, panel_toggle);
  gtk_widget_class_bind_template_child (widget_class, CryoWindow, trends_toggle);
  gtk_widget_class_bind_template_callback (widget_class, on_device_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_device_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_switcher_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_layout_changed_cb);
}

static void
cryo_window_init (CryoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->panels = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

/**
 * cryo_window_new:
 * @application: the application the window belongs to
 * @session: the session that owns the devices
 * @settings: the application settings
 *
 * Returns: (transfer full): the main window
 */
CryoWindow *
cryo_window_new (GtkApplication *application,
                 CryoSession    *session,
                 GSettings      *settings)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CRYO_IS_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRYO_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       "settings", settings,
                       NULL);
}
