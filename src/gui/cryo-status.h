/* cryo-status.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small display helpers shared by the device row and the panels.
 */

#pragma once

#include <gtk/gtk.h>

#include "cryo-device.h"
#include "cryo-display-units.h"
#include "cryo-units.h"

G_BEGIN_DECLS

void  cryo_status_dot_update      (GtkWidget       *dot,
                                   CryoDeviceState  state);
char *cryo_format_thousands       (double           value);
char *cryo_format_reading         (double           value,
                                   CryoScale        scale,
                                   guint            digits);

void  cryo_panel_run_action       (GtkWidget          *panel,
                                   CryoDevice         *device,
                                   const char         *action,
                                   const double       *params,
                                   void              (*refresh) (GtkWidget *panel));
void  cryo_condition_list_update  (GtkListBox         *list,
                                   const char * const *alarms,
                                   const char * const *warnings);
void  cryo_show_error_dialog      (GtkWidget          *parent,
                                   const char         *heading,
                                   const char         *body);
void  cryo_accessible_name_inner  (GtkWidget          *root,
                                   GType               type,
                                   const char         *label);

G_END_DECLS
