/* cryo-sim-pty.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-pty"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cryo-sim-pty.h"

/**
 * cryo_sim_pty_open:
 * @master_fd: (out): the master side, non-blocking, which the simulator serves
 * @slave_fd: (out): the slave side, held open by the simulator itself
 * @pty_path: (out) (transfer full): the slave's path, which clients open
 * @error: a #GIOError from the errno of the call that failed
 *
 * Creates a pseudo-terminal in raw mode: binary frames pass untouched (ETX,
 * 0x03, must not raise SIGINT), no echo, no CR/LF mapping. Holding the
 * slave open keeps the master from reading EIO between clients.
 *
 * Returns: %TRUE on success; on failure nothing stays open
 */
gboolean
cryo_sim_pty_open (int     *master_fd,
                   int     *slave_fd,
                   char   **pty_path,
                   GError **error)
{
  struct termios tio;
  char name[256];
  int saved_errno;
  int flags;

  g_return_val_if_fail (master_fd != NULL && slave_fd != NULL && pty_path != NULL, FALSE);

  *slave_fd = -1;
  *master_fd = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*master_fd < 0)
    goto failed;

  if (grantpt (*master_fd) != 0
      || unlockpt (*master_fd) != 0
      || ptsname_r (*master_fd, name, sizeof name) != 0)
    goto failed;

  *slave_fd = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*slave_fd < 0)
    goto failed;

  if (tcgetattr (*slave_fd, &tio) != 0)
    goto failed;
  cfmakeraw (&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  cfsetispeed (&tio, B9600);
  cfsetospeed (&tio, B9600);
  if (tcsetattr (*slave_fd, TCSANOW, &tio) != 0)
    goto failed;

  flags = fcntl (*master_fd, F_GETFL);
  if (flags < 0 || fcntl (*master_fd, F_SETFL, flags | O_NONBLOCK) != 0)
    goto failed;

  *pty_path = g_strdup (name);
  return TRUE;

failed:
  saved_errno = errno;
  if (*master_fd >= 0)
    close (*master_fd);
  if (*slave_fd >= 0)
    close (*slave_fd);
  *master_fd = -1;
  *slave_fd = -1;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot create a pseudo-terminal for the simulator: %s"),
               g_strerror (saved_errno));
  return FALSE;
}

/**
 * cryo_sim_pty_link:
 * @pty_path: the pseudo-terminal's path
 * @link_path: where clients will find it, e.g. a path given with --link
 * @error: %G_IO_ERROR_EXISTS when a file that is not a symbolic link is in
 *   the way, or a #GIOError from errno
 *
 * Makes a symbolic link to the pseudo-terminal, replacing a symbolic link
 * already there (a simulator that was killed leaves its link behind).
 *
 * Returns: %TRUE on success
 */
gboolean
cryo_sim_pty_link (const char  *pty_path,
                   const char  *link_path,
                   GError     **error)
{
  struct stat st;

  g_return_val_if_fail (pty_path != NULL && link_path != NULL, FALSE);

  if (lstat (link_path, &st) == 0)
    {
      if (!S_ISLNK (st.st_mode))
        {
          g_autofree char *display = g_filename_display_name (link_path);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("Cannot link the simulator at “%s”: a file that is not a "
                         "symbolic link is in the way"), display);
          return FALSE;
        }
      if (unlink (link_path) != 0 && errno != ENOENT)
        goto failed;
    }

  if (symlink (pty_path, link_path) != 0)
    goto failed;

  return TRUE;

failed:
  {
    int saved_errno = errno;
    g_autofree char *display = g_filename_display_name (link_path);

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Cannot link the simulator at “%s”: %s"),
                 display, g_strerror (saved_errno));
    return FALSE;
  }
}

/**
 * cryo_sim_pty_unlink:
 * @pty_path: the pseudo-terminal's path
 * @link_path: (nullable): the link made with cryo_sim_pty_link()
 *
 * Removes the link, but only while it still points at @pty_path: another
 * simulator may have taken the path over since.
 */
void
cryo_sim_pty_unlink (const char *pty_path,
                     const char *link_path)
{
  g_autofree char *target = NULL;

  if (link_path == NULL)
    return;

  target = g_file_read_link (link_path, NULL);
  if (target != NULL && g_strcmp0 (target, pty_path) == 0)
    {
      if (unlink (link_path) != 0)
        g_debug ("Cannot remove %s: %s", link_path, g_strerror (errno));
    }
}
