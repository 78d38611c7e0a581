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
 * Local time without GDateTime per row: the UTC offset is looked up in the
 * GTimeZone once per 15-minute block (offsets change on block boundaries in
 * every modern zone; a block whose two ends differ is looked up per row),
 * the civil date once per local day.
 */

#define OFFSET_BLOCK_S 900
#define SECONDS_PER_DAY 86400

typedef struct
{
  GTimeZone *tz;
  gint64     block;
  gboolean   block_uniform;
  gint32     offset;
  char       offset_str[8];
  gsize      offset_len;
  gint64     day;
  char       date_str[24];
  gsize      date_len;
} Clock;

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static gint32
clock_lookup_offset (Clock  *clock,
                     gint64  utc_s)
{
  int interval = g_time_zone_find_interval (clock->tz, G_TIME_TYPE_UNIVERSAL, utc_s);

  if (interval < 0)
    return 0;

  return g_time_zone_get_offset (clock->tz, interval);
}

static void
clock_set_offset (Clock  *clock,
                  gint32  offset)
{
  guint32 a = ABS (offset);
  guint hours = a / 3600;
  guint minutes = (a / 60) % 60;

  clock->offset = offset;
  clock->offset_str[0] = offset < 0 ? '-' : '+';
  memcpy (clock->offset_str + 1, two_digits + 2 * (hours % 100), 2);
  clock->offset_str[3] = ':';
  memcpy (clock->offset_str + 4, two_digits + 2 * minutes, 2);
  clock->offset_len = 6;
}

/* Civil date of a day count since 1970-01-01 (proleptic Gregorian),
 * inverse of the days-from-civil arithmetic: 400-year eras of 146097 days,
 * years starting on 1 March so the leap day is last. */
static void
civil_from_days (gint64  days,
                 gint64 *year,
                 guint  *month,
                 guint  *day)
{
  gint64 z = days + 719468;
  gint64 era = floor_div (z, 146097);
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;

  *day = (guint) (doy - (153 * mp + 2) / 5 + 1);
  *month = (guint) (mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2);
}

static void
clock_set_day (Clock  *clock,
               gint64  local_day)
{
  gint64 year;
  guint month, day;
  char *p = clock->date_str;

  civil_from_days (local_day, &year, &month, &day);

  if (year >= 0 && year <= 9999)
    {
      memcpy (p, two_digits + 2 * (year / 100), 2);
      memcpy (p + 2, two_digits + 2 * (year % 100), 2);
      p += 4;
    }
  else
    {
      p += g_snprintf (p, 12, "%" G_GINT64_FORMAT, year);
    }
  *p++ = '-';
  memcpy (p, two_digits + 2 * month, 2);
  p += 2;
  *p++ = '-';
  memcpy (p, two_digits + 2 * day, 2);
  p += 2;
  *p++ = 'T';

  clock->day = local_day;
  clock->date_len = p - clock->date_str;
}

/* Writes "2026-02-07T14:23:45.123456+01:00"; at most 40 bytes. */
static gsize
clock_format (Clock  *clock,
              gint64  time_us,
              char   *out)
{
  gint64 utc_s = floor_div (time_us, G_USEC_PER_SEC);
  guint usec = (guint) (time_us - utc_s * G_USEC_PER_SEC);
  gint64 block = floor_div (utc_s, OFFSET_BLOCK_S);
  gint64 local_s, local_day;
  guint sod;
  char *p = out;

  if (block != clock->block)
    {
      gint32 first = clock_lookup_offset (clock, block * OFFSET_BLOCK_S);
      gint32 last = clock_lookup_offset (clock, block * OFFSET_BLOCK_S + OFFSET_BLOCK_S - 1);

      clock->block = block;
      clock->block_uniform = first == last;
      clock_set_offset (clock, first);
    }

  if (!clock->block_uniform)
    {
      gint32 offset = clock_lookup_offset (clock, utc_s);

      if (offset != clock->offset)
        clock_set_offset (clock, offset);
    }

  local_s = utc_s + clock->offset;
  local_day = floor_div (local_s, SECONDS_PER_DAY);
  sod = (guint) (local_s - local_day * SECONDS_PER_DAY);
  if (local_day != clock->day || clock->date_len == 0)
    clock_set_day (clock, local_day);

  memcpy (p, clock->date_str, clock->date_len);
  p += clock->date_len;
  memcpy (p, two_digits + 2 * (sod / 3600), 2);
  p[2] = ':';
  memcpy (p + 3, two_digits + 2 * ((sod / 60) % 60), 2);
  p[5] = ':';
  memcpy (p + 6, two_digits + 2 * (sod % 60), 2);
  p[8] = '.';
  memcpy (p + 9, two_digits + 2 * (usec / 10000), 2);
  memcpy (p + 11, two_digits + 2 * ((usec / 100) % 100), 2);
  memcpy (p + 13, two_digits + 2 * (usec % 100), 2);
  p += 15;
  memcpy (p, clock->offset_str, clock->offset_len);
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
 * Output: one large buffer, flushed with write(2) into a temporary file
 * next to the destination, which is renamed over it only on success.
 */

#define OUT_BUFFER_SIZE (1024 * 1024)

typedef struct
{
  int    fd;
  char  *buf;
  gsize  len;
  int    saved_errno;
} Out;

static gboolean
out_flush (Out *out)
{
  const char *p = out->buf;
  gsize left = out->len;

  while (left > 0)
    {
      gssize n = write (out->fd, p, left);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          out->saved_errno = errno;
          return FALSE;
        }

      p += n;
      left -= n;
    }

  out->len = 0;
  return TRUE;
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
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  Clock clock = { 0, };
  gsize row_max = 128;   /* time stamp, elapsed seconds, separators */
  gboolean first_row = TRUE;
  gint64 start_us = 0;

  clock.tz = tz;
  clock.block = G_MININT64;
  clock.day = G_MININT64;

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

      if (OUT_BUFFER_SIZE - out->len < row_max && !out_flush (out))
        return FALSE;

      p = out->buf + out->len;
      p += clock_format (&clock, t, p);
      *p++ = ',';
      p += format_elapsed ((guint64) (t - start_us), p);

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
set_io_error (GError     **error,
              int          saved_errno,
              const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: "Could not write “/home/x/run.csv”: No space left on device" */
               _("Could not write “%s”: %s"), display, g_strerror (saved_errno));
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
 * (ISO 8601 with microseconds and UTC offset) and seconds since the first
 * row with six decimals. Values are converted from each series' stored unit
 * to its unit and written with its @digits significant digits as
 * cryo_number_format_double() does (printf's `%.*g`), always with '.',
 * whatever the locale; infinities, like NaN, leave the value cell empty.
 * Lines end with "\n".
 *
 * The file is written to a temporary file in the same folder, flushed to
 * disk (fsync) and renamed over @path, so @path is either the complete new
 * export or left as it was. Blocks on disk I/O: call it from a worker
 * thread for large exports; the histories must not be appended to
 * meanwhile.
 *
 * Returns: %TRUE on success; %FALSE with @error (domain %G_IO_ERROR, code
 *   from errno, message naming @path) otherwise, with no temporary file
 *   left behind
 */
gboolean
cryo_csv_write (const char           *path,
                const CryoCsvSeries  *series,
                guint                 n_series,
                gint64                begin_us,
                gint64                end_us,
                GError              **error)
{
  g_autofree char *tmp_path = NULL;
  g_autofree char *header = NULL;
  g_autofree char *buf = NULL;
  Out out = { -1, NULL, 0, 0 };
  gsize header_len;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (series != NULL || n_series == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_series; i++)
    {
      g_return_val_if_fail (series[i].history != NULL, FALSE);
      g_return_val_if_fail (cryo_unit_get_quantity (series[i].stored_unit) ==
                            cryo_unit_get_quantity (series[i].unit), FALSE);
    }

  tmp_path = g_strconcat (path, ".XXXXXX", NULL);
  out.fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (out.fd < 0)
    {
      set_io_error (error, errno, path);
      return FALSE;
    }

  buf = g_malloc (OUT_BUFFER_SIZE);
  out.buf = buf;

  header = build_header (series, n_series);
  header_len = strlen (header);
  if (header_len > OUT_BUFFER_SIZE)
    {
      out.saved_errno = ENAMETOOLONG;
      goto failed;
    }
  memcpy (out.buf, header, header_len);
  out.len = header_len;

  if (!write_rows (&out, series, n_series, begin_us, end_us))
    goto failed;

  if (fsync (out.fd) != 0)
    {
      out.saved_errno = errno;
      goto failed;
    }

  if (close (out.fd) != 0)
    {
      out.fd = -1;
      out.saved_errno = errno;
      goto failed;
    }
  out.fd = -1;

  if (g_rename (tmp_path, path) != 0)
    {
      out.saved_errno = errno;
      goto failed;
    }

  return TRUE;

failed:
  if (out.fd >= 0)
    close (out.fd);
  g_unlink (tmp_path);
  set_io_error (error, out.saved_errno, path);

  return FALSE;
}
