/* cryo-connect-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-connect-dialog"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cryo-connect-dialog.h"
#include "cryo-device-config.h"
#include "cryo-serial-transport.h"

struct _CryoConnectDialog
{
  AdwWindow        parent_instance;

  CryoApplication *application;
  GCancellable    *cancellable;

  AdwComboRow     *type_row;
  AdwComboRow     *connection_row;
  AdwEntryRow     *host_row;
  GtkWidget       *tcp_port_row;
  GtkSpinButton   *tcp_port_spin;
  AdwEntryRow     *port_row;
  AdwComboRow     *baud_row;
  AdwComboRow     *parity_row;
  GtkWidget       *unit_row;
  GtkSpinButton   *unit_spin;
  GtkWidget       *address_row;
  GtkSpinButton   *address_spin;
  GtkWidget       *ports_group;
  GtkSwitch       *remember_switch;
  GtkListBox      *port_list;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (CryoConnectDialog, cryo_connect_dialog, ADW_TYPE_WINDOW)

static void
cryo_connect_dialog_show_error (CryoConnectDialog *self,
                                const char        *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
cryo_connect_dialog_is_compressor (CryoConnectDialog *self)
{
  return adw_combo_row_get_selected (self->type_row) == 1;
}

static gboolean
cryo_connect_dialog_is_tcp (CryoConnectDialog *self)
{
  return cryo_connect_dialog_is_compressor (self) &&
         adw_combo_row_get_selected (self->connection_row) == 0;
}

/* Shows the settings the chosen instrument and link have. */
static void
on_type_row_selected_cb (CryoConnectDialog *self)
{
  gboolean compressor = cryo_connect_dialog_is_compressor (self);
  gboolean tcp = cryo_connect_dialog_is_tcp (self);
  guint baud = compressor ? 0 : 4;  /* 115200 (Cryomech's sample code) or 9600 (Agilent) */

  gtk_widget_set_visible (GTK_WIDGET (self->connection_row), compressor);
  gtk_widget_set_visible (GTK_WIDGET (self->host_row), tcp);
  gtk_widget_set_visible (self->tcp_port_row, tcp);
  gtk_widget_set_visible (GTK_WIDGET (self->port_row), !tcp);
  gtk_widget_set_visible (GTK_WIDGET (self->baud_row), !tcp);
  gtk_widget_set_visible (GTK_WIDGET (self->parity_row), compressor && !tcp);
  gtk_widget_set_visible (self->unit_row, compressor);
  gtk_widget_set_visible (self->address_row, !compressor);
  gtk_widget_set_visible (self->ports_group, !tcp);

  adw_combo_row_set_selected (self->baud_row, baud);
  gtk_spin_button_set_value (self->unit_spin, tcp ? 1 : 16);
  gtk_window_set_title (GTK_WINDOW (self),
                        compressor ? _("Connect Compressor") : _("Connect Pumping Station"));
  cryo_connect_dialog_show_error (self, NULL);
}

static CryoDeviceConfig *
cryo_connect_dialog_get_config (CryoConnectDialog  *self,
                                GError            **error)
{
  static const char * const parities[] = { "none", "even", "odd" };
  gboolean compressor = cryo_connect_dialog_is_compressor (self);
  g_autoptr(GString) spec = g_string_new (compressor ? "cpa:" : "pump-station:");

  if (cryo_connect_dialog_is_tcp (self))
    {
      const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));

      if (host[0] == '\0' || strpbrk (host, ", ") != NULL)
        {
          g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                               _("Type the compressor's host name or IP address, e.g. 192.168.1.10"));
          return NULL;
        }

      g_string_append_printf (spec, strchr (host, ':') ? "tcp:[%s]:%d" : "tcp:%s:%d", host,
                              gtk_spin_button_get_value_as_int (self->tcp_port_spin));
    }
  else
    {
      const char *port = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
      GtkStringObject *baud = adw_combo_row_get_selected_item (self->baud_row);

      if (port[0] == '\0')
        {
          g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                               _("Choose or type the instrument's serial port, e.g. /dev/ttyUSB0"));
          return NULL;
        }

      if (strchr (port, ',') != NULL)
        {
          g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                               _("A serial port path cannot contain a comma"));
          return NULL;
        }

      g_string_append_printf (spec, "%s,baud=%s", port, gtk_string_object_get_string (baud));
      if (compressor)
        g_string_append_printf (spec, ",parity=%s",
                                parities[MIN (adw_combo_row_get_selected (self->parity_row), 2)]);
      else
        g_string_append_printf (spec, ",address=%d", gtk_spin_button_get_value_as_int (self->address_spin));
    }

  if (compressor)
    g_string_append_printf (spec, ",unit=%d", gtk_spin_button_get_value_as_int (self->unit_spin));

  return cryo_device_config_parse (spec->str, error);
}

static void
cryo_connect_dialog_connect (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CryoConnectDialog *self = CRYO_CONNECT_DIALOG (widget);
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = cryo_connect_dialog_get_config (self, &error);
  if (config == NULL)
    {
      cryo_connect_dialog_show_error (self, error->message);
      return;
    }

  if (cryo_session_add (cryo_application_get_session (self->application), config,
                        gtk_switch_get_active (self->remember_switch), &error) == NULL)
    {
      cryo_connect_dialog_show_error (self, error->message);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_port_row_changed_cb (CryoConnectDialog *self)
{
  cryo_connect_dialog_show_error (self, NULL);
}

static void
on_port_row_entry_activated_cb (CryoConnectDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "connect.connect", NULL);
}

static void
on_port_list_row_activated_cb (CryoConnectDialog *self,
                               GtkListBoxRow     *row,
                               GtkListBox        *list)
{
  const char *path = g_object_get_data (G_OBJECT (row), "cryo-port-path");

  if (path != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->port_row), path);
}

static void
list_ports_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *ports = cryo_serial_list_ports (&error);

  if (ports == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ports, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_ports_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ports = g_task_propagate_pointer (G_TASK (result), &error);
  CryoConnectDialog *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CRYO_CONNECT_DIALOG (object);

  if (ports == NULL || ports->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     ports == NULL ? _("Serial ports could not be listed")
                                                   : _("No serial ports found"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   error != NULL ? error->message
                                                 : _("Plug the USB adapter in, or type the path of a port"));
      gtk_list_box_append (self->port_list, row);
      return;
    }

  for (guint i = 0; i < ports->len; i++)
    {
      CryoSerialPortInfo *info = g_ptr_array_index (ports, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->path);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (info->description != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), info->description);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "cryo-port-path", g_strdup (info->path), g_free);
      gtk_list_box_append (self->port_list, row);
    }

  if (gtk_editable_get_text (GTK_EDITABLE (self->port_row))[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->port_row),
                           ((CryoSerialPortInfo *) g_ptr_array_index (ports, 0))->path);
}

static void
cryo_connect_dialog_dispose (GObject *object)
{
  CryoConnectDialog *self = CRYO_CONNECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_CONNECT_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (cryo_connect_dialog_parent_class)->dispose (object);
}

static void
cryo_connect_dialog_class_init (CryoConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cryo_connect_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, connection_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, tcp_port_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, tcp_port_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, baud_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, parity_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, unit_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, unit_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, address_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, ports_group);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, port_list);
  gtk_widget_class_bind_template_child (widget_class, CryoConnectDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_type_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_port_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_port_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_port_list_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "connect.connect", NULL, cryo_connect_dialog_connect);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cryo_connect_dialog_init (CryoConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  on_type_row_selected_cb (self);
}

/**
 * cryo_connect_dialog_new:
 * @application: the application whose devices the dialog replaces
 *
 * Creates the dialog that connects a real instrument: the pumping station
 * on a serial port (typed, or picked from the ports found, with their USB
 * descriptions) with its baud rate and RS-485 address, or the compressor
 * over Ethernet (host, TCP port, unit id) or a serial port (baud rate,
 * parity, unit id); optionally saved in the devices file. Connecting adds
 * the instrument and ends the demo.
 *
 * Returns: (transfer full): a new dialog
 */
CryoConnectDialog *
cryo_connect_dialog_new (CryoApplication *application)
{
  CryoConnectDialog *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (CRYO_IS_APPLICATION (application), NULL);

  self = g_object_new (CRYO_TYPE_CONNECT_DIALOG, NULL);
  self->application = g_object_ref (application);

  /* Listing reads sysfs and USB descriptors: not on the main thread. */
  task = g_task_new (self, self->cancellable, on_ports_listed_cb, NULL);
  g_task_run_in_thread (task, list_ports_thread);

  return self;
}
