/* cryo-trend-plot.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cryo-archive.h"
#include "cryo-channel.h"

G_BEGIN_DECLS

#define CRYO_TYPE_TREND_PLOT (cryo_trend_plot_get_type())

G_DECLARE_FINAL_TYPE (CryoTrendPlot, cryo_trend_plot, CRYO, TREND_PLOT, GtkWidget)

/**
 * CryoPhaseBand:
 * @channel: (transfer none): the phase channel
 * @begin_us: where the band starts on the time axis, µs since the epoch
 * @end_us: where it ends
 * @value: the phase code
 * @label: (transfer none): the phase's translated name
 *
 * One labelled band behind a plot's traces: a stretch of time in which a
 * procedure (a Cryostream program, a cryopump regeneration) was in one
 * phase, at the resolution of the last frame's pixel columns.
 */
typedef struct
{
  CryoChannel *channel;
  gint64       begin_us;
  gint64       end_us;
  int          value;
  const char  *label;
} CryoPhaseBand;

/* Narrowest and default visible time span, µs. */
#define CRYO_TREND_PLOT_MIN_SPAN     (G_GINT64_CONSTANT (10) * G_USEC_PER_SEC)
#define CRYO_TREND_PLOT_DEFAULT_SPAN (G_GINT64_CONSTANT (600) * G_USEC_PER_SEC)

GtkWidget *cryo_trend_plot_new                  (void);
void       cryo_trend_plot_add_series           (CryoTrendPlot  *self,
                                                 CryoChannel    *channel,
                                                 const GdkRGBA  *color);
void       cryo_trend_plot_remove_all_series    (CryoTrendPlot  *self);
void       cryo_trend_plot_remove_series        (CryoTrendPlot  *self,
                                                 CryoChannel    *channel);
guint      cryo_trend_plot_get_n_series         (CryoTrendPlot  *self);
void       cryo_trend_plot_add_phases           (CryoTrendPlot  *self,
                                                 CryoChannel    *channel);
guint      cryo_trend_plot_get_n_phases         (CryoTrendPlot  *self);
GArray    *cryo_trend_plot_dup_phase_bands      (CryoTrendPlot  *self);
void       cryo_trend_plot_set_series_visible   (CryoTrendPlot  *self,
                                                 CryoChannel    *channel,
                                                 gboolean        visible);
gboolean   cryo_trend_plot_get_series_visible   (CryoTrendPlot  *self,
                                                 CryoChannel    *channel);
CryoScale  cryo_trend_plot_get_scale            (CryoTrendPlot  *self);
void       cryo_trend_plot_set_scale            (CryoTrendPlot  *self,
                                                 CryoScale       scale);
CryoUnit   cryo_trend_plot_get_display_unit     (CryoTrendPlot  *self);
void       cryo_trend_plot_set_display_unit     (CryoTrendPlot  *self,
                                                 CryoUnit        unit);
const char *cryo_trend_plot_get_title           (CryoTrendPlot  *self);
void       cryo_trend_plot_set_title            (CryoTrendPlot  *self,
                                                 const char     *title);
gboolean   cryo_trend_plot_get_follow           (CryoTrendPlot  *self);
void       cryo_trend_plot_set_follow           (CryoTrendPlot  *self,
                                                 gboolean        follow);
gint64     cryo_trend_plot_get_span             (CryoTrendPlot  *self);
void       cryo_trend_plot_set_span             (CryoTrendPlot  *self,
                                                 gint64          span_us);
gint64     cryo_trend_plot_get_view_end         (CryoTrendPlot  *self);
void       cryo_trend_plot_set_view_end         (CryoTrendPlot  *self,
                                                 gint64          view_end_us);
void       cryo_trend_plot_set_show_header      (CryoTrendPlot  *self,
                                                 gboolean        show_header);
gboolean   cryo_trend_plot_get_series_color     (CryoTrendPlot  *self,
                                                 CryoChannel    *channel,
                                                 GdkRGBA        *color);
char      *cryo_trend_plot_dup_heading          (CryoTrendPlot  *self);
gint64     cryo_trend_plot_get_origin           (CryoTrendPlot  *self);
void       cryo_trend_plot_set_origin           (CryoTrendPlot  *self,
                                                 gint64          origin_us);
char      *cryo_trend_plot_format_duration      (gint64          span_us);
char      *cryo_trend_plot_dup_range_text       (CryoTrendPlot  *self);
char      *cryo_trend_plot_dup_accessible_description (CryoTrendPlot  *self);
void       cryo_trend_plot_update_accessible    (CryoTrendPlot  *self);
gboolean   cryo_trend_plot_get_show_time_labels (CryoTrendPlot  *self);
void       cryo_trend_plot_set_show_time_labels (CryoTrendPlot  *self,
                                                 gboolean        show_time_labels);
void       cryo_trend_plot_get_visible_range    (CryoTrendPlot  *self,
                                                 gint64         *begin_us,
                                                 gint64         *end_us);
void       cryo_trend_plot_zoom                 (CryoTrendPlot  *self,
                                                 double          factor,
                                                 gint64          anchor_us);
void       cryo_trend_plot_pan                  (CryoTrendPlot  *self,
                                                 gint64          delta_us);
gint64     cryo_trend_plot_get_time_at_x        (CryoTrendPlot  *self,
                                                 double          x);
double     cryo_trend_plot_get_x_at_time        (CryoTrendPlot  *self,
                                                 gint64          time_us);
char      *cryo_trend_plot_get_hover_text       (CryoTrendPlot  *self,
                                                 gint64          time_us);
void       cryo_trend_plot_set_hover_time       (CryoTrendPlot  *self,
                                                 gint64          time_us);
void       cryo_trend_plot_queue_data_changed   (CryoTrendPlot  *self);
void       cryo_trend_plot_draw                 (CryoTrendPlot  *self,
                                                 cairo_t        *cr,
                                                 int             width,
                                                 int             height);

void           cryo_trend_plot_set_archive        (CryoTrendPlot *self,
                                                   CryoArchive   *archive);
gboolean       cryo_trend_plot_get_loading        (CryoTrendPlot *self);
void           cryo_trend_plot_set_events         (CryoTrendPlot *self,
                                                   GListModel    *events);
char          *cryo_trend_plot_dup_marker_text    (CryoTrendPlot *self,
                                                   double         x,
                                                   double         y);

G_END_DECLS
