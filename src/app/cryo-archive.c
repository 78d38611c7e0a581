/* cryo-archive.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-archive"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <zlib.h>

#include "cryo-archive.h"

/**
 * CryoArchive:
 *
 * The history archive: every sample of every channel and every event-log
 * entry, in an SQLite database (WAL mode) that survives restarts and
 * crashes.
 *
 * The main thread hands samples over with cryo_archive_append(), which
 * only queues them; a writer thread commits what was queued once a second,
 * in one transaction, so a `kill -9` loses at most the last second. A
 * channel's samples go first to the `recent` table, one row each; every
 * BLOCK_SIZE samples they become one row of `blocks`: the block's time
 * range, count and min/max/first/last, a summary blob with the same figures
 * for each GROUP_SIZE samples, and the samples themselves (times as
 * zigzag varint delta-of-deltas, exact to the µs; values as float32 XOR the
 * previous, byte planes apart), compressed with zlib. Drawing a span reads
 * block rows or summary blobs, so its cost follows the pixel columns, not
 * the samples.
 *
 * Channels are keyed by device id + channel key, so a renamed device keeps
 * its history. Retention (90 days unless set) is applied by the writer, a
 * few blocks per transaction. A device's history is deleted the same way
 * (cryo_archive_delete_device()): its channel rows become tombstones at
 * once (device id "", so no read finds them and a new device of the same
 * id starts afresh without reusing their row ids), then the writer deletes
 * their blocks and samples a batch per transaction, and the tombstones
 * last; a deletion cut short by a restart goes on at the next start.
 *
 * A database that is damaged, locked by another Cryomon or on a full disk
 * gives a #CryoArchiveError: from cryo_archive_open(), or later in
 * #CryoArchive:error; Cryomon then keeps monitoring in memory.
 *
 * Reading (cryo_archive_read(), cryo_archive_get_columns(),
 * cryo_archive_load_history()) uses a connection of the main thread, which
 * a WAL database lets read while the writer writes.
 */

#define BLOCK_SIZE   4096
#define GROUP_SIZE   256
#define N_GROUPS     (BLOCK_SIZE / GROUP_SIZE)
#define SCHEMA_VERSION 2
#define DEFAULT_RETENTION_DAYS 90
#define RETENTION_STEP 64
#define RETENTION_PERIOD_US (60 * G_USEC_PER_SEC)
#define PURGE_BLOCKS 64
#define PURGE_SAMPLES 1024

typedef struct
{
  char         *device_id;
  char         *key;
  char         *device_name;   /* under the mutex */
  char         *csv_name;
  CryoQuantity  quantity;
  CryoUnit      unit;
  CryoScale     scale;
  guint         digits;
  gboolean      name_changed;  /* under the mutex */
  gboolean      deleted;       /* under the mutex: no row until added again */
  gboolean      reset;         /* under the mutex: the writer forgets its row */

  /* Writer thread only. */
  gint64        db_id;
  GArray       *times;         /* gint64: the block being filled */
  GArray       *values;        /* float */
} Channel;

typedef struct
{
  guint  handle;
  gint64 time_us;
  double value;
} Item;


/* The statistics of a block or of a group of its samples. */
typedef struct
{
  gint64  t_first;
  gint64  t_last;
  float   min;
  float   max;
  float   first;
  float   last;
  guint32 n;
  guint32 n_finite;
} Stats;

struct _CryoArchive
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;              /* main thread: reads */
  sqlite3      *wdb;             /* writer thread */
  int           lock_fd;
  GThread      *writer;
  GMainContext *context;
  char         *error;           /* main thread's copy of the writer's error */

  GMutex        mutex;
  GCond         cond;
  GPtrArray    *channels;        /* Channel, by handle */
  GArray       *pending;         /* Item */
  GPtrArray    *pending_events;  /* CryoEvent */
  GPtrArray    *pending_deletes; /* char *: device ids */
  guint64       flush_requested;
  guint64       flush_done;
  GError       *writer_error;
  guint         retention_days;
  gboolean      retention_due;
  gboolean      stopping;
};

enum {
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (CryoArchive, cryo_archive, G_TYPE_OBJECT)

G_DEFINE_QUARK (cryo-archive-error-quark, cryo_archive_error)

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS channels ("
  "  id INTEGER PRIMARY KEY,"
  "  device_id TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  device_name TEXT NOT NULL,"
  "  csv_name TEXT NOT NULL,"
  "  quantity INTEGER NOT NULL,"
  "  unit INTEGER NOT NULL,"
  "  scale INTEGER NOT NULL,"
  "  digits INTEGER NOT NULL,"
  "  UNIQUE (device_id, key));"
  "CREATE TABLE IF NOT EXISTS blocks ("
  "  id INTEGER PRIMARY KEY,"
  "  channel INTEGER NOT NULL,"
  "  t_first INTEGER NOT NULL,"
  "  t_last INTEGER NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  n_finite INTEGER NOT NULL,"
  "  min REAL, max REAL, first REAL, last REAL,"
  "  summary BLOB NOT NULL,"
  "  data BLOB NOT NULL);"
  "CREATE INDEX IF NOT EXISTS blocks_by_time ON blocks (channel, t_last);"
  "CREATE INDEX IF NOT EXISTS blocks_by_age ON blocks (t_last);"
  "CREATE TABLE IF NOT EXISTS recent ("
  "  channel INTEGER NOT NULL,"
  "  t INTEGER NOT NULL,"
  "  v REAL);"
  "CREATE INDEX IF NOT EXISTS recent_by_time ON recent (channel, t);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  t INTEGER NOT NULL,"
  "  device_id TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  severity TEXT NOT NULL,"
  "  user TEXT NOT NULL,"
  "  text TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS events_by_time ON events (t);";

/* Version 1 stored events as (t, device, action, result): they become
 * info-level action results "action: result" without a device id, as
 * cryo_event_new_from_line() reads the log lines of that time. */
static const char migrate_v1_sql[] =
  "DROP INDEX IF EXISTS events_by_time;"
  "ALTER TABLE events RENAME TO events_v1;";

static const char migrate_v1_copy_sql[] =
  "INSERT INTO events (t, device_id, device, kind, severity, user, text)"
  "  SELECT t, '', device, 'action-result', 'info', '', action || ': ' || result"
  "  FROM events_v1 ORDER BY rowid;"
  "DROP TABLE events_v1;";

static void
channel_free (gpointer data)
{
  Channel *ch = data;

  g_free (ch->device_id);
  g_free (ch->key);
  g_free (ch->device_name);
  g_free (ch->csv_name);
  g_clear_pointer (&ch->times, g_array_unref);
  g_clear_pointer (&ch->values, g_array_unref);
  g_free (ch);
}

/* The GError for a failed SQLite call on @db: what the user can do. */
static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_CORRUPT,
                   _("The history archive %s is damaged (%s): readings are kept in memory only. "
                     "Move the file away to start a new archive."), display, detail);
      break;

    case SQLITE_FULL:
      g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_FULL,
                   _("The disk holding the history archive %s is full: readings are kept in "
                     "memory only until there is room again."), display);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_LOCKED,
                   _("The history archive %s is locked by another program (%s): readings are "
                     "kept in memory only."), display, detail);
      break;

    default:
      g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_IO,
                   _("The history archive %s cannot be used (%s): readings are kept in memory "
                     "only."), display, detail);
      break;
    }
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *path,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, path);
      return FALSE;
    }

  return TRUE;
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         const char  *path,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, path);
      sqlite3_finalize (stmt);
      return NULL;
    }

  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Varints: 7 bits a byte, low bits first. */
static void
put_varint (GByteArray *out,
            guint64     v)
{
  guint8 byte;

  while (v >= 0x80)
    {
      byte = (v & 0x7f) | 0x80;
      g_byte_array_append (out, &byte, 1);
      v >>= 7;
    }
  byte = v;
  g_byte_array_append (out, &byte, 1);
}

static gboolean
get_varint (const guint8 **p,
            const guint8  *end,
            guint64       *v)
{
  guint shift = 0;

  *v = 0;
  while (*p < end && shift < 64)
    {
      guint8 byte = *(*p)++;

      *v |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        return TRUE;
      shift += 7;
    }

  return FALSE;
}

static guint32
float_bits (float f)
{
  guint32 bits;

  memcpy (&bits, &f, sizeof bits);
  return bits;
}

static float
bits_float (guint32 bits)
{
  float f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

static void
stats_init (Stats  *s,
            gint64  t)
{
  s->t_first = s->t_last = t;
  s->min = INFINITY;
  s->max = -INFINITY;
  s->first = s->last = NAN;
  s->n = 0;
  s->n_finite = 0;
}

static void
stats_add (Stats  *s,
           gint64  t,
           float   v)
{
  if (s->n == 0)
    s->t_first = t;
  s->t_last = t;
  s->n++;
  if (isfinite (v))
    {
      s->min = MIN (s->min, v);
      s->max = MAX (s->max, v);
      if (s->n_finite == 0)
        s->first = v;
      s->last = v;
      s->n_finite++;
    }
}

/* Samples → the data blob (before compression): the count, the times as
 * zigzag varint delta-of-deltas from the first, the values as float32 bits
 * XOR the previous value's, in four byte planes (the sign and exponent
 * bytes of a slowly moving reading repeat, which zlib then finds). */
static GBytes *
encode_samples (const gint64 *times,
                const float  *values,
                guint         n)
{
  g_autoptr(GByteArray) raw = g_byte_array_sized_new (n * 6 + 16);
  g_autofree guint8 *planes = g_malloc (4 * (gsize) n + 1);
  guint64 prev_delta = 0;
  guint32 prev_bits = 0;
  uLongf packed_len;
  g_autofree guint8 *packed = NULL;

  put_varint (raw, n);
  put_varint (raw, (guint64) times[0]);
  for (guint i = 1; i < n; i++)
    {
      guint64 delta = (guint64) times[i] - (guint64) times[i - 1];
      gint64 dd = (gint64) (delta - prev_delta);

      put_varint (raw, ((guint64) dd << 1) ^ (guint64) (dd >> 63));
      prev_delta = delta;
    }
  for (guint i = 0; i < n; i++)
    {
      guint32 bits = float_bits (values[i]);
      guint32 x = bits ^ prev_bits;

      for (guint b = 0; b < 4; b++)
        planes[b * (gsize) n + i] = (x >> (8 * b)) & 0xff;
      prev_bits = bits;
    }
  g_byte_array_append (raw, planes, 4 * n);

  packed_len = compressBound (raw->len);
  packed = g_malloc (packed_len);
  if (compress2 (packed, &packed_len, raw->data, raw->len, 6) != Z_OK)
    g_error ("zlib could not compress %u bytes", raw->len);

  return g_bytes_new_take (g_steal_pointer (&packed), packed_len);
}

/* The data blob → samples appended to @times and @values. */
static gboolean
decode_samples (const void *blob,
                gsize       blob_len,
                GArray     *times,
                GArray     *values)
{
  g_autofree guint8 *raw = NULL;
  uLongf raw_len;
  const guint8 *p, *end;
  guint64 n, first, prev_delta = 0;
  guint32 prev_bits = 0;
  gint64 t;
  guint base;

  /* At most BLOCK_SIZE samples: 10 bytes of varint and 4 of value each. */
  raw_len = BLOCK_SIZE * 14 + 32;
  raw = g_malloc (raw_len);
  if (uncompress (raw, &raw_len, blob, blob_len) != Z_OK)
    return FALSE;

  p = raw;
  end = raw + raw_len;
  if (!get_varint (&p, end, &n) || n == 0 || n > BLOCK_SIZE || !get_varint (&p, end, &first))
    return FALSE;

  base = times->len;
  t = (gint64) first;
  g_array_append_val (times, t);
  for (guint64 i = 1; i < n; i++)
    {
      guint64 z, delta;

      if (!get_varint (&p, end, &z))
        return FALSE;
      delta = prev_delta + ((z >> 1) ^ -(z & 1));
      t = (gint64) ((guint64) t + delta);
      g_array_append_val (times, t);
      prev_delta = delta;
    }

  if ((gsize) (end - p) != 4 * n)
    return FALSE;
  for (guint64 i = 0; i < n; i++)
    {
      guint32 x = 0;
      float v;

      for (guint b = 0; b < 4; b++)
        x |= (guint32) p[b * n + i] << (8 * b);
      prev_bits ^= x;
      v = bits_float (prev_bits);
      g_array_append_val (values, v);
    }

  g_assert (times->len - base == n);
  return TRUE;
}

/* Summary blob: N_GROUPS (or fewer) Stats in host order, as written. */
static GBytes *
encode_groups (const gint64 *times,
               const float  *values,
               guint         n,
               Stats        *block)
{
  Stats groups[N_GROUPS];
  guint n_groups = (n + GROUP_SIZE - 1) / GROUP_SIZE;

  stats_init (block, times[0]);
  for (guint g = 0; g < n_groups; g++)
    {
      stats_init (&groups[g], times[g * GROUP_SIZE]);
      for (guint i = g * GROUP_SIZE; i < MIN (n, (g + 1) * GROUP_SIZE); i++)
        {
          stats_add (&groups[g], times[i], values[i]);
          stats_add (block, times[i], values[i]);
        }
    }

  return g_bytes_new (groups, n_groups * sizeof (Stats));
}

/* Writer thread --------------------------------------------------------- */

typedef struct
{
  sqlite3_stmt *insert_channel;
  sqlite3_stmt *select_channel;
  sqlite3_stmt *rename_channel;
  sqlite3_stmt *select_recent;
  sqlite3_stmt *insert_recent;
  sqlite3_stmt *delete_recent;
  sqlite3_stmt *insert_block;
  sqlite3_stmt *insert_event;
  sqlite3_stmt *retire_blocks;
  sqlite3_stmt *retire_events;
  sqlite3_stmt *retire_recent;
  sqlite3_stmt *bury_device;
  sqlite3_stmt *purge_blocks;
  sqlite3_stmt *purge_recent;
  sqlite3_stmt *purge_channels;
} Writer;

static void
writer_clear (Writer *w)
{
  g_clear_pointer (&w->insert_channel, sqlite3_finalize);
  g_clear_pointer (&w->select_channel, sqlite3_finalize);
  g_clear_pointer (&w->rename_channel, sqlite3_finalize);
  g_clear_pointer (&w->select_recent, sqlite3_finalize);
  g_clear_pointer (&w->insert_recent, sqlite3_finalize);
  g_clear_pointer (&w->delete_recent, sqlite3_finalize);
  g_clear_pointer (&w->insert_block, sqlite3_finalize);
  g_clear_pointer (&w->insert_event, sqlite3_finalize);
  g_clear_pointer (&w->retire_blocks, sqlite3_finalize);
  g_clear_pointer (&w->retire_events, sqlite3_finalize);
  g_clear_pointer (&w->retire_recent, sqlite3_finalize);
  g_clear_pointer (&w->bury_device, sqlite3_finalize);
  g_clear_pointer (&w->purge_blocks, sqlite3_finalize);
  g_clear_pointer (&w->purge_recent, sqlite3_finalize);
  g_clear_pointer (&w->purge_channels, sqlite3_finalize);
}

static gboolean
writer_prepare (CryoArchive  *self,
                Writer       *w,
                GError      **error)
{
#define PREPARE(field, sql) \
  if ((w->field = prepare (self->wdb, sql, self->path, error)) == NULL) \
    return FALSE;

  PREPARE (insert_channel,
           "INSERT OR IGNORE INTO channels (device_id, key, device_name, csv_name, quantity, unit,"
           " scale, digits) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  PREPARE (select_channel, "SELECT id FROM channels WHERE device_id = ?1 AND key = ?2");
  PREPARE (rename_channel, "UPDATE channels SET device_name = ?2 WHERE id = ?1");
  PREPARE (select_recent, "SELECT t, v FROM recent WHERE channel = ?1 ORDER BY t, rowid");
  PREPARE (insert_recent, "INSERT INTO recent (channel, t, v) VALUES (?1, ?2, ?3)");
  PREPARE (delete_recent, "DELETE FROM recent WHERE channel = ?1");
  PREPARE (insert_block,
           "INSERT INTO blocks (channel, t_first, t_last, n, n_finite, min, max, first, last,"
           " summary, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  PREPARE (insert_event,
           "INSERT INTO events (t, device_id, device, kind, severity, user, text)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  PREPARE (retire_blocks,
           "DELETE FROM blocks WHERE id IN (SELECT id FROM blocks WHERE t_last < ?1 LIMIT 64)");
  PREPARE (retire_events,
           "DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE t < ?1 LIMIT 256)");
  PREPARE (retire_recent,
           "DELETE FROM recent WHERE rowid IN (SELECT rowid FROM recent WHERE t < ?1 LIMIT 256)");
  /* The key becomes the row id, so tombstones stay unique. */
  PREPARE (bury_device,
           "UPDATE channels SET device_id = '', key = CAST (id AS TEXT) WHERE device_id = ?1");
  PREPARE (purge_blocks,
           "DELETE FROM blocks WHERE id IN (SELECT blocks.id FROM channels JOIN blocks"
           " ON blocks.channel = channels.id WHERE channels.device_id = '' LIMIT "
           G_STRINGIFY (PURGE_BLOCKS) ")");
  PREPARE (purge_recent,
           "DELETE FROM recent WHERE rowid IN (SELECT recent.rowid FROM channels JOIN recent"
           " ON recent.channel = channels.id WHERE channels.device_id = '' LIMIT "
           G_STRINGIFY (PURGE_SAMPLES) ")");
  PREPARE (purge_channels, "DELETE FROM channels WHERE device_id = ''");
#undef PREPARE

  return TRUE;
}

static gboolean
step_done (CryoArchive   *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->wdb, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

static void
bind_real_or_null (sqlite3_stmt *stmt,
                   int           column,
                   double        value)
{
  if (isfinite (value))
    sqlite3_bind_double (stmt, column, value);
  else
    sqlite3_bind_null (stmt, column);
}

/* Gives @ch its row in `channels` and takes its unfinished block back from
 * `recent`. */
static gboolean
register_channel (CryoArchive  *self,
                  Writer       *w,
                  Channel      *ch,
                  const char   *device_name,
                  GError      **error)
{
  int rc;

  /* Known already: a rename. */
  if (ch->db_id != 0)
    {
      sqlite3_bind_int64 (w->rename_channel, 1, ch->db_id);
      sqlite3_bind_text (w->rename_channel, 2, device_name, -1, SQLITE_TRANSIENT);
      return step_done (self, w->rename_channel, error);
    }

  sqlite3_bind_text (w->insert_channel, 1, ch->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->insert_channel, 2, ch->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->insert_channel, 3, device_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->insert_channel, 4, ch->csv_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (w->insert_channel, 5, ch->quantity);
  sqlite3_bind_int (w->insert_channel, 6, ch->unit);
  sqlite3_bind_int (w->insert_channel, 7, ch->scale);
  sqlite3_bind_int (w->insert_channel, 8, ch->digits);
  if (!step_done (self, w->insert_channel, error))
    return FALSE;

  sqlite3_bind_text (w->select_channel, 1, ch->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->select_channel, 2, ch->key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (w->select_channel);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (w->select_channel);
      set_sqlite_error (error, self->wdb, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, self->path);
      return FALSE;
    }
  ch->db_id = sqlite3_column_int64 (w->select_channel, 0);
  sqlite3_reset (w->select_channel);

  sqlite3_bind_int64 (w->rename_channel, 1, ch->db_id);
  sqlite3_bind_text (w->rename_channel, 2, device_name, -1, SQLITE_TRANSIENT);
  if (!step_done (self, w->rename_channel, error))
    return FALSE;

  g_array_set_size (ch->times, 0);
  g_array_set_size (ch->values, 0);
  sqlite3_bind_int64 (w->select_recent, 1, ch->db_id);
  while ((rc = sqlite3_step (w->select_recent)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (w->select_recent, 0);
      float v = sqlite3_column_type (w->select_recent, 1) == SQLITE_NULL
                ? NAN : (float) sqlite3_column_double (w->select_recent, 1);

      g_array_append_val (ch->times, t);
      g_array_append_val (ch->values, v);
    }
  sqlite3_reset (w->select_recent);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->wdb, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_block (CryoArchive  *self,
             Writer       *w,
             Channel      *ch,
             GError      **error)
{
  const gint64 *times = (const gint64 *) (gpointer) ch->times->data;
  const float *values = (const float *) (gpointer) ch->values->data;
  g_autoptr(GBytes) summary = NULL;
  g_autoptr(GBytes) data = NULL;
  Stats block;

  summary = encode_groups (times, values, ch->times->len, &block);
  data = encode_samples (times, values, ch->times->len);

  sqlite3_bind_int64 (w->insert_block, 1, ch->db_id);
  sqlite3_bind_int64 (w->insert_block, 2, block.t_first);
  sqlite3_bind_int64 (w->insert_block, 3, block.t_last);
  sqlite3_bind_int (w->insert_block, 4, block.n);
  sqlite3_bind_int (w->insert_block, 5, block.n_finite);
  bind_real_or_null (w->insert_block, 6, block.min);
  bind_real_or_null (w->insert_block, 7, block.max);
  bind_real_or_null (w->insert_block, 8, block.first);
  bind_real_or_null (w->insert_block, 9, block.last);
  sqlite3_bind_blob (w->insert_block, 10, g_bytes_get_data (summary, NULL),
                     g_bytes_get_size (summary), SQLITE_TRANSIENT);
  sqlite3_bind_blob (w->insert_block, 11, g_bytes_get_data (data, NULL),
                     g_bytes_get_size (data), SQLITE_TRANSIENT);
  if (!step_done (self, w->insert_block, error))
    return FALSE;

  sqlite3_bind_int64 (w->delete_recent, 1, ch->db_id);
  if (!step_done (self, w->delete_recent, error))
    return FALSE;

  g_array_set_size (ch->times, 0);
  g_array_set_size (ch->values, 0);
  return TRUE;
}

/* One step of deleting the buried devices' history: a bounded batch of
 * blocks and samples, then, once none is left, the tombstones. */
static gboolean
purge_step (CryoArchive  *self,
            Writer       *w,
            gboolean     *purge_left,
            GError      **error)
{
  int changes = 0;

  if (!step_done (self, w->purge_blocks, error))
    return FALSE;
  changes += sqlite3_changes (self->wdb);
  if (!step_done (self, w->purge_recent, error))
    return FALSE;
  changes += sqlite3_changes (self->wdb);

  if (changes == 0 && !step_done (self, w->purge_channels, error))
    return FALSE;

  *purge_left = changes > 0;
  return TRUE;
}

/* One transaction: devices to delete, the second's samples and events, a
 * retention step and a step of deleting. */
static gboolean
write_batch (CryoArchive  *self,
             Writer       *w,
             GPtrArray    *channels,
             GPtrArray    *names,
             GArray       *resets,
             GArray       *items,
             GPtrArray    *events,
             GPtrArray    *deletes,
             gboolean      retention_step,
             guint         retention_days,
             gboolean     *retention_left,
             gboolean     *purge_left,
             GError      **error)
{
  gboolean idle = items->len == 0 && events->len == 0 && deletes->len == 0 &&
                  !retention_step && !*purge_left;

  for (guint i = 0; idle && i < names->len; i++)
    idle = g_ptr_array_index (names, i) == NULL;
  *retention_left = FALSE;
  if (idle)
    return TRUE;

  if (!exec_sql (self->wdb, "BEGIN IMMEDIATE", self->path, error))
    return FALSE;

  for (guint i = 0; i < deletes->len; i++)
    {
      sqlite3_bind_text (w->bury_device, 1, g_ptr_array_index (deletes, i), -1, SQLITE_TRANSIENT);
      if (!step_done (self, w->bury_device, error))
        goto fail;
      *purge_left = TRUE;
    }

  /* A deleted channel's row is a tombstone now; should it get samples
   * again, it registers anew. */
  for (guint i = 0; i < channels->len; i++)
    {
      Channel *ch = g_ptr_array_index (channels, i);

      if (g_array_index (resets, gboolean, i))
        {
          ch->db_id = 0;
          g_array_set_size (ch->times, 0);
          g_array_set_size (ch->values, 0);
        }
    }

  for (guint i = 0; i < channels->len; i++)
    {
      Channel *ch = g_ptr_array_index (channels, i);
      const char *name = g_ptr_array_index (names, i);

      if (name != NULL && !register_channel (self, w, ch, name, error))
        goto fail;
    }

  for (guint i = 0; i < items->len; i++)
    {
      const Item *item = &g_array_index (items, Item, i);
      Channel *ch = g_ptr_array_index (channels, item->handle);
      float v = (float) item->value;

      /* Out of order (the clock went back): the block would not be in
       * time order; the in-memory history refuses it too. */
      if (ch->times->len > 0 &&
          item->time_us < g_array_index (ch->times, gint64, ch->times->len - 1))
        continue;

      g_array_append_val (ch->times, item->time_us);
      g_array_append_val (ch->values, v);

      sqlite3_bind_int64 (w->insert_recent, 1, ch->db_id);
      sqlite3_bind_int64 (w->insert_recent, 2, item->time_us);
      bind_real_or_null (w->insert_recent, 3, v);
      if (!step_done (self, w->insert_recent, error))
        goto fail;

      if (ch->times->len == BLOCK_SIZE && !write_block (self, w, ch, error))
        goto fail;
    }

  for (guint i = 0; i < events->len; i++)
    {
      CryoEvent *event = g_ptr_array_index (events, i);

      sqlite3_bind_int64 (w->insert_event, 1, cryo_event_get_time_us (event));
      sqlite3_bind_text (w->insert_event, 2, cryo_event_get_device_id (event), -1, SQLITE_STATIC);
      sqlite3_bind_text (w->insert_event, 3, cryo_event_get_device_name (event), -1, SQLITE_STATIC);
      sqlite3_bind_text (w->insert_event, 4, cryo_event_kind_to_id (cryo_event_get_kind (event)), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (w->insert_event, 5,
                         cryo_event_severity_to_id (cryo_event_get_severity (event)), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (w->insert_event, 6, cryo_event_get_user (event), -1, SQLITE_STATIC);
      sqlite3_bind_text (w->insert_event, 7, cryo_event_get_text (event), -1, SQLITE_STATIC);
      if (!step_done (self, w->insert_event, error))
        goto fail;
    }

  *retention_left = FALSE;
  if (retention_step)
    {
      gint64 cutoff = g_get_real_time () - (gint64) retention_days * 86400 * G_USEC_PER_SEC;
      sqlite3_stmt *steps[] = { w->retire_blocks, w->retire_events, w->retire_recent };

      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        {
          sqlite3_bind_int64 (steps[i], 1, cutoff);
          if (!step_done (self, steps[i], error))
            goto fail;
          if (sqlite3_changes (self->wdb) > 0)
            *retention_left = TRUE;
        }
    }

  if (*purge_left && !purge_step (self, w, purge_left, error))
    goto fail;

  if (!exec_sql (self->wdb, "COMMIT", self->path, error))
    goto fail;

  return TRUE;

fail:
  sqlite3_exec (self->wdb, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
report_error_cb (gpointer user_data)
{
  CryoArchive *self = user_data;
  g_autofree char *message = NULL;

  g_mutex_lock (&self->mutex);
  if (self->writer_error != NULL)
    message = g_strdup (self->writer_error->message);
  g_mutex_unlock (&self->mutex);

  if (g_strcmp0 (message, self->error) != 0)
    {
      g_free (self->error);
      self->error = g_steal_pointer (&message);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
    }

  return G_SOURCE_REMOVE;
}

static gpointer
writer_thread (gpointer data)
{
  CryoArchive *self = data;
  Writer w = { 0 };
  g_autoptr(GError) prepare_error = NULL;
  gint64 next_retention_us = 0;
  gboolean retention_left = FALSE;
  /* A deletion a restart cut short goes on. */
  gboolean purge_left = TRUE;

  writer_prepare (self, &w, &prepare_error);

  for (;;)
    {
      g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) channels = g_ptr_array_new ();
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) resets = g_array_new (FALSE, FALSE, sizeof (gboolean));
      g_autoptr(GPtrArray) deletes = NULL;
      g_autoptr(GError) error = NULL;
      gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
      guint64 flush_target;
      gboolean stopping, retention_step, changed;
      guint retention_days;

      g_mutex_lock (&self->mutex);
      while (!self->stopping && self->flush_requested == self->flush_done &&
             g_cond_wait_until (&self->cond, &self->mutex, deadline))
        ;
      flush_target = self->flush_requested;
      stopping = self->stopping;
      g_array_append_vals (items, self->pending->data, self->pending->len);
      g_array_set_size (self->pending, 0);
      g_ptr_array_extend_and_steal (events, g_steal_pointer (&self->pending_events));
      self->pending_events = g_ptr_array_new_with_free_func (g_object_unref);
      deletes = g_steal_pointer (&self->pending_deletes);
      self->pending_deletes = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < self->channels->len; i++)
        {
          Channel *ch = g_ptr_array_index (self->channels, i);
          gboolean reset = ch->reset;
          gboolean register_it = !ch->deleted && (ch->db_id == 0 || reset || ch->name_changed);

          g_ptr_array_add (channels, ch);
          g_ptr_array_add (names, register_it ? g_strdup (ch->device_name) : NULL);
          g_array_append_val (resets, reset);
          ch->name_changed = FALSE;
          ch->reset = FALSE;
        }
      if (self->retention_due)
        {
          next_retention_us = 0;
          self->retention_due = FALSE;
        }
      retention_days = self->retention_days;
      g_mutex_unlock (&self->mutex);

      retention_step = retention_left || g_get_monotonic_time () >= next_retention_us;
      if (retention_step && !retention_left)
        next_retention_us = g_get_monotonic_time () + RETENTION_PERIOD_US;

      if (prepare_error != NULL)
        error = g_error_copy (prepare_error);
      else if (!write_batch (self, &w, channels, names, resets, items, events, deletes,
                             retention_step, retention_days, &retention_left, &purge_left,
                             &error))
        {
          /* A channel whose registration was rolled back registers again;
           * a deletion rolled back is tried again. */
          for (guint i = 0; i < channels->len; i++)
            {
              Channel *ch = g_ptr_array_index (channels, i);

              if (g_ptr_array_index (names, i) != NULL)
                ch->db_id = 0;
            }
          g_mutex_lock (&self->mutex);
          for (guint i = 0; i < channels->len; i++)
            if (g_array_index (resets, gboolean, i))
              ((Channel *) g_ptr_array_index (channels, i))->reset = TRUE;
          g_ptr_array_extend_and_steal (self->pending_deletes, g_steal_pointer (&deletes));
          g_mutex_unlock (&self->mutex);
        }

      g_mutex_lock (&self->mutex);
      changed = (error == NULL) != (self->writer_error == NULL) ||
                (error != NULL && !g_str_equal (error->message, self->writer_error->message));
      g_clear_error (&self->writer_error);
      self->writer_error = g_steal_pointer (&error);
      self->flush_done = flush_target;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);

      if (changed)
        g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, report_error_cb,
                                    g_object_ref (self), g_object_unref);

      if (stopping)
        break;
    }

  writer_clear (&w);
  return NULL;
}

/* GObject ---------------------------------------------------------------- */

static void
cryo_archive_finalize (GObject *object)
{
  CryoArchive *self = CRYO_ARCHIVE (object);

  cryo_archive_close (self);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->pending_events, g_ptr_array_unref);
  g_clear_pointer (&self->pending_deletes, g_ptr_array_unref);
  g_clear_error (&self->writer_error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (cryo_archive_parent_class)->finalize (object);
}

static void
cryo_archive_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CryoArchive *self = CRYO_ARCHIVE (object);

  switch (prop_id)
    {
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_archive_class_init (CryoArchiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_archive_finalize;
  object_class->get_property = cryo_archive_get_property;

  /**
   * CryoArchive:error:
   *
   * Why the last write to the archive failed (a full disk, a damaged
   * file), or %NULL once writing works again. Notified in the main thread.
   */
  properties [PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cryo_archive_init (CryoArchive *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->lock_fd = -1;
  self->channels = g_ptr_array_new_with_free_func (channel_free);
  self->pending = g_array_new (FALSE, FALSE, sizeof (Item));
  self->pending_events = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_deletes = g_ptr_array_new_with_free_func (g_free);
  self->retention_days = DEFAULT_RETENTION_DAYS;
  self->retention_due = TRUE;
  self->context = g_main_context_ref_thread_default ();
}

/* Public API -------------------------------------------------------------- */

/**
 * cryo_archive_get_default_path:
 *
 * Returns: (transfer full): `cryomon/history.sqlite` in the user data folder
 */
char *
cryo_archive_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "cryomon", "history.sqlite", NULL);
}

static gboolean
open_connection (const char  *path,
                 int          flags,
                 sqlite3    **db,
                 GError     **error)
{
  int rc = sqlite3_open_v2 (path, db, flags | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, *db, rc, path);
      g_clear_pointer (db, sqlite3_close);
      return FALSE;
    }
  sqlite3_busy_timeout (*db, 2000);

  return TRUE;
}

/* Takes `<path>.lock` with flock(): the one writer. */
static gboolean
take_lock (CryoArchive  *self,
           GError      **error)
{
  g_autofree char *lock_path = g_strconcat (self->path, ".lock", NULL);
  g_autofree char *display = g_filename_display_name (self->path);
  int saved_errno;

  self->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_IO,
                   _("The history archive %s cannot be used (%s): readings are kept in memory "
                     "only."), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      saved_errno = errno;
      close (self->lock_fd);
      self->lock_fd = -1;
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_LOCKED,
                     _("Another Cryomon is writing the history archive %s: this one keeps its "
                       "readings in memory only. Quit the other one, or give this one its own "
                       "archive with --history FILE."), display);
      else
        g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_IO,
                     _("The history archive %s cannot be used (%s): readings are kept in memory "
                       "only."), display, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * cryo_archive_open:
 * @path: the database file, created when missing (its folder too)
 * @error: a #CryoArchiveError: %CRYO_ARCHIVE_ERROR_LOCKED when another
 *   Cryomon writes it, %CRYO_ARCHIVE_ERROR_CORRUPT when it is not a Cryomon
 *   history database or is damaged, %CRYO_ARCHIVE_ERROR_FULL,
 *   %CRYO_ARCHIVE_ERROR_IO when it cannot be created or opened
 *
 * Opens the archive for writing: takes its lock (`@path.lock`), sets WAL
 * mode, creates the tables and starts the writer thread. Main thread.
 *
 * Returns: (transfer full) (nullable): the archive, or %NULL
 */
CryoArchive *
cryo_archive_open (const char  *path,
                   GError     **error)
{
  g_autoptr(CryoArchive) self = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(sqlite3_stmt) version = NULL;
  g_autoptr(sqlite3_stmt) mode = NULL;
  int old_version;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CRYO_TYPE_ARCHIVE, NULL);
  self->path = g_strdup (path);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (folder);

      g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_IO,
                   _("Could not create %s for the history archive (%s): readings are kept in "
                     "memory only."), display, g_strerror (saved_errno));
      return NULL;
    }

  if (!take_lock (self, error))
    return NULL;

  if (!open_connection (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &self->wdb, error))
    return NULL;
  sqlite3_busy_timeout (self->wdb, 5000);

  /* The file must be a database of ours, or empty. */
  version = prepare (self->wdb, "PRAGMA user_version", path, error);
  if (version == NULL)
    return NULL;
  rc = sqlite3_step (version);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->wdb, rc, path);
      return NULL;
    }
  old_version = sqlite3_column_int (version, 0);
  if (old_version > SCHEMA_VERSION)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, CRYO_ARCHIVE_ERROR, CRYO_ARCHIVE_ERROR_CORRUPT,
                   _("The history archive %s was written by a newer Cryomon: readings are kept "
                     "in memory only."), display);
      return NULL;
    }
  g_clear_pointer (&version, sqlite3_finalize);

  mode = prepare (self->wdb, "PRAGMA journal_mode = WAL", path, error);
  if (mode == NULL)
    return NULL;
  rc = sqlite3_step (mode);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->wdb, rc, path);
      return NULL;
    }
  g_clear_pointer (&mode, sqlite3_finalize);

  /* WAL with synchronous NORMAL: a commit survives the process being
   * killed; only a power cut may lose the last ones. */
  if (!exec_sql (self->wdb, "PRAGMA synchronous = NORMAL", path, error) ||
      !exec_sql (self->wdb, "BEGIN IMMEDIATE", path, error))
    return NULL;
  if ((old_version == 1 && !exec_sql (self->wdb, migrate_v1_sql, path, error)) ||
      !exec_sql (self->wdb, schema_sql, path, error) ||
      (old_version == 1 && !exec_sql (self->wdb, migrate_v1_copy_sql, path, error)) ||
      !exec_sql (self->wdb, "PRAGMA user_version = " G_STRINGIFY (SCHEMA_VERSION), path, error) ||
      !exec_sql (self->wdb, "COMMIT", path, error))
    {
      sqlite3_exec (self->wdb, "ROLLBACK", NULL, NULL, NULL);
      return NULL;
    }

  if (!open_connection (path, SQLITE_OPEN_READONLY, &self->db, error))
    return NULL;

  self->writer = g_thread_new ("cryo-archive", writer_thread, self);

  return g_steal_pointer (&self);
}

/**
 * cryo_archive_open_readonly:
 * @path: an archive written by cryo_archive_open()
 * @error: a #CryoArchiveError: %CRYO_ARCHIVE_ERROR_IO when it cannot be
 *   opened (missing), %CRYO_ARCHIVE_ERROR_CORRUPT when it is not an archive
 *
 * Opens an archive to read only (exports), also while a running Cryomon
 * writes it.
 *
 * Returns: (transfer full) (nullable): the archive, or %NULL
 */
CryoArchive *
cryo_archive_open_readonly (const char  *path,
                            GError     **error)
{
  g_autoptr(CryoArchive) self = NULL;
  g_autoptr(sqlite3_stmt) check = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CRYO_TYPE_ARCHIVE, NULL);
  self->path = g_strdup (path);

  if (!open_connection (path, SQLITE_OPEN_READONLY, &self->db, error))
    return NULL;

  check = prepare (self->db, "SELECT count(*) FROM channels", path, error);
  if (check == NULL)
    {
      if (error != NULL && *error != NULL && (*error)->code == CRYO_ARCHIVE_ERROR_IO)
        (*error)->code = CRYO_ARCHIVE_ERROR_CORRUPT;
      return NULL;
    }
  rc = sqlite3_step (check);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * cryo_archive_get_path:
 * @self: a #CryoArchive
 *
 * Returns: the database file
 */
const char *
cryo_archive_get_path (CryoArchive *self)
{
  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), NULL);

  return self->path;
}

/**
 * cryo_archive_get_error:
 * @self: a #CryoArchive
 *
 * Returns: (nullable): #CryoArchive:error
 */
const char *
cryo_archive_get_error (CryoArchive *self)
{
  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), NULL);

  return self->error;
}

/**
 * cryo_archive_set_retention:
 * @self: a #CryoArchive
 * @days: how long samples and events are kept, ≥ 1
 *
 * The writer drops older blocks and events from its next transaction on,
 * a few at a time (64 blocks a transaction), never in one long delete.
 */
void
cryo_archive_set_retention (CryoArchive *self,
                            guint        days)
{
  g_return_if_fail (CRYO_IS_ARCHIVE (self));

  g_mutex_lock (&self->mutex);
  self->retention_days = MAX (days, 1);
  self->retention_due = TRUE;
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_archive_add_channel:
 * @self: a #CryoArchive opened for writing
 * @device_id: the stable id of @channel's device
 * @channel: a channel; its id is `<device id>.<key>`
 *
 * Makes @channel known to the archive, keyed by @device_id and its key; a
 * channel of the same key already added gets the same handle. Main thread.
 *
 * Returns: the handle for cryo_archive_append()
 */
guint
cryo_archive_add_channel (CryoArchive *self,
                          const char  *device_id,
                          CryoChannel *channel)
{
  const char *id = cryo_channel_get_id (channel);
  const char *key = id;
  Channel *ch;
  guint handle;

  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), 0);
  g_return_val_if_fail (device_id != NULL, 0);
  g_return_val_if_fail (CRYO_IS_CHANNEL (channel), 0);

  if (g_str_has_prefix (id, device_id) && id[strlen (device_id)] == '.')
    key = id + strlen (device_id) + 1;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->channels->len; i++)
    {
      ch = g_ptr_array_index (self->channels, i);
      if (g_str_equal (ch->device_id, device_id) && g_str_equal (ch->key, key))
        {
          /* A device added again after its history was deleted. */
          ch->deleted = FALSE;
          g_mutex_unlock (&self->mutex);
          return i;
        }
    }

  ch = g_new0 (Channel, 1);
  ch->device_id = g_strdup (device_id);
  ch->key = g_strdup (key);
  ch->device_name = g_strdup (cryo_channel_get_device_name (channel) ?: device_id);
  ch->csv_name = g_strdup (cryo_channel_get_csv_name (channel));
  ch->quantity = cryo_channel_get_quantity (channel);
  ch->unit = cryo_channel_get_unit (channel);
  ch->scale = cryo_channel_get_scale (channel);
  ch->digits = cryo_channel_get_digits (channel);
  ch->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  ch->values = g_array_new (FALSE, FALSE, sizeof (float));
  handle = self->channels->len;
  g_ptr_array_add (self->channels, ch);
  g_mutex_unlock (&self->mutex);

  return handle;
}

/**
 * cryo_archive_set_device_name:
 * @self: a #CryoArchive
 * @device_id: a device's stable id
 * @device_name: its new name
 *
 * Records a rename; exports by device name then find the device under its
 * new name, with all its history. Main thread.
 */
void
cryo_archive_set_device_name (CryoArchive *self,
                              const char  *device_id,
                              const char  *device_name)
{
  g_return_if_fail (CRYO_IS_ARCHIVE (self));
  g_return_if_fail (device_id != NULL && device_name != NULL);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->channels->len; i++)
    {
      Channel *ch = g_ptr_array_index (self->channels, i);

      if (g_str_equal (ch->device_id, device_id) && !g_str_equal (ch->device_name, device_name))
        {
          g_free (ch->device_name);
          ch->device_name = g_strdup (device_name);
          ch->name_changed = TRUE;
        }
    }
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_archive_append:
 * @self: a #CryoArchive opened for writing
 * @handle: from cryo_archive_add_channel()
 * @time_us: wall-clock time, µs since the epoch
 * @value: the value in the channel's unit, NaN for a gap; stored as float32
 *
 * Queues a sample; the writer commits it within a second. Never blocks on
 * I/O. Main thread.
 */
void
cryo_archive_append (CryoArchive *self,
                     guint        handle,
                     gint64       time_us,
                     double       value)
{
  Item item = { handle, time_us, value };

  g_return_if_fail (CRYO_IS_ARCHIVE (self));

  if (self->writer == NULL)
    return;

  g_mutex_lock (&self->mutex);
  if (handle < self->channels->len &&
      !((Channel *) g_ptr_array_index (self->channels, handle))->deleted)
    g_array_append_val (self->pending, item);
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_archive_delete_device:
 * @self: a #CryoArchive opened for writing
 * @device_id: a device's stable id ("pumping_station")
 *
 * Deletes the history of a removed device: its channels, blocks and
 * samples; other devices and the event log keep theirs. From the next
 * transaction of the writer (within a second, or at once with
 * cryo_archive_flush()) no read finds the device; the writer then deletes
 * its rows in bounded batches, one per transaction, so samples of other
 * devices keep being committed every second. Samples of the device still
 * queued are dropped, and cryo_archive_append() drops those that follow
 * until its channels are added again (which starts them afresh). Never
 * blocks on I/O. Main thread.
 */
void
cryo_archive_delete_device (CryoArchive *self,
                            const char  *device_id)
{
  guint kept = 0;

  g_return_if_fail (CRYO_IS_ARCHIVE (self));
  g_return_if_fail (device_id != NULL && device_id[0] != '\0');

  if (self->writer == NULL)
    return;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->channels->len; i++)
    {
      Channel *ch = g_ptr_array_index (self->channels, i);

      if (g_str_equal (ch->device_id, device_id))
        {
          ch->deleted = TRUE;
          ch->reset = TRUE;
        }
    }
  for (guint i = 0; i < self->pending->len; i++)
    {
      const Item *item = &g_array_index (self->pending, Item, i);

      if (!((Channel *) g_ptr_array_index (self->channels, item->handle))->deleted)
        g_array_index (self->pending, Item, kept++) = *item;
    }
  g_array_set_size (self->pending, kept);
  g_ptr_array_add (self->pending_deletes, g_strdup (device_id));
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_archive_add_event:
 * @self: a #CryoArchive opened for writing
 * @event: an event-log entry (a reference is kept; events are immutable)
 *
 * Queues @event, committed within a second. Main thread.
 */
void
cryo_archive_add_event (CryoArchive *self,
                        CryoEvent   *event)
{
  g_return_if_fail (CRYO_IS_ARCHIVE (self));
  g_return_if_fail (CRYO_IS_EVENT (event));

  if (self->writer == NULL)
    return;

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->pending_events, g_object_ref (event));
  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_archive_read_events:
 * @self: a #CryoArchive
 * @begin_us: the first time wanted, µs since the epoch (inclusive)
 * @end_us: the end of the span, µs since the epoch (exclusive)
 * @max_events: at most this many, the newest of the span; 0 for all
 * @cancellable: (nullable): a #GCancellable, checked between rows
 * @error: a #CryoArchiveError, or %G_IO_ERROR_CANCELLED
 *
 * Reads the events committed in [@begin_us, @end_us) in time order (the
 * order they were logged in for equal times). Events queued with
 * cryo_archive_add_event() in the last second may not be committed yet.
 *
 * Opens a read-only connection of its own for the call, so it may be
 * called from any thread (a #GTask worker), also while the writer writes.
 *
 * Returns: (transfer full) (element-type CryoEvent): the events, or %NULL
 */
GPtrArray *
cryo_archive_read_events (CryoArchive   *self,
                          gint64         begin_us,
                          gint64         end_us,
                          guint          max_events,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *select = NULL;
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), NULL);

  if (!open_connection (self->path, SQLITE_OPEN_READONLY, &db, error))
    return NULL;

  /* The newest max_events, turned back into time order. */
  select = prepare (db,
                    "SELECT t, device_id, device, kind, severity, user, text FROM"
                    " (SELECT rowid AS r, * FROM events WHERE t >= ?1 AND t < ?2"
                    "  ORDER BY t DESC, rowid DESC LIMIT ?3)"
                    " ORDER BY t, r",
                    self->path, error);
  if (select == NULL)
    {
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_bind_int64 (select, 1, begin_us);
  sqlite3_bind_int64 (select, 2, end_us);
  sqlite3_bind_int64 (select, 3, max_events > 0 ? (sqlite3_int64) max_events : -1);

  events = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      CryoEventKind kind = CRYO_EVENT_KIND_ACTION_RESULT;
      CryoEventSeverity severity = CRYO_EVENT_SEVERITY_INFO;

      if (g_cancellable_is_cancelled (cancellable))
        break;

      /* A kind or severity of a newer Cryomon reads as an action result. */
      cryo_event_kind_from_id ((const char *) sqlite3_column_text (select, 3), &kind);
      cryo_event_severity_from_id ((const char *) sqlite3_column_text (select, 4), &severity);
      g_ptr_array_add (events,
                       cryo_event_new (sqlite3_column_int64 (select, 0),
                                       (const char *) sqlite3_column_text (select, 1),
                                       (const char *) sqlite3_column_text (select, 2),
                                       kind, severity,
                                       (const char *) sqlite3_column_text (select, 5),
                                       (const char *) sqlite3_column_text (select, 6)));
    }

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    set_sqlite_error (error, db, rc, self->path);
  else if (g_cancellable_set_error_if_cancelled (cancellable, error))
    rc = SQLITE_INTERRUPT;

  sqlite3_finalize (select);
  sqlite3_close (db);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&events);
}

typedef struct
{
  gint64 begin_us;
  gint64 end_us;
  guint  max_events;
} ReadEvents;

static void
read_events_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ReadEvents *span = task_data;
  GError *error = NULL;
  GPtrArray *events;

  events = cryo_archive_read_events (source_object, span->begin_us, span->end_us,
                                     span->max_events, cancellable, &error);
  if (events == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, events, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * cryo_archive_read_events_async:
 * @self: a #CryoArchive
 * @begin_us: as for cryo_archive_read_events()
 * @end_us: as for cryo_archive_read_events()
 * @max_events: as for cryo_archive_read_events()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the calling thread's main context when done
 * @user_data: data for @callback
 *
 * cryo_archive_read_events() in a worker thread, so the main thread does
 * not wait for the disk.
 */
void
cryo_archive_read_events_async (CryoArchive         *self,
                                gint64               begin_us,
                                gint64               end_us,
                                guint                max_events,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadEvents *span;

  g_return_if_fail (CRYO_IS_ARCHIVE (self));

  span = g_new0 (ReadEvents, 1);
  span->begin_us = begin_us;
  span->end_us = end_us;
  span->max_events = max_events;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cryo_archive_read_events_async);
  g_task_set_task_data (task, span, g_free);
  g_task_run_in_thread (task, read_events_thread);
}

/**
 * cryo_archive_read_events_finish:
 * @self: a #CryoArchive
 * @result: the #GAsyncResult given to the callback
 * @error: as for cryo_archive_read_events()
 *
 * Returns: (transfer full) (element-type CryoEvent): the events in time
 *   order, or %NULL
 */
GPtrArray *
cryo_archive_read_events_finish (CryoArchive   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cryo_archive_flush:
 * @self: a #CryoArchive
 * @error: the #CryoArchiveError of the transaction, if it failed
 *
 * Commits what was queued now rather than within the second, and waits
 * for it (blocking: for shutdown, tests and benchmarks).
 *
 * Returns: %TRUE when the transaction succeeded
 */
gboolean
cryo_archive_flush (CryoArchive  *self,
                    GError      **error)
{
  guint64 target;
  gboolean ok;

  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), FALSE);

  if (self->writer == NULL)
    return TRUE;

  g_mutex_lock (&self->mutex);
  target = ++self->flush_requested;
  g_cond_broadcast (&self->cond);
  while (self->flush_done < target)
    g_cond_wait (&self->cond, &self->mutex);
  ok = self->writer_error == NULL;
  if (!ok)
    g_propagate_error (error, g_error_copy (self->writer_error));
  g_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * cryo_archive_close:
 * @self: a #CryoArchive
 *
 * Commits what is queued, stops the writer thread and releases the lock.
 * Reading still works. Called by finalize; idempotent. Main thread.
 */
void
cryo_archive_close (CryoArchive *self)
{
  g_return_if_fail (CRYO_IS_ARCHIVE (self));

  if (self->writer != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->stopping = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
      g_thread_join (g_steal_pointer (&self->writer));
    }

  g_clear_pointer (&self->wdb, sqlite3_close);
  if (self->lock_fd >= 0)
    {
      close (self->lock_fd);
      self->lock_fd = -1;
    }
}

/**
 * cryo_archive_channel_free:
 * @channel: (nullable): a channel from cryo_archive_list_channels()
 */
void
cryo_archive_channel_free (CryoArchiveChannel *channel)
{
  if (channel == NULL)
    return;

  g_free (channel->device_id);
  g_free (channel->key);
  g_free (channel->device_name);
  g_free (channel->csv_name);
  g_free (channel);
}

/**
 * cryo_archive_list_channels:
 * @self: a #CryoArchive
 * @error: a #CryoArchiveError
 *
 * Every channel the archive holds, in the order they were first written.
 * Main thread.
 *
 * Returns: (transfer container) (element-type CryoArchiveChannel): the
 *   channels, or %NULL
 */
GPtrArray *
cryo_archive_list_channels (CryoArchive  *self,
                            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  int rc;

  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), NULL);

  stmt = prepare (self->db, "SELECT device_id, key, device_name, csv_name, quantity, unit, scale,"
                            " digits FROM channels WHERE device_id <> '' ORDER BY id",
                  self->path, error);
  if (stmt == NULL)
    return NULL;

  channels = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_archive_channel_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CryoArchiveChannel *ch = g_new0 (CryoArchiveChannel, 1);

      ch->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      ch->key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      ch->device_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      ch->csv_name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      ch->quantity = sqlite3_column_int (stmt, 4);
      ch->unit = sqlite3_column_int (stmt, 5);
      ch->scale = sqlite3_column_int (stmt, 6);
      ch->digits = sqlite3_column_int (stmt, 7);
      g_ptr_array_add (channels, ch);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&channels);
}

/* The row id of a channel, 0 when the archive has none (no error). */
static gboolean
lookup_channel (CryoArchive  *self,
                const char   *device_id,
                const char   *key,
                gint64       *db_id,
                GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self->db, "SELECT id FROM channels WHERE device_id = ?1 AND key = ?2",
                  self->path, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);

  *db_id = 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *db_id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

/* Every sample of @db_id with @begin_us ≤ time ≤ @end_us, in time order,
 * appended to @times and @values. */
static gboolean
collect_samples (CryoArchive  *self,
                 gint64        db_id,
                 gint64        begin_us,
                 gint64        end_us,
                 GArray       *times,
                 GArray       *values,
                 GError      **error)
{
  g_autoptr(sqlite3_stmt) blocks = NULL;
  g_autoptr(sqlite3_stmt) recent = NULL;
  g_autoptr(GArray) block_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) block_values = g_array_new (FALSE, FALSE, sizeof (float));
  int rc;

  blocks = prepare (self->db, "SELECT data FROM blocks WHERE channel = ?1 AND t_last >= ?2"
                              " AND t_first <= ?3 ORDER BY t_last, id", self->path, error);
  if (blocks == NULL)
    return FALSE;
  sqlite3_bind_int64 (blocks, 1, db_id);
  sqlite3_bind_int64 (blocks, 2, begin_us);
  sqlite3_bind_int64 (blocks, 3, end_us);
  while ((rc = sqlite3_step (blocks)) == SQLITE_ROW)
    {
      g_array_set_size (block_times, 0);
      g_array_set_size (block_values, 0);
      if (!decode_samples (sqlite3_column_blob (blocks, 0), sqlite3_column_bytes (blocks, 0),
                           block_times, block_values))
        {
          set_sqlite_error (error, NULL, SQLITE_CORRUPT, self->path);
          return FALSE;
        }
      for (guint i = 0; i < block_times->len; i++)
        {
          gint64 t = g_array_index (block_times, gint64, i);

          if (t >= begin_us && t <= end_us)
            {
              g_array_append_val (times, t);
              g_array_append_val (values, g_array_index (block_values, float, i));
            }
        }
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  recent = prepare (self->db, "SELECT t, v FROM recent WHERE channel = ?1 AND t >= ?2"
                              " AND t <= ?3 ORDER BY t, rowid", self->path, error);
  if (recent == NULL)
    return FALSE;
  sqlite3_bind_int64 (recent, 1, db_id);
  sqlite3_bind_int64 (recent, 2, begin_us);
  sqlite3_bind_int64 (recent, 3, end_us);
  while ((rc = sqlite3_step (recent)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (recent, 0);
      float v = sqlite3_column_type (recent, 1) == SQLITE_NULL
                ? NAN : (float) sqlite3_column_double (recent, 1);

      g_array_append_val (times, t);
      g_array_append_val (values, v);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

/**
 * cryo_archive_read:
 * @self: a #CryoArchive
 * @device_id: a device's stable id
 * @key: a channel key
 * @begin_us: first time to include, µs since the epoch
 * @end_us: last time to include, µs
 * @error: a #CryoArchiveError when the database cannot be read
 *
 * Reads every archived sample of the channel in [@begin_us, @end_us] (not
 * those still queued: cryo_archive_flush() first). Main thread.
 *
 * Returns: (transfer full) (nullable): a history holding exactly those
 *   samples (empty when the archive has none), or %NULL on error
 */
CryoHistory *
cryo_archive_read (CryoArchive  *self,
                   const char   *device_id,
                   const char   *key,
                   gint64        begin_us,
                   gint64        end_us,
                   GError      **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (float));
  CryoHistory *history;
  gint64 db_id;

  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (device_id != NULL && key != NULL, NULL);

  if (!lookup_channel (self, device_id, key, &db_id, error))
    return NULL;
  if (db_id != 0 && !collect_samples (self, db_id, begin_us, end_us, times, values, error))
    return NULL;

  history = cryo_history_new (MAX (times->len, 1));
  for (guint i = 0; i < times->len; i++)
    cryo_history_append (history, g_array_index (times, gint64, i),
                         g_array_index (values, float, i));

  return history;
}

/**
 * cryo_archive_load_history:
 * @self: a #CryoArchive opened for writing
 * @handle: @channel's handle from cryo_archive_add_channel()
 * @channel: a channel whose history is still empty
 * @since_us: oldest time to load, µs (the live span before @now_us)
 * @now_us: the start of this run, µs
 * @error: a #CryoArchiveError when the database cannot be read
 *
 * Fills @channel's history with its archived samples of [@since_us,
 * @now_us), then marks the time Cryomon was not running with a gap (a NaN
 * sample just after the last one, archived too). The channel's reading is
 * left unknown. Main thread, before the channel's device starts polling.
 *
 * Returns: %FALSE on error (the history is then left as it was read)
 */
gboolean
cryo_archive_load_history (CryoArchive  *self,
                           guint         handle,
                           CryoChannel  *channel,
                           gint64        since_us,
                           gint64        now_us,
                           GError      **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (float));
  CryoHistory *history;
  gint64 db_id, last_us;
  const char *device_id;
  const char *key;
  float last_value;

  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (CRYO_IS_CHANNEL (channel), FALSE);

  /* A channel's ids never change once added. */
  g_mutex_lock (&self->mutex);
  if (handle >= self->channels->len)
    {
      g_mutex_unlock (&self->mutex);
      g_return_val_if_reached (FALSE);
    }
  device_id = ((Channel *) g_ptr_array_index (self->channels, handle))->device_id;
  key = ((Channel *) g_ptr_array_index (self->channels, handle))->key;
  g_mutex_unlock (&self->mutex);

  history = cryo_channel_get_history (channel);
  g_return_val_if_fail (cryo_history_get_n_samples (history) == 0, FALSE);

  if (now_us <= since_us)
    return TRUE;
  if (!lookup_channel (self, device_id, key, &db_id, error))
    return FALSE;
  if (db_id == 0)
    return TRUE;
  if (!collect_samples (self, db_id, since_us, now_us - 1, times, values, error))
    return FALSE;
  if (times->len == 0)
    return TRUE;

  for (guint i = 0; i < times->len; i++)
    cryo_history_append (history, g_array_index (times, gint64, i),
                         g_array_index (values, float, i));

  last_us = g_array_index (times, gint64, times->len - 1);
  last_value = g_array_index (values, float, values->len - 1);
  if (isfinite (last_value))
    {
      cryo_history_append (history, last_us + 1, NAN);
      if (self->writer != NULL)
        cryo_archive_append (self, handle, last_us + 1, NAN);
    }

  return TRUE;
}

/* Columns ------------------------------------------------------------------ */

static guint
column_of (gint64 begin_us,
           gint64 end_us,
           guint  n_columns,
           gint64 t)
{
  double span = (double) end_us - (double) begin_us;
  double estimate = span > 0 ? ((double) t - (double) begin_us) / span * n_columns : 0;
  guint c = (guint) CLAMP (estimate, 0, n_columns - 1);

  while (c + 1 < n_columns && t >= cryo_history_get_column_time (begin_us, end_us, n_columns, c + 1))
    c++;
  while (c > 0 && t < cryo_history_get_column_time (begin_us, end_us, n_columns, c))
    c--;

  return c;
}

static void
column_add_stats (CryoHistoryColumn *col,
                  const Stats       *s)
{
  col->n_samples += s->n;
  if (s->n_finite < s->n)
    col->has_gap = TRUE;
  if (s->n_finite == 0)
    return;
  if (isnan (col->min) || s->min < col->min)
    col->min = s->min;
  if (isnan (col->max) || s->max > col->max)
    col->max = s->max;
  if (isnan (col->first))
    col->first = s->first;
  col->last = s->last;
}

static void
column_add_sample (CryoHistoryColumn *col,
                   float              v)
{
  Stats s;

  stats_init (&s, 0);
  stats_add (&s, 0, v);
  column_add_stats (col, &s);
}

/**
 * cryo_archive_get_columns:
 * @self: a #CryoArchive
 * @device_id: a device's stable id
 * @key: a channel key
 * @begin_us: start of the span, µs
 * @end_us: end of the span, µs, > @begin_us
 * @n_columns: number of columns (pixel columns), ≥ 1
 * @columns: (out caller-allocates) (array length=n_columns): one summary per
 *   column, as cryo_history_get_columns() gives them
 * @error: a #CryoArchiveError when the database cannot be read
 *
 * Summarises the archived samples of [@begin_us, @end_us] for drawing.
 * Columns wider than a block take whole block rows, wider than twice a
 * group of 256 samples the blocks' group summaries, narrower ones the
 * samples; a block or group counts in the column of its first sample, so
 * the cost follows @n_columns and the span's blocks, not its samples.
 * Main thread.
 *
 * Returns: %FALSE on error
 */
gboolean
cryo_archive_get_columns (CryoArchive        *self,
                          const char         *device_id,
                          const char         *key,
                          gint64              begin_us,
                          gint64              end_us,
                          guint               n_columns,
                          CryoHistoryColumn  *columns,
                          GError            **error)
{
  g_autoptr(sqlite3_stmt) blocks = NULL;
  g_autoptr(sqlite3_stmt) data = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (float));
  double column_us;
  gint64 db_id;
  int rc;

  g_return_val_if_fail (CRYO_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (n_columns > 0 && columns != NULL, FALSE);
  g_return_val_if_fail (end_us > begin_us, FALSE);

  for (guint i = 0; i < n_columns; i++)
    columns[i] = (CryoHistoryColumn) { NAN, NAN, NAN, NAN, 0, FALSE };

  if (!lookup_channel (self, device_id, key, &db_id, error))
    return FALSE;
  if (db_id == 0)
    return TRUE;

  column_us = ((double) end_us - (double) begin_us) / n_columns;
  blocks = prepare (self->db, "SELECT id, t_first, t_last, n, n_finite, min, max, first, last,"
                              " summary FROM blocks WHERE channel = ?1 AND t_last >= ?2"
                              " AND t_first <= ?3 ORDER BY t_last, id", self->path, error);
  if (blocks == NULL)
    return FALSE;
  sqlite3_bind_int64 (blocks, 1, db_id);
  sqlite3_bind_int64 (blocks, 2, begin_us);
  sqlite3_bind_int64 (blocks, 3, end_us);
  while ((rc = sqlite3_step (blocks)) == SQLITE_ROW)
    {
      Stats block;
      double group_us;

      block.t_first = sqlite3_column_int64 (blocks, 1);
      block.t_last = sqlite3_column_int64 (blocks, 2);
      block.n = sqlite3_column_int (blocks, 3);
      block.n_finite = sqlite3_column_int (blocks, 4);
      group_us = ((double) block.t_last - (double) block.t_first) * GROUP_SIZE / MAX (block.n, 1);

      if (block.t_first >= begin_us && block.t_last <= end_us &&
          column_of (begin_us, end_us, n_columns, block.t_first) ==
          column_of (begin_us, end_us, n_columns, block.t_last))
        {
          block.min = sqlite3_column_double (blocks, 5);
          block.max = sqlite3_column_double (blocks, 6);
          block.first = sqlite3_column_double (blocks, 7);
          block.last = sqlite3_column_double (blocks, 8);
          column_add_stats (&columns[column_of (begin_us, end_us, n_columns, block.t_first)],
                            &block);
        }
      else if (column_us >= 2 * group_us)
        {
          const Stats *groups = sqlite3_column_blob (blocks, 9);
          guint n_groups = sqlite3_column_bytes (blocks, 9) / sizeof (Stats);

          for (guint g = 0; g < n_groups; g++)
            {
              Stats s;

              /* The blob may be unaligned: copy. */
              memcpy (&s, &groups[g], sizeof s);
              if (s.t_first > end_us || s.t_last < begin_us)
                continue;
              column_add_stats (&columns[column_of (begin_us, end_us, n_columns,
                                                    MAX (s.t_first, begin_us))], &s);
            }
        }
      else
        {
          if (data == NULL)
            {
              data = prepare (self->db, "SELECT data FROM blocks WHERE id = ?1", self->path, error);
              if (data == NULL)
                return FALSE;
            }
          sqlite3_bind_int64 (data, 1, sqlite3_column_int64 (blocks, 0));
          rc = sqlite3_step (data);
          g_array_set_size (times, 0);
          g_array_set_size (values, 0);
          if (rc != SQLITE_ROW ||
              !decode_samples (sqlite3_column_blob (data, 0), sqlite3_column_bytes (data, 0),
                               times, values))
            {
              set_sqlite_error (error, self->db, rc == SQLITE_ROW ? SQLITE_CORRUPT : rc,
                                self->path);
              return FALSE;
            }
          sqlite3_reset (data);
          for (guint i = 0; i < times->len; i++)
            {
              gint64 t = g_array_index (times, gint64, i);

              if (t >= begin_us && t <= end_us)
                column_add_sample (&columns[column_of (begin_us, end_us, n_columns, t)],
                                   g_array_index (values, float, i));
            }
        }
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  /* The block being filled. */
  g_array_set_size (times, 0);
  g_array_set_size (values, 0);
  {
    g_autoptr(sqlite3_stmt) recent = NULL;

    recent = prepare (self->db, "SELECT t, v FROM recent WHERE channel = ?1 AND t >= ?2"
                                " AND t <= ?3 ORDER BY t, rowid", self->path, error);
    if (recent == NULL)
      return FALSE;
    sqlite3_bind_int64 (recent, 1, db_id);
    sqlite3_bind_int64 (recent, 2, begin_us);
    sqlite3_bind_int64 (recent, 3, end_us);
    while ((rc = sqlite3_step (recent)) == SQLITE_ROW)
      {
        gint64 t = sqlite3_column_int64 (recent, 0);
        float v = sqlite3_column_type (recent, 1) == SQLITE_NULL
                  ? NAN : (float) sqlite3_column_double (recent, 1);

        column_add_sample (&columns[column_of (begin_us, end_us, n_columns, t)], v);
      }
    if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, self->db, rc, self->path);
        return FALSE;
      }
  }

  return TRUE;
}
