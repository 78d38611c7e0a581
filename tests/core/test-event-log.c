/* test-event-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-object.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cryo-event-log.h"

typedef struct
{
  guint      n_added;
  CryoEvent *event;
} Added;

static void
on_added_cb (CryoEventLog *log,
             CryoEvent    *event,
             Added        *added)
{
  g_assert_true (CRYO_IS_EVENT_LOG (log));
  g_assert_true (CRYO_IS_EVENT (event));
  added->n_added++;
  g_set_object (&added->event, event);
}

static void
added_clear (Added *added)
{
  g_clear_object (&added->event);
}

static char **
read_lines (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 0);
  g_assert_cmpint (contents[len - 1], ==, '\n');
  contents[len - 1] = '\0';

  return g_strsplit (contents, "\n", -1);
}

/* Checks one line of cryo_event_log_add() (an action result of the user
 * without device id; fields escaped) and that its time is within a few
 * seconds of now. */
static void
assert_line (const char *line,
             const char *device,
             const char *text)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", -1);
  g_autoptr(GDateTime) stamp = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_cmpuint (g_strv_length (fields), ==, 7);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d$",
                                       fields[0], 0, 0));
  stamp = g_date_time_new_from_iso8601 (fields[0], NULL);
  g_assert_nonnull (stamp);
  g_assert_cmpint (ABS (g_date_time_difference (now, stamp)), <, 10 * G_USEC_PER_SEC);
  g_assert_cmpstr (fields[1], ==, "");
  g_assert_cmpstr (fields[2], ==, device);
  g_assert_cmpstr (fields[3], ==, "action-result");
  g_assert_cmpstr (fields[4], ==, "info");
  g_assert_cmpstr (fields[5], ==, g_get_user_name ());
  g_assert_cmpstr (fields[6], ==, text);
}

static void
test_append (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-event-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "a", "b", "events.log", NULL);
  g_auto(GStrv) lines = NULL;
  CryoEventLog *log;
  Added added = { 0 };

  g_assert_no_error (error);

  log = cryo_event_log_new (path);
  g_assert_cmpstr (cryo_event_log_get_path (log), ==, path);
  g_signal_connect (log, "event-added", G_CALLBACK (on_added_cb), &added);

  /* Nothing is created before the first line. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  cryo_event_log_add (log, "Pumping station", "Start", "OK");
  g_assert_cmpuint (added.n_added, ==, 1);
  g_assert_cmpstr (cryo_event_get_device_name (added.event), ==, "Pumping station");
  g_assert_cmpstr (cryo_event_get_device_id (added.event), ==, "");
  g_assert_cmpint (cryo_event_get_kind (added.event), ==, CRYO_EVENT_KIND_ACTION_RESULT);
  g_assert_cmpstr (cryo_event_get_text (added.event), ==, "Start: OK");
  g_assert_cmpstr (cryo_event_get_user (added.event), ==, g_get_user_name ());

  /* Each line is on disk as soon as add() returns. */
  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  assert_line (lines[0], "Pumping station", "Start: OK");
  g_clear_pointer (&lines, g_strfreev);

  cryo_event_log_add (log, "Pumping station", "Start", "Refused: Turbo at 812 rpm — must be 0");
  cryo_event_log_add (log, "Cold\thead", "Stop\nnow", "Error:\r\nno reply");
  g_assert_cmpuint (added.n_added, ==, 3);
  g_assert_cmpstr (cryo_event_get_device_name (added.event), ==, "Cold\thead");

  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  assert_line (lines[0], "Pumping station", "Start: OK");
  assert_line (lines[1], "Pumping station", "Start: Refused: Turbo at 812 rpm — must be 0");
  /* Tabs and line breaks inside fields must not break the format. */
  assert_line (lines[2], "Cold\\thead", "Stop\\nnow: Error:\\r\\nno reply");
  g_clear_pointer (&lines, g_strfreev);

  g_assert_finalize_object (log);

  /* A second log on the same file appends. */
  log = cryo_event_log_new (path);
  cryo_event_log_add (log, "Compressor", "Stop", "OK");
  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  assert_line (lines[3], "Compressor", "Stop: OK");
  g_assert_finalize_object (log);

  added_clear (&added);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "a", "b", NULL);
  g_assert_cmpint (g_rmdir (path), ==, 0);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "a", NULL);
  g_assert_cmpint (g_rmdir (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static guint
get_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_lstat (path, &buf), ==, 0);
  return buf.st_mode & 07777;
}

/* The log is private when Cryomon creates it, keeps the mode an admin gave
 * it, and is appended to through a symbolic link, which stays a link. */
static void
test_permissions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-event-log-XXXXXX", &error);
  g_autofree char *folder = g_build_filename (dir, "a", NULL);
  g_autofree char *subfolder = g_build_filename (folder, "b", NULL);
  g_autofree char *path = g_build_filename (subfolder, "events.log", NULL);
  g_autofree char *shared = g_build_filename (dir, "shared.log", NULL);
  g_autofree char *link = g_build_filename (dir, "link.log", NULL);
  g_autofree char *link_target = NULL;
  g_auto(GStrv) lines = NULL;
  CryoEventLog *log;
  mode_t mask = umask (002);

  g_assert_no_error (error);

  log = cryo_event_log_new (path);
  cryo_event_log_add (log, "Pumping station", "Start", "OK");
  g_assert_cmpuint (get_mode (path), ==, 0600);
  g_assert_cmpuint (get_mode (subfolder), ==, 0700);
  g_assert_cmpuint (get_mode (folder), ==, 0700);

  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  cryo_event_log_add (log, "Pumping station", "Stop", "OK");
  g_assert_cmpuint (get_mode (path), ==, 0640);
  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_clear_pointer (&lines, g_strfreev);
  g_assert_finalize_object (log);

  g_assert_true (g_file_set_contents (shared, "", -1, NULL));
  g_assert_cmpint (g_chmod (shared, 0644), ==, 0);
  g_assert_cmpint (symlink ("shared.log", link), ==, 0);
  log = cryo_event_log_new (link);
  cryo_event_log_add (log, "Compressor", "Stop", "OK");
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  link_target = g_file_read_link (link, NULL);
  g_assert_cmpstr (link_target, ==, "shared.log");
  g_assert_cmpuint (get_mode (shared), ==, 0644);
  lines = read_lines (shared);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  assert_line (lines[0], "Compressor", "Stop: OK");
  g_assert_finalize_object (log);

  umask (mask);
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (g_unlink (shared), ==, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (subfolder), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_io_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-event-log-XXXXXX", &error);
  g_autofree char *file = g_build_filename (dir, "file", NULL);
  g_autofree char *path = g_build_filename (file, "events.log", NULL);
  CryoEventLog *log;
  Added added = { 0 };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (file, "not a folder", -1, NULL));

  log = cryo_event_log_new (path);
  g_signal_connect (log, "event-added", G_CALLBACK (on_added_cb), &added);

  /* Reported once, never fatal, and the signal still fires. */
  g_test_expect_message ("cryo-event-log", G_LOG_LEVEL_WARNING, "*Could not*events.log*");
  cryo_event_log_add (log, "Pumping station", "Start", "OK");
  g_test_assert_expected_messages ();
  cryo_event_log_add (log, "Pumping station", "Stop", "OK");
  g_assert_cmpuint (added.n_added, ==, 2);
  g_assert_cmpstr (cryo_event_get_text (added.event), ==, "Stop: OK");

  g_assert_finalize_object (log);
  added_clear (&added);
  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_default (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "cryomon", "events.log", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-event-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mine.log", NULL);
  g_auto(GStrv) lines = NULL;
  CryoEventLog *fallback;
  CryoEventLog *mine;

  /* G_TEST_OPTION_ISOLATE_DIRS points the user data dir into a temporary folder. */
  g_assert_true (g_str_has_prefix (g_get_user_data_dir (), g_get_tmp_dir ()));

  fallback = cryo_event_log_get_default ();
  g_assert_true (CRYO_IS_EVENT_LOG (fallback));
  g_assert_true (cryo_event_log_get_default () == fallback);
  g_assert_cmpstr (cryo_event_log_get_path (fallback), ==, expected);
  cryo_event_log_add (fallback, "App", "Start-up", "OK");
  lines = read_lines (expected);
  assert_line (lines[0], "App", "Start-up: OK");
  g_clear_pointer (&lines, g_strfreev);

  g_object_add_weak_pointer (G_OBJECT (fallback), (gpointer *) &fallback);
  mine = cryo_event_log_new (path);
  cryo_event_log_set_default (mine);
  g_assert_null (fallback);
  g_assert_true (cryo_event_log_get_default () == mine);
  g_object_unref (mine);
  g_assert_true (CRYO_IS_EVENT_LOG (mine));

  cryo_event_log_add (cryo_event_log_get_default (), "App", "Quit", "OK");
  lines = read_lines (path);
  assert_line (lines[0], "App", "Quit: OK");

  g_object_add_weak_pointer (G_OBJECT (mine), (gpointer *) &mine);
  cryo_event_log_set_default (NULL);
  g_assert_null (mine);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
assert_same_event (CryoEvent *a,
                   CryoEvent *b)
{
  g_assert_cmpint (cryo_event_get_time_us (a), ==, cryo_event_get_time_us (b));
  g_assert_cmpstr (cryo_event_get_device_id (a), ==, cryo_event_get_device_id (b));
  g_assert_cmpstr (cryo_event_get_device_name (a), ==, cryo_event_get_device_name (b));
  g_assert_cmpint (cryo_event_get_kind (a), ==, cryo_event_get_kind (b));
  g_assert_cmpint (cryo_event_get_severity (a), ==, cryo_event_get_severity (b));
  g_assert_cmpstr (cryo_event_get_user (a), ==, cryo_event_get_user (b));
  g_assert_cmpstr (cryo_event_get_text (a), ==, cryo_event_get_text (b));
}

/* Every kind and severity, awkward characters and times before and after
 * the epoch's second boundary come back from a line unchanged. */
static void
test_line_round_trip (void)
{
  const char *texts[] = {
    "Start: done", "", "tab\there", "line\nbreak\r\n", "back\\slash \\t not a tab",
    "Turbo at 812 rpm — must be 0", "\\",
  };
  const gint64 times[] = {
    1795000000123456, 1795000000000000, 1795000000999999, 1, 0,
  };

  for (guint kind = 0; kind < CRYO_N_EVENT_KINDS; kind++)
    for (guint severity = 0; severity < CRYO_N_EVENT_SEVERITIES; severity++)
      for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          g_autoptr(CryoEvent) event = NULL;
          g_autoptr(CryoEvent) back = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *line = NULL;
          g_auto(GStrv) fields = NULL;
          const char *text = texts[i];

          event = cryo_event_new (times[(kind + i) % G_N_ELEMENTS (times)],
                                  i % 2 ? "pump" : "", i % 3 ? "Pumping\tstation" : "",
                                  kind, severity, i % 2 ? "jdoe" : NULL, text);
          line = cryo_event_to_line (event);

          /* One line, seven fields, stable names. */
          g_assert_true (g_str_has_suffix (line, "\n"));
          g_assert_true (strchr (line, '\n') == line + strlen (line) - 1);
          fields = g_strsplit (line, "\t", -1);
          g_assert_cmpuint (g_strv_length (fields), ==, 7);
          g_assert_cmpstr (fields[3], ==, cryo_event_kind_to_id (kind));
          g_assert_cmpstr (fields[4], ==, cryo_event_severity_to_id (severity));

          back = cryo_event_new_from_line (line, &error);
          g_assert_no_error (error);
          assert_same_event (event, back);
        }
}

static void
test_line_format (void)
{
  g_autoptr(CryoEvent) event = NULL;
  g_autoptr(CryoEvent) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) stamp = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;

  event = cryo_event_new (1795000000123456, "pump", "Pumping station",
                          CRYO_EVENT_KIND_ALARM_RAISED, CRYO_EVENT_SEVERITY_ALARM, NULL,
                          "alarm: Turbo\toverheated\n");
  line = cryo_event_to_line (event);
  fields = g_strsplit (line, "\t", -1);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.123456[+-]\\d\\d:\\d\\d$",
                                       fields[0], 0, 0));
  stamp = g_date_time_new_from_iso8601 (fields[0], NULL);
  g_assert_cmpint (g_date_time_to_unix (stamp), ==, 1795000000);
  g_assert_cmpstr (fields[1], ==, "pump");
  g_assert_cmpstr (fields[2], ==, "Pumping station");
  g_assert_cmpstr (fields[3], ==, "alarm-raised");
  g_assert_cmpstr (fields[4], ==, "alarm");
  g_assert_cmpstr (fields[5], ==, "");
  g_assert_cmpstr (fields[6], ==, "alarm: Turbo\\toverheated\\n\n");

  /* The line of an older Cryomon: time, device, action, result. */
  back = cryo_event_new_from_line ("2026-11-22T05:48:54.123456+01:00\tPumping station\tStart\tdone\n",
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (cryo_event_get_time_us (back), ==, (gint64) 1795322934 * G_USEC_PER_SEC + 123456);
  g_assert_cmpstr (cryo_event_get_device_id (back), ==, "");
  g_assert_cmpstr (cryo_event_get_device_name (back), ==, "Pumping station");
  g_assert_cmpint (cryo_event_get_kind (back), ==, CRYO_EVENT_KIND_ACTION_RESULT);
  g_assert_cmpint (cryo_event_get_severity (back), ==, CRYO_EVENT_SEVERITY_INFO);
  g_assert_cmpstr (cryo_event_get_text (back), ==, "Start: done");
}

static void
test_line_malformed (void)
{
  const char *lines[] = {
    "",
    "2026-11-22T05:48:54.123456+01:00\tpump\tPump\taction\tinfo\tjdoe",
    "2026-11-22T05:48:54.123456+01:00\tpump\tPump\taction\tinfo\tjdoe\ttext\textra",
    "yesterday\tpump\tPump\taction\tinfo\tjdoe\ttext",
    "2026-11-22T05:48:54.123456\tpump\tPump\taction\tinfo\tjdoe\ttext",
    "2026-11-22T05:48:54.123456+01:00\tpump\tPump\tcoffee\tinfo\tjdoe\ttext",
    "2026-11-22T05:48:54.123456+01:00\tpump\tPump\taction\tpanic\tjdoe\ttext",
    "2026-11-22T05:48:54.123456+01:00\tpump\tPump\taction\tinfo\tjdoe\ttext\\",
    "2026-11-22T05:48:54.123456+01:00\tpump\tPump\taction\tinfo\tjdoe\ttext\\x",
    "2026-11-22T05:48:54.123456+01:00\tpump\tPump\taction\tinfo\tjdoe\t\xff",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CryoEvent) event = cryo_event_new_from_line (lines[i], &error);

      g_assert_null (event);
      g_assert_error (error, CRYO_EVENT_ERROR, CRYO_EVENT_ERROR_MALFORMED);
    }
}

static void
test_add_event (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-event-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "events.log", NULL);
  g_autoptr(CryoEvent) event = NULL;
  g_autoptr(CryoEvent) back = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) lines = NULL;
  CryoEventLog *log;
  Added added = { 0 };
  gint64 before = g_get_real_time ();

  log = cryo_event_log_new (path);
  g_signal_connect (log, "event-added", G_CALLBACK (on_added_cb), &added);

  event = cryo_event_new (1795000000000001, "cpa", "Compressor", CRYO_EVENT_KIND_CONNECTION_LOST,
                          CRYO_EVENT_SEVERITY_ERROR, NULL, "Connection lost: no reply");
  cryo_event_log_add_event (log, event);
  g_assert_cmpuint (added.n_added, ==, 1);
  g_assert_true (added.event == event);

  /* Operators' doings carry their login name, devices' do not. */
  cryo_event_log_add_new (log, "pump", "Pumping station", CRYO_EVENT_KIND_ACTION,
                          CRYO_EVENT_SEVERITY_INFO, "Start");
  g_assert_cmpuint (added.n_added, ==, 2);
  g_assert_cmpstr (cryo_event_get_user (added.event), ==, g_get_user_name ());
  g_assert_cmpint (cryo_event_get_time_us (added.event), >=, before);
  g_assert_cmpint (cryo_event_get_time_us (added.event), <=, g_get_real_time ());
  cryo_event_log_add_new (log, "pump", "Pumping station", CRYO_EVENT_KIND_ALARM_CLEARED,
                          CRYO_EVENT_SEVERITY_INFO, "alarm: Turbo overheated");
  g_assert_cmpstr (cryo_event_get_user (added.event), ==, "");

  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  expected = cryo_event_to_line (event);
  g_assert_true (g_str_has_prefix (expected, lines[0]));
  back = cryo_event_new_from_line (lines[2], &error);
  g_assert_no_error (error);
  assert_same_event (back, added.event);

  g_assert_finalize_object (log);
  added_clear (&added);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/event-log/append", test_append);
  g_test_add_func ("/event-log/permissions", test_permissions);
  g_test_add_func ("/event-log/io-error", test_io_error);
  g_test_add_func ("/event-log/default", test_default);
  g_test_add_func ("/event-log/line-round-trip", test_line_round_trip);
  g_test_add_func ("/event-log/line-format", test_line_format);
  g_test_add_func ("/event-log/line-malformed", test_line_malformed);
  g_test_add_func ("/event-log/add-event", test_add_event);

  return g_test_run ();
}
