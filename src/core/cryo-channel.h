/* cryo-channel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cryo-history.h"
#include "cryo-units.h"

G_BEGIN_DECLS

/**
 * CryoScale:
 * @CRYO_SCALE_LINEAR: plotted on a linear axis
 * @CRYO_SCALE_LOG: plotted on a log axis (vacuum pressure)
 */
typedef enum
{
  CRYO_SCALE_LINEAR,
  CRYO_SCALE_LOG,
} CryoScale;

#define CRYO_TYPE_SCALE   (cryo_scale_get_type ())
#define CRYO_TYPE_CHANNEL (cryo_channel_get_type())

GType         cryo_scale_get_type          (void) G_GNUC_CONST;

/**
 * CryoPhaseLabel:
 * @value: a phase code, as the channel's samples carry it
 * @label: its untranslated name (marked with N_(), translated where shown)
 *
 * One named phase of a procedure (a Cryostream's Ramp, a cryopump's
 * regeneration step). A table of them ends with one whose @label is %NULL.
 */
typedef struct
{
  int         value;
  const char *label;
} CryoPhaseLabel;

G_DECLARE_FINAL_TYPE (CryoChannel, cryo_channel, CRYO, CHANNEL, GObject)

CryoChannel  *cryo_channel_new             (const char   *id,
                                            const char   *label,
                                            const char   *csv_name,
                                            CryoQuantity  quantity,
                                            CryoScale     scale,
                                            guint         digits,
                                            gsize         history_capacity);
const char   *cryo_channel_get_id          (CryoChannel  *self);
const char   *cryo_channel_get_label       (CryoChannel  *self);
const char   *cryo_channel_get_csv_name    (CryoChannel  *self);
CryoQuantity  cryo_channel_get_quantity    (CryoChannel  *self);
CryoUnit      cryo_channel_get_unit        (CryoChannel  *self);
CryoScale     cryo_channel_get_scale       (CryoChannel  *self);
guint         cryo_channel_get_digits      (CryoChannel  *self);
CryoHistory  *cryo_channel_get_history     (CryoChannel  *self);
gboolean      cryo_channel_push            (CryoChannel  *self,
                                            gint64        time_us,
                                            double        value);
CryoReading   cryo_channel_get_reading     (CryoChannel  *self);
const char   *cryo_channel_get_device_name (CryoChannel  *self);
void          cryo_channel_set_device_name (CryoChannel  *self,
                                            const char   *device_name);
char         *cryo_channel_dup_device_csv_name (CryoChannel *self);
const CryoPhaseLabel *cryo_channel_get_phases      (CryoChannel  *self);
void                  cryo_channel_set_phases      (CryoChannel  *self,
                                                    const CryoPhaseLabel *phases);
const char           *cryo_channel_lookup_phase    (CryoChannel  *self,
                                                    double        value);

G_END_DECLS
