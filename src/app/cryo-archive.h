/* cryo-archive.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cryo-channel.h"
#include "cryo-event.h"

G_BEGIN_DECLS

/**
 * CryoArchiveError:
 * @CRYO_ARCHIVE_ERROR_CORRUPT: the file is not a Cryomon history database or
 *   is damaged
 * @CRYO_ARCHIVE_ERROR_LOCKED: another Cryomon writes to it
 * @CRYO_ARCHIVE_ERROR_FULL: the disk (or the database's size limit) is full
 * @CRYO_ARCHIVE_ERROR_IO: it cannot be created, read or written
 *
 * Why the history archive cannot be used. Cryomon then keeps its history in
 * memory only.
 */
typedef enum
{
  CRYO_ARCHIVE_ERROR_CORRUPT,
  CRYO_ARCHIVE_ERROR_LOCKED,
  CRYO_ARCHIVE_ERROR_FULL,
  CRYO_ARCHIVE_ERROR_IO,
} CryoArchiveError;

#define CRYO_ARCHIVE_ERROR (cryo_archive_error_quark ())

/**
 * CryoArchiveChannel:
 * @device_id: the stable id of the device ("pumping_station")
 * @key: the channel's key within its device ("pressure")
 * @device_name: the device's name when it last wrote
 * @csv_name: the channel's column name ("pressure")
 * @quantity: what it measures
 * @unit: the unit its values are stored in (the canonical unit)
 * @scale: how it is plotted
 * @digits: significant digits the instrument resolves
 *
 * A channel as the archive knows it, keyed by @device_id + @key.
 */
typedef struct
{
  char         *device_id;
  char         *key;
  char         *device_name;
  char         *csv_name;
  CryoQuantity  quantity;
  CryoUnit      unit;
  CryoScale     scale;
  guint         digits;
} CryoArchiveChannel;

#define CRYO_TYPE_ARCHIVE (cryo_archive_get_type ())

G_DECLARE_FINAL_TYPE (CryoArchive, cryo_archive, CRYO, ARCHIVE, GObject)

GQuark       cryo_archive_error_quark       (void);
char        *cryo_archive_get_default_path  (void);
CryoArchive *cryo_archive_open              (const char          *path,
                                             GError             **error);
CryoArchive *cryo_archive_open_readonly     (const char          *path,
                                             GError             **error);
const char  *cryo_archive_get_path          (CryoArchive         *self);
const char  *cryo_archive_get_error         (CryoArchive         *self);
void         cryo_archive_set_retention     (CryoArchive         *self,
                                             guint                days);
guint        cryo_archive_add_channel       (CryoArchive         *self,
                                             const char          *device_id,
                                             CryoChannel         *channel);
void         cryo_archive_set_device_name   (CryoArchive         *self,
                                             const char          *device_id,
                                             const char          *device_name);
void         cryo_archive_append            (CryoArchive         *self,
                                             guint                handle,
                                             gint64               time_us,
                                             double               value);
void         cryo_archive_delete_device     (CryoArchive         *self,
                                             const char          *device_id);
void         cryo_archive_add_event         (CryoArchive         *self,
                                             CryoEvent           *event);
GPtrArray   *cryo_archive_read_events       (CryoArchive         *self,
                                             gint64               begin_us,
                                             gint64               end_us,
                                             guint                max_events,
                                             GCancellable        *cancellable,
                                             GError             **error);
void         cryo_archive_read_events_async (CryoArchive         *self,
                                             gint64               begin_us,
                                             gint64               end_us,
                                             guint                max_events,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray   *cryo_archive_read_events_finish (CryoArchive        *self,
                                             GAsyncResult        *result,
                                             GError             **error);
gboolean     cryo_archive_flush             (CryoArchive         *self,
                                             GError             **error);
void         cryo_archive_close             (CryoArchive         *self);
GPtrArray   *cryo_archive_list_channels     (CryoArchive         *self,
                                             GError             **error);
CryoHistory *cryo_archive_read             (CryoArchive         *self,
                                             const char          *device_id,
                                             const char          *key,
                                             gint64               begin_us,
                                             gint64               end_us,
                                             GError             **error);
gboolean     cryo_archive_get_columns       (CryoArchive         *self,
                                             const char          *device_id,
                                             const char          *key,
                                             gint64               begin_us,
                                             gint64               end_us,
                                             guint                n_columns,
                                             CryoHistoryColumn   *columns,
                                             GError             **error);
gboolean     cryo_archive_load_history      (CryoArchive         *self,
                                             guint                handle,
                                             CryoChannel         *channel,
                                             gint64               since_us,
                                             gint64               now_us,
                                             GError             **error);
void         cryo_archive_channel_free      (CryoArchiveChannel  *channel);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoArchiveChannel, cryo_archive_channel_free)

G_END_DECLS
