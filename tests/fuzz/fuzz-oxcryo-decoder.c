/* fuzz-oxcryo-decoder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cryostream status packet decoder (cryo-oxcryo.h) over any byte
 * stream. The protocol has no sync byte and no checksum, so the decoder
 * finds packets by their length/type pair and field ranges
 * (oxford-cryostream.md "Framing recovery"):
 * - chunking does not matter: the stream fed whole, a byte at a time and in
 *   uneven pieces gives the same packets and skips the same bytes;
 * - every byte fed is accounted for exactly once: skipped, in a packet, or
 *   still held, and after NEED_MORE fewer than one packet's worth is held;
 * - an error is set exactly when it returns ERROR, and the status is
 *   written only for PACKET;
 * - a packet re-encoded (cryo_oxcryo_status_encode(), the simulator's
 *   encoder) decodes to itself, and cryo_oxcryo_status_decode() of the
 *   whole input, when it accepts it, encodes back to the very same bytes.
 */

#include "config.h"

#include <string.h>

#include "cryo-oxcryo.h"

#include "fuzz-target.h"

typedef enum
{
  FEED_WHOLE,
  FEED_BYTES,
  FEED_PIECES,
} FeedMode;

typedef struct
{
  GArray *packets;     /* CryoOxcryoStatus */
  gsize   n_discarded;
  gsize   n_buffered;
} Run;

static gboolean
status_equal (const CryoOxcryoStatus *a,
              const CryoOxcryoStatus *b)
{
  g_autoptr(GBytes) x = cryo_oxcryo_status_encode (a);
  g_autoptr(GBytes) y = cryo_oxcryo_status_encode (b);

  return !a->extended == !b->extended && g_bytes_equal (x, y);
}

static gsize
packet_len (const CryoOxcryoStatus *status)
{
  return status->extended ? CRYO_OXCRYO_EXTENDED_LENGTH : CRYO_OXCRYO_STANDARD_LENGTH;
}

static void
check_packet (const CryoOxcryoStatus *status)
{
  g_autoptr(GBytes) bytes = cryo_oxcryo_status_encode (status);
  g_autoptr(CryoOxcryoDecoder) decoder = cryo_oxcryo_decoder_new ();
  CryoOxcryoStatus again;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (len, ==, packet_len (status));
  g_assert_true (cryo_oxcryo_status_decode (data, len, &again, NULL));
  g_assert_true (status_equal (&again, status));

  cryo_oxcryo_decoder_feed (decoder, data, len);
  g_assert_cmpint (cryo_oxcryo_decoder_next (decoder, &again, NULL), ==,
                   CRYO_OXCRYO_DECODE_PACKET);
  g_assert_true (status_equal (&again, status));
  g_assert_cmpint (cryo_oxcryo_decoder_next (decoder, &again, NULL), ==,
                   CRYO_OXCRYO_DECODE_NEED_MORE);
  g_assert_cmpuint (cryo_oxcryo_decoder_get_n_discarded (decoder), ==, 0);
  g_assert_cmpuint (cryo_oxcryo_decoder_get_n_buffered (decoder), ==, 0);
}

/* Decodes what has been fed, checking each step, until NEED_MORE. */
static void
drain (CryoOxcryoDecoder *decoder,
       gsize              fed,
       gsize             *packet_bytes,
       GArray            *packets)
{
  for (;;)
    {
      CryoOxcryoStatus status, untouched;
      g_autoptr(GError) error = NULL;
      CryoOxcryoDecodeResult result;

      memset (&status, 0xA5, sizeof status);
      memcpy (&untouched, &status, sizeof status);

      result = cryo_oxcryo_decoder_next (decoder, &status, &error);

      switch (result)
        {
        case CRYO_OXCRYO_DECODE_NEED_MORE:
          g_assert_no_error (error);
          g_assert_cmpmem (&status, sizeof status, &untouched, sizeof untouched);
          g_assert_cmpuint (cryo_oxcryo_decoder_get_n_buffered (decoder), <,
                            CRYO_OXCRYO_EXTENDED_LENGTH);
          break;

        case CRYO_OXCRYO_DECODE_ERROR:
          fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
          g_assert_cmpint (error->code, ==, CRYO_PROTOCOL_ERROR_MALFORMED);
          g_assert_cmpmem (&status, sizeof status, &untouched, sizeof untouched);
          break;

        case CRYO_OXCRYO_DECODE_PACKET:
          g_assert_no_error (error);
          *packet_bytes += packet_len (&status);
          g_array_append_val (packets, status);
          break;

        default:
          g_assert_not_reached ();
        }

      /* Every byte fed is skipped, in a packet, or held: none twice. */
      g_assert_cmpuint (cryo_oxcryo_decoder_get_n_discarded (decoder) + *packet_bytes +
                        cryo_oxcryo_decoder_get_n_buffered (decoder), ==, fed);

      if (result == CRYO_OXCRYO_DECODE_NEED_MORE)
        return;
    }
}

static void
decode_stream (const guint8 *data,
               gsize         size,
               FeedMode      mode,
               Run          *run)
{
  g_autoptr(CryoOxcryoDecoder) decoder = cryo_oxcryo_decoder_new ();
  guint32 rng = (guint32) size * 2654435761u + 1;
  gsize fed = 0;
  gsize packet_bytes = 0;

  run->packets = g_array_new (FALSE, FALSE, sizeof (CryoOxcryoStatus));
  drain (decoder, fed, &packet_bytes, run->packets);

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
          chunk = 1 + (rng >> 16) % 50;
          break;
        }
      chunk = MIN (chunk, size - fed);

      cryo_oxcryo_decoder_feed (decoder, data + fed, chunk);
      fed += chunk;
      drain (decoder, fed, &packet_bytes, run->packets);
    }

  run->n_discarded = cryo_oxcryo_decoder_get_n_discarded (decoder);
  run->n_buffered = cryo_oxcryo_decoder_get_n_buffered (decoder);
}

static void
assert_same_run (const Run *a,
                 const Run *b)
{
  g_assert_cmpuint (a->packets->len, ==, b->packets->len);
  for (guint i = 0; i < a->packets->len; i++)
    g_assert_true (status_equal (&g_array_index (a->packets, CryoOxcryoStatus, i),
                                 &g_array_index (b->packets, CryoOxcryoStatus, i)));
  g_assert_cmpuint (a->n_discarded, ==, b->n_discarded);
  g_assert_cmpuint (a->n_buffered, ==, b->n_buffered);
}

/* The whole input as one packet. */
static void
check_status_decode (const uint8_t *data,
                     size_t         size)
{
  g_autoptr(GError) error = NULL;
  CryoOxcryoStatus status;

  if (!cryo_oxcryo_status_decode (size > 0 ? data : NULL, size, &status, &error))
    {
      fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
      g_assert_true (error->code == CRYO_PROTOCOL_ERROR_MALFORMED ||
                     error->code == CRYO_PROTOCOL_ERROR_TRUNCATED);
      return;
    }

  g_assert_no_error (error);
  {
    g_autoptr(GBytes) encoded = cryo_oxcryo_status_encode (&status);
    gsize len;
    const guint8 *bytes = g_bytes_get_data (encoded, &len);

    /* Every byte of a packet is a field: nothing is lost. */
    g_assert_cmpmem (bytes, len, data, size);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Run whole, bytes, pieces;

  fuzz_make_warnings_fatal ();

  check_status_decode (data, size);

  decode_stream (data, size, FEED_WHOLE, &whole);
  decode_stream (data, size, FEED_BYTES, &bytes);
  decode_stream (data, size, FEED_PIECES, &pieces);
  assert_same_run (&whole, &bytes);
  assert_same_run (&whole, &pieces);

  for (guint i = 0; i < whole.packets->len; i++)
    check_packet (&g_array_index (whole.packets, CryoOxcryoStatus, i));

  g_array_unref (whole.packets);
  g_array_unref (bytes.packets);
  g_array_unref (pieces.packets);

  return 0;
}
