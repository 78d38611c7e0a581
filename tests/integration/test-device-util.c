/* test-device-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

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

/* A GAsyncReadyCallback for cryo_device_run_action_async(): stores its
 * outcome in the ActionResult @user_data. */
void
action_result_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ActionResult *action = user_data;

  action->ok = cryo_device_run_action_finish (CRYO_DEVICE (object), result, &action->error);
  action->done = TRUE;
}

/* A condition for wait_for(): the ActionResult @data is done. */
gboolean
action_result_done (gpointer data)
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
  cryo_device_run_action_async (device, name, NULL, NULL, action_result_cb, action);
  g_assert_true (wait_for (action_result_done, action, 5000));
}

/* Runs @name with @params (NULL: the defaults) on @device and waits
 * @timeout_ms at most for its outcome, confirmation included. */
void
run_action_full (CryoDevice   *device,
                 const char   *name,
                 const double *params,
                 guint         timeout_ms,
                 ActionResult *action)
{
  memset (action, 0, sizeof *action);
  cryo_device_run_action_async (device, name, params, NULL, action_result_cb, action);
  g_assert_true (wait_for (action_result_done, action, timeout_ms));
}

/* A condition for wait_for(): the server's command log has the line
 * @data->line. */
gboolean
command_log_has (gpointer data)
{
  CommandLogWait *wait = data;
  g_auto(GStrv) log = cryo_sim_server_dup_command_log (wait->server);

  return g_strv_contains ((const char * const *) log, wait->line);
}

guint
command_log_length (CryoSimServer *server)
{
  g_auto(GStrv) log = cryo_sim_server_dup_command_log (server);

  return g_strv_length (log);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts `cryomon-sim KIND --link LINK_PATH ARGS…` (@... : more arguments,
 * NULL-terminated) and returns once it serves the port, which it says by
 * printing LINK_PATH. It dies with the test. */
GSubprocess *
spawn_sim (const char *kind,
           const char *link_path,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *arg;
  GSubprocess *sim;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CRYOMON_SIM"));
  g_ptr_array_add (argv, (gpointer) kind);
  g_ptr_array_add (argv, (gpointer) "--link");
  g_ptr_array_add (argv, (gpointer) link_path);
  va_start (args, link_path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, link_path);

  return sim;
}

/* Runs `cryomon --headless --device DEVICE_SPEC --action ACTION` to its
 * end; returns its exit status, and what it wrote if @stdout_text or
 * @stderr_text are not NULL. */
int
run_headless (const char  *device_spec,
              const char  *action,
              char       **stdout_text,
              char       **stderr_text)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("CRYOMON"), "--headless", "--no-history", "--device", device_spec,
                              "--action", action, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  status = g_subprocess_get_exit_status (process);
  g_test_message ("%s: exit %d\nstdout:\n%s\nstderr:\n%s", action, status, out, err);
  if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&out);
  if (stderr_text != NULL)
    *stderr_text = g_steal_pointer (&err);
  return status;
}

/* The contents of the text file at @path, or "" when there is none. */
char *
read_log (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}
