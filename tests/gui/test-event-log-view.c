/* test-event-log-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Event Log view in the real window (issue 12 §2): events of an earlier
 * run come from the archive, this run's appear live, newest first; the
 * device, kind, severity and range drop-downs and the search entry keep
 * the rows they should; selecting an event pauses the trend on its time;
 * Export writes the rows shown in the format of events.log.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cryo-application.h"
#include "cryo-archive.h"
#include "cryo-event-log.h"
#include "cryo-event-log-view.h"
#include "cryo-trend-view.h"
#include "cryo-window.h"
#include "test-gui-util.h"

#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

static gboolean
not_loading (gpointer data)
{
  return !cryo_event_log_view_get_loading (data);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cryo_event_log_view_export_finish (CRYO_EVENT_LOG_VIEW (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The texts of the rows shown, top to bottom, joined with "|". */
static char *
dup_shown (CryoEventLogView *view)
{
  GListModel *shown = cryo_event_log_view_get_shown (view);
  g_autoptr(GString) texts = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(CryoEvent) event = g_list_model_get_item (shown, i);

      g_string_append_printf (texts, "%s%s", i > 0 ? "|" : "", cryo_event_get_text (event));
    }

  return g_string_free (g_steal_pointer (&texts), FALSE);
}

static void
assert_shown (CryoEventLogView *view,
              const char       *expected)
{
  g_autofree char *shown = dup_shown (view);

  g_assert_cmpstr (shown, ==, expected);
}

/* An event of an earlier run, in the archive the window will open. */
static void
write_earlier_run (gint64 time_us)
{
  g_autofree char *path = cryo_archive_get_default_path ();
  g_autoptr(CryoArchive) archive = NULL;
  g_autoptr(CryoEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  archive = cryo_archive_open (path, &error);
  g_assert_no_error (error);
  event = cryo_event_new (time_us, "elsewhere", "Old station", CRYO_EVENT_KIND_ACTION,
                          CRYO_EVENT_SEVERITY_INFO, "operator", "zebra Regenerate old");
  cryo_archive_add_event (archive, event);
  g_assert_true (cryo_archive_flush (archive, &error));
  cryo_archive_close (archive);
}

static void
test_event_log_view (void)
{
  g_autoptr(CryoApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoDevice) first = NULL;
  g_autoptr(CryoDevice) second = NULL;
  g_autoptr(CryoEvent) earlier = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryomon-events-XXXXXX", NULL);
  g_autofree char *export_path = g_build_filename (dir, "exported.log", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  CryoEventLogView *view;
  CryoTrendView *trend;
  CryoSession *session;
  CryoEventLog *log;
  GtkWindow *window;
  GListModel *devices;
  GAction *action;
  gint64 now = g_get_real_time ();
  gint64 begin, end;
  gboolean exported = FALSE;

  write_earlier_run (now - 2 * 24 * 60 * MINUTE);

  app = cryo_application_new (NULL, TRUE, NULL);
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.EventLogView");
  window = open_app_window (app);

  session = cryo_application_get_session (app);
  devices = cryo_session_get_devices (session);
  g_assert_cmpuint (g_list_model_get_n_items (devices), >=, 2);
  first = g_list_model_get_item (devices, 0);
  second = g_list_model_get_item (devices, 1);

  /* Hidden until asked for, from the header bar's toggle. */
  view = CRYO_EVENT_LOG_VIEW (find_widget (GTK_WIDGET (window), is_of_type,
                                           GSIZE_TO_POINTER (CRYO_TYPE_EVENT_LOG_VIEW)));
  trend = CRYO_TREND_VIEW (find_widget (GTK_WIDGET (window), is_of_type,
                                        GSIZE_TO_POINTER (CRYO_TYPE_TREND_VIEW)));
  g_assert_nonnull (view);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view)));
  action = g_action_map_lookup_action (G_ACTION_MAP (window), "show-events");
  g_action_change_state (action, g_variant_new_boolean (TRUE));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The earlier run's event comes from the archive. */
  iterate_until (not_loading, view, 10000);
  cryo_event_log_view_set_search (view, "zebra");
  assert_shown (view, "zebra Regenerate old");

  /* This run's appear as they are logged, newest first. */
  log = cryo_event_log_get_default ();
  earlier = cryo_event_new (now - 30 * MINUTE, cryo_device_get_id (first), cryo_device_get_name (first),
                            CRYO_EVENT_KIND_ALARM_CLEARED, CRYO_EVENT_SEVERITY_INFO, NULL,
                            "zebra alarm: Turbo hot");
  cryo_event_log_add_event (log, earlier);
  cryo_device_log_event (first, CRYO_EVENT_KIND_ACTION, CRYO_EVENT_SEVERITY_INFO, "zebra Start");
  cryo_device_log_event (first, CRYO_EVENT_KIND_ACTION_RESULT, CRYO_EVENT_SEVERITY_WARNING,
                         "zebra Start: refused: Turbo at 812 rpm");
  cryo_device_log_event (second, CRYO_EVENT_KIND_ALARM_RAISED, CRYO_EVENT_SEVERITY_ALARM,
                         "zebra alarm: Helium HIGH");
  assert_shown (view, "zebra alarm: Helium HIGH|zebra Start: refused: Turbo at 812 rpm|zebra Start|"
                      "zebra alarm: Turbo hot|zebra Regenerate old");

  /* The rows are in the table. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_nonnull (find_widget (GTK_WIDGET (view), is_label_with_text, "zebra alarm: Helium HIGH"));
  g_assert_nonnull (find_widget (GTK_WIDGET (view), is_label_with_text, "Alarm raised"));

  /* By device, then kind, then severity. */
  cryo_event_log_view_set_device_id (view, cryo_device_get_id (first));
  assert_shown (view, "zebra Start: refused: Turbo at 812 rpm|zebra Start|zebra alarm: Turbo hot");
  cryo_event_log_view_set_kind (view, CRYO_EVENT_KIND_ACTION);
  assert_shown (view, "zebra Start");
  cryo_event_log_view_set_kind (view, -1);
  cryo_event_log_view_set_severity (view, CRYO_EVENT_SEVERITY_WARNING);
  assert_shown (view, "zebra Start: refused: Turbo at 812 rpm");
  cryo_event_log_view_set_severity (view, -1);
  cryo_event_log_view_set_device_id (view, NULL);
  cryo_event_log_view_set_severity (view, CRYO_EVENT_SEVERITY_ALARM);
  assert_shown (view, "zebra alarm: Helium HIGH");
  cryo_event_log_view_set_severity (view, -1);

  /* The search ignores case and matches the device name and the user. */
  cryo_event_log_view_set_search (view, "helium high");
  assert_shown (view, "zebra alarm: Helium HIGH");
  cryo_event_log_view_set_search (view, "old station");
  assert_shown (view, "zebra Regenerate old");
  cryo_event_log_view_set_search (view, "OPERATOR");
  assert_shown (view, "zebra Regenerate old");
  cryo_event_log_view_set_search (view, "no such event");
  assert_shown (view, "");

  /* The last hour keeps this run's; the last week the earlier run's too. */
  cryo_event_log_view_set_search (view, "zebra");
  cryo_event_log_view_set_range (view, CRYO_EVENT_RANGE_HOUR);
  assert_shown (view, "zebra alarm: Helium HIGH|zebra Start: refused: Turbo at 812 rpm|zebra Start|"
                      "zebra alarm: Turbo hot");
  cryo_event_log_view_set_range (view, CRYO_EVENT_RANGE_WEEK);
  assert_shown (view, "zebra alarm: Helium HIGH|zebra Start: refused: Turbo at 812 rpm|zebra Start|"
                      "zebra alarm: Turbo hot|zebra Regenerate old");
  cryo_event_log_view_set_range (view, CRYO_EVENT_RANGE_ALL);

  /* The trend's plots mark them, with the text on hover. */
  {
    GtkWidget *plot = find_widget (GTK_WIDGET (trend), is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_TREND_PLOT));

    g_assert_nonnull (plot);
    g_assert_true (gtk_widget_get_has_tooltip (plot));
  }

  /* Selecting the event of 30 minutes ago pauses the trend there. */
  cryo_event_log_view_select (view, 3);
  cryo_trend_view_get_visible_range (trend, &begin, &end);
  g_assert_cmpint (begin, <, now - 30 * MINUTE);
  g_assert_cmpint (end, >, now - 30 * MINUTE);
  g_assert_cmpint (end, <, now - 20 * MINUTE);

  /* Export: the rows shown, oldest first, as events.log has them. */
  cryo_event_log_view_set_device_id (view, cryo_device_get_id (first));
  file = g_file_new_for_path (export_path);
  cryo_event_log_view_export_async (view, file, NULL, on_exported_cb, &exported);
  iterate_until (is_true, &exported, 10000);
  g_assert_true (g_file_get_contents (export_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_suffix (contents, "\n"));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CryoEvent) event = cryo_event_new_from_line (lines[i], &error);
      const char *texts[] = { "zebra alarm: Turbo hot", "zebra Start", "zebra Start: refused: Turbo at 812 rpm" };

      g_assert_no_error (error);
      g_assert_cmpstr (cryo_event_get_text (event), ==, texts[i]);
      g_assert_cmpstr (cryo_event_get_device_id (event), ==, cryo_device_get_id (first));
    }
  {
    g_autofree char *expected = cryo_event_to_line (earlier);

    g_assert_true (g_str_has_prefix (contents, expected));
  }

  g_action_change_state (action, g_variant_new_boolean (FALSE));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view)));

  close_app_window (app, window);
  g_unlink (export_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/event-log-view/filter-search-select-export", test_event_log_view);

  return g_test_run ();
}
