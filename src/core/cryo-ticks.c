/* cryo-ticks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-ticks"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-ticks.h"

#define USEC_PER_MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define USEC_PER_HOUR (60 * USEC_PER_MINUTE)
#define USEC_PER_DAY (24 * USEC_PER_HOUR)
/* Nominal, only to pick an interval; month ticks are placed on calendar
 * months. */
#define USEC_PER_MONTH (30 * USEC_PER_DAY)

/* Relative slack when deciding whether a tick computed in floating point
 * lies inside [min, max]. */
#define EPSILON 1e-9

static void
tick_clear (gpointer data)
{
  CryoTick *tick = data;

  g_clear_pointer (&tick->label, g_free);
}

static GArray *
tick_array_new (void)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (CryoTick));

  g_array_set_clear_func (ticks, tick_clear);

  return ticks;
}

static void
add_tick (GArray   *ticks,
          double    value,
          char     *label,
          gboolean  major)
{
  CryoTick tick = { value, label, major };

  g_array_append_val (ticks, tick);
}

static void
append_superscript (GString *str,
                    int      n)
{
  static const char * const digits[] = {
    "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
  };
  char buf[16];

  g_snprintf (buf, sizeof buf, "%d", n);
  for (const char *p = buf; *p != '\0'; p++)
    {
      if (*p == '-')
        g_string_append (str, "⁻");
      else
        g_string_append (str, digits[*p - '0']);
    }
}

/**
 * cryo_ticks_format_power_of_ten:
 * @exponent: the decade
 *
 * Formats a decade label with Unicode superscripts: "10⁻⁷", "10⁰", "10³".
 *
 * Returns: (transfer full): the label, UTF-8
 */
char *
cryo_ticks_format_power_of_ten (int exponent)
{
  GString *str = g_string_new ("10");

  append_superscript (str, exponent);

  return g_string_free (str, FALSE);
}

/**
 * cryo_ticks_format_scientific:
 * @value: the value
 * @digits: significant digits, at least 1
 *
 * Formats @value for a log axis readout: "2.9 × 10⁻³", or just the mantissa
 * when the exponent is 0 ("4.2").  The decimal separator follows the locale
 * (display only, never for files).
 *
 * Returns: (transfer full): the text, UTF-8; "0" for zero and "—" for NaN
 *   or infinity
 */
char *
cryo_ticks_format_scientific (double value,
                              guint  digits)
{
  GString *str;
  double mantissa;
  int exponent;

  digits = MAX (digits, 1);

  if (!isfinite (value))
    return g_strdup ("—");
  if (value == 0.0)
    return g_strdup ("0");

  exponent = (int) floor (log10 (fabs (value)));
  mantissa = value / pow (10.0, exponent);

  /* Rounding can carry into the next decade: 9.96 → "1.0 × 10¹". */
  {
    double scale = pow (10.0, digits - 1);
    double rounded = round (fabs (mantissa) * scale) / scale;

    if (rounded >= 10.0)
      {
        exponent++;
        mantissa /= 10.0;
      }
  }

  str = g_string_new (NULL);
  g_string_append_printf (str, "%.*f", (int) digits - 1, mantissa);
  if (exponent != 0)
    {
      g_string_append (str, " × 10");
      append_superscript (str, exponent);
    }

  return g_string_free (str, FALSE);
}

static inline double
exp10i (int n)
{
  /* pow() is exact for the powers of ten that are representable. */
  return pow (10.0, n);
}

/**
 * cryo_ticks_log_bounds:
 * @min: smallest positive value to show
 * @max: largest value to show, ≥ @min
 * @lower: (out): the decade at or below @min
 * @upper: (out): the decade at or above @max, above @lower
 *
 * Widens [@min, @max] to whole decades, what a log axis auto-fits to.  A
 * value lying exactly on a decade gets the decade beyond it too, so that a
 * flat line (a vented chamber at 10³ mbar) is not drawn on the frame.
 */
void
cryo_ticks_log_bounds (double  min,
                       double  max,
                       double *lower,
                       double *upper)
{
  int lo, hi;

  g_return_if_fail (lower != NULL && upper != NULL);

  if (!(min > 0.0) || !isfinite (min))
    min = 1.0;
  if (!(max >= min) || !isfinite (max))
    max = min;

  lo = (int) floor (log10 (min) + EPSILON);
  hi = (int) ceil (log10 (max) - EPSILON);
  if (exp10i (lo) > min)
    lo--;
  if (exp10i (hi) < max)
    hi++;
  if (fabs (log10 (max) - hi) < EPSILON)
    hi++;
  if (fabs (log10 (min) - lo) < EPSILON)
    lo--;
  if (hi <= lo)
    hi = lo + 1;

  *lower = exp10i (lo);
  *upper = exp10i (hi);
}

/**
 * cryo_ticks_log:
 * @min: lower end of the axis, > 0
 * @max: upper end of the axis, > @min
 * @max_labels: at most this many labels, ≥ 1
 *
 * Ticks of a log axis: a major tick at each decade 10ⁿ inside [@min, @max];
 * every decade labelled "10ⁿ" when they fit, otherwise only every 2nd, 5th,
 * 10th… (exponents divisible by the stride) so that at most @max_labels are
 * labelled.  Minor ticks at 2…9 × 10ⁿ while every decade or every 2nd is
 * labelled (beyond that the unlabelled decades are the minor ticks).  When
 * fewer than two decades fall inside the range, the minor ticks are labelled
 * too ("2 × 10⁻³") so the axis is never bare.
 *
 * Returns: (transfer full) (element-type CryoTick): the ticks, ascending
 */
GArray *
cryo_ticks_log (double min,
                double max,
                guint  max_labels)
{
  static const int strides[] = { 1, 2, 5, 10, 20, 50, 100 };
  GArray *ticks = tick_array_new ();
  int lo, hi, stride = 1;
  guint n_decades_inside = 0;
  gboolean label_minor;

  g_return_val_if_fail (min > 0.0 && max > min, ticks);
  g_return_val_if_fail (isfinite (min) && isfinite (max), ticks);

  max_labels = MAX (max_labels, 1);
  lo = (int) floor (log10 (min));
  hi = (int) ceil (log10 (max));

  for (int n = lo; n <= hi; n++)
    {
      double v = exp10i (n);

      if (v >= min * (1 - EPSILON) && v <= max * (1 + EPSILON))
        n_decades_inside++;
    }

  for (guint i = 0; i < G_N_ELEMENTS (strides); i++)
    {
      guint n_labelled = 0;

      stride = strides[i];
      for (int n = lo; n <= hi; n++)
        {
          double v = exp10i (n);

          if (n % stride == 0 && v >= min * (1 - EPSILON) && v <= max * (1 + EPSILON))
            n_labelled++;
        }
      if (n_labelled <= max_labels)
        break;
    }

  label_minor = n_decades_inside < 2;

  for (int n = lo; n <= hi; n++)
    {
      double decade = exp10i (n);

      if (decade >= min * (1 - EPSILON) && decade <= max * (1 + EPSILON))
        add_tick (ticks, decade,
                  n % stride == 0 ? cryo_ticks_format_power_of_ten (n) : NULL,
                  TRUE);

      if (stride > 2)
        continue;

      for (int k = 2; k <= 9; k++)
        {
          double v = k * decade;

          if (v < min * (1 - EPSILON) || v > max * (1 + EPSILON))
            continue;
          add_tick (ticks, v,
                    label_minor ? cryo_ticks_format_scientific (v, 1) : NULL,
                    FALSE);
        }
    }

  return ticks;
}

/**
 * cryo_ticks_nice_step:
 * @range: the width of the axis, > 0
 * @max_ticks: at most this many ticks, ≥ 2
 *
 * Returns: the smallest step of the form 1, 2 or 5 × 10ⁿ that puts at most
 *   @max_ticks ticks on an axis of width @range
 */
double
cryo_ticks_nice_step (double range,
                      guint  max_ticks)
{
  static const double mantissas[] = { 1.0, 2.0, 5.0 };
  double step;
  int exponent;

  max_ticks = MAX (max_ticks, 2);
  if (!(range > 0.0) || !isfinite (range))
    return 1.0;

  /* A step s gives at most floor (range / s) + 1 ticks. */
  exponent = (int) floor (log10 (range / (max_ticks - 1))) - 1;
  for (;; exponent++)
    for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
      {
        step = mantissas[i] * exp10i (exponent);
        if (floor (range / step * (1 + EPSILON)) + 1 <= max_ticks)
          return step;
      }
}

/**
 * cryo_ticks_get_decimals:
 * @step: a step from cryo_ticks_nice_step()
 *
 * Returns: decimals needed to tell ticks @step apart (0 for steps ≥ 1,
 *   1 for 0.5, 3 for 0.002)
 */
guint
cryo_ticks_get_decimals (double step)
{
  if (!(step > 0.0) || step >= 1.0 || !isfinite (step))
    return 0;

  return (guint) MAX (0, (int) ceil (-log10 (step) - EPSILON));
}

/**
 * cryo_ticks_linear_bounds:
 * @min: smallest value to show
 * @max: largest value to show, ≥ @min
 * @max_ticks: the tick count the axis will use, ≥ 2
 * @lower: (out): a multiple of the nice step at or below @min
 * @upper: (out): a multiple of the nice step at or above @max, > @lower
 *
 * What a linear axis auto-fits to: [@min, @max] widened to nice steps, down
 * to 0 (or up to 0 for negative data) when 0 is closer than the data's own
 * extent, so that e.g. a speed of 81000…82000 rpm starts at 0 only if that
 * does not squash it.  A single value gets a range around it.
 */
void
cryo_ticks_linear_bounds (double  min,
                          double  max,
                          guint   max_ticks,
                          double *lower,
                          double *upper)
{
  double step;

  g_return_if_fail (lower != NULL && upper != NULL);

  if (!isfinite (min) || !isfinite (max))
    {
      min = 0.0;
      max = 1.0;
    }
  if (max < min)
    {
      double t = min;

      min = max;
      max = t;
    }

  if (min > 0.0 && min <= max - min)
    min = 0.0;
  else if (max < 0.0 && -max <= max - min)
    max = 0.0;

  if (max == min)
    {
      double pad = min == 0.0 ? 1.0 : fabs (min) * 0.1;

      min -= pad;
      max += pad;
      if (min < 0.0 && min + pad >= 0.0)
        min = 0.0;
    }

  step = cryo_ticks_nice_step (max - min, max_ticks);
  *lower = floor (min / step * (1 + EPSILON)) * step;
  *upper = ceil (max / step * (1 - EPSILON)) * step;
  if (*upper <= *lower)
    *upper = *lower + step;
}

/**
 * cryo_ticks_linear:
 * @min: lower end of the axis
 * @max: upper end of the axis, > @min
 * @max_ticks: at most this many ticks, ≥ 2
 *
 * Major ticks at the multiples of cryo_ticks_nice_step() inside
 * [@min, @max], labelled with cryo_ticks_get_decimals() decimals (the
 * separator follows the locale: display only).
 *
 * Returns: (transfer full) (element-type CryoTick): the ticks, ascending
 */
GArray *
cryo_ticks_linear (double min,
                   double max,
                   guint  max_ticks)
{
  GArray *ticks = tick_array_new ();
  double step;
  double first, last;
  guint decimals;

  g_return_val_if_fail (max > min, ticks);
  g_return_val_if_fail (isfinite (min) && isfinite (max), ticks);

  step = cryo_ticks_nice_step (max - min, max_ticks);
  decimals = cryo_ticks_get_decimals (step);
  first = ceil (min / step - EPSILON);
  last = floor (max / step + EPSILON);

  for (double k = first; k <= last; k++)
    {
      /* k × step, not a running sum, so no error accumulates; and no "-0". */
      double v = k == 0 ? 0.0 : k * step;

      add_tick (ticks, v, g_strdup_printf ("%.*f", decimals, v), TRUE);
    }

  return ticks;
}

typedef enum
{
  UNIT_FIXED,   /* a fixed number of µs that divides a day */
  UNIT_DAY,
  UNIT_MONTH,
} IntervalUnit;

typedef struct
{
  IntervalUnit unit;
  gint64       count;     /* µs for UNIT_FIXED, days or months otherwise */
} Interval;

static const Interval intervals[] = {
  { UNIT_FIXED, 1 * G_USEC_PER_SEC },
  { UNIT_FIXED, 2 * G_USEC_PER_SEC },
  { UNIT_FIXED, 5 * G_USEC_PER_SEC },
  { UNIT_FIXED, 10 * G_USEC_PER_SEC },
  { UNIT_FIXED, 15 * G_USEC_PER_SEC },
  { UNIT_FIXED, 30 * G_USEC_PER_SEC },
  { UNIT_FIXED, 1 * USEC_PER_MINUTE },
  { UNIT_FIXED, 2 * USEC_PER_MINUTE },
  { UNIT_FIXED, 5 * USEC_PER_MINUTE },
  { UNIT_FIXED, 10 * USEC_PER_MINUTE },
  { UNIT_FIXED, 15 * USEC_PER_MINUTE },
  { UNIT_FIXED, 30 * USEC_PER_MINUTE },
  { UNIT_FIXED, 1 * USEC_PER_HOUR },
  { UNIT_FIXED, 2 * USEC_PER_HOUR },
  { UNIT_FIXED, 3 * USEC_PER_HOUR },
  { UNIT_FIXED, 6 * USEC_PER_HOUR },
  { UNIT_FIXED, 12 * USEC_PER_HOUR },
  { UNIT_DAY, 1 },
  { UNIT_DAY, 2 },
  { UNIT_DAY, 7 },
  { UNIT_DAY, 14 },
  { UNIT_MONTH, 1 },
  { UNIT_MONTH, 2 },
  { UNIT_MONTH, 3 },
  { UNIT_MONTH, 6 },
  { UNIT_MONTH, 12 },
  { UNIT_MONTH, 24 },
  { UNIT_MONTH, 60 },
  { UNIT_MONTH, 120 },
};

static gint64
interval_nominal_us (const Interval *interval)
{
  switch (interval->unit)
    {
    case UNIT_FIXED:
      return interval->count;
    case UNIT_DAY:
      return interval->count * USEC_PER_DAY;
    case UNIT_MONTH:
    default:
      return interval->count * USEC_PER_MONTH;
    }
}

static const Interval *
choose_interval (gint64 span_us,
                 guint  max_ticks)
{
  max_ticks = MAX (max_ticks, 1);

  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    if (span_us / interval_nominal_us (&intervals[i]) + 1 <= max_ticks)
      return &intervals[i];

  return &intervals[G_N_ELEMENTS (intervals) - 1];
}

/**
 * cryo_ticks_time_interval:
 * @span_us: width of the time axis, µs
 * @max_ticks: at most this many ticks, ≥ 1
 *
 * The interval cryo_ticks_time() uses: the smallest of 1, 2, 5, 10, 15,
 * 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h; 1, 2, 7, 14 days; 1, 2,
 * 3, 6 months; 1, 2, 5, 10 years that gives at most @max_ticks ticks.
 *
 * Returns: the interval in µs (months count as 30 days here)
 */
gint64
cryo_ticks_time_interval (gint64 span_us,
                          guint  max_ticks)
{
  return interval_nominal_us (choose_interval (MAX (span_us, 0), max_ticks));
}

static const char *
time_format (const Interval *interval)
{
  switch (interval->unit)
    {
    case UNIT_FIXED:
      if (interval->count < USEC_PER_MINUTE)
        /* Translators: time axis label, strftime()-like format of
         * g_date_time_format(), seconds resolution */
        return _("%H:%M:%S");
      if (interval->count < 3 * USEC_PER_HOUR)
        /* Translators: time axis label, minutes resolution */
        return _("%H:%M");
      /* Translators: time axis label for hour steps over several days:
       * weekday and time, e.g. "Mon 14:00" */
      return _("%a %H:%M");
    case UNIT_DAY:
      /* Translators: time axis label for day steps, e.g. "22 Nov" */
      return _("%-d %b");
    case UNIT_MONTH:
    default:
      if (interval->count < 12)
        /* Translators: time axis label for month steps, e.g. "Nov 2024" */
        return _("%b %Y");
      /* Translators: time axis label for year steps */
      return _("%Y");
    }
}

static gint64
zone_offset_us (GTimeZone *tz,
                gint64     time_us)
{
  gint64 seconds = time_us / G_USEC_PER_SEC;
  int i = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, seconds);

  return (gint64) g_time_zone_get_offset (tz, i) * G_USEC_PER_SEC;
}

/* Smallest t ≥ @time_us with (t + @offset) a multiple of @step. */
static gint64
align_up (gint64 time_us,
          gint64 offset,
          gint64 step)
{
  gint64 local = time_us + offset;
  gint64 r = local % step;

  if (r < 0)
    r += step;
  if (r != 0)
    local += step - r;

  return local - offset;
}

static void
add_time_tick (GArray         *ticks,
               GDateTime      *dt,
               const Interval *interval)
{
  gint64 time_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);

  add_tick (ticks, (double) time_us, g_date_time_format (dt, time_format (interval)), TRUE);
}

static gboolean
day_matches (GDateTime *dt,
             gint64     n_days)
{
  GDate date;
  guint32 julian;

  if (n_days == 1)
    return TRUE;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date,
                  g_date_time_get_day_of_month (dt),
                  g_date_time_get_month (dt),
                  g_date_time_get_year (dt));
  /* Julian day 1 (1 January of year 1) was a Monday, so weeks start on
   * Mondays as in ISO 8601. */
  julian = g_date_get_julian (&date) - 1;
  if (n_days % 7 == 0)
    return (julian / 7) % (n_days / 7) == 0 && julian % 7 == 0;

  return julian % n_days == 0;
}

/**
 * cryo_ticks_time:
 * @begin_us: left end of the axis, µs since the Unix epoch
 * @end_us: right end of the axis, µs, > @begin_us
 * @max_ticks: at most this many ticks, ≥ 1
 * @tz: (nullable): the zone the labels and alignment follow, %NULL for
 *   local time
 *
 * Wall-clock ticks at the interval of cryo_ticks_time_interval(), aligned
 * to local time: seconds and minutes on round clock times, hours on
 * multiples of the interval after local midnight, days on local midnights
 * (2 days on even day numbers, weeks on Mondays), months on the 1st.
 * Across a daylight-saving change the alignment follows the new offset.
 * Labels: "14:23:45" below a minute, "14:23" below 3 h, "Mon 14:00" below a
 * day, "22 Nov" for days, "Nov 2024" for months, "2024" for years
 * (translatable formats).  Each tick's value is its time in µs.
 *
 * Returns: (transfer full) (element-type CryoTick): the ticks, ascending
 */
GArray *
cryo_ticks_time (gint64     begin_us,
                 gint64     end_us,
                 guint      max_ticks,
                 GTimeZone *tz)
{
  GArray *ticks = tick_array_new ();
  g_autoptr(GTimeZone) local = NULL;
  const Interval *interval;

  g_return_val_if_fail (end_us > begin_us, ticks);

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();

  interval = choose_interval (end_us - begin_us, max_ticks);

  if (interval->unit == UNIT_FIXED)
    {
      gint64 step = interval->count;
      gint64 t = align_up (begin_us, zone_offset_us (tz, begin_us), step);

      while (t <= end_us)
        {
          g_autoptr(GDateTime) utc = NULL;
          g_autoptr(GDateTime) dt = NULL;
          /* Realign when the offset changed (daylight saving): the step
           * then runs on the new local clock. */
          gint64 aligned = align_up (t, zone_offset_us (tz, t), step);

          if (aligned != t)
            {
              t = aligned;
              continue;
            }

          utc = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
          dt = g_date_time_to_timezone (utc, tz);
          add_time_tick (ticks, dt, interval);
          t += step;
        }
    }
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (begin_us / G_USEC_PER_SEC);
      g_autoptr(GDateTime) start = g_date_time_to_timezone (utc, tz);
      int year = g_date_time_get_year (start);
      int month = g_date_time_get_month (start);
      int day = g_date_time_get_day_of_month (start);

      if (interval->unit == UNIT_MONTH)
        day = 1;

      /* Local midnight of the first candidate day (or month), walked
       * forward by calendar days or months, never by fixed µs. */
      for (guint i = 0; ; i++)
        {
          g_autoptr(GDateTime) dt = NULL;
          gint64 time_us;

          if (interval->unit == UNIT_DAY)
            {
              g_autoptr(GDateTime) day0 = g_date_time_new (tz, year, month, day, 0, 0, 0);

              dt = g_date_time_add_days (day0, i);
              /* add_days keeps the wall-clock time, but a midnight that
               * does not exist moved it; go back to the day's start. */
              if (g_date_time_get_hour (dt) != 0)
                {
                  g_autoptr(GDateTime) fixed =
                    g_date_time_new (tz, g_date_time_get_year (dt), g_date_time_get_month (dt),
                                     g_date_time_get_day_of_month (dt), 0, 0, 0);

                  g_date_time_unref (dt);
                  dt = g_steal_pointer (&fixed);
                }
            }
          else
            {
              int m = (month - 1) + (int) i;

              dt = g_date_time_new (tz, year + m / 12, m % 12 + 1, 1, 0, 0, 0);
            }

          if (dt == NULL)
            break;
          time_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
          if (time_us > end_us)
            break;
          if (time_us < begin_us)
            continue;

          if (interval->unit == UNIT_DAY)
            {
              if (!day_matches (dt, interval->count))
                continue;
            }
          else
            {
              int months = g_date_time_get_year (dt) * 12 + g_date_time_get_month (dt) - 1;

              if (months % interval->count != 0)
                continue;
            }

          add_time_tick (ticks, dt, interval);
        }
    }

  return ticks;
}
