/* cryo-event-log-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cryo-session.h"
#include "cryo-trend-view.h"

G_BEGIN_DECLS

/**
 * CryoEventRange:
 * @CRYO_EVENT_RANGE_ALL: every event loaded
 * @CRYO_EVENT_RANGE_HOUR: the last hour
 * @CRYO_EVENT_RANGE_DAY: the last 24 hours
 * @CRYO_EVENT_RANGE_WEEK: the last 7 days
 * @CRYO_EVENT_RANGE_TREND: the time range the trend shows (a custom range
 *   set there)
 *
 * The time ranges of the Event Log view's range filter, in the order of
 * its drop-down.
 */
typedef enum
{
  CRYO_EVENT_RANGE_ALL,
  CRYO_EVENT_RANGE_HOUR,
  CRYO_EVENT_RANGE_DAY,
  CRYO_EVENT_RANGE_WEEK,
  CRYO_EVENT_RANGE_TREND,
} CryoEventRange;

#define CRYO_TYPE_EVENT_LOG_VIEW (cryo_event_log_view_get_type ())

G_DECLARE_FINAL_TYPE (CryoEventLogView, cryo_event_log_view, CRYO, EVENT_LOG_VIEW, GtkWidget)

CryoEventLogView *cryo_event_log_view_new            (CryoSession          *session,
                                                      CryoTrendView        *trend_view);
GListModel       *cryo_event_log_view_get_events     (CryoEventLogView     *self);
GListModel       *cryo_event_log_view_get_shown      (CryoEventLogView     *self);
gboolean          cryo_event_log_view_get_loading    (CryoEventLogView     *self);
void              cryo_event_log_view_set_device_id  (CryoEventLogView     *self,
                                                      const char           *device_id);
void              cryo_event_log_view_set_kind       (CryoEventLogView     *self,
                                                      int                   kind);
void              cryo_event_log_view_set_severity   (CryoEventLogView     *self,
                                                      int                   severity);
void              cryo_event_log_view_set_range      (CryoEventLogView     *self,
                                                      CryoEventRange        range);
void              cryo_event_log_view_set_search     (CryoEventLogView     *self,
                                                      const char           *text);
void              cryo_event_log_view_select         (CryoEventLogView     *self,
                                                      guint                 position);
void              cryo_event_log_view_export_async   (CryoEventLogView     *self,
                                                      GFile                *file,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          cryo_event_log_view_export_finish  (CryoEventLogView     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
