/* cryo-sim-faults.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fault injection shared by the simulators' servers.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *cryo_sim_faults_apply (GRand  *rand,
                               GBytes *reply,
                               double  corrupt,
                               double  drop);

G_END_DECLS
