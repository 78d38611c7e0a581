/* cryo-display-units.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The units readings are shown and exported in, from the preferences, for
 * the window and for headless runs alike: what the operator sees is what
 * the file says.
 */

#define G_LOG_DOMAIN "cryo-display-units"

#include "config.h"

#include "cryo-display-units.h"
#include "cryo-service-tracker.h"

/**
 * cryo_settings_new_if_installed:
 *
 * Headless runs from a build tree or a script may have no schema
 * installed; they then use the built-in defaults.
 *
 * Returns: (transfer full) (nullable): the application's settings, or
 *   %NULL when its schema is not installed
 */
GSettings *
cryo_settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)) == NULL)
    return NULL;

  return g_settings_new (APP_ID);
}

/**
 * cryo_settings_get_unit:
 * @settings: (nullable): the application settings
 * @key: a unit preference: "pressure-unit", "compressor-pressure-unit" or
 *   "temperature-unit"
 * @fallback: the unit when there are no settings
 *
 * Returns: the unit the preference names (its nicks are unit symbols, and
 *   "kelvin" and "degC" for temperatures)
 */
CryoUnit
cryo_settings_get_unit (GSettings  *settings,
                        const char *key,
                        CryoUnit    fallback)
{
  g_autofree char *nick = NULL;
  CryoUnit unit = fallback;

  if (settings == NULL)
    return fallback;

  nick = g_settings_get_string (settings, key);
  if (g_str_equal (nick, "kelvin"))
    return CRYO_UNIT_KELVIN;
  if (!cryo_unit_from_symbol (nick, &unit))
    return fallback;

  return unit;
}

/**
 * cryo_settings_get_pressure_unit:
 * @settings: (nullable): the application settings
 *
 * Returns: the vacuum pressure display unit preference ("pressure-unit"),
 *   mbar when there is none
 */
CryoUnit
cryo_settings_get_pressure_unit (GSettings *settings)
{
  return cryo_settings_get_unit (settings, "pressure-unit", CRYO_UNIT_MBAR);
}

/**
 * cryo_display_unit_key:
 * @quantity: what a reading measures
 * @scale: how it is plotted
 *
 * Returns: (nullable): the preference that sets its display unit: vacuum
 *   pressures (log scale) "pressure-unit", gas pressures (linear, a
 *   compressor's) "compressor-pressure-unit", temperatures
 *   "temperature-unit"; %NULL when the canonical unit is always used
 */
const char *
cryo_display_unit_key (CryoQuantity quantity,
                       CryoScale    scale)
{
  switch (quantity)
    {
    case CRYO_QUANTITY_PRESSURE:
      return scale == CRYO_SCALE_LOG ? "pressure-unit" : "compressor-pressure-unit";

    case CRYO_QUANTITY_TEMPERATURE:
      return "temperature-unit";

    case CRYO_QUANTITY_NONE:
    case CRYO_QUANTITY_ROTATION_SPEED:
    case CRYO_QUANTITY_FREQUENCY:
    case CRYO_QUANTITY_CURRENT:
    case CRYO_QUANTITY_PERCENT:
    case CRYO_QUANTITY_DURATION:
    case CRYO_QUANTITY_STATE:
    case CRYO_QUANTITY_FLOW:
    default:
      return NULL;
    }
}

/**
 * cryo_display_unit_for:
 * @settings: (nullable): the application settings
 * @quantity: what a reading measures
 * @scale: how it is plotted
 *
 * Returns: the unit readings of @quantity are shown and exported in: the
 *   preference (mbar, psi and K by default), else the canonical unit
 */
CryoUnit
cryo_display_unit_for (GSettings    *settings,
                       CryoQuantity  quantity,
                       CryoScale     scale)
{
  const char *key = cryo_display_unit_key (quantity, scale);

  if (key == NULL)
    return cryo_quantity_get_canonical_unit (quantity);

  if (g_str_equal (key, "pressure-unit"))
    return cryo_settings_get_unit (settings, key, CRYO_UNIT_MBAR);
  if (g_str_equal (key, "compressor-pressure-unit"))
    return cryo_settings_get_unit (settings, key, CRYO_UNIT_PSI);

  return cryo_settings_get_unit (settings, key, CRYO_UNIT_KELVIN);
}

/**
 * cryo_display_unit_for_channel:
 * @settings: (nullable): the application settings
 * @channel: a channel
 *
 * Returns: the unit @channel is shown and exported in
 */
CryoUnit
cryo_display_unit_for_channel (GSettings   *settings,
                               CryoChannel *channel)
{
  g_return_val_if_fail (CRYO_IS_CHANNEL (channel), CRYO_UNIT_NONE);

  return cryo_display_unit_for (settings, cryo_channel_get_quantity (channel),
                                cryo_channel_get_scale (channel));
}

/**
 * cryo_settings_get_poll_interval:
 * @settings: (nullable): the application settings
 * @kind: an instrument kind
 *
 * Returns: the poll interval preference of @kind in ms ("poll-intervals",
 *   seconds by kind id), else the kind's default
 */
guint
cryo_settings_get_poll_interval (GSettings            *settings,
                                 const CryoDeviceKind *kind)
{
  g_autoptr(GVariant) intervals = NULL;
  double seconds;

  g_return_val_if_fail (kind != NULL, 1000);

  if (settings != NULL)
    {
      intervals = g_settings_get_value (settings, "poll-intervals");
      if (g_variant_lookup (intervals, kind->id, "d", &seconds) && seconds >= 0.1 && seconds <= 3600)
        return (guint) (seconds * 1000.0 + 0.5);
    }

  return kind->default_poll_interval_ms;
}

/**
 * cryo_settings_set_poll_interval:
 * @settings: the application settings
 * @kind: an instrument kind
 * @poll_interval_ms: its new poll interval preference, 100 to 3 600 000 ms
 *
 * Stores the poll interval preference of @kind, keeping the other kinds'.
 */
void
cryo_settings_set_poll_interval (GSettings            *settings,
                                 const CryoDeviceKind *kind,
                                 guint                 poll_interval_ms)
{
  g_autoptr(GVariant) intervals = NULL;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (kind != NULL);

  intervals = g_settings_get_value (settings, "poll-intervals");
  g_variant_dict_init (&dict, intervals);
  g_variant_dict_insert (&dict, kind->id, "d", CLAMP (poll_interval_ms, 100, 3600 * 1000) / 1000.0);
  g_settings_set_value (settings, "poll-intervals", g_variant_dict_end (&dict));
}

/**
 * cryo_settings_get_service_hours:
 * @settings: (nullable): the application settings
 * @kind: an instrument kind
 * @channel: one of its channels, an hours-since-service counter
 *
 * Returns: the service interval in hours: the "service-intervals"
 *   preference for `<kind id>.<channel key>`, else the channel's default;
 *   0 when the channel has none
 */
guint
cryo_settings_get_service_hours (GSettings             *settings,
                                 const CryoDeviceKind  *kind,
                                 const CryoChannelInfo *channel)
{
  g_autoptr(GVariant) intervals = NULL;
  g_autofree char *key = NULL;
  guint32 hours;

  g_return_val_if_fail (kind != NULL && channel != NULL, 0);

  if (channel->service_hours == 0)
    return 0;

  if (settings != NULL)
    {
      key = g_strdup_printf ("%s.%s", kind->id, channel->key);
      intervals = g_settings_get_value (settings, "service-intervals");
      if (g_variant_lookup (intervals, key, "u", &hours) && hours > 0)
        return hours;
    }

  return channel->service_hours;
}

/**
 * cryo_settings_get_service_lead_days:
 * @settings: (nullable): the application settings
 *
 * Returns: the "service-lead-days" preference: how many days before a
 *   forecast service date a device warns, %CRYO_SERVICE_DEFAULT_LEAD_DAYS
 *   without settings
 */
guint
cryo_settings_get_service_lead_days (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return CRYO_SERVICE_DEFAULT_LEAD_DAYS;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, "service-lead-days"))
    return CRYO_SERVICE_DEFAULT_LEAD_DAYS;

  return MAX (g_settings_get_uint (settings, "service-lead-days"), 1);
}
