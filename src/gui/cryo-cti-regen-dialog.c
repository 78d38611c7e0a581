/* cryo-cti-regen-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CTI cryopump's regen parameters (P0…PG, j) and temperature-control
 * set points (H, I) side by side with the values the pump holds, which the
 * common panel cannot show: its fields start at the action table's
 * defaults. One row per set action of the kind, built from its table; the
 * dialog reads the values through the device's read-regen-params action
 * and sets each through its own action, so it talks to the device only.
 * Opened from a button the panel extension adds to the cryopump's panel.
 */

#define G_LOG_DOMAIN "cryo-cti-regen-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-cti-pump.h"
#include "cryo-cti-regen-dialog.h"
#include "cryo-status.h"

typedef struct
{
  const CryoDeviceAction *action;
  const CryoCtiParam     *param;
  AdwActionRow           *row;
  GtkSpinButton          *field;
} ParamRow;

struct _CryoCtiRegenDialog
{
  AdwPreferencesWindow  parent_instance;

  CryoDevice           *device;
  GArray               *rows;     /* ParamRow */

  /* Template widgets */
  AdwPreferencesGroup  *params_group;
  GtkWidget            *read_button;
};

enum {
  PROP_0,
  PROP_DEVICE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CryoCtiRegenDialog, cryo_cti_regen_dialog, ADW_TYPE_PREFERENCES_WINDOW)

static GParamSpec *properties [N_PROPS];

static ParamRow *
find_row (CryoCtiRegenDialog *self,
          const char         *action)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ParamRow *row = &g_array_index (self->rows, ParamRow, i);

      if (g_str_equal (row->action->name, action))
        return row;
    }

  return NULL;
}

/* Each row's field shows what the pump holds once it has been read, and
 * the subtitle says whether it has. */
static void
refresh (CryoCtiRegenDialog *self)
{
  CryoCtiPump *pump = CRYO_CTI_PUMP (self->device);

  for (guint i = 0; i < self->rows->len; i++)
    {
      ParamRow *row = &g_array_index (self->rows, ParamRow, i);
      int value = cryo_cti_pump_get_param (pump, row->param->command);
      g_autofree char *subtitle = NULL;

      if (value >= 0)
        {
          gtk_spin_button_set_value (row->field, value);
          /* Translators: a regen parameter's row, "In the pump: 600 · 0 to 59994 s" */
          subtitle = g_strdup_printf (_("In the pump: %d · %u to %u %s"), value, row->param->min,
                                      row->param->max, row->param->unit);
        }
      else
        /* Translators: a regen parameter not read yet, "Not read yet · 0 to 59994 s" */
        subtitle = g_strdup_printf (_("Not read yet · %u to %u %s"), row->param->min, row->param->max,
                                    row->param->unit);

      adw_action_row_set_subtitle (row->row, g_strstrip (subtitle));
    }

  gtk_widget_set_sensitive (self->read_button,
                            cryo_device_check_action (self->device, "read-regen-params", NULL));
}

static void
refresh_cb (GtkWidget *widget)
{
  refresh (CRYO_CTI_REGEN_DIALOG (widget));
}

static void
cryo_cti_regen_dialog_read (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CryoCtiRegenDialog *self = CRYO_CTI_REGEN_DIALOG (widget);
  g_autofree char *reason = NULL;

  if (!cryo_device_check_action (self->device, "read-regen-params", &reason))
    {
      cryo_show_error_dialog (widget, _("Regen Parameters Not Read"), reason);
      return;
    }

  gtk_widget_set_sensitive (self->read_button, FALSE);
  cryo_panel_run_action (widget, self->device, "read-regen-params", NULL, refresh_cb);
}

static void
on_confirm_response_cb (CryoCtiRegenDialog *self,
                        const char         *response,
                        AdwMessageDialog   *dialog)
{
  ParamRow *row = find_row (self, response);
  double values[CRYO_ACTION_MAX_PARAMS] = { 0 };

  if (row == NULL)
    return;

  values[0] = gtk_spin_button_get_value (row->field);
  cryo_panel_run_action (GTK_WIDGET (self), self->device, row->action->name, values, refresh_cb);
}

/* regen.set ACTION: the range and the interlock first, then the
 * confirmation the action table asks for, then the device's action. */
static void
cryo_cti_regen_dialog_set (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CryoCtiRegenDialog *self = CRYO_CTI_REGEN_DIALOG (widget);
  ParamRow *row = find_row (self, g_variant_get_string (parameter, NULL));
  double values[CRYO_ACTION_MAX_PARAMS] = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *params = NULL;
  const char *label;
  AdwMessageDialog *dialog;

  if (row == NULL)
    return;

  label = g_dgettext (GETTEXT_PACKAGE, row->action->label);
  gtk_spin_button_update (row->field);
  values[0] = gtk_spin_button_get_value (row->field);

  if (!cryo_device_action_check_params (row->action, values, &error))
    {
      /* Translators: a dialog heading, e.g. "Pump restart delay (s) Refused" */
      heading = g_strdup_printf (_("%s Refused"), label);
      cryo_show_error_dialog (widget, heading, error->message);
      return;
    }
  if (!cryo_device_check_action (self->device, row->action->name, &reason))
    {
      heading = g_strdup_printf (_("%s Refused"), label);
      cryo_show_error_dialog (widget, heading, reason);
      return;
    }

  params = cryo_device_action_format_params (row->action, values);
  /* Translators: a confirmation heading, "Set Rough to pressure (mTorr) on Cryopump?" */
  heading = g_strdup_printf (_("Set %s on %s?"), label, cryo_device_get_name (self->device));
  body = g_strdup_printf ("%s\n\n%s", g_dgettext (GETTEXT_PACKAGE, row->action->consequence), params);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    row->action->name, _("_Set"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, row->action->name, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* One row per set action of the kind: its label, the pump's value and
 * range, a field with the action's range, and a Set button. */
static void
build_rows (CryoCtiRegenDialog *self)
{
  const CryoDeviceAction *actions = cryo_device_get_actions (self->device);

  for (guint i = 0; actions[i].name != NULL; i++)
    {
      const char *command = cryo_cti_pump_action_get_param (actions[i].name);
      const CryoActionParam *spec = &actions[i].params[0];
      ParamRow row = { &actions[i] };
      GtkWidget *spin;
      GtkWidget *button;

      if (command == NULL)
        continue;

      row.param = cryo_cti_lookup_param (command);
      g_assert (row.param != NULL);

      row.row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row.row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row.row),
                                     g_dgettext (GETTEXT_PACKAGE, actions[i].label));

      spin = gtk_spin_button_new_with_range (spec->min, spec->max, spec->step);
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), spec->digits);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), spec->default_value);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      row.field = GTK_SPIN_BUTTON (spin);

      button = gtk_button_new_with_mnemonic (_("_Set"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "regen.set");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", actions[i].name);

      /* For a screen reader: the field by its row's title, and which
       * setting each of the Set buttons sets. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      g_dgettext (GETTEXT_PACKAGE, actions[i].label), -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      g_dgettext (GETTEXT_PACKAGE, actions[i].label), -1);

      adw_action_row_add_suffix (row.row, spin);
      adw_action_row_add_suffix (row.row, button);
      adw_preferences_group_add (self->params_group, GTK_WIDGET (row.row));
      g_array_append_val (self->rows, row);
    }
}

static void
cryo_cti_regen_dialog_constructed (GObject *object)
{
  CryoCtiRegenDialog *self = CRYO_CTI_REGEN_DIALOG (object);

  G_OBJECT_CLASS (cryo_cti_regen_dialog_parent_class)->constructed (object);

  g_assert (cryo_device_get_kind (self->device) == &cryo_cti_pump_kind);

  build_rows (self);
  refresh (self);
}

static void
cryo_cti_regen_dialog_dispose (GObject *object)
{
  CryoCtiRegenDialog *self = CRYO_CTI_REGEN_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_CTI_REGEN_DIALOG);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (cryo_cti_regen_dialog_parent_class)->dispose (object);
}

static void
cryo_cti_regen_dialog_finalize (GObject *object)
{
  CryoCtiRegenDialog *self = CRYO_CTI_REGEN_DIALOG (object);

  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (cryo_cti_regen_dialog_parent_class)->finalize (object);
}

static void
cryo_cti_regen_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CryoCtiRegenDialog *self = CRYO_CTI_REGEN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_cti_regen_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CryoCtiRegenDialog *self = CRYO_CTI_REGEN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      self->device = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_cti_regen_dialog_class_init (CryoCtiRegenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cryo_cti_regen_dialog_constructed;
  object_class->dispose = cryo_cti_regen_dialog_dispose;
  object_class->finalize = cryo_cti_regen_dialog_finalize;
  object_class->get_property = cryo_cti_regen_dialog_get_property;
  object_class->set_property = cryo_cti_regen_dialog_set_property;

  /**
   * CryoCtiRegenDialog:device:
   *
   * The cryopump whose parameters the dialog reads and sets.
   * Construct-only.
   */
  properties [PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, CRYO_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-cti-regen-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoCtiRegenDialog, params_group);
  gtk_widget_class_bind_template_child (widget_class, CryoCtiRegenDialog, read_button);

  /**
   * CryoCtiRegenDialog|regen.read:
   *
   * Reads every parameter from the pump (the read-regen-params action).
   */
  gtk_widget_class_install_action (widget_class, "regen.read", NULL, cryo_cti_regen_dialog_read);

  /**
   * CryoCtiRegenDialog|regen.set:
   * @action: the set action of the row ("set-rough-pressure")
   *
   * Checks the row's value and the interlock, asks for confirmation and
   * sets the parameter.
   */
  gtk_widget_class_install_action (widget_class, "regen.set", "s", cryo_cti_regen_dialog_set);
}

static void
cryo_cti_regen_dialog_init (CryoCtiRegenDialog *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (ParamRow));

  gtk_widget_init_template (GTK_WIDGET (self));
  cryo_accessible_name_inner (GTK_WIDGET (self), GTK_TYPE_SEARCH_ENTRY, _("Search"));
}

/**
 * cryo_cti_regen_dialog_new:
 * @device: a CTI cryopump device (of cryo_cti_pump_kind)
 *
 * Returns: (transfer full): a new dialog showing the parameters the
 *   device last read or set
 */
CryoCtiRegenDialog *
cryo_cti_regen_dialog_new (CryoDevice *device)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (device), NULL);
  g_return_val_if_fail (cryo_device_get_kind (device) == &cryo_cti_pump_kind, NULL);

  return g_object_new (CRYO_TYPE_CTI_REGEN_DIALOG, "device", device, NULL);
}

/**
 * cryo_cti_regen_dialog_get_device:
 * @self: a #CryoCtiRegenDialog
 *
 * Returns: (transfer none): its cryopump
 */
CryoDevice *
cryo_cti_regen_dialog_get_device (CryoCtiRegenDialog *self)
{
  g_return_val_if_fail (CRYO_IS_CTI_REGEN_DIALOG (self), NULL);

  return self->device;
}

/**
 * cryo_cti_regen_dialog_get_field:
 * @self: a #CryoCtiRegenDialog
 * @command: a parameter's command ("P3")
 *
 * Returns: (transfer none) (nullable): the field that edits it
 */
GtkSpinButton *
cryo_cti_regen_dialog_get_field (CryoCtiRegenDialog *self,
                                 const char         *command)
{
  g_return_val_if_fail (CRYO_IS_CTI_REGEN_DIALOG (self), NULL);
  g_return_val_if_fail (command != NULL, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      ParamRow *row = &g_array_index (self->rows, ParamRow, i);

      if (g_str_equal (row->param->command, command))
        return row->field;
    }

  return NULL;
}

/* The panel extension: a button on the cryopump's panel that opens the
 * dialog over the window. */

static gboolean
extension_applies (CryoDevice *device)
{
  return cryo_device_get_kind (device) == &cryo_cti_pump_kind;
}

static void
on_open_clicked_cb (GtkButton  *button,
                    CryoDevice *device)
{
  CryoCtiRegenDialog *dialog = cryo_cti_regen_dialog_new (device);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (dialog));

  /* Configuration is read on demand: opening the dialog is the demand. */
  if (cryo_device_check_action (device, "read-regen-params", NULL))
    gtk_widget_activate_action (GTK_WIDGET (dialog), "regen.read", NULL);
}

static GtkWidget *
extension_create (CryoDevice *device)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Regen Parameters…"));

  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_signal_connect_data (button, "clicked", G_CALLBACK (on_open_clicked_cb),
                         g_object_ref (device), (GClosureNotify) g_object_unref, 0);

  return button;
}

/**
 * cryo_cti_regen_panel_extension:
 *
 * The cryopump's addition to its panel: a button that opens the regen
 * parameters dialog.
 */
const CryoPanelExtension cryo_cti_regen_panel_extension = {
  .applies = extension_applies,
  .create = extension_create,
};
