/* cryo-cti-pump.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-cti.h"
#include "cryo-device.h"

G_BEGIN_DECLS

/* How often the background set is read again, seconds (cti-onboard.md
 * "Polling plan": every 10-30 s). */
#define CRYO_CTI_PUMP_BACKGROUND_PERIOD_S 15

/**
 * CryoCtiPumpCounters:
 * @transactions: request/reply exchanges finished, retries not counted
 * @priority_transactions: those of the priority set (J, K, L, S1, O)
 * @wire_chars: characters both ways on the line, requests and replies
 *
 * What the pump's line has carried since the device was made, for the
 * line-rate benchmark.
 */
typedef struct
{
  guint64 transactions;
  guint64 priority_transactions;
  guint64 wire_chars;
} CryoCtiPumpCounters;

#define CRYO_TYPE_CTI_PUMP (cryo_cti_pump_get_type ())

G_DECLARE_FINAL_TYPE (CryoCtiPump, cryo_cti_pump, CRYO, CTI_PUMP, CryoDevice)

extern const CryoDeviceKind cryo_cti_pump_kind;

CryoDevice        *cryo_cti_pump_new                (CryoLink             *link);
gboolean           cryo_cti_pump_get_verified       (CryoCtiPump          *self);
gboolean           cryo_cti_pump_get_power_failure  (CryoCtiPump          *self);
int                cryo_cti_pump_get_status1        (CryoCtiPump          *self);
int                cryo_cti_pump_get_regen_phase    (CryoCtiPump          *self);
int                cryo_cti_pump_get_param          (CryoCtiPump          *self,
                                                     const char           *command);
const char        *cryo_cti_pump_action_get_param   (const char           *action);
void               cryo_cti_pump_get_counters       (CryoCtiPump          *self,
                                                     CryoCtiPumpCounters  *counters);
gboolean           cryo_cti_pump_check_action       (const char           *action,
                                                     gboolean              verified,
                                                     const CryoReading    *regen_phase,
                                                     gint64                now_us,
                                                     gint64                max_age_us,
                                                     char                **reason);

G_END_DECLS
