/* cryo-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-status"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "cryo-status.h"

/**
 * cryo_status_dot_update:
 * @dot: a widget styled as `.cryo-status-dot`
 * @state: the device state it shows
 *
 * Colours the dot for @state (green online, amber connecting or stale,
 * red disconnected or error) and names the state for screen readers.
 */
void
cryo_status_dot_update (GtkWidget       *dot,
                        CryoDeviceState  state)
{
  static const char * const classes[] = { "disconnected", "connecting", "online", "stale", "error" };
  const char *label;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (dot, classes[i]);

  g_return_if_fail (state < G_N_ELEMENTS (classes));
  gtk_widget_add_css_class (dot, classes[state]);

  switch (state)
    {
    case CRYO_DEVICE_STATE_ONLINE:       label = _("Online"); break;
    case CRYO_DEVICE_STATE_CONNECTING:   label = _("Connecting"); break;
    case CRYO_DEVICE_STATE_STALE:        label = _("Readings missing"); break;
    case CRYO_DEVICE_STATE_ERROR:        label = _("Error"); break;
    case CRYO_DEVICE_STATE_DISCONNECTED:
    default:                             label = _("Disconnected"); break;
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (dot),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_set_tooltip_text (dot, label);
}

/**
 * cryo_format_reading:
 * @value: a reading in the unit it is shown in, NaN when unknown
 * @scale: its channel's scale: log readings are shown as "2.9 × 10⁻³"
 * @digits: the significant digits the instrument resolves
 *
 * Formats a reading for people at the instrument's resolution, with the
 * locale's separators: "2.9 × 10⁻⁷", "81,000", "294.261".
 *
 * Returns: (transfer full): the text without unit, "—" when unknown
 */
char *
cryo_format_reading (double    value,
                     CryoScale scale,
                     guint     digits)
{
  digits = CLAMP (digits, 1, 17);

  if (!isfinite (value))
    return g_strdup ("—");

  if (scale == CRYO_SCALE_LOG && value > 0)
    {
      static const char * const superscripts[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
      int exponent = (int) floor (log10 (value));
      double mantissa = value / pow (10, exponent);
      GString *text = g_string_new (NULL);
      char exponent_digits[16];

      /* 9.96 at two digits rounds to 10.0: carry into the exponent. */
      if (mantissa >= 10.0 - 0.5 * pow (10, -(int) (digits - 1)))
        {
          mantissa /= 10;
          exponent++;
        }

      g_string_append_printf (text, "%.*f × 10", (int) digits - 1, mantissa);
      if (exponent < 0)
        g_string_append (text, "⁻");
      g_snprintf (exponent_digits, sizeof exponent_digits, "%d", ABS (exponent));
      for (const char *p = exponent_digits; *p; p++)
        g_string_append (text, superscripts[*p - '0']);

      return g_string_free (text, FALSE);
    }

  return g_strdup_printf ("%'.*g", (int) digits, value);
}

/**
 * cryo_format_thousands:
 * @value: a whole quantity such as rpm or hours, NaN when unknown
 *
 * Returns: (transfer full): @value rounded, with the locale's thousands
 *   separators ("81,000" or "81.000"), "—" when unknown
 */
char *
cryo_format_thousands (double value)
{
  if (!isfinite (value))
    return g_strdup ("—");

  return g_strdup_printf ("%'.0f", value);
}

static void
add_condition_row (GtkListBox *list,
                   const char *text,
                   const char *icon_name,
                   const char *css_class)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, css_class);
  gtk_list_box_append (list, row);
}

/**
 * cryo_condition_list_update:
 * @list: a boxed list of a device panel
 * @alarms: the device's active alarms
 * @warnings: (nullable): its active warnings
 *
 * Shows alarms (styled as errors) then warnings, one row each; hides the
 * list when there are none.
 */
void
cryo_condition_list_update (GtkListBox         *list,
                            const char * const *alarms,
                            const char * const *warnings)
{
  GtkWidget *child;
  gboolean any = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);

  for (guint i = 0; alarms != NULL && alarms[i] != NULL; i++, any = TRUE)
    add_condition_row (list, alarms[i], "dialog-error-symbolic", "cryo-alarm-row");

  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++, any = TRUE)
    add_condition_row (list, warnings[i], "dialog-warning-symbolic", "cryo-warning-row");

  gtk_widget_set_visible (GTK_WIDGET (list), any);
}

/**
 * cryo_show_error_dialog:
 * @parent: a widget of the window the dialog belongs to
 * @heading: what failed, in title case, as plain text
 * @body: why, and what the operator can do, as plain text (an error
 *   message, a device name: never markup)
 *
 * Tells the operator that an action failed, in a dialog they must close.
 */
void
cryo_show_error_dialog (GtkWidget  *parent,
                        const char *heading,
                        const char *body)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  /* The default, said here because error text must never be parsed. */
  adw_message_dialog_set_heading_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  adw_message_dialog_set_body_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GtkWidget  *panel;
  char       *action;
  void      (*refresh) (GtkWidget *panel);
} ActionClosure;

static void
action_closure_free (ActionClosure *closure)
{
  g_object_unref (closure->panel);
  g_free (closure->action);
  g_free (closure);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionClosure, action_closure_free)

static void
on_panel_action_finished_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(ActionClosure) closure = user_data;
  CryoDevice *device = CRYO_DEVICE (object);
  const CryoDeviceAction *action = cryo_device_lookup_action (device, closure->action);
  const char *label = g_dgettext (GETTEXT_PACKAGE, action->label);
  g_autoptr(GError) error = NULL;

  if (!cryo_device_run_action_finish (device, result, &error))
    {
      g_autofree char *heading = NULL;

      if (g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_UNCONFIRMED))
        /* Translators: a dialog heading, e.g. "Start Pump: Outcome Unknown" */
        heading = g_strdup_printf (_("%s: Outcome Unknown"), label);
      else if (g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_REFUSED) ||
               g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE) ||
               g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED))
        /* Translators: a dialog heading, e.g. "Start Pump Refused" */
        heading = g_strdup_printf (_("%s Refused"), label);
      else
        /* Translators: a dialog heading, e.g. "Start Pump Failed" */
        heading = g_strdup_printf (_("%s Failed"), label);

      /* An operational event, already in the event log: not a warning
       * about the program. */
      g_message ("%s: %s: %s", cryo_device_get_name (device), closure->action, error->message);
      cryo_show_error_dialog (closure->panel, heading, error->message);
    }
  else
    {
      /* Translators: "Stop Pump: accepted by Pumping station" */
      g_autofree char *text = g_strdup_printf (_("%s: accepted by %s"), label,
                                               cryo_device_get_name (device));

      gtk_widget_activate_action (closure->panel, "win.toast", "s", text);
    }

  closure->refresh (closure->panel);
}

/**
 * cryo_panel_run_action:
 * @panel: the device panel the action was started from
 * @device: its device
 * @action: the action's name ("start", "stop"), already confirmed
 * @params: (nullable) (array fixed-size=4): its parameters in table order
 * @refresh: called with @panel when the action has finished
 *
 * Runs a device action for a panel: a failure is shown in a dialog that
 * says why, a success as a toast.
 */
void
cryo_panel_run_action (GtkWidget     *panel,
                       CryoDevice    *device,
                       const char    *action,
                       const double  *params,
                       void         (*refresh) (GtkWidget *panel))
{
  ActionClosure *closure = g_new0 (ActionClosure, 1);

  g_return_if_fail (cryo_device_lookup_action (device, action) != NULL);

  closure->panel = g_object_ref (panel);
  closure->action = g_strdup (action);
  closure->refresh = refresh;
  cryo_device_run_action_async (device, action, params, NULL, on_panel_action_finished_cb, closure);
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)) != NULL)
        return found;
    }

  return NULL;
}

/**
 * cryo_accessible_name_inner:
 * @root: a libadwaita widget with a control of its own inside
 * @type: the type of that control (%GTK_TYPE_SWITCH, %GTK_TYPE_SEARCH_ENTRY)
 * @label: (not nullable): the translated name a screen reader says for it
 *
 * Names the first control of @type inside @root. libadwaita 1.2 leaves
 * some of its own controls without an accessible name: the enable switch
 * of an #AdwExpanderRow and the search entry of an #AdwPreferencesWindow.
 * Does nothing when @root holds no such control (a later libadwaita may
 * name it itself, or build it differently).
 */
void
cryo_accessible_name_inner (GtkWidget  *root,
                            GType       type,
                            const char *label)
{
  GtkWidget *control;

  g_return_if_fail (GTK_IS_WIDGET (root));
  g_return_if_fail (label != NULL);

  control = find_descendant (root, type);
  if (control != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}
