/* cryo-history.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-types.h"

G_BEGIN_DECLS

/**
 * CryoHistoryColumn:
 * @min: smallest finite value in the column, NaN when it holds none
 * @max: largest finite value in the column, NaN when it holds none
 * @first: first finite value in the column (time order), NaN when none
 * @last: last finite value in the column, NaN when none
 * @n_samples: samples (finite or NaN) whose time falls in the column
 * @has_gap: at least one NaN sample falls in the column
 *
 * One pixel column's summary of a time span, what the plot draws.
 */
typedef struct
{
  double   min;
  double   max;
  double   first;
  double   last;
  guint    n_samples;
  gboolean has_gap;
} CryoHistoryColumn;

/**
 * CryoHistoryIter:
 *
 * Walks the raw samples of a time range, oldest first. Stack-allocated;
 * invalid once the history is appended to.
 */
typedef struct
{
  const CryoHistory *history;
  guint64            pos;
  guint64            end;
} CryoHistoryIter;

CryoHistory *cryo_history_new             (gsize               capacity);
void         cryo_history_free            (CryoHistory        *history);
gboolean     cryo_history_append          (CryoHistory        *history,
                                           gint64              time_us,
                                           double              value);
gsize        cryo_history_get_n_samples   (const CryoHistory  *history);
gsize        cryo_history_get_capacity    (const CryoHistory  *history);
gboolean     cryo_history_get_time_range  (const CryoHistory  *history,
                                           gint64             *first_us,
                                           gint64             *last_us);
gboolean     cryo_history_get_last        (const CryoHistory  *history,
                                           CryoSample         *sample);
gboolean     cryo_history_find_before     (const CryoHistory  *history,
                                           gint64              time_us,
                                           CryoSample         *sample);
gboolean     cryo_history_find_after      (const CryoHistory  *history,
                                           gint64              time_us,
                                           CryoSample         *sample);
void         cryo_history_get_columns     (const CryoHistory  *history,
                                           gint64              begin_us,
                                           gint64              end_us,
                                           guint               n_columns,
                                           CryoHistoryColumn  *columns);
void         cryo_history_get_columns_from (const CryoHistory  *history,
                                            gint64              begin_us,
                                            gint64              end_us,
                                            guint               n_columns,
                                            guint               first_column,
                                            CryoHistoryColumn  *columns);
guint64      cryo_history_get_n_appended  (const CryoHistory  *history);
gint64       cryo_history_get_column_time (gint64              begin_us,
                                           gint64              end_us,
                                           guint               n_columns,
                                           guint               column);
gsize        cryo_history_get_memory_size (const CryoHistory  *history);
void         cryo_history_iter_init       (CryoHistoryIter    *iter,
                                           const CryoHistory  *history,
                                           gint64              begin_us,
                                           gint64              end_us);
gboolean     cryo_history_iter_next       (CryoHistoryIter    *iter,
                                           CryoSample         *sample);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoHistory, cryo_history_free)

G_END_DECLS
