/* cryo-devices-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every configured device of the session, with a page to add one and a
 * page to edit or remove each (CryoDeviceEditor). The session does the
 * work and says when its entries change; the list follows.
 */

#define G_LOG_DOMAIN "cryo-devices-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-device-editor.h"
#include "cryo-devices-dialog.h"
#include "cryo-status.h"

struct _CryoDevicesDialog
{
  AdwPreferencesWindow  parent_instance;

  CryoSession          *session;
  GSettings            *settings;

  /* Template widgets */
  AdwPreferencesGroup  *devices_group;
  GtkListBox           *device_list;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SETTINGS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CryoDevicesDialog, cryo_devices_dialog, ADW_TYPE_PREFERENCES_WINDOW)

static GParamSpec *properties [N_PROPS];

static char *
dup_entry_details (CryoDevicesDialog *self,
                   guint              position)
{
  const CryoDeviceConfig *config = cryo_session_get_entry_config (self->session, position);
  g_autofree char *port = cryo_device_config_dup_port_spec (config);
  const char *state;

  if (cryo_session_get_demo (self->session))
    state = _("Simulated, not saved");
  else if (cryo_session_get_entry_saved (self->session, position))
    state = config->disabled ? _("Disabled, saved in devices.conf")
                             : _("Enabled, saved in devices.conf");
  else
    state = config->disabled ? _("Disabled, not saved") : _("Enabled, not saved");

  /* Translators: "Pumping station on /dev/ttyUSB0", then whether it is
   * enabled and saved, on a line of its own */
  return g_strdup_printf (_("%s on %s\n%s"), cryo_device_kind_get_title (config->kind),
                          port ? port : "", state);
}

/* Rebuilt whole on every change: a few rows, changed by hand. */
static void
cryo_devices_dialog_update (CryoDevicesDialog *self)
{
  guint n = cryo_session_get_n_entries (self->session);
  gboolean demo = cryo_session_get_demo (self->session);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->device_list))) != NULL)
    gtk_list_box_remove (self->device_list, child);

  if (demo)
    adw_preferences_group_set_description (self->devices_group,
                                           _("These simulated instruments are not saved. Adding a "
                                             "real device replaces them."));
  else
    adw_preferences_group_set_description (self->devices_group,
                                           _("Devices saved in devices.conf are used at "
                                             "every start."));

  for (guint i = 0; i < n; i++)
    {
      const CryoDeviceConfig *config = cryo_session_get_entry_config (self->session, i);
      g_autofree char *details = dup_entry_details (self, i);
      GtkWidget *row = adw_action_row_new ();

      /* Names are the user's: "R&D <run 3>" must show as typed. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), config->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), details);

      /* The simulators are replaced, not edited. */
      if (!demo)
        {
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_set_tooltip_text (row, _("Edit or remove this device"));
        }
      else
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

      if (config->disabled)
        gtk_widget_add_css_class (row, "dim-label");

      gtk_list_box_append (self->device_list, row);
    }
}

static void
on_editor_done_cb (CryoDevicesDialog *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void
cryo_devices_dialog_open_editor (CryoDevicesDialog *self,
                                 int                position)
{
  CryoDeviceEditor *editor = cryo_device_editor_new (self->session, self->settings, position);

  g_signal_connect_object (editor, "done",
                           G_CALLBACK (on_editor_done_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), GTK_WIDGET (editor));
}

static void
on_device_list_row_activated_cb (CryoDevicesDialog *self,
                                 GtkListBoxRow     *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "devices.edit", "u",
                              (guint32) gtk_list_box_row_get_index (row));
}

static void
cryo_devices_dialog_add (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  cryo_devices_dialog_open_editor (CRYO_DEVICES_DIALOG (widget), -1);
}

static void
cryo_devices_dialog_edit (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CryoDevicesDialog *self = CRYO_DEVICES_DIALOG (widget);
  guint position = g_variant_get_uint32 (parameter);

  if (position < cryo_session_get_n_entries (self->session) &&
      !cryo_session_get_demo (self->session))
    cryo_devices_dialog_open_editor (self, position);
}

static void
cryo_devices_dialog_constructed (GObject *object)
{
  CryoDevicesDialog *self = CRYO_DEVICES_DIALOG (object);

  G_OBJECT_CLASS (cryo_devices_dialog_parent_class)->constructed (object);

  g_assert (CRYO_IS_SESSION (self->session));

  g_signal_connect_object (self->session, "entries-changed",
                           G_CALLBACK (cryo_devices_dialog_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::demo",
                           G_CALLBACK (cryo_devices_dialog_update), self,
                           G_CONNECT_SWAPPED);
  cryo_devices_dialog_update (self);
}

static void
cryo_devices_dialog_dispose (GObject *object)
{
  CryoDevicesDialog *self = CRYO_DEVICES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_DEVICES_DIALOG);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cryo_devices_dialog_parent_class)->dispose (object);
}

static void
cryo_devices_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CryoDevicesDialog *self = CRYO_DEVICES_DIALOG (object);

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
cryo_devices_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CryoDevicesDialog *self = CRYO_DEVICES_DIALOG (object);

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
cryo_devices_dialog_class_init (CryoDevicesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cryo_devices_dialog_constructed;
  object_class->dispose = cryo_devices_dialog_dispose;
  object_class->get_property = cryo_devices_dialog_get_property;
  object_class->set_property = cryo_devices_dialog_set_property;

  /**
   * CryoDevicesDialog:session:
   *
   * The session whose devices are listed and changed.
   */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CRYO_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoDevicesDialog:settings:
   *
   * The application settings, for the poll interval preferences.
   */
  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRYO_TYPE_DEVICE_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/cryo-devices-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoDevicesDialog, devices_group);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicesDialog, device_list);
  gtk_widget_class_bind_template_callback (widget_class, on_device_list_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "devices.add", NULL, cryo_devices_dialog_add);
  gtk_widget_class_install_action (widget_class, "devices.edit", "u", cryo_devices_dialog_edit);
}

static void
cryo_devices_dialog_init (CryoDevicesDialog *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  cryo_accessible_name_inner (GTK_WIDGET (self), GTK_TYPE_SEARCH_ENTRY, _("Search"));

  placeholder = gtk_label_new (_("No devices. Add one to start monitoring."));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_list_box_set_placeholder (self->device_list, placeholder);
}

/**
 * cryo_devices_dialog_new:
 * @session: the session whose devices are listed
 * @settings: (nullable): the application settings, for the poll interval
 *   preferences
 *
 * Creates the Devices dialog: every configured device with its type, port,
 * whether it is enabled and saved in devices.conf; adding a device (which
 * ends the demo), editing, testing and removing one. Changes go through
 * @session, which writes devices.conf.
 *
 * Returns: (transfer full): a new dialog
 */
CryoDevicesDialog *
cryo_devices_dialog_new (CryoSession *session,
                         GSettings   *settings)
{
  g_return_val_if_fail (CRYO_IS_SESSION (session), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRYO_TYPE_DEVICES_DIALOG,
                       "session", session,
                       "settings", settings,
                       NULL);
}
