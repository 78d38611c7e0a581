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

  /* One line per poll of each device, with the readings and their units. */
  out_lines = g_strsplit (g_strstrip (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (out_lines), >=, 4);
  {
    guint n_pump = 0, n_cpa = 0;

    for (guint i = 0; out_lines[i] != NULL; i++)
      {
        if (strstr (out_lines[i], " \"Pumping station\" state=\"Normal\" pressure=") != NULL)
          {
            g_assert_nonnull (strstr (out_lines[i], " mbar"));
            g_assert_nonnull (strstr (out_lines[i], " rpm"));
            n_pump++;
          }
        else if (strstr (out_lines[i], " \"Helium compressor\" state=\"Running\" coolant_in=") != NULL)
          {
            /* The simulated panel reports °F and psi; lines and files use
             * the display units the window shows (K and psi by default). */
            g_assert_null (strstr (out_lines[i], " °F"));
            g_assert_nonnull (strstr (out_lines[i], " K "));
            g_assert_nonnull (strstr (out_lines[i], " psi"));
            n_cpa++;
          }
        else
          g_error ("unexpected output line: %s", out_lines[i]);
      }
    g_assert_cmpuint (n_pump, >=, 3);
    g_assert_cmpuint (n_cpa, >=, 1);
  }

  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  /* The file spans two devices: every column says which. */
  g_assert_cmpstr (lines[0], ==,
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
                   "helium_compressor_hours,helium_compressor_hours_units");
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
  g_assert_nonnull (strstr (run.out, "  pump-station:PATH[,address=0..31]"));
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
  g_test_add_func ("/headless/action-by-name", test_action_by_name);
  g_test_add_func ("/headless/help", test_help);
  g_test_add_func ("/headless/compressor-action-refused", test_compressor_action_refused);
  g_test_add_func ("/headless/compressor-unreachable", test_compressor_unreachable);
  g_test_add_func ("/headless/usage-errors", test_usage_errors);
  g_test_add_func ("/headless/missing-port", test_missing_port);

  return g_test_run ();
}
