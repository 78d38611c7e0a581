/* test-conditions-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Active conditions in the window. Desktop notifications as the desktop
 * receives them: the test owns org.freedesktop.Notifications on the
 * session bus (dbus-run-session) and GLib's freedesktop notification
 * backend sends to it, so every Notify call the application makes is seen,
 * in order. Acknowledgement from the device panel, into the event log.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cryo-application.h"
#include "cryo-device-panel.h"
#include "cryo-device-row.h"
#include "cryo-event-log.h"
#include "cryo-thresholds-dialog.h"
#include "test-gui-util.h"

typedef struct
{
  guint32  id;
  char    *summary;
  char    *body;
  gboolean has_default;
} Sent;

typedef struct
{
  GDBusConnection *bus;
  guint            registration;
  guint            owner;
  gboolean         owned;
  GArray          *sent;    /* Sent */
  guint32          next_id;
} Server;

static const char introspection[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  </interface>"
  "</node>";

static void
sent_clear (gpointer data)
{
  Sent *sent = data;

  g_free (sent->summary);
  g_free (sent->body);
}

static void
on_method_call_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  Server *server = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      g_autofree const char **actions = NULL;
      const char *summary, *body;
      guint32 replaces;
      Sent sent = { 0 };

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, &replaces, NULL, &summary, &body,
                     &actions, NULL, NULL);
      sent.id = replaces != 0 ? replaces : ++server->next_id;
      sent.summary = g_strdup (summary);
      sent.body = g_strdup (body);
      sent.has_default = actions != NULL && g_strv_contains (actions, "default");
      g_array_append_val (server->sent, sent);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", sent.id));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "cryomon", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { on_method_call_cb, NULL, NULL, { 0 } };

static void
on_name_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  ((Server *) user_data)->owned = TRUE;
}

static gboolean
server_owned (gpointer data)
{
  return ((Server *) data)->owned;
}

static gboolean
server_start (Server *server)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  server->sent = g_array_new (FALSE, TRUE, sizeof (Sent));
  g_array_set_clear_func (server->sent, sent_clear);
  server->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (server->bus == NULL)
    return FALSE;

  info = g_dbus_node_info_new_for_xml (introspection, &error);
  g_assert_no_error (error);
  server->registration = g_dbus_connection_register_object (server->bus, "/org/freedesktop/Notifications",
                                                            info->interfaces[0], &vtable, server,
                                                            NULL, &error);
  g_assert_no_error (error);
  server->owner = g_bus_own_name_on_connection (server->bus, "org.freedesktop.Notifications",
                                                G_BUS_NAME_OWNER_FLAGS_NONE,
                                                on_name_acquired_cb, NULL, server, NULL);
  iterate_until (server_owned, server, 10000);

  return TRUE;
}

static void
server_stop (Server *server)
{
  if (server->owner != 0)
    g_bus_unown_name (server->owner);
  if (server->registration != 0)
    g_dbus_connection_unregister_object (server->bus, server->registration);
  g_clear_object (&server->bus);
  g_clear_pointer (&server->sent, g_array_unref);
}

typedef struct
{
  Server *server;
  guint   n;
} WaitSent;

static gboolean
sent_at_least (gpointer data)
{
  WaitSent *wait = data;

  return wait->server->sent->len >= wait->n;
}

static const Sent *
wait_for_sent (Server *server,
               guint   n)
{
  WaitSent wait = { server, n };

  iterate_until (sent_at_least, &wait, 10000);
  g_assert_cmpuint (server->sent->len, ==, n);

  return &g_array_index (server->sent, Sent, n - 1);
}

static gboolean
row_selected (gpointer data)
{
  GtkListBoxRow *row = data;

  return gtk_list_box_row_is_selected (row);
}

/* One notification per raise, naming the device and the condition, none
 * while it stays active or for a severity whose preference is off, and
 * one again after it cleared and rose again; clicking one selects the
 * device. */
static void
test_once_per_raise (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoDevice) first = NULL;
  g_autoptr(CryoDevice) second = NULL;
  Server server = { 0 };
  CryoConditionSet *set;
  GListModel *devices;
  GSettings *settings;
  GtkWindow *window;
  GtkWidget *row;
  const Sent *sent;
  gint64 now_us = g_get_real_time ();
  guint32 alarm_id;

  if (!server_start (&server))
    {
      server_stop (&server);
      g_test_skip ("no session bus (run under dbus-run-session)");
      return;
    }

  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.NotificationsTest");
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);

  settings = cryo_application_get_settings (app);
  /* gui_test_init() turned them off for the tests without a service. */
  g_settings_reset (settings, "notify-warnings");
  g_settings_reset (settings, "notify-alarms");
  g_settings_reset (settings, "notify-errors");
  set = cryo_session_get_conditions (cryo_application_get_session (app));
  devices = cryo_session_get_devices (cryo_application_get_session (app));
  g_assert_cmpuint (g_list_model_get_n_items (devices), >=, 2);
  first = g_list_model_get_item (devices, 0);
  second = g_list_model_get_item (devices, 1);
  /* Only what this test raises. */
  cryo_session_set_monitoring (cryo_application_get_session (app), FALSE);
  g_assert_true (g_settings_get_boolean (settings, "notify-alarms"));
  g_assert_true (g_settings_get_boolean (settings, "notify-errors"));
  g_assert_false (g_settings_get_boolean (settings, "notify-warnings"));

  cryo_condition_set_raise (set, cryo_device_get_id (second), cryo_device_get_name (second),
                            "threshold:test", CRYO_EVENT_SEVERITY_ALARM, "Test above 1 K", now_us);
  sent = wait_for_sent (&server, 1);
  g_assert_nonnull (strstr (sent->summary, cryo_device_get_name (second)));
  g_assert_nonnull (strstr (sent->summary, "Alarm"));
  g_assert_cmpstr (sent->body, ==, "Test above 1 K");
  g_assert_true (sent->has_default);
  alarm_id = sent->id;

  /* Raised again while active: nothing. The bus keeps the order, so the
   * next one sent is the next condition's. */
  cryo_condition_set_raise (set, cryo_device_get_id (second), cryo_device_get_name (second),
                            "threshold:test", CRYO_EVENT_SEVERITY_ALARM, "Test above 1 K", now_us);
  cryo_condition_set_raise (set, cryo_device_get_id (first), cryo_device_get_name (first),
                            "connection", CRYO_EVENT_SEVERITY_ERROR, "No connection", now_us);
  sent = wait_for_sent (&server, 2);
  g_assert_nonnull (strstr (sent->summary, cryo_device_get_name (first)));
  g_assert_cmpstr (sent->body, ==, "No connection");

  /* Warnings are off by default; alarms once turned off. */
  g_settings_set_boolean (settings, "notify-alarms", FALSE);
  cryo_condition_set_raise (set, cryo_device_get_id (first), cryo_device_get_name (first),
                            "stale", CRYO_EVENT_SEVERITY_WARNING, "No readings", now_us);
  cryo_condition_set_raise (set, cryo_device_get_id (first), cryo_device_get_name (first),
                            "alarm:Quiet", CRYO_EVENT_SEVERITY_ALARM, "Quiet", now_us);
  g_settings_set_boolean (settings, "notify-warnings", TRUE);
  cryo_condition_set_raise (set, cryo_device_get_id (first), cryo_device_get_name (first),
                            "warning:Told", CRYO_EVENT_SEVERITY_WARNING, "Told", now_us);
  sent = wait_for_sent (&server, 3);
  g_assert_cmpstr (sent->body, ==, "Told");
  g_settings_set_boolean (settings, "notify-alarms", TRUE);

  /* Cleared and raised again: a new raise, notified again. */
  g_assert_true (cryo_condition_set_clear (set, cryo_device_get_id (second), "threshold:test", now_us));
  cryo_condition_set_raise (set, cryo_device_get_id (second), cryo_device_get_name (second),
                            "threshold:test", CRYO_EVENT_SEVERITY_ALARM, "Test above 1 K", now_us);
  sent = wait_for_sent (&server, 4);
  g_assert_cmpstr (sent->body, ==, "Test above 1 K");
  alarm_id = sent->id;

  /* Clicking it shows the second device, whichever was shown. */
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (find_widget (GTK_WIDGET (window), is_of_type,
                                                                          GSIZE_TO_POINTER (GTK_TYPE_LIST_BOX))),
                                                   0));
  g_assert_true (cryo_device_row_get_device (CRYO_DEVICE_ROW (row)) == first);
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));
  g_dbus_connection_emit_signal (server.bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", alarm_id, "default"), &error);
  g_assert_no_error (error);
  row = gtk_widget_get_next_sibling (row);
  g_assert_true (cryo_device_row_get_device (CRYO_DEVICE_ROW (row)) == second);
  iterate_until (row_selected, row, 10000);

  /* Off again, as for the other tests: the service goes. */
  g_settings_set_boolean (settings, "notify-warnings", FALSE);
  g_settings_set_boolean (settings, "notify-alarms", FALSE);
  g_settings_set_boolean (settings, "notify-errors", FALSE);

  close_app_window (app, window);
  server_stop (&server);
}

static gboolean
is_panel_of (GtkWidget     *widget,
             gconstpointer  device)
{
  return CRYO_IS_DEVICE_PANEL (widget) && cryo_device_panel_get_device (CRYO_DEVICE_PANEL (widget)) == device;
}

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  device)
{
  return CRYO_IS_DEVICE_ROW (widget) && cryo_device_row_get_device (CRYO_DEVICE_ROW (widget)) == device;
}

static gboolean
is_visible_image_of (GtkWidget     *widget,
                     gconstpointer  icon_name)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon_name) == 0;
}

static void
on_event_added_cb (CryoEventLog *log,
                   CryoEvent    *event,
                   GPtrArray    *events)
{
  g_ptr_array_add (events, g_object_ref (event));
}

/* The panel lists the device's condition prominently with an Acknowledge
 * button and the row has a badge; Acknowledge records the login name and
 * the time in the event log, and then the condition is shown as
 * acknowledged and the badge dimmed. */
static void
test_acknowledge (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE, NULL);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autofree char *acknowledged = NULL;
  CryoConditionSet *set;
  CryoCondition *condition;
  GtkWidget *panel, *condition_row, *device_row, *button, *badge;
  GtkWindow *window;
  CryoEvent *event;
  gulong handler;

  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.AcknowledgeTest");
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);
  cryo_session_set_monitoring (cryo_application_get_session (app), FALSE);

  set = cryo_session_get_conditions (cryo_application_get_session (app));
  device = g_list_model_get_item (cryo_session_get_devices (cryo_application_get_session (app)), 0);
  handler = g_signal_connect (cryo_event_log_get_default (), "event-added", G_CALLBACK (on_event_added_cb), events);

  condition = cryo_condition_set_raise (set, cryo_device_get_id (device), cryo_device_get_name (device),
                                        "alarm:Turbo overheated", CRYO_EVENT_SEVERITY_ALARM,
                                        "Turbo <overheated> & stopped", g_get_real_time ());
  g_object_ref (condition);

  panel = find_widget (GTK_WIDGET (window), is_panel_of, device);
  g_assert_nonnull (panel);
  condition_row = find_widget (panel, is_row_titled, "Turbo <overheated> & stopped");
  g_assert_nonnull (condition_row);
  g_assert_true (gtk_widget_has_css_class (condition_row, "cryo-unacknowledged"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (condition_row)), "not acknowledged"));
  device_row = find_widget (GTK_WIDGET (window), is_row_of, device);
  badge = find_widget (device_row, is_visible_image_of, "dialog-warning-symbolic");
  g_assert_nonnull (badge);
  g_assert_true (gtk_widget_has_css_class (badge, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (badge), ==, "1 unacknowledged condition");

  button = find_widget (condition_row, is_button_labelled, "_Acknowledge");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");

  g_assert_true (cryo_condition_get_acknowledged (condition));
  g_assert_cmpstr (cryo_condition_get_acknowledged_by (condition), ==, g_get_user_name ());
  g_assert_cmpuint (events->len, ==, 2);
  event = g_ptr_array_index (events, 1);
  g_assert_cmpint (cryo_event_get_kind (event), ==, CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED);
  g_assert_cmpstr (cryo_event_get_user (event), ==, g_get_user_name ());
  g_assert_cmpstr (cryo_event_get_device_id (event), ==, cryo_device_get_id (device));
  g_assert_cmpstr (cryo_event_get_text (event), ==, "Turbo <overheated> & stopped");
  g_assert_cmpint (cryo_event_get_time_us (event), ==, cryo_condition_get_acknowledged_us (condition));

  /* The rows were rebuilt. */
  condition_row = find_widget (panel, is_row_titled, "Turbo <overheated> & stopped");
  g_assert_false (gtk_widget_has_css_class (condition_row, "cryo-unacknowledged"));
  g_assert_null (find_widget (condition_row, is_button_labelled, "_Acknowledge"));
  acknowledged = g_strdup_printf ("acknowledged by %s at", g_get_user_name ());
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (condition_row)), acknowledged));
  g_assert_true (gtk_widget_has_css_class (badge, "dim-label"));
  g_assert_false (gtk_widget_has_css_class (badge, "error"));

  /* Cleared, it leaves the panel and the badge goes. */
  g_assert_true (cryo_condition_set_clear (set, cryo_device_get_id (device), "alarm:Turbo overheated",
                                           g_get_real_time ()));
  g_assert_null (find_widget (panel, is_row_titled, "Turbo <overheated> & stopped"));
  g_assert_false (gtk_widget_get_visible (badge));
  g_clear_object (&condition);

  g_signal_handler_disconnect (cryo_event_log_get_default (), handler);
  close_app_window (app, window);
}

static guint
find_entry (CryoSession *session,
            CryoDevice  *device)
{
  for (guint i = 0; i < cryo_session_get_n_entries (session); i++)
    if (cryo_session_get_entry_device (session, i) == device)
      return i;

  g_assert_not_reached ();
}

/* The panel's Thresholds… opens the device's dialog; a wrong threshold is
 * marked and nothing is saved; a right one goes into the device's
 * configuration, in its one written form, without a new device. */
static void
test_thresholds_dialog (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE, NULL);
  g_autoptr(GError) error = NULL;
  CryoSession *session;
  CryoDevice *device = NULL;
  GListModel *devices;
  GtkWindow *window, *dialog;
  GtkWidget *panel, *save, *row;
  guint position;

  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.ThresholdsTest");
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);

  session = cryo_application_get_session (app);
  devices = cryo_session_get_devices (session);
  for (guint i = 0; device == NULL && i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(CryoDevice) item = g_list_model_get_item (devices, i);

      if (cryo_device_lookup_channel (item, "helium_temperature") != NULL)
        device = item;
    }
  g_assert_nonnull (device);
  position = find_entry (session, device);

  panel = find_widget (GTK_WIDGET (window), is_panel_of, device);
  g_assert_true (gtk_widget_activate_action (panel, "panel.edit-thresholds", NULL));
  dialog = find_toplevel (CRYO_TYPE_THRESHOLDS_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == window);
  row = GTK_WIDGET (cryo_thresholds_dialog_get_row (CRYO_THRESHOLDS_DIALOG (dialog), "helium_temperature"));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  save = find_widget (GTK_WIDGET (dialog), is_button_labelled, "_Save");
  g_assert_nonnull (save);

  gtk_editable_set_text (GTK_EDITABLE (row), "above 40 mbar");
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (find_toplevel (CRYO_TYPE_THRESHOLDS_DIALOG) == dialog);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_null (cryo_device_config_get_threshold (cryo_session_get_entry_config (session, position),
                                                   "helium_temperature"));

  gtk_editable_set_text (GTK_EDITABLE (row), " above 40 degC for 0.5 min ");
  g_signal_emit_by_name (save, "clicked");
  g_assert_null (find_toplevel (CRYO_TYPE_THRESHOLDS_DIALOG));
  g_assert_cmpstr (cryo_device_config_get_threshold (cryo_session_get_entry_config (session, position),
                                                     "helium_temperature"), ==, "above 40 °C for 30 s");
  g_assert_true (cryo_session_get_entry_device (session, position) == device);

  /* Opened again, it shows the threshold as saved. */
  g_assert_true (gtk_widget_activate_action (panel, "panel.edit-thresholds", NULL));
  dialog = find_toplevel (CRYO_TYPE_THRESHOLDS_DIALOG);
  row = GTK_WIDGET (cryo_thresholds_dialog_get_row (CRYO_THRESHOLDS_DIALOG (dialog), "helium_temperature"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "above 40 °C for 30 s");
  gtk_window_destroy (dialog);

  close_app_window (app, window);
}

int
main (int   argc,
      char *argv[])
{
  /* The backend that speaks org.freedesktop.Notifications, whatever the
   * desktop around the test offers. */
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  gui_test_init (&argc, &argv);

  g_test_add_func ("/conditions-ui/notified-once-per-raise", test_once_per_raise);
  g_test_add_func ("/conditions-ui/acknowledge", test_acknowledge);
  g_test_add_func ("/conditions-ui/thresholds-dialog", test_thresholds_dialog);

  return g_test_run ();
}
