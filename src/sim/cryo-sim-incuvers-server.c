/* cryo-sim-incuvers-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-incuvers-server"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-incuvers.h"
#include "cryo-sim-incuvers-server.h"

/* cryomon-sim incubator: one command line per process. */
static double    opt_temperature = 36.5;
static double    opt_setpoint = 37.0;
static gboolean  opt_heat_off;
static gboolean  opt_no_co2_sensor;
static gboolean  opt_o2_sensor;
static int       opt_co2_mode = CRYO_INCUVERS_GAS_MAINTAIN;
static int       opt_o2_mode = CRYO_INCUVERS_GAS_OFF;
static int       opt_interval = 1000;
static char    **opt_ignore;

static const GOptionEntry option_entries[] = {
  { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &opt_temperature,
    N_("Initial chamber temperature in °C (default 36.5)"), N_("°C") },
  { "setpoint", 0, 0, G_OPTION_ARG_DOUBLE, &opt_setpoint,
    N_("Initial temperature set point in °C (default 37)"), N_("°C") },
  { "heat-off", 0, 0, G_OPTION_ARG_NONE, &opt_heat_off,
    N_("Start with the heating off"), NULL },
  { "no-co2-sensor", 0, 0, G_OPTION_ARG_NONE, &opt_no_co2_sensor,
    N_("A unit without a CO2 sensor (it reports -10000)"), NULL },
  { "o2-sensor", 0, 0, G_OPTION_ARG_NONE, &opt_o2_sensor,
    N_("A unit with an O2 sensor"), NULL },
  { "co2-mode", 0, 0, G_OPTION_ARG_INT, &opt_co2_mode,
    N_("Initial CO2 mode: 0 off, 1 read, 2 maintain (default 2)"), N_("MODE") },
  { "o2-mode", 0, 0, G_OPTION_ARG_INT, &opt_o2_mode,
    N_("Initial O2 mode: 0 off, 1 read, 2 maintain (default 0)"), N_("MODE") },
  { "interval", 0, 0, G_OPTION_ARG_INT, &opt_interval,
    N_("Status line period in ms (default 1000)"), N_("MS") },
  { "ignore", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_ignore,
    N_("Ignore this command key (TP, CP, OP, TM, CM, OM, FM, SS); repeatable"), N_("KEY") },
  { NULL }
};

/* (transfer none): the model, with the server locked. */
static CryoSimIncuvers *
lock_model (CryoSimServer *server)
{
  cryo_sim_server_lock (server);
  return CRYO_SIM_INCUVERS (cryo_sim_server_get_responder (server));
}

static gboolean
is_incuvers_server (CryoSimServer *server)
{
  return CRYO_IS_SIM_SERVER (server)
         && CRYO_IS_SIM_INCUVERS (cryo_sim_server_get_responder (server));
}

static GOptionGroup *
create_option_group (void)
{
  return cryo_sim_kind_new_option_group (&cryo_sim_incuvers_kind, _("Incubator options:"),
                                         _("Show the incubator options"), option_entries);
}

static CryoSimServer *
bad_value (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return NULL;
}

static CryoSimServer *
start (const CryoSimServerOptions  *server_options,
       const char                  *link_path,
       GError                     **error)
{
  CryoSimIncuversOptions options = CRYO_SIM_INCUVERS_OPTIONS_INIT;

  options.server = *server_options;

  if (!(opt_temperature >= -20.0 && opt_temperature <= 80.0))
    return bad_value (error, _("--temperature needs a temperature from -20 to 80 °C"));
  if (!(opt_setpoint > 5.0 && opt_setpoint < 75.0))
    return bad_value (error, _("--setpoint needs a temperature above 5 and below 75 °C"));
  if (opt_co2_mode < 0 || opt_co2_mode > 2 || opt_o2_mode < 0 || opt_o2_mode > 2)
    return bad_value (error, _("--co2-mode and --o2-mode need 0, 1 or 2"));
  if (opt_interval < 10 || opt_interval > 60000)
    return bad_value (error, _("--interval needs a period from 10 to 60000 ms"));
  for (guint i = 0; opt_ignore != NULL && opt_ignore[i] != NULL; i++)
    if (!cryo_sim_incuvers_is_command_key (opt_ignore[i]))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("--ignore does not know the command key “%s”"), opt_ignore[i]);
        return NULL;
      }

  options.setup.chamber_c = opt_temperature;
  options.setup.temperature_setpoint_c = opt_setpoint;
  options.setup.heat_mode = opt_heat_off ? 0 : 1;
  options.setup.co2_sensor = !opt_no_co2_sensor;
  options.setup.o2_sensor = opt_o2_sensor;
  options.setup.co2_mode = opt_co2_mode;
  options.setup.o2_mode = opt_o2_mode;
  options.setup.interval_ms = opt_interval;
  options.ignored = (const char * const *) opt_ignore;

  return cryo_sim_kind_start_pty (cryo_sim_incuvers_server_new (&options), link_path, error);
}

static CryoSimServer *
start_demo (char   **device_spec,
            GError **error)
{
  CryoSimIncuversOptions options = CRYO_SIM_INCUVERS_OPTIONS_INIT;

  return cryo_sim_kind_start_demo_pty (&cryo_sim_incuvers_kind, cryo_sim_incuvers_server_new (&options),
                                       device_spec, error);
}

const CryoSimKind cryo_sim_incuvers_kind = {
  .id = "incubator",
  .description = N_("Incuvers incubator, PiLink status lines with CRC-32 over a serial line"),
  .create_option_group = create_option_group,
  .start = start,
  .start_demo = start_demo,
};

/**
 * cryo_sim_incuvers_server_new:
 * @options: the simulator's options (see #CryoSimIncuversOptions); copied
 *
 * Creates a simulated incubator (incuvers-pilink.md "Simulator
 * behaviour"), to be started with cryo_sim_server_start_pty(). It streams
 * a v1.12 status line every @options->setup.interval_ms. Its command log
 * has one line per command line received: the line without its "\r\n",
 * then each key with what became of it ("applied", "ignored", "rejected",
 * "unknown"), or "rejected: REASON" for a line the controller's length and
 * CRC rule refuses, e.g. "7~e3516923$TP|3750 TP=applied".
 *
 * Returns: (transfer full): a new server
 */
CryoSimServer *
cryo_sim_incuvers_server_new (const CryoSimIncuversOptions *options)
{
  g_autoptr(CryoSimIncuvers) model = NULL;

  g_return_val_if_fail (options != NULL, NULL);

  model = cryo_sim_incuvers_new (&options->setup);
  for (guint i = 0; options->ignored != NULL && options->ignored[i] != NULL; i++)
    {
      if (cryo_sim_incuvers_is_command_key (options->ignored[i]))
        cryo_sim_incuvers_set_ignored (model, options->ignored[i], TRUE);
      else
        g_critical ("%s: unknown command key “%s”", G_STRFUNC, options->ignored[i]);
    }

  return cryo_sim_server_new (CRYO_SIM_RESPONDER (model), &options->server);
}

/**
 * cryo_sim_incuvers_server_set_ignored:
 * @server: a server made by cryo_sim_incuvers_server_new()
 * @key: a command key ("TP")
 * @ignored: whether the controller ignores it
 *
 * Fault injection. Thread-safe.
 */
void
cryo_sim_incuvers_server_set_ignored (CryoSimServer *server,
                                      const char    *key,
                                      gboolean       ignored)
{
  g_return_if_fail (is_incuvers_server (server));

  cryo_sim_incuvers_set_ignored (lock_model (server), key, ignored);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_incuvers_server_set_silent:
 * @server: a server made by cryo_sim_incuvers_server_new()
 * @silent: %TRUE to stop the status lines
 *
 * Fault injection. Thread-safe.
 */
void
cryo_sim_incuvers_server_set_silent (CryoSimServer *server,
                                     gboolean       silent)
{
  g_return_if_fail (is_incuvers_server (server));

  cryo_sim_incuvers_set_silent (lock_model (server), silent);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_incuvers_server_get_setpoint_c:
 * @server: a server made by cryo_sim_incuvers_server_new()
 *
 * Returns: the model's temperature set point, °C. Thread-safe.
 */
double
cryo_sim_incuvers_server_get_setpoint_c (CryoSimServer *server)
{
  double value;

  g_return_val_if_fail (is_incuvers_server (server), 0.0);

  value = cryo_sim_incuvers_get_setpoint_c (lock_model (server));
  cryo_sim_server_unlock (server);
  return value;
}

/**
 * cryo_sim_incuvers_server_get_mode:
 * @server: a server made by cryo_sim_incuvers_server_new()
 * @key: "TM", "CM", "OM" or "FM"
 *
 * Returns: that mode of the model. Thread-safe.
 */
int
cryo_sim_incuvers_server_get_mode (CryoSimServer *server,
                                   const char    *key)
{
  int value;

  g_return_val_if_fail (is_incuvers_server (server), -1);

  value = cryo_sim_incuvers_get_mode (lock_model (server), key);
  cryo_sim_server_unlock (server);
  return value;
}

/**
 * cryo_sim_incuvers_server_get_n_saves:
 * @server: a server made by cryo_sim_incuvers_server_new()
 *
 * Returns: how many times the model saved its settings. Thread-safe.
 */
guint
cryo_sim_incuvers_server_get_n_saves (CryoSimServer *server)
{
  guint value;

  g_return_val_if_fail (is_incuvers_server (server), 0);

  value = cryo_sim_incuvers_get_n_saves (lock_model (server));
  cryo_sim_server_unlock (server);
  return value;
}
