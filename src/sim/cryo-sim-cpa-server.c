/* cryo-sim-cpa-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-cpa-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cryo-cpa.h"
#include "cryo-sim-cpa-responder.h"
#include "cryo-sim-cpa-server.h"

#define MAX_RTU_UNIT_ID 247

/* cryomon-sim cpa: one command line per process. */
static char      *opt_tcp;
static char      *opt_state;
static char      *opt_unit;
static char      *opt_pressure_scale;
static char      *opt_temperature_scale;
static char     **opt_alarms;
static char     **opt_warnings;
static gboolean   opt_freeze;

static const GOptionEntry option_entries[] = {
  { "tcp", 0, 0, G_OPTION_ARG_STRING, &opt_tcp,
    N_("Serve Modbus TCP on ADDRESS:PORT (port 0: any free port; prints tcp:ADDRESS:PORT); "
       "without --link, no RTU"), N_("ADDRESS:PORT") },
  { "state", 0, 0, G_OPTION_ARG_STRING, &opt_state,
    N_("Initial state: running or idle (default)"), N_("STATE") },
  { "unit", 0, 0, G_OPTION_ARG_STRING, &opt_unit,
    N_("Modbus RTU unit id 1..247 (default 16)"), N_("UNIT") },
  { "pressure-scale", 0, 0, G_OPTION_ARG_STRING, &opt_pressure_scale,
    N_("Panel pressure scale: psi (default), bar or kPa"), N_("SCALE") },
  { "temperature-scale", 0, 0, G_OPTION_ARG_STRING, &opt_temperature_scale,
    N_("Panel temperature scale: F (default), C or K"), N_("SCALE") },
  { "alarm", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_alarms,
    N_("Set alarm bit BIT (0..30) from the start; repeatable"), N_("BIT") },
  { "warning", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_warnings,
    N_("Set warning bit BIT (0..30) from the start; repeatable"), N_("BIT") },
  { "freeze", 0, 0, G_OPTION_ARG_NONE, &opt_freeze,
    N_("Stop the model's clock: the registers change only on writes"), NULL },
  { NULL }
};

/* (transfer none): the model, with the server locked. */
static CryoSimCpa *
lock_model (CryoSimServer *server)
{
  CryoSimResponder *responder = cryo_sim_server_get_responder (server);

  cryo_sim_server_lock (server);
  return cryo_sim_cpa_responder_get_model (CRYO_SIM_CPA_RESPONDER (responder));
}

static gboolean
is_cpa_server (CryoSimServer *server)
{
  return CRYO_IS_SIM_SERVER (server)
         && CRYO_IS_SIM_CPA_RESPONDER (cryo_sim_server_get_responder (server));
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

static gboolean
usage_error (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

static gboolean
parse_options (CryoSimCpaOptions  *options,
               GError            **error)
{
  if (opt_unit != NULL
      && (!parse_uint (opt_unit, MAX_RTU_UNIT_ID, &options->unit_id) || options->unit_id == 0))
    return usage_error (error, _("--unit needs a Modbus unit id from 1 to 247"));

  if (opt_state == NULL || g_strcmp0 (opt_state, "idle") == 0)
    options->running = FALSE;
  else if (g_strcmp0 (opt_state, "running") == 0)
    options->running = TRUE;
  else
    return usage_error (error, _("--state needs “running” or “idle”"));

  if (opt_pressure_scale == NULL || g_ascii_strcasecmp (opt_pressure_scale, "psi") == 0)
    options->pressure_scale = CRYO_CPA_PRESSURE_SCALE_PSI;
  else if (g_ascii_strcasecmp (opt_pressure_scale, "bar") == 0)
    options->pressure_scale = CRYO_CPA_PRESSURE_SCALE_BAR;
  else if (g_ascii_strcasecmp (opt_pressure_scale, "kPa") == 0)
    options->pressure_scale = CRYO_CPA_PRESSURE_SCALE_KPA;
  else
    return usage_error (error, _("--pressure-scale needs “psi”, “bar” or “kPa”"));

  if (opt_temperature_scale == NULL || g_ascii_strcasecmp (opt_temperature_scale, "F") == 0)
    options->temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT;
  else if (g_ascii_strcasecmp (opt_temperature_scale, "C") == 0)
    options->temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_CELSIUS;
  else if (g_ascii_strcasecmp (opt_temperature_scale, "K") == 0)
    options->temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_KELVIN;
  else
    return usage_error (error, _("--temperature-scale needs “F”, “C” or “K”"));

  if (!parse_bits (opt_alarms, &options->alarms))
    return usage_error (error, _("--alarm needs a bit number from 0 to 30"));
  if (!parse_bits (opt_warnings, &options->warnings))
    return usage_error (error, _("--warning needs a bit number from 0 to 30"));

  options->server.frozen = opt_freeze;

  return TRUE;
}

static GOptionGroup *
create_option_group (void)
{
  return cryo_sim_kind_new_option_group (&cryo_sim_cpa_kind, _("CPA compressor options:"),
                                         _("Show the CPA compressor options"), option_entries);
}

static CryoSimServer *
start (const CryoSimServerOptions  *server_options,
       const char                  *link_path,
       GError                     **error)
{
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autofree char *address = NULL;
  guint port = 0;

  options.server = *server_options;

  if (opt_tcp != NULL && !parse_tcp (opt_tcp, &address, &port))
    {
      usage_error (error, _("--tcp needs ADDRESS:PORT, e.g. 127.0.0.1:0 for any free port"));
      return NULL;
    }

  if (!parse_options (&options, error))
    return NULL;

  server = cryo_sim_cpa_server_new (&options);

  if (address != NULL && !cryo_sim_server_start_tcp (server, address, port, error))
    return NULL;
  /* RTU when asked for, or when nothing else is. */
  if ((link_path != NULL || address == NULL)
      && !cryo_sim_server_start_pty (server, link_path, error))
    return NULL;

  return g_steal_pointer (&server);
}

static CryoSimServer *
start_demo (char   **device_spec,
            GError **error)
{
  CryoSimCpaOptions options = CRYO_SIM_CPA_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;

  /* Starting from idle: pressures and temperatures settle as the demo
   * begins. */
  options.running = FALSE;
  options.starting = TRUE;
  server = cryo_sim_cpa_server_new (&options);
  if (!cryo_sim_server_start_tcp (server, "127.0.0.1", 0, error))
    return NULL;

  *device_spec = g_strdup_printf ("%s:tcp:%s:%u", cryo_sim_cpa_kind.id,
                                  cryo_sim_server_get_tcp_address (server),
                                  cryo_sim_server_get_port (server));
  return g_steal_pointer (&server);
}

const CryoSimKind cryo_sim_cpa_kind = {
  .id = "cpa",
  .description = N_("Cryomech CPA helium compressor, Modbus TCP (--tcp) or Modbus RTU on a "
                    "pseudo-terminal"),
  .create_option_group = create_option_group,
  .start = start,
  .start_demo = start_demo,
};

/**
 * cryo_sim_cpa_server_new:
 * @options: the simulator's options (see #CryoSimCpaOptions); copied
 *
 * Creates a simulated Cryomech CPA1110 compressor (cryomech-cpa-modbus.md
 * "Simulator behaviour"): input registers 1..33 and holding register 1 at
 * those PDU addresses, served once started with cryo_sim_server_start_tcp()
 * and/or cryo_sim_server_start_pty() (Modbus RTU for @options.unit_id).
 * Its command log has one line per write request to a holding register,
 * "HR<address> 0x<value> <outcome>", e.g. "HR1 0x0001 ACK",
 * "HR1 0x0001 REFUSED (alarm)".
 *
 * Returns: (transfer full): a new server
 */
CryoSimServer *
cryo_sim_cpa_server_new (const CryoSimCpaOptions *options)
{
  g_autoptr(CryoSimCpa) model = NULL;
  g_autoptr(CryoSimCpaResponder) responder = NULL;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->unit_id >= 1 && options->unit_id <= MAX_RTU_UNIT_ID, NULL);
  g_return_val_if_fail (options->pressure_scale <= CRYO_CPA_PRESSURE_SCALE_KPA, NULL);
  g_return_val_if_fail (options->temperature_scale <= CRYO_CPA_TEMPERATURE_SCALE_KELVIN, NULL);

  model = cryo_sim_cpa_new (options->running, g_random_int ());
  cryo_sim_cpa_set_pressure_scale (model, options->pressure_scale);
  cryo_sim_cpa_set_temperature_scale (model, options->temperature_scale);
  cryo_sim_cpa_set_warnings (model, options->warnings);
  cryo_sim_cpa_set_alarms (model, options->alarms);
  if (options->starting && !options->running)
    cryo_sim_cpa_start (model);
  responder = cryo_sim_cpa_responder_new (model, options->unit_id);

  return cryo_sim_server_new (CRYO_SIM_RESPONDER (responder), &options->server);
}

/**
 * cryo_sim_cpa_server_get_registers:
 * @server: a server made by cryo_sim_cpa_server_new()
 * @registers: (out caller-allocates) (array fixed-size=33): input registers
 *   1..33
 *
 * What a read of the 33 input registers would return now (the model is
 * ticked every 100 ms unless frozen). Thread-safe.
 */
void
cryo_sim_cpa_server_get_registers (CryoSimServer *server,
                                   guint16       *registers)
{
  g_return_if_fail (is_cpa_server (server));
  g_return_if_fail (registers != NULL);

  cryo_sim_cpa_encode_input_registers (lock_model (server), registers);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cpa_server_set_warnings:
 * @server: a server made by cryo_sim_cpa_server_new()
 * @bits: warning bits 0..30 (registers 3-4), 0 to clear
 *
 * See cryo_sim_cpa_set_warnings(). Thread-safe.
 */
void
cryo_sim_cpa_server_set_warnings (CryoSimServer *server,
                                  guint32        bits)
{
  g_return_if_fail (is_cpa_server (server));

  cryo_sim_cpa_set_warnings (lock_model (server), bits);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cpa_server_set_alarms:
 * @server: a server made by cryo_sim_cpa_server_new()
 * @bits: alarm bits 0..30 (registers 5-6), 0 to clear
 *
 * See cryo_sim_cpa_set_alarms(): an alarm stops a running compressor
 * (state 7) and refuses starts. Thread-safe.
 */
void
cryo_sim_cpa_server_set_alarms (CryoSimServer *server,
                                guint32        bits)
{
  g_return_if_fail (is_cpa_server (server));

  cryo_sim_cpa_set_alarms (lock_model (server), bits);
  cryo_sim_server_unlock (server);
}

/**
 * cryo_sim_cpa_server_get_state:
 * @server: a server made by cryo_sim_cpa_server_new()
 *
 * Returns: the model's operating state, register 1 (#CryoCpaState).
 *   Thread-safe.
 */
guint
cryo_sim_cpa_server_get_state (CryoSimServer *server)
{
  guint state;

  g_return_val_if_fail (is_cpa_server (server), CRYO_CPA_STATE_ERROR);

  state = cryo_sim_cpa_get_state (lock_model (server));
  cryo_sim_server_unlock (server);

  return state;
}
