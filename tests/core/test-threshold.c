/* test-threshold.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "cryo-threshold.h"

#define S(seconds) ((gint64) (seconds) * G_USEC_PER_SEC)
#define T0 S (1800000000)

static void
parse_ok (const char        *text,
          CryoThresholdSpec *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cryo_threshold_spec_parse (text, spec, &error));
  g_assert_no_error (error);
}

static void
test_parse (void)
{
  CryoThresholdSpec spec;

  parse_ok ("above 1e-5 mbar for 30 s hysteresis 10%", &spec);
  g_assert_cmpint (spec.direction, ==, CRYO_THRESHOLD_ABOVE);
  g_assert_cmpfloat (spec.limit, ==, 1e-5);
  g_assert_cmpint (spec.unit, ==, CRYO_UNIT_MBAR);
  g_assert_cmpfloat (spec.delay_s, ==, 30);
  g_assert_cmpfloat (spec.hysteresis, ==, 10);
  g_assert_true (spec.hysteresis_percent);

  parse_ok ("  below\t40.5 °C ", &spec);
  g_assert_cmpint (spec.direction, ==, CRYO_THRESHOLD_BELOW);
  g_assert_cmpfloat (spec.limit, ==, 40.5);
  g_assert_cmpint (spec.unit, ==, CRYO_UNIT_CELSIUS);
  g_assert_cmpfloat (spec.delay_s, ==, 0);
  g_assert_cmpfloat (spec.hysteresis, ==, 0);
  g_assert_false (spec.hysteresis_percent);

  parse_ok ("above 40 degC for 2 min hysteresis 2 K", &spec);
  g_assert_cmpint (spec.unit, ==, CRYO_UNIT_CELSIUS);
  g_assert_cmpfloat (spec.delay_s, ==, 120);
  g_assert_cmpfloat_with_epsilon (spec.hysteresis, 2, 1e-9);

  /* A difference in °F is 5/9 of one in K or °C; no offset. */
  parse_ok ("above 40 °C hysteresis 9 °F", &spec);
  g_assert_cmpfloat_with_epsilon (spec.hysteresis, 5, 1e-9);

  parse_ok ("above 2 h for 1 h", &spec);
  g_assert_cmpint (spec.unit, ==, CRYO_UNIT_HOURS);
  g_assert_cmpfloat (spec.delay_s, ==, 3600);

  parse_ok ("below 3 hysteresis 0.5", &spec);
  g_assert_cmpint (spec.unit, ==, CRYO_UNIT_NONE);
  g_assert_cmpfloat (spec.hysteresis, ==, 0.5);

  parse_ok ("above 90 % hysteresis 5 %", &spec);
  g_assert_cmpint (spec.unit, ==, CRYO_UNIT_PERCENT);
  g_assert_true (spec.hysteresis_percent);
}

static void
test_parse_invalid (void)
{
  static const char * const invalid[] = {
    "",
    "over 1 mbar",
    "above",
    "above mbar",
    "above 1,5 mbar",
    "above nan mbar",
    "above inf mbar",
    "above 1 furlongs",
    "above 1 mbar for",
    "above 1 mbar for 30",
    "above 1 mbar for 30 days",
    "above 1 mbar for -1 s",
    "above 1 mbar for 400 d",
    "above 1 mbar for 9000 h",
    "above 1 mbar hysteresis",
    "above 1 mbar hysteresis -1 mbar",
    "above 1 mbar hysteresis 120%",
    "above 1 mbar hysteresis 1 K",
    "above 1 mbar hysteresis 1 furlong",
    "above 1 mbar please",
    "above 1 mbar for 30 s hysteresis 10% now",
    "above 1 mbar hysteresis 10% for 30 s",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      CryoThresholdSpec spec = { CRYO_THRESHOLD_BELOW, 7, CRYO_UNIT_KELVIN, 1, 2, FALSE };

      g_test_message ("%s", invalid[i]);
      g_assert_false (cryo_threshold_spec_parse (invalid[i], &spec, &error));
      g_assert_error (error, CRYO_THRESHOLD_ERROR, CRYO_THRESHOLD_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, invalid[i]));
      /* Untouched on failure. */
      g_assert_cmpfloat (spec.limit, ==, 7);
    }
}

static void
test_round_trip (void)
{
  static const char * const texts[] = {
    "above 1e-05 mbar for 30 s hysteresis 10%",
    "below 40.5 °C",
    "above 0.1 Pa hysteresis 0.01 Pa",
    "below 3",
    "above 3 hysteresis 0.25",
    "above 0.30000000000000004 K for 0.5 s",
    "below -12 °F for 7200 s",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      CryoThresholdSpec spec, again;
      g_autofree char *text = NULL;

      parse_ok (texts[i], &spec);
      text = cryo_threshold_spec_to_string (&spec);
      g_assert_cmpstr (text, ==, texts[i]);
      parse_ok (text, &again);
      g_assert_true (cryo_threshold_spec_equal (&spec, &again));
    }
}

/* The text form ignores the locale's decimal comma, both ways. */
static void
test_locale (void)
{
  CryoThresholdSpec spec;
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("no de_DE.UTF-8 locale");
      return;
    }

  parse_ok ("above 2.5 mbar for 1.5 s", &spec);
  g_assert_cmpfloat (spec.limit, ==, 2.5);
  text = cryo_threshold_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "above 2.5 mbar for 1.5 s");
  description = cryo_threshold_spec_dup_description (&spec, "Pressure");
  g_assert_cmpstr (description, ==, "Pressure above 2.5 mbar for 1.5 s");

  setlocale (LC_NUMERIC, "C");
}

static void
test_description (void)
{
  CryoThresholdSpec spec;
  g_autofree char *above = NULL;
  g_autofree char *below = NULL;

  parse_ok ("above 1e-5 mbar for 30 s hysteresis 10%", &spec);
  above = cryo_threshold_spec_dup_description (&spec, "Pressure");
  g_assert_cmpstr (above, ==, "Pressure above 1e-05 mbar for 30 s");

  parse_ok ("below 12", &spec);
  below = cryo_threshold_spec_dup_description (&spec, "Mode");
  g_assert_cmpstr (below, ==, "Mode below 12");
}

/* "pressure above 1e-5 mbar for 30 s", in Pa, samples every 10 s. */
static void
test_delay (void)
{
  CryoThresholdSpec spec;
  CryoThreshold threshold;

  parse_ok ("above 1e-5 mbar for 30 s", &spec);
  cryo_threshold_init (&threshold, &spec);
  g_assert_false (cryo_threshold_get_raised (&threshold));

  /* Exactly at the limit is not above it. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0, 1e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (10), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (20), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (30), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  /* 29.999999 s beyond is not yet 30 s. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (40) - 1, 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_false (cryo_threshold_get_raised (&threshold));
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (40), 2e-3), ==, CRYO_THRESHOLD_RAISED);
  g_assert_true (cryo_threshold_get_raised (&threshold));
  /* Raised once, not again while it stays. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (50), 5e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_true (cryo_threshold_get_raised (&threshold));

  /* Without hysteresis, back at the limit clears at once. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (60), 1e-3), ==, CRYO_THRESHOLD_CLEARED);
  g_assert_false (cryo_threshold_get_raised (&threshold));
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (70), 1e-4), ==, CRYO_THRESHOLD_UNCHANGED);

  /* A dip inside the limit restarts the delay. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (100), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (125), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (126), 9e-4), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (127), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (150), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  /* So does a gap: it says nothing about the value in between. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (155), NAN), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (157), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (186), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (187), 2e-3), ==, CRYO_THRESHOLD_RAISED);

  /* A gap does not clear a raised condition either. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (190), NAN), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_true (cryo_threshold_get_raised (&threshold));

  /* A clock stepped back restarts the delay instead of raising early. */
  cryo_threshold_init (&threshold, &spec);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (100), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (50), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (79), 2e-3), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (80), 2e-3), ==, CRYO_THRESHOLD_RAISED);
}

static void
test_no_delay (void)
{
  CryoThresholdSpec spec;
  CryoThreshold threshold;

  parse_ok ("below 20 K", &spec);
  cryo_threshold_init (&threshold, &spec);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0, 20), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0, 19.99), ==, CRYO_THRESHOLD_RAISED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 1, 10), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 2, 20), ==, CRYO_THRESHOLD_CLEARED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 3, 19), ==, CRYO_THRESHOLD_RAISED);
}

/* "helium temperature above 40 °C" with 2 °C of hysteresis, in K. */
static void
test_hysteresis_absolute (void)
{
  CryoThresholdSpec spec;
  CryoThreshold threshold;
  const double c = 273.15;

  parse_ok ("above 40 °C hysteresis 2 °C", &spec);
  cryo_threshold_init (&threshold, &spec);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0, c + 39.9), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 1, c + 40.1), ==, CRYO_THRESHOLD_RAISED);
  /* Between the limit and the limit minus the hysteresis it stays. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 2, c + 39.0), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 3, c + 38.1), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 4, c + 40.5), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_true (cryo_threshold_get_raised (&threshold));
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 5, c + 37.9), ==, CRYO_THRESHOLD_CLEARED);
  /* Raising again needs the limit, not the clear level. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 6, c + 39.0), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 7, c + 40.01), ==, CRYO_THRESHOLD_RAISED);
}

/* A percentage of the limit, in the limit's unit; below the limit it is
 * above that the condition clears. */
static void
test_hysteresis_percent (void)
{
  CryoThresholdSpec spec;
  CryoThreshold threshold;

  parse_ok ("below 1000 rpm for 5 s hysteresis 10%", &spec);
  cryo_threshold_init (&threshold, &spec);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0, 900), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (5), 900), ==, CRYO_THRESHOLD_RAISED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (6), 1050), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (7), 1099), ==, CRYO_THRESHOLD_UNCHANGED);
  /* Clearing has no delay: the first value at the clear level does it. */
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + S (8), 1100), ==, CRYO_THRESHOLD_CLEARED);

  /* 10 % of 1e-5 mbar is 1e-6 mbar: it clears at 9e-6 mbar = 9e-4 Pa. */
  parse_ok ("above 1e-5 mbar hysteresis 10%", &spec);
  cryo_threshold_init (&threshold, &spec);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0, 1.2e-3), ==, CRYO_THRESHOLD_RAISED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 1, 9.2e-4), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 2, 8.9e-4), ==, CRYO_THRESHOLD_CLEARED);

  /* Of a negative limit it is the magnitude that counts. */
  parse_ok ("below -10 °C hysteresis 10%", &spec);
  cryo_threshold_init (&threshold, &spec);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0, 273.15 - 12), ==, CRYO_THRESHOLD_RAISED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 1, 273.15 - 9.5), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 2, 273.15 - 8.9), ==, CRYO_THRESHOLD_CLEARED);
}

/* A condition raised in the previous run is not raised again. */
static void
test_restore (void)
{
  CryoThresholdSpec spec;
  CryoThreshold threshold;

  parse_ok ("above 10 K hysteresis 1 K", &spec);
  cryo_threshold_init (&threshold, &spec);
  cryo_threshold_restore_raised (&threshold);
  g_assert_true (cryo_threshold_get_raised (&threshold));
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0, 11), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 1, 9.5), ==, CRYO_THRESHOLD_UNCHANGED);
  g_assert_cmpint (cryo_threshold_feed (&threshold, T0 + 2, 9), ==, CRYO_THRESHOLD_CLEARED);
  g_assert_false (cryo_threshold_get_raised (&threshold));
}

/* Every transition against a direct model of the rules, over random walks. */
static void
test_random_walks (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);

  for (guint walk = 0; walk < 2000; walk++)
    {
      CryoThresholdSpec spec = {
        g_rand_boolean (rand) ? CRYO_THRESHOLD_ABOVE : CRYO_THRESHOLD_BELOW,
        g_rand_int_range (rand, -5, 6),
        CRYO_UNIT_NONE,
        g_rand_int_range (rand, 0, 4),
        g_rand_int_range (rand, 0, 3),
        FALSE,
      };
      CryoThreshold threshold;
      gboolean raised = FALSE;
      gboolean beyond = FALSE;
      gint64 since = 0;
      double value = g_rand_int_range (rand, -8, 9);

      cryo_threshold_init (&threshold, &spec);
      for (gint64 t = 0; t < 200; t++)
        {
          CryoThresholdChange expected = CRYO_THRESHOLD_UNCHANGED;
          gboolean gap = g_rand_int_range (rand, 0, 20) == 0;
          double fed;

          value = CLAMP (value + g_rand_int_range (rand, -1, 2), -8, 8);
          fed = gap ? NAN : value;

          if (gap)
            beyond = FALSE;
          else if (spec.direction == CRYO_THRESHOLD_ABOVE ? value > spec.limit : value < spec.limit)
            {
              if (!beyond)
                since = t;
              beyond = TRUE;
              if (!raised && t - since >= spec.delay_s)
                {
                  raised = TRUE;
                  expected = CRYO_THRESHOLD_RAISED;
                }
            }
          else
            {
              beyond = FALSE;
              if (raised && (spec.direction == CRYO_THRESHOLD_ABOVE
                             ? value <= spec.limit - spec.hysteresis
                             : value >= spec.limit + spec.hysteresis))
                {
                  raised = FALSE;
                  expected = CRYO_THRESHOLD_CLEARED;
                }
            }

          g_assert_cmpint (cryo_threshold_feed (&threshold, S (t), fed), ==, expected);
          g_assert_cmpint (cryo_threshold_get_raised (&threshold), ==, raised);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/threshold/parse", test_parse);
  g_test_add_func ("/threshold/parse-invalid", test_parse_invalid);
  g_test_add_func ("/threshold/round-trip", test_round_trip);
  g_test_add_func ("/threshold/locale", test_locale);
  g_test_add_func ("/threshold/description", test_description);
  g_test_add_func ("/threshold/delay", test_delay);
  g_test_add_func ("/threshold/no-delay", test_no_delay);
  g_test_add_func ("/threshold/hysteresis-absolute", test_hysteresis_absolute);
  g_test_add_func ("/threshold/hysteresis-percent", test_hysteresis_percent);
  g_test_add_func ("/threshold/restore", test_restore);
  g_test_add_func ("/threshold/random-walks", test_random_walks);

  return g_test_run ();
}
