/* test-export-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export any range from the window's Export CSV dialog: it proposes the
 * plotted readings over the plotted range in the displayed units, in the
 * Documents folder; a custom range in canonical units writes those rows
 * only, in the seed's single-series format; a choice of readings over the
 * last minute writes their columns.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cryo-application.h"
#include "cryo-archive.h"
#include "cryo-export-dialog.h"
#include "cryo-kinds.h"
#include "cryo-window.h"
#include "test-gui-util.h"

static gboolean
has_readings (gpointer data)
{
  CryoChannel *channel = data;
  gint64 first, last;

  /* a few whole seconds, for a custom range typed to the second */
  return cryo_history_get_time_range (cryo_channel_get_history (channel), &first, &last)
         && last - first >= 3 * G_USEC_PER_SEC;
}

static gboolean
window_closed (gpointer data)
{
  GtkWindow **dialog = data;

  return *dialog == NULL;
}

static void
on_exported_cb (CryoExportDialog *dialog,
                const char       *path,
                char            **written)
{
  g_free (*written);
  *written = g_strdup (path);
}

static CryoExportDialog *
open_dialog (GtkWindow *window)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  dialog = find_toplevel (CRYO_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (dialog);

  return CRYO_EXPORT_DIALOG (dialog);
}

/* Runs the export and waits for the dialog to close. */
static void
export_and_wait (CryoExportDialog *dialog,
                 char            **written)
{
  GtkWindow *weak = GTK_WINDOW (dialog);

  g_signal_connect (dialog, "exported", G_CALLBACK (on_exported_cb), written);
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  cryo_export_dialog_start (dialog);
  g_assert_true (cryo_export_dialog_get_busy (dialog));
  iterate_until (window_closed, &weak, 10000);
}

static char **
read_lines (const char *path)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_strchomp (contents);
  return g_strsplit (contents, "\n", -1);
}

static void
test_export_dialog (void)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_device_config_free);
  const CryoKindRegistration *registration = cryo_kinds_lookup ("pump-station");
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(CryoApplication) app = NULL;
  g_autoptr(CryoDevice) station = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryomon-export-XXXXXX", NULL);
  g_autofree char *custom_path = g_build_filename (dir, "custom.csv", NULL);
  g_autofree char *last_path = g_build_filename (dir, "last.csv", NULL);
  g_autofree char *written = NULL;
  g_autofree char *documents = NULL;
  g_auto(GStrv) lines = NULL;
  CryoDeviceConfig *config;
  CryoExportDialog *dialog;
  CryoChannel *pressure, *speed, *tip_seal;
  GtkWindow *window;
  CryoSample first, last;
  gint64 from_us, to_us;
  guint n_rows = 0;

  server = registration->simulator->start_demo (&spec, &error);
  g_assert_no_error (error);
  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  config->name = g_strdup ("Chamber A");
  config->poll_interval_ms = 200;
  g_ptr_array_add (configs, config);

  app = cryo_application_new (configs, FALSE, NULL);
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.ExportDialog");
  window = open_app_window (app);

  station = g_list_model_get_item (cryo_session_get_devices (cryo_application_get_session (app)), 0);
  pressure = cryo_device_lookup_channel (station, "pressure");
  speed = cryo_device_lookup_channel (station, "speed");
  tip_seal = cryo_device_lookup_channel (station, "tip_seal_hours");
  iterate_until (has_readings, pressure, 10000);

  /* Proposed: the plotted readings, not the counter; a new file in the
   * Documents folder; the range shown. */
  dialog = open_dialog (window);
  g_assert_true (cryo_export_dialog_get_channel_chosen (dialog, pressure));
  g_assert_true (cryo_export_dialog_get_channel_chosen (dialog, speed));
  g_assert_false (cryo_export_dialog_get_channel_chosen (dialog, tip_seal));
  documents = g_strdup (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS));
  if (documents == NULL)
    documents = g_strdup (g_get_home_dir ());
  g_assert_true (g_str_has_prefix (cryo_export_dialog_get_path (dialog), documents));
  g_assert_true (g_str_has_suffix (cryo_export_dialog_get_path (dialog), ".csv"));

  /* A custom range, the pressure alone, canonical units: the seed's
   * format, in Pa, only the rows in the range. */
  g_assert_true (cryo_history_find_after (cryo_channel_get_history (pressure), 0, &first));
  g_assert_true (cryo_history_find_before (cryo_channel_get_history (pressure), G_MAXINT64, &last));
  /* whole seconds: the fields are typed to the second */
  from_us = (first.time_us / G_USEC_PER_SEC + 1) * G_USEC_PER_SEC;
  to_us = (last.time_us / G_USEC_PER_SEC) * G_USEC_PER_SEC;
  g_assert_cmpint (to_us, >, from_us);
  cryo_export_dialog_set_custom_range (dialog, from_us, to_us);
  cryo_export_dialog_set_channel_chosen (dialog, speed, FALSE);
  cryo_export_dialog_set_display_units (dialog, FALSE);
  cryo_export_dialog_set_path (dialog, custom_path);
  export_and_wait (dialog, &written);
  g_assert_cmpstr (written, ==, custom_path);

  lines = read_lines (custom_path);
  g_assert_cmpstr (lines[0], ==, "timestamp_iso,seconds_since_start,pressure,units");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (cells[0], NULL);
      gint64 time_us;

      g_assert_nonnull (time);
      time_us = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
      g_assert_cmpint (time_us, >=, from_us);
      g_assert_cmpint (time_us, <=, to_us);
      g_assert_cmpstr (cells[3], ==, "Pa");
      n_rows++;
    }
  g_assert_cmpuint (n_rows, >=, 1);
  g_clear_pointer (&lines, g_strfreev);

  /* The toast names the file. */
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "Exported to custom.csv"));

  /* The last minute, pressure and speed, displayed units: two series,
   * each with its unit column. */
  dialog = open_dialog (window);
  cryo_export_dialog_set_range (dialog, CRYO_EXPORT_RANGE_LAST);
  cryo_export_dialog_set_path (dialog, last_path);
  export_and_wait (dialog, &written);
  lines = read_lines (last_path);
  g_assert_cmpstr (lines[0], ==, "timestamp_iso,seconds_since_start,pressure,pressure_units,speed,speed_units");
  g_assert_nonnull (lines[1]);
  g_assert_nonnull (strstr (lines[1], ",mbar,"));
  g_assert_true (g_str_has_suffix (lines[1], ",rpm"));

  gtk_window_destroy (window);
  g_object_unref (window);
  g_remove (custom_path);
  g_remove (last_path);
  g_rmdir (dir);
}


/* Readings older than the history kept in memory come from the archive:
 * an export of a range two days back finds last run's readings there,
 * and today's in memory, in one file. */
static void
test_export_from_archive (void)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_device_config_free);
  const CryoKindRegistration *registration = cryo_kinds_lookup ("pump-station");
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(CryoApplication) app = NULL;
  g_autoptr(CryoDevice) station = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryomon-export-archive-XXXXXX", NULL);
  g_autofree char *history_path = g_build_filename (dir, "history.sqlite", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "two-days.csv", NULL);
  g_autofree char *device_id = cryo_device_make_id ("Chamber A");
  g_autofree char *written = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 now_us = g_get_real_time ();
  gint64 old_us = (now_us / G_USEC_PER_SEC - 2 * 86400) * G_USEC_PER_SEC;
  guint n_old = 0, n_new = 0;
  CryoDeviceConfig *config;
  CryoExportDialog *dialog;
  CryoChannel *pressure;
  GtkWindow *window;

  /* Last run's minute of readings, two days ago. */
  {
    g_autoptr(CryoArchive) archive = cryo_archive_open (history_path, &error);
    g_autofree char *channel_id = g_strdup_printf ("%s.pressure", device_id);
    g_autoptr(CryoChannel) channel = cryo_channel_new (channel_id, "Pressure", "pressure",
                                                       CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG, 3, 100);
    guint handle;

    g_assert_no_error (error);
    handle = cryo_archive_add_channel (archive, device_id, channel);
    cryo_archive_set_device_name (archive, device_id, "Chamber A");
    for (guint i = 0; i < 60; i++)
      cryo_archive_append (archive, handle, old_us + i * G_USEC_PER_SEC, 0.001 * (i + 1));
    g_assert_true (cryo_archive_flush (archive, &error));
    g_assert_no_error (error);
    cryo_archive_close (archive);
  }

  server = registration->simulator->start_demo (&spec, &error);
  g_assert_no_error (error);
  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  config->name = g_strdup ("Chamber A");
  config->poll_interval_ms = 200;
  g_ptr_array_add (configs, config);

  app = cryo_application_new (configs, FALSE, NULL);
  cryo_application_set_history (app, history_path, TRUE);
  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.ExportArchive");
  window = open_app_window (app);

  station = g_list_model_get_item (cryo_session_get_devices (cryo_application_get_session (app)), 0);
  pressure = cryo_device_lookup_channel (station, "pressure");
  iterate_until (has_readings, pressure, 10000);

  dialog = open_dialog (window);
  cryo_export_dialog_set_custom_range (dialog, old_us - 10 * G_USEC_PER_SEC, g_get_real_time ());
  cryo_export_dialog_set_channel_chosen (dialog, cryo_device_lookup_channel (station, "speed"), FALSE);
  cryo_export_dialog_set_display_units (dialog, FALSE);
  cryo_export_dialog_set_path (dialog, csv_path);
  export_and_wait (dialog, &written);
  g_assert_cmpstr (written, ==, csv_path);

  lines = read_lines (csv_path);
  g_assert_cmpstr (lines[0], ==, "timestamp_iso,seconds_since_start,pressure,units");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (cells[0], NULL);
      gint64 time_us;

      g_assert_nonnull (time);
      time_us = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
      if (time_us < now_us - G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
        {
          /* float32 in the archive: 3 digits */
          g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[2], NULL), 0.001 * (n_old + 1), 1e-5);
          n_old++;
        }
      else
        n_new++;
    }
  g_assert_cmpuint (n_old, ==, 60);
  g_assert_cmpuint (n_new, >=, 3);

  gtk_window_destroy (window);
  g_object_unref (window);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/export-dialog/ranges", test_export_dialog);
  g_test_add_func ("/export-dialog/archive", test_export_from_archive);

  return g_test_run ();
}
