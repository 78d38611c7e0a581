/* cryo-threshold.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-threshold"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-threshold.h"

G_DEFINE_QUARK (cryo-threshold-error-quark, cryo_threshold_error)

/* A number in the C locale that is all of @token and finite. */
static gboolean
parse_number (const char *token,
              double     *value)
{
  char *end = NULL;
  double parsed;

  if (token == NULL || *token == '\0')
    return FALSE;

  parsed = g_ascii_strtod (token, &end);
  if (end == token || *end != '\0' || !isfinite (parsed))
    return FALSE;

  *value = parsed;
  return TRUE;
}

static gboolean
set_invalid (GError     **error,
             const char  *text,
             const char  *why)
{
  g_set_error (error, CRYO_THRESHOLD_ERROR, CRYO_THRESHOLD_ERROR_INVALID,
               /* Translators: the first %s is a threshold as written
                * ("above 1e-5 mbar for 30 s"), the second what is wrong. */
               _("“%s” is not a threshold: %s"), text, why);
  return FALSE;
}

/* The shortest of 15 or 17 significant digits that reads back exactly. */
static void
format_exact (char   *buf,
              gsize   len,
              double  value)
{
  g_ascii_formatd (buf, len, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, len, "%.17g", value);
}

/* A difference of @amount in @from expressed in @to (both of one quantity):
 * temperatures have offsets, so the difference is taken at 0. */
static double
convert_difference (double   amount,
                    CryoUnit from,
                    CryoUnit to)
{
  if (from == to)
    return amount;

  return cryo_unit_convert (amount, from, to) - cryo_unit_convert (0, from, to);
}

/**
 * cryo_threshold_spec_parse:
 * @text: a threshold in its text form (see #CryoThresholdSpec), such as
 *   "above 1e-5 mbar for 30 s hysteresis 10%"
 * @spec: (out caller-allocates): where to store it
 * @error: %CRYO_THRESHOLD_ERROR_INVALID with a translated reason
 *
 * Parses the text form of a threshold. Numbers are in the C locale
 * whatever the user's locale; units are the symbols of
 * cryo_unit_from_symbol(); the delay is in "s", "min" or "h"; a hysteresis
 * in a unit other than the limit's is converted to the limit's, and one
 * ending in "%" is a percentage of the limit.
 *
 * Returns: %TRUE and fills @spec; %FALSE with @error and @spec untouched
 */
gboolean
cryo_threshold_spec_parse (const char         *text,
                           CryoThresholdSpec  *spec,
                           GError            **error)
{
  g_auto(GStrv) split = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
  CryoThresholdSpec parsed = { 0, };
  guint i = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  split = g_strsplit_set (text, " \t", -1);
  for (guint j = 0; split[j] != NULL; j++)
    if (*split[j] != '\0')
      g_ptr_array_add (tokens, split[j]);
  g_ptr_array_add (tokens, NULL);

#define TOKEN(n) ((const char *) g_ptr_array_index (tokens, (n)))

  if (g_strcmp0 (TOKEN (i), "above") == 0)
    parsed.direction = CRYO_THRESHOLD_ABOVE;
  else if (g_strcmp0 (TOKEN (i), "below") == 0)
    parsed.direction = CRYO_THRESHOLD_BELOW;
  else
    return set_invalid (error, text, _("it must start with “above” or “below”"));
  i++;

  if (!parse_number (TOKEN (i), &parsed.limit))
    return set_invalid (error, text, _("the limit must be a number such as 1e-5 or 40.5"));
  i++;

  parsed.unit = CRYO_UNIT_NONE;
  if (TOKEN (i) != NULL && strcmp (TOKEN (i), "for") != 0 && strcmp (TOKEN (i), "hysteresis") != 0)
    {
      if (!cryo_unit_from_symbol (TOKEN (i), &parsed.unit))
        return set_invalid (error, text, _("the unit of the limit is unknown"));
      i++;
    }

  if (g_strcmp0 (TOKEN (i), "for") == 0)
    {
      double factor;

      i++;
      if (!parse_number (TOKEN (i), &parsed.delay_s) || parsed.delay_s < 0)
        return set_invalid (error, text, _("the delay must be a number of seconds, minutes or hours"));
      i++;

      if (g_strcmp0 (TOKEN (i), "s") == 0)
        factor = 1;
      else if (g_strcmp0 (TOKEN (i), "min") == 0)
        factor = 60;
      else if (g_strcmp0 (TOKEN (i), "h") == 0)
        factor = 3600;
      else
        return set_invalid (error, text, _("the delay must end in “s”, “min” or “h”"));
      i++;

      parsed.delay_s *= factor;
      /* Beyond a year the delay means nothing, and µs would overflow. */
      if (parsed.delay_s > 366 * 24 * 3600.0)
        return set_invalid (error, text, _("the delay is longer than a year"));
    }

  if (g_strcmp0 (TOKEN (i), "hysteresis") == 0)
    {
      g_autofree char *amount = NULL;
      const char *unit_symbol = NULL;
      gsize len;

      i++;
      if (TOKEN (i) == NULL)
        return set_invalid (error, text, _("the hysteresis needs an amount"));

      amount = g_strdup (TOKEN (i));
      i++;
      len = strlen (amount);
      if (len > 1 && amount[len - 1] == '%')
        {
          amount[len - 1] = '\0';
          unit_symbol = "%";
        }
      else if (TOKEN (i) != NULL)
        {
          unit_symbol = TOKEN (i);
          i++;
        }

      if (!parse_number (amount, &parsed.hysteresis) || parsed.hysteresis < 0)
        return set_invalid (error, text, _("the hysteresis must be a number of zero or more"));

      if (g_strcmp0 (unit_symbol, "%") == 0)
        {
          parsed.hysteresis_percent = TRUE;
          if (parsed.hysteresis > 100)
            return set_invalid (error, text, _("the hysteresis is more than 100 %"));
        }
      else if (unit_symbol != NULL)
        {
          CryoUnit unit;

          if (!cryo_unit_from_symbol (unit_symbol, &unit))
            return set_invalid (error, text, _("the unit of the hysteresis is unknown"));
          if (unit != parsed.unit && cryo_unit_get_quantity (unit) != cryo_unit_get_quantity (parsed.unit))
            return set_invalid (error, text, _("the hysteresis must be in a unit of the limit’s quantity"));
          parsed.hysteresis = convert_difference (parsed.hysteresis, unit, parsed.unit);
        }
    }

  if (TOKEN (i) != NULL)
    return set_invalid (error, text, _("it has words after the threshold"));

#undef TOKEN

  *spec = parsed;
  return TRUE;
}

/**
 * cryo_threshold_spec_to_string:
 * @spec: a threshold
 *
 * Writes @spec in the text form that cryo_threshold_spec_parse() reads
 * back to the same values; numbers in the C locale, the delay in seconds,
 * the parts that are zero left out.
 *
 * Returns: (transfer full): the text form, such as
 *   "above 1e-05 mbar for 30 s hysteresis 10%"
 */
char *
cryo_threshold_spec_to_string (const CryoThresholdSpec *spec)
{
  GString *text = g_string_new (NULL);
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  const char *symbol;

  g_return_val_if_fail (spec != NULL, NULL);

  g_string_append (text, spec->direction == CRYO_THRESHOLD_BELOW ? "below " : "above ");
  format_exact (number, sizeof number, spec->limit);
  g_string_append (text, number);

  symbol = cryo_unit_get_symbol (spec->unit);
  if (symbol != NULL && *symbol != '\0')
    g_string_append_printf (text, " %s", symbol);

  if (spec->delay_s > 0)
    {
      format_exact (number, sizeof number, spec->delay_s);
      g_string_append_printf (text, " for %s s", number);
    }

  if (spec->hysteresis > 0)
    {
      format_exact (number, sizeof number, spec->hysteresis);
      if (spec->hysteresis_percent)
        g_string_append_printf (text, " hysteresis %s%%", number);
      else if (symbol != NULL && *symbol != '\0')
        g_string_append_printf (text, " hysteresis %s %s", number, symbol);
      else
        g_string_append_printf (text, " hysteresis %s", number);
    }

  return g_string_free (text, FALSE);
}

/**
 * cryo_threshold_spec_dup_description:
 * @spec: a threshold
 * @label: the channel's translated label ("Pressure")
 *
 * The condition @spec raises, in words for the device panel, the event log
 * and notifications: "Pressure above 1e-05 mbar for 30 s". The limit is
 * written with up to six significant digits in the C locale, as the event
 * log wants.
 *
 * Returns: (transfer full): a translated sentence
 */
char *
cryo_threshold_spec_dup_description (const CryoThresholdSpec *spec,
                                     const char              *label)
{
  g_autofree char *limit = NULL;
  g_autofree char *base = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  const char *symbol;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  g_ascii_formatd (number, sizeof number, "%.6g", spec->limit);
  symbol = cryo_unit_get_symbol (spec->unit);
  if (symbol != NULL && *symbol != '\0')
    limit = g_strdup_printf ("%s %s", number, symbol);
  else
    limit = g_strdup (number);

  if (spec->direction == CRYO_THRESHOLD_BELOW)
    /* Translators: a threshold condition, "Pressure below 1e-05 mbar" */
    base = g_strdup_printf (_("%s below %s"), label, limit);
  else
    /* Translators: a threshold condition, "Pressure above 1e-05 mbar" */
    base = g_strdup_printf (_("%s above %s"), label, limit);

  if (spec->delay_s <= 0)
    return g_steal_pointer (&base);

  g_ascii_formatd (number, sizeof number, "%.6g", spec->delay_s);
  /* Translators: a threshold condition with its delay,
   * "Pressure above 1e-05 mbar for 30 s" */
  return g_strdup_printf (_("%s for %s s"), base, number);
}

/**
 * cryo_threshold_spec_equal:
 * @a: a threshold
 * @b: another
 *
 * Returns: whether @a and @b are the same threshold
 */
gboolean
cryo_threshold_spec_equal (const CryoThresholdSpec *a,
                           const CryoThresholdSpec *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->direction == b->direction &&
         a->limit == b->limit &&
         a->unit == b->unit &&
         a->delay_s == b->delay_s &&
         a->hysteresis == b->hysteresis &&
         a->hysteresis_percent == b->hysteresis_percent;
}

/**
 * cryo_threshold_init:
 * @self: (out caller-allocates): the evaluator
 * @spec: the threshold it evaluates, copied
 *
 * Starts evaluating @spec with the condition clear. Feed it the channel's
 * samples with cryo_threshold_feed(), in the canonical unit of the
 * quantity of @spec's unit (Pa for a limit in mbar, K for one in °C).
 */
void
cryo_threshold_init (CryoThreshold           *self,
                     const CryoThresholdSpec *spec)
{
  CryoUnit canonical;
  double hysteresis;
  double clear;

  g_return_if_fail (self != NULL);
  g_return_if_fail (spec != NULL);

  memset (self, 0, sizeof *self);
  self->spec = *spec;

  canonical = cryo_quantity_get_canonical_unit (cryo_unit_get_quantity (spec->unit));
  hysteresis = spec->hysteresis_percent ? fabs (spec->limit) * spec->hysteresis / 100 : spec->hysteresis;
  clear = spec->direction == CRYO_THRESHOLD_ABOVE ? spec->limit - hysteresis : spec->limit + hysteresis;

  self->limit_canonical = cryo_unit_convert (spec->limit, spec->unit, canonical);
  self->clear_canonical = cryo_unit_convert (clear, spec->unit, canonical);
}

/**
 * cryo_threshold_feed:
 * @self: the evaluator
 * @time_us: the sample's time, µs since the epoch
 * @value: the sample's value in the canonical unit; NaN for a gap
 *
 * Evaluates one sample. The condition is raised by the first value beyond
 * the limit (strictly above, or below) once the values have been beyond
 * it without a break for the delay; a value back inside, or a gap, starts
 * the delay again. A raised condition clears at the first value at or
 * inside the limit minus (above) or plus (below) the hysteresis; a gap
 * does not clear it, since it says nothing about the value.
 *
 * Returns: whether this sample raised or cleared the condition
 */
CryoThresholdChange
cryo_threshold_feed (CryoThreshold *self,
                     gint64         time_us,
                     double         value)
{
  gboolean beyond;
  gboolean back;

  g_return_val_if_fail (self != NULL, CRYO_THRESHOLD_UNCHANGED);

  if (isnan (value))
    {
      self->beyond = FALSE;
      return CRYO_THRESHOLD_UNCHANGED;
    }

  if (self->spec.direction == CRYO_THRESHOLD_ABOVE)
    {
      beyond = value > self->limit_canonical;
      back = value <= self->clear_canonical;
    }
  else
    {
      beyond = value < self->limit_canonical;
      back = value >= self->clear_canonical;
    }

  if (!beyond)
    {
      self->beyond = FALSE;
      if (self->raised && back)
        {
          self->raised = FALSE;
          return CRYO_THRESHOLD_CLEARED;
        }
      return CRYO_THRESHOLD_UNCHANGED;
    }

  /* A clock stepped back restarts the delay rather than stretch it. */
  if (!self->beyond || time_us < self->beyond_since_us)
    {
      self->beyond = TRUE;
      self->beyond_since_us = time_us;
    }

  if (!self->raised &&
      time_us - self->beyond_since_us >= (gint64) llround (self->spec.delay_s * G_USEC_PER_SEC))
    {
      self->raised = TRUE;
      return CRYO_THRESHOLD_RAISED;
    }

  return CRYO_THRESHOLD_UNCHANGED;
}

/**
 * cryo_threshold_get_raised:
 * @self: the evaluator
 *
 * Returns: whether the condition is raised
 */
gboolean
cryo_threshold_get_raised (const CryoThreshold *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->raised;
}

/**
 * cryo_threshold_restore_raised:
 * @self: the evaluator
 *
 * Takes the condition as raised without a sample, as it was when Cryomon
 * last ran: it is then not raised again while it stays beyond the limit,
 * and clears as a raised one does.
 */
void
cryo_threshold_restore_raised (CryoThreshold *self)
{
  g_return_if_fail (self != NULL);

  self->raised = TRUE;
}
