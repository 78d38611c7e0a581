/* cryo-device-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page of the Devices dialog that adds one device or edits one: every
 * field comes from the kind descriptor (link kind, line defaults, options
 * with their ranges), so no instrument is named here.
 */

#define G_LOG_DOMAIN "cryo-device-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-device.h"
#include "cryo-device-config.h"
#include "cryo-device-editor.h"
#include "cryo-display-units.h"
#include "cryo-serial-transport.h"

/* How long a connection test waits for its poll. The Modbus connect and
 * every reply timeout are shorter, so a silent instrument has failed by
 * then. */
#define TEST_TIMEOUT_SECONDS 5

struct _CryoDeviceEditor
{
  GtkBox                 parent_instance;

  CryoSession           *session;
  GSettings             *settings;
  int                    position;
  CryoDeviceConfig      *original;
  const CryoDeviceKind **kinds;
  guint                  n_kinds;
  const CryoDeviceKind  *kind;
  char                  *default_name;
  GPtrArray             *ports;
  GPtrArray             *port_checks;
  GPtrArray             *option_rows;
  GPtrArray             *option_spins;
  GCancellable          *cancellable;
  CryoDevice            *test_device;
  guint                  test_timeout;
  gboolean               tcp;

  /* Template widgets */
  AdwWindowTitle        *window_title;
  GtkButton             *save_button;
  GtkRevealer           *message_revealer;
  GtkWidget             *message_banner;
  GtkImage              *message_icon;
  GtkSpinner            *message_spinner;
  GtkLabel              *message_label;
  AdwComboRow           *kind_row;
  AdwEntryRow           *name_row;
  GtkSwitch             *enabled_switch;
  GtkWidget             *remember_row;
  GtkSwitch             *remember_switch;
  AdwComboRow           *connection_row;
  AdwEntryRow           *host_row;
  GtkWidget             *tcp_port_row;
  GtkSpinButton         *tcp_port_spin;
  AdwEntryRow           *port_row;
  GtkWidget             *ports_group;
  GtkListBox            *port_list;
  GtkWidget             *line_group;
  AdwComboRow           *baud_row;
  GtkStringList         *baud_list;
  AdwComboRow           *parity_row;
  AdwComboRow           *data_bits_row;
  AdwComboRow           *stop_bits_row;
  AdwPreferencesGroup   *options_group;
  AdwActionRow          *poll_row;
  GtkEntry              *poll_entry;
  GtkWidget             *remove_group;
};

/* What the banner at the top of the page says. */
typedef enum
{
  MESSAGE_NONE,
  MESSAGE_BUSY,
  MESSAGE_SUCCESS,
  MESSAGE_ERROR,
} Message;

/* Positions in the Interface row of a kind reached over Modbus. */
enum {
  INTERFACE_TCP,
  INTERFACE_SERIAL,
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SETTINGS,
  PROP_POSITION,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CryoDeviceEditor, cryo_device_editor, GTK_TYPE_BOX)

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* In the order of the Parity row. */
static const char * const parity_names[] = { "none", "even", "odd" };

/* Errors and test results show above the page, which may be scrolled
 * anywhere. The text is shown as it is: no markup. */
static void
show_message (CryoDeviceEditor *self,
              Message           message,
              const char       *text)
{
  static const char * const icons[] = {
    NULL, NULL, "emblem-ok-symbolic", "dialog-error-symbolic",
  };

  gtk_revealer_set_reveal_child (self->message_revealer, message != MESSAGE_NONE);
  if (message == MESSAGE_NONE)
    return;

  gtk_label_set_text (self->message_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->message_spinner), message == MESSAGE_BUSY);
  gtk_spinner_set_spinning (self->message_spinner, message == MESSAGE_BUSY);
  gtk_widget_set_visible (GTK_WIDGET (self->message_icon), icons[message] != NULL);
  if (icons[message] != NULL)
    gtk_image_set_from_icon_name (self->message_icon, icons[message]);

  gtk_widget_remove_css_class (self->message_banner, "success");
  gtk_widget_remove_css_class (self->message_banner, "error");
  if (message == MESSAGE_SUCCESS)
    gtk_widget_add_css_class (self->message_banner, "success");
  else if (message == MESSAGE_ERROR)
    gtk_widget_add_css_class (self->message_banner, "error");
}

static void
show_error (CryoDeviceEditor *self,
            const char       *text)
{
  show_message (self, MESSAGE_ERROR, text);
}

/* Editing a field takes back what was said of the previous values. */
static void
clear_message (CryoDeviceEditor *self)
{
  if (self->test_device == NULL)
    show_message (self, MESSAGE_NONE, NULL);
}

static guint
find_string (GListModel *list,
             const char *text)
{
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (list), i), text))
      return i;

  return GTK_INVALID_LIST_POSITION;
}

static void
select_string (AdwComboRow *row,
               const char  *text)
{
  guint position = find_string (adw_combo_row_get_model (row), text);

  if (position != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (row, position);
}

static const char *
get_selected_string (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? gtk_string_object_get_string (item) : "";
}

static guint
option_default (const CryoKindOption *option,
                gboolean              tcp)
{
  return tcp ? option->default_tcp_value : option->default_value;
}

/* The kind's title, numbered when another device has it already; the
 * simulators leave when a real device comes, so they do not count. */
static char *
dup_default_name (CryoDeviceEditor *self)
{
  const char *title = cryo_device_kind_get_title (self->kind);

  if (cryo_session_get_demo (self->session))
    return g_strdup (title);

  return cryo_session_dup_unique_name (self->session, title, -1);
}

/* The Type list names each kind's instrument under its title. */
static void
on_kind_item_setup_cb (CryoDeviceEditor *self,
                       GtkListItem      *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *model = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (model), 0);
  gtk_widget_add_css_class (model, "caption");
  gtk_widget_add_css_class (model, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), model);
  gtk_list_item_set_child (item, box);
}

static void
on_kind_item_bind_cb (CryoDeviceEditor *self,
                      GtkListItem      *item)
{
  guint position = gtk_list_item_get_position (item);
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));

  g_assert (position < self->n_kinds);

  gtk_label_set_text (GTK_LABEL (title), cryo_device_kind_get_title (self->kinds[position]));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (title)),
                      self->kinds[position]->model);
}

static void on_connection_row_selected_cb (CryoDeviceEditor *self);

/* Every kind is reached over a serial line or the network: Modbus kinds
 * speak Modbus TCP there, serial kinds go through a serial device server
 * (Moxa NPort, ser2net). Line settings only matter on a serial line. */
static void
update_visibility (CryoDeviceEditor *self)
{
  gboolean modbus = self->kind->link_kind == CRYO_LINK_KIND_MODBUS;
  GtkStringList *interfaces = GTK_STRING_LIST (adw_combo_row_get_model (self->connection_row));
  const char * const labels[] = {
    modbus ? _("Network (Modbus TCP)") : _("Network (serial device server)"),
    modbus ? _("Serial line (Modbus RTU)") : _("Serial line"),
    NULL
  };
  guint selected = adw_combo_row_get_selected (self->connection_row);

  if (g_strcmp0 (gtk_string_list_get_string (interfaces, INTERFACE_TCP), labels[INTERFACE_TCP]) != 0)
    {
      /* Replacing the items resets the selection: keep it. */
      g_signal_handlers_block_by_func (self->connection_row, on_connection_row_selected_cb, self);
      gtk_string_list_splice (interfaces, 0, 2, labels);
      adw_combo_row_set_selected (self->connection_row, selected);
      g_signal_handlers_unblock_by_func (self->connection_row, on_connection_row_selected_cb, self);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->host_row), self->tcp);
  gtk_widget_set_visible (self->tcp_port_row, self->tcp);
  gtk_widget_set_visible (GTK_WIDGET (self->port_row), !self->tcp);
  gtk_widget_set_visible (self->ports_group, !self->tcp);
  gtk_widget_set_visible (self->line_group, !self->tcp);
  gtk_widget_set_visible (GTK_WIDGET (self->options_group), self->option_rows->len > 0);
}

static void
update_port_checks (CryoDeviceEditor *self)
{
  const char *port = gtk_editable_get_text (GTK_EDITABLE (self->port_row));

  for (guint i = 0; self->ports != NULL && i < self->ports->len; i++)
    {
      CryoSerialPortInfo *info = g_ptr_array_index (self->ports, i);
      gboolean chosen = (g_strcmp0 (port, info->path) == 0 ||
                         g_strcmp0 (port, info->stable_path) == 0);

      gtk_widget_set_visible (g_ptr_array_index (self->port_checks, i), chosen);
    }
}

static void
clear_option_rows (CryoDeviceEditor *self)
{
  for (guint i = 0; i < self->option_rows->len; i++)
    adw_preferences_group_remove (self->options_group, g_ptr_array_index (self->option_rows, i));

  g_ptr_array_set_size (self->option_rows, 0);
  g_ptr_array_set_size (self->option_spins, 0);
}

/* One row per option of the kind, with its range and defaults. */
static void
build_option_rows (CryoDeviceEditor *self)
{
  clear_option_rows (self);

  for (guint i = 0; self->kind->options != NULL && self->kind->options[i].name != NULL; i++)
    {
      const CryoKindOption *option = &self->kind->options[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (option->min, option->max, 1);
      g_autofree char *subtitle = NULL;

      if (option->default_value == option->default_tcp_value)
        /* Translators: the range and default of a device option ("RS-485 address") */
        subtitle = g_strdup_printf (_("%u to %u, usually %u"),
                                    option->min, option->max, option->default_value);
      else if (self->kind->link_kind == CRYO_LINK_KIND_MODBUS)
        subtitle = g_strdup_printf (_("%u to %u, usually %u on a serial line "
                                      "and %u over the network"),
                                    option->min, option->max,
                                    option->default_value, option->default_tcp_value);
      else
        subtitle = g_strdup_printf (_("%u to %u, usually %u"),
                                    option->min, option->max, option->default_value);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     g_dgettext (GETTEXT_PACKAGE, option->label));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      g_dgettext (GETTEXT_PACKAGE, option->label),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      adw_preferences_group_add (self->options_group, row);

      g_ptr_array_add (self->option_rows, row);
      g_ptr_array_add (self->option_spins, spin);
    }
}

/* Fills every field from @config, whose kind is shown. */
static void
load_config (CryoDeviceEditor       *self,
             const CryoDeviceConfig *config)
{
  g_autofree char *baud = g_strdup_printf ("%u", config->serial.baud);
  g_autofree char *data_bits = g_strdup_printf ("%u", config->serial.data_bits);
  g_autofree char *stop_bits = g_strdup_printf ("%u", config->serial.stop_bits);
  g_autofree char *poll_placeholder = NULL;
  g_autofree char *poll_subtitle = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert (config->kind == self->kind);

  build_option_rows (self);

  if (config->name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), config->name);
  gtk_switch_set_active (self->enabled_switch, !config->disabled);

  /* The options below are loaded for this interface. */
  self->tcp = config->host != NULL;
  adw_combo_row_set_selected (self->connection_row, self->tcp ? INTERFACE_TCP : INTERFACE_SERIAL);
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), config->host ? config->host : "");
  gtk_spin_button_set_value (self->tcp_port_spin, self->tcp ? config->tcp_port
                                                             : self->kind->default_tcp_port);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), config->port ? config->port : "");

  if (find_string (G_LIST_MODEL (self->baud_list), baud) == GTK_INVALID_LIST_POSITION)
    gtk_string_list_append (self->baud_list, baud);
  select_string (self->baud_row, baud);
  adw_combo_row_set_selected (self->parity_row,
                              config->serial.parity == CRYO_PARITY_EVEN ? 1
                              : config->serial.parity == CRYO_PARITY_ODD ? 2 : 0);
  select_string (self->data_bits_row, data_bits);
  select_string (self->stop_bits_row, stop_bits);

  for (guint i = 0; i < self->option_spins->len; i++)
    gtk_spin_button_set_value (g_ptr_array_index (self->option_spins, i),
                               cryo_device_config_get_option (config, self->kind->options[i].name));

  /* Seconds as people write them here: "0,5" in German. */
  g_snprintf (number, sizeof number, "%.10g",
              cryo_settings_get_poll_interval (self->settings, self->kind) / 1000.0);
  poll_placeholder = g_strdup (number);
  /* Translators: %s is a number of seconds */
  poll_subtitle = g_strdup_printf (_("Empty to follow Preferences, now %s s"), number);
  gtk_entry_set_placeholder_text (self->poll_entry, poll_placeholder);
  adw_action_row_set_subtitle (self->poll_row, poll_subtitle);
  if (config->poll_interval_ms != 0)
    g_snprintf (number, sizeof number, "%.10g", config->poll_interval_ms / 1000.0);
  else
    number[0] = '\0';
  gtk_editable_set_text (GTK_EDITABLE (self->poll_entry), number);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kind_row), self->kind->model);
  update_visibility (self);
  update_port_checks (self);
}

static char *
dup_stripped_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static gboolean
set_option_from_row (CryoDeviceConfig  *config,
                     const char        *key,
                     AdwComboRow       *row,
                     GError           **error)
{
  return cryo_device_config_set_option (config, key, get_selected_string (row), error);
}

/* Reads the fields into a configuration, refusing what the configuration
 * refuses, with its message. Unchanged fields leave the edited entry's
 * values as they were, so that a rename alone keeps the device running. */
static CryoDeviceConfig *
build_config (CryoDeviceEditor  *self,
              GError           **error)
{
  g_autoptr(CryoDeviceConfig) config = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  /* The locale's decimal comma or a point; devices.conf takes a point. */
  g_autofree char *poll = g_strdelimit (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->poll_entry))),
                                        ",", '.');

  if (self->original != NULL)
    config = cryo_device_config_copy (self->original);
  else
    config = cryo_device_config_new (self->kind, NULL);

  if (!cryo_device_config_set_option (config, "name", name, error))
    return NULL;

  if (self->tcp)
    {
      g_autofree char *host = dup_stripped_text (self->host_row);
      g_autofree char *port = NULL;

      gtk_spin_button_update (self->tcp_port_spin);
      if (host[0] == '\0')
        {
          g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                               _("Type the instrument’s host name or IP address, "
                                 "e.g. 192.168.1.10"));
          return NULL;
        }

      port = g_strdup_printf (strchr (host, ':') != NULL ? "tcp:[%s]:%d" : "tcp:%s:%d", host,
                              gtk_spin_button_get_value_as_int (self->tcp_port_spin));
      if (!cryo_device_config_set_port (config, port, error))
        return NULL;
    }
  else
    {
      g_autofree char *port = dup_stripped_text (self->port_row);
      guint parity = MIN (adw_combo_row_get_selected (self->parity_row), 2);

      if (!cryo_device_config_set_port (config, port, error) ||
          !set_option_from_row (config, "baud", self->baud_row, error) ||
          !cryo_device_config_set_option (config, "parity", parity_names[parity], error) ||
          !set_option_from_row (config, "databits", self->data_bits_row, error) ||
          !set_option_from_row (config, "stopbits", self->stop_bits_row, error) ||
          !cryo_serial_config_validate (&config->serial, error))
        return NULL;
    }

  for (guint i = 0; i < self->option_spins->len; i++)
    {
      const CryoKindOption *option = &self->kind->options[i];
      GtkSpinButton *spin = g_ptr_array_index (self->option_spins, i);
      g_autofree char *value = NULL;
      int number;

      gtk_spin_button_update (spin);
      number = gtk_spin_button_get_value_as_int (spin);

      /* An option left at its default follows the default, which differs
       * between the serial line and the network. */
      if ((config->options_given & (1u << i)) == 0 &&
          (guint) number == option_default (option, self->tcp))
        continue;

      value = g_strdup_printf ("%d", number);
      if (!cryo_device_config_set_option (config, option->name, value, error))
        return NULL;
    }

  if (poll[0] == '\0' || g_str_equal (poll, "0"))
    config->poll_interval_ms = 0;
  else if (!cryo_device_config_set_option (config, "poll", poll, error))
    return NULL;

  config->disabled = !gtk_switch_get_active (self->enabled_switch);

  return g_steal_pointer (&config);
}

static void
on_connection_row_selected_cb (CryoDeviceEditor *self)
{
  gboolean tcp;

  if (self->kind == NULL)
    return;

  tcp = adw_combo_row_get_selected (self->connection_row) == INTERFACE_TCP;
  if (tcp == self->tcp)
    return;

  /* Options still at the old interface's default take the new one's. */
  for (guint i = 0; i < self->option_spins->len; i++)
    {
      const CryoKindOption *option = &self->kind->options[i];
      GtkSpinButton *spin = g_ptr_array_index (self->option_spins, i);

      if ((guint) gtk_spin_button_get_value_as_int (spin) == option_default (option, self->tcp))
        gtk_spin_button_set_value (spin, option_default (option, tcp));
    }

  self->tcp = tcp;
  update_visibility (self);
}

static void
select_interface (CryoDeviceEditor *self,
                  gboolean          tcp)
{
  adw_combo_row_set_selected (self->connection_row, tcp ? INTERFACE_TCP : INTERFACE_SERIAL);

  /* Also when the row already showed it. */
  on_connection_row_selected_cb (self);
}

static void
on_kind_row_selected_cb (CryoDeviceEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autofree char *port = NULL;
  g_autofree char *host = NULL;

  if (self->original != NULL || self->kind == NULL || selected == GTK_INVALID_LIST_POSITION ||
      self->kinds[selected] == self->kind)
    return;

  /* A name the user typed stays; the previous kind's default name goes. */
  port = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->port_row)));
  host = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row)));
  self->kind = self->kinds[selected];
  config = cryo_device_config_new (self->kind, NULL);
  if (self->default_name == NULL || g_str_equal (name, self->default_name))
    {
      g_free (self->default_name);
      self->default_name = dup_default_name (self);
      config->name = g_strdup (self->default_name);
    }

  load_config (self, config);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);

  /* A network instrument is the common case for a Modbus kind. */
  if (self->kind->link_kind == CRYO_LINK_KIND_MODBUS)
    select_interface (self, TRUE);

  clear_message (self);
}

static void
on_field_changed_cb (CryoDeviceEditor *self)
{
  clear_message (self);
}

static void
on_port_row_changed_cb (CryoDeviceEditor *self)
{
  clear_message (self);
  update_port_checks (self);
}

static void
on_entry_activated_cb (CryoDeviceEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void
on_port_list_row_activated_cb (CryoDeviceEditor *self,
                               GtkListBoxRow    *row)
{
  int index = gtk_list_box_row_get_index (row);
  CryoSerialPortInfo *info;

  if (self->ports == NULL || index < 0 || (guint) index >= self->ports->len)
    return;

  /* The by-id name survives re-plugging, so it is the one saved. */
  info = g_ptr_array_index (self->ports, index);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row),
                         info->stable_path != NULL ? info->stable_path : info->path);
}

static void
clear_port_list (CryoDeviceEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->port_list))) != NULL)
    gtk_list_box_remove (self->port_list, child);
  g_clear_pointer (&self->ports, g_ptr_array_unref);
  g_ptr_array_set_size (self->port_checks, 0);
}

static void
add_port_message (CryoDeviceEditor *self,
                  const char       *title,
                  const char       *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_append (self->port_list, row);
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
  CryoDeviceEditor *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CRYO_DEVICE_EDITOR (object);
  clear_port_list (self);

  if (ports == NULL)
    {
      add_port_message (self, _("Serial ports could not be listed"), error->message);
      return;
    }

  if (ports->len == 0)
    {
      add_port_message (self, _("No serial ports found"),
                        _("Plug the USB adapter in and look again, or type the port"));
      return;
    }

  for (guint i = 0; i < ports->len; i++)
    {
      CryoSerialPortInfo *info = g_ptr_array_index (ports, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
      g_autofree char *subtitle = NULL;

      if (info->stable_path != NULL)
        subtitle = g_strdup_printf ("%s\n%s", info->stable_path, info->path);
      else
        subtitle = g_strdup (info->path);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->description);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_visible (check, FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      g_ptr_array_add (self->port_checks, check);
      gtk_list_box_append (self->port_list, row);
    }

  self->ports = g_steal_pointer (&ports);

  /* One USB adapter plugged in: that is the instrument's, most likely. A
   * PC's built-in ports are always there, so they say nothing. */
  if (gtk_editable_get_text (GTK_EDITABLE (self->port_row))[0] == '\0')
    {
      int only_usb = -1;

      for (guint i = 0; i < self->ports->len; i++)
        if (((CryoSerialPortInfo *) g_ptr_array_index (self->ports, i))->stable_path != NULL)
          only_usb = only_usb == -1 ? (int) i : -2;

      if (only_usb >= 0)
        on_port_list_row_activated_cb (self,
                                       gtk_list_box_get_row_at_index (self->port_list, only_usb));
    }

  update_port_checks (self);
}

/* Listing reads sysfs and USB descriptors: not on the main thread. */
static void
refresh_ports (CryoDeviceEditor *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (self, self->cancellable, on_ports_listed_cb, NULL);
  g_task_set_source_tag (task, refresh_ports);
  g_task_run_in_thread (task, list_ports_thread);
}

/* Closes the temporary device's port: its link worker finishes the job in
 * hand first, which the reply timeouts bound. */
static void
clear_test_device (CryoDeviceEditor *self)
{
  g_clear_handle_id (&self->test_timeout, g_source_remove);

  if (self->test_device != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->test_device, self);
      cryo_device_set_monitoring (self->test_device, FALSE);
      g_clear_object (&self->test_device);
    }
}

static void
stop_test (CryoDeviceEditor *self)
{
  clear_test_device (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test", TRUE);
}

static void
finish_test (CryoDeviceEditor *self)
{
  CryoDevice *device = self->test_device;
  g_autofree char *text = NULL;
  Message message = MESSAGE_ERROR;

  if (cryo_device_get_state (device) == CRYO_DEVICE_STATE_ONLINE)
    {
      g_autofree char *state = cryo_device_dup_state_text (device);

      message = MESSAGE_SUCCESS;
      if (state != NULL)
        /* Translators: %s is the instrument's own state, e.g. "Running" */
        text = g_strdup_printf (_("Connected: %s"), state);
      else
        text = g_strdup (_("Connected"));
    }
  else if (cryo_device_get_state (device) == CRYO_DEVICE_STATE_DISCONNECTED &&
           cryo_device_get_last_error (device) != NULL)
    text = g_strdup (cryo_device_get_last_error (device));
  else
    text = cryo_device_dup_status_text (device);

  stop_test (self);
  show_message (self, message, text);
}

static void
on_test_device_polled_cb (CryoDeviceEditor *self)
{
  finish_test (self);
}

/* A port that cannot be opened never polls: the link says so by waiting
 * to reopen it. */
static void
on_test_device_notify_state_cb (CryoDeviceEditor *self)
{
  if (cryo_device_get_state (self->test_device) == CRYO_DEVICE_STATE_DISCONNECTED &&
      cryo_device_get_last_error (self->test_device) != NULL)
    finish_test (self);
}

static gboolean
on_test_timeout_cb (gpointer user_data)
{
  CryoDeviceEditor *self = user_data;
  g_autofree char *status = cryo_device_dup_status_text (self->test_device);
  g_autofree char *text = NULL;

  self->test_timeout = 0;

  /* Translators: %d is seconds, %s the connection status */
  text = g_strdup_printf (_("No complete reply within %d s. %s"), TEST_TIMEOUT_SECONDS, status);
  stop_test (self);
  show_error (self, text);

  return G_SOURCE_REMOVE;
}

static void
cryo_device_editor_test (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (widget);
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  CryoDevice *running = NULL;

  config = build_config (self, &error);
  if (config == NULL)
    {
      show_error (self, error->message);
      return;
    }

  /* The device being edited holds its serial port while it runs (another
   * opener would find it locked), so its own status is the answer. */
  if (self->position >= 0)
    running = cryo_session_get_entry_device (self->session, self->position);
  if (running != NULL && config->port != NULL &&
      g_strcmp0 (cryo_device_get_config (running)->port, config->port) == 0)
    {
      g_autofree char *status = cryo_device_dup_status_text (running);
      g_autofree char *text = NULL;

      /* Translators: "Pumping station uses this port now: Connected" */
      text = g_strdup_printf (_("%s uses this port now: %s"),
                              cryo_device_get_name (running), status);
      show_message (self,
                    cryo_device_get_state (running) == CRYO_DEVICE_STATE_ONLINE ? MESSAGE_SUCCESS
                                                                                : MESSAGE_ERROR,
                    text);
      return;
    }

  stop_test (self);
  config->disabled = FALSE;
  self->test_device = cryo_device_new_from_config (config, &error);
  if (self->test_device == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_connect_object (self->test_device, "polled",
                           G_CALLBACK (on_test_device_polled_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->test_device, "notify::state",
                           G_CALLBACK (on_test_device_notify_state_cb), self,
                           G_CONNECT_SWAPPED);
  self->test_timeout = g_timeout_add_seconds (TEST_TIMEOUT_SECONDS, on_test_timeout_cb, self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test", FALSE);
  show_message (self, MESSAGE_BUSY, _("Testing the connection…"));

  /* Opens the port on the link's worker thread and polls once connected. */
  cryo_device_set_monitoring (self->test_device, TRUE);
}

/* The entry may have moved or changed since the editor opened (another
 * window of the session): then nothing is written. */
static gboolean
check_entry (CryoDeviceEditor  *self,
             GError           **error)
{
  if (self->position >= 0 &&
      ((guint) self->position < cryo_session_get_n_entries (self->session) &&
       cryo_device_config_equal (cryo_session_get_entry_config (self->session, self->position),
                                 self->original)))
    return TRUE;

  g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                       _("This device was changed elsewhere meanwhile. "
                         "Go back and open it again."));
  return FALSE;
}

static void
cryo_device_editor_save (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (widget);
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = build_config (self, &error);
  if (config == NULL)
    {
      show_error (self, error->message);
      return;
    }

  stop_test (self);

  if (self->position < 0)
    cryo_session_add (self->session, config, gtk_switch_get_active (self->remember_switch), &error);
  else if (check_entry (self, &error))
    cryo_session_replace (self->session, self->position, config, &error);

  /* A disabled device is added without one, so the error tells. */
  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals [DONE], 0);
}

static void
cryo_device_editor_cancel (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (widget);

  stop_test (self);
  g_signal_emit (self, signals [DONE], 0);
}

static void
on_remove_response_cb (CryoDeviceEditor *self,
                       const char       *response)
{
  g_autoptr(GError) error = NULL;
  gboolean delete_history = g_strcmp0 (response, "delete") == 0;

  if (!delete_history && g_strcmp0 (response, "keep") != 0 && g_strcmp0 (response, "remove") != 0)
    return;

  stop_test (self);

  if (!check_entry (self, &error) ||
      !cryo_session_remove (self->session, self->position, delete_history, &error))
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals [DONE], 0);
}

/* With a history archive, removing a device asks what becomes of its
 * history: kept, it is there for exports and for a device added again
 * under the same id; deleted, it is gone for good. */
static void
cryo_device_editor_remove (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  gboolean has_history = cryo_session_get_archive (self->session) != NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *stops;
  AdwMessageDialog *dialog;

  if (self->original == NULL)
    return;

  /* Translators: %s is a device name */
  heading = g_strdup_printf (_("Remove “%s”?"), self->original->name);
  if (cryo_session_get_entry_saved (self->session, self->position))
    stops = _("It stops being monitored and its group is removed from devices.conf. "
              "Other devices stay as they are.");
  else
    stops = _("It stops being monitored. Other devices stay as they are.");

  if (has_history)
    body = g_strconcat (stops, "\n\n",
                        _("Its recorded history can stay in the archive, for exports and for "
                          "when it is added again, or be deleted for good."),
                        NULL);
  else
    body = g_strdup (stops);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  if (has_history)
    {
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "delete", _("_Delete History"),
                                        "keep", _("_Keep History"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (dialog, "keep", ADW_RESPONSE_SUGGESTED);
    }
  else
    {
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "remove", _("_Remove"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (on_remove_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cryo_device_editor_refresh_ports (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  refresh_ports (CRYO_DEVICE_EDITOR (widget));
}

static void
cryo_device_editor_constructed (GObject *object)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (object);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) list_factory = NULL;
  g_autoptr(CryoDeviceConfig) config = NULL;
  guint selected = 0;

  G_OBJECT_CLASS (cryo_device_editor_parent_class)->constructed (object);

  g_assert (CRYO_IS_SESSION (self->session));

  self->kinds = cryo_device_kind_list (&self->n_kinds);
  g_assert (self->n_kinds > 0);

  if (self->position >= 0 && (guint) self->position < cryo_session_get_n_entries (self->session))
    self->original = cryo_device_config_copy (cryo_session_get_entry_config (self->session,
                                                                             self->position));
  else
    self->position = -1;

  for (guint i = 0; self->kinds[i] != NULL; i++)
    {
      gtk_string_list_append (titles, cryo_device_kind_get_title (self->kinds[i]));
      if (self->original != NULL && self->kinds[i] == self->original->kind)
        selected = i;
    }

  self->kind = self->kinds[selected];
  if (self->original != NULL)
    config = cryo_device_config_copy (self->original);
  else
    {
      config = cryo_device_config_new (self->kind, NULL);
      self->default_name = dup_default_name (self);
      config->name = g_strdup (self->default_name);
    }

  list_factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (list_factory, "setup", G_CALLBACK (on_kind_item_setup_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (list_factory, "bind", G_CALLBACK (on_kind_item_bind_cb), self,
                           G_CONNECT_SWAPPED);
  adw_combo_row_set_list_factory (self->kind_row, list_factory);
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (titles));
  adw_combo_row_set_selected (self->kind_row, selected);
  load_config (self, config);
  if (self->original == NULL && self->kind->link_kind == CRYO_LINK_KIND_MODBUS)
    select_interface (self, TRUE);

  /* A kind is what the device is: editing keeps it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), self->original == NULL);
  gtk_widget_set_visible (self->remember_row, self->original == NULL);
  gtk_widget_set_visible (self->remove_group, self->original != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.remove", self->original != NULL);

  if (self->original != NULL)
    {
      adw_window_title_set_title (self->window_title, _("Edit Device"));
      adw_window_title_set_subtitle (self->window_title, self->original->name);
      gtk_button_set_label (self->save_button, _("_Save"));
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("Add Device"));
      gtk_button_set_label (self->save_button, _("_Add"));
    }

  refresh_ports (self);
}

static void
cryo_device_editor_dispose (GObject *object)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  clear_test_device (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_DEVICE_EDITOR);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cryo_device_editor_parent_class)->dispose (object);
}

static void
cryo_device_editor_finalize (GObject *object)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (object);

  g_clear_pointer (&self->original, cryo_device_config_free);
  g_clear_pointer (&self->kinds, g_free);
  g_clear_pointer (&self->default_name, g_free);
  g_clear_pointer (&self->ports, g_ptr_array_unref);
  g_clear_pointer (&self->port_checks, g_ptr_array_unref);
  g_clear_pointer (&self->option_rows, g_ptr_array_unref);
  g_clear_pointer (&self->option_spins, g_ptr_array_unref);

  G_OBJECT_CLASS (cryo_device_editor_parent_class)->finalize (object);
}

static void
cryo_device_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_POSITION:
      g_value_set_int (value, self->position);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_device_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CryoDeviceEditor *self = CRYO_DEVICE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_POSITION:
      self->position = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_device_editor_class_init (CryoDeviceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cryo_device_editor_constructed;
  object_class->dispose = cryo_device_editor_dispose;
  object_class->finalize = cryo_device_editor_finalize;
  object_class->get_property = cryo_device_editor_get_property;
  object_class->set_property = cryo_device_editor_set_property;

  /**
   * CryoDeviceEditor:session:
   *
   * The session whose device is added or edited.
   */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CRYO_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoDeviceEditor:settings:
   *
   * The application settings, for the poll interval preferences.
   */
  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoDeviceEditor:position:
   *
   * The session entry edited, or -1 to add a device.
   */
  properties [PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CryoDeviceEditor::done:
   * @self: the editor
   *
   * Emitted in the main thread when the device was added, saved or
   * removed, or the editor was left without changes.
   */
  signals [DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/cryo-device-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, message_banner);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, message_icon);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, message_spinner);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, remember_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, connection_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, host_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, tcp_port_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, tcp_port_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, port_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, ports_group);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, port_list);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, line_group);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, baud_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, baud_list);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, parity_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, data_bits_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, stop_bits_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, options_group);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, poll_row);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, poll_entry);
  gtk_widget_class_bind_template_child (widget_class, CryoDeviceEditor, remove_group);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_port_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_port_list_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, cryo_device_editor_save);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cryo_device_editor_cancel);
  gtk_widget_class_install_action (widget_class, "editor.test", NULL, cryo_device_editor_test);
  gtk_widget_class_install_action (widget_class, "editor.remove", NULL, cryo_device_editor_remove);
  gtk_widget_class_install_action (widget_class, "editor.refresh-ports", NULL,
                                   cryo_device_editor_refresh_ports);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
cryo_device_editor_init (CryoDeviceEditor *self)
{
  self->position = -1;
  self->port_checks = g_ptr_array_new ();
  self->option_rows = g_ptr_array_new ();
  self->option_spins = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cryo_device_editor_new:
 * @session: the session whose devices are edited
 * @settings: (nullable): the application settings, for the poll interval
 *   preference shown when a device has none of its own
 * @position: the session entry to edit, or -1 to add a device
 *
 * Creates the page that adds a device (its type from the registered kinds,
 * name, port from the detected ones or typed, line settings, the kind's
 * options, poll interval, whether to remember it in devices.conf) or edits
 * one (rename, line settings, enable or disable, remove). Its Test button
 * polls the instrument once with the settings shown, before anything is
 * saved. Errors are shown on the page. Emits #CryoDeviceEditor::done when
 * it has nothing left to do.
 *
 * Returns: (transfer full): a new editor
 */
CryoDeviceEditor *
cryo_device_editor_new (CryoSession *session,
                        GSettings   *settings,
                        int          position)
{
  g_return_val_if_fail (CRYO_IS_SESSION (session), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRYO_TYPE_DEVICE_EDITOR,
                       "session", session,
                       "settings", settings,
                       "position", position,
                       NULL);
}
