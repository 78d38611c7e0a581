/* cryo-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-application"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-application.h"
#include "cryo-device-config.h"
#include "cryo-event-log.h"
#include "cryo-kinds.h"
#include "cryo-preferences-window.h"
#include "cryo-window.h"

struct _CryoApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  CryoSession    *session;
  GPtrArray      *configs;
  gboolean        force_demo;
  char           *metrics_listen;
  CryoMetricsServer *metrics_server;
  char           *history_path;
  gboolean        no_history;
};

G_DEFINE_FINAL_TYPE (CryoApplication, cryo_application, ADW_TYPE_APPLICATION)

static void
cryo_application_set_up_event_log (CryoApplication *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "log-folder");
  g_autofree char *path = NULL;
  g_autoptr(CryoEventLog) log = NULL;

  if (folder[0] == '\0')
    path = g_build_filename (g_get_user_data_dir (), "cryomon", "events.log", NULL);
  else
    path = g_build_filename (folder, "events.log", NULL);

  log = cryo_event_log_new (path);
  cryo_event_log_set_default (log);
}

static char *
dup_notification_id (CryoCondition *condition)
{
  return g_strdup_printf ("condition:%s:%s", cryo_condition_get_device_id (condition),
                          cryo_condition_get_key (condition));
}

/* A raised condition is a desktop notification, once per raise (the set
 * announces no condition twice while it stays active, nor one still active
 * from the last run), unless the preference for its severity is off.
 * Through GApplication it reaches the desktop's notification service, or
 * from a Flatpak the portal; clicking it shows the device's panel. */
static void
on_condition_raised_cb (CryoApplication *self,
                        CryoCondition   *condition,
                        CryoConditionSet *set)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  const char *key;
  GNotificationPriority priority;

  switch (cryo_condition_get_severity (condition))
    {
    case CRYO_EVENT_SEVERITY_WARNING:
      key = "notify-warnings";
      priority = G_NOTIFICATION_PRIORITY_NORMAL;
      break;

    case CRYO_EVENT_SEVERITY_ALARM:
      key = "notify-alarms";
      priority = G_NOTIFICATION_PRIORITY_HIGH;
      break;

    case CRYO_EVENT_SEVERITY_ERROR:
      key = "notify-errors";
      priority = G_NOTIFICATION_PRIORITY_URGENT;
      break;

    case CRYO_EVENT_SEVERITY_INFO:
    default:
      return;
    }

  if (!g_settings_get_boolean (self->settings, key) ||
      !g_application_get_is_registered (G_APPLICATION (self)))
    return;

  /* Translators: a notification's title, "Alarm: Helium compressor" */
  title = g_strdup_printf (_("%s: %s"),
                           cryo_event_severity_get_label (cryo_condition_get_severity (condition)),
                           cryo_condition_get_device_name (condition));
  notification = g_notification_new (title);
  g_notification_set_body (notification, cryo_condition_get_text (condition));
  g_notification_set_priority (notification, priority);
  g_notification_set_default_action_and_target (notification, "app.show-device", "s",
                                                cryo_condition_get_device_id (condition));

  id = dup_notification_id (condition);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* A condition that is over leaves the desktop's list too. */
static void
on_condition_cleared_cb (CryoApplication  *self,
                         CryoCondition    *condition,
                         CryoConditionSet *set)
{
  g_autofree char *id = dup_notification_id (condition);

  if (g_application_get_is_registered (G_APPLICATION (self)))
    g_application_withdraw_notification (G_APPLICATION (self), id);
}

/* The metrics endpoint: where --metrics-listen says for this run, or
 * where the preference says, following it. A failure shows in the
 * Preferences window (and on stderr, for whoever gave the option). */
static void
cryo_application_start_metrics (CryoApplication *self)
{
  g_autoptr(GError) error = NULL;
  GListModel *devices = cryo_session_get_devices (self->session);

  if (self->metrics_listen == NULL)
    {
      self->metrics_server = cryo_metrics_server_new (devices, self->settings);
      return;
    }

  self->metrics_server = cryo_metrics_server_new (devices, NULL);
  if (cryo_metrics_server_listen (self->metrics_server, self->metrics_listen, &error))
    g_printerr (_("Serving metrics at %s\n"), cryo_metrics_server_get_uri (self->metrics_server));
  else
    g_printerr ("%s\n", error->message);
}

static void
cryo_application_startup (GApplication *application)
{
  CryoApplication *self = CRYO_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GError) error = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *export_accels[] = { "<Control>e", NULL };
  static const char *monitoring_accels[] = { "<Control>m", NULL };
  static const char *live_accels[] = { "<Control>l", NULL };
  static const char *events_accels[] = { "<Control>j", NULL };

  G_APPLICATION_CLASS (cryo_application_parent_class)->startup (application);

  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.export", export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.monitoring", monitoring_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.live", live_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-events", events_accels);

  /* The title bar and task switcher of X11 sessions show it; the icon is
   * in the GResource (data/cryomon.gresource.xml) when no hicolor theme
   * holds it. */
  gtk_window_set_default_icon_name (APP_ID);

  cryo_application_set_up_event_log (self);

  /* Without its archive the window still monitors: the session keeps the
   * reason, which the window shows in its banner. */
  if (!self->no_history)
    cryo_session_open_history (self->session, self->history_path, NULL);

  if (!cryo_session_load (self->session, self->configs, self->force_demo, &error))
    g_warning ("Could not start the simulated instruments: %s", error->message);

  g_signal_connect_object (cryo_session_get_conditions (self->session), "raised",
                           G_CALLBACK (on_condition_raised_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cryo_session_get_conditions (self->session), "cleared",
                           G_CALLBACK (on_condition_cleared_cb), self, G_CONNECT_SWAPPED);

  cryo_application_start_metrics (self);
}

static void
cryo_application_activate (GApplication *application)
{
  CryoApplication *self = CRYO_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (cryo_window_new (GTK_APPLICATION (self), self->session, self->settings));

      /* Monitoring starts with the window, as an operator expects. */
      cryo_session_set_monitoring (self->session, TRUE);
    }

  gtk_window_present (window);
}

static void
cryo_application_shutdown (GApplication *application)
{
  CryoApplication *self = CRYO_APPLICATION (application);

  /* No scrape of devices going away; then close every port before the
   * simulators stop. */
  g_clear_object (&self->metrics_server);
  cryo_session_shutdown (self->session);

  G_APPLICATION_CLASS (cryo_application_parent_class)->shutdown (application);
}

static void
cryo_application_dispose (GObject *object)
{
  CryoApplication *self = CRYO_APPLICATION (object);

  g_clear_object (&self->metrics_server);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->configs, g_ptr_array_unref);
  g_clear_pointer (&self->metrics_listen, g_free);
  g_clear_pointer (&self->history_path, g_free);

  G_OBJECT_CLASS (cryo_application_parent_class)->dispose (object);
}

static void
cryo_application_class_init (CryoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cryo_application_dispose;

  app_class->startup = cryo_application_startup;
  app_class->activate = cryo_application_activate;
  app_class->shutdown = cryo_application_shutdown;
}

static void
cryo_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  CryoApplication *self = user_data;
  static const char *developers[] = { "The Cryomon developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Cryomon"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Cryomon developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Monitor and control cryogenic and vacuum instruments: "
                                       "live readings, log-scale trends, interlocked pump control "
                                       "and CSV export."),
                         "website", "https://github.com/cryomon/cryomon",
                         "issue-url", "https://github.com/cryomon/cryomon/issues",
                         "developers", developers,
                         "copyright", "© 2026 The Cryomon developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
cryo_application_preferences_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  CryoApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  CryoPreferencesWindow *preferences = cryo_preferences_window_new (self->settings, self->metrics_server);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), window);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
cryo_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  CryoApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows lets them save their state before quitting. */
  while (windows != NULL)
    {
      GList *next = windows->next;
      gtk_window_destroy (windows->data);
      windows = next;
    }

  g_application_quit (G_APPLICATION (self));
}

/* From a notification: the window, on the device's panel. */
static void
cryo_application_show_device_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  CryoApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-device", parameter);
}

static const GActionEntry app_actions[] = {
  { "about", cryo_application_about_action },
  { "show-device", cryo_application_show_device_action, "s" },
  { "preferences", cryo_application_preferences_action },
  { "quit", cryo_application_quit_action },
};

static void
cryo_application_init (CryoApplication *self)
{
  cryo_kinds_register_all ();

  self->settings = g_settings_new (APP_ID);
  self->session = cryo_session_new (self->settings);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

/**
 * cryo_application_new:
 * @configs: (nullable) (element-type CryoDeviceConfig): devices from the
 *   command line; when empty, the devices keyfile is read, and when that
 *   has none either the simulated instruments are used
 * @demo: use the simulated instruments whatever is configured
 * @metrics_listen: (nullable): `ADDRESS:PORT` to serve the metrics at for
 *   this run (`--metrics-listen`), instead of where the preference says
 *
 * Returns: (transfer full): the application
 */
CryoApplication *
cryo_application_new (GPtrArray  *configs,
                      gboolean    demo,
                      const char *metrics_listen)
{
  CryoApplication *self;

  self = g_object_new (CRYO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);

  if (configs != NULL)
    self->configs = g_ptr_array_ref (configs);
  self->force_demo = demo;
  self->metrics_listen = g_strdup (metrics_listen);

  return self;
}

/**
 * cryo_application_get_session:
 * @self: a #CryoApplication
 *
 * Returns: (transfer none): the session that owns the devices
 */
CryoSession *
cryo_application_get_session (CryoApplication *self)
{
  g_return_val_if_fail (CRYO_IS_APPLICATION (self), NULL);

  return self->session;
}

/**
 * cryo_application_get_metrics_server:
 * @self: a #CryoApplication
 *
 * Returns: (transfer none) (nullable): the metrics endpoint, once the
 *   application has started up
 */
CryoMetricsServer *
cryo_application_get_metrics_server (CryoApplication *self)
{
  g_return_val_if_fail (CRYO_IS_APPLICATION (self), NULL);

  return self->metrics_server;
}

/**
 * cryo_application_get_settings:
 * @self: a #CryoApplication
 *
 * Returns: (transfer none): the application's #GSettings
 */
GSettings *
cryo_application_get_settings (CryoApplication *self)
{
  g_return_val_if_fail (CRYO_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * cryo_application_set_history:
 * @self: a #CryoApplication, not started yet
 * @path: (nullable): the history archive; %NULL for the user's
 * @enabled: %FALSE to keep the history in memory only (`--no-history`)
 *
 * Chooses the history archive the session opens at startup.
 */
void
cryo_application_set_history (CryoApplication *self,
                              const char      *path,
                              gboolean         enabled)
{
  g_return_if_fail (CRYO_IS_APPLICATION (self));

  g_free (self->history_path);
  self->history_path = g_strdup (path);
  self->no_history = !enabled;
}
