/* cryo-bench.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one figure per line, "name value":
 *   plot_redraw_week_4ch_ms   median full redraw, 4 log series × a week at
 *                             1 Hz, all visible, 1000 × 300 px (a paused
 *                             view: the plot keeps its columns between
 *                             frames while no sample arrives)
 *   csv_export_week_4ch_ms    median cryo_csv_write() of the same data
 *   history_bytes_per_sample  cryo_history_get_memory_size () / samples
 *   archive_bytes_per_sample  size of the history archive holding the week
 *                             of the 4 series / samples
 *   archive_append_us_per_sample
 *                             cryo_archive_append() of the week's samples and
 *                             the writer's work, a transaction a minute of
 *                             data, / samples
 *   restart_to_first_frame_ms opening that archive, loading the live span
 *                             (24 h) of the 4 channels from it and drawing
 *                             the plot's first frame
 *   plot_redraw_month_from_archive_cold_ms, _warm_ms
 *                             a plot of 4 series over 30 days at 1 Hz held
 *                             only in an archive: from the first frame on
 *                             a new connection to the frame that shows the
 *                             columns its workers read, then the median of
 *                             the same for a span a µs apart (the query
 *                             each time, the database pages cached)
 *   noisy_link_reading_ratio  readings per poll interval with 30 % of the
 *                             replies corrupted / the same on a clean link:
 *                             a pumping station polled once a second
 *                             against its simulator (about 25 s)
 *   line_utilisation_9600     complete polls per second of a pumping station
 *                             polled every 0.1 s against its simulator paced
 *                             at 9600 baud / what the line can carry (4 s)
 *   metrics_scrape_ms         median time of a GET /metrics over loopback
 *                             HTTP, connection and request to body read,
 *                             with 5 instruments online on their simulators
 *   cti_priority_transactions_per_s
 *                             priority-set queries (J, K, L, S1, O) a second
 *                             that a CTI cryopump device gets through its
 *                             simulator paced at 2400 baud 7E1 (8 s)
 *   cti_wire_bound_ratio      the same device's transactions a second / what
 *                             2400 baud allows for the same request and
 *                             reply lengths (the line's busy share)
 * Needs a display (run it under xvfb-run -a when there is none). With
 * G_MESSAGES_DEBUG=cryo-bench it also says what the link figures are made of.
 */

#define G_LOG_DOMAIN "cryo-bench"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cryo-agilent.h"
#include <libsoup/soup.h>

#include "cryo-archive.h"
#include "cryo-csv.h"
#include "cryo-demo.h"
#include "cryo-cti-pump.h"
#include "cryo-event-log.h"
#include "cryo-metrics-server.h"
#include "cryo-pump-station.h"
#include "cryo-serial-transport.h"
#include "cryo-sim-cti-server.h"
#include "cryo-sim-pump-station-server.h"
#include "cryo-sim-responder.h"
#include "cryo-sim-server.h"
#include "cryo-trend-plot.h"

#define N_SERIES 4
#define WEEK_SAMPLES 604800        /* a week at 1 Hz */
#define MONTH_SAMPLES (30 * 86400) /* 30 days at 1 Hz */
#define PLOT_RUNS 21
#define CSV_RUNS 5

/* noisy_link_reading_ratio: a poll a second, the rate its target (≥ 0.95)
 * is set for. A clean link gives exactly one reading per interval, so it
 * needs few of them; a noisy one needs more for its mean to settle. */
#define NOISY_CORRUPT           0.3
#define NOISY_POLL_MS           1000
#define NOISY_CLEAN_INTERVALS   4
#define NOISY_CORRUPT_INTERVALS 20

/* metrics_scrape_ms */
#define SCRAPE_INSTRUMENTS      5
#define SCRAPE_RUNS             201

/* line_utilisation_9600 */
#define LINE_BAUD               9600
#define LINE_POLL_MS            100
#define LINE_MEASURE_MS         4000

/* cti_priority_transactions_per_s, cti_wire_bound_ratio */
#define CTI_BAUD                2400
#define CTI_MEASURE_MS          8000

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_double);

  return values[n / 2];
}

/* A pump-down curve in Pa at sample @i: from atmosphere towards a base
 * pressure with a time constant per gauge, multiplicative noise, a venting
 * every 4 days and a 10 minute disconnection (NaN) on day 3; rounded to the
 * gauge's 3 significant digits, as an instrument reports it. */
static double
pump_down (GRand  *rand,
           gint64  i,
           double  base,
           double  tau_s)
{
  double t = (double) (i % (4 * 86400));
  double p = base + (1.0e5 - base) * exp (-t / tau_s);
  double decade;

  if (i % (30 * 86400) >= 3 * 86400 && i % (30 * 86400) < 3 * 86400 + 600)
    return NAN;

  p *= exp (g_rand_double_range (rand, -0.03, 0.03));
  decade = pow (10.0, floor (log10 (p)) - 2);
  return round (p / decade) * decade;
}

/* Poll times: a second apart with the timer's drift and a few ms of reply
 * jitter, as g_get_real_time() stamps them. */
static gint64
poll_time (GRand  *rand,
           gint64 *tick_us)
{
  gint64 t = *tick_us + g_rand_int_range (rand, 2000, 6000);

  *tick_us += G_USEC_PER_SEC + g_rand_int_range (rand, 50, 400);
  return t;
}

static void
fill_channel (CryoChannel *channel,
              GRand       *rand,
              gint64       start_us,
              double       base,
              double       tau_s)
{
  gint64 tick = start_us;

  for (gint64 i = 0; i < WEEK_SAMPLES; i++)
    if (!cryo_channel_push (channel, poll_time (rand, &tick), pump_down (rand, i, base, tau_s)))
      g_error ("samples out of order");
}

static gboolean
on_deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main context for @ms, sleeping while nothing happens. */
static void
run_for_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_deadline_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_polled_cb (CryoDevice *device,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* Runs the main context until @device has finished one more poll. */
static void
wait_for_poll (CryoDevice *device)
{
  guint n_polled = 0;
  gboolean timed_out = FALSE;
  gulong handler = g_signal_connect (device, "polled", G_CALLBACK (on_polled_cb), &n_polled);
  guint timeout = g_timeout_add_seconds (30, on_deadline_cb, &timed_out);

  while (n_polled == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("%s finished no poll in 30 s", cryo_device_get_name (device));

  g_source_remove (timeout);
  g_signal_handler_disconnect (device, handler);
}

static void
wait_for_online (CryoDevice *device)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (10, on_deadline_cb, &timed_out);

  while (cryo_device_get_state (device) != CRYO_DEVICE_STATE_ONLINE && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("%s is not online after 10 s: %s", cryo_device_get_name (device),
             cryo_device_get_last_error (device));

  g_source_remove (timeout);
}

/* A running station's simulator on a pseudo-terminal, paced at @baud (0:
 * not paced), and a station device monitoring it every @poll_ms. */
static CryoSimServer *
start_station (guint        baud,
               guint        poll_ms,
               CryoDevice **device)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoTransport) transport = NULL;
  g_autoptr(CryoLink) link = NULL;
  g_autoptr(GError) error = NULL;
  CryoSimServer *server;

  options.server.baud = baud;
  server = cryo_sim_pump_station_server_new (&options);
  if (!cryo_sim_server_start_pty (server, NULL, &error))
    g_error ("%s", error->message);

  transport = cryo_serial_transport_new (cryo_sim_server_get_path (server), NULL);
  link = cryo_link_new (transport);
  *device = cryo_pump_station_new (link, 0);
  cryo_device_set_poll_interval (*device, poll_ms);
  cryo_device_set_monitoring (*device, TRUE);
  wait_for_online (*device);

  return server;
}

static void
stop_station (CryoSimServer *server,
              CryoDevice    *device)
{
  cryo_device_set_monitoring (device, FALSE);
  g_object_unref (device);
  cryo_sim_server_stop (server);
  g_object_unref (server);
}

/* Readings of the channels read at every poll (pressure, speed), per
 * channel and per poll interval, over @n_intervals intervals. Per
 * interval, not per poll finished: a
 * poll that overruns its interval costs the next one, and that is a
 * reading lost as surely as a damaged reply. */
static double
measure_readings_per_interval (CryoSimServer *server,
                               CryoDevice    *device,
                               double         corrupt,
                               guint          n_intervals)
{
  GPtrArray *channels = cryo_device_get_channels (device);
  guint poll_ms = cryo_device_get_poll_interval (device);
  guint n_channels = 0, n_readings = 0;
  gint64 start_us, end_us;

  cryo_sim_server_set_faults (server, corrupt, 0.0, 0);

  /* From halfway between two polls made entirely under these faults: a
   * clean poll then ends mid-interval, whatever the timer's drift (a
   * millisecond or two a poll) and jitter. */
  wait_for_poll (device);
  wait_for_poll (device);
  run_for_ms (poll_ms / 2);
  start_us = g_get_real_time ();
  end_us = start_us + (gint64) n_intervals * poll_ms * 1000;

  /* And a little more, for the last poll's samples to reach the main
   * context; they are counted by their time. */
  run_for_ms (n_intervals * poll_ms + 200);

  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      CryoHistoryIter iter;
      CryoSample sample;

      if (cryo_device_get_channel_info (device, channel)->period_s != 0)
        continue;

      n_channels++;
      cryo_history_iter_init (&iter, cryo_channel_get_history (channel), start_us, end_us - 1);
      while (cryo_history_iter_next (&iter, &sample))
        if (!isnan (sample.value))
          n_readings++;
    }

  g_debug ("corrupt %.2f: %u readings of %u channels in %u intervals of %u ms, %" G_GUINT64_FORMAT
           " errors", corrupt, n_readings, n_channels, n_intervals, poll_ms,
           cryo_device_get_n_errors (device));

  return (double) n_readings / (n_channels * n_intervals);
}

static double
bench_noisy_link (void)
{
  CryoDevice *device = NULL;
  CryoSimServer *server = start_station (0, NOISY_POLL_MS, &device);
  double clean, noisy;

  clean = measure_readings_per_interval (server, device, 0.0, NOISY_CLEAN_INTERVALS);
  noisy = measure_readings_per_interval (server, device, NOISY_CORRUPT, NOISY_CORRUPT_INTERVALS);
  stop_station (server, device);

  return noisy / clean;
}

/*
 * The most polls a second a 9600 baud line carries, from the frames a poll
 * exchanges (the windows pump_station_poll_func() reads every poll; the
 * pressure unit and the tip-seal hours are read at connect and hourly, so
 * they do not count). At 8N1 a byte is 10 bits on the wire: 960 bytes/s.
 * Each window is a request and its reply, one after the other, so both
 * count: a read request is 9 bytes (STX, address, window ×3, COM '0', ETX,
 * CRC ×2), a reply 9 bytes plus its data (agilent-window.md "Frame",
 * "Replies"): 1 for logic (000), 6 for numeric (205, 206, 226), 10 for
 * alphanumeric (224).
 * That is 45 + 74 = 119 bytes a poll, 960 / 119 = 8.07 polls/s. The sizes
 * are taken from the codec and the simulator's replies rather than typed
 * in, so that a change of either shows here.
 */
static double
get_line_bound_polls_per_s (void)
{
  static const guint windows[] = {
    CRYO_AGILENT_WINDOW_PRESSURE,
    CRYO_AGILENT_WINDOW_SPEED,
    CRYO_AGILENT_WINDOW_STATUS,
    CRYO_AGILENT_WINDOW_ERROR_CODE,
    CRYO_AGILENT_WINDOW_START_STOP,
  };
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = cryo_sim_pump_station_server_new (&options);
  CryoSimResponder *responder = cryo_sim_server_get_responder (server);
  gsize bytes_per_poll = 0;

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      g_autoptr(GBytes) request = cryo_agilent_encode_read (0, windows[i]);
      g_autoptr(GPtrArray) replies = NULL;
      gsize request_len;
      const guint8 *request_data = g_bytes_get_data (request, &request_len);

      cryo_sim_server_lock (server);
      replies = cryo_sim_responder_feed (responder, request_data, request_len);
      cryo_sim_server_unlock (server);

      if (replies->len != 1)
        g_error ("The simulator made %u replies to window %03u", replies->len, windows[i]);

      bytes_per_poll += request_len + g_bytes_get_size (g_ptr_array_index (replies, 0));
    }

  g_debug ("%" G_GSIZE_FORMAT " bytes a poll at %u baud: at most %.2f polls/s",
           bytes_per_poll, LINE_BAUD, LINE_BAUD / 10.0 / bytes_per_poll);

  return LINE_BAUD / 10.0 / bytes_per_poll;
}

typedef struct
{
  CryoChannel *pressure;
  gint64       last_time_us;
  guint        n_complete;
  gint64       first_us;
  gint64       latest_us;
} LineCount;

/* A poll that brought a pressure reading of its own is one read. */
static void
on_line_polled_cb (CryoDevice *device,
                   gpointer    user_data)
{
  LineCount *count = user_data;
  CryoReading reading = cryo_channel_get_reading (count->pressure);
  gint64 now = g_get_monotonic_time ();

  if (isnan (reading.value) || reading.time_us == count->last_time_us)
    return;

  count->last_time_us = reading.time_us;
  if (count->first_us == 0)
    count->first_us = now;
  else
    count->n_complete++;
  count->latest_us = now;
}

static double
bench_line_utilisation (void)
{
  CryoDevice *device = NULL;
  CryoSimServer *server = start_station (LINE_BAUD, LINE_POLL_MS, &device);
  LineCount count = { 0 };
  double reads_per_s, bound;
  gulong handler;

  /* Past the connect's first poll, which reads more windows. */
  wait_for_poll (device);

  count.pressure = cryo_device_lookup_channel (device, "pressure");
  handler = g_signal_connect (device, "polled", G_CALLBACK (on_line_polled_cb), &count);
  run_for_ms (LINE_MEASURE_MS);
  g_signal_handler_disconnect (device, handler);
  stop_station (server, device);

  if (count.n_complete == 0)
    g_error ("No complete poll at %u baud", LINE_BAUD);

  /* Between the first and the last complete poll: whole polls only. */
  reads_per_s = count.n_complete / ((count.latest_us - count.first_us) / (double) G_USEC_PER_SEC);
  bound = get_line_bound_polls_per_s ();
  g_debug ("%.2f reads/s with a %u ms poll interval", reads_per_s, LINE_POLL_MS);

  return reads_per_s / bound;
}

static void
on_scraped_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (body == NULL || g_bytes_get_size (body) == 0)
    g_error ("no metrics: %s", error != NULL ? error->message : "empty");
  *(GBytes **) user_data = g_steal_pointer (&body);
}

/* Scrapes the metrics of 5 instruments (the demo's simulators, started
 * twice over) as Prometheus would, over loopback HTTP on the main context
 * where the server runs. Returns the median time of a scrape, ms. */
static double
bench_metrics_scrape (void)
{
  g_autoptr(CryoDemo) demo_a = NULL;
  g_autoptr(CryoDemo) demo_b = NULL;
  g_autoptr(GListStore) devices = g_list_store_new (CRYO_TYPE_DEVICE);
  g_autoptr(CryoMetricsServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  double scrape_ms[SCRAPE_RUNS];
  gsize size = 0;

  demo_a = cryo_demo_new (&error);
  if (demo_a != NULL)
    demo_b = cryo_demo_new (&error);
  if (demo_b == NULL)
    g_error ("%s", error->message);

  for (guint i = 0; g_list_model_get_n_items (G_LIST_MODEL (devices)) < SCRAPE_INSTRUMENTS; i++)
    {
      GPtrArray *from = i % 2 == 0 ? cryo_demo_get_devices (demo_a) : cryo_demo_get_devices (demo_b);
      CryoDevice *device;
      g_autofree char *name = NULL;

      if (i / 2 >= from->len)
        g_error ("the demo has too few instruments for %d", SCRAPE_INSTRUMENTS);
      device = g_ptr_array_index (from, i / 2);
      name = g_strdup_printf ("%s %u", cryo_device_get_name (device), i % 2 + 1);
      cryo_device_set_name (device, name);
      g_list_store_append (devices, device);
    }

  server = cryo_metrics_server_new (G_LIST_MODEL (devices), NULL);
  if (!cryo_metrics_server_listen (server, "127.0.0.1:0", &error))
    g_error ("%s", error->message);

  for (guint i = 0; i < SCRAPE_INSTRUMENTS; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (G_LIST_MODEL (devices), i);

      cryo_device_set_monitoring (device, TRUE);
    }
  for (guint i = 0; i < SCRAPE_INSTRUMENTS; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (G_LIST_MODEL (devices), i);

      wait_for_online (device);
      wait_for_poll (device);
    }

  /* One untimed scrape first. Each timed one connects anew, as
   * Prometheus's do: the endpoint closes every connection. */
  for (guint run = 0; run <= SCRAPE_RUNS; run++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", cryo_metrics_server_get_uri (server));
      g_autoptr(GBytes) body = NULL;
      gint64 t0 = g_get_monotonic_time ();

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_scraped_cb, &body);
      while (body == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (run > 0)
        scrape_ms[run - 1] = (g_get_monotonic_time () - t0) / 1000.0;
      size = g_bytes_get_size (body);
    }
  g_debug ("%" G_GSIZE_FORMAT " bytes of metrics for %d instruments", size, SCRAPE_INSTRUMENTS);

  for (guint i = 0; i < SCRAPE_INSTRUMENTS; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (G_LIST_MODEL (devices), i);

      cryo_device_set_monitoring (device, FALSE);
    }
  cryo_metrics_server_stop (server);

  return median (scrape_ms, SCRAPE_RUNS);
}

typedef struct
{
  gboolean            started;
  gint64              first_us;
  gint64              last_us;
  CryoCtiPumpCounters first;
  CryoCtiPumpCounters last;
} CtiCount;

/* Counters at the end of whole polls, so the window holds whole polls. */
static void
on_cti_polled_cb (CryoDevice *device,
                  gpointer    user_data)
{
  CtiCount *count = user_data;
  CryoCtiPumpCounters counters;

  cryo_cti_pump_get_counters (CRYO_CTI_PUMP (device), &counters);
  if (!count->started)
    {
      count->started = TRUE;
      count->first_us = g_get_monotonic_time ();
      count->first = counters;
    }
  count->last_us = g_get_monotonic_time ();
  count->last = counters;
}

/*
 * A cryopump device polling its simulator on a pseudo-terminal paced as
 * the module's line: 2400 baud, 10 bits a character (7E1), 240 characters
 * a second (cti-onboard.md "Line-rate bound"). The device counts the
 * characters each exchange writes and reads, so the bound is taken for
 * the very requests and replies it exchanged (the priority set and the
 * background queries interleaved with it): achieved transactions a second
 * / (240 / characters a transaction) = characters a second / 240.
 */
static void
bench_cti (double *priority_per_s,
           double *wire_bound_ratio)
{
  CryoSimCtiOptions options = CRYO_SIM_CTI_OPTIONS_INIT;
  g_autoptr(CryoTransport) transport = NULL;
  g_autoptr(CryoLink) link = NULL;
  g_autoptr(GError) error = NULL;
  CryoSimServer *server;
  CryoDevice *device;
  CtiCount count = { 0 };
  double seconds, chars_per_s, transactions_per_s, bound;
  gulong handler;

  options.server.baud = CTI_BAUD;
  server = cryo_sim_cti_server_new (&options);
  if (!cryo_sim_server_start_pty (server, NULL, &error))
    g_error ("%s", error->message);

  transport = cryo_serial_transport_new (cryo_sim_server_get_path (server), NULL);
  link = cryo_link_new (transport);
  device = cryo_cti_pump_new (link);
  cryo_device_set_monitoring (device, TRUE);
  wait_for_online (device);
  /* Past the safe testing order's step-1 poll. */
  wait_for_poll (device);
  wait_for_poll (device);

  handler = g_signal_connect (device, "polled", G_CALLBACK (on_cti_polled_cb), &count);
  run_for_ms (CTI_MEASURE_MS);
  g_signal_handler_disconnect (device, handler);
  stop_station (server, device);

  seconds = (count.last_us - count.first_us) / (double) G_USEC_PER_SEC;
  if (seconds <= 0)
    g_error ("No whole poll of the cryopump at %u baud", CTI_BAUD);

  *priority_per_s = (count.last.priority_transactions - count.first.priority_transactions) / seconds;
  transactions_per_s = (count.last.transactions - count.first.transactions) / seconds;
  chars_per_s = (count.last.wire_chars - count.first.wire_chars) / seconds;
  bound = CTI_BAUD / (double) CRYO_CTI_BITS_PER_CHAR /
          ((double) (count.last.wire_chars - count.first.wire_chars) /
           (count.last.transactions - count.first.transactions));
  *wire_bound_ratio = transactions_per_s / bound;

  g_debug ("cryopump: %.2f transactions/s (%.2f of the priority set), %.1f characters/s, "
           "bound %.2f transactions/s", transactions_per_s, *priority_per_s, chars_per_s, bound);
}

static double
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (double) st.st_size : 0.0;
}

/* The week of @channels into a new archive at @path: archive_append_us and
 * archive_bytes_per_sample. */
static void
bench_archive_week (const char   *path,
                    CryoChannel **channels,
                    double       *append_us,
                    double       *bytes_per_sample)
{
  g_autoptr(GError) error = NULL;
  CryoArchive *archive = cryo_archive_open (path, &error);
  CryoHistoryIter iters[N_SERIES];
  guint handles[N_SERIES];
  guint64 n = 0;
  gint64 t0;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  if (archive == NULL)
    g_error ("%s", error->message);
  cryo_archive_set_retention (archive, 36500);

  for (guint i = 0; i < N_SERIES; i++)
    {
      const char *id = cryo_channel_get_id (channels[i]);
      g_autofree char *device_id = g_strndup (id, strchr (id, '.') - id);

      handles[i] = cryo_archive_add_channel (archive, device_id, channels[i]);
      cryo_history_iter_init (&iters[i], cryo_channel_get_history (channels[i]), G_MININT64,
                              G_MAXINT64);
    }

  t0 = g_get_monotonic_time ();
  for (guint64 s = 0; s < WEEK_SAMPLES; s++)
    {
      for (guint i = 0; i < N_SERIES; i++)
        {
          CryoSample sample;

          if (cryo_history_iter_next (&iters[i], &sample))
            {
              cryo_archive_append (archive, handles[i], sample.time_us, sample.value);
              n++;
            }
        }
      if (s % 60 == 59 && !cryo_archive_flush (archive, &error))
        g_error ("%s", error->message);
    }
  if (!cryo_archive_flush (archive, &error))
    g_error ("%s", error->message);
  *append_us = (double) (g_get_monotonic_time () - t0) / n;

  /* Closing checkpoints the log into the database file. */
  g_object_unref (archive);
  *bytes_per_sample = (file_size (path) + file_size (wal)) / n;
}

/* What a restart does before its first frame: open the archive, give each
 * channel its last 24 h, draw. */
static double
bench_restart (const char   *path,
               CryoChannel **week_channels,
               gint64        end_us)
{
  g_autoptr(GError) error = NULL;
  CryoArchive *archive;
  CryoChannel *channels[N_SERIES];
  CryoTrendPlot *plot;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 300);
  cairo_t *cr = cairo_create (surface);
  gint64 t0 = g_get_monotonic_time ();
  double ms;

  archive = cryo_archive_open (path, &error);
  if (archive == NULL)
    g_error ("%s", error->message);
  cryo_archive_set_retention (archive, 36500);

  plot = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));
  g_object_set (plot, "scale", CRYO_SCALE_LOG, "display-unit", CRYO_UNIT_MBAR,
                "title", "Pressure", "follow", FALSE, "view-end", end_us,
                "span", (gint64) 86400 * G_USEC_PER_SEC, NULL);
  for (guint i = 0; i < N_SERIES; i++)
    {
      const char *id = cryo_channel_get_id (week_channels[i]);
      g_autofree char *device_id = g_strndup (id, strchr (id, '.') - id);
      GdkRGBA color = { 0.2, 0.4, 0.8, 1.0 };
      guint handle;

      channels[i] = cryo_channel_new (id, cryo_channel_get_label (week_channels[i]),
                                      cryo_channel_get_csv_name (week_channels[i]),
                                      CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG, 3, 108000);
      handle = cryo_archive_add_channel (archive, device_id, channels[i]);
      if (!cryo_archive_load_history (archive, handle, channels[i],
                                      end_us - (gint64) 86400 * G_USEC_PER_SEC, end_us + 1, &error))
        g_error ("%s", error->message);
      cryo_trend_plot_add_series (plot, channels[i], &color);
    }
  cryo_trend_plot_set_archive (plot, archive);
  cryo_trend_plot_draw (plot, cr, 1000, 300);
  cairo_surface_flush (surface);
  ms = (g_get_monotonic_time () - t0) / 1000.0;

  if (cryo_history_get_n_samples (cryo_channel_get_history (channels[0])) < 86000)
    g_error ("the restart loaded %" G_GSIZE_FORMAT " samples",
             cryo_history_get_n_samples (cryo_channel_get_history (channels[0])));

  g_object_unref (plot);
  for (guint i = 0; i < N_SERIES; i++)
    g_object_unref (channels[i]);
  g_object_unref (archive);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return ms;
}

/* A frame, the archive reads it asks its workers for, and the frame that
 * shows them. */
static void
draw_from_archive (CryoTrendPlot *plot,
                   cairo_t       *cr)
{
  cryo_trend_plot_draw (plot, cr, 1000, 300);
  while (cryo_trend_plot_get_loading (plot))
    g_main_context_iteration (NULL, TRUE);
  cryo_trend_plot_draw (plot, cr, 1000, 300);
}

/* 30 days of 4 series, only in an archive: the plot draws them from its
 * blocks' summaries. */
static void
bench_month_from_archive (const char  *path,
                          const char **ids,
                          const double *bases,
                          const double *taus,
                          double       *cold_ms,
                          double       *warm_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  CryoArchive *archive = cryo_archive_open (path, &error);
  CryoChannel *channels[N_SERIES];
  guint handles[N_SERIES];
  gint64 ticks[N_SERIES];
  gint64 start_us = G_GINT64_CONSTANT (1732000000) * G_USEC_PER_SEC;
  gint64 end_us = start_us + (gint64) MONTH_SAMPLES * G_USEC_PER_SEC;
  CryoTrendPlot *plot;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 300);
  cairo_t *cr = cairo_create (surface);
  double runs[PLOT_RUNS];
  gint64 t0;

  if (archive == NULL)
    g_error ("%s", error->message);
  cryo_archive_set_retention (archive, 36500);
  for (guint i = 0; i < N_SERIES; i++)
    {
      const char *dot = strchr (ids[i], '.');
      g_autofree char *device_id = g_strndup (ids[i], dot - ids[i]);

      channels[i] = cryo_channel_new (ids[i], ids[i], dot + 1, CRYO_QUANTITY_PRESSURE,
                                      CRYO_SCALE_LOG, 3, 1024);
      handles[i] = cryo_archive_add_channel (archive, device_id, channels[i]);
      ticks[i] = start_us;
    }
  for (gint64 s = 0; s < MONTH_SAMPLES; s++)
    {
      for (guint i = 0; i < N_SERIES; i++)
        cryo_archive_append (archive, handles[i], poll_time (rand, &ticks[i]),
                             pump_down (rand, s, bases[i], taus[i]));
      if (s % 3600 == 3599 && !cryo_archive_flush (archive, &error))
        g_error ("%s", error->message);
    }
  g_object_unref (archive);

  /* A new connection: SQLite's page cache starts empty (the system's file
   * cache does not). */
  archive = cryo_archive_open_readonly (path, &error);
  if (archive == NULL)
    g_error ("%s", error->message);
  plot = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));
  g_object_set (plot, "scale", CRYO_SCALE_LOG, "display-unit", CRYO_UNIT_MBAR,
                "title", "Pressure", "follow", FALSE, "view-end", end_us,
                "span", end_us - start_us, NULL);
  for (guint i = 0; i < N_SERIES; i++)
    {
      GdkRGBA color = { 0.2, 0.4, 0.8, 1.0 };

      cryo_trend_plot_add_series (plot, channels[i], &color);
    }
  cryo_trend_plot_set_archive (plot, archive);

  t0 = g_get_monotonic_time ();
  draw_from_archive (plot, cr);
  cairo_surface_flush (surface);
  *cold_ms = (g_get_monotonic_time () - t0) / 1000.0;

  for (guint run = 0; run < PLOT_RUNS; run++)
    {
      /* A span a µs apart each time: the plot asks the archive again. */
      g_object_set (plot, "view-end", end_us + (run % 2 ? 0 : 1), NULL);
      cairo_save (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_restore (cr);
      t0 = g_get_monotonic_time ();
      draw_from_archive (plot, cr);
      cairo_surface_flush (surface);
      runs[run] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  *warm_ms = median (runs, PLOT_RUNS);

  g_object_unref (plot);
  for (guint i = 0; i < N_SERIES; i++)
    g_object_unref (channels[i]);
  g_object_unref (archive);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
remove_archive (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", ".lock" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *id, *label; double base, tau; const char *color; } specs[N_SERIES] = {
    { "turbo.pressure", "Turbo inlet", 2e-6, 3000.0, "#3584e4" },
    { "chamber.pressure", "Chamber", 8e-6, 9000.0, "#e66100" },
    { "foreline.pressure", "Foreline", 3e-1, 600.0, "#26a269" },
    { "cryo.pressure", "Cryostat", 5e-5, 20000.0, "#c01c28" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *events_path = NULL;
  g_autoptr(CryoEventLog) events = NULL;
  CryoChannel *channels[N_SERIES];
  CryoCsvSeries csv[N_SERIES];
  CryoTrendPlot *plot;
  cairo_surface_t *surface;
  cairo_t *cr;
  double plot_ms[PLOT_RUNS], csv_ms[CSV_RUNS];
  gint64 start_us = G_GINT64_CONSTANT (1732000000) * G_USEC_PER_SEC;
  gint64 end_us = start_us + (WEEK_SAMPLES - 1) * (gint64) G_USEC_PER_SEC;
  const CryoHistory *history;

  gtk_init ();

  plot = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));
  g_object_set (plot,
                "scale", CRYO_SCALE_LOG,
                "display-unit", CRYO_UNIT_MBAR,
                "title", "Pressure",
                "follow", FALSE,
                "view-end", end_us,
                "span", end_us - start_us,
                NULL);

  for (guint i = 0; i < N_SERIES; i++)
    {
      GdkRGBA color;

      channels[i] = cryo_channel_new (specs[i].id, specs[i].label, specs[i].id,
                                      CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG, 3, WEEK_SAMPLES);
      fill_channel (channels[i], rand, start_us, specs[i].base, specs[i].tau);
      gdk_rgba_parse (&color, specs[i].color);
      cryo_trend_plot_add_series (plot, channels[i], &color);

      csv[i] = (CryoCsvSeries) {
        .name = cryo_channel_get_csv_name (channels[i]),
        .history = cryo_channel_get_history (channels[i]),
        .stored_unit = CRYO_UNIT_PA,
        .unit = CRYO_UNIT_MBAR,
        .digits = 3,
      };
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 300);
  cr = cairo_create (surface);

  /* One untimed frame fills the caches, as the widget's first frame does. */
  cryo_trend_plot_draw (plot, cr, 1000, 300);
  for (guint run = 0; run < PLOT_RUNS; run++)
    {
      gint64 t0;

      cairo_save (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_restore (cr);

      t0 = g_get_monotonic_time ();
      cryo_trend_plot_draw (plot, cr, 1000, 300);
      cairo_surface_flush (surface);
      plot_ms[run] = (g_get_monotonic_time () - t0) / 1000.0;
    }

  if (argc > 1)
    cairo_surface_write_to_png (surface, argv[1]);

  dir = g_dir_make_tmp ("cryo-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "week.csv", NULL);
  for (guint run = 0; run < CSV_RUNS; run++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (!cryo_csv_write (path, csv, N_SERIES, start_us, end_us, &error))
        g_error ("%s", error->message);
      csv_ms[run] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  g_unlink (path);

  history = cryo_channel_get_history (channels[0]);
  g_print ("plot_redraw_week_4ch_ms %.2f\n", median (plot_ms, PLOT_RUNS));
  g_print ("csv_export_week_4ch_ms %.1f\n", median (csv_ms, CSV_RUNS));
  g_print ("history_bytes_per_sample %.2f\n",
           (double) cryo_history_get_memory_size (history) / cryo_history_get_n_samples (history));

  {
    g_autofree char *week_path = g_build_filename (dir, "week.sqlite", NULL);
    g_autofree char *month_path = g_build_filename (dir, "month.sqlite", NULL);
    const char *ids[N_SERIES];
    double bases[N_SERIES], taus[N_SERIES];
    double append_us, bytes, cold_ms, warm_ms;

    bench_archive_week (week_path, channels, &append_us, &bytes);
    g_print ("archive_bytes_per_sample %.2f\n", bytes);
    g_print ("archive_append_us_per_sample %.2f\n", append_us);
    g_print ("restart_to_first_frame_ms %.1f\n", bench_restart (week_path, channels, end_us));
    remove_archive (week_path);

    for (guint i = 0; i < N_SERIES; i++)
      {
        ids[i] = specs[i].id;
        bases[i] = specs[i].base;
        taus[i] = specs[i].tau;
      }
    bench_month_from_archive (month_path, ids, bases, taus, &cold_ms, &warm_ms);
    g_print ("plot_redraw_month_from_archive_cold_ms %.1f\n", cold_ms);
    g_print ("plot_redraw_month_from_archive_warm_ms %.1f\n", warm_ms);
    remove_archive (month_path);
  }

  /* Actions and alarms go to an event log: not the user's. */
  events_path = g_build_filename (dir, "events.log", NULL);
  events = cryo_event_log_new (events_path);
  cryo_event_log_set_default (events);

  g_print ("noisy_link_reading_ratio %.2f\n", bench_noisy_link ());
  g_print ("line_utilisation_9600 %.2f\n", bench_line_utilisation ());
  g_print ("metrics_scrape_ms %.2f\n", bench_metrics_scrape ());
  {
    double priority_per_s, ratio;

    bench_cti (&priority_per_s, &ratio);
    g_print ("cti_priority_transactions_per_s %.2f\n", priority_per_s);
    g_print ("cti_wire_bound_ratio %.3f\n", ratio);
  }

  cryo_event_log_set_default (NULL);
  g_clear_object (&events);
  g_unlink (events_path);
  g_rmdir (dir);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_object_unref (plot);
  for (guint i = 0; i < N_SERIES; i++)
    g_object_unref (channels[i]);

  return 0;
}
