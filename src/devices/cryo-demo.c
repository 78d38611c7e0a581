/* cryo-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Demo mode: the built-in simulators on pseudo-terminals, in this process,
 * with real devices talking to them through the real serial path.
 */

#define G_LOG_DOMAIN "cryo-demo"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-demo.h"
#include "cryo-device-config.h"
#include "cryo-sim-cpa-server.h"
#include "cryo-sim-pump-station-server.h"
#include "cryo-sim-server.h"

struct _CryoDemo
{
  GObject    parent_instance;

  GPtrArray *servers;
  GPtrArray *cpa_servers;
  GPtrArray *devices;
};

G_DEFINE_FINAL_TYPE (CryoDemo, cryo_demo, G_TYPE_OBJECT)

static void
cryo_demo_dispose (GObject *object)
{
  CryoDemo *self = CRYO_DEMO (object);

  /* Devices first, so their links close the ports before the simulators go. */
  g_clear_pointer (&self->devices, g_ptr_array_unref);

  if (self->servers != NULL)
    {
      for (guint i = 0; i < self->servers->len; i++)
        cryo_sim_server_stop (g_ptr_array_index (self->servers, i));
      g_clear_pointer (&self->servers, g_ptr_array_unref);
    }

  if (self->cpa_servers != NULL)
    {
      for (guint i = 0; i < self->cpa_servers->len; i++)
        cryo_sim_server_stop (g_ptr_array_index (self->cpa_servers, i));
      g_clear_pointer (&self->cpa_servers, g_ptr_array_unref);
    }

  G_OBJECT_CLASS (cryo_demo_parent_class)->dispose (object);
}

static void
cryo_demo_class_init (CryoDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cryo_demo_dispose;
}

static void
cryo_demo_init (CryoDemo *self)
{
  self->servers = g_ptr_array_new_with_free_func (g_object_unref);
  self->cpa_servers = g_ptr_array_new_with_free_func (g_object_unref);
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * cryo_demo_new:
 * @error: a %CRYO_TRANSPORT_ERROR or #GIOError when a pseudo-terminal
 *   cannot be created
 *
 * Starts the simulated pumping station (running at full speed) on a
 * pseudo-terminal and the simulated helium compressor (running) on a
 * loopback Modbus TCP port, each in its own thread, and creates the devices
 * that poll them through the real transports. The devices are not
 * monitoring yet.
 *
 * Returns: (transfer full) (nullable): the demo
 */
CryoDemo *
cryo_demo_new (GError **error)
{
  g_autoptr(CryoDemo) self = g_object_new (CRYO_TYPE_DEMO, NULL);
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(CryoDeviceConfig) config = NULL;
  CryoDevice *device;

  options.running = TRUE;
  server = cryo_sim_pump_station_server_new (&options);
  if (!cryo_sim_server_start_pty (server, NULL, error))
    return NULL;

  config = cryo_device_config_new ("pump-station", cryo_sim_server_get_path (server));
  device = cryo_device_config_create_device (config, error);
  if (device == NULL)
    return NULL;

  g_ptr_array_add (self->servers, g_steal_pointer (&server));
  g_ptr_array_add (self->devices, device);

  {
    CryoSimCpaOptions cpa_options = CRYO_SIM_CPA_OPTIONS_INIT;
    g_autoptr(CryoSimServer) cpa_server = NULL;
    g_autoptr(CryoDeviceConfig) cpa_config = NULL;

    cpa_options.running = TRUE;
    cpa_server = cryo_sim_cpa_server_new (&cpa_options);
    if (!cryo_sim_server_start_tcp (cpa_server, "127.0.0.1", 0, error))
      return NULL;

    cpa_config = cryo_device_config_new ("cpa", NULL);
    cpa_config->host = g_strdup ("127.0.0.1");
    cpa_config->tcp_port = cryo_sim_server_get_port (cpa_server);
    device = cryo_device_config_create_device (cpa_config, error);
    if (device == NULL)
      return NULL;

    g_ptr_array_add (self->cpa_servers, g_steal_pointer (&cpa_server));
    g_ptr_array_add (self->devices, device);
  }

  return g_steal_pointer (&self);
}

/**
 * cryo_demo_get_devices:
 * @self: a #CryoDemo
 *
 * Returns: (transfer none) (element-type CryoDevice): the simulated devices
 */
GPtrArray *
cryo_demo_get_devices (CryoDemo *self)
{
  g_return_val_if_fail (CRYO_IS_DEMO (self), NULL);

  return self->devices;
}
