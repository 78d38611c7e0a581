/* test-archive.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history archive: what goes in comes back (samples exact to the µs,
 * float32 values, gaps, summaries) after a reopen; retention drops old
 * blocks a few at a time; a damaged or locked file is a clear error; and
 * `cryomon --export` writes a range of it, across restarts and clock
 * changes, in the Export format.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "cryo-archive.h"
#include "cryo-device.h"
#include "cryo-event-log.h"
#include "cryo-pump-station.h"

#define SEC G_GINT64_CONSTANT (1000000)
/* 2026-11-23T13:23:45Z */
#define T0 (G_GINT64_CONSTANT (1795440225) * SEC)

/* An archive that keeps its samples: the tests' fixed dates may be older
 * than the default 90 days of retention by the time they run. */
static CryoArchive *
open_archive (const char  *path,
              GError     **error)
{
  CryoArchive *archive = cryo_archive_open (path, error);

  if (archive != NULL)
    cryo_archive_set_retention (archive, 36500);
  return archive;
}

static CryoChannel *
make_channel (const char *device_id,
              const char *key,
              const char *device_name)
{
  g_autofree char *id = g_strdup_printf ("%s.%s", device_id, key);
  CryoChannel *channel = cryo_channel_new (id, "Pressure", key, CRYO_QUANTITY_PRESSURE,
                                           CRYO_SCALE_LOG, 2, 100000);

  cryo_channel_set_device_name (channel, device_name);
  return channel;
}

/* Appends @n samples a second apart with a few ms of jitter, noisy values
 * and a NaN now and then, to the archive and to @expected (as float32). */
static gint64
append_samples (CryoArchive *archive,
                guint        handle,
                GArray      *expected,
                GRand       *rand,
                gint64       t,
                guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      CryoSample s;
      double v = i % 997 == 5 ? NAN : 1e-3 * exp (g_rand_double_range (rand, -1, 1));

      t += SEC + g_rand_int_range (rand, -3000, 3000);
      cryo_archive_append (archive, handle, t, v);
      s.time_us = t;
      s.value = (float) v;
      g_array_append_val (expected, s);
    }

  return t;
}

static void
assert_same_samples (const CryoHistory *history,
                     GArray            *expected)
{
  CryoHistoryIter iter;
  CryoSample s;
  guint i = 0;

  g_assert_cmpuint (cryo_history_get_n_samples (history), ==, expected->len);
  cryo_history_iter_init (&iter, history, G_MININT64, G_MAXINT64);
  while (cryo_history_iter_next (&iter, &s))
    {
      const CryoSample *e = &g_array_index (expected, CryoSample, i++);

      g_assert_cmpint (s.time_us, ==, e->time_us);
      if (isnan (e->value))
        g_assert_true (isnan (s.value));
      else
        g_assert_cmpfloat (s.value, ==, e->value);
    }
  g_assert_cmpuint (i, ==, expected->len);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (CryoSample));
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoArchive) archive = NULL;
  g_autoptr(CryoChannel) channel = make_channel ("chamber", "pressure", "Chamber");
  g_autoptr(CryoChannel) again = make_channel ("chamber", "pressure", "Chamber");
  g_autoptr(CryoHistory) read = NULL;
  g_autoptr(CryoHistory) part = NULL;
  CryoHistoryColumn one, wide[1000], fine[100], brute[100];
  CryoSample last;
  double min = INFINITY, max = -INFINITY, first = NAN, final = NAN;
  guint handle, total = 0;
  gint64 t;

  archive = open_archive (path, &error);
  g_assert_no_error (error);
  handle = cryo_archive_add_channel (archive, "chamber", channel);
  t = append_samples (archive, handle, expected, rand, T0, 10000);
  g_assert_true (cryo_archive_flush (archive, &error));
  g_assert_no_error (error);
  g_clear_object (&archive);

  /* Reopened: the channel finds its samples, then a gap for the time
   * Cryomon was not running. */
  archive = open_archive (path, &error);
  g_assert_no_error (error);
  handle = cryo_archive_add_channel (archive, "chamber", again);
  g_assert_true (cryo_archive_load_history (archive, handle, again, T0, t + 60 * SEC, &error));
  g_assert_no_error (error);
  if (!isnan (g_array_index (expected, CryoSample, expected->len - 1).value))
    {
      CryoSample gap = { t + 1, NAN };

      g_array_append_val (expected, gap);
    }
  assert_same_samples (cryo_channel_get_history (again), expected);
  g_assert_true (cryo_history_get_last (cryo_channel_get_history (again), &last));
  g_assert_true (isnan (last.value));
  g_assert_true (isnan (cryo_channel_get_reading (again).value));

  /* New samples follow the gap. */
  t = append_samples (archive, handle, expected, rand, t + 60 * SEC, 3000);
  g_assert_true (cryo_archive_flush (archive, &error));
  read = cryo_archive_read (archive, "chamber", "pressure", G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  assert_same_samples (read, expected);

  /* Summaries: one column is the whole set's. */
  for (guint i = 0; i < expected->len; i++)
    {
      double v = g_array_index (expected, CryoSample, i).value;

      if (isnan (v))
        continue;
      min = MIN (min, v);
      max = MAX (max, v);
      if (isnan (first))
        first = v;
      final = v;
    }
  g_assert_true (cryo_archive_get_columns (archive, "chamber", "pressure", T0, t, 1, &one, &error));
  g_assert_cmpuint (one.n_samples, ==, expected->len);
  g_assert_cmpfloat (one.min, ==, min);
  g_assert_cmpfloat (one.max, ==, max);
  g_assert_cmpfloat (one.first, ==, first);
  g_assert_cmpfloat (one.last, ==, final);
  g_assert_true (one.has_gap);

  /* Many columns from the blocks' group summaries: every sample once. */
  g_assert_true (cryo_archive_get_columns (archive, "chamber", "pressure", T0, t,
                                           G_N_ELEMENTS (wide), wide, &error));
  for (guint i = 0; i < G_N_ELEMENTS (wide); i++)
    {
      total += wide[i].n_samples;
      if (wide[i].n_samples > 0 && !isnan (wide[i].min))
        {
          g_assert_cmpfloat (wide[i].min, >=, min);
          g_assert_cmpfloat (wide[i].max, <=, max);
          g_assert_cmpfloat (wide[i].min, <=, wide[i].max);
        }
    }
  g_assert_cmpuint (total, ==, expected->len);

  /* Narrow columns come from the samples: exactly what the history gives. */
  part = cryo_archive_read (archive, "chamber", "pressure", T0 + 4000 * SEC, T0 + 4300 * SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cryo_history_get_n_samples (part), >=, 290);
  g_assert_true (cryo_archive_get_columns (archive, "chamber", "pressure", T0 + 4000 * SEC,
                                           T0 + 4300 * SEC, G_N_ELEMENTS (fine), fine, &error));
  cryo_history_get_columns (part, T0 + 4000 * SEC, T0 + 4300 * SEC, G_N_ELEMENTS (brute), brute);
  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_assert_cmpuint (fine[i].n_samples, ==, brute[i].n_samples);
      g_assert_cmpint (fine[i].has_gap, ==, brute[i].has_gap);
      if (isnan (brute[i].min))
        g_assert_true (isnan (fine[i].min));
      else
        {
          g_assert_cmpfloat (fine[i].min, ==, brute[i].min);
          g_assert_cmpfloat (fine[i].max, ==, brute[i].max);
          g_assert_cmpfloat (fine[i].first, ==, brute[i].first);
          g_assert_cmpfloat (fine[i].last, ==, brute[i].last);
        }
    }

  g_clear_object (&archive);
  remove_dir (dir);
}

/* A device renamed keeps its channels' rows: the archive lists it under
 * the new name. */
static void
test_rename (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(CryoChannel) channel = make_channel ("chamber", "pressure", "Chamber");
  g_autoptr(CryoArchive) archive = open_archive (path, NULL);
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;
  CryoArchiveChannel *ch;
  guint handle;

  g_assert_nonnull (archive);
  handle = cryo_archive_add_channel (archive, "chamber", channel);
  cryo_archive_append (archive, handle, T0, 1.0);
  g_assert_true (cryo_archive_flush (archive, &error));
  cryo_archive_set_device_name (archive, "chamber", "Chamber B");
  cryo_archive_append (archive, handle, T0 + SEC, 2.0);
  g_assert_true (cryo_archive_flush (archive, &error));

  channels = cryo_archive_list_channels (archive, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 1);
  ch = g_ptr_array_index (channels, 0);
  g_assert_cmpstr (ch->device_id, ==, "chamber");
  g_assert_cmpstr (ch->key, ==, "pressure");
  g_assert_cmpstr (ch->device_name, ==, "Chamber B");
  g_assert_cmpint (ch->quantity, ==, CRYO_QUANTITY_PRESSURE);
  g_assert_cmpint (ch->unit, ==, CRYO_UNIT_PA);
  g_assert_cmpuint (ch->digits, ==, 2);

  g_clear_object (&archive);
  remove_dir (dir);
}

/* Rows of the file that belong to no live channel: what a deletion has
 * still to remove, counted through a connection of its own. */
static gint64
count_dead_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT (SELECT count(*) FROM blocks WHERE channel NOT IN"
                                       "         (SELECT id FROM channels WHERE device_id <> ''))"
                                       " + (SELECT count(*) FROM recent WHERE channel NOT IN"
                                       "         (SELECT id FROM channels WHERE device_id <> ''))"
                                       " + (SELECT count(*) FROM channels WHERE device_id = '')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* Deleting a device's history removes its channels and samples, a batch
 * per transaction (and goes on after a restart), and leaves every other
 * device's; the device added again starts afresh. */
static void
test_delete_device (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(GArray) pump_samples = g_array_new (FALSE, FALSE, sizeof (CryoSample));
  g_autoptr(GArray) chamber_samples = g_array_new (FALSE, FALSE, sizeof (CryoSample));
  g_autoptr(CryoChannel) pump = make_channel ("pump", "pressure", "Pump");
  g_autoptr(CryoChannel) pump_speed = make_channel ("pump", "speed", "Pump");
  g_autoptr(CryoChannel) chamber = make_channel ("chamber", "pressure", "Chamber");
  g_autoptr(CryoArchive) archive = open_archive (path, NULL);
  g_autoptr(CryoHistory) read = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;
  guint pump_handle, speed_handle, chamber_handle, steps = 0;
  gint64 dead, t;

  g_assert_nonnull (archive);
  pump_handle = cryo_archive_add_channel (archive, "pump", pump);
  speed_handle = cryo_archive_add_channel (archive, "pump", pump_speed);
  chamber_handle = cryo_archive_add_channel (archive, "chamber", chamber);
  /* Two blocks and 1808 recent samples each: more than one batch. */
  append_samples (archive, pump_handle, pump_samples, rand, T0, 10000);
  append_samples (archive, speed_handle, pump_samples, rand, T0, 10000);
  t = append_samples (archive, chamber_handle, chamber_samples, rand, T0, 10000);
  g_assert_true (cryo_archive_flush (archive, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_dead_rows (path), ==, 0);

  /* Samples still queued go with the device. */
  cryo_archive_append (archive, pump_handle, t + SEC, 1.0);
  cryo_archive_delete_device (archive, "pump");
  cryo_archive_append (archive, pump_handle, t + 2 * SEC, 1.0);
  g_assert_true (cryo_archive_flush (archive, &error));
  g_assert_no_error (error);

  /* Gone for every read at once… */
  channels = cryo_archive_list_channels (archive, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 1);
  g_assert_cmpstr (((CryoArchiveChannel *) g_ptr_array_index (channels, 0))->device_id, ==, "chamber");
  read = cryo_archive_read (archive, "pump", "pressure", G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cryo_history_get_n_samples (read), ==, 0);
  g_clear_pointer (&read, cryo_history_free);

  /* …and from the file a batch at a time, on after a restart. */
  dead = count_dead_rows (path);
  g_assert_cmpint (dead, >, 0);
  g_clear_object (&archive);
  archive = open_archive (path, &error);
  g_assert_no_error (error);
  while ((dead = count_dead_rows (path)) > 0)
    {
      g_assert_cmpuint (++steps, <, 100);
      g_assert_true (cryo_archive_flush (archive, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (steps, >=, 2);

  read = cryo_archive_read (archive, "chamber", "pressure", G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  assert_same_samples (read, chamber_samples);
  g_clear_pointer (&read, cryo_history_free);

  /* A device of the same id added later starts with nothing. */
  pump_handle = cryo_archive_add_channel (archive, "pump", pump);
  cryo_archive_append (archive, pump_handle, t + 10 * SEC, 2.0);
  g_assert_true (cryo_archive_flush (archive, &error));
  read = cryo_archive_read (archive, "pump", "pressure", G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cryo_history_get_n_samples (read), ==, 1);
  g_clear_pointer (&read, cryo_history_free);

  /* In the same archive object, too. */
  cryo_archive_delete_device (archive, "pump");
  pump_handle = cryo_archive_add_channel (archive, "pump", pump);
  cryo_archive_append (archive, pump_handle, t + 20 * SEC, 3.0);
  g_assert_true (cryo_archive_flush (archive, &error));
  read = cryo_archive_read (archive, "pump", "pressure", G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cryo_history_get_n_samples (read), ==, 1);
  {
    CryoSample last;

    g_assert_true (cryo_history_get_last (read, &last));
    g_assert_cmpint (last.time_us, ==, t + 20 * SEC);
  }

  g_clear_object (&archive);
  remove_dir (dir);
}

static guint
count_samples (CryoArchive *archive,
               gint64       begin_us,
               gint64       end_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoHistory) history = cryo_archive_read (archive, "old", "pressure", begin_us, end_us,
                                                      &error);

  g_assert_no_error (error);
  return cryo_history_get_n_samples (history);
}

/* Retention drops whole blocks older than the limit, at most 64 in a
 * transaction, and keeps the rest. */
static void
test_retention (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(CryoChannel) channel = make_channel ("old", "pressure", "Old");
  g_autoptr(CryoArchive) archive = cryo_archive_open (path, NULL);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 old_begin = now - 40 * 86400 * SEC;
  gint64 new_begin = now - 5 * 86400 * SEC;
  const guint n_old = 130 * 4096;
  guint handle, n_left, steps = 0;

  g_assert_nonnull (archive);
  handle = cryo_archive_add_channel (archive, "old", channel);
  /* 130 blocks of samples a second apart, all older than 30 days. */
  for (guint i = 0; i < n_old; i++)
    cryo_archive_append (archive, handle, old_begin + (gint64) i * SEC, i);
  for (guint i = 0; i < 5000; i++)
    cryo_archive_append (archive, handle, new_begin + (gint64) i * SEC, i);
  g_assert_true (cryo_archive_flush (archive, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_samples (archive, old_begin, new_begin - 1), ==, n_old);

  cryo_archive_set_retention (archive, 30);
  g_assert_true (cryo_archive_flush (archive, &error));
  n_left = count_samples (archive, old_begin, new_begin - 1);
  g_assert_cmpuint (n_left, ==, n_old - 64 * 4096);

  while (n_left > 0 && steps++ < 10)
    {
      g_assert_true (cryo_archive_flush (archive, &error));
      n_left = count_samples (archive, old_begin, new_begin - 1);
    }
  g_assert_cmpuint (n_left, ==, 0);
  g_assert_cmpuint (count_samples (archive, new_begin, now), ==, 5000);

  g_clear_object (&archive);
  remove_dir (dir);
}

static void
test_corrupt (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autofree char *garbage = g_strnfill (16384, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoArchive) archive = NULL;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));

  archive = cryo_archive_open (path, &error);
  g_assert_null (archive);
  g_assert_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_nonnull (strstr (error->message, "memory only"));
  g_clear_error (&error);

  archive = cryo_archive_open_readonly (path, &error);
  g_assert_null (archive);
  g_assert_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_CORRUPT);

  remove_dir (dir);
}

static void
test_locked (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoArchive) first = cryo_archive_open (path, &error);
  g_autoptr(CryoArchive) second = NULL;
  g_autoptr(CryoArchive) reader = NULL;

  g_assert_no_error (error);
  second = cryo_archive_open (path, &error);
  g_assert_null (second);
  g_assert_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "Another Cryomon"));
  g_clear_error (&error);

  /* Exports read while it is written. */
  reader = cryo_archive_open_readonly (path, &error);
  g_assert_no_error (error);

  g_clear_object (&first);
  second = cryo_archive_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);

  g_clear_object (&second);
  g_clear_object (&reader);
  remove_dir (dir);
}

static int
run_export (const char  *tz,
            char       **err,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("CRYOMON"));
  g_ptr_array_add (argv, (char *) "--export");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "TZ", tz, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("stderr: %s", *err);

  return g_subprocess_get_exit_status (process);
}

static char *
read_file (const char *path)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return g_steal_pointer (&contents);
}

/* Local time in the export follows the offset in force at each row: the
 * spring and autumn changes of Central European time. */
static void
test_export_dst (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autofree char *csv = g_build_filename (dir, "dst.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;
  g_autoptr(CryoChannel) channel = make_channel ("pumping_station", "pressure", "Pumping station");
  g_autoptr(CryoArchive) archive = open_archive (path, NULL);
  /* 2026-03-29T00:59:59Z, the last second of CET; 2026-10-25T00:59:59Z, the
   * last of CEST. */
  const gint64 spring = G_GINT64_CONSTANT (1774745999) * SEC;
  const gint64 autumn = G_GINT64_CONSTANT (1792889999) * SEC;
  guint handle;

  g_assert_nonnull (archive);
  handle = cryo_archive_add_channel (archive, "pumping_station", channel);
  cryo_archive_append (archive, handle, spring, 100.0);          /* 1 mbar */
  cryo_archive_append (archive, handle, spring + SEC, 2e-3);
  cryo_archive_append (archive, handle, autumn, 3e-3);
  cryo_archive_append (archive, handle, autumn + SEC, 4e-3);
  g_clear_object (&archive);

  g_assert_cmpint (run_export ("Europe/Berlin", &err, csv, "--history", path,
                               "--from", "2026-03-29T00:00:00", "--to", "2026-10-25T02:30:00+01:00",
                               NULL), ==, 0);
  contents = read_file (csv);
  g_assert_cmpstr (contents, ==,
                   "timestamp_iso,seconds_since_start,pressure,units\n"
                   "2026-03-29T01:59:59.000000+01:00,0.000000,1,mbar\n"
                   "2026-03-29T03:00:00.000000+02:00,1.000000,2e-05,mbar\n"
                   "2026-10-25T02:59:59.000000+02:00,18144000.000000,3e-05,mbar\n"
                   "2026-10-25T02:00:00.000000+01:00,18144001.000000,4e-05,mbar\n");
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&err, g_free);

  /* The same instants with the offset of another zone, given in UTC. */
  g_assert_cmpint (run_export ("UTC", &err, csv, "--history", path,
                               "--from", "2026-03-29T00:59:59Z", "--to", "2026-03-29T01:00:00Z",
                               NULL), ==, 0);
  contents = read_file (csv);
  g_assert_cmpstr (contents, ==,
                   "timestamp_iso,seconds_since_start,pressure,units\n"
                   "2026-03-29T00:59:59.000000+00:00,0.000000,1,mbar\n"
                   "2026-03-29T01:00:00.000000+00:00,1.000000,2e-05,mbar\n");

  remove_dir (dir);
}

/* A range across a restart: the rows of both runs, and between them a row
 * with an empty value where Cryomon was not running. */
static void
test_export_restart_gap (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autofree char *csv = g_build_filename (dir, "gap.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;
  g_autoptr(CryoArchive) archive = NULL;
  g_autoptr(CryoChannel) first_run = make_channel ("pumping_station", "pressure", "Pumping station");
  g_autoptr(CryoChannel) second_run = make_channel ("pumping_station", "pressure", "Pumping station");
  g_autoptr(CryoChannel) other = make_channel ("chamber", "pressure", "Chamber");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint handle;

  archive = open_archive (path, &error);
  g_assert_no_error (error);
  handle = cryo_archive_add_channel (archive, "pumping_station", first_run);
  for (guint i = 0; i < 3; i++)
    cryo_archive_append (archive, handle, T0 + i * SEC, 100.0 * (i + 1));
  cryo_archive_add_channel (archive, "chamber", other);
  g_clear_object (&archive);

  archive = open_archive (path, &error);
  g_assert_no_error (error);
  handle = cryo_archive_add_channel (archive, "pumping_station", second_run);
  g_assert_true (cryo_archive_load_history (archive, handle, second_run, T0 - 3600 * SEC,
                                            T0 + 600 * SEC, &error));
  for (guint i = 0; i < 2; i++)
    cryo_archive_append (archive, handle, T0 + (600 + i) * SEC, 10.0 * (i + 1));
  g_clear_object (&archive);

  g_assert_cmpint (run_export ("UTC", &err, csv, "--history", path,
                               "--from", "2026-11-23T13:23:00Z", "--to", "2026-11-23T13:40:00Z",
                               "--device-name", "Pumping station", NULL), ==, 0);
  contents = read_file (csv);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_assert_cmpstr (lines[0], ==, "timestamp_iso,seconds_since_start,pressure,units");
  g_assert_cmpstr (lines[1], ==, "2026-11-23T13:23:45.000000+00:00,0.000000,1,mbar");
  g_assert_cmpstr (lines[3], ==, "2026-11-23T13:23:47.000000+00:00,2.000000,3,mbar");
  g_assert_cmpstr (lines[4], ==, "2026-11-23T13:23:47.000001+00:00,2.000001,,mbar");
  g_assert_cmpstr (lines[5], ==, "2026-11-23T13:33:45.000000+00:00,600.000000,0.1,mbar");
  g_assert_cmpstr (lines[6], ==, "2026-11-23T13:33:46.000000+00:00,601.000000,0.2,mbar");
  g_assert_cmpstr (lines[7], ==, "");
  g_clear_pointer (&err, g_free);

  /* Exit codes: a name the archive does not know is a usage error; an
   * archive that is not there an I/O error. */
  g_assert_cmpint (run_export ("UTC", &err, csv, "--history", path,
                               "--from", "2026-11-23T13:23:00Z", "--to", "2026-11-23T13:40:00Z",
                               "--device-name", "Nowhere", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "Nowhere"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_export ("UTC", &err, csv, "--history", path,
                               "--from", "yesterday", "--to", "2026-11-23T13:40:00Z", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_unlink (path);
  g_assert_cmpint (run_export ("UTC", &err, csv, "--history", path,
                               "--from", "2026-11-23T13:23:00Z", "--to", "2026-11-23T13:40:00Z",
                               NULL), ==, 1);

  remove_dir (dir);
}

static void
assert_event (CryoEvent         *event,
              gint64             time_us,
              const char        *device_id,
              const char        *device_name,
              CryoEventKind      kind,
              CryoEventSeverity  severity,
              const char        *user,
              const char        *text)
{
  g_assert_cmpint (cryo_event_get_time_us (event), ==, time_us);
  g_assert_cmpstr (cryo_event_get_device_id (event), ==, device_id);
  g_assert_cmpstr (cryo_event_get_device_name (event), ==, device_name);
  g_assert_cmpint (cryo_event_get_kind (event), ==, kind);
  g_assert_cmpint (cryo_event_get_severity (event), ==, severity);
  g_assert_cmpstr (cryo_event_get_user (event), ==, user);
  g_assert_cmpstr (cryo_event_get_text (event), ==, text);
}

static void
read_events_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GPtrArray **events = user_data;
  g_autoptr(GError) error = NULL;

  *events = cryo_archive_read_events_finish (CRYO_ARCHIVE (object), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*events);
}

/* Events come back with every field, in time order (logging order for
 * equal times), by span and newest-first limit, also from a worker thread
 * and from a read-only archive after a reopen. */
static void
test_events (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(CryoArchive) archive = open_archive (path, NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (archive);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *text = g_strdup_printf ("Start\t#%u: done\n", i);
      g_autoptr(CryoEvent) event = cryo_event_new (T0 + (i / 2) * SEC, i % 3 ? "pump" : "",
                                                   i % 3 ? "Pumping station" : "",
                                                   i % CRYO_N_EVENT_KINDS,
                                                   i % CRYO_N_EVENT_SEVERITIES,
                                                   i % 2 ? "jdoe" : NULL, text);

      cryo_archive_add_event (archive, event);
    }
  g_assert_true (cryo_archive_flush (archive, &error));
  g_assert_no_error (error);

  events = cryo_archive_read_events (archive, G_MININT64, G_MAXINT64, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 50);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *text = g_strdup_printf ("Start\t#%u: done\n", i);

      assert_event (g_ptr_array_index (events, i), T0 + (i / 2) * SEC, i % 3 ? "pump" : "",
                    i % 3 ? "Pumping station" : "", i % CRYO_N_EVENT_KINDS,
                    i % CRYO_N_EVENT_SEVERITIES, i % 2 ? "jdoe" : "", text);
    }
  g_clear_pointer (&events, g_ptr_array_unref);

  /* [begin, end): seconds 10 to 14 hold events 20 to 29. */
  events = cryo_archive_read_events (archive, T0 + 10 * SEC, T0 + 15 * SEC, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 10);
  g_assert_true (g_str_has_prefix (cryo_event_get_text (g_ptr_array_index (events, 0)), "Start\t#20:"));
  g_assert_true (g_str_has_prefix (cryo_event_get_text (g_ptr_array_index (events, 9)), "Start\t#29:"));
  g_clear_pointer (&events, g_ptr_array_unref);

  /* The newest 3 of the span, still in time order. */
  events = cryo_archive_read_events (archive, T0, T0 + 15 * SEC, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_true (g_str_has_prefix (cryo_event_get_text (g_ptr_array_index (events, 0)), "Start\t#27:"));
  g_assert_true (g_str_has_prefix (cryo_event_get_text (g_ptr_array_index (events, 2)), "Start\t#29:"));
  g_clear_pointer (&events, g_ptr_array_unref);

  /* In a worker thread, while the writer is open. */
  cryo_archive_read_events_async (archive, T0 + 24 * SEC, T0 + 100 * SEC, 0, NULL,
                                  read_events_cb, &events);
  while (events == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (events->len, ==, 2);
  g_clear_pointer (&events, g_ptr_array_unref);

  g_clear_object (&archive);

  archive = cryo_archive_open_readonly (path, &error);
  g_assert_no_error (error);
  events = cryo_archive_read_events (archive, G_MININT64, G_MAXINT64, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 50);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* A cancelled read says so. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    events = cryo_archive_read_events (archive, G_MININT64, G_MAXINT64, 0, cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (events);
    g_clear_error (&error);
  }

  g_clear_object (&archive);
  remove_dir (dir);
}

/* An archive of the first schema keeps its events, as action results. */
static void
test_events_migrate (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(CryoArchive) archive = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoEvent) event = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE events (t INTEGER NOT NULL, device TEXT NOT NULL,"
                                 " action TEXT NOT NULL, result TEXT NOT NULL);"
                                 "CREATE INDEX events_by_time ON events (t);"
                                 "INSERT INTO events VALUES (1795440225000000, 'Pumping station', 'Start', 'done');"
                                 "INSERT INTO events VALUES (1795440226000000, 'Compressor', 'Stop', 'refused: no');"
                                 "PRAGMA user_version = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  archive = open_archive (path, &error);
  g_assert_no_error (error);
  event = cryo_event_new (T0 + 5 * SEC, "pump", "Pumping station", CRYO_EVENT_KIND_ACTION,
                          CRYO_EVENT_SEVERITY_INFO, "jdoe", "Stop");
  cryo_archive_add_event (archive, event);
  g_assert_true (cryo_archive_flush (archive, &error));

  events = cryo_archive_read_events (archive, G_MININT64, G_MAXINT64, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  assert_event (g_ptr_array_index (events, 0), T0, "", "Pumping station",
                CRYO_EVENT_KIND_ACTION_RESULT, CRYO_EVENT_SEVERITY_INFO, "", "Start: done");
  assert_event (g_ptr_array_index (events, 1), T0 + SEC, "", "Compressor",
                CRYO_EVENT_KIND_ACTION_RESULT, CRYO_EVENT_SEVERITY_INFO, "", "Stop: refused: no");
  assert_event (g_ptr_array_index (events, 2), T0 + 5 * SEC, "pump", "Pumping station",
                CRYO_EVENT_KIND_ACTION, CRYO_EVENT_SEVERITY_INFO, "jdoe", "Stop");
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Opened again, it is not migrated twice. */
  g_clear_object (&archive);
  archive = open_archive (path, &error);
  g_assert_no_error (error);
  events = cryo_archive_read_events (archive, G_MININT64, G_MAXINT64, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);

  g_clear_object (&archive);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("cryo-archive-home-XXXXXX", NULL);

  /* Nothing of the user's: no archive, no settings. */
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", dir, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/archive/round-trip", test_round_trip);
  g_test_add_func ("/archive/rename", test_rename);
  g_test_add_func ("/archive/delete-device", test_delete_device);
  g_test_add_func ("/archive/retention", test_retention);
  g_test_add_func ("/archive/events", test_events);
  g_test_add_func ("/archive/events-migrate", test_events_migrate);
  g_test_add_func ("/archive/corrupt", test_corrupt);
  g_test_add_func ("/archive/locked", test_locked);
  g_test_add_func ("/archive/export-dst", test_export_dst);
  g_test_add_func ("/archive/export-restart-gap", test_export_restart_gap);

  return g_test_run ();
}
