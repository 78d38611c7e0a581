/* cryo-device-kind.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The registry of instrument kinds, and the checks every action's
 * parameters go through before any interlock runs.
 */

#define G_LOG_DOMAIN "cryo-device-kind"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-device.h"
#include "cryo-device-kind.h"

G_LOCK_DEFINE_STATIC (registry);
static GPtrArray *registry;

/**
 * cryo_device_kind_register:
 * @kind: (transfer none): a kind descriptor that lives as long as the program
 *
 * Makes @kind known to configuration parsing, the Devices dialog, the demo,
 * `--help` and headless action lookup. Registering the same descriptor twice
 * is harmless; two descriptors with one id are a programming error.
 */
void
cryo_device_kind_register (const CryoDeviceKind *kind)
{
  g_return_if_fail (kind != NULL);
  g_return_if_fail (kind->id != NULL && kind->get_type != NULL);
  g_return_if_fail (kind->channels != NULL && kind->actions != NULL);

  G_LOCK (registry);

  if (registry == NULL)
    registry = g_ptr_array_new ();

  for (guint i = 0; i < registry->len; i++)
    {
      const CryoDeviceKind *known = g_ptr_array_index (registry, i);

      if (known == kind)
        {
          G_UNLOCK (registry);
          return;
        }
      if (g_str_equal (known->id, kind->id))
        {
          G_UNLOCK (registry);
          g_critical ("Two device kinds have the id “%s”", kind->id);
          return;
        }
    }

  g_ptr_array_add (registry, (gpointer) kind);

  G_UNLOCK (registry);
}

/**
 * cryo_device_kind_lookup:
 * @id: a kind id ("pump-station")
 *
 * Returns: (transfer none) (nullable): the registered kind, or %NULL
 */
const CryoDeviceKind *
cryo_device_kind_lookup (const char *id)
{
  const CryoDeviceKind *found = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  G_LOCK (registry);
  for (guint i = 0; registry != NULL && i < registry->len && found == NULL; i++)
    {
      const CryoDeviceKind *kind = g_ptr_array_index (registry, i);

      if (g_str_equal (kind->id, id))
        found = kind;
    }
  G_UNLOCK (registry);

  return found;
}

/**
 * cryo_device_kind_list:
 * @n_kinds: (out) (optional): how many kinds are registered
 *
 * Returns: (transfer container) (array zero-terminated=1): the registered
 *   kinds in registration order; free the array with g_free()
 */
const CryoDeviceKind **
cryo_device_kind_list (guint *n_kinds)
{
  const CryoDeviceKind **kinds;
  guint n;

  G_LOCK (registry);
  n = registry != NULL ? registry->len : 0;
  kinds = g_new0 (const CryoDeviceKind *, n + 1);
  for (guint i = 0; i < n; i++)
    kinds[i] = g_ptr_array_index (registry, i);
  G_UNLOCK (registry);

  if (n_kinds != NULL)
    *n_kinds = n;

  return kinds;
}

/**
 * cryo_device_kind_dup_known_ids:
 *
 * Returns: (transfer full): the registered kind ids joined by ", ", for
 *   error messages
 */
char *
cryo_device_kind_dup_known_ids (void)
{
  g_autofree const CryoDeviceKind **kinds = cryo_device_kind_list (NULL);
  GString *text = g_string_new (NULL);

  for (guint i = 0; kinds[i] != NULL; i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", kinds[i]->id);

  return g_string_free (text, FALSE);
}

/**
 * cryo_device_kind_get_title:
 * @kind: a kind
 *
 * Returns: (transfer none): the kind's translated title ("Pumping station")
 */
const char *
cryo_device_kind_get_title (const CryoDeviceKind *kind)
{
  g_return_val_if_fail (kind != NULL, NULL);

  return g_dgettext (GETTEXT_PACKAGE, kind->title);
}

/**
 * cryo_device_kind_lookup_option:
 * @kind: a kind
 * @name: an option name ("address")
 * @index: (out) (optional): its position in @kind's options
 *
 * Returns: (transfer none) (nullable): the option, or %NULL
 */
const CryoKindOption *
cryo_device_kind_lookup_option (const CryoDeviceKind *kind,
                                const char           *name,
                                guint                *index)
{
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; kind->options != NULL && kind->options[i].name != NULL; i++)
    {
      if (g_str_equal (kind->options[i].name, name))
        {
          if (index != NULL)
            *index = i;
          return &kind->options[i];
        }
    }

  return NULL;
}

/**
 * cryo_device_kind_lookup_action:
 * @kind: a kind
 * @name: an action name ("start")
 *
 * Returns: (transfer none) (nullable): the action, or %NULL
 */
const CryoDeviceAction *
cryo_device_kind_lookup_action (const CryoDeviceKind *kind,
                                const char           *name)
{
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; kind->actions[i].name != NULL; i++)
    {
      if (g_str_equal (kind->actions[i].name, name))
        return &kind->actions[i];
    }

  return NULL;
}

/**
 * cryo_device_kind_dup_usage:
 * @kind: a kind
 *
 * Describes how to name an instrument of @kind on the command line, for
 * `--help`: "pump-station:PATH|tcp:HOST:PORT[,address=0..31] — Agilent
 * TPS-compact …; actions: start, stop". The TCP port is optional where the
 * kind has a default one (Modbus TCP), as cryo_device_config_set_port() reads it.
 *
 * Returns: (transfer full): one translated line
 */
char *
cryo_device_kind_dup_usage (const CryoDeviceKind *kind)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (kind != NULL, NULL);

  g_string_append_printf (text, "%s:", kind->id);
  if (kind->default_tcp_port != 0)
    g_string_append (text, "tcp:HOST[:PORT]|PATH");
  else
    g_string_append (text, "PATH|tcp:HOST:PORT");

  for (guint i = 0; kind->options != NULL && kind->options[i].name != NULL; i++)
    g_string_append_printf (text, "[,%s=%u..%u]", kind->options[i].name,
                            kind->options[i].min, kind->options[i].max);

  /* Translators: the end of a --help line: "— Agilent TPS-compact pumping station; actions: start, stop" */
  g_string_append_printf (text, _(" — %s; actions: "), g_dgettext (GETTEXT_PACKAGE, kind->summary));

  for (guint i = 0; kind->actions[i].name != NULL; i++)
    {
      const CryoDeviceAction *action = &kind->actions[i];

      g_string_append_printf (text, "%s%s", i ? ", " : "", action->name);
      for (guint p = 0; action->params[p].name != NULL; p++)
        g_string_append_printf (text, ",%s=%s", action->params[p].name,
                                cryo_unit_get_symbol (action->params[p].unit)[0]
                                  ? cryo_unit_get_symbol (action->params[p].unit) : "N");
    }

  return g_string_free (text, FALSE);
}

/**
 * cryo_device_action_get_n_params:
 * @action: an action
 *
 * Returns: how many parameters @action takes, 0 to %CRYO_ACTION_MAX_PARAMS
 */
guint
cryo_device_action_get_n_params (const CryoDeviceAction *action)
{
  guint n = 0;

  g_return_val_if_fail (action != NULL, 0);

  while (n < CRYO_ACTION_MAX_PARAMS && action->params[n].name != NULL)
    n++;

  return n;
}

/**
 * cryo_device_action_get_defaults:
 * @action: an action
 * @values: (out caller-allocates) (array fixed-size=4): its parameters'
 *   default values, in table order
 *
 * Fills @values with the defaults of @action's parameters.
 */
void
cryo_device_action_get_defaults (const CryoDeviceAction *action,
                                 double                 *values)
{
  guint n;

  g_return_if_fail (action != NULL);
  g_return_if_fail (values != NULL);

  n = cryo_device_action_get_n_params (action);
  for (guint i = 0; i < n; i++)
    values[i] = action->params[i].default_value;
}

static char *
format_param_value (const CryoActionParam *param,
                    double                 value)
{
  const char *symbol = cryo_unit_get_symbol (param->unit);

  if (symbol[0] == '\0')
    return g_strdup_printf ("%.*f", (int) param->digits, value);

  /* Translators: a value with its unit, "120 K/h" */
  return g_strdup_printf (C_("value with unit", "%.*f %s"), (int) param->digits, value, symbol);
}

static gboolean
is_choice (const CryoActionParam *param,
           double                 value)
{
  for (const CryoParamChoice *c = param->choices; c->label != NULL; c++)
    if (c->value == value)
      return TRUE;

  return FALSE;
}

/**
 * cryo_device_action_check_params:
 * @action: an action
 * @values: (array fixed-size=4): its parameter values in table order, in
 *   each parameter's unit
 * @error: %CRYO_DEVICE_ERROR_OUT_OF_RANGE naming the parameter, its value
 *   and the range, or its choices for a parameter that has them
 *
 * Checks parameter values against the action table, before any interlock
 * runs: nothing out of range, and nothing but a choice where a parameter
 * has choices, reaches the wire.
 *
 * Returns: %TRUE when every value is within its range
 */
gboolean
cryo_device_action_check_params (const CryoDeviceAction  *action,
                                 const double            *values,
                                 GError                 **error)
{
  guint n;

  g_return_val_if_fail (action != NULL, FALSE);

  n = cryo_device_action_get_n_params (action);
  g_return_val_if_fail (n == 0 || values != NULL, FALSE);

  for (guint i = 0; i < n; i++)
    {
      const CryoActionParam *param = &action->params[i];

      if (!(values[i] >= param->min && values[i] <= param->max))
        {
          g_autofree char *value = format_param_value (param, values[i]);
          g_autofree char *min = format_param_value (param, param->min);
          g_autofree char *max = format_param_value (param, param->max);

          /* Translators: "Ramp rate (rate) 900 K/h is out of range: 1 K/h to 360 K/h" */
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE,
                       _("%s (%s) %s is out of range: %s to %s"),
                       g_dgettext (GETTEXT_PACKAGE, param->label), param->name,
                       value, min, max);
          return FALSE;
        }

      if (param->choices != NULL && !is_choice (param, values[i]))
        {
          g_autoptr(GString) choices = g_string_new (NULL);
          char number[G_ASCII_DTOSTR_BUF_SIZE];

          for (const CryoParamChoice *c = param->choices; c->label != NULL; c++)
            {
              if (choices->len > 0)
                g_string_append (choices, ", ");
              /* Translators: a parameter's value and its name, "2 (Maintain)" */
              g_string_append_printf (choices, _("%s (%s)"),
                                      g_ascii_formatd (number, sizeof number, "%g", c->value),
                                      g_dgettext (GETTEXT_PACKAGE, c->label));
            }

          /* Translators: "CO₂ mode (co2) 1.5 is not one of its choices: -1 (Unchanged), 0 (Off), …" */
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE,
                       _("%s (%s) %s is not one of its choices: %s"),
                       g_dgettext (GETTEXT_PACKAGE, param->label), param->name,
                       g_ascii_formatd (number, sizeof number, "%g", values[i]), choices->str);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * cryo_device_action_parse_params:
 * @action: an action
 * @assignments: (nullable): `NAME=VALUE` strings as on the command line;
 *   values use `.` as the decimal mark, whatever the locale
 * @values: (out caller-allocates) (array fixed-size=4): the parameters in
 *   table order: the given ones, the defaults for the others
 * @error: %CRYO_DEVICE_ERROR_INVALID_PARAMETER for an unknown name, a
 *   repeated name or a value that is not a number. Ranges are checked
 *   separately by cryo_device_action_check_params().
 *
 * Returns: %TRUE when every assignment was understood
 */
gboolean
cryo_device_action_parse_params (const CryoDeviceAction  *action,
                                 const char * const      *assignments,
                                 double                  *values,
                                 GError                 **error)
{
  guint n;
  guint given = 0;

  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  n = cryo_device_action_get_n_params (action);
  cryo_device_action_get_defaults (action, values);

  for (guint a = 0; assignments != NULL && assignments[a] != NULL; a++)
    {
      const char *text = assignments[a];
      const char *eq = strchr (text, '=');
      g_autofree char *name = NULL;
      char *end = NULL;
      double value;
      guint i;

      if (eq == NULL || eq == text || eq[1] == '\0')
        {
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER,
                       _("Parameter “%s” is not of the form NAME=VALUE"), text);
          return FALSE;
        }

      name = g_strndup (text, eq - text);
      for (i = 0; i < n; i++)
        if (g_str_equal (action->params[i].name, name))
          break;

      if (i == n)
        {
          GString *known = g_string_new (NULL);
          g_autofree char *known_text = NULL;

          for (guint k = 0; k < n; k++)
            g_string_append_printf (known, "%s%s", k ? ", " : "", action->params[k].name);
          known_text = g_string_free (known, FALSE);

          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER,
                       n > 0 ? _("“%s” takes no parameter “%s” (known: %s)")
                             : _("“%s” takes no parameter “%s”%s"),
                       action->name, name, n > 0 ? known_text : "");
          return FALSE;
        }

      if (given & (1u << i))
        {
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER,
                       _("Parameter “%s” is given twice"), name);
          return FALSE;
        }

      value = g_ascii_strtod (eq + 1, &end);
      if (end == eq + 1 || *end != '\0' || !isfinite (value))
        {
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER,
                       _("Parameter “%s” must be a number, not “%s”"), name, eq + 1);
          return FALSE;
        }

      values[i] = value;
      given |= 1u << i;
    }

  return TRUE;
}

/**
 * cryo_device_action_format_params:
 * @action: an action
 * @values: (array fixed-size=4): its parameter values in table order
 *
 * Returns: (transfer full): "rate=120 K/h, target=250 K" for logs and
 *   confirmations, "" for an action without parameters
 */
char *
cryo_device_action_format_params (const CryoDeviceAction *action,
                                  const double           *values)
{
  GString *text = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (action != NULL, NULL);

  n = cryo_device_action_get_n_params (action);
  for (guint i = 0; i < n && values != NULL; i++)
    {
      g_autofree char *value = format_param_value (&action->params[i], values[i]);

      g_string_append_printf (text, "%s%s=%s", i ? ", " : "", action->params[i].name, value);
    }

  return g_string_free (text, FALSE);
}
