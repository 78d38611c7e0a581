/* fuzz-devices-conf.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `devices.conf` reading (cryo_device_config_from_keyfile()) on any file
 * text that GKeyFile loads, as cryo_device_config_load_keyfile() and the
 * session read it: for every group, the read fails exactly when it sets an
 * error, and every configuration it accepts keeps the invariants and round
 * trips of fuzz-device-config.c. Names come from group names, so they are
 * checked as much as ports and options.
 */

#include "config.h"

#include <string.h>

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

  return 0;
}
