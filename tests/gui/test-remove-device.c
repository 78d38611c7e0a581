/* test-remove-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Removing a device in the Devices dialog asks whether to keep its history
 * (issue "History that survives restarts"): Cancel keeps the device,
 * Delete History removes its channels and samples from the archive and
 * leaves the other device's, Keep History leaves them there.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cryo-application.h"
#include "cryo-archive.h"
#include "cryo-device-editor.h"
#include "cryo-devices-dialog.h"
#include "test-gui-util.h"

static GtkWidget *
find_editor (GtkWindow *dialog)
{
  return find_widget (GTK_WIDGET (dialog), is_of_type, GSIZE_TO_POINTER (CRYO_TYPE_DEVICE_EDITOR));
}

static gboolean
editor_closed (gpointer data)
{
  return find_editor (data) == NULL;
}

/* What a click on a response button does: respond, then close. */
static void
respond (AdwMessageDialog *confirm,
         const char       *response)
{
  adw_message_dialog_response (confirm, response);
  gtk_window_destroy (GTK_WINDOW (confirm));
}

/* The archive's channels of @device_id, after what was queued is written. */
static guint
count_archived_channels (CryoArchive *archive,
                         const char  *device_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  guint n = 0;

  g_assert_true (cryo_archive_flush (archive, &error));
  g_assert_no_error (error);
  channels = cryo_archive_list_channels (archive, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < channels->len; i++)
    if (g_str_equal (((CryoArchiveChannel *) g_ptr_array_index (channels, i))->device_id, device_id))
      n++;

  return n;
}

static guint
count_archived_samples (CryoArchive *archive,
                        const char  *device_id,
                        const char  *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CryoHistory) history = cryo_archive_read (archive, device_id, key, G_MININT64,
                                                      G_MAXINT64, &error);

  g_assert_no_error (error);
  return cryo_history_get_n_samples (history);
}

/* Opens the editor of the first device and answers its Remove question. */
static AdwMessageDialog *
ask_remove_first (GtkWindow *dialog)
{
  GtkWidget *editor;
  AdwMessageDialog *confirm;

  gtk_widget_activate_action (GTK_WIDGET (dialog), "devices.edit", "u", 0);
  editor = find_editor (dialog);
  g_assert_nonnull (editor);
  gtk_widget_activate_action (editor, "editor.remove", NULL);
  confirm = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (confirm);
  g_assert_true (adw_message_dialog_has_response (confirm, "keep"));
  g_assert_true (adw_message_dialog_has_response (confirm, "delete"));
  g_assert_true (adw_message_dialog_has_response (confirm, "cancel"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (confirm, "keep"), ==, "_Keep History");
  g_assert_cmpstr (adw_message_dialog_get_response_label (confirm, "delete"), ==, "_Delete History");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (confirm, "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);

  return confirm;
}

static void
test_remove_keeps_or_deletes_history (void)
{
  g_autoptr(CryoApplication) app = cryo_application_new (NULL, FALSE, NULL);
  g_autofree char *dir = g_dir_make_tmp ("cryomon-remove-XXXXXX", NULL);
  g_autofree char *history_path = g_build_filename (dir, "history.sqlite", NULL);
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), "cryomon", NULL);
  g_autofree char *conf_path = g_build_filename (folder, "devices.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("[Station A]\n"
                                           "type=pump-station\n"
                                           "port=%s/ttyCRYOmissingA\n"
                                           "\n"
                                           "[Station B]\n"
                                           "type=pump-station\n"
                                           "port=%s/ttyCRYOmissingB\n",
                                           dir, dir);
  gint64 t = g_get_real_time () - 60 * G_USEC_PER_SEC;
  CryoSession *session;
  CryoArchive *archive;
  GtkWindow *window, *dialog;
  AdwMessageDialog *confirm;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));

  g_application_set_application_id (G_APPLICATION (app), "io.github.cryomon.Cryomon.RemoveTest");
  cryo_application_set_history (app, history_path, TRUE);
  window = open_app_window (app);
  session = cryo_application_get_session (app);
  archive = cryo_session_get_archive (session);
  g_assert_nonnull (archive);
  g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 2);

  /* Both stations have a recorded history. */
  for (guint d = 0; d < 2; d++)
    {
      CryoDevice *device = cryo_session_get_entry_device (session, d);
      CryoChannel *channel = g_ptr_array_index (cryo_device_get_channels (device), 0);

      for (guint i = 0; i < 10; i++)
        cryo_device_push_sample (device, channel, t + i * G_USEC_PER_SEC, 1e-3);
    }
  g_assert_cmpuint (count_archived_channels (archive, "station_a"), >, 0);
  g_assert_cmpuint (count_archived_channels (archive, "station_b"), >, 0);
  g_assert_cmpuint (count_archived_samples (archive, "station_a", "pressure"), ==, 10);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.devices", NULL);
  dialog = find_toplevel (CRYO_TYPE_DEVICES_DIALOG);
  g_assert_nonnull (dialog);

  /* Cancel: nothing changes. */
  confirm = ask_remove_first (dialog);
  respond (confirm, "cancel");
  g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 2);
  g_assert_cmpuint (count_archived_samples (archive, "station_a", "pressure"), ==, 10);
  gtk_widget_activate_action (find_editor (dialog), "editor.cancel", NULL);
  iterate_until (editor_closed, dialog, 5000);

  /* Delete History: Station A's channels and samples go, B's stay. */
  confirm = ask_remove_first (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (confirm), "Station A"));
  respond (confirm, "delete");
  iterate_until (editor_closed, dialog, 5000);
  g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 1);
  g_assert_cmpuint (count_archived_channels (archive, "station_a"), ==, 0);
  g_assert_cmpuint (count_archived_samples (archive, "station_a", "pressure"), ==, 0);
  g_assert_cmpuint (count_archived_channels (archive, "station_b"), >, 0);
  g_assert_cmpuint (count_archived_samples (archive, "station_b", "pressure"), ==, 10);

  /* Keep History: Station B goes from the window, its history stays. */
  confirm = ask_remove_first (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (confirm), "Station B"));
  respond (confirm, "keep");
  iterate_until (editor_closed, dialog, 5000);
  g_assert_cmpuint (cryo_session_get_n_entries (session), ==, 0);
  g_assert_cmpuint (count_archived_channels (archive, "station_b"), >, 0);
  /* Its samples, and the gap that marks where monitoring stopped. */
  g_assert_cmpuint (count_archived_samples (archive, "station_b", "pressure"), ==, 11);

  gtk_window_destroy (dialog);
  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  cryo_session_shutdown (session);
  g_unlink (conf_path);
  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/remove-device/keep-or-delete-history", test_remove_keeps_or_deletes_history);

  return g_test_run ();
}
