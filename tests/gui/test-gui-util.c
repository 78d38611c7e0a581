/* test-gui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the GUI tests share: finding widgets by what they show, and
 * iterating the main loop until a condition holds; the start of every
 * test program.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "cryo-kinds.h"
#include "cryo-window.h"
#include "test-gui-util.h"

/* Depth first, @root included. */
GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

gboolean
is_label_starting_with (GtkWidget     *widget,
                        gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix);
}

/* A preferences row (action, combo, entry, expander) with @title. */
gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

gboolean
is_label_containing (GtkWidget     *widget,
                     gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL;
}

/* The message dialog shown with @heading, or %NULL. */
AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window)
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Whether a label under the #LabelWait's root contains its text. */
gboolean
shows (gpointer label_wait)
{
  LabelWait *w = label_wait;

  return find_widget (w->root, is_label_containing, w->text) != NULL;
}

/* Whether the button under the #LabelWait's root labelled with its text
 * is there and refused (insensitive). */
gboolean
button_refused (gpointer label_wait)
{
  LabelWait *w = label_wait;
  GtkWidget *button = find_widget (w->root, is_button_labelled, w->text);

  return button != NULL && !gtk_widget_is_sensitive (button);
}

static gboolean
is_state_among (GtkWidget     *widget,
                gconstpointer  states)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "cryo-state-value")
         && g_strv_contains (states, gtk_label_get_label (GTK_LABEL (widget)));
}

/* Whether a device state under the #StateWait's root is one of its states. */
gboolean
state_shown (gpointer state_wait)
{
  StateWait *w = state_wait;

  return find_widget (w->root, is_state_among, w->states) != NULL;
}

/* Whether the pressure under @root shows a value rather than "—". */
gboolean
pressure_shown (gpointer root)
{
  GtkWidget *label = find_widget (root, has_css_class, "cryo-pressure-value");

  return label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "—") != 0;
}

GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

/* Main-loop iterations until @condition holds; fails the test after
 * @timeout_ms. */
void
iterate_until (gboolean (*condition) (gpointer),
               gpointer   data,
               guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Registers and activates @app (its history chosen already) and returns
 * its main window, referenced, once drawn. */
GtkWindow *
open_app_window (CryoApplication *app)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CRYO_IS_WINDOW (window));
  g_object_ref (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  return window;
}

/* Closes @window (from open_app_window()), checks nothing else holds it,
 * and quits @app. */
void
close_app_window (CryoApplication *app,
                  GtkWindow       *window)
{
  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  g_application_quit (G_APPLICATION (app));
}

typedef struct
{
  GtkWidget *window;
  int        width;
  int        height;
} Size;

/* The size of the window as the screen has it: its surface, frame included. */
static gboolean
window_has_size (gpointer data)
{
  Size *size = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (size->window));

  return gdk_surface_get_width (surface) == size->width
         && gdk_surface_get_height (surface) == size->height;
}

/* Resizes @window and waits until it is drawn at the new size (with
 * animations off a leaflet folds at once). The size request also makes it
 * larger than the test's X screen, where GTK would clamp a default size. */
void
resize_window (GtkWindow *window,
               int        width,
               int        height)
{
  Size size = { GTK_WIDGET (window), width, height };

  gtk_widget_set_size_request (GTK_WIDGET (window), width, height);
  gtk_window_set_default_size (window, width, height);
  iterate_until (window_has_size, &size, 5000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

/* The tests' session bus has no notification service, and GLib warns
 * (fatally in tests) when none answers: conditions the tests raise are not
 * notified. test-notifications owns the service and turns them on. */
static void
quiet_notifications (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_boolean (settings, "notify-warnings", FALSE);
  g_settings_set_boolean (settings, "notify-alarms", FALSE);
  g_settings_set_boolean (settings, "notify-errors", FALSE);
}

/* What every GUI test's main() does first: a C locale and English (the
 * tests look for English words), a home of its own (the event log, the
 * archive and the settings the window writes are not the user's), GTK and
 * libadwaita for tests, and the instrument kinds. */
void
gui_test_init (int    *argc,
               char ***argv)
{
  g_unsetenv ("LANGUAGE");
  gui_test_init_locale (argc, argv, "C.UTF-8");
}

/* As gui_test_init(), under @locale (and the languages of $LANGUAGE) for
 * the tests of a translation: Cryomon's catalogues come from the build
 * tree's po folder, $CRYO_TEST_LOCALEDIR, as main() binds the installed
 * ones. Returns FALSE when the system lacks @locale. */
gboolean
gui_test_init_locale (int         *argc,
                      char      ***argv,
                      const char  *locale)
{
  static char *home;
  const char *localedir = g_getenv ("CRYO_TEST_LOCALEDIR");
  gboolean available;

  home = g_dir_make_tmp ("cryomon-home-XXXXXX", NULL);
  g_assert_nonnull (home);

  /* Probed first: GTK warns, fatally under G_DEBUG, about a locale the C
   * library lacks. */
  available = setlocale (LC_ALL, locale) != NULL;
  g_setenv ("LC_ALL", available ? locale : "C.UTF-8", TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);

  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  cryo_kinds_register_all ();
  quiet_notifications ();


  return available;
}
