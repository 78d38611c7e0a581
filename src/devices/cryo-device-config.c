/* cryo-device-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-device-config"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "cryo-agilent.h"
#include "cryo-compressor.h"
#include "cryo-cpa.h"
#include "cryo-modbus-transport.h"
#include "cryo-device-config.h"
#include "cryo-pump-station.h"

static const char * const device_types[] = { "pump-station", "cpa", NULL };

static gboolean parse_uint (const char  *key,
                            const char  *text,
                            guint        min,
                            guint        max,
                            guint       *out,
                            GError     **error);

/**
 * cryo_device_config_get_types:
 *
 * Returns: (transfer none): the instrument types Cryomon knows, for usage
 *   messages
 */
const char * const *
cryo_device_config_get_types (void)
{
  return device_types;
}

/**
 * cryo_device_config_new:
 * @type: the instrument type
 * @port: the device path
 *
 * Returns: (transfer full): a configuration with default line settings
 *   (9600 8N1 for the pumping station, 115200 8N1 for the compressor as in
 *   Cryomech's sample code), address 0, poll interval from preferences
 */
CryoDeviceConfig *
cryo_device_config_new (const char *type,
                        const char *port)
{
  CryoDeviceConfig *config = g_new0 (CryoDeviceConfig, 1);
  CryoSerialConfig serial = CRYO_SERIAL_CONFIG_INIT;

  config->type = g_strdup (type);
  config->port = g_strdup (port);
  config->serial = serial;
  config->tcp_port = CRYO_CPA_DEFAULT_TCP_PORT;
  if (g_strcmp0 (type, "cpa") == 0)
    config->serial.baud = 115200;

  return config;
}

/* "tcp:HOST[:PORT]" (HOST may be an IPv6 address in brackets) for a Modbus
 * TCP instrument, or a device path. */
static gboolean
config_set_port (CryoDeviceConfig  *config,
                 const char        *port,
                 GError           **error)
{
  const char *rest;
  const char *colon;

  g_clear_pointer (&config->port, g_free);
  g_clear_pointer (&config->host, g_free);

  if (!g_str_has_prefix (port, "tcp:"))
    {
      if (port[0] == '\0')
        {
          g_set_error_literal (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                               _("The port is empty"));
          return FALSE;
        }
      config->port = g_strdup (port);
      return TRUE;
    }

  if (!g_str_equal (config->type, "cpa"))
    {
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                   _("%s is a serial instrument: “%s” is not a serial port"), config->type, port);
      return FALSE;
    }

  rest = port + strlen ("tcp:");
  if (rest[0] == '[')
    {
      const char *end = strchr (rest, ']');

      if (end == NULL || end == rest + 1 || (end[1] != '\0' && end[1] != ':'))
        goto bad;
      config->host = g_strndup (rest + 1, end - rest - 1);
      colon = end[1] == ':' ? end + 1 : NULL;
    }
  else
    {
      colon = strrchr (rest, ':');
      if (colon == rest)
        goto bad;
      config->host = colon ? g_strndup (rest, colon - rest) : g_strdup (rest);
    }

  if (config->host[0] == '\0')
    goto bad;

  if (colon != NULL && !parse_uint ("port", colon + 1, 1, 65535, &config->tcp_port, error))
    return FALSE;

  return TRUE;

bad:
  g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
               _("“%s” is not of the form tcp:HOST[:PORT]"), port);
  return FALSE;
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

  g_free (config->type);
  g_free (config->port);
  g_free (config->host);
  g_free (config);
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
    {
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                   _("“%s” must be a whole number from %u to %u, not “%s”"), key, min, max, text);
      return FALSE;
    }

  *out = value;
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
    {
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                   _("“poll” must be a number of seconds from 0.1 to 3600, not “%s”"), text);
      return FALSE;
    }

  *poll_interval_ms = (guint) (seconds * 1000.0 + 0.5);
  return TRUE;
}

static gboolean
config_set_option (CryoDeviceConfig  *config,
                   const char        *key,
                   const char        *value,
                   GError           **error)
{
  if (g_str_equal (key, "baud"))
    return parse_uint (key, value, 50, 4000000, &config->serial.baud, error);
  if (g_str_equal (key, "address") && g_str_equal (config->type, "pump-station"))
    return parse_uint (key, value, 0, CRYO_AGILENT_MAX_ADDRESS, &config->address, error);
  if (g_str_equal (key, "unit") && g_str_equal (config->type, "cpa"))
    return parse_uint (key, value, 1, 247, &config->unit_id, error);
  if (g_str_equal (key, "poll"))
    return parse_poll (value, &config->poll_interval_ms, error);
  if (g_str_equal (key, "databits"))
    return parse_uint (key, value, 5, 8, &config->serial.data_bits, error);
  if (g_str_equal (key, "stopbits"))
    return parse_uint (key, value, 1, 2, &config->serial.stop_bits, error);
  if (g_str_equal (key, "parity"))
    {
      if (g_str_equal (value, "none"))
        config->serial.parity = CRYO_PARITY_NONE;
      else if (g_str_equal (value, "even"))
        config->serial.parity = CRYO_PARITY_EVEN;
      else if (g_str_equal (value, "odd"))
        config->serial.parity = CRYO_PARITY_ODD;
      else
        {
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                       _("“parity” must be none, even or odd, not “%s”"), value);
          return FALSE;
        }
      return TRUE;
    }

  g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
               _("Unknown %s option “%s” (known: %s)"), config->type, key,
               g_str_equal (config->type, "cpa")
                 ? "unit, poll, baud, parity, databits, stopbits"
                 : "address, poll, baud, parity, databits, stopbits");
  return FALSE;
}

static gboolean
check_type (const char  *type,
            GError     **error)
{
  if (g_strv_contains (device_types, type))
    return TRUE;

  {
    g_autofree char *known = g_strjoinv (", ", (char **) device_types);

    g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                 _("Unknown device type “%s” (known: %s)"), type, known);
  }
  return FALSE;
}

/**
 * cryo_device_config_parse:
 * @spec: `TYPE:PORT[,baud=N][,address=N][,poll=SECONDS][,parity=none|even|odd]`,
 *   or for the compressor over Ethernet `cpa:tcp:HOST[:PORT][,unit=N][,poll=SECONDS]`
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
  const char *colon;
  g_autofree char *type = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  colon = strchr (spec, ':');
  if (colon == NULL || colon == spec || colon[1] == '\0' || colon[1] == ',')
    {
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                   _("“%s” is not of the form TYPE:PORT[,option=value]…"), spec);
      return NULL;
    }

  type = g_strndup (spec, colon - spec);
  if (!check_type (type, error))
    return NULL;

  parts = g_strsplit (colon + 1, ",", -1);
  config = cryo_device_config_new (type, NULL);
  if (!config_set_port (config, parts[0], error))
    return NULL;

  for (guint i = 1; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == parts[i])
        {
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                       _("Device option “%s” is not of the form key=value"), parts[i]);
          return NULL;
        }

      key = g_strndup (parts[i], eq - parts[i]);
      if (!config_set_option (config, key, eq + 1, error))
        return NULL;
    }

  if (!cryo_serial_config_validate (&config->serial, error))
    return NULL;

  return g_steal_pointer (&config);
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
 *   %CRYO_DEVICE_ERROR_INVALID_CONFIG naming the group and key
 *
 * Reads device configurations. Each group is one device:
 * |[
 * [pumping station]
 * type=pump-station
 * port=/dev/ttyUSB0
 * baud=9600
 * address=0
 * poll=1.0
 *
 * [compressor]
 * type=cpa
 * port=tcp:192.168.1.10:502
 * unit=1
 * ]|
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

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, error))
    return NULL;

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *type = g_key_file_get_string (keyfile, groups[i], "type", NULL);
      g_autofree char *port = g_key_file_get_string (keyfile, groups[i], "port", NULL);
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[i], NULL, NULL);
      g_autoptr(CryoDeviceConfig) config = NULL;
      g_autoptr(GError) local_error = NULL;

      if (type == NULL || port == NULL)
        {
          g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                       _("%s: device “%s” needs both “type” and “port”"), path, groups[i]);
          return NULL;
        }

      if (!check_type (type, &local_error))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "%s [%s]: ", path, groups[i]);
          return NULL;
        }

      config = cryo_device_config_new (type, NULL);
      if (!config_set_port (config, port, &local_error))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "%s [%s]: ", path, groups[i]);
          return NULL;
        }

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autofree char *value = NULL;

          if (g_str_equal (keys[k], "type") || g_str_equal (keys[k], "port"))
            continue;

          value = g_key_file_get_string (keyfile, groups[i], keys[k], NULL);
          if (!config_set_option (config, keys[k], value ? value : "", &local_error))
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          "%s [%s]: ", path, groups[i]);
              return NULL;
            }
        }

      if (!cryo_serial_config_validate (&config->serial, &local_error))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "%s [%s]: ", path, groups[i]);
          return NULL;
        }

      g_ptr_array_add (configs, g_steal_pointer (&config));
    }

  return g_steal_pointer (&configs);
}

/**
 * cryo_device_config_create_device:
 * @config: a configuration
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG for an unknown type
 *
 * Creates the device with a link over the configured port. Nothing is opened
 * until monitoring starts.
 *
 * Returns: (transfer full) (nullable): the device
 */
CryoDevice *
cryo_device_config_create_device (const CryoDeviceConfig  *config,
                                  GError                 **error)
{
  g_autoptr(CryoTransport) transport = NULL;
  g_autoptr(CryoLink) link = NULL;
  CryoDevice *device;

  g_return_val_if_fail (config != NULL, NULL);

  if (!check_type (config->type, error))
    return NULL;

  if (g_str_equal (config->type, "cpa"))
    {
      if (config->host != NULL)
        transport = cryo_modbus_transport_new_tcp (config->host, config->tcp_port,
                                                   config->unit_id ? config->unit_id
                                                                   : CRYO_CPA_DEFAULT_TCP_UNIT_ID);
      else
        transport = cryo_modbus_transport_new_rtu (config->port, &config->serial,
                                                   config->unit_id ? config->unit_id
                                                                   : CRYO_CPA_DEFAULT_RTU_UNIT_ID);
      link = cryo_link_new (transport);
      device = cryo_compressor_new (link);
    }
  else
    {
      transport = cryo_serial_transport_new (config->port, &config->serial);
      link = cryo_link_new (transport);
      device = cryo_pump_station_new (link, config->address);
    }

  if (config->poll_interval_ms != 0)
    cryo_device_set_poll_interval (device, config->poll_interval_ms);

  return device;
}
