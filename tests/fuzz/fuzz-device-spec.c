/* fuzz-device-spec.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `--device KIND:PORT[,key=value]…` parsing (cryo_device_config_parse())
 * on any text: it fails exactly when it sets an error, whose message is
 * UTF-8 for UTF-8 text, and every configuration it accepts keeps the
 * invariants and round trips of fuzz-device-config.c. The input is the
 * argument up to its first NUL, as a command line can hold no NUL.
 */

#include "config.h"

#include "fuzz-device-config.h"
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *spec = g_strndup ((const char *) data, size);
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_device_config_setup ();

  config = cryo_device_config_parse (spec, &error);
  if (config == NULL)
    {
      fuzz_device_config_assert_error (error, g_utf8_validate (spec, -1, NULL));
      return 0;
    }

  g_assert_no_error (error);
  fuzz_device_config_check (config);

  return 0;
}
