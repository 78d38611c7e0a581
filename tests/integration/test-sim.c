/* test-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pumping-station simulator: model, Window-protocol responder
 * (agilent-window.md "Simulator behaviour"), the pty server and the
 * cryomon-sim executable.
 */

#define G_LOG_DOMAIN "test-sim"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cryo-agilent.h"
#include "cryo-sim-agilent-responder.h"
#include "cryo-sim-pump-station.h"
#include "cryo-sim-pump-station-server.h"
#include "cryo-sim-server.h"
#include "test-sim-util.h"

/* --- helpers ------------------------------------------------------------ */

static void
assert_bytes_hex (GBytes     *bytes,
                  const char *hex)
{
  g_autoptr(GBytes) expected = hex_bytes (hex);
  gsize len, expected_len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const guint8 *expected_data = g_bytes_get_data (expected, &expected_len);

  g_assert_cmpmem (data, len, expected_data, expected_len);
}

static GBytes *
raw_frame (guint8      address,
           const char *payload)
{
  return cryo_agilent_encode_raw (address, (const guint8 *) payload, strlen (payload));
}

/* Feeds one request; returns its only reply, or NULL when there is none. */
static GBytes *
exchange (CryoSimAgilentResponder *responder,
          GBytes                  *request)
{
  g_autoptr(GPtrArray) replies = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (request, &len);

  replies = cryo_sim_responder_feed (CRYO_SIM_RESPONDER (responder), data, len);
  g_assert_nonnull (replies);
  g_assert_cmpuint (replies->len, <=, 1);

  return replies->len == 1 ? g_bytes_ref (g_ptr_array_index (replies, 0)) : NULL;
}

static GBytes *
exchange_hex (CryoSimAgilentResponder *responder,
              const char              *hex)
{
  g_autoptr(GBytes) request = hex_bytes (hex);

  return exchange (responder, request);
}

static void
decode_one (GBytes           *bytes,
            CryoAgilentFrame *frame)
{
  g_autoptr(CryoAgilentDecoder) decoder = cryo_agilent_decoder_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  cryo_agilent_decoder_feed (decoder, data, len);
  g_assert_cmpint (cryo_agilent_decoder_next (decoder, frame, &error), ==, CRYO_AGILENT_DECODE_FRAME);
  g_assert_no_error (error);
  g_assert_cmpuint (cryo_agilent_decoder_get_n_buffered (decoder), ==, 0);
}

static guint8
code_of (GBytes *reply)
{
  CryoAgilentFrame frame;

  g_assert_nonnull (reply);
  decode_one (reply, &frame);
  g_assert_true (frame.is_code);

  return frame.code;
}

/* Reads window @window and checks the reply's envelope and type. */
static void
read_window (CryoSimAgilentResponder *responder,
             guint                    window,
             CryoAgilentFrame        *frame)
{
  g_autoptr(GBytes) request = cryo_agilent_encode_read (0, window);
  g_autoptr(GBytes) reply = exchange (responder, request);

  g_assert_nonnull (reply);
  decode_one (reply, frame);
  g_assert_false (frame->is_code);
  g_assert_false (frame->is_write);
  g_assert_cmpuint (frame->address, ==, 0);
  g_assert_cmpuint (frame->window, ==, window);
}

static guint
read_numeric (CryoSimAgilentResponder *responder,
              guint                    window)
{
  CryoAgilentFrame frame;
  g_autoptr(GError) error = NULL;
  guint value = 0;

  read_window (responder, window, &frame);
  g_assert_cmpuint (frame.data_len, ==, 6);
  g_assert_true (cryo_agilent_reply_get_numeric (&frame, window, &value, &error));
  g_assert_no_error (error);

  return value;
}

static guint8
write_data (CryoSimAgilentResponder *responder,
            guint                    window,
            const char              *data)
{
  g_autofree char *payload = g_strdup_printf ("%03u1%s", window, data);
  g_autoptr(GBytes) request = raw_frame (0, payload);
  g_autoptr(GBytes) reply = exchange (responder, request);

  return code_of (reply);
}

/* A responder with a command log of its own, as a server gives it. */
static CryoSimAgilentResponder *
new_responder (gboolean running)
{
  g_autoptr(CryoSimPumpStation) model = cryo_sim_pump_station_new (running, 42);
  g_autoptr(CryoSimCommandLog) log = cryo_sim_command_log_new ();
  CryoSimAgilentResponder *responder = cryo_sim_agilent_responder_new (model, 0);

  cryo_sim_responder_set_command_log (CRYO_SIM_RESPONDER (responder), log);

  return responder;
}

static CryoSimCommandLog *
command_log (CryoSimAgilentResponder *responder)
{
  return cryo_sim_responder_get_command_log (CRYO_SIM_RESPONDER (responder));
}

static void
assert_log (char       **log,
            const char  *const *expected)
{
  g_assert_cmpstrv (log, expected);
}

/* --- model -------------------------------------------------------------- */

static void
test_model_spin_up (void)
{
  g_autoptr(CryoSimPumpStation) model = cryo_sim_pump_station_new (FALSE, 1);
  double t, normal_at = -1.0;

  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_STOP);
  g_assert_cmpfloat (cryo_sim_pump_station_get_rpm (model), ==, 0.0);
  g_assert_cmpfloat (cryo_sim_pump_station_get_pressure_mbar (model), ==, 1000.0);
  g_assert_false (cryo_sim_pump_station_get_started (model));

  g_assert_true (cryo_sim_pump_station_start (model));
  g_assert_true (cryo_sim_pump_station_get_started (model));
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_STARTING);

  for (t = 0.0; t < 600.0; t += 1.0)
    {
      cryo_sim_pump_station_tick (model, 1.0);
      if (normal_at < 0.0 && cryo_sim_pump_station_get_status (model) == CRYO_AGILENT_STATUS_NORMAL)
        {
          normal_at = t + 1.0;
          g_assert_cmpfloat (cryo_sim_pump_station_get_rpm (model), >=, 80000.0);
        }
      if (normal_at < 0.0)
        g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_STARTING);
      if (normal_at > 0.0 && t + 1.0 == normal_at + 60.0)
        g_assert_cmpfloat (cryo_sim_pump_station_get_pressure_mbar (model), <, 1e-5);
    }

  /* "Over a few minutes". */
  g_assert_cmpfloat (normal_at, >, 60.0);
  g_assert_cmpfloat (normal_at, <, 300.0);
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_NORMAL);
  g_assert_cmpfloat_with_epsilon (cryo_sim_pump_station_get_rpm (model), 81000.0, 1.0);
  g_assert_cmpuint (cryo_sim_pump_station_get_reported_rpm (model), >=, 80950);
  g_assert_cmpuint (cryo_sim_pump_station_get_reported_rpm (model), <=, 81050);
  g_assert_cmpuint (cryo_sim_pump_station_get_frequency_hz (model), ==, 1350);
  g_assert_cmpuint (cryo_sim_pump_station_get_voltage_v (model), >, 0);
  g_assert_cmpuint (cryo_sim_pump_station_get_power_w (model), >, 0);
  g_assert_cmpuint (cryo_sim_pump_station_get_current_ma (model), >, 0);
  g_assert_cmpuint (cryo_sim_pump_station_get_temperature_c (model), >, 24);
  g_assert_cmpuint (cryo_sim_pump_station_get_temperature_c (model), <, 60);

  /* After half an hour the outgassing tail has faded towards 1e-7 mbar. */
  cryo_sim_pump_station_tick (model, 1800.0);
  g_assert_cmpfloat (cryo_sim_pump_station_get_pressure_mbar (model), <, 5e-7);
  g_assert_cmpfloat (cryo_sim_pump_station_get_pressure_mbar (model), >, 5e-8);
}

static void
test_model_stop (void)
{
  g_autoptr(CryoSimPumpStation) model = cryo_sim_pump_station_new (TRUE, 2);
  double p_running, last_rpm, stopped_at = -1.0;

  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_NORMAL);
  g_assert_cmpfloat (cryo_sim_pump_station_get_rpm (model), ==, 81000.0);
  p_running = cryo_sim_pump_station_get_pressure_mbar (model);
  g_assert_cmpfloat (p_running, >, 1e-7);
  g_assert_cmpfloat (p_running, <, 1e-6);

  cryo_sim_pump_station_stop (model);
  g_assert_false (cryo_sim_pump_station_get_started (model));
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_BRAKING);

  last_rpm = cryo_sim_pump_station_get_rpm (model);
  for (double t = 0.0; t < 900.0; t += 1.0)
    {
      cryo_sim_pump_station_tick (model, 1.0);
      g_assert_cmpfloat (cryo_sim_pump_station_get_rpm (model), <=, last_rpm);
      last_rpm = cryo_sim_pump_station_get_rpm (model);
      if (last_rpm > 0.0)
        g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_BRAKING);
      else if (stopped_at < 0.0)
        stopped_at = t + 1.0;
    }

  /* A slower spin-down than the spin-up (about 135 s). */
  g_assert_cmpfloat (stopped_at, >, 150.0);
  g_assert_cmpfloat (stopped_at, <, 600.0);
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_STOP);
  g_assert_cmpuint (cryo_sim_pump_station_get_reported_rpm (model), ==, 0);
  g_assert_cmpuint (cryo_sim_pump_station_get_frequency_hz (model), ==, 0);
  g_assert_cmpuint (cryo_sim_pump_station_get_power_w (model), ==, 0);

  /* The pressure rises again. */
  g_assert_cmpfloat (cryo_sim_pump_station_get_pressure_mbar (model), >, 100.0 * p_running);
}

static void
test_model_speed_after_stop (void)
{
  g_autoptr(CryoSimPumpStation) model = cryo_sim_pump_station_new (TRUE, 3);

  cryo_sim_pump_station_stop (model);
  cryo_sim_pump_station_tick (model, 10.0);
  g_assert_cmpfloat (cryo_sim_pump_station_get_rpm (model), >, 70000.0);

  /* Window 167 = 0: no speed reading while braking. */
  g_assert_false (cryo_sim_pump_station_get_speed_after_stop (model));
  g_assert_cmpuint (cryo_sim_pump_station_get_reported_rpm (model), ==, 0);

  cryo_sim_pump_station_set_speed_after_stop (model, TRUE);
  g_assert_cmpuint (cryo_sim_pump_station_get_reported_rpm (model), >, 70000);

  /* The active brake stops faster. */
  cryo_sim_pump_station_set_active_stop (model, TRUE);
  cryo_sim_pump_station_tick (model, 100.0);
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_STOP);
}

static void
test_model_tip_seal (void)
{
  g_autoptr(CryoSimPumpStation) running = cryo_sim_pump_station_new (TRUE, 4);
  g_autoptr(CryoSimPumpStation) stopped = cryo_sim_pump_station_new (FALSE, 4);
  double before = cryo_sim_pump_station_get_tip_seal_hours_exact (running);

  g_assert_cmpuint (cryo_sim_pump_station_get_tip_seal_hours (running), ==, 4213);

  cryo_sim_pump_station_tick (running, 1800.0);
  g_assert_cmpfloat_with_epsilon (cryo_sim_pump_station_get_tip_seal_hours_exact (running),
                                  before + 0.5, 1e-6);
  g_assert_cmpuint (cryo_sim_pump_station_get_tip_seal_hours (running), ==, 4213);
  cryo_sim_pump_station_tick (running, 5400.0);
  g_assert_cmpuint (cryo_sim_pump_station_get_tip_seal_hours (running), ==, 4215);

  /* The scroll does not run while stopped. */
  cryo_sim_pump_station_tick (stopped, 7200.0);
  g_assert_cmpfloat (cryo_sim_pump_station_get_tip_seal_hours_exact (stopped), ==, 4213.0);

  cryo_sim_pump_station_set_tip_seal_hours (running, 0);
  g_assert_cmpuint (cryo_sim_pump_station_get_tip_seal_hours (running), ==, 0);
}

static void
check_pressure_text (CryoSimPumpStation *model,
                     double              factor)
{
  g_autofree char *text = cryo_sim_pump_station_dup_pressure_text (model);
  double expected = cryo_sim_pump_station_get_pressure_mbar (model) * factor;
  char *end = NULL;
  double value;

  g_assert_cmpuint (strlen (text), ==, 10);
  g_assert_true (g_regex_match_simple ("^[1-9]\\.[0-9]E[+-][0-9][0-9]   $", text, 0, 0));
  value = g_ascii_strtod (text, &end);
  g_assert_true (end == text + 7);
  /* 2 % noise and a one-decimal mantissa. */
  g_assert_cmpfloat (fabs (value / expected - 1.0), <, 0.08);
}

static void
test_model_pressure_text (void)
{
  g_autoptr(CryoSimPumpStation) model = cryo_sim_pump_station_new (FALSE, 5);
  g_autofree char *mbar = NULL;
  g_autofree char *pa = NULL;
  g_autofree char *torr = NULL;

  /* No noise before the first tick: exactly 1000 mbar. */
  mbar = cryo_sim_pump_station_dup_pressure_text (model);
  g_assert_cmpstr (mbar, ==, "1.0E+03   ");
  cryo_sim_pump_station_set_pressure_unit (model, CRYO_AGILENT_UNIT_PA);
  pa = cryo_sim_pump_station_dup_pressure_text (model);
  g_assert_cmpstr (pa, ==, "1.0E+05   ");
  cryo_sim_pump_station_set_pressure_unit (model, CRYO_AGILENT_UNIT_TORR);
  torr = cryo_sim_pump_station_dup_pressure_text (model);
  g_assert_cmpstr (torr, ==, "7.5E+02   ");

  g_assert_true (cryo_sim_pump_station_start (model));
  for (int i = 0; i < 400; i++)
    {
      cryo_sim_pump_station_tick (model, 1.0);
      cryo_sim_pump_station_set_pressure_unit (model, CRYO_AGILENT_UNIT_MBAR);
      check_pressure_text (model, 1.0);
      cryo_sim_pump_station_set_pressure_unit (model, CRYO_AGILENT_UNIT_PA);
      check_pressure_text (model, 100.0);
      cryo_sim_pump_station_set_pressure_unit (model, CRYO_AGILENT_UNIT_TORR);
      check_pressure_text (model, 0.750061683);
    }
}

static void
test_model_fault (void)
{
  g_autoptr(CryoSimPumpStation) model = cryo_sim_pump_station_new (TRUE, 6);

  cryo_sim_pump_station_set_error_bits (model, 0x02);
  g_assert_cmpuint (cryo_sim_pump_station_get_error_bits (model), ==, 0x02);
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_FAIL);
  g_assert_false (cryo_sim_pump_station_get_started (model));
  g_assert_false (cryo_sim_pump_station_start (model));

  cryo_sim_pump_station_tick (model, 30.0);
  g_assert_cmpfloat (cryo_sim_pump_station_get_rpm (model), <, 81000.0);
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_FAIL);

  /* A stop resets the fault. */
  cryo_sim_pump_station_stop (model);
  g_assert_cmpuint (cryo_sim_pump_station_get_error_bits (model), ==, 0);
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_BRAKING);
  g_assert_true (cryo_sim_pump_station_start (model));
  g_assert_cmpuint (cryo_sim_pump_station_get_status (model), ==, CRYO_AGILENT_STATUS_STARTING);
}

/* --- responder ---------------------------------------------------------- */

static void
test_responder_vectors (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  g_autoptr(GBytes) r205 = NULL;
  g_autoptr(GBytes) r000 = NULL;
  g_autoptr(GBytes) ack163 = NULL;
  g_autoptr(GBytes) r163 = NULL;
  g_autoptr(GBytes) ack358 = NULL;
  g_autoptr(GBytes) r358 = NULL;
  g_autoptr(GBytes) reset358 = NULL;
  g_autoptr(GBytes) w358 = NULL;
  g_autoptr(GError) error = NULL;

  /* agilent-window.md "Test vectors". */
  r205 = exchange_hex (responder, "02 80 32 30 35 30 03 38 34");
  assert_bytes_hex (r205, "02 80 32 30 35 30 30 30 30 30 30 30 03 38 34");
  r000 = exchange_hex (responder, "02 80 30 30 30 30 03 38 33");
  assert_bytes_hex (r000, "02 80 30 30 30 30 30 03 42 33");

  ack163 = exchange_hex (responder, "02 80 31 36 33 31 30 30 30 30 30 32 03 38 34");
  assert_bytes_hex (ack163, "02 80 06 03 38 35");
  r163 = exchange_hex (responder, "02 80 31 36 33 30 03 38 37");
  assert_bytes_hex (r163, "02 80 31 36 33 30 30 30 30 30 30 32 03 38 35");

  w358 = cryo_agilent_encode_write (0, 358, "001234", &error);
  g_assert_no_error (error);
  ack358 = exchange (responder, w358);
  assert_bytes_hex (ack358, "02 80 06 03 38 35");
  g_clear_pointer (&r358, g_bytes_unref);
  r358 = exchange_hex (responder, "02 80 33 35 38 30 03 38 44");
  assert_bytes_hex (r358, "02 80 33 35 38 30 30 30 31 32 33 34 03 38 39");

  reset358 = exchange_hex (responder, "02 80 33 35 38 31 30 30 30 30 30 30 03 38 43");
  assert_bytes_hex (reset358, "02 80 06 03 38 35");
  g_assert_cmpuint (read_numeric (responder, 358), ==, 0);
}

static void
test_responder_read_all (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (TRUE);
  CryoSimPumpStation *model = cryo_sim_agilent_responder_get_model (responder);
  static const guint logic[] = { 0, 8, 107, 167 };
  static const guint numeric[] = { 108, 163, 200, 201, 202, 203, 204, 205, 206, 226,
                                   300, 301, 302, 358 };
  CryoAgilentFrame frame;
  g_autoptr(GError) error = NULL;
  double pressure;
  guint rpm;

  cryo_sim_pump_station_tick (model, 1.0);

  for (guint i = 0; i < G_N_ELEMENTS (logic); i++)
    {
      read_window (responder, logic[i], &frame);
      g_assert_cmpuint (frame.data_len, ==, 1);
      g_assert_true (frame.data[0] == '0' || frame.data[0] == '1');
    }
  for (guint i = 0; i < G_N_ELEMENTS (numeric); i++)
    read_numeric (responder, numeric[i]);

  read_window (responder, 224, &frame);
  g_assert_cmpuint (frame.data_len, ==, 10);
  g_assert_true (cryo_agilent_reply_get_pressure (&frame, &pressure, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (pressure, >, 1e-7);
  g_assert_cmpfloat (pressure, <, 1e-6);

  read_window (responder, 0, &frame);
  g_assert_cmpstr (frame.data, ==, "1");
  read_window (responder, 8, &frame);
  g_assert_cmpstr (frame.data, ==, "0");

  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_NORMAL);
  g_assert_cmpuint (read_numeric (responder, 206), ==, 0);
  g_assert_cmpuint (read_numeric (responder, 163), ==, 0);
  g_assert_cmpuint (read_numeric (responder, 108), ==, 4);
  g_assert_cmpuint (read_numeric (responder, 358), ==, 4213);
  rpm = read_numeric (responder, 226);
  g_assert_cmpuint (rpm, >=, 80950);
  g_assert_cmpuint (rpm, <=, 81050);
  g_assert_cmpuint (read_numeric (responder, 203), ==, 1350);
  g_assert_cmpuint (read_numeric (responder, 201), ==, 24);
  g_assert_cmpuint (read_numeric (responder, 202), >, 0);
  g_assert_cmpuint (read_numeric (responder, 200), >, 0);

  /* Reads are not logged. */
  {
    g_auto(GStrv) log = cryo_sim_command_log_dup_lines (command_log (responder));
    g_assert_cmpuint (g_strv_length (log), ==, 0);
  }
}

static void
test_responder_errors (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  g_autoptr(GBytes) unknown_read = NULL;
  g_autoptr(GBytes) unknown_write = NULL;
  g_autoptr(GBytes) no_data = NULL;
  g_autoptr(GBytes) no_data_reply = NULL;
  g_auto(GStrv) log = NULL;

  /* 0x32 unknown window */
  unknown_read = exchange_hex (responder, "02 80 39 39 39 30 03 38 41");
  assert_bytes_hex (unknown_read, "02 80 32 03 42 31");
  unknown_write = exchange_hex (responder, "02 80 39 39 39 31 31 03 42 41");
  assert_bytes_hex (unknown_write, "02 80 32 03 42 31");

  /* 0x33 data type / length */
  g_assert_cmpuint (write_data (responder, 163, "2"), ==, CRYO_AGILENT_CODE_DATA_TYPE);
  g_assert_cmpuint (write_data (responder, 0, "000001"), ==, CRYO_AGILENT_CODE_DATA_TYPE);
  g_assert_cmpuint (write_data (responder, 0, "x"), ==, CRYO_AGILENT_CODE_DATA_TYPE);
  g_assert_cmpuint (write_data (responder, 358, "12a456"), ==, CRYO_AGILENT_CODE_DATA_TYPE);
  g_assert_cmpuint (write_data (responder, 163, "0000000002"), ==, CRYO_AGILENT_CODE_DATA_TYPE);
  no_data = raw_frame (0, "1631");
  no_data_reply = exchange (responder, no_data);
  g_assert_cmpuint (code_of (no_data_reply), ==, CRYO_AGILENT_CODE_DATA_TYPE);

  /* 0x34 out of range */
  g_assert_cmpuint (write_data (responder, 163, "000003"), ==, CRYO_AGILENT_CODE_OUT_OF_RANGE);
  g_assert_cmpuint (write_data (responder, 0, "2"), ==, CRYO_AGILENT_CODE_OUT_OF_RANGE);
  g_assert_cmpuint (write_data (responder, 167, "7"), ==, CRYO_AGILENT_CODE_OUT_OF_RANGE);
  g_assert_cmpuint (write_data (responder, 108, "000005"), ==, CRYO_AGILENT_CODE_OUT_OF_RANGE);
  g_assert_cmpuint (read_numeric (responder, 163), ==, 0);
  g_assert_cmpuint (read_numeric (responder, 108), ==, 4);

  /* 0x35 read-only windows */
  g_assert_cmpuint (write_data (responder, 205, "000005"), ==, CRYO_AGILENT_CODE_DISABLED);
  g_assert_cmpuint (write_data (responder, 226, "081000"), ==, CRYO_AGILENT_CODE_DISABLED);
  g_assert_cmpuint (write_data (responder, 224, "1.0E-09   "), ==, CRYO_AGILENT_CODE_DISABLED);
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_STOP);

  log = cryo_sim_command_log_dup_lines (command_log (responder));
  assert_log (log, (const char *const[]) {
    "999 1 UNKNOWN_WINDOW",
    "163 2 DATA_TYPE",
    "000 000001 DATA_TYPE",
    "000 x DATA_TYPE",
    "358 12a456 DATA_TYPE",
    "163 0000000002 DATA_TYPE",
    "163 - DATA_TYPE",
    "163 000003 OUT_OF_RANGE",
    "000 2 OUT_OF_RANGE",
    "167 7 OUT_OF_RANGE",
    "108 000005 OUT_OF_RANGE",
    "205 000005 DISABLED",
    "226 081000 DISABLED",
    "224 1.0E-09    DISABLED",
    NULL });
}

static void
test_responder_remote_mode (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  CryoSimPumpStation *model = cryo_sim_agilent_responder_get_model (responder);
  g_autoptr(GBytes) start = NULL;
  g_autoptr(GBytes) stop = NULL;
  g_autoptr(GBytes) serial = NULL;
  g_auto(GStrv) log = NULL;

  /* Remote mode: start/stop are refused. */
  g_assert_cmpuint (write_data (responder, 8, "1"), ==, CRYO_AGILENT_CODE_ACK);
  g_assert_true (cryo_sim_pump_station_get_remote (model));
  start = exchange_hex (responder, "02 80 30 30 30 31 31 03 42 33");
  assert_bytes_hex (start, "02 80 35 03 42 36");
  g_assert_false (cryo_sim_pump_station_get_started (model));
  g_assert_cmpuint (write_data (responder, 0, "0"), ==, CRYO_AGILENT_CODE_DISABLED);

  /* The seed's sequence: serial mode, then start. */
  serial = exchange_hex (responder, "02 80 30 30 38 31 30 03 42 41");
  assert_bytes_hex (serial, "02 80 06 03 38 35");
  g_clear_pointer (&start, g_bytes_unref);
  start = exchange_hex (responder, "02 80 30 30 30 31 31 03 42 33");
  assert_bytes_hex (start, "02 80 06 03 38 35");
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_STARTING);
  cryo_sim_pump_station_tick (model, 10.0);

  /* 008 cannot change while the pump runs. */
  g_assert_cmpuint (write_data (responder, 8, "1"), ==, CRYO_AGILENT_CODE_DISABLED);
  g_assert_cmpuint (write_data (responder, 8, "0"), ==, CRYO_AGILENT_CODE_DISABLED);

  stop = exchange_hex (responder, "02 80 30 30 30 31 30 03 42 32");
  assert_bytes_hex (stop, "02 80 06 03 38 35");
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_BRAKING);
  /* Still spinning. */
  g_assert_cmpuint (write_data (responder, 8, "1"), ==, CRYO_AGILENT_CODE_DISABLED);
  cryo_sim_pump_station_tick (model, 60.0);
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_STOP);
  g_assert_cmpuint (write_data (responder, 8, "1"), ==, CRYO_AGILENT_CODE_ACK);

  log = cryo_sim_command_log_dup_lines (command_log (responder));
  assert_log (log, (const char *const[]) {
    "008 1 ACK",
    "000 1 DISABLED",
    "000 0 DISABLED",
    "008 0 ACK",
    "000 1 ACK",
    "008 1 DISABLED",
    "008 0 DISABLED",
    "000 0 ACK",
    "008 1 DISABLED",
    "008 1 ACK",
    NULL });
}

static void
test_responder_fault_refuses_start (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  CryoSimPumpStation *model = cryo_sim_agilent_responder_get_model (responder);

  cryo_sim_pump_station_set_error_bits (model, 0x80);
  g_assert_cmpuint (read_numeric (responder, 206), ==, 0x80);
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_FAIL);
  g_assert_cmpuint (write_data (responder, 0, "1"), ==, CRYO_AGILENT_CODE_DISABLED);
  g_assert_cmpuint (write_data (responder, 0, "0"), ==, CRYO_AGILENT_CODE_ACK);
  g_assert_cmpuint (read_numeric (responder, 206), ==, 0);
  g_assert_cmpuint (write_data (responder, 0, "1"), ==, CRYO_AGILENT_CODE_ACK);
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_STARTING);
}

static void
test_responder_bad_crc (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  CryoSimPumpStation *model = cryo_sim_agilent_responder_get_model (responder);
  g_autoptr(GBytes) bad_start = NULL;
  g_autoptr(GBytes) seed_status = NULL;
  g_autoptr(GBytes) good = NULL;
  g_auto(GStrv) log = NULL;

  /* Start with CRC B4 instead of B3: silently dropped, not executed. */
  bad_start = exchange_hex (responder, "02 80 30 30 30 31 31 03 42 34");
  g_assert_null (bad_start);
  g_assert_false (cryo_sim_pump_station_get_started (model));

  /* The seed's status read: an extra data byte and a wrong CRC. */
  seed_status = exchange_hex (responder, "02 80 30 30 30 30 31 03 38 33");
  g_assert_null (seed_status);
  g_assert_cmpuint (cryo_sim_agilent_responder_get_n_bad_frames (responder), ==, 2);

  /* The next good frame is answered. */
  good = exchange_hex (responder, "02 80 32 30 35 30 03 38 34");
  assert_bytes_hex (good, "02 80 32 30 35 30 30 30 30 30 30 30 03 38 34");

  log = cryo_sim_command_log_dup_lines (command_log (responder));
  g_assert_cmpuint (g_strv_length (log), ==, 0);
}

static void
test_responder_address (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  g_autoptr(CryoSimPumpStation) model3 = cryo_sim_pump_station_new (FALSE, 7);
  g_autoptr(CryoSimAgilentResponder) responder3 = cryo_sim_agilent_responder_new (model3, 3);
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GBytes) none_write = NULL;
  g_autoptr(GBytes) reply3 = NULL;
  g_autoptr(GBytes) none3 = NULL;
  g_autoptr(GBytes) start3 = NULL;
  g_auto(GStrv) log = NULL;

  none = exchange_hex (responder, "02 83 32 30 35 30 03 38 37");
  g_assert_null (none);
  none_write = cryo_agilent_encode_write_logic (3, 0, TRUE);
  g_clear_pointer (&none, g_bytes_unref);
  none = exchange (responder, none_write);
  g_assert_null (none);
  g_assert_false (cryo_sim_pump_station_get_started (cryo_sim_agilent_responder_get_model (responder)));
  log = cryo_sim_command_log_dup_lines (command_log (responder));
  g_assert_cmpuint (g_strv_length (log), ==, 0);

  g_assert_cmpuint (cryo_sim_agilent_responder_get_address (responder3), ==, 3);
  reply3 = exchange_hex (responder3, "02 83 32 30 35 30 03 38 37");
  {
    CryoAgilentFrame frame;

    decode_one (reply3, &frame);
    g_assert_cmpuint (frame.address, ==, 3);
    g_assert_cmpuint (frame.window, ==, 205);
    g_assert_cmpstr (frame.data, ==, "000000");
  }
  none3 = exchange_hex (responder3, "02 80 32 30 35 30 03 38 34");
  g_assert_null (none3);
  start3 = exchange (responder3, none_write);
  g_assert_cmpuint (code_of (start3), ==, CRYO_AGILENT_CODE_ACK);
  g_assert_true (cryo_sim_pump_station_get_started (model3));
}

static void
test_responder_sync (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  g_autoptr(GBytes) request = hex_bytes ("41 0D 0A FF 03 02 80 32 30 35 30 03 38 34 "
                                         "02 80 30 30 30 30 03 38 33");
  gsize len;
  const guint8 *data = g_bytes_get_data (request, &len);
  guint n_replies = 0;
  GBytes *replies[2] = { NULL, NULL };

  /* Garbage, then two requests, one byte at a time: a reply exactly when
   * the second CRC character of each request arrives. */
  for (gsize i = 0; i < len; i++)
    {
      g_autoptr(GPtrArray) out = cryo_sim_responder_feed (CRYO_SIM_RESPONDER (responder), data + i, 1);

      if (i == 13 || i == len - 1)
        {
          g_assert_cmpuint (out->len, ==, 1);
          replies[n_replies++] = g_bytes_ref (g_ptr_array_index (out, 0));
        }
      else
        {
          g_assert_cmpuint (out->len, ==, 0);
        }
    }

  g_assert_cmpuint (n_replies, ==, 2);
  assert_bytes_hex (replies[0], "02 80 32 30 35 30 30 30 30 30 30 30 03 38 34");
  assert_bytes_hex (replies[1], "02 80 30 30 30 30 30 03 42 33");
  g_bytes_unref (replies[0]);
  g_bytes_unref (replies[1]);

  /* Both at once: two replies in order. */
  {
    g_autoptr(GPtrArray) out = cryo_sim_responder_feed (CRYO_SIM_RESPONDER (responder), data, len);

    g_assert_cmpuint (out->len, ==, 2);
    assert_bytes_hex (g_ptr_array_index (out, 1), "02 80 30 30 30 30 30 03 42 33");
  }
}

static void
test_responder_behaviour (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  CryoSimPumpStation *model = cryo_sim_agilent_responder_get_model (responder);
  g_autoptr(GBytes) start = NULL;
  CryoAgilentFrame frame;
  g_autoptr(GError) error = NULL;
  double p_vented, p_pumped, p_after;
  guint rpm, hz, tip_seal;

  read_window (responder, 224, &frame);
  g_assert_true (cryo_agilent_reply_get_pressure (&frame, &p_vented, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (p_vented, ==, 1000.0);
  tip_seal = read_numeric (responder, 358);

  start = exchange_hex (responder, "02 80 30 30 30 31 31 03 42 33");
  assert_bytes_hex (start, "02 80 06 03 38 35");
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_STARTING);
  read_window (responder, 0, &frame);
  g_assert_cmpstr (frame.data, ==, "1");

  cryo_sim_pump_station_tick (model, 60.0);
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_STARTING);
  rpm = read_numeric (responder, 226);
  hz = read_numeric (responder, 203);
  g_assert_cmpuint (rpm, >, 10000);
  g_assert_cmpuint (rpm, <, 80000);
  g_assert_cmpint (ABS ((int) hz - (int) (rpm / 60)), <=, 1);

  for (int i = 0; i < 3600; i++)
    cryo_sim_pump_station_tick (model, 1.0);
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_NORMAL);
  rpm = read_numeric (responder, 226);
  g_assert_cmpuint (rpm, >=, 80950);
  g_assert_cmpuint (read_numeric (responder, 203), ==, 1350);
  read_window (responder, 224, &frame);
  g_assert_true (cryo_agilent_reply_get_pressure (&frame, &p_pumped, &error));
  g_assert_cmpfloat (p_pumped, <, 1e-6);
  g_assert_cmpuint (read_numeric (responder, 358), ==, tip_seal + 1);

  /* Stop as the seed does: 000 = 0, then 167 = 1 to keep reading speed. */
  g_assert_cmpuint (write_data (responder, 0, "0"), ==, CRYO_AGILENT_CODE_ACK);
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_BRAKING);
  g_assert_cmpuint (read_numeric (responder, 226), ==, 0);
  g_assert_cmpuint (write_data (responder, 167, "1"), ==, CRYO_AGILENT_CODE_ACK);
  g_assert_cmpuint (read_numeric (responder, 226), >, 80000);
  cryo_sim_pump_station_tick (model, 600.0);
  g_assert_cmpuint (read_numeric (responder, 205), ==, CRYO_AGILENT_STATUS_STOP);
  g_assert_cmpuint (read_numeric (responder, 226), ==, 0);
  read_window (responder, 224, &frame);
  g_assert_true (cryo_agilent_reply_get_pressure (&frame, &p_after, &error));
  g_assert_cmpfloat (p_after, >, 100.0 * p_pumped);
  read_window (responder, 0, &frame);
  g_assert_cmpstr (frame.data, ==, "0");
}

static void
test_responder_command_log_file (void)
{
  g_autoptr(CryoSimAgilentResponder) responder = new_responder (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *bad = NULL;
  g_auto(GStrv) log = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "commands.log", NULL);
  g_assert_true (g_file_set_contents (path, "earlier line\n", -1, &error));

  g_assert_true (cryo_sim_command_log_set_path (command_log (responder), path, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (write_data (responder, 8, "0"), ==, CRYO_AGILENT_CODE_ACK);
  g_assert_cmpuint (write_data (responder, 0, "1"), ==, CRYO_AGILENT_CODE_ACK);
  /* Flushed per line: readable while the log still holds the file. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "earlier line\n008 0 ACK\n000 1 ACK\n");

  g_assert_cmpuint (write_data (responder, 163, "000002"), ==, CRYO_AGILENT_CODE_ACK);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "earlier line\n008 0 ACK\n000 1 ACK\n163 000002 ACK\n");

  log = cryo_sim_command_log_dup_lines (command_log (responder));
  assert_log (log, (const char *const[]) { "008 0 ACK", "000 1 ACK", "163 000002 ACK", NULL });

  bad = g_build_filename (dir, "missing", "commands.log", NULL);
  g_assert_false (cryo_sim_command_log_set_path (command_log (responder), bad, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_assert_true (cryo_sim_command_log_set_path (command_log (responder), NULL, NULL));
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --- server over a real pty ---------------------------------------------- */

/* Reads until a frame ends (ETX and two CRC characters, which are never
 * 0x03) or @timeout_ms pass. Returns what arrived, possibly nothing. */
static GBytes *
read_frame (int  fd,
            int  timeout_ms,
            gboolean until_timeout)
{
  GByteArray *buffer = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  for (;;)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      struct pollfd pfd = { fd, POLLIN, 0 };
      guint8 chunk[64];
      ssize_t n;
      int r;

      if (!until_timeout && buffer->len >= 3 && buffer->data[buffer->len - 3] == CRYO_AGILENT_ETX)
        break;
      if (left <= 0)
        break;

      r = poll (&pfd, 1, (int) (left / 1000) + 1);
      if (r < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (r, >=, 0);
      if (r == 0)
        continue;
      g_assert_true (pfd.revents & POLLIN);

      n = read (fd, chunk, sizeof chunk);
      g_assert_cmpint (n, >, 0);
      g_byte_array_append (buffer, chunk, (guint) n);
    }

  return g_byte_array_free_to_bytes (buffer);
}

static int
open_port (const char *path)
{
  struct termios tio;
  int fd = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);

  /* The server put the line in raw mode: ETX must not become SIGINT, no
   * echo, no CR/LF mapping, no output processing. */
  g_assert_cmpint (tcgetattr (fd, &tio), ==, 0);
  g_assert_cmpint (tio.c_lflag & (ISIG | ICANON | ECHO | IEXTEN), ==, 0);
  g_assert_cmpint (tio.c_iflag & (ICRNL | INLCR | IGNCR | IXON | ISTRIP), ==, 0);
  g_assert_cmpint (tio.c_oflag & OPOST, ==, 0);
  g_assert_cmpint (tio.c_cflag & CSIZE, ==, CS8);

  return fd;
}

static void
assert_status_reply (int   fd,
                     guint status)
{
  g_autoptr(GBytes) request = hex_bytes ("02 80 32 30 35 30 03 38 34");
  g_autofree char *data = g_strdup_printf ("%06u", status);
  g_autoptr(GBytes) expected = cryo_agilent_encode_reply_data (0, 205, data);
  g_autoptr(GBytes) reply = NULL;

  write_all (fd, request);
  reply = read_frame (fd, 2000, FALSE);
  g_assert_true (g_bytes_equal (reply, expected));
}

static void
test_server_pty (void)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-XXXXXX", &error);
  g_autofree char *link = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GBytes) stop = hex_bytes ("02 80 30 30 30 31 30 03 42 32");
  g_autoptr(GBytes) ack = NULL;
  g_auto(GStrv) log = NULL;
  struct pollfd pfd;
  struct stat st;
  guint8 byte;
  ssize_t n;
  int fd;

  g_assert_no_error (error);
  link = g_build_filename (dir, "pump", NULL);

  server = cryo_sim_pump_station_server_new (&options);
  g_assert_false (cryo_sim_server_is_running (server));
  g_assert_null (cryo_sim_server_get_path (server));
  g_assert_true (cryo_sim_server_start_pty (server, link, &error));
  g_assert_no_error (error);
  g_assert_true (cryo_sim_server_is_running (server));
  g_assert_cmpstr (cryo_sim_server_get_path (server), ==, link);
  g_assert_true (g_str_has_prefix (cryo_sim_server_get_pty_path (server), "/dev/pts/"));
  target = g_file_read_link (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (target, ==, cryo_sim_server_get_pty_path (server));

  fd = open_port (link);
  assert_status_reply (fd, CRYO_AGILENT_STATUS_NORMAL);
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 1);

  write_all (fd, stop);
  ack = read_frame (fd, 2000, FALSE);
  assert_bytes_hex (ack, "02 80 06 03 38 35");
  log = cryo_sim_server_dup_command_log (server);
  assert_log (log, (const char *const[]) { "000 0 ACK", NULL });
  g_assert_cmpuint (cryo_sim_pump_station_server_get_status (server), ==, CRYO_AGILENT_STATUS_BRAKING);
  g_assert_cmpfloat (cryo_sim_pump_station_server_get_rpm (server), >, 70000.0);
  g_assert_cmpfloat (cryo_sim_pump_station_server_get_pressure_mbar (server), <, 1e-5);

  /* A client closing and reopening the port finds it still served. */
  close (fd);
  fd = open_port (link);
  assert_status_reply (fd, CRYO_AGILENT_STATUS_BRAKING);
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 3);

  /* Stopping makes the port vanish. */
  cryo_sim_server_stop (server);
  g_assert_false (cryo_sim_server_is_running (server));
  g_assert_cmpint (lstat (link, &st), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);

  pfd.fd = fd;
  pfd.events = POLLIN;
  pfd.revents = 0;
  g_assert_cmpint (poll (&pfd, 1, 1000), ==, 1);
  g_assert_true (pfd.revents & (POLLHUP | POLLERR));
  n = read (fd, &byte, 1);
  g_assert_true (n == 0 || (n < 0 && errno == EIO));
  close (fd);

  /* Started again (the adapter came back): same link, new pty, same model. */
  g_assert_true (cryo_sim_server_start_pty (server, link, &error));
  g_assert_no_error (error);
  fd = open_port (link);
  assert_status_reply (fd, CRYO_AGILENT_STATUS_BRAKING);
  close (fd);
  g_clear_pointer (&log, g_strfreev);
  log = cryo_sim_server_dup_command_log (server);
  assert_log (log, (const char *const[]) { "000 0 ACK", NULL });

  /* Disposing stops too. */
  g_assert_finalize_object (g_steal_pointer (&server));
  g_assert_cmpint (lstat (link, &st), ==, -1);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_server_link (void)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-XXXXXX", &error);
  g_autofree char *file = NULL;
  g_autofree char *link = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *target = NULL;

  g_assert_no_error (error);
  file = g_build_filename (dir, "regular", NULL);
  link = g_build_filename (dir, "stale-link", NULL);
  g_assert_true (g_file_set_contents (file, "keep me", -1, &error));
  g_assert_cmpint (symlink ("/nonexistent/ttyUSB9", link), ==, 0);

  server = cryo_sim_pump_station_server_new (&options);

  /* A regular file is never replaced. */
  g_assert_false (cryo_sim_server_start_pty (server, file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (cryo_sim_server_is_running (server));
  g_assert_true (g_file_get_contents (file, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "keep me");

  /* A stale symbolic link is. */
  g_assert_true (cryo_sim_server_start_pty (server, link, &error));
  g_assert_no_error (error);
  target = g_file_read_link (link, &error);
  g_assert_cmpstr (target, ==, cryo_sim_server_get_pty_path (server));
  cryo_sim_server_stop (server);
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));

  /* Without a link the path is the pty's. */
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (cryo_sim_server_get_path (server), "/dev/pts/"));
  {
    int fd = open_port (cryo_sim_server_get_path (server));

    assert_status_reply (fd, CRYO_AGILENT_STATUS_NORMAL);
    close (fd);
  }
  cryo_sim_server_stop (server);

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_server_faults (void)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) request = hex_bytes ("02 80 32 30 35 30 03 38 34");
  g_autoptr(GBytes) expected = cryo_agilent_encode_reply_data (0, 205, "000005");
  g_autoptr(GBytes) nothing = NULL;
  g_autoptr(GBytes) early = NULL;
  g_autoptr(GBytes) late = NULL;
  gint64 sent;
  int fd;

  options.server.drop = 1.0;
  server = cryo_sim_pump_station_server_new (&options);
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  fd = open_port (cryo_sim_server_get_path (server));

  /* Dropped. */
  write_all (fd, request);
  nothing = read_frame (fd, 300, TRUE);
  g_assert_cmpuint (g_bytes_get_size (nothing), ==, 0);
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 0);

  /* Corrupted: same length, exactly one byte differs. */
  cryo_sim_server_set_faults (server, 1.0, 0.0, 0);
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) corrupted = NULL;
      const guint8 *a, *b;
      gsize len, n_diff = 0;

      write_all (fd, request);
      corrupted = read_frame (fd, 300, TRUE);
      g_assert_cmpuint (g_bytes_get_size (corrupted), ==, g_bytes_get_size (expected));
      a = g_bytes_get_data (corrupted, &len);
      b = g_bytes_get_data (expected, NULL);
      for (gsize j = 0; j < len; j++)
        n_diff += a[j] != b[j];
      g_assert_cmpuint (n_diff, ==, 1);
    }
  g_assert_cmpuint (cryo_sim_server_get_n_replies (server), ==, 5);

  /* Delayed by 400 ms. */
  cryo_sim_server_set_faults (server, 0.0, 0.0, 400);
  sent = g_get_monotonic_time ();
  write_all (fd, request);
  early = read_frame (fd, 150, TRUE);
  g_assert_cmpuint (g_bytes_get_size (early), ==, 0);
  late = read_frame (fd, 2000, FALSE);
  g_assert_true (g_bytes_equal (late, expected));
  g_assert_cmpint (g_get_monotonic_time () - sent, >=, 390 * 1000);

  /* Error bits injected from another thread. */
  cryo_sim_server_set_faults (server, 0.0, 0.0, 0);
  cryo_sim_pump_station_server_set_error_bits (server, 0x04);
  assert_status_reply (fd, CRYO_AGILENT_STATUS_FAIL);

  close (fd);
  cryo_sim_server_stop (server);
}

static void
test_server_speed (void)
{
  CryoSimPumpStationOptions options = CRYO_SIM_PUMP_STATION_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) start = hex_bytes ("02 80 30 30 30 31 31 03 42 33");
  g_autoptr(GBytes) ack = NULL;
  gint64 deadline;
  int fd;

  /* 300× real time: the 2¼ minute spin-up takes about half a second. */
  options.server.speed = 300.0;
  options.running = FALSE;
  options.pressure_unit = 2;
  server = cryo_sim_pump_station_server_new (&options);
  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);
  fd = open_port (cryo_sim_server_get_path (server));

  assert_status_reply (fd, CRYO_AGILENT_STATUS_STOP);
  write_all (fd, start);
  ack = read_frame (fd, 2000, FALSE);
  assert_bytes_hex (ack, "02 80 06 03 38 35");

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (cryo_sim_pump_station_server_get_status (server) != CRYO_AGILENT_STATUS_NORMAL
         && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  assert_status_reply (fd, CRYO_AGILENT_STATUS_NORMAL);

  close (fd);
  cryo_sim_server_stop (server);
}

/* --- the cryomon-sim executable ------------------------------------------- */

static void
test_binary_serves (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cryo-sim-XXXXXX", &error);
  g_autofree char *link = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GBytes) start = hex_bytes ("02 80 30 30 30 31 31 03 42 33");
  g_autoptr(GBytes) ack = NULL;
  g_autoptr(GBytes) r163 = NULL;
  g_autoptr(GBytes) read163 = hex_bytes ("02 80 31 36 33 30 03 38 37");
  int fd;

  g_assert_no_error (error);
  link = g_build_filename (dir, "ttyPUMP", NULL);
  log_path = g_build_filename (dir, "commands.log", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              sim_binary (), "pump-station", "--link", link,
                              "--state", "stopped", "--unit", "Torr",
                              "--command-log", log_path, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, link);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));

  fd = open_port (link);
  assert_status_reply (fd, CRYO_AGILENT_STATUS_STOP);
  write_all (fd, read163);
  r163 = read_frame (fd, 2000, FALSE);
  assert_bytes_hex (r163, "02 80 31 36 33 30 30 30 30 30 30 32 03 38 35");
  write_all (fd, start);
  ack = read_frame (fd, 2000, FALSE);
  assert_bytes_hex (ack, "02 80 06 03 38 35");
  assert_status_reply (fd, CRYO_AGILENT_STATUS_STARTING);

  g_assert_true (g_file_get_contents (log_path, &log, NULL, &error));
  g_assert_cmpstr (log, ==, "000 1 ACK\n");

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  close (fd);

  g_assert_cmpint (g_unlink (log_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_binary_usage (void)
{
  run_usage_error ("pump-station", "cryo-cooler", NULL);
  run_usage_error ("instrument type", NULL);
  run_usage_error ("--corrupt", "pump-station", "--corrupt", "1.5", NULL);
  run_usage_error ("--state", "pump-station", "--state", "idle", NULL);
  run_usage_error ("--unit", "pump-station", "--unit", "psi", NULL);
  run_usage_error ("--address", "pump-station", "--address", "32", NULL);
  run_usage_error ("--speed", "pump-station", "--speed", "0", NULL);
  run_usage_error ("nknown option", "pump-station", "--bogus", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/model/spin-up", test_model_spin_up);
  g_test_add_func ("/sim/model/stop", test_model_stop);
  g_test_add_func ("/sim/model/speed-after-stop", test_model_speed_after_stop);
  g_test_add_func ("/sim/model/tip-seal", test_model_tip_seal);
  g_test_add_func ("/sim/model/pressure-text", test_model_pressure_text);
  g_test_add_func ("/sim/model/fault", test_model_fault);
  g_test_add_func ("/sim/responder/vectors", test_responder_vectors);
  g_test_add_func ("/sim/responder/read-all", test_responder_read_all);
  g_test_add_func ("/sim/responder/errors", test_responder_errors);
  g_test_add_func ("/sim/responder/remote-mode", test_responder_remote_mode);
  g_test_add_func ("/sim/responder/fault-refuses-start", test_responder_fault_refuses_start);
  g_test_add_func ("/sim/responder/bad-crc", test_responder_bad_crc);
  g_test_add_func ("/sim/responder/address", test_responder_address);
  g_test_add_func ("/sim/responder/sync", test_responder_sync);
  g_test_add_func ("/sim/responder/behaviour", test_responder_behaviour);
  g_test_add_func ("/sim/responder/command-log-file", test_responder_command_log_file);
  g_test_add_func ("/sim/server/pty", test_server_pty);
  g_test_add_func ("/sim/server/link", test_server_link);
  g_test_add_func ("/sim/server/faults", test_server_faults);
  g_test_add_func ("/sim/server/speed", test_server_speed);
  g_test_add_func ("/sim/binary/serves", test_binary_serves);
  g_test_add_func ("/sim/binary/usage", test_binary_usage);

  return g_test_run ();
}
