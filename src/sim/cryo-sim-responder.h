/* cryo-sim-responder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instrument side of a simulator: its model and the protocol that
 * exposes it, served by a #CryoSimServer. DESIGN.md "Simulator".
 *
 * Why an interface and not a derivable server: what a simulator's server
 * does (its thread, the pseudo-terminal or TCP port, fault injection, the
 * command log) is the same for every instrument; only what answers differs.
 * So #CryoSimServer stays final and each protocol is a small final class
 * implementing this interface, the providers' shape of GNOME Text Editor.
 * A serial instrument answers requests (feed), sends unasked on a timer
 * (next_packet), or both; a Modbus instrument also implements
 * #CryoSimModbusResponder, because libmodbus, not a byte stream, frames its
 * requests.
 */

#pragma once

#include <glib-object.h>

#include "cryo-sim-command-log.h"

G_BEGIN_DECLS

#define CRYO_TYPE_SIM_RESPONDER (cryo_sim_responder_get_type ())

G_DECLARE_INTERFACE (CryoSimResponder, cryo_sim_responder, CRYO, SIM_RESPONDER, GObject)

/**
 * CryoSimResponderInterface:
 * @tick: advances the model by @dt_seconds of simulated time
 * @feed: a serial instrument that answers requests: takes the bytes
 *   received, any split, and returns one #GBytes per reply due, in order;
 *   the default answers nothing
 * @get_stream_interval_ms: a serial instrument that sends without being
 *   asked (status packets, lines): the period in ms of real time, 0 (the
 *   default) for none
 * @next_packet: the packet to send now, or %NULL to skip this period
 *
 * A responder is not thread-safe: the server calls it from its own thread
 * under cryo_sim_server_lock(), which other threads take to reach the model.
 * A Modbus instrument implements #CryoSimModbusResponder as well.
 */
struct _CryoSimResponderInterface
{
  GTypeInterface parent_iface;

  void       (*tick)                   (CryoSimResponder *self,
                                        double            dt_seconds);
  GPtrArray *(*feed)                   (CryoSimResponder *self,
                                        const guint8     *bytes,
                                        gsize             len);
  guint      (*get_stream_interval_ms) (CryoSimResponder *self);
  GBytes    *(*next_packet)            (CryoSimResponder *self);
};

void               cryo_sim_responder_tick                   (CryoSimResponder  *self,
                                                              double             dt_seconds);
GPtrArray         *cryo_sim_responder_feed                   (CryoSimResponder  *self,
                                                              const guint8      *bytes,
                                                              gsize              len);
guint              cryo_sim_responder_get_stream_interval_ms (CryoSimResponder  *self);
GBytes            *cryo_sim_responder_next_packet            (CryoSimResponder  *self);
CryoSimCommandLog *cryo_sim_responder_get_command_log        (CryoSimResponder  *self);
void               cryo_sim_responder_set_command_log        (CryoSimResponder  *self,
                                                              CryoSimCommandLog *log);
void               cryo_sim_responder_log_command            (CryoSimResponder  *self,
                                                              const char        *format,
                                                              ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
