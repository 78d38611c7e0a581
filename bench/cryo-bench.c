/* cryo-bench.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one figure per line, "name value":
 *   plot_redraw_week_4ch_ms   median full redraw, 4 log series × a week at
 *                             1 Hz, all visible, 1000 × 300 px
 *   csv_export_week_4ch_ms    median cryo_csv_write() of the same data
 *   history_bytes_per_sample  cryo_history_get_memory_size () / samples
 * Needs a display (run it under xvfb-run -a when there is none).
 */

#define G_LOG_DOMAIN "cryo-bench"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "cryo-csv.h"
#include "cryo-trend-plot.h"

#define N_SERIES 4
#define WEEK_SAMPLES 604800        /* a week at 1 Hz */
#define PLOT_RUNS 21
#define CSV_RUNS 5

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

/* Pump-down curves in Pa: from atmosphere towards a base pressure with a
 * time constant per gauge, multiplicative noise, a venting on day 4 and a
 * 10 minute disconnection (NaN) on day 3. */
static void
fill_channel (CryoChannel *channel,
              GRand       *rand,
              gint64       start_us,
              double       base,
              double       tau_s)
{
  for (gint64 i = 0; i < WEEK_SAMPLES; i++)
    {
      double t = (double) (i % (4 * 86400)) ;
      double p = base + (1.0e5 - base) * exp (-t / tau_s);
      double value;

      p *= exp (g_rand_double_range (rand, -0.03, 0.03));
      value = (i >= 3 * 86400 && i < 3 * 86400 + 600) ? NAN : p;
      if (!cryo_channel_push (channel, start_us + i * G_USEC_PER_SEC, value))
        g_error ("samples out of order");
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
  g_rmdir (dir);

  history = cryo_channel_get_history (channels[0]);
  g_print ("plot_redraw_week_4ch_ms %.2f\n", median (plot_ms, PLOT_RUNS));
  g_print ("csv_export_week_4ch_ms %.1f\n", median (csv_ms, CSV_RUNS));
  g_print ("history_bytes_per_sample %.2f\n",
           (double) cryo_history_get_memory_size (history) / cryo_history_get_n_samples (history));

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_object_unref (plot);
  for (guint i = 0; i < N_SERIES; i++)
    g_object_unref (channels[i]);

  return 0;
}
