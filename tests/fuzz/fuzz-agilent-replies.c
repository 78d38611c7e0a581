/* fuzz-agilent-replies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Agilent reply decoders (cryo_agilent_reply_*) must do with any
 * frame, decoded from the wire or not: succeed exactly when the frame is
 * the read reply of the window asked for and its data has that window's
 * shape, give the value the data spells, and otherwise fail with the error
 * the spec's reply code or the frame's contents call for
 * (agilent-window.md "Frame", "Replies", "Windows used").
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "fuzz-agilent-replies.h"
#include "fuzz-target.h"

/* The error a code frame becomes where a value or an ACK was expected. */
static int
code_error (guint8 code)
{
  switch (code)
    {
    case CRYO_AGILENT_CODE_NACK:           return CRYO_PROTOCOL_ERROR_NACK;
    case CRYO_AGILENT_CODE_UNKNOWN_WINDOW: return CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW;
    case CRYO_AGILENT_CODE_DATA_TYPE:      return CRYO_PROTOCOL_ERROR_DATA_TYPE;
    case CRYO_AGILENT_CODE_OUT_OF_RANGE:   return CRYO_PROTOCOL_ERROR_OUT_OF_RANGE;
    case CRYO_AGILENT_CODE_DISABLED:       return CRYO_PROTOCOL_ERROR_REFUSED;
    default:                               return CRYO_PROTOCOL_ERROR_UNEXPECTED;
    }
}

/* The error a value getter must give before it looks at the data, or -1
 * when the data decides. */
static int
envelope_error (const CryoAgilentFrame *frame,
                guint                   window)
{
  if (frame->is_code)
    return code_error (frame->code);
  if (frame->is_write || frame->window != window)
    return CRYO_PROTOCOL_ERROR_UNEXPECTED;
  if (frame->data_len >= sizeof frame->data)
    return CRYO_PROTOCOL_ERROR_MALFORMED;
  return -1;
}

static void
assert_failed_with (gboolean      ok,
                    const GError *error,
                    int           code)
{
  g_assert_false (ok);
  fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
  g_assert_cmpint (error->code, ==, code);
}

/* Encodes a read reply and decodes it again: exactly one frame, nothing
 * left over. */
static void
reencode_reply (guint8            address,
                guint             window,
                const char       *data,
                CryoAgilentFrame *frame)
{
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GBytes) bytes = cryo_agilent_encode_reply_data (address, window, data);
  gsize len;
  const guint8 *p = g_bytes_get_data (bytes, &len);

  cryo_agilent_decoder_feed (decoder, p, len);
  g_assert_cmpint (cryo_agilent_decoder_next (decoder, frame, NULL), ==, CRYO_AGILENT_DECODE_FRAME);
  g_assert_cmpint (cryo_agilent_decoder_next (decoder, frame + 1, NULL), ==,
                   CRYO_AGILENT_DECODE_NEED_MORE);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 0);
  g_assert_cmpuint (frame->address, ==, address);
  g_assert_cmpuint (frame->window, ==, window);
  g_assert_cmpstr (frame->data, ==, data);
}

static gboolean
can_reencode (const CryoAgilentFrame *frame)
{
  gsize len = frame->data_len;

  if (frame->window > 999 || (len != 1 && len != 6 && len != 10))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if ((guchar) frame->data[i] < 0x20 || (guchar) frame->data[i] > 0x7E)
      return FALSE;

  return TRUE;
}

static void
check_ack (const CryoAgilentFrame *frame)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = cryo_agilent_reply_check_ack (frame, &error);

  if (frame->is_code && frame->code == CRYO_AGILENT_CODE_ACK)
    {
      g_assert_true (ok);
      g_assert_no_error (error);
    }
  else
    assert_failed_with (ok, error,
                        frame->is_code ? code_error (frame->code) : CRYO_PROTOCOL_ERROR_UNEXPECTED);
}

static void
check_logic (const CryoAgilentFrame *frame,
             guint                   window)
{
  g_autoptr(GError) error = NULL;
  gboolean value = 2;
  gboolean ok = cryo_agilent_reply_get_logic (frame, window, &value, &error);
  int envelope = envelope_error (frame, window);

  if (envelope >= 0)
    assert_failed_with (ok, error, envelope);
  else if (frame->data_len == 1 && (frame->data[0] == '0' || frame->data[0] == '1'))
    {
      g_assert_true (ok);
      g_assert_no_error (error);
      g_assert_cmpint (value, ==, frame->data[0] == '1');
    }
  else
    assert_failed_with (ok, error, CRYO_PROTOCOL_ERROR_MALFORMED);
}

static void
check_numeric (const CryoAgilentFrame *frame,
               guint                   window)
{
  g_autoptr(GError) error = NULL;
  guint value = G_MAXUINT;
  gboolean ok = cryo_agilent_reply_get_numeric (frame, window, &value, &error);
  int envelope = envelope_error (frame, window);
  gboolean digits = frame->data_len == 6;

  for (gsize i = 0; digits && i < 6; i++)
    digits = frame->data[i] >= '0' && frame->data[i] <= '9';

  if (envelope >= 0)
    assert_failed_with (ok, error, envelope);
  else if (digits)
    {
      char text[7];
      CryoAgilentFrame again[2];
      guint value_again = G_MAXUINT;

      g_assert_true (ok);
      g_assert_no_error (error);
      g_assert_cmpuint (value, <=, 999999);
      g_snprintf (text, sizeof text, "%06u", value);
      g_assert_cmpmem (text, 6, frame->data, 6);

      /* The value, written back as the simulator writes it, reads the same. */
      if (window <= 999)
        {
          reencode_reply (frame->address % (CRYO_AGILENT_MAX_ADDRESS + 1), window, text, again);
          g_assert_true (cryo_agilent_reply_get_numeric (again, window, &value_again, NULL));
          g_assert_cmpuint (value_again, ==, value);
        }
    }
  else
    assert_failed_with (ok, error, CRYO_PROTOCOL_ERROR_MALFORMED);
}

/* agilent-window.md "Windows used", 224: mantissa, 'E', sign, exponent,
 * space padding. Written here independently of the codec's own check. */
static gboolean
is_pressure_shape (const char *data,
                   gsize       len)
{
  /* Fuzz targets run in one thread. */
  static GRegex *shape;

  if (shape == NULL)
    shape = g_regex_new ("^[0-9]+(\\.[0-9]+)?[Ee][+-][0-9]{1,3} *$",
                         G_REGEX_RAW | G_REGEX_DOLLAR_ENDONLY, 0, NULL);

  return g_regex_match_full (shape, data, len, 0, 0, NULL, NULL);
}

static void
check_pressure (const CryoAgilentFrame *frame)
{
  g_autoptr(GError) error = NULL;
  double value = -1;
  gboolean ok = cryo_agilent_reply_get_pressure (frame, &value, &error);
  int envelope = envelope_error (frame, CRYO_AGILENT_WINDOW_PRESSURE);

  if (envelope >= 0)
    {
      assert_failed_with (ok, error, envelope);
      return;
    }

  if (!is_pressure_shape (frame->data, frame->data_len))
    {
      assert_failed_with (ok, error, CRYO_PROTOCOL_ERROR_MALFORMED);
      return;
    }

  {
    g_autofree char *text = g_strndup (frame->data, frame->data_len);
    double expected;

    errno = 0;
    expected = g_ascii_strtod (text, NULL);
    if (errno == ERANGE || !isfinite (expected))
      {
        /* Beyond double range (1E+999, 1E-999): the gauge cannot mean it. */
        assert_failed_with (ok, error, CRYO_PROTOCOL_ERROR_MALFORMED);
        return;
      }

    g_assert_true (ok);
    g_assert_no_error (error);
    g_assert_true (isfinite (value) && value >= 0);
    g_assert_cmpmem (&value, sizeof value, &expected, sizeof expected);
  }

  if (can_reencode (frame))
    {
      g_autofree char *data = g_strndup (frame->data, frame->data_len);
      CryoAgilentFrame again[2];
      double value_again = -1;

      reencode_reply (frame->address % (CRYO_AGILENT_MAX_ADDRESS + 1),
                      CRYO_AGILENT_WINDOW_PRESSURE, data, again);
      g_assert_true (cryo_agilent_reply_get_pressure (again, &value_again, NULL));
      g_assert_cmpmem (&value_again, sizeof value_again, &value, sizeof value);
    }
}

/**
 * fuzz_agilent_check_replies:
 * @frame: any frame
 * @window: the window the caller asked for
 *
 * Runs every reply decoder on @frame as a reply to a read of @window and
 * asserts what each must return.
 */
void
fuzz_agilent_check_replies (const CryoAgilentFrame *frame,
                            guint                   window)
{
  check_ack (frame);
  check_logic (frame, window);
  check_numeric (frame, window);
  check_pressure (frame);
}
