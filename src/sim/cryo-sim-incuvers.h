/* cryo-sim-incuvers.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated Incuvers incubator controller: the chamber model and its
 * PiLink line protocol in one serial #CryoSimResponder that streams status
 * lines and reads command lines. shared/protocols/incuvers-pilink.md
 * "Simulator behaviour". No I/O; not thread-safe (the server's lock guards
 * it).
 */

#pragma once

#include <glib-object.h>

#include "cryo-sim-responder.h"

G_BEGIN_DECLS

/* The room around the incubator. */
#define CRYO_SIM_INCUVERS_AMBIENT_C   22.0
#define CRYO_SIM_INCUVERS_AIR_CO2_PCT 0.04
#define CRYO_SIM_INCUVERS_AIR_O2_PCT  20.9
/* How long a maintained value may stay off target before its alarm, s. */
#define CRYO_SIM_INCUVERS_ALARM_AFTER_S 600.0

/**
 * CryoSimIncuversSetup:
 * @chamber_c: initial chamber (and door) temperature, °C
 * @temperature_setpoint_c: initial `TP`, °C
 * @heat_mode: initial `TM`, 0 or 1
 * @co2_sensor: whether the unit has a CO2 sensor (else `CC` is -10000)
 * @o2_sensor: whether it has an O2 sensor
 * @co2_mode: initial `CM`, 0..2
 * @co2_setpoint_pct: initial `CP`, %
 * @o2_mode: initial `OM`, 0..2
 * @o2_setpoint_pct: initial `OP`, %
 * @interval_ms: status line period, ms of real time (about 1000: "Link")
 *
 * How a simulated incubator starts.
 */
typedef struct
{
  double   chamber_c;
  double   temperature_setpoint_c;
  int      heat_mode;
  gboolean co2_sensor;
  gboolean o2_sensor;
  int      co2_mode;
  double   co2_setpoint_pct;
  int      o2_mode;
  double   o2_setpoint_pct;
  guint    interval_ms;
} CryoSimIncuversSetup;

#define CRYO_SIM_INCUVERS_SETUP_INIT { 36.5, 37.0, 1, TRUE, FALSE, 2, 5.0, 0, 20.0, 1000 }

#define CRYO_TYPE_SIM_INCUVERS (cryo_sim_incuvers_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimIncuvers, cryo_sim_incuvers, CRYO, SIM_INCUVERS, GObject)

CryoSimIncuvers *cryo_sim_incuvers_new               (const CryoSimIncuversSetup *setup);
void             cryo_sim_incuvers_set_ignored       (CryoSimIncuvers            *self,
                                                      const char                 *key,
                                                      gboolean                    ignored);
gboolean         cryo_sim_incuvers_is_command_key    (const char                 *key);
void             cryo_sim_incuvers_set_silent        (CryoSimIncuvers            *self,
                                                      gboolean                    silent);
double           cryo_sim_incuvers_get_chamber_c     (CryoSimIncuvers            *self);
double           cryo_sim_incuvers_get_setpoint_c    (CryoSimIncuvers            *self);
int              cryo_sim_incuvers_get_mode          (CryoSimIncuvers            *self,
                                                      const char                 *key);
gboolean         cryo_sim_incuvers_get_alarm         (CryoSimIncuvers            *self,
                                                      const char                 *key);
guint            cryo_sim_incuvers_get_n_saves       (CryoSimIncuvers            *self);

G_END_DECLS
