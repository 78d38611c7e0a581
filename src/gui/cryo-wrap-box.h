/* cryo-wrap-box.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRYO_TYPE_WRAP_BOX (cryo_wrap_box_get_type ())

G_DECLARE_FINAL_TYPE (CryoWrapBox, cryo_wrap_box, CRYO, WRAP_BOX, GtkWidget)

GtkWidget *cryo_wrap_box_new                      (void);
void       cryo_wrap_box_append                   (CryoWrapBox *self,
                                                   GtkWidget   *child);
void       cryo_wrap_box_remove                   (CryoWrapBox *self,
                                                   GtkWidget   *child);
void       cryo_wrap_box_remove_all               (CryoWrapBox *self);
void       cryo_wrap_box_set_column_spacing       (CryoWrapBox *self,
                                                   guint        spacing);
void       cryo_wrap_box_set_row_spacing          (CryoWrapBox *self,
                                                   guint        spacing);
void       cryo_wrap_box_set_homogeneous          (CryoWrapBox *self,
                                                   gboolean     homogeneous);
void       cryo_wrap_box_set_max_children_per_line (CryoWrapBox *self,
                                                   guint        n_children);
void       cryo_wrap_box_set_natural_line_length (CryoWrapBox *self,
                                                   int          length);

G_END_DECLS
