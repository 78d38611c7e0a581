/* cryo-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-status"

#include "config.h"

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
 * cryo_format_pressure:
 * @pressure_pa: a pressure in Pa, NaN when unknown
 * @unit: the display unit (mbar, Pa or Torr)
 *
 * Formats a vacuum pressure for people in scientific notation with the
 * gauge's two significant digits: "2.9 × 10⁻³". The unit is not included.
 *
 * Returns: (transfer full): the text, "—" when unknown
 */
char *
cryo_format_pressure (double   pressure_pa,
                      CryoUnit unit)
{
  static const char * const superscripts[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  double value = cryo_unit_convert (pressure_pa, CRYO_UNIT_PA, unit);
  g_autoptr(GString) text = NULL;
  char exponent_digits[16];
  double mantissa;
  int exponent;

  if (!isfinite (value))
    return g_strdup ("—");

  if (value <= 0)
    return g_strdup_printf ("%.1f", value);

  exponent = (int) floor (log10 (value));
  mantissa = value / pow (10, exponent);
  /* 9.96 rounds to 10.0: carry into the exponent. */
  if (mantissa >= 9.95)
    {
      mantissa /= 10;
      exponent++;
    }

  text = g_string_new (NULL);
  g_string_append_printf (text, "%.1f × 10", mantissa);
  if (exponent < 0)
    g_string_append (text, "⁻");
  g_snprintf (exponent_digits, sizeof exponent_digits, "%d", ABS (exponent));
  for (const char *p = exponent_digits; *p; p++)
    g_string_append (text, superscripts[*p - '0']);

  return g_string_free (g_steal_pointer (&text), FALSE);
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

/**
 * cryo_settings_get_pressure_unit:
 * @settings: (nullable): the application settings, or %NULL when the
 *   schema is not installed (headless runs from a build tree)
 *
 * Returns: the pressure display unit preference ("pressure-unit"), mbar
 *   when there is none
 */
CryoUnit
cryo_settings_get_pressure_unit (GSettings *settings)
{
  g_autofree char *nick = NULL;
  CryoUnit unit = CRYO_UNIT_MBAR;

  if (settings == NULL)
    return unit;

  nick = g_settings_get_string (settings, "pressure-unit");
  if (!cryo_unit_from_symbol (nick, &unit))
    unit = CRYO_UNIT_MBAR;

  return unit;
}
