/* test-number-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cryo_number_format_double() stands in for glibc's printf "%.*g" because
 * printf is too slow for exports (see its documentation); this test holds
 * it to printf's exact text over ten million random doubles. Each run
 * draws new ones (seeded from g_test_rand_int()); a failure prints the
 * value's bits, and `--seed` (from the log's "random seed") replays a whole
 * run. printf costs about half a microsecond a value, so the draws are
 * shared among two threads to keep the test to a few seconds.
 */

#include "config.h"

#include <glib.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cryo-number-format.h"
#include "cryo-units.h"

/* The CSV writer passes a channel's digits, 1..17; 0 means 1, as in printf. */
#define MAX_PRECISION 17
#define N_PRECISIONS  (MAX_PRECISION + 1)

/* Per test case; ten million in all, each value at one precision, the
 * precisions taken in turn so each sees over half a million values. */
#define N_BITS        3000000
#define N_LOG         3000000
#define N_READINGS    3000000
#define N_RANGES      1000000

static locale_t c_locale;

static void
format_like_printf (char   *buf,
                    gsize   len,
                    double  value,
                    guint   precision)
{
  locale_t saved = uselocale (c_locale);

  snprintf (buf, len, "%.*g", (int) precision, value);
  uselocale (saved);
}

static void
check (double value,
       guint  precision)
{
  char expected[64];
  char actual[CRYO_NUMBER_FORMAT_MAX_LEN];
  gsize n;

  format_like_printf (expected, sizeof expected, value, precision);
  n = cryo_number_format_double (actual, sizeof actual, value, precision);

  if (G_UNLIKELY (strcmp (actual, expected) != 0 || n != strlen (expected)))
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];
      guint64 bits;

      memcpy (&bits, &value, sizeof bits);
      g_test_message ("value %s (bits 0x%016" G_GINT64_MODIFIER "x), precision %u",
                      g_ascii_dtostr (text, sizeof text, value), bits, precision);
      g_assert_cmpstr (actual, ==, expected);
      g_assert_cmpuint (n, ==, strlen (expected));
    }
}

static double
double_from_bits (guint64 bits)
{
  double value;

  memcpy (&value, &bits, sizeof value);
  return value;
}

/* Draws value number @i and the precision to format it with. */
typedef void (*DrawFunc) (GRand  *rand,
                          guint   i,
                          double *value,
                          guint  *precision);

typedef struct
{
  DrawFunc draw;
  guint    begin;
  guint    end;
  guint32  seed;
} Slice;

static gpointer
check_slice (gpointer data)
{
  Slice *slice = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (slice->seed);

  for (guint i = slice->begin; i < slice->end; i++)
    {
      double value;
      guint precision;

      slice->draw (rand, i, &value, &precision);
      check (value, precision);
    }

  return NULL;
}

#define N_THREADS 2

static void
check_drawn (DrawFunc draw,
             guint    n)
{
  Slice slices[N_THREADS];
  GThread *threads[N_THREADS];

  for (guint t = 0; t < N_THREADS; t++)
    {
      slices[t] = (Slice) {
        .draw = draw,
        .begin = n / N_THREADS * t,
        .end = t + 1 < N_THREADS ? n / N_THREADS * (t + 1) : n,
        .seed = g_test_rand_int (),
      };
      threads[t] = g_thread_new ("check", check_slice, &slices[t]);
    }

  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
}

static guint64
rand_bits (GRand *rand)
{
  return ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
}

/* Any double: uniform bit patterns, with extra subnormals (exponent field
 * 0), infinities and NaNs of both signs (exponent field all ones) and the
 * smallest normal numbers, which a uniform draw rarely reaches. The CSV
 * writer itself leaves non-finite values out, but the formatter promises
 * printf's text for them too. */
static void
draw_bits (GRand  *rand,
           guint   i,
           double *value,
           guint  *precision)
{
  guint64 bits = rand_bits (rand);
  guint64 exponent = (bits >> 52) & 0x7ff;

  switch (i % 32)
    {
    case 0:
    case 1:
      exponent = 0;
      break;
    case 2:
      exponent = 0x7ff;
      /* Half of them infinities, the rest NaNs with random payloads. */
      if (g_rand_boolean (rand))
        bits &= ~G_GUINT64_CONSTANT (0xfffffffffffff);
      break;
    case 3:
      exponent = g_rand_int_range (rand, 1, 4);
      break;
    default:
      break;
    }
  bits = (bits & ~(G_GUINT64_CONSTANT (0x7ff) << 52)) | (exponent << 52);

  *value = double_from_bits (bits);
  *precision = i % N_PRECISIONS;
}

static void
test_random_bits (void)
{
  check_drawn (draw_bits, N_BITS);
}

/* Log-uniform over 1e-15 .. 1e7, both signs: every reading of every
 * instrument in every display unit lies in it. */
static void
draw_log (GRand  *rand,
          guint   i,
          double *value,
          guint  *precision)
{
  *value = pow (10, g_rand_double_range (rand, -15, 7));
  if (g_rand_boolean (rand))
    *value = -*value;
  *precision = i % N_PRECISIONS;
}

static void
test_random_log (void)
{
  check_drawn (draw_log, N_LOG);
}

/* What exports really hold: a reading as the instrument sends it, a short
 * decimal ("2.9E-03" mbar, "81000" rpm, "4.25" K), parsed, converted to the
 * canonical unit and on to a display unit. Such values sit on or right next
 * to the rounding ties that printf settles on the exact binary value. */
static void
draw_reading (GRand  *rand,
              guint   i,
              double *value,
              guint  *precision)
{
  static const struct
  {
    CryoUnit from;
    CryoUnit canonical;
    CryoUnit to;
  } paths[] = {
    { CRYO_UNIT_MBAR, CRYO_UNIT_PA, CRYO_UNIT_MBAR },
    { CRYO_UNIT_MBAR, CRYO_UNIT_PA, CRYO_UNIT_TORR },
    { CRYO_UNIT_MBAR, CRYO_UNIT_PA, CRYO_UNIT_PA },
    { CRYO_UNIT_TORR, CRYO_UNIT_PA, CRYO_UNIT_MBAR },
    { CRYO_UNIT_PSI, CRYO_UNIT_PA, CRYO_UNIT_KPA },
    { CRYO_UNIT_PSI, CRYO_UNIT_PA, CRYO_UNIT_BAR },
    { CRYO_UNIT_KELVIN, CRYO_UNIT_KELVIN, CRYO_UNIT_CELSIUS },
    { CRYO_UNIT_CELSIUS, CRYO_UNIT_KELVIN, CRYO_UNIT_FAHRENHEIT },
    { CRYO_UNIT_FAHRENHEIT, CRYO_UNIT_KELVIN, CRYO_UNIT_KELVIN },
    { CRYO_UNIT_RPM, CRYO_UNIT_RPM, CRYO_UNIT_RPM },
    { CRYO_UNIT_HOURS, CRYO_UNIT_HOURS, CRYO_UNIT_HOURS },
  };
  static const gint32 limits[] = { 10, 100, 1000, 10000, 100000, 1000000, 10000000 };
  gint32 mantissa = g_rand_int_range (rand, 0, limits[g_rand_int_range (rand, 0, 7)]);
  int exponent = g_rand_int_range (rand, -12, 7);
  char text[48];

  g_snprintf (text, sizeof text, "%s%d.%de%d", g_rand_boolean (rand) ? "-" : "",
              mantissa / 10, mantissa % 10, exponent);
  *value = g_ascii_strtod (text, NULL);

  /* A quarter as read, the rest converted. */
  if (i % 4 != 0)
    {
      guint path = g_rand_int_range (rand, 0, G_N_ELEMENTS (paths));

      *value = cryo_unit_convert (*value, paths[path].from, paths[path].canonical);
      *value = cryo_unit_convert (*value, paths[path].canonical, paths[path].to);
    }
  *precision = i % N_PRECISIONS;
}

static void
test_random_readings (void)
{
  check_drawn (draw_reading, N_READINGS);
}

/* Uniform over the instruments' linear ranges: temperatures 0..600 K and in
 * °C, speeds 0..100000 rpm, currents and percentages 0..200, hours. */
static void
draw_range (GRand  *rand,
            guint   i,
            double *value,
            guint  *precision)
{
  static const double ranges[][2] = {
    { 0, 600 },
    { -273.15, 330 },
    { 0, 100000 },
    { 0, 200 },
    { 0, 1e6 },
  };
  guint r = i % G_N_ELEMENTS (ranges);

  *value = g_rand_double_range (rand, ranges[r][0], ranges[r][1]);
  *precision = (i / G_N_ELEMENTS (ranges)) % N_PRECISIONS;
}

static void
test_random_ranges (void)
{
  check_drawn (draw_range, N_RANGES);
}

static void
test_special (void)
{
  static const double values[] = {
    0.0, 1.0, 0.5, 2.5, 0.125, 0.375, 1e-7, 1.5e-7, 9.9999999, 99.95, 0.00001, 0.0001,
    0.00099999, 123456, 999999.5, 1e15, 1e16, 1e22, 1e23, 5e-324, 2.2250738585072014e-308,
    2.2250738585072009e-308, 1.7976931348623157e308, 101325.0 / 760.0, 6894.757293168, 273.15,
    4.2, 81000, 0.1, 0.2, 0.3, 9.5, 0.95, 9.995e-5, 1e100, 1e-100, INFINITY, NAN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      for (guint precision = 0; precision <= MAX_PRECISION; precision++)
        {
          check (values[i], precision);
          check (-values[i], precision);
        }
    }
}

static void
test_examples (void)
{
  char buf[CRYO_NUMBER_FORMAT_MAX_LEN];

  /* Exactly what the files need. */
  cryo_number_format_double (buf, sizeof buf, 1e-7, 3);
  g_assert_cmpstr (buf, ==, "1e-07");
  cryo_number_format_double (buf, sizeof buf, 0.00123, 3);
  g_assert_cmpstr (buf, ==, "0.00123");
  cryo_number_format_double (buf, sizeof buf, 1.5e-10, 4);
  g_assert_cmpstr (buf, ==, "1.5e-10");
  cryo_number_format_double (buf, sizeof buf, 81000, 5);
  g_assert_cmpstr (buf, ==, "81000");
  cryo_number_format_double (buf, sizeof buf, 293.149999, 5);
  g_assert_cmpstr (buf, ==, "293.15");
  cryo_number_format_double (buf, sizeof buf, 2.5, 1);
  g_assert_cmpstr (buf, ==, "2");
  cryo_number_format_double (buf, sizeof buf, 3.5, 1);
  g_assert_cmpstr (buf, ==, "4");
  cryo_number_format_double (buf, sizeof buf, -NAN, 3);
  g_assert_cmpstr (buf, ==, "-nan");

  /* 0 digits means 1, like printf; more than 17 means 17. */
  g_assert_cmpuint (cryo_number_format_double (buf, sizeof buf, 0.37, 0), ==, 3);
  g_assert_cmpstr (buf, ==, "0.4");
  cryo_number_format_double (buf, sizeof buf, 0.1, 40);
  g_assert_cmpstr (buf, ==, "0.10000000000000001");

  /* The longest text there is fits. */
  g_assert_cmpuint (cryo_number_format_double (buf, sizeof buf, -2.2250738585072014e-308, 17),
                    ==, 24);
}

static void
test_short_buffer (void)
{
  char buf[8] = "unset";

  g_assert_cmpuint (cryo_number_format_double (buf, 5, 1.23456, 5), ==, 0);
  g_assert_cmpstr (buf, ==, "unset");
  g_assert_cmpuint (cryo_number_format_double (buf, 7, 1.23456, 5), ==, 6);
  g_assert_cmpstr (buf, ==, "1.2346");
  g_assert_cmpuint (cryo_number_format_double (buf, 6, 1.23456, 5), ==, 0);
}

/* Run under LC_ALL=de_DE.UTF-8 (see meson.build): printf would write a
 * comma there, so the formatter must really ignore the locale. */
static void
test_locale (void)
{
  const char *lc_all = g_getenv ("LC_ALL");
  char printf_text[16];
  char buf[CRYO_NUMBER_FORMAT_MAX_LEN];

  if (lc_all == NULL || !g_str_has_prefix (lc_all, "de_DE"))
    {
      g_test_skip ("needs LC_ALL=de_DE.UTF-8");
      return;
    }

  g_snprintf (printf_text, sizeof printf_text, "%.3g", 1.25);
  g_assert_cmpstr (printf_text, ==, "1,25");
  cryo_number_format_double (buf, sizeof buf, 1.25, 3);
  g_assert_cmpstr (buf, ==, "1.25");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  g_assert_nonnull (c_locale);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/number-format/locale", test_locale);
  g_test_add_func ("/number-format/examples", test_examples);
  g_test_add_func ("/number-format/short-buffer", test_short_buffer);
  g_test_add_func ("/number-format/printf/special", test_special);
  g_test_add_func ("/number-format/printf/random-bits", test_random_bits);
  g_test_add_func ("/number-format/printf/random-log", test_random_log);
  g_test_add_func ("/number-format/printf/random-readings", test_random_readings);
  g_test_add_func ("/number-format/printf/random-ranges", test_random_ranges);

  return g_test_run ();
}
