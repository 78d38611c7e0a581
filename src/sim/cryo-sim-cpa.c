/* cryo-sim-cpa.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-cpa"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-cpa.h"
#include "cryo-sim-cpa.h"
#include "cryo-units.h"

/* Pressures: with the motor on the high side climbs from the static charge
 * towards 290 psi and the low side falls towards 70 psi within a couple of
 * minutes; stopped, both sides equalise back to the static pressure more
 * slowly. The panel's averages lag the readings. */
#define PRESSURE_TAU_RUNNING_S   40.0
#define PRESSURE_TAU_STOPPED_S   90.0
#define AVERAGE_TAU_S            15.0

/* Temperatures: the compression heat warms the coolant out, the oil and
 * the helium over minutes; stopped, they relax towards the coolant. */
#define COOLANT_OUT_RUNNING_F    97.3
#define OIL_RUNNING_F            99.0
#define HELIUM_RUNNING_F         150.9
#define COOLANT_OUT_TAU_S        120.0
#define OIL_TAU_S                300.0
#define HELIUM_TAU_S             420.0
#define COOL_DOWN_FACTOR         1.5

#define MOTOR_TAU_S              1.5

#define PRESSURE_NOISE_PSI       0.3
#define TEMPERATURE_NOISE_F      0.05
#define CURRENT_NOISE_A          0.08

#define MAX_STEP_S               0.5

enum
{
  NOISE_HIGH,
  NOISE_LOW,
  NOISE_COOLANT_IN,
  NOISE_COOLANT_OUT,
  NOISE_OIL,
  NOISE_HELIUM,
  NOISE_CURRENT,
  N_NOISES
};

struct _CryoSimCpa
{
  GObject                  parent_instance;

  GRand                   *rand;

  guint                    state;          /* register 1, CryoCpaState */
  double                   state_time_s;   /* time spent in a transient state */
  guint32                  warnings;
  guint32                  alarms;

  /* psi, °F, A, h */
  double                   high_psi;
  double                   low_psi;
  double                   high_average_psi;
  double                   low_average_psi;
  double                   coolant_out_f;
  double                   oil_f;
  double                   helium_f;
  double                   motor_a;
  double                   hours;

  CryoCpaPressureScale     pressure_scale;
  CryoCpaTemperatureScale  temperature_scale;

  double                   noise[N_NOISES];  /* drawn once per tick */
};

G_DEFINE_FINAL_TYPE (CryoSimCpa, cryo_sim_cpa, G_TYPE_OBJECT)

static double
signed_unit_noise (CryoSimCpa *self)
{
  /* Sum of two uniforms: a cheap bell-ish shape in [-1, 1]. */
  return g_rand_double_range (self->rand, -0.5, 0.5)
         + g_rand_double_range (self->rand, -0.5, 0.5);
}

static gboolean
motor_on (CryoSimCpa *self)
{
  return self->state == CRYO_CPA_STATE_STARTING
         || self->state == CRYO_CPA_STATE_RUNNING;
}

/* First-order lag of @value towards @target over @dt with time constant @tau. */
static double
relax (double value,
       double target,
       double dt,
       double tau)
{
  return target + (value - target) * exp (-dt / tau);
}

static void
step (CryoSimCpa *self,
      double      dt)
{
  gboolean on;
  double tau_p, cool;

  switch (self->state)
    {
    case CRYO_CPA_STATE_STARTING:
      self->state_time_s += dt;
      if (self->state_time_s >= CRYO_SIM_CPA_STARTING_S)
        {
          self->state = CRYO_CPA_STATE_RUNNING;
          self->state_time_s = 0.0;
        }
      break;

    case CRYO_CPA_STATE_STOPPING:
      self->state_time_s += dt;
      if (self->state_time_s >= CRYO_SIM_CPA_STOPPING_S)
        {
          self->state = CRYO_CPA_STATE_IDLE;
          self->state_time_s = 0.0;
        }
      break;

    default:
      break;
    }

  on = motor_on (self);
  tau_p = on ? PRESSURE_TAU_RUNNING_S : PRESSURE_TAU_STOPPED_S;
  self->high_psi = relax (self->high_psi,
                          on ? CRYO_SIM_CPA_HIGH_RUNNING_PSI : CRYO_SIM_CPA_STATIC_PSI,
                          dt, tau_p);
  self->low_psi = relax (self->low_psi,
                         on ? CRYO_SIM_CPA_LOW_RUNNING_PSI : CRYO_SIM_CPA_STATIC_PSI,
                         dt, tau_p);
  self->high_average_psi = relax (self->high_average_psi, self->high_psi, dt, AVERAGE_TAU_S);
  self->low_average_psi = relax (self->low_average_psi, self->low_psi, dt, AVERAGE_TAU_S);

  cool = on ? 1.0 : COOL_DOWN_FACTOR;
  self->coolant_out_f = relax (self->coolant_out_f,
                               on ? COOLANT_OUT_RUNNING_F : CRYO_SIM_CPA_COOLANT_IN_F,
                               dt, COOLANT_OUT_TAU_S * cool);
  self->oil_f = relax (self->oil_f,
                       on ? OIL_RUNNING_F : CRYO_SIM_CPA_COOLANT_IN_F,
                       dt, OIL_TAU_S * cool);
  self->helium_f = relax (self->helium_f,
                          on ? HELIUM_RUNNING_F : CRYO_SIM_CPA_COOLANT_IN_F,
                          dt, HELIUM_TAU_S * cool);

  /* The motor draws its current within a second or two; it drops at once. */
  if (on)
    {
      self->motor_a = relax (self->motor_a, CRYO_SIM_CPA_MOTOR_CURRENT_A, dt, MOTOR_TAU_S);
      self->hours += dt / 3600.0;
    }
  else
    {
      self->motor_a = 0.0;
    }
}

static void
cryo_sim_cpa_finalize (GObject *object)
{
  CryoSimCpa *self = (CryoSimCpa *)object;

  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (cryo_sim_cpa_parent_class)->finalize (object);
}

static void
cryo_sim_cpa_class_init (CryoSimCpaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_sim_cpa_finalize;
}

static void
cryo_sim_cpa_init (CryoSimCpa *self)
{
  self->state = CRYO_CPA_STATE_IDLE;
  self->high_psi = CRYO_SIM_CPA_STATIC_PSI;
  self->low_psi = CRYO_SIM_CPA_STATIC_PSI;
  self->high_average_psi = CRYO_SIM_CPA_STATIC_PSI;
  self->low_average_psi = CRYO_SIM_CPA_STATIC_PSI;
  self->coolant_out_f = CRYO_SIM_CPA_COOLANT_IN_F;
  self->oil_f = CRYO_SIM_CPA_COOLANT_IN_F;
  self->helium_f = CRYO_SIM_CPA_COOLANT_IN_F;
  self->hours = CRYO_SIM_CPA_INITIAL_HOURS;
  self->pressure_scale = CRYO_CPA_PRESSURE_SCALE_PSI;
  self->temperature_scale = CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT;
}

/**
 * cryo_sim_cpa_new:
 * @running: %TRUE to start warmed up and running (state 3, about 290/70 psi,
 *   27 A), %FALSE idle at the static pressure and coolant temperature
 *   (state 0, 200/200 psi, 70 °F)
 * @seed: seed of the noise generator, so that a test run is reproducible
 *
 * Creates the model of a CPA1110 compressor: panel serial 1234, model code
 * 0x0413, software 2.3, 24,735.5 hours of operation, psi and °F scales.
 * The model lives in one thread (the simulator's); it does no I/O.
 *
 * Returns: (transfer full): a new model
 */
CryoSimCpa *
cryo_sim_cpa_new (gboolean running,
                  guint32  seed)
{
  CryoSimCpa *self = g_object_new (CRYO_TYPE_SIM_CPA, NULL);

  self->rand = g_rand_new_with_seed (seed);

  if (running)
    {
      self->state = CRYO_CPA_STATE_RUNNING;
      self->high_psi = CRYO_SIM_CPA_HIGH_RUNNING_PSI;
      self->low_psi = CRYO_SIM_CPA_LOW_RUNNING_PSI;
      self->high_average_psi = CRYO_SIM_CPA_HIGH_RUNNING_PSI;
      self->low_average_psi = CRYO_SIM_CPA_LOW_RUNNING_PSI;
      self->coolant_out_f = COOLANT_OUT_RUNNING_F;
      self->oil_f = OIL_RUNNING_F;
      self->helium_f = HELIUM_RUNNING_F;
      self->motor_a = CRYO_SIM_CPA_MOTOR_CURRENT_A;
    }

  return self;
}

/**
 * cryo_sim_cpa_tick:
 * @self: a #CryoSimCpa
 * @dt_seconds: simulated time elapsed since the last tick, seconds (≥ 0);
 *   long intervals are integrated in steps of at most 0.5 s
 *
 * Advances the model: state (2 starting → 3 running after 10 s, 5 stopping
 * → 0 idle after 10 s), pressures and their averages, temperatures, motor
 * current and hours of operation (counted while the motor runs); draws
 * fresh reading noise. cryomech-cpa-modbus.md "Simulator behaviour".
 */
void
cryo_sim_cpa_tick (CryoSimCpa *self,
                   double      dt_seconds)
{
  g_return_if_fail (CRYO_IS_SIM_CPA (self));

  if (!(dt_seconds > 0.0))
    return;

  while (dt_seconds > 0.0)
    {
      double dt = MIN (dt_seconds, MAX_STEP_S);

      step (self, dt);
      dt_seconds -= dt;
    }

  self->noise[NOISE_HIGH] = PRESSURE_NOISE_PSI * signed_unit_noise (self);
  self->noise[NOISE_LOW] = PRESSURE_NOISE_PSI * signed_unit_noise (self);
  self->noise[NOISE_COOLANT_IN] = TEMPERATURE_NOISE_F * signed_unit_noise (self);
  self->noise[NOISE_COOLANT_OUT] = TEMPERATURE_NOISE_F * signed_unit_noise (self);
  self->noise[NOISE_OIL] = TEMPERATURE_NOISE_F * signed_unit_noise (self);
  self->noise[NOISE_HELIUM] = TEMPERATURE_NOISE_F * signed_unit_noise (self);
  self->noise[NOISE_CURRENT] = CURRENT_NOISE_A * signed_unit_noise (self);
}

/**
 * cryo_sim_cpa_start:
 * @self: a #CryoSimCpa
 *
 * Holding register 1 = 0x0001. From idle (0) or recovered from error (15)
 * with no alarm bit set the compressor enters 2 starting; starting while
 * starting or running changes nothing. cryomech-cpa-modbus.md "Control".
 *
 * Returns: whether the start was accepted, or why it was refused (an alarm
 *   bit is set; the state is stopping or error)
 */
CryoSimCpaStartResult
cryo_sim_cpa_start (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), CRYO_SIM_CPA_START_REFUSED_STATE);

  if (self->alarms != 0)
    return CRYO_SIM_CPA_START_REFUSED_ALARM;

  switch (self->state)
    {
    case CRYO_CPA_STATE_IDLE:
    case CRYO_CPA_STATE_RECOVERED:
      self->state = CRYO_CPA_STATE_STARTING;
      self->state_time_s = 0.0;
      return CRYO_SIM_CPA_START_ACCEPTED;

    case CRYO_CPA_STATE_STARTING:
    case CRYO_CPA_STATE_RUNNING:
      return CRYO_SIM_CPA_START_ACCEPTED;

    default:
      return CRYO_SIM_CPA_START_REFUSED_STATE;
    }
}

/**
 * cryo_sim_cpa_stop:
 * @self: a #CryoSimCpa
 *
 * Holding register 1 = 0x00FF or 0xFFFF: starting or running → 5 stopping
 * (→ 0 idle after 10 s); recovered from error (15), or error (7) once the
 * alarms are cleared, → 0 idle. Always allowed; otherwise changes nothing.
 */
void
cryo_sim_cpa_stop (CryoSimCpa *self)
{
  g_return_if_fail (CRYO_IS_SIM_CPA (self));

  switch (self->state)
    {
    case CRYO_CPA_STATE_STARTING:
    case CRYO_CPA_STATE_RUNNING:
      self->state = CRYO_CPA_STATE_STOPPING;
      self->state_time_s = 0.0;
      self->motor_a = 0.0;
      break;

    case CRYO_CPA_STATE_RECOVERED:
      self->state = CRYO_CPA_STATE_IDLE;
      break;

    case CRYO_CPA_STATE_ERROR:
      if (self->alarms == 0)
        self->state = CRYO_CPA_STATE_IDLE;
      break;

    default:
      break;
    }
}

/**
 * cryo_sim_cpa_get_state:
 * @self: a #CryoSimCpa
 *
 * Returns: the operating state, register 1 (#CryoCpaState: 0, 2, 3, 5, 7
 *   or 15)
 */
guint
cryo_sim_cpa_get_state (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), CRYO_CPA_STATE_ERROR);
  return self->state;
}

/**
 * cryo_sim_cpa_get_running:
 * @self: a #CryoSimCpa
 *
 * Returns: register 2: %TRUE while the compressor motor runs (starting and
 *   running states)
 */
gboolean
cryo_sim_cpa_get_running (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), FALSE);
  return motor_on (self);
}

/**
 * cryo_sim_cpa_get_warnings:
 * @self: a #CryoSimCpa
 *
 * Returns: the warning bit set of registers 3-4 (bit 0 coolant in high …
 *   bit 30 inverter comm loss)
 */
guint32
cryo_sim_cpa_get_warnings (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), 0);
  return self->warnings;
}

/**
 * cryo_sim_cpa_set_warnings:
 * @self: a #CryoSimCpa
 * @bits: warning bits 0..30 to report, 0 to clear
 *
 * Fault injection: warnings are only reported, they do not stop anything.
 */
void
cryo_sim_cpa_set_warnings (CryoSimCpa *self,
                           guint32     bits)
{
  g_return_if_fail (CRYO_IS_SIM_CPA (self));
  self->warnings = bits & ((1u << CRYO_CPA_N_STATUS_BITS) - 1);
}

/**
 * cryo_sim_cpa_get_alarms:
 * @self: a #CryoSimCpa
 *
 * Returns: the alarm bit set of registers 5-6
 */
guint32
cryo_sim_cpa_get_alarms (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), 0);
  return self->alarms;
}

/**
 * cryo_sim_cpa_set_alarms:
 * @self: a #CryoSimCpa
 * @bits: alarm bits 0..30 to report, 0 to clear
 *
 * Fault injection. Any alarm bit while the compressor is starting, running
 * or stopping (or has recovered) puts it in state 7 (error) with the motor
 * stopped, and refuses starts while set. Clearing every bit in state 7
 * gives state 15 (recovered from error), from which a start is allowed.
 */
void
cryo_sim_cpa_set_alarms (CryoSimCpa *self,
                         guint32     bits)
{
  g_return_if_fail (CRYO_IS_SIM_CPA (self));

  self->alarms = bits & ((1u << CRYO_CPA_N_STATUS_BITS) - 1);

  if (self->alarms != 0)
    {
      switch (self->state)
        {
        case CRYO_CPA_STATE_STARTING:
        case CRYO_CPA_STATE_RUNNING:
        case CRYO_CPA_STATE_STOPPING:
        case CRYO_CPA_STATE_RECOVERED:
          self->state = CRYO_CPA_STATE_ERROR;
          self->state_time_s = 0.0;
          self->motor_a = 0.0;
          break;

        default:
          break;
        }
    }
  else if (self->state == CRYO_CPA_STATE_ERROR)
    {
      self->state = CRYO_CPA_STATE_RECOVERED;
    }
}

/**
 * cryo_sim_cpa_get_pressure_scale:
 * @self: a #CryoSimCpa
 *
 * Returns: register 29, the unit of the pressure registers
 */
CryoCpaPressureScale
cryo_sim_cpa_get_pressure_scale (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), CRYO_CPA_PRESSURE_SCALE_PSI);
  return self->pressure_scale;
}

/**
 * cryo_sim_cpa_set_pressure_scale:
 * @self: a #CryoSimCpa
 * @scale: 0 psi, 1 bar or 2 kPa
 *
 * Sets the panel's pressure unit: registers 15-24 are converted from psi.
 */
void
cryo_sim_cpa_set_pressure_scale (CryoSimCpa           *self,
                                 CryoCpaPressureScale  scale)
{
  g_return_if_fail (CRYO_IS_SIM_CPA (self));
  g_return_if_fail (scale <= CRYO_CPA_PRESSURE_SCALE_KPA);
  self->pressure_scale = scale;
}

/**
 * cryo_sim_cpa_get_temperature_scale:
 * @self: a #CryoSimCpa
 *
 * Returns: register 30, the unit of the temperature registers
 */
CryoCpaTemperatureScale
cryo_sim_cpa_get_temperature_scale (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), CRYO_CPA_TEMPERATURE_SCALE_FAHRENHEIT);
  return self->temperature_scale;
}

/**
 * cryo_sim_cpa_set_temperature_scale:
 * @self: a #CryoSimCpa
 * @scale: 0 °F, 1 °C or 2 K
 *
 * Sets the panel's temperature unit: registers 7-14 are converted from °F.
 */
void
cryo_sim_cpa_set_temperature_scale (CryoSimCpa              *self,
                                    CryoCpaTemperatureScale  scale)
{
  g_return_if_fail (CRYO_IS_SIM_CPA (self));
  g_return_if_fail (scale <= CRYO_CPA_TEMPERATURE_SCALE_KELVIN);
  self->temperature_scale = scale;
}

/**
 * cryo_sim_cpa_get_high_pressure_psi:
 * @self: a #CryoSimCpa
 *
 * Returns: the true high-side pressure, psi, without noise
 */
double
cryo_sim_cpa_get_high_pressure_psi (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), NAN);
  return self->high_psi;
}

/**
 * cryo_sim_cpa_get_low_pressure_psi:
 * @self: a #CryoSimCpa
 *
 * Returns: the true low-side pressure, psi, without noise
 */
double
cryo_sim_cpa_get_low_pressure_psi (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), NAN);
  return self->low_psi;
}

/**
 * cryo_sim_cpa_get_helium_temperature_f:
 * @self: a #CryoSimCpa
 *
 * Returns: the true helium temperature, °F, without noise
 */
double
cryo_sim_cpa_get_helium_temperature_f (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), NAN);
  return self->helium_f;
}

/**
 * cryo_sim_cpa_get_motor_current_a:
 * @self: a #CryoSimCpa
 *
 * Returns: the true motor current, A, without noise (0 with the motor off)
 */
double
cryo_sim_cpa_get_motor_current_a (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), NAN);
  return self->motor_a;
}

/**
 * cryo_sim_cpa_get_hours:
 * @self: a #CryoSimCpa
 *
 * Returns: the hours of operation with their fraction, h
 */
double
cryo_sim_cpa_get_hours (CryoSimCpa *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CPA (self), NAN);
  return self->hours;
}

/**
 * cryo_sim_cpa_get_snapshot:
 * @self: a #CryoSimCpa
 * @snapshot: (out caller-allocates): the panel's readings
 *
 * What the panel reports now: the readings with this tick's noise (none
 * before the first tick, none on the current with the motor off),
 * pressures and temperatures converted to the panel's scales, the delta
 * pressure average as high average − low average.
 * cryomech-cpa-modbus.md "Input registers".
 */
void
cryo_sim_cpa_get_snapshot (CryoSimCpa      *self,
                           CryoCpaSnapshot *snapshot)
{
  CryoUnit p_unit, t_unit;

  g_return_if_fail (CRYO_IS_SIM_CPA (self));
  g_return_if_fail (snapshot != NULL);

  p_unit = cryo_cpa_pressure_scale_to_unit (self->pressure_scale);
  t_unit = cryo_cpa_temperature_scale_to_unit (self->temperature_scale);

  *snapshot = (CryoCpaSnapshot) {
    .state = self->state,
    .running = motor_on (self),
    .warnings = self->warnings,
    .alarms = self->alarms,
    .coolant_in = cryo_unit_convert (CRYO_SIM_CPA_COOLANT_IN_F + self->noise[NOISE_COOLANT_IN],
                                     CRYO_UNIT_FAHRENHEIT, t_unit),
    .coolant_out = cryo_unit_convert (self->coolant_out_f + self->noise[NOISE_COOLANT_OUT],
                                      CRYO_UNIT_FAHRENHEIT, t_unit),
    .oil = cryo_unit_convert (self->oil_f + self->noise[NOISE_OIL],
                              CRYO_UNIT_FAHRENHEIT, t_unit),
    .helium = cryo_unit_convert (self->helium_f + self->noise[NOISE_HELIUM],
                                 CRYO_UNIT_FAHRENHEIT, t_unit),
    .low_pressure = cryo_unit_convert (self->low_psi + self->noise[NOISE_LOW],
                                       CRYO_UNIT_PSI, p_unit),
    .low_pressure_average = cryo_unit_convert (self->low_average_psi, CRYO_UNIT_PSI, p_unit),
    .high_pressure = cryo_unit_convert (self->high_psi + self->noise[NOISE_HIGH],
                                        CRYO_UNIT_PSI, p_unit),
    .high_pressure_average = cryo_unit_convert (self->high_average_psi, CRYO_UNIT_PSI, p_unit),
    .delta_pressure_average = cryo_unit_convert (self->high_average_psi - self->low_average_psi,
                                                 CRYO_UNIT_PSI, p_unit),
    .motor_current = motor_on (self) ? MAX (0.0, self->motor_a + self->noise[NOISE_CURRENT]) : 0.0,
    .hours = self->hours,
    .pressure_scale = self->pressure_scale,
    .temperature_scale = self->temperature_scale,
    .serial_number = CRYO_SIM_CPA_SERIAL_NUMBER,
    .model_code = CRYO_CPA_MODEL_CPA1110,
    .software_major = CRYO_SIM_CPA_SOFTWARE_MAJOR,
    .software_minor = CRYO_SIM_CPA_SOFTWARE_MINOR,
  };
}

/**
 * cryo_sim_cpa_encode_input_registers:
 * @self: a #CryoSimCpa
 * @registers: (out caller-allocates) (array fixed-size=33): input registers
 *   1..33 as 16-bit values, register 1 first
 *
 * The snapshot of cryo_sim_cpa_get_snapshot() encoded with
 * cryo_cpa_encode_input_registers() (floats in CDAB word order).
 */
void
cryo_sim_cpa_encode_input_registers (CryoSimCpa *self,
                                     guint16    *registers)
{
  CryoCpaSnapshot snapshot;

  g_return_if_fail (CRYO_IS_SIM_CPA (self));
  g_return_if_fail (registers != NULL);

  cryo_sim_cpa_get_snapshot (self, &snapshot);
  cryo_cpa_encode_input_registers (&snapshot, registers);
}
