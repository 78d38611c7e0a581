/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryomon"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>

#include "cryo-application.h"
#include "cryo-archive-export.h"
#include "cryo-device-config.h"
#include "cryo-display-units.h"
#include "cryo-headless.h"
#include "cryo-kinds.h"
#include "cryo-metrics-server.h"
#include "cryo-session.h"

/* The --help text after the options: one line per instrument kind, from
 * its descriptor, then the exit codes. */
static char *
dup_description (void)
{
  g_autofree const CryoDeviceKind **kinds = cryo_device_kind_list (NULL);
  GString *text = g_string_new (_("Device types (SPEC is TYPE:PORT[,option=value]…; every type also takes\n"
                                   "name=, poll=SECONDS, baud=, parity=none|even|odd, databits=, stopbits=):\n"));

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      g_autofree char *usage = cryo_device_kind_dup_usage (kinds[i]);

      g_string_append_printf (text, "  %s\n", usage);
    }

  g_string_append (text, _("--action takes DEVICE:ACTION[,PARAM=VALUE]…, DEVICE a device name or type.\n"
                           "Exit codes with --headless: 0 done (and confirmed where the instrument confirms\n"
                           "by status), 1 device or I/O error or the action never ran, 2 usage error,\n"
                           "3 refused (range check, interlock, the instrument's own refusal), 4 sent but\n"
                           "not confirmed, or outcome unknown."));

  return g_string_free (text, FALSE);
}

/* Headless runs say on stderr when the archive stops working. */
static void
on_history_error_cb (CryoSession *session)
{
  const char *message = cryo_session_get_history_error (session);

  if (message != NULL)
    g_printerr ("%s\n", message);
}

/* --from, --to: ISO 8601, local time unless an offset is given. */
static gboolean
parse_iso_time (const char *option,
                const char *text,
                gint64     *time_us)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) time = text ? g_date_time_new_from_iso8601 (text, local) : NULL;

  if (time == NULL)
    {
      g_printerr (_("%s needs a date and time such as 2026-11-22T14:00:00 or "
                    "2026-11-22T14:00:00+01:00, not “%s”\n"), option, text ? text : "");
      return FALSE;
    }

  *time_us = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

static int
run_export (const char         *history_path,
            const char         *export_path,
            const char         *from_text,
            const char         *to_text,
            const char * const *device_names)
{
  g_autoptr(GSettings) settings = cryo_settings_new_if_installed ();
  g_autofree char *default_path = NULL;
  g_autoptr(GError) error = NULL;
  gint64 from_us, to_us;

  if (from_text == NULL || to_text == NULL)
    {
      g_printerr (_("--export needs --from and --to\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }
  if (!parse_iso_time ("--from", from_text, &from_us) || !parse_iso_time ("--to", to_text, &to_us))
    return CRYO_HEADLESS_EXIT_USAGE;
  if (to_us < from_us)
    {
      g_printerr (_("--to is before --from\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (history_path == NULL)
    history_path = default_path = cryo_archive_get_default_path ();

  if (!cryo_archive_export_csv (history_path, export_path, from_us, to_us, device_names,
                                settings, &error))
    {
      g_printerr ("%s\n", error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ? CRYO_HEADLESS_EXIT_USAGE
                                                                       : CRYO_HEADLESS_EXIT_DEVICE;
    }

  return CRYO_HEADLESS_EXIT_OK;
}

/* --duration: finite seconds greater than 0, with the locale's decimal
 * mark or '.' as GOption reads numbers; "nan" would run forever, "inf"
 * never end either. */
static gboolean
parse_duration (const char *text,
                double     *seconds)
{
  char *end = NULL;
  double value = g_strtod (text, &end);

  if (end == text || *end != '\0' || !isfinite (value) || value <= 0)
    return FALSE;

  *seconds = value;
  return TRUE;
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
  g_autofree char *description = NULL;
  g_autofree char *duration_text = NULL;
  g_autofree char *metrics_listen = NULL;
  g_autofree char *history_path = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_auto(GStrv) device_names = NULL;
  gboolean no_history = FALSE;
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
    { "duration", 0, 0, G_OPTION_ARG_STRING, &duration_text,
      N_("With --headless: stop after SECONDS"), N_("SECONDS") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      N_("With --headless: write every reading to FILE as it arrives"), N_("FILE") },
    { "action", 0, 0, G_OPTION_ARG_STRING, &action,
      N_("With --headless: run DEVICE:ACTION[,PARAM=VALUE]… after the device's first complete poll"),
      N_("DEVICE:ACTION") },
    { "metrics-listen", 0, 0, G_OPTION_ARG_STRING, &metrics_listen,
      N_("Serve read-only metrics for Prometheus at http://ADDRESS:PORT/metrics (overrides the preference)"),
      N_("ADDRESS:PORT") },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &history_path,
      N_("Keep the history in FILE instead of the user's history archive"), N_("FILE") },
    { "no-history", 0, 0, G_OPTION_ARG_NONE, &no_history,
      N_("Keep the history in memory only"), NULL },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_path,
      N_("Write the archived history of --from … --to to FILE as CSV, and open no window"),
      N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("With --export: the first time, ISO 8601 (local time unless an offset is given)"),
      N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("With --export: the last time, ISO 8601"), N_("TIME") },
    { "device-name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &device_names,
      N_("With --export: only this device (repeatable; default all)"), N_("NAME") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* build-aux/run.sh points CRYOMON_LOCALEDIR at the build tree's
   * catalogues, so an uninstalled Cryomon speaks the user's language. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CRYOMON_LOCALEDIR") != NULL ? g_getenv ("CRYOMON_LOCALEDIR")
                                                                          : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  cryo_kinds_register_all ();
  description = dup_description ();

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Monitor and control cryogenic and vacuum instruments."));
  g_option_context_set_description (context, description);
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

  if (!headless && (duration_text != NULL || csv_path != NULL || action != NULL))
    {
      g_printerr (_("--duration, --csv and --action need --headless\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (history_path != NULL && no_history)
    {
      g_printerr (_("--history and --no-history exclude each other\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (export_path == NULL && (from_text != NULL || to_text != NULL || device_names != NULL))
    {
      g_printerr (_("--from, --to and --device-name need --export\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (export_path != NULL)
    {
      if (headless || demo || device_specs != NULL || no_history)
        {
          g_printerr (_("--export reads the history archive: it excludes --headless, --demo, "
                        "--device and --no-history\n"));
          return CRYO_HEADLESS_EXIT_USAGE;
        }
      return run_export (history_path, export_path, from_text, to_text,
                         (const char * const *) device_names);
    }

  if (duration_text != NULL && !parse_duration (duration_text, &duration))
    {
      g_printerr (_("--duration needs a number of seconds greater than 0, not “%s”\n"),
                  duration_text);
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  if (metrics_listen != NULL)
    {
      g_autoptr(GSocketAddress) address = NULL;

      if (!cryo_metrics_parse_listen (metrics_listen, &address, &error))
        {
          g_printerr ("--metrics-listen: %s\n", error->message);
          return CRYO_HEADLESS_EXIT_USAGE;
        }
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
      g_autoptr(GSettings) settings = cryo_settings_new_if_installed ();
      g_autoptr(CryoSession) session = cryo_session_new (settings);
      g_autoptr(CryoMetricsServer) metrics = NULL;
      CryoHeadlessOptions options = { 0 };
      const char *config_path = cryo_session_get_config_path (session);
      gboolean from_file = configs->len == 0 && !demo;
      int status;

      /* The devices the window would show: those of devices.conf. */
      if (from_file)
        {
          g_autofree char *display = g_filename_display_name (config_path);

          if (!g_file_test (config_path, G_FILE_TEST_EXISTS))
            {
              g_printerr (_("--headless needs --device, --demo or a devices file (%s)\n"), display);
              return CRYO_HEADLESS_EXIT_USAGE;
            }
          g_printerr (_("Using the devices in %s\n"), display);
        }

      /* Without its archive a run still monitors, and says why. */
      g_signal_connect (session, "notify::history-error", G_CALLBACK (on_history_error_cb), NULL);
      if (!no_history)
        cryo_session_open_history (session, history_path, NULL);

      if (!cryo_session_load (session, configs, demo, &error))
        {
          g_printerr (_("Could not start the simulated instruments: %s\n"), error->message);
          return CRYO_HEADLESS_EXIT_DEVICE;
        }

      if (cryo_session_get_config_error (session) != NULL)
        {
          g_printerr ("%s\n", cryo_session_get_config_error (session));
          return CRYO_HEADLESS_EXIT_USAGE;
        }

      /* The window falls back on the simulators; a script must not. */
      if (from_file && (cryo_session_get_demo (session) ||
                        g_list_model_get_n_items (cryo_session_get_devices (session)) == 0))
        {
          g_autofree char *display = g_filename_display_name (config_path);

          g_printerr (_("%s lists no enabled device\n"), display);
          return CRYO_HEADLESS_EXIT_USAGE;
        }

      /* The command line's address, or the preference's. */
      metrics = cryo_metrics_server_new (cryo_session_get_devices (session),
                                         metrics_listen == NULL ? settings : NULL);
      if (metrics_listen != NULL)
        cryo_metrics_server_listen (metrics, metrics_listen, NULL);
      if (cryo_metrics_server_get_error (metrics) != NULL)
        {
          g_printerr ("%s\n", cryo_metrics_server_get_error (metrics));
          g_clear_object (&metrics);
          cryo_session_shutdown (session);
          return CRYO_HEADLESS_EXIT_DEVICE;
        }
      if (cryo_metrics_server_get_uri (metrics) != NULL)
        g_printerr (_("Serving metrics at %s\n"), cryo_metrics_server_get_uri (metrics));

      options.duration_s = duration;
      options.csv_path = csv_path;
      options.action = action;
      options.settings = settings;

      status = cryo_headless_run (cryo_session_get_devices (session), &options);

      /* The devices are stopped: no scrape after this, then the session
       * (and what it writes) is torn down. */
      g_clear_object (&metrics);
      cryo_session_shutdown (session);

      return status;
    }

  {
    g_autoptr(CryoApplication) app = cryo_application_new (configs, demo, metrics_listen);
    char *app_argv[] = { argv[0], NULL };

    cryo_application_set_history (app, history_path, !no_history);

    /* One window per user: a second start presents the first one, which
     * alone writes the history archive. */
    g_application_set_flags (G_APPLICATION (app), G_APPLICATION_DEFAULT_FLAGS);
    if (g_application_register (G_APPLICATION (app), NULL, NULL) &&
        g_application_get_is_remote (G_APPLICATION (app)))
      {
        g_printerr (_("Cryomon is already running: its window was brought to the front. "
                      "This start's options are not used.\n"));
        g_application_activate (G_APPLICATION (app));
        return CRYO_HEADLESS_EXIT_OK;
      }

    return g_application_run (G_APPLICATION (app), 1, app_argv);
  }
}
