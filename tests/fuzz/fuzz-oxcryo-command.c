/* fuzz-oxcryo-command.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cryostream command packets as the controller (the simulator) reads them
 * with cryo_oxcryo_command_parse() (cryo-oxcryo.h), over any bytes:
 * - it never consumes more than it was given: a packet's size for PACKET,
 *   one byte for ERROR, nothing for NEED_MORE, so a caller always moves on;
 * - an error is set exactly when it returns ERROR;
 * - a packet is one of the spec's commands, and the encoder the device
 *   sends it with gives the same bytes whenever its parameters are in
 *   range (else it refuses them as out of range); parsed alone again, those
 *   bytes give the same command.
 */

#include "config.h"

#include <string.h>

#include "cryo-oxcryo.h"

#include "fuzz-target.h"

static gboolean
command_equal (const CryoOxcryoCommand *a,
               const CryoOxcryoCommand *b)
{
  return a->id == b->id && a->rate == b->rate && a->target == b->target &&
         a->minutes == b->minutes && a->flag == b->flag && !a->has_rate == !b->has_rate;
}

/* The device's encoder for @command, or %NULL with @error when it refuses
 * the parameters; sets @has_encoder to %FALSE for a form no encoder makes. */
static GBytes *
encode (const CryoOxcryoCommand  *command,
        gboolean                 *has_encoder,
        GError                  **error)
{
  *has_encoder = TRUE;

  switch (command->id)
    {
    case CRYO_OXCRYO_COMMAND_RESTART: return cryo_oxcryo_encode_restart ();
    case CRYO_OXCRYO_COMMAND_HOLD:    return cryo_oxcryo_encode_hold ();
    case CRYO_OXCRYO_COMMAND_PURGE:   return cryo_oxcryo_encode_purge ();
    case CRYO_OXCRYO_COMMAND_PAUSE:   return cryo_oxcryo_encode_pause ();
    case CRYO_OXCRYO_COMMAND_RESUME:  return cryo_oxcryo_encode_resume ();
    case CRYO_OXCRYO_COMMAND_STOP:    return cryo_oxcryo_encode_stop ();
    case CRYO_OXCRYO_COMMAND_RAMP:
      return cryo_oxcryo_encode_ramp (command->rate, command->target,
                                      CRYO_OXCRYO_MAX_TARGET_PLUS_CK, error);
    case CRYO_OXCRYO_COMMAND_PLAT:
      return cryo_oxcryo_encode_plat (command->minutes, error);
    case CRYO_OXCRYO_COMMAND_COOL:
      return cryo_oxcryo_encode_cool (command->target, CRYO_OXCRYO_MAX_TARGET_PLUS_CK, error);
    case CRYO_OXCRYO_COMMAND_END:
      if (command->has_rate)
        return cryo_oxcryo_encode_end (command->rate, error);
      break;
    case CRYO_OXCRYO_COMMAND_TURBO:
      if (command->flag <= 1)
        return cryo_oxcryo_encode_turbo (command->flag);
      break;
    case CRYO_OXCRYO_COMMAND_SET_FORMAT:
      if (command->flag <= 1)
        return cryo_oxcryo_encode_set_format (command->flag);
      break;
    default:
      g_assert_not_reached ();
    }

  *has_encoder = FALSE;
  return NULL;
}

static gboolean
in_range (guint value,
          guint min,
          guint max)
{
  return value >= min && value <= max;
}

/* Whether the encoder must take @command's parameters (in the widest
 * target range, a Plus model's). */
static gboolean
parameters_in_range (const CryoOxcryoCommand *command)
{
  switch (command->id)
    {
    case CRYO_OXCRYO_COMMAND_RAMP:
      return in_range (command->rate, CRYO_OXCRYO_MIN_RATE, CRYO_OXCRYO_MAX_RATE) &&
             in_range (command->target, CRYO_OXCRYO_MIN_TARGET_CK, CRYO_OXCRYO_MAX_TARGET_PLUS_CK);
    case CRYO_OXCRYO_COMMAND_PLAT:
      return in_range (command->minutes, CRYO_OXCRYO_MIN_PLAT_MIN, CRYO_OXCRYO_MAX_PLAT_MIN);
    case CRYO_OXCRYO_COMMAND_COOL:
      return in_range (command->target, CRYO_OXCRYO_MIN_TARGET_CK, CRYO_OXCRYO_MAX_TARGET_PLUS_CK);
    case CRYO_OXCRYO_COMMAND_END:
      return in_range (command->rate, CRYO_OXCRYO_MIN_RATE, CRYO_OXCRYO_MAX_RATE);
    default:
      return TRUE;
    }
}

static void
check_packet (const CryoOxcryoCommand *command,
              const guint8            *packet,
              gsize                    len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) encoded = NULL;
  CryoOxcryoCommand again;
  gboolean has_encoder;
  gsize consumed;

  g_assert_cmpuint (len, >=, 2);
  g_assert_cmpuint (len, <=, CRYO_OXCRYO_MAX_COMMAND);
  g_assert_cmpuint (packet[0], ==, len);
  g_assert_cmpuint (command->id, ==, packet[1]);

  encoded = encode (command, &has_encoder, &error);
  if (encoded != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (parameters_in_range (command));
      g_assert_cmpmem (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded), packet, len);
    }
  else if (has_encoder)
    {
      fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
      g_assert_cmpint (error->code, ==, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE);
      g_assert_false (parameters_in_range (command));
    }

  g_assert_cmpint (cryo_oxcryo_command_parse (packet, len, &again, &consumed, NULL), ==,
                   CRYO_OXCRYO_DECODE_PACKET);
  g_assert_cmpuint (consumed, ==, len);
  g_assert_true (command_equal (&again, command));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gsize offset = 0;

  fuzz_make_warnings_fatal ();

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      CryoOxcryoCommand command, untouched;
      CryoOxcryoDecodeResult result;
      gsize left = size - offset;
      gsize consumed = G_MAXSIZE;

      memset (&command, 0xA5, sizeof command);
      memcpy (&untouched, &command, sizeof command);

      result = cryo_oxcryo_command_parse (left > 0 ? data + offset : NULL, left,
                                          &command, &consumed, &error);

      switch (result)
        {
        case CRYO_OXCRYO_DECODE_NEED_MORE:
          g_assert_no_error (error);
          g_assert_cmpuint (consumed, ==, 0);
          g_assert_cmpmem (&command, sizeof command, &untouched, sizeof untouched);
          return 0;

        case CRYO_OXCRYO_DECODE_ERROR:
          fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
          g_assert_cmpint (error->code, ==, CRYO_PROTOCOL_ERROR_MALFORMED);
          g_assert_cmpuint (consumed, ==, 1);
          g_assert_cmpmem (&command, sizeof command, &untouched, sizeof untouched);
          break;

        case CRYO_OXCRYO_DECODE_PACKET:
          g_assert_no_error (error);
          g_assert_cmpuint (consumed, <=, left);
          check_packet (&command, data + offset, consumed);
          break;

        default:
          g_assert_not_reached ();
        }

      g_assert_cmpuint (consumed, <=, left);
      offset += consumed;
    }
}
