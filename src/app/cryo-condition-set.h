/* cryo-condition-set.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cryo-condition.h"
#include "cryo-device.h"
#include "cryo-threshold.h"

G_BEGIN_DECLS

#define CRYO_TYPE_CONDITION_SET (cryo_condition_set_get_type ())

G_DECLARE_FINAL_TYPE (CryoConditionSet, cryo_condition_set, CRYO, CONDITION_SET, GObject)

CryoConditionSet *cryo_condition_set_new                 (const char              *state_path);
GListModel       *cryo_condition_set_get_conditions      (CryoConditionSet        *self);
CryoCondition    *cryo_condition_set_lookup              (CryoConditionSet        *self,
                                                          const char              *device_id,
                                                          const char              *key);
guint             cryo_condition_set_count_unacknowledged (CryoConditionSet       *self,
                                                          const char              *device_id);
CryoCondition    *cryo_condition_set_raise               (CryoConditionSet        *self,
                                                          const char              *device_id,
                                                          const char              *device_name,
                                                          const char              *key,
                                                          CryoEventSeverity        severity,
                                                          const char              *text,
                                                          gint64                   time_us);
gboolean          cryo_condition_set_clear               (CryoConditionSet        *self,
                                                          const char              *device_id,
                                                          const char              *key,
                                                          gint64                   time_us);
void              cryo_condition_set_acknowledge         (CryoConditionSet        *self,
                                                          CryoCondition           *condition,
                                                          const char              *user);
guint             cryo_condition_set_acknowledge_device  (CryoConditionSet        *self,
                                                          const char              *device_id,
                                                          const char              *user);
void              cryo_condition_set_watch_device        (CryoConditionSet        *self,
                                                          CryoDevice              *device);
void              cryo_condition_set_follow              (CryoConditionSet        *self,
                                                          GListModel              *devices);
void              cryo_condition_set_unwatch_device      (CryoConditionSet        *self,
                                                          CryoDevice              *device);
gboolean          cryo_condition_set_set_threshold       (CryoConditionSet        *self,
                                                          CryoDevice              *device,
                                                          const char              *channel_key,
                                                          const CryoThresholdSpec *spec,
                                                          GError                 **error);
guint             cryo_condition_set_get_connection_delay (CryoConditionSet       *self);
void              cryo_condition_set_set_connection_delay (CryoConditionSet       *self,
                                                          guint                    seconds);
guint             cryo_condition_set_get_stale_delay     (CryoConditionSet        *self);
void              cryo_condition_set_set_stale_delay     (CryoConditionSet        *self,
                                                          guint                    seconds);
gboolean          cryo_condition_set_save                (CryoConditionSet        *self,
                                                          GError                 **error);
void              cryo_condition_set_shutdown            (CryoConditionSet        *self);

G_END_DECLS
