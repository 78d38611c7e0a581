/* cryo-number-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-number-format"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-number-format.h"

/*
 * cryo_number_format_double() reproduces printf's "%.*g" (correctly rounded,
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
 * cryo_number_format_double:
 * @buf: (out caller-allocates): where to write
 * @len: size of @buf in bytes; %CRYO_NUMBER_FORMAT_MAX_LEN always suffices
 * @value: any double
 * @digits: significant digits, 1..17 (0 is taken as 1, like printf; more
 *   than 17 as 17, since a double holds no more; printf would pad with the
 *   binary value's further decimals instead)
 *
 * Formats @value exactly as glibc's printf `"%.*g"` with precision @digits
 * does in the C locale: the shorter of fixed and exponent notation, trailing
 * zeros dropped, correctly rounded with ties to even on the exact binary
 * value, at least two exponent digits (`1e-07`), and `nan`, `-nan`, `inf`,
 * `-inf`. The decimal mark is always '.', whatever the locale. It exists
 * because g_ascii_formatd() (printf under a C locale) triples the time of a
 * CSV export; tests/core/test-number-format.c compares the two texts over
 * ten million random doubles. Any thread.
 *
 * Returns: the length written, not counting the NUL written after it; 0
 *   (and @buf untouched) when @len is too small
 */
gsize
cryo_number_format_double (char   *buf,
                           gsize   len,
                           double  value,
                           guint   digits)
{
  char tmp[CRYO_NUMBER_FORMAT_MAX_LEN];
  gsize n;

  g_return_val_if_fail (buf != NULL || len == 0, 0);

  /* The CSV writer always has room: no copy on its path. */
  if (len >= CRYO_NUMBER_FORMAT_MAX_LEN)
    {
      n = format_double (buf, value, digits);
      buf[n] = '\0';
      return n;
    }

  n = format_double (tmp, value, digits);
  if (n + 1 > len)
    return 0;

  memcpy (buf, tmp, n);
  buf[n] = '\0';

  return n;
}
