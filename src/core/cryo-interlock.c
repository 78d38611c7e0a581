/* cryo-interlock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-interlock"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-interlock.h"

/* A reading stamped further ahead of now than this means the clock jumped. */
#define MAX_FUTURE_US G_USEC_PER_SEC

static void
set_reason (char **reason,
            char  *text)
{
  if (reason != NULL)
    *reason = text;
  else
    g_free (text);
}

/* "3", or "2.5" when not whole; UI text, so the locale's decimal mark. */
static char *
format_seconds (double seconds)
{
  if (seconds == floor (seconds))
    return g_strdup_printf ("%.0f", seconds);

  return g_strdup_printf ("%.1f", seconds);
}

static char *
capitalize (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buf[8];
  int len;

  if (first == 0)
    return g_strdup (text);

  len = g_unichar_to_utf8 (g_unichar_totitle (first), buf);
  buf[len] = '\0';

  return g_strconcat (buf, g_utf8_next_char (text), NULL);
}

/**
 * cryo_interlock_check_fresh:
 * @what: translated, lower-case name of the reading ("turbo speed"); the
 *   first letter is capitalised when it starts a sentence
 * @reading: the reading and when it was taken
 * @now_us: current wall-clock time, µs since the Unix epoch
 * @max_age_us: oldest acceptable reading, µs (DESIGN.md: three poll
 *   intervals)
 * @reason: (out) (optional) (transfer full): why the reading is refused
 *
 * A reading is fresh when it is known (time not 0, value not NaN), at most
 * @max_age_us old (a reading exactly @max_age_us old passes), and not more
 * than one second in the future (a clock that jumped back makes every age
 * meaningless). Pure function, any thread.
 *
 * Returns: %TRUE when fresh; %FALSE with a translated @reason such as
 *   "No turbo speed reading yet" or "Turbo speed reading is 12 s old — must
 *   be under 3 s"
 */
gboolean
cryo_interlock_check_fresh (const char        *what,
                            const CryoReading *reading,
                            gint64             now_us,
                            gint64             max_age_us,
                            char             **reason)
{
  gint64 age_us;

  g_return_val_if_fail (what != NULL, FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  if (reason != NULL)
    *reason = NULL;

  if (reading->time_us == 0 || isnan (reading->value))
    {
      set_reason (reason, g_strdup_printf (_("No %s reading yet"), what));
      return FALSE;
    }

  age_us = now_us - reading->time_us;

  if (age_us < -MAX_FUTURE_US)
    {
      if (reason != NULL)
        {
          g_autofree char *title = capitalize (what);
          /* Round the lead up to a tenth of a second so it never reads as the limit. */
          g_autofree char *ahead = format_seconds (ceil (-age_us / 100000.0) / 10.0);

          /* Translators: "Turbo speed reading is 5 s in the future — check the system clock" */
          *reason = g_strdup_printf (_("%s reading is %s s in the future — check the system clock"),
                                     title, ahead);
        }
      return FALSE;
    }

  if (age_us > max_age_us)
    {
      if (reason != NULL)
        {
          g_autofree char *title = capitalize (what);
          g_autofree char *age = format_seconds (ceil (age_us / 100000.0) / 10.0);
          g_autofree char *limit = format_seconds (max_age_us / (double) G_USEC_PER_SEC);

          /* Translators: "Turbo speed reading is 12 s old — must be under 3 s" */
          *reason = g_strdup_printf (_("%s reading is %s s old — must be under %s s"),
                                     title, age, limit);
        }
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_fresh (const CryoInterlock *self,
          const CryoReading   *reading)
{
  gint64 age_us;

  if (reading->time_us == 0 || isnan (reading->value))
    return FALSE;

  age_us = self->now_us - reading->time_us;
  return age_us >= -MAX_FUTURE_US && age_us <= self->max_age_us;
}

/**
 * cryo_interlock_init:
 * @self: (out caller-allocates): an interlock evaluation, usually on the stack
 * @now_us: current wall-clock time, µs since the Unix epoch
 * @max_age_us: oldest acceptable reading, µs (DESIGN.md: three poll intervals)
 *
 * Starts evaluating an instrument's interlock: its rules are added with
 * cryo_interlock_require_fresh(), cryo_interlock_require_equal() and
 * cryo_interlock_require_below(), and cryo_interlock_finish() says whether
 * every one held, joining the reasons of those that did not with "; " in
 * the order they were added.
 */
void
cryo_interlock_init (CryoInterlock *self,
                     gint64         now_us,
                     gint64         max_age_us)
{
  g_return_if_fail (self != NULL);

  self->now_us = now_us;
  self->max_age_us = max_age_us;
  self->reasons = g_ptr_array_new_with_free_func (g_free);
}

/**
 * cryo_interlock_require_fresh:
 * @self: an interlock evaluation
 * @what: translated, lower-case name of the reading ("turbo speed")
 * @reading: the reading and when it was taken
 *
 * The rule "@reading is known and fresh" (see cryo_interlock_check_fresh()).
 *
 * Returns: whether the rule holds
 */
gboolean
cryo_interlock_require_fresh (CryoInterlock     *self,
                              const char        *what,
                              const CryoReading *reading)
{
  char *text = NULL;

  g_return_val_if_fail (self != NULL && self->reasons != NULL, FALSE);

  if (cryo_interlock_check_fresh (what, reading, self->now_us, self->max_age_us, &text))
    return TRUE;

  g_ptr_array_add (self->reasons, text);
  return FALSE;
}

/* A value rule: @holds for a fresh @reading, else the reading is left to
 * its freshness rule; a rule that does not hold adds its refusal. */
static gboolean
require (CryoInterlock     *self,
         const CryoReading *reading,
         gboolean           holds,
         const char        *format,
         va_list            args) G_GNUC_PRINTF (4, 0);

static gboolean
require (CryoInterlock     *self,
         const CryoReading *reading,
         gboolean           holds,
         const char        *format,
         va_list            args)
{
  if (!is_fresh (self, reading) || holds)
    return TRUE;

  g_ptr_array_add (self->reasons, g_strdup_vprintf (format, args));
  return FALSE;
}

/**
 * cryo_interlock_require_equal:
 * @self: an interlock evaluation
 * @reading: a reading
 * @expected: the value it must have
 * @format: printf() format of the translated refusal ("Turbo at %g rpm — must be 0")
 * @...: its arguments
 *
 * The rule "@reading equals @expected". A reading that is not fresh is left
 * to cryo_interlock_require_fresh() and adds no reason here.
 *
 * Returns: whether the rule holds (%TRUE for a reading that is not fresh)
 */
gboolean
cryo_interlock_require_equal (CryoInterlock     *self,
                              const CryoReading *reading,
                              double             expected,
                              const char        *format,
                              ...)
{
  va_list args;
  gboolean held;

  g_return_val_if_fail (self != NULL && self->reasons != NULL, FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  va_start (args, format);
  held = require (self, reading, reading->value == expected, format, args);
  va_end (args);

  return held;
}

/**
 * cryo_interlock_require_below:
 * @self: an interlock evaluation
 * @reading: a reading
 * @limit: the value it must stay under
 * @format: printf() format of the translated refusal
 * @...: its arguments
 *
 * The rule "@reading is below @limit". A reading that is not fresh is left
 * to cryo_interlock_require_fresh() and adds no reason here.
 *
 * Returns: whether the rule holds (%TRUE for a reading that is not fresh)
 */
gboolean
cryo_interlock_require_below (CryoInterlock     *self,
                              const CryoReading *reading,
                              double             limit,
                              const char        *format,
                              ...)
{
  va_list args;
  gboolean held;

  g_return_val_if_fail (self != NULL && self->reasons != NULL, FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  va_start (args, format);
  held = require (self, reading, reading->value < limit, format, args);
  va_end (args);

  return held;
}

/**
 * cryo_interlock_finish:
 * @self: an interlock evaluation; cleared
 * @reason: (out) (optional) (transfer full): the reasons of every rule
 *   that did not hold, joined by "; ", or %NULL
 *
 * Returns: %TRUE when every rule held
 */
gboolean
cryo_interlock_finish (CryoInterlock  *self,
                       char          **reason)
{
  gboolean allowed;

  g_return_val_if_fail (self != NULL && self->reasons != NULL, FALSE);

  allowed = self->reasons->len == 0;

  if (reason != NULL)
    {
      if (allowed)
        *reason = NULL;
      else
        {
          g_ptr_array_add (self->reasons, NULL);
          *reason = g_strjoinv ("; ", (char **) self->reasons->pdata);
        }
    }

  g_clear_pointer (&self->reasons, g_ptr_array_unref);

  return allowed;
}
