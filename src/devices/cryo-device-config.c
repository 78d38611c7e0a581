/* cryo-device-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How to reach an instrument, from a `--device` string or a group of
 * `devices.conf`: the kind descriptor says which options exist and what
 * their ranges and defaults are, so nothing here knows any instrument.
 */

#define G_LOG_DOMAIN "cryo-device-config"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-device.h"
#include "cryo-device-config.h"
#include "cryo-threshold.h"

G_DEFINE_BOXED_TYPE (CryoDeviceConfig, cryo_device_config,
                     cryo_device_config_copy, cryo_device_config_free)

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                                                format, args));
  va_end (args);

  return FALSE;
}

/**
 * cryo_device_config_new:
 * @kind: the instrument kind
 * @port: (nullable): the device path, or `tcp:HOST[:PORT]`; not checked
 *   here (see cryo_device_config_set_port())
 *
 * Returns: (transfer full): a configuration with @kind's default line
 *   settings and options, and the poll interval from preferences
 */
CryoDeviceConfig *
cryo_device_config_new (const CryoDeviceKind *kind,
                        const char           *port)
{
  CryoDeviceConfig *config;
  CryoSerialConfig serial = CRYO_SERIAL_CONFIG_INIT;

  g_return_val_if_fail (kind != NULL, NULL);

  config = g_new0 (CryoDeviceConfig, 1);
  config->kind = kind;
  config->serial = serial;
  config->serial.baud = kind->default_baud ? kind->default_baud : serial.baud;
  config->serial.parity = kind->default_parity;
  config->serial.data_bits = kind->default_data_bits ? kind->default_data_bits : serial.data_bits;
  config->tcp_port = kind->default_tcp_port;
  config->service_hours = NAN;

  for (guint i = 0; kind->options != NULL && kind->options[i].name != NULL; i++)
    config->options[i] = kind->options[i].default_value;

  if (port != NULL && !cryo_device_config_set_port (config, port, NULL))
    config->port = g_strdup (port);

  return config;
}

/**
 * cryo_device_config_copy:
 * @config: a configuration
 *
 * Returns: (transfer full): a copy of @config
 */
CryoDeviceConfig *
cryo_device_config_copy (const CryoDeviceConfig *config)
{
  CryoDeviceConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  copy->name = g_strdup (config->name);
  copy->id = g_strdup (config->id);
  copy->port = g_strdup (config->port);
  copy->host = g_strdup (config->host);
  copy->thresholds = g_strdupv (config->thresholds);

  return copy;
}

/**
 * cryo_device_config_free:
 * @config: (nullable): a configuration
 *
 * Frees @config.
 */
void
cryo_device_config_free (CryoDeviceConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->name);
  g_free (config->id);
  g_free (config->port);
  g_free (config->host);
  g_strfreev (config->thresholds);
  g_free (config);
}

/**
 * cryo_device_config_equal:
 * @a: a configuration
 * @b: another
 *
 * Returns: whether @a and @b reach the same instrument the same way, under
 *   the same name and id, with the same thresholds
 */
gboolean
cryo_device_config_equal (const CryoDeviceConfig *a,
                          const CryoDeviceConfig *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->kind != b->kind ||
      g_strcmp0 (a->name, b->name) != 0 ||
      g_strcmp0 (a->id, b->id) != 0 ||
      g_strcmp0 (a->port, b->port) != 0 ||
      g_strcmp0 (a->host, b->host) != 0 ||
      a->poll_interval_ms != b->poll_interval_ms ||
      !a->disabled != !b->disabled ||
      a->options_given != b->options_given ||
      !(a->service_hours == b->service_hours || (isnan (a->service_hours) && isnan (b->service_hours))))
    return FALSE;

  if ((a->thresholds == NULL) != (b->thresholds == NULL) ||
      (a->thresholds != NULL &&
       !g_strv_equal ((const char * const *) a->thresholds, (const char * const *) b->thresholds)))
    return FALSE;

  if (a->host != NULL && a->tcp_port != b->tcp_port)
    return FALSE;

  if (a->host == NULL &&
      (a->serial.baud != b->serial.baud || a->serial.data_bits != b->serial.data_bits ||
       a->serial.parity != b->serial.parity || a->serial.stop_bits != b->serial.stop_bits))
    return FALSE;

  for (guint i = 0; i < CRYO_KIND_MAX_OPTIONS; i++)
    if ((a->options_given & (1u << i)) && a->options[i] != b->options[i])
      return FALSE;

  return TRUE;
}

static gboolean
parse_uint (const char  *key,
            const char  *text,
            guint        min,
            guint        max,
            guint       *out,
            GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    return invalid (error, _("“%s” must be a whole number from %u to %u, not “%s”"),
                    key, min, max, text);

  *out = value;
  return TRUE;
}

/* devices.conf could not keep it: a keyfile trims control characters such
 * as form feeds from the ends of a value, and a group name holds none. */
static gboolean
has_control_char (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p))
        return TRUE;
    }

  return FALSE;
}

/**
 * cryo_device_config_set_port:
 * @config: a configuration
 * @port: a device path, or `tcp:HOST[:PORT]` (HOST may be an IPv6 address
 *   in brackets): Modbus TCP for a Modbus kind, where PORT defaults to the
 *   kind's; for a serial kind, the raw TCP port of a serial device server
 *   (Moxa NPort, ser2net), where PORT is required
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG saying what is wrong
 *
 * Over TCP the line settings (baud rate, parity…) are the device server's:
 * they stay in @config but are neither used nor written.
 *
 * Returns: %TRUE when @port suits @config's kind
 */
gboolean
cryo_device_config_set_port (CryoDeviceConfig  *config,
                             const char        *port,
                             GError           **error)
{
  g_autofree char *host = NULL;
  const char *rest;
  const char *colon;
  guint tcp_port;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (port != NULL, FALSE);

  if (!g_str_has_prefix (port, "tcp:"))
    {
      if (port[0] == '\0')
        return invalid (error, _("The port is empty"));
      if (has_control_char (port))
        return invalid (error, _("A port cannot hold control characters"));

      g_clear_pointer (&config->host, g_free);
      g_free (config->port);
      config->port = g_strdup (port);
      return TRUE;
    }

  /* A serial instrument over TCP is a serial device server's port: those
   * have no standard number (a kind without a default TCP port), so it
   * must be given. */
  tcp_port = config->kind->default_tcp_port;
  rest = port + strlen ("tcp:");
  if (rest[0] == '[')
    {
      const char *end = strchr (rest, ']');

      if (end == NULL || end == rest + 1 || (end[1] != '\0' && end[1] != ':'))
        goto bad;
      host = g_strndup (rest + 1, end - rest - 1);
      colon = end[1] == ':' ? end + 1 : NULL;
    }
  else
    {
      colon = strrchr (rest, ':');
      if (colon == rest)
        goto bad;
      host = colon ? g_strndup (rest, colon - rest) : g_strdup (rest);
    }

  /* A host with a bracket could not be written back unambiguously. */
  if (host[0] == '\0' || strpbrk (host, "[]") != NULL || has_control_char (host))
    goto bad;

  if (colon != NULL && !parse_uint ("port", colon + 1, 1, 65535, &tcp_port, error))
    return FALSE;

  if (tcp_port == 0)
    return invalid (error, _("“%s” has no TCP port: a serial device server’s port is written "
                             "tcp:HOST:PORT, e.g. tcp:192.168.1.20:4001"),
                    port);

  g_clear_pointer (&config->port, g_free);
  g_free (config->host);
  config->host = g_steal_pointer (&host);
  config->tcp_port = tcp_port;
  return TRUE;

bad:
  return invalid (error, _("“%s” is not of the form tcp:HOST[:PORT]"), port);
}

/**
 * cryo_device_config_dup_port_spec:
 * @config: a configuration
 *
 * Returns: (transfer full): the port as written in a `--device` argument
 *   or the devices file: a path, or "tcp:HOST:PORT"
 */
char *
cryo_device_config_dup_port_spec (const CryoDeviceConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  if (config->host == NULL)
    return g_strdup (config->port);
  if (strchr (config->host, ':') != NULL)
    return g_strdup_printf ("tcp:[%s]:%u", config->host, config->tcp_port);
  return g_strdup_printf ("tcp:%s:%u", config->host, config->tcp_port);
}

/* An id keys a device's channels ("pumping_station.pressure") in the
 * archive and in metrics, so it holds what cryo_device_make_id() gives. */
#define MAX_ID_LENGTH 64

static gboolean
is_valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_poll (const char  *text,
            guint       *poll_interval_ms,
            GError     **error)
{
  char *end = NULL;
  double seconds = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !(seconds >= 0.1 && seconds <= 3600.0))
    return invalid (error, _("“poll” must be a number of seconds from 0.1 to 3600, not “%s”"), text);

  *poll_interval_ms = (guint) (seconds * 1000.0 + 0.5);
  return TRUE;
}

static gboolean
parse_service_hours (const char  *text,
                     double      *hours,
                     GError     **error)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !(value >= 0 && value <= 10000000.0))
    return invalid (error, _("“service-hours” must be a number of hours from 0 to 10000000, not “%s”"), text);

  *hours = value;
  return TRUE;
}

static char *
dup_known_options (const CryoDeviceKind *kind)
{
  GString *known = g_string_new ("name, id, ");

  for (guint i = 0; kind->options != NULL && kind->options[i].name != NULL; i++)
    g_string_append_printf (known, "%s, ", kind->options[i].name);
  g_string_append (known, "poll, baud, parity, databits, stopbits, enabled, service-hours");

  return g_string_free (known, FALSE);
}

/**
 * cryo_device_config_set_option:
 * @config: a configuration
 * @key: "name", "id", "poll", "baud", "parity", "databits", "stopbits",
 *   "enabled", "service-hours", or one of the kind's options
 * @value: its value as written in a `--device` string
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG naming the key, the value and
 *   what is allowed
 *
 * Returns: %TRUE when @key is known and @value is allowed
 */
gboolean
cryo_device_config_set_option (CryoDeviceConfig  *config,
                               const char        *key,
                               const char        *value,
                               GError           **error)
{
  const CryoKindOption *option;
  guint index;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  if (g_str_equal (key, "name"))
    {
      g_autofree char *name = g_strstrip (g_strdup (value));

      if (name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
        return invalid (error, _("The device name is empty"));
      /* The name is its group's in devices.conf, which cannot hold these. */
      if (strpbrk (name, "[]") != NULL || has_control_char (name))
        return invalid (error, _("A device name cannot hold “[”, “]” or control characters"));
      g_free (config->name);
      config->name = g_steal_pointer (&name);
      return TRUE;
    }

  if (g_str_equal (key, "id"))
    {
      if (!is_valid_id (value))
        return invalid (error, _("A device id must be 1 to %u lower-case letters, digits or "
                                 "underscores, not “%s”"), MAX_ID_LENGTH, value);
      g_free (config->id);
      config->id = g_strdup (value);
      return TRUE;
    }

  if (g_str_equal (key, "poll"))
    return parse_poll (value, &config->poll_interval_ms, error);
  if (g_str_equal (key, "service-hours"))
    return parse_service_hours (value, &config->service_hours, error);
  if (g_str_equal (key, "baud"))
    return parse_uint (key, value, 50, 4000000, &config->serial.baud, error);
  if (g_str_equal (key, "databits"))
    return parse_uint (key, value, 5, 8, &config->serial.data_bits, error);
  if (g_str_equal (key, "stopbits"))
    return parse_uint (key, value, 1, 2, &config->serial.stop_bits, error);
  if (g_str_equal (key, "enabled"))
    {
      if (g_str_equal (value, "true"))
        config->disabled = FALSE;
      else if (g_str_equal (value, "false"))
        config->disabled = TRUE;
      else
        return invalid (error, _("“enabled” must be true or false, not “%s”"), value);
      return TRUE;
    }
  if (g_str_equal (key, "parity"))
    {
      if (g_str_equal (value, "none"))
        config->serial.parity = CRYO_PARITY_NONE;
      else if (g_str_equal (value, "even"))
        config->serial.parity = CRYO_PARITY_EVEN;
      else if (g_str_equal (value, "odd"))
        config->serial.parity = CRYO_PARITY_ODD;
      else
        return invalid (error, _("“parity” must be none, even or odd, not “%s”"), value);
      return TRUE;
    }

  if (g_str_has_prefix (key, "threshold."))
    return cryo_device_config_set_threshold (config, key + strlen ("threshold."),
                                             value[0] != '\0' ? value : NULL, error);

  option = cryo_device_kind_lookup_option (config->kind, key, &index);
  if (option != NULL)
    {
      if (!parse_uint (key, value, option->min, option->max, &config->options[index], error))
        return FALSE;
      config->options_given |= 1u << index;
      return TRUE;
    }

  {
    g_autofree char *known = dup_known_options (config->kind);

    return invalid (error, _("Unknown %s option “%s” (known: %s)"), config->kind->id, key, known);
  }
}

static const CryoChannelInfo *
lookup_channel_info (const CryoDeviceKind *kind,
                     const char           *key)
{
  for (guint i = 0; kind->channels != NULL && kind->channels[i].key != NULL; i++)
    if (g_str_equal (kind->channels[i].key, key))
      return &kind->channels[i];

  return NULL;
}

/**
 * cryo_device_config_set_threshold:
 * @config: a configuration
 * @channel: the key of a channel of @config's kind ("pressure")
 * @threshold: (nullable): the threshold in its text form ("above 1e-5 mbar
 *   for 30 s hysteresis 10%", see #CryoThresholdSpec), in a unit of the
 *   channel's quantity; %NULL to remove the channel's threshold
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG saying what is wrong
 *
 * Sets the user threshold of one channel, which the session raises as a
 * condition (`threshold.CHANNEL=` in devices.conf). The text is kept as
 * cryo_threshold_spec_to_string() writes it.
 *
 * Returns: %TRUE when set
 */
gboolean
cryo_device_config_set_threshold (CryoDeviceConfig  *config,
                                  const char        *channel,
                                  const char        *threshold,
                                  GError           **error)
{
  g_autoptr(GPtrArray) thresholds = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *normalized = NULL;
  const CryoChannelInfo *info;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  info = lookup_channel_info (config->kind, channel);
  if (info == NULL)
    return invalid (error, _("%s has no reading “%s” for a threshold"), config->kind->id, channel);

  if (threshold != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      CryoUnit canonical = cryo_quantity_get_canonical_unit (info->quantity);
      CryoThresholdSpec spec;
      gboolean fits;

      if (!cryo_threshold_spec_parse (threshold, &spec, &local_error))
        return invalid (error, "%s", local_error->message);

      if (spec.unit == CRYO_UNIT_NONE)
        fits = canonical == CRYO_UNIT_NONE;
      else
        fits = cryo_unit_get_quantity (spec.unit) == info->quantity;
      if (!fits && canonical == CRYO_UNIT_NONE)
        return invalid (error, _("The threshold of “%s” must be a plain number, without a unit"), channel);
      if (!fits)
        return invalid (error, _("The threshold of “%s” must be in a unit of its quantity, such as %s"),
                        channel, cryo_unit_get_symbol (canonical));

      normalized = cryo_threshold_spec_to_string (&spec);
    }

  /* Channel-table order, so that equal sets compare equal. */
  for (guint i = 0; config->kind->channels[i].key != NULL; i++)
    {
      const char *key = config->kind->channels[i].key;
      const char *text = g_str_equal (key, channel) ? normalized : cryo_device_config_get_threshold (config, key);

      if (text != NULL)
        g_ptr_array_add (thresholds, g_strdup_printf ("%s=%s", key, text));
    }

  g_clear_pointer (&config->thresholds, g_strfreev);
  if (thresholds->len > 0)
    {
      g_ptr_array_add (thresholds, NULL);
      config->thresholds = (char **) g_ptr_array_steal (thresholds, NULL);
    }

  return TRUE;
}

/**
 * cryo_device_config_get_threshold:
 * @config: a configuration
 * @channel: a channel key
 *
 * Returns: (nullable): the channel's threshold in its text form, or %NULL
 */
const char *
cryo_device_config_get_threshold (const CryoDeviceConfig *config,
                                  const char             *channel)
{
  gsize len;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (channel != NULL, NULL);

  len = strlen (channel);
  for (guint i = 0; config->thresholds != NULL && config->thresholds[i] != NULL; i++)
    if (strncmp (config->thresholds[i], channel, len) == 0 && config->thresholds[i][len] == '=')
      return config->thresholds[i] + len + 1;

  return NULL;
}

/**
 * cryo_device_config_get_option:
 * @config: a configuration
 * @name: one of its kind's options ("address", "unit")
 *
 * Returns: the option's value: the one given, else the kind's default for
 *   the serial line or for TCP, as @config's port is
 */
guint
cryo_device_config_get_option (const CryoDeviceConfig *config,
                               const char             *name)
{
  const CryoKindOption *option;
  guint index;

  g_return_val_if_fail (config != NULL, 0);

  option = cryo_device_kind_lookup_option (config->kind, name, &index);
  g_return_val_if_fail (option != NULL, 0);

  if (config->options_given & (1u << index))
    return config->options[index];

  return config->host != NULL ? option->default_tcp_value : option->default_value;
}

static gboolean
lookup_kind (const char            *id,
             const CryoDeviceKind **kind,
             GError               **error)
{
  g_autofree char *known = NULL;

  *kind = cryo_device_kind_lookup (id);
  if (*kind != NULL)
    return TRUE;

  known = cryo_device_kind_dup_known_ids ();
  return invalid (error, _("Unknown device type “%s” (known: %s)"), id, known);
}

/* Splits at commas that are not escaped as "\,"; "\\" is a backslash. */
static GStrv
split_spec (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) part = g_string_new (NULL);

  for (const char *p = text; ; p++)
    {
      if (*p == '\\' && (p[1] == ',' || p[1] == '\\'))
        g_string_append_c (part, *++p);
      else if (*p == ',' || *p == '\0')
        {
          g_strv_builder_add (builder, part->str);
          g_string_truncate (part, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (part, *p);
    }

  return g_strv_builder_end (builder);
}

static void
append_escaped (GString    *text,
                const char *value)
{
  for (const char *p = value; *p; p++)
    {
      if (*p == ',' || *p == '\\')
        g_string_append_c (text, '\\');
      g_string_append_c (text, *p);
    }
}

/**
 * cryo_device_config_parse:
 * @spec: `KIND:PORT[,key=value]…`: the port is a device path, or
 *   `tcp:HOST[:PORT]` (see cryo_device_config_set_port()); keys are `name`,
 *   `id` (lower-case letters, digits and underscores), `poll`
 *   (seconds), `baud`, `parity` (none, even, odd), `databits`, `stopbits`,
 *   `enabled` and the kind's options. A comma inside a value is written `\,`.
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG naming what is wrong
 *
 * Parses a `--device` argument.
 *
 * Returns: (transfer full) (nullable): the configuration
 */
CryoDeviceConfig *
cryo_device_config_parse (const char  *spec,
                          GError     **error)
{
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *kind_id = NULL;
  const CryoDeviceKind *kind;
  const char *colon;

  g_return_val_if_fail (spec != NULL, NULL);

  colon = strchr (spec, ':');
  if (colon == NULL || colon == spec || colon[1] == '\0' || colon[1] == ',')
    {
      invalid (error, _("“%s” is not of the form TYPE:PORT[,option=value]…"), spec);
      return NULL;
    }

  kind_id = g_strndup (spec, colon - spec);
  if (!lookup_kind (kind_id, &kind, error))
    return NULL;

  parts = split_spec (colon + 1);
  config = cryo_device_config_new (kind, NULL);
  if (!cryo_device_config_set_port (config, parts[0], error))
    return NULL;

  for (guint i = 1; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == parts[i])
        {
          invalid (error, _("Device option “%s” is not of the form key=value"), parts[i]);
          return NULL;
        }

      key = g_strndup (parts[i], eq - parts[i]);
      if (!cryo_device_config_set_option (config, key, eq + 1, error))
        return NULL;
    }

  if (!cryo_serial_config_validate (&config->serial, error))
    return NULL;

  return g_steal_pointer (&config);
}

static const char *
parity_name (CryoParity parity)
{
  switch (parity)
    {
    case CRYO_PARITY_EVEN: return "even";
    case CRYO_PARITY_ODD:  return "odd";
    case CRYO_PARITY_NONE:
    default:               return "none";
    }
}

/* The settings a configuration writes, as key/value pairs in a fixed order,
 * so the `--device` text and the keyfile say the same. */
static GPtrArray *
config_to_pairs (const CryoDeviceConfig *config)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);
  const CryoDeviceKind *kind = config->kind;

#define ADD(key, value) G_STMT_START { g_ptr_array_add (pairs, g_strdup (key)); \
                                       g_ptr_array_add (pairs, value); } G_STMT_END

  if (config->id != NULL)
    ADD ("id", g_strdup (config->id));

  if (config->host == NULL)
    {
      ADD ("baud", g_strdup_printf ("%u", config->serial.baud));
      if (config->serial.parity != kind->default_parity)
        ADD ("parity", g_strdup (parity_name (config->serial.parity)));
      if (config->serial.data_bits != (kind->default_data_bits ? kind->default_data_bits : 8))
        ADD ("databits", g_strdup_printf ("%u", config->serial.data_bits));
      if (config->serial.stop_bits != 1)
        ADD ("stopbits", g_strdup_printf ("%u", config->serial.stop_bits));
    }

  for (guint i = 0; kind->options != NULL && kind->options[i].name != NULL; i++)
    if (config->options_given & (1u << i))
      ADD (kind->options[i].name, g_strdup_printf ("%u", config->options[i]));

  if (config->poll_interval_ms != 0)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      ADD ("poll", g_strdup (g_ascii_dtostr (number, sizeof number, config->poll_interval_ms / 1000.0)));
    }

  if (config->disabled)
    ADD ("enabled", g_strdup ("false"));

  if (!isnan (config->service_hours))
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      ADD ("service-hours", g_strdup (g_ascii_formatd (number, sizeof number, "%.1f", config->service_hours)));
    }

  for (guint i = 0; config->thresholds != NULL && config->thresholds[i] != NULL; i++)
    {
      const char *equals = strchr (config->thresholds[i], '=');

      g_ptr_array_add (pairs, g_strdup_printf ("threshold.%.*s", (int) (equals - config->thresholds[i]),
                                               config->thresholds[i]));
      g_ptr_array_add (pairs, g_strdup (equals + 1));
    }

#undef ADD

  return pairs;
}

/**
 * cryo_device_config_to_spec:
 * @config: a configuration
 *
 * The inverse of cryo_device_config_parse(): parsing the result gives a
 * configuration equal to @config.
 *
 * Returns: (transfer full): `KIND:PORT[,name=…][,key=value]…`
 */
char *
cryo_device_config_to_spec (const CryoDeviceConfig *config)
{
  g_autoptr(GPtrArray) pairs = NULL;
  g_autofree char *port = NULL;
  GString *text;

  g_return_val_if_fail (config != NULL, NULL);

  port = cryo_device_config_dup_port_spec (config);
  text = g_string_new (config->kind->id);
  g_string_append_c (text, ':');
  append_escaped (text, port ? port : "");

  if (config->name != NULL)
    {
      g_string_append (text, ",name=");
      append_escaped (text, config->name);
    }

  pairs = config_to_pairs (config);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      g_string_append_printf (text, ",%s=", (char *) g_ptr_array_index (pairs, i));
      append_escaped (text, g_ptr_array_index (pairs, i + 1));
    }

  return g_string_free (text, FALSE);
}

/**
 * cryo_device_config_from_keyfile:
 * @keyfile: a devices keyfile
 * @group: one of its groups: the device's name
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG naming the group and the key
 *
 * Reads one device from its group:
 * |[
 * [Pumping station]
 * type=pump-station
 * port=/dev/ttyUSB0
 * id=pumping_station
 * baud=9600
 * address=0
 * poll=1
 * ]|
 *
 * Returns: (transfer full) (nullable): the configuration, named after @group
 */
CryoDeviceConfig *
cryo_device_config_from_keyfile (GKeyFile    *keyfile,
                                 const char  *group,
                                 GError     **error)
{
  g_autofree char *type = g_key_file_get_string (keyfile, group, "type", NULL);
  g_autofree char *port = g_key_file_get_string (keyfile, group, "port", NULL);
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(GError) local_error = NULL;
  const CryoDeviceKind *kind;

  g_return_val_if_fail (keyfile != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);

  if (type == NULL || port == NULL)
    {
      invalid (error, _("[%s]: a device needs both “type” and “port”"), group);
      return NULL;
    }

  if (!lookup_kind (type, &kind, &local_error))
    goto failed;

  config = cryo_device_config_new (kind, NULL);
  if (!cryo_device_config_set_option (config, "name", group, &local_error) ||
      !cryo_device_config_set_port (config, port, &local_error))
    goto failed;

  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
    {
      g_autofree char *value = NULL;

      if (g_str_equal (keys[k], "type") || g_str_equal (keys[k], "port") || g_str_equal (keys[k], "name"))
        continue;

      value = g_key_file_get_string (keyfile, group, keys[k], NULL);
      if (!cryo_device_config_set_option (config, keys[k], value ? value : "", &local_error))
        goto failed;
    }

  if (!cryo_serial_config_validate (&config->serial, &local_error))
    goto failed;

  return g_steal_pointer (&config);

failed:
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "[%s]: ", group);
  return NULL;
}

/**
 * cryo_device_config_to_keyfile:
 * @config: a configuration with a name
 * @keyfile: a devices keyfile
 * @group: the group to write, replacing its keys (its comment is kept)
 *
 * Writes @config as cryo_device_config_from_keyfile() reads it.
 */
void
cryo_device_config_to_keyfile (const CryoDeviceConfig *config,
                               GKeyFile               *keyfile,
                               const char             *group)
{
  g_autoptr(GPtrArray) pairs = NULL;
  g_autofree char *port = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (config != NULL);
  g_return_if_fail (keyfile != NULL);
  g_return_if_fail (group != NULL);

  keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    g_key_file_remove_key (keyfile, group, keys[i], NULL);

  port = cryo_device_config_dup_port_spec (config);
  g_key_file_set_string (keyfile, group, "type", config->kind->id);
  g_key_file_set_string (keyfile, group, "port", port ? port : "");

  pairs = config_to_pairs (config);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    g_key_file_set_string (keyfile, group, g_ptr_array_index (pairs, i), g_ptr_array_index (pairs, i + 1));
}

/**
 * cryo_device_config_get_default_path:
 *
 * Returns: (transfer full): the devices keyfile, `devices.conf` in the
 *   user's config folder (`~/.config/cryomon/`), which admins can deploy
 *   to many PCs
 */
char *
cryo_device_config_get_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "cryomon", "devices.conf", NULL);
}

/**
 * cryo_device_config_load_keyfile:
 * @path: a keyfile with one group per device
 * @error: a #GKeyFileError, a #GFileError, or
 *   %CRYO_DEVICE_ERROR_INVALID_CONFIG naming the file, the group and the key
 *
 * Reads every device of a devices keyfile (see
 * cryo_device_config_from_keyfile()).
 *
 * Returns: (transfer full) (element-type CryoDeviceConfig): the devices,
 *   in file order
 */
GPtrArray *
cryo_device_config_load_keyfile (const char  *path,
                                 GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_device_config_free);
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, error))
    return NULL;

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      CryoDeviceConfig *config = cryo_device_config_from_keyfile (keyfile, groups[i], &local_error);

      if (config == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s ", path);
          return NULL;
        }
      g_ptr_array_add (configs, config);
    }

  return g_steal_pointer (&configs);
}

/* A line "[name]" (white space around allowed): the group's name, else NULL. */
static char *
dup_group_header (const char *line)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (line));
  gsize len = strlen (trimmed);

  if (len < 2 || trimmed[0] != '[' || trimmed[len - 1] != ']')
    return NULL;

  return g_strndup (trimmed + 1, len - 2);
}

static gboolean
is_blank (const char *line)
{
  while (*line == ' ' || *line == '\t' || *line == '\r')
    line++;

  return *line == '\0';
}

static gboolean
is_comment (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;

  return *line == '#';
}

/**
 * cryo_device_config_edit_keyfile_text:
 * @text: (nullable): the devices file as it is, %NULL or "" for none
 * @old_group: (nullable): the group to replace or remove
 * @new_group: (nullable): the group to write @config as; %NULL to remove
 *   @old_group only
 * @config: (nullable): the device to write, when @new_group is given
 * @error: %G_KEY_FILE_ERROR when @text or the result is not a keyfile
 *
 * Changes one group of a devices file and nothing else: every other group,
 * its keys and its comments (those above its header and those among its
 * keys) stay as they were, byte for byte. A replaced group keeps the
 * comment lines right above its header; a removed group takes them with
 * it, unless they open the file (then they are the file's comment); a new
 * group is appended. (GKeyFile attaches the comments above a
 * group to the group before it, so writing the file through it loses or
 * moves comments of groups that did not change.)
 *
 * Returns: (transfer full) (nullable): the new text of the file
 */
char *
cryo_device_config_edit_keyfile_text (const char              *text,
                                      const char              *old_group,
                                      const char              *new_group,
                                      const CryoDeviceConfig  *config,
                                      GError                 **error)
{
  g_autoptr(GKeyFile) check = g_key_file_new ();
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) result = g_string_new (NULL);
  g_autofree char *group_text = NULL;
  g_autofree gboolean *dropped = NULL;
  guint n_lines;
  int start = -1, end = -1, header = -1, tail = -1;
  int open_header = -1, open_start = -1;

  g_return_val_if_fail (new_group == NULL || config != NULL, NULL);

  if (text == NULL)
    text = "";

  if (text[0] != '\0' && !g_key_file_load_from_data (check, text, -1, G_KEY_FILE_NONE, error))
    return NULL;

  if (new_group != NULL)
    {
      g_autoptr(GKeyFile) single = g_key_file_new ();

      cryo_device_config_to_keyfile (config, single, new_group);
      group_text = g_key_file_to_data (single, NULL, NULL);
    }

  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  /* A final newline leaves an empty last piece, not a line. */
  if (n_lines > 0 && lines[n_lines - 1][0] == '\0')
    n_lines--;

  /* The block of @old_group: its header, its keys and comments up to the
   * comments above the next header. GKeyFile merges a group written twice
   * into one, so any later block of it is dropped like a removed group. */
  dropped = g_new0 (gboolean, n_lines + 1);
  for (guint i = 0; old_group != NULL && i <= n_lines; i++)
    {
      g_autofree char *name = i < n_lines ? dup_group_header (lines[i]) : NULL;
      int block_end = i;

      if (name == NULL && i < n_lines)
        continue;

      if (open_header >= 0)
        {
          while (i < n_lines && block_end > open_header + 1 && is_comment (lines[block_end - 1]))
            block_end--;
          if (open_header == header)
            end = block_end;
          else
            for (int j = open_start; j < block_end; j++)
              dropped[j] = TRUE;
          open_header = -1;
        }

      if (name != NULL && g_str_equal (name, old_group))
        {
          open_header = i;
          open_start = i;
          while (open_start > 0 && is_comment (lines[open_start - 1]))
            open_start--;
          /* Comments from the top of the file down to the first group are
           * the file's own, as GKeyFile reads them. */
          if (open_start == 0)
            open_start = open_header;
          if (header < 0)
            {
              header = open_header;
              start = open_start;
            }
        }
    }

  /* The blank lines that end the block separate it from the next one. */
  tail = end;
  while (header >= 0 && tail > header + 1 && is_blank (lines[tail - 1]))
    tail--;

  for (guint i = 0; i < n_lines; i++)
    {
      if (dropped[i])
        continue;

      if (header >= 0 && (int) i >= start && (int) i < end)
        {
          /* The replaced group keeps the comments above its header and
           * the blank lines after it. */
          if (((int) i < header || (int) i >= tail) && group_text != NULL)
            g_string_append_printf (result, "%s\n", lines[i]);
          else if ((int) i == header && group_text != NULL)
            {
              g_string_append (result, group_text);
              /* GKeyFile ends a group with a blank line; keep the file's spacing. */
              while (result->len >= 2 && result->str[result->len - 1] == '\n' &&
                     result->str[result->len - 2] == '\n')
                g_string_truncate (result, result->len - 1);
            }
          continue;
        }

      g_string_append_printf (result, "%s\n", lines[i]);
    }

  if (header < 0 && group_text != NULL)
    {
      if (result->len > 0 && !g_str_has_suffix (result->str, "\n\n"))
        g_string_append_c (result, '\n');
      g_string_append (result, group_text);
      while (result->len >= 2 && g_str_has_suffix (result->str, "\n\n"))
        g_string_truncate (result, result->len - 1);
    }

  if (!g_key_file_load_from_data (check, result->str, -1, G_KEY_FILE_NONE, error))
    return NULL;

  return g_string_free (g_steal_pointer (&result), FALSE);
}
