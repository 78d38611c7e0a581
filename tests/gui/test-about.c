/* test-about.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The About window shows Cryomon's icon. A process of its own: the About
 * window's types and properties on top of all of test-window's would take
 * GLib past the 2048 quarks its first quark table holds, and GLib keeps the
 * outgrown table unfreed on purpose, which the sanitizer run reports as a
 * leak it cannot attribute (tests/lsan.supp).
 */

#include "config.h"

#include <adwaita.h>

#include "cryo-application.h"
#include "test-gui-util.h"

static gboolean
is_image_of_icon (GtkWidget     *widget,
                  gconstpointer  icon_name)
{
  return GTK_IS_IMAGE (widget) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon_name) == 0;
}

/* About shows the application icon. No hicolor theme holds it in an
 * uninstalled build, so the icon theme must find it where GtkApplication
 * looks first: the GResource, with the symbolic variant beside it. */
static void
test_about_icon (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, TRUE, NULL);
  g_autoptr(GtkIconPaintable) icon = NULL;
  g_autoptr(GtkIconPaintable) symbolic = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *basename = NULL;
  GtkIconTheme *theme;
  GtkWindow *window, *about;

  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.AboutTest");
  window = open_app_window (app);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_nonnull (find_widget (GTK_WIDGET (about), is_image_of_icon, APP_ID));

  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (about)));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"));

  /* The drawn icon is Cryomon's, not GTK's "image-missing". */
  icon = gtk_icon_theme_lookup_icon (theme, APP_ID, NULL, 128, 1, GTK_TEXT_DIR_NONE, 0);
  file = gtk_icon_paintable_get_file (icon);
  g_assert_nonnull (file);
  basename = g_file_get_basename (file);
  g_assert_cmpstr (basename, ==, APP_ID ".svg");
  symbolic = gtk_icon_theme_lookup_icon (theme, APP_ID "-symbolic", NULL, 16, 1, GTK_TEXT_DIR_NONE, 0);
  g_assert_true (gtk_icon_paintable_is_symbolic (symbolic));

  gtk_window_destroy (about);
  close_app_window (app, window);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/about/icon", test_about_icon);

  return g_test_run ();
}
