/* cryo-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cryo-archive.h"
#include "cryo-condition-set.h"
#include "cryo-device.h"

G_BEGIN_DECLS

#define CRYO_TYPE_SESSION (cryo_session_get_type ())

G_DECLARE_FINAL_TYPE (CryoSession, cryo_session, CRYO, SESSION, GObject)

CryoSession            *cryo_session_new                (GSettings               *settings);
const char             *cryo_session_get_config_path    (CryoSession             *self);
void                    cryo_session_set_config_path    (CryoSession             *self,
                                                         const char              *path);
gboolean                cryo_session_load               (CryoSession             *self,
                                                         GPtrArray               *configs,
                                                         gboolean                 demo,
                                                         GError                 **error);
GListModel             *cryo_session_get_devices        (CryoSession             *self);
gboolean                cryo_session_get_demo           (CryoSession             *self);
const char             *cryo_session_get_config_error   (CryoSession             *self);
guint                   cryo_session_get_n_entries      (CryoSession             *self);
const CryoDeviceConfig *cryo_session_get_entry_config   (CryoSession             *self,
                                                         guint                    position);
CryoDevice             *cryo_session_get_entry_device   (CryoSession             *self,
                                                         guint                    position);
gboolean                cryo_session_get_entry_saved    (CryoSession             *self,
                                                         guint                    position);
char                   *cryo_session_dup_unique_name    (CryoSession             *self,
                                                         const char              *wanted,
                                                         int                      except);
CryoDevice             *cryo_session_add               (CryoSession             *self,
                                                         const CryoDeviceConfig  *config,
                                                         gboolean                 save,
                                                         GError                 **error);
gboolean                cryo_session_replace           (CryoSession             *self,
                                                         guint                    position,
                                                         const CryoDeviceConfig  *config,
                                                         GError                 **error);
gboolean                cryo_session_remove            (CryoSession             *self,
                                                         guint                    position,
                                                         gboolean                 delete_history,
                                                         GError                 **error);
gboolean                cryo_session_record_service    (CryoSession             *self,
                                                         CryoDevice              *device,
                                                         GError                 **error);
void                    cryo_session_set_monitoring    (CryoSession             *self,
                                                         gboolean                 monitoring);
void                    cryo_session_shutdown          (CryoSession             *self);
gboolean                cryo_session_open_history      (CryoSession             *self,
                                                         const char              *path,
                                                         GError                 **error);
CryoArchive            *cryo_session_get_archive       (CryoSession             *self);
GListModel             *cryo_session_get_events        (CryoSession             *self);
CryoConditionSet       *cryo_session_get_conditions    (CryoSession             *self);
const char             *cryo_session_get_history_error (CryoSession             *self);

G_END_DECLS
