/* test-german.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo window under a German locale: po/de.po's words in code, in
 * templates and in an interlock's reason, readings with a decimal comma,
 * and a number typed with one that reaches devices.conf with a point.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cryo-application.h"
#include "cryo-device-editor.h"
#include "cryo-devices-dialog.h"
#include "cryo-window.h"
#include "test-gui-util.h"

static gboolean locale_available;

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  GtkWidget *row = find_widget (root, is_row_titled, title);

  g_assert_nonnull (row);
  return row;
}

static gboolean
editor_closed (gpointer data)
{
  return find_widget (data, is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_EDITOR)) == NULL;
}

static void
test_german_window (void)
{
  /* the compressor's states, translated in their context "compressor state" */
  static const char * const running_states[] = { "Läuft", "Startet", NULL };
  StateWait running = { NULL, running_states };
  LabelWait start_refused = { NULL, "Pumpe starten" };
  g_autoptr(CryoApplication) app = NULL;
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
  window = open_app_window (app);

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
  start_refused.root = GTK_WIDGET (window);
  iterate_until (button_refused, &start_refused, 5000);
  reason = find_widget (GTK_WIDGET (window), is_label_starting_with, "Pumpe starten nicht verfügbar: ");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason)), "Turbo bei "));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (reason)), " U/min — muss 0 sein"));
  /* The turbo speed's unit as a German label writes it; files keep "rpm". */
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "U/min"));

  /* A state translated in its context. */
  running.root = GTK_WIDGET (window);
  iterate_until (state_shown, &running, 10000);

  close_app_window (app, window);
}

/* The device editor takes seconds with a decimal comma, and devices.conf
 * gets them with a point. */
static void
test_german_device_editor (void)
{
  g_autoptr(CryoApplication) app = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *conf = NULL;
  GtkWidget *editor, *row, *poll;
  GListModel *titles;
  GtkWindow *window, *dialog;

  if (!locale_available)
    {
      g_test_skip ("de_DE.UTF-8 is not installed (build-aux/setup.sh generates it)");
      return;
    }

  app = cryo_application_new (NULL, TRUE, NULL);
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.GermanEditorTest");
  cryo_application_set_history (app, NULL, FALSE);
  window = open_app_window (app);
  conf_path = g_build_filename (g_get_user_config_dir (), "cryomon", "devices.conf", NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.devices", NULL);
  dialog = find_toplevel (CRYO_TYPE_DEVICES_DIALOG);
  g_assert_nonnull (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "devices.add", NULL);
  editor = find_widget (GTK_WIDGET (dialog), is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_EDITOR));
  g_assert_nonnull (editor);

  /* The kinds by their German titles. */
  row = find_row (editor, "Typ");
  titles = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  for (guint i = 0; i < g_list_model_get_n_items (titles); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (titles), i), "Pumpstand"))
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (titles),
                                               adw_combo_row_get_selected (ADW_COMBO_ROW (row))),
                   ==, "Pumpstand");

  gtk_editable_set_text (GTK_EDITABLE (find_row (editor, "Serieller Port")), "/dev/ttyCRYOMON-TEST");
  row = find_row (editor, "Abfrageintervall");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Leer, um den Einstellungen zu folgen, derzeit "));
  poll = find_widget (row, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
  g_assert_nonnull (poll);
  gtk_editable_set_text (GTK_EDITABLE (poll), "2,5");

  gtk_widget_activate_action (editor, "editor.save", NULL);
  iterate_until (editor_closed, dialog, 5000);

  g_assert_true (g_file_get_contents (conf_path, &conf, NULL, NULL));
  g_assert_nonnull (strstr (conf, "poll=2.5\n"));
  g_assert_null (strstr (conf, "2,5"));

  gtk_window_destroy (dialog);
  close_app_window (app, window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "de", TRUE);
  locale_available = gui_test_init_locale (&argc, &argv, "de_DE.UTF-8");

  g_test_add_func ("/german/window", test_german_window);
  g_test_add_func ("/german/device-editor", test_german_device_editor);

  return g_test_run ();
}
