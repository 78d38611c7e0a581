/* cryo-sim-command-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-command-log"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>

#include "cryo-sim-command-log.h"

struct _CryoSimCommandLog
{
  GObject    parent_instance;

  /* The server thread appends while tests read: everything below. */
  GMutex     mutex;
  GPtrArray *lines;   /* element-type utf8 */
  FILE      *file;
};

G_DEFINE_FINAL_TYPE (CryoSimCommandLog, cryo_sim_command_log, G_TYPE_OBJECT)

static void
cryo_sim_command_log_finalize (GObject *object)
{
  CryoSimCommandLog *self = (CryoSimCommandLog *)object;

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->file, fclose);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cryo_sim_command_log_parent_class)->finalize (object);
}

static void
cryo_sim_command_log_class_init (CryoSimCommandLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_sim_command_log_finalize;
}

static void
cryo_sim_command_log_init (CryoSimCommandLog *self)
{
  g_mutex_init (&self->mutex);
  self->lines = g_ptr_array_new_with_free_func (g_free);
}

/**
 * cryo_sim_command_log_new:
 *
 * Returns: (transfer full): an empty command log that keeps its lines in
 *   memory only
 */
CryoSimCommandLog *
cryo_sim_command_log_new (void)
{
  return g_object_new (CRYO_TYPE_SIM_COMMAND_LOG, NULL);
}

/**
 * cryo_sim_command_log_set_path:
 * @self: a #CryoSimCommandLog
 * @path: (type filename) (nullable): file to append the lines to from now
 *   on, flushed per line, so that another process may read it while the
 *   simulator runs; %NULL to stop appending
 * @error: return location for a #GError (G_FILE_ERROR) when the file cannot
 *   be opened; the file appended to so far is then kept
 *
 * Thread-safe.
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_sim_command_log_set_path (CryoSimCommandLog  *self,
                               const char         *path,
                               GError            **error)
{
  FILE *file = NULL;

  g_return_val_if_fail (CRYO_IS_SIM_COMMAND_LOG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (path != NULL)
    {
      file = g_fopen (path, "ae");
      if (file == NULL)
        {
          int saved_errno = errno;
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Cannot open the command log “%s”: %s"),
                       display, g_strerror (saved_errno));
          return FALSE;
        }
    }

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->file, fclose);
  self->file = file;
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/**
 * cryo_sim_command_log_append:
 * @self: a #CryoSimCommandLog
 * @line: one printable line without its newline, e.g. "000 1 ACK"
 *
 * Appends @line, dropping the oldest line beyond
 * %CRYO_SIM_COMMAND_LOG_MAX; a file that cannot be written to is reported
 * with g_debug() only, as the simulator carries on. Thread-safe.
 */
void
cryo_sim_command_log_append (CryoSimCommandLog *self,
                             const char        *line)
{
  g_return_if_fail (CRYO_IS_SIM_COMMAND_LOG (self));
  g_return_if_fail (line != NULL);

  g_debug ("Command: %s", line);

  g_mutex_lock (&self->mutex);

  if (self->file != NULL)
    {
      if (fputs (line, self->file) == EOF
          || fputc ('\n', self->file) == EOF
          || fflush (self->file) != 0)
        g_debug ("Cannot append to the command log: %s", g_strerror (errno));
    }

  if (self->lines->len >= CRYO_SIM_COMMAND_LOG_MAX)
    g_ptr_array_remove_index (self->lines, 0);
  g_ptr_array_add (self->lines, g_strdup (line));

  g_mutex_unlock (&self->mutex);
}

/**
 * cryo_sim_command_log_dup_lines:
 * @self: a #CryoSimCommandLog
 *
 * Thread-safe.
 *
 * Returns: (transfer full): a %NULL-terminated copy of the lines kept,
 *   oldest first
 */
char **
cryo_sim_command_log_dup_lines (CryoSimCommandLog *self)
{
  char **lines;

  g_return_val_if_fail (CRYO_IS_SIM_COMMAND_LOG (self), NULL);

  g_mutex_lock (&self->mutex);
  lines = g_new0 (char *, self->lines->len + 1);
  for (guint i = 0; i < self->lines->len; i++)
    lines[i] = g_strdup (g_ptr_array_index (self->lines, i));
  g_mutex_unlock (&self->mutex);

  return lines;
}
