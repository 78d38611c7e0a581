/* cryo-sim-responder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-responder"

#include "config.h"

#include "cryo-sim-responder.h"

G_DEFINE_INTERFACE (CryoSimResponder, cryo_sim_responder, G_TYPE_OBJECT)

/* The log belongs to whoever attached it (the server); every responder
 * writes to it the same way, so it is kept here rather than in each. */
static GQuark command_log_quark;

static void
cryo_sim_responder_real_tick (CryoSimResponder *self,
                              double            dt_seconds)
{
}

static GPtrArray *
cryo_sim_responder_real_feed (CryoSimResponder *self,
                              const guint8     *bytes,
                              gsize             len)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static guint
cryo_sim_responder_real_get_stream_interval_ms (CryoSimResponder *self)
{
  return 0;
}

static GBytes *
cryo_sim_responder_real_next_packet (CryoSimResponder *self)
{
  return NULL;
}

static void
cryo_sim_responder_default_init (CryoSimResponderInterface *iface)
{
  command_log_quark = g_quark_from_static_string ("cryo-sim-responder-command-log");

  iface->tick = cryo_sim_responder_real_tick;
  iface->feed = cryo_sim_responder_real_feed;
  iface->get_stream_interval_ms = cryo_sim_responder_real_get_stream_interval_ms;
  iface->next_packet = cryo_sim_responder_real_next_packet;
}

/**
 * cryo_sim_responder_tick:
 * @self: a #CryoSimResponder
 * @dt_seconds: simulated time elapsed, s (≥ 0): real time times the
 *   server's speed factor
 *
 * Advances the model.
 */
void
cryo_sim_responder_tick (CryoSimResponder *self,
                         double            dt_seconds)
{
  g_return_if_fail (CRYO_IS_SIM_RESPONDER (self));
  g_return_if_fail (dt_seconds >= 0.0);

  CRYO_SIM_RESPONDER_GET_IFACE (self)->tick (self, dt_seconds);
}

/**
 * cryo_sim_responder_feed:
 * @self: a #CryoSimResponder
 * @bytes: (array length=len): bytes received on the serial line, any split
 * @len: number of bytes
 *
 * Answers the complete requests among the bytes received so far. Commands
 * that reach the instrument are logged with cryo_sim_responder_log_command().
 *
 * Returns: (transfer full) (element-type GBytes): one encoded reply per
 *   request answered, in order; possibly none
 */
GPtrArray *
cryo_sim_responder_feed (CryoSimResponder *self,
                         const guint8     *bytes,
                         gsize             len)
{
  g_return_val_if_fail (CRYO_IS_SIM_RESPONDER (self), NULL);
  g_return_val_if_fail (bytes != NULL || len == 0, NULL);

  return CRYO_SIM_RESPONDER_GET_IFACE (self)->feed (self, bytes, len);
}

/**
 * cryo_sim_responder_get_stream_interval_ms:
 * @self: a #CryoSimResponder
 *
 * Returns: how often, in ms of real time, the instrument sends
 *   cryo_sim_responder_next_packet() unasked; 0 when it only answers
 */
guint
cryo_sim_responder_get_stream_interval_ms (CryoSimResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_RESPONDER (self), 0);

  return CRYO_SIM_RESPONDER_GET_IFACE (self)->get_stream_interval_ms (self);
}

/**
 * cryo_sim_responder_next_packet:
 * @self: a #CryoSimResponder
 *
 * Returns: (transfer full) (nullable): the encoded packet the instrument
 *   sends now unasked, %NULL for none this period
 */
GBytes *
cryo_sim_responder_next_packet (CryoSimResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_RESPONDER (self), NULL);

  return CRYO_SIM_RESPONDER_GET_IFACE (self)->next_packet (self);
}

/**
 * cryo_sim_responder_get_command_log:
 * @self: a #CryoSimResponder
 *
 * Returns: (transfer none) (nullable): the log commands are written to
 */
CryoSimCommandLog *
cryo_sim_responder_get_command_log (CryoSimResponder *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_RESPONDER (self), NULL);

  return g_object_get_qdata (G_OBJECT (self), command_log_quark);
}

/**
 * cryo_sim_responder_set_command_log:
 * @self: a #CryoSimResponder
 * @log: (nullable): the log to write commands to; a reference is kept
 *
 * Set by the server that serves @self, before it starts; by tests that
 * drive a responder directly.
 */
void
cryo_sim_responder_set_command_log (CryoSimResponder  *self,
                                    CryoSimCommandLog *log)
{
  g_return_if_fail (CRYO_IS_SIM_RESPONDER (self));
  g_return_if_fail (log == NULL || CRYO_IS_SIM_COMMAND_LOG (log));

  if (log != NULL)
    g_object_set_qdata_full (G_OBJECT (self), command_log_quark,
                             g_object_ref (log), g_object_unref);
  else
    g_object_set_qdata (G_OBJECT (self), command_log_quark, NULL);
}

/**
 * cryo_sim_responder_log_command:
 * @self: a #CryoSimResponder
 * @format: printf() format of one printable line, e.g. "%03u %s %s" for
 *   "000 1 ACK"
 * @...: its arguments
 *
 * For implementations: records a command that reached the instrument, with
 * the instrument's answer, in the command log (if one is set).
 */
void
cryo_sim_responder_log_command (CryoSimResponder *self,
                                const char       *format,
                                ...)
{
  CryoSimCommandLog *log;
  g_autofree char *line = NULL;
  va_list args;

  g_return_if_fail (CRYO_IS_SIM_RESPONDER (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  log = cryo_sim_responder_get_command_log (self);
  if (log != NULL)
    cryo_sim_command_log_append (log, line);
  else
    g_debug ("Command: %s", line);
}
