/* cryo-sim-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server every simulator runs on: a #CryoSimResponder served from its
 * own thread and #GMainContext on a pseudo-terminal (serial, or Modbus RTU)
 * and, for Modbus instruments, on a TCP port; with a time-scale factor,
 * fault injection and a command log. DESIGN.md "Simulator".
 */

#pragma once

#include <glib-object.h>

#include "cryo-sim-responder.h"

G_BEGIN_DECLS

/**
 * CryoSimServerOptions:
 * @speed: time-scale factor of the model (> 0; 1 = real time)
 * @corrupt: probability 0..1 that a reply has one random byte altered
 * @drop: probability 0..1 that a reply is not sent (the request is still
 *   applied)
 * @delay_ms: delay before each reply, ms
 * @frozen: %TRUE to stop the model's clock (see cryo_sim_server_set_frozen())
 * @command_log_path: (nullable) (type filename): file the command log is
 *   appended to, one line per command
 * @baud: 0 to serve the pseudo-terminal as fast as it goes; else pace it
 *   like a serial line at this rate in bit/s (see cryo_sim_server_set_baud())
 *
 * What every simulator's server takes. Initialise with
 * %CRYO_SIM_SERVER_OPTIONS_INIT and change what differs.
 */
typedef struct
{
  double      speed;
  double      corrupt;
  double      drop;
  guint       delay_ms;
  gboolean    frozen;
  const char *command_log_path;
  guint       baud;
} CryoSimServerOptions;

#define CRYO_SIM_SERVER_OPTIONS_INIT { 1.0, 0.0, 0.0, 0, FALSE, NULL, 0 }

#define CRYO_TYPE_SIM_SERVER (cryo_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimServer, cryo_sim_server, CRYO, SIM_SERVER, GObject)

CryoSimServer    *cryo_sim_server_new             (CryoSimResponder           *responder,
                                                   const CryoSimServerOptions *options);
CryoSimResponder *cryo_sim_server_get_responder   (CryoSimServer              *self);
gboolean          cryo_sim_server_start_pty       (CryoSimServer              *self,
                                                   const char                 *link_path,
                                                   GError                    **error);
gboolean          cryo_sim_server_start_tcp       (CryoSimServer              *self,
                                                   const char                 *address,
                                                   guint                       port,
                                                   GError                    **error);
void              cryo_sim_server_stop            (CryoSimServer              *self);
gboolean          cryo_sim_server_is_running      (CryoSimServer              *self);
const char       *cryo_sim_server_get_path        (CryoSimServer              *self);
const char       *cryo_sim_server_get_pty_path    (CryoSimServer              *self);
const char       *cryo_sim_server_get_tcp_address (CryoSimServer              *self);
guint             cryo_sim_server_get_port        (CryoSimServer              *self);
char            **cryo_sim_server_dup_command_log (CryoSimServer              *self);
guint             cryo_sim_server_get_n_replies   (CryoSimServer              *self);
void              cryo_sim_server_set_faults      (CryoSimServer              *self,
                                                   double                      corrupt,
                                                   double                      drop,
                                                   guint                       delay_ms);
void              cryo_sim_server_set_frozen      (CryoSimServer              *self,
                                                   gboolean                    frozen);
void              cryo_sim_server_set_baud        (CryoSimServer              *self,
                                                   guint                       baud);
void              cryo_sim_server_lock            (CryoSimServer              *self);
void              cryo_sim_server_unlock          (CryoSimServer              *self);

G_END_DECLS
