/* cryo-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text of the metrics endpoint, in the Prometheus text exposition
 * format (version 0.0.4), from a snapshot of the devices: a pure function,
 * so that every name, label and number it writes is tested without a
 * server or a device.
 *
 * Names follow Prometheus's "Metric and label naming": an application
 * prefix, base units spelled out in plural at the end of the name,
 * `_total` for counters, `_ratio` for shares from 0 to 1. Readings get one
 * family per quantity (cryomon_pressure_pascals,
 * cryomon_temperature_kelvin, …) rather than one family with a unit
 * label: a metric must have a single unit and quantity, so that sum() or
 * avg() over its labels means something, and a query or a Grafana axis
 * then knows its unit from the name. Temperatures are in kelvin, not the
 * naming guide's default of celsius: the guide allows kelvin where a
 * temperature has to be absolute, as a cryostat's 4 K does.
 */

#define G_LOG_DOMAIN "cryo-metrics"

#include "config.h"

#include <math.h>

#include "cryo-devices-enums.h"
#include "cryo-metrics.h"

typedef struct
{
  CryoQuantity  quantity;
  const char   *name;
  const char   *help;
  double        factor;   /* from the quantity's canonical unit */
} QuantityFamily;

/* In the order the families are written. */
static const QuantityFamily quantity_families[] = {
  { CRYO_QUANTITY_PRESSURE, "cryomon_pressure_pascals",
    "Pressure reading, pascals.", 1.0 },
  { CRYO_QUANTITY_TEMPERATURE, "cryomon_temperature_kelvin",
    "Temperature reading, kelvin.", 1.0 },
  { CRYO_QUANTITY_ROTATION_SPEED, "cryomon_rotation_speed_hertz",
    "Rotation speed reading, revolutions per second.", 1.0 / 60.0 },
  { CRYO_QUANTITY_FREQUENCY, "cryomon_frequency_hertz",
    "Frequency reading, hertz.", 1.0 },
  { CRYO_QUANTITY_CURRENT, "cryomon_current_amperes",
    "Electric current reading, amperes.", 1.0 },
  { CRYO_QUANTITY_PERCENT, "cryomon_fraction_ratio",
    "Percentage reading (heater power, fill level) as a ratio from 0 to 1.", 0.01 },
  { CRYO_QUANTITY_DURATION, "cryomon_duration_seconds",
    "Duration reading (hours of operation, run time), seconds.", 3600.0 },
  { CRYO_QUANTITY_FLOW, "cryomon_flow_cubic_meters_per_second",
    "Gas flow reading, cubic meters per second.", 1e-3 / 60.0 },
  { CRYO_QUANTITY_STATE, "cryomon_state_code",
    "Instrument state or procedure phase reading, as the instrument's code.", 1.0 },
  { CRYO_QUANTITY_NONE, "cryomon_reading",
    "Reading without a known quantity, as the instrument gives it.", 1.0 },
};

/**
 * cryo_metrics_quantity_family:
 * @quantity: a #CryoQuantity
 * @factor: (out) (optional): what a value in the quantity's canonical unit
 *   (cryo_quantity_get_canonical_unit()) is multiplied by for the family's
 *   unit: 1/60 from rpm to hertz, 0.01 from percent to a ratio, 3600 from
 *   hours to seconds, 1/60000 from l/min to m³/s
 *
 * Returns: the name of the metric family readings of @quantity are in
 *   ("cryomon_pressure_pascals")
 */
const char *
cryo_metrics_quantity_family (CryoQuantity  quantity,
                              double       *factor)
{
  for (guint i = 0; i < G_N_ELEMENTS (quantity_families); i++)
    {
      if (quantity_families[i].quantity == quantity)
        {
          if (factor != NULL)
            *factor = quantity_families[i].factor;
          return quantity_families[i].name;
        }
    }

  /* A quantity added without a family: a reading all the same. */
  if (factor != NULL)
    *factor = 1.0;
  return "cryomon_reading";
}

/**
 * cryo_metrics_append_label_value:
 * @out: where to append
 * @value: a label value, UTF-8 (anything else is made valid first)
 *
 * Appends @value escaped as the text exposition format says: backslash,
 * double quote and line feed as `\\`, `\"` and `\n`.
 */
void
cryo_metrics_append_label_value (GString    *out,
                                 const char *value)
{
  g_autofree char *valid = NULL;

  g_return_if_fail (out != NULL);
  g_return_if_fail (value != NULL);

  /* One bad byte would make Prometheus reject the whole scrape. */
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        default:
          g_string_append_c (out, *p);
          break;
        }
    }
}

/**
 * cryo_metrics_append_double:
 * @out: where to append
 * @value: any double
 *
 * Appends @value as the exposition format writes a sample value: the
 * shortest decimal that reads back as the same double, with '.' whatever
 * the locale, and `NaN`, `+Inf` or `-Inf`.
 */
void
cryo_metrics_append_double (GString *out,
                            double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (out != NULL);

  if (isnan (value))
    {
      g_string_append (out, "NaN");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "+Inf" : "-Inf");
      return;
    }

  for (guint digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%ug", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (digits == 17 || g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

static void
begin_family (GString    *out,
              const char *name,
              const char *type,
              const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* `name{device="…",kind="…"`: the caller adds its own labels and the
 * closing brace. */
static void
begin_sample (GString                 *out,
              const char              *name,
              const CryoMetricsDevice *device)
{
  g_string_append (out, name);
  g_string_append (out, "{device=\"");
  cryo_metrics_append_label_value (out, device->name);
  g_string_append (out, "\",kind=\"");
  cryo_metrics_append_label_value (out, device->kind);
  g_string_append_c (out, '"');
}

static void
append_label (GString    *out,
              const char *label,
              const char *value)
{
  g_string_append_printf (out, ",%s=\"", label);
  cryo_metrics_append_label_value (out, value);
  g_string_append_c (out, '"');
}

static void
end_sample_double (GString *out,
                   double   value)
{
  g_string_append (out, "} ");
  cryo_metrics_append_double (out, value);
  g_string_append_c (out, '\n');
}

static void
end_sample_count (GString *out,
                  guint64  value)
{
  g_string_append_printf (out, "} %" G_GUINT64_FORMAT "\n", value);
}

static void
write_readings (GString                 *out,
                const CryoMetricsDevice *devices,
                guint                    n_devices)
{
  for (guint f = 0; f < G_N_ELEMENTS (quantity_families); f++)
    {
      const QuantityFamily *family = &quantity_families[f];
      gboolean begun = FALSE;

      for (guint d = 0; d < n_devices; d++)
        {
          for (guint c = 0; c < devices[d].n_channels; c++)
            {
              const CryoMetricsChannel *channel = &devices[d].channels[c];

              /* No value, no sample: Prometheus marks the series stale
               * rather than storing a NaN a query would trip on. */
              if (channel->quantity != family->quantity || !isfinite (channel->value))
                continue;

              if (!begun)
                begin_family (out, family->name, "gauge", family->help);
              begun = TRUE;

              begin_sample (out, family->name, &devices[d]);
              append_label (out, "channel", channel->key);
              end_sample_double (out, channel->value * family->factor);
            }
        }
    }
}

static void
write_reading_ages (GString                 *out,
                    const CryoMetricsDevice *devices,
                    guint                    n_devices,
                    gint64                   now_us)
{
  begin_family (out, "cryomon_reading_age_seconds", "gauge",
                "Seconds since the channel last had a value.");

  for (guint d = 0; d < n_devices; d++)
    {
      for (guint c = 0; c < devices[d].n_channels; c++)
        {
          const CryoMetricsChannel *channel = &devices[d].channels[c];

          if (channel->value_time_us == 0)
            continue;

          begin_sample (out, "cryomon_reading_age_seconds", &devices[d]);
          append_label (out, "channel", channel->key);
          /* A clock stepped back is not a reading from the future. */
          end_sample_double (out, MAX (now_us - channel->value_time_us, 0) / (double) G_USEC_PER_SEC);
        }
    }
}

static void
write_states (GString                 *out,
              const CryoMetricsDevice *devices,
              guint                    n_devices)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (CRYO_TYPE_DEVICE_STATE);

  begin_family (out, "cryomon_device_state", "gauge",
                "1 for the state the device is in, 0 for the others.");

  for (guint d = 0; d < n_devices; d++)
    {
      for (guint s = 0; s < states->n_values; s++)
        {
          begin_sample (out, "cryomon_device_state", &devices[d]);
          append_label (out, "state", states->values[s].value_nick);
          end_sample_count (out, devices[d].state == (CryoDeviceState) states->values[s].value);
        }
    }
}

/* A counter or gauge with one sample per device, read from @devices at
 * @offset. */
static void
write_device_family (GString                 *out,
                     const CryoMetricsDevice *devices,
                     guint                    n_devices,
                     const char              *name,
                     const char              *type,
                     const char              *help,
                     gsize                    offset)
{
  begin_family (out, name, type, help);

  for (guint d = 0; d < n_devices; d++)
    {
      begin_sample (out, name, &devices[d]);
      end_sample_count (out, G_STRUCT_MEMBER (guint64, &devices[d], offset));
    }
}

static void
write_link_quality (GString                 *out,
                    const CryoMetricsDevice *devices,
                    guint                    n_devices)
{
  begin_family (out, "cryomon_link_quality_ratio", "gauge",
                "Share of requests that got an intact reply in time, from 0 to 1.");

  for (guint d = 0; d < n_devices; d++)
    {
      begin_sample (out, "cryomon_link_quality_ratio", &devices[d]);
      end_sample_double (out, MIN (devices[d].link_quality_percent, 100) / 100.0);
    }
}

static void
write_conditions (GString                 *out,
                  const CryoMetricsDevice *devices,
                  guint                    n_devices)
{
  begin_family (out, "cryomon_active_conditions", "gauge",
                "Alarms and warnings the instrument reports now, by severity.");

  for (guint d = 0; d < n_devices; d++)
    {
      begin_sample (out, "cryomon_active_conditions", &devices[d]);
      append_label (out, "severity", "alarm");
      end_sample_count (out, devices[d].n_alarms);
      begin_sample (out, "cryomon_active_conditions", &devices[d]);
      append_label (out, "severity", "warning");
      end_sample_count (out, devices[d].n_warnings);
    }
}

static void
write_actions (GString                 *out,
               const CryoMetricsDevice *devices,
               guint                    n_devices)
{
  g_autoptr(GEnumClass) outcomes = g_type_class_ref (CRYO_TYPE_ACTION_OUTCOME);

  g_assert (outcomes->n_values == CRYO_N_ACTION_OUTCOMES);

  begin_family (out, "cryomon_actions_total", "counter",
                "Control actions run from this Cryomon, by how they ended.");

  for (guint d = 0; d < n_devices; d++)
    {
      for (guint a = 0; a < devices[d].n_actions; a++)
        {
          const CryoMetricsAction *action = &devices[d].actions[a];

          for (guint o = 0; o < CRYO_N_ACTION_OUTCOMES; o++)
            {
              begin_sample (out, "cryomon_actions_total", &devices[d]);
              append_label (out, "action", action->name);
              append_label (out, "outcome", outcomes->values[o].value_nick);
              end_sample_count (out, action->n_outcomes[outcomes->values[o].value]);
            }
        }
    }
}

/**
 * cryo_metrics_write:
 * @out: where to append the text
 * @devices: (array length=n_devices): the devices, as they are now
 * @n_devices: how many
 * @now_us: the wall-clock time of the scrape, µs since the Unix epoch, for
 *   the ages of readings
 *
 * Appends what the metrics endpoint serves at `GET /metrics`, in the
 * Prometheus text exposition format 0.0.4: each family's `# HELP` and
 * `# TYPE` lines, then its samples for every device, labelled with the
 * device's name and kind id (`device`, `kind`) and where it applies the
 * channel's key (`channel`), the state, severity, action and outcome.
 * Readings are in base units (see cryo_metrics_quantity_family()); a
 * channel without a value now has no reading sample, but keeps its
 * `cryomon_reading_age_seconds`. Counters count from the device's
 * creation. Numbers never follow the locale.
 */
void
cryo_metrics_write (GString                 *out,
                    const CryoMetricsDevice *devices,
                    guint                    n_devices,
                    gint64                   now_us)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (devices != NULL || n_devices == 0);

  begin_family (out, "cryomon_build_info", "gauge", "Cryomon's version, as a label; always 1.");
  g_string_append (out, "cryomon_build_info{version=\"");
  cryo_metrics_append_label_value (out, PACKAGE_VERSION);
  g_string_append (out, "\"} 1\n");

  if (n_devices == 0)
    return;

  write_readings (out, devices, n_devices);
  write_reading_ages (out, devices, n_devices, now_us);
  write_states (out, devices, n_devices);
  write_conditions (out, devices, n_devices);
  write_device_family (out, devices, n_devices, "cryomon_polls_total", "counter",
                       "Polls completed, whether or not every reading came.",
                       G_STRUCT_OFFSET (CryoMetricsDevice, n_polls));
  write_device_family (out, devices, n_devices, "cryomon_poll_errors_total", "counter",
                       "Communication errors: damaged or missing replies, refusals, lost ports.",
                       G_STRUCT_OFFSET (CryoMetricsDevice, n_poll_errors));
  write_device_family (out, devices, n_devices, "cryomon_link_transactions_total", "counter",
                       "Request and reply exchanges begun on the link (a retry is not a new one).",
                       G_STRUCT_OFFSET (CryoMetricsDevice, n_transactions));
  write_device_family (out, devices, n_devices, "cryomon_link_stream_messages_total", "counter",
                       "Valid status messages a streaming instrument sent.",
                       G_STRUCT_OFFSET (CryoMetricsDevice, n_stream_messages));
  write_device_family (out, devices, n_devices, "cryomon_link_dropped_frames_total", "counter",
                       "Replies and stream messages dropped as damaged (checksum, garbage, a reply to another request).",
                       G_STRUCT_OFFSET (CryoMetricsDevice, n_dropped_frames));
  write_device_family (out, devices, n_devices, "cryomon_link_timeouts_total", "counter",
                       "Replies that did not come in time.",
                       G_STRUCT_OFFSET (CryoMetricsDevice, n_timeouts));
  write_device_family (out, devices, n_devices, "cryomon_link_retries_total", "counter",
                       "Requests sent again after a damaged or missing reply.",
                       G_STRUCT_OFFSET (CryoMetricsDevice, n_retries));
  write_device_family (out, devices, n_devices, "cryomon_link_reconnects_total", "counter",
                       "Times the port was reopened after it failed.",
                       G_STRUCT_OFFSET (CryoMetricsDevice, n_reconnects));
  write_link_quality (out, devices, n_devices);
  write_actions (out, devices, n_devices);
}
