/* cryo-sim-kind.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a simulator describes itself to cryomon-sim and to the demo, so that
 * neither names an instrument. DESIGN.md "Adding an instrument".
 */

#pragma once

#include <glib.h>

#include "cryo-sim-server.h"

G_BEGIN_DECLS

/**
 * CryoSimKind:
 * @id: the instrument kind, the same id as the device kind's
 *   ("pump-station", "cpa"): `cryomon-sim ID` and the `--device ID:…` spec
 * @description: what is simulated and over what, one line marked with
 *   N_() for `cryomon-sim --help`
 * @create_option_group: cryomon-sim: a new group of the options this
 *   simulator takes besides the common ones (--link, --speed, --corrupt,
 *   --drop, --delay, --command-log), named after @id, writing into the
 *   simulator's own storage (one command line per process)
 * @start: cryomon-sim, after parsing: checks the simulator's options, makes
 *   its server from @options and them, and starts it on @link_path or
 *   wherever its options say (the port lines cryomon-sim prints come from
 *   the server: cryo_sim_server_get_port(), cryo_sim_server_get_path()).
 *   A bad option value is a %G_OPTION_ERROR (cryomon-sim exits 2); failing
 *   to start is any other error (exit 1).
 * @start_demo: demo mode: starts the simulator with demo defaults (the
 *   instrument running) where this process can reach it, a pseudo-terminal
 *   or loopback TCP, and sets @device_spec to the `--device` text that
 *   reaches it, e.g. "pump-station:/dev/pts/4", "cpa:tcp:127.0.0.1:40123"
 *
 * One per simulator, a constant in the simulator's own file; the app layer
 * pairs it with its device kind (cryo-kinds.c), and cryomon-sim and the
 * demo take the list from there (cryo_kinds_dup_simulators()).
 */
typedef struct
{
  const char     *id;
  const char     *description;

  GOptionGroup  *(*create_option_group) (void);
  CryoSimServer *(*start)               (const CryoSimServerOptions  *options,
                                         const char                  *link_path,
                                         GError                     **error);

  CryoSimServer *(*start_demo)          (char                       **device_spec,
                                         GError                     **error);
} CryoSimKind;

GOptionGroup  *cryo_sim_kind_new_option_group (const CryoSimKind   *kind,
                                               const char          *description,
                                               const char          *help_description,
                                               const GOptionEntry  *entries);
CryoSimServer *cryo_sim_kind_start_pty        (CryoSimServer       *server,
                                               const char          *link_path,
                                               GError             **error);
CryoSimServer *cryo_sim_kind_start_demo_pty   (const CryoSimKind   *kind,
                                               CryoSimServer       *server,
                                               char               **device_spec,
                                               GError             **error);

G_END_DECLS
