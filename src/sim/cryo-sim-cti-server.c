/* cryo-sim-cti-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-cti-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cryo-sim-cti.h"
#include "cryo-sim-cti-server.h"

/* The module's own line (cti-onboard.md "Line"). */
#define LINE_BAUD 2400

/* cryomon-sim cti: one command line per process. */
static char     *opt_state;
static gboolean  opt_power_failure;
static int       opt_address = CRYO_CTI_NO_ADDRESS;
static char    **opt_refuse;

static const GOptionEntry option_entries[] = {
  { "state", 0, 0, G_OPTION_ARG_STRING, &opt_state,
    N_("Initial state: on (default, pump cold) or off (at room temperature)"), N_("STATE") },
  { "power-failure", 0, 0, G_OPTION_ARG_NONE, &opt_power_failure,
    N_("Start as after a power failure: replies flagged B/F/H until status 1 is read"), NULL },
  { "address", 'a', 0, G_OPTION_ARG_INT, &opt_address,
    N_("Answer Network Terminal address N (0..19) instead of a pump on its own line"), N_("N") },
  { "refuse", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_refuse,
    N_("Refuse this command with G, as the pump’s own interlock would (A1, N1…); repeatable"),
    N_("COMMAND") },
  { NULL }
};

/* (transfer none): the model, with the server locked. */
static CryoSimCti *
lock_model (CryoSimServer *server)
{
  cryo_sim_server_lock (server);
  return CRYO_SIM_CTI (cryo_sim_server_get_responder (server));
}

static gboolean
is_cti_server (CryoSimServer *server)
{
  return CRYO_IS_SIM_SERVER (server) && CRYO_IS_SIM_CTI (cryo_sim_server_get_responder (server));
}

static GOptionGroup *
create_option_group (void)
{
  return cryo_sim_kind_new_option_group (&cryo_sim_cti_kind, _("CTI cryopump options:"),
                                         _("Show the CTI cryopump options"), option_entries);
}

static CryoSimServer *
start (const CryoSimServerOptions  *server_options,
       const char                  *link_path,
       GError                     **error)
{
  CryoSimCtiOptions options = CRYO_SIM_CTI_OPTIONS_INIT;

  options.server = *server_options;

  if (opt_state == NULL || g_str_equal (opt_state, "on"))
    options.pump_on = TRUE;
  else if (g_str_equal (opt_state, "off"))
    options.pump_on = FALSE;
  else
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--state needs “on” or “off”"));
      return NULL;
    }

  if (opt_address != CRYO_CTI_NO_ADDRESS && (opt_address < 0 || opt_address > CRYO_CTI_MAX_ADDRESS))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--address needs a number from 0 to 19"));
      return NULL;
    }

  for (guint i = 0; opt_refuse != NULL && opt_refuse[i] != NULL; i++)
    if (opt_refuse[i][0] == '\0' || strlen (opt_refuse[i]) > CRYO_CTI_MAX_DATA)
      {
        g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                             _("--refuse needs a command of 1 to 14 characters"));
        return NULL;
      }

  options.power_failure = opt_power_failure;
  options.address = opt_address;
  options.refused = (const char * const *) opt_refuse;

  return cryo_sim_kind_start_pty (cryo_sim_cti_server_new (&options), link_path, error);
}

/* The demo's pump runs on a line paced as the real one, so that what the
 * panel shows of its rate is what a real pump gives. */
static CryoSimServer *
start_demo (char   **device_spec,
            GError **error)
{
  CryoSimCtiOptions options = CRYO_SIM_CTI_OPTIONS_INIT;

  options.server.baud = LINE_BAUD;
  return cryo_sim_kind_start_demo_pty (&cryo_sim_cti_kind, cryo_sim_cti_server_new (&options),
                                       device_spec, error);
}

const CryoSimKind cryo_sim_cti_kind = {
  .id = "cti",
  .description = N_("CTI/Brooks On-Board cryopump, ASCII protocol over RS-232 (use --baud 2400 for line rate)"),
  .create_option_group = create_option_group,
  .start = start,
  .start_demo = start_demo,
};

/**
 * cryo_sim_cti_server_new:
 * @options: the simulator's options (see #CryoSimCtiOptions); copied
 *
 * Creates a simulated On-Board cryopump (cti-onboard.md), to be started
 * with cryo_sim_server_start_pty(). Its command log: see cryo_sim_cti_new().
 *
 * Returns: (transfer full): a new server
 */
CryoSimServer *
cryo_sim_cti_server_new (const CryoSimCtiOptions *options)
{
  g_autoptr(CryoSimCti) model = NULL;

  g_return_val_if_fail (options != NULL, NULL);

  model = cryo_sim_cti_new (options->pump_on, options->power_failure, options->address);
  for (guint i = 0; options->refused != NULL && options->refused[i] != NULL; i++)
    cryo_sim_cti_set_refused (model, options->refused[i], TRUE);

  return cryo_sim_server_new (CRYO_SIM_RESPONDER (model), &options->server);
}

/**
 * cryo_sim_cti_server_power_failure:
 * @server: a server made by cryo_sim_cti_server_new()
 *
 * Fault injection: see cryo_sim_cti_power_failure(). Thread-safe.
 */
void
cryo_sim_cti_server_power_failure (CryoSimServer *server)
{
  g_return_if_fail (is_cti_server (server));

  cryo_sim_cti_power_failure (lock_model (server));
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cti_server_set_refused:
 * @server: a server made by cryo_sim_cti_server_new()
 * @command: a command ("A1")
 * @refused: %TRUE to answer it G from now on
 *
 * Fault injection: see cryo_sim_cti_set_refused(). Thread-safe.
 */
void
cryo_sim_cti_server_set_refused (CryoSimServer *server,
                                 const char    *command,
                                 gboolean       refused)
{
  g_return_if_fail (is_cti_server (server));

  cryo_sim_cti_set_refused (lock_model (server), command, refused);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cti_server_get_pump_on:
 * @server: a server made by cryo_sim_cti_server_new()
 *
 * Returns: whether the pump runs. Thread-safe.
 */
gboolean
cryo_sim_cti_server_get_pump_on (CryoSimServer *server)
{
  gboolean on;

  g_return_val_if_fail (is_cti_server (server), FALSE);

  on = cryo_sim_cti_get_pump_on (lock_model (server));
  cryo_sim_server_unlock (server);

  return on;
}

/**
 * cryo_sim_cti_server_get_regen_code:
 * @server: a server made by cryo_sim_cti_server_new()
 *
 * Returns: what O answers now. Thread-safe.
 */
char
cryo_sim_cti_server_get_regen_code (CryoSimServer *server)
{
  char code;

  g_return_val_if_fail (is_cti_server (server), 'A');

  code = cryo_sim_cti_get_regen_code (lock_model (server));
  cryo_sim_server_unlock (server);

  return code;
}

/**
 * cryo_sim_cti_server_get_regen_phase:
 * @server: a server made by cryo_sim_cti_server_new()
 *
 * Returns: the regen step O reports now. Thread-safe.
 */
CryoCtiRegenPhase
cryo_sim_cti_server_get_regen_phase (CryoSimServer *server)
{
  CryoCtiRegenPhase phase;

  g_return_val_if_fail (is_cti_server (server), CRYO_CTI_REGEN_PHASE_PUMP_OFF);

  phase = cryo_sim_cti_get_regen_phase (lock_model (server));
  cryo_sim_server_unlock (server);

  return phase;
}

/**
 * cryo_sim_cti_server_get_power_failure:
 * @server: a server made by cryo_sim_cti_server_new()
 *
 * Returns: whether the power-failure flag is latched. Thread-safe.
 */
gboolean
cryo_sim_cti_server_get_power_failure (CryoSimServer *server)
{
  gboolean latched;

  g_return_val_if_fail (is_cti_server (server), FALSE);

  latched = cryo_sim_cti_get_power_failure (lock_model (server));
  cryo_sim_server_unlock (server);

  return latched;
}

/**
 * cryo_sim_cti_server_get_regen_cycles:
 * @server: a server made by cryo_sim_cti_server_new()
 *
 * Returns: completed regens (Z?). Thread-safe.
 */
guint
cryo_sim_cti_server_get_regen_cycles (CryoSimServer *server)
{
  guint cycles;

  g_return_val_if_fail (is_cti_server (server), 0);

  cycles = cryo_sim_cti_get_regen_cycles (lock_model (server));
  cryo_sim_server_unlock (server);

  return cycles;
}

/**
 * cryo_sim_cti_server_get_param:
 * @server: a server made by cryo_sim_cti_server_new()
 * @command: a parameter's command ("P0", "H")
 *
 * Returns: its value in the module. Thread-safe.
 */
guint
cryo_sim_cti_server_get_param (CryoSimServer *server,
                               const char    *command)
{
  guint value;

  g_return_val_if_fail (is_cti_server (server), 0);

  value = cryo_sim_cti_get_param (lock_model (server), command);
  cryo_sim_server_unlock (server);

  return value;
}
