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

struct _CryoTrendView
{
  GtkWidget      parent_instance;

  GSettings     *settings;
  GPtrArray     *pressure_channels;
  GPtrArray     *speed_channels;
  guint          n_colors_used;
  guint          clock_source;

  GtkWidget     *box;
  CryoTrendPlot *pressure_plot;
  CryoTrendPlot *speed_plot;
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

/* GNOME palette: blue, red, green, orange, purple */
static const char * const palette[] = { "#1c71d8", "#c01c28", "#26a269", "#e66100", "#813d9c" };

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->path);
  g_clear_pointer (&job->histories, g_ptr_array_unref);
  g_clear_pointer (&job->series, g_array_unref);
  g_free (job);
}

static void
add_series (GArray      *series,
            CryoChannel *channel,
            const CryoHistory *history,
            CryoUnit     unit)
{
  CryoCsvSeries s = { 0 };

  s.name = cryo_channel_get_csv_name (channel);
  s.history = history;
  s.stored_unit = cryo_channel_get_unit (channel);
  s.unit = unit;
  s.digits = cryo_channel_get_digits (channel);
  g_array_append_val (series, s);
}

/* Which series are plotted: the visible ones of both plots, over the time
 * range the plots show. */
static GArray *
cryo_trend_view_collect_series (CryoTrendView *self,
                                gboolean       copy,
                                GPtrArray     *copies,
                                gint64        *begin_us,
                                gint64        *end_us)
{
  GArray *series = g_array_new (FALSE, TRUE, sizeof (CryoCsvSeries));
  struct {
    CryoTrendPlot *plot;
    GPtrArray     *channels;
  } plots[] = {
    { self->pressure_plot, self->pressure_channels },
    { self->speed_plot, self->speed_channels },
  };

  cryo_trend_plot_get_visible_range (self->pressure_plot, begin_us, end_us);

  for (guint p = 0; p < G_N_ELEMENTS (plots); p++)
    {
      for (guint i = 0; i < plots[p].channels->len; i++)
        {
          CryoChannel *channel = g_ptr_array_index (plots[p].channels, i);
          CryoHistory *history = cryo_channel_get_history (channel);
          CryoUnit unit = cryo_channel_get_unit (channel);

          if (!cryo_trend_plot_get_series_visible (plots[p].plot, channel))
            continue;

          if (cryo_channel_get_quantity (channel) == CRYO_QUANTITY_PRESSURE)
            unit = cryo_settings_get_pressure_unit (self->settings);

          if (copy)
            {
              CryoHistoryIter iter;
              CryoSample sample;
              gsize n = 0;
              CryoHistory *snapshot;

              cryo_history_iter_init (&iter, history, *begin_us, *end_us);
              while (cryo_history_iter_next (&iter, &sample))
                n++;

              snapshot = cryo_history_new (MAX (n, 1));
              cryo_history_iter_init (&iter, history, *begin_us, *end_us);
              while (cryo_history_iter_next (&iter, &sample))
                cryo_history_append (snapshot, sample.time_us, sample.value);

              g_ptr_array_add (copies, snapshot);
              history = snapshot;
            }

          add_series (series, channel, history, unit);
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

  series = cryo_trend_view_collect_series (self, FALSE, NULL, &begin_us, &end_us);

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
  job->series = cryo_trend_view_collect_series (self, TRUE, job->histories,
                                                &job->begin_us, &job->end_us);

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
  if (g_ptr_array_find (self->pressure_channels, channel, NULL))
    cryo_trend_plot_queue_data_changed (self->pressure_plot);
  else if (g_ptr_array_find (self->speed_channels, channel, NULL))
    cryo_trend_plot_queue_data_changed (self->speed_plot);
}

/**
 * cryo_trend_view_add_device:
 * @self: a #CryoTrendView
 * @device: a device whose channels to plot
 *
 * Plots the device's pressures on the log plot and its rotation speeds on
 * the linear plot below it.
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
      GPtrArray *list;
      GdkRGBA color;

      switch (cryo_channel_get_quantity (channel))
        {
        case CRYO_QUANTITY_PRESSURE:
          plot = self->pressure_plot;
          list = self->pressure_channels;
          break;

        case CRYO_QUANTITY_ROTATION_SPEED:
          plot = self->speed_plot;
          list = self->speed_channels;
          break;

        default:
          continue;
        }

      gdk_rgba_parse (&color, palette[self->n_colors_used++ % G_N_ELEMENTS (palette)]);
      cryo_trend_plot_add_series (plot, channel, &color);
      g_ptr_array_add (list, g_object_ref (channel));
    }

  g_signal_connect_object (device, "sample", G_CALLBACK (on_device_sample_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
on_pressure_unit_changed_cb (CryoTrendView *self)
{
  cryo_trend_plot_set_display_unit (self->pressure_plot, cryo_settings_get_pressure_unit (self->settings));
}

/**
 * cryo_trend_view_set_settings:
 * @self: a #CryoTrendView
 * @settings: the application settings
 *
 * Follows the pressure display unit preference.
 */
void
cryo_trend_view_set_settings (CryoTrendView *self,
                              GSettings     *settings)
{
  g_return_if_fail (CRYO_IS_TREND_VIEW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::pressure-unit",
                           G_CALLBACK (on_pressure_unit_changed_cb), self, G_CONNECT_SWAPPED);
  on_pressure_unit_changed_cb (self);
}

/**
 * cryo_trend_view_follow_live:
 * @self: a #CryoTrendView
 *
 * Returns both plots to live follow, as a double-click does.
 */
void
cryo_trend_view_follow_live (CryoTrendView *self)
{
  g_return_if_fail (CRYO_IS_TREND_VIEW (self));

  g_object_set (self->pressure_plot, "follow", TRUE, NULL);
}

/**
 * cryo_trend_view_get_pressure_plot:
 * @self: a #CryoTrendView
 *
 * Returns: (transfer none): the log-scale pressure plot
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

/* While following, "now" moves even when no reading arrives (a station that
 * stopped answering): keep the time axis moving, once a second. */
static gboolean
cryo_trend_view_clock_cb (gpointer user_data)
{
  CryoTrendView *self = user_data;

  if (cryo_trend_plot_get_follow (self->pressure_plot))
    {
      cryo_trend_plot_queue_data_changed (self->pressure_plot);
      cryo_trend_plot_queue_data_changed (self->speed_plot);
    }

  return G_SOURCE_CONTINUE;
}

static double
cryo_trend_view_axis_width (CryoTrendPlot *plot)
{
  double width;

  g_object_get (plot, "axis-width", &width, NULL);
  return width;
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

/* Stacked plots share one time axis, so their y axes take the same width. */
static void
on_axis_width_changed_cb (CryoTrendView *self)
{
  double width = MAX (cryo_trend_view_axis_width (self->pressure_plot),
                      cryo_trend_view_axis_width (self->speed_plot));

  g_object_set (self->pressure_plot, "min-axis-width", width, NULL);
  g_object_set (self->speed_plot, "min-axis-width", width, NULL);
}

static void
cryo_trend_view_dispose (GObject *object)
{
  CryoTrendView *self = CRYO_TREND_VIEW (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_TREND_VIEW);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pressure_channels, g_ptr_array_unref);
  g_clear_pointer (&self->speed_channels, g_ptr_array_unref);

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
}

static void
cryo_trend_view_init (CryoTrendView *self)
{
  static const char * const shared[] = { "span", "view-end", "follow" };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->pressure_channels = g_ptr_array_new_with_free_func (g_object_unref);
  self->speed_channels = g_ptr_array_new_with_free_func (g_object_unref);

  g_object_set (self->pressure_plot, "scale", CRYO_SCALE_LOG, NULL);
  g_object_set (self->speed_plot, "scale", CRYO_SCALE_LINEAR, "display-unit", CRYO_UNIT_RPM, NULL);

  g_signal_connect_object (self->pressure_plot, "notify::axis-width",
                           G_CALLBACK (on_axis_width_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->speed_plot, "notify::axis-width",
                           G_CALLBACK (on_axis_width_changed_cb), self, G_CONNECT_SWAPPED);

  /* One time axis for both plots. */
  for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
    g_object_bind_property (self->pressure_plot, shared[i],
                            self->speed_plot, shared[i],
                            G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}
