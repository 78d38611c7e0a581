/* cryo-sim-cryostream-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-cryostream-server"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-oxcryo.h"
#include "cryo-sim-cryostream.h"
#include "cryo-sim-cryostream-server.h"

/* cryomon-sim cryostream: one command line per process. */
static char     *opt_state;
static double    opt_temperature = 100.0;
static int       opt_software = 20;
static int       opt_hardware = CRYO_OXCRYO_HARDWARE_SERIES_800 | CRYO_OXCRYO_HARDWARE_AUTOFILL;
static int       opt_alarm;
static int       opt_interval = 1000;
static char    **opt_ignore;

static const GOptionEntry option_entries[] = {
  { "state", 0, 0, G_OPTION_ARG_STRING, &opt_state,
    N_("Initial state: run (default, holding), ready or shutdown"), N_("STATE") },
  { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &opt_temperature,
    N_("Initial gas temperature in K (default 100)"), N_("K") },
  { "software", 0, 0, G_OPTION_ARG_INT, &opt_software,
    N_("Software version sent (default 20; 17 or less keeps standard packets)"), N_("N") },
  { "hardware", 0, 0, G_OPTION_ARG_INT, &opt_hardware,
    N_("Hardware type bits: 1 Plus, 2 CryoShutter, 4 800 series, 8 AutoFill (default 12)"), N_("BITS") },
  { "alarm", 0, 0, G_OPTION_ARG_INT, &opt_alarm,
    N_("Report this alarm code (1..56) from the start"), N_("CODE") },
  { "interval", 0, 0, G_OPTION_ARG_INT, &opt_interval,
    N_("Status packet period in ms (default 1000)"), N_("MS") },
  { "ignore", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_ignore,
    N_("Ignore this command (ramp, plat, hold, cool, end, purge, pause, resume, stop, restart, "
       "turbo, set-format); repeatable"), N_("COMMAND") },
  { NULL }
};

static const struct
{
  const char *name;
  guint       id;
} command_names[] = {
  { "restart", CRYO_OXCRYO_COMMAND_RESTART },
  { "ramp", CRYO_OXCRYO_COMMAND_RAMP },
  { "plat", CRYO_OXCRYO_COMMAND_PLAT },
  { "hold", CRYO_OXCRYO_COMMAND_HOLD },
  { "cool", CRYO_OXCRYO_COMMAND_COOL },
  { "end", CRYO_OXCRYO_COMMAND_END },
  { "purge", CRYO_OXCRYO_COMMAND_PURGE },
  { "pause", CRYO_OXCRYO_COMMAND_PAUSE },
  { "resume", CRYO_OXCRYO_COMMAND_RESUME },
  { "stop", CRYO_OXCRYO_COMMAND_STOP },
  { "turbo", CRYO_OXCRYO_COMMAND_TURBO },
  { "set-format", CRYO_OXCRYO_COMMAND_SET_FORMAT },
};

/* (transfer none): the model, with the server locked. */
static CryoSimCryostream *
lock_model (CryoSimServer *server)
{
  cryo_sim_server_lock (server);
  return CRYO_SIM_CRYOSTREAM (cryo_sim_server_get_responder (server));
}

static gboolean
is_cryostream_server (CryoSimServer *server)
{
  return CRYO_IS_SIM_SERVER (server)
         && CRYO_IS_SIM_CRYOSTREAM (cryo_sim_server_get_responder (server));
}

static GOptionGroup *
create_option_group (void)
{
  return cryo_sim_kind_new_option_group (&cryo_sim_cryostream_kind, _("Cryostream options:"),
                                         _("Show the Cryostream options"), option_entries);
}

static gboolean
bad_value (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

static CryoSimServer *
start (const CryoSimServerOptions  *server_options,
       const char                  *link_path,
       GError                     **error)
{
  CryoSimCryostreamOptions options = CRYO_SIM_CRYOSTREAM_OPTIONS_INIT;

  options.server = *server_options;

  if (opt_state == NULL || g_str_equal (opt_state, "run"))
    options.run_mode = CRYO_OXCRYO_RUN_MODE_RUN;
  else if (g_str_equal (opt_state, "ready"))
    options.run_mode = CRYO_OXCRYO_RUN_MODE_STARTUP_OK;
  else if (g_str_equal (opt_state, "shutdown"))
    options.run_mode = CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK;
  else
    {
      bad_value (error, _("--state needs “run”, “ready” or “shutdown”"));
      return NULL;
    }
  if (!(opt_temperature >= 80.0 && opt_temperature <= 500.0))
    {
      bad_value (error, _("--temperature needs a temperature from 80 to 500 K"));
      return NULL;
    }
  if (opt_software < 0 || opt_software > 255)
    {
      bad_value (error, _("--software needs a number from 0 to 255"));
      return NULL;
    }
  if (opt_hardware < 0 || opt_hardware > CRYO_OXCRYO_HARDWARE_ALL)
    {
      bad_value (error, _("--hardware needs bits from 0 to 15"));
      return NULL;
    }
  if (opt_alarm < 0 || opt_alarm > CRYO_OXCRYO_MAX_ALARM)
    {
      bad_value (error, _("--alarm needs a code from 0 to 56"));
      return NULL;
    }
  if (opt_interval < 10 || opt_interval > 60000)
    {
      bad_value (error, _("--interval needs a period from 10 to 60000 ms"));
      return NULL;
    }
  for (guint i = 0; opt_ignore != NULL && opt_ignore[i] != NULL; i++)
    {
      guint id;

      if (!cryo_sim_cryostream_command_from_name (opt_ignore[i], &id))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--ignore does not know the command “%s”"), opt_ignore[i]);
          return NULL;
        }
    }

  options.gas_k = opt_temperature;
  options.software_version = opt_software;
  options.hardware_type = opt_hardware;
  options.alarm_code = opt_alarm;
  options.interval_ms = opt_interval;
  options.ignored = (const char * const *) opt_ignore;

  return cryo_sim_kind_start_pty (cryo_sim_cryostream_server_new (&options), link_path, error);
}

static CryoSimServer *
start_demo (char   **device_spec,
            GError **error)
{
  CryoSimCryostreamOptions options = CRYO_SIM_CRYOSTREAM_OPTIONS_INIT;

  return cryo_sim_kind_start_demo_pty (&cryo_sim_cryostream_kind, cryo_sim_cryostream_server_new (&options),
                                       device_spec, error);
}

const CryoSimKind cryo_sim_cryostream_kind = {
  .id = "cryostream",
  .description = N_("Oxford Cryosystems Cryostream 700/800, binary status stream over RS-232"),
  .create_option_group = create_option_group,
  .start = start,
  .start_demo = start_demo,
};

/**
 * cryo_sim_cryostream_command_from_name:
 * @name: "ramp", "set-format"… as the command log and --ignore spell them
 * @command_id: (out): its #CryoOxcryoCommandId
 *
 * Returns: %TRUE when @name is a command
 */
gboolean
cryo_sim_cryostream_command_from_name (const char *name,
                                       guint      *command_id)
{
  g_return_val_if_fail (name != NULL && command_id != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (command_names); i++)
    if (g_str_equal (command_names[i].name, name))
      {
        *command_id = command_names[i].id;
        return TRUE;
      }
  return FALSE;
}

/**
 * cryo_sim_cryostream_server_new:
 * @options: the simulator's options (see #CryoSimCryostreamOptions); copied
 *
 * Creates a simulated Cryostream (oxford-cryostream.md "Simulator
 * behaviour"), to be started with cryo_sim_server_start_pty(). It streams
 * a status packet every @options->interval_ms. Its command log has one line
 * per command packet received: its bytes in hex, its name, and "applied" or
 * "ignored", e.g. "06 0B 00 78 61 DA ramp applied".
 *
 * Returns: (transfer full): a new server
 */
CryoSimServer *
cryo_sim_cryostream_server_new (const CryoSimCryostreamOptions *options)
{
  g_autoptr(CryoSimCryostream) model = NULL;

  g_return_val_if_fail (options != NULL, NULL);

  model = cryo_sim_cryostream_new (options->run_mode, options->gas_k, options->software_version,
                                   options->hardware_type, options->interval_ms);
  if (options->alarm_code != 0)
    cryo_sim_cryostream_set_alarm (model, options->alarm_code);
  for (guint i = 0; options->ignored != NULL && options->ignored[i] != NULL; i++)
    {
      guint id;

      if (cryo_sim_cryostream_command_from_name (options->ignored[i], &id))
        cryo_sim_cryostream_set_ignored (model, id, TRUE);
      else
        g_critical ("%s: unknown command “%s”", G_STRFUNC, options->ignored[i]);
    }

  return cryo_sim_server_new (CRYO_SIM_RESPONDER (model), &options->server);
}

/**
 * cryo_sim_cryostream_server_set_alarm:
 * @server: a server made by cryo_sim_cryostream_server_new()
 * @alarm_code: 0..56; see cryo_sim_cryostream_set_alarm()
 *
 * Fault injection. Thread-safe.
 */
void
cryo_sim_cryostream_server_set_alarm (CryoSimServer *server,
                                      guint          alarm_code)
{
  g_return_if_fail (is_cryostream_server (server));

  cryo_sim_cryostream_set_alarm (lock_model (server), alarm_code);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cryostream_server_set_ignored:
 * @server: a server made by cryo_sim_cryostream_server_new()
 * @command: a command name, as for cryo_sim_cryostream_command_from_name()
 * @ignored: whether the controller ignores it
 *
 * Fault injection. Thread-safe.
 */
void
cryo_sim_cryostream_server_set_ignored (CryoSimServer *server,
                                        const char    *command,
                                        gboolean       ignored)
{
  guint id;

  g_return_if_fail (is_cryostream_server (server));
  g_return_if_fail (cryo_sim_cryostream_command_from_name (command, &id));

  cryo_sim_cryostream_set_ignored (lock_model (server), id, ignored);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cryostream_server_set_silent:
 * @server: a server made by cryo_sim_cryostream_server_new()
 * @silent: %TRUE to stop the status packets
 *
 * Fault injection. Thread-safe.
 */
void
cryo_sim_cryostream_server_set_silent (CryoSimServer *server,
                                       gboolean       silent)
{
  g_return_if_fail (is_cryostream_server (server));

  cryo_sim_cryostream_set_silent (lock_model (server), silent);
  cryo_sim_server_unlock (server);
}

#define GETTER(type, name, fallback) \
  type \
  cryo_sim_cryostream_server_get_##name (CryoSimServer *server) \
  { \
    type value; \
    g_return_val_if_fail (is_cryostream_server (server), fallback); \
    value = cryo_sim_cryostream_get_##name (lock_model (server)); \
    cryo_sim_server_unlock (server); \
    return value; \
  }

/* The model's run mode, phase, gas temperature (K), target (K) and whether
 * it sends extended packets; each thread-safe. */
GETTER (guint, run_mode, 0)
GETTER (guint, phase, 0)
GETTER (double, gas_k, 0.0)
GETTER (double, target_k, 0.0)
GETTER (gboolean, extended, FALSE)

#undef GETTER
