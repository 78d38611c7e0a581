/* cryo-thresholds-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-thresholds-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-thresholds-dialog.h"

/**
 * CryoThresholdsDialog:
 *
 * Edits the user thresholds of one device (issue 12 §1), one entry per
 * reading in the text form of #CryoThresholdSpec. Save checks every entry,
 * then replaces the device's configuration in the session, which writes
 * devices.conf (for a configured device) and applies the thresholds
 * without reconnecting. A wrong entry is marked and its reason shown; the
 * dialog then stays open.
 */
struct _CryoThresholdsDialog
{
  AdwWindow             parent_instance;

  CryoSession          *session;
  CryoDevice           *device;
  GHashTable           *rows;     /* channel key → AdwEntryRow */

  /* Template widgets */
  AdwPreferencesGroup  *group;
  GtkLabel             *error_label;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_DEVICE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CryoThresholdsDialog, cryo_thresholds_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties [N_PROPS];

static int
find_entry (CryoThresholdsDialog *self)
{
  for (guint i = 0; i < cryo_session_get_n_entries (self->session); i++)
    if (cryo_session_get_entry_device (self->session, i) == self->device)
      return i;

  return -1;
}

static void
show_error (CryoThresholdsDialog *self,
            const char           *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
on_cancel_clicked_cb (CryoThresholdsDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_save_clicked_cb (CryoThresholdsDialog *self)
{
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *channels;
  int position = find_entry (self);

  if (position < 0)
    {
      show_error (self, _("The device was removed; its thresholds cannot be saved."));
      return;
    }

  config = cryo_device_config_copy (cryo_session_get_entry_config (self->session, position));
  channels = cryo_device_get_channels (self->device);
  for (guint i = 0; i < channels->len; i++)
    {
      const CryoChannelInfo *info = cryo_device_get_channel_info (self->device, g_ptr_array_index (channels, i));
      GtkWidget *row = g_hash_table_lookup (self->rows, info->key);
      g_autofree char *text = NULL;

      if (row == NULL)
        continue;

      text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
      gtk_widget_remove_css_class (row, "error");
      if (!cryo_device_config_set_threshold (config, info->key, text[0] != '\0' ? text : NULL, &error))
        {
          /* Translators: the reading's label, then why its threshold is wrong */
          g_autofree char *message = g_strdup_printf (_("%s: %s"), g_dgettext (GETTEXT_PACKAGE, info->label),
                                                      error->message);

          gtk_widget_add_css_class (row, "error");
          gtk_widget_grab_focus (row);
          show_error (self, message);
          return;
        }
    }

  if (!cryo_session_replace (self->session, position, config, &error))
    {
      show_error (self, error->message);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
build_rows (CryoThresholdsDialog *self)
{
  const CryoDeviceConfig *config = NULL;
  GPtrArray *channels = cryo_device_get_channels (self->device);
  int position = find_entry (self);

  if (position >= 0)
    config = cryo_session_get_entry_config (self->session, position);

  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      const CryoChannelInfo *info = cryo_device_get_channel_info (self->device, channel);
      const char *symbol = cryo_unit_get_symbol (cryo_channel_get_unit (channel));
      const char *threshold = config != NULL ? cryo_device_config_get_threshold (config, info->key) : NULL;
      g_autofree char *title = NULL;
      GtkWidget *row;

      if (info->flags & CRYO_CHANNEL_FLAG_HIDDEN)
        continue;

      if (symbol != NULL && symbol[0] != '\0')
        /* Translators: a reading and its unit, "Pressure (Pa)" */
        title = g_strdup_printf (_("%s (%s)"), cryo_channel_get_label (channel), symbol);
      else
        title = g_strdup (cryo_channel_get_label (channel));

      row = adw_entry_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_editable_set_text (GTK_EDITABLE (row), threshold != NULL ? threshold : "");
      adw_preferences_group_add (self->group, row);
      g_hash_table_insert (self->rows, g_strdup (info->key), row);
    }
}

static void
cryo_thresholds_dialog_constructed (GObject *object)
{
  CryoThresholdsDialog *self = CRYO_THRESHOLDS_DIALOG (object);
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (cryo_thresholds_dialog_parent_class)->constructed (object);

  g_assert (CRYO_IS_SESSION (self->session));
  g_assert (CRYO_IS_DEVICE (self->device));

  /* Translators: the thresholds dialog's title, "Thresholds of Pumping station" */
  title = g_strdup_printf (_("Thresholds of %s"), cryo_device_get_name (self->device));
  gtk_window_set_title (GTK_WINDOW (self), title);
  build_rows (self);
}

static void
cryo_thresholds_dialog_dispose (GObject *object)
{
  CryoThresholdsDialog *self = CRYO_THRESHOLDS_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_THRESHOLDS_DIALOG);
  g_clear_object (&self->session);
  g_clear_object (&self->device);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (cryo_thresholds_dialog_parent_class)->dispose (object);
}

static void
cryo_thresholds_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CryoThresholdsDialog *self = CRYO_THRESHOLDS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_thresholds_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CryoThresholdsDialog *self = CRYO_THRESHOLDS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_DEVICE:
      self->device = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_thresholds_dialog_class_init (CryoThresholdsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cryo_thresholds_dialog_constructed;
  object_class->dispose = cryo_thresholds_dialog_dispose;
  object_class->get_property = cryo_thresholds_dialog_get_property;
  object_class->set_property = cryo_thresholds_dialog_set_property;

  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CRYO_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, CRYO_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-thresholds-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoThresholdsDialog, group);
  gtk_widget_class_bind_template_child (widget_class, CryoThresholdsDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
}

static void
cryo_thresholds_dialog_init (CryoThresholdsDialog *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cryo_thresholds_dialog_new:
 * @session: the session that owns @device's configuration
 * @device: a device of @session
 *
 * Returns: (transfer full): a dialog editing @device's thresholds
 */
CryoThresholdsDialog *
cryo_thresholds_dialog_new (CryoSession *session,
                            CryoDevice  *device)
{
  g_return_val_if_fail (CRYO_IS_SESSION (session), NULL);
  g_return_val_if_fail (CRYO_IS_DEVICE (device), NULL);

  return g_object_new (CRYO_TYPE_THRESHOLDS_DIALOG,
                       "session", session,
                       "device", device,
                       NULL);
}

/**
 * cryo_thresholds_dialog_get_row:
 * @self: a #CryoThresholdsDialog
 * @channel: a channel key ("pressure")
 *
 * Returns: (transfer none) (nullable): the entry of @channel's threshold
 */
AdwEntryRow *
cryo_thresholds_dialog_get_row (CryoThresholdsDialog *self,
                                const char           *channel)
{
  g_return_val_if_fail (CRYO_IS_THRESHOLDS_DIALOG (self), NULL);
  g_return_val_if_fail (channel != NULL, NULL);

  return g_hash_table_lookup (self->rows, channel);
}
