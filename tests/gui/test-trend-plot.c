/* test-trend-plot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cryo-archive.h"
#include "cryo-event.h"
#include "cryo-trend-plot.h"

#define SEC G_GINT64_CONSTANT (1000000)
#define WIDTH 600
#define HEIGHT 300

/* 2024-11-22 12:00:00 UTC */
static const gint64 t0 = G_GINT64_CONSTANT (1732276800) * SEC;

static const GdkRGBA red = { 1.0, 0.0, 0.0, 1.0 };
static const GdkRGBA blue = { 0.0, 0.0, 1.0, 1.0 };

static CryoChannel *
new_channel (const char   *id,
             const char   *label,
             CryoQuantity  quantity,
             CryoScale     scale,
             guint         digits)
{
  return cryo_channel_new (id, label, id, quantity, scale, digits, 10000);
}

/* 1 Hz for 1000 s at @value, with a gap (NaN every second) from 400 s to
 * 600 s. */
static CryoChannel *
new_gappy_channel (double    value,
                   CryoScale scale)
{
  CryoChannel *channel = new_channel ("test.level", "Level",
                                      scale == CRYO_SCALE_LOG ? CRYO_QUANTITY_PRESSURE
                                                              : CRYO_QUANTITY_PERCENT,
                                      scale, 3);

  for (gint64 s = 0; s <= 1000; s++)
    g_assert_true (cryo_channel_push (channel, t0 + s * SEC,
                                      (s >= 400 && s <= 600) ? NAN : value));

  return channel;
}

static CryoTrendPlot *
new_plot (CryoScale scale)
{
  CryoTrendPlot *plot = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));

  g_object_set (plot,
                "scale", scale,
                "follow", FALSE,
                "span", 1000 * SEC,
                "view-end", t0 + 1000 * SEC,
                NULL);

  return plot;
}

static cairo_surface_t *
draw (CryoTrendPlot *plot)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);

  cryo_trend_plot_draw (plot, cr, WIDTH, HEIGHT);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

static gboolean
pixel_is (cairo_surface_t *surface,
          int              x,
          int              y,
          const GdkRGBA   *color)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 p = *(const guint32 *) (data + y * stride + x * 4);
  int a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

  return a > 200 &&
         abs (r - (int) (color->red * 255)) < 60 &&
         abs (g - (int) (color->green * 255)) < 60 &&
         abs (b - (int) (color->blue * 255)) < 60;
}

/* Rows of column @x where @color appears. */
static guint
count_in_column (cairo_surface_t *surface,
                 int              x,
                 const GdkRGBA   *color)
{
  guint n = 0;

  for (int y = 0; y < HEIGHT; y++)
    if (pixel_is (surface, x, y, color))
      n++;

  return n;
}

static guint
count_everywhere (cairo_surface_t *surface,
                  const GdkRGBA   *color)
{
  guint n = 0;

  for (int x = 0; x < WIDTH; x++)
    n += count_in_column (surface, x, color);

  return n;
}

static int
column_of (CryoTrendPlot *plot,
           gint64         time_us)
{
  return (int) floor (cryo_trend_plot_get_x_at_time (plot, time_us));
}

static void
check_gap (CryoScale scale,
           double    value)
{
  g_autoptr(CryoChannel) channel = new_gappy_channel (value, scale);
  CryoTrendPlot *plot = new_plot (scale);
  cairo_surface_t *surface;

  cryo_trend_plot_add_series (plot, channel, &red);
  surface = draw (plot);

  /* The line is there before and after the gap … */
  for (gint64 s = 20; s < 390; s += 37)
    g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + s * SEC), &red), >, 0);
  for (gint64 s = 610; s < 990; s += 37)
    g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + s * SEC), &red), >, 0);

  /* … and nothing crosses it. */
  for (gint64 s = 403; s < 598; s += 3)
    g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + s * SEC), &red), ==, 0);

  cairo_surface_destroy (surface);
  g_assert_finalize_object (plot);
}

static void
test_plot_gap_linear (void)
{
  check_gap (CRYO_SCALE_LINEAR, 50.0);
}

static void
test_plot_gap_log (void)
{
  check_gap (CRYO_SCALE_LOG, 2.9e-3);
}

/* Several samples per column: the column's min…max is drawn. */
static void
test_plot_envelope (void)
{
  g_autoptr(CryoChannel) flat = new_gappy_channel (50.0, CRYO_SCALE_LINEAR);
  g_autoptr(CryoChannel) saw = new_channel ("test.saw", "Saw", CRYO_QUANTITY_PERCENT,
                                            CRYO_SCALE_LINEAR, 3);
  CryoTrendPlot *plot = new_plot (CRYO_SCALE_LINEAR);
  cairo_surface_t *surface;
  int x, rows;

  for (gint64 i = 0; i <= 3000; i++)
    g_assert_true (cryo_channel_push (saw, t0 + i * SEC / 10, i % 2 ? 10.0 : 90.0));

  cryo_trend_plot_add_series (plot, flat, &red);
  cryo_trend_plot_add_series (plot, saw, &blue);
  surface = draw (plot);

  /* From 10 to 90 on an axis of 0…100: most of the plot's height. */
  x = column_of (plot, t0 + 150 * SEC);
  rows = count_in_column (surface, x, &blue);
  g_assert_cmpint (rows, >, HEIGHT / 2);
  /* After the saw ends, only the flat red line. */
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 700 * SEC), &blue), ==, 0);

  cairo_surface_destroy (surface);
  g_assert_finalize_object (plot);
}

static void
visibility_changed_cb (CryoTrendPlot *plot,
                       CryoChannel   *channel,
                       gboolean       visible,
                       guint         *count)
{
  (*count)++;
}

static void
test_plot_visibility (void)
{
  g_autoptr(CryoChannel) channel = new_gappy_channel (50.0, CRYO_SCALE_LINEAR);
  g_autoptr(CryoChannel) other = new_channel ("test.other", "Other", CRYO_QUANTITY_PERCENT,
                                              CRYO_SCALE_LINEAR, 3);
  CryoTrendPlot *plot = new_plot (CRYO_SCALE_LINEAR);
  cairo_surface_t *surface;
  guint count = 0;

  cryo_trend_plot_add_series (plot, channel, &red);
  g_signal_connect (plot, "series-visibility-changed", G_CALLBACK (visibility_changed_cb), &count);
  g_assert_cmpuint (cryo_trend_plot_get_n_series (plot), ==, 1);
  g_assert_true (cryo_trend_plot_get_series_visible (plot, channel));
  g_assert_false (cryo_trend_plot_get_series_visible (plot, other));

  surface = draw (plot);
  g_assert_cmpuint (count_everywhere (surface, &red), >, 100);
  cairo_surface_destroy (surface);

  cryo_trend_plot_set_series_visible (plot, channel, FALSE);
  cryo_trend_plot_set_series_visible (plot, channel, FALSE);
  g_assert_cmpuint (count, ==, 1);
  g_assert_false (cryo_trend_plot_get_series_visible (plot, channel));

  /* Only the legend swatch's outline remains red. */
  surface = draw (plot);
  g_assert_cmpuint (count_everywhere (surface, &red), <, 60);
  cairo_surface_destroy (surface);

  cryo_trend_plot_set_series_visible (plot, channel, TRUE);
  g_assert_cmpuint (count, ==, 2);

  cryo_trend_plot_remove_all_series (plot);
  g_assert_cmpuint (cryo_trend_plot_get_n_series (plot), ==, 0);
  surface = draw (plot);
  g_assert_cmpuint (count_everywhere (surface, &red), ==, 0);
  cairo_surface_destroy (surface);

  g_assert_finalize_object (plot);
}

/* No data in view: the plot says so, in the middle. */
static void
test_plot_empty (void)
{
  g_autoptr(CryoChannel) channel = new_channel ("test.none", "None", CRYO_QUANTITY_PERCENT,
                                                CRYO_SCALE_LINEAR, 3);
  CryoTrendPlot *plot = new_plot (CRYO_SCALE_LOG);
  cairo_surface_t *surface;
  const guint8 *data;
  int stride;
  guint inked = 0;

  cryo_trend_plot_add_series (plot, channel, &red);
  surface = draw (plot);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = HEIGHT / 2 - 20; y < HEIGHT / 2 + 20; y++)
    for (int x = WIDTH / 2 - 40; x < WIDTH / 2 + 40; x++)
      if (data[y * stride + x * 4 + 3] > 0)
        inked++;
  g_assert_cmpuint (inked, >, 20);
  cairo_surface_destroy (surface);

  /* Zero size: nothing to do, no crash. */
  {
    cairo_surface_t *tiny = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create (tiny);

    cryo_trend_plot_draw (plot, cr, 0, 0);
    cryo_trend_plot_draw (plot, cr, 1, 1);
    cairo_destroy (cr);
    cairo_surface_destroy (tiny);
  }

  g_assert_finalize_object (plot);
}

static void
test_plot_view (void)
{
  g_autoptr(CryoChannel) channel = new_gappy_channel (50.0, CRYO_SCALE_LINEAR);
  CryoTrendPlot *plot = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));
  gint64 begin, end, now;

  cryo_trend_plot_add_series (plot, channel, &red);

  /* Defaults: live, 10 minutes. */
  g_assert_true (cryo_trend_plot_get_follow (plot));
  g_assert_cmpint (cryo_trend_plot_get_span (plot), ==, CRYO_TREND_PLOT_DEFAULT_SPAN);
  now = g_get_real_time ();
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (end, >=, now);
  g_assert_cmpint (end, <, now + 5 * SEC);
  g_assert_cmpint (end - begin, ==, CRYO_TREND_PLOT_DEFAULT_SPAN);

  /* Panning stops following, keeping the span. */
  cryo_trend_plot_pan (plot, -60 * SEC);
  g_assert_false (cryo_trend_plot_get_follow (plot));
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (end, ==, cryo_trend_plot_get_view_end (plot));
  g_assert_cmpint (end, <=, now - 55 * SEC);
  g_assert_cmpint (end, >=, now - 65 * SEC);
  g_assert_cmpint (end - begin, ==, CRYO_TREND_PLOT_DEFAULT_SPAN);

  /* Zoom around an anchor: it keeps its place. */
  cryo_trend_plot_set_view_end (plot, t0 + 1000 * SEC);
  cryo_trend_plot_set_span (plot, 1000 * SEC);
  cryo_trend_plot_zoom (plot, 0.5, t0 + 200 * SEC);
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (end - begin, ==, 500 * SEC);
  g_assert_cmpint (begin, ==, t0 + 100 * SEC);
  g_assert_cmpint (end, ==, t0 + 600 * SEC);

  /* Clamped to 10 s … the history's length (at least 10 min). */
  cryo_trend_plot_zoom (plot, 1e-6, t0 + 200 * SEC);
  g_assert_cmpint (cryo_trend_plot_get_span (plot), ==, CRYO_TREND_PLOT_MIN_SPAN);
  cryo_trend_plot_zoom (plot, 1e6, t0 + 200 * SEC);
  g_assert_cmpint (cryo_trend_plot_get_span (plot), ==, 1000 * SEC);
  cryo_trend_plot_set_span (plot, 1);
  g_assert_cmpint (cryo_trend_plot_get_span (plot), ==, CRYO_TREND_PLOT_MIN_SPAN);

  /* Back to live: the right edge is now again. */
  cryo_trend_plot_set_follow (plot, TRUE);
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (end, >=, now);

  /* While following, zooming keeps the right edge at now. */
  cryo_trend_plot_set_span (plot, 600 * SEC);
  cryo_trend_plot_zoom (plot, 0.5, now - 500 * SEC);
  g_assert_true (cryo_trend_plot_get_follow (plot));
  g_assert_cmpint (cryo_trend_plot_get_span (plot), ==, 300 * SEC);

  /* Following and turning it off freezes the view at now. */
  {
    CryoTrendPlot *fresh = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));

    cryo_trend_plot_set_follow (fresh, FALSE);
    cryo_trend_plot_get_visible_range (fresh, &begin, &end);
    g_assert_cmpint (end, >=, now);
    g_assert_cmpint (end, <, now + 5 * SEC);
    g_assert_finalize_object (fresh);
  }

  g_assert_finalize_object (plot);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* Two plots share one time axis through bidirectional bindings, as the
 * trend view stacks them; changes go across once, without loops. */
static void
test_plot_bindings (void)
{
  static const char * const props[] = { "span", "view-end", "follow" };
  CryoTrendPlot *a = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));
  CryoTrendPlot *b = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));
  guint span_notifies = 0, end_notifies = 0;
  gint64 a_begin, a_end, b_begin, b_end;

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    g_object_bind_property (a, props[i], b, props[i],
                            G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect (a, "notify::span", G_CALLBACK (count_notify_cb), &span_notifies);
  g_signal_connect (a, "notify::view-end", G_CALLBACK (count_notify_cb), &end_notifies);

  cryo_trend_plot_set_span (b, 120 * SEC);
  g_assert_cmpint (cryo_trend_plot_get_span (a), ==, 120 * SEC);
  g_assert_cmpuint (span_notifies, ==, 1);

  cryo_trend_plot_pan (b, -30 * SEC);
  g_assert_false (cryo_trend_plot_get_follow (a));
  g_assert_false (cryo_trend_plot_get_follow (b));
  g_assert_cmpint (cryo_trend_plot_get_view_end (a), ==, cryo_trend_plot_get_view_end (b));
  g_assert_cmpuint (end_notifies, ==, 1);
  cryo_trend_plot_get_visible_range (a, &a_begin, &a_end);
  cryo_trend_plot_get_visible_range (b, &b_begin, &b_end);
  g_assert_cmpint (a_begin, ==, b_begin);
  g_assert_cmpint (a_end, ==, b_end);

  cryo_trend_plot_zoom (a, 2.0, a_begin);
  g_assert_cmpint (cryo_trend_plot_get_span (b), ==, 240 * SEC);
  g_assert_cmpint (cryo_trend_plot_get_view_end (b), ==, cryo_trend_plot_get_view_end (a));
  g_assert_cmpuint (span_notifies, ==, 2);

  cryo_trend_plot_set_follow (a, TRUE);
  g_assert_true (cryo_trend_plot_get_follow (b));

  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

static void
test_plot_hover_text (void)
{
  g_autoptr(CryoChannel) pressure = new_channel ("pump.pressure", "Pressure",
                                                 CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG, 3);
  g_autoptr(CryoChannel) speed = new_channel ("pump.speed", "Speed",
                                              CRYO_QUANTITY_ROTATION_SPEED, CRYO_SCALE_LINEAR, 5);
  CryoTrendPlot *log_plot = new_plot (CRYO_SCALE_LOG);
  CryoTrendPlot *lin_plot = new_plot (CRYO_SCALE_LINEAR);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;
  g_autofree char *text4 = NULL;
  cairo_surface_t *surface;

  g_assert_true (cryo_channel_push (pressure, t0 + 10 * SEC, 0.29));   /* Pa */
  g_assert_true (cryo_channel_push (pressure, t0 + 20 * SEC, NAN));
  g_assert_true (cryo_channel_push (speed, t0 + 10 * SEC, 81000));

  g_object_set (log_plot, "display-unit", CRYO_UNIT_MBAR, NULL);
  cryo_trend_plot_add_series (log_plot, pressure, &red);
  cryo_trend_plot_add_series (lin_plot, speed, &blue);

  text = cryo_trend_plot_get_hover_text (log_plot, t0 + 15 * SEC);
  g_assert_cmpstr (text, ==, "12:00:15\nPressure: 2.9 × 10⁻³ mbar");
  text2 = cryo_trend_plot_get_hover_text (log_plot, t0 + 25 * SEC);
  g_assert_cmpstr (text2, ==, "12:00:25\nPressure: —");
  text3 = cryo_trend_plot_get_hover_text (lin_plot, t0 + 10 * SEC);
  g_assert_cmpstr (text3, ==, "12:00:10\nSpeed: 81000 rpm");
  text4 = cryo_trend_plot_get_hover_text (lin_plot, t0 + 9 * SEC);
  g_assert_cmpstr (text4, ==, "12:00:09\nSpeed: —");

  /* The readout is drawn: a box over the plot with the cursor line. */
  surface = draw (lin_plot);
  cairo_surface_destroy (surface);
  cryo_trend_plot_set_hover_time (lin_plot, t0 + 500 * SEC);
  surface = draw (lin_plot);
  {
    int x = column_of (lin_plot, t0 + 500 * SEC);
    const guint8 *data = cairo_image_surface_get_data (surface);
    int stride = cairo_image_surface_get_stride (surface);

    g_assert_cmpint (data[(HEIGHT / 2) * stride + x * 4 + 3], >, 0);
  }
  cairo_surface_destroy (surface);

  g_assert_finalize_object (log_plot);
  g_assert_finalize_object (lin_plot);
}


static const CryoPhaseLabel test_phases[] = {
  { 0, "Ramp" },
  { 2, "Plateau" },
  { 0, NULL }
};

/* Alpha of the pixel at (@x, @y): bands are translucent over a clear
 * surface, so a band is where the alpha is not zero. */
static int
alpha_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return (*(const guint32 *) (data + y * stride + x * 4)) >> 24;
}

/* Ramp 0..300 s, Plateau 300..500 s, not running (NaN) 500..700 s, an
 * unknown code (idle) 700..800 s, Ramp again from 800 s to the newest
 * sample at 900 s: four bands, the idle and stopped spans none. */
static void
test_plot_phases (void)
{
  g_autoptr(CryoChannel) gas = new_channel ("cs.gas_temperature", "Gas temperature",
                                            CRYO_QUANTITY_TEMPERATURE, CRYO_SCALE_LINEAR, 5);
  g_autoptr(CryoChannel) phase = new_channel ("cs.phase", "Phase",
                                              CRYO_QUANTITY_STATE, CRYO_SCALE_LINEAR, 2);
  CryoTrendPlot *plot = new_plot (CRYO_SCALE_LINEAR);
  g_autoptr(GArray) bands = NULL;
  g_autofree char *ramp_text = NULL;
  g_autofree char *stopped_text = NULL;
  const CryoPhaseBand *band;
  cairo_surface_t *surface;
  int y;

  g_assert_null (cryo_channel_lookup_phase (phase, 0));
  cryo_channel_set_phases (phase, test_phases);
  g_assert_cmpstr (cryo_channel_lookup_phase (phase, 2), ==, "Plateau");
  g_assert_null (cryo_channel_lookup_phase (phase, 2.5));
  g_assert_null (cryo_channel_lookup_phase (phase, 7));
  g_assert_null (cryo_channel_lookup_phase (phase, NAN));

  for (gint64 s = 0; s <= 900; s++)
    {
      double code = s < 300 ? 0 : s < 500 ? 2 : s < 700 ? NAN : s < 800 ? 7 : 0;

      g_assert_true (cryo_channel_push (phase, t0 + s * SEC, code));
      g_assert_true (cryo_channel_push (gas, t0 + s * SEC, 300.0 - s / 10.0));
    }

  cryo_trend_plot_add_series (plot, gas, &red);
  cryo_trend_plot_add_phases (plot, phase);
  cryo_trend_plot_add_phases (plot, phase);
  g_assert_cmpuint (cryo_trend_plot_get_n_phases (plot), ==, 1);
  g_assert_cmpuint (cryo_trend_plot_get_n_series (plot), ==, 1);

  surface = draw (plot);
  bands = cryo_trend_plot_dup_phase_bands (plot);
  g_assert_cmpuint (bands->len, ==, 3);

  /* Band ends are exact to a pixel column: 1000 s over < 600 columns. */
  band = &g_array_index (bands, CryoPhaseBand, 0);
  g_assert_cmpstr (band->label, ==, "Ramp");
  g_assert_true (band->channel == phase);
  g_assert_cmpint (band->begin_us, ==, t0);
  g_assert_cmpint (ABS (band->end_us - (t0 + 300 * SEC)), <=, 2 * SEC);
  band = &g_array_index (bands, CryoPhaseBand, 1);
  g_assert_cmpstr (band->label, ==, "Plateau");
  g_assert_cmpint (band->value, ==, 2);
  g_assert_cmpint (ABS (band->begin_us - (t0 + 300 * SEC)), <=, 2 * SEC);
  g_assert_cmpint (ABS (band->end_us - (t0 + 500 * SEC)), <=, 2 * SEC);
  band = &g_array_index (bands, CryoPhaseBand, 2);
  g_assert_cmpstr (band->label, ==, "Ramp");
  g_assert_cmpint (ABS (band->begin_us - (t0 + 800 * SEC)), <=, 2 * SEC);
  /* Not beyond the newest sample. */
  g_assert_cmpint (ABS (band->end_us - (t0 + 900 * SEC)), <=, 2 * SEC);

  /* Drawn: tinted inside a band, clear in the stopped and idle spans and
   * after the newest sample, a little below the top of the plot area
   * where no trace runs (the gas temperature falls from the top left). */
  y = HEIGHT - 40;
  g_assert_cmpint (alpha_at (surface, column_of (plot, t0 + 150 * SEC), y), >, 0);
  g_assert_cmpint (alpha_at (surface, column_of (plot, t0 + 400 * SEC), y), >, 0);
  g_assert_cmpint (alpha_at (surface, column_of (plot, t0 + 650 * SEC), y), ==, 0);
  g_assert_cmpint (alpha_at (surface, column_of (plot, t0 + 750 * SEC), y), ==, 0);
  g_assert_cmpint (alpha_at (surface, column_of (plot, t0 + 850 * SEC), y), >, 0);
  g_assert_cmpint (alpha_at (surface, column_of (plot, t0 + 950 * SEC), y), ==, 0);
  cairo_surface_destroy (surface);

  /* The hover readout names the phase. */
  ramp_text = cryo_trend_plot_get_hover_text (plot, t0 + 100 * SEC);
  g_assert_true (g_str_has_suffix (ramp_text, "\nPhase: Ramp"));
  stopped_text = cryo_trend_plot_get_hover_text (plot, t0 + 600 * SEC);
  g_assert_true (g_str_has_suffix (stopped_text, "\nPhase: —"));

  /* Zoomed into the plateau (no sample in most columns), the band covers
   * the whole view: a phase lasts until the next sample. */
  g_object_set (plot, "span", 20 * SEC, "view-end", t0 + 410 * SEC, NULL);
  surface = draw (plot);
  cairo_surface_destroy (surface);
  g_clear_pointer (&bands, g_array_unref);
  bands = cryo_trend_plot_dup_phase_bands (plot);
  g_assert_cmpuint (bands->len, ==, 1);
  band = &g_array_index (bands, CryoPhaseBand, 0);
  g_assert_cmpstr (band->label, ==, "Plateau");
  g_assert_cmpint (band->begin_us, ==, t0 + 390 * SEC);
  g_assert_cmpint (band->end_us, ==, t0 + 410 * SEC);

  /* Removing the channel removes its bands. */
  cryo_trend_plot_remove_series (plot, phase);
  g_assert_cmpuint (cryo_trend_plot_get_n_phases (plot), ==, 0);
  g_assert_cmpuint (cryo_trend_plot_get_n_series (plot), ==, 1);
  surface = draw (plot);
  cairo_surface_destroy (surface);
  g_clear_pointer (&bands, g_array_unref);
  bands = cryo_trend_plot_dup_phase_bands (plot);
  g_assert_cmpuint (bands->len, ==, 0);

  g_assert_finalize_object (plot);
}

static gboolean
send_key (CryoTrendPlot *plot,
          guint          keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (plot));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
    }

  return handled;
}

/* Live with less data than the span, the view starts at the oldest
 * reading; the keyboard zooms and pans; a screen reader hears the range
 * and the latest values. */
static void
test_plot_live_keys (void)
{
  g_autoptr(CryoChannel) pressure = new_channel ("pump.pressure", "Pressure",
                                                 CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG, 3);
  CryoTrendPlot *plot = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));
  gint64 now = g_get_real_time ();
  gint64 first = now - 60 * SEC;
  g_autofree char *description = NULL;
  g_autofree char *range = NULL;
  g_autofree char *paused = NULL;
  gint64 begin, end;

  for (gint64 s = 0; s <= 60; s++)
    g_assert_true (cryo_channel_push (pressure, first + s * SEC, 0.29));
  g_object_set (plot, "scale", CRYO_SCALE_LOG, "display-unit", CRYO_UNIT_MBAR,
                "title", "Pressure", NULL);
  cryo_trend_plot_add_series (plot, pressure, &red);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (plot)));

  /* Without an origin, the last 10 min as before; with one, from it. */
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (end - begin, ==, CRYO_TREND_PLOT_DEFAULT_SPAN);
  cryo_trend_plot_set_origin (plot, first);
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (begin, ==, first);
  g_assert_cmpint (end, >=, now);
  g_assert_cmpint (cryo_trend_plot_get_span (plot), ==, CRYO_TREND_PLOT_DEFAULT_SPAN);

  /* A screen reader hears it. */
  range = cryo_trend_plot_dup_range_text (plot);
  g_assert_true (g_str_equal (range, "last 60 s") || g_str_equal (range, "last 61 s"));
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Pressure plot"));
  description = cryo_trend_plot_dup_accessible_description (plot);
  g_assert_true (g_str_has_prefix (description, "last 6"));
  g_assert_true (g_str_has_suffix (description, " s: Pressure 2.9 × 10⁻³ mbar"));
  cryo_trend_plot_update_accessible (plot);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                     description));

  /* Minus zooms out from what is shown (60 s → 120 s: all of it is shown
   * already, so the view stays at the data); plus zooms into what is
   * shown (→ 30 s); still live. */
  g_assert_true (send_key (plot, GDK_KEY_minus));
  g_assert_true (cryo_trend_plot_get_follow (plot));
  g_assert_cmpint (ABS (cryo_trend_plot_get_span (plot) - 120 * SEC), <, 3 * SEC);
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (begin, ==, first);
  g_assert_true (send_key (plot, GDK_KEY_plus));
  g_assert_cmpint (ABS (cryo_trend_plot_get_span (plot) - 30 * SEC), <, 3 * SEC);
  g_assert_true (cryo_trend_plot_get_follow (plot));

  /* Left pauses a tenth of the view earlier; Right at the live edge goes
   * live again. */
  g_assert_true (send_key (plot, GDK_KEY_Left));
  g_assert_false (cryo_trend_plot_get_follow (plot));
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (ABS (end - (g_get_real_time () - 3 * SEC)), <, 2 * SEC);
  paused = cryo_trend_plot_dup_range_text (plot);
  g_assert_nonnull (strstr (paused, " to "));
  g_assert_true (send_key (plot, GDK_KEY_Right));
  g_assert_true (send_key (plot, GDK_KEY_Right));
  g_assert_true (cryo_trend_plot_get_follow (plot));

  /* Home: the oldest reading at the left edge, paused; End: live. */
  g_assert_true (send_key (plot, GDK_KEY_Home));
  g_assert_false (cryo_trend_plot_get_follow (plot));
  cryo_trend_plot_get_visible_range (plot, &begin, &end);
  g_assert_cmpint (begin, ==, first);
  g_assert_true (send_key (plot, GDK_KEY_End));
  g_assert_true (cryo_trend_plot_get_follow (plot));

  /* Other keys are left to others (Tab moves focus on). */
  g_assert_false (send_key (plot, GDK_KEY_Tab));

  g_assert_finalize_object (plot);
}

static void
test_plot_durations (void)
{
  static const struct { gint64 seconds; const char *text; } cases[] = {
    { 0, "0 s" }, { 45, "45 s" }, { 119, "119 s" }, { 120, "2 min" }, { 600, "10 min" },
    { 3600, "1 h" }, { 3600 + 5 * 60, "1 h 5 min" }, { 86400, "24 h" }, { 47 * 3600, "47 h" },
    { 2 * 86400, "2 days" }, { 7 * 86400, "7 days" }, { 30 * 86400, "30 days" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cryo_trend_plot_format_duration (cases[i].seconds * SEC);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *count)
{
  (*count)++;
}

static gboolean
feed_cb (gpointer data)
{
  cryo_trend_plot_queue_data_changed (data);

  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Data arriving every 5 ms redraws the plot at most ~10 times a second,
 * and an unmapped plot schedules nothing. */
static void
test_plot_coalesce (void)
{
  g_autoptr(CryoChannel) channel = new_gappy_channel (50.0, CRYO_SCALE_LINEAR);
  CryoTrendPlot *plot = g_object_ref_sink (CRYO_TREND_PLOT (cryo_trend_plot_new ()));
  GtkWidget *window = gtk_window_new ();
  GdkFrameClock *clock;
  guint paints = 0, feeder;
  gboolean done = FALSE;

  /* Unmapped: nothing happens, nothing keeps the plot alive. */
  cryo_trend_plot_queue_data_changed (plot);

  cryo_trend_plot_add_series (plot, channel, &red);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (plot));
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (plot));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (plot)));

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (plot));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &paints);

  feeder = g_timeout_add (5, feed_cb, plot);
  g_timeout_add (1000, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (feeder);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, &paints);

  g_test_message ("%u paints in 1 s", paints);
  g_assert_cmpuint (paints, >=, 3);
  g_assert_cmpuint (paints, <=, 12);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (plot);
}

/* A paused view keeps its columns from frame to frame: samples that
 * arrive are drawn, and samples a full history drops are no longer. */
static void
test_plot_columns_refresh (void)
{
  g_autoptr(CryoChannel) channel = cryo_channel_new ("test.level", "Level", "level",
                                                     CRYO_QUANTITY_PERCENT, CRYO_SCALE_LINEAR,
                                                     3, 600);
  CryoTrendPlot *plot = new_plot (CRYO_SCALE_LINEAR);
  cairo_surface_t *surface;

  for (gint64 s = 0; s <= 500; s++)
    g_assert_true (cryo_channel_push (channel, t0 + s * SEC, s < 250 ? 20.0 : 80.0));
  cryo_trend_plot_add_series (plot, channel, &red);

  surface = draw (plot);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 100 * SEC), &red), >, 0);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 800 * SEC), &red), ==, 0);
  cairo_surface_destroy (surface);

  /* Same frame again: the same picture. */
  surface = draw (plot);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 100 * SEC), &red), >, 0);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 800 * SEC), &red), ==, 0);
  cairo_surface_destroy (surface);

  /* New samples up to 900 s; the history keeps 600, so the first 300 s go. */
  for (gint64 s = 501; s <= 900; s++)
    g_assert_true (cryo_channel_push (channel, t0 + s * SEC, 80.0));
  surface = draw (plot);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 800 * SEC), &red), >, 0);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 100 * SEC), &red), ==, 0);
  cairo_surface_destroy (surface);

  g_assert_finalize_object (plot);
}

static gboolean
watchdog_cb (gpointer data)
{
  g_error ("the archive read did not finish");
  return G_SOURCE_REMOVE;
}

static void
wait_until_loaded (CryoTrendPlot *plot)
{
  guint watchdog = g_timeout_add_seconds (20, watchdog_cb, NULL);

  while (cryo_trend_plot_get_loading (plot))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);
}

/* A view older than the history in memory: drawing never reads the
 * archive itself, it asks a worker, draws what it has and shows the
 * archived trend once the worker's columns arrive (after main-loop
 * iterations, with #CryoTrendPlot:loading notified). */
static void
test_plot_archive_async (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cryomon-plot-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(CryoChannel) channel = new_channel ("old.level", "Level", CRYO_QUANTITY_PERCENT,
                                                CRYO_SCALE_LINEAR, 3);
  g_autoptr(CryoArchive) archive = NULL;
  g_autoptr(GError) error = NULL;
  CryoTrendPlot *plot;
  cairo_surface_t *surface;
  guint handle, notified = 0;

  archive = cryo_archive_open (path, &error);
  g_assert_no_error (error);
  cryo_archive_set_retention (archive, 36500);
  handle = cryo_archive_add_channel (archive, "old", channel);
  for (gint64 s = 0; s < 700; s++)
    cryo_archive_append (archive, handle, t0 + s * SEC, 50.0);
  g_assert_true (cryo_archive_flush (archive, &error));
  g_assert_no_error (error);

  /* In memory: only the last 300 s. */
  for (gint64 s = 700; s <= 1000; s++)
    g_assert_true (cryo_channel_push (channel, t0 + s * SEC, 50.0));

  plot = new_plot (CRYO_SCALE_LINEAR);
  cryo_trend_plot_set_archive (plot, archive);
  cryo_trend_plot_add_series (plot, channel, &red);
  g_signal_connect (plot, "notify::loading", G_CALLBACK (count_notify_cb), &notified);

  /* The first frame: the history only, and a read under way. */
  surface = draw (plot);
  g_assert_true (cryo_trend_plot_get_loading (plot));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 300 * SEC), &red), ==, 0);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 900 * SEC), &red), >, 0);
  cairo_surface_destroy (surface);

  /* Drawing again before it arrives neither blocks nor asks twice. */
  surface = draw (plot);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 300 * SEC), &red), ==, 0);
  cairo_surface_destroy (surface);

  /* Zoomed meanwhile: that read is dropped, one for the new span runs. */
  cryo_trend_plot_set_span (plot, 900 * SEC);
  surface = draw (plot);
  cairo_surface_destroy (surface);
  g_assert_true (cryo_trend_plot_get_loading (plot));

  wait_until_loaded (plot);
  g_assert_cmpuint (notified, ==, 2);
  surface = draw (plot);
  g_assert_false (cryo_trend_plot_get_loading (plot));
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 300 * SEC), &red), >, 0);
  g_assert_cmpuint (count_in_column (surface, column_of (plot, t0 + 900 * SEC), &red), >, 0);
  cairo_surface_destroy (surface);

  /* A plot that goes while a read runs cancels it. */
  cryo_trend_plot_set_span (plot, 950 * SEC);
  surface = draw (plot);
  cairo_surface_destroy (surface);
  g_assert_true (cryo_trend_plot_get_loading (plot));
  g_assert_finalize_object (plot);

  g_clear_object (&archive);
  {
    g_autoptr(GDir) handle_dir = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle_dir != NULL && (name = g_dir_read_name (handle_dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        g_unlink (file);
      }
  }
  g_rmdir (dir);
}

static int
compare_time (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  gint64 ta = cryo_event_get_time_us ((CryoEvent *) a);
  gint64 tb = cryo_event_get_time_us ((CryoEvent *) b);

  return ta < tb ? -1 : ta > tb;
}

/* In time order, as the plot wants them. */
static void
add_event (GListStore        *events,
           gint64             time_us,
           CryoEventKind      kind,
           CryoEventSeverity  severity,
           const char        *text)
{
  g_autoptr(CryoEvent) event = cryo_event_new (time_us, "pump", "Pumping station", kind, severity,
                                               NULL, text);

  g_list_store_insert_sorted (events, event, compare_time, NULL);
}

/* Actions and alarms are marked on the time axis, only in the visible
 * range, with their text in the tooltip; other events are not. */
static void
test_plot_markers (void)
{
  g_autoptr(CryoChannel) channel = new_gappy_channel (50.0, CRYO_SCALE_LINEAR);
  g_autoptr(GListStore) events = g_list_store_new (CRYO_TYPE_EVENT);
  CryoTrendPlot *plot = new_plot (CRYO_SCALE_LINEAR);
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  int alarm_x, action_x, lost_x, y = -1;

  cryo_trend_plot_add_series (plot, channel, &blue);
  add_event (events, t0 - 100 * SEC, CRYO_EVENT_KIND_ALARM_RAISED, CRYO_EVENT_SEVERITY_ALARM, "before");
  add_event (events, t0 + 200 * SEC, CRYO_EVENT_KIND_ALARM_RAISED, CRYO_EVENT_SEVERITY_ALARM,
             "alarm: Turbo hot");
  add_event (events, t0 + 500 * SEC, CRYO_EVENT_KIND_ACTION, CRYO_EVENT_SEVERITY_INFO, "Start");
  add_event (events, t0 + 501 * SEC, CRYO_EVENT_KIND_ACTION_RESULT, CRYO_EVENT_SEVERITY_INFO,
             "Start: done");
  add_event (events, t0 + 700 * SEC, CRYO_EVENT_KIND_CONNECTION_LOST, CRYO_EVENT_SEVERITY_ERROR,
             "Connection lost");
  add_event (events, t0 + 2000 * SEC, CRYO_EVENT_KIND_ALARM_RAISED, CRYO_EVENT_SEVERITY_ALARM, "after");

  /* Without events, no marker and no tooltip. */
  surface = draw (plot);
  g_assert_cmpuint (count_everywhere (surface, &red), ==, 0);
  cairo_surface_destroy (surface);
  g_assert_false (gtk_widget_get_has_tooltip (GTK_WIDGET (plot)));

  cryo_trend_plot_set_events (plot, G_LIST_MODEL (events));
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (plot)));
  surface = draw (plot);
  alarm_x = column_of (plot, t0 + 200 * SEC);
  action_x = column_of (plot, t0 + 500 * SEC);
  lost_x = column_of (plot, t0 + 700 * SEC);

  /* The alarm is the one red thing: a small marker at its time. */
  g_assert_cmpuint (count_in_column (surface, alarm_x, &red), >, 0);
  g_assert_cmpuint (count_in_column (surface, alarm_x, &red), <=, 10);
  g_assert_cmpuint (count_everywhere (surface, &red), <=, 60);
  for (int row = HEIGHT - 1; row >= 0 && y < 0; row--)
    if (pixel_is (surface, alarm_x, row, &red))
      y = row;
  g_assert_cmpint (y, >, HEIGHT / 2);
  cairo_surface_destroy (surface);

  text = cryo_trend_plot_dup_marker_text (plot, alarm_x, y);
  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, " Pumping station: alarm: Turbo hot"));
  g_clear_pointer (&text, g_free);

  /* The action and its result a second later share the marker. */
  text = cryo_trend_plot_dup_marker_text (plot, action_x, y);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Pumping station: Start\n"));
  g_assert_true (g_str_has_suffix (text, "Pumping station: Start: done"));
  g_clear_pointer (&text, g_free);

  /* No marker for a lost connection, none away from the axis. */
  g_assert_null (cryo_trend_plot_dup_marker_text (plot, lost_x, y));
  g_assert_null (cryo_trend_plot_dup_marker_text (plot, alarm_x, 5));

  /* New events are drawn as they come. */
  add_event (events, t0 + 800 * SEC, CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED, CRYO_EVENT_SEVERITY_INFO,
             "acknowledged");
  surface = draw (plot);
  text = cryo_trend_plot_dup_marker_text (plot, column_of (plot, t0 + 800 * SEC), y);
  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, "acknowledged"));
  cairo_surface_destroy (surface);

  cryo_trend_plot_set_events (plot, NULL);
  g_assert_false (gtk_widget_get_has_tooltip (GTK_WIDGET (plot)));
  g_assert_finalize_object (plot);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trend-plot/gap/linear", test_plot_gap_linear);
  g_test_add_func ("/trend-plot/gap/log", test_plot_gap_log);
  g_test_add_func ("/trend-plot/envelope", test_plot_envelope);
  g_test_add_func ("/trend-plot/visibility", test_plot_visibility);
  g_test_add_func ("/trend-plot/empty", test_plot_empty);
  g_test_add_func ("/trend-plot/view", test_plot_view);
  g_test_add_func ("/trend-plot/bindings", test_plot_bindings);
  g_test_add_func ("/trend-plot/hover-text", test_plot_hover_text);
  g_test_add_func ("/trend-plot/coalesce", test_plot_coalesce);
  g_test_add_func ("/trend-plot/phases", test_plot_phases);
  g_test_add_func ("/trend-plot/markers", test_plot_markers);
  g_test_add_func ("/trend-plot/live-keys", test_plot_live_keys);
  g_test_add_func ("/trend-plot/durations", test_plot_durations);
  g_test_add_func ("/trend-plot/archive-async", test_plot_archive_async);
  g_test_add_func ("/trend-plot/columns-refresh", test_plot_columns_refresh);

  return g_test_run ();
}
