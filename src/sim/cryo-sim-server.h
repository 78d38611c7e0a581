/* cryo-sim-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated instrument behind a pseudo-terminal: a model and its protocol
 * responder served from their own thread, with a time-scale factor and
 * fault injection. DESIGN.md "Simulator".
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CryoSimOptions:
 * @speed: time-scale factor of the model (> 0; 1 = real time)
 * @corrupt: probability 0..1 that a reply has one random byte altered
 * @drop: probability 0..1 that a reply is not sent
 * @delay_ms: delay before each reply, ms
 * @address: RS-485 address answered, 0..31
 * @running: %TRUE to start at speed, %FALSE stopped and vented
 * @pressure_unit: initial window 163: 0 mbar, 1 Pa, 2 Torr
 * @command_log_path: (nullable) (type filename): file the command log is
 *   appended to, one line per write request
 * @error_bits: window 206 fault bits latched from the start (0 = none)
 * @remote: start in remote (front-panel) mode, window 008 = 1
 *
 * Options of a simulated instrument. Initialise with
 * %CRYO_SIM_OPTIONS_INIT and change what differs.
 */
typedef struct
{
  double      speed;
  double      corrupt;
  double      drop;
  guint       delay_ms;
  guint       address;
  gboolean    running;
  guint       pressure_unit;
  const char *command_log_path;
  guint       error_bits;
  gboolean    remote;
} CryoSimOptions;

#define CRYO_SIM_OPTIONS_INIT { 1.0, 0.0, 0.0, 0, 0, TRUE, 0, NULL, 0, FALSE }

#define CRYO_TYPE_SIM_SERVER (cryo_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimServer, cryo_sim_server, CRYO, SIM_SERVER, GObject)

CryoSimServer *cryo_sim_server_new_pump_station (const CryoSimOptions *options);
gboolean       cryo_sim_server_start             (CryoSimServer        *self,
                                                  const char           *link_path,
                                                  GError              **error);
const char    *cryo_sim_server_get_path          (CryoSimServer        *self);
const char    *cryo_sim_server_get_pty_path      (CryoSimServer        *self);
gboolean       cryo_sim_server_is_running        (CryoSimServer        *self);
void           cryo_sim_server_stop              (CryoSimServer        *self);
char         **cryo_sim_server_dup_command_log   (CryoSimServer        *self);
guint          cryo_sim_server_get_n_replies     (CryoSimServer        *self);
void           cryo_sim_server_set_faults        (CryoSimServer        *self,
                                                  double                corrupt,
                                                  double                drop,
                                                  guint                 delay_ms);
void           cryo_sim_server_set_error_bits    (CryoSimServer        *self,
                                                  guint                 bits);
gboolean       cryo_sim_server_press_front_panel_start (CryoSimServer *self);
guint          cryo_sim_server_get_pump_status   (CryoSimServer        *self);
double         cryo_sim_server_get_pump_rpm      (CryoSimServer        *self);
double         cryo_sim_server_get_pump_pressure_mbar (CryoSimServer   *self);

G_END_DECLS
