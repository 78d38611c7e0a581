/* test-gui-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cryo-application.h"

G_BEGIN_DECLS

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

/* For iterate_until (shows, &wait, …): a label under @root containing @text. */
typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

/* For iterate_until (state_shown, &wait, …): a device state label under
 * @root showing one of @states. */
typedef struct
{
  GtkWidget          *root;
  const char * const *states;
} StateWait;

GtkWidget *find_widget            (GtkWidget     *root,
                                   WidgetMatch    match,
                                   gconstpointer  data);
gboolean   has_css_class          (GtkWidget     *widget,
                                   gconstpointer  css_class);
gboolean   is_label_with_text     (GtkWidget     *widget,
                                   gconstpointer  text);
gboolean   is_label_containing    (GtkWidget     *widget,
                                   gconstpointer  text);
gboolean   is_label_starting_with (GtkWidget     *widget,
                                   gconstpointer  prefix);
gboolean   is_row_titled          (GtkWidget     *widget,
                                   gconstpointer  title);
gboolean   is_button_labelled     (GtkWidget     *widget,
                                   gconstpointer  label);
gboolean   is_of_type             (GtkWidget     *widget,
                                   gconstpointer  type);
GtkWindow *find_toplevel          (GType          type);
AdwMessageDialog *find_dialog     (const char    *heading);
gboolean   shows                  (gpointer       label_wait);
gboolean   button_refused         (gpointer       label_wait);
gboolean   state_shown            (gpointer       state_wait);
gboolean   pressure_shown         (gpointer       root);
void       iterate_until          (gboolean     (*condition) (gpointer),
                                   gpointer       data,
                                   guint          timeout_ms);
GtkWindow *open_app_window        (CryoApplication *app);
void       close_app_window       (CryoApplication *app,
                                   GtkWindow       *window);
void       resize_window          (GtkWindow     *window,
                                   int            width,
                                   int            height);

void       gui_test_init          (int           *argc,
                                   char        ***argv);
gboolean   gui_test_init_locale   (int           *argc,
                                   char        ***argv,
                                   const char    *locale);

G_END_DECLS
