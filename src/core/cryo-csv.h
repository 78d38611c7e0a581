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

gboolean cryo_csv_write (const char          *path,
                         const CryoCsvSeries *series,
                         guint                n_series,
                         gint64               begin_us,
                         gint64               end_us,
                         GError             **error);

G_END_DECLS
