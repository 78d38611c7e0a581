/* fuzz-incuvers-decoder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incubator's status-line decoder (cryo-incuvers.h) over any byte
 * stream (incuvers-pilink.md "Status lines"):
 * - chunking does not matter: the stream fed whole, a byte at a time and in
 *   uneven pieces gives the same lines and the same errors in order;
 * - an error is a #CryoProtocolError with a message exactly when no status
 *   comes out, and the decoder never holds more than the longest line;
 * - every line decoded, framed again from its fields, decodes to the same
 *   fields and values, and cryo_incuvers_status_copy() keeps them.
 */

#include "config.h"

#include <string.h>

#include "cryo-incuvers.h"

#include "fuzz-target.h"

typedef enum
{
  FEED_WHOLE,
  FEED_BYTES,
  FEED_PIECES,
} FeedMode;

typedef struct
{
  GPtrArray *statuses;
  GArray    *errors;
} Run;

static char *
join_fields (const CryoIncuversStatus *status)
{
  GString *payload = g_string_new (NULL);

  for (guint i = 0; i < status->fields->len; i++)
    {
      const CryoIncuversField *field = g_ptr_array_index (status->fields, i);

      g_string_append_printf (payload, "%s%s|%s", i > 0 ? "&" : "", field->key, field->value);
    }
  return g_string_free (payload, FALSE);
}

static void
assert_same_status (const CryoIncuversStatus *a,
                    const CryoIncuversStatus *b)
{
  g_autofree char *x = join_fields (a);
  g_autofree char *y = join_fields (b);

  g_assert_cmpstr (x, ==, y);
  g_assert_cmpint (a->millis, ==, b->millis);
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpstr (a->firmware, ==, b->firmware);
  g_assert_cmpint (a->fan_mode, ==, b->fan_mode);
  g_assert_cmpint (a->free_memory, ==, b->free_memory);
  g_assert_cmpint (a->heat_mode, ==, b->heat_mode);
  g_assert_cmpint (a->temperature_setpoint, ==, b->temperature_setpoint);
  g_assert_cmpint (a->chamber_temperature, ==, b->chamber_temperature);
  g_assert_cmpint (a->door_temperature, ==, b->door_temperature);
  g_assert_cmpint (a->door_heater, ==, b->door_heater);
  g_assert_cmpint (a->chamber_heater, ==, b->chamber_heater);
  g_assert_cmpint (a->heat_alarm.indicator, ==, b->heat_alarm.indicator);
  g_assert_cmpint (a->heat_alarm.setting, ==, b->heat_alarm.setting);
  g_assert_cmpint (a->co2_mode, ==, b->co2_mode);
  g_assert_cmpint (a->co2, ==, b->co2);
  g_assert_cmpint (a->co2_alarm.indicator, ==, b->co2_alarm.indicator);
  g_assert_cmpint (a->o2_mode, ==, b->o2_mode);
  g_assert_cmpint (a->o2, ==, b->o2);
  g_assert_cmpint (a->light_mode, ==, b->light_mode);
  g_assert_cmpint (a->light_state, ==, b->light_state);
}

/* A decoded line framed again (CRC over the payload, "Line format")
 * decodes to itself. */
static void
check_status (const CryoIncuversStatus *status)
{
  g_autofree char *payload = join_fields (status);
  g_autofree char *line = NULL;
  g_autoptr(CryoIncuversStatus) again = NULL;
  g_autoptr(CryoIncuversStatus) copy = cryo_incuvers_status_copy (status);
  g_autoptr(GError) error = NULL;

  assert_same_status (copy, status);

  g_assert_cmpuint (strlen (payload), <=, CRYO_INCUVERS_MAX_STATUS_PAYLOAD);
  if (payload[0] == '\0')
    return;

  line = cryo_incuvers_frame_status (payload);
  again = cryo_incuvers_parse_status_line (line, strlen (line), &error);
  g_assert_no_error (error);
  assert_same_status (again, status);
}

static Run
decode (const guint8 *data,
        gsize         size,
        FeedMode      mode)
{
  g_autoptr(CryoIncuversDecoder) decoder = cryo_incuvers_decoder_new ();
  Run run = {
    g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_incuvers_status_free),
    g_array_new (FALSE, FALSE, sizeof (int)),
  };
  gsize offset = 0;
  guint piece = 0;

  while (offset < size)
    {
      gsize n = mode == FEED_WHOLE ? size : mode == FEED_BYTES ? 1 : 1 + (piece++ * 7) % 97;

      n = MIN (n, size - offset);
      cryo_incuvers_decoder_feed (decoder, data + offset, n);
      offset += n;

      for (;;)
        {
          CryoIncuversStatus *status = NULL;
          g_autoptr(GError) error = NULL;

          if (cryo_incuvers_decoder_next (decoder, &status, &error))
            {
              g_assert_no_error (error);
              g_assert_nonnull (status);
              g_ptr_array_add (run.statuses, status);
              continue;
            }
          g_assert_null (status);
          if (error == NULL)
            break;
          fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
          g_array_append_val (run.errors, error->code);
        }

      /* what is held waits for the rest of at most one line */
      g_assert_cmpuint (cryo_incuvers_decoder_get_buffered (decoder), <=,
                        4 + 2 + 8 + CRYO_INCUVERS_MAX_STATUS_PAYLOAD + 2);
    }

  return run;
}

static void
run_clear (Run *run)
{
  g_ptr_array_unref (run->statuses);
  g_array_unref (run->errors);
}

static void
assert_same_run (const Run *a,
                 const Run *b)
{
  g_assert_cmpuint (a->statuses->len, ==, b->statuses->len);
  g_assert_cmpuint (a->errors->len, ==, b->errors->len);
  for (guint i = 0; i < a->errors->len; i++)
    g_assert_cmpint (g_array_index (a->errors, int, i), ==, g_array_index (b->errors, int, i));
  for (guint i = 0; i < a->statuses->len; i++)
    assert_same_status (g_ptr_array_index (a->statuses, i), g_ptr_array_index (b->statuses, i));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Run whole, bytes, pieces;

  fuzz_make_warnings_fatal ();

  if (size > 16384)
    return 0;

  whole = decode (data, size, FEED_WHOLE);
  bytes = decode (data, size, FEED_BYTES);
  pieces = decode (data, size, FEED_PIECES);

  assert_same_run (&whole, &bytes);
  assert_same_run (&whole, &pieces);
  for (guint i = 0; i < whole.statuses->len; i++)
    check_status (g_ptr_array_index (whole.statuses, i));

  run_clear (&whole);
  run_clear (&bytes);
  run_clear (&pieces);
  return 0;
}
