/* fuzz-agilent-decoder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incremental Agilent "Window" decoder (cryo-agilent.h) over any byte
 * stream, as a line full of noise would deliver it:
 * - chunking does not matter: the stream fed whole, a byte at a time and in
 *   uneven pieces gives the same frames and errors, and so does feeding it
 *   again after cryo_agilent_decoder_reset();
 * - the decoder never accounts for more bytes than it was fed: bytes
 *   skipped, bytes of decoded frames and bytes still held add up to at most
 *   the bytes fed, and after NEED_MORE it holds less than one frame;
 * - an error is set exactly when it returns ERROR, with one of its own four
 *   codes, and the frame is written only when it returns FRAME;
 * - every frame is well formed, and re-encoded (by the typed encoder that
 *   fits it, else the raw envelope) decodes to the same frame;
 * - the reply decoders keep their contract on every frame
 *   (fuzz-agilent-replies.c).
 */

#include "config.h"

#include <string.h>

#include "cryo-agilent.h"

#include "fuzz-agilent-replies.h"
#include "fuzz-target.h"

typedef struct
{
  CryoAgilentDecodeResult result;
  CryoAgilentFrame        frame;
  int                     error_code;
} Event;

typedef enum
{
  FEED_WHOLE,
  FEED_BYTES,
  FEED_PIECES,
} FeedMode;

/* STX ADDR payload ETX and two CRC characters. */
static gsize
frame_wire_len (const CryoAgilentFrame *frame)
{
  return 5 + (frame->is_code ? 1 : 4 + frame->data_len);
}

static gboolean
frame_equal (const CryoAgilentFrame *a,
             const CryoAgilentFrame *b)
{
  return a->address == b->address &&
         !a->is_code == !b->is_code &&
         a->code == b->code &&
         a->window == b->window &&
         !a->is_write == !b->is_write &&
         a->data_len == b->data_len &&
         memcmp (a->data, b->data, a->data_len + 1) == 0;
}

static gboolean
is_reply_code (guint8 code)
{
  return code == CRYO_AGILENT_CODE_ACK || code == CRYO_AGILENT_CODE_NACK ||
         (code >= CRYO_AGILENT_CODE_UNKNOWN_WINDOW && code <= CRYO_AGILENT_CODE_DISABLED);
}

/* agilent-window.md "Frame", "Replies": what a decoded frame may hold. */
static void
check_frame (const CryoAgilentFrame *frame)
{
  g_assert_cmpuint (frame->address, <=, CRYO_AGILENT_MAX_ADDRESS);

  if (frame->is_code)
    {
      g_assert_true (is_reply_code (frame->code));
      g_assert_cmpuint (frame->window, ==, 0);
      g_assert_false (frame->is_write);
      g_assert_cmpuint (frame->data_len, ==, 0);
      return;
    }

  g_assert_cmpuint (frame->window, <=, 999);
  g_assert_true (frame->data_len == 0 || frame->data_len == 1 ||
                 frame->data_len == 6 || frame->data_len == 10);
  g_assert_cmpuint (strlen (frame->data), ==, frame->data_len);
  for (gsize i = 0; i < frame->data_len; i++)
    g_assert_true (frame->data[i] >= 0x20 && frame->data[i] <= 0x7E);
}

static GBytes *
encode_envelope (const CryoAgilentFrame *frame)
{
  char payload[CRYO_AGILENT_MAX_FRAME];
  gsize len;

  if (frame->is_code)
    {
      payload[0] = frame->code;
      len = 1;
    }
  else
    {
      g_snprintf (payload, sizeof payload, "%03u%c", frame->window, frame->is_write ? '1' : '0');
      memcpy (payload + 4, frame->data, frame->data_len);
      len = 4 + frame->data_len;
    }

  return cryo_agilent_encode_raw (frame->address, (const guint8 *) payload, len);
}

/* The typed encoder that builds such a frame, where there is one: it must
 * give the same bytes as the envelope. */
static void
check_typed_encoders (const CryoAgilentFrame *frame,
                      GBytes                 *envelope)
{
  g_autoptr(GBytes) typed = NULL;
  g_autoptr(GError) error = NULL;
  CryoAgilentType type = cryo_agilent_window_get_type (frame->window);

  if (frame->is_code)
    typed = cryo_agilent_encode_reply_code (frame->address, frame->code);
  else if (!frame->is_write && frame->data_len == 0)
    typed = cryo_agilent_encode_read (frame->address, frame->window);
  else if (!frame->is_write)
    typed = cryo_agilent_encode_reply_data (frame->address, frame->window, frame->data);
  else if (frame->data_len > 0)
    {
      typed = cryo_agilent_encode_write (frame->address, frame->window, frame->data, &error);
      if (typed == NULL)
        {
          /* Refused only when the data does not fit a window the spec lists. */
          fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
          g_assert_cmpint (error->code, ==, CRYO_PROTOCOL_ERROR_DATA_TYPE);
          g_assert_cmpint (type, !=, CRYO_AGILENT_TYPE_UNKNOWN);
        }
    }

  if (typed != NULL)
    g_assert_true (g_bytes_equal (typed, envelope));

  if (!frame->is_code && frame->is_write && frame->data_len == 1 &&
      (frame->data[0] == '0' || frame->data[0] == '1') &&
      (type == CRYO_AGILENT_TYPE_LOGIC || type == CRYO_AGILENT_TYPE_UNKNOWN))
    {
      g_autoptr(GBytes) logic = cryo_agilent_encode_write_logic (frame->address, frame->window,
                                                                 frame->data[0] == '1');

      g_assert_true (g_bytes_equal (logic, envelope));
    }

  if (!frame->is_code && frame->is_write && frame->data_len == 6 &&
      strspn (frame->data, "0123456789") == 6 &&
      (type == CRYO_AGILENT_TYPE_NUMERIC || type == CRYO_AGILENT_TYPE_UNKNOWN))
    {
      guint value = (guint) g_ascii_strtoull (frame->data, NULL, 10);
      g_autoptr(GBytes) numeric = cryo_agilent_encode_write_numeric (frame->address, frame->window,
                                                                     value, NULL);

      g_assert_true (g_bytes_equal (numeric, envelope));
    }
}

static void
check_reencode (const CryoAgilentFrame *frame)
{
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GBytes) envelope = encode_envelope (frame);
  CryoAgilentFrame again;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (envelope, &len);

  g_assert_cmpuint (len, ==, frame_wire_len (frame));
  check_typed_encoders (frame, envelope);

  cryo_agilent_decoder_feed (decoder, bytes, len);
  g_assert_cmpint (cryo_agilent_decoder_next (decoder, &again, NULL), ==,
                   CRYO_AGILENT_DECODE_FRAME);
  g_assert_true (frame_equal (&again, frame));
  g_assert_cmpint (cryo_agilent_decoder_next (decoder, &again, NULL), ==,
                   CRYO_AGILENT_DECODE_NEED_MORE);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 0);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 0);
}

/* Decodes what has been fed, checking each step; returns when the decoder
 * needs more. */
static void
drain (CryoAgilentDecoder *decoder,
       gsize               fed,
       gsize              *frame_bytes,
       GArray             *events)
{
  for (;;)
    {
      CryoAgilentFrame frame, untouched;
      g_autoptr(GError) error = NULL;
      gsize discarded_before = cryo_agilent_decoder_get_n_discarded (decoder);
      CryoAgilentDecodeResult result;
      Event event = { 0 };

      memset (&frame, 0xA5, sizeof frame);
      memcpy (&untouched, &frame, sizeof frame);

      result = cryo_agilent_decoder_next (decoder, &frame, &error);

      g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), >=, discarded_before);

      switch (result)
        {
        case CRYO_AGILENT_DECODE_NEED_MORE:
          g_assert_no_error (error);
          g_assert_cmpmem (&frame, sizeof frame, &untouched, sizeof untouched);
          g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), <,
                            CRYO_AGILENT_MAX_FRAME);
          break;

        case CRYO_AGILENT_DECODE_ERROR:
          fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
          g_assert_true (error->code == CRYO_PROTOCOL_ERROR_CHECKSUM ||
                         error->code == CRYO_PROTOCOL_ERROR_TRUNCATED ||
                         error->code == CRYO_PROTOCOL_ERROR_OVERLONG ||
                         error->code == CRYO_PROTOCOL_ERROR_MALFORMED);
          g_assert_cmpmem (&frame, sizeof frame, &untouched, sizeof untouched);
          event.error_code = error->code;
          break;

        case CRYO_AGILENT_DECODE_FRAME:
          g_assert_no_error (error);
          check_frame (&frame);
          *frame_bytes += frame_wire_len (&frame);
          event.frame = frame;
          break;

        default:
          g_assert_not_reached ();
        }

      /* Never more bytes accounted for than were fed. */
      g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), <=, fed);
      g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder) + *frame_bytes +
                        cryo_agilent_decoder_get_n_buffered (decoder), <=, fed);

      if (result == CRYO_AGILENT_DECODE_NEED_MORE)
        return;

      event.result = result;
      g_array_append_val (events, event);
    }
}

static void
decode_stream (CryoAgilentDecoder *decoder,
               const guint8       *data,
               gsize               size,
               FeedMode            mode,
               GArray             *events)
{
  guint32 rng = (guint32) size * 2654435761u + 1;
  gsize fed = 0;
  gsize frame_bytes = 0;

  drain (decoder, fed, &frame_bytes, events);

  while (fed < size)
    {
      gsize chunk;

      switch (mode)
        {
        case FEED_WHOLE:
          chunk = size;
          break;
        case FEED_BYTES:
          chunk = 1;
          break;
        case FEED_PIECES:
        default:
          rng = rng * 1103515245u + 12345u;
          chunk = 1 + (rng >> 16) % 40;
          break;
        }
      chunk = MIN (chunk, size - fed);

      cryo_agilent_decoder_feed (decoder, data + fed, chunk);
      fed += chunk;
      drain (decoder, fed, &frame_bytes, events);
    }
}

static void
assert_same_events (GArray *a,
                    GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);

  for (guint i = 0; i < a->len; i++)
    {
      const Event *x = &g_array_index (a, Event, i);
      const Event *y = &g_array_index (b, Event, i);

      g_assert_cmpint (x->result, ==, y->result);
      g_assert_cmpint (x->error_code, ==, y->error_code);
      if (x->result == CRYO_AGILENT_DECODE_FRAME)
        g_assert_true (frame_equal (&x->frame, &y->frame));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GArray) whole = g_array_new (FALSE, TRUE, sizeof (Event));
  g_autoptr(GArray) again = g_array_new (FALSE, TRUE, sizeof (Event));
  g_autoptr(GArray) bytes = g_array_new (FALSE, TRUE, sizeof (Event));
  g_autoptr(GArray) pieces = g_array_new (FALSE, TRUE, sizeof (Event));

  fuzz_make_warnings_fatal ();

  decode_stream (decoder, data, size, FEED_WHOLE, whole);

  cryo_agilent_decoder_reset (decoder);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_discarded (decoder), ==, 0);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 0);
  decode_stream (decoder, data, size, FEED_WHOLE, again);
  assert_same_events (whole, again);

  g_clear_pointer (&decoder, cryo_agilent_decoder_free);
  decoder = cryo_agilent_decoder_new ();
  decode_stream (decoder, data, size, FEED_BYTES, bytes);
  assert_same_events (whole, bytes);

  g_clear_pointer (&decoder, cryo_agilent_decoder_free);
  decoder = cryo_agilent_decoder_new ();
  decode_stream (decoder, data, size, FEED_PIECES, pieces);
  assert_same_events (whole, pieces);

  for (guint i = 0; i < whole->len; i++)
    {
      const Event *event = &g_array_index (whole, Event, i);

      if (event->result != CRYO_AGILENT_DECODE_FRAME)
        continue;

      check_reencode (&event->frame);
      fuzz_agilent_check_replies (&event->frame, event->frame.window);
      fuzz_agilent_check_replies (&event->frame, (event->frame.window + 1) % 1000);
    }

  return 0;
}
