/* cryo-headless.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device.h"

G_BEGIN_DECLS

/**
 * CryoHeadlessExit:
 * @CRYO_HEADLESS_EXIT_OK: success
 * @CRYO_HEADLESS_EXIT_DEVICE: a device or I/O error (no readings, action failed, CSV not written)
 * @CRYO_HEADLESS_EXIT_USAGE: the command line was wrong
 * @CRYO_HEADLESS_EXIT_REFUSED: an interlock refused the action
 *
 * Exit codes of `cryomon --headless`.
 */
typedef enum
{
  CRYO_HEADLESS_EXIT_OK      = 0,
  CRYO_HEADLESS_EXIT_DEVICE  = 1,
  CRYO_HEADLESS_EXIT_USAGE   = 2,
  CRYO_HEADLESS_EXIT_REFUSED = 3,
} CryoHeadlessExit;

/**
 * CryoHeadlessOptions:
 * @duration_s: how long to run in seconds; 0 runs until interrupted, or,
 *   with an action, until the poll after the action
 * @csv_path: (nullable): where to write the CSV of every channel at the end
 * @action: (nullable): `DEVICE:ACTION`, run after the device's first complete poll
 * @pressure_unit: the unit pressures are printed and exported in
 */
typedef struct
{
  double      duration_s;
  const char *csv_path;
  const char *action;
  CryoUnit    pressure_unit;
} CryoHeadlessOptions;

/* How long an action waits for the first complete poll without --duration. */
#define CRYO_HEADLESS_ACTION_TIMEOUT_S 30

int cryo_headless_run (GPtrArray                 *devices,
                       const CryoHeadlessOptions *options);

G_END_DECLS
