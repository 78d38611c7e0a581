/* cryo-event-log.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cryo-event.h"

G_BEGIN_DECLS

#define CRYO_TYPE_EVENT_LOG (cryo_event_log_get_type())

G_DECLARE_FINAL_TYPE (CryoEventLog, cryo_event_log, CRYO, EVENT_LOG, GObject)

CryoEventLog *cryo_event_log_new          (const char    *path);
CryoEventLog *cryo_event_log_get_default  (void);
void          cryo_event_log_set_default  (CryoEventLog  *self);
const char   *cryo_event_log_get_path     (CryoEventLog  *self);
void          cryo_event_log_add_event    (CryoEventLog  *self,
                                           CryoEvent     *event);
void          cryo_event_log_add_new      (CryoEventLog      *self,
                                           const char        *device_id,
                                           const char        *device_name,
                                           CryoEventKind      kind,
                                           CryoEventSeverity  severity,
                                           const char        *text);
void          cryo_event_log_add          (CryoEventLog  *self,
                                           const char    *device,
                                           const char    *action,
                                           const char    *result);

G_END_DECLS
