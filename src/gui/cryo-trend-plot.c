/* cryo-trend-plot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-trend-plot"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-history.h"
#include "cryo-ticks.h"
#include "cryo-event.h"
#include "cryo-trend-plot.h"

/* At most this many redraws per second from data. */
#define REDRAW_INTERVAL_MS 100
#define ZOOM_STEP 1.25
#define KEY_ZOOM_STEP 2.0
#define PAD 6.0
#define SWATCH 10.0
#define LEGEND_GAP 14.0
#define TIME_LABEL_SPACING 100.0   /* px per time tick */
#define Y_LABEL_SPACING 36.0       /* px per linear y tick */
#define MIN_LINEAR_SPAN 0.02       /* of the largest magnitude shown */
#define LINE_WIDTH 1.5
#define MAX_LAYOUT_CACHE 128

typedef struct
{
  CryoChannel *channel;
  GdkRGBA      color;
  gboolean     visible;
  /* Affine map from the channel's unit to the plot's display unit. */
  double       scale;
  double       offset;
  /* Columns read from the archive for the last span before the history,
   * kept while the span does not change (a paused view), and drawn
   * stretched to the new columns while a read for those runs. */
  CryoHistoryColumn *archived;
  gint64       archived_begin_us;
  gint64       archived_end_us;
  guint        archived_n;
  /* The history's columns of the last frame, in the channel's unit: a
   * frame of the same span reuses them, refreshing only those that new
   * samples reach (a paused view, or one whose end is ahead). */
  CryoHistoryColumn *cached;
  guint        cached_size;      /* allocated */
  guint        cached_n;         /* valid columns, 0 for none */
  gint64       cached_begin_us;
  gint64       cached_end_us;
  guint64      cached_appended;
  guint64      cached_dropped;
  gint64       cached_last_us;
  /* The archive read in flight, in a worker thread (see ArchiveRead). */
  GCancellable *request;
  gint64       request_begin_us;
  gint64       request_end_us;
  guint        request_n;
  gint64       request_view_span_us;
  guint        request_n_columns;
} Series;

/* The plot's read-only connection to the archive, for its worker threads
 * only: one read at a time, and SQLite's page cache kept from one read to
 * the next. Opened by the first read. */
typedef struct
{
  GMutex       mutex;
  char        *path;
  CryoArchive *archive;
} Reader;

/* One read of archived columns, in a worker thread, so drawing never
 * waits on the disk. */
typedef struct
{
  GWeakRef  plot;
  Reader   *reader;
  char     *device_id;
  char     *key;
  gint64    begin_us;
  gint64    end_us;
  guint     n_columns;
} ArchiveRead;

/* A run of pixel columns in one phase, in the last frame. */
typedef struct
{
  CryoChannel *channel;    /* unowned: valid while it is in ->phases */
  guint        first_column;
  guint        end_column; /* exclusive */
  int          value;
  const char  *label;      /* translated */
} PhaseRun;

typedef struct
{
  graphene_rect_t  area;
  CryoChannel     *channel;   /* unowned: valid while the series exists */
} LegendBox;

struct _CryoTrendPlot
{
  GtkWidget           parent_instance;

  GPtrArray          *series;          /* Series */
  GPtrArray          *phases;          /* CryoChannel: drawn as bands */
  GArray             *phase_runs;      /* PhaseRun of the last frame */
  gint64              runs_begin_us;
  gint64              runs_end_us;
  guint               runs_n_columns;

  CryoScale           scale;
  CryoUnit            display_unit;
  char               *title;
  gboolean            follow;
  gint64              span_us;
  gint64              view_end_us;
  gint64              origin_us;
  gboolean            show_time_labels;
  gboolean            show_header;

  guint               redraw_source;

  /* Hover readout: pointer x in widget coordinates, < 0 when none. */
  double              hover_x;
  gint64              drag_start_end_us;
  gint64              drag_start_span_us;

  /* Layout of the last frame, for the event handlers. */
  graphene_rect_t     plot_area;
  GArray             *legend_boxes;    /* LegendBox */

  /* Caches kept between frames until size or range change. */
  GHashTable         *layouts;         /* label text → PangoLayout */
  GArray             *y_ticks;
  CryoScale           y_ticks_scale;
  double              y_ticks_min;
  double              y_ticks_max;
  double              y_ticks_height;
  GArray             *x_ticks;
  gint64              x_ticks_begin;
  gint64              x_ticks_end;
  double              x_ticks_width;
  double              left_margin;
  double              min_left_margin;
  double              natural_axis_width;   /* what the y labels need */
  CryoHistoryColumn  *columns;         /* n_series × columns_per_series */
  GArray             *segments;        /* double × 4: a series' strokes */
  CryoArchive        *archive;         /* spans older than the histories */
  Reader             *reader;          /* its connection for the workers */
  GListModel         *events;          /* CryoEvent in time order: markers */
  char               *accessible_description;
  guint               columns_len;
  gboolean            loading;
};

enum {
  PROP_0,
  PROP_SCALE,
  PROP_DISPLAY_UNIT,
  PROP_TITLE,
  PROP_FOLLOW,
  PROP_SPAN,
  PROP_VIEW_END,
  PROP_ORIGIN,
  PROP_SHOW_TIME_LABELS,
  PROP_AXIS_WIDTH,
  PROP_MIN_AXIS_WIDTH,
  PROP_LOADING,
  N_PROPS
};

enum {
  SERIES_VISIBILITY_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (CryoTrendPlot, cryo_trend_plot, GTK_TYPE_WIDGET)

static void
series_cancel_request (Series *series)
{
  if (series->request == NULL)
    return;

  g_cancellable_cancel (series->request);
  g_clear_object (&series->request);
}

static void
series_free (gpointer data)
{
  Series *series = data;

  series_cancel_request (series);
  g_clear_object (&series->channel);
  g_free (series->archived);
  g_free (series->cached);
  g_free (series);
}

static void
reader_clear (gpointer data)
{
  Reader *reader = data;

  g_mutex_clear (&reader->mutex);
  g_free (reader->path);
  g_clear_object (&reader->archive);
}

static Reader *
reader_new (const char *path)
{
  Reader *reader = g_atomic_rc_box_new0 (Reader);

  g_mutex_init (&reader->mutex);
  reader->path = g_strdup (path);

  return reader;
}

static void
reader_unref (Reader *reader)
{
  g_atomic_rc_box_release_full (reader, reader_clear);
}

static void
archive_read_free (gpointer data)
{
  ArchiveRead *read = data;

  g_weak_ref_clear (&read->plot);
  g_clear_pointer (&read->reader, reader_unref);
  g_free (read->device_id);
  g_free (read->key);
  g_free (read);
}

/* #CryoTrendPlot:loading follows the reads in flight. */
static void
update_loading (CryoTrendPlot *self)
{
  gboolean loading = FALSE;

  for (guint i = 0; self->series != NULL && i < self->series->len && !loading; i++)
    loading = ((Series *) g_ptr_array_index (self->series, i))->request != NULL;

  if (loading == self->loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

/* Whether the plot shows series of more than one device: then every label
 * names its device, so two instruments of a kind are never confused. */
static gboolean
spans_devices (CryoTrendPlot *self)
{
  const char *first = NULL;

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      const char *name = cryo_channel_get_device_name (series->channel);

      if (i == 0)
        first = name;
      else if (g_strcmp0 (first, name) != 0)
        return TRUE;
    }

  return FALSE;
}

/* The series' name in the legend and the hover readout. */
static char *
series_dup_label (CryoTrendPlot *self,
                  Series        *series,
                  gboolean       qualified)
{
  const char *device_name = cryo_channel_get_device_name (series->channel);

  if (!qualified || device_name == NULL)
    return g_strdup (cryo_channel_get_label (series->channel));

  /* Translators: a series in a plot's legend: device name and reading, "Pumping station 2 · Pressure" */
  return g_strdup_printf (_("%s · %s"), device_name, cryo_channel_get_label (series->channel));
}

static Series *
find_series (CryoTrendPlot *self,
             CryoChannel   *channel)
{
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);

      if (series->channel == channel)
        return series;
    }

  return NULL;
}

/* The unit values are drawn in: the display unit when it measures the same
 * quantity as the channel, otherwise the channel's own. */
static CryoUnit
series_unit (CryoTrendPlot *self,
             Series        *series)
{
  CryoUnit unit = cryo_channel_get_unit (series->channel);

  if (self->display_unit != CRYO_UNIT_NONE &&
      cryo_unit_get_quantity (self->display_unit) == cryo_unit_get_quantity (unit))
    return self->display_unit;

  return unit;
}

static void
series_update_transform (CryoTrendPlot *self,
                         Series        *series)
{
  CryoUnit from = cryo_channel_get_unit (series->channel);
  CryoUnit to = series_unit (self, series);
  double zero, one;

  /* Every unit conversion is affine, so two points define it and the draw
   * call does one multiply-add per value instead of a lookup. */
  zero = cryo_unit_convert (0.0, from, to);
  one = cryo_unit_convert (1.0, from, to);
  if (!isfinite (zero) || !isfinite (one))
    {
      series->scale = 1.0;
      series->offset = 0.0;
      return;
    }
  series->scale = one - zero;
  series->offset = zero;
}

static CryoUnit
axis_unit (CryoTrendPlot *self)
{
  if (self->display_unit != CRYO_UNIT_NONE)
    return self->display_unit;
  if (self->series->len > 0)
    return series_unit (self, g_ptr_array_index (self->series, 0));

  return CRYO_UNIT_NONE;
}

static gint64
now_us (void)
{
  return g_get_real_time ();
}

static void
visible_range (CryoTrendPlot *self,
               gint64        *begin_us,
               gint64        *end_us)
{
  gint64 end = self->follow ? now_us () : self->view_end_us;
  gint64 begin = end - self->span_us;

  /* Live with less data than the span: the data fills the width, rather
   * than starting as a dot at the right edge. */
  if (self->follow && self->origin_us > 0 && begin < self->origin_us)
    begin = MIN (self->origin_us, end - CRYO_TREND_PLOT_MIN_SPAN);

  *end_us = end;
  *begin_us = begin;
}

static gint64
history_span (CryoTrendPlot *self)
{
  gint64 first = G_MAXINT64, last = G_MININT64;

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      gint64 a, b;

      if (cryo_history_get_time_range (cryo_channel_get_history (series->channel), &a, &b))
        {
          first = MIN (first, a);
          last = MAX (last, b);
        }
    }

  return last > first ? last - first : 0;
}

static void
invalidate_layout (CryoTrendPlot *self)
{
  g_clear_pointer (&self->y_ticks, g_array_unref);
  g_clear_pointer (&self->x_ticks, g_array_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static PangoLayout *
get_layout (CryoTrendPlot *self,
            const char    *text)
{
  PangoLayout *layout = g_hash_table_lookup (self->layouts, text);

  if (layout != NULL)
    return layout;

  /* Follow mode brings new time labels all the time: start over rather
   * than grow without bound. */
  if (g_hash_table_size (self->layouts) >= MAX_LAYOUT_CACHE)
    g_hash_table_remove_all (self->layouts);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_hash_table_insert (self->layouts, g_strdup (text), layout);

  return layout;
}

static void
layout_size (PangoLayout *layout,
             double      *width,
             double      *height)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  *width = w;
  *height = h;
}

static void
get_foreground (CryoTrendPlot *self,
                GdkRGBA       *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), color);
}

static inline double
snap (double v)
{
  return floor (v) + 0.5;
}

typedef struct
{
  double    top;
  double    height;
  double    min;      /* axis bounds in display units */
  double    max;
  double    log_min;
  double    log_span;
  CryoScale scale;
} YMap;

static inline double
y_of (const YMap *m,
      double      v)
{
  double f;

  if (m->scale == CRYO_SCALE_LOG)
    f = (log10 (v) - m->log_min) / m->log_span;
  else
    f = (v - m->min) / (m->max - m->min);

  /* Far outside values (neighbours beyond the edges) stay in a range cairo
   * handles; the clip hides them. */
  f = CLAMP (f, -50.0, 51.0);

  return m->top + (1.0 - f) * m->height;
}

static gboolean
drawable (CryoScale scale,
          double    v)
{
  return isfinite (v) && (scale != CRYO_SCALE_LOG || v > 0.0);
}

static void
archive_read_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ArchiveRead *read = task_data;
  Reader *reader = read->reader;
  g_autofree CryoHistoryColumn *cols = g_new (CryoHistoryColumn, read->n_columns);
  GError *error = NULL;
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;

  g_mutex_lock (&reader->mutex);
  if (reader->archive == NULL)
    reader->archive = cryo_archive_open_readonly (reader->path, &error);
  ok = reader->archive != NULL &&
       cryo_archive_get_columns (reader->archive, read->device_id, read->key, read->begin_us,
                                 read->end_us, read->n_columns, cols, &error);
  g_mutex_unlock (&reader->mutex);

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&cols), g_free);
}

static void
on_archive_read_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = G_TASK (result);
  ArchiveRead *read = g_task_get_task_data (task);
  g_autoptr(CryoTrendPlot) self = g_weak_ref_get (&read->plot);
  g_autoptr(GError) error = NULL;
  g_autofree CryoHistoryColumn *cols = g_task_propagate_pointer (task, &error);
  Series *series = NULL;

  /* Cancelled: the plot, the series or the span it was for is gone, and a
   * read for the new span (if any) is under way. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  for (guint i = 0; i < self->series->len && series == NULL; i++)
    {
      Series *candidate = g_ptr_array_index (self->series, i);

      if (candidate->request != NULL && candidate->request == g_task_get_cancellable (task))
        series = candidate;
    }
  if (series == NULL)
    return;

  g_clear_object (&series->request);
  if (cols == NULL)
    {
      g_debug ("%s", error->message);
      cols = g_new (CryoHistoryColumn, read->n_columns);
      for (guint i = 0; i < read->n_columns; i++)
        cols[i] = (CryoHistoryColumn) { NAN, NAN, NAN, NAN, 0, FALSE };
    }

  g_free (series->archived);
  series->archived = g_steal_pointer (&cols);
  series->archived_n = read->n_columns;
  series->archived_begin_us = read->begin_us;
  series->archived_end_us = read->end_us;

  update_loading (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Asks a worker for the archived columns [@begin_us, @old_end_us) of
 * @series, unless that read is in flight. A read for the same zoom (the
 * view following the present moves a little each frame) is left to finish
 * and the next frame asks again; one for another zoom is cancelled. */
static void
request_archived (CryoTrendPlot *self,
                  Series        *series,
                  gint64         begin_us,
                  gint64         end_us,
                  guint          n_columns,
                  gint64         old_end_us,
                  guint          n_old)
{
  const char *id = cryo_channel_get_id (series->channel);
  const char *dot = strchr (id, '.');
  g_autoptr(GTask) task = NULL;
  ArchiveRead *read;

  if (series->request != NULL)
    {
      if (series->request_begin_us == begin_us && series->request_end_us == old_end_us &&
          series->request_n == n_old)
        return;
      if (series->request_view_span_us == end_us - begin_us && series->request_n_columns == n_columns)
        return;
      series_cancel_request (series);
    }

  read = g_new0 (ArchiveRead, 1);
  g_weak_ref_init (&read->plot, self);
  if (self->reader == NULL)
    self->reader = reader_new (cryo_archive_get_path (self->archive));
  read->reader = g_atomic_rc_box_acquire (self->reader);
  read->device_id = g_strndup (id, dot - id);
  read->key = g_strdup (dot + 1);
  read->begin_us = begin_us;
  read->end_us = old_end_us;
  read->n_columns = n_old;

  series->request = g_cancellable_new ();
  series->request_begin_us = begin_us;
  series->request_end_us = old_end_us;
  series->request_n = n_old;
  series->request_view_span_us = end_us - begin_us;
  series->request_n_columns = n_columns;

  /* No source object: the worker must never hold the last reference to
   * a widget. */
  task = g_task_new (NULL, series->request, on_archive_read_cb, NULL);
  g_task_set_source_tag (task, request_archived);
  g_task_set_task_data (task, read, archive_read_free);
  g_task_run_in_thread (task, archive_read_thread);

  update_loading (self);
}

/* The columns of @cols before the series' history begins come from the
 * archive: the view reaches further back than the live span kept in
 * memory. They are read in a worker (request_archived()); until they
 * arrive the previous read's columns stand in, each new column taking the
 * old one under its middle. */
static void
fill_from_archive (CryoTrendPlot     *self,
                   Series            *series,
                   gint64             begin_us,
                   gint64             end_us,
                   guint              n_columns,
                   CryoHistoryColumn *cols)
{
  const char *id = cryo_channel_get_id (series->channel);
  gint64 first_us, old_end_us;
  guint n_old = 0;

  if (self->archive == NULL || strchr (id, '.') == NULL)
    return;

  if (cryo_history_get_time_range (cryo_channel_get_history (series->channel), &first_us, NULL))
    {
      if (first_us <= begin_us)
        return;
      while (n_old < n_columns &&
             cryo_history_get_column_time (begin_us, end_us, n_columns, n_old + 1) <= first_us)
        n_old++;
    }
  else
    n_old = n_columns;

  if (n_old == 0)
    return;

  old_end_us = cryo_history_get_column_time (begin_us, end_us, n_columns, n_old);
  if (old_end_us <= begin_us)
    return;

  if (series->archived != NULL && series->archived_n == n_old &&
      series->archived_begin_us == begin_us && series->archived_end_us == old_end_us)
    {
      memcpy (cols, series->archived, n_old * sizeof *cols);
      return;
    }

  if (series->archived != NULL && series->archived_end_us > series->archived_begin_us)
    {
      double per_column = (double) (series->archived_end_us - series->archived_begin_us) /
                          series->archived_n;

      for (guint i = 0; i < n_old; i++)
        {
          gint64 middle = (cryo_history_get_column_time (begin_us, end_us, n_columns, i) +
                           cryo_history_get_column_time (begin_us, end_us, n_columns, i + 1)) / 2;
          double j = floor ((middle - series->archived_begin_us) / per_column);

          if (j >= 0 && j < series->archived_n)
            cols[i] = series->archived[(guint) j];
        }
    }

  request_archived (self, series, begin_us, end_us, n_columns, old_end_us, n_old);
}

/* The column of [@begin_us, @end_us] in @n_columns that holds @time_us:
 * 0 before the span, @n_columns after it. */
static guint
column_holding (gint64 begin_us,
                gint64 end_us,
                guint  n_columns,
                gint64 time_us)
{
  guint i;

  if (time_us < begin_us)
    return 0;
  if (time_us > end_us)
    return n_columns;
  if (end_us == begin_us)
    return n_columns - 1;

  i = (guint) MIN ((double) (time_us - begin_us) / (double) (end_us - begin_us) * n_columns,
                   n_columns - 1);
  while (i > 0 && cryo_history_get_column_time (begin_us, end_us, n_columns, i) > time_us)
    i--;
  while (i + 1 < n_columns && cryo_history_get_column_time (begin_us, end_us, n_columns, i + 1) <= time_us)
    i++;

  return i;
}

/* The history's columns of @series into @cols, from its cache where the
 * history did not change under them: samples appended since reach back no
 * further than the column of the previous last sample, and samples dropped
 * from a full history change nothing when they were older than the span. */
static void
series_get_columns (Series            *series,
                    gint64             begin_us,
                    gint64             end_us,
                    guint              n_columns,
                    CryoHistoryColumn *cols)
{
  const CryoHistory *history = cryo_channel_get_history (series->channel);
  guint64 appended = cryo_history_get_n_appended (history);
  guint64 dropped = appended - cryo_history_get_n_samples (history);
  gint64 first_us = 0, last_us = G_MININT64;
  guint from = 0;

  cryo_history_get_time_range (history, &first_us, &last_us);

  if (series->cached_size < n_columns)
    {
      g_free (series->cached);
      series->cached = g_new (CryoHistoryColumn, n_columns);
      series->cached_size = n_columns;
      series->cached_n = 0;
    }

  if (series->cached_n == n_columns && series->cached_begin_us == begin_us &&
      series->cached_end_us == end_us && appended >= series->cached_appended &&
      (dropped == series->cached_dropped || first_us < begin_us))
    {
      if (appended == series->cached_appended)
        from = n_columns;
      else
        from = column_holding (begin_us, end_us, n_columns, series->cached_last_us);
    }

  cryo_history_get_columns_from (history, begin_us, end_us, n_columns, from, series->cached);

  series->cached_n = n_columns;
  series->cached_begin_us = begin_us;
  series->cached_end_us = end_us;
  series->cached_appended = appended;
  series->cached_dropped = dropped;
  series->cached_last_us = last_us;

  memcpy (cols, series->cached, n_columns * sizeof *cols);
}

/* Fills the columns of every visible series and the data's extent. */
static gboolean
compute_columns (CryoTrendPlot *self,
                 gint64         begin_us,
                 gint64         end_us,
                 guint          n_columns,
                 double        *data_min,
                 double        *data_max)
{
  gboolean any = FALSE;
  guint needed = n_columns * MAX (self->series->len, 1);

  if (self->columns_len < needed)
    {
      g_free (self->columns);
      self->columns = g_new (CryoHistoryColumn, needed);
      self->columns_len = needed;
    }

  *data_min = INFINITY;
  *data_max = -INFINITY;

  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);
      CryoHistoryColumn *cols = &self->columns[s * n_columns];
      double k, o;
      gboolean flip;

      if (!series->visible)
        continue;

      series_update_transform (self, series);
      k = series->scale;
      o = series->offset;
      flip = k < 0.0;

      series_get_columns (series, begin_us, end_us, n_columns, cols);
      fill_from_archive (self, series, begin_us, end_us, n_columns, cols);

      for (guint i = 0; i < n_columns; i++)
        {
          CryoHistoryColumn *c = &cols[i];
          double lo, hi;

          if (c->n_samples == 0 || isnan (c->min))
            continue;

          c->min = c->min * k + o;
          c->max = c->max * k + o;
          c->first = c->first * k + o;
          c->last = c->last * k + o;
          if (flip)
            {
              double t = c->min;

              c->min = c->max;
              c->max = t;
            }

          lo = c->min;
          hi = c->max;
          if (self->scale == CRYO_SCALE_LOG)
            {
              if (!(hi > 0.0))
                continue;
              if (!(lo > 0.0))
                {
                  /* Some readings ≤ 0: the smallest positive one we know
                   * of in this column bounds the axis. */
                  lo = hi;
                  if (c->first > 0.0 && c->first < lo)
                    lo = c->first;
                  if (c->last > 0.0 && c->last < lo)
                    lo = c->last;
                }
            }
          if (lo < *data_min)
            *data_min = lo;
          if (hi > *data_max)
            *data_max = hi;
          any = TRUE;
        }
    }

  return any;
}

static void
update_y_ticks (CryoTrendPlot *self,
                YMap          *map)
{
  guint max_ticks = MAX (3, (guint) (map->height / Y_LABEL_SPACING));

  if (self->y_ticks != NULL &&
      self->y_ticks_scale == map->scale &&
      self->y_ticks_min == map->min &&
      self->y_ticks_max == map->max &&
      self->y_ticks_height == map->height)
    return;

  g_clear_pointer (&self->y_ticks, g_array_unref);
  if (map->scale == CRYO_SCALE_LOG)
    self->y_ticks = cryo_ticks_log (map->min, map->max,
                                    MAX (2, (guint) (map->height / 18.0)));
  else
    /* The bounds were widened to whole steps of a range asking for
     * max_ticks, which can hold one tick more: ask for it, so the step
     * stays the one the bounds were cut with. */
    self->y_ticks = cryo_ticks_linear (map->min, map->max, max_ticks + 1);
  self->y_ticks_scale = map->scale;
  self->y_ticks_min = map->min;
  self->y_ticks_max = map->max;
  self->y_ticks_height = map->height;
}

static void
update_x_ticks (CryoTrendPlot *self,
                gint64         begin_us,
                gint64         end_us,
                double         width)
{
  if (self->x_ticks != NULL &&
      self->x_ticks_begin == begin_us &&
      self->x_ticks_end == end_us &&
      self->x_ticks_width == width)
    return;

  g_clear_pointer (&self->x_ticks, g_array_unref);
  self->x_ticks = cryo_ticks_time (begin_us, end_us,
                                   MAX (2, (guint) (width / TIME_LABEL_SPACING)), NULL);
  self->x_ticks_begin = begin_us;
  self->x_ticks_end = end_us;
  self->x_ticks_width = width;
}

static double
y_labels_width (CryoTrendPlot *self)
{
  double widest = 0.0;

  for (guint i = 0; i < self->y_ticks->len; i++)
    {
      const CryoTick *tick = &g_array_index (self->y_ticks, CryoTick, i);
      double w, h;

      if (tick->label == NULL)
        continue;
      layout_size (get_layout (self, tick->label), &w, &h);
      widest = MAX (widest, w);
    }

  return widest;
}

static void
set_source_alpha (cairo_t       *cr,
                  const GdkRGBA *fg,
                  double         alpha)
{
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * alpha);
}

/* Title, then one swatch + name per series, wrapping onto more rows when
 * they do not fit (a compressor has five pressures); records the hit boxes. */
static double
draw_header (CryoTrendPlot *self,
             cairo_t       *cr,
             const GdkRGBA *fg,
             double         width)
{
  double x = PAD, y = PAD, row_height = 0.0;
  g_autofree char *title = NULL;
  const char *symbol = cryo_unit_get_label_symbol (axis_unit (self));
  gboolean qualified = spans_devices (self);

  g_array_set_size (self->legend_boxes, 0);

  /* The title and legend are widgets of the trend view. */
  if (!self->show_header)
    return PAD;

  if (self->title != NULL && self->title[0] != '\0')
    {
      if (symbol != NULL && symbol[0] != '\0')
        /* Translators: plot title with the axis unit, e.g. "Pressure (mbar)" */
        title = g_strdup_printf (_("%s (%s)"), self->title, symbol);
      else
        title = g_strdup (self->title);
    }
  else if (symbol != NULL && symbol[0] != '\0')
    title = g_strdup (symbol);

  if (title != NULL)
    {
      PangoLayout *layout = get_layout (self, title);
      double w, h;

      layout_size (layout, &w, &h);
      set_source_alpha (cr, fg, 1.0);
      cairo_move_to (cr, x, PAD);
      pango_cairo_show_layout (cr, layout);
      x += w + 2 * LEGEND_GAP;
      row_height = h;
    }

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      const char *device_name = cryo_channel_get_device_name (series->channel);
      PangoLayout *layout = get_layout (self, cryo_channel_get_label (series->channel));
      LegendBox box;
      double w, h;

      /* Series of several devices: the legend names each device once,
       * before its series (the hover readout names it on every line). */
      if (qualified && device_name != NULL &&
          (i == 0 || g_strcmp0 (device_name, cryo_channel_get_device_name (
                                  ((Series *) g_ptr_array_index (self->series, i - 1))->channel)) != 0))
        {
          /* Translators: a device's name before its series in a plot's legend, "Cryostream:" */
          g_autofree char *heading = g_strdup_printf (_("%s:"), device_name);
          PangoLayout *heading_layout = get_layout (self, heading);
          double hw, hh;

          layout_size (heading_layout, &hw, &hh);
          if (x + hw > width - PAD && x > PAD)
            {
              x = PAD;
              y += row_height + 2;
            }
          set_source_alpha (cr, fg, 0.7);
          cairo_move_to (cr, x, y);
          pango_cairo_show_layout (cr, heading_layout);
          x += hw + 4;
          row_height = MAX (row_height, hh);
        }

      layout_size (layout, &w, &h);
      if (x + SWATCH + 4 + w > width - PAD && x > PAD)
        {
          x = PAD;
          y += row_height + 2;
        }

      cairo_rectangle (cr, x, y + (h - SWATCH) / 2, SWATCH, SWATCH);
      if (series->visible)
        {
          gdk_cairo_set_source_rgba (cr, &series->color);
          cairo_fill (cr);
        }
      else
        {
          /* Hidden: an outline only. */
          cairo_new_path (cr);
          cairo_rectangle (cr, x + 0.5, y + (h - SWATCH) / 2 + 0.5, SWATCH - 1, SWATCH - 1);
          gdk_cairo_set_source_rgba (cr, &series->color);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }

      set_source_alpha (cr, fg, series->visible ? 1.0 : 0.5);
      cairo_move_to (cr, x + SWATCH + 4, y);
      pango_cairo_show_layout (cr, layout);

      box.area = GRAPHENE_RECT_INIT (x - 2, y - 2, SWATCH + 4 + w + 4, h + 4);
      box.channel = series->channel;
      g_array_append_val (self->legend_boxes, box);

      x += SWATCH + 4 + w + LEGEND_GAP;
      row_height = MAX (row_height, h);
    }

  if (row_height == 0.0)
    {
      double w;

      layout_size (get_layout (self, "0"), &w, &row_height);
    }

  return y + row_height + PAD;
}

/* A trace as a pixel column's box wherever it is drawn from one column to
 * the next (dense data: the column's min…max envelope, joined to the
 * previous column's last value), and as stroked segments only where it
 * jumps over empty columns or runs to a reading beyond the view. Boxes on
 * whole pixels take cairo's fast path for rectangles; a week of 1 Hz
 * samples is then one fill and a handful of segments, not a stroked path
 * that folds back on itself twice per column. */
static void
draw_series (CryoTrendPlot           *self,
             cairo_t                 *cr,
             Series                  *series,
             const CryoHistoryColumn *cols,
             guint                    n_columns,
             const YMap              *map,
             gint64                   begin_us,
             gint64                   end_us)
{
  const CryoHistory *history = cryo_channel_get_history (series->channel);
  double x0 = self->plot_area.origin.x;
  double box_x0 = floor (x0);
  double bottom = map->top + map->height + 1.0;
  double px_per_us = (double) n_columns / (double) MAX (end_us - begin_us, 1);
  gboolean pen = FALSE;         /* the trace goes on from (pen_x, pen_y) */
  double pen_x = 0.0, pen_y = 0.0;
  gint64 pen_column = -2;       /* the column pen_x is the middle of */
  CryoSample s;

  g_array_set_size (self->segments, 0);

  /* Join the line to the neighbours beyond the edges, unless a gap is
   * there: zoomed in, the nearest readings are often outside the view. */
  if (cryo_history_find_before (history, begin_us, &s))
    {
      double v = s.value * series->scale + series->offset;

      if (drawable (map->scale, v))
        {
          pen_x = x0 + (s.time_us - begin_us) * px_per_us;
          pen_y = snap (y_of (map, v));
          pen = TRUE;
        }
    }

  for (guint i = 0; i < n_columns; i++)
    {
      const CryoHistoryColumn *c = &cols[i];
      double x, ya, yb, yf, yl, top, low;
      double lo, first, last;

      if (c->n_samples == 0)
        continue;

      if (c->has_gap)
        pen = FALSE;

      if (isnan (c->min) || !drawable (map->scale, c->max))
        {
          pen = FALSE;
          continue;
        }

      lo = c->min;
      first = c->first;
      last = c->last;
      if (map->scale == CRYO_SCALE_LOG)
        {
          /* Non-positive readings have no place on a log axis. */
          if (!(first > 0.0))
            first = c->max;
          if (!(last > 0.0))
            last = c->max;
        }

      x = x0 + i + 0.5;
      yf = snap (y_of (map, first));
      yl = snap (y_of (map, last));
      yb = snap (y_of (map, c->max));
      ya = lo > 0.0 || map->scale != CRYO_SCALE_LOG ? snap (y_of (map, lo)) : bottom;

      /* The column's envelope, from its first to its last value. */
      top = MIN (MIN (yf, yl), MIN (ya, yb));
      low = MAX (MAX (yf, yl), MAX (ya, yb));

      if (pen && pen_column == (gint64) i - 1)
        {
          /* From the previous column: part of this column's box. */
          top = MIN (top, pen_y);
          low = MAX (low, pen_y);
        }
      else if (pen)
        {
          double segment[4] = { pen_x, pen_y, x, yf };

          g_array_append_vals (self->segments, segment, 4);
        }

      cairo_rectangle (cr, box_x0 + i, floor (top), 1.0, floor (low) - floor (top) + 1.0);

      /* A gap in the column: the next column starts afresh. */
      pen = !c->has_gap;
      pen_x = x;
      pen_y = yl;
      pen_column = i;
    }

  if (pen && cryo_history_find_after (history, end_us, &s))
    {
      double v = s.value * series->scale + series->offset;

      if (drawable (map->scale, v))
        {
          double segment[4] = { pen_x, pen_y, x0 + (s.time_us - begin_us) * px_per_us,
                                snap (y_of (map, v)) };

          g_array_append_vals (self->segments, segment, 4);
        }
    }

  gdk_cairo_set_source_rgba (cr, &series->color);
  cairo_fill (cr);

  if (self->segments->len == 0)
    return;

  for (guint i = 0; i + 3 < self->segments->len; i += 4)
    {
      const double *segment = &g_array_index (self->segments, double, i);

      cairo_move_to (cr, segment[0], segment[1]);
      cairo_line_to (cr, segment[2], segment[3]);
    }
  cairo_stroke (cr);
}


/* The phase in force at the end of each pixel column, joined into runs.
 * One history query per column at most, so O(pixel columns) like the
 * traces. A phase lasts from its sample to the next one; after the newest
 * sample, or at a NaN (not running, no reading), there is none. */
static void
compute_phase_runs (CryoTrendPlot *self,
                    gint64         begin_us,
                    gint64         end_us,
                    guint          n_columns)
{
  g_autofree CryoHistoryColumn *cols = g_new (CryoHistoryColumn, n_columns);

  g_array_set_size (self->phase_runs, 0);
  self->runs_begin_us = begin_us;
  self->runs_end_us = end_us;
  self->runs_n_columns = n_columns;

  for (guint p = 0; p < self->phases->len; p++)
    {
      CryoChannel *channel = g_ptr_array_index (self->phases, p);
      const CryoHistory *history = cryo_channel_get_history (channel);
      const char *current = NULL;
      double value = NAN;
      gint64 newest_us;
      CryoSample s;
      PhaseRun run = { 0 };

      if (!cryo_history_get_time_range (history, NULL, &newest_us))
        continue;
      if (cryo_history_find_before (history, begin_us + 1, &s))
        value = s.value;

      for (guint i = 0; i < n_columns; i++)
        {
          const CryoHistoryColumn *c = &cols[i];
          gint64 column_end = cryo_history_get_column_time (begin_us, end_us, n_columns, i + 1);
          const char *label;

          if (i == 0)
            cryo_history_get_columns (history, begin_us, end_us, n_columns, cols);

          if (c->n_samples > 0)
            {
              /* With a NaN in the column, its last sample decides. */
              if (!c->has_gap)
                value = c->last;
              else if (cryo_history_find_before (history, column_end, &s))
                value = s.value;
            }
          else if (cryo_history_get_column_time (begin_us, end_us, n_columns, i) > newest_us)
            value = NAN;

          label = cryo_channel_lookup_phase (channel, value);
          if (current != NULL && (label == NULL || (int) value != run.value))
            {
              run.end_column = i;
              g_array_append_val (self->phase_runs, run);
              current = NULL;
            }
          if (label != NULL && current == NULL)
            {
              run.channel = channel;
              run.first_column = i;
              run.value = (int) value;
              run.label = g_dgettext (GETTEXT_PACKAGE, label);
              current = label;
            }
        }

      if (current != NULL)
        {
          run.end_column = n_columns;
          g_array_append_val (self->phase_runs, run);
        }
    }
}

/* Light tints of the GNOME palette, told apart by the phase code. */
static const GdkRGBA phase_tints[] = {
  { 0.384, 0.627, 0.918, 1.0 },   /* blue 2 */
  { 0.341, 0.890, 0.537, 1.0 },   /* green 2 */
  { 1.000, 0.639, 0.282, 1.0 },   /* orange 2 */
  { 0.753, 0.380, 0.796, 1.0 },   /* purple 2 */
  { 0.973, 0.894, 0.361, 1.0 },   /* yellow 2 */
  { 0.929, 0.200, 0.231, 1.0 },   /* red 2 */
  { 0.804, 0.671, 0.561, 1.0 },   /* brown 2 */
};

/* Bands behind the traces: each phase channel gets a horizontal strip of
 * the plot (all of it when there is one), a tint per phase, a rule where a
 * phase starts and its name when the band is wide enough. */
static void
draw_phases (CryoTrendPlot *self,
             cairo_t       *cr,
             const GdkRGBA *fg)
{
  const graphene_rect_t *a = &self->plot_area;
  guint n_strips = self->phases->len;

  if (self->phase_runs->len == 0)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, a->origin.x, a->origin.y, a->size.width, a->size.height);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.0);

  for (guint i = 0; i < self->phase_runs->len; i++)
    {
      const PhaseRun *run = &g_array_index (self->phase_runs, PhaseRun, i);
      const GdkRGBA *tint = &phase_tints[(guint) ABS (run->value) % G_N_ELEMENTS (phase_tints)];
      double strip_h = a->size.height / n_strips;
      double x = a->origin.x + run->first_column;
      double w = run->end_column - run->first_column;
      double y = a->origin.y;
      guint strip = 0;
      PangoLayout *layout;
      double lw, lh;

      for (guint p = 0; p < n_strips; p++)
        if (g_ptr_array_index (self->phases, p) == run->channel)
          strip = p;
      y += floor (strip * strip_h);

      cairo_rectangle (cr, x, y, w, ceil (strip_h));
      cairo_set_source_rgba (cr, tint->red, tint->green, tint->blue, 0.16);
      cairo_fill (cr);

      if (run->first_column > 0)
        {
          cairo_move_to (cr, snap (x), y);
          cairo_line_to (cr, snap (x), y + strip_h);
          cairo_set_source_rgba (cr, tint->red, tint->green, tint->blue, 0.6);
          cairo_stroke (cr);
        }

      layout = get_layout (self, run->label);
      layout_size (layout, &lw, &lh);
      if (lw + 2 * 4 <= w && lh + 4 <= strip_h)
        {
          set_source_alpha (cr, fg, 0.55);
          cairo_move_to (cr, round (x + 4), round (y + strip_h - lh - 2));
          pango_cairo_show_layout (cr, layout);
        }
    }

  cairo_restore (cr);
}

static void
draw_hover (CryoTrendPlot *self,
            cairo_t       *cr,
            const GdkRGBA *fg)
{
  const graphene_rect_t *a = &self->plot_area;
  g_autofree char *text = NULL;
  PangoLayout *layout;
  double x = self->hover_x, w, h, bx, by;

  if (x < a->origin.x || x > a->origin.x + a->size.width)
    return;

  cairo_save (cr);
  set_source_alpha (cr, fg, 0.6);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, snap (x), a->origin.y);
  cairo_line_to (cr, snap (x), a->origin.y + a->size.height);
  cairo_stroke (cr);

  text = cryo_trend_plot_get_hover_text (self, cryo_trend_plot_get_time_at_x (self, x));
  /* The readout changes with every pointer move: not worth caching. */
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  layout_size (layout, &w, &h);

  bx = x + 8;
  if (bx + w + 2 * PAD > a->origin.x + a->size.width)
    bx = x - 8 - w - 2 * PAD;
  by = a->origin.y + PAD;

  cairo_rectangle (cr, bx, by, w + 2 * PAD, h + 2 * PAD);
  cairo_set_source_rgba (cr, 1.0 - fg->red, 1.0 - fg->green, 1.0 - fg->blue, 0.85);
  cairo_fill_preserve (cr);
  set_source_alpha (cr, fg, 0.3);
  cairo_stroke (cr);

  set_source_alpha (cr, fg, 1.0);
  cairo_move_to (cr, bx + PAD, by + PAD);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
  cairo_restore (cr);
}

/* Half the width of an event marker, and how near the pointer must be. */
#define MARKER_HALF 4.0

/* Actions and alarms are marked; connection and session events are in
 * the Event Log only. */
static gboolean
is_marked (CryoEvent *event)
{
  switch (cryo_event_get_kind (event))
    {
    case CRYO_EVENT_KIND_ACTION:
    case CRYO_EVENT_KIND_ACTION_RESULT:
    case CRYO_EVENT_KIND_ALARM_RAISED:
    case CRYO_EVENT_KIND_ALARM_CLEARED:
    case CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED:
      return TRUE;

    case CRYO_EVENT_KIND_CONNECTION_LOST:
    case CRYO_EVENT_KIND_CONNECTION_RESTORED:
    case CRYO_EVENT_KIND_MONITORING_STARTED:
    case CRYO_EVENT_KIND_MONITORING_STOPPED:
    case CRYO_EVENT_KIND_CONFIGURATION_CHANGED:
    default:
      return FALSE;
    }
}

/* The first event at or after @time_us (binary search of the time-ordered
 * model), so drawing costs the visible events only. */
static guint
first_event_at (GListModel *events,
                gint64      time_us)
{
  guint lo = 0, hi = g_list_model_get_n_items (events);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr(CryoEvent) event = g_list_model_get_item (events, mid);

      if (cryo_event_get_time_us (event) < time_us)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* Small triangles on the time axis, pointing up at the traces: alarms in
 * the error colour, warnings in the warning colour, the rest in the
 * foreground's. One per pixel column and colour. */
static void
draw_markers (CryoTrendPlot *self,
              cairo_t       *cr,
              const GdkRGBA *fg,
              gint64         begin,
              gint64         end)
{
  const graphene_rect_t *a = &self->plot_area;
  const GdkRGBA alarm = { 0.88, 0.11, 0.14, 1.0 };
  const GdkRGBA warning = { 0.90, 0.65, 0.04, 1.0 };
  double bottom = a->origin.y + a->size.height;
  double last_x[3] = { -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  guint n;

  if (self->events == NULL || end <= begin)
    return;

  n = g_list_model_get_n_items (self->events);
  cairo_save (cr);
  for (guint i = first_event_at (self->events, begin); i < n; i++)
    {
      g_autoptr(CryoEvent) event = g_list_model_get_item (self->events, i);
      CryoEventSeverity severity = cryo_event_get_severity (event);
      gint64 t = cryo_event_get_time_us (event);
      guint tone;
      double x;

      if (t > end)
        break;
      if (!is_marked (event))
        continue;

      tone = severity >= CRYO_EVENT_SEVERITY_ALARM ? 2 : severity == CRYO_EVENT_SEVERITY_WARNING ? 1 : 0;
      x = round (a->origin.x + (t - begin) / (double) (end - begin) * a->size.width);
      if (x == last_x[tone])
        continue;
      last_x[tone] = x;

      if (tone == 2)
        gdk_cairo_set_source_rgba (cr, &alarm);
      else if (tone == 1)
        gdk_cairo_set_source_rgba (cr, &warning);
      else
        set_source_alpha (cr, fg, 0.7);
      cairo_move_to (cr, x, bottom - 2 * MARKER_HALF);
      cairo_line_to (cr, x + MARKER_HALF, bottom);
      cairo_line_to (cr, x - MARKER_HALF, bottom);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

static gboolean
cryo_trend_plot_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_tooltip,
                               GtkTooltip *tooltip)
{
  CryoTrendPlot *self = CRYO_TREND_PLOT (widget);
  g_autofree char *text = NULL;

  if (keyboard_tooltip)
    return FALSE;

  text = cryo_trend_plot_dup_marker_text (self, x, y);
  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
draw_empty (CryoTrendPlot *self,
            cairo_t       *cr,
            const GdkRGBA *fg)
{
  const graphene_rect_t *a = &self->plot_area;
  PangoLayout *layout = get_layout (self, _("Waiting for readings…"));
  double w, h;

  layout_size (layout, &w, &h);
  set_source_alpha (cr, fg, 0.55);
  cairo_move_to (cr,
                 round (a->origin.x + (a->size.width - w) / 2),
                 round (a->origin.y + (a->size.height - h) / 2));
  pango_cairo_show_layout (cr, layout);
}

static void
cryo_trend_plot_redraw_cb (gpointer data)
{
  CryoTrendPlot *self = data;

  self->redraw_source = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
cryo_trend_plot_scroll_cb (CryoTrendPlot            *self,
                           double                    dx,
                           double                    dy,
                           GtkEventControllerScroll *controller)
{
  /* The motion controller keeps the pointer position; without one, zoom
   * around the right edge. */
  double x = self->hover_x >= 0.0
    ? self->hover_x
    : self->plot_area.origin.x + self->plot_area.size.width;

  if (dy == 0.0)
    return FALSE;

  cryo_trend_plot_zoom (self, pow (ZOOM_STEP, dy), cryo_trend_plot_get_time_at_x (self, x));

  return TRUE;
}

static void
cryo_trend_plot_motion_cb (CryoTrendPlot            *self,
                           double                    x,
                           double                    y,
                           GtkEventControllerMotion *controller)
{
  self->hover_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cryo_trend_plot_leave_cb (CryoTrendPlot            *self,
                          GtkEventControllerMotion *controller)
{
  self->hover_x = -1.0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cryo_trend_plot_drag_begin_cb (CryoTrendPlot  *self,
                               double          x,
                               double          y,
                               GtkGestureDrag *gesture)
{
  gint64 begin, end;

  visible_range (self, &begin, &end);
  self->drag_start_end_us = end;
  /* Live with little data, the view is shorter than the span: a drag
   * moves what is shown. */
  self->drag_start_span_us = end - begin;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
cryo_trend_plot_drag_update_cb (CryoTrendPlot  *self,
                                double          offset_x,
                                double          offset_y,
                                GtkGestureDrag *gesture)
{
  double width = MAX (self->plot_area.size.width, 1.0);
  gint64 end;

  if (offset_x == 0.0)
    return;

  end = self->drag_start_end_us - (gint64) (offset_x / width * (double) self->drag_start_span_us);

  g_object_freeze_notify (G_OBJECT (self));
  cryo_trend_plot_set_span (self, self->drag_start_span_us);
  cryo_trend_plot_set_view_end (self, end);
  cryo_trend_plot_set_follow (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
cryo_trend_plot_pressed_cb (CryoTrendPlot  *self,
                            int             n_press,
                            double          x,
                            double          y,
                            GtkGestureClick *gesture)
{
  for (guint i = 0; i < self->legend_boxes->len; i++)
    {
      const LegendBox *box = &g_array_index (self->legend_boxes, LegendBox, i);

      if (graphene_rect_contains_point (&box->area, &GRAPHENE_POINT_INIT (x, y)))
        {
          cryo_trend_plot_set_series_visible (self, box->channel,
                                              !cryo_trend_plot_get_series_visible (self, box->channel));
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
          return;
        }
    }

  if (n_press == 2)
    cryo_trend_plot_set_follow (self, TRUE);
}

/* Zoom and pan by keyboard: plus/minus zoom around the middle (the right
 * edge while live), arrows move by a tenth of the view, Home goes to the
 * oldest reading and End back to live. */
static gboolean
cryo_trend_plot_key_pressed_cb (CryoTrendPlot         *self,
                                guint                  keyval,
                                guint                  keycode,
                                GdkModifierType        state,
                                GtkEventControllerKey *controller)
{
  gint64 begin, end, anchor;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;

  visible_range (self, &begin, &end);
  anchor = self->follow ? end : begin + (end - begin) / 2;

  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      cryo_trend_plot_zoom (self, 1.0 / KEY_ZOOM_STEP, anchor);
      return TRUE;

    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      cryo_trend_plot_zoom (self, KEY_ZOOM_STEP, anchor);
      return TRUE;

    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      cryo_trend_plot_pan (self, -(end - begin) / 10);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      if (!self->follow)
        cryo_trend_plot_pan (self, (end - begin) / 10);
      return TRUE;

    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      {
        gint64 oldest = self->origin_us;

        if (oldest == 0)
          {
            for (guint i = 0; i < self->series->len; i++)
              {
                Series *series = g_ptr_array_index (self->series, i);
                gint64 first;

                if (cryo_history_get_time_range (cryo_channel_get_history (series->channel), &first, NULL))
                  oldest = oldest == 0 ? first : MIN (oldest, first);
              }
          }
        if (oldest == 0)
          return TRUE;
        cryo_trend_plot_set_span (self, end - begin);
        cryo_trend_plot_set_view_end (self, oldest + (end - begin));
        cryo_trend_plot_set_follow (self, FALSE);
      }
      return TRUE;

    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      cryo_trend_plot_set_follow (self, TRUE);
      return TRUE;

    default:
      return FALSE;
    }
}

static void
cryo_trend_plot_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 600;
    }
  else
    {
      *minimum = 120;
      *natural = 240;
    }
}

static void
cryo_trend_plot_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  CryoTrendPlot *self = CRYO_TREND_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cryo_trend_plot_draw (self, cr, width, height);
  cairo_destroy (cr);
}

static void
cryo_trend_plot_unmap (GtkWidget *widget)
{
  CryoTrendPlot *self = CRYO_TREND_PLOT (widget);

  g_clear_handle_id (&self->redraw_source, g_source_remove);

  GTK_WIDGET_CLASS (cryo_trend_plot_parent_class)->unmap (widget);
}

static void
cryo_trend_plot_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  CryoTrendPlot *self = CRYO_TREND_PLOT (widget);

  GTK_WIDGET_CLASS (cryo_trend_plot_parent_class)->css_changed (widget, change);

  /* Fonts may have changed: the cached layouts are stale. */
  g_hash_table_remove_all (self->layouts);
  invalidate_layout (self);
}

static void
cryo_trend_plot_dispose (GObject *object)
{
  CryoTrendPlot *self = (CryoTrendPlot *)object;

  g_clear_handle_id (&self->redraw_source, g_source_remove);
  /* Freeing a series cancels its archive read. */
  if (self->series != NULL)
    g_ptr_array_set_size (self->series, 0);
  if (self->legend_boxes != NULL)
    g_array_set_size (self->legend_boxes, 0);
  if (self->events != NULL)
    g_signal_handlers_disconnect_by_func (self->events, gtk_widget_queue_draw, self);
  g_clear_object (&self->events);

  G_OBJECT_CLASS (cryo_trend_plot_parent_class)->dispose (object);
}

static void
cryo_trend_plot_finalize (GObject *object)
{
  CryoTrendPlot *self = (CryoTrendPlot *)object;

  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->phases, g_ptr_array_unref);
  g_clear_pointer (&self->phase_runs, g_array_unref);
  g_clear_pointer (&self->legend_boxes, g_array_unref);
  g_clear_pointer (&self->layouts, g_hash_table_unref);
  g_clear_pointer (&self->y_ticks, g_array_unref);
  g_clear_pointer (&self->x_ticks, g_array_unref);
  g_clear_pointer (&self->columns, g_free);
  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_object (&self->archive);
  g_clear_pointer (&self->reader, reader_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->accessible_description, g_free);

  G_OBJECT_CLASS (cryo_trend_plot_parent_class)->finalize (object);
}

static void
cryo_trend_plot_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CryoTrendPlot *self = CRYO_TREND_PLOT (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      g_value_set_enum (value, self->scale);
      break;

    case PROP_DISPLAY_UNIT:
      g_value_set_enum (value, self->display_unit);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;

    case PROP_SPAN:
      g_value_set_int64 (value, self->span_us);
      break;

    case PROP_VIEW_END:
      g_value_set_int64 (value, self->view_end_us);
      break;

    case PROP_ORIGIN:
      g_value_set_int64 (value, self->origin_us);
      break;

    case PROP_SHOW_TIME_LABELS:
      g_value_set_boolean (value, self->show_time_labels);
      break;

    case PROP_AXIS_WIDTH:
      g_value_set_double (value, self->natural_axis_width);
      break;

    case PROP_MIN_AXIS_WIDTH:
      g_value_set_double (value, self->min_left_margin);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_trend_plot_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CryoTrendPlot *self = CRYO_TREND_PLOT (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      cryo_trend_plot_set_scale (self, g_value_get_enum (value));
      break;

    case PROP_DISPLAY_UNIT:
      cryo_trend_plot_set_display_unit (self, g_value_get_enum (value));
      break;

    case PROP_TITLE:
      cryo_trend_plot_set_title (self, g_value_get_string (value));
      break;

    case PROP_FOLLOW:
      cryo_trend_plot_set_follow (self, g_value_get_boolean (value));
      break;

    case PROP_SPAN:
      cryo_trend_plot_set_span (self, g_value_get_int64 (value));
      break;

    case PROP_VIEW_END:
      cryo_trend_plot_set_view_end (self, g_value_get_int64 (value));
      break;

    case PROP_ORIGIN:
      cryo_trend_plot_set_origin (self, g_value_get_int64 (value));
      break;

    case PROP_SHOW_TIME_LABELS:
      cryo_trend_plot_set_show_time_labels (self, g_value_get_boolean (value));
      break;

    case PROP_MIN_AXIS_WIDTH:
      if (self->min_left_margin != g_value_get_double (value))
        {
          self->min_left_margin = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_trend_plot_class_init (CryoTrendPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cryo_trend_plot_dispose;
  object_class->finalize = cryo_trend_plot_finalize;
  object_class->get_property = cryo_trend_plot_get_property;
  object_class->set_property = cryo_trend_plot_set_property;

  widget_class->measure = cryo_trend_plot_measure;
  widget_class->snapshot = cryo_trend_plot_snapshot;
  widget_class->unmap = cryo_trend_plot_unmap;
  widget_class->css_changed = cryo_trend_plot_css_changed;
  widget_class->query_tooltip = cryo_trend_plot_query_tooltip;

  /**
   * CryoTrendPlot:scale:
   *
   * Log (vacuum pressure, decades labelled 10ⁿ) or linear y axis.
   */
  properties [PROP_SCALE] =
    g_param_spec_enum ("scale", NULL, NULL,
                       CRYO_TYPE_SCALE,
                       CRYO_SCALE_LINEAR,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:display-unit:
   *
   * The unit of the y axis and the hover readout.  Series whose channel
   * measures the same quantity are converted into it; others, and all
   * when it is %CRYO_UNIT_NONE, are drawn in their channel's unit.
   */
  properties [PROP_DISPLAY_UNIT] =
    g_param_spec_enum ("display-unit", NULL, NULL,
                       CRYO_TYPE_UNIT,
                       CRYO_UNIT_NONE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:title:
   *
   * Shown top-left with the unit symbol, e.g. "Pressure (mbar)".
   */
  properties [PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:follow:
   *
   * Live follow: the right edge is "now" and moves with each redraw.
   * Panning turns it off; a double-click turns it back on.  Turning it off
   * freezes the view where it is (sets #CryoTrendPlot:view-end to now).
   */
  properties [PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:span:
   *
   * Visible width of the time axis in µs, at least 10 s.
   */
  properties [PROP_SPAN] =
    g_param_spec_int64 ("span", NULL, NULL,
                        CRYO_TREND_PLOT_MIN_SPAN, G_MAXINT64 / 4,
                        CRYO_TREND_PLOT_DEFAULT_SPAN,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:view-end:
   *
   * Wall-clock time of the right edge (µs since the Unix epoch) while not
   * following; ignored while #CryoTrendPlot:follow is %TRUE.
   */
  properties [PROP_VIEW_END] =
    g_param_spec_int64 ("view-end", NULL, NULL,
                        0, G_MAXINT64 / 2, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:show-time-labels:
   *
   * Whether the time axis is labelled (the bottom plot of a stack).
   */
  properties [PROP_SHOW_TIME_LABELS] =
    g_param_spec_boolean ("show-time-labels", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:axis-width:
   *
   * The width in pixels the y axis (labels and ticks) needed in the last
   * frame, whatever :min-axis-width adds: plots stacked on one time axis
   * take the widest of theirs as their :min-axis-width, so their time axes
   * line up, and narrow again when the widest labels go.
   */
  properties [PROP_AXIS_WIDTH] =
    g_param_spec_double ("axis-width", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:min-axis-width:
   *
   * The y axis is at least this wide: set to the widest :axis-width of a
   * stack of plots so that their time axes line up.
   */
  /**
   * CryoTrendPlot:origin:
   *
   * The time of the oldest reading (µs since the Unix epoch), 0 when not
   * known.  While following, the view does not begin before it: with less
   * data than #CryoTrendPlot:span, the data fills the width.  Home moves
   * the view there.
   */
  properties [PROP_ORIGIN] =
    g_param_spec_int64 ("origin", NULL, NULL,
                        0, G_MAXINT64 / 2, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MIN_AXIS_WIDTH] =
    g_param_spec_double ("min-axis-width", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoTrendPlot:loading:
   *
   * Whether columns of the archive are being read for the span shown (in
   * a worker thread; the plot draws what it has meanwhile and redraws when
   * they arrive). Notified in the main thread.
   */
  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CryoTrendPlot::series-visibility-changed:
   * @self: the plot
   * @channel: the series' channel
   * @visible: its new visibility
   *
   * Emitted (main thread) when a series is shown or hidden, by a click on
   * its legend entry or by cryo_trend_plot_set_series_visible().
   */
  signals [SERIES_VISIBILITY_CHANGED] =
    g_signal_new ("series-visibility-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CRYO_TYPE_CHANNEL, G_TYPE_BOOLEAN);

  gtk_widget_class_set_css_name (widget_class, "trendplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

/* The plot's name for a screen reader, "Pressure plot"; what it shows is
 * its description (cryo_trend_plot_update_accessible()). */
static void
update_accessible_label (CryoTrendPlot *self)
{
  g_autofree char *label = NULL;

  if (self->title != NULL && self->title[0] != '\0')
    /* Translators: a plot's accessible name, "Pressure plot" */
    label = g_strdup_printf (_("%s plot"), self->title);
  else
    label = g_strdup (_("Plot"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
cryo_trend_plot_init (CryoTrendPlot *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->series = g_ptr_array_new_with_free_func (series_free);
  self->phases = g_ptr_array_new_with_free_func (g_object_unref);
  self->phase_runs = g_array_new (FALSE, FALSE, sizeof (PhaseRun));
  self->legend_boxes = g_array_new (FALSE, FALSE, sizeof (LegendBox));
  self->segments = g_array_new (FALSE, FALSE, sizeof (double));
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->scale = CRYO_SCALE_LINEAR;
  self->display_unit = CRYO_UNIT_NONE;
  self->follow = TRUE;
  self->span_us = CRYO_TREND_PLOT_DEFAULT_SPAN;
  self->show_time_labels = TRUE;
  self->show_header = TRUE;
  self->hover_x = -1.0;
  self->left_margin = 48.0;
  update_accessible_label (self);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (cryo_trend_plot_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (cryo_trend_plot_motion_cb), self);
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (cryo_trend_plot_motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (cryo_trend_plot_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (cryo_trend_plot_drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (cryo_trend_plot_drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (cryo_trend_plot_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (cryo_trend_plot_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

/**
 * cryo_trend_plot_new:
 *
 * Creates an empty plot: linear scale, following, 10 minutes visible.
 *
 * Returns: (transfer floating): a new #CryoTrendPlot
 */
GtkWidget *
cryo_trend_plot_new (void)
{
  return g_object_new (CRYO_TYPE_TREND_PLOT, NULL);
}

/**
 * cryo_trend_plot_add_series:
 * @self: a plot
 * @channel: the channel to draw; its label names the legend entry and its
 *   history (values in its canonical unit) supplies the data
 * @color: the line colour
 *
 * Adds a visible series.  Adding a channel twice only updates its colour.
 */
void
cryo_trend_plot_add_series (CryoTrendPlot *self,
                            CryoChannel   *channel,
                            const GdkRGBA *color)
{
  Series *series;

  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (CRYO_IS_CHANNEL (channel));
  g_return_if_fail (color != NULL);

  series = find_series (self, channel);
  if (series == NULL)
    {
      series = g_new0 (Series, 1);
      series->channel = g_object_ref (channel);
      series->visible = TRUE;
      g_ptr_array_add (self->series, series);
    }
  series->color = *color;
  series_update_transform (self, series);

  invalidate_layout (self);
}

/**
 * cryo_trend_plot_remove_all_series:
 * @self: a plot
 *
 * Removes every series.
 */
void
cryo_trend_plot_remove_all_series (CryoTrendPlot *self)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  g_array_set_size (self->legend_boxes, 0);
  g_ptr_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->phases, 0);
  g_array_set_size (self->phase_runs, 0);
  update_loading (self);
  invalidate_layout (self);
}

/**
 * cryo_trend_plot_remove_series:
 * @self: a plot
 * @channel: a channel added with cryo_trend_plot_add_series()
 *
 * Stops drawing @channel (its device was disconnected for good); does
 * nothing if it was not drawn.
 */
void
cryo_trend_plot_remove_series (CryoTrendPlot *self,
                               CryoChannel   *channel)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (CRYO_IS_CHANNEL (channel));

  if (g_ptr_array_remove (self->phases, channel))
    {
      g_array_set_size (self->phase_runs, 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);

      if (series->channel == channel)
        {
          g_array_set_size (self->legend_boxes, 0);
          g_ptr_array_remove_index (self->series, i);
          update_loading (self);
          invalidate_layout (self);
          return;
        }
    }
}

/**
 * cryo_trend_plot_add_phases:
 * @self: a plot
 * @channel: a channel with phases (cryo_channel_get_phases()), whose
 *   samples are phase codes
 *
 * Draws the phases of @channel as labelled bands behind the traces, for
 * the live view and for history alike; with several such channels each
 * gets a strip of the plot's height. The hover readout names the phase.
 * Adding a channel twice does nothing. cryo_trend_plot_remove_series()
 * and cryo_trend_plot_remove_all_series() remove it too.
 */
void
cryo_trend_plot_add_phases (CryoTrendPlot *self,
                            CryoChannel   *channel)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (CRYO_IS_CHANNEL (channel));
  g_return_if_fail (cryo_channel_get_phases (channel) != NULL);

  if (g_ptr_array_find (self->phases, channel, NULL))
    return;

  g_ptr_array_add (self->phases, g_object_ref (channel));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cryo_trend_plot_get_n_phases:
 * @self: a plot
 *
 * Returns: how many phase channels it draws as bands
 */
guint
cryo_trend_plot_get_n_phases (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), 0);

  return self->phases->len;
}

/**
 * cryo_trend_plot_dup_phase_bands:
 * @self: a plot
 *
 * The bands of the last frame drawn (cryo_trend_plot_draw()), oldest
 * first per phase channel, their ends at the resolution of the frame's
 * pixel columns.
 *
 * Returns: (transfer full) (element-type CryoPhaseBand): the bands; free
 *   with g_array_unref()
 */
GArray *
cryo_trend_plot_dup_phase_bands (CryoTrendPlot *self)
{
  GArray *bands;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), NULL);

  bands = g_array_sized_new (FALSE, FALSE, sizeof (CryoPhaseBand), self->phase_runs->len);
  for (guint i = 0; i < self->phase_runs->len; i++)
    {
      const PhaseRun *run = &g_array_index (self->phase_runs, PhaseRun, i);
      CryoPhaseBand band = {
        .channel = run->channel,
        .begin_us = cryo_history_get_column_time (self->runs_begin_us, self->runs_end_us,
                                                  self->runs_n_columns, run->first_column),
        .end_us = cryo_history_get_column_time (self->runs_begin_us, self->runs_end_us,
                                                self->runs_n_columns, run->end_column),
        .value = run->value,
        .label = run->label,
      };

      g_array_append_val (bands, band);
    }

  return bands;
}

/**
 * cryo_trend_plot_get_n_series:
 * @self: a plot
 *
 * Returns: how many series were added
 */
guint
cryo_trend_plot_get_n_series (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), 0);

  return self->series->len;
}

/**
 * cryo_trend_plot_set_series_visible:
 * @self: a plot
 * @channel: a channel added with cryo_trend_plot_add_series()
 * @visible: whether to draw it
 *
 * Shows or hides a series (its legend entry stays, dimmed).  Emits
 * #CryoTrendPlot::series-visibility-changed when that changes.
 */
void
cryo_trend_plot_set_series_visible (CryoTrendPlot *self,
                                    CryoChannel   *channel,
                                    gboolean       visible)
{
  Series *series;

  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (CRYO_IS_CHANNEL (channel));

  series = find_series (self, channel);
  g_return_if_fail (series != NULL);

  visible = !!visible;
  if (series->visible == visible)
    return;

  series->visible = visible;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals [SERIES_VISIBILITY_CHANGED], 0, channel, visible);
}

/**
 * cryo_trend_plot_get_series_visible:
 * @self: a plot
 * @channel: a channel
 *
 * Returns: whether @channel is a series of @self and drawn
 */
gboolean
cryo_trend_plot_get_series_visible (CryoTrendPlot *self,
                                    CryoChannel   *channel)
{
  Series *series;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), FALSE);

  series = find_series (self, channel);

  return series != NULL && series->visible;
}

/**
 * cryo_trend_plot_get_scale:
 * @self: a plot
 *
 * Returns: the y axis scale
 */
CryoScale
cryo_trend_plot_get_scale (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), CRYO_SCALE_LINEAR);

  return self->scale;
}

/**
 * cryo_trend_plot_set_scale:
 * @self: a plot
 * @scale: log or linear y axis
 *
 * Sets #CryoTrendPlot:scale.
 */
void
cryo_trend_plot_set_scale (CryoTrendPlot *self,
                           CryoScale      scale)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (scale == CRYO_SCALE_LINEAR || scale == CRYO_SCALE_LOG);

  if (self->scale == scale)
    return;

  self->scale = scale;
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCALE]);
}

/**
 * cryo_trend_plot_get_display_unit:
 * @self: a plot
 *
 * Returns: the unit of the y axis, %CRYO_UNIT_NONE for the channels' own
 */
CryoUnit
cryo_trend_plot_get_display_unit (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), CRYO_UNIT_NONE);

  return self->display_unit;
}

/**
 * cryo_trend_plot_set_display_unit:
 * @self: a plot
 * @unit: the unit to show values in (e.g. %CRYO_UNIT_MBAR)
 *
 * Sets #CryoTrendPlot:display-unit.
 */
void
cryo_trend_plot_set_display_unit (CryoTrendPlot *self,
                                  CryoUnit       unit)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  if (self->display_unit == unit)
    return;

  self->display_unit = unit;
  for (guint i = 0; i < self->series->len; i++)
    series_update_transform (self, g_ptr_array_index (self->series, i));
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISPLAY_UNIT]);
}

/**
 * cryo_trend_plot_get_title:
 * @self: a plot
 *
 * Returns: (nullable): the title
 */
const char *
cryo_trend_plot_get_title (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), NULL);

  return self->title;
}

/**
 * cryo_trend_plot_set_title:
 * @self: a plot
 * @title: (nullable): a translated title ("Pressure")
 *
 * Sets #CryoTrendPlot:title.
 */
void
cryo_trend_plot_set_title (CryoTrendPlot *self,
                           const char    *title)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TITLE]);
}

/**
 * cryo_trend_plot_get_follow:
 * @self: a plot
 *
 * Returns: whether the plot follows the present
 */
gboolean
cryo_trend_plot_get_follow (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), FALSE);

  return self->follow;
}

/**
 * cryo_trend_plot_set_follow:
 * @self: a plot
 * @follow: %TRUE to keep the right edge at "now"
 *
 * Sets #CryoTrendPlot:follow.  Turning it off keeps the view where it is.
 */
void
cryo_trend_plot_set_follow (CryoTrendPlot *self,
                            gboolean       follow)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  follow = !!follow;
  if (self->follow == follow)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (!follow && self->view_end_us == 0)
    cryo_trend_plot_set_view_end (self, now_us ());
  self->follow = follow;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FOLLOW]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * cryo_trend_plot_get_span:
 * @self: a plot
 *
 * Returns: the visible time span, µs
 */
gint64
cryo_trend_plot_get_span (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), 0);

  return self->span_us;
}

/**
 * cryo_trend_plot_set_span:
 * @self: a plot
 * @span_us: visible time span, µs; raised to %CRYO_TREND_PLOT_MIN_SPAN
 *
 * Sets #CryoTrendPlot:span.  The right edge stays where it is.
 */
void
cryo_trend_plot_set_span (CryoTrendPlot *self,
                          gint64         span_us)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  span_us = CLAMP (span_us, CRYO_TREND_PLOT_MIN_SPAN, G_MAXINT64 / 4);
  if (self->span_us == span_us)
    return;

  self->span_us = span_us;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SPAN]);
}

/**
 * cryo_trend_plot_get_view_end:
 * @self: a plot
 *
 * Returns: the right edge used while not following, µs since the epoch
 */
gint64
cryo_trend_plot_get_view_end (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), 0);

  return self->view_end_us;
}

/**
 * cryo_trend_plot_set_view_end:
 * @self: a plot
 * @view_end_us: wall-clock time of the right edge, µs since the epoch
 *
 * Sets #CryoTrendPlot:view-end; it takes effect when not following.
 */
void
cryo_trend_plot_set_view_end (CryoTrendPlot *self,
                              gint64         view_end_us)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  view_end_us = CLAMP (view_end_us, 0, G_MAXINT64 / 2);
  if (self->view_end_us == view_end_us)
    return;

  self->view_end_us = view_end_us;
  if (!self->follow)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VIEW_END]);
}

/**
 * cryo_trend_plot_get_show_time_labels:
 * @self: a plot
 *
 * Returns: whether the time axis is labelled
 */
gboolean
cryo_trend_plot_get_show_time_labels (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), FALSE);

  return self->show_time_labels;
}

/**
 * cryo_trend_plot_set_show_time_labels:
 * @self: a plot
 * @show_time_labels: whether to label the time axis
 *
 * Sets #CryoTrendPlot:show-time-labels.
 */
void
cryo_trend_plot_set_show_time_labels (CryoTrendPlot *self,
                                      gboolean       show_time_labels)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  show_time_labels = !!show_time_labels;
  if (self->show_time_labels == show_time_labels)
    return;

  self->show_time_labels = show_time_labels;
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHOW_TIME_LABELS]);
}

/**
 * cryo_trend_plot_get_visible_range:
 * @self: a plot
 * @begin_us: (out) (optional): left edge, µs since the epoch
 * @end_us: (out) (optional): right edge, µs (now while following)
 *
 * The time range on screen, what Export CSV writes.
 */
void
cryo_trend_plot_get_visible_range (CryoTrendPlot *self,
                                   gint64        *begin_us,
                                   gint64        *end_us)
{
  gint64 begin, end;

  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  visible_range (self, &begin, &end);
  if (begin_us != NULL)
    *begin_us = begin;
  if (end_us != NULL)
    *end_us = end;
}

/**
 * cryo_trend_plot_zoom:
 * @self: a plot
 * @factor: new span / old span (> 1 zooms out)
 * @anchor_us: the time that stays at its place on screen (under the
 *   pointer)
 *
 * Zooms the time axis.  The span is clamped to 10 s … the longest history
 * of the plot's series (at least the default 10 min).  While following, the
 * right edge stays "now"; otherwise #CryoTrendPlot:view-end moves so that
 * @anchor_us keeps its position.
 */
void
cryo_trend_plot_zoom (CryoTrendPlot *self,
                      double         factor,
                      gint64         anchor_us)
{
  gint64 begin, end, span, max_span;
  double fraction;

  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (factor > 0.0);

  /* From the span shown, which is shorter than the span set while live
   * data does not fill it yet. */
  visible_range (self, &begin, &end);
  max_span = MAX (history_span (self), CRYO_TREND_PLOT_DEFAULT_SPAN);
  max_span = MAX (max_span, self->span_us);
  span = (gint64) CLAMP ((double) (end - begin) * factor,
                         (double) CRYO_TREND_PLOT_MIN_SPAN, (double) max_span);

  if (span == end - begin)
    return;

  fraction = CLAMP ((double) (anchor_us - begin) / (double) (end - begin), 0.0, 1.0);

  g_object_freeze_notify (G_OBJECT (self));
  if (!self->follow)
    cryo_trend_plot_set_view_end (self, anchor_us + (gint64) ((1.0 - fraction) * (double) span));
  cryo_trend_plot_set_span (self, span);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * cryo_trend_plot_pan:
 * @self: a plot
 * @delta_us: how far to move the view, µs (negative: into the past)
 *
 * Moves the view and stops following, as a drag does; moved up to now,
 * the view follows live again.
 */
void
cryo_trend_plot_pan (CryoTrendPlot *self,
                     gint64         delta_us)
{
  gint64 begin, end;

  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  visible_range (self, &begin, &end);

  g_object_freeze_notify (G_OBJECT (self));
  if (delta_us > 0 && end + delta_us >= now_us ())
    {
      /* Panned up to now: live again. */
      cryo_trend_plot_set_span (self, end - begin);
      cryo_trend_plot_set_follow (self, TRUE);
    }
  else
    {
      if (self->follow)
        cryo_trend_plot_set_span (self, end - begin);
      cryo_trend_plot_set_view_end (self, end + delta_us);
      cryo_trend_plot_set_follow (self, FALSE);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * cryo_trend_plot_get_time_at_x:
 * @self: a plot
 * @x: widget x coordinate, px
 *
 * Maps a position to time, using the layout of the last frame drawn.
 *
 * Returns: the time at @x, µs since the epoch
 */
gint64
cryo_trend_plot_get_time_at_x (CryoTrendPlot *self,
                               double         x)
{
  gint64 begin, end;
  double width;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), 0);

  visible_range (self, &begin, &end);
  width = MAX (self->plot_area.size.width, 1.0);

  return begin + (gint64) ((x - self->plot_area.origin.x) / width * (double) (end - begin));
}

/**
 * cryo_trend_plot_get_x_at_time:
 * @self: a plot
 * @time_us: µs since the epoch
 *
 * The inverse of cryo_trend_plot_get_time_at_x(): the x coordinate of the
 * centre of the pixel column holding @time_us in the last frame drawn.
 *
 * Returns: widget x coordinate, px
 */
double
cryo_trend_plot_get_x_at_time (CryoTrendPlot *self,
                               gint64         time_us)
{
  gint64 begin, end;
  double width;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), 0.0);

  visible_range (self, &begin, &end);
  width = MAX (self->plot_area.size.width, 1.0);

  return self->plot_area.origin.x +
         floor ((double) (time_us - begin) / (double) MAX (end - begin, 1) * width) + 0.5;
}

static char *
format_value (CryoTrendPlot *self,
              Series        *series,
              double         value)
{
  const char *symbol = cryo_unit_get_label_symbol (series_unit (self, series));
  g_autofree char *number = NULL;

  if (!isfinite (value))
    return g_strdup ("—");

  if (self->scale == CRYO_SCALE_LOG && value > 0.0)
    number = cryo_ticks_format_scientific (value, 2);
  else
    {
      int digits = (int) cryo_channel_get_digits (series->channel);
      int decimals;

      if (digits == 0)
        digits = 3;
      decimals = value == 0.0 ? 0 : digits - 1 - (int) floor (log10 (fabs (value)));
      number = g_strdup_printf ("%.*f", CLAMP (decimals, 0, 9), value);
    }

  if (symbol == NULL || symbol[0] == '\0')
    return g_steal_pointer (&number);

  /* Translators: a reading with its unit, e.g. "2.9 × 10⁻³ mbar" */
  return g_strdup_printf (_("%s %s"), number, symbol);
}



/**
 * cryo_trend_plot_set_show_header:
 * @self: a plot
 * @show_header: whether to draw the title and the legend
 *
 * A plot draws its title and a clickable legend at its top by default; the
 * trend view shows them as widgets instead (buttons a keyboard reaches),
 * and turns them off here.
 */
void
cryo_trend_plot_set_show_header (CryoTrendPlot *self,
                                 gboolean       show_header)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  show_header = !!show_header;
  if (self->show_header == show_header)
    return;

  self->show_header = show_header;
  g_array_set_size (self->legend_boxes, 0);
  invalidate_layout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cryo_trend_plot_get_series_color:
 * @self: a plot
 * @channel: a channel drawn by @self
 * @color: (out): its line colour
 *
 * Returns: %FALSE when @channel is no series of @self
 */
gboolean
cryo_trend_plot_get_series_color (CryoTrendPlot *self,
                                  CryoChannel   *channel,
                                  GdkRGBA       *color)
{
  Series *series;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), FALSE);
  g_return_val_if_fail (color != NULL, FALSE);

  series = find_series (self, channel);
  if (series == NULL)
    return FALSE;

  *color = series->color;
  return TRUE;
}

/**
 * cryo_trend_plot_dup_heading:
 * @self: a plot
 *
 * Returns: (transfer full): the plot's title with the unit of its axis,
 *   "Pressure (mbar)", as the plot's header draws it
 */
char *
cryo_trend_plot_dup_heading (CryoTrendPlot *self)
{
  const char *symbol;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), NULL);

  symbol = cryo_unit_get_label_symbol (axis_unit (self));
  if (self->title != NULL && self->title[0] != '\0')
    {
      if (symbol != NULL && symbol[0] != '\0')
        return g_strdup_printf (_("%s (%s)"), self->title, symbol);
      return g_strdup (self->title);
    }

  return g_strdup (symbol != NULL ? symbol : "");
}

/**
 * cryo_trend_plot_get_origin:
 * @self: a plot
 *
 * Returns: #CryoTrendPlot:origin, µs since the epoch, 0 when not known
 */
gint64
cryo_trend_plot_get_origin (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), 0);

  return self->origin_us;
}

/**
 * cryo_trend_plot_set_origin:
 * @self: a plot
 * @origin_us: the time of the oldest reading, µs since the epoch; 0 when
 *   not known
 *
 * Sets #CryoTrendPlot:origin.
 */
void
cryo_trend_plot_set_origin (CryoTrendPlot *self,
                            gint64         origin_us)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  origin_us = CLAMP (origin_us, 0, G_MAXINT64 / 2);
  if (self->origin_us == origin_us)
    return;

  self->origin_us = origin_us;
  if (self->follow)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ORIGIN]);
}

/**
 * cryo_trend_plot_format_duration:
 * @span_us: a duration, µs
 *
 * Returns: (transfer full): @span_us for a person, rounded to what
 *   matters at its size: "45 s", "10 min", "2 h 5 min", "24 h", "7 days"
 */
char *
cryo_trend_plot_format_duration (gint64 span_us)
{
  gint64 seconds = (span_us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
  gint64 minutes = (seconds + 30) / 60;
  guint n;

  if (seconds < 120)
    {
      n = (guint) MAX (seconds, 0);
      /* Translators: a duration in seconds */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u s", "%u s", n), n);
    }
  if (minutes < 60)
    {
      n = (guint) minutes;
      /* Translators: a duration in minutes */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min", "%u min", n), n);
    }
  if (minutes < 48 * 60)
    {
      guint hours = (guint) (minutes / 60);

      n = (guint) (minutes % 60);
      if (n == 0)
        /* Translators: a duration in hours */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u h", "%u h", hours), hours);
      /* Translators: a duration in hours and minutes, "2 h 5 min" */
      return g_strdup_printf (_("%u h %u min"), hours, n);
    }

  n = (guint) ((minutes + 12 * 60) / (24 * 60));
  /* Translators: a duration in days */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", n), n);
}

static char *
format_local_time (gint64   time_us,
                   gboolean with_date)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  if (local == NULL)
    return g_strdup ("?");

  return g_date_time_format (local, with_date
                                    /* Translators: a date and time on the time axis's range, g_date_time_format() */
                                    ? _("%e %b %Y %H:%M")
                                    /* Translators: a time of today on the time axis's range, g_date_time_format() */
                                    : _("%H:%M:%S"));
}

static gboolean
is_today (gint64 time_us)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) then = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return then != NULL && g_date_time_get_year (now) == g_date_time_get_year (then)
         && g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (then);
}

/**
 * cryo_trend_plot_dup_range_text:
 * @self: a plot
 *
 * What the time axis shows, for a person: "last 10 min" while live (the
 * span shown, shorter than the span set while data does not fill it), or
 * "14:00:00 to 18:00:00" when paused (with the date, " 1 Dec 2026 14:00",
 * for a day other than today).
 *
 * Returns: (transfer full): the text
 */
char *
cryo_trend_plot_dup_range_text (CryoTrendPlot *self)
{
  gint64 begin, end;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *span = NULL;
  gboolean dated;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), NULL);

  visible_range (self, &begin, &end);
  if (self->follow)
    {
      span = cryo_trend_plot_format_duration (end - begin);
      /* Translators: what a live plot shows, "last 10 min" */
      return g_strdup_printf (_("last %s"), span);
    }

  dated = !is_today (begin) || !is_today (end);
  from = format_local_time (begin, dated);
  to = format_local_time (end, dated);
  /* Translators: the time range a paused plot shows, "14:00:00 to 18:00:00" */
  return g_strdup_printf (_("%s to %s"), from, to);
}

/**
 * cryo_trend_plot_dup_accessible_description:
 * @self: a plot
 *
 * What the plot shows, for a screen reader: the range it shows and the
 * latest value of each visible series in it, "last 10 min: Pressure
 * 5.0 × 10⁻⁷ mbar". Its name is its title ("Pressure plot"), set with
 * the title.
 *
 * Returns: (transfer full): the text
 */
char *
cryo_trend_plot_dup_accessible_description (CryoTrendPlot *self)
{
  g_autofree char *range = NULL;
  gboolean qualified;
  gint64 begin, end;
  GString *str;
  guint n = 0;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), NULL);

  range = cryo_trend_plot_dup_range_text (self);
  visible_range (self, &begin, &end);
  qualified = spans_devices (self);

  str = g_string_new (range);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      g_autofree char *label = NULL;
      g_autofree char *value_text = NULL;
      CryoSample sample;
      double value = NAN;

      if (!series->visible)
        continue;

      series_update_transform (self, series);
      if (cryo_history_find_before (cryo_channel_get_history (series->channel), end + 1, &sample))
        value = sample.value * series->scale + series->offset;
      value_text = format_value (self, series, value);
      label = series_dup_label (self, series, qualified);
      g_string_append (str, n++ == 0 ? ": " : ", ");
      /* Translators: a series and its latest value in a plot's accessible name */
      g_string_append_printf (str, _("%s %s"), label, value_text);
    }

  return g_string_free (str, FALSE);
}

/**
 * cryo_trend_plot_update_accessible:
 * @self: a plot
 *
 * Brings the accessible description
 * (cryo_trend_plot_dup_accessible_description()) up to date; the trend
 * view calls it once a second rather than on every reading, so a screen
 * reader is not flooded.
 */
void
cryo_trend_plot_update_accessible (CryoTrendPlot *self)
{
  g_autofree char *description = NULL;

  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  description = cryo_trend_plot_dup_accessible_description (self);
  if (g_strcmp0 (description, self->accessible_description) == 0)
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  g_free (self->accessible_description);
  self->accessible_description = g_steal_pointer (&description);
}

/**
 * cryo_trend_plot_get_hover_text:
 * @self: a plot
 * @time_us: the time under the pointer, µs since the epoch
 *
 * The hover readout: the local time ("14:23:45") on the first line, then
 * one line per visible series with the reading in force at @time_us (the
 * last sample at or before it) in the display unit: "Pressure: 2.9 ×
 * 10⁻³ mbar" on a log axis, "Speed: 81000 rpm" on a linear one, "—" for
 * a gap or no reading yet. Then a line per phase channel drawn as bands:
 * "Phase: Ramp", "—" when none.
 *
 * Returns: (transfer full): the text, UTF-8, lines separated by "\n"
 */
char *
cryo_trend_plot_get_hover_text (CryoTrendPlot *self,
                                gint64         time_us)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time_text = NULL;
  gboolean qualified;
  GString *str;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), NULL);

  utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  /* Translators: hover readout time, g_date_time_format() format */
  time_text = local != NULL ? g_date_time_format (local, _("%H:%M:%S")) : NULL;
  str = g_string_new (time_text != NULL ? time_text : "");
  qualified = spans_devices (self);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *series = g_ptr_array_index (self->series, i);
      g_autofree char *value_text = NULL;
      g_autofree char *label = NULL;
      CryoSample s;
      double value = NAN;

      if (!series->visible)
        continue;

      series_update_transform (self, series);
      if (cryo_history_find_before (cryo_channel_get_history (series->channel), time_us + 1, &s))
        value = s.value * series->scale + series->offset;

      value_text = format_value (self, series, value);
      label = series_dup_label (self, series, qualified);
      g_string_append_c (str, '\n');
      /* Translators: hover readout line, series label and reading */
      g_string_append_printf (str, _("%s: %s"), label, value_text);
    }

  for (guint i = 0; i < self->phases->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (self->phases, i);
      const char *device_name = cryo_channel_get_device_name (channel);
      const char *phase = NULL;
      g_autofree char *label = NULL;
      CryoSample s;

      if (cryo_history_find_before (cryo_channel_get_history (channel), time_us + 1, &s))
        phase = cryo_channel_lookup_phase (channel, s.value);

      if ((qualified || self->phases->len > 1) && device_name != NULL)
        label = g_strdup_printf (_("%s · %s"), device_name, cryo_channel_get_label (channel));
      else
        label = g_strdup (cryo_channel_get_label (channel));
      g_string_append_c (str, '\n');
      g_string_append_printf (str, _("%s: %s"), label,
                              phase != NULL ? g_dgettext (GETTEXT_PACKAGE, phase) : "—");
    }

  return g_string_free (str, FALSE);
}

/**
 * cryo_trend_plot_set_hover_time:
 * @self: a plot
 * @time_us: where to show the hover readout, µs since the epoch; 0 hides it
 *
 * Shows the readout as if the pointer were at @time_us (the motion
 * controller does this with the pointer position).
 */
void
cryo_trend_plot_set_hover_time (CryoTrendPlot *self,
                                gint64         time_us)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  self->hover_x = time_us == 0 ? -1.0 : cryo_trend_plot_get_x_at_time (self, time_us);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cryo_trend_plot_queue_data_changed:
 * @self: a plot
 *
 * Tells the plot that a series got a new sample.  Call it for every
 * sample: redraws are coalesced to at most 10 per second by a timeout, and
 * nothing is scheduled while the plot is not mapped.  Main thread.
 */
void
cryo_trend_plot_queue_data_changed (CryoTrendPlot *self)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->redraw_source != 0)
    return;

  self->redraw_source = g_timeout_add_once (REDRAW_INTERVAL_MS, cryo_trend_plot_redraw_cb, self);
}

/**
 * cryo_trend_plot_draw:
 * @self: a plot
 * @cr: where to draw, with the origin at the plot's top-left corner
 * @width: width in px, the number of pixel columns summarised
 * @height: height in px
 *
 * Draws the whole plot (header with title and legend, grid, axes, series,
 * hover readout).  The widget's snapshot calls it; a benchmark or test can
 * call it on an image surface.  Each visible series costs one
 * cryo_history_get_columns() over the plot's pixel columns and one stroke,
 * independent of the number of samples.
 */
void
cryo_trend_plot_draw (CryoTrendPlot *self,
                      cairo_t       *cr,
                      int            width,
                      int            height)
{
  GdkRGBA fg;
  gint64 begin, end;
  double top, bottom_margin, plot_w, plot_h;
  double data_min, data_max, label_h, dummy;
  double natural = self->natural_axis_width;
  guint n_columns;
  gboolean any;
  YMap map;

  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;

  get_foreground (self, &fg);
  visible_range (self, &begin, &end);

  cairo_save (cr);

  top = draw_header (self, cr, &fg, width);
  layout_size (get_layout (self, "0"), &dummy, &label_h);
  bottom_margin = self->show_time_labels ? label_h + PAD + 2 : PAD;

  plot_h = floor (height - top - bottom_margin);
  if (plot_h < 10.0)
    {
      cairo_restore (cr);
      return;
    }

  /* The left margin depends on the y labels, which depend on the data in
   * the columns, which depend on the margin: start from the last frame's
   * margin and redo the columns only when it changed. */
  for (guint attempt = 0; ; attempt++)
    {
      double needed;

      plot_w = floor (width - self->left_margin - PAD);
      if (plot_w < 10.0)
        {
          cairo_restore (cr);
          return;
        }
      self->plot_area = GRAPHENE_RECT_INIT (self->left_margin, top, plot_w, plot_h);
      n_columns = (guint) plot_w;

      any = compute_columns (self, begin, end, n_columns, &data_min, &data_max);

      map.scale = self->scale;
      map.top = top;
      map.height = plot_h;
      if (!any)
        break;

      if (self->scale == CRYO_SCALE_LOG)
        {
          cryo_ticks_log_bounds (data_min, data_max, &map.min, &map.max);
          map.log_min = log10 (map.min);
          map.log_span = log10 (map.max) - map.log_min;
        }
      else
        {
          /* Never zoom a linear axis into the noise: a turbo steady at
           * 81,000 rpm or coolant at 294 K is drawn flat, not as a saw
           * tooth of ±0.01 %. */
          double magnitude = MAX (fabs (data_min), fabs (data_max));
          double min_span = magnitude * MIN_LINEAR_SPAN;
          double lo = data_min, hi = data_max;

          if (hi - lo < min_span)
            {
              double middle = (hi + lo) / 2;

              lo = middle - min_span / 2;
              hi = middle + min_span / 2;
            }

          cryo_ticks_linear_bounds (lo, hi,
                                    MAX (3, (guint) (plot_h / Y_LABEL_SPACING)),
                                    &map.min, &map.max);
        }

      update_y_ticks (self, &map);
      natural = ceil (y_labels_width (self) + 2 * PAD);
      needed = MAX (natural, self->min_left_margin);
      if (needed == self->left_margin || attempt > 0)
        break;
      self->left_margin = needed;
    }

  if (natural != self->natural_axis_width)
    {
      self->natural_axis_width = natural;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_AXIS_WIDTH]);
    }

  /* Grid and time axis. */
  update_x_ticks (self, begin, end, plot_w);
  cairo_set_line_width (cr, 1.0);
  set_source_alpha (cr, &fg, 0.12);
  for (guint i = 0; i < self->x_ticks->len; i++)
    {
      const CryoTick *tick = &g_array_index (self->x_ticks, CryoTick, i);
      double x = snap (self->left_margin + (tick->value - begin) / (double) (end - begin) * plot_w);

      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, top + plot_h);
    }
  if (any)
    for (guint i = 0; i < self->y_ticks->len; i++)
      {
        const CryoTick *tick = &g_array_index (self->y_ticks, CryoTick, i);
        double y = snap (y_of (&map, tick->value));

        if (!tick->major && tick->label == NULL)
          continue;
        cairo_move_to (cr, self->left_margin, y);
        cairo_line_to (cr, self->left_margin + plot_w, y);
      }
  cairo_stroke (cr);

  /* Frame, minor ticks. */
  set_source_alpha (cr, &fg, 0.35);
  cairo_rectangle (cr, self->left_margin + 0.5, top + 0.5, plot_w - 1, plot_h - 1);
  if (any)
    for (guint i = 0; i < self->y_ticks->len; i++)
      {
        const CryoTick *tick = &g_array_index (self->y_ticks, CryoTick, i);
        double y = snap (y_of (&map, tick->value));

        cairo_move_to (cr, self->left_margin, y);
        cairo_line_to (cr, self->left_margin + (tick->major ? 6 : 3), y);
      }
  cairo_stroke (cr);

  /* Labels. */
  set_source_alpha (cr, &fg, 0.7);
  if (self->show_time_labels)
    {
      double last_right = -G_MAXDOUBLE;

      for (guint i = 0; i < self->x_ticks->len; i++)
        {
          const CryoTick *tick = &g_array_index (self->x_ticks, CryoTick, i);
          double x = self->left_margin + (tick->value - begin) / (double) (end - begin) * plot_w;
          PangoLayout *layout;
          double w, h, lx;

          if (tick->label == NULL)
            continue;
          layout = get_layout (self, tick->label);
          layout_size (layout, &w, &h);
          lx = round (x - w / 2);
          lx = CLAMP (lx, 0, width - w);
          if (lx < last_right + PAD)
            continue;
          cairo_move_to (cr, lx, top + plot_h + 2);
          pango_cairo_show_layout (cr, layout);
          last_right = lx + w;
        }
    }
  if (any)
    {
      double last_top = G_MAXDOUBLE;

      for (guint i = 0; i < self->y_ticks->len; i++)
        {
          const CryoTick *tick = &g_array_index (self->y_ticks, CryoTick, i);
          double y = y_of (&map, tick->value);
          PangoLayout *layout;
          double w, h, ly;

          if (tick->label == NULL)
            continue;
          layout = get_layout (self, tick->label);
          layout_size (layout, &w, &h);
          ly = round (y - h / 2);
          ly = CLAMP (ly, top - h / 2, top + plot_h - h / 2);
          if (ly + h > last_top)
            continue;
          cairo_move_to (cr, self->left_margin - PAD - w, ly);
          pango_cairo_show_layout (cr, layout);
          last_top = ly;
        }
    }

  compute_phase_runs (self, begin, end, n_columns);
  draw_phases (self, cr, &fg);
  draw_markers (self, cr, &fg, begin, end);

  if (!any)
    draw_empty (self, cr, &fg);
  else
    {
      cairo_save (cr);
      cairo_rectangle (cr, self->left_margin, top, plot_w, plot_h);
      cairo_clip (cr);
      cairo_set_line_width (cr, LINE_WIDTH);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
      cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
      for (guint s = 0; s < self->series->len; s++)
        {
          Series *series = g_ptr_array_index (self->series, s);

          if (series->visible)
            draw_series (self, cr, series, &self->columns[s * n_columns], n_columns,
                         &map, begin, end);
        }
      cairo_restore (cr);
    }

  if (self->hover_x >= 0.0)
    draw_hover (self, cr, &fg);

  cairo_restore (cr);
}

/**
 * cryo_trend_plot_dup_marker_text:
 * @self: a #CryoTrendPlot
 * @x: a point in widget coordinates, from the last frame
 * @y: its y
 *
 * What the tooltip of the event markers near (@x, @y) says: one line per
 * event, "14:02:05 Pumping station: Start: done", oldest first.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when no marker
 *   is there
 */
char *
cryo_trend_plot_dup_marker_text (CryoTrendPlot *self,
                                 double         x,
                                 double         y)
{
  const graphene_rect_t *a = &self->plot_area;
  g_autoptr(GString) text = NULL;
  double bottom = a->origin.y + a->size.height;
  gint64 begin, end, from, to;
  guint n;

  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), NULL);

  if (self->events == NULL || a->size.width <= 0 ||
      y < bottom - 2 * MARKER_HALF - 2 || y > bottom + 2 ||
      x < a->origin.x - MARKER_HALF || x > a->origin.x + a->size.width + MARKER_HALF)
    return NULL;

  visible_range (self, &begin, &end);
  from = cryo_trend_plot_get_time_at_x (self, x - MARKER_HALF - 1);
  to = cryo_trend_plot_get_time_at_x (self, x + MARKER_HALF + 1);
  from = MAX (from, begin);
  to = MIN (to, end);

  n = g_list_model_get_n_items (self->events);
  for (guint i = first_event_at (self->events, from); i < n; i++)
    {
      g_autoptr(CryoEvent) event = g_list_model_get_item (self->events, i);
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *clock = NULL;
      const char *device;

      if (cryo_event_get_time_us (event) > to)
        break;
      if (!is_marked (event))
        continue;

      utc = g_date_time_new_from_unix_utc (cryo_event_get_time_us (event) / G_USEC_PER_SEC);
      local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      clock = local != NULL ? g_date_time_format (local, "%H:%M:%S") : g_strdup ("");
      device = cryo_event_get_device_name (event);
      if (text == NULL)
        text = g_string_new (NULL);
      else
        g_string_append_c (text, '\n');
      if (device[0] != '\0')
        /* Translators: an event marker's tooltip line: time, device, what happened */
        g_string_append_printf (text, _("%s %s: %s"), clock, device, cryo_event_get_text (event));
      else
        g_string_append_printf (text, "%s %s", clock, cryo_event_get_text (event));
    }

  return text != NULL ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/**
 * cryo_trend_plot_set_events:
 * @self: a #CryoTrendPlot
 * @events: (nullable): a #GListModel of #CryoEvent in time order
 *
 * Marks the actions and alarms of @events on the time axis, with their
 * text as the tooltip; redrawn when @events changes.
 */
void
cryo_trend_plot_set_events (CryoTrendPlot *self,
                            GListModel    *events)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (events == NULL || G_IS_LIST_MODEL (events));

  if (self->events == events)
    return;

  if (self->events != NULL)
    g_signal_handlers_disconnect_by_func (self->events, gtk_widget_queue_draw, self);
  g_set_object (&self->events, events);
  if (events != NULL)
    g_signal_connect_object (events, "items-changed", G_CALLBACK (gtk_widget_queue_draw), self,
                             G_CONNECT_SWAPPED);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), events != NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cryo_trend_plot_set_archive:
 * @self: a #CryoTrendPlot
 * @archive: (nullable): the history archive
 *
 * Lets the plot draw spans older than its series' histories (the live span
 * kept in memory) from @archive's blocks and summaries. They are read in
 * worker threads over a read-only connection of the plot's own (drawing
 * never waits on the disk); #CryoTrendPlot:loading is set meanwhile.
 */
void
cryo_trend_plot_set_archive (CryoTrendPlot *self,
                             CryoArchive   *archive)
{
  g_return_if_fail (CRYO_IS_TREND_PLOT (self));
  g_return_if_fail (archive == NULL || CRYO_IS_ARCHIVE (archive));

  if (g_set_object (&self->archive, archive))
    {
      for (guint i = 0; i < self->series->len; i++)
        {
          Series *series = g_ptr_array_index (self->series, i);

          series_cancel_request (series);
          g_clear_pointer (&series->archived, g_free);
        }
      g_clear_pointer (&self->reader, reader_unref);
      update_loading (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/**
 * cryo_trend_plot_get_loading:
 * @self: a #CryoTrendPlot
 *
 * Returns: #CryoTrendPlot:loading: whether archived columns for the span
 *   shown are being read
 */
gboolean
cryo_trend_plot_get_loading (CryoTrendPlot *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_PLOT (self), FALSE);

  return self->loading;
}
