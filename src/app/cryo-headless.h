/* cryo-headless.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device.h"

G_BEGIN_DECLS

/**
 * CryoHeadlessExit:
 * @CRYO_HEADLESS_EXIT_OK: done, and confirmed where the instrument confirms
 *   by status
 * @CRYO_HEADLESS_EXIT_DEVICE: a device or I/O error, or the action never ran
 * @CRYO_HEADLESS_EXIT_USAGE: a usage error
 * @CRYO_HEADLESS_EXIT_REFUSED: refused: a parameter out of range, an
 *   interlock, or the instrument's own refusal
 * @CRYO_HEADLESS_EXIT_UNCONFIRMED: sent but not confirmed, or the outcome
 *   is unknown
 *
 * The command line's exit codes, the same for every instrument (DESIGN.md
 * "Command line exit codes").
 */
typedef enum
{
  CRYO_HEADLESS_EXIT_OK          = 0,
  CRYO_HEADLESS_EXIT_DEVICE      = 1,
  CRYO_HEADLESS_EXIT_USAGE       = 2,
  CRYO_HEADLESS_EXIT_REFUSED     = 3,
  CRYO_HEADLESS_EXIT_UNCONFIRMED = 4,
} CryoHeadlessExit;

/**
 * CryoHeadlessOptions:
 * @duration_s: how long to run, seconds, finite and positive; 0 for no
 *   duration: stop after the action's confirming poll, or at a signal
 * @csv_path: (nullable): where to write every reading, as it arrives
 * @action: (nullable): `DEVICE:ACTION[,PARAM=VALUE]…`, DEVICE a device
 *   name or a kind id
 * @settings: (nullable): the application settings, for display units
 */
typedef struct
{
  double      duration_s;
  const char *csv_path;
  const char *action;
  GSettings  *settings;
} CryoHeadlessOptions;

#define CRYO_HEADLESS_ACTION_TIMEOUT_S 30

int              cryo_headless_run          (GListModel                *devices,
                                             const CryoHeadlessOptions *options);
CryoHeadlessExit cryo_headless_exit_for     (const GError              *error);

G_END_DECLS
