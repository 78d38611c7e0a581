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

/*
 * Number formatting
 *
 * cryo_csv_format_double() reproduces printf's "%.*g" (correctly rounded,
 * ties to even on the exact binary value, as glibc does) without printf, so
 * it is fast and never sees the locale. Most values take the fast path: one
 * or two exact-power-of-ten multiplications in double precision, whose
 * error bound tells whether the rounding decision is certain. Values near a
 * rounding tie, subnormals, extreme exponents and 16 or 17 digits take the
 * exact path: the value as a ratio of big integers, digits by long division.
 */

#define MAX_DIGITS      17
#define FAST_MAX_DIGITS 15
#define BIG_LIMBS       48

static const double pow10_d[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* 10^(i - POW10_APPROX_BIAS), correctly rounded: picks the decimal exponent. */
#define POW10_APPROX_BIAS 40
static const double pow10_approx[63] = {
  1e-40, 1e-39, 1e-38, 1e-37, 1e-36, 1e-35, 1e-34, 1e-33,
  1e-32, 1e-31, 1e-30, 1e-29, 1e-28, 1e-27, 1e-26, 1e-25,
  1e-24, 1e-23, 1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17,
  1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9,
  1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static const guint64 pow10_u64[20] = {
  G_GUINT64_CONSTANT (1),
  G_GUINT64_CONSTANT (10),
  G_GUINT64_CONSTANT (100),
  G_GUINT64_CONSTANT (1000),
  G_GUINT64_CONSTANT (10000),
  G_GUINT64_CONSTANT (100000),
  G_GUINT64_CONSTANT (1000000),
  G_GUINT64_CONSTANT (10000000),
  G_GUINT64_CONSTANT (100000000),
  G_GUINT64_CONSTANT (1000000000),
  G_GUINT64_CONSTANT (10000000000),
  G_GUINT64_CONSTANT (100000000000),
  G_GUINT64_CONSTANT (1000000000000),
  G_GUINT64_CONSTANT (10000000000000),
  G_GUINT64_CONSTANT (100000000000000),
  G_GUINT64_CONSTANT (1000000000000000),
  G_GUINT64_CONSTANT (10000000000000000),
  G_GUINT64_CONSTANT (100000000000000000),
  G_GUINT64_CONSTANT (1000000000000000000),
  G_GUINT64_CONSTANT (10000000000000000000),
};

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

/* Unsigned big integer, little-endian 32-bit limbs. 48 limbs hold 1536
 * bits; the largest operand is about 2^53 × 10^325 (1130 bits). */
typedef struct
{
  guint32 limb[BIG_LIMBS];
  guint   n;
} Big;

static void
big_set_u64 (Big     *b,
             guint64  v)
{
  b->n = 0;
  while (v != 0)
    {
      b->limb[b->n++] = (guint32) v;
      v >>= 32;
    }
}

static void
big_mul_small (Big     *b,
               guint32  m)
{
  guint64 carry = 0;

  for (guint i = 0; i < b->n; i++)
    {
      guint64 t = (guint64) b->limb[i] * m + carry;

      b->limb[i] = (guint32) t;
      carry = t >> 32;
    }

  if (carry != 0)
    {
      g_assert (b->n < BIG_LIMBS);
      b->limb[b->n++] = (guint32) carry;
    }
}

static void
big_mul_pow10 (Big *b,
               int  k)
{
  for (; k >= 9; k -= 9)
    big_mul_small (b, 1000000000u);

  if (k > 0)
    big_mul_small (b, (guint32) pow10_u64[k]);
}

static void
big_shl (Big  *b,
         guint bits)
{
  guint words = bits / 32;
  guint shift = bits % 32;

  if (b->n == 0)
    return;

  g_assert (b->n + words + 1 <= BIG_LIMBS);

  b->limb[b->n + words] = 0;
  if (shift != 0)
    {
      for (guint i = b->n; i-- > 0;)
        {
          b->limb[i + words + 1] |= b->limb[i] >> (32 - shift);
          b->limb[i + words] = b->limb[i] << shift;
        }
    }
  else
    {
      for (guint i = b->n; i-- > 0;)
        b->limb[i + words] = b->limb[i];
    }

  for (guint i = 0; i < words; i++)
    b->limb[i] = 0;

  b->n += words + 1;
  while (b->n > 0 && b->limb[b->n - 1] == 0)
    b->n--;
}

static int
big_cmp (const Big *a,
         const Big *b)
{
  if (a->n != b->n)
    return a->n < b->n ? -1 : 1;

  for (guint i = a->n; i-- > 0;)
    {
      if (a->limb[i] != b->limb[i])
        return a->limb[i] < b->limb[i] ? -1 : 1;
    }

  return 0;
}

/* a -= b, with a >= b */
static void
big_sub (Big       *a,
         const Big *b)
{
  gint64 borrow = 0;

  for (guint i = 0; i < a->n; i++)
    {
      gint64 t = (gint64) a->limb[i] - (i < b->n ? b->limb[i] : 0) - borrow;

      borrow = t < 0;
      a->limb[i] = (guint32) (t + (borrow << 32));
    }

  while (a->n > 0 && a->limb[a->n - 1] == 0)
    a->n--;
}

/* Exact: @a > 0 finite; returns the @p-digit decimal significand of @a
 * rounded half to even, and its decimal exponent. @e10 is an estimate. */
static guint64
exact_digits (double  a,
              int     p,
              int    *e10_io)
{
  Big num, den, t;
  int e2;
  int e10 = *e10_io;
  double m = frexp (a, &e2);
  guint64 mant = (guint64) ldexp (m, 53);
  int exp2 = e2 - 53;
  guint64 q = 0;
  int c;

  /* a / 10^e10 = num / den */
  big_set_u64 (&num, mant);
  big_set_u64 (&den, 1);
  if (exp2 > 0)
    big_shl (&num, exp2);
  else
    big_shl (&den, -exp2);
  if (e10 > 0)
    big_mul_pow10 (&den, e10);
  else
    big_mul_pow10 (&num, -e10);

  /* Normalise to 1 <= num / den < 10. */
  while (big_cmp (&num, &den) < 0)
    {
      big_mul_small (&num, 10);
      e10--;
    }
  for (;;)
    {
      t = den;
      big_mul_small (&t, 10);
      if (big_cmp (&num, &t) < 0)
        break;
      den = t;
      e10++;
    }

  for (int i = 0; i < p; i++)
    {
      guint d = 0;

      if (i > 0)
        big_mul_small (&num, 10);
      while (big_cmp (&num, &den) >= 0)
        {
          big_sub (&num, &den);
          d++;
        }
      q = q * 10 + d;
    }

  big_shl (&num, 1);
  c = big_cmp (&num, &den);
  if (c > 0 || (c == 0 && (q & 1) != 0))
    q++;

  if (q == pow10_u64[p])
    {
      q = pow10_u64[p - 1];
      e10++;
    }

  *e10_io = e10;
  return q;
}

/* Fast: FALSE when the rounding cannot be decided in double precision. */
static gboolean
fast_digits (double   a,
             int      p,
             int     *e10_io,
             guint64 *q_out)
{
  int e10 = *e10_io;

  for (int tries = 0; tries < 3; tries++)
    {
      int k = p - 1 - e10;
      double scaled, tolerance, frac;
      guint64 q;

      /* Each exact-power multiplication or division is correctly rounded:
       * error at most half an ulp, and an ulp is at most 2^-52 × scaled. */
      if (k >= 0 && k <= 22)
        {
          scaled = a * pow10_d[k];
          tolerance = scaled * 2.3e-16;
        }
      else if (k < 0 && k >= -22)
        {
          scaled = a / pow10_d[-k];
          tolerance = scaled * 2.3e-16;
        }
      else if (k > 22 && k <= 44)
        {
          scaled = (a * pow10_d[22]) * pow10_d[k - 22];
          tolerance = scaled * 7e-16;
        }
      else
        return FALSE;

      if (scaled >= pow10_d[p])
        {
          e10++;
          continue;
        }
      if (scaled < pow10_d[p - 1])
        {
          e10--;
          continue;
        }

      q = (guint64) scaled;
      frac = scaled - (double) q - 0.5;
      if (G_UNLIKELY (fabs (frac) <= tolerance))
        return FALSE;
      q += frac > 0;

      if (q == pow10_u64[p])
        {
          q = pow10_u64[p - 1];
          e10++;
        }

      *q_out = q;
      *e10_io = e10;
      return TRUE;
    }

  return FALSE;
}

/* Writes at most 24 bytes, no NUL; returns the length. */
static gsize
format_double (char   *out,
               double  value,
               guint   digits)
{
  char *p = out;
  int prec = CLAMP ((int) digits, 1, MAX_DIGITS);
  char ds[MAX_DIGITS];
  int nd, e10, e2;
  guint64 q, bits;

  if (isnan (value))
    {
      if (signbit (value))
        *p++ = '-';
      memcpy (p, "nan", 3);
      return p + 3 - out;
    }

  if (signbit (value))
    {
      *p++ = '-';
      value = -value;
    }

  if (isinf (value))
    {
      memcpy (p, "inf", 3);
      return p + 3 - out;
    }

  if (value == 0)
    {
      *p++ = '0';
      return p - out;
    }

  memcpy (&bits, &value, sizeof bits);
  e2 = (int) (bits >> 52) - 1023;   /* value in [2^e2, 2^(e2+1)) when normal */
  /* floor (e2 × log10 2), exact over the double range; arithmetic shift. */
  e10 = (e2 * 78913) >> 18;
  /* The true exponent is e10 or e10 + 1; an inexact table entry only
   * matters next to a power of ten, where both choices round alike. */
  if (e10 + 1 >= -POW10_APPROX_BIAS && e10 + 1 < 23)
    e10 += value >= pow10_approx[e10 + 1 + POW10_APPROX_BIAS];

  if (e2 == -1023 || prec > FAST_MAX_DIGITS || !fast_digits (value, prec, &e10, &q))
    q = exact_digits (value, prec, &e10);

  for (int i = prec; i > 0;)
    {
      if (i >= 2)
        {
          i -= 2;
          memcpy (ds + i, two_digits + 2 * (q % 100), 2);
          q /= 100;
        }
      else
        {
          ds[--i] = (char) ('0' + q);
        }
    }
  nd = prec;
  while (nd > 1 && ds[nd - 1] == '0')
    nd--;

  if (e10 < -4 || e10 >= prec)
    {
      int ex = ABS (e10);

      *p++ = ds[0];
      if (nd > 1)
        {
          *p++ = '.';
          memcpy (p, ds + 1, nd - 1);
          p += nd - 1;
        }
      *p++ = 'e';
      *p++ = e10 < 0 ? '-' : '+';
      if (ex >= 100)
        {
          *p++ = (char) ('0' + ex / 100);
          ex %= 100;
        }
      memcpy (p, two_digits + 2 * ex, 2);
      p += 2;
    }
  else if (e10 >= 0)
    {
      int int_digits = e10 + 1;

      for (int i = 0; i < int_digits; i++)
        *p++ = i < nd ? ds[i] : '0';
      if (nd > int_digits)
        {
          *p++ = '.';
          memcpy (p, ds + int_digits, nd - int_digits);
          p += nd - int_digits;
        }
    }
  else
    {
      *p++ = '0';
      *p++ = '.';
      for (int i = 0; i < -e10 - 1; i++)
        *p++ = '0';
      memcpy (p, ds, nd);
      p += nd;
    }

  return p - out;
}

/**
 * cryo_csv_format_double:
 * @buf: (out caller-allocates): where to write
 * @len: size of @buf in bytes; %CRYO_CSV_DOUBLE_MAX_LEN always suffices
 * @value: any double
 * @digits: significant digits, 1..17 (0 is taken as 1, like printf; more
 *   than 17 as 17, since a double holds no more)
 *
 * Formats @value exactly as printf's `"%.*g"` with precision @digits does in
 * the C locale (shortest of fixed and exponent notation, trailing zeros
 * dropped, correctly rounded with ties to even, `1e-07`, `nan`, `-inf`), but
 * with '.' whatever the locale and without printf's cost. Any thread.
 *
 * Returns: the length written, not counting the NUL written after it; 0
 *   (and @buf untouched) when @len is too small
 */
gsize
cryo_csv_format_double (char   *buf,
                        gsize   len,
                        double  value,
                        guint   digits)
{
  char tmp[CRYO_CSV_DOUBLE_MAX_LEN];
  gsize n;

  g_return_val_if_fail (buf != NULL || len == 0, 0);

  n = format_double (tmp, value, digits);
  if (n + 1 > len)
    return 0;

  memcpy (buf, tmp, n);
  buf[n] = '\0';

  return n;
}

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
      row_max += 2 + CRYO_CSV_DOUBLE_MAX_LEN + c->unit_len;
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
            p += format_double (p, value, series[i].digits);
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
 * cryo_csv_format_double() does, always with '.', whatever the locale.
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
