/* cryo-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-csv"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "cryo-csv.h"
#include "cryo-number-format.h"

static const char two_digits[201] =
  "00010203040506070809"
  "10111213141516171819"
  "20212223242526272829"
  "30313233343536373839"
  "40414243444546474849"
  "50515253545556575859"
  "60616263646566676869"
  "70717273747576777879"
  "80818283848586878889"
  "90919293949596979899";

/*
 * Time stamps
 *
 * GDateTime does the calendar and the time zone. Asking it for every row
 * would cost more than all the rest of an export (a row a second is
 * common), so the text of one UTC minute is kept: GDateTime formats its
 * "2026-02-07T14:23:" and its offset once, and each row in that minute adds
 * its seconds and microseconds. That is exact when the offset is a whole
 * number of minutes and the same at both ends of the minute, since no zone
 * changes its offset twice within a minute. Otherwise, at a historic local
 * mean time offset ("+00:19:32") or a change in mid-minute, GDateTime is
 * asked for each second.
 *
 * The local zone is looked up once per export, not per GDateTime:
 * g_date_time_new_from_unix_local() reloads it on every call while TZ is
 * unset (GLib 2.74 compares the zone's identifier with the unset variable),
 * which would double the time of an export.
 */

typedef struct
{
  GTimeZone *tz;
  /* The UTC seconds first_s..last_s share prefix and offset; the local
   * seconds field at first_s is first_second. */
  gint64     first_s;
  gint64     last_s;
  guint      first_second;
  char      *prefix;
  gsize      prefix_len;
  char      *offset;
  gsize      offset_len;
} Clock;

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
clock_clear (Clock *clock)
{
  g_clear_pointer (&clock->tz, g_time_zone_unref);
  g_clear_pointer (&clock->prefix, g_free);
  g_clear_pointer (&clock->offset, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Clock, clock_clear)

/* NULL outside years 1..9999 of the local calendar. */
static GDateTime *
clock_new_date_time (Clock  *clock,
                     gint64  utc_s)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (utc_s);

  return utc != NULL ? g_date_time_to_timezone (utc, clock->tz) : NULL;
}

static void
clock_set (Clock     *clock,
           GDateTime *local,
           gint64     first_s,
           gint64     last_s)
{
  g_clear_pointer (&clock->prefix, g_free);
  g_clear_pointer (&clock->offset, g_free);
  clock->prefix_len = 0;
  clock->offset_len = 0;
  clock->first_s = first_s;
  clock->last_s = last_s;

  if (local == NULL)
    return;

  /* %C%y, not %Y, for the four digits ISO 8601 wants before year 1000. */
  clock->prefix = g_date_time_format (local, "%C%y-%m-%dT%H:%M:");
  clock->offset = g_date_time_format (local, "%:z");
  g_assert (clock->prefix != NULL && clock->offset != NULL);
  clock->prefix_len = strlen (clock->prefix);
  clock->offset_len = strlen (clock->offset);
  clock->first_second = g_date_time_get_second (local);
}

static void
clock_update (Clock  *clock,
              gint64  utc_s)
{
  gint64 minute_s = floor_div (utc_s, 60) * 60;
  g_autoptr(GDateTime) start = clock_new_date_time (clock, minute_s);
  g_autoptr(GDateTime) end = clock_new_date_time (clock, minute_s + 59);
  g_autoptr(GDateTime) at = NULL;

  if (start != NULL && end != NULL &&
      g_date_time_get_utc_offset (start) % G_TIME_SPAN_MINUTE == 0 &&
      g_date_time_get_utc_offset (start) == g_date_time_get_utc_offset (end))
    {
      clock_set (clock, start, minute_s, minute_s + 59);
      return;
    }

  at = clock_new_date_time (clock, utc_s);
  clock_set (clock, at, utc_s, utc_s);
}

/* Writes "2026-02-07T14:23:45.123456+01:00", or nothing for a time
 * GDateTime cannot hold; at most 40 bytes. */
static gsize
clock_format (Clock  *clock,
              gint64  time_us,
              char   *out)
{
  gint64 utc_s = time_us / G_USEC_PER_SEC;
  gint64 rest = time_us % G_USEC_PER_SEC;
  guint usec;
  guint second;
  char *p = out;

  /* Floor without multiplying back, which overflows near G_MININT64. */
  if (rest < 0)
    {
      utc_s--;
      rest += G_USEC_PER_SEC;
    }
  usec = (guint) rest;

  if (utc_s < clock->first_s || utc_s > clock->last_s)
    clock_update (clock, utc_s);

  if (clock->prefix == NULL)
    return 0;

  second = clock->first_second + (guint) (utc_s - clock->first_s);
  g_assert (clock->prefix_len + clock->offset_len <= 25 && second < 60);

  memcpy (p, clock->prefix, clock->prefix_len);
  p += clock->prefix_len;
  memcpy (p, two_digits + 2 * second, 2);
  p[2] = '.';
  memcpy (p + 3, two_digits + 2 * (usec / 10000), 2);
  memcpy (p + 5, two_digits + 2 * ((usec / 100) % 100), 2);
  memcpy (p + 7, two_digits + 2 * (usec % 100), 2);
  p += 9;
  memcpy (p, clock->offset, clock->offset_len);
  p += clock->offset_len;

  return p - out;
}

/* Writes "<seconds>.<6 digits>" for a non-negative µs count. */
static gsize
format_elapsed (guint64  elapsed_us,
                char    *out)
{
  guint64 whole = elapsed_us / G_USEC_PER_SEC;
  guint usec = (guint) (elapsed_us % G_USEC_PER_SEC);
  char rev[20];
  gsize n = 0;
  char *p = out;

  do
    {
      rev[n++] = (char) ('0' + whole % 10);
      whole /= 10;
    }
  while (whole != 0);
  while (n > 0)
    *p++ = rev[--n];

  *p++ = '.';
  memcpy (p, two_digits + 2 * (usec / 10000), 2);
  memcpy (p + 2, two_digits + 2 * ((usec / 100) % 100), 2);
  memcpy (p + 4, two_digits + 2 * (usec % 100), 2);

  return p + 6 - out;
}

/*
 * Output: one large buffer, written to the GFileOutputStream of
 * g_file_replace(). For an existing regular file GLib writes a temporary
 * file next to it with the file's owner and mode, fsyncs it and renames it
 * over the file only when the stream is closed; closing with a cancelled
 * GCancellable deletes the temporary file instead. Two cases GLib handles
 * otherwise are steered onto that path first:
 *
 * - A file that does not exist yet GLib writes in place, without fsync.
 *   An empty file is created first, so the export still goes through the
 *   temporary file, and it is deleted again if the export fails.
 * - Through a symbolic link GLib rewrites the link's target in place, so a
 *   failure would leave it truncated. The links are followed here and the
 *   target is replaced: the link stays a link, and the target keeps its
 *   mode and is still replaced whole or not at all.
 *
 * A target with several hard links, or one in a folder where the writer
 * cannot create a file or give it the target's owner, GLib still rewrites
 * in place (keeping the links and the owner, but not atomically).
 */

#define OUT_BUFFER_SIZE (1024 * 1024)

/* Linux's own limit on links followed in one path. */
#define MAX_LINKS 40

/* Exports are data to share: readable by all, writable by their owner. */
#define NEW_FILE_MODE 0644

typedef struct
{
  GOutputStream *stream;
  char          *buf;
  gsize          len;
  GError        *error;
  /* Exports: told how far they got, and stopped on request. */
  GCancellable        *cancellable;
  CryoCsvProgressFunc  progress;
  gpointer             progress_data;
  gint64               begin_us;
  gint64               end_us;
} Out;

static gboolean
out_flush (Out *out)
{
  if (out->len > 0 &&
      !g_output_stream_write_all (out->stream, out->buf, out->len, NULL, out->cancellable,
                                  &out->error))
    return FALSE;

  out->len = 0;
  return TRUE;
}

/* Where the chain of symbolic links at @path ends; @path itself when it is
 * not a link. What cannot be read as a link is left for opening to report. */
static char *
resolve_links (const char *path)
{
  g_autofree char *current = g_strdup (path);

  for (guint i = 0; i < MAX_LINKS; i++)
    {
      g_autofree char *link = g_file_read_link (current, NULL);
      g_autofree char *dir = NULL;

      if (link == NULL)
        break;

      if (g_path_is_absolute (link))
        {
          g_free (current);
          current = g_steal_pointer (&link);
          continue;
        }

      dir = g_path_get_dirname (current);
      g_free (current);
      current = g_build_filename (dir, link, NULL);
    }

  return g_steal_pointer (&current);
}

/* Creates @file empty, mode 0644 (less what the umask takes away), if it
 * does not exist: g_file_create() would give it 0666, group-writable under
 * the umask 002 of many desktops. Returns FALSE with @error when it cannot be
 * created; sets @created when this call created it. */
static gboolean
ensure_exists (GFile     *file,
               gboolean  *created,
               GError   **error)
{
  g_autofree char *path = g_file_get_path (file);
  int saved_errno;
  int fd;

  *created = FALSE;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, NEW_FILE_MODE);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == EEXIST)
        return TRUE;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  *created = TRUE;
  if (close (fd) != 0)
    {
      saved_errno = errno;
      g_unlink (path);
      *created = FALSE;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Closes @stream without putting what it holds in place. */
static void
abandon (GFileOutputStream *stream)
{
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  g_cancellable_cancel (cancelled);
  g_output_stream_close (G_OUTPUT_STREAM (stream), cancelled, NULL);
}

static void
append_csv_field (GString    *line,
                  const char *text,
                  const char *suffix)
{
  g_autofree char *field = g_strconcat (text, suffix, NULL);

  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (line, field);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static char *
build_header (const CryoCsvSeries *series,
              guint                n_series)
{
  GString *line = g_string_new ("timestamp_iso,seconds_since_start");

  for (guint i = 0; i < n_series; i++)
    {
      const char *name = series[i].name != NULL ? series[i].name : "";

      g_string_append_c (line, ',');
      append_csv_field (line, name, "");
      g_string_append_c (line, ',');
      if (n_series == 1)
        append_csv_field (line, "units", "");
      else
        append_csv_field (line, name, "_units");
    }
  g_string_append_c (line, '\n');

  return g_string_free (line, FALSE);
}

typedef struct
{
  CryoHistoryIter iter;
  CryoSample      head;
  gboolean        has_head;
  const char     *unit_symbol;
  gsize           unit_len;
} Cursor;

static gboolean
write_rows (Out                 *out,
            const CryoCsvSeries *series,
            guint                n_series,
            gint64               begin_us,
            gint64               end_us)
{
  g_autofree Cursor *cursors = g_new0 (Cursor, MAX (n_series, 1));
  g_auto(Clock) clock = {
    .tz = g_time_zone_new_local (),
    .first_s = G_MAXINT64,
    .last_s = G_MININT64,
  };
  gsize row_max = 128;   /* time stamp, elapsed seconds, separators */
  gboolean first_row = TRUE;
  gint64 start_us = 0;

  for (guint i = 0; i < n_series; i++)
    {
      Cursor *c = &cursors[i];

      c->unit_symbol = cryo_unit_get_symbol (series[i].unit);
      c->unit_len = strlen (c->unit_symbol);
      cryo_history_iter_init (&c->iter, series[i].history, begin_us, end_us);
      c->has_head = cryo_history_iter_next (&c->iter, &c->head);
      row_max += 2 + CRYO_NUMBER_FORMAT_MAX_LEN + c->unit_len;
    }

  for (;;)
    {
      gint64 t = G_MAXINT64;
      gboolean any = FALSE;
      char *p;

      for (guint i = 0; i < n_series; i++)
        {
          if (cursors[i].has_head && (!any || cursors[i].head.time_us < t))
            {
              t = cursors[i].head.time_us;
              any = TRUE;
            }
        }
      if (!any)
        break;

      if (first_row)
        {
          start_us = t;
          first_row = FALSE;
        }

      if (OUT_BUFFER_SIZE - out->len < row_max)
        {
          if (!out_flush (out))
            return FALSE;
          if (out->progress != NULL && out->end_us > out->begin_us)
            out->progress ((double) (t - out->begin_us) / (double) (out->end_us - out->begin_us),
                           out->progress_data);
        }

      p = out->buf + out->len;
      p += clock_format (&clock, t, p);
      *p++ = ',';
      /* Rows go forward in time, and any forward span of gint64 µs fits a
       * guint64: exact, where t - start_us could overflow. */
      g_assert (t >= start_us);
      p += format_elapsed ((guint64) t - (guint64) start_us, p);

      for (guint i = 0; i < n_series; i++)
        {
          Cursor *c = &cursors[i];
          double value;

          *p++ = ',';
          if (!c->has_head || c->head.time_us != t)
            {
              *p++ = ',';
              continue;
            }

          /* One row per distinct time: of several samples at the same
           * time, the last appended wins. */
          do
            {
              value = c->head.value;
              c->has_head = cryo_history_iter_next (&c->iter, &c->head);
            }
          while (c->has_head && c->head.time_us == t);

          value = cryo_unit_convert (value, series[i].stored_unit, series[i].unit);
          if (isfinite (value))
            p += cryo_number_format_double (p, CRYO_NUMBER_FORMAT_MAX_LEN, value, series[i].digits);
          *p++ = ',';
          memcpy (p, c->unit_symbol, c->unit_len);
          p += c->unit_len;
        }

      *p++ = '\n';
      out->len = p - out->buf;
    }

  return out_flush (out);
}

static void
set_write_error (GError     **error,
                 GError      *cause,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  /* GLib's errors on opening already name the file; those on writing and
   * renaming do not, and a link's target is not the name the user chose. */
  if (strstr (cause->message, display) != NULL)
    {
      g_propagate_error (error, g_error_copy (cause));
      return;
    }

  g_set_error (error, cause->domain, cause->code,
               /* Translators: "Could not write “/home/x/run.csv”: Error writing to file:
                * No space left on device" */
               _("Could not write “%s”: %s"), display, cause->message);
}

/**
 * cryo_csv_write:
 * @path: the file to write, in the GLib file name encoding
 * @series: (array length=n_series): the series, one value column and one
 *   unit column each
 * @n_series: number of series
 * @begin_us: first time to export, µs since the Unix epoch
 * @end_us: last time to export, inclusive
 * @error: return location for a #GError
 *
 * Writes a wide CSV of the samples of @series in [@begin_us, @end_us]:
 *
 * |[
 * timestamp_iso,seconds_since_start,pressure,pressure_units,speed,speed_units
 * 2026-02-07T14:23:45.123456+01:00,0.000000,0.00123,mbar,81000,rpm
 * ]|
 *
 * The unit column is named `units` when there is exactly one series,
 * `<name>_units` otherwise. There is one row per distinct sample time of any
 * series, in time order; a series without a sample at that time has empty
 * value and unit cells, a gap (NaN) an empty value cell. Times are local
 * (ISO 8601 with microseconds and the UTC offset in hours and minutes, in
 * the zone of TZ or the system's, as GDateTime has them; empty for a time
 * outside the years 1..9999) and seconds since the first row with six
 * decimals. Values are converted from each series' stored unit to its unit
 * and written with its @digits significant digits as
 * cryo_number_format_double() does (printf's `%.*g`), always with '.',
 * whatever the locale; infinities, like NaN, leave the value cell empty.
 * Lines end with "\n".
 *
 * The file is written through g_file_replace(): to a temporary file in the
 * same folder, flushed to disk (fsync) and renamed over @path, so @path is
 * either the complete new export or left as it was (a new file is created
 * empty first, mode 0644 less the umask, and removed again on failure). A
 * symbolic link at @path is followed and its target replaced; the link
 * stays. An existing file keeps its mode and owner. GLib rewrites a file in
 * place, not atomically, when it has several hard links, or when no file
 * with its owner can be created in its folder. Blocks on disk I/O: call it from a worker thread for large
 * exports; the histories must not be appended to meanwhile.
 *
 * Returns: %TRUE on success; %FALSE with @error (domain %G_IO_ERROR, a
 *   message naming @path) otherwise, with no temporary file left behind
 */
gboolean
cryo_csv_write (const char           *path,
                const CryoCsvSeries  *series,
                guint                 n_series,
                gint64                begin_us,
                gint64                end_us,
                GError              **error)
{
  return cryo_csv_write_full (path, series, n_series, begin_us, end_us, NULL, NULL, NULL, error);
}

/**
 * cryo_csv_write_full:
 * @path: the file to write, in the GLib file name encoding
 * @series: (array length=n_series): the series, as for cryo_csv_write()
 * @n_series: number of series
 * @begin_us: first time to export, µs since the Unix epoch
 * @end_us: last time to export, inclusive
 * @progress: (nullable) (scope call): called in the writing thread each time
 *   a buffer of rows (1 MiB) goes out, with the fraction of the time range
 *   written, 0..1
 * @progress_data: data for @progress
 * @cancellable: (nullable): stops the export
 * @error: return location for a #GError
 *
 * cryo_csv_write() for a long export: it says how far it got and can be
 * cancelled. A cancelled export leaves @path as it was, like any failure.
 *
 * Returns: %TRUE on success; %FALSE with @error otherwise:
 *   %G_IO_ERROR_CANCELLED when @cancellable was cancelled, or as
 *   cryo_csv_write()
 */
gboolean
cryo_csv_write_full (const char           *path,
                     const CryoCsvSeries  *series,
                     guint                 n_series,
                     gint64                begin_us,
                     gint64                end_us,
                     CryoCsvProgressFunc   progress,
                     gpointer              progress_data,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autofree char *target = NULL;
  g_autofree char *header = NULL;
  g_autofree char *buf = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean created = FALSE;
  Out out = { NULL, };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (series != NULL || n_series == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_series; i++)
    {
      g_return_val_if_fail (series[i].history != NULL, FALSE);
      g_return_val_if_fail (cryo_unit_get_quantity (series[i].stored_unit) ==
                            cryo_unit_get_quantity (series[i].unit), FALSE);
    }

  target = resolve_links (path);
  file = g_file_new_for_path (target);

  if (!ensure_exists (file, &created, &local_error))
    goto failed;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &local_error);
  if (stream == NULL)
    goto failed;

  buf = g_malloc (OUT_BUFFER_SIZE);
  out.stream = G_OUTPUT_STREAM (stream);
  out.buf = buf;
  out.cancellable = cancellable;
  out.progress = progress;
  out.progress_data = progress_data;
  out.begin_us = begin_us;
  out.end_us = end_us;

  header = build_header (series, n_series);
  if (!g_output_stream_write_all (out.stream, header, strlen (header), NULL, NULL, &local_error))
    goto abandoned;

  if (!write_rows (&out, series, n_series, begin_us, end_us))
    {
      local_error = g_steal_pointer (&out.error);
      goto abandoned;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    goto abandoned;

  /* fsyncs and renames; on failure GLib deletes its temporary file. */
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &local_error))
    goto failed;

  return TRUE;

abandoned:
  abandon (stream);
failed:
  if (created)
    g_file_delete (file, NULL, NULL);
  set_write_error (error, local_error, path);

  return FALSE;
}

/*
 * Streaming
 *
 * A log that is written while it is recorded (`cryomon --headless --csv`)
 * must be on disk as its rows arrive, so that a process that is killed, or
 * a machine that loses power, leaves the rows it had. So the file is
 * written in place, not to a temporary file renamed at the end as exports
 * are: it exists from the start and grows. Rows are collected in memory and
 * written with one write(2) per cryo_csv_writer_flush(); the caller decides
 * how often (the headless runner: after every poll, and at least once a
 * second).
 */

#define WRITER_BUFFER_SIZE (64 * 1024)

struct _CryoCsvWriter
{
  char          *path;
  int            fd;
  guint          n_columns;
  CryoCsvColumn *columns;
  char         **names;
  GString       *buf;
  Clock          clock;
  gboolean       started;
  gint64         start_us;
  char          *row;
  gsize          row_max;
  double        *row_values;
  gboolean      *row_set;
};

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_autoptr(GError) cause = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                                 g_strerror (saved_errno));

  set_write_error (error, cause, path);
}

/**
 * cryo_csv_writer_new:
 * @path: the file to write, in the GLib file name encoding
 * @columns: (array length=n_columns): the series, one value column and one
 *   unit column each, in file order
 * @n_columns: number of columns
 * @error: return location for a #GError
 *
 * Opens a CSV log that is written row by row with
 * cryo_csv_writer_add_row(), in the format of cryo_csv_write(): the same
 * header, time stamps and numbers, so the file of a recording reads like an
 * export of the same data.
 *
 * @path is opened in place and truncated, not replaced through a temporary
 * file: a crash must leave the rows written so far. A new file is created
 * with mode 0644 (less what the umask takes away); an existing one keeps its
 * mode, owner and hard links; a symbolic link at @path is followed and its
 * target written, the link stays. The header is written before this
 * returns, so a path that cannot be written fails here, not later.
 *
 * Main thread or any one thread; blocks on disk I/O.
 *
 * Returns: (transfer full) (nullable): the writer, or %NULL with @error
 *   (domain %G_IO_ERROR, a message naming @path)
 */
CryoCsvWriter *
cryo_csv_writer_new (const char           *path,
                     const CryoCsvColumn  *columns,
                     guint                 n_columns,
                     GError              **error)
{
  g_autoptr(CryoCsvWriter) self = NULL;
  g_autofree CryoCsvSeries *series = NULL;
  g_autofree char *header = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < n_columns; i++)
    g_return_val_if_fail (cryo_unit_get_quantity (columns[i].stored_unit) ==
                          cryo_unit_get_quantity (columns[i].unit), NULL);

  self = g_new0 (CryoCsvWriter, 1);
  self->fd = -1;
  self->path = g_strdup (path);
  self->n_columns = n_columns;
  self->columns = g_new0 (CryoCsvColumn, MAX (n_columns, 1));
  self->names = g_new0 (char *, n_columns + 1);
  self->row_values = g_new0 (double, MAX (n_columns, 1));
  self->row_set = g_new0 (gboolean, MAX (n_columns, 1));
  self->buf = g_string_sized_new (WRITER_BUFFER_SIZE);
  self->clock.tz = g_time_zone_new_local ();
  self->clock.first_s = G_MAXINT64;
  self->clock.last_s = G_MININT64;

  /* Time stamp, elapsed seconds with a sign, separators. */
  self->row_max = 128;
  series = g_new0 (CryoCsvSeries, MAX (n_columns, 1));
  for (guint i = 0; i < n_columns; i++)
    {
      self->columns[i] = columns[i];
      self->names[i] = g_strdup (columns[i].name != NULL ? columns[i].name : "");
      self->columns[i].name = self->names[i];
      series[i].name = self->names[i];
      self->row_max += 2 + CRYO_NUMBER_FORMAT_MAX_LEN + strlen (cryo_unit_get_symbol (columns[i].unit));
    }
  self->row = g_malloc (self->row_max);

  self->fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, NEW_FILE_MODE);
  if (self->fd < 0)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }

  header = build_header (series, n_columns);
  g_string_append (self->buf, header);
  if (!cryo_csv_writer_flush (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * cryo_csv_writer_add_row:
 * @self: a #CryoCsvWriter
 * @time_us: the row's time, µs since the Unix epoch
 * @cells: (array length=n_cells): the columns that have a sample at
 *   @time_us, each with its value in the column's stored unit (NaN for a
 *   gap)
 * @n_cells: number of cells
 * @error: return location for a #GError
 *
 * Adds one row: as in cryo_csv_write(), a column of @cells gets its value
 * and unit (a gap or an infinity an empty value and the unit), any other
 * column two empty cells; of two cells for one column the last wins. The
 * elapsed seconds count from the first row added, and are negative for a row
 * older than that (rows of different devices may arrive out of time order).
 *
 * The row is kept in memory until cryo_csv_writer_flush(), or written at
 * once when 64 KiB are waiting.
 *
 * Returns: %TRUE, or %FALSE with @error when writing what was waiting
 *   failed (as cryo_csv_writer_flush())
 */
gboolean
cryo_csv_writer_add_row (CryoCsvWriter      *self,
                         gint64              time_us,
                         const CryoCsvCell  *cells,
                         guint               n_cells,
                         GError            **error)
{
  char *p;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->fd >= 0, FALSE);
  g_return_val_if_fail (cells != NULL || n_cells == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_cells; i++)
    {
      g_return_val_if_fail (cells[i].column < self->n_columns, FALSE);
      self->row_set[cells[i].column] = TRUE;
      self->row_values[cells[i].column] = cells[i].value;
    }

  if (!self->started)
    {
      self->started = TRUE;
      self->start_us = time_us;
    }

  p = self->row;
  p += clock_format (&self->clock, time_us, p);
  *p++ = ',';
  /* Differences of gint64 µs fit a guint64 either way round. */
  if (time_us >= self->start_us)
    p += format_elapsed ((guint64) time_us - (guint64) self->start_us, p);
  else
    {
      *p++ = '-';
      p += format_elapsed ((guint64) self->start_us - (guint64) time_us, p);
    }

  for (guint i = 0; i < self->n_columns; i++)
    {
      const CryoCsvColumn *column = &self->columns[i];
      const char *symbol;
      gsize symbol_len;
      double value;

      *p++ = ',';
      if (!self->row_set[i])
        {
          *p++ = ',';
          continue;
        }

      value = cryo_unit_convert (self->row_values[i], column->stored_unit, column->unit);
      if (isfinite (value))
        p += cryo_number_format_double (p, CRYO_NUMBER_FORMAT_MAX_LEN, value, column->digits);
      *p++ = ',';
      symbol = cryo_unit_get_symbol (column->unit);
      symbol_len = strlen (symbol);
      memcpy (p, symbol, symbol_len);
      p += symbol_len;
      self->row_set[i] = FALSE;
    }
  *p++ = '\n';
  g_assert ((gsize) (p - self->row) <= self->row_max);

  g_string_append_len (self->buf, self->row, p - self->row);

  if (self->buf->len >= WRITER_BUFFER_SIZE)
    return cryo_csv_writer_flush (self, error);

  return TRUE;
}

/**
 * cryo_csv_writer_flush:
 * @self: a #CryoCsvWriter
 * @error: return location for a #GError
 *
 * Writes the rows added since the last flush to the file (to the kernel:
 * they survive the process being killed, not a power loss; see
 * cryo_csv_writer_close()). What could not be written stays waiting for the
 * next flush.
 *
 * Returns: %TRUE, or %FALSE with @error (domain %G_IO_ERROR, a message
 *   naming the file: a full disk, a file size limit)
 */
gboolean
cryo_csv_writer_flush (CryoCsvWriter  *self,
                       GError        **error)
{
  gsize done = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->fd >= 0, FALSE);

  while (done < self->buf->len)
    {
      gssize n = write (self->fd, self->buf->str + done, self->buf->len - done);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_string_erase (self->buf, 0, done);
          set_errno_error (error, saved_errno, self->path);
          return FALSE;
        }
      done += n;
    }

  g_string_truncate (self->buf, 0);
  return TRUE;
}

/**
 * cryo_csv_writer_close:
 * @self: a #CryoCsvWriter
 * @error: return location for a #GError
 *
 * Flushes what is waiting, asks the kernel to put the file on disk (fsync)
 * and closes it. Nothing can be added afterwards. Closing twice is
 * harmless.
 *
 * Returns: %TRUE, or %FALSE with @error naming the file; the file is closed
 *   either way
 */
gboolean
cryo_csv_writer_close (CryoCsvWriter  *self,
                       GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->fd < 0)
    return TRUE;

  ok = cryo_csv_writer_flush (self, error);

  /* A terminal or pipe (--csv /dev/stdout) cannot be synced, and need not. */
  if (ok && fsync (self->fd) != 0 && errno != EINVAL && errno != EROFS)
    {
      set_errno_error (error, errno, self->path);
      ok = FALSE;
    }

  if (close (self->fd) != 0 && ok)
    {
      set_errno_error (error, errno, self->path);
      ok = FALSE;
    }
  self->fd = -1;

  return ok;
}

/**
 * cryo_csv_writer_free:
 * @self: (nullable): a #CryoCsvWriter
 *
 * Closes the file if cryo_csv_writer_close() did not, writing what is
 * waiting but ignoring errors, and frees the writer.
 */
void
cryo_csv_writer_free (CryoCsvWriter *self)
{
  if (self == NULL)
    return;

  if (self->fd >= 0)
    cryo_csv_writer_close (self, NULL);

  clock_clear (&self->clock);
  g_string_free (self->buf, TRUE);
  g_strfreev (self->names);
  g_free (self->columns);
  g_free (self->row);
  g_free (self->row_values);
  g_free (self->row_set);
  g_free (self->path);
  g_free (self);
}
