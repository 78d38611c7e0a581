/* cryo-event.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CryoEventKind:
 * @CRYO_EVENT_KIND_ACTION: an operator asked a device to do something
 *   ("Start"); the user is set
 * @CRYO_EVENT_KIND_ACTION_RESULT: how an action ended ("Start: done",
 *   "Start: refused: Turbo at 812 rpm — must be 0"); the user is set
 * @CRYO_EVENT_KIND_ALARM_RAISED: a device reported an alarm or warning
 *   condition that was not active before
 * @CRYO_EVENT_KIND_ALARM_CLEARED: a condition is no longer active
 * @CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED: an operator acknowledged an alarm;
 *   the user is set
 * @CRYO_EVENT_KIND_CONNECTION_LOST: a device that was connected is not
 *   any more (port gone, no reply)
 * @CRYO_EVENT_KIND_CONNECTION_RESTORED: a device whose connection was lost
 *   is online again
 * @CRYO_EVENT_KIND_MONITORING_STARTED: the session started polling its
 *   devices; the user is set
 * @CRYO_EVENT_KIND_MONITORING_STOPPED: the session stopped polling; the
 *   user is set
 * @CRYO_EVENT_KIND_CONFIGURATION_CHANGED: a device was added, changed or
 *   removed in the devices file; the user is set
 *
 * What an event-log entry records. Its stable name (cryo_event_kind_to_id():
 * "action", "action-result", "alarm-raised", …) is what the log file and
 * the archive store.
 */
typedef enum
{
  CRYO_EVENT_KIND_ACTION,
  CRYO_EVENT_KIND_ACTION_RESULT,
  CRYO_EVENT_KIND_ALARM_RAISED,
  CRYO_EVENT_KIND_ALARM_CLEARED,
  CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED,
  CRYO_EVENT_KIND_CONNECTION_LOST,
  CRYO_EVENT_KIND_CONNECTION_RESTORED,
  CRYO_EVENT_KIND_MONITORING_STARTED,
  CRYO_EVENT_KIND_MONITORING_STOPPED,
  CRYO_EVENT_KIND_CONFIGURATION_CHANGED,
} CryoEventKind;

#define CRYO_N_EVENT_KINDS (CRYO_EVENT_KIND_CONFIGURATION_CHANGED + 1)

/**
 * CryoEventSeverity:
 * @CRYO_EVENT_SEVERITY_INFO: normal operation: an action and its success,
 *   monitoring started or stopped, a configuration change, a condition
 *   cleared or acknowledged, a connection restored
 * @CRYO_EVENT_SEVERITY_WARNING: needs attention but nothing failed: a
 *   warning condition raised, an action refused by an interlock or range
 *   check, an action whose outcome is unknown
 * @CRYO_EVENT_SEVERITY_ALARM: an alarm condition raised
 * @CRYO_EVENT_SEVERITY_ERROR: something failed: an action the instrument
 *   did not carry out, a lost connection
 *
 * How much an event matters, in increasing order, so a filter may keep
 * "warning and worse" with `>=`. Stable names (cryo_event_severity_to_id()):
 * "info", "warning", "alarm", "error".
 */
typedef enum
{
  CRYO_EVENT_SEVERITY_INFO,
  CRYO_EVENT_SEVERITY_WARNING,
  CRYO_EVENT_SEVERITY_ALARM,
  CRYO_EVENT_SEVERITY_ERROR,
} CryoEventSeverity;

#define CRYO_N_EVENT_SEVERITIES (CRYO_EVENT_SEVERITY_ERROR + 1)

/**
 * CryoEventError:
 * @CRYO_EVENT_ERROR_MALFORMED: a log line does not have the fields of
 *   cryo_event_to_line(), or one of them is not valid
 *
 * Why a line of an events.log could not be read.
 */
typedef enum
{
  CRYO_EVENT_ERROR_MALFORMED,
} CryoEventError;

#define CRYO_EVENT_ERROR (cryo_event_error_quark ())

#define CRYO_TYPE_EVENT (cryo_event_get_type ())

G_DECLARE_FINAL_TYPE (CryoEvent, cryo_event, CRYO, EVENT, GObject)

GQuark             cryo_event_error_quark         (void);
CryoEvent         *cryo_event_new                 (gint64              time_us,
                                                   const char         *device_id,
                                                   const char         *device_name,
                                                   CryoEventKind       kind,
                                                   CryoEventSeverity   severity,
                                                   const char         *user,
                                                   const char         *text);
CryoEvent         *cryo_event_new_now             (const char         *device_id,
                                                   const char         *device_name,
                                                   CryoEventKind       kind,
                                                   CryoEventSeverity   severity,
                                                   const char         *text);
CryoEvent         *cryo_event_new_from_line       (const char         *line,
                                                   GError            **error);
gint64             cryo_event_get_time_us         (CryoEvent          *self);
const char        *cryo_event_get_device_id       (CryoEvent          *self);
const char        *cryo_event_get_device_name     (CryoEvent          *self);
CryoEventKind      cryo_event_get_kind            (CryoEvent          *self);
CryoEventSeverity  cryo_event_get_severity        (CryoEvent          *self);
const char        *cryo_event_get_user            (CryoEvent          *self);
const char        *cryo_event_get_text            (CryoEvent          *self);
char              *cryo_event_to_line             (CryoEvent          *self);
gboolean           cryo_event_kind_is_by_user     (CryoEventKind       kind);
const char        *cryo_event_kind_to_id          (CryoEventKind       kind);
gboolean           cryo_event_kind_from_id        (const char         *id,
                                                   CryoEventKind      *kind);
const char        *cryo_event_kind_get_label      (CryoEventKind       kind);
const char        *cryo_event_severity_to_id      (CryoEventSeverity   severity);
gboolean           cryo_event_severity_from_id    (const char         *id,
                                                   CryoEventSeverity  *severity);
const char        *cryo_event_severity_get_label  (CryoEventSeverity   severity);

G_END_DECLS
