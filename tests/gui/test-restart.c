/* test-restart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * History that survives a restart (issue "History that survives
 * restarts", §1): a window records a pumping station's readings into its
 * archive and closes; the next window, on the same archive, starts with
 * that trend on its pressure plot, a gap for the time it was not running,
 * and today's readings after it.
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cryo-application.h"
#include "cryo-kinds.h"
#include "cryo-trend-view.h"
#include "cryo-window.h"
#include "test-gui-util.h"

typedef struct
{
  CryoChannel *channel;
  gint64       after_us;
  guint        n;
} ReadingsWait;

/* @data->n readings of @data->channel newer than @data->after_us. */
static gboolean
has_new_readings (gpointer data)
{
  ReadingsWait *wait = data;
  CryoHistoryIter iter;
  CryoSample sample;
  guint n = 0;

  cryo_history_iter_init (&iter, cryo_channel_get_history (wait->channel), wait->after_us, G_MAXINT64);
  while (cryo_history_iter_next (&iter, &sample))
    if (sample.time_us > wait->after_us && !isnan (sample.value))
      n++;

  return n >= wait->n;
}

static CryoApplication *
start_window (const char  *app_id,
              const char  *spec,
              const char  *history_path,
              GtkWindow  **window,
              CryoDevice **station)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_device_config_free);
  g_autoptr(GError) error = NULL;
  CryoDeviceConfig *config;
  CryoApplication *app;

  config = cryo_device_config_parse (spec, &error);
  g_assert_no_error (error);
  config->name = g_strdup ("Chamber A");
  config->poll_interval_ms = 200;
  g_ptr_array_add (configs, config);

  app = cryo_application_new (configs, FALSE, NULL);
  cryo_application_set_history (app, history_path, TRUE);
  g_application_set_application_id (G_APPLICATION (app), app_id);
  *window = open_app_window (app);
  *station = g_list_model_get_item (cryo_session_get_devices (cryo_application_get_session (app)), 0);

  return app;
}

/* What GApplication::shutdown does when the window closes: the last
 * samples reach the archive, and the ports close. */
static void
close_window (CryoApplication *app,
              GtkWindow       *window,
              CryoDevice      *station)
{
  g_object_unref (station);
  gtk_window_destroy (window);
  g_object_unref (window);
  cryo_session_shutdown (cryo_application_get_session (app));
  g_object_unref (app);
}

static void
test_restart_shows_previous_trend (void)
{
  const CryoKindRegistration *registration = cryo_kinds_lookup ("pump-station");
  g_autofree char *dir = g_dir_make_tmp ("cryomon-restart-XXXXXX", NULL);
  g_autofree char *history_path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *hover = NULL;
  CryoApplication *app;
  CryoTrendView *trend_view;
  CryoTrendPlot *plot;
  CryoDevice *station;
  CryoChannel *pressure;
  GtkWindow *window;
  ReadingsWait wait;
  gint64 first_run_begin_us, first_run_end_us, second_start_us, begin_us, end_us;
  gboolean gap = FALSE;
  CryoHistoryIter iter;
  CryoSample sample;

  server = registration->simulator->start_demo (&spec, &error);
  g_assert_no_error (error);

  /* The first run: a few seconds of readings, archived. */
  app = start_window ("io.github.cryomon.Cryomon.Restart1", spec, history_path, &window, &station);
  pressure = cryo_device_lookup_channel (station, "pressure");
  wait = (ReadingsWait) { pressure, 0, 10 };
  iterate_until (has_new_readings, &wait, 10000);
  g_assert_true (cryo_history_get_time_range (cryo_channel_get_history (pressure),
                                              &first_run_begin_us, &first_run_end_us));
  close_window (app, window, station);

  /* The second run starts a little later, on the same archive. */
  second_start_us = g_get_real_time ();
  app = start_window ("io.github.cryomon.Cryomon.Restart2", spec, history_path, &window, &station);
  pressure = cryo_device_lookup_channel (station, "pressure");

  /* The channel starts with the first run's readings … */
  g_assert_true (cryo_history_get_time_range (cryo_channel_get_history (pressure), &begin_us, &end_us));
  g_assert_cmpint (begin_us, <=, first_run_begin_us + G_USEC_PER_SEC);
  g_assert_cmpint (end_us, >=, first_run_end_us - G_USEC_PER_SEC);

  /* … then today's, after a gap for the time Cryomon was closed. */
  wait = (ReadingsWait) { pressure, second_start_us, 3 };
  iterate_until (has_new_readings, &wait, 10000);
  cryo_history_iter_init (&iter, cryo_channel_get_history (pressure), first_run_end_us - G_USEC_PER_SEC,
                          G_MAXINT64);
  while (cryo_history_iter_next (&iter, &sample))
    if (sample.time_us > first_run_end_us - G_USEC_PER_SEC && sample.time_us < second_start_us
        && isnan (sample.value))
      gap = TRUE;
  g_assert_true (gap);

  /* The pressure plot shows it: live, starting at the first run's oldest
   * reading, with a pressure in the readout over the first run. */
  trend_view = CRYO_TREND_VIEW (find_widget (GTK_WIDGET (window), is_of_type,
                                             GSIZE_TO_POINTER (CRYO_TYPE_TREND_VIEW)));
  g_assert_nonnull (trend_view);
  plot = cryo_trend_view_get_plot (trend_view, CRYO_QUANTITY_PRESSURE, CRYO_SCALE_LOG);
  g_assert_nonnull (plot);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (plot));
  g_assert_true (cryo_trend_plot_get_follow (plot));
  cryo_trend_plot_get_visible_range (plot, &begin_us, &end_us);
  g_assert_cmpint (begin_us, <=, first_run_begin_us + G_USEC_PER_SEC);
  g_assert_cmpint (end_us, >=, second_start_us);

  hover = cryo_trend_plot_get_hover_text (plot, (first_run_begin_us + first_run_end_us) / 2);
  g_test_message ("readout over the first run: %s", hover);
  g_assert_nonnull (strstr (hover, "mbar"));

  close_window (app, window, station);
  g_remove (history_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/window/restart", test_restart_shows_previous_trend);

  return g_test_run ();
}
