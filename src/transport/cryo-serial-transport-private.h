/* cryo-serial-transport-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <errno.h>
#include <sys/file.h>

#include "cryo-serial-transport.h"

G_BEGIN_DECLS

/*
 * CryoSerialOp:
 * What failed, which decides how an errno value reads: ENXIO on open means the
 * device node has no device behind it (not found), during I/O it means the device
 * went away (disconnected).
 */
typedef enum
{
  CRYO_SERIAL_OP_OPEN,
  CRYO_SERIAL_OP_READ,
  CRYO_SERIAL_OP_WRITE,
} CryoSerialOp;

void     cryo_serial_set_errno_error (GError       **error,
                                      int            errnum,
                                      CryoSerialOp   op,
                                      const char    *path);
gboolean cryo_serial_path_is_pty     (const char    *path);
void     cryo_serial_find_stable_paths (GPtrArray   *ports,
                                        const char  *by_id_folder);

/*
 * cryo_serial_lock_fd:
 * The advisory lock every Cryomon transport takes on a serial port, so that two
 * programs never share one; unlike TIOCEXCL it also holds against root. Released
 * when the descriptor is closed. FALSE (errno set) when another holds it.
 */
static inline gboolean
cryo_serial_lock_fd (int fd)
{
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EINTR)
        return FALSE;
    }

  return TRUE;
}

G_END_DECLS
