/* cryo-condition.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cryo-event.h"

G_BEGIN_DECLS

#define CRYO_TYPE_CONDITION (cryo_condition_get_type ())

G_DECLARE_FINAL_TYPE (CryoCondition, cryo_condition, CRYO, CONDITION, GObject)

CryoCondition     *cryo_condition_new                 (const char        *device_id,
                                                       const char        *device_name,
                                                       const char        *key,
                                                       CryoEventSeverity  severity,
                                                       const char        *text,
                                                       gint64             raised_us);
const char        *cryo_condition_get_device_id       (CryoCondition     *self);
const char        *cryo_condition_get_device_name     (CryoCondition     *self);
const char        *cryo_condition_get_key             (CryoCondition     *self);
CryoEventSeverity  cryo_condition_get_severity        (CryoCondition     *self);
const char        *cryo_condition_get_text            (CryoCondition     *self);
gint64             cryo_condition_get_raised_us       (CryoCondition     *self);
gint64             cryo_condition_get_cleared_us      (CryoCondition     *self);
gboolean           cryo_condition_get_active          (CryoCondition     *self);
const char        *cryo_condition_get_acknowledged_by (CryoCondition     *self);
gint64             cryo_condition_get_acknowledged_us (CryoCondition     *self);
gboolean           cryo_condition_get_acknowledged    (CryoCondition     *self);

/* For CryoConditionSet */
void               cryo_condition_set_cleared         (CryoCondition     *self,
                                                       gint64             cleared_us);
void               cryo_condition_set_acknowledged    (CryoCondition     *self,
                                                       const char        *user,
                                                       gint64             acknowledged_us);

G_END_DECLS
