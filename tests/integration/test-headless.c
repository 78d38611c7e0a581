/* test-headless.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `cryomon --headless` as a script would run it: one line per poll, the
 * CSV written as readings arrive, and the documented exit codes.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "test-http-util.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
run_cryomon (Run *run,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("CRYOMON"));
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

static void
test_demo_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-headless-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "pump.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) out_lines = NULL;
  Run run = { 0 };

  run_cryomon (&run, "--headless", "--demo", "--duration", "3.5", "--csv", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);

  /* One line per poll of each device, with the readings and their units. */
  out_lines = g_strsplit (g_strstrip (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (out_lines), >=, 4);
  {
    guint n_pump = 0, n_cpa = 0;

    for (guint i = 0; out_lines[i] != NULL; i++)
      {
        /* The demo starts with a pump-down and a compressor start. */
        if (g_regex_match_simple (" \"Pumping station\" state=\"(Starting|Normal)\" pressure=",
                                  out_lines[i], 0, 0))
          {
            g_assert_nonnull (strstr (out_lines[i], " mbar"));
            g_assert_nonnull (strstr (out_lines[i], " rpm"));
            n_pump++;
          }
        else if (g_regex_match_simple (" \"Helium compressor\" state=\"(Starting|Running)\" coolant_in=",
                                       out_lines[i], 0, 0))
          {
            /* The simulated panel reports °F and psi; lines and files use
             * the display units the window shows (K and psi by default). */
            g_assert_null (strstr (out_lines[i], " °F"));
            g_assert_nonnull (strstr (out_lines[i], " K "));
            g_assert_nonnull (strstr (out_lines[i], " psi"));
            n_cpa++;
          }
        /* Other instruments of the demo print lines of the same form. */
        else if (!g_regex_match_simple ("^\\S+ \"[^\"]+\" state=", out_lines[i], 0, 0))
          g_error ("unexpected output line: %s", out_lines[i]);
      }
    g_assert_cmpuint (n_pump, >=, 3);
    g_assert_cmpuint (n_cpa, >=, 1);
  }

  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  /* The file spans the demo's devices: every column says which. The
   * instruments registered after these two add their columns after them. */
  g_assert_true (g_str_has_prefix (lines[0],
                   "timestamp_iso,seconds_since_start,"
                   "pumping_station_pressure,pumping_station_pressure_units,"
                   "pumping_station_speed,pumping_station_speed_units,"
                   "pumping_station_tip_seal_hours,pumping_station_tip_seal_hours_units,"
                   "helium_compressor_coolant_in,helium_compressor_coolant_in_units,"
                   "helium_compressor_coolant_out,helium_compressor_coolant_out_units,"
                   "helium_compressor_oil,helium_compressor_oil_units,"
                   "helium_compressor_helium,helium_compressor_helium_units,"
                   "helium_compressor_low_pressure,helium_compressor_low_pressure_units,"
                   "helium_compressor_high_pressure,helium_compressor_high_pressure_units,"
                   "helium_compressor_low_pressure_average,helium_compressor_low_pressure_average_units,"
                   "helium_compressor_high_pressure_average,helium_compressor_high_pressure_average_units,"
                   "helium_compressor_delta_pressure_average,helium_compressor_delta_pressure_average_units,"
                   "helium_compressor_motor_current,helium_compressor_motor_current_units,"
                   "helium_compressor_hours,helium_compressor_hours_units"));
  g_assert_cmpuint (g_strv_length (lines), >=, 5);
  {
    gboolean pump_row = FALSE, cpa_row = FALSE;

    for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
      {
        pump_row |= strstr (lines[i], ",mbar,") != NULL;
        cpa_row |= strstr (lines[i], ",K,") != NULL && strstr (lines[i], ",psi,") != NULL;
      }
    g_assert_true (pump_row);
    g_assert_true (cpa_row);
  }

  run_clear (&run);
  g_unlink (csv);
  g_rmdir (dir);
}

static void
test_action_refused (void)
{
  Run run = { 0 };

  /* The demo's pump starts a pump-down: starting it again must be refused
   * with exit code 3. At its first complete poll the turbo may not turn
   * yet (a slow build, ASan), so the reason is its status, with or
   * without its speed. */
  run_cryomon (&run, "--headless", "--demo", "--action", "pump-station:start", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "refused"));
  g_assert_nonnull (strstr (run.err, "must be Stop"));
  run_clear (&run);
}

static void
test_action_stop (void)
{
  Run run = { 0 };

  run_cryomon (&run, "--headless", "--demo", "--action", "pump-station:stop", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "stop done"));
  run_clear (&run);
}

static void
test_compressor_action_refused (void)
{
  Run run = { 0 };

  /* The demo's compressor runs: a start is refused by the interlock. */
  run_cryomon (&run, "--headless", "--demo", "--action", "cpa:start", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "must be Idle"));
  run_clear (&run);
}

static void
test_compressor_unreachable (void)
{
  Run run = { 0 };

  /* Port 1 on loopback: nothing listens there. */
  run_cryomon (&run, "--headless", "--device", "cpa:tcp:127.0.0.1:1", "--duration", "1.5", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "127.0.0.1:1"));
  run_clear (&run);
}

/* An action names its device by name as well as by type. */
static void
test_action_by_name (void)
{
  Run run = { 0 };

  run_cryomon (&run, "--headless", "--demo", "--action", "Pumping station:stop", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Pumping station: stop done"));
  run_clear (&run);
}

/* --help lists every instrument type from its descriptor, with its
 * actions, and every exit code. */
static void
test_help (void)
{
  Run run = { 0 };

  run_cryomon (&run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "  pump-station:PATH|tcp:HOST:PORT[,address=0..31]"));
  g_assert_nonnull (strstr (run.out, "  cpa:tcp:HOST[:PORT]|PATH[,unit=1..247]"));
  g_assert_nonnull (strstr (run.out, "actions: start, stop"));
  g_assert_nonnull (strstr (run.out, "4 sent but"));
  run_clear (&run);
}

static void
test_usage_errors (void)
{
  static const char * const cases[][4] = {
    { "--headless", NULL },
    { "--headless", "--device", "bogus:/dev/ttyUSB0", NULL },
    { "--headless", "--device", "pump-station:/dev/ttyUSB0,baud=fast", NULL },
    { "--headless", "--device", "pump-station", NULL },
    { "--duration", "3", NULL },
    { "--headless", "--demo", "--action", "pump-station:explode" },
    { "--headless", "--demo", "--action", "cryostream:start" },
    { "--headless", "--demo", "--action", "pump-station:stop,rate=3" },
    { "--headless", "--demo", "--action", "pump-station:stop,rate" },
    { "--headless", "--demo", "--action", "Pumping station 7:stop" },
    { "--headless", "--device", "pump-station:/dev/ttyUSB0,name=", NULL },
    { "--headless", "--device", "cpa:tcp:", NULL },
    { "--headless", "--device", "cpa:tcp:host:99999", NULL },
    { "--headless", "--device", "cpa:/dev/ttyUSB0,address=3", NULL },
    { "--headless", "--device", "pump-station:tcp:host", NULL },
    { "--no-such-option", NULL },
    /* nan would run forever, inf never end; 0 and less are no duration. */
    { "--headless", "--demo", "--duration", "nan" },
    { "--headless", "--demo", "--duration", "inf" },
    { "--headless", "--demo", "--duration", "0" },
    { "--headless", "--demo", "--duration", "-3" },
    { "--headless", "--demo", "--duration", "1e999" },
    { "--headless", "--demo", "--duration", "soon" },
    { "--headless", "--demo", "--metrics-listen", "localhost:9184" },
    { "--headless", "--demo", "--metrics-listen", "127.0.0.1" },
    /* Checked before a window would open. */
    { "--metrics-listen", "[::1]", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = { 0 };

      run_cryomon (&run, cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.err, !=, "");
      run_clear (&run);
    }
}

static void
test_missing_port (void)
{
  Run run = { 0 };

  run_cryomon (&run, "--headless", "--device", "pump-station:/dev/cryomon-no-such-port",
               "--duration", "1.5", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not found"));
  run_clear (&run);
}

/* Children that outlive a failed test would keep meson waiting on their
 * output until its timeout. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A `cryomon` whose stdout is read line by line as it comes. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  guint             n_polls;
  guint             n_pump_polls;
} Live;

static void
live_start_full (Live       *live,
                 const char *csv,
                 const char *history)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* A decimal comma where the locale has one: the file must not care. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "de_DE.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  live->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CRYOMON"),
                                               "--headless", "--demo", "--csv", csv,
                                               history ? "--history" : NULL, history, NULL);
  g_assert_no_error (error);
  live->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (live->process));
}

static void
live_start (Live       *live,
            const char *csv)
{
  live_start_full (live, csv, NULL);
}

/* Reads poll lines until @n_polls have come, or until the end with 0. */
static void
live_read_polls (Live  *live,
                 guint  n_polls)
{
  while (n_polls == 0 || live->n_polls < n_polls)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (live->out, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        {
          g_assert_cmpuint (n_polls, ==, 0);
          return;
        }

      g_test_message ("%s", line);
      if (strstr (line, " state=") == NULL)
        continue;
      live->n_polls++;
      if (strstr (line, " \"Pumping station\" ") != NULL && strstr (line, " mbar ") != NULL)
        live->n_pump_polls++;
    }
}

static void
live_clear (Live *live)
{
  g_clear_object (&live->out);
  g_clear_object (&live->process);
}

/* Checks that @csv is the demo's log: the header, then rows of as many
 * cells, each a time stamp, the seconds, and numbers with '.' or nothing.
 * Returns how many rows have a pumping-station pressure. */
static guint
assert_demo_log (const char *csv,
                 guint       min_rows)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  guint n_header;
  guint n_rows = 0;
  guint n_pressures = 0;

  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  /* Whole rows: every write ends at a line's end. */
  g_assert_true (g_str_has_suffix (contents, "\n"));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "timestamp_iso,seconds_since_start,"
                                             "pumping_station_pressure,pumping_station_pressure_units,"));
  header = g_strsplit (lines[0], ",", -1);
  n_header = g_strv_length (header);

  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_autoptr(GDateTime) stamp = NULL;

      g_assert_cmpuint (g_strv_length (cells), ==, n_header);
      stamp = g_date_time_new_from_iso8601 (cells[0], NULL);
      g_assert_nonnull (stamp);

      for (guint c = 1; c < n_header; c++)
        {
          char *end = NULL;

          /* Value columns alternate with unit columns. */
          if (c > 1 && c % 2 == 1)
            continue;
          if (cells[c][0] == '\0')
            {
              g_assert_cmpuint (c, >, 1);
              continue;
            }
          g_ascii_strtod (cells[c], &end);
          g_assert_true (end != cells[c] && *end == '\0');
        }

      if (cells[2][0] != '\0')
        {
          g_assert_cmpstr (cells[3], ==, "mbar");
          n_pressures++;
        }
      n_rows++;
    }

  g_assert_cmpuint (n_rows, >=, min_rows);
  return n_pressures;
}

/* SIGKILL (out of memory, a crash) leaves the log of what was printed. */
static void
test_kill_keeps_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-headless-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "run.csv", NULL);
  g_autoptr(GError) error = NULL;
  Live live = { 0 };

  live_start (&live, csv);
  live_read_polls (&live, 3);
  g_subprocess_send_signal (live.process, SIGKILL);
  g_subprocess_wait (live.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (live.process));

  /* Each printed poll's rows were written before its line. */
  g_assert_cmpuint (assert_demo_log (csv, 2), >=, live.n_pump_polls);

  live_clear (&live);
  g_unlink (csv);
  g_rmdir (dir);
}

/* The pumping station's readings in a CSV (its pressure in the third
 * column; rows of other devices leave it empty): time stamp → pressure. */
static GHashTable *
read_pressure_rows (const char *csv,
                    gint64      before_us)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", 4);
      g_autoptr(GDateTime) stamp = g_date_time_new_from_iso8601 (cells[0], NULL);

      g_assert_nonnull (stamp);
      if (g_date_time_to_unix (stamp) * G_USEC_PER_SEC + g_date_time_get_microsecond (stamp) > before_us ||
          cells[2][0] == '\0')
        continue;
      g_hash_table_insert (rows, g_strdup (cells[0]), g_strdup (cells[2]));
    }

  return rows;
}

/* SIGKILL while the archive is written loses at most its last second; the
 * next run starts after a gap, which an export shows as an empty value. */
static void
test_kill_keeps_history (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-headless-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "run.csv", NULL);
  g_autofree char *history = g_build_filename (dir, "history.sqlite", NULL);
  g_autofree char *exported = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) printed = NULL;
  g_autoptr(GHashTable) archived = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) kill_time = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *contents = NULL;
  GHashTableIter iter;
  gpointer stamp, pressure;
  gint64 kill_us;
  Live live = { 0 };
  Run run = { 0 };

  live_start_full (&live, csv, history);
  while (live.n_pump_polls < 5)
    live_read_polls (&live, live.n_polls + 1);
  kill_us = g_get_real_time ();
  g_subprocess_send_signal (live.process, SIGKILL);
  g_subprocess_wait (live.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (live.process));
  kill_time = g_date_time_new_from_unix_utc (kill_us / G_USEC_PER_SEC);

  /* Every reading older than a second before the kill is in the archive. */
  from = g_date_time_format_iso8601 (start);
  to = g_date_time_format_iso8601 (kill_time);
  run_cryomon (&run, "--export", exported, "--history", history, "--from", from, "--to", to,
               "--device-name", "Pumping station", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  printed = read_pressure_rows (csv, kill_us - 1100000);
  archived = read_pressure_rows (exported, G_MAXINT64);
  g_assert_cmpuint (g_hash_table_size (printed), >=, 3);
  g_hash_table_iter_init (&iter, printed);
  while (g_hash_table_iter_next (&iter, &stamp, &pressure))
    {
      g_test_message ("%s %s", (char *) stamp, (char *) pressure);
      g_assert_true (g_hash_table_contains (archived, stamp));
      g_assert_cmpstr (g_hash_table_lookup (archived, stamp), ==, pressure);
    }

  /* A second run continues the archive after a gap. */
  run_cryomon (&run, "--headless", "--demo", "--duration", "2", "--history", history, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);

  end = g_date_time_new_now_utc ();
  g_free (to);
  to = g_date_time_format_iso8601 (end);
  run_cryomon (&run, "--export", exported, "--history", history, "--from", from, "--to", to,
               "--device-name", "Pumping station", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  g_assert_true (g_file_get_contents (exported, &contents, NULL, NULL));
  g_test_message ("%s", contents);
  /* The first run's last pressure row is the gap (a unit and no value),
   * and the second run's readings follow. */
  {
    g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
    g_autofree char *last_before = NULL;
    guint after = 0;

    for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
      {
        g_auto(GStrv) cells = g_strsplit (lines[i], ",", 5);
        g_autoptr(GDateTime) row_time = g_date_time_new_from_iso8601 (cells[0], NULL);

        g_assert_nonnull (row_time);
        if (g_date_time_to_unix (row_time) * G_USEC_PER_SEC +
            g_date_time_get_microsecond (row_time) > kill_us)
          after += cells[2][0] != '\0';
        else if (g_str_equal (cells[3], "mbar"))
          {
            g_free (last_before);
            last_before = g_strdup (cells[2]);
          }
      }
    g_assert_cmpstr (last_before, ==, "");
    g_assert_cmpuint (after, >=, 1);
  }

  live_clear (&live);
  g_unlink (csv);
  g_unlink (exported);
  g_unlink (history);
  {
    g_autofree char *lock = g_strconcat (history, ".lock", NULL);
    g_autofree char *wal = g_strconcat (history, "-wal", NULL);
    g_autofree char *shm = g_strconcat (history, "-shm", NULL);

    g_unlink (lock);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

/* An archive on a full disk (a 128 KiB tmpfs mounted in a user and mount
 * namespace of the run's own): the run says so and keeps monitoring. */
static void
test_history_disk_full (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-headless-XXXXXX", NULL);
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };
  guint n = 0;

  if (unshare == NULL)
    {
      g_test_skip ("unshare(1) is not installed");
      return;
    }
  /* A tmpfs needs user namespaces, which a container may not give. */
  {
    const char *probe_argv[] = { unshare, "-rm", "mount", "-t", "tmpfs", "-o", "size=128k",
                                 "tmpfs", dir, NULL };
    int wait_status = 0;

    if (!g_spawn_sync (NULL, (char **) probe_argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                       G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &wait_status, NULL) ||
        !g_spawn_check_wait_status (wait_status, NULL))
      {
        g_test_skip ("no user namespace to mount a small tmpfs in");
        g_rmdir (dir);
        return;
      }
  }

  {
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;

    process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                &error, unshare, "-rm", "sh", "-c",
                                "mount -t tmpfs -o size=128k tmpfs \"$1\" && "
                                "exec \"$2\" --headless --demo --duration 8 --history \"$1/history.sqlite\"",
                                "sh", dir, g_getenv ("CRYOMON"), NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (process));
    run.status = g_subprocess_get_exit_status (process);
    g_test_message ("exit %d\nstderr:\n%s", run.status, run.err);
  }

  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "is full: readings are kept in memory only"));
  /* Monitoring went on to the end: about one pumping-station line a second. */
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], " \"Pumping station\" ") != NULL)
      n++;
  g_assert_cmpuint (n, >=, 6);

  run_clear (&run);
  g_rmdir (dir);
}

/* SIGHUP (the SSH session closed) ends the run cleanly: exit 0, every
 * reading in the file. */
static void
test_hangup (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-headless-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "run.csv", NULL);
  g_autoptr(GError) error = NULL;
  Live live = { 0 };

  live_start (&live, csv);
  live_read_polls (&live, 3);
  g_subprocess_send_signal (live.process, SIGHUP);
  live_read_polls (&live, 0);
  g_subprocess_wait (live.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (live.process));
  g_assert_cmpint (g_subprocess_get_exit_status (live.process), ==, 0);

  g_assert_cmpuint (assert_demo_log (csv, 2), >=, live.n_pump_polls);

  live_clear (&live);
  g_unlink (csv);
  g_rmdir (dir);
}

static GSubprocess *
spawn_pump_sim (const char *link_path,
                const char *command_log)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *sim;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim = g_subprocess_launcher_spawn (launcher, &error,
                                     g_getenv ("CRYOMON_SIM"), "pump-station", "--link", link_path,
                                     "--state", "stopped", "--command-log", command_log, NULL);
  g_assert_no_error (error);

  /* The simulator prints its port when it serves it. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, link_path);

  return sim;
}

static void
stop_sim (GSubprocess *sim)
{
  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
}

/* A CSV that cannot be written fails before any device is opened: the
 * station never hears the command. */
static void
test_csv_unwritable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-headless-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "pump", NULL);
  g_autofree char *log_path = g_build_filename (dir, "commands.log", NULL);
  g_autofree char *csv = g_build_filename (dir, "missing", "run.csv", NULL);
  g_autofree char *good_csv = g_build_filename (dir, "run.csv", NULL);
  g_autofree char *device = g_strdup_printf ("pump-station:%s", link_path);
  g_autofree char *log = NULL;
  g_autoptr(GSubprocess) sim = spawn_pump_sim (link_path, log_path);
  Run run = { 0 };

  run_cryomon (&run, "--headless", "--device", device, "--action", "pump-station:start",
               "--csv", csv, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, csv));
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (!g_file_get_contents (log_path, &log, NULL, NULL) || g_str_equal (log, ""));
  g_clear_pointer (&log, g_free);
  run_clear (&run);

  /* With a file it can write, the same run reaches the station. */
  run_cryomon (&run, "--headless", "--device", device, "--action", "pump-station:start",
               "--csv", good_csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_cmpstr (log, !=, "");
  run_clear (&run);

  stop_sim (sim);
  g_unlink (good_csv);
  g_unlink (log_path);
  g_rmdir (dir);
}

/* Stop on a stopped station: what the script asks for is so; nothing is
 * sent and the run succeeds. */
static void
test_action_in_effect (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-headless-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "pump", NULL);
  g_autofree char *log_path = g_build_filename (dir, "commands.log", NULL);
  g_autofree char *device = g_strdup_printf ("pump-station:%s", link_path);
  g_autoptr(GSubprocess) sim = spawn_pump_sim (link_path, log_path);
  g_autofree char *log = NULL;
  Run run = { 0 };

  run_cryomon (&run, "--headless", "--device", device, "--action", "pump-station:stop", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "stop: nothing to do: The pump is already stopped"));
  g_assert_true (!g_file_get_contents (log_path, &log, NULL, NULL) || g_str_equal (log, ""));
  run_clear (&run);

  stop_sim (sim);
  g_unlink (log_path);
  g_rmdir (dir);
}

/* An action that never ran because nothing answered within --duration is
 * a failure, and says so. */
static void
test_action_never_ran (void)
{
  Run run = { 0 };

  run_cryomon (&run, "--headless", "--device", "pump-station:/dev/cryomon-no-such-port",
               "--duration", "1", "--action", "pump-station:stop", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "stop was not run"));
  g_assert_nonnull (strstr (run.err, "--duration"));
  run_clear (&run);
}

/* `cryomon --headless … --metrics-listen 127.0.0.1:0` as a service runs
 * it: the address it serves at comes first on stderr. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *err;
  char             *host;   /* 127.0.0.1:PORT */
} Service;

static void
service_start (Service            *service,
               const char * const *devices)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "Serving metrics at http://";

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  g_strv_builder_add_many (builder, g_getenv ("CRYOMON"), "--headless", "--no-history", "--metrics-listen",
                           "127.0.0.1:0", NULL);
  g_strv_builder_addv (builder, (const char **) devices);
  argv = g_strv_builder_end (builder);
  service->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  service->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (service->process));
  line = g_data_input_stream_read_line_utf8 (service->err, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, prefix));
  service->host = g_strndup (line + strlen (prefix), strlen (line) - strlen (prefix) - strlen ("/metrics"));
}

/* GETs /metrics until it holds @text (an answer at all means the run's
 * main loop, and so its signal handlers, are up); 30 s at most. */
static char *
service_wait_for_metrics (Service    *service,
                          const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char *body = NULL;

      g_assert_cmpuint (http_request (service->host, "GET", "/metrics", &body, &error), ==, 200);
      g_assert_no_error (error);
      if (strstr (body, text) != NULL)
        return body;
      g_free (body);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

/* SIGTERM: exit code 0, and the port closed. Returns the rest of stderr. */
static char *
service_stop (Service *service)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  char *rest;

  g_subprocess_send_signal (service->process, SIGTERM);
  rest = g_data_input_stream_read_upto (service->err, "", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  if (rest == NULL)
    rest = g_strdup ("");
  g_subprocess_wait (service->process, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", rest);
  g_assert_true (g_subprocess_get_if_exited (service->process));
  g_assert_cmpint (g_subprocess_get_exit_status (service->process), ==, 0);

  g_assert_cmpuint (http_request (service->host, "GET", "/metrics", &body, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  g_clear_object (&service->err);
  g_clear_object (&service->process);
  g_clear_pointer (&service->host, g_free);
  return rest;
}

/* A metrics port that cannot be had ends the run at once: a service that
 * serves nothing must not look fine. */
static void
test_metrics_port_in_use (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  guint16 port;
  Run run = { 0 };

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  listen = g_strdup_printf ("127.0.0.1:%u", port);

  run_cryomon (&run, "--headless", "--demo", "--metrics-listen", listen, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Cannot serve metrics at"));
  g_assert_nonnull (strstr (run.err, listen));
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);
  g_socket_listener_close (listener);
}

/* The service mode: without --duration it serves until SIGTERM, read-only,
 * then stops its devices and exits 0. */
static void
test_service_metrics (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *rest = NULL;
  Service service = { 0 };

  service_start (&service, (const char * const[]) { "--demo", NULL });
  body = service_wait_for_metrics (&service, "cryomon_pressure_pascals{device=\"Pumping station\","
                                             "kind=\"pump-station\",channel=\"pressure\"} ");
  g_assert_nonnull (strstr (body, "cryomon_device_state{device=\"Pumping station\",kind=\"pump-station\","
                                  "state=\"online\"} 1\n"));

  /* Nothing but GET and HEAD, nothing but /metrics. */
  g_assert_cmpuint (http_request (service.host, "POST", "/metrics", &refused, &error), ==, 405);
  g_assert_no_error (error);
  g_clear_pointer (&refused, g_free);
  g_assert_cmpuint (http_request (service.host, "GET", "/", &refused, &error), ==, 404);
  g_assert_no_error (error);

  /* Every instrument answered: nothing to report. */
  rest = service_stop (&service);
  g_assert_null (strstr (rest, "no complete reading"));
}

/* A service whose instrument never answered still ends cleanly when told
 * to: that was reported all along (stderr, the metrics), not a failure of
 * the run. */
static void
test_service_unanswered (void)
{
  g_autofree char *body = NULL;
  g_autofree char *rest = NULL;
  Service service = { 0 };

  /* Port 1 on loopback: nothing listens there. */
  service_start (&service, (const char * const[]) { "--device", "cpa:tcp:127.0.0.1:1", NULL });
  body = service_wait_for_metrics (&service, "cryomon_link_reconnects_total{device=\"Helium compressor\"");
  g_assert_null (strstr (body, "cryomon_pressure_pascals"));
  rest = service_stop (&service);
  g_assert_nonnull (strstr (rest, "no complete reading"));
}

/* Without --device, the devices the window would show: devices.conf in
 * the user's config folder, named on stderr. */
static void
test_devices_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-headless-XXXXXX", NULL);
  g_autofree char *link_path = g_build_filename (dir, "pump", NULL);
  g_autofree char *log_path = g_build_filename (dir, "commands.log", NULL);
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), "cryomon", NULL);
  g_autofree char *conf_path = g_build_filename (folder, "devices.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("[Load lock]\ntype=pump-station\nport=%s\n", link_path);
  g_autoptr(GSubprocess) sim = spawn_pump_sim (link_path, log_path);
  Run run = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));

  run_cryomon (&run, "--headless", "--duration", "1.5", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, conf_path));
  g_assert_nonnull (strstr (run.out, " \"Load lock\" state=\"Stop\" pressure="));
  run_clear (&run);

  /* Only disabled devices: nothing to monitor is a usage error, not the
   * simulators the window would fall back on. */
  g_clear_pointer (&conf, g_free);
  conf = g_strdup_printf ("[Load lock]\ntype=pump-station\nport=%s\nenabled=false\n", link_path);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  run_cryomon (&run, "--headless", "--duration", "1", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, conf_path));
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);

  stop_sim (sim);
  g_unlink (conf_path);
  g_rmdir (folder);
  g_unlink (log_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-home-XXXXXX", NULL);

  /* Keep the event log and settings of the test run out of the user's. */
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", dir, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/headless/demo-csv", test_demo_csv);
  g_test_add_func ("/headless/action-refused", test_action_refused);
  g_test_add_func ("/headless/action-stop", test_action_stop);
  g_test_add_func ("/headless/action-by-name", test_action_by_name);
  g_test_add_func ("/headless/action-in-effect", test_action_in_effect);
  g_test_add_func ("/headless/help", test_help);
  g_test_add_func ("/headless/compressor-action-refused", test_compressor_action_refused);
  g_test_add_func ("/headless/compressor-unreachable", test_compressor_unreachable);
  g_test_add_func ("/headless/usage-errors", test_usage_errors);
  g_test_add_func ("/headless/missing-port", test_missing_port);
  g_test_add_func ("/headless/kill-keeps-csv", test_kill_keeps_csv);
  g_test_add_func ("/headless/hangup", test_hangup);
  g_test_add_func ("/headless/kill-keeps-history", test_kill_keeps_history);
  g_test_add_func ("/headless/history-disk-full", test_history_disk_full);
  g_test_add_func ("/headless/csv-unwritable", test_csv_unwritable);
  g_test_add_func ("/headless/action-never-ran", test_action_never_ran);
  g_test_add_func ("/headless/devices-file", test_devices_file);
  g_test_add_func ("/headless/metrics-port-in-use", test_metrics_port_in_use);
  g_test_add_func ("/headless/service-metrics", test_service_metrics);
  g_test_add_func ("/headless/service-unanswered", test_service_unanswered);

  return g_test_run ();
}
