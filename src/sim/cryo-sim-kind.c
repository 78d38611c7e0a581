/* cryo-sim-kind.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every simulator kind does the same way when cryomon-sim or the demo
 * starts it: its option group, and a server started on a pseudo-terminal.
 */

#define G_LOG_DOMAIN "cryo-sim-kind"

#include "config.h"

#include "cryo-sim-kind.h"

/**
 * cryo_sim_kind_new_option_group:
 * @kind: the simulator kind; its id names the group (`--help-ID`)
 * @description: the group's heading in `--help-ID`, translated
 *   ("CTI cryopump options:")
 * @help_description: the line `--help` shows for `--help-ID`, translated
 * @entries: the simulator's own options, %NULL-terminated; they write into
 *   the simulator's storage (one command line per process)
 *
 * Makes the option group a simulator's #CryoSimKind.create_option_group
 * returns, translated in Cryomon's domain.
 *
 * Returns: (transfer full): a new option group
 */
GOptionGroup *
cryo_sim_kind_new_option_group (const CryoSimKind  *kind,
                                const char         *description,
                                const char         *help_description,
                                const GOptionEntry *entries)
{
  GOptionGroup *group;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (entries != NULL, NULL);

  group = g_option_group_new (kind->id, description, help_description, NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);

  return group;
}

/**
 * cryo_sim_kind_start_pty:
 * @server: (transfer full): a server that is not started yet
 * @link_path: (nullable) (type filename): where to put a symlink to the
 *   pseudo-terminal, or %NULL
 * @error: return location for an error of cryo_sim_server_start_pty()
 *
 * Starts @server on a new pseudo-terminal, what a serial simulator's
 * #CryoSimKind.start does once its options are checked.
 *
 * Returns: (transfer full) (nullable): @server, running; %NULL with @error
 *   set (and @server released) when it could not start
 */
CryoSimServer *
cryo_sim_kind_start_pty (CryoSimServer  *server,
                         const char     *link_path,
                         GError        **error)
{
  g_autoptr(CryoSimServer) owned = server;

  g_return_val_if_fail (CRYO_IS_SIM_SERVER (server), NULL);

  if (!cryo_sim_server_start_pty (owned, link_path, error))
    return NULL;

  return g_steal_pointer (&owned);
}

/**
 * cryo_sim_kind_start_demo_pty:
 * @kind: the simulator kind
 * @server: (transfer full): a server with the demo's options, not started
 * @device_spec: (out): the `--device` text that reaches it, "ID:/dev/pts/N"
 * @error: return location for an error of cryo_sim_server_start_pty()
 *
 * What a serial simulator's #CryoSimKind.start_demo does once it has made
 * its server: starts it on a pseudo-terminal and says how to reach it.
 *
 * Returns: (transfer full) (nullable): @server, running; %NULL with @error
 *   set when it could not start
 */
CryoSimServer *
cryo_sim_kind_start_demo_pty (const CryoSimKind  *kind,
                              CryoSimServer      *server,
                              char              **device_spec,
                              GError            **error)
{
  g_autoptr(CryoSimServer) started = NULL;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (device_spec != NULL, NULL);

  started = cryo_sim_kind_start_pty (server, NULL, error);
  if (started == NULL)
    return NULL;

  *device_spec = g_strdup_printf ("%s:%s", kind->id, cryo_sim_server_get_path (started));
  return g_steal_pointer (&started);
}
