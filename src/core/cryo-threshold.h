/* cryo-threshold.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cryo-units.h"

G_BEGIN_DECLS

#define CRYO_THRESHOLD_ERROR (cryo_threshold_error_quark ())

/**
 * CryoThresholdError:
 * @CRYO_THRESHOLD_ERROR_INVALID: the text is not a threshold; the message
 *   says which part is wrong
 */
typedef enum
{
  CRYO_THRESHOLD_ERROR_INVALID,
} CryoThresholdError;

/**
 * CryoThresholdDirection:
 * @CRYO_THRESHOLD_ABOVE: the condition is a value above the limit
 * @CRYO_THRESHOLD_BELOW: the condition is a value below the limit
 */
typedef enum
{
  CRYO_THRESHOLD_ABOVE,
  CRYO_THRESHOLD_BELOW,
} CryoThresholdDirection;

/**
 * CryoThresholdSpec:
 * @direction: whether a value above or below @limit raises the condition
 * @limit: the limit in @unit
 * @unit: the unit the user wrote the limit in; any unit of the channel's
 *   quantity (%CRYO_UNIT_NONE for plain numbers)
 * @delay_s: how long, in seconds, the value must stay beyond the limit
 *   before the condition is raised; 0 raises at the first such value
 * @hysteresis: how far, in @unit or in percent of |@limit| (see
 *   @hysteresis_percent), the value must come back inside the limit before
 *   the condition clears; 0 clears as soon as it is inside again
 * @hysteresis_percent: whether @hysteresis is in percent of |@limit|
 *
 * A user threshold on one channel, as the user wrote it. Its text form
 * (cryo_threshold_spec_parse(), cryo_threshold_spec_to_string()) is
 *
 * |[
 * above|below LIMIT [UNIT] [for DELAY s|min|h] [hysteresis AMOUNT [UNIT|%]]
 * ]|
 *
 * with numbers in the C locale ("1e-5", "40.5"), words separated by spaces:
 * `above 1e-5 mbar for 30 s hysteresis 10%`, `above 40 °C hysteresis 2 °C`.
 */
typedef struct
{
  CryoThresholdDirection direction;
  double                 limit;
  CryoUnit               unit;
  double                 delay_s;
  double                 hysteresis;
  gboolean               hysteresis_percent;
} CryoThresholdSpec;

/**
 * CryoThresholdChange:
 * @CRYO_THRESHOLD_UNCHANGED: the condition stays as it was
 * @CRYO_THRESHOLD_RAISED: the condition was raised by this value
 * @CRYO_THRESHOLD_CLEARED: the condition was cleared by this value
 */
typedef enum
{
  CRYO_THRESHOLD_UNCHANGED,
  CRYO_THRESHOLD_RAISED,
  CRYO_THRESHOLD_CLEARED,
} CryoThresholdChange;

/**
 * CryoThreshold:
 *
 * The evaluation of one #CryoThresholdSpec over a channel's samples; see
 * cryo_threshold_init(). Plain data: the fields are private.
 */
typedef struct
{
  /*< private >*/
  CryoThresholdSpec spec;
  double            limit_canonical;
  double            clear_canonical;
  gint64            beyond_since_us;
  gboolean          beyond;
  gboolean          raised;
} CryoThreshold;

GQuark              cryo_threshold_error_quark     (void);

gboolean            cryo_threshold_spec_parse      (const char              *text,
                                                    CryoThresholdSpec       *spec,
                                                    GError                 **error);
char               *cryo_threshold_spec_to_string  (const CryoThresholdSpec *spec);
char               *cryo_threshold_spec_dup_description (const CryoThresholdSpec *spec,
                                                    const char              *label);
gboolean            cryo_threshold_spec_equal      (const CryoThresholdSpec *a,
                                                    const CryoThresholdSpec *b);

void                cryo_threshold_init            (CryoThreshold           *self,
                                                    const CryoThresholdSpec *spec);
CryoThresholdChange cryo_threshold_feed            (CryoThreshold           *self,
                                                    gint64                   time_us,
                                                    double                   value);
gboolean            cryo_threshold_get_raised      (const CryoThreshold     *self);
void                cryo_threshold_restore_raised  (CryoThreshold           *self);

G_END_DECLS
