/* fuzz-device-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What holds for every device configuration that `--device` or
 * `devices.conf` parsing accepts (cryo-device-config.h), shared by the two
 * fuzz targets of those parsers:
 * - it is one a device can be made from: a registered kind, a port or a
 *   host (not both), a name that is trimmed and not empty, options and line
 *   settings within their ranges;
 * - cryo_device_config_to_spec() parses back to an equal configuration and
 *   is then a fixed point;
 * - cryo_device_config_to_keyfile() writes a group that
 *   cryo_device_config_from_keyfile() reads back equal, named after the
 *   group, both into a new file and over an old group of that name (whose
 *   stale keys go and whose comment stays).
 */

#include "config.h"

#include <string.h>

#include "cryo-device.h"
#include "cryo-kinds.h"
#include "cryo-serial-transport.h"
#include "cryo-transport.h"

#include "fuzz-device-config.h"
#include "fuzz-target.h"

/* The group a configuration without a name is written under. */
#define UNNAMED_GROUP "Device"

/**
 * fuzz_device_config_setup:
 *
 * Registers the instrument kinds, as the programs do at start.
 */
void
fuzz_device_config_setup (void)
{
  fuzz_make_warnings_fatal ();
  cryo_kinds_register_all ();
}

/**
 * fuzz_device_config_assert_error:
 * @error: the error of a parse that failed
 * @input_is_utf8: whether the text parsed was UTF-8
 *
 * A rejected configuration says why, in a message that can be shown
 * wherever the input could be.
 */
void
fuzz_device_config_assert_error (const GError *error,
                                 gboolean      input_is_utf8)
{
  g_assert_nonnull (error);
  /* Line settings are checked by the transport, with its own domain. */
  g_assert_true (error->domain == CRYO_DEVICE_ERROR || error->domain == CRYO_TRANSPORT_ERROR);
  g_assert_cmpuint (strlen (error->message), >, 0);
  if (input_is_utf8)
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
check_fields (const CryoDeviceConfig *config)
{
  const CryoDeviceKind *kind = config->kind;
  guint n_options = 0;

  g_assert_nonnull (kind);
  g_assert_true (cryo_device_kind_lookup (kind->id) == kind);

  g_assert_true ((config->port == NULL) != (config->host == NULL));
  if (config->port != NULL)
    {
      g_assert_cmpuint (strlen (config->port), >, 0);
      g_assert_false (g_str_has_prefix (config->port, "tcp:"));
    }
  else
    {
      g_assert_cmpuint (strlen (config->host), >, 0);
      g_assert_cmpuint (config->tcp_port, >=, 1);
      g_assert_cmpuint (config->tcp_port, <=, 65535);
    }

  if (config->name != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (config->name));

      g_assert_cmpuint (strlen (config->name), >, 0);
      g_assert_true (g_utf8_validate (config->name, -1, NULL));
      g_assert_cmpstr (trimmed, ==, config->name);
    }

  /* An id is the prefix of channel ids: never a dot or a space in it. */
  if (config->id != NULL)
    {
      g_assert_cmpuint (strlen (config->id), >, 0);
      g_assert_cmpuint (strlen (config->id), <=, 64);
      for (const char *p = config->id; *p != '\0'; p++)
        g_assert_true (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_');
    }

  while (kind->options != NULL && kind->options[n_options].name != NULL)
    n_options++;
  g_assert_cmpuint (config->options_given >> n_options, ==, 0);
  for (guint i = 0; i < n_options; i++)
    {
      if (config->options_given & (1u << i))
        {
          g_assert_cmpuint (config->options[i], >=, kind->options[i].min);
          g_assert_cmpuint (config->options[i], <=, kind->options[i].max);
        }
    }

  g_assert_true (config->poll_interval_ms == 0 ||
                 (config->poll_interval_ms >= 100 && config->poll_interval_ms <= 3600000));
  g_assert_true (cryo_serial_config_validate (&config->serial, NULL));
}

static void
check_spec_round_trip (const CryoDeviceConfig *config)
{
  g_autofree char *spec = cryo_device_config_to_spec (config);
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoDeviceConfig) parsed = cryo_device_config_parse (spec, &error);
  g_autofree char *spec_again = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  g_assert_true (cryo_device_config_equal (parsed, config));

  spec_again = cryo_device_config_to_spec (parsed);
  g_assert_cmpstr (spec_again, ==, spec);
}

static void
assert_reads_back (GKeyFile               *keyfile,
                   const char             *group,
                   const CryoDeviceConfig *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoDeviceConfig) read = cryo_device_config_from_keyfile (keyfile, group, &error);

  g_assert_no_error (error);
  g_assert_nonnull (read);
  g_assert_true (cryo_device_config_equal (read, expected));
}

static void
check_keyfile_round_trip (const CryoDeviceConfig *config)
{
  const char *group = config->name != NULL ? config->name : UNNAMED_GROUP;
  g_autoptr(CryoDeviceConfig) expected = cryo_device_config_copy (config);
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GKeyFile) loaded = g_key_file_new ();
  g_autoptr(GKeyFile) old = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *comment_after = NULL;
  gsize length;

  /* The group is the name. */
  g_free (expected->name);
  expected->name = g_strdup (group);

  /* Through a file's text, as the session saves and loads it. */
  cryo_device_config_to_keyfile (config, keyfile, group);
  text = g_key_file_to_data (keyfile, &length, NULL);
  g_key_file_load_from_data (loaded, text, length, G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);
  assert_reads_back (loaded, group, expected);

  /* Over an older version of the group. */
  g_key_file_set_string (old, group, "stale", "1");
  g_key_file_set_comment (old, group, NULL, " kept", NULL);
  comment = g_key_file_get_comment (old, group, NULL, NULL);
  cryo_device_config_to_keyfile (config, old, group);
  assert_reads_back (old, group, expected);
  comment_after = g_key_file_get_comment (old, group, NULL, NULL);
  g_assert_cmpstr (comment_after, ==, comment);
}

/**
 * fuzz_device_config_check:
 * @config: a configuration a parser accepted
 *
 * Asserts the invariants and round trips above.
 */
void
fuzz_device_config_check (const CryoDeviceConfig *config)
{
  g_autoptr(CryoDeviceConfig) copy = cryo_device_config_copy (config);

  check_fields (config);
  g_assert_true (cryo_device_config_equal (copy, config));
  check_spec_round_trip (config);

  /* Keyfiles hold UTF-8 only; a port given in another encoding on the
   * command line arrives converted to UTF-8 by GOption. */
  if ((config->port == NULL || g_utf8_validate (config->port, -1, NULL)) &&
      (config->host == NULL || g_utf8_validate (config->host, -1, NULL)))
    check_keyfile_round_trip (config);
}
