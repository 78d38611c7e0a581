/* test-prometheus.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The proof that a facility's Prometheus can watch a lab: Debian's
 * `prometheus` scrapes a headless Cryomon on the simulated instruments
 * over loopback, and what its HTTP API then says of the pumping station's
 * pressure and the compressor's helium temperature is what Cryomon itself
 * printed for those readings.
 */

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <signal.h>
#include <sys/prctl.h>

#include "test-http-util.h"

#define DEADLINE_S 60

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The headless Cryomon, its poll lines read as they come, so that its
 * stdout never fills up while Prometheus takes its time. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GPtrArray        *lines;
  GCancellable     *cancellable;
  char             *metrics_host;   /* 127.0.0.1:PORT */
} Cryomon;

static void read_next_line (Cryomon *cryomon);

static void
on_line_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cryomon *cryomon = user_data;
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);

  if (line == NULL)
    return;
  g_ptr_array_add (cryomon->lines, line);
  read_next_line (cryomon);
}

static void
read_next_line (Cryomon *cryomon)
{
  g_data_input_stream_read_line_async (cryomon->out, G_PRIORITY_DEFAULT, cryomon->cancellable,
                                       on_line_cb, cryomon);
}

static void
cryomon_start (Cryomon *cryomon)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "Serving metrics at http://";

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* A service: no --duration, until SIGTERM. Any free port. */
  cryomon->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CRYOMON"),
                                                  "--headless", "--demo", "--no-history",
                                                  "--metrics-listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);

  /* It says where it serves before it starts. */
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (cryomon->process));
  line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("cryomon: %s", line);
  g_assert_true (g_str_has_prefix (line, prefix));
  g_assert_true (g_str_has_suffix (line, "/metrics"));
  cryomon->metrics_host = g_strndup (line + strlen (prefix), strlen (line) - strlen (prefix) - strlen ("/metrics"));

  cryomon->lines = g_ptr_array_new_with_free_func (g_free);
  cryomon->cancellable = g_cancellable_new ();
  cryomon->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (cryomon->process));
  read_next_line (cryomon);
}

static void
cryomon_clear (Cryomon *cryomon)
{
  g_cancellable_cancel (cryomon->cancellable);
  g_clear_object (&cryomon->cancellable);
  g_clear_object (&cryomon->out);
  g_clear_object (&cryomon->process);
  g_clear_pointer (&cryomon->lines, g_ptr_array_unref);
  g_clear_pointer (&cryomon->metrics_host, g_free);
}

static gboolean
on_wait_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main context run (the poll lines come in) for a moment between
 * two questions to Prometheus. */
static void
run_main_context_ms (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, on_wait_timeout_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* A range query's samples: Prometheus's own scrape times, seconds since
 * the epoch, and values. Empty until it has scraped one. */
static GArray *
query_samples (const char *prometheus_host,
               const char *selector)
{
  g_autofree char *query = g_strdup_printf ("%s[1m]", selector);
  g_autofree char *escaped = g_uri_escape_string (query, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/query?query=%s", escaped);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) pair = g_regex_new ("\\[([0-9.]+),\"([^\"]+)\"\\]", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double) * 2);
  guint status;

  status = http_request (prometheus_host, "GET", path, &body, &error);
  /* Not listening yet, or listening but not ready: Prometheus answers
   * 503 until its storage is open (seen once in a sanitizer run). */
  if (status == 0 || status == 503)
    return samples;
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (body, "\"status\":\"success\""));

  g_regex_match (pair, body, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *time = g_match_info_fetch (match, 1);
      g_autofree char *value = g_match_info_fetch (match, 2);
      double sample[2] = { g_ascii_strtod (time, NULL), g_ascii_strtod (value, NULL) };

      g_array_append_val (samples, sample);
      g_match_info_next (match, NULL);
    }

  return samples;
}

/* Half a unit of the last digit @text shows ("2.9e-07": 0.05e-07): how far
 * the printed reading may be from the value. */
static double
half_last_digit (const char *text)
{
  const char *point = strchr (text, '.');
  const char *exponent = strpbrk (text, "eE");
  int decimals = 0;

  if (point != NULL)
    decimals = (int) ((exponent != NULL ? exponent : text + strlen (text)) - point - 1);

  return 0.5 * pow (10, -decimals + (exponent != NULL ? atoi (exponent + 1) : 0));
}

/* Whether one of Cryomon's own lines for @device, printed within a few
 * seconds of @time_s, shows @key at @value (in @scale times the printed
 * unit, @unit), as near as its printed digits say. */
static gboolean
printed_near (GPtrArray  *lines,
              const char *device,
              const char *key,
              const char *unit,
              double      scale,
              double      time_s,
              double      value)
{
  g_autofree char *quoted = g_strdup_printf (" \"%s\" ", device);
  g_autofree char *pattern = g_strdup_printf (" %s=([^ ]+) %s ", key, unit);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  guint n_candidates = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *stamp_text = NULL;
      g_autofree char *number = NULL;
      g_autoptr(GDateTime) stamp = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      double stamp_s, printed;

      if (strstr (line, quoted) == NULL || !g_regex_match (regex, line, 0, &match))
        continue;

      stamp_text = g_strndup (line, strcspn (line, " "));
      stamp = g_date_time_new_from_iso8601 (stamp_text, NULL);
      g_assert_nonnull (stamp);
      stamp_s = g_date_time_to_unix (stamp) + g_date_time_get_microsecond (stamp) / 1e6;
      /* The scrape saw the poll before it, or one in flight. */
      if (stamp_s < time_s - 3 || stamp_s > time_s + 1)
        continue;

      n_candidates++;
      number = g_match_info_fetch (match, 1);
      printed = g_ascii_strtod (number, NULL);
      g_test_message ("%s %s at %.3f: printed %s %s, Prometheus %.17g", device, key, stamp_s,
                      number, unit, value);
      if (fabs (value - printed * scale) <= half_last_digit (number) * scale * (1 + 1e-9))
        return TRUE;
    }

  g_test_message ("%u lines of %s near %.3f, none with %s at %.17g", n_candidates, device, time_s, key, value);
  return FALSE;
}

static void
test_scrape (void)
{
  g_autofree char *prometheus = g_find_program_in_path ("prometheus");
  g_autofree char *dir = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *prometheus_host = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GArray) pressures = NULL;
  g_autoptr(GArray) temperatures = NULL;
  g_autoptr(GArray) up = NULL;
  g_autoptr(GError) error = NULL;
  Cryomon cryomon = { 0 };
  gint64 deadline;
  double *sample;

  if (prometheus == NULL)
    {
      g_test_skip ("prometheus is not installed (Debian package prometheus, which build-aux/setup.sh installs)");
      return;
    }

  cryomon_start (&cryomon);

  dir = g_dir_make_tmp ("cryomon-prometheus-XXXXXX", &error);
  g_assert_no_error (error);
  config_path = g_build_filename (dir, "prometheus.yml", NULL);
  data_path = g_build_filename (dir, "data", NULL);
  log_path = g_build_filename (dir, "prometheus.log", NULL);
  config = g_strdup_printf ("global:\n"
                            "  scrape_interval: 1s\n"
                            "  scrape_timeout: 1s\n"
                            "scrape_configs:\n"
                            "  - job_name: cryomon\n"
                            "    static_configs:\n"
                            "      - targets: ['%s']\n",
                            cryomon.metrics_host);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));

  /* Prometheus cannot be told to pick its own port and say which. */
  prometheus_host = g_strdup_printf ("127.0.0.1:%u", free_tcp_port ());
  listen = g_strdup_printf ("--web.listen-address=%s", prometheus_host);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, prometheus,
                                        "--config.file", config_path,
                                        "--storage.tsdb.path", data_path,
                                        listen, "--log.level=warn", NULL);
  g_assert_no_error (error);

  /* Until Prometheus has scraped both readings twice. */
  deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  for (;;)
    {
      g_clear_pointer (&pressures, g_array_unref);
      g_clear_pointer (&temperatures, g_array_unref);
      pressures = query_samples (prometheus_host,
                                 "cryomon_pressure_pascals{kind=\"pump-station\",channel=\"pressure\"}");
      temperatures = query_samples (prometheus_host,
                                    "cryomon_temperature_kelvin{kind=\"cpa\",channel=\"helium_temperature\"}");
      if (pressures->len >= 2 && temperatures->len >= 2)
        break;

      if (g_get_monotonic_time () > deadline || g_subprocess_get_identifier (server) == NULL)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (log_path, &log, NULL, NULL);
          g_error ("no scrape within %d s; Prometheus's log:\n%s", DEADLINE_S, log);
        }
      run_main_context_ms (200);
    }

  /* Its scrapes of Cryomon succeed. */
  up = query_samples (prometheus_host, "up{job=\"cryomon\"}");
  g_assert_cmpuint (up->len, >=, 1);
  g_assert_cmpfloat (g_array_index (up, double, 2 * (up->len - 1) + 1), ==, 1);

  /* The last scrape is what Cryomon printed at that time: the pressure in
   * mbar (the default display unit; the metric is in pascals), the
   * temperature in K. Let the line printed after the scrape come in. */
  run_main_context_ms (1500);
  sample = &g_array_index (pressures, double, 2 * (pressures->len - 1));
  g_assert_cmpfloat (sample[1], >, 0);
  g_assert_true (printed_near (cryomon.lines, "Pumping station", "pressure", "mbar", 100.0, sample[0], sample[1]));
  sample = &g_array_index (temperatures, double, 2 * (temperatures->len - 1));
  g_assert_cmpfloat (sample[1], >, 200);
  g_assert_true (printed_near (cryomon.lines, "Helium compressor", "helium", "K", 1.0, sample[0], sample[1]));

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);

  /* The service ends cleanly on SIGTERM. */
  g_subprocess_send_signal (cryomon.process, SIGTERM);
  g_subprocess_wait (cryomon.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (cryomon.process));
  g_assert_cmpint (g_subprocess_get_exit_status (cryomon.process), ==, 0);

  cryomon_clear (&cryomon);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prometheus/scrape", test_scrape);

  return g_test_run ();
}
