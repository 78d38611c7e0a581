/* test-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "cryo-history.h"

/* The reference: every sample still expected in the history, oldest first. */
typedef struct
{
  CryoHistory *history;
  GArray      *all;        /* CryoSample, everything appended */
  gsize        capacity;
} Fixture;

static void
fixture_init (Fixture *f,
              gsize    capacity)
{
  f->history = cryo_history_new (capacity);
  f->all = g_array_new (FALSE, FALSE, sizeof (CryoSample));
  f->capacity = capacity;
}

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->history, cryo_history_free);
  g_clear_pointer (&f->all, g_array_unref);
}

static void
fixture_append (Fixture *f,
                gint64   time_us,
                double   value)
{
  /* The history keeps float32 values. */
  CryoSample s = { time_us, (float) value };

  g_assert_true (cryo_history_append (f->history, time_us, value));
  g_array_append_val (f->all, s);
}

static const CryoSample *
fixture_present (Fixture *f,
                 guint   *n)
{
  guint first = f->all->len > f->capacity ? f->all->len - f->capacity : 0;

  *n = f->all->len - first;
  return &g_array_index (f->all, CryoSample, first);
}

/* Random walk with NaN gaps (single ones and long runs), repeated times and
 * occasional jumps in time. */
static void
fill_random (Fixture *f,
             GRand   *rand,
             guint    n,
             gint64  *time_us)
{
  double v = 1e-3;
  guint nan_run = 0;

  for (guint i = 0; i < n; i++)
    {
      double value;
      int r = g_rand_int_range (rand, 0, 1000);

      if (r < 5)
        *time_us += g_rand_int_range (rand, 1000000, 200000000);
      else if (r < 50)
        ;                       /* same time as the previous sample */
      else
        *time_us += g_rand_int_range (rand, 1, 2000000);

      if (nan_run == 0)
        {
          r = g_rand_int_range (rand, 0, 1000);
          if (r < 10)
            nan_run = 1;
          else if (r < 12)
            nan_run = g_rand_int_range (rand, 2, 5000);
        }

      if (nan_run > 0)
        {
          value = NAN;
          nan_run--;
        }
      else
        {
          v *= exp (g_rand_double_range (rand, -0.05, 0.05));
          value = g_rand_int_range (rand, 0, 100) == 0 ? -v : v;
        }
      fixture_append (f, *time_us, value);
    }
}

static void
brute_columns (Fixture           *f,
               gint64             begin_us,
               gint64             end_us,
               guint              n_columns,
               CryoHistoryColumn *columns)
{
  guint n;
  const CryoSample *s = fixture_present (f, &n);

  for (guint c = 0; c < n_columns; c++)
    columns[c] = (CryoHistoryColumn) { NAN, NAN, NAN, NAN, 0, FALSE };

  /* Samples are in time order, so the column only moves forward. */
  for (guint i = 0, c = 0; i < n; i++)
    {
      CryoHistoryColumn *col;
      gint64 t = s[i].time_us;
      double v = s[i].value;

      if (t < begin_us || t > end_us)
        continue;
      while (c + 1 < n_columns &&
             t >= cryo_history_get_column_time (begin_us, end_us, n_columns, c + 1))
        c++;
      g_assert_cmpint (t, >=, cryo_history_get_column_time (begin_us, end_us, n_columns, c));
      col = &columns[c];

      col->n_samples++;
      if (isnan (v))
        {
          col->has_gap = TRUE;
          continue;
        }
      if (isnan (col->first))
        col->first = col->min = col->max = v;
      col->last = v;
      col->min = MIN (col->min, v);
      col->max = MAX (col->max, v);
    }
}

static void
assert_same_double (double a,
                    double b)
{
  if (isnan (a) || isnan (b))
    {
      g_assert_true (isnan (a));
      g_assert_true (isnan (b));
    }
  else
    g_assert_cmpfloat (a, ==, b);
}

static void
check_span (Fixture *f,
            gint64   begin_us,
            gint64   end_us,
            guint    n_columns)
{
  g_autofree CryoHistoryColumn *got = g_new (CryoHistoryColumn, n_columns);
  g_autofree CryoHistoryColumn *want = g_new (CryoHistoryColumn, n_columns);

  cryo_history_get_columns (f->history, begin_us, end_us, n_columns, got);
  brute_columns (f, begin_us, end_us, n_columns, want);

  for (guint c = 0; c < n_columns; c++)
    {
      g_assert_cmpuint (got[c].n_samples, ==, want[c].n_samples);
      g_assert_cmpint (got[c].has_gap, ==, want[c].has_gap);
      assert_same_double (got[c].min, want[c].min);
      assert_same_double (got[c].max, want[c].max);
      assert_same_double (got[c].first, want[c].first);
      assert_same_double (got[c].last, want[c].last);
    }
}

/* Random spans around the data: zoomed in (most columns empty), zoomed out
 * (hundreds of samples per column), partly or wholly outside. */
static void
check_random_spans (Fixture *f,
                    GRand   *rand,
                    guint    n_spans)
{
  gint64 first, last;

  g_assert_true (cryo_history_get_time_range (f->history, &first, &last));

  for (guint i = 0; i < n_spans; i++)
    {
      gint64 width = last - first + 1;
      gint64 begin, span;
      guint n_columns = g_rand_int_range (rand, 1, 400);

      switch (i % 4)
        {
        case 0:   /* zoomed in */
          span = 1 + (gint64) (g_rand_double (rand) * 20e6);
          begin = first + (gint64) (g_rand_double (rand) * width) - span / 2;
          break;
        case 1:   /* everything */
          span = width + (gint64) (g_rand_double (rand) * width);
          begin = first - (gint64) (g_rand_double (rand) * (span - width + 1));
          break;
        case 2:   /* partly outside, on either side */
          span = (gint64) (g_rand_double (rand) * width) + 1;
          begin = g_rand_boolean (rand) ? first - span / 2 : last - span / 2;
          break;
        default:  /* anywhere */
          begin = first - width / 4 + (gint64) (g_rand_double (rand) * width * 1.5);
          span = (gint64) (g_rand_double (rand) * width) + 1;
          break;
        }

      check_span (f, begin, begin + span, n_columns);
    }

  /* Wholly outside, a single instant, exactly the stored range. */
  check_span (f, last + 1, last + 1000000, 10);
  check_span (f, first - 1000000, first - 1, 10);
  check_span (f, first, first, 3);
  check_span (f, first, last, 1);
  check_span (f, first, last, 97);
}

static void
test_history_columns_random (void)
{
  static const gsize capacities[] = { 1, 2, 15, 16, 17, 255, 256, 257, 1000, 4097, 70000 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20241122);

  for (guint i = 0; i < G_N_ELEMENTS (capacities); i++)
    {
      Fixture f;
      gint64 t = G_GINT64_CONSTANT (1732280000000000);
      gsize cap = capacities[i];

      fixture_init (&f, cap);

      /* Before wrap-around, then after it (several times over). */
      fill_random (&f, rand, MAX (cap / 2, 1), &t);
      check_random_spans (&f, rand, 60);
      fill_random (&f, rand, cap + 7, &t);
      check_random_spans (&f, rand, 60);
      fill_random (&f, rand, 2 * cap + 123, &t);
      check_random_spans (&f, rand, 60);

      g_assert_cmpuint (cryo_history_get_n_samples (f.history), ==, cap);
      g_assert_cmpuint (cryo_history_get_capacity (f.history), ==, cap);
      fixture_clear (&f);
    }
}

/* Long NaN runs inside a column: first/last must skip them even when they
 * cover whole summary blocks at several levels. */
static void
test_history_columns_nan_runs (void)
{
  Fixture f;
  gint64 t = 1000000;

  fixture_init (&f, 100000);
  for (guint i = 0; i < 100000; i++)
    {
      double v = (i % 20000 < 3 || i % 20000 > 19990) ? (double) i : NAN;

      fixture_append (&f, t, v);
      t += 1000;
    }

  check_span (&f, 0, t, 1);
  check_span (&f, 0, t, 3);
  check_span (&f, 0, t, 7);
  check_span (&f, 5000000, t - 5000000, 5);
  check_span (&f, 1000000 + 3 * 1000, 1000000 + 19990 * 1000, 1);  /* all NaN */
  fixture_clear (&f);
}

static void
test_history_columns_empty (void)
{
  g_autoptr(CryoHistory) history = cryo_history_new (10);
  CryoHistoryColumn col[4];
  CryoSample last;
  gint64 a = 1, b = 1;

  cryo_history_get_columns (history, 0, 1000, 4, col);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpuint (col[i].n_samples, ==, 0);
      g_assert_false (col[i].has_gap);
      g_assert_true (isnan (col[i].min));
      g_assert_true (isnan (col[i].first));
    }
  g_assert_false (cryo_history_get_time_range (history, &a, &b));
  g_assert_cmpint (a, ==, 0);
  g_assert_cmpint (b, ==, 0);
  g_assert_false (cryo_history_get_last (history, &last));
  g_assert_cmpuint (cryo_history_get_n_samples (history), ==, 0);
}

static void
test_history_column_time (void)
{
  g_assert_cmpint (cryo_history_get_column_time (100, 200, 10, 0), ==, 100);
  g_assert_cmpint (cryo_history_get_column_time (100, 200, 10, 3), ==, 130);
  g_assert_cmpint (cryo_history_get_column_time (100, 200, 10, 10), ==, 200);
  g_assert_cmpint (cryo_history_get_column_time (0, 10, 3, 1), ==, 3);
  g_assert_cmpint (cryo_history_get_column_time (0, 10, 3, 2), ==, 6);
  /* Spans too wide for the product width × column still give exact
   * boundaries. */
  g_assert_cmpint (cryo_history_get_column_time (G_MININT64 / 2, G_MAXINT64 / 2, 1000, 0), ==, G_MININT64 / 2);
  g_assert_cmpint (cryo_history_get_column_time (G_MININT64 / 2, G_MAXINT64 / 2, 1000, 500),
                   ==, -1);
}

/* The widest span there is, G_MININT64 to G_MAXINT64 µs: 2^64 − 1 µs, more
 * than a gint64 holds, where the boundaries overflowed (found by fuzzing;
 * UBSan reported it). They are exact and in order, and the columns over
 * that span find samples at both ends. */
static void
test_history_column_time_whole_range (void)
{
  static const struct
  {
    guint  n_columns;
    guint  column;
    gint64 boundary;   /* G_MININT64 + ⌊(2^64 − 1) × column / n_columns⌋ */
  } cases[] = {
    { 1, 0, G_MININT64 },
    { 1, 1, G_MAXINT64 },
    { 2, 1, -1 },
    { 3, 1, G_GINT64_CONSTANT (-3074457345618258603) },
    { 3, 2, G_GINT64_CONSTANT (3074457345618258602) },
    { 4, 1, G_GINT64_CONSTANT (-4611686018427387905) },
    { 4, 3, G_GINT64_CONSTANT (4611686018427387903) },
    { 1000, 999, G_GINT64_CONSTANT (9204925292781066255) },
    { G_MAXUINT, 1, G_GINT64_CONSTANT (-9223372032559808511) },
    { G_MAXUINT, G_MAXUINT - 1, G_GINT64_CONSTANT (9223372032559808510) },
  };
  static const guint n_columns[] = { 1, 2, 3, 7, 1000, 4096, G_MAXUINT };
  g_autoptr(CryoHistory) history = cryo_history_new (8);
  CryoHistoryColumn col[3];

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cryo_history_get_column_time (G_MININT64, G_MAXINT64,
                                                   cases[i].n_columns, cases[i].column),
                     ==, cases[i].boundary);

  for (gsize i = 0; i < G_N_ELEMENTS (n_columns); i++)
    {
      guint n = n_columns[i];
      guint columns[] = { 0, n / 3, n / 2, n - 1 };

      g_assert_cmpint (cryo_history_get_column_time (G_MININT64, G_MAXINT64, n, 0), ==, G_MININT64);
      g_assert_cmpint (cryo_history_get_column_time (G_MININT64, G_MAXINT64, n, n), ==, G_MAXINT64);
      for (gsize c = 0; c < G_N_ELEMENTS (columns); c++)
        g_assert_cmpint (cryo_history_get_column_time (G_MININT64, G_MAXINT64, n, columns[c]), <,
                         cryo_history_get_column_time (G_MININT64, G_MAXINT64, n, columns[c] + 1));
    }

  g_assert_true (cryo_history_append (history, G_MININT64, 1.0));
  g_assert_true (cryo_history_append (history, 0, 2.0));
  g_assert_true (cryo_history_append (history, G_MAXINT64, 3.0));
  cryo_history_get_columns (history, G_MININT64, G_MAXINT64, G_N_ELEMENTS (col), col);
  for (guint i = 0; i < G_N_ELEMENTS (col); i++)
    {
      g_assert_cmpuint (col[i].n_samples, ==, 1);
      g_assert_cmpfloat (col[i].first, ==, i + 1.0);
    }
}

static void
assert_same_column (const CryoHistoryColumn *a,
                    const CryoHistoryColumn *b)
{
  g_assert_cmpuint (a->n_samples, ==, b->n_samples);
  g_assert_cmpint (a->has_gap, ==, b->has_gap);
  if (isnan (a->min))
    g_assert_true (isnan (b->min));
  else
    {
      g_assert_cmpfloat (a->min, ==, b->min);
      g_assert_cmpfloat (a->max, ==, b->max);
      g_assert_cmpfloat (a->first, ==, b->first);
      g_assert_cmpfloat (a->last, ==, b->last);
    }
}

/* The tail of the columns alone is the tail of all of them, and the count
 * of appended samples moves with every append, dropped ones included. */
static void
test_history_columns_from (void)
{
  g_autoptr(CryoHistory) history = cryo_history_new (5000);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  CryoHistoryColumn all[300], tail[300];

  g_assert_cmpuint (cryo_history_get_n_appended (history), ==, 0);
  for (guint i = 0; i < 7000; i++)
    {
      double v = i % 101 == 7 ? NAN : g_rand_double (rand);

      g_assert_true (cryo_history_append (history, (gint64) i * G_USEC_PER_SEC / 3, v));
    }
  g_assert_cmpuint (cryo_history_get_n_appended (history), ==, 7000);
  g_assert_cmpuint (cryo_history_get_n_samples (history), ==, 5000);

  cryo_history_get_columns (history, 0, G_GINT64_CONSTANT (2400) * G_USEC_PER_SEC, G_N_ELEMENTS (all), all);
  for (guint first = 0; first <= G_N_ELEMENTS (tail); first += 37)
    {
      for (guint i = 0; i < G_N_ELEMENTS (tail); i++)
        tail[i] = (CryoHistoryColumn) { -1, -1, -1, -1, 12345, TRUE };
      cryo_history_get_columns_from (history, 0, G_GINT64_CONSTANT (2400) * G_USEC_PER_SEC, G_N_ELEMENTS (tail),
                                     first, tail);
      for (guint i = 0; i < G_N_ELEMENTS (tail); i++)
        {
          if (i < first)
            g_assert_cmpuint (tail[i].n_samples, ==, 12345);
          else
            assert_same_column (&all[i], &tail[i]);
        }
    }
}

static void
test_history_out_of_order (void)
{
  g_autoptr(CryoHistory) history = cryo_history_new (8);
  CryoSample last;
  gint64 first_us, last_us;

  g_assert_true (cryo_history_append (history, 1000, 1.0));
  g_assert_true (cryo_history_append (history, 2000, 2.0));
  g_assert_false (cryo_history_append (history, 1999, 3.0));
  g_assert_cmpuint (cryo_history_get_n_samples (history), ==, 2);
  g_assert_true (cryo_history_get_last (history, &last));
  g_assert_cmpint (last.time_us, ==, 2000);
  g_assert_cmpfloat (last.value, ==, 2.0);

  /* Equal times are in order. */
  g_assert_true (cryo_history_append (history, 2000, NAN));
  g_assert_cmpuint (cryo_history_get_n_samples (history), ==, 3);
  g_assert_true (cryo_history_get_last (history, &last));
  g_assert_true (isnan (last.value));

  g_assert_true (cryo_history_get_time_range (history, &first_us, &last_us));
  g_assert_cmpint (first_us, ==, 1000);
  g_assert_cmpint (last_us, ==, 2000);
}

static void
test_history_wrap (void)
{
  g_autoptr(CryoHistory) history = cryo_history_new (5);
  gint64 first_us, last_us;

  for (gint64 i = 0; i < 12; i++)
    g_assert_true (cryo_history_append (history, i * 10, (double) i));

  g_assert_cmpuint (cryo_history_get_n_samples (history), ==, 5);
  g_assert_true (cryo_history_get_time_range (history, &first_us, &last_us));
  g_assert_cmpint (first_us, ==, 70);
  g_assert_cmpint (last_us, ==, 110);
}

static guint
collect (const CryoHistory *history,
         gint64             begin_us,
         gint64             end_us,
         gint64            *times,
         guint              max)
{
  CryoHistoryIter iter;
  CryoSample s;
  guint n = 0;

  cryo_history_iter_init (&iter, history, begin_us, end_us);
  while (cryo_history_iter_next (&iter, &s))
    {
      g_assert_cmpuint (n, <, max);
      times[n++] = s.time_us;
    }
  g_assert_false (cryo_history_iter_next (&iter, &s));

  return n;
}

static void
test_history_iter (void)
{
  g_autoptr(CryoHistory) history = cryo_history_new (6);
  gint64 times[16];
  guint n;

  /* Stored after wrap-around: 40 50 50 60 70 80 */
  for (gint64 t = 10; t <= 80; t += 10)
    {
      g_assert_true (cryo_history_append (history, t, (double) t));
      if (t == 50)
        g_assert_true (cryo_history_append (history, t, NAN));
    }

  n = collect (history, 50, 70, times, G_N_ELEMENTS (times));
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (times[0], ==, 50);
  g_assert_cmpint (times[1], ==, 50);
  g_assert_cmpint (times[2], ==, 60);
  g_assert_cmpint (times[3], ==, 70);

  n = collect (history, 51, 69, times, G_N_ELEMENTS (times));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (times[0], ==, 60);

  n = collect (history, 0, 1000, times, G_N_ELEMENTS (times));
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpint (times[0], ==, 40);
  g_assert_cmpint (times[5], ==, 80);

  g_assert_cmpuint (collect (history, 0, 39, times, G_N_ELEMENTS (times)), ==, 0);
  g_assert_cmpuint (collect (history, 81, 100, times, G_N_ELEMENTS (times)), ==, 0);
  g_assert_cmpuint (collect (history, 70, 60, times, G_N_ELEMENTS (times)), ==, 0);
  g_assert_cmpuint (collect (history, 80, 80, times, G_N_ELEMENTS (times)), ==, 1);
}

static void
test_history_find (void)
{
  g_autoptr(CryoHistory) history = cryo_history_new (6);
  CryoSample s = { -1, -1.0 };

  /* Stored after wrap-around: 40 50 50(NaN) 60 70 80 */
  for (gint64 t = 10; t <= 80; t += 10)
    {
      g_assert_true (cryo_history_append (history, t, (double) t));
      if (t == 50)
        g_assert_true (cryo_history_append (history, t, NAN));
    }

  g_assert_false (cryo_history_find_before (history, 40, &s));
  g_assert_cmpint (s.time_us, ==, -1);
  g_assert_true (cryo_history_find_before (history, 41, &s));
  g_assert_cmpint (s.time_us, ==, 40);
  g_assert_true (cryo_history_find_before (history, 60, &s));
  g_assert_cmpint (s.time_us, ==, 50);
  g_assert_true (isnan (s.value));
  g_assert_true (cryo_history_find_before (history, 1000, &s));
  g_assert_cmpint (s.time_us, ==, 80);

  g_assert_true (cryo_history_find_after (history, 0, &s));
  g_assert_cmpint (s.time_us, ==, 40);
  g_assert_true (cryo_history_find_after (history, 49, &s));
  g_assert_cmpint (s.time_us, ==, 50);
  g_assert_cmpfloat (s.value, ==, 50.0);
  g_assert_true (cryo_history_find_after (history, 50, &s));
  g_assert_cmpint (s.time_us, ==, 60);
  s.time_us = -1;
  g_assert_false (cryo_history_find_after (history, 80, &s));
  g_assert_cmpint (s.time_us, ==, -1);
}

/* A week at 1 Hz of a polled instrument: a timer that drifts by a fraction
 * of a millisecond a poll and replies that arrive with a few ms of jitter,
 * as g_get_real_time() stamps them. */
static void
test_history_memory (void)
{
  const gsize capacity = 604800;
  g_autoptr(CryoHistory) history = cryo_history_new (capacity);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 tick = G_GINT64_CONSTANT (1732280000000000);
  double per_sample, p = 1e5;

  for (gsize i = 0; i < capacity; i++)
    {
      gint64 t = tick + g_rand_int_range (rand, 2000, 6000);

      tick += G_USEC_PER_SEC + g_rand_int_range (rand, 50, 400);
      p = p * 0.9999 * exp (g_rand_double_range (rand, -0.03, 0.03));
      g_assert_true (cryo_history_append (history, t, p));
    }

  per_sample = (double) cryo_history_get_memory_size (history) / capacity;
  g_test_message ("%.2f bytes per sample", per_sample);
  g_assert_cmpfloat (per_sample, >=, sizeof (float));
  g_assert_cmpfloat (per_sample, <=, 6.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history/columns/random", test_history_columns_random);
  g_test_add_func ("/history/columns/nan-runs", test_history_columns_nan_runs);
  g_test_add_func ("/history/columns/empty", test_history_columns_empty);
  g_test_add_func ("/history/columns/from", test_history_columns_from);
  g_test_add_func ("/history/column-time", test_history_column_time);
  g_test_add_func ("/history/column-time/whole-range", test_history_column_time_whole_range);
  g_test_add_func ("/history/out-of-order", test_history_out_of_order);
  g_test_add_func ("/history/wrap", test_history_wrap);
  g_test_add_func ("/history/iter", test_history_iter);
  g_test_add_func ("/history/find", test_history_find);
  g_test_add_func ("/history/memory", test_history_memory);

  return g_test_run ();
}
