/* cryo-sim-cpa.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Physical model of a Cryomech CPA helium compressor (CPA1110 panel) behind
 * its Modbus input registers: shared/protocols/cryomech-cpa-modbus.md,
 * "Input registers", "Control" and "Simulator behaviour". Pure model: no
 * I/O, no main loop, not thread-safe.
 */

#pragma once

#include <glib-object.h>

#include "cryo-cpa.h"

G_BEGIN_DECLS

/* Durations of the transient states at speed 1, seconds. */
#define CRYO_SIM_CPA_STARTING_S        10.0
#define CRYO_SIM_CPA_STOPPING_S        10.0

/* Steady values, panel units (psi, °F, A, h). */
#define CRYO_SIM_CPA_STATIC_PSI        200.0
#define CRYO_SIM_CPA_HIGH_RUNNING_PSI  290.0
#define CRYO_SIM_CPA_LOW_RUNNING_PSI   70.0
#define CRYO_SIM_CPA_COOLANT_IN_F      70.0
#define CRYO_SIM_CPA_MOTOR_CURRENT_A   27.0
#define CRYO_SIM_CPA_INITIAL_HOURS     24735.5
#define CRYO_SIM_CPA_SERIAL_NUMBER     1234
#define CRYO_SIM_CPA_SOFTWARE_MAJOR    2
#define CRYO_SIM_CPA_SOFTWARE_MINOR    3

/**
 * CryoSimCpaStartResult:
 * @CRYO_SIM_CPA_START_ACCEPTED: the compressor starts (or was already
 *   starting or running)
 * @CRYO_SIM_CPA_START_REFUSED_ALARM: refused, an alarm bit is set
 * @CRYO_SIM_CPA_START_REFUSED_STATE: refused, the operating state is not
 *   idle (0) or recovered from error (15), e.g. while stopping
 *
 * What a start command (holding register 1 = 1) did; the Modbus write is
 * acknowledged in every case. cryomech-cpa-modbus.md "Control".
 */
typedef enum
{
  CRYO_SIM_CPA_START_ACCEPTED,
  CRYO_SIM_CPA_START_REFUSED_ALARM,
  CRYO_SIM_CPA_START_REFUSED_STATE,
} CryoSimCpaStartResult;

#define CRYO_TYPE_SIM_CPA (cryo_sim_cpa_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimCpa, cryo_sim_cpa, CRYO, SIM_CPA, GObject)

CryoSimCpa            *cryo_sim_cpa_new                   (gboolean                 running,
                                                           guint32                  seed);
void                   cryo_sim_cpa_tick                  (CryoSimCpa              *self,
                                                           double                   dt_seconds);

CryoSimCpaStartResult  cryo_sim_cpa_start                 (CryoSimCpa              *self);
void                   cryo_sim_cpa_stop                  (CryoSimCpa              *self);

guint                  cryo_sim_cpa_get_state             (CryoSimCpa              *self);
gboolean               cryo_sim_cpa_get_running           (CryoSimCpa              *self);
guint32                cryo_sim_cpa_get_warnings          (CryoSimCpa              *self);
void                   cryo_sim_cpa_set_warnings          (CryoSimCpa              *self,
                                                           guint32                  bits);
guint32                cryo_sim_cpa_get_alarms            (CryoSimCpa              *self);
void                   cryo_sim_cpa_set_alarms            (CryoSimCpa              *self,
                                                           guint32                  bits);

CryoCpaPressureScale   cryo_sim_cpa_get_pressure_scale    (CryoSimCpa              *self);
void                   cryo_sim_cpa_set_pressure_scale    (CryoSimCpa              *self,
                                                           CryoCpaPressureScale     scale);
CryoCpaTemperatureScale cryo_sim_cpa_get_temperature_scale (CryoSimCpa             *self);
void                   cryo_sim_cpa_set_temperature_scale (CryoSimCpa              *self,
                                                           CryoCpaTemperatureScale  scale);

double                 cryo_sim_cpa_get_high_pressure_psi (CryoSimCpa              *self);
double                 cryo_sim_cpa_get_low_pressure_psi  (CryoSimCpa              *self);
double                 cryo_sim_cpa_get_helium_temperature_f (CryoSimCpa           *self);
double                 cryo_sim_cpa_get_motor_current_a   (CryoSimCpa              *self);
double                 cryo_sim_cpa_get_hours             (CryoSimCpa              *self);

void                   cryo_sim_cpa_get_snapshot          (CryoSimCpa              *self,
                                                           CryoCpaSnapshot         *snapshot);
void                   cryo_sim_cpa_encode_input_registers (CryoSimCpa             *self,
                                                           guint16                 *registers);

G_END_DECLS
