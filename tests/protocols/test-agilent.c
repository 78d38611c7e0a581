/* test-agilent.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the Agilent "Window" codec against shared/protocols/agilent-window.md
 * and every vector of tests/vectors/agilent-window.json (turned into
 * agilent-vectors.h at build time by gen-vectors.py).
 */

#define G_LOG_DOMAIN "test-agilent"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cryo-agilent.h"

#include "agilent-vectors.h"

typedef struct
{
  CryoAgilentDecodeResult result;
  CryoAgilentFrame        frame;
  int                     error_code;
} Event;

/* Test-side checksum, independent of cryo_agilent_crc(). */
static guint8
xor_bytes (const guint8 *bytes,
           gsize         len)
{
  guint8 x = 0;

  for (gsize i = 0; i < len; i++)
    x ^= bytes[i];

  return x;
}

/* STX @body ETX CRC, where @body starts with the ADDR byte; @crc_override
 * replaces the CRC characters when not NULL. */
static GByteArray *
wrap_frame (const guint8 *body,
            gsize         len,
            const char   *crc_override)
{
  GByteArray *out = g_byte_array_new ();
  guint8 stx = CRYO_AGILENT_STX;
  guint8 etx = CRYO_AGILENT_ETX;
  char crc[3];
  guint8 x;

  g_byte_array_append (out, &stx, 1);
  g_byte_array_append (out, body, len);
  g_byte_array_append (out, &etx, 1);
  x = xor_bytes (body, len) ^ etx;
  g_snprintf (crc, sizeof crc, "%02X", x);
  if (crc_override != NULL)
    memcpy (crc, crc_override, 2);
  g_byte_array_append (out, (const guint8 *) crc, 2);

  return out;
}

static GByteArray *
wrap_text (guint8      addr_byte,
           const char *payload)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();

  g_byte_array_append (body, &addr_byte, 1);
  g_byte_array_append (body, (const guint8 *) payload, strlen (payload));

  return wrap_frame (body->data, body->len, NULL);
}

static void
assert_close (double value,
              double expected)
{
  g_assert_cmpfloat (fabs (value - expected), <=, fabs (expected) * 1e-12);
}

static void
assert_bytes (GBytes       *bytes,
              const guint8 *expected,
              gsize         expected_len)
{
  gsize len = 0;
  const guint8 *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, expected_len);
}

/* Calls next() until NEED_MORE, recording every frame and error; checks
 * that the decoder then holds less than one maximal frame. */
static void
drain (CryoAgilentDecoder *decoder,
       GArray             *events)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      Event ev = { 0 };

      ev.result = cryo_agilent_decoder_next (decoder, &ev.frame, &error);
      if (ev.result == CRYO_AGILENT_DECODE_NEED_MORE)
        {
          g_assert_no_error (error);
          break;
        }

      if (ev.result == CRYO_AGILENT_DECODE_ERROR)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == CRYO_PROTOCOL_ERROR);
          g_assert_nonnull (error->message);
          g_assert_cmpstr (error->message, !=, "");
          ev.error_code = error->code;
          memset (&ev.frame, 0, sizeof ev.frame);
        }
      else
        {
          g_assert_cmpint (ev.result, ==, CRYO_AGILENT_DECODE_FRAME);
          g_assert_no_error (error);
          g_assert_cmpuint (ev.frame.data_len, <, sizeof ev.frame.data);
          g_assert_cmpuint (strlen (ev.frame.data), ==, ev.frame.data_len);
          ev.error_code = -1;
        }
      g_array_append_val (events, ev);
    }

  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), <, CRYO_AGILENT_MAX_FRAME);
}

/* Decodes @bytes fed in chunks of @chunk bytes (0: all at once). */
static GArray *
decode_chunked (const guint8 *bytes,
                gsize         len,
                gsize         chunk)
{
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  GArray *events = g_array_new (FALSE, TRUE, sizeof (Event));

  if (chunk == 0)
    chunk = MAX (len, 1);

  for (gsize pos = 0; pos < len; pos += chunk)
    {
      cryo_agilent_decoder_feed (decoder, bytes + pos, MIN (chunk, len - pos));
      drain (decoder, events);
    }
  drain (decoder, events);

  return events;
}

/* Decodes @bytes fed as two pieces split at @split. */
static GArray *
decode_split (const guint8 *bytes,
              gsize         len,
              gsize         split)
{
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  GArray *events = g_array_new (FALSE, TRUE, sizeof (Event));

  cryo_agilent_decoder_feed (decoder, bytes, split);
  drain (decoder, events);
  cryo_agilent_decoder_feed (decoder, bytes + split, len - split);
  drain (decoder, events);

  return events;
}

static gboolean
frame_equal (const CryoAgilentFrame *a,
             const CryoAgilentFrame *b)
{
  if (a->address != b->address || !a->is_code != !b->is_code)
    return FALSE;
  if (a->is_code)
    return a->code == b->code;

  return a->window == b->window
         && !a->is_write == !b->is_write
         && a->data_len == b->data_len
         && memcmp (a->data, b->data, a->data_len) == 0;
}

static void
assert_events_equal (GArray *a,
                     GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      Event *ea = &g_array_index (a, Event, i);
      Event *eb = &g_array_index (b, Event, i);

      g_assert_cmpint (ea->result, ==, eb->result);
      g_assert_cmpint (ea->error_code, ==, eb->error_code);
      if (ea->result == CRYO_AGILENT_DECODE_FRAME)
        g_assert_true (frame_equal (&ea->frame, &eb->frame));
    }
}

static Event *
event_at (GArray *events,
          guint   i)
{
  g_assert_cmpuint (i, <, events->len);
  return &g_array_index (events, Event, i);
}

static void
assert_error_event (GArray *events,
                    guint   i,
                    int     code)
{
  Event *ev = event_at (events, i);

  g_assert_cmpint (ev->result, ==, CRYO_AGILENT_DECODE_ERROR);
  g_assert_cmpint (ev->error_code, ==, code);
}

static const CryoAgilentFrame *
assert_frame_event (GArray *events,
                    guint   i)
{
  Event *ev = event_at (events, i);

  g_assert_cmpint (ev->result, ==, CRYO_AGILENT_DECODE_FRAME);
  return &ev->frame;
}

/* Decodes exactly one frame from @bytes. */
static CryoAgilentFrame
decode_one (const guint8 *bytes,
            gsize         len)
{
  g_autoptr(GArray) events = decode_chunked (bytes, len, 0);

  g_assert_cmpuint (events->len, ==, 1);
  return *assert_frame_event (events, 0);
}

static CryoAgilentFrame
decode_one_bytes (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return decode_one (data, len);
}

/* Decodes exactly one error from @bytes, then checks that a good frame fed
 * right after it still decodes. */
static void
assert_decodes_to_error (const guint8 *bytes,
                         gsize         len,
                         int           code)
{
  static const guint8 good[] = { 0x02, 0x80, 0x32, 0x32, 0x34, 0x30, 0x03, 0x38, 0x37 };
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GArray) events = NULL;
  g_autoptr(GArray) events1 = NULL;
  const CryoAgilentFrame *frame;

  g_byte_array_append (stream, bytes, len);
  g_byte_array_append (stream, good, sizeof good);

  events = decode_chunked (stream->data, stream->len, 0);
  g_assert_cmpuint (events->len, ==, 2);
  assert_error_event (events, 0, code);
  frame = assert_frame_event (events, 1);
  g_assert_cmpuint (frame->window, ==, 224);

  events1 = decode_chunked (stream->data, stream->len, 1);
  assert_events_equal (events, events1);
}

static const AgilentVector *
find_vector (AgilentVectorKind kind,
             const char       *description)
{
  for (gsize i = 0; i < AGILENT_N_VECTORS; i++)
    {
      if (agilent_vectors[i].kind == kind
          && g_str_equal (agilent_vectors[i].description, description))
        return &agilent_vectors[i];
    }

  g_error ("no vector “%s”", description);
}

static void
check_request_vector (const AgilentVector *v)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CryoAgilentFrame frame;

  if (!v->is_write)
    {
      g_assert_cmpstr (v->data, ==, "");
      bytes = cryo_agilent_encode_read (v->address, v->window);
    }
  else
    {
      g_autoptr(GBytes) typed = NULL;

      bytes = cryo_agilent_encode_write (v->address, v->window, v->data, &error);
      g_assert_no_error (error);

      switch (cryo_agilent_window_get_type (v->window))
        {
        case CRYO_AGILENT_TYPE_LOGIC:
          g_assert_cmpuint (strlen (v->data), ==, 1);
          typed = cryo_agilent_encode_write_logic (v->address, v->window, v->data[0] == '1');
          break;
        case CRYO_AGILENT_TYPE_NUMERIC:
          typed = cryo_agilent_encode_write_numeric (v->address, v->window,
                                                     (guint) g_ascii_strtoull (v->data, NULL, 10),
                                                     &error);
          g_assert_no_error (error);
          break;
        case CRYO_AGILENT_TYPE_ALPHANUMERIC:
        case CRYO_AGILENT_TYPE_UNKNOWN:
        default:
          g_error ("vector “%s”: no typed encoder for window %03u", v->description, v->window);
        }
      assert_bytes (typed, v->bytes, v->n_bytes);
    }
  assert_bytes (bytes, v->bytes, v->n_bytes);

  frame = decode_one (v->bytes, v->n_bytes);
  g_assert_false (frame.is_code);
  g_assert_cmpuint (frame.address, ==, v->address);
  g_assert_cmpuint (frame.window, ==, v->window);
  g_assert_cmpint (frame.is_write, ==, v->is_write);
  g_assert_cmpstr (frame.data, ==, v->data);
  g_assert_cmpuint (frame.data_len, ==, strlen (v->data));
}

static void
check_read_reply_vector (const AgilentVector *v)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CryoAgilentFrame frame;

  bytes = cryo_agilent_encode_reply_data (v->address, v->window, v->data);
  assert_bytes (bytes, v->bytes, v->n_bytes);

  frame = decode_one (v->bytes, v->n_bytes);
  g_assert_false (frame.is_code);
  g_assert_false (frame.is_write);
  g_assert_cmpuint (frame.address, ==, v->address);
  g_assert_cmpuint (frame.window, ==, v->window);
  g_assert_cmpstr (frame.data, ==, v->data);
  g_assert_cmpuint (frame.data_len, ==, strlen (v->data));

  switch (cryo_agilent_window_get_type (v->window))
    {
    case CRYO_AGILENT_TYPE_LOGIC:
      {
        gboolean value = !(v->value != 0);

        g_assert_true (v->value == 0 || v->value == 1);
        g_assert_true (cryo_agilent_reply_get_logic (&frame, v->window, &value, &error));
        g_assert_no_error (error);
        g_assert_cmpint (value, ==, v->value != 0);
      }
      break;

    case CRYO_AGILENT_TYPE_NUMERIC:
      {
        guint value = G_MAXUINT;

        g_assert_cmpfloat (v->value, ==, (double) (guint) v->value);
        g_assert_true (cryo_agilent_reply_get_numeric (&frame, v->window, &value, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (value, ==, (guint) v->value);
        if (v->window == CRYO_AGILENT_WINDOW_STATUS)
          g_assert_cmpstr (cryo_agilent_status_to_string (value), !=, "Unknown");
      }
      break;

    case CRYO_AGILENT_TYPE_ALPHANUMERIC:
      {
        double value = -1;

        g_assert_cmpuint (v->window, ==, CRYO_AGILENT_WINDOW_PRESSURE);
        g_assert_true (cryo_agilent_reply_get_pressure (&frame, &value, &error));
        g_assert_no_error (error);
        assert_close (value, v->value);
      }
      break;

    case CRYO_AGILENT_TYPE_UNKNOWN:
    default:
      g_error ("vector “%s”: window %03u has no known type", v->description, v->window);
    }
}

static int
expected_code_error (guint8 code)
{
  switch (code)
    {
    case CRYO_AGILENT_CODE_NACK:           return CRYO_PROTOCOL_ERROR_NACK;
    case CRYO_AGILENT_CODE_UNKNOWN_WINDOW: return CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW;
    case CRYO_AGILENT_CODE_DATA_TYPE:      return CRYO_PROTOCOL_ERROR_DATA_TYPE;
    case CRYO_AGILENT_CODE_OUT_OF_RANGE:   return CRYO_PROTOCOL_ERROR_OUT_OF_RANGE;
    case CRYO_AGILENT_CODE_DISABLED:       return CRYO_PROTOCOL_ERROR_REFUSED;
    default:
      g_error ("no error for code 0x%02X", code);
    }
}

/* Returns the error code check_ack gave, or -1 for ACK. */
static int
check_code_reply_vector (const AgilentVector *v)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) numeric_error = NULL;
  CryoAgilentFrame frame;
  guint value = 0;
  int result;

  bytes = cryo_agilent_encode_reply_code (v->address, v->code);
  assert_bytes (bytes, v->bytes, v->n_bytes);

  frame = decode_one (v->bytes, v->n_bytes);
  g_assert_true (frame.is_code);
  g_assert_cmpuint (frame.code, ==, v->code);
  g_assert_cmpuint (frame.address, ==, v->address);
  g_assert_cmpuint (frame.data_len, ==, 0);

  g_assert_cmpstr (cryo_agilent_code_to_string (v->code), ==, v->name);

  /* A code reply to a read is never a value. */
  g_assert_false (cryo_agilent_reply_get_numeric (&frame, 205, &value, &numeric_error));
  g_assert_nonnull (numeric_error);

  if (v->code == CRYO_AGILENT_CODE_ACK)
    {
      g_assert_true (cryo_agilent_reply_check_ack (&frame, &error));
      g_assert_no_error (error);
      g_assert_error (numeric_error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED);
      return -1;
    }

  g_assert_false (cryo_agilent_reply_check_ack (&frame, &error));
  g_assert_error (error, CRYO_PROTOCOL_ERROR, expected_code_error (v->code));
  g_assert_error (numeric_error, CRYO_PROTOCOL_ERROR, error->code);
  g_test_message ("code 0x%02X: %s", v->code, error->message);
  if (v->code == CRYO_AGILENT_CODE_DISABLED)
    g_assert_nonnull (strstr (error->message, "window disabled (0x35)"));
  result = error->code;

  return result;
}

static void
check_bad_frame_vector (const AgilentVector *v)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint8 x;

  /* The envelope is intact and only the CRC is wrong. */
  g_assert_cmpuint (v->n_bytes, >=, 6);
  g_assert_cmpuint (v->bytes[0], ==, CRYO_AGILENT_STX);
  g_assert_cmpuint (v->bytes[v->n_bytes - 3], ==, CRYO_AGILENT_ETX);
  x = xor_bytes (v->bytes + 1, v->n_bytes - 3);
  g_assert_cmpint (g_ascii_xdigit_value (v->bytes[v->n_bytes - 2]) * 16
                   + g_ascii_xdigit_value (v->bytes[v->n_bytes - 1]), !=, x);

  assert_decodes_to_error (v->bytes, v->n_bytes, CRYO_PROTOCOL_ERROR_CHECKSUM);
}

static void
test_vectors (void)
{
  guint n_kind[4] = { 0 };
  int code_errors[8];
  guint n_code_errors = 0;
  guint n_checked = 0;

  g_assert_cmpuint (G_N_ELEMENTS (agilent_vectors), ==, AGILENT_N_VECTORS);

  for (gsize i = 0; i < AGILENT_N_VECTORS; i++)
    {
      const AgilentVector *v = &agilent_vectors[i];

      g_test_message ("vector %" G_GSIZE_FORMAT ": %s", i, v->description);

      /* The CRC of every well-formed vector is the XOR (agilent-window.md "Frame"). */
      if (v->kind != AGILENT_VECTOR_BAD_FRAME)
        {
          char crc[3];

          g_snprintf (crc, sizeof crc, "%02X",
                      cryo_agilent_crc (v->bytes + 1, v->n_bytes - 3));
          g_assert_cmpmem (crc, 2, v->bytes + v->n_bytes - 2, 2);
        }

      switch (v->kind)
        {
        case AGILENT_VECTOR_REQUEST:
          check_request_vector (v);
          break;
        case AGILENT_VECTOR_READ_REPLY:
          check_read_reply_vector (v);
          break;
        case AGILENT_VECTOR_CODE_REPLY:
          {
            int code = check_code_reply_vector (v);

            if (code >= 0)
              {
                for (guint j = 0; j < n_code_errors; j++)
                  g_assert_cmpint (code_errors[j], !=, code);
                g_assert_cmpuint (n_code_errors, <, G_N_ELEMENTS (code_errors));
                code_errors[n_code_errors++] = code;
              }
          }
          break;
        case AGILENT_VECTOR_BAD_FRAME:
          check_bad_frame_vector (v);
          break;
        default:
          g_assert_not_reached ();
        }

      n_kind[v->kind]++;
      n_checked++;
    }

  g_assert_cmpuint (n_checked, ==, AGILENT_N_VECTORS);
  for (guint k = 0; k < G_N_ELEMENTS (n_kind); k++)
    g_assert_cmpuint (n_kind[k], >, 0);
  /* NACK and the four error codes map to five distinct errors. */
  g_assert_cmpuint (n_code_errors, ==, 5);
  g_test_message ("%u vectors: %u requests, %u read replies, %u code replies, %u bad frames",
                  n_checked, n_kind[0], n_kind[1], n_kind[2], n_kind[3]);
}

static void
test_split_reads (void)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GArray) all_events = NULL;
  g_autoptr(GArray) all_events1 = NULL;
  guint n_splits = 0;

  for (gsize i = 0; i < AGILENT_N_VECTORS; i++)
    {
      const AgilentVector *v = &agilent_vectors[i];
      g_autoptr(GArray) reference = decode_chunked (v->bytes, v->n_bytes, 0);
      g_autoptr(GArray) one = decode_chunked (v->bytes, v->n_bytes, 1);

      g_assert_cmpuint (reference->len, ==, 1);
      g_assert_cmpint (event_at (reference, 0)->result, ==,
                       v->kind == AGILENT_VECTOR_BAD_FRAME
                       ? CRYO_AGILENT_DECODE_ERROR : CRYO_AGILENT_DECODE_FRAME);
      assert_events_equal (reference, one);

      for (gsize split = 0; split <= v->n_bytes; split++)
        {
          g_autoptr(GArray) events = decode_split (v->bytes, v->n_bytes, split);

          assert_events_equal (reference, events);
          n_splits++;
        }

      g_byte_array_append (all, v->bytes, v->n_bytes);
    }

  /* All vectors back to back, at once and byte by byte. */
  all_events = decode_chunked (all->data, all->len, 0);
  all_events1 = decode_chunked (all->data, all->len, 1);
  g_assert_cmpuint (all_events->len, ==, AGILENT_N_VECTORS);
  assert_events_equal (all_events, all_events1);
  for (gsize chunk = 2; chunk < 24; chunk++)
    {
      g_autoptr(GArray) events = decode_chunked (all->data, all->len, chunk);

      assert_events_equal (all_events, events);
    }

  g_test_message ("%u split points checked", n_splits);
}

static void
test_one_byte_at_a_time (void)
{
  const AgilentVector *v = find_vector (AGILENT_VECTOR_READ_REPLY, "speed 81000 rpm");
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GError) error = NULL;
  CryoAgilentFrame frame;
  guint value = 0;

  for (gsize i = 0; i + 1 < v->n_bytes; i++)
    {
      cryo_agilent_decoder_feed (decoder, v->bytes + i, 1);
      g_assert_cmpint (cryo_agilent_decoder_next (decoder, &frame, &error), ==,
                       CRYO_AGILENT_DECODE_NEED_MORE);
      g_assert_no_error (error);
      g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, i + 1);
    }
  cryo_agilent_decoder_feed (decoder, v->bytes + v->n_bytes - 1, 1);
  g_assert_cmpint (cryo_agilent_decoder_next (decoder, &frame, &error), ==,
                   CRYO_AGILENT_DECODE_FRAME);
  g_assert_no_error (error);
  g_assert_true (cryo_agilent_reply_get_numeric (&frame, 226, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (value, ==, 81000);
  g_assert_cmpint (cryo_agilent_decoder_next (decoder, &frame, &error), ==,
                   CRYO_AGILENT_DECODE_NEED_MORE);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 0);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 0);
}

static void
test_garbage_before_frames (void)
{
  static const guint8 garbage[] = { 'h', 'e', 'l', 'l', 'o', 0x03, 0xFF, 0x80, 0x00, '0', '8', '7' };
  const AgilentVector *read = find_vector (AGILENT_VECTOR_REQUEST, "read pressure");
  const AgilentVector *ack = find_vector (AGILENT_VECTOR_CODE_REPLY, "ACK");
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (Event));

  g_byte_array_append (stream, garbage, sizeof garbage);
  g_byte_array_append (stream, read->bytes, read->n_bytes);
  g_byte_array_append (stream, garbage, sizeof garbage);
  g_byte_array_append (stream, garbage, sizeof garbage);
  g_byte_array_append (stream, ack->bytes, ack->n_bytes);
  g_byte_array_append (stream, garbage, 3);

  cryo_agilent_decoder_feed (decoder, stream->data, stream->len);
  drain (decoder, events);

  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpuint (assert_frame_event (events, 0)->window, ==, 224);
  g_assert_true (assert_frame_event (events, 1)->is_code);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 3 * sizeof garbage + 3);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 0);

  cryo_agilent_decoder_reset (decoder);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 0);
}

static void
test_stx_inside_frame (void)
{
  const AgilentVector *a = find_vector (AGILENT_VECTOR_REQUEST, "read pressure");
  const AgilentVector *b = find_vector (AGILENT_VECTOR_READ_REPLY, "status normal");

  /* A new STX at every position inside frame a: in the body, right after
   * ETX, between the two CRC characters. */
  for (gsize cut = 1; cut < a->n_bytes; cut++)
    {
      g_autoptr(GByteArray) stream = g_byte_array_new ();
      g_autoptr(GArray) events = NULL;
      g_autoptr(GArray) events1 = NULL;
      const CryoAgilentFrame *frame;

      g_byte_array_append (stream, a->bytes, cut);
      g_byte_array_append (stream, b->bytes, b->n_bytes);

      events = decode_chunked (stream->data, stream->len, 0);
      g_assert_cmpuint (events->len, ==, 2);
      assert_error_event (events, 0, CRYO_PROTOCOL_ERROR_TRUNCATED);
      frame = assert_frame_event (events, 1);
      g_assert_cmpuint (frame->window, ==, 205);
      g_assert_cmpstr (frame->data, ==, "000005");

      events1 = decode_chunked (stream->data, stream->len, 1);
      assert_events_equal (events, events1);
    }
}

static void
test_wrong_crc (void)
{
  const AgilentVector *v = find_vector (AGILENT_VECTOR_READ_REPLY, "tip seal 1234 h");
  guint n = 0;

  /* Every other CRC value. */
  for (guint crc = 0; crc < 256; crc++)
    {
      g_autoptr(GByteArray) frame = NULL;
      char text[3];

      if (crc == xor_bytes (v->bytes + 1, v->n_bytes - 3))
        continue;
      g_snprintf (text, sizeof text, "%02X", crc);
      frame = wrap_frame (v->bytes + 1, v->n_bytes - 4, text);
      assert_decodes_to_error (frame->data, frame->len, CRYO_PROTOCOL_ERROR_CHECKSUM);
      n++;
    }
  g_assert_cmpuint (n, ==, 255);

  /* Any single byte of the body changed to anything but STX/ETX. */
  for (gsize pos = 1; pos < v->n_bytes - 3; pos++)
    {
      for (guint value = 0; value < 256; value++)
        {
          guint8 copy[CRYO_AGILENT_MAX_FRAME];

          if (value == v->bytes[pos] || value == CRYO_AGILENT_STX || value == CRYO_AGILENT_ETX)
            continue;
          memcpy (copy, v->bytes, v->n_bytes);
          copy[pos] = value;
          assert_decodes_to_error (copy, v->n_bytes, CRYO_PROTOCOL_ERROR_CHECKSUM);
        }
    }
}

static void
test_overlong (void)
{
  const AgilentVector *good = find_vector (AGILENT_VECTOR_REQUEST, "read status");
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  guint8 stx = CRYO_AGILENT_STX;
  guint8 a = 'A';
  g_autoptr(GArray) events = NULL;
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GArray) events1 = g_array_new (FALSE, TRUE, sizeof (Event));
  gsize max_buffered = 0;

  /* STX and 999 bytes without ETX, then a good frame. */
  g_byte_array_append (stream, &stx, 1);
  for (guint i = 0; i < 999; i++)
    g_byte_array_append (stream, &a, 1);
  g_byte_array_append (stream, good->bytes, good->n_bytes);

  events = decode_chunked (stream->data, stream->len, 0);
  g_assert_cmpuint (events->len, ==, 2);
  assert_error_event (events, 0, CRYO_PROTOCOL_ERROR_OVERLONG);
  g_assert_cmpuint (assert_frame_event (events, 1)->window, ==, 205);

  /* Byte by byte, the decoder never holds more than one frame. */
  for (gsize i = 0; i < stream->len; i++)
    {
      cryo_agilent_decoder_feed (decoder, stream->data + i, 1);
      max_buffered = MAX (max_buffered, cryo_agilent_decoder_get_n_buffered (decoder));
      drain (decoder, events1);
    }
  assert_events_equal (events, events1);
  g_assert_cmpuint (max_buffered, <=, CRYO_AGILENT_MAX_FRAME);
  /* The frame is dropped after STX + 29 bytes; the other 970 'A' are skipped. */
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 999 - 29);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 0);
}

static void
test_longest_frame (void)
{
  guint8 payload[CRYO_AGILENT_MAX_FRAME];
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) too_long = NULL;
  g_autoptr(GArray) events = NULL;
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  gsize len;
  const guint8 *data;

  /* A frame of exactly CRYO_AGILENT_MAX_FRAME bytes is not overlong (its 23
   * data characters make it malformed instead). */
  memset (payload, '0', sizeof payload);
  frame = cryo_agilent_encode_raw (0, payload, CRYO_AGILENT_MAX_FRAME - 5);
  data = g_bytes_get_data (frame, &len);
  g_assert_cmpuint (len, ==, CRYO_AGILENT_MAX_FRAME);
  assert_decodes_to_error (data, len, CRYO_PROTOCOL_ERROR_MALFORMED);

  /* One byte more is overlong; its ETX and CRC are skipped as garbage. */
  g_byte_array_append (body, (const guint8 *) "\x80", 1);
  g_byte_array_append (body, payload, CRYO_AGILENT_MAX_FRAME - 4);
  too_long = wrap_frame (body->data, body->len, NULL);
  g_assert_cmpuint (too_long->len, ==, CRYO_AGILENT_MAX_FRAME + 1);
  assert_decodes_to_error (too_long->data, too_long->len, CRYO_PROTOCOL_ERROR_OVERLONG);

  cryo_agilent_decoder_feed (decoder, too_long->data, too_long->len);
  events = g_array_new (FALSE, TRUE, sizeof (Event));
  drain (decoder, events);
  g_assert_cmpuint (events->len, ==, 1);
  assert_error_event (events, 0, CRYO_PROTOCOL_ERROR_OVERLONG);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 3);
}

static void
test_crc_characters (void)
{
  const AgilentVector *v = find_vector (AGILENT_VECTOR_REQUEST, "read tip-seal hours");
  static const char *bad[] = { "8G", "G8", "x8", "8 ", " 8", "8\x7f", "\x80" "8", "-8", "8+" };
  g_autoptr(GByteArray) lower = NULL;
  CryoAgilentFrame frame;

  g_assert_cmpmem (v->bytes + v->n_bytes - 2, 2, "8D", 2);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GByteArray) f = wrap_frame (v->bytes + 1, v->n_bytes - 4, bad[i]);

      assert_decodes_to_error (f->data, f->len, CRYO_PROTOCOL_ERROR_MALFORMED);
    }

  /* Lower-case hex is accepted on input. */
  lower = wrap_frame (v->bytes + 1, v->n_bytes - 4, "8d");
  frame = decode_one (lower->data, lower->len);
  g_assert_cmpuint (frame.window, ==, 358);
}

static void
test_address_range (void)
{
  static const guint8 bad[] = { 0x00, 0x30, 0x7F, 0xA0, 0xBF, 0xFF };
  CryoAgilentFrame frame;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GByteArray) f = wrap_text (bad[i], "2050");

      assert_decodes_to_error (f->data, f->len, CRYO_PROTOCOL_ERROR_MALFORMED);
    }

  for (guint addr = 0; addr <= CRYO_AGILENT_MAX_ADDRESS; addr++)
    {
      g_autoptr(GByteArray) f = wrap_text (0x80 + addr, "2050");

      frame = decode_one (f->data, f->len);
      g_assert_cmpuint (frame.address, ==, addr);
      g_assert_cmpuint (frame.window, ==, 205);
    }
}

static void
test_malformed (void)
{
  static const char *bad[] = {
    "",                  /* address only */
    "A",                 /* unknown code */
    "\x07",              /* unknown code */
    "20",                /* too short for WIN + COM */
    "205",               /* no COM */
    "2A50",              /* window not digits */
    " 050",
    "2052",              /* bad COM */
    "205A",
    "205000",            /* data lengths 2..5, 7..9, 11, 12 */
    "2050000",
    "20500000",
    "205000000",
    "20500000000",
    "205000000000",
    "2050000000000",
    "205000000000000",
    "2050000000000000",
    "2050\x01" "00000",  /* control byte in data */
    "2050000\x7f" "00",
  };
  static const guint8 empty[] = { CRYO_AGILENT_STX, CRYO_AGILENT_ETX, '0', '3' };
  static const guint8 high_data[] = { 0x80, '2', '2', '4', '0',
                                      '1', 0xB0, '0', 'E', '-', '0', '7', ' ', ' ', ' ' };
  g_autoptr(GByteArray) high = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GByteArray) f = wrap_text (0x80, bad[i]);

      g_test_message ("malformed payload %" G_GSIZE_FORMAT, i);
      assert_decodes_to_error (f->data, f->len, CRYO_PROTOCOL_ERROR_MALFORMED);
    }

  /* STX ETX "03": no address at all. */
  assert_decodes_to_error (empty, sizeof empty, CRYO_PROTOCOL_ERROR_MALFORMED);

  /* A non-ASCII byte in the data. */
  high = wrap_frame (high_data, sizeof high_data, NULL);
  assert_decodes_to_error (high->data, high->len, CRYO_PROTOCOL_ERROR_MALFORMED);
}

static void
test_code_digits (void)
{
  /* 0x32..0x35 are ASCII digits: one byte is a code, four or more a window frame. */
  for (guint8 c = 0x32; c <= 0x35; c++)
    {
      char payload[8];
      g_autoptr(GByteArray) code = NULL;
      g_autoptr(GByteArray) read = NULL;
      CryoAgilentFrame frame;

      payload[0] = c;
      payload[1] = '\0';
      code = wrap_text (0x80, payload);
      frame = decode_one (code->data, code->len);
      g_assert_true (frame.is_code);
      g_assert_cmpuint (frame.code, ==, c);

      g_snprintf (payload, sizeof payload, "%c%c%c0", c, c, c);
      read = wrap_text (0x80, payload);
      frame = decode_one (read->data, read->len);
      g_assert_false (frame.is_code);
      g_assert_cmpuint (frame.window, ==, (c - '0') * 111);
    }
}

static void
test_encode_all_windows (void)
{
  for (guint address = 0; address <= CRYO_AGILENT_MAX_ADDRESS; address++)
    {
      for (guint window = 0; window <= 999; window++)
        {
          g_autoptr(GBytes) bytes = cryo_agilent_encode_read (address, window);
          g_autofree char *expected = g_strdup_printf ("%03u0", window);
          g_autoptr(GByteArray) reference = wrap_text (0x80 + address, expected);
          CryoAgilentFrame frame;

          assert_bytes (bytes, reference->data, reference->len);
          frame = decode_one_bytes (bytes);
          g_assert_cmpuint (frame.address, ==, address);
          g_assert_cmpuint (frame.window, ==, window);
          g_assert_false (frame.is_write);
          g_assert_false (frame.is_code);
          g_assert_cmpuint (frame.data_len, ==, 0);

          if (cryo_agilent_window_get_type (window) == CRYO_AGILENT_TYPE_UNKNOWN
              || cryo_agilent_window_get_type (window) == CRYO_AGILENT_TYPE_LOGIC)
            {
              g_autoptr(GBytes) logic = cryo_agilent_encode_write_logic (address, window,
                                                                         window % 2);

              frame = decode_one_bytes (logic);
              g_assert_true (frame.is_write);
              g_assert_cmpuint (frame.window, ==, window);
              g_assert_cmpstr (frame.data, ==, window % 2 ? "1" : "0");
            }
        }
    }
}

static void
test_encode_write (void)
{
  g_autoptr(GBytes) bytes = NULL;
  CryoAgilentFrame frame;
  static const struct
  {
    guint       window;
    const char *data;
    gboolean    ok;
  } cases[] = {
    { 0, "1", TRUE },
    { 0, "0", TRUE },
    { 0, "2", FALSE },
    { 0, "", FALSE },
    { 0, "01", FALSE },
    { 0, "000001", FALSE },
    { 163, "000002", TRUE },
    { 163, "2", FALSE },
    { 163, "00002", FALSE },
    { 163, "0000002", FALSE },
    { 163, "00000A", FALSE },
    { 163, "-00002", FALSE },
    { 224, "1.0E-07   ", TRUE },
    { 224, "1.0E-07", FALSE },
    { 224, "1.0E-07\t  ", FALSE },
    { 500, "1", TRUE },
    { 500, "abcdef", TRUE },
    { 500, "abcdefghij", TRUE },
    { 500, "", FALSE },
    { 500, "12", FALSE },
    { 500, "12345", FALSE },
    { 500, "abcdefghijk", FALSE },
    { 500, "\x01", FALSE },
    { 500, "abcde\n", FALSE },
    { 500, "abcde\xc3\xa9", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) b = cryo_agilent_encode_write (7, cases[i].window, cases[i].data, &error);

      g_test_message ("write %03u '%s'", cases[i].window, cases[i].data);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          frame = decode_one_bytes (b);
          g_assert_cmpuint (frame.address, ==, 7);
          g_assert_true (frame.is_write);
          g_assert_cmpuint (frame.window, ==, cases[i].window);
          g_assert_cmpstr (frame.data, ==, cases[i].data);
        }
      else
        {
          g_assert_null (b);
          g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_DATA_TYPE);
        }
    }

  /* Numeric: 6 digits, 0..999999. */
  {
    g_autoptr(GError) error = NULL;

    bytes = cryo_agilent_encode_write_numeric (31, 358, 999999, &error);
    g_assert_no_error (error);
    frame = decode_one_bytes (bytes);
    g_assert_cmpuint (frame.address, ==, 31);
    g_assert_cmpstr (frame.data, ==, "999999");
    g_clear_pointer (&bytes, g_bytes_unref);

    bytes = cryo_agilent_encode_write_numeric (0, 500, 42, &error);
    g_assert_no_error (error);
    frame = decode_one_bytes (bytes);
    g_assert_cmpstr (frame.data, ==, "000042");
    g_clear_pointer (&bytes, g_bytes_unref);
  }

  for (guint i = 0; i < 3; i++)
    {
      static const guint too_big[] = { 1000000, 1234567, G_MAXUINT };
      g_autoptr(GError) error = NULL;

      bytes = cryo_agilent_encode_write_numeric (0, 163, too_big[i], &error);
      g_assert_null (bytes);
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE);
    }

  {
    g_autoptr(GError) error = NULL;

    bytes = cryo_agilent_encode_write_numeric (0, CRYO_AGILENT_WINDOW_START_STOP, 1, &error);
    g_assert_null (bytes);
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_DATA_TYPE);
  }
}

static void
test_encode_replies (void)
{
  g_autoptr(GBytes) data = cryo_agilent_encode_reply_data (31, 999, "abcdefghij");
  g_autoptr(GBytes) code = cryo_agilent_encode_reply_code (31, CRYO_AGILENT_CODE_NACK);
  g_autoptr(GBytes) raw = cryo_agilent_encode_raw (0, NULL, 0);
  CryoAgilentFrame frame;
  const guint8 expected_raw[] = { 0x02, 0x80, 0x03, '8', '3' };

  frame = decode_one_bytes (data);
  g_assert_cmpuint (frame.address, ==, 31);
  g_assert_cmpuint (frame.window, ==, 999);
  g_assert_false (frame.is_write);
  g_assert_cmpstr (frame.data, ==, "abcdefghij");

  frame = decode_one_bytes (code);
  g_assert_cmpuint (frame.address, ==, 31);
  g_assert_true (frame.is_code);
  g_assert_cmpuint (frame.code, ==, CRYO_AGILENT_CODE_NACK);

  assert_bytes (raw, expected_raw, sizeof expected_raw);
}

static void
test_preconditions (void)
{
  GBytes *bytes;

  g_test_expect_message ("cryo-agilent", G_LOG_LEVEL_CRITICAL, "*address*");
  bytes = cryo_agilent_encode_read (32, 0);
  g_test_assert_expected_messages ();
  g_assert_null (bytes);

  g_test_expect_message ("cryo-agilent", G_LOG_LEVEL_CRITICAL, "*window*");
  bytes = cryo_agilent_encode_read (0, 1000);
  g_test_assert_expected_messages ();
  g_assert_null (bytes);

  g_test_expect_message ("cryo-agilent", G_LOG_LEVEL_CRITICAL, "*type*");
  bytes = cryo_agilent_encode_write_logic (0, CRYO_AGILENT_WINDOW_SPEED, TRUE);
  g_test_assert_expected_messages ();
  g_assert_null (bytes);

  g_test_expect_message ("cryo-agilent", G_LOG_LEVEL_CRITICAL, "*len*");
  bytes = cryo_agilent_encode_reply_data (0, 205, "12");
  g_test_assert_expected_messages ();
  g_assert_null (bytes);

  g_test_expect_message ("cryo-agilent", G_LOG_LEVEL_CRITICAL, "*is_known_code*");
  bytes = cryo_agilent_encode_reply_code (0, 0x41);
  g_test_assert_expected_messages ();
  g_assert_null (bytes);
}

static CryoAgilentFrame
reply_frame (guint       window,
             const char *data)
{
  g_autoptr(GBytes) bytes = cryo_agilent_encode_reply_data (0, window, data);

  return decode_one_bytes (bytes);
}

static CryoAgilentFrame
code_frame (guint8 code)
{
  g_autoptr(GBytes) bytes = cryo_agilent_encode_reply_code (0, code);

  return decode_one_bytes (bytes);
}

static void
test_reply_helpers (void)
{
  CryoAgilentFrame frame;
  guint value = 0;
  gboolean logic = FALSE;

  /* check_ack on a data frame */
  {
    g_autoptr(GError) error = NULL;

    frame = reply_frame (205, "000005");
    g_assert_false (cryo_agilent_reply_check_ack (&frame, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED);
  }

  /* numeric: wrong window, write request, bad digits, bad length */
  {
    g_autoptr(GError) error = NULL;

    frame = reply_frame (205, "000005");
    g_assert_false (cryo_agilent_reply_get_numeric (&frame, 226, &value, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) write = cryo_agilent_encode_write_numeric (0, 205, 5, &error);

    g_assert_no_error (error);
    frame = decode_one_bytes (write);
    g_assert_false (cryo_agilent_reply_get_numeric (&frame, 205, &value, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED);
  }
  {
    static const char *bad[] = { "00A000", " 00005", "-00005", "5", "abcdefghij" };

    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        frame = reply_frame (205, bad[i]);
        value = 77;
        g_assert_false (cryo_agilent_reply_get_numeric (&frame, 205, &value, &error));
        g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
        g_assert_cmpuint (value, ==, 77);
      }
  }
  {
    g_autoptr(GError) error = NULL;

    frame = reply_frame (206, "999999");
    g_assert_true (cryo_agilent_reply_get_numeric (&frame, 206, &value, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (value, ==, 999999);
  }

  /* logic */
  {
    g_autoptr(GError) error = NULL;

    frame = reply_frame (0, "1");
    g_assert_true (cryo_agilent_reply_get_logic (&frame, 0, &logic, &error));
    g_assert_no_error (error);
    g_assert_true (logic);
  }
  {
    static const char *bad[] = { "2", "a", " ", "000001" };

    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        frame = reply_frame (0, bad[i]);
        g_assert_false (cryo_agilent_reply_get_logic (&frame, 0, &logic, &error));
        g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
      }
  }
  {
    g_autoptr(GError) error = NULL;

    frame = reply_frame (8, "1");
    g_assert_false (cryo_agilent_reply_get_logic (&frame, 0, &logic, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED);
  }
  {
    g_autoptr(GError) error = NULL;

    frame = code_frame (CRYO_AGILENT_CODE_NACK);
    g_assert_false (cryo_agilent_reply_get_logic (&frame, 0, &logic, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_NACK);
  }
  {
    g_autoptr(GError) error = NULL;

    frame = code_frame (CRYO_AGILENT_CODE_ACK);
    g_assert_false (cryo_agilent_reply_get_logic (&frame, 0, &logic, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED);
  }
  {
    g_autoptr(GError) error = NULL;

    frame = code_frame (CRYO_AGILENT_CODE_UNKNOWN_WINDOW);
    g_assert_false (cryo_agilent_reply_get_numeric (&frame, 358, &value, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW);
    g_assert_nonnull (strstr (error->message, "358"));
  }
}

static void
test_pressure (void)
{
  static const struct
  {
    const char *text;
    double      value;
  } good[] = {
    { "2.9E-03   ", 2.9e-3 },
    { "1.0E-07   ", 1.0e-7 },
    { "9.9E+02   ", 990.0 },
    { "1.0E+03   ", 1000.0 },
    { "0.0E+00   ", 0.0 },
    { "1E-05     ", 1e-5 },
    { "1.0e-07   ", 1.0e-7 },
    { "2.9E-03", 2.9e-3 },  /* completed with padding below */
    { "1.25E-010 ", 1.25e-10 },
  };
  static const char *bad[] = {
    "garbage!!!",
    "-1.0E-03  ",
    "+1.0E-03  ",
    "1.0E-07XYZ",
    "1.0E-07  x",
    "1.0E07    ",
    "1.0E-     ",
    "1.0-07    ",
    " 1.0E-07  ",
    "1.0 E-07  ",
    "1,0E-07   ",
    ".5E-03    ",
    "1.E-03    ",
    "1.0E-0007 ",
    "          ",
    "nan       ",
    "inf       ",
    "INF       ",
    "0x1p-3    ",
    "9.9E+999  ",
    "1.0E-999  ",
    "1.0E-07\x7e  ",
  };
  double value;

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      char text[11];
      CryoAgilentFrame frame;

      g_snprintf (text, sizeof text, "%-10s", good[i].text);
      frame = reply_frame (224, text);
      value = -1;
      g_assert_true (cryo_agilent_reply_get_pressure (&frame, &value, &error));
      g_assert_no_error (error);
      assert_close (value, good[i].value);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      CryoAgilentFrame frame;

      g_test_message ("pressure '%s'", bad[i]);
      g_assert_cmpuint (strlen (bad[i]), ==, 10);
      frame = reply_frame (224, bad[i]);
      value = -1;
      g_assert_false (cryo_agilent_reply_get_pressure (&frame, &value, &error));
      g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED);
      g_assert_cmpfloat (value, ==, -1);
    }

  /* Not the reply of window 224. */
  {
    g_autoptr(GError) error = NULL;
    CryoAgilentFrame frame = reply_frame (226, "2.9E-03   ");

    g_assert_false (cryo_agilent_reply_get_pressure (&frame, &value, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED);
  }
  {
    g_autoptr(GError) error = NULL;
    CryoAgilentFrame frame = code_frame (CRYO_AGILENT_CODE_UNKNOWN_WINDOW);

    g_assert_false (cryo_agilent_reply_get_pressure (&frame, &value, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNKNOWN_WINDOW);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) write = cryo_agilent_encode_write (0, 224, "2.9E-03   ", &error);
    CryoAgilentFrame frame;

    g_assert_no_error (error);
    frame = decode_one_bytes (write);
    g_assert_false (cryo_agilent_reply_get_pressure (&frame, &value, &error));
    g_assert_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_UNEXPECTED);
  }
}

static void
test_strings (void)
{
  static const char *statuses[] = {
    "Stop", "Waiting for interlock", "Starting", "Auto-tuning", "Braking", "Normal", "Fail",
  };
  static const struct
  {
    guint       bits;
    const char *text;
  } bits[] = {
    { 0, "" },
    { 1, "no connection" },
    { 2, "pump overtemperature" },
    { 4, "controller overtemperature" },
    { 8, "power fail" },
    { 16, "auxiliary fail" },
    { 32, "overvoltage" },
    { 64, "short circuit" },
    { 128, "too high load" },
    { 3, "no connection, pump overtemperature" },
    { 0x81, "no connection, too high load" },
    { 0xFF, "no connection, pump overtemperature, controller overtemperature, power fail, "
            "auxiliary fail, overvoltage, short circuit, too high load" },
    { 0x100, "unknown error bits 0x100" },
    { 0x302, "pump overtemperature, unknown error bits 0x300" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    g_assert_cmpstr (cryo_agilent_status_to_string (i), ==, statuses[i]);
  g_assert_cmpstr (cryo_agilent_status_to_string (7), ==, "Unknown");
  g_assert_cmpstr (cryo_agilent_status_to_string (999999), ==, "Unknown");

  g_assert_cmpstr (cryo_agilent_code_to_string (0x41), ==, "unknown code");

  for (gsize i = 0; i < G_N_ELEMENTS (bits); i++)
    {
      g_autofree char *text = cryo_agilent_error_bits_to_string (bits[i].bits);

      g_assert_cmpstr (text, ==, bits[i].text);
    }

  /* Window 206 is decimal on the wire: "000128" is bit 0x80. */
  {
    g_autoptr(GError) error = NULL;
    CryoAgilentFrame frame = reply_frame (206, "000128");
    g_autofree char *text = NULL;
    guint value = 0;

    g_assert_true (cryo_agilent_reply_get_numeric (&frame, 206, &value, &error));
    g_assert_no_error (error);
    text = cryo_agilent_error_bits_to_string (value);
    g_assert_cmpstr (text, ==, "too high load");
  }
}

static void
test_window_types (void)
{
  g_assert_cmpint (cryo_agilent_window_get_type (0), ==, CRYO_AGILENT_TYPE_LOGIC);
  g_assert_cmpint (cryo_agilent_window_get_type (8), ==, CRYO_AGILENT_TYPE_LOGIC);
  g_assert_cmpint (cryo_agilent_window_get_type (107), ==, CRYO_AGILENT_TYPE_LOGIC);
  g_assert_cmpint (cryo_agilent_window_get_type (167), ==, CRYO_AGILENT_TYPE_LOGIC);
  g_assert_cmpint (cryo_agilent_window_get_type (108), ==, CRYO_AGILENT_TYPE_NUMERIC);
  g_assert_cmpint (cryo_agilent_window_get_type (163), ==, CRYO_AGILENT_TYPE_NUMERIC);
  for (guint w = 200; w <= 206; w++)
    g_assert_cmpint (cryo_agilent_window_get_type (w), ==, CRYO_AGILENT_TYPE_NUMERIC);
  g_assert_cmpint (cryo_agilent_window_get_type (224), ==, CRYO_AGILENT_TYPE_ALPHANUMERIC);
  g_assert_cmpint (cryo_agilent_window_get_type (226), ==, CRYO_AGILENT_TYPE_NUMERIC);
  g_assert_cmpint (cryo_agilent_window_get_type (300), ==, CRYO_AGILENT_TYPE_NUMERIC);
  g_assert_cmpint (cryo_agilent_window_get_type (301), ==, CRYO_AGILENT_TYPE_NUMERIC);
  g_assert_cmpint (cryo_agilent_window_get_type (302), ==, CRYO_AGILENT_TYPE_NUMERIC);
  g_assert_cmpint (cryo_agilent_window_get_type (358), ==, CRYO_AGILENT_TYPE_NUMERIC);
  g_assert_cmpint (cryo_agilent_window_get_type (1), ==, CRYO_AGILENT_TYPE_UNKNOWN);
  g_assert_cmpint (cryo_agilent_window_get_type (999), ==, CRYO_AGILENT_TYPE_UNKNOWN);
  g_assert_cmpint (cryo_agilent_window_get_type (1000), ==, CRYO_AGILENT_TYPE_UNKNOWN);
}

static void
test_reset (void)
{
  const AgilentVector *v = find_vector (AGILENT_VECTOR_REQUEST, "read pressure");
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (Event));

  cryo_agilent_decoder_feed (decoder, (const guint8 *) "xx", 2);
  cryo_agilent_decoder_feed (decoder, v->bytes, 5);
  drain (decoder, events);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 5);
  cryo_agilent_decoder_feed (decoder, v->bytes, 3);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 8);

  cryo_agilent_decoder_reset (decoder);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 0);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 0);

  /* Without the reset, the partial frame would make this TRUNCATED. */
  cryo_agilent_decoder_feed (decoder, v->bytes, v->n_bytes);
  drain (decoder, events);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpuint (assert_frame_event (events, 0)->window, ==, 224);
}

static void
random_data (char  *out,
             gsize  len,
             gboolean digits)
{
  for (gsize i = 0; i < len; i++)
    out[i] = digits ? '0' + g_test_rand_int_range (0, 10) : g_test_rand_int_range (0x20, 0x7F);
  out[len] = '\0';
}

/* A random valid frame and what it must decode to. */
static GBytes *
random_frame (CryoAgilentFrame *expected)
{
  guint8 address = g_test_rand_int_range (0, CRYO_AGILENT_MAX_ADDRESS + 1);
  guint window = g_test_rand_int_range (0, 1000);
  char data[16];
  gsize len;
  int what = g_test_rand_int_range (0, 4);
  GBytes *bytes;

  memset (expected, 0, sizeof *expected);
  expected->address = address;

  if (what == 0)
    {
      static const guint8 codes[] = { 0x06, 0x15, 0x32, 0x33, 0x34, 0x35 };

      expected->is_code = TRUE;
      expected->code = codes[g_test_rand_int_range (0, G_N_ELEMENTS (codes))];
      return cryo_agilent_encode_reply_code (address, expected->code);
    }

  expected->window = window;
  if (what == 1)
    return cryo_agilent_encode_read (address, window);

  switch (cryo_agilent_window_get_type (window))
    {
    case CRYO_AGILENT_TYPE_LOGIC:
      data[0] = g_test_rand_bit () ? '1' : '0';
      data[1] = '\0';
      break;
    case CRYO_AGILENT_TYPE_NUMERIC:
      random_data (data, 6, TRUE);
      break;
    case CRYO_AGILENT_TYPE_ALPHANUMERIC:
      random_data (data, 10, FALSE);
      break;
    case CRYO_AGILENT_TYPE_UNKNOWN:
    default:
      {
        static const gsize lengths[] = { 1, 6, 10 };

        random_data (data, lengths[g_test_rand_int_range (0, 3)], FALSE);
      }
      break;
    }
  len = strlen (data);
  memcpy (expected->data, data, len + 1);
  expected->data_len = len;

  if (what == 2)
    {
      g_autoptr(GError) error = NULL;

      expected->is_write = TRUE;
      bytes = cryo_agilent_encode_write (address, window, data, &error);
      g_assert_no_error (error);
    }
  else
    {
      bytes = cryo_agilent_encode_reply_data (address, window, data);
    }

  return bytes;
}

static void
test_random_stream (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GArray) expected = g_array_new (FALSE, TRUE, sizeof (CryoAgilentFrame));
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (Event));
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  guint n_frames = 0, n_errors = 0, matched = 0;
  guint n_corrupted = 0;
  gsize n_garbage = 0;
  gsize target = g_test_thorough () ? 2000000 : 200000;

  while (stream->len < target)
    {
      int what = g_test_rand_int_range (0, 10);

      if (what < 4)
        {
          /* Random bytes, sometimes rich in STX/ETX. */
          gsize n = g_test_rand_int_range (0, 64);
          gboolean framing = g_test_rand_int_range (0, 4) == 0;

          for (gsize i = 0; i < n; i++)
            {
              guint8 b = g_test_rand_int_range (0, 256);

              if (framing && g_test_rand_bit ())
                b = g_test_rand_bit () ? CRYO_AGILENT_STX : CRYO_AGILENT_ETX;
              g_byte_array_append (stream, &b, 1);
            }
          n_garbage += n;
        }
      else
        {
          CryoAgilentFrame frame;
          g_autoptr(GBytes) bytes = random_frame (&frame);
          gsize len;
          const guint8 *data = g_bytes_get_data (bytes, &len);
          guint8 copy[CRYO_AGILENT_MAX_FRAME];

          g_assert_cmpuint (len, <=, sizeof copy);
          memcpy (copy, data, len);

          if (what == 4)
            {
              /* Corrupted: one byte changed, or cut short. */
              if (g_test_rand_bit ())
                {
                  gsize pos = g_test_rand_int_range (0, len);
                  copy[pos] ^= g_test_rand_int_range (1, 256);
                }
              else
                {
                  len = g_test_rand_int_range (1, len);
                }
              n_corrupted++;
            }
          else
            {
              g_array_append_val (expected, frame);
            }
          g_byte_array_append (stream, copy, len);
        }
    }

  /* Feed in random chunk sizes, draining after each. */
  for (gsize pos = 0; pos < stream->len;)
    {
      gsize chunk = MIN ((gsize) g_test_rand_int_range (1, 512), stream->len - pos);

      cryo_agilent_decoder_feed (decoder, stream->data + pos, chunk);
      pos += chunk;
      drain (decoder, events);
    }

  /* Every intact frame comes out, in order; random bytes may add frames of
   * their own, so match the expected frames as a subsequence. */
  for (guint i = 0; i < events->len; i++)
    {
      Event *ev = &g_array_index (events, Event, i);

      if (ev->result == CRYO_AGILENT_DECODE_ERROR)
        {
          n_errors++;
          continue;
        }
      n_frames++;
      if (matched < expected->len
          && frame_equal (&ev->frame, &g_array_index (expected, CryoAgilentFrame, matched)))
        matched++;
    }

  g_test_message ("%u bytes: %u intact frames, %u corrupted, %" G_GSIZE_FORMAT
                  " garbage bytes; decoded %u frames, %u errors, %" G_GSIZE_FORMAT " discarded",
                  stream->len, expected->len, n_corrupted, n_garbage, n_frames, n_errors,
                  cryo_agilent_decoder_get_n_discarded (decoder));

  g_assert_cmpuint (expected->len, >, 1000);
  g_assert_cmpuint (n_errors, >, 0);
  g_assert_cmpuint (matched, ==, expected->len);
  g_assert_cmpuint (n_frames, >=, expected->len);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), <, CRYO_AGILENT_MAX_FRAME);
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (CRYO_PROTOCOL_ERROR), ==, "cryo-protocol-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocols/agilent/error-quark", test_error_quark);
  g_test_add_func ("/protocols/agilent/vectors", test_vectors);
  g_test_add_func ("/protocols/agilent/split-reads", test_split_reads);
  g_test_add_func ("/protocols/agilent/one-byte-at-a-time", test_one_byte_at_a_time);
  g_test_add_func ("/protocols/agilent/garbage-before-frames", test_garbage_before_frames);
  g_test_add_func ("/protocols/agilent/stx-inside-frame", test_stx_inside_frame);
  g_test_add_func ("/protocols/agilent/wrong-crc", test_wrong_crc);
  g_test_add_func ("/protocols/agilent/overlong", test_overlong);
  g_test_add_func ("/protocols/agilent/longest-frame", test_longest_frame);
  g_test_add_func ("/protocols/agilent/crc-characters", test_crc_characters);
  g_test_add_func ("/protocols/agilent/address-range", test_address_range);
  g_test_add_func ("/protocols/agilent/malformed", test_malformed);
  g_test_add_func ("/protocols/agilent/code-digits", test_code_digits);
  g_test_add_func ("/protocols/agilent/encode-all-windows", test_encode_all_windows);
  g_test_add_func ("/protocols/agilent/encode-write", test_encode_write);
  g_test_add_func ("/protocols/agilent/encode-replies", test_encode_replies);
  g_test_add_func ("/protocols/agilent/preconditions", test_preconditions);
  g_test_add_func ("/protocols/agilent/reply-helpers", test_reply_helpers);
  g_test_add_func ("/protocols/agilent/pressure", test_pressure);
  g_test_add_func ("/protocols/agilent/strings", test_strings);
  g_test_add_func ("/protocols/agilent/window-types", test_window_types);
  g_test_add_func ("/protocols/agilent/reset", test_reset);
  g_test_add_func ("/protocols/agilent/random-stream", test_random_stream);

  return g_test_run ();
}
