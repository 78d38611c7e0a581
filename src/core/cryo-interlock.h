/* cryo-interlock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-types.h"

G_BEGIN_DECLS

gboolean cryo_interlock_check_fresh              (const char        *what,
                                                  const CryoReading *reading,
                                                  gint64             now_us,
                                                  gint64             max_age_us,
                                                  char             **reason);
/**
 * CryoInterlock:
 * @now_us: the time readings are judged at, µs since the epoch
 * @max_age_us: the oldest acceptable reading, µs
 * @reasons: the reasons gathered so far
 *
 * One evaluation of an interlock's rules; see cryo_interlock_init().
 */
typedef struct
{
  gint64     now_us;
  gint64     max_age_us;
  GPtrArray *reasons;
} CryoInterlock;

void     cryo_interlock_init             (CryoInterlock     *self,
                                          gint64             now_us,
                                          gint64             max_age_us);
gboolean cryo_interlock_require_fresh    (CryoInterlock     *self,
                                          const char        *what,
                                          const CryoReading *reading);
gboolean cryo_interlock_require_equal    (CryoInterlock     *self,
                                          const CryoReading *reading,
                                          double             expected,
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (4, 5);
gboolean cryo_interlock_require_below    (CryoInterlock     *self,
                                          const CryoReading *reading,
                                          double             limit,
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (4, 5);
gboolean cryo_interlock_finish           (CryoInterlock     *self,
                                          char             **reason);

G_END_DECLS
