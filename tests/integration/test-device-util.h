/* test-device-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Waiting on devices and running their actions, for the device tests.
 */

#pragma once

#include "cryo-device.h"

G_BEGIN_DECLS

/**
 * ActionResult:
 * @done: the action has finished
 * @ok: what cryo_device_run_action_finish() returned
 * @error: its error, for the test to check and clear
 */
typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} ActionResult;

gboolean wait_for        (gboolean    (*condition) (gpointer),
                          gpointer      data,
                          guint         timeout_ms);
gboolean is_online       (gpointer      device);
gboolean is_disconnected (gpointer      device);
void     run_action      (CryoDevice   *device,
                          const char   *name,
                          ActionResult *action);

G_END_DECLS
