/* cryo-interlock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-interlock"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-agilent.h"
#include "cryo-cpa.h"
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

static const char *
status_name (guint status)
{
  const char *name = cryo_agilent_status_to_string (status);

  return name != NULL ? name : _("Unknown");
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

/**
 * cryo_interlock_pump_station_can_start:
 * @status: the pump status reading (agilent-window.md, window 205:
 *   0 stop … 6 fail)
 * @speed_rpm: the turbo speed reading, rpm
 * @now_us: current wall-clock time, µs since the Unix epoch
 * @max_age_us: oldest acceptable reading, µs
 * @reason: (out) (optional) (transfer full): why starting is refused
 *
 * The pumping station may be started only when the pump reports Stop (0)
 * and the rotor stands still (exactly 0 rpm), both from fresh readings (see
 * cryo_interlock_check_fresh()). Every failing condition is reported, in a
 * fixed order, joined by "; ", so the operator sees at once all that stands
 * in the way:
 *
 * 1. status reading fresh ("No pump status reading yet")
 * 2. speed reading fresh ("Turbo speed reading is 12 s old — must be under 3 s")
 * 3. status is Stop ("Pump status is Normal (5) — must be Stop (0)")
 * 4. speed is 0 ("Turbo at 812 rpm — must be 0")
 *
 * The values of a reading that is not fresh are not judged: 3 is checked
 * only when 1 holds, 4 only when 2 holds.
 *
 * Pure function, any thread; reasons are translated.
 *
 * Returns: %TRUE when starting is allowed
 */
gboolean
cryo_interlock_pump_station_can_start (const CryoReading *status,
                                       const CryoReading *speed_rpm,
                                       gint64             now_us,
                                       gint64             max_age_us,
                                       char             **reason)
{
  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (speed_rpm != NULL, FALSE);

  if (reason != NULL)
    *reason = NULL;

  {
    g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
    char *text = NULL;
    gboolean status_fresh, speed_fresh;

    status_fresh = cryo_interlock_check_fresh (_("pump status"), status, now_us, max_age_us, &text);
    if (!status_fresh)
      g_ptr_array_add (reasons, g_steal_pointer (&text));

    speed_fresh = cryo_interlock_check_fresh (_("turbo speed"), speed_rpm, now_us, max_age_us, &text);
    if (!speed_fresh)
      g_ptr_array_add (reasons, g_steal_pointer (&text));

    if (status_fresh && status->value != 0.0)
      {
        if (status->value >= 0 && status->value <= G_MAXUINT && status->value == floor (status->value))
          {
            guint code = (guint) status->value;

            /* Translators: "Pump status is Normal (5) — must be Stop (0)" */
            g_ptr_array_add (reasons, g_strdup_printf (_("Pump status is %s (%u) — must be %s (0)"),
                                                       status_name (code), code, status_name (0)));
          }
        else
          {
            g_ptr_array_add (reasons, g_strdup_printf (_("Pump status is %g — must be %s (0)"),
                                                       status->value, status_name (0)));
          }
      }

    if (speed_fresh && speed_rpm->value != 0.0)
      {
        /* Translators: "Turbo at 812 rpm — must be 0" */
        g_ptr_array_add (reasons, g_strdup_printf (_("Turbo at %g rpm — must be 0"), speed_rpm->value));
      }

    if (reasons->len > 0)
      {
        g_ptr_array_add (reasons, NULL);
        set_reason (reason, g_strjoinv ("; ", (char **) reasons->pdata));
        return FALSE;
      }
  }

  return TRUE;
}

/**
 * cryo_interlock_compressor_can_start:
 * @state: the operating state reading (cryomech-cpa-modbus.md "Operating
 *   state", input register 1)
 * @alarm_bits: the alarm bit set reading (input registers 5-6, decoded to
 *   bits and stored as a number)
 * @now_us: current wall-clock time, µs since the Unix epoch
 * @max_age_us: oldest acceptable reading, µs
 * @reason: (out) (optional) (transfer full): why starting is refused
 *
 * The compressor may be started only when it is Idle (0) or Recovered from
 * error (15) and no alarm bit is set, both from fresh readings
 * (cryomech-cpa-modbus.md "Control"). Every failing condition is reported,
 * joined by "; ": readings not fresh, then the state, then the alarms by
 * name. Pure function, any thread; reasons are translated.
 *
 * Returns: %TRUE when starting is allowed
 */
gboolean
cryo_interlock_compressor_can_start (const CryoReading *state,
                                     const CryoReading *alarm_bits,
                                     gint64             now_us,
                                     gint64             max_age_us,
                                     char             **reason)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  char *text = NULL;
  gboolean state_fresh, alarms_fresh;

  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (alarm_bits != NULL, FALSE);

  if (reason != NULL)
    *reason = NULL;

  state_fresh = cryo_interlock_check_fresh (_("compressor state"), state, now_us, max_age_us, &text);
  if (!state_fresh)
    g_ptr_array_add (reasons, g_steal_pointer (&text));

  alarms_fresh = cryo_interlock_check_fresh (_("alarm state"), alarm_bits, now_us, max_age_us, &text);
  if (!alarms_fresh)
    g_ptr_array_add (reasons, g_steal_pointer (&text));

  if (state_fresh && state->value != CRYO_CPA_STATE_IDLE && state->value != CRYO_CPA_STATE_RECOVERED)
    {
      guint code = (state->value >= 0 && state->value <= G_MAXUINT) ? (guint) state->value : G_MAXUINT;

      /* Translators: "Compressor is Running (3) — must be Idle (0) or Recovered from error (15)" */
      g_ptr_array_add (reasons, g_strdup_printf (_("Compressor is %s (%u) — must be %s (0) or %s (15)"),
                                                 cryo_cpa_state_to_string (code), code,
                                                 cryo_cpa_state_to_string (CRYO_CPA_STATE_IDLE),
                                                 cryo_cpa_state_to_string (CRYO_CPA_STATE_RECOVERED)));
    }

  if (alarms_fresh && alarm_bits->value != 0)
    {
      guint32 bits = (alarm_bits->value > 0 && alarm_bits->value <= G_MAXUINT32) ? (guint32) alarm_bits->value : 0;
      g_auto(GStrv) names = cryo_cpa_bits_to_strv (bits);
      g_autofree char *joined = g_strjoinv (", ", names);

      /* Translators: "Alarm active: Helium high, Oil high — clear it at the compressor first" */
      g_ptr_array_add (reasons, g_strdup_printf (_("Alarm active: %s — clear it at the compressor first"),
                                                 joined[0] ? joined : _("unknown alarm")));
    }

  if (reasons->len == 0)
    return TRUE;

  g_ptr_array_add (reasons, NULL);
  set_reason (reason, g_strjoinv ("; ", (char **) reasons->pdata));
  return FALSE;
}
