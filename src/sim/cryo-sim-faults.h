/* cryo-sim-faults.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fault injection of the simulators' server (#CryoSimServer): what a faulty
 * line does to one reply.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *cryo_sim_faults_apply (GRand  *rand,
                               GBytes *reply,
                               double  corrupt,
                               double  drop);

G_END_DECLS
