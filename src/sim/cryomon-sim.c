/* cryomon-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cryomon-sim: serves a simulated instrument on a pseudo-terminal (or, for
 * Modbus instruments, on a TCP port) until SIGINT or SIGTERM. Exit status 0
 * after a signal, 1 when the simulator cannot start, 2 on a usage error.
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

#include "cryo-cpa.h"
#include "cryo-sim-cpa-server.h"
#include "cryo-sim-pump-station-server.h"
#include "cryo-sim-server.h"

#define EXIT_USAGE 2

/* Integer options that take a default unless given. */
#define NOT_GIVEN  G_MININT

/* Every option of every type; each type checks those it takes and refuses
 * the others. */
typedef struct
{
  char      *link_path;
  char      *tcp;
  char      *speed_text;
  char      *corrupt_text;
  char      *drop_text;
  char      *state;
  char      *unit;
  char      *command_log;
  char      *pressure_scale;
  char      *temperature_scale;
  char     **alarms;
  char     **warnings;
  int        delay_ms;
  int        address;
  int        error_bits;
  gboolean   remote;
  gboolean   freeze;
} Arguments;

typedef struct
{
  const char *name;
  const char *description;
  /* Checks the arguments, starts serving and prints where: returns the
   * server, or NULL with *exit_status set. */
  CryoSimServer *(*start) (const Arguments *args,
                           int             *exit_status);
} InstrumentType;

static CryoSimServer *start_pump_station (const Arguments *args,
                                          int             *exit_status);
static CryoSimServer *start_cpa          (const Arguments *args,
                                          int             *exit_status);

static const InstrumentType instrument_types[] = {
  { "pump-station",
    N_("Agilent TPS-compact pumping station, Window protocol over RS-232"),
    start_pump_station },
  { "cpa",
    N_("Cryomech CPA helium compressor, Modbus TCP (--tcp) or Modbus RTU on a pseudo-terminal"),
    start_cpa },
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

/* The options every type takes: --speed, --corrupt, --drop, --delay. */
static gboolean
parse_common (const Arguments *args,
              double          *speed,
              double          *corrupt,
              double          *drop,
              guint           *delay_ms,
              int             *exit_status)
{
  char *end = NULL;

  if (args->speed_text != NULL)
    {
      *speed = g_ascii_strtod (args->speed_text, &end);
      if (end == args->speed_text || *end != '\0' || !(*speed > 0.0 && *speed <= 1e6))
        {
          *exit_status = usage_error (_("--speed needs a number greater than 0"));
          return FALSE;
        }
    }
  if (!parse_probability (args->corrupt_text, corrupt))
    {
      *exit_status = usage_error (_("--corrupt needs a probability from 0 to 1"));
      return FALSE;
    }
  if (!parse_probability (args->drop_text, drop))
    {
      *exit_status = usage_error (_("--drop needs a probability from 0 to 1"));
      return FALSE;
    }
  if (args->delay_ms < 0 || args->delay_ms > 60000)
    {
      *exit_status = usage_error (_("--delay needs milliseconds from 0 to 60000"));
      return FALSE;
    }
  *delay_ms = (guint) args->delay_ms;

  return TRUE;
}

/* Refuses an option that @type does not take. */
static gboolean
refuse_option (gboolean    given,
               const char *option,
               const char *type,
               int        *exit_status)
{
  g_autofree char *message = NULL;

  if (!given)
    return TRUE;

  message = g_strdup_printf (_("%s is not an option of “%s”"), option, type);
  *exit_status = usage_error (message);
  return FALSE;
}

static CryoSimServer *
start_pump_station (const Arguments *args,
                    int             *exit_status)
{
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  const char *type = "pump-station";

  if (!refuse_option (args->tcp != NULL, "--tcp", type, exit_status)
      || !refuse_option (args->pressure_scale != NULL, "--pressure-scale", type, exit_status)
      || !refuse_option (args->temperature_scale != NULL, "--temperature-scale", type, exit_status)
      || !refuse_option (args->alarms != NULL, "--alarm", type, exit_status)
      || !refuse_option (args->warnings != NULL, "--warning", type, exit_status)
      || !refuse_option (args->freeze, "--freeze", type, exit_status))
    return NULL;

  if (!parse_common (args, &options.server.speed, &options.server.corrupt,
                     &options.server.drop, &options.server.delay_ms, exit_status))
    return NULL;

  if (args->address == NOT_GIVEN)
    options.address = 0;
  else if (args->address < 0 || args->address > 31)
    {
      *exit_status = usage_error (_("--address needs a number from 0 to 31"));
      return NULL;
    }
  else
    options.address = (guint) args->address;

  if (args->error_bits == NOT_GIVEN)
    options.error_bits = 0;
  else if (args->error_bits < 0 || args->error_bits > 255)
    {
      *exit_status = usage_error (_("--error needs bits from 0 to 255"));
      return NULL;
    }
  else
    options.error_bits = (guint) args->error_bits;
  options.remote = args->remote;

  if (args->state == NULL || g_strcmp0 (args->state, "running") == 0)
    options.running = TRUE;
  else if (g_strcmp0 (args->state, "stopped") == 0)
    options.running = FALSE;
  else
    {
      *exit_status = usage_error (_("--state needs “running” or “stopped”"));
      return NULL;
    }

  if (args->unit == NULL || g_ascii_strcasecmp (args->unit, "mbar") == 0)
    options.pressure_unit = 0;
  else if (g_ascii_strcasecmp (args->unit, "Pa") == 0)
    options.pressure_unit = 1;
  else if (g_ascii_strcasecmp (args->unit, "Torr") == 0)
    options.pressure_unit = 2;
  else
    {
      *exit_status = usage_error (_("--unit needs “mbar”, “Pa” or “Torr”"));
      return NULL;
    }

  options.server.command_log_path = args->command_log;

  server = cryo_sim_pump_station_server_new (&options);
  if (!cryo_sim_server_start_pty (server, args->link_path, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      *exit_status = EXIT_FAILURE;
      return NULL;
    }

  /* The one line a parent process waits for. */
  printf ("%s\n", cryo_sim_server_get_path (server));
  fflush (stdout);

  return g_steal_pointer (&server);
}

static gboolean
parse_uint (const char *text,
            guint       max,
            guint      *value)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &v, NULL))
    return FALSE;

  *value = (guint) v;
  return TRUE;
}

/* --alarm/--warning BIT, repeatable: bits 0..30 of registers 3-6. */
static gboolean
parse_bits (char    **texts,
            guint32  *bits)
{
  *bits = 0;

  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      guint bit;

      if (!parse_uint (texts[i], CRYO_CPA_N_STATUS_BITS - 1, &bit))
        return FALSE;
      *bits |= 1u << bit;
    }

  return TRUE;
}

/* "ADDRESS:PORT", port 0..65535. */
static gboolean
parse_tcp (const char  *text,
           char       **address,
           guint       *port)
{
  const char *colon = strrchr (text, ':');

  if (colon == NULL || colon == text || !parse_uint (colon + 1, 65535, port))
    return FALSE;

  *address = g_strndup (text, (gsize) (colon - text));
  return TRUE;
}

static CryoSimServer *
start_cpa (const Arguments *args,
           int             *exit_status)
{
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  const char *type = "cpa";
  guint port = 0;

  if (!refuse_option (args->address != NOT_GIVEN, "--address", type, exit_status)
      || !refuse_option (args->error_bits != NOT_GIVEN, "--error", type, exit_status)
      || !refuse_option (args->remote, "--remote", type, exit_status))
    return NULL;

  if (!parse_common (args, &options.server.speed, &options.server.corrupt,
                     &options.server.drop, &options.server.delay_ms, exit_status))
    return NULL;

  if (args->tcp != NULL && !parse_tcp (args->tcp, &address, &port))
    {
      *exit_status = usage_error (_("--tcp needs ADDRESS:PORT, e.g. 127.0.0.1:0 for any free port"));
      return NULL;
    }

  if (args->unit != NULL && (!parse_uint (args->unit, 247, &options.unit_id) || options.unit_id == 0))
    {
      *exit_status = usage_error (_("--unit needs a Modbus unit id from 1 to 247"));
      return NULL;
    }

  if (args->state == NULL || g_strcmp0 (args->state, "idle") == 0)
    options.running = FALSE;
  else if (g_strcmp0 (args->state, "running") == 0)
    options.running = TRUE;
  else
    {
      *exit_status = usage_error (_("--state needs “running” or “idle”"));
      return NULL;
    }

  if (args->pressure_scale == NULL || g_ascii_strcasecmp (args->pressure_scale, "psi") == 0)
    options.pressure_scale = CRYO_CPA_PRESSURE_SCALE_PSI;
  else if (g_ascii_strcasecmp (args->pressure_scale, "bar") == 0)
    options.pressure_scale = CRYO_CPA_PRESSURE_SCALE_BAR;
  else if (g_ascii_strcasecmp (args->pressure_scale, "kPa") == 0)
    options.pressure_scale = CRYO_CPA_PRESSURE_SCALE_KPA;
  else
    {
      *exit_status = usage_error (_("--pressure-scale needs “psi”, “bar” or “kPa”"));
      return NULL;
    }

  if (args->temperature_scale == NULL || g_ascii_strcasecmp (args->temperature_scale, "F") == 0)
    options.temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT;
  else if (g_ascii_strcasecmp (args->temperature_scale, "C") == 0)
    options.temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_CELSIUS;
  else if (g_ascii_strcasecmp (args->temperature_scale, "K") == 0)
    options.temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_KELVIN;
  else
    {
      *exit_status = usage_error (_("--temperature-scale needs “F”, “C” or “K”"));
      return NULL;
    }

  if (!parse_bits (args->alarms, &options.alarms))
    {
      *exit_status = usage_error (_("--alarm needs a bit number from 0 to 30"));
      return NULL;
    }
  if (!parse_bits (args->warnings, &options.warnings))
    {
      *exit_status = usage_error (_("--warning needs a bit number from 0 to 30"));
      return NULL;
    }

  options.server.frozen = args->freeze;
  options.server.command_log_path = args->command_log;

  server = cryo_sim_cpa_server_new (&options);

  if (address != NULL && !cryo_sim_server_start_tcp (server, address, port, &error))
    goto failed;
  /* RTU when asked for, or when nothing else is. */
  if ((args->link_path != NULL || address == NULL)
      && !cryo_sim_server_start_pty (server, args->link_path, &error))
    goto failed;

  /* The lines a parent process waits for: TCP first, then the port. */
  if (address != NULL)
    printf ("tcp:%s:%u\n", address, cryo_sim_server_get_port (server));
  if (cryo_sim_server_get_path (server) != NULL)
    printf ("%s\n", cryo_sim_server_get_path (server));
  fflush (stdout);

  return g_steal_pointer (&server);

failed:
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  *exit_status = EXIT_FAILURE;
  return NULL;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

static void
clear_arguments (Arguments *args)
{
  g_clear_pointer (&args->link_path, g_free);
  g_clear_pointer (&args->tcp, g_free);
  g_clear_pointer (&args->speed_text, g_free);
  g_clear_pointer (&args->corrupt_text, g_free);
  g_clear_pointer (&args->drop_text, g_free);
  g_clear_pointer (&args->state, g_free);
  g_clear_pointer (&args->unit, g_free);
  g_clear_pointer (&args->command_log, g_free);
  g_clear_pointer (&args->pressure_scale, g_free);
  g_clear_pointer (&args->temperature_scale, g_free);
  g_clear_pointer (&args->alarms, g_strfreev);
  g_clear_pointer (&args->warnings, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Arguments, clear_arguments)

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
  g_auto(Arguments) args = { .address = NOT_GIVEN, .error_bits = NOT_GIVEN };
  GOptionGroup *group;
  const InstrumentType *type;
  guint sigint_id, sigterm_id;
  int exit_status = EXIT_SUCCESS;

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
    { "state", 0, 0, G_OPTION_ARG_STRING, &args.state,
      N_("Initial state: pump-station running (default) or stopped; cpa running or idle (default)"),
      N_("STATE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &args.unit,
      N_("pump-station: initial pressure unit mbar (default), Pa or Torr; "
         "cpa: Modbus RTU unit id 1..247 (default 16)"), N_("UNIT") },
    { "command-log", 0, 0, G_OPTION_ARG_FILENAME, &args.command_log,
      N_("Append every write request received, with its reply, to FILE"), N_("FILE") },
    { NULL }
  };

  const GOptionEntry pump_station_entries[] = {
    { "address", 'a', 0, G_OPTION_ARG_INT, &args.address,
      N_("Answer RS-485 address N (0..31, default 0)"), N_("N") },
    { "error", 0, 0, G_OPTION_ARG_INT, &args.error_bits,
      N_("Latch these fault bits (window 206, 1..255) from the start"), N_("BITS") },
    { "remote", 0, 0, G_OPTION_ARG_NONE, &args.remote,
      N_("Start in remote (front-panel) mode, window 008 = 1: start/stop writes are refused until serial mode is set"), NULL },
    { NULL }
  };

  const GOptionEntry cpa_entries[] = {
    { "tcp", 0, 0, G_OPTION_ARG_STRING, &args.tcp,
      N_("Serve Modbus TCP on ADDRESS:PORT (port 0: any free port; prints tcp:ADDRESS:PORT); "
         "without --link, no RTU"), N_("ADDRESS:PORT") },
    { "pressure-scale", 0, 0, G_OPTION_ARG_STRING, &args.pressure_scale,
      N_("Panel pressure scale: psi (default), bar or kPa"), N_("SCALE") },
    { "temperature-scale", 0, 0, G_OPTION_ARG_STRING, &args.temperature_scale,
      N_("Panel temperature scale: F (default), C or K"), N_("SCALE") },
    { "alarm", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args.alarms,
      N_("Set alarm bit BIT (0..30) from the start; repeatable"), N_("BIT") },
    { "warning", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args.warnings,
      N_("Set warning bit BIT (0..30) from the start; repeatable"), N_("BIT") },
    { "freeze", 0, 0, G_OPTION_ARG_NONE, &args.freeze,
      N_("Stop the model's clock: the registers change only on writes"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  types = list_instrument_types ();
  summary = g_strdup_printf (_("Serves a simulated instrument on a pseudo-terminal (or a TCP "
                               "port) until interrupted.\n\nInstrument types:\n%s"), types);
  g_strchomp (summary);

  context = g_option_context_new (_("TYPE — serve a simulated instrument"));
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  group = g_option_group_new ("pump-station", _("Pump-station options:"),
                              _("Show the pump-station options"), NULL, NULL);
  g_option_group_add_entries (group, pump_station_entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, group);

  group = g_option_group_new ("cpa", _("CPA compressor options:"),
                              _("Show the CPA compressor options"), NULL, NULL);
  g_option_group_add_entries (group, cpa_entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, group);

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

  server = type->start (&args, &exit_status);
  if (server == NULL)
    return exit_status;

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  cryo_sim_server_stop (server);

  return EXIT_SUCCESS;
}
