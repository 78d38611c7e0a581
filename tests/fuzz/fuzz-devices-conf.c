/* fuzz-devices-conf.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `devices.conf` reading (cryo_device_config_from_keyfile()) on any file
 * text that GKeyFile loads, as cryo_device_config_load_keyfile() and the
 * session read it: for every group, the read fails exactly when it sets an
 * error, and every configuration it accepts keeps the invariants and round
 * trips of fuzz-device-config.c. Names come from group names, so they are
 * checked as much as ports and options; ids from the `id` key. Then every change the session can
 * write through cryo_device_config_edit_keyfile_text() (a device rewritten,
 * renamed, removed, added) must leave a file that loads, holds the change,
 * and keeps every other group's keys and values.
 */

#include "config.h"

#include <string.h>

#include "cryo-kinds.h"

#include "fuzz-device-config.h"
#include "fuzz-target.h"

/* GLib 2.74 sets a GError over another, and warns, when a value holds an
 * invalid escape and ends in a lone backslash ("a=\\/\\"); newer GLib
 * clears the first error. That file is GLib's to reject, not ours. */
static gboolean
has_value_glib_warns_about (GKeyFile  *keyfile,
                            GStrv      groups)
{
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[i], NULL, NULL);

      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree char *value = g_key_file_get_value (keyfile, groups[i], keys[k], NULL);
          gsize len = value != NULL ? strlen (value) : 0;
          gsize backslashes = 0;

          while (backslashes < len && value[len - 1 - backslashes] == '\\')
            backslashes++;
          if (backslashes % 2 == 1)
            return TRUE;
        }
    }

  return FALSE;
}

static GKeyFile *
load_text (const char *text)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_data (keyfile, text, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&keyfile);
}

/* Group @group has the same keys and values in @a and @b. */
static void
assert_same_group (GKeyFile   *a,
                   GKeyFile   *b,
                   const char *group)
{
  g_auto(GStrv) keys = g_key_file_get_keys (a, group, NULL, NULL);
  g_auto(GStrv) keys_b = g_key_file_get_keys (b, group, NULL, NULL);

  g_assert_nonnull (keys_b);
  g_assert_cmpuint (g_strv_length (keys), ==, g_strv_length (keys_b));
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_value (a, group, keys[i], NULL);
      g_autofree char *value_b = g_key_file_get_value (b, group, keys[i], NULL);

      g_assert_cmpstr (value, ==, value_b);
    }
}

/* cryo_device_config_edit_keyfile_text(), as the session saves a change:
 * @old_group gone (unless it is @new_group), @new_group reading back as
 * @config, and every other group as it was. */
static void
check_edit (const char             *text,
            GKeyFile               *before,
            const char             *old_group,
            const char             *new_group,
            const CryoDeviceConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(GKeyFile) after = NULL;
  g_auto(GStrv) groups = g_key_file_get_groups (before, NULL);

  edited = cryo_device_config_edit_keyfile_text (text, old_group, new_group, config, &error);

  /* GKeyFile accepts an "Encoding" key other than UTF-8 in any group but the
   * first: removing the first group can leave a file it refuses. The edit
   * says so and nothing is written; the session never gets there, since
   * "Encoding" is no device option and such a file does not load. */
  if (g_error_matches (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_UNKNOWN_ENCODING))
    {
      g_assert_null (edited);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (edited);
  after = load_text (edited);

  if (old_group != NULL && g_strcmp0 (old_group, new_group) != 0)
    g_assert_false (g_key_file_has_group (after, old_group));

  if (new_group != NULL)
    {
      g_autoptr(CryoDeviceConfig) expected = cryo_device_config_copy (config);
      g_autoptr(CryoDeviceConfig) read = NULL;

      g_free (expected->name);
      expected->name = g_strstrip (g_strdup (new_group));
      read = cryo_device_config_from_keyfile (after, new_group, &error);
      g_assert_no_error (error);
      g_assert_true (cryo_device_config_equal (read, expected));
    }

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_strcmp0 (groups[i], old_group) != 0 && g_strcmp0 (groups[i], new_group) != 0)
        assert_same_group (before, after, groups[i]);
    }
}

/* Every change the Devices dialog can make to the file: each device
 * rewritten in place, renamed, removed, and a device added. */
static void
check_edits (const uint8_t *data,
             size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GKeyFile) before = g_key_file_new ();
  g_autoptr(CryoDeviceConfig) added = NULL;
  g_auto(GStrv) groups = NULL;
  const CryoKindRegistration *kinds;
  guint n_kinds;

  /* A keyfile is UTF-8; GKeyFile skips stray continuation bytes after a
   * group's "]", which a line editor need not copy. A file that ends in a
   * CR without a newline: the editor ends the line, and GKeyFile then reads
   * the CR as part of a CRLF. */
  if (!g_utf8_validate (text, -1, NULL) || g_str_has_suffix (text, "\r") ||
      !g_key_file_load_from_data (before, text, -1, G_KEY_FILE_NONE, NULL))
    return;
  groups = g_key_file_get_groups (before, NULL);
  if (has_value_glib_warns_about (before, groups))
    return;

  kinds = cryo_kinds_get_all (&n_kinds);
  added = cryo_device_config_new (kinds[0].device, "/dev/ttyS9");
  if (!g_key_file_has_group (before, "Added"))
    check_edit (text, before, NULL, "Added", added);

  for (guint i = 0; groups[i] != NULL && i < 4; i++)
    {
      g_autoptr(CryoDeviceConfig) config = NULL;

      check_edit (text, before, groups[i], NULL, NULL);

      config = cryo_device_config_from_keyfile (before, groups[i], NULL);
      if (config == NULL)
        continue;

      check_edit (text, before, groups[i], groups[i], config);
      if (!g_key_file_has_group (before, "Renamed"))
        check_edit (text, before, groups[i], "Renamed", config);

      /* A group written before ids existed gets one with its next change,
       * and a renamed group keeps it. */
      if (config->id == NULL)
        {
          config->id = g_strdup ("assigned_1");
          check_edit (text, before, groups[i], groups[i], config);
          if (!g_key_file_has_group (before, "Renamed"))
            check_edit (text, before, groups[i], "Renamed", config);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  gboolean is_utf8 = g_utf8_validate ((const char *) data, size, NULL);

  fuzz_device_config_setup ();

  if (!g_key_file_load_from_data (keyfile, (const char *) data, size,
                                  G_KEY_FILE_KEEP_COMMENTS, NULL))
    return 0;

  groups = g_key_file_get_groups (keyfile, NULL);
  if (has_value_glib_warns_about (keyfile, groups))
    return 0;

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CryoDeviceConfig) config = NULL;

      config = cryo_device_config_from_keyfile (keyfile, groups[i], &error);

      if (config == NULL)
        {
          fuzz_device_config_assert_error (error, is_utf8);
          continue;
        }

      g_assert_no_error (error);
      fuzz_device_config_check (config);
    }

  check_edits (data, size);

  return 0;
}
