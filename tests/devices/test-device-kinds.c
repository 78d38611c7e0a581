/* test-device-kinds.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every registered instrument kind, through what works from its
 * descriptor alone: configuration text and keyfile round trips, action
 * parameters, names and ids, and the session's devices file.
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>

#include "cryo-archive.h"
#include "cryo-demo.h"
#include "cryo-device.h"
#include "cryo-kinds.h"
#include "cryo-session.h"

/* A configuration of @kind with every setting away from its default, so a
 * round trip that dropped one would show. */
static CryoDeviceConfig *
new_unusual_config (const CryoDeviceKind *kind,
                    gboolean              tcp)
{
  CryoDeviceConfig *config = cryo_device_config_new (kind, tcp ? "tcp:192.0.2.7:1502" : "/dev/ttyUSB3");

  g_assert_nonnull (config);
  config->name = g_strdup ("Lab 2, left: R&D <run 3>");
  config->id = g_strdup ("lab_2_left_3");
  config->poll_interval_ms = 1500;
  config->service_hours = 24735.5;
  if (!tcp)
    {
      config->serial.baud = 19200;
      config->serial.parity = CRYO_PARITY_EVEN;
      config->serial.stop_bits = 2;
    }

  for (guint i = 0; kind->options != NULL && kind->options[i].name != NULL; i++)
    {
      config->options[i] = kind->options[i].max;
      config->options_given |= 1u << i;
    }

  return config;
}

static void
test_round_trip (gconstpointer data)
{
  const CryoDeviceKind *kind = data;

  /* Every kind also over TCP: Modbus TCP, or a serial device server. */
  for (guint tcp = 0; tcp <= 1; tcp++)
    {
      g_autoptr(CryoDeviceConfig) config = new_unusual_config (kind, tcp);
      g_autoptr(CryoDeviceConfig) parsed = NULL;
      g_autoptr(CryoDeviceConfig) loaded = NULL;
      g_autoptr(GKeyFile) keyfile = g_key_file_new ();
      g_autoptr(GKeyFile) reread = g_key_file_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *spec = cryo_device_config_to_spec (config);
      g_autofree char *text = NULL;

      g_test_message ("%s", spec);
      g_assert_true (g_str_has_prefix (spec, kind->id));
      /* Line settings belong to a serial line, not to a TCP port. */
      g_assert_cmpint (strstr (spec, "baud=") == NULL, ==, tcp);

      parsed = cryo_device_config_parse (spec, &error);
      g_assert_no_error (error);
      g_assert_true (cryo_device_config_equal (config, parsed));

      cryo_device_config_to_keyfile (config, keyfile, config->name);
      text = g_key_file_to_data (keyfile, NULL, NULL);
      g_assert_true (g_key_file_load_from_data (reread, text, -1, G_KEY_FILE_NONE, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_key_file_has_key (reread, config->name, "baud", NULL), ==, !tcp);
      loaded = cryo_device_config_from_keyfile (reread, config->name, &error);
      g_assert_no_error (error);
      g_assert_true (cryo_device_config_equal (config, loaded));
      g_assert_cmpstr (loaded->id, ==, "lab_2_left_3");

      /* A change anywhere is seen. */
      loaded->service_hours = NAN;
      g_assert_false (cryo_device_config_equal (config, loaded));
      loaded->service_hours = config->service_hours;
      loaded->poll_interval_ms = 2500;
      g_assert_false (cryo_device_config_equal (config, loaded));
    }

  /* The defaults round-trip too, and say nothing they need not. */
  {
    g_autoptr(CryoDeviceConfig) config = cryo_device_config_new (kind, "/dev/ttyS0");
    g_autofree char *spec = cryo_device_config_to_spec (config);
    g_autoptr(CryoDeviceConfig) parsed = cryo_device_config_parse (spec, NULL);

    g_assert_nonnull (parsed);
    g_assert_true (cryo_device_config_equal (config, parsed));
    g_assert_null (strstr (spec, "poll="));
    g_assert_null (strstr (spec, "name="));
    g_assert_null (strstr (spec, "id="));
    g_assert_null (strstr (spec, "service-hours="));
    g_assert_true (isnan (parsed->service_hours));
  }

  /* An id is what cryo_device_make_id() could give: nothing that would
   * blur a channel id ("a.b.pressure") or a metrics label. */
  {
    static const char *bad[] = { "", "Pump", "pump.1", "pump-1", "p ump", "pümp" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *spec = g_strdup_printf ("%s:/dev/ttyS0,id=%s", kind->id, bad[i]);
        g_autoptr(GError) error = NULL;

        g_assert_null (cryo_device_config_parse (spec, &error));
        g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG);
      }
  }
}

static void
test_options (gconstpointer data)
{
  const CryoDeviceKind *kind = data;

  for (guint i = 0; kind->options != NULL && kind->options[i].name != NULL; i++)
    {
      const CryoKindOption *option = &kind->options[i];
      g_autofree char *good = g_strdup_printf ("%s:/dev/ttyS0,%s=%u", kind->id, option->name, option->max);
      g_autofree char *bad = g_strdup_printf ("%s:/dev/ttyS0,%s=%u", kind->id, option->name, option->max + 1);
      g_autoptr(CryoDeviceConfig) config = NULL;
      g_autoptr(CryoDeviceConfig) defaults = cryo_device_config_new (kind, "/dev/ttyS0");
      g_autoptr(GError) error = NULL;

      config = cryo_device_config_parse (good, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (cryo_device_config_get_option (config, option->name), ==, option->max);
      g_assert_cmpuint (cryo_device_config_get_option (defaults, option->name), ==, option->default_value);

      g_assert_null (cryo_device_config_parse (bad, &error));
      g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG);
      g_assert_nonnull (strstr (error->message, option->name));
    }

  /* Unknown options name the known ones. */
  {
    g_autofree char *spec = g_strdup_printf ("%s:/dev/ttyS0,colour=blue", kind->id);
    g_autoptr(GError) error = NULL;

    g_assert_null (cryo_device_config_parse (spec, &error));
    g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG);
    g_assert_nonnull (strstr (error->message, "colour"));
    g_assert_nonnull (strstr (error->message, "poll"));
  }

}

/* Every kind takes `tcp:HOST:PORT`: Modbus TCP, or a serial device server's
 * raw port (Moxa NPort, ser2net). Only a kind with a standard TCP port may
 * leave the port out; a device server has none. */
static void
test_tcp (gconstpointer data)
{
  const CryoDeviceKind *kind = data;
  g_autofree char *spec = g_strdup_printf ("%s:tcp:192.0.2.1:4001,baud=19200", kind->id);
  g_autofree char *no_port = g_strdup_printf ("%s:tcp:192.0.2.1", kind->id);
  g_autofree char *v6 = g_strdup_printf ("%s:tcp:[2001:db8::7]:4001", kind->id);
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(CryoDeviceConfig) parsed = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_spec = NULL;
  const char *description;

  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->host, ==, "192.0.2.1");
  g_assert_cmpuint (config->tcp_port, ==, 4001);
  g_assert_null (config->port);
  port_spec = cryo_device_config_dup_port_spec (config);
  g_assert_cmpstr (port_spec, ==, "tcp:192.0.2.1:4001");

  /* A device over TCP; nothing is connected until monitoring starts. */
  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  description = cryo_transport_get_description (cryo_link_get_transport (cryo_device_get_link (device)));
  g_test_message ("%s", description);
  g_assert_true (g_str_has_prefix (description, "tcp:192.0.2.1:4001"));
  /* The device server sets the line: no baud rate is claimed for it. */
  g_assert_null (strstr (description, "19200"));
  g_assert_finalize_object (g_steal_pointer (&device));

  parsed = cryo_device_config_parse (v6, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->host, ==, "2001:db8::7");
  g_clear_pointer (&parsed, cryo_device_config_free);

  parsed = cryo_device_config_parse (no_port, &error);
  if (kind->default_tcp_port != 0)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (parsed->tcp_port, ==, kind->default_tcp_port);
    }
  else
    {
      g_assert_null (parsed);
      g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "tcp:HOST:PORT"));
    }
}

/* Every action's table is usable: its parameters parse, their defaults are
 * in range, and a value out of range is refused naming the parameter, the
 * value and the range. */
static void
test_actions (gconstpointer data)
{
  const CryoDeviceKind *kind = data;

  g_assert_nonnull (kind->actions[0].name);

  for (guint a = 0; kind->actions[a].name != NULL; a++)
    {
      const CryoDeviceAction *action = &kind->actions[a];
      guint n = cryo_device_action_get_n_params (action);
      double values[CRYO_ACTION_MAX_PARAMS];
      g_autoptr(GError) error = NULL;
      const char *no_args[] = { NULL };
      const char *unknown[] = { "bogus=1", NULL };

      g_assert_nonnull (action->label);
      g_assert_true (cryo_device_kind_lookup_action (kind, action->name) == action);
      g_assert_true (cryo_device_action_parse_params (action, no_args, values, &error));
      g_assert_no_error (error);
      g_assert_true (cryo_device_action_check_params (action, values, &error));
      g_assert_no_error (error);

      g_assert_false (cryo_device_action_parse_params (action, unknown, values, &error));
      g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER);
      g_clear_error (&error);

      for (guint p = 0; p < n; p++)
        {
          const CryoActionParam *param = &action->params[p];
          g_autofree char *too_big = g_strdup_printf ("%s=%.17g", param->name, param->max + param->step);
          const char *args[] = { too_big, NULL };

          g_assert_cmpfloat (param->default_value, >=, param->min);
          g_assert_cmpfloat (param->default_value, <=, param->max);
          g_assert_true (cryo_device_action_parse_params (action, args, values, &error));
          g_assert_false (cryo_device_action_check_params (action, values, &error));
          g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
          g_assert_nonnull (strstr (error->message, param->name));
          g_clear_error (&error);

          /* A parameter with choices: its default is one, every one is in
           * range and passes, and a value between two is refused. */
          if (param->choices != NULL)
            {
              gboolean default_listed = FALSE;

              g_assert_nonnull (param->choices[0].label);
              g_assert_nonnull (param->choices[1].label);
              for (guint c = 0; param->choices[c].label != NULL; c++)
                {
                  g_assert_cmpfloat (param->choices[c].value, >=, param->min);
                  g_assert_cmpfloat (param->choices[c].value, <=, param->max);
                  default_listed |= param->choices[c].value == param->default_value;
                  values[p] = param->choices[c].value;
                  g_assert_true (cryo_device_action_check_params (action, values, &error));
                  g_assert_no_error (error);
                }
              g_assert_true (default_listed);

              values[p] = (param->choices[0].value + param->choices[1].value) / 2;
              g_assert_false (cryo_device_action_check_params (action, values, &error));
              g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
              g_assert_nonnull (strstr (error->message, "is not one of its choices"));
              g_clear_error (&error);
            }
        }
    }
}

/* Actions with parameters, on a table made for the test: every kind's own
 * may have none yet. */
static void
test_action_params (void)
{
  static const CryoDeviceAction ramp = {
    "ramp", "Ramp", TRUE, FALSE, "The gas temperature changes.",
    { { "rate", "Ramp rate", CRYO_UNIT_NONE, 0, 1, 360, 1, 120 },
      { "target", "Target", CRYO_UNIT_KELVIN, 1, 80, 400, 0.1, 300 },
      { NULL } }
  };
  double values[CRYO_ACTION_MAX_PARAMS];
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *ok[] = { "target=250.5", "rate=60", NULL };
  const char *twice[] = { "rate=60", "rate=61", NULL };
  const char *nan_value[] = { "rate=nan", NULL };
  const char *comma[] = { "target=250,5", NULL };
  const char *high[] = { "rate=900", NULL };

  g_assert_cmpuint (cryo_device_action_get_n_params (&ramp), ==, 2);

  g_assert_true (cryo_device_action_parse_params (&ramp, ok, values, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (values[0], ==, 60);
  g_assert_cmpfloat (values[1], ==, 250.5);
  g_assert_true (cryo_device_action_check_params (&ramp, values, &error));

  text = cryo_device_action_format_params (&ramp, values);
  g_assert_cmpstr (text, ==, "rate=60, target=250.5 K");

  g_assert_false (cryo_device_action_parse_params (&ramp, twice, values, &error));
  g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (cryo_device_action_parse_params (&ramp, nan_value, values, &error));
  g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (cryo_device_action_parse_params (&ramp, comma, values, &error));
  g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  g_assert_true (cryo_device_action_parse_params (&ramp, high, values, &error));
  g_assert_cmpfloat (values[1], ==, 300);   /* the default */
  g_assert_false (cryo_device_action_check_params (&ramp, values, &error));
  g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
  g_assert_cmpstr (error->message, ==, "Ramp rate (rate) 900 is out of range: 1 to 360");
  g_clear_error (&error);

  /* Named values: only those pass, and the refusal lists them. */
  {
    static const CryoParamChoice modes[] = { { -1, "Unchanged" }, { 0, "Off" }, { 2, "Maintain" }, { 0, NULL } };
    static const CryoDeviceAction set_mode = {
      "set-mode", "Set Mode", FALSE, FALSE, NULL,
      { { "co2", "CO₂ mode", CRYO_UNIT_NONE, 0, -1, 2, 1, -1, modes }, { NULL } }
    };
    const char *one[] = { "co2=1", NULL };

    g_assert_true (cryo_device_action_parse_params (&set_mode, one, values, &error));
    g_assert_false (cryo_device_action_check_params (&set_mode, values, &error));
    g_assert_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_OUT_OF_RANGE);
    g_assert_cmpstr (error->message, ==,
                     "CO₂ mode (co2) 1 is not one of its choices: -1 (Unchanged), 0 (Off), 2 (Maintain)");
    g_clear_error (&error);
    values[0] = 2;
    g_assert_true (cryo_device_action_check_params (&set_mode, values, &error));
    g_assert_no_error (error);
  }
}

static void
test_names (void)
{
  static const struct { const char *name; const char *id; } cases[] = {
    { "Pumping station", "pumping_station" },
    { "Pumping station 2", "pumping_station_2" },
    { "  R&D <run 3>  ", "r_d_run_3" },
    { "Kältefalle", "kaltefalle" },
    { "***", "device" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = cryo_device_make_id (cases[i].name);
      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cryomon-kinds-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Two stations of one kind get distinct names, ids and channel ids; saving,
 * renaming and removing one leaves the other's group, and every comment of
 * groups that did not change, in devices.conf. */
static void
test_session_file (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "devices.conf", NULL);
  g_autoptr(CryoSession) session = cryo_session_new (NULL);
  g_autoptr(CryoDeviceConfig) config = cryo_device_config_new (cryo_device_kind_lookup ("pump-station") ? cryo_device_kind_lookup ("pump-station") : NULL, "/dev/cryomon-test-a");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *file_text = g_strdup_printf ("# Instruments of lab 2\n"
                                                "[Cold trap]\n"
                                                "# keep this one: it is the spare\n"
                                                "type=%s\n"
                                                "port=/dev/cryomon-test-c\n",
                                                config->kind->id);
  CryoDevice *first, *second;
  CryoChannel *channel_a, *channel_b;

  g_assert_true (g_file_set_contents (path, file_text, -1, NULL));
  cryo_session_set_config_path (session, path);
  g_assert_true (cryo_session_load (session, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (cryo_session_get_demo (session));
  g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 1);

  first = cryo_session_add (session, config, TRUE, &error);
  g_assert_no_error (error);
  second = cryo_session_add (session, config, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpuint (g_list_model_get_n_items (cryo_session_get_devices (session)), ==, 3);

  g_assert_cmpstr (cryo_device_get_name (second), !=, cryo_device_get_name (first));
  g_assert_true (g_str_has_suffix (cryo_device_get_name (second), " 2"));
  g_assert_cmpstr (cryo_device_get_id (second), !=, cryo_device_get_id (first));

  channel_a = g_ptr_array_index (cryo_device_get_channels (first), 0);
  channel_b = g_ptr_array_index (cryo_device_get_channels (second), 0);
  g_assert_cmpstr (cryo_channel_get_id (channel_a), !=, cryo_channel_get_id (channel_b));
  g_assert_true (g_str_has_prefix (cryo_channel_get_id (channel_b), cryo_device_get_id (second)));
  g_assert_cmpstr (cryo_channel_get_device_name (channel_b), ==, cryo_device_get_name (second));
  {
    g_autofree char *a = cryo_channel_dup_device_csv_name (channel_a);
    g_autofree char *b = cryo_channel_dup_device_csv_name (channel_b);
    g_assert_cmpstr (a, !=, b);
  }

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "# keep this one: it is the spare"));
  g_assert_nonnull (strstr (contents, "# Instruments of lab 2"));
  g_assert_nonnull (strstr (contents, cryo_device_get_name (first)));
  g_assert_nonnull (strstr (contents, cryo_device_get_name (second)));
  g_clear_pointer (&contents, g_free);

  /* Rename the second in place: the device and its trends stay. */
  {
    g_autoptr(CryoDeviceConfig) renamed = cryo_device_config_copy (cryo_session_get_entry_config (session, 2));
    g_autoptr(CryoDevice) keep = g_object_ref (second);

    g_free (renamed->name);
    renamed->name = g_strdup ("Load lock");
    g_assert_true (cryo_session_replace (session, 2, renamed, &error));
    g_assert_no_error (error);
    g_assert_true (cryo_session_get_entry_device (session, 2) == keep);
    g_assert_cmpstr (cryo_device_get_name (keep), ==, "Load lock");
    g_assert_cmpstr (cryo_channel_get_device_name (channel_b), ==, "Load lock");
  }

  /* Remove the first: the others stay in the file. */
  g_assert_true (cryo_session_remove (session, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cryo_session_get_devices (session)), ==, 2);

  {
    g_autoptr(GPtrArray) configs = cryo_device_config_load_keyfile (path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (configs->len, ==, 2);
    g_assert_cmpstr (((CryoDeviceConfig *) g_ptr_array_index (configs, 0))->name, ==, "Cold trap");
    g_assert_cmpstr (((CryoDeviceConfig *) g_ptr_array_index (configs, 1))->name, ==, "Load lock");
  }
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "# keep this one: it is the spare"));

  /* Disabling keeps the entry, without a device. */
  {
    g_autoptr(CryoDeviceConfig) disabled = cryo_device_config_copy (cryo_session_get_entry_config (session, 0));

    disabled->disabled = TRUE;
    g_assert_true (cryo_session_replace (session, 0, disabled, &error));
    g_assert_no_error (error);
    g_assert_null (cryo_session_get_entry_device (session, 0));
    g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (cryo_session_get_devices (session)), ==, 1);
  }

  cryo_session_shutdown (session);
  remove_temp_dir (dir);
}

/* One group changes; every other byte of the file stays. */
static void
test_edit_keyfile_text (void)
{
  const CryoDeviceKind *kind = cryo_device_kind_lookup ("pump-station");
  g_autoptr(CryoDeviceConfig) config = cryo_device_config_new (kind, "/dev/ttyUSB9");
  g_autoptr(GError) error = NULL;
  const char *a_block =
    "# Station A, the one by the door\n"
    "[Station A]\n"
    "type=pump-station\n"
    "# RS-485 address set on the controller\n"
    "address=2\n"
    "port=/dev/ttyUSB0\n";
  const char *b_block =
    "# Station B\n"
    "[Station B]\n"
    "type=pump-station\n"
    "port=/dev/ttyUSB1\n";
  g_autofree char *text = g_strconcat ("# Lab 2 instruments\n\n", a_block, "\n", b_block, NULL);
  g_autofree char *removed = NULL;
  g_autofree char *renamed = NULL;
  g_autofree char *added = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *expected = NULL;
  g_autofree char *port = NULL;

  /* Removing A takes its comment with it and leaves B's and the file's. */
  removed = cryo_device_config_edit_keyfile_text (text, "Station A", NULL, NULL, &error);
  g_assert_no_error (error);
  expected = g_strconcat ("# Lab 2 instruments\n\n", b_block, NULL);
  g_assert_cmpstr (removed, ==, expected);
  g_clear_pointer (&expected, g_free);

  /* Renaming B keeps the comment above it and A byte for byte. */
  config->name = g_strdup ("Load lock");
  renamed = cryo_device_config_edit_keyfile_text (text, "Station B", "Load lock", config, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (renamed, "# Lab 2 instruments\n\n"));
  g_assert_nonnull (strstr (renamed, a_block));
  g_assert_nonnull (strstr (renamed, "# Station B\n[Load lock]\n"));
  g_assert_null (strstr (renamed, "[Station B]"));
  g_assert_true (g_key_file_load_from_data (keyfile, renamed, -1, G_KEY_FILE_NONE, &error));
  port = g_key_file_get_value (keyfile, "Load lock", "port", NULL);
  g_assert_cmpstr (port, ==, "/dev/ttyUSB9");

  /* Replacing A keeps B after it, a blank line between them. */
  g_clear_pointer (&renamed, g_free);
  renamed = cryo_device_config_edit_keyfile_text (text, "Station A", "Station A", config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (renamed, "# Station A, the one by the door\n[Station A]\n"));
  expected = g_strconcat ("\n\n", b_block, NULL);
  g_assert_true (g_str_has_suffix (renamed, expected));
  g_clear_pointer (&expected, g_free);

  /* Adding appends, leaving what was there as it was. */
  added = cryo_device_config_edit_keyfile_text (text, NULL, "Cold trap", config, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (added, text));
  g_assert_nonnull (strstr (added, "\n\n[Cold trap]\n"));

  /* From nothing, a file of one group. */
  g_clear_pointer (&added, g_free);
  added = cryo_device_config_edit_keyfile_text (NULL, NULL, "Cold trap", config, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (added, "[Cold trap]\n"));

  /* Comments that open the file are the file's, not its first group's. */
  g_clear_pointer (&removed, g_free);
  removed = cryo_device_config_edit_keyfile_text ("# Lab 3\n[Station A]\ntype=pump-station\nport=/dev/a\n\n"
                                                  "[Station B]\ntype=pump-station\nport=/dev/b\n",
                                                  "Station A", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (removed, ==, "# Lab 3\n[Station B]\ntype=pump-station\nport=/dev/b\n");

  /* What is not a keyfile is not edited. */
  g_assert_null (cryo_device_config_edit_keyfile_text ("[broken\n=x\n", "A", NULL, NULL, &error));
  g_assert_nonnull (error);
}

static CryoChannel *
first_channel (CryoSession *session,
               guint        position)
{
  CryoDevice *device = cryo_session_get_entry_device (session, position);

  g_assert_nonnull (device);
  return g_ptr_array_index (cryo_device_get_channels (device), 0);
}

/* A device keeps its id, and so its archived history, when it is renamed;
 * a file written before ids existed gets the ids the names gave, written
 * with the next change of a group; a new device never takes an id in use. */
static void
test_session_stable_id (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "devices.conf", NULL);
  g_autofree char *archive_path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(CryoSession) session = cryo_session_new (NULL);
  g_autoptr(CryoDeviceConfig) renamed = NULL;
  g_autoptr(CryoDeviceConfig) added = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *written_id = NULL;
  const char *file_text = "[Pumping station]\n"
                          "type=pump-station\n"
                          "port=/dev/cryomon-test-a\n"
                          "\n"
                          "# the spare\n"
                          "[Cold trap]\n"
                          "type=pump-station\n"
                          "port=/dev/cryomon-test-b\n";
  gint64 t = g_get_real_time () - 30 * G_USEC_PER_SEC;
  CryoDevice *device;
  CryoChannel *channel;
  CryoHistoryIter iter;
  CryoSample sample;
  guint n_found = 0;

  g_assert_true (g_file_set_contents (path, file_text, -1, NULL));
  cryo_session_set_config_path (session, path);
  g_assert_true (cryo_session_open_history (session, archive_path, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_session_load (session, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cryo_session_get_entry_config (session, 0)->id, ==, "pumping_station");
  g_assert_cmpstr (cryo_device_get_id (cryo_session_get_entry_device (session, 0)), ==,
                   "pumping_station");

  /* Samples reach the archive under the device's id. */
  device = cryo_session_get_entry_device (session, 0);
  channel = first_channel (session, 0);
  for (guint i = 0; i < 5; i++)
    cryo_device_push_sample (device, channel, t + i * G_USEC_PER_SEC, 1e-3 * (i + 1));
  g_assert_true (cryo_archive_flush (cryo_session_get_archive (session), &error));
  g_assert_no_error (error);

  /* Renamed, on new line settings even (a new device object): same id. */
  renamed = cryo_device_config_copy (cryo_session_get_entry_config (session, 0));
  g_free (renamed->name);
  renamed->name = g_strdup ("Roughing pump");
  renamed->serial.baud = 19200;
  g_clear_pointer (&renamed->id, g_free);
  g_assert_true (cryo_session_replace (session, 0, renamed, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_session_get_entry_device (session, 0) != device);
  g_assert_cmpstr (cryo_device_get_id (cryo_session_get_entry_device (session, 0)), ==,
                   "pumping_station");
  g_assert_cmpuint (cryo_history_get_n_samples (cryo_channel_get_history (first_channel (session, 0))),
                    >=, 5);

  /* A new device under the old name does not take the history. */
  added = cryo_device_config_new (cryo_device_kind_lookup ("pump-station"), "/dev/cryomon-test-c");
  added->name = g_strdup ("Pumping station");
  g_assert_nonnull (cryo_session_add (session, added, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cryo_session_get_entry_config (session, 2)->id, ==, "pumping_station_2");
  g_assert_cmpuint (cryo_history_get_n_samples (cryo_channel_get_history (first_channel (session, 2))),
                    ==, 0);

  /* The file: the renamed group and the new one say their ids; the group
   * that did not change is as it was. */
  g_assert_true (g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  written_id = g_key_file_get_string (keyfile, "Roughing pump", "id", NULL);
  g_assert_cmpstr (written_id, ==, "pumping_station");
  g_assert_false (g_key_file_has_key (keyfile, "Cold trap", "id", NULL));
  g_clear_pointer (&written_id, g_free);
  written_id = g_key_file_get_string (keyfile, "Pumping station", "id", NULL);
  g_assert_cmpstr (written_id, ==, "pumping_station_2");

  cryo_session_shutdown (session);
  g_clear_object (&session);

  /* After a restart the renamed device reads its history from the archive. */
  session = cryo_session_new (NULL);
  cryo_session_set_config_path (session, path);
  g_assert_true (cryo_session_open_history (session, archive_path, &error));
  g_assert_true (cryo_session_load (session, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cryo_device_get_name (cryo_session_get_entry_device (session, 0)), ==,
                   "Roughing pump");
  g_assert_cmpstr (cryo_device_get_id (cryo_session_get_entry_device (session, 1)), ==, "cold_trap");
  cryo_history_iter_init (&iter, cryo_channel_get_history (first_channel (session, 0)), t, t + 10 * G_USEC_PER_SEC);
  while (cryo_history_iter_next (&iter, &sample))
    if (!isnan (sample.value))
      g_assert_cmpfloat_with_epsilon (sample.value, 1e-3 * ++n_found, 1e-6);
  g_assert_cmpuint (n_found, ==, 5);

  cryo_session_shutdown (session);
  remove_temp_dir (dir);
}

/* A broken devices file is reported, not silently replaced. */
static void
test_session_broken_file (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "devices.conf", NULL);
  g_autoptr(CryoSession) session = cryo_session_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "[Broken]\ntype=no-such-kind\nport=/dev/x\n", -1, NULL));
  cryo_session_set_config_path (session, path);
  g_test_expect_message ("cryo-session", G_LOG_LEVEL_WARNING, "*no-such-kind*");
  g_assert_true (cryo_session_load (session, NULL, FALSE, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_true (cryo_session_get_demo (session));
  g_assert_nonnull (strstr (cryo_session_get_config_error (session), "no-such-kind"));

  cryo_session_shutdown (session);
  remove_temp_dir (dir);
}

static gboolean
is_online (CryoDevice *device)
{
  return cryo_device_get_state (device) == CRYO_DEVICE_STATE_ONLINE;
}

/* Every instrument's simulator starts from its registration, and a device
 * made from the `--device` text it gives reaches Online against it, with
 * a reading on every primary channel. */
static void
test_simulator (gconstpointer data)
{
  const CryoKindRegistration *registration = data;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GPtrArray *channels;

  g_assert_cmpstr (registration->simulator->id, ==, registration->device->id);

  server = registration->simulator->start_demo (&spec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server);
  g_test_message ("%s", spec);

  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  g_assert_true (config->kind == registration->device);

  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (device, registration->device->get_type ()));

  cryo_device_set_monitoring (device, TRUE);
  while (!is_online (device))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  channels = cryo_device_get_channels (device);
  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);

      if (cryo_device_get_channel_info (device, channel)->flags & CRYO_CHANNEL_FLAG_PRIMARY)
        g_assert_false (isnan (cryo_channel_get_reading (channel).value));
    }

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

/* The demo has one device of every registered kind. */
static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoDemo) demo = cryo_demo_new (&error);
  guint n;
  const CryoKindRegistration *registrations = cryo_kinds_get_all (&n);
  GPtrArray *devices;

  g_assert_no_error (error);
  devices = cryo_demo_get_devices (demo);
  g_assert_cmpuint (devices->len, ==, n);

  for (guint i = 0; i < n; i++)
    {
      gboolean found = FALSE;

      for (guint d = 0; d < devices->len && !found; d++)
        found = cryo_device_get_kind (g_ptr_array_index (devices, d)) == registrations[i].device;

      g_assert_true (found);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree const CryoDeviceKind **kinds = NULL;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  cryo_kinds_register_all ();
  kinds = cryo_device_kind_list (NULL);

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      g_autofree char *round_trip = g_strdup_printf ("/kinds/%s/round-trip", kinds[i]->id);
      g_autofree char *options = g_strdup_printf ("/kinds/%s/options", kinds[i]->id);
      g_autofree char *actions = g_strdup_printf ("/kinds/%s/actions", kinds[i]->id);
      g_autofree char *tcp = g_strdup_printf ("/kinds/%s/tcp", kinds[i]->id);

      g_test_add_data_func (round_trip, kinds[i], test_round_trip);
      g_test_add_data_func (options, kinds[i], test_options);
      g_test_add_data_func (tcp, kinds[i], test_tcp);
      g_test_add_data_func (actions, kinds[i], test_actions);
    }

  {
    guint n;
    const CryoKindRegistration *registrations = cryo_kinds_get_all (&n);

    for (guint i = 0; i < n; i++)
      {
        g_autofree char *path = g_strdup_printf ("/kinds/%s/simulator", registrations[i].device->id);

        g_test_add_data_func (path, &registrations[i], test_simulator);
      }
  }

  g_test_add_func ("/kinds/demo", test_demo);
  g_test_add_func ("/kinds/action-params", test_action_params);
  g_test_add_func ("/kinds/names", test_names);
  g_test_add_func ("/session/edit-keyfile-text", test_edit_keyfile_text);
  g_test_add_func ("/session/file", test_session_file);
  g_test_add_func ("/session/stable-id", test_session_stable_id);
  g_test_add_func ("/session/broken-file", test_session_broken_file);

  return g_test_run ();
}
