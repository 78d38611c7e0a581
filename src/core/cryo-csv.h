/* cryo-csv.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cryo-history.h"
#include "cryo-units.h"

G_BEGIN_DECLS

/**
 * CryoCsvSeries:
 * @name: column name ("pressure", "speed")
 * @history: the samples, in @stored_unit
 * @stored_unit: the unit the history holds (the channel's canonical unit)
 * @unit: the unit written to the file (converted from @stored_unit)
 * @digits: significant digits to keep (the instrument's resolution)
 *
 * One series of a wide CSV export.
 */
typedef struct
{
  const char        *name;
  const CryoHistory *history;
  CryoUnit           stored_unit;
  CryoUnit           unit;
  guint              digits;
} CryoCsvSeries;

/**
 * CryoCsvColumn:
 * @name: column name ("pressure", "pumping_station_speed")
 * @stored_unit: the unit of the values given to cryo_csv_writer_add_row()
 * @unit: the unit written to the file (converted from @stored_unit)
 * @digits: significant digits to keep (the instrument's resolution)
 *
 * One series of a CSV log written row by row: a value column and a unit
 * column, as a #CryoCsvSeries of an export.
 */
typedef struct
{
  const char *name;
  CryoUnit    stored_unit;
  CryoUnit    unit;
  guint       digits;
} CryoCsvColumn;

/**
 * CryoCsvCell:
 * @column: index of the column in the writer's columns
 * @value: the sample, in the column's stored unit; NaN for a gap
 *
 * One sample of a row given to cryo_csv_writer_add_row().
 */
typedef struct
{
  guint  column;
  double value;
} CryoCsvCell;

/**
 * CryoCsvWriter:
 *
 * A CSV log written row by row, in place, in the format of
 * cryo_csv_write(). Not thread-safe: one thread at a time.
 */
/**
 * CryoCsvProgressFunc:
 * @fraction: how much of the export's time range is written, 0..1
 * @user_data: the data given with the function
 *
 * Told how far an export got (cryo_csv_write_full()).
 */
typedef void (*CryoCsvProgressFunc) (double   fraction,
                                     gpointer user_data);

typedef struct _CryoCsvWriter CryoCsvWriter;

gboolean       cryo_csv_write           (const char           *path,
                                         const CryoCsvSeries  *series,
                                         guint                 n_series,
                                         gint64                begin_us,
                                         gint64                end_us,
                                         GError              **error);

gboolean       cryo_csv_write_full      (const char           *path,
                                         const CryoCsvSeries  *series,
                                         guint                 n_series,
                                         gint64                begin_us,
                                         gint64                end_us,
                                         CryoCsvProgressFunc   progress,
                                         gpointer              progress_data,
                                         GCancellable         *cancellable,
                                         GError              **error);

CryoCsvWriter *cryo_csv_writer_new      (const char           *path,
                                         const CryoCsvColumn  *columns,
                                         guint                 n_columns,
                                         GError              **error);
gboolean       cryo_csv_writer_add_row  (CryoCsvWriter        *self,
                                         gint64                time_us,
                                         const CryoCsvCell    *cells,
                                         guint                 n_cells,
                                         GError              **error);
gboolean       cryo_csv_writer_flush    (CryoCsvWriter        *self,
                                         GError              **error);
gboolean       cryo_csv_writer_close    (CryoCsvWriter        *self,
                                         GError              **error);
void           cryo_csv_writer_free     (CryoCsvWriter        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoCsvWriter, cryo_csv_writer_free)

G_END_DECLS
