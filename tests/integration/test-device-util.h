/* test-device-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Waiting on devices and running their actions, for the device tests.
 */

#pragma once

#include <gio/gio.h>

#include "cryo-device.h"
#include "cryo-sim-server.h"

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

/**
 * CommandLogWait:
 * @server: a simulator's server
 * @line: a line its command log must have, for command_log_has()
 */
typedef struct
{
  CryoSimServer *server;
  const char    *line;
} CommandLogWait;

gboolean wait_for        (gboolean    (*condition) (gpointer),
                          gpointer      data,
                          guint         timeout_ms);
gboolean is_online       (gpointer      device);
gboolean is_disconnected (gpointer      device);
void     run_action      (CryoDevice   *device,
                          const char   *name,
                          ActionResult *action);
void     action_result_cb   (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);
gboolean action_result_done (gpointer      data);
void     run_action_full (CryoDevice   *device,
                          const char   *name,
                          const double *params,
                          guint         timeout_ms,
                          ActionResult *action);

gboolean command_log_has    (gpointer       data);
guint    command_log_length (CryoSimServer *server);

GSubprocess *spawn_sim    (const char  *kind,
                           const char  *link_path,
                           ...) G_GNUC_NULL_TERMINATED;
int          run_headless (const char  *device_spec,
                           const char  *action,
                           char       **stdout_text,
                           char       **stderr_text);
char        *read_log     (const char  *path);

G_END_DECLS
