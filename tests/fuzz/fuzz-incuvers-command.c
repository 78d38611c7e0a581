/* fuzz-incuvers-command.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incubator's command lines (cryo-incuvers.h, incuvers-pilink.md
 * "Commands") from any bytes:
 * - the controller's acceptance rule (cryo_incuvers_parse_command_line(),
 *   which the simulator applies) either takes a line and gives its payload,
 *   or says why with a #CryoProtocolError;
 * - a payload it takes, framed again by the device's encoder, is the very
 *   same line, whenever the encoder takes the payload;
 * - settings read from an accepted payload and in range encode into lines
 *   the rule takes, each within the controller's limits, carrying the same
 *   pairs in order.
 */

#include "config.h"

#include <string.h>

#include "cryo-incuvers.h"

#include "fuzz-target.h"

static void
check_encoder (const char *payload)
{
  g_autoptr(GPtrArray) fields = cryo_incuvers_split_payload (payload, NULL);
  g_autoptr(GArray) settings = g_array_new (FALSE, TRUE, sizeof (CryoIncuversSetting));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (fields == NULL || fields->len == 0)
    return;

  for (guint i = 0; i < fields->len; i++)
    {
      const CryoIncuversField *field = g_ptr_array_index (fields, i);
      CryoIncuversSetting setting = { field->key, 0, NULL };
      gint64 value;

      if (cryo_incuvers_is_text_key (field->key))
        setting.text = field->value;
      else if (!g_ascii_string_to_signed (field->value, 10, G_MININT, G_MAXINT, &value, NULL))
        return;
      else
        setting.value = (int) value;

      if (!cryo_incuvers_check_setting (&setting, NULL))
        return;
      g_array_append_val (settings, setting);
      if (setting.text != NULL)
        g_string_append_printf (expected, "%s%s|%s", i > 0 ? "&" : "", setting.key, setting.text);
      else
        g_string_append_printf (expected, "%s%s|%d", i > 0 ? "&" : "", setting.key, setting.value);
    }

  lines = cryo_incuvers_encode_command ((CryoIncuversSetting *) settings->data, settings->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lines);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *again = cryo_incuvers_parse_command_line (line, strlen (line), &error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (again), <=, CRYO_INCUVERS_MAX_COMMAND_FRAMED);
      g_string_append_printf (joined, "%s%s", i > 0 ? "&" : "", again);
    }
  g_assert_cmpstr (joined->str, ==, expected->str);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *framed = NULL;
  gsize len = size;

  fuzz_make_warnings_fatal ();

  payload = cryo_incuvers_parse_command_line ((const char *) data, size, &error);
  if (payload == NULL)
    {
      fuzz_assert_error (error, CRYO_PROTOCOL_ERROR);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (payload), >, 0);
  g_assert_cmpuint (strlen (payload), <=, CRYO_INCUVERS_MAX_COMMAND_FRAMED);

  /* The payload may hold a nul byte the rule does not look at; the
   * encoder's own lines never do. */
  if (memchr (data, '\0', size) != NULL)
    return 0;

  framed = cryo_incuvers_frame_command (payload, NULL);
  if (framed != NULL)
    {
      if (len > 0 && data[len - 1] == '\n')
        len--;
      g_assert_cmpuint (strlen (framed), ==, len + 1);
      g_assert_true (memcmp (framed, data, len) == 0);
    }

  check_encoder (payload);
  return 0;
}
