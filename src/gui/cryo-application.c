/* cryo-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-application"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-application.h"
#include "cryo-compressor.h"
#include "cryo-demo.h"
#include "cryo-device-config.h"
#include "cryo-event-log.h"
#include "cryo-preferences-window.h"
#include "cryo-window.h"

struct _CryoApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GPtrArray      *configs;
  GListStore     *devices;
  CryoDemo       *demo;
  char           *config_error;
  gboolean        force_demo;
};

G_DEFINE_FINAL_TYPE (CryoApplication, cryo_application, ADW_TYPE_APPLICATION)

/* Devices whose configuration names no poll interval follow the preference
 * of their kind: the pumping station's every second, the compressor's every
 * two (cryomech-cpa-modbus.md needs no more). */
static void
cryo_application_apply_poll_interval (CryoApplication *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (G_LIST_MODEL (self->devices), i);
      CryoDeviceConfig *config = g_object_get_data (G_OBJECT (device), "cryo-config");
      const char *key = CRYO_IS_COMPRESSOR (device) ? "compressor-poll-interval" : "poll-interval";
      guint interval_ms = (guint) (g_settings_get_double (self->settings, key) * 1000.0 + 0.5);

      if (config == NULL || config->poll_interval_ms == 0)
        cryo_device_set_poll_interval (device, interval_ms);
    }
}

static void
on_poll_interval_changed_cb (CryoApplication *self)
{
  cryo_application_apply_poll_interval (self);
}

static void
cryo_application_add_device (CryoApplication  *self,
                             CryoDevice       *device,
                             CryoDeviceConfig *config)
{
  if (config != NULL)
    g_object_set_data (G_OBJECT (device), "cryo-config", config);
  g_list_store_append (self->devices, device);
}

static void
cryo_application_create_devices (CryoApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) configs = NULL;

  if (self->force_demo)
    goto demo;

  if (self->configs != NULL && self->configs->len > 0)
    configs = g_ptr_array_ref (self->configs);
  else
    {
      g_autofree char *path = cryo_device_config_get_default_path ();

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          configs = cryo_device_config_load_keyfile (path, &error);
          if (configs == NULL)
            {
              /* Shown in the window: the operator must learn why the
               * configured station is not there. */
              g_warning ("%s", error->message);
              g_free (self->config_error);
              self->config_error = g_strdup (error->message);
              g_clear_error (&error);
            }
        }
    }

  if (configs != NULL && configs->len > 0)
    {
      /* Keep the configurations alive as long as the devices refer to them. */
      g_clear_pointer (&self->configs, g_ptr_array_unref);
      self->configs = g_ptr_array_ref (configs);

      for (guint i = 0; i < configs->len; i++)
        {
          CryoDeviceConfig *config = g_ptr_array_index (configs, i);
          g_autoptr(CryoDevice) device = cryo_device_config_create_device (config, &error);

          if (device == NULL)
            {
              g_warning ("%s", error->message);
              g_free (self->config_error);
              self->config_error = g_strdup (error->message);
              g_clear_error (&error);
              continue;
            }
          cryo_application_add_device (self, device, config);
        }

      if (g_list_model_get_n_items (G_LIST_MODEL (self->devices)) > 0)
        return;
    }

demo:
  self->demo = cryo_demo_new (&error);
  if (self->demo == NULL)
    {
      g_warning ("Could not start the simulated instruments: %s", error->message);
      return;
    }

  for (guint i = 0; i < cryo_demo_get_devices (self->demo)->len; i++)
    cryo_application_add_device (self, g_ptr_array_index (cryo_demo_get_devices (self->demo), i), NULL);
}

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

static void
cryo_application_startup (GApplication *application)
{
  CryoApplication *self = CRYO_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *export_accels[] = { "<Control>e", NULL };
  static const char *monitoring_accels[] = { "<Control>m", NULL };
  static const char *live_accels[] = { "<Control>l", NULL };

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

  cryo_application_set_up_event_log (self);
  cryo_application_create_devices (self);
  cryo_application_apply_poll_interval (self);

  g_signal_connect_object (self->settings, "changed::poll-interval",
                           G_CALLBACK (on_poll_interval_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::compressor-poll-interval",
                           G_CALLBACK (on_poll_interval_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
cryo_application_activate (GApplication *application)
{
  CryoApplication *self = CRYO_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

      window = GTK_WINDOW (cryo_window_new (self));

      /* Monitoring starts with the window, as an operator expects. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CryoDevice) device = g_list_model_get_item (G_LIST_MODEL (self->devices), i);
          cryo_device_set_monitoring (device, TRUE);
        }
    }

  gtk_window_present (window);
}

static void
cryo_application_shutdown (GApplication *application)
{
  CryoApplication *self = CRYO_APPLICATION (application);

  /* Close every port before the simulators stop. */
  g_list_store_remove_all (self->devices);
  g_clear_object (&self->demo);

  G_APPLICATION_CLASS (cryo_application_parent_class)->shutdown (application);
}

static void
cryo_application_dispose (GObject *object)
{
  CryoApplication *self = CRYO_APPLICATION (object);

  g_clear_object (&self->devices);
  g_clear_object (&self->demo);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->configs, g_ptr_array_unref);
  g_clear_pointer (&self->config_error, g_free);

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
  CryoPreferencesWindow *preferences = cryo_preferences_window_new (self->settings);

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

static const GActionEntry app_actions[] = {
  { "about", cryo_application_about_action },
  { "preferences", cryo_application_preferences_action },
  { "quit", cryo_application_quit_action },
};

static void
cryo_application_init (CryoApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  self->devices = g_list_store_new (CRYO_TYPE_DEVICE);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

/**
 * cryo_application_new:
 * @configs: (nullable) (element-type CryoDeviceConfig): devices from the
 *   command line; when empty, the devices keyfile is read, and when that
 *   has none either the simulated instruments are used
 * @demo: use the simulated instruments whatever is configured
 *
 * Returns: (transfer full): the application
 */
CryoApplication *
cryo_application_new (GPtrArray *configs,
                      gboolean   demo)
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

  return self;
}

/**
 * cryo_application_get_devices:
 * @self: a #CryoApplication
 *
 * Returns: (transfer none): a #GListModel of #CryoDevice
 */
GListModel *
cryo_application_get_devices (CryoApplication *self)
{
  g_return_val_if_fail (CRYO_IS_APPLICATION (self), NULL);

  return G_LIST_MODEL (self->devices);
}

/**
 * cryo_application_get_demo:
 * @self: a #CryoApplication
 *
 * Returns: whether the devices are the built-in simulators
 */
gboolean
cryo_application_get_demo (CryoApplication *self)
{
  g_return_val_if_fail (CRYO_IS_APPLICATION (self), FALSE);

  return self->demo != NULL;
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
 * cryo_application_get_config_error:
 * @self: a #CryoApplication
 *
 * Returns: (nullable): why the configured devices could not be used (a
 *   broken devices file, an unknown type), or %NULL
 */
const char *
cryo_application_get_config_error (CryoApplication *self)
{
  g_return_val_if_fail (CRYO_IS_APPLICATION (self), NULL);

  return self->config_error;
}

/**
 * cryo_application_connect_device:
 * @self: a #CryoApplication
 * @config: (transfer full): the instrument to add
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG when it cannot be created
 *
 * Adds an instrument and starts monitoring it. When the simulated
 * instruments are running they are stopped and removed first: the demo
 * never mixes with real hardware. Other devices keep their history.
 *
 * Returns: %TRUE when the device was added
 */
gboolean
cryo_application_connect_device (CryoApplication   *self,
                                 CryoDeviceConfig  *config,
                                 GError           **error)
{
  g_autoptr(CryoDeviceConfig) owned = config;
  g_autoptr(CryoDevice) device = NULL;

  g_return_val_if_fail (CRYO_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  device = cryo_device_config_create_device (config, error);
  if (device == NULL)
    return FALSE;

  if (self->demo != NULL)
    {
      g_list_store_remove_all (self->devices);
      g_clear_object (&self->demo);
      g_clear_pointer (&self->config_error, g_free);
    }

  if (self->configs == NULL)
    self->configs = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_device_config_free);
  g_ptr_array_add (self->configs, g_steal_pointer (&owned));

  cryo_application_add_device (self, device, config);
  cryo_application_apply_poll_interval (self);
  cryo_device_set_monitoring (device, TRUE);

  return TRUE;
}
