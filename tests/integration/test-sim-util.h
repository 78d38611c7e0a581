/* test-sim-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the simulator tests (test-sim, test-sim-cpa) share: frames written
 * as hex, writing them to a port, and the cryomon-sim executable.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GBytes     *hex_bytes       (const char *hex);
void        write_all       (int         fd,
                             GBytes     *bytes);
const char *sim_binary      (void);
void        run_usage_error (const char *expected_stderr,
                             ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
