/* test-german.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo window under a German locale: po/de.po's words in code, in
 * templates and in an interlock's reason, and readings with a decimal comma.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cryo-application.h"
#include "cryo-window.h"
#include "test-gui-util.h"

static gboolean locale_available;

static gboolean
is_label_starting_with (GtkWidget     *widget,
                        gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix);
}

static gboolean
pressure_shown (gpointer data)
{
  GtkWidget *label = find_widget (data, has_css_class, "cryo-pressure-value");

  return label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "—") != 0;
}

static gboolean
start_refused (gpointer data)
{
  GtkWidget *start = find_widget (data, is_button_labelled, "Pumpe starten");

  return start != NULL && !gtk_widget_is_sensitive (start);
}

static gboolean
is_state_running (GtkWidget     *widget,
                  gconstpointer  data)
{
  /* the compressor's states, translated in their context "compressor state" */
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "cryo-state-value") &&
         (g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), "Läuft") == 0 ||
          g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), "Startet") == 0);
}

static gboolean
compressor_running (gpointer data)
{
  return find_widget (data, is_state_running, NULL) != NULL;
}

static void
test_german_window (void)
{
  g_autoptr(CryoApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *pressure_label, *reason;
  const char *pressure;
  GtkWindow *window;

  if (!locale_available)
    {
      g_test_skip ("de_DE.UTF-8 is not installed (build-aux/setup.sh generates it)");
      return;
    }

  app = cryo_application_new (NULL, TRUE, NULL);
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.GermanTest");
  cryo_application_set_history (app, NULL, FALSE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CRYO_IS_WINDOW (window));
  g_object_ref (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* A string of the window's template, and one its code sets. */
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_starting_with, "Demo: simulierte Instrumente"));
  g_assert_true (find_widget (GTK_WIDGET (window), is_label_with_text, "Überwachung stoppen") != NULL ||
                 find_widget (GTK_WIDGET (window), is_label_with_text, "Überwachung starten") != NULL);

  /* The pressure as people in Germany write it: "2,9 × 10⁻⁷", no point. */
  iterate_until (pressure_shown, window, 5000);
  pressure_label = find_widget (GTK_WIDGET (window), has_css_class, "cryo-pressure-value");
  pressure = gtk_label_get_label (GTK_LABEL (pressure_label));
  g_assert_nonnull (strchr (pressure, ','));
  g_assert_null (strchr (pressure, '.'));
  g_assert_nonnull (strstr (pressure, "× 10"));

  /* A device's action, and an interlock's reason with its unit. */
  iterate_until (start_refused, window, 5000);
  reason = find_widget (GTK_WIDGET (window), is_label_starting_with, "Pumpe starten nicht verfügbar: ");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason)), "Turbo bei "));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason)), " U/min — muss 0 sein"));
  /* The turbo speed's unit as a German label writes it; files keep "rpm". */
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "U/min"));

  /* A state translated in its context. */
  iterate_until (compressor_running, window, 10000);

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  g_application_quit (G_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "de", TRUE);
  locale_available = gui_test_init_locale (&argc, &argv, "de_DE.UTF-8");

  g_test_add_func ("/german/window", test_german_window);

  return g_test_run ();
}
