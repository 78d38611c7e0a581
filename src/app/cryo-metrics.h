/* cryo-metrics.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device.h"

G_BEGIN_DECLS

/**
 * CryoMetricsChannel:
 * @key: the channel's key within its device ("pressure")
 * @quantity: what it measures
 * @value: the last reading in the canonical unit of @quantity
 *   (cryo_quantity_get_canonical_unit()), NaN when there is none now (never
 *   read, or a gap)
 * @value_time_us: when the channel last had a value, µs since the Unix
 *   epoch (cryo_channel_get_value_time()); 0 when never
 *
 * One channel of a #CryoMetricsDevice.
 */
typedef struct
{
  const char   *key;
  CryoQuantity  quantity;
  double        value;
  gint64        value_time_us;
} CryoMetricsChannel;

/**
 * CryoMetricsAction:
 * @name: the action's name ("start")
 * @n_outcomes: how many times it ended with each #CryoActionOutcome
 *
 * One control action of a #CryoMetricsDevice.
 */
typedef struct
{
  const char *name;
  guint64     n_outcomes[CRYO_N_ACTION_OUTCOMES];
} CryoMetricsAction;

/**
 * CryoMetricsDevice:
 * @name: the device's name, unique in the session ("Pumping station")
 * @kind: its kind id ("pump-station")
 * @state: its state
 * @channels: its channels, @n_channels of them
 * @n_channels: how many
 * @actions: its actions, @n_actions of them
 * @n_actions: how many
 * @n_polls: polls completed (cryo_device_get_n_polls())
 * @n_poll_errors: communication errors (cryo_device_get_n_errors())
 * @n_transactions: request/reply exchanges begun (#CryoLinkStats)
 * @n_stream_messages: valid messages of a streaming instrument
 * @n_dropped_frames: replies and stream messages dropped as damaged
 * @n_timeouts: replies that did not come in time
 * @n_retries: requests sent again
 * @n_reconnects: times the port was reopened after a failure
 * @link_quality_percent: the share of requests that got an intact reply,
 *   0–100 (cryo_link_get_quality())
 * @n_alarms: active alarms
 * @n_warnings: active warnings
 *
 * What the metrics endpoint says about one device, taken from it at each
 * scrape (#CryoMetricsServer does).
 */
typedef struct
{
  const char               *name;
  const char               *kind;
  CryoDeviceState           state;
  const CryoMetricsChannel *channels;
  guint                     n_channels;
  const CryoMetricsAction  *actions;
  guint                     n_actions;
  guint64                   n_polls;
  guint64                   n_poll_errors;
  guint64                   n_transactions;
  guint64                   n_stream_messages;
  guint64                   n_dropped_frames;
  guint64                   n_timeouts;
  guint64                   n_retries;
  guint64                   n_reconnects;
  guint                     link_quality_percent;
  guint                     n_alarms;
  guint                     n_warnings;
} CryoMetricsDevice;

void cryo_metrics_write                 (GString                 *out,
                                         const CryoMetricsDevice *devices,
                                         guint                    n_devices,
                                         gint64                   now_us);
void cryo_metrics_append_label_value    (GString                 *out,
                                         const char              *value);
void cryo_metrics_append_double         (GString                 *out,
                                         double                   value);
const char *cryo_metrics_quantity_family (CryoQuantity           quantity,
                                          double                *factor);

G_END_DECLS
