/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryomon"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cryo-application.h"
#include "cryo-demo.h"
#include "cryo-device-config.h"
#include "cryo-event-log.h"
#include "cryo-headless.h"
#include "cryo-status.h"

static CryoUnit
pressure_unit_from_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  /* Headless runs from a build tree or a script may have no schema installed. */
  if (source != NULL && (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    settings = g_settings_new (APP_ID);

  return cryo_settings_get_pressure_unit (settings);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_device_config_free);
  g_auto(GStrv) device_specs = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *action = NULL;
  gboolean demo = FALSE;
  gboolean headless = FALSE;
  double duration = 0;
  GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &device_specs,
      N_("An instrument to monitor: TYPE:PORT[,option=value]… (repeatable; see below)"),
      N_("SPEC") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("Use the built-in simulated instruments"), NULL },
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless,
      N_("Open no window: print one line per poll"), NULL },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration,
      N_("With --headless: stop after SECONDS"), N_("SECONDS") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      N_("With --headless: write every reading to FILE at the end"), N_("FILE") },
    { "action", 0, 0, G_OPTION_ARG_STRING, &action,
      N_("With --headless: run DEVICE:ACTION (pump-station:start, cpa:stop…) after the first complete poll"),
      N_("DEVICE:ACTION") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Monitor and control cryogenic and vacuum instruments."));
  g_option_context_set_description (context,
    _("Device types: pump-station (Agilent TPS-compact, serial), cpa (Cryomech CPA compressor,\n"
      "Modbus TCP as cpa:tcp:HOST[:PORT][,unit=N] or Modbus RTU as cpa:PATH[,baud=N][,parity=…][,unit=N]).\n"
      "Exit codes with --headless: 0 success, 1 device or I/O error, 2 usage error,\n"
      "3 action refused by an interlock."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_ignore_unknown_options (context, FALSE);
  /* GTK's own options would need a display before we know we want one. */
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (argc > 1)
    {
      g_printerr (_("Unexpected argument “%s”. Try --help.\n"), argv[1]);
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (!headless && (duration != 0 || csv_path != NULL || action != NULL))
    {
      g_printerr (_("--duration, --csv and --action need --headless\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (duration < 0)
    {
      g_printerr (_("--duration must not be negative\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  for (guint i = 0; device_specs != NULL && device_specs[i] != NULL; i++)
    {
      CryoDeviceConfig *config = cryo_device_config_parse (device_specs[i], &error);

      if (config == NULL)
        {
          g_printerr ("--device: %s\n", error->message);
          return CRYO_HEADLESS_EXIT_USAGE;
        }
      g_ptr_array_add (configs, config);
    }

  if (demo && configs->len > 0)
    {
      g_printerr (_("--demo and --device exclude each other\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (headless)
    {
      g_autoptr(CryoDemo) demo_devices = NULL;
      g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
      CryoHeadlessOptions options = { 0 };

      if (configs->len == 0 && !demo)
        {
          g_printerr (_("--headless needs --device or --demo\n"));
          return CRYO_HEADLESS_EXIT_USAGE;
        }

      if (demo)
        {
          demo_devices = cryo_demo_new (&error);
          if (demo_devices == NULL)
            {
              g_printerr (_("Could not start the simulated instruments: %s\n"), error->message);
              return CRYO_HEADLESS_EXIT_DEVICE;
            }
          for (guint i = 0; i < cryo_demo_get_devices (demo_devices)->len; i++)
            g_ptr_array_add (devices, g_object_ref (g_ptr_array_index (cryo_demo_get_devices (demo_devices), i)));
        }

      for (guint i = 0; i < configs->len; i++)
        {
          CryoDevice *device = cryo_device_config_create_device (g_ptr_array_index (configs, i), &error);

          if (device == NULL)
            {
              g_printerr ("%s\n", error->message);
              return CRYO_HEADLESS_EXIT_USAGE;
            }
          g_ptr_array_add (devices, device);
        }

      options.duration_s = duration;
      options.csv_path = csv_path;
      options.action = action;
      options.pressure_unit = pressure_unit_from_settings ();

      return cryo_headless_run (devices, &options);
    }

  {
    g_autoptr(CryoApplication) app = cryo_application_new (configs, demo);
    char *app_argv[] = { argv[0], NULL };

    return g_application_run (G_APPLICATION (app), 1, app_argv);
  }
}
