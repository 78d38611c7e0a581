/* cryomon-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cryomon-sim: serves a simulated instrument on a pseudo-terminal (or, for
 * Modbus instruments, on a TCP port) until SIGINT or SIGTERM. Exit status 0
 * after a signal, 1 when the simulator cannot start, 2 on a usage error.
 * Every instrument comes from its #CryoSimKind: this file names none.
 */

#define G_LOG_DOMAIN "cryomon-sim"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cryo-kinds.h"

#define EXIT_USAGE 2

/* The options every simulator takes. */
typedef struct
{
  char *link_path;
  char *speed_text;
  char *corrupt_text;
  char *drop_text;
  int   delay_ms;
  int   baud;
  char *command_log;
} Arguments;

static void
clear_arguments (Arguments *args)
{
  g_clear_pointer (&args->link_path, g_free);
  g_clear_pointer (&args->speed_text, g_free);
  g_clear_pointer (&args->corrupt_text, g_free);
  g_clear_pointer (&args->drop_text, g_free);
  g_clear_pointer (&args->command_log, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Arguments, clear_arguments)

static char *
list_kinds (const CryoSimKind * const *kinds)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; kinds[i] != NULL; i++)
    g_string_append_printf (list, "  %-14s %s\n", kinds[i]->id, _(kinds[i]->description));

  return g_string_free (list, FALSE);
}

/* The kind named on the command line, taken out of @argv (options may come
 * before it, as with any GOption program), or whose options --help-KIND
 * asks for: kinds share option names (--state), which GOption shows
 * prefixed (--cpa-state) when several kinds' groups are in one context. */
static const CryoSimKind *
take_kind (int                        *argc,
           char                      **argv,
           const CryoSimKind * const  *kinds)
{
  for (int i = 1; i < *argc && g_strcmp0 (argv[i], "--") != 0; i++)
    {
      for (guint k = 0; kinds[k] != NULL; k++)
        {
          if (g_str_has_prefix (argv[i], "--help-")
              && g_strcmp0 (argv[i] + strlen ("--help-"), kinds[k]->id) == 0)
            return kinds[k];

          if (g_strcmp0 (argv[i], kinds[k]->id) != 0)
            continue;

          for (int j = i; j < *argc; j++)
            argv[j] = argv[j + 1];
          (*argc)--;
          return kinds[k];
        }
    }

  return NULL;
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
parse_server_options (const Arguments       *args,
                      CryoSimServerOptions  *options,
                      GError               **error)
{
  char *end = NULL;

  if (args->speed_text != NULL)
    {
      options->speed = g_ascii_strtod (args->speed_text, &end);
      if (end == args->speed_text || *end != '\0'
          || !(options->speed > 0.0 && options->speed <= 1e6))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--speed needs a number greater than 0"));
          return FALSE;
        }
    }
  if (!parse_probability (args->corrupt_text, &options->corrupt))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--corrupt needs a probability from 0 to 1"));
      return FALSE;
    }
  if (!parse_probability (args->drop_text, &options->drop))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--drop needs a probability from 0 to 1"));
      return FALSE;
    }
  if (args->delay_ms < 0 || args->delay_ms > 60000)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--delay needs milliseconds from 0 to 60000"));
      return FALSE;
    }
  options->delay_ms = (guint) args->delay_ms;
  if (args->baud < 0 || args->baud > 4000000)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--baud needs a rate in bit/s from 0 to 4000000"));
      return FALSE;
    }
  options->baud = (guint) args->baud;
  options->command_log_path = args->command_log;

  return TRUE;
}

/* The lines a parent process waits for: the TCP endpoint first, then the
 * serial port. */
static void
print_endpoints (CryoSimServer *server)
{
  if (cryo_sim_server_get_port (server) != 0)
    printf ("tcp:%s:%u\n", cryo_sim_server_get_tcp_address (server),
            cryo_sim_server_get_port (server));
  if (cryo_sim_server_get_path (server) != NULL)
    printf ("%s\n", cryo_sim_server_get_path (server));
  fflush (stdout);
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
  g_autofree const CryoSimKind **kinds = cryo_kinds_dup_simulators ();
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *list = NULL;
  g_autofree char *summary = NULL;
  g_auto(Arguments) args = { 0 };
  CryoSimServerOptions options = CRYO_SIM_SERVER_OPTIONS_INIT;
  const CryoSimKind *kind;
  guint sigint_id, sigterm_id;

  const GOptionEntry entries[] = {
    { "link", 'l', 0, G_OPTION_ARG_FILENAME, &args.link_path,
      N_("Create a symbolic link to the pseudo-terminal at PATH"), N_("PATH") },
    { "speed", 's', 0, G_OPTION_ARG_STRING, &args.speed_text,
      N_("Run the model N times faster than real time (default 1)"), N_("N") },
    { "corrupt", 0, 0, G_OPTION_ARG_STRING, &args.corrupt_text,
      N_("Alter one byte of a reply with probability P (0..1)"), N_("P") },
    { "drop", 0, 0, G_OPTION_ARG_STRING, &args.drop_text,
      N_("Send no reply with probability P (0..1)"), N_("P") },
    { "delay", 0, 0, G_OPTION_ARG_INT, &args.delay_ms,
      N_("Delay every reply by MS milliseconds"), N_("MS") },
    { "baud", 0, 0, G_OPTION_ARG_INT, &args.baud,
      N_("Pace the pseudo-terminal like a serial line at BAUD bit/s, 8N1 (default: unpaced)"),
      N_("BAUD") },
    { "command-log", 0, 0, G_OPTION_ARG_FILENAME, &args.command_log,
      N_("Append every write request received, with its reply, to FILE"), N_("FILE") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  kind = take_kind (&argc, argv, (const CryoSimKind * const *) kinds);

  list = list_kinds ((const CryoSimKind * const *) kinds);
  summary = g_strdup_printf (_("Serves a simulated instrument on a pseudo-terminal (or a TCP "
                               "port) until interrupted.\n\nInstrument types:\n%s"), list);
  g_strchomp (summary);

  context = g_option_context_new (_("TYPE — serve a simulated instrument"));
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* A type's own options only with that type; all of them for --help. */
  if (kind != NULL)
    g_option_context_add_group (context, kind->create_option_group ());
  else
    for (guint i = 0; kinds[i] != NULL; i++)
      g_option_context_add_group (context, kinds[i]->create_option_group ());

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (kind == NULL)
    {
      if (argc < 2)
        return usage_error (_("Missing the instrument type"));
      if (argc > 2)
        return usage_error (_("Too many arguments"));

      g_printerr (_("%s: unknown instrument type “%s”. Supported types:\n%s"),
                  g_get_prgname (), argv[1], list);
      return EXIT_USAGE;
    }
  if (argc > 1)
    return usage_error (_("Too many arguments"));

  if (parse_server_options (&args, &options, &error))
    server = kind->start (&options, args.link_path, &error);
  if (server == NULL)
    {
      if (error->domain == G_OPTION_ERROR)
        return usage_error (error->message);

      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  print_endpoints (server);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  cryo_sim_server_stop (server);

  return EXIT_SUCCESS;
}
