/* fuzz-agilent-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Agilent reply decoders (cryo_agilent_reply_*) on frames built
 * straight from the input, so the fuzzer reaches their data parsing (the
 * pressure text above all) without first finding a checksum, and also on
 * frames the wire decoder never makes (a data length past the buffer,
 * bytes that are not printable, windows above 999). The invariants are in
 * fuzz-agilent-replies.c.
 *
 * Input: byte 0 = flags (bit 0 code frame, bit 1 write, bit 2 ask for
 * another window than the frame's, bits 3-7 pick the window), byte 1 = the
 * code and address byte, the rest = the data (its length is the frame's
 * data_len, even past the 31 bytes the buffer holds).
 */

#include "config.h"

#include <string.h>

#include "cryo-agilent.h"

#include "fuzz-agilent-replies.h"
#include "fuzz-target.h"

/* Every window agilent-window.md lists, and some it does not. */
static const guint windows[] = {
  0, 8, 107, 108, 163, 167, 200, 201, 202, 203, 204, 205, 206, 224, 226, 300, 301, 302, 358,
  1, 99, 223, 225, 500, 998, 999, 1000, 4096, G_MAXUINT,
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CryoAgilentFrame frame = { 0 };
  gsize data_len;

  fuzz_make_warnings_fatal ();

  if (size < 2)
    return 0;

  frame.is_code = (data[0] & 1) != 0;
  frame.is_write = (data[0] & 2) != 0;
  frame.window = windows[(data[0] >> 3) % G_N_ELEMENTS (windows)];
  frame.code = data[1];
  frame.address = data[1] & CRYO_AGILENT_MAX_ADDRESS;

  data_len = size - 2;
  memcpy (frame.data, data + 2, MIN (data_len, sizeof frame.data - 1));
  frame.data_len = data_len;

  fuzz_agilent_check_replies (&frame,
                              (data[0] & 4) ? windows[(data[1] >> 3) % G_N_ELEMENTS (windows)]
                                            : frame.window);

  return 0;
}
