/* cryo-trend-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-trend-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-csv.h"
#include "cryo-status.h"
#include "cryo-trend-view.h"

/* The plots, top to bottom. Each takes the channels of one kind. */
typedef enum
{
  PLOT_VACUUM_PRESSURE,
  PLOT_SPEED,
  PLOT_TEMPERATURE,
  PLOT_COMPRESSOR_PRESSURE,
  N_PLOTS
} PlotKind;

struct _CryoTrendView
{
  GtkWidget      parent_instance;

  GSettings     *settings;
  GPtrArray     *channels[N_PLOTS];
  guint          n_colors_used[N_PLOTS];
  guint          clock_source;
  guint          axis_idle;

  GtkWidget     *box;
  CryoTrendPlot *pressure_plot;
  CryoTrendPlot *speed_plot;
  CryoTrendPlot *temperature_plot;
  CryoTrendPlot *compressor_pressure_plot;
};

/* A snapshot of the plotted data, written to the file in a worker thread
 * while the main thread goes on appending to the live histories. */
typedef struct
{
  char      *path;
  GPtrArray *histories;
  GArray    *series;
  gint64     begin_us;
  gint64     end_us;
} ExportJob;

G_DEFINE_FINAL_TYPE (CryoTrendView, cryo_trend_view, GTK_TYPE_WIDGET)

/* GNOME palette: blue, red, green, orange, purple, brown, yellow */
static const char * const palette[] = {
  "#1c71d8", "#c01c28", "#26a269", "#e66100", "#813d9c", "#865e3c", "#e5a50a",
};

static CryoTrendPlot *
get_plot (CryoTrendView *self,
          PlotKind       kind)
{
  switch (kind)
    {
    case PLOT_VACUUM_PRESSURE:     return self->pressure_plot;
    case PLOT_SPEED:               return self->speed_plot;
    case PLOT_TEMPERATURE:         return self->temperature_plot;
    case PLOT_COMPRESSOR_PRESSURE: return self->compressor_pressure_plot;
    case N_PLOTS:
    default:                       g_assert_not_reached ();
    }
}

/* Vacuum pressures on the log plot, compressor pressures (bar, psi) on a
 * linear one: they differ by ten decades. */
static gboolean
plot_kind_for_channel (CryoChannel *channel,
                       PlotKind    *kind)
{
  switch (cryo_channel_get_quantity (channel))
    {
    case CRYO_QUANTITY_PRESSURE:
      *kind = cryo_channel_get_scale (channel) == CRYO_SCALE_LOG
              ? PLOT_VACUUM_PRESSURE : PLOT_COMPRESSOR_PRESSURE;
      return TRUE;

    case CRYO_QUANTITY_ROTATION_SPEED:
      *kind = PLOT_SPEED;
      return TRUE;

    case CRYO_QUANTITY_TEMPERATURE:
      *kind = PLOT_TEMPERATURE;
      return TRUE;

    case CRYO_QUANTITY_NONE:
    case CRYO_QUANTITY_FREQUENCY:
    case CRYO_QUANTITY_CURRENT:
    case CRYO_QUANTITY_PERCENT:
    case CRYO_QUANTITY_DURATION:
    case CRYO_QUANTITY_STATE:
    default:
      return FALSE;
    }
}

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->path);
  g_clear_pointer (&job->histories, g_ptr_array_unref);
  g_clear_pointer (&job->series, g_array_unref);
  g_free (job);
}

/* The unit a channel is written in: the instrument's own where it must be
 * kept (the CPA panel's), else what the plot shows. */
static CryoUnit
export_unit (CryoTrendView *self,
             CryoChannel   *channel,
             CryoTrendPlot *plot)
{
  CryoUnit unit = cryo_channel_get_export_unit (channel);

  if (unit != CRYO_UNIT_NONE)
    return unit;

  unit = cryo_trend_plot_get_display_unit (plot);
  if (unit != CRYO_UNIT_NONE && cryo_unit_get_quantity (unit) == cryo_channel_get_quantity (channel))
    return unit;

  return cryo_channel_get_unit (channel);
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

/* Which series are plotted: the visible ones of the shown plots, over the
 * time range the plots show. With @copies, the data is copied there so a
 * worker thread can write it. */
static GArray *
cryo_trend_view_collect_series (CryoTrendView *self,
                                GPtrArray     *copies,
                                gint64        *begin_us,
                                gint64        *end_us)
{
  GArray *series = g_array_new (FALSE, TRUE, sizeof (CryoCsvSeries));

  cryo_trend_plot_get_visible_range (self->pressure_plot, begin_us, end_us);

  for (guint p = 0; p < N_PLOTS; p++)
    {
      CryoTrendPlot *plot = get_plot (self, p);

      if (!gtk_widget_get_visible (GTK_WIDGET (plot)))
        continue;

      for (guint i = 0; i < self->channels[p]->len; i++)
        {
          CryoChannel *channel = g_ptr_array_index (self->channels[p], i);
          const CryoHistory *history = cryo_channel_get_history (channel);
          CryoCsvSeries s = { 0 };

          if (!cryo_trend_plot_get_series_visible (plot, channel))
            continue;

          if (copies != NULL)
            {
              CryoHistory *copy = copy_history_range (history, *begin_us, *end_us);

              g_ptr_array_add (copies, copy);
              history = copy;
            }

          s.name = cryo_channel_get_csv_name (channel);
          s.history = history;
          s.stored_unit = cryo_channel_get_unit (channel);
          s.unit = export_unit (self, channel, plot);
          s.digits = cryo_channel_get_digits (channel);
          g_array_append_val (series, s);
        }
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
  gint64 begin_us, end_us;

  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  series = cryo_trend_view_collect_series (self, NULL, &begin_us, &end_us);

  return cryo_csv_write (path, (const CryoCsvSeries *) (gpointer) series->data, series->len,
                         begin_us, end_us, error);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (!cryo_csv_write (job->path, (const CryoCsvSeries *) (gpointer) job->series->data,
                       job->series->len, job->begin_us, job->end_us, &error))
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
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (path != NULL);

  job = g_new0 (ExportJob, 1);
  job->path = g_strdup (path);
  job->histories = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_history_free);
  job->series = cryo_trend_view_collect_series (self, job->histories, &job->begin_us, &job->end_us);

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
  PlotKind kind;

  if (plot_kind_for_channel (channel, &kind))
    cryo_trend_plot_queue_data_changed (get_plot (self, kind));
}

/* Only the bottom plot shown labels the shared time axis. */
static void
cryo_trend_view_update_time_labels (CryoTrendView *self)
{
  gboolean labelled = FALSE;

  for (int p = N_PLOTS - 1; p >= 0; p--)
    {
      CryoTrendPlot *plot = get_plot (self, p);
      gboolean visible = gtk_widget_get_visible (GTK_WIDGET (plot));

      cryo_trend_plot_set_show_time_labels (plot, visible && !labelled);
      labelled |= visible;
    }
}

/**
 * cryo_trend_view_add_device:
 * @self: a #CryoTrendView
 * @device: a device whose channels to plot
 *
 * Plots the device's vacuum pressures on the log plot, rotation speeds,
 * temperatures and compressor pressures on linear plots below it; plots
 * with nothing to show stay hidden.
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
      PlotKind kind;
      GdkRGBA color;

      if (!plot_kind_for_channel (channel, &kind))
        continue;

      plot = get_plot (self, kind);
      /* Colours are told apart within a plot, so each plot starts the palette anew. */
      gdk_rgba_parse (&color, palette[self->n_colors_used[kind]++ % G_N_ELEMENTS (palette)]);
      cryo_trend_plot_add_series (plot, channel, &color);
      g_ptr_array_add (self->channels[kind], g_object_ref (channel));
      gtk_widget_set_visible (GTK_WIDGET (plot), TRUE);
    }

  cryo_trend_view_update_time_labels (self);

  g_signal_connect_object (device, "sample", G_CALLBACK (on_device_sample_cb),
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

  g_signal_handlers_disconnect_by_func (device, on_device_sample_cb, self);

  channels = cryo_device_get_channels (device);
  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      CryoTrendPlot *plot;
      PlotKind kind;

      if (!plot_kind_for_channel (channel, &kind) ||
          !g_ptr_array_remove (self->channels[kind], channel))
        continue;

      plot = get_plot (self, kind);
      cryo_trend_plot_remove_series (plot, channel);
      if (self->channels[kind]->len == 0)
        {
          gtk_widget_set_visible (GTK_WIDGET (plot), FALSE);
          self->n_colors_used[kind] = 0;
        }
    }

  cryo_trend_view_update_time_labels (self);
}

static void
on_units_changed_cb (CryoTrendView *self)
{
  cryo_trend_plot_set_display_unit (self->pressure_plot,
                                    cryo_settings_get_unit (self->settings, "pressure-unit",
                                                            CRYO_UNIT_MBAR));
  cryo_trend_plot_set_display_unit (self->temperature_plot,
                                    cryo_settings_get_unit (self->settings, "temperature-unit",
                                                            CRYO_UNIT_KELVIN));
  cryo_trend_plot_set_display_unit (self->compressor_pressure_plot,
                                    cryo_settings_get_unit (self->settings, "compressor-pressure-unit",
                                                            CRYO_UNIT_PSI));
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
 * cryo_trend_view_follow_live:
 * @self: a #CryoTrendView
 *
 * Returns every plot to live follow, as a double-click does.
 */
void
cryo_trend_view_follow_live (CryoTrendView *self)
{
  g_return_if_fail (CRYO_IS_TREND_VIEW (self));

  cryo_trend_plot_set_follow (self->pressure_plot, TRUE);
}

/**
 * cryo_trend_view_get_pressure_plot:
 * @self: a #CryoTrendView
 *
 * Returns: (transfer none): the log-scale vacuum pressure plot
 */
CryoTrendPlot *
cryo_trend_view_get_pressure_plot (CryoTrendView *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), NULL);

  return self->pressure_plot;
}

/**
 * cryo_trend_view_get_speed_plot:
 * @self: a #CryoTrendView
 *
 * Returns: (transfer none): the linear rotation-speed plot
 */
CryoTrendPlot *
cryo_trend_view_get_speed_plot (CryoTrendView *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), NULL);

  return self->speed_plot;
}

/**
 * cryo_trend_view_get_temperature_plot:
 * @self: a #CryoTrendView
 *
 * Returns: (transfer none): the linear temperature plot
 */
CryoTrendPlot *
cryo_trend_view_get_temperature_plot (CryoTrendView *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), NULL);

  return self->temperature_plot;
}

/**
 * cryo_trend_view_get_compressor_pressure_plot:
 * @self: a #CryoTrendView
 *
 * Returns: (transfer none): the linear compressor pressure plot
 */
CryoTrendPlot *
cryo_trend_view_get_compressor_pressure_plot (CryoTrendView *self)
{
  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), NULL);

  return self->compressor_pressure_plot;
}

/* While following, "now" moves even when no reading arrives (a station that
 * stopped answering): keep the time axis moving, once a second. */
static gboolean
cryo_trend_view_clock_cb (gpointer user_data)
{
  CryoTrendView *self = user_data;

  if (cryo_trend_plot_get_follow (self->pressure_plot))
    {
      for (guint p = 0; p < N_PLOTS; p++)
        cryo_trend_plot_queue_data_changed (get_plot (self, p));
    }

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

  for (guint p = 0; p < N_PLOTS; p++)
    {
      CryoTrendPlot *plot = get_plot (self, p);
      double plot_width;

      if (!gtk_widget_get_visible (GTK_WIDGET (plot)))
        continue;

      g_object_get (plot, "axis-width", &plot_width, NULL);
      width = MAX (width, plot_width);
    }

  for (guint p = 0; p < N_PLOTS; p++)
    g_object_set (get_plot (self, p), "min-axis-width", width, NULL);

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
  for (guint p = 0; p < N_PLOTS; p++)
    g_clear_pointer (&self->channels[p], g_ptr_array_unref);

  G_OBJECT_CLASS (cryo_trend_view_parent_class)->dispose (object);
}

static void
cryo_trend_view_class_init (CryoTrendViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cryo_trend_view_dispose;

  widget_class->map = cryo_trend_view_map;
  widget_class->unmap = cryo_trend_view_unmap;

  g_type_ensure (CRYO_TYPE_TREND_PLOT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-trend-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, box);
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, pressure_plot);
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, speed_plot);
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, temperature_plot);
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, compressor_pressure_plot);
}

static void
cryo_trend_view_init (CryoTrendView *self)
{
  static const char * const shared[] = { "span", "view-end", "follow" };

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint p = 0; p < N_PLOTS; p++)
    self->channels[p] = g_ptr_array_new_with_free_func (g_object_unref);

  cryo_trend_plot_set_scale (self->pressure_plot, CRYO_SCALE_LOG);
  cryo_trend_plot_set_display_unit (self->pressure_plot, CRYO_UNIT_MBAR);
  cryo_trend_plot_set_display_unit (self->speed_plot, CRYO_UNIT_RPM);
  cryo_trend_plot_set_display_unit (self->temperature_plot, CRYO_UNIT_KELVIN);
  cryo_trend_plot_set_display_unit (self->compressor_pressure_plot, CRYO_UNIT_PSI);

  for (guint p = 0; p < N_PLOTS; p++)
    {
      CryoTrendPlot *plot = get_plot (self, p);

      g_signal_connect_object (plot, "notify::axis-width",
                               G_CALLBACK (on_axis_width_changed_cb), self, G_CONNECT_SWAPPED);

      /* One time axis for every plot. */
      if (plot != self->pressure_plot)
        for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
          g_object_bind_property (self->pressure_plot, shared[i], plot, shared[i],
                                  G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
    }
}
