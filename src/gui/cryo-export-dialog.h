/* cryo-export-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-trend-view.h"

G_BEGIN_DECLS

#define CRYO_TYPE_EXPORT_DIALOG (cryo_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CryoExportDialog, cryo_export_dialog, CRYO, EXPORT_DIALOG, AdwWindow)

/**
 * CryoExportRange:
 * @CRYO_EXPORT_RANGE_SHOWN: the range the plots show
 * @CRYO_EXPORT_RANGE_LAST: the last N minutes, hours or days
 * @CRYO_EXPORT_RANGE_CUSTOM: from one local date and time to another
 *
 * Which time range an export covers (the dialog's Range row, in order).
 */
typedef enum
{
  CRYO_EXPORT_RANGE_SHOWN,
  CRYO_EXPORT_RANGE_LAST,
  CRYO_EXPORT_RANGE_CUSTOM,
} CryoExportRange;

CryoExportDialog *cryo_export_dialog_new           (GtkWindow        *parent,
                                                    CryoTrendView    *trend_view,
                                                    GListModel       *devices);
const char       *cryo_export_dialog_get_path      (CryoExportDialog *self);
void              cryo_export_dialog_set_path      (CryoExportDialog *self,
                                                    const char       *path);
void              cryo_export_dialog_set_range     (CryoExportDialog *self,
                                                    CryoExportRange   range);
void              cryo_export_dialog_set_custom_range (CryoExportDialog *self,
                                                       gint64            begin_us,
                                                       gint64            end_us);
void              cryo_export_dialog_set_display_units (CryoExportDialog *self,
                                                        gboolean          display_units);
void              cryo_export_dialog_set_channel_chosen (CryoExportDialog *self,
                                                         CryoChannel      *channel,
                                                         gboolean          chosen);
gboolean          cryo_export_dialog_get_channel_chosen (CryoExportDialog *self,
                                                         CryoChannel      *channel);
gboolean          cryo_export_dialog_get_range_us  (CryoExportDialog *self,
                                                    gint64           *begin_us,
                                                    gint64           *end_us);
void              cryo_export_dialog_start         (CryoExportDialog *self);
gboolean          cryo_export_dialog_get_busy      (CryoExportDialog *self);

G_END_DECLS
