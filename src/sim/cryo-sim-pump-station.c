/* cryo-sim-pump-station.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-pump-station"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cryo-agilent.h"
#include "cryo-sim-pump-station.h"

/* Rotor: a linear ramp reaches 80,000 rpm in about 2¼ minutes; coasting
 * down takes about 4½ minutes, with the active brake (window 107) 1½. */
#define SPIN_UP_RPM_PER_S        600.0
#define SPIN_DOWN_RPM_PER_S      300.0
#define ACTIVE_STOP_RPM_PER_S    900.0
#define FAIL_COAST_RPM_PER_S     150.0

/* Vacuum: the scroll alone takes the chamber from 1000 mbar to its
 * ultimate of a few 1e-2 mbar with a 15 s time constant; the turbo adds
 * compression that grows steeply with speed and shortens the time
 * constant. The base pressure at speed is 1e-7 mbar plus an outgassing
 * term that fades over tens of minutes. */
#define SCROLL_ULTIMATE_MBAR     2e-2
#define SCROLL_TAU_S             15.0
#define TURBO_COMPRESSION_LN     16.8
#define TURBO_SPEEDUP            40.0
#define BASE_PRESSURE_MBAR       1e-7
#define OUTGASSING_MBAR          3e-6
#define OUTGASSING_TAU_S         120.0
#define RISE_MBAR_PER_S          3e-4
#define MIN_PRESSURE_MBAR        1e-10

#define AMBIENT_C                24.0
#define BUS_VOLTAGE_V            24.0

#define MAX_STEP_S               0.5

struct _CryoSimPumpStation
{
  GObject   parent_instance;

  GRand    *rand;

  gboolean  started;          /* window 000 */
  guint     status;           /* window 205 */
  guint     error_bits;       /* window 206 */
  double    rpm;
  double    pressure_mbar;
  double    vacuum_time_s;    /* time pumped at speed, drives the outgassing tail */
  double    power_w;
  double    temperature_c;
  double    tip_seal_s;       /* seconds: sums of ticks stay exact */
  double    pump_life_s;
  double    cycle_time_s;
  guint     cycle_count;

  guint     pressure_unit;    /* window 163 */
  guint     baud_rate;        /* window 108 */
  gboolean  remote;           /* window 008 */
  gboolean  active_stop;      /* window 107 */
  gboolean  speed_after_stop; /* window 167 */

  double    pressure_noise;   /* multiplicative, drawn once per tick */
  double    rpm_noise;        /* additive, drawn once per tick */
};

G_DEFINE_FINAL_TYPE (CryoSimPumpStation, cryo_sim_pump_station, G_TYPE_OBJECT)

static double
signed_unit_noise (CryoSimPumpStation *self)
{
  /* Sum of two uniforms: a cheap bell-ish shape in [-1, 1]. */
  return g_rand_double_range (self->rand, -0.5, 0.5)
         + g_rand_double_range (self->rand, -0.5, 0.5);
}

static gboolean
rotor_driven (CryoSimPumpStation *self)
{
  return self->status == CRYO_AGILENT_STATUS_STARTING
         || self->status == CRYO_AGILENT_STATUS_NORMAL;
}

static void
step (CryoSimPumpStation *self,
      double              dt)
{
  double target_power;
  double target_temperature;

  /* Rotor */
  if (rotor_driven (self))
    {
      self->rpm = MIN (CRYO_SIM_PUMP_STATION_FULL_SPEED_RPM,
                       self->rpm + SPIN_UP_RPM_PER_S * dt);
      if (self->status == CRYO_AGILENT_STATUS_STARTING
          && self->rpm >= CRYO_SIM_PUMP_STATION_NORMAL_RPM)
        self->status = CRYO_AGILENT_STATUS_NORMAL;
    }
  else
    {
      double rate;

      if (self->status == CRYO_AGILENT_STATUS_FAIL)
        rate = FAIL_COAST_RPM_PER_S;
      else if (self->active_stop)
        rate = ACTIVE_STOP_RPM_PER_S;
      else
        rate = SPIN_DOWN_RPM_PER_S;

      self->rpm = MAX (0.0, self->rpm - rate * dt);
      if (self->status == CRYO_AGILENT_STATUS_BRAKING && self->rpm <= 0.0)
        self->status = CRYO_AGILENT_STATUS_STOP;
    }

  if (self->rpm > 0.0)
    self->pump_life_s += dt;

  /* Vacuum */
  if (self->started)
    {
      double s = self->rpm / CRYO_SIM_PUMP_STATION_FULL_SPEED_RPM;
      double base = BASE_PRESSURE_MBAR
                    + OUTGASSING_MBAR / (1.0 + self->vacuum_time_s / OUTGASSING_TAU_S);
      double eq = SCROLL_ULTIMATE_MBAR * exp (-TURBO_COMPRESSION_LN * s * s) + base;
      double tau = SCROLL_TAU_S / (1.0 + TURBO_SPEEDUP * s * s);

      self->pressure_mbar = eq + (self->pressure_mbar - eq) * exp (-dt / tau);
      if (s > 0.9)
        self->vacuum_time_s += dt;

      /* The scroll runs whenever the station is started. */
      self->tip_seal_s += dt;
      self->cycle_time_s += dt;
    }
  else
    {
      self->pressure_mbar = MIN (CRYO_SIM_PUMP_STATION_ATMOSPHERE_MBAR,
                                 self->pressure_mbar + RISE_MBAR_PER_S * dt);
      if (self->pressure_mbar > 1.0)
        self->vacuum_time_s = 0.0;
    }
  self->pressure_mbar = MAX (MIN_PRESSURE_MBAR, self->pressure_mbar);

  /* Drive: full power while accelerating, a few watts at speed plus the
   * gas load, nothing while coasting or braking. */
  if (self->status == CRYO_AGILENT_STATUS_STARTING)
    target_power = 60.0;
  else if (self->status == CRYO_AGILENT_STATUS_NORMAL)
    target_power = 9.0 + 40.0 * MIN (1.0, self->pressure_mbar / 0.5);
  else
    target_power = 0.0;
  self->power_w = target_power + (self->power_w - target_power) * exp (-dt / 2.0);

  target_temperature = AMBIENT_C + 0.25 * self->power_w
                       + 6.0 * self->rpm / CRYO_SIM_PUMP_STATION_FULL_SPEED_RPM;
  self->temperature_c = target_temperature
                        + (self->temperature_c - target_temperature) * exp (-dt / 600.0);
}

static void
cryo_sim_pump_station_finalize (GObject *object)
{
  CryoSimPumpStation *self = (CryoSimPumpStation *)object;

  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (cryo_sim_pump_station_parent_class)->finalize (object);
}

static void
cryo_sim_pump_station_class_init (CryoSimPumpStationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_sim_pump_station_finalize;
}

static void
cryo_sim_pump_station_init (CryoSimPumpStation *self)
{
  self->status = CRYO_AGILENT_STATUS_STOP;
  self->pressure_mbar = CRYO_SIM_PUMP_STATION_ATMOSPHERE_MBAR;
  self->temperature_c = AMBIENT_C;
  self->tip_seal_s = 4213.0 * 3600.0;
  self->pump_life_s = 12873.0 * 3600.0;
  self->cycle_count = 37;
  self->pressure_unit = CRYO_AGILENT_UNIT_MBAR;
  self->baud_rate = 4;
  self->pressure_noise = 1.0;
}

/**
 * cryo_sim_pump_station_new:
 * @running: %TRUE to start at speed (status 5 normal, 81,000 rpm, about
 *   5e-7 mbar), %FALSE to start stopped and vented (status 0, 0 rpm,
 *   1000 mbar)
 * @seed: seed of the noise generator, so that a test run is reproducible
 *
 * Creates the model of a TPS-compact pumping station. The model lives in
 * one thread (the simulator's); it does no I/O.
 *
 * Returns: (transfer full): a new model
 */
CryoSimPumpStation *
cryo_sim_pump_station_new (gboolean running,
                           guint32  seed)
{
  CryoSimPumpStation *self = g_object_new (CRYO_TYPE_SIM_PUMP_STATION, NULL);

  self->rand = g_rand_new_with_seed (seed);

  if (running)
    {
      self->started = TRUE;
      self->status = CRYO_AGILENT_STATUS_NORMAL;
      self->rpm = CRYO_SIM_PUMP_STATION_FULL_SPEED_RPM;
      /* 13 minutes at speed: the outgassing tail puts the base at 5e-7 mbar. */
      self->vacuum_time_s = 780.0;
      self->pressure_mbar = BASE_PRESSURE_MBAR
                            + OUTGASSING_MBAR / (1.0 + self->vacuum_time_s / OUTGASSING_TAU_S);
      self->power_w = 9.0;
      self->temperature_c = AMBIENT_C + 0.25 * 9.0 + 6.0;
      self->cycle_time_s = 2.0 * 3600.0;
    }

  return self;
}

/**
 * cryo_sim_pump_station_tick:
 * @self: a #CryoSimPumpStation
 * @dt_seconds: simulated time elapsed since the last tick, seconds (≥ 0);
 *   long intervals are integrated in steps of at most 0.5 s
 *
 * Advances the model: rotor speed and status (2 starting → 5 normal above
 * 80,000 rpm; 4 braking → 0 stop at 0 rpm), pressure, drive power,
 * temperature, tip-seal and pump-life hours; draws fresh reading noise.
 * agilent-window.md "Simulator behaviour".
 */
void
cryo_sim_pump_station_tick (CryoSimPumpStation *self,
                            double              dt_seconds)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));

  if (!(dt_seconds > 0.0))
    return;

  while (dt_seconds > 0.0)
    {
      double dt = MIN (dt_seconds, MAX_STEP_S);

      step (self, dt);
      dt_seconds -= dt;
    }

  self->pressure_noise = 1.0 + 0.02 * signed_unit_noise (self);
  self->rpm_noise = 15.0 * signed_unit_noise (self);
}

/**
 * cryo_sim_pump_station_start:
 * @self: a #CryoSimPumpStation
 *
 * Window 000 = 1: starts the scroll and the turbo (status 2 starting,
 * also from braking). Starting a started station does nothing.
 *
 * Returns: %FALSE if refused because a fault is latched (window 206 ≠ 0,
 *   status 6); a stop clears the fault first.
 */
gboolean
cryo_sim_pump_station_start (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), FALSE);

  if (self->error_bits != 0)
    return FALSE;

  if (!self->started)
    {
      self->started = TRUE;
      self->status = self->rpm >= CRYO_SIM_PUMP_STATION_NORMAL_RPM
                     ? CRYO_AGILENT_STATUS_NORMAL
                     : CRYO_AGILENT_STATUS_STARTING;
      self->cycle_count++;
      self->cycle_time_s = 0.0;
    }

  return TRUE;
}

/**
 * cryo_sim_pump_station_stop:
 * @self: a #CryoSimPumpStation
 *
 * Window 000 = 0: stops both pumps; the rotor brakes (status 4) down to
 * 0 rpm (status 0). Also clears a latched fault (window 206).
 */
void
cryo_sim_pump_station_stop (CryoSimPumpStation *self)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));

  self->started = FALSE;
  self->error_bits = 0;
  self->status = self->rpm > 0.0 ? CRYO_AGILENT_STATUS_BRAKING : CRYO_AGILENT_STATUS_STOP;
}

/**
 * cryo_sim_pump_station_get_started:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the start/stop flag of window 000
 */
gboolean
cryo_sim_pump_station_get_started (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), FALSE);
  return self->started;
}

/**
 * cryo_sim_pump_station_get_status:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 205 status code (#CryoAgilentStatus, 0..6)
 */
guint
cryo_sim_pump_station_get_status (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), CRYO_AGILENT_STATUS_FAIL);
  return self->status;
}

/**
 * cryo_sim_pump_station_get_rpm:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the true rotor speed in rpm, without noise
 */
double
cryo_sim_pump_station_get_rpm (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0.0);
  return self->rpm;
}

/**
 * cryo_sim_pump_station_get_reported_rpm:
 * @self: a #CryoSimPumpStation
 *
 * The window 226 reading: the rotor speed in rpm with a little noise, 0 at
 * rest. While braking after a stop the controller reports 0 unless window
 * 167 (speed reading after stop) is 1, as the seed program's write of 167
 * after a stop implies.
 *
 * Returns: the reported rotation speed, rpm
 */
guint
cryo_sim_pump_station_get_reported_rpm (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);

  if (self->rpm < 1.0)
    return 0;
  if (self->status == CRYO_AGILENT_STATUS_BRAKING && !self->speed_after_stop)
    return 0;

  return (guint) MAX (1.0, round (self->rpm + self->rpm_noise));
}

/**
 * cryo_sim_pump_station_get_frequency_hz:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 203 driving frequency, Hz (rotor rpm / 60, rounded)
 */
guint
cryo_sim_pump_station_get_frequency_hz (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return (guint) round (self->rpm / 60.0);
}

/**
 * cryo_sim_pump_station_get_pressure_mbar:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the true chamber pressure in mbar, without noise
 */
double
cryo_sim_pump_station_get_pressure_mbar (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), NAN);
  return self->pressure_mbar;
}

/**
 * cryo_sim_pump_station_dup_pressure_text:
 * @self: a #CryoSimPumpStation
 *
 * The window 224 reading: the gauge pressure with noise in the unit of
 * window 163, formatted like the instrument with a one-decimal mantissa
 * and a signed two-digit exponent ("2.9E-03"), padded with spaces to the
 * 10 characters of an alphanumeric window. Locale-independent.
 * agilent-window.md "Windows used".
 *
 * Returns: (transfer full): a 10-character string
 */
char *
cryo_sim_pump_station_dup_pressure_text (CryoSimPumpStation *self)
{
  char mantissa[G_ASCII_DTOSTR_BUF_SIZE];
  double value;
  double m;
  int exponent;

  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), NULL);

  value = self->pressure_mbar * self->pressure_noise;
  switch (self->pressure_unit)
    {
    case CRYO_AGILENT_UNIT_PA:
      value *= 100.0;
      break;
    case CRYO_AGILENT_UNIT_TORR:
      value *= 0.750061683;
      break;
    default:
      break;
    }
  value = MAX (value, MIN_PRESSURE_MBAR);

  exponent = (int) floor (log10 (value));
  m = round (value / pow (10.0, exponent) * 10.0) / 10.0;
  if (m >= 10.0)
    {
      m /= 10.0;
      exponent++;
    }
  exponent = CLAMP (exponent, -99, 99);

  g_ascii_formatd (mantissa, sizeof mantissa, "%.1f", m);

  return g_strdup_printf ("%sE%c%02d   ", mantissa,
                          exponent < 0 ? '-' : '+', ABS (exponent));
}

/**
 * cryo_sim_pump_station_get_current_ma:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 200 pump current, mA (drive power / bus voltage)
 */
guint
cryo_sim_pump_station_get_current_ma (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return (guint) round (self->power_w / BUS_VOLTAGE_V * 1000.0);
}

/**
 * cryo_sim_pump_station_get_voltage_v:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 201 pump voltage, Vdc (the 24 V bus while the drive
 *   is on, 0 otherwise)
 */
guint
cryo_sim_pump_station_get_voltage_v (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return rotor_driven (self) ? (guint) BUS_VOLTAGE_V : 0;
}

/**
 * cryo_sim_pump_station_get_power_w:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 202 drive power, W
 */
guint
cryo_sim_pump_station_get_power_w (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return (guint) round (self->power_w);
}

/**
 * cryo_sim_pump_station_get_temperature_c:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 204 pump temperature, °C
 */
guint
cryo_sim_pump_station_get_temperature_c (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return (guint) round (self->temperature_c);
}

/**
 * cryo_sim_pump_station_get_cycle_time_min:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 300 cycle time, minutes since the last start
 */
guint
cryo_sim_pump_station_get_cycle_time_min (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return (guint) (self->cycle_time_s / 60.0);
}

/**
 * cryo_sim_pump_station_get_cycle_count:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 301 cycle count (starts so far)
 */
guint
cryo_sim_pump_station_get_cycle_count (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return self->cycle_count;
}

/**
 * cryo_sim_pump_station_get_pump_life_h:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 302 turbo pump life, whole hours with the rotor turning
 */
guint
cryo_sim_pump_station_get_pump_life_h (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return (guint) (self->pump_life_s / 3600.0);
}

/**
 * cryo_sim_pump_station_get_error_bits:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 206 error bits (0x01 no connection … 0x80 too-high load)
 */
guint
cryo_sim_pump_station_get_error_bits (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return self->error_bits;
}

/**
 * cryo_sim_pump_station_set_error_bits:
 * @self: a #CryoSimPumpStation
 * @bits: window 206 error bits to inject (0x00..0xFF), 0 to clear
 *
 * Fault injection. Non-zero bits latch a fault: status 6 (fail), both pumps
 * off, the rotor coasts down, starts are refused until a stop (window
 * 000 = 0) or a call with 0 clears the fault.
 */
void
cryo_sim_pump_station_set_error_bits (CryoSimPumpStation *self,
                                      guint               bits)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));

  self->error_bits = bits & 0xFF;
  if (self->error_bits != 0)
    {
      self->started = FALSE;
      self->status = CRYO_AGILENT_STATUS_FAIL;
    }
  else if (self->status == CRYO_AGILENT_STATUS_FAIL)
    {
      self->status = self->rpm > 0.0 ? CRYO_AGILENT_STATUS_BRAKING : CRYO_AGILENT_STATUS_STOP;
    }
}

/**
 * cryo_sim_pump_station_get_tip_seal_hours:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the window 358 tip-seal counter, whole hours of scroll running
 *   since the last reset (4213 h initially)
 */
guint
cryo_sim_pump_station_get_tip_seal_hours (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return (guint) (self->tip_seal_s / 3600.0);
}

/**
 * cryo_sim_pump_station_get_tip_seal_hours_exact:
 * @self: a #CryoSimPumpStation
 *
 * Returns: the tip-seal counter with its fractional part, hours
 */
double
cryo_sim_pump_station_get_tip_seal_hours_exact (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0.0);
  return self->tip_seal_s / 3600.0;
}

/**
 * cryo_sim_pump_station_set_tip_seal_hours:
 * @self: a #CryoSimPumpStation
 * @hours: new counter value, hours (0 after a tip-seal change)
 *
 * Window 358 write.
 */
void
cryo_sim_pump_station_set_tip_seal_hours (CryoSimPumpStation *self,
                                          guint               hours)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));
  self->tip_seal_s = hours * 3600.0;
}

/**
 * cryo_sim_pump_station_get_pressure_unit:
 * @self: a #CryoSimPumpStation
 *
 * Returns: window 163, the unit of window 224 (#CryoAgilentPressureUnit:
 *   0 mbar, 1 Pa, 2 Torr)
 */
guint
cryo_sim_pump_station_get_pressure_unit (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return self->pressure_unit;
}

/**
 * cryo_sim_pump_station_set_pressure_unit:
 * @self: a #CryoSimPumpStation
 * @unit: 0 mbar, 1 Pa or 2 Torr
 *
 * Window 163 write.
 */
void
cryo_sim_pump_station_set_pressure_unit (CryoSimPumpStation *self,
                                         guint               unit)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));
  g_return_if_fail (unit <= CRYO_AGILENT_UNIT_TORR);
  self->pressure_unit = unit;
}

/**
 * cryo_sim_pump_station_get_remote:
 * @self: a #CryoSimPumpStation
 *
 * Returns: window 008: %TRUE in remote (front-panel/IO) mode, %FALSE in
 *   serial mode (the default)
 */
gboolean
cryo_sim_pump_station_get_remote (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), FALSE);
  return self->remote;
}

/**
 * cryo_sim_pump_station_set_remote:
 * @self: a #CryoSimPumpStation
 * @remote: %TRUE for remote mode
 *
 * Window 008 write. The model does not check the state; the responder
 * refuses the write while the pump runs.
 */
void
cryo_sim_pump_station_set_remote (CryoSimPumpStation *self,
                                  gboolean            remote)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));
  self->remote = !!remote;
}

/**
 * cryo_sim_pump_station_get_active_stop:
 * @self: a #CryoSimPumpStation
 *
 * Returns: window 107, the active brake on stop
 */
gboolean
cryo_sim_pump_station_get_active_stop (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), FALSE);
  return self->active_stop;
}

/**
 * cryo_sim_pump_station_set_active_stop:
 * @self: a #CryoSimPumpStation
 * @active_stop: %TRUE to brake actively (three times faster spin-down)
 *
 * Window 107 write.
 */
void
cryo_sim_pump_station_set_active_stop (CryoSimPumpStation *self,
                                       gboolean            active_stop)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));
  self->active_stop = !!active_stop;
}

/**
 * cryo_sim_pump_station_get_speed_after_stop:
 * @self: a #CryoSimPumpStation
 *
 * Returns: window 167, whether window 226 keeps reporting the speed while
 *   braking (default %FALSE)
 */
gboolean
cryo_sim_pump_station_get_speed_after_stop (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), FALSE);
  return self->speed_after_stop;
}

/**
 * cryo_sim_pump_station_set_speed_after_stop:
 * @self: a #CryoSimPumpStation
 * @enabled: %TRUE to keep reporting the speed while braking
 *
 * Window 167 write.
 */
void
cryo_sim_pump_station_set_speed_after_stop (CryoSimPumpStation *self,
                                            gboolean            enabled)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));
  self->speed_after_stop = !!enabled;
}

/**
 * cryo_sim_pump_station_get_baud_rate:
 * @self: a #CryoSimPumpStation
 *
 * Returns: window 108, baud rate code 0..4 (600..9600 baud; default 4)
 */
guint
cryo_sim_pump_station_get_baud_rate (CryoSimPumpStation *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_PUMP_STATION (self), 0);
  return self->baud_rate;
}

/**
 * cryo_sim_pump_station_set_baud_rate:
 * @self: a #CryoSimPumpStation
 * @code: 0..4 (600, 1200, 2400, 4800, 9600 baud)
 *
 * Window 108 write. A pseudo-terminal has no baud rate: the value is only
 * stored and read back.
 */
void
cryo_sim_pump_station_set_baud_rate (CryoSimPumpStation *self,
                                     guint               code)
{
  g_return_if_fail (CRYO_IS_SIM_PUMP_STATION (self));
  g_return_if_fail (code <= 4);
  self->baud_rate = code;
}
