/* test-headless.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `cryomon --headless` as a script would run it: one line per poll, the
 * CSV at the end, and the documented exit codes.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>

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

  /* One line per poll, each with the readings and their units. */
  out_lines = g_strsplit (g_strstrip (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (out_lines), >=, 3);
  g_assert_nonnull (strstr (out_lines[0], "pump-station pressure="));
  g_assert_nonnull (strstr (out_lines[0], " mbar"));
  g_assert_nonnull (strstr (out_lines[0], " rpm"));

  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==,
                   "timestamp_iso,seconds_since_start,pressure,pressure_units,speed,speed_units,"
                   "tip_seal_hours,tip_seal_hours_units");
  g_assert_cmpuint (g_strv_length (lines), >=, 4);
  g_assert_true (g_str_has_suffix (lines[1], ",h"));
  g_assert_nonnull (strstr (lines[1], ",mbar,"));

  run_clear (&run);
  g_unlink (csv);
  g_rmdir (dir);
}

static void
test_action_refused (void)
{
  Run run = { 0 };

  /* The demo's turbo spins: starting it must be refused with exit code 3. */
  run_cryomon (&run, "--headless", "--demo", "--action", "pump-station:start", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "refused"));
  g_assert_nonnull (strstr (run.err, "rpm"));
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
    { "--no-such-option", NULL },
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
  g_test_add_func ("/headless/usage-errors", test_usage_errors);
  g_test_add_func ("/headless/missing-port", test_missing_port);

  return g_test_run ();
}
