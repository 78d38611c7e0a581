/* cryomon-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cryomon-sim: serves a simulated instrument on a pseudo-terminal until
 * SIGINT or SIGTERM. Exit status 0 after a signal, 1 when the simulator
 * cannot start, 2 on a usage error.
 */

#define G_LOG_DOMAIN "cryomon-sim"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "cryo-sim-server.h"

#define EXIT_USAGE 2

typedef struct
{
  const char     *name;
  const char     *description;
  CryoSimServer *(*create) (const CryoSimOptions *options);
} InstrumentType;

static const InstrumentType instrument_types[] = {
  { "pump-station",
    N_("Agilent TPS-compact pumping station, Window protocol over RS-232"),
    cryo_sim_server_new_pump_station },
};

static const InstrumentType *
find_instrument_type (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (instrument_types); i++)
    if (g_strcmp0 (instrument_types[i].name, name) == 0)
      return &instrument_types[i];

  return NULL;
}

static char *
list_instrument_types (void)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (instrument_types); i++)
    g_string_append_printf (list, "  %-14s %s\n",
                            instrument_types[i].name,
                            _(instrument_types[i].description));

  return g_string_free (list, FALSE);
}

static int
usage_error (const char *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Run “%s --help” for usage.\n"), g_get_prgname ());
  return EXIT_USAGE;
}

static gboolean
parse_probability (const char *text,
                   double     *value)
{
  char *end = NULL;
  double v;

  if (text == NULL)
    return TRUE;

  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(v >= 0.0 && v <= 1.0))
    return FALSE;

  *value = v;
  return TRUE;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *types = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *link_path = NULL;
  g_autofree char *speed_text = NULL;
  g_autofree char *corrupt_text = NULL;
  g_autofree char *drop_text = NULL;
  g_autofree char *state = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *command_log = NULL;
  CryoSimOptions options = CRYO_SIM_OPTIONS_INIT;
  const InstrumentType *type;
  int delay_ms = 0;
  int address = 0;
  int error_bits = 0;
  gboolean remote = FALSE;
  guint sigint_id, sigterm_id;
  char *end = NULL;

  const GOptionEntry entries[] = {
    { "link", 'l', 0, G_OPTION_ARG_FILENAME, &link_path,
      N_("Create a symbolic link to the pseudo-terminal at PATH"), N_("PATH") },
    { "speed", 's', 0, G_OPTION_ARG_STRING, &speed_text,
      N_("Run the model N times faster than real time (default 1)"), N_("N") },
    { "corrupt", 0, 0, G_OPTION_ARG_STRING, &corrupt_text,
      N_("Alter one byte of a reply with probability P (0..1)"), N_("P") },
    { "drop", 0, 0, G_OPTION_ARG_STRING, &drop_text,
      N_("Send no reply with probability P (0..1)"), N_("P") },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay_ms,
      N_("Delay every reply by MS milliseconds"), N_("MS") },
    { "address", 'a', 0, G_OPTION_ARG_INT, &address,
      N_("Answer RS-485 address N (0..31, default 0)"), N_("N") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state,
      N_("Initial state: running (default) or stopped"), N_("STATE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit,
      N_("Initial pressure unit: mbar (default), Pa or Torr"), N_("UNIT") },
    { "error", 0, 0, G_OPTION_ARG_INT, &error_bits,
      N_("Latch these fault bits (window 206, 1..255) from the start"), N_("BITS") },
    { "remote", 0, 0, G_OPTION_ARG_NONE, &remote,
      N_("Start in remote (front-panel) mode, window 008 = 1: start/stop writes are refused until serial mode is set"), NULL },
    { "command-log", 0, 0, G_OPTION_ARG_FILENAME, &command_log,
      N_("Append every write request received, with its reply, to FILE"), N_("FILE") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  types = list_instrument_types ();
  summary = g_strdup_printf (_("Serves a simulated instrument on a pseudo-terminal until "
                               "interrupted.\n\nInstrument types:\n%s"), types);
  g_strchomp (summary);

  context = g_option_context_new (_("TYPE — serve a simulated instrument"));
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (argc < 2)
    return usage_error (_("Missing the instrument type"));
  if (argc > 2)
    return usage_error (_("Too many arguments"));

  type = find_instrument_type (argv[1]);
  if (type == NULL)
    {
      g_printerr (_("%s: unknown instrument type “%s”. Supported types:\n%s"),
                  g_get_prgname (), argv[1], types);
      return EXIT_USAGE;
    }

  if (speed_text != NULL)
    {
      options.speed = g_ascii_strtod (speed_text, &end);
      if (end == speed_text || *end != '\0' || !(options.speed > 0.0 && options.speed <= 1e6))
        return usage_error (_("--speed needs a number greater than 0"));
    }
  if (!parse_probability (corrupt_text, &options.corrupt))
    return usage_error (_("--corrupt needs a probability from 0 to 1"));
  if (!parse_probability (drop_text, &options.drop))
    return usage_error (_("--drop needs a probability from 0 to 1"));
  if (delay_ms < 0 || delay_ms > 60000)
    return usage_error (_("--delay needs milliseconds from 0 to 60000"));
  options.delay_ms = (guint) delay_ms;
  if (address < 0 || address > 31)
    return usage_error (_("--address needs a number from 0 to 31"));
  options.address = (guint) address;
  if (error_bits < 0 || error_bits > 255)
    return usage_error (_("--error needs bits from 0 to 255"));
  options.error_bits = (guint) error_bits;
  options.remote = remote;

  if (state == NULL || g_strcmp0 (state, "running") == 0)
    options.running = TRUE;
  else if (g_strcmp0 (state, "stopped") == 0)
    options.running = FALSE;
  else
    return usage_error (_("--state needs “running” or “stopped”"));

  if (unit == NULL || g_ascii_strcasecmp (unit, "mbar") == 0)
    options.pressure_unit = 0;
  else if (g_ascii_strcasecmp (unit, "Pa") == 0)
    options.pressure_unit = 1;
  else if (g_ascii_strcasecmp (unit, "Torr") == 0)
    options.pressure_unit = 2;
  else
    return usage_error (_("--unit needs “mbar”, “Pa” or “Torr”"));

  options.command_log_path = command_log;

  server = type->create (&options);
  if (!cryo_sim_server_start (server, link_path, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  /* The one line a parent process waits for. */
  printf ("%s\n", cryo_sim_server_get_path (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  cryo_sim_server_stop (server);

  return EXIT_SUCCESS;
}
