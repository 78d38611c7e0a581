/* cryo-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Demo mode: every built-in simulator in this process, started by its kind
 * descriptor, with real devices talking to it through the real transports.
 */

#define G_LOG_DOMAIN "cryo-demo"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-demo.h"
#include "cryo-device.h"
#include "cryo-kinds.h"

struct _CryoDemo
{
  GObject    parent_instance;

  GPtrArray *servers;
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
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * cryo_demo_new:
 * @error: a %CRYO_DEVICE_ERROR, %CRYO_TRANSPORT_ERROR or #GIOError when a
 *   simulator cannot start or its device cannot be created
 *
 * Starts the simulator of every registered instrument (cryo_kinds_get_all())
 * with its demo defaults (the
 * instrument running), each in its own thread on a pseudo-terminal or a
 * loopback TCP port, and creates the devices that poll them through the
 * real transports, from the `--device` spec each simulator gives. The
 * devices are not monitoring yet.
 *
 * Returns: (transfer full) (nullable): the demo
 */
CryoDemo *
cryo_demo_new (GError **error)
{
  g_autoptr(CryoDemo) self = g_object_new (CRYO_TYPE_DEMO, NULL);
  guint n_kinds;
  const CryoKindRegistration *kinds = cryo_kinds_get_all (&n_kinds);

  cryo_kinds_register_all ();

  for (guint i = 0; i < n_kinds; i++)
    {
      g_autoptr(CryoSimServer) server = NULL;
      g_autoptr(CryoDeviceConfig) config = NULL;
      g_autofree char *spec = NULL;
      CryoDevice *device;

      server = kinds[i].simulator->start_demo (&spec, error);
      if (server == NULL)
        return NULL;
      g_ptr_array_add (self->servers, g_steal_pointer (&server));

      config = cryo_device_config_parse (spec, error);
      if (config == NULL)
        return NULL;

      device = cryo_device_new_from_config (config, error);
      if (device == NULL)
        return NULL;
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
