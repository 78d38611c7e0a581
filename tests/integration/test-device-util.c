/* test-device-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "test-device-util.h"

/* Runs the main context until @condition holds; FALSE after @timeout_ms. */
gboolean
wait_for (gboolean (*condition) (gpointer),
          gpointer   data,
          guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }

  return TRUE;
}

gboolean
is_online (gpointer device)
{
  return cryo_device_get_state (CRYO_DEVICE (device)) == CRYO_DEVICE_STATE_ONLINE;
}

gboolean
is_disconnected (gpointer device)
{
  return cryo_device_get_state (CRYO_DEVICE (device)) == CRYO_DEVICE_STATE_DISCONNECTED;
}

static void
action_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ActionResult *action = user_data;

  action->ok = cryo_device_run_action_finish (CRYO_DEVICE (object), result, &action->error);
  action->done = TRUE;
}

static gboolean
action_done (gpointer data)
{
  return ((ActionResult *) data)->done;
}

/* Runs @name on @device and waits (5 s at most) for its outcome. */
void
run_action (CryoDevice   *device,
            const char   *name,
            ActionResult *action)
{
  memset (action, 0, sizeof *action);
  cryo_device_run_action_async (device, name, NULL, NULL, action_cb, action);
  g_assert_true (wait_for (action_done, action, 5000));
}
