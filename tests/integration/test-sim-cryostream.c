/* test-sim-cryostream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cryostream simulator's model and responder (oxford-cryostream.md
 * "Simulator behaviour"): packets, SetFormat, each command's effect and its
 * line in the command log, ignored commands and alarms. The device tests
 * drive it over a pseudo-terminal.
 */

#define G_LOG_DOMAIN "test-sim-cryostream"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cryo-oxcryo.h"
#include "cryo-sim-command-log.h"
#include "cryo-sim-cryostream.h"
#include "cryo-sim-cryostream-server.h"

typedef struct
{
  CryoSimCryostream *sim;
  CryoSimCommandLog *log;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = cryo_sim_cryostream_new (GPOINTER_TO_UINT (data), 100.0, 20,
                                    CRYO_OXCRYO_HARDWARE_SERIES_800, 1000);
  f->log = cryo_sim_command_log_new ();
  cryo_sim_responder_set_command_log (CRYO_SIM_RESPONDER (f->sim), f->log);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->sim);
  g_object_unref (f->log);
}

static void
send (Fixture *f,
      GBytes  *command)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (command, &len);
  g_autoptr(GPtrArray) replies = cryo_sim_responder_feed (CRYO_SIM_RESPONDER (f->sim), data, len);

  /* "Link": a controller never answers a command */
  g_assert_cmpuint (replies->len, ==, 0);
  g_bytes_unref (command);
}

static CryoOxcryoStatus
status (Fixture *f)
{
  g_autoptr(GBytes) packet = cryo_sim_responder_next_packet (CRYO_SIM_RESPONDER (f->sim));
  CryoOxcryoStatus s;
  gsize len;
  const guint8 *data = g_bytes_get_data (packet, &len);
  g_autoptr(GError) error = NULL;

  g_assert_true (cryo_oxcryo_status_decode (data, len, &s, &error));
  g_assert_no_error (error);
  return s;
}

static void
run_for (Fixture *f,
         double   seconds)
{
  for (double t = 0; t < seconds; t += 1.0)
    cryo_sim_responder_tick (CRYO_SIM_RESPONDER (f->sim), 1.0);
}

static const char *
last_log_line (Fixture *f)
{
  static char *line;
  g_auto(GStrv) lines = cryo_sim_command_log_dup_lines (f->log);
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >, 0);
  g_free (line);
  line = g_strdup (lines[n - 1]);
  return line;
}

static void
test_set_format (Fixture       *f,
                 gconstpointer  data)
{
  CryoOxcryoStatus s = status (f);

  g_assert_false (s.extended);
  g_assert_cmpuint (s.gas_temp, ==, 10000);
  g_assert_cmpuint (s.run_mode, ==, CRYO_OXCRYO_RUN_MODE_RUN);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_HOLD);

  send (f, cryo_oxcryo_encode_set_format (TRUE));
  g_assert_cmpstr (last_log_line (f), ==, "03 28 01 set-format applied");
  s = status (f);
  g_assert_true (s.extended);
  g_assert_cmpuint (s.hardware_type, ==, CRYO_OXCRYO_HARDWARE_SERIES_800);
}

static void
test_old_software (void)
{
  g_autoptr(CryoSimCryostream) sim = cryo_sim_cryostream_new (CRYO_OXCRYO_RUN_MODE_RUN, 100.0, 17, 0, 1000);
  g_autoptr(GBytes) cmd = cryo_oxcryo_encode_set_format (TRUE);
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GBytes) packet = NULL;
  gsize len;

  replies = cryo_sim_responder_feed (CRYO_SIM_RESPONDER (sim), g_bytes_get_data (cmd, NULL),
                                     g_bytes_get_size (cmd));
  packet = cryo_sim_responder_next_packet (CRYO_SIM_RESPONDER (sim));
  g_bytes_get_data (packet, &len);
  g_assert_cmpuint (len, ==, CRYO_OXCRYO_STANDARD_LENGTH);
}

static void
test_ramp (Fixture       *f,
           gconstpointer  data)
{
  CryoOxcryoStatus s;

  /* 360 K/h = 0.1 K/s: 100 K → 110 K in 100 s */
  send (f, cryo_oxcryo_encode_ramp (360, 11000, CRYO_OXCRYO_MAX_TARGET_CK, NULL));
  g_assert_cmpstr (last_log_line (f), ==, "06 0B 01 68 2A F8 ramp applied");
  s = status (f);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_RAMP);
  g_assert_cmpuint (s.target_temp, ==, 11000);
  g_assert_cmpuint (s.ramp_rate, ==, 360);
  g_assert_cmpuint (s.remaining, ==, 2);

  run_for (f, 50);
  s = status (f);
  g_assert_cmpuint (s.gas_set_point, ==, 10500);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_RAMP);

  /* pause holds the set point; resume continues the ramp */
  send (f, cryo_oxcryo_encode_pause ());
  run_for (f, 20);
  s = status (f);
  g_assert_cmpuint (s.gas_set_point, ==, 10500);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_HOLD);
  g_assert_cmpuint (s.shutter_time, ==, 0);  /* standard packet */
  send (f, cryo_oxcryo_encode_resume ());
  g_assert_cmpstr (last_log_line (f), ==, "02 12 resume applied");
  g_assert_cmpuint (status (f).phase_id, ==, CRYO_OXCRYO_PHASE_RAMP);

  run_for (f, 60);
  s = status (f);
  g_assert_cmpuint (s.gas_set_point, ==, 11000);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_HOLD);
  g_assert_cmpint (fabs (cryo_sim_cryostream_get_gas_k (f->sim) - 110.0), <, 1.0);
}

static void
test_plat_cool_end (Fixture       *f,
                    gconstpointer  data)
{
  CryoOxcryoStatus s;

  send (f, cryo_oxcryo_encode_plat (2, NULL));
  g_assert_cmpstr (last_log_line (f), ==, "04 0C 00 02 plat applied");
  s = status (f);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_PLAT);
  g_assert_cmpuint (s.remaining, ==, 2);
  run_for (f, 121);
  g_assert_cmpuint (status (f).phase_id, ==, CRYO_OXCRYO_PHASE_HOLD);

  send (f, cryo_oxcryo_encode_cool (9000, CRYO_OXCRYO_MAX_TARGET_CK, NULL));
  s = status (f);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_COOL);
  g_assert_cmpuint (s.target_temp, ==, 9000);
  run_for (f, 30);
  g_assert_cmpuint (status (f).gas_set_point, ==, 9000);

  send (f, cryo_oxcryo_encode_end (360, NULL));
  g_assert_cmpstr (last_log_line (f), ==, "04 0F 01 68 end applied");
  g_assert_cmpuint (status (f).phase_id, ==, CRYO_OXCRYO_PHASE_END);
  run_for (f, 3600);
  s = status (f);
  g_assert_cmpuint (s.run_mode, ==, CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK);
  g_assert_cmpuint (s.alarm_code, ==, 3);
}

static void
test_stop_restart_purge (Fixture       *f,
                         gconstpointer  data)
{
  CryoOxcryoStatus s;

  /* restart and purge only when shut down */
  send (f, cryo_oxcryo_encode_purge ());
  g_assert_cmpstr (last_log_line (f), ==, "02 10 purge ignored");
  send (f, cryo_oxcryo_encode_stop ());
  g_assert_cmpstr (last_log_line (f), ==, "02 13 stop applied");
  s = status (f);
  g_assert_cmpuint (s.run_mode, ==, CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK);
  g_assert_cmpuint (s.alarm_code, ==, 2);

  /* program commands are ignored while shut down */
  send (f, cryo_oxcryo_encode_hold ());
  g_assert_cmpstr (last_log_line (f), ==, "02 0D hold ignored");

  send (f, cryo_oxcryo_encode_purge ());
  s = status (f);
  g_assert_cmpuint (s.run_mode, ==, CRYO_OXCRYO_RUN_MODE_RUN);
  g_assert_cmpuint (s.phase_id, ==, CRYO_OXCRYO_PHASE_PURGE);
  run_for (f, 7200);
  s = status (f);
  g_assert_cmpuint (s.run_mode, ==, CRYO_OXCRYO_RUN_MODE_SHUTDOWN_OK);
  g_assert_cmpuint (s.alarm_code, ==, 4);

  send (f, cryo_oxcryo_encode_restart ());
  g_assert_cmpstr (last_log_line (f), ==, "02 0A restart applied");
  g_assert_cmpuint (status (f).run_mode, ==, CRYO_OXCRYO_RUN_MODE_STARTUP_OK);
  send (f, cryo_oxcryo_encode_cool (10000, CRYO_OXCRYO_MAX_TARGET_CK, NULL));
  g_assert_cmpuint (status (f).run_mode, ==, CRYO_OXCRYO_RUN_MODE_RUN);
}

static void
test_ignored_and_alarm (Fixture       *f,
                        gconstpointer  data)
{
  CryoOxcryoStatus s;

  cryo_sim_cryostream_set_ignored (f->sim, CRYO_OXCRYO_COMMAND_RAMP, TRUE);
  send (f, cryo_oxcryo_encode_ramp (120, 25050, CRYO_OXCRYO_MAX_TARGET_CK, NULL));
  g_assert_cmpstr (last_log_line (f), ==, "06 0B 00 78 61 DA ramp ignored");
  g_assert_cmpuint (status (f).phase_id, ==, CRYO_OXCRYO_PHASE_HOLD);

  send (f, cryo_oxcryo_encode_turbo (TRUE));
  g_assert_cmpstr (last_log_line (f), ==, "03 14 01 turbo applied");
  g_assert_cmpuint (status (f).gas_flow, ==, 100);

  cryo_sim_cryostream_set_alarm (f->sim, 7);
  s = status (f);
  g_assert_cmpuint (s.alarm_code, ==, 7);
  g_assert_cmpuint (s.run_mode, ==, CRYO_OXCRYO_RUN_MODE_RUN);

  /* a level-4 alarm shuts the controller down */
  cryo_sim_cryostream_set_alarm (f->sim, 23);
  s = status (f);
  g_assert_cmpuint (s.alarm_code, ==, 23);
  g_assert_cmpuint (s.run_mode, ==, CRYO_OXCRYO_RUN_MODE_SHUTDOWN_FAIL);

  /* garbage between commands is skipped */
  {
    static const guint8 junk[] = { 0xFF, 0x00, 0x07 };
    g_autoptr(GPtrArray) replies = cryo_sim_responder_feed (CRYO_SIM_RESPONDER (f->sim), junk, sizeof junk);

    send (f, cryo_oxcryo_encode_restart ());
    g_assert_cmpstr (last_log_line (f), ==, "02 0A restart applied");
  }
}

static void
test_options (void)
{
  guint id;

  g_assert_true (cryo_sim_cryostream_command_from_name ("set-format", &id));
  g_assert_cmpuint (id, ==, CRYO_OXCRYO_COMMAND_SET_FORMAT);
  g_assert_false (cryo_sim_cryostream_command_from_name ("warp", &id));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, mode, func) \
  g_test_add ("/sim-cryostream/" path, Fixture, GUINT_TO_POINTER (mode), \
              fixture_set_up, func, fixture_tear_down)
  ADD ("set-format", CRYO_OXCRYO_RUN_MODE_RUN, test_set_format);
  ADD ("ramp-pause-resume", CRYO_OXCRYO_RUN_MODE_RUN, test_ramp);
  ADD ("plat-cool-end", CRYO_OXCRYO_RUN_MODE_RUN, test_plat_cool_end);
  ADD ("stop-restart-purge", CRYO_OXCRYO_RUN_MODE_RUN, test_stop_restart_purge);
  ADD ("ignored-and-alarm", CRYO_OXCRYO_RUN_MODE_RUN, test_ignored_and_alarm);
#undef ADD
  g_test_add_func ("/sim-cryostream/old-software", test_old_software);
  g_test_add_func ("/sim-cryostream/options", test_options);

  return g_test_run ();
}
