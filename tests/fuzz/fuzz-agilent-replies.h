/* fuzz-agilent-replies.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-agilent.h"

G_BEGIN_DECLS

void fuzz_agilent_check_replies (const CryoAgilentFrame *frame,
                                 guint                   window);

G_END_DECLS
