/* cryo-trend-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cryo-csv.h"
#include "cryo-device.h"
#include "cryo-trend-plot.h"

G_BEGIN_DECLS

#define CRYO_TYPE_TREND_VIEW (cryo_trend_view_get_type ())

G_DECLARE_FINAL_TYPE (CryoTrendView, cryo_trend_view, CRYO, TREND_VIEW, GtkWidget)

void           cryo_trend_view_set_settings       (CryoTrendView        *self,
                                                   GSettings            *settings);
void           cryo_trend_view_add_device         (CryoTrendView        *self,
                                                   CryoDevice           *device);
void           cryo_trend_view_remove_device      (CryoTrendView        *self,
                                                   CryoDevice           *device);
void           cryo_trend_view_follow_live        (CryoTrendView        *self);
void           cryo_trend_view_show_range         (CryoTrendView        *self,
                                                   gint64                begin_us,
                                                   gint64                end_us);
gboolean       cryo_trend_view_parse_time         (const char           *text,
                                                   gint64               *time_us);
char          *cryo_trend_view_format_time        (gint64                time_us);
CryoTrendPlot *cryo_trend_view_get_plot           (CryoTrendView        *self,
                                                   CryoQuantity          quantity,
                                                   CryoScale             scale);
guint          cryo_trend_view_get_n_plots        (CryoTrendView        *self);
gboolean       cryo_trend_view_export             (CryoTrendView        *self,
                                                   const char           *path,
                                                   GError              **error);
void           cryo_trend_view_export_async       (CryoTrendView        *self,
                                                   const char           *path,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
void           cryo_trend_view_export_channels_async (CryoTrendView       *self,
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
                                                      gpointer             user_data);
GPtrArray     *cryo_trend_view_dup_plotted_channels  (CryoTrendView       *self);
void           cryo_trend_view_get_visible_range     (CryoTrendView       *self,
                                                      gint64              *begin_us,
                                                      gint64              *end_us);
gboolean       cryo_trend_view_export_finish      (CryoTrendView        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

void           cryo_trend_view_set_archive  (CryoTrendView *self,
                                             CryoArchive   *archive);
void           cryo_trend_view_set_events   (CryoTrendView *self,
                                             GListModel    *events);

G_END_DECLS
