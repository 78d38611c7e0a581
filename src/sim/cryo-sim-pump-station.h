/* cryo-sim-pump-station.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Physical model of an Agilent TPS-compact pumping station (turbo pump on a
 * dry scroll backing pump) behind the values of the Window protocol:
 * shared/protocols/agilent-window.md, "Windows used" and "Simulator
 * behaviour". Pure model: no I/O, no main loop, not thread-safe.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRYO_SIM_PUMP_STATION_FULL_SPEED_RPM  81000.0
#define CRYO_SIM_PUMP_STATION_NORMAL_RPM      80000.0
#define CRYO_SIM_PUMP_STATION_ATMOSPHERE_MBAR 1000.0

#define CRYO_TYPE_SIM_PUMP_STATION (cryo_sim_pump_station_get_type ())

G_DECLARE_FINAL_TYPE (CryoSimPumpStation, cryo_sim_pump_station, CRYO, SIM_PUMP_STATION, GObject)

CryoSimPumpStation *cryo_sim_pump_station_new                  (gboolean            running,
                                                                guint32             seed);
void                cryo_sim_pump_station_tick                 (CryoSimPumpStation *self,
                                                                double              dt_seconds);

gboolean            cryo_sim_pump_station_start                (CryoSimPumpStation *self);
void                cryo_sim_pump_station_stop                 (CryoSimPumpStation *self);
gboolean            cryo_sim_pump_station_get_started          (CryoSimPumpStation *self);

guint               cryo_sim_pump_station_get_status           (CryoSimPumpStation *self);
double              cryo_sim_pump_station_get_rpm              (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_reported_rpm     (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_frequency_hz     (CryoSimPumpStation *self);
double              cryo_sim_pump_station_get_pressure_mbar    (CryoSimPumpStation *self);
char               *cryo_sim_pump_station_dup_pressure_text    (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_current_ma       (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_voltage_v        (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_power_w          (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_temperature_c    (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_cycle_time_min   (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_cycle_count      (CryoSimPumpStation *self);
guint               cryo_sim_pump_station_get_pump_life_h      (CryoSimPumpStation *self);

guint               cryo_sim_pump_station_get_error_bits       (CryoSimPumpStation *self);
void                cryo_sim_pump_station_set_error_bits       (CryoSimPumpStation *self,
                                                                guint               bits);

guint               cryo_sim_pump_station_get_tip_seal_hours   (CryoSimPumpStation *self);
double              cryo_sim_pump_station_get_tip_seal_hours_exact (CryoSimPumpStation *self);
void                cryo_sim_pump_station_set_tip_seal_hours   (CryoSimPumpStation *self,
                                                                guint               hours);

guint               cryo_sim_pump_station_get_pressure_unit    (CryoSimPumpStation *self);
void                cryo_sim_pump_station_set_pressure_unit    (CryoSimPumpStation *self,
                                                                guint               unit);
gboolean            cryo_sim_pump_station_get_remote           (CryoSimPumpStation *self);
void                cryo_sim_pump_station_set_remote           (CryoSimPumpStation *self,
                                                                gboolean            remote);
gboolean            cryo_sim_pump_station_get_active_stop      (CryoSimPumpStation *self);
void                cryo_sim_pump_station_set_active_stop      (CryoSimPumpStation *self,
                                                                gboolean            active_stop);
gboolean            cryo_sim_pump_station_get_speed_after_stop (CryoSimPumpStation *self);
void                cryo_sim_pump_station_set_speed_after_stop (CryoSimPumpStation *self,
                                                                gboolean            enabled);
guint               cryo_sim_pump_station_get_baud_rate        (CryoSimPumpStation *self);
void                cryo_sim_pump_station_set_baud_rate        (CryoSimPumpStation *self,
                                                                guint               code);

G_END_DECLS
