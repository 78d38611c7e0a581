/* cryo-trend-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-trend-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cryo-csv.h"
#include "cryo-display-units.h"
#include "cryo-status.h"
#include "cryo-wrap-box.h"
#include "cryo-trend-view.h"

/* The plots a trend view can show, top to bottom: one per quantity, made
 * when a channel of it first appears. Vacuum pressures (log) and gas
 * pressures (linear, a compressor's) differ by ten decades, so they are two. */
typedef struct
{
  CryoQuantity  quantity;
  CryoScale     scale;
  const char   *title;
  int           height;
} SlotInfo;

static const SlotInfo slot_infos[] = {
  { CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG, N_("Pressure"), 220 },
  { CRYO_QUANTITY_TEMPERATURE, CRYO_SCALE_LINEAR, N_("Temperature"), 140 },
  { CRYO_QUANTITY_ROTATION_SPEED, CRYO_SCALE_LINEAR, N_("Rotation speed"), 140 },
  { CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LINEAR, N_("Gas pressure"), 140 },
  { CRYO_QUANTITY_PERCENT, CRYO_SCALE_LINEAR, N_("Percent"), 140 },
  { CRYO_QUANTITY_FREQUENCY, CRYO_SCALE_LINEAR, N_("Frequency"), 140 },
  { CRYO_QUANTITY_CURRENT, CRYO_SCALE_LINEAR, N_("Current"), 140 },
  { CRYO_QUANTITY_FLOW, CRYO_SCALE_LINEAR, N_("Gas flow"), 140 },
};

#define N_SLOTS G_N_ELEMENTS (slot_infos)
#define TEMPERATURE_SLOT 1   /* where phase bands are drawn */

typedef struct
{
  CryoTrendPlot *plot;        /* NULL until a channel of it appears */
  GtkWidget     *header;      /* title and legend toggles above the plot */
  GPtrArray     *channels;
  guint          n_colors_used;
} Slot;

struct _CryoTrendView
{
  GtkWidget      parent_instance;

  GSettings     *settings;
  CryoArchive   *archive;
  GListModel    *events;   /* CryoEvent in time order: the plots' markers */
  Slot           slots[N_SLOTS];
  CryoTrendPlot *leader;      /* the first plot made: the others share its time axis */
  guint          clock_source;
  guint          axis_idle;
  /* "All" chosen: the span grows with the data while live. */
  gboolean       all;
  gboolean       setting_span;

  GtkWidget     *content;
  GtkWidget     *box;
  GtkWidget     *paused_revealer;
  GtkWidget     *paused_label;
  GtkWidget     *span_button;
};

/* A snapshot of the plotted data, written to the file in a worker thread
 * while the main thread goes on appending to the live histories. */
typedef struct
{
  char      *path;
  GPtrArray *histories;
  GPtrArray *names;
  GArray    *series;
  gint64     begin_us;
  gint64     end_us;
  /* Told on the main context how far the writing got. */
  CryoCsvProgressFunc  progress;
  gpointer             progress_data;
  GDestroyNotify       progress_destroy;
  GMainContext        *context;
  /* Older than the histories in memory: read from the archive, in the
   * worker, by series. */
  char                *archive_path;
  GPtrArray           *channel_ids;     /* "<device id>.<key>" */
  GArray              *memory_first_us; /* gint64; G_MAXINT64: none in memory */
} ExportJob;

G_DEFINE_FINAL_TYPE (CryoTrendView, cryo_trend_view, GTK_TYPE_WIDGET)

/* GNOME palette: blue, red, green, orange, purple, brown, yellow */
static const char * const palette[] = {
  "#1c71d8", "#c01c28", "#26a269", "#e66100", "#813d9c", "#865e3c", "#e5a50a",
};

/* Readings that are counters or states (hours, status codes) are listed on
 * the panel, not plotted. */
static gboolean
slot_for_channel (CryoChannel *channel,
                  guint       *slot)
{
  CryoQuantity quantity = cryo_channel_get_quantity (channel);
  CryoScale scale = quantity == CRYO_QUANTITY_PRESSURE ? cryo_channel_get_scale (channel)
                                                       : CRYO_SCALE_LINEAR;

  for (guint i = 0; i < N_SLOTS; i++)
    {
      if (slot_infos[i].quantity == quantity && slot_infos[i].scale == scale)
        {
          *slot = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void on_axis_width_changed_cb (CryoTrendView *self);
static void on_series_visibility_changed_cb (CryoTrendView *self,
                                             CryoChannel   *channel,
                                             gboolean       visible,
                                             CryoTrendPlot *plot);
static void on_range_changed_cb (CryoTrendView *self);
static void on_span_changed_cb (CryoTrendView *self);
static void cryo_trend_view_update_origin (CryoTrendView *self);
static void cryo_trend_view_update_time_labels (CryoTrendView *self);


static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  const GdkRGBA *color = g_object_get_data (G_OBJECT (area), "color");
  GtkWidget *button = gtk_widget_get_ancestor (GTK_WIDGET (area), GTK_TYPE_TOGGLE_BUTTON);

  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  gdk_cairo_set_source_rgba (cr, color);
  /* Hidden: an outline only, as the plot's own legend draws it. */
  if (button != NULL && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)))
    cairo_fill (cr);
  else
    {
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
    }
}

static void
on_legend_toggled_cb (GtkToggleButton *button,
                      CryoTrendView   *self)
{
  CryoTrendPlot *plot = g_object_get_data (G_OBJECT (button), "plot");
  CryoChannel *channel = g_object_get_data (G_OBJECT (button), "channel");

  gtk_widget_queue_draw (gtk_button_get_child (GTK_BUTTON (button)));
  cryo_trend_plot_set_series_visible (plot, channel, gtk_toggle_button_get_active (button));
}

/* The plot's own API changed a series (a test, the plot's legend): the
 * toggle follows. */
static void
on_series_visibility_changed_cb (CryoTrendView *self,
                                 CryoChannel   *channel,
                                 gboolean       visible,
                                 CryoTrendPlot *plot)
{
  for (guint p = 0; p < N_SLOTS; p++)
    {
      if (self->slots[p].plot != plot)
        continue;

      for (GtkWidget *child = gtk_widget_get_first_child (self->slots[p].header);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          /* A device's first toggle is grouped with the device's name. */
          GtkWidget *button = GTK_IS_BOX (child) ? gtk_widget_get_last_child (child) : child;

          if (GTK_IS_TOGGLE_BUTTON (button) && g_object_get_data (G_OBJECT (button), "channel") == channel
              && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)) != visible)
            gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), visible);
        }
    }
}

/* A slot's header, rebuilt when its series, their devices' names or the
 * unit change: the title with the unit, then a toggle per series, each
 * device named once before its series when the plot shows several. */
static void
rebuild_header (CryoTrendView *self,
                guint          p)
{
  Slot *slot = &self->slots[p];
  g_autofree char *heading = NULL;
  const char *first_device = NULL;
  gboolean qualified = FALSE;
  GtkWidget *title;

  if (slot->plot == NULL)
    return;

  cryo_wrap_box_remove_all (CRYO_WRAP_BOX (slot->header));

  heading = cryo_trend_plot_dup_heading (slot->plot);
  title = gtk_label_new (heading);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_margin_end (title, 12);
  cryo_wrap_box_append (CRYO_WRAP_BOX (slot->header), title);

  for (guint i = 0; i < slot->channels->len; i++)
    {
      const char *device = cryo_channel_get_device_name (g_ptr_array_index (slot->channels, i));

      if (i == 0)
        first_device = device;
      else if (g_strcmp0 (first_device, device) != 0)
        qualified = TRUE;
    }

  for (guint i = 0; i < slot->channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (slot->channels, i);
      const char *device = cryo_channel_get_device_name (channel);
      GtkWidget *button, *box, *swatch, *label;
      GtkWidget *group = NULL;
      g_autofree char *accessible = NULL;
      GdkRGBA *color = g_new (GdkRGBA, 1);

      if (qualified && device != NULL
          && (i == 0 || g_strcmp0 (device, cryo_channel_get_device_name (g_ptr_array_index (slot->channels, i - 1))) != 0))
        {
          /* Translators: a device's name before its series in a plot's legend, "Cryostream:" */
          g_autofree char *text = g_strdup_printf (_("%s:"), device);
          GtkWidget *device_label = gtk_label_new (text);

          gtk_widget_add_css_class (device_label, "dim-label");
          gtk_widget_set_margin_start (device_label, 8);
          /* The name and the device's first series stay on one line. */
          group = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
          gtk_box_append (GTK_BOX (group), device_label);
          cryo_wrap_box_append (CRYO_WRAP_BOX (slot->header), group);
        }

      if (!cryo_trend_plot_get_series_color (slot->plot, channel, color))
        *color = (GdkRGBA) { 0.5, 0.5, 0.5, 1.0 };

      swatch = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 10);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 10);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (swatch), "color", color, g_free);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, NULL, NULL);
      label = gtk_label_new (cryo_channel_get_label (channel));
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), label);

      button = gtk_toggle_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "cryo-legend-toggle");
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                    cryo_trend_plot_get_series_visible (slot->plot, channel));
      /* Translators: a legend toggle's tooltip */
      gtk_widget_set_tooltip_text (button, _("Show or hide this series"));
      if (qualified && device != NULL)
        /* Translators: a legend toggle for a screen reader, "Helium compressor · Helium" */
        accessible = g_strdup_printf (_("%s · %s"), device, cryo_channel_get_label (channel));
      else
        accessible = g_strdup (cryo_channel_get_label (channel));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data (G_OBJECT (button), "plot", slot->plot);
      g_object_set_data_full (G_OBJECT (button), "channel", g_object_ref (channel), g_object_unref);
      g_signal_connect_object (button, "toggled", G_CALLBACK (on_legend_toggled_cb), self, 0);
      if (group != NULL)
        gtk_box_append (GTK_BOX (group), button);
      else
        cryo_wrap_box_append (CRYO_WRAP_BOX (slot->header), button);
    }
}

static void
rebuild_headers (CryoTrendView *self)
{
  for (guint p = 0; p < N_SLOTS; p++)
    rebuild_header (self, p);
}

static CryoTrendPlot *
ensure_plot (CryoTrendView *self,
             guint          slot)
{
  static const char * const shared[] = { "span", "view-end", "follow", "origin" };
  const SlotInfo *info = &slot_infos[slot];
  GtkWidget *previous = NULL;
  CryoTrendPlot *plot;

  if (self->slots[slot].plot != NULL)
    return self->slots[slot].plot;

  plot = CRYO_TREND_PLOT (cryo_trend_plot_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (plot), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (plot), -1, info->height);
  cryo_trend_plot_set_title (plot, g_dgettext (GETTEXT_PACKAGE, info->title));
  cryo_trend_plot_set_scale (plot, info->scale);
  cryo_trend_plot_set_display_unit (plot, cryo_display_unit_for (self->settings, info->quantity, info->scale));
  cryo_trend_plot_set_archive (plot, self->archive);
  cryo_trend_plot_set_events (plot, self->events);

  /* The title and legend are widgets: a keyboard reaches the toggles, a
   * screen reader reads them, and they wrap on a narrow window. */
  cryo_trend_plot_set_show_header (plot, FALSE);
  self->slots[slot].header = cryo_wrap_box_new ();
  cryo_wrap_box_set_column_spacing (CRYO_WRAP_BOX (self->slots[slot].header), 2);
  gtk_widget_add_css_class (self->slots[slot].header, "cryo-legend");
  gtk_widget_set_margin_start (self->slots[slot].header, 4);
  gtk_widget_set_margin_end (self->slots[slot].header, 4);
  g_object_bind_property (plot, "visible", self->slots[slot].header, "visible", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (plot, "series-visibility-changed",
                           G_CALLBACK (on_series_visibility_changed_cb), self, G_CONNECT_SWAPPED);

  /* In the fixed order, after the plots of the slots above it. */
  for (int i = (int) slot - 1; i >= 0 && previous == NULL; i--)
    previous = (GtkWidget *) self->slots[i].plot;
  gtk_box_insert_child_after (GTK_BOX (self->box), self->slots[slot].header, previous);
  gtk_box_insert_child_after (GTK_BOX (self->box), GTK_WIDGET (plot), self->slots[slot].header);

  g_signal_connect_object (plot, "notify::axis-width",
                           G_CALLBACK (on_axis_width_changed_cb), self, G_CONNECT_SWAPPED);

  /* One time axis for every plot. */
  if (self->leader == NULL)
    {
      self->leader = plot;
      g_signal_connect_object (plot, "notify::follow", G_CALLBACK (on_range_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (plot, "notify::span", G_CALLBACK (on_span_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (plot, "notify::view-end", G_CALLBACK (on_range_changed_cb),
                               self, G_CONNECT_SWAPPED);
      cryo_trend_view_update_origin (self);
      on_range_changed_cb (self);
    }
  else
    for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
      g_object_bind_property (self->leader, shared[i], plot, shared[i],
                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->slots[slot].plot = plot;
  return plot;
}

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->path);
  g_clear_pointer (&job->histories, g_ptr_array_unref);
  g_clear_pointer (&job->names, g_ptr_array_unref);
  g_clear_pointer (&job->series, g_array_unref);
  if (job->progress_destroy != NULL)
    job->progress_destroy (job->progress_data);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->archive_path);
  g_clear_pointer (&job->channel_ids, g_ptr_array_unref);
  g_clear_pointer (&job->memory_first_us, g_array_unref);
  g_free (job);
}

static CryoHistory *
copy_history_range (const CryoHistory *history,
                    gint64             begin_us,
                    gint64             end_us)
{
  CryoHistoryIter iter;
  CryoSample sample;
  CryoHistory *copy;
  gsize n = 0;

  cryo_history_iter_init (&iter, history, begin_us, end_us);
  while (cryo_history_iter_next (&iter, &sample))
    n++;

  copy = cryo_history_new (MAX (n, 1));
  cryo_history_iter_init (&iter, history, begin_us, end_us);
  while (cryo_history_iter_next (&iter, &sample))
    cryo_history_append (copy, sample.time_us, sample.value);

  return copy;
}

static void
visible_range (CryoTrendView *self,
               gint64        *begin_us,
               gint64        *end_us)
{
  *begin_us = *end_us = g_get_real_time ();
  if (self->leader != NULL)
    cryo_trend_plot_get_visible_range (self->leader, begin_us, end_us);
}

/* The channels plotted: the visible series of the shown plots. */
static GPtrArray *
cryo_trend_view_collect_channels (CryoTrendView *self)
{
  GPtrArray *channels = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint p = 0; p < N_SLOTS; p++)
    {
      CryoTrendPlot *plot = self->slots[p].plot;

      if (plot == NULL || !gtk_widget_get_visible (GTK_WIDGET (plot)))
        continue;

      for (guint i = 0; i < self->slots[p].channels->len; i++)
        {
          CryoChannel *channel = g_ptr_array_index (self->slots[p].channels, i);

          if (cryo_trend_plot_get_series_visible (plot, channel))
            g_ptr_array_add (channels, g_object_ref (channel));
        }
    }

  return channels;
}

/* The CSV series of @channels over [@begin_us, @end_us]. Columns are named
 * `<device>_<channel>` when the channels come from several devices. With
 * @display_units each is in the unit its plot shows (or would show),
 * otherwise in its canonical unit. With @copies, the data is copied there
 * so a worker thread can write it; @names keeps the column names alive. */
static GArray *
cryo_trend_view_build_series (CryoTrendView *self,
                              GPtrArray     *channels,
                              gboolean       display_units,
                              gint64         begin_us,
                              gint64         end_us,
                              GPtrArray     *copies,
                              GPtrArray     *names)
{
  GArray *series = g_array_new (FALSE, TRUE, sizeof (CryoCsvSeries));
  const char *first_device = NULL;
  gboolean spans_devices = FALSE;

  for (guint i = 0; i < channels->len; i++)
    {
      const char *device = cryo_channel_get_device_name (g_ptr_array_index (channels, i));

      if (i == 0)
        first_device = device;
      else if (g_strcmp0 (first_device, device) != 0)
        spans_devices = TRUE;
    }

  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      const CryoHistory *history = cryo_channel_get_history (channel);
      CryoCsvSeries s = { 0 };
      guint slot;

      if (copies != NULL)
        {
          CryoHistory *copy = copy_history_range (history, begin_us, end_us);

          g_ptr_array_add (copies, copy);
          history = copy;
        }

      if (spans_devices)
        {
          char *name = cryo_channel_dup_device_csv_name (channel);

          g_ptr_array_add (names, name);
          s.name = name;
        }
      else
        s.name = cryo_channel_get_csv_name (channel);

      /* What the operator sees is what the file says. */
      s.history = history;
      s.stored_unit = cryo_channel_get_unit (channel);
      if (!display_units)
        s.unit = s.stored_unit;
      else if (slot_for_channel (channel, &slot) && self->slots[slot].plot != NULL)
        s.unit = cryo_trend_plot_get_display_unit (self->slots[slot].plot);
      else
        s.unit = cryo_display_unit_for_channel (self->settings, channel);
      if (cryo_unit_get_quantity (s.unit) != cryo_unit_get_quantity (s.stored_unit))
        s.unit = s.stored_unit;
      s.digits = cryo_channel_get_digits (channel);
      g_array_append_val (series, s);
    }

  return series;
}

/**
 * cryo_trend_view_export:
 * @self: a #CryoTrendView
 * @path: the file to write
 * @error: a #GFileError or #GIOError naming the file
 *
 * Writes the plotted time range of the plotted (visible) series as CSV, in
 * the calling thread.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
cryo_trend_view_export (CryoTrendView  *self,
                        const char     *path,
                        GError        **error)
{
  g_autoptr(GArray) series = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) channels = NULL;
  gint64 begin_us, end_us;

  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  channels = cryo_trend_view_collect_channels (self);
  visible_range (self, &begin_us, &end_us);
  series = cryo_trend_view_build_series (self, channels, TRUE, begin_us, end_us, NULL, names);

  return cryo_csv_write (path, (const CryoCsvSeries *) (gpointer) series->data, series->len,
                         begin_us, end_us, error);
}

typedef struct
{
  GTask  *task;      /* keeps the job alive until the main context is told */
  double  fraction;
} ExportProgress;

static void
export_progress_free (gpointer data)
{
  ExportProgress *progress = data;

  g_object_unref (progress->task);
  g_free (progress);
}

static gboolean
export_progress_idle_cb (gpointer data)
{
  ExportProgress *progress = data;
  ExportJob *job = g_task_get_task_data (progress->task);

  job->progress (progress->fraction, job->progress_data);
  return G_SOURCE_REMOVE;
}

/* In the worker: tell the main context. */
static void
export_progress_cb (double   fraction,
                    gpointer data)
{
  GTask *task = data;
  ExportJob *job = g_task_get_task_data (task);
  ExportProgress *progress = g_new (ExportProgress, 1);

  progress->task = g_object_ref (task);
  progress->fraction = fraction;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, export_progress_idle_cb,
                              progress, export_progress_free);
}

/* The part of each series older than its history in memory comes from
 * the archive, read in this worker over a connection of its own, and goes
 * before the samples in memory. */
static gboolean
export_add_archived (ExportJob     *job,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(CryoArchive) archive = NULL;

  for (guint i = 0; i < job->series->len; i++)
    {
      CryoCsvSeries *s = &g_array_index (job->series, CryoCsvSeries, i);
      gint64 first_us = g_array_index (job->memory_first_us, gint64, i);
      const char *id = g_ptr_array_index (job->channel_ids, i);
      const char *dot = strchr (id, '.');
      g_autofree char *device_id = NULL;
      g_autoptr(CryoHistory) older = NULL;
      g_autoptr(GError) local_error = NULL;
      CryoHistory *merged;
      CryoHistoryIter iter;
      CryoSample sample;

      if (first_us <= job->begin_us || dot == NULL)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (archive == NULL)
        {
          archive = cryo_archive_open_readonly (job->archive_path, &local_error);
          if (archive == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not read the history archive: %s"), local_error->message);
              return FALSE;
            }
        }

      device_id = g_strndup (id, dot - id);
      older = cryo_archive_read (archive, device_id, dot + 1, job->begin_us,
                                 MIN (job->end_us, first_us - 1), &local_error);
      if (older == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("Could not read the history archive: %s"), local_error->message);
          return FALSE;
        }
      if (cryo_history_get_n_samples (older) == 0)
        continue;

      merged = cryo_history_new (cryo_history_get_n_samples (older) + cryo_history_get_n_samples (s->history) + 1);
      cryo_history_iter_init (&iter, older, G_MININT64, G_MAXINT64);
      while (cryo_history_iter_next (&iter, &sample))
        cryo_history_append (merged, sample.time_us, sample.value);
      cryo_history_iter_init (&iter, s->history, G_MININT64, G_MAXINT64);
      while (cryo_history_iter_next (&iter, &sample))
        cryo_history_append (merged, sample.time_us, sample.value);
      g_ptr_array_add (job->histories, merged);
      s->history = merged;
    }

  return TRUE;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (job->archive_path != NULL && !export_add_archived (job, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!cryo_csv_write_full (job->path, (const CryoCsvSeries *) (gpointer) job->series->data,
                            job->series->len, job->begin_us, job->end_us,
                            job->progress != NULL ? export_progress_cb : NULL, task,
                            cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cryo_trend_view_export_async:
 * @self: a #CryoTrendView
 * @path: the file to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the main thread when the file is written
 * @user_data: data for @callback
 *
 * Like cryo_trend_view_export(), but the plotted data is copied and written
 * in a worker thread, so a week of readings never freezes the window.
 */
void
cryo_trend_view_export_async (CryoTrendView       *self,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GPtrArray) channels = NULL;
  gint64 begin_us, end_us;

  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (path != NULL);

  channels = cryo_trend_view_collect_channels (self);
  visible_range (self, &begin_us, &end_us);
  cryo_trend_view_export_channels_async (self, path, channels, begin_us, end_us, TRUE,
                                         NULL, NULL, NULL, cancellable, callback, user_data);
}

/**
 * cryo_trend_view_export_channels_async:
 * @self: a #CryoTrendView
 * @path: the CSV file to write, in the GLib file name encoding
 * @channels: (element-type CryoChannel): the channels to export, in column order
 * @begin_us: first time to export, µs since the epoch
 * @end_us: last time to export, inclusive
 * @display_units: %TRUE for the units the plots show (the preferences),
 *   %FALSE for each channel's canonical unit (Pa, K, rpm …)
 * @progress: (nullable): called on the main context as the file is
 *   written, with the fraction done
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data once the export is over
 * @cancellable: (nullable): stops the export, leaving @path as it was
 * @callback: called when the file is written or the export failed
 * @user_data: data for @callback
 *
 * Writes the samples of @channels in the range to @path in a worker thread
 * (cryo_csv_write_full(): atomic, locale-independent numbers), columns named
 * `<device>_<channel>` when they come from several devices. The samples are
 * copied first, on the main thread, so that readings go on arriving.
 * Finish with cryo_trend_view_export_finish().
 */
void
cryo_trend_view_export_channels_async (CryoTrendView       *self,
                                       const char          *path,
                                       GPtrArray           *channels,
                                       gint64               begin_us,
                                       gint64               end_us,
                                       gboolean             display_units,
                                       CryoCsvProgressFunc  progress,
                                       gpointer             progress_data,
                                       GDestroyNotify       progress_destroy,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (channels != NULL);

  job = g_new0 (ExportJob, 1);
  job->path = g_strdup (path);
  job->histories = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_history_free);
  job->names = g_ptr_array_new_with_free_func (g_free);
  job->begin_us = begin_us;
  job->end_us = end_us;
  job->series = cryo_trend_view_build_series (self, channels, display_units, begin_us, end_us,
                                              job->histories, job->names);
  job->progress = progress;
  job->progress_data = progress_data;
  job->progress_destroy = progress_destroy;
  job->context = g_main_context_ref_thread_default ();

  if (self->archive != NULL)
    {
      job->archive_path = g_strdup (cryo_archive_get_path (self->archive));
      job->channel_ids = g_ptr_array_new_with_free_func (g_free);
      job->memory_first_us = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; i < channels->len; i++)
        {
          CryoChannel *channel = g_ptr_array_index (channels, i);
          gint64 first_us = G_MAXINT64;

          if (!cryo_history_get_time_range (cryo_channel_get_history (channel), &first_us, NULL))
            first_us = G_MAXINT64;
          g_ptr_array_add (job->channel_ids, g_strdup (cryo_channel_get_id (channel)));
          g_array_append_val (job->memory_first_us, first_us);
        }
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cryo_trend_view_export_async);
  g_task_set_task_data (task, job, export_job_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * cryo_trend_view_export_finish:
 * @self: a #CryoTrendView
 * @result: the #GAsyncResult
 * @error: a #GFileError or #GIOError naming the file
 *
 * Returns: %TRUE when the file was written
 */
gboolean
cryo_trend_view_export_finish (CryoTrendView  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_device_sample_cb (CryoTrendView *self,
                     CryoChannel   *channel,
                     gint64         time_us,
                     double         value,
                     CryoDevice    *device)
{
  guint slot;

  if (slot_for_channel (channel, &slot) && self->slots[slot].plot != NULL)
    cryo_trend_plot_queue_data_changed (self->slots[slot].plot);

  if (self->leader != NULL && cryo_trend_plot_get_origin (self->leader) == 0)
    cryo_trend_view_update_origin (self);
}

/* The oldest reading of anything plotted: while live with less data than
 * the span, the plots start there. O(channels). */
static void
cryo_trend_view_update_origin (CryoTrendView *self)
{
  gint64 origin = 0;

  if (self->leader == NULL)
    return;

  for (guint p = 0; p < N_SLOTS; p++)
    for (guint i = 0; i < self->slots[p].channels->len; i++)
      {
        CryoChannel *channel = g_ptr_array_index (self->slots[p].channels, i);
        gint64 first;

        if (cryo_history_get_time_range (cryo_channel_get_history (channel), &first, NULL))
          origin = origin == 0 ? first : MIN (origin, first);
      }

  cryo_trend_plot_set_origin (self->leader, origin);

  if (self->all && cryo_trend_plot_get_follow (self->leader) && origin > 0)
    {
      self->setting_span = TRUE;
      cryo_trend_plot_set_span (self->leader, g_get_real_time () - origin);
      self->setting_span = FALSE;
    }
}

/* The span button says what is shown; while paused, a bar says where and
 * offers the way back. */
static void
on_range_changed_cb (CryoTrendView *self)
{
  gboolean follow = cryo_trend_plot_get_follow (self->leader);
  g_autofree char *label = NULL;
  g_autofree char *duration = cryo_trend_plot_format_duration (cryo_trend_plot_get_span (self->leader));

  if (follow && self->all)
    label = g_strdup (_("All"));
  else if (follow)
    /* Translators: the span selector while live, "Last 10 min" */
    label = g_strdup_printf (_("Last %s"), duration);
  else
    label = g_strdup (duration);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->span_button), label);

  if (!follow)
    {
      g_autofree char *range = cryo_trend_plot_dup_range_text (self->leader);
      g_autofree char *text = NULL;

      /* Translators: the bar over paused plots, "Paused: 14:00:00 to 18:00:00" */
      text = g_strdup_printf (_("Paused: %s"), range);
      gtk_label_set_label (GTK_LABEL (self->paused_label), text);
    }
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->paused_revealer), !follow);
}

/* A zoom or a chosen span ends "All". */
static void
on_span_changed_cb (CryoTrendView *self)
{
  if (!self->setting_span)
    self->all = FALSE;
  on_range_changed_cb (self);
}

/* A renamed device renames its legend entries. */
static void
on_device_name_cb (CryoTrendView *self)
{
  for (guint p = 0; p < N_SLOTS; p++)
    if (self->slots[p].plot != NULL)
      gtk_widget_queue_draw (GTK_WIDGET (self->slots[p].plot));
  rebuild_headers (self);
}

/* Only the bottom plot shown labels the shared time axis. */
static void
cryo_trend_view_update_time_labels (CryoTrendView *self)
{
  gboolean labelled = FALSE;

  for (int p = N_SLOTS - 1; p >= 0; p--)
    {
      CryoTrendPlot *plot = self->slots[p].plot;
      gboolean visible;

      if (plot == NULL)
        continue;

      visible = gtk_widget_get_visible (GTK_WIDGET (plot));
      cryo_trend_plot_set_show_time_labels (plot, visible && !labelled);
      labelled |= visible;
    }
}

/**
 * cryo_trend_view_add_device:
 * @self: a #CryoTrendView
 * @device: a device whose channels to plot
 *
 * Plots each of the device's channels on the plot of its quantity, made
 * when a channel of that quantity first appears, in a fixed order: vacuum
 * pressure (log), temperature, rotation speed, gas pressure, percent,
 * frequency, current. Counters and states are not plotted; the phases of
 * a procedure (cryo_channel_get_phases()) are bands behind the
 * temperatures.
 */
void
cryo_trend_view_add_device (CryoTrendView *self,
                            CryoDevice    *device)
{
  GPtrArray *channels;

  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (CRYO_IS_DEVICE (device));

  channels = cryo_device_get_channels (device);
  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      CryoTrendPlot *plot;
      Slot *slot;
      guint index;
      GdkRGBA color;

      /* A procedure's phases: bands behind the temperatures. */
      if (cryo_channel_get_phases (channel) != NULL)
        {
          CryoTrendPlot *temperature = ensure_plot (self, TEMPERATURE_SLOT);

          cryo_trend_plot_add_phases (temperature, channel);
          continue;
        }

      if (!slot_for_channel (channel, &index))
        continue;

      slot = &self->slots[index];
      plot = ensure_plot (self, index);
      /* Colours are told apart within a plot, so each plot starts the palette anew. */
      gdk_rgba_parse (&color, palette[slot->n_colors_used++ % G_N_ELEMENTS (palette)]);
      cryo_trend_plot_add_series (plot, channel, &color);
      g_ptr_array_add (slot->channels, g_object_ref (channel));
      gtk_widget_set_visible (GTK_WIDGET (plot), TRUE);
    }

  cryo_trend_view_update_time_labels (self);
  rebuild_headers (self);

  g_signal_connect_object (device, "sample", G_CALLBACK (on_device_sample_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::name", G_CALLBACK (on_device_name_cb),
                           self, G_CONNECT_SWAPPED);
}

/**
 * cryo_trend_view_remove_device:
 * @self: a #CryoTrendView
 * @device: a device added with cryo_trend_view_add_device()
 *
 * Stops plotting the device's channels; plots left empty are hidden.
 */
void
cryo_trend_view_remove_device (CryoTrendView *self,
                               CryoDevice    *device)
{
  GPtrArray *channels;

  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (CRYO_IS_DEVICE (device));

  g_signal_handlers_disconnect_by_data (device, self);

  channels = cryo_device_get_channels (device);
  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      Slot *slot;
      guint index;

      if (cryo_channel_get_phases (channel) != NULL)
        {
          if (self->slots[TEMPERATURE_SLOT].plot != NULL)
            cryo_trend_plot_remove_series (self->slots[TEMPERATURE_SLOT].plot, channel);
          continue;
        }

      if (!slot_for_channel (channel, &index))
        continue;

      slot = &self->slots[index];
      if (slot->plot == NULL || !g_ptr_array_remove (slot->channels, channel))
        continue;

      cryo_trend_plot_remove_series (slot->plot, channel);
      if (slot->channels->len == 0)
        {
          gtk_widget_set_visible (GTK_WIDGET (slot->plot), FALSE);
          slot->n_colors_used = 0;
        }
    }

  cryo_trend_view_update_time_labels (self);
  rebuild_headers (self);
}

static void
on_units_changed_cb (CryoTrendView *self)
{
  for (guint p = 0; p < N_SLOTS; p++)
    if (self->slots[p].plot != NULL)
      cryo_trend_plot_set_display_unit (self->slots[p].plot,
                                        cryo_display_unit_for (self->settings, slot_infos[p].quantity,
                                                               slot_infos[p].scale));
  rebuild_headers (self);
}

/**
 * cryo_trend_view_set_settings:
 * @self: a #CryoTrendView
 * @settings: the application settings
 *
 * Follows the display unit preferences.
 */
void
cryo_trend_view_set_settings (CryoTrendView *self,
                              GSettings     *settings)
{
  static const char * const keys[] = {
    "changed::pressure-unit", "changed::temperature-unit", "changed::compressor-pressure-unit",
  };

  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_signal_connect_object (settings, keys[i], G_CALLBACK (on_units_changed_cb),
                             self, G_CONNECT_SWAPPED);
  on_units_changed_cb (self);
}

/**
 * cryo_trend_view_set_archive:
 * @self: a #CryoTrendView
 * @archive: (nullable): the session's history archive
 *
 * Lets the plots show spans older than the live span kept in memory.
 */
void
cryo_trend_view_set_archive (CryoTrendView *self,
                             CryoArchive   *archive)
{
  g_return_if_fail (CRYO_IS_TREND_VIEW (self));

  if (!g_set_object (&self->archive, archive))
    return;
  for (guint p = 0; p < N_SLOTS; p++)
    if (self->slots[p].plot != NULL)
      cryo_trend_plot_set_archive (self->slots[p].plot, archive);
}

/**
 * cryo_trend_view_set_events:
 * @self: a #CryoTrendView
 * @events: (nullable): a #GListModel of #CryoEvent in time order
 *
 * Marks the actions and alarms of @events on every plot's time axis
 * (cryo_trend_plot_set_events()).
 */
void
cryo_trend_view_set_events (CryoTrendView *self,
                            GListModel    *events)
{
  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (events == NULL || G_IS_LIST_MODEL (events));

  if (!g_set_object (&self->events, events))
    return;
  for (guint p = 0; p < N_SLOTS; p++)
    if (self->slots[p].plot != NULL)
      cryo_trend_plot_set_events (self->slots[p].plot, events);
}

/**
 * cryo_trend_view_follow_live:
 * @self: a #CryoTrendView
 *
 * Returns every plot to live follow, as a double-click does.
 */
void
cryo_trend_view_follow_live (CryoTrendView *self)
{
  g_return_if_fail (CRYO_IS_TREND_VIEW (self));

  if (self->leader != NULL)
    cryo_trend_plot_set_follow (self->leader, TRUE);
}

/**
 * cryo_trend_view_get_plot:
 * @self: a #CryoTrendView
 * @quantity: a quantity
 * @scale: %CRYO_SCALE_LOG for vacuum pressures, else %CRYO_SCALE_LINEAR
 *
 * Returns: (transfer none) (nullable): the plot of @quantity, %NULL while no
 *   channel of it has appeared
 */
CryoTrendPlot *
cryo_trend_view_get_plot (CryoTrendView *self,
                          CryoQuantity   quantity,
                          CryoScale      scale)
{
  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), NULL);

  for (guint i = 0; i < N_SLOTS; i++)
    if (slot_infos[i].quantity == quantity && slot_infos[i].scale == scale)
      return self->slots[i].plot;

  return NULL;
}

/**
 * cryo_trend_view_get_n_plots:
 * @self: a #CryoTrendView
 *
 * Returns: how many plots are shown
 */
guint
cryo_trend_view_get_n_plots (CryoTrendView *self)
{
  guint n = 0;

  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), 0);

  for (guint i = 0; i < N_SLOTS; i++)
    if (self->slots[i].plot != NULL && gtk_widget_get_visible (GTK_WIDGET (self->slots[i].plot)))
      n++;

  return n;
}

/* While following, "now" moves even when no reading arrives (a station that
 * stopped answering): keep the time axis moving, once a second. */
static gboolean
cryo_trend_view_clock_cb (gpointer user_data)
{
  CryoTrendView *self = user_data;

  if (self->leader == NULL)
    return G_SOURCE_CONTINUE;

  /* Readings loaded from the archive, a device removed: the oldest moves. */
  cryo_trend_view_update_origin (self);

  for (guint p = 0; p < N_SLOTS; p++)
    {
      CryoTrendPlot *plot = self->slots[p].plot;

      if (plot == NULL || !gtk_widget_get_visible (GTK_WIDGET (plot)))
        continue;
      if (cryo_trend_plot_get_follow (self->leader))
        cryo_trend_plot_queue_data_changed (plot);
      cryo_trend_plot_update_accessible (plot);
    }

  if (cryo_trend_plot_get_follow (self->leader))
    on_range_changed_cb (self);

  return G_SOURCE_CONTINUE;
}

/* Stacked plots share one time axis, so their y axes take the same width,
 * applied after the frame that measured them. */
static gboolean
cryo_trend_view_align_axes_cb (gpointer user_data)
{
  CryoTrendView *self = user_data;
  double width = 0;

  self->axis_idle = 0;

  for (guint p = 0; p < N_SLOTS; p++)
    {
      CryoTrendPlot *plot = self->slots[p].plot;
      double plot_width;

      if (plot == NULL || !gtk_widget_get_visible (GTK_WIDGET (plot)))
        continue;

      g_object_get (plot, "axis-width", &plot_width, NULL);
      width = MAX (width, plot_width);
    }

  for (guint p = 0; p < N_SLOTS; p++)
    if (self->slots[p].plot != NULL)
      g_object_set (self->slots[p].plot, "min-axis-width", width, NULL);

  return G_SOURCE_REMOVE;
}

static void
on_axis_width_changed_cb (CryoTrendView *self)
{
  if (self->axis_idle == 0)
    self->axis_idle = g_idle_add (cryo_trend_view_align_axes_cb, self);
}

static void
cryo_trend_view_map (GtkWidget *widget)
{
  CryoTrendView *self = CRYO_TREND_VIEW (widget);

  GTK_WIDGET_CLASS (cryo_trend_view_parent_class)->map (widget);

  if (self->clock_source == 0)
    self->clock_source = g_timeout_add_seconds (1, cryo_trend_view_clock_cb, self);
}

static void
cryo_trend_view_unmap (GtkWidget *widget)
{
  CryoTrendView *self = CRYO_TREND_VIEW (widget);

  g_clear_handle_id (&self->clock_source, g_source_remove);

  GTK_WIDGET_CLASS (cryo_trend_view_parent_class)->unmap (widget);
}

static void
cryo_trend_view_dispose (GObject *object)
{
  CryoTrendView *self = CRYO_TREND_VIEW (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_handle_id (&self->axis_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_TREND_VIEW);
  g_clear_object (&self->settings);
  g_clear_object (&self->archive);
  g_clear_object (&self->events);
  for (guint p = 0; p < N_SLOTS; p++)
    g_clear_pointer (&self->slots[p].channels, g_ptr_array_unref);

  G_OBJECT_CLASS (cryo_trend_view_parent_class)->dispose (object);
}


static void
cryo_trend_view_span_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CryoTrendView *self = CRYO_TREND_VIEW (widget);
  guint64 seconds;

  if (self->leader == NULL
      || !g_ascii_string_to_unsigned (g_variant_get_string (parameter, NULL), 10, 0,
                                      G_MAXINT64 / G_USEC_PER_SEC / 4, &seconds, NULL))
    return;

  g_object_freeze_notify (G_OBJECT (self->leader));
  self->setting_span = TRUE;
  if (seconds == 0)
    {
      gint64 origin = cryo_trend_plot_get_origin (self->leader);

      self->all = TRUE;
      cryo_trend_plot_set_span (self->leader, origin > 0 ? g_get_real_time () - origin
                                                         : CRYO_TREND_PLOT_DEFAULT_SPAN);
    }
  else
    {
      self->all = FALSE;
      cryo_trend_plot_set_span (self->leader, (gint64) seconds * G_USEC_PER_SEC);
    }
  self->setting_span = FALSE;
  cryo_trend_plot_set_follow (self->leader, TRUE);
  g_object_thaw_notify (G_OBJECT (self->leader));
  on_range_changed_cb (self);
}

static void
cryo_trend_view_live_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  cryo_trend_view_follow_live (CRYO_TREND_VIEW (widget));
}

/**
 * cryo_trend_view_parse_time:
 * @text: a local date and time as a person types it: "2026-12-01 14:00",
 *   with seconds or without, a "T" for the space, or an ISO 8601 time with
 *   its offset
 * @time_us: (out): the time, µs since the epoch
 *
 * Returns: %FALSE when @text is no such time
 */
gboolean
cryo_trend_view_parse_time (const char *text,
                            gint64     *time_us)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *iso = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (time_us != NULL, FALSE);

  iso = g_strstrip (g_strdup (text));
  g_strdelimit (iso, " ", 'T');
  parts = g_strsplit (iso, "T", 2);
  if (parts[0] == NULL || parts[0][0] == '\0')
    return FALSE;

  /* GLib wants the seconds and a time. */
  if (parts[1] == NULL)
    {
      g_free (iso);
      iso = g_strconcat (parts[0], "T00:00:00", NULL);
    }
  else if (strchr (parts[1], ':') == strrchr (parts[1], ':') && strchr (parts[1], ':') != NULL
           && strpbrk (parts[1], "Z+-") == NULL)
    {
      g_free (iso);
      iso = g_strconcat (parts[0], "T", parts[1], ":00", NULL);
    }

  time = g_date_time_new_from_iso8601 (iso, local);
  if (time == NULL)
    return FALSE;

  *time_us = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

typedef struct
{
  CryoTrendView *view;
  GtkWidget     *from;
  GtkWidget     *to;
} RangeDialog;

static gboolean
range_dialog_get (RangeDialog *data,
                  gint64      *begin_us,
                  gint64      *end_us)
{
  return cryo_trend_view_parse_time (gtk_editable_get_text (GTK_EDITABLE (data->from)), begin_us)
         && cryo_trend_view_parse_time (gtk_editable_get_text (GTK_EDITABLE (data->to)), end_us)
         && *end_us - *begin_us >= CRYO_TREND_PLOT_MIN_SPAN;
}

static void
range_dialog_changed_cb (AdwMessageDialog *dialog)
{
  RangeDialog *data = g_object_get_data (G_OBJECT (dialog), "range");
  gint64 begin, end;
  gboolean valid = range_dialog_get (data, &begin, &end);
  gint64 dummy;

  adw_message_dialog_set_response_enabled (dialog, "show", valid);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *entry = i == 0 ? data->from : data->to;

      if (cryo_trend_view_parse_time (gtk_editable_get_text (GTK_EDITABLE (entry)), &dummy))
        gtk_widget_remove_css_class (entry, "error");
      else
        gtk_widget_add_css_class (entry, "error");
    }
}

static void
range_dialog_response_cb (AdwMessageDialog *dialog,
                          const char       *response)
{
  RangeDialog *data = g_object_get_data (G_OBJECT (dialog), "range");
  gint64 begin, end;

  if (g_strcmp0 (response, "show") == 0 && range_dialog_get (data, &begin, &end))
    cryo_trend_view_show_range (data->view, begin, end);
}

static GtkWidget *
range_entry (const char *text,
             const char *accessible_label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  return entry;
}

/**
 * cryo_trend_view_format_time:
 * @time_us: a time, µs since the epoch
 *
 * The counterpart of cryo_trend_view_parse_time(): @time_us as a person
 * types it into a range field, local time to the second.
 *
 * Returns: (transfer full): "2026-12-01 14:00:00", or "" for a time
 *   GDateTime cannot hold
 */
char *
cryo_trend_view_format_time (gint64 time_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

static void
cryo_trend_view_custom_range_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CryoTrendView *self = CRYO_TREND_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  RangeDialog *data;
  GtkWidget *dialog, *grid, *label;
  gint64 begin, end;

  begin = end = g_get_real_time ();
  begin -= CRYO_TREND_PLOT_DEFAULT_SPAN;
  if (self->leader != NULL)
    cryo_trend_plot_get_visible_range (self->leader, &begin, &end);
  from_text = cryo_trend_view_format_time (begin);
  to_text = cryo_trend_view_format_time (end);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Show a Time Range"),
                                   _("Local date and time, as 2026-12-01 14:00"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "show", _("_Show"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "show",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "show");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (RangeDialog, 1);
  data->view = self;
  data->from = range_entry (from_text, _("From"));
  data->to = range_entry (to_text, _("To"));
  g_object_set_data_full (G_OBJECT (dialog), "range", data, g_free);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  label = gtk_label_new_with_mnemonic (_("_From"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), data->from);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), data->from, 1, 0, 1, 1);
  label = gtk_label_new_with_mnemonic (_("_To"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), data->to);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), data->to, 1, 1, 1, 1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);

  g_signal_connect_swapped (data->from, "changed", G_CALLBACK (range_dialog_changed_cb), dialog);
  g_signal_connect_swapped (data->to, "changed", G_CALLBACK (range_dialog_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (range_dialog_response_cb), NULL);

  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * cryo_trend_view_show_range:
 * @self: a #CryoTrendView
 * @begin_us: the left edge, µs since the epoch
 * @end_us: the right edge, µs since the epoch; at least 10 s after @begin_us
 *
 * Pauses every plot on the range from @begin_us to @end_us (a custom range).
 */
void
cryo_trend_view_show_range (CryoTrendView *self,
                            gint64         begin_us,
                            gint64         end_us)
{
  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (end_us > begin_us);

  if (self->leader == NULL)
    return;

  /* In this order, each reaching the other plots through their bindings
   * at once: a plot that stops following keeps its view end. */
  self->all = FALSE;
  cryo_trend_plot_set_view_end (self->leader, end_us);
  cryo_trend_plot_set_span (self->leader, end_us - begin_us);
  cryo_trend_plot_set_follow (self->leader, FALSE);
  on_range_changed_cb (self);
}

static void
cryo_trend_view_class_init (CryoTrendViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_assert (slot_infos[TEMPERATURE_SLOT].quantity == CRYO_QUANTITY_TEMPERATURE);

  object_class->dispose = cryo_trend_view_dispose;

  widget_class->map = cryo_trend_view_map;
  widget_class->unmap = cryo_trend_view_unmap;

  g_type_ensure (CRYO_TYPE_TREND_PLOT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-trend-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, content);
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, box);
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, paused_revealer);
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, paused_label);
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, span_button);

  gtk_widget_class_install_action (widget_class, "trend.span", "s", cryo_trend_view_span_action);
  gtk_widget_class_install_action (widget_class, "trend.live", NULL, cryo_trend_view_live_action);
  gtk_widget_class_install_action (widget_class, "trend.custom-range", NULL,
                                   cryo_trend_view_custom_range_action);
}

static void
cryo_trend_view_init (CryoTrendView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->span_button), _("Last 10 min"));

  for (guint p = 0; p < N_SLOTS; p++)
    self->slots[p].channels = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * cryo_trend_view_dup_plotted_channels:
 * @self: a #CryoTrendView
 *
 * Returns: (transfer container) (element-type CryoChannel): the channels
 *   drawn now (visible series of the plots shown), in plot order
 */
GPtrArray *
cryo_trend_view_dup_plotted_channels (CryoTrendView *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), NULL);

  return cryo_trend_view_collect_channels (self);
}

/**
 * cryo_trend_view_get_visible_range:
 * @self: a #CryoTrendView
 * @begin_us: (out): the left edge of the plots, µs since the epoch
 * @end_us: (out): their right edge
 */
void
cryo_trend_view_get_visible_range (CryoTrendView *self,
                                   gint64        *begin_us,
                                   gint64        *end_us)
{
  g_return_if_fail (CRYO_IS_TREND_VIEW (self));

  visible_range (self, begin_us, end_us);
}
