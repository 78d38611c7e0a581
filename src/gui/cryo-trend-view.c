/* cryo-trend-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-trend-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-csv.h"
#include "cryo-display-units.h"
#include "cryo-status.h"
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
  GPtrArray     *channels;
  guint          n_colors_used;
} Slot;

struct _CryoTrendView
{
  GtkWidget      parent_instance;

  GSettings     *settings;
  Slot           slots[N_SLOTS];
  CryoTrendPlot *leader;      /* the first plot made: the others share its time axis */
  guint          clock_source;
  guint          axis_idle;

  GtkWidget     *box;
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
static void cryo_trend_view_update_time_labels (CryoTrendView *self);

static CryoTrendPlot *
ensure_plot (CryoTrendView *self,
             guint          slot)
{
  static const char * const shared[] = { "span", "view-end", "follow" };
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

  /* In the fixed order, after the plots of the slots above it. */
  for (int i = (int) slot - 1; i >= 0 && previous == NULL; i--)
    previous = (GtkWidget *) self->slots[i].plot;
  gtk_box_insert_child_after (GTK_BOX (self->box), GTK_WIDGET (plot), previous);

  g_signal_connect_object (plot, "notify::axis-width",
                           G_CALLBACK (on_axis_width_changed_cb), self, G_CONNECT_SWAPPED);

  /* One time axis for every plot. */
  if (self->leader == NULL)
    self->leader = plot;
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

/* Which series are plotted: the visible ones of the shown plots, over the
 * time range the plots show, each in the unit its plot shows. Columns are
 * named `<device>_<channel>` when the series come from several devices.
 * With @copies, the data is copied there so a worker thread can write it;
 * @names keeps the column names alive. */
static GArray *
cryo_trend_view_collect_series (CryoTrendView *self,
                                GPtrArray     *copies,
                                GPtrArray     *names,
                                gint64        *begin_us,
                                gint64        *end_us)
{
  GArray *series = g_array_new (FALSE, TRUE, sizeof (CryoCsvSeries));
  g_autoptr(GPtrArray) channels = g_ptr_array_new ();
  const char *first_device = NULL;
  gboolean spans_devices = FALSE;

  *begin_us = *end_us = g_get_real_time ();
  if (self->leader != NULL)
    cryo_trend_plot_get_visible_range (self->leader, begin_us, end_us);

  for (guint p = 0; p < N_SLOTS; p++)
    {
      CryoTrendPlot *plot = self->slots[p].plot;

      if (plot == NULL || !gtk_widget_get_visible (GTK_WIDGET (plot)))
        continue;

      for (guint i = 0; i < self->slots[p].channels->len; i++)
        {
          CryoChannel *channel = g_ptr_array_index (self->slots[p].channels, i);
          const char *device = cryo_channel_get_device_name (channel);

          if (!cryo_trend_plot_get_series_visible (plot, channel))
            continue;

          if (channels->len == 0)
            first_device = device;
          else if (g_strcmp0 (first_device, device) != 0)
            spans_devices = TRUE;
          g_ptr_array_add (channels, channel);
        }
    }

  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      const CryoHistory *history = cryo_channel_get_history (channel);
      CryoCsvSeries s = { 0 };
      guint slot;

      if (copies != NULL)
        {
          CryoHistory *copy = copy_history_range (history, *begin_us, *end_us);

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
      slot_for_channel (channel, &slot);
      s.history = history;
      s.stored_unit = cryo_channel_get_unit (channel);
      s.unit = cryo_trend_plot_get_display_unit (self->slots[slot].plot);
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
  gint64 begin_us, end_us;

  g_return_val_if_fail (CRYO_IS_TREND_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  series = cryo_trend_view_collect_series (self, NULL, names, &begin_us, &end_us);

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
  job->names = g_ptr_array_new_with_free_func (g_free);
  job->series = cryo_trend_view_collect_series (self, job->histories, job->names,
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
  guint slot;

  if (slot_for_channel (channel, &slot) && self->slots[slot].plot != NULL)
    cryo_trend_plot_queue_data_changed (self->slots[slot].plot);
}

/* A renamed device renames its legend entries. */
static void
on_device_name_cb (CryoTrendView *self)
{
  for (guint p = 0; p < N_SLOTS; p++)
    if (self->slots[p].plot != NULL)
      gtk_widget_queue_draw (GTK_WIDGET (self->slots[p].plot));
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
}

static void
on_units_changed_cb (CryoTrendView *self)
{
  for (guint p = 0; p < N_SLOTS; p++)
    if (self->slots[p].plot != NULL)
      cryo_trend_plot_set_display_unit (self->slots[p].plot,
                                        cryo_display_unit_for (self->settings, slot_infos[p].quantity,
                                                               slot_infos[p].scale));
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

  if (self->leader != NULL && cryo_trend_plot_get_follow (self->leader))
    {
      for (guint p = 0; p < N_SLOTS; p++)
        if (self->slots[p].plot != NULL)
          cryo_trend_plot_queue_data_changed (self->slots[p].plot);
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
  for (guint p = 0; p < N_SLOTS; p++)
    g_clear_pointer (&self->slots[p].channels, g_ptr_array_unref);

  G_OBJECT_CLASS (cryo_trend_view_parent_class)->dispose (object);
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
  gtk_widget_class_bind_template_child (widget_class, CryoTrendView, box);
}

static void
cryo_trend_view_init (CryoTrendView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint p = 0; p < N_SLOTS; p++)
    self->slots[p].channels = g_ptr_array_new_with_free_func (g_object_unref);
}
