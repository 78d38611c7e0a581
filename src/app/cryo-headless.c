/* cryo-headless.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `cryomon --headless`: the same devices, interlocks and CSV writer as the
 * window, driven from the command line for scripts and cron jobs.
 */

#define G_LOG_DOMAIN "cryo-headless"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>

#include "cryo-csv.h"
#include "cryo-display-units.h"
#include "cryo-headless.h"
#include "cryo-protocol-error.h"

/* The CSV is written while the run goes on, so that a killed run leaves
 * what it logged: a poll's samples become rows, written to the file before
 * the poll's line is printed; samples that came without a poll (the gaps
 * marked when a link drops) within a second. */
#define CSV_FLUSH_INTERVAL_MS 1000

/* The longest single wait of the --duration timer; longer runs re-arm it. */
#define MAX_TIMEOUT_MS (24 * 60 * 60 * 1000)

typedef struct _Headless Headless;

/* One sample waiting to become part of a CSV row. */
typedef struct
{
  gint64 time_us;
  guint  column;
  double value;
} PendingSample;

/* A device's place in the CSV: its columns start at @first_column, one per
 * channel in channel order. */
typedef struct
{
  Headless   *headless;
  CryoDevice *device;
  guint       first_column;
  GArray     *pending;    /* PendingSample, in the order they were pushed */
} DeviceLog;

struct _Headless
{
  const CryoHeadlessOptions *options;
  GPtrArray                 *devices;
  DeviceLog                 *logs;
  CryoCsvWriter             *csv;
  GMainLoop                 *loop;
  CryoDevice                *action_device;
  char                      *action_name;
  double                     action_params[CRYO_ACTION_MAX_PARAMS];
  gboolean                   spans_devices;
  int                        exit_code;
  guint                      n_complete_polls;
  guint                      action_started : 1;
  guint                      action_done : 1;
  guint                      duration_over : 1;
  guint                      interrupted : 1;
  guint                      polls_after_action;
  gint64                     deadline_us;
  guint                      duration_source;
  guint                      give_up_source;
  guint                      flush_source;
};

/* The unit a channel is printed and exported in: what the window shows. */
static CryoUnit
output_unit (Headless    *headless,
             CryoChannel *channel)
{
  return cryo_display_unit_for_channel (headless->options->settings, channel);
}

static void
print_poll (Headless   *headless,
            CryoDevice *device)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *status = cryo_device_dup_status_text (device);
  GPtrArray *channels = cryo_device_get_channels (device);
  CryoLink *link;

  g_autofree char *state = cryo_device_dup_state_text (device);

  g_string_append_printf (line, "%s \"%s\"", stamp, cryo_device_get_name (device));
  if (state != NULL)
    g_string_append_printf (line, " state=\"%s\"", state);

  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      CryoReading reading = cryo_channel_get_reading (channel);
      CryoUnit unit = output_unit (headless, channel);
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      char format[16];
      guint digits;

      if (isnan (reading.value))
        {
          g_string_append_printf (line, " %s=missing", cryo_channel_get_csv_name (channel));
          continue;
        }

      /* The instrument's resolution in significant digits, as in exports. */
      digits = MAX (cryo_channel_get_digits (channel), 1);
      if (cryo_channel_get_scale (channel) == CRYO_SCALE_LOG)
        g_snprintf (format, sizeof format, "%%.%ue", digits - 1);
      else
        g_snprintf (format, sizeof format, "%%.%ug", digits);
      g_ascii_formatd (number, sizeof number, format,
                       cryo_unit_convert (reading.value, cryo_channel_get_unit (channel), unit));
      g_string_append_printf (line, " %s=%s %s", cryo_channel_get_csv_name (channel),
                              number, cryo_unit_get_symbol (unit));
    }

  link = cryo_device_get_link (device);
  g_string_append_printf (line, " link=%u%%", cryo_link_get_quality (link));
  /* A stream's counts, for a log that shows how many lines were dropped. */
  if (cryo_link_is_stream (link))
    g_string_append_printf (line, " valid=%" G_GUINT64_FORMAT " dropped=%" G_GUINT64_FORMAT,
                            cryo_link_get_n_messages (link), cryo_link_get_n_decode_errors (link));
  g_string_append_printf (line, " (%s)", status);
  g_print ("%s\n", line->str);
}

/* Opens the CSV with a column for every channel of every device, named
 * `<device>_<channel>` when the file spans devices: the columns are fixed
 * before the first reading, so every row has all of them. */
static gboolean
open_csv (Headless  *headless,
          GError   **error)
{
  g_autoptr(GArray) columns = g_array_new (FALSE, TRUE, sizeof (CryoCsvColumn));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint d = 0; d < headless->devices->len; d++)
    {
      GPtrArray *channels = cryo_device_get_channels (g_ptr_array_index (headless->devices, d));

      headless->logs[d].first_column = columns->len;

      for (guint i = 0; i < channels->len; i++)
        {
          CryoChannel *channel = g_ptr_array_index (channels, i);
          CryoCsvColumn column = { 0 };

          if (headless->spans_devices)
            {
              char *name = cryo_channel_dup_device_csv_name (channel);

              g_ptr_array_add (names, name);
              column.name = name;
            }
          else
            column.name = cryo_channel_get_csv_name (channel);
          column.stored_unit = cryo_channel_get_unit (channel);
          column.unit = output_unit (headless, channel);
          column.digits = cryo_channel_get_digits (channel);
          g_array_append_val (columns, column);
        }
    }

  headless->csv = cryo_csv_writer_new (headless->options->csv_path,
                                       (const CryoCsvColumn *) (gpointer) columns->data,
                                       columns->len, error);

  return headless->csv != NULL;
}

static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const PendingSample *pa = a;
  const PendingSample *pb = b;

  return (pa->time_us > pb->time_us) - (pa->time_us < pb->time_us);
}

/* Turns a device's waiting samples into rows, one per distinct time, as an
 * export does; of two samples of one channel at one time the later wins. */
static gboolean
add_pending_rows (DeviceLog  *log,
                  GError    **error)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (CryoCsvCell));
  GArray *pending = log->pending;
  guint i = 0;

  /* Stable: samples of one time stay in the order they were pushed. */
  g_array_sort (pending, compare_pending);

  while (i < pending->len)
    {
      gint64 time_us = g_array_index (pending, PendingSample, i).time_us;

      g_array_set_size (cells, 0);
      for (; i < pending->len && g_array_index (pending, PendingSample, i).time_us == time_us; i++)
        {
          const PendingSample *sample = &g_array_index (pending, PendingSample, i);
          CryoCsvCell cell = { sample->column, sample->value };

          g_array_append_val (cells, cell);
        }

      if (!cryo_csv_writer_add_row (log->headless->csv, time_us,
                                    (const CryoCsvCell *) (gpointer) cells->data, cells->len, error))
        {
          g_array_remove_range (pending, 0, i);
          return FALSE;
        }
    }

  g_array_set_size (pending, 0);
  return TRUE;
}

/* Writes the rows of @log's device, or of every device when @log is NULL.
 * A CSV that cannot be written any more ends the run: what it was for is
 * lost. */
static void
write_csv_rows (Headless  *headless,
                DeviceLog *log)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (headless->csv == NULL)
    return;

  if (log != NULL)
    ok = add_pending_rows (log, &error);
  else
    for (guint i = 0; i < headless->devices->len && ok; i++)
      ok = add_pending_rows (&headless->logs[i], &error);

  if (ok)
    ok = cryo_csv_writer_flush (headless->csv, &error);

  if (!ok)
    {
      g_printerr ("--csv: %s\n", error->message);
      g_clear_pointer (&headless->csv, cryo_csv_writer_free);
      if (headless->exit_code == CRYO_HEADLESS_EXIT_OK)
        headless->exit_code = CRYO_HEADLESS_EXIT_DEVICE;
      g_main_loop_quit (headless->loop);
    }
}

static void
on_device_sample_cb (CryoDevice  *device,
                     CryoChannel *channel,
                     gint64       time_us,
                     double       value,
                     DeviceLog   *log)
{
  PendingSample sample = { time_us, 0, value };
  guint index;

  if (log->headless->csv == NULL ||
      !g_ptr_array_find (cryo_device_get_channels (device), channel, &index))
    return;

  sample.column = log->first_column + index;
  g_array_append_val (log->pending, sample);
}

static gboolean
on_flush_timeout_cb (gpointer user_data)
{
  write_csv_rows (user_data, NULL);
  return G_SOURCE_CONTINUE;
}

/**
 * cryo_headless_exit_for:
 * @error: why an action did not complete
 *
 * Returns: the exit code that says it: 0 when what the action would do
 *   was already so (nothing sent), 3 for a refusal (a parameter out of
 *   range, an interlock, the instrument's own refusal), 4 when the command
 *   was sent but its outcome is unknown, 2 for an unknown action or
 *   parameter, 1 for everything else (the port, the device)
 */
CryoHeadlessExit
cryo_headless_exit_for (const GError *error)
{
  g_return_val_if_fail (error != NULL, CRYO_HEADLESS_EXIT_DEVICE);

  if (error->domain == CRYO_DEVICE_ERROR)
    {
      switch ((CryoDeviceError) error->code)
        {
        case CRYO_DEVICE_ERROR_REFUSED:
        case CRYO_DEVICE_ERROR_OUT_OF_RANGE:
        case CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED:
          return CRYO_HEADLESS_EXIT_REFUSED;

        case CRYO_DEVICE_ERROR_UNCONFIRMED:
          return CRYO_HEADLESS_EXIT_UNCONFIRMED;

        case CRYO_DEVICE_ERROR_IN_EFFECT:
          return CRYO_HEADLESS_EXIT_OK;

        case CRYO_DEVICE_ERROR_UNKNOWN_ACTION:
        case CRYO_DEVICE_ERROR_INVALID_PARAMETER:
        case CRYO_DEVICE_ERROR_INVALID_CONFIG:
          return CRYO_HEADLESS_EXIT_USAGE;

        case CRYO_DEVICE_ERROR_BUSY:
        case CRYO_DEVICE_ERROR_NOT_MONITORING:
        case CRYO_DEVICE_ERROR_FAILED:
        default:
          return CRYO_HEADLESS_EXIT_DEVICE;
        }
    }

  return CRYO_HEADLESS_EXIT_DEVICE;
}

static void
on_action_finished_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Headless *headless = user_data;
  CryoDevice *device = CRYO_DEVICE (object);
  g_autoptr(GError) error = NULL;

  headless->action_done = TRUE;

  if (!cryo_device_run_action_finish (device, result, &error) &&
      g_error_matches (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_IN_EFFECT))
    {
      /* The state a script asks for is there: done, without a command. */
      g_print (_("%s: %s: nothing to do: %s\n"), cryo_device_get_name (device),
               headless->action_name, error->message);
      g_main_loop_quit (headless->loop);
      return;
    }

  if (error != NULL)
    {
      headless->exit_code = cryo_headless_exit_for (error);

      if (headless->exit_code == CRYO_HEADLESS_EXIT_REFUSED)
        g_printerr (_("%s: %s refused: %s\n"), cryo_device_get_name (device),
                    headless->action_name, error->message);
      else if (headless->exit_code == CRYO_HEADLESS_EXIT_UNCONFIRMED)
        g_printerr (_("%s: %s sent, outcome unknown: %s\n"), cryo_device_get_name (device),
                    headless->action_name, error->message);
      else
        g_printerr (_("%s: %s failed: %s\n"), cryo_device_get_name (device),
                    headless->action_name, error->message);
      g_main_loop_quit (headless->loop);
      return;
    }

  g_print (_("%s: %s done\n"), cryo_device_get_name (device), headless->action_name);

  /* --duration ran out while the command was on its way. */
  if (headless->duration_over)
    g_main_loop_quit (headless->loop);
}

static void
on_device_polled_cb (CryoDevice *device,
                     DeviceLog  *log)
{
  Headless *headless = log->headless;
  CryoDeviceState state = cryo_device_get_state (device);

  /* In the file before on the screen: a script that saw the line finds
   * the row, even if the run is killed right after. */
  write_csv_rows (headless, log);

  if (state != CRYO_DEVICE_STATE_ONLINE && state != CRYO_DEVICE_STATE_STALE &&
      state != CRYO_DEVICE_STATE_ERROR && state != CRYO_DEVICE_STATE_DISCONNECTED)
    return;

  print_poll (headless, device);

  if (state == CRYO_DEVICE_STATE_ONLINE)
    headless->n_complete_polls++;

  if (device != headless->action_device)
    return;

  if (!headless->action_started && state == CRYO_DEVICE_STATE_ONLINE)
    {
      headless->action_started = TRUE;
      cryo_device_run_action_async (device, headless->action_name, headless->action_params,
                                    NULL, on_action_finished_cb, headless);
    }
  else if (headless->action_done && headless->options->duration_s <= 0)
    {
      /* The poll after the action shows what the instrument did. */
      if (++headless->polls_after_action >= 1)
        g_main_loop_quit (headless->loop);
    }
}

static gboolean on_duration_elapsed_cb (gpointer user_data);

static void
arm_duration (Headless *headless)
{
  gint64 remaining_ms = (headless->deadline_us - g_get_monotonic_time () + 999) / 1000;

  headless->duration_source = g_timeout_add ((guint) CLAMP (remaining_ms, 0, MAX_TIMEOUT_MS),
                                             on_duration_elapsed_cb, headless);
}

static gboolean
on_duration_elapsed_cb (gpointer user_data)
{
  Headless *headless = user_data;

  headless->duration_source = 0;

  if (g_get_monotonic_time () < headless->deadline_us)
    {
      arm_duration (headless);
      return G_SOURCE_REMOVE;
    }

  headless->duration_over = TRUE;

  /* A command on its way is not abandoned: its outcome is what the run
   * reports. The device's own timeouts bound the wait. */
  if (!headless->action_started || headless->action_done)
    g_main_loop_quit (headless->loop);

  return G_SOURCE_REMOVE;
}

/* An action without --duration waits for the device's first complete poll,
 * but not forever: a station that never answers is a device error. */
static gboolean
on_give_up_cb (gpointer user_data)
{
  Headless *headless = user_data;

  headless->give_up_source = 0;
  if (!headless->action_started)
    g_main_loop_quit (headless->loop);
  return G_SOURCE_REMOVE;
}

/* SIGINT, SIGTERM and SIGHUP (the SSH session closed) end the run as
 * --duration does, with the CSV complete. */
static gboolean
on_signal_cb (gpointer user_data)
{
  Headless *headless = user_data;

  headless->interrupted = TRUE;
  g_main_loop_quit (headless->loop);
  return G_SOURCE_CONTINUE;
}

/* Finds the device an `--action` names: by its name, or by its kind id
 * when exactly one device is of that kind. */
static CryoDevice *
find_action_device (GPtrArray   *devices,
                    const char  *device_text,
                    GError     **error)
{
  CryoDevice *by_kind = NULL;
  guint n_by_kind = 0;

  for (guint i = 0; i < devices->len; i++)
    {
      CryoDevice *device = g_ptr_array_index (devices, i);

      if (g_str_equal (cryo_device_get_name (device), device_text))
        return device;

      if (g_str_equal (cryo_device_get_kind (device)->id, device_text))
        {
          by_kind = device;
          n_by_kind++;
        }
    }

  if (n_by_kind == 1)
    return by_kind;

  if (n_by_kind > 1)
    g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                 _("--action: %u devices are of type “%s”: name one of them"), n_by_kind, device_text);
  else
    g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_INVALID_CONFIG,
                 _("--action: no device “%s” is configured"), device_text);

  return NULL;
}

/* `DEVICE:ACTION[,PARAM=VALUE]…`: the device is everything before the last
 * colon ahead of the first comma, so a device name may contain colons. */
static int
parse_action (Headless   *headless,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  const char *colon = strrchr (parts[0], ':');
  g_autofree char *device_text = NULL;
  const CryoDeviceAction *action;

  if (colon == NULL || colon == parts[0] || colon[1] == '\0')
    {
      g_printerr (_("--action must be DEVICE:ACTION[,PARAM=VALUE]…, e.g. pump-station:start\n"));
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  device_text = g_strndup (parts[0], colon - parts[0]);
  headless->action_device = find_action_device (headless->devices, device_text, &error);
  if (headless->action_device == NULL)
    {
      g_printerr ("%s\n", error->message);
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  action = cryo_device_lookup_action (headless->action_device, colon + 1);
  if (action == NULL)
    {
      g_autoptr(GString) known = g_string_new (NULL);
      const CryoDeviceAction *actions = cryo_device_get_actions (headless->action_device);

      for (guint i = 0; actions[i].name != NULL; i++)
        g_string_append_printf (known, "%s%s", i ? ", " : "", actions[i].name);

      g_printerr (_("--action: %s has no action “%s” (known: %s)\n"),
                  cryo_device_get_name (headless->action_device), colon + 1, known->str);
      return CRYO_HEADLESS_EXIT_USAGE;
    }

  headless->action_name = g_strdup (action->name);

  /* Out of range is refused before any port is opened. */
  if (!cryo_device_action_parse_params (action, (const char * const *) parts + 1,
                                        headless->action_params, &error) ||
      !cryo_device_action_check_params (action, headless->action_params, &error))
    {
      g_printerr ("--action: %s\n", error->message);
      return cryo_headless_exit_for (error);
    }

  return CRYO_HEADLESS_EXIT_OK;
}

/* Says why an --action did not complete when the run ended without its
 * outcome, and returns the exit code for it (or @exit_code). */
static int
report_unfinished_action (Headless *headless,
                          int       exit_code)
{
  const char *name;

  if (headless->action_device == NULL || headless->action_done)
    return exit_code;

  name = cryo_device_get_name (headless->action_device);

  if (headless->action_started)
    {
      /* A signal, or a CSV that could not be written, ended the run while
       * the command was on its way. Translators: "Pumping station: start
       * interrupted, outcome unknown" */
      g_printerr (_("%s: %s interrupted, outcome unknown\n"), name, headless->action_name);
      return exit_code == CRYO_HEADLESS_EXIT_OK ? CRYO_HEADLESS_EXIT_UNCONFIRMED : exit_code;
    }

  /* Translators: "Pumping station: start was not run: …" */
  if (headless->interrupted)
    g_printerr (_("%s: %s was not run: interrupted before a complete reading\n"),
                name, headless->action_name);
  else if (headless->options->duration_s > 0)
    g_printerr (_("%s: %s was not run: no complete reading within --duration (%g s)\n"),
                name, headless->action_name, headless->options->duration_s);
  else
    g_printerr (_("%s: %s was not run: no complete reading within %d s\n"),
                name, headless->action_name, CRYO_HEADLESS_ACTION_TIMEOUT_S);

  return exit_code == CRYO_HEADLESS_EXIT_OK ? CRYO_HEADLESS_EXIT_DEVICE : exit_code;
}

static void
headless_clear (Headless *headless)
{
  for (guint i = 0; headless->logs != NULL && i < headless->devices->len; i++)
    g_clear_pointer (&headless->logs[i].pending, g_array_unref);
  g_clear_pointer (&headless->logs, g_free);
  g_clear_pointer (&headless->csv, cryo_csv_writer_free);
  g_clear_pointer (&headless->action_name, g_free);
  g_clear_pointer (&headless->loop, g_main_loop_unref);
  g_clear_pointer (&headless->devices, g_ptr_array_unref);
}

/**
 * cryo_headless_run:
 * @devices: (element-type CryoDevice): the devices to monitor
 * @options: what to do; @options->duration_s must be 0 or finite and
 *   positive
 *
 * Monitors @devices without a window: prints one line per poll with the
 * device name, its state and readings in the display units, and runs
 * @options->action through the same range check and interlock as the
 * window (without confirmation) after that device's first complete poll.
 * Runs the default main context until @options->duration_s has passed (an
 * action on its way is waited for), or without a duration until the poll
 * after the action, or until SIGINT, SIGTERM or SIGHUP. Without a duration
 * or an action it is a service: it runs until one of those signals, then
 * stops monitoring and returns %CRYO_HEADLESS_EXIT_OK.
 *
 * With @options->csv_path, the file is opened before any device is: a path
 * that cannot be written ends the run at once with
 * %CRYO_HEADLESS_EXIT_DEVICE. Every reading is then written while the run
 * goes on (see cryo_csv_writer_new()): a poll's rows before its line is
 * printed, others within a second, so a killed run leaves its log.
 *
 * Returns: a #CryoHeadlessExit code: also %CRYO_HEADLESS_EXIT_DEVICE when
 *   no device gave a complete reading (except in a service run) or the
 *   action never ran, and
 *   %CRYO_HEADLESS_EXIT_UNCONFIRMED when a signal ended the run while the
 *   action was on its way
 */
int
cryo_headless_run (GListModel                *devices,
                   const CryoHeadlessOptions *options)
{
  Headless headless = { 0 };
  guint signal_sources[3];
  const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  int status;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (devices), CRYO_HEADLESS_EXIT_USAGE);
  g_return_val_if_fail (options != NULL, CRYO_HEADLESS_EXIT_USAGE);
  g_return_val_if_fail (options->duration_s == 0 ||
                        (isfinite (options->duration_s) && options->duration_s > 0),
                        CRYO_HEADLESS_EXIT_USAGE);

  headless.options = options;
  headless.devices = g_ptr_array_new_with_free_func (g_object_unref);
  n = g_list_model_get_n_items (devices);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (headless.devices, g_list_model_get_item (devices, i));
  headless.spans_devices = n > 1;
  headless.logs = g_new0 (DeviceLog, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      headless.logs[i].headless = &headless;
      headless.logs[i].device = g_ptr_array_index (headless.devices, i);
      headless.logs[i].pending = g_array_new (FALSE, FALSE, sizeof (PendingSample));
    }
  headless.loop = g_main_loop_new (NULL, FALSE);

  if (options->action != NULL)
    {
      status = parse_action (&headless, options->action);

      if (status != CRYO_HEADLESS_EXIT_OK)
        {
          headless_clear (&headless);
          return status;
        }
    }

  if (options->csv_path != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!open_csv (&headless, &error))
        {
          g_printerr ("--csv: %s\n", error->message);
          headless_clear (&headless);
          return CRYO_HEADLESS_EXIT_DEVICE;
        }
      headless.flush_source = g_timeout_add (CSV_FLUSH_INTERVAL_MS, on_flush_timeout_cb, &headless);
    }

  for (guint i = 0; i < headless.devices->len; i++)
    {
      CryoDevice *device = g_ptr_array_index (headless.devices, i);

      g_signal_connect (device, "sample", G_CALLBACK (on_device_sample_cb), &headless.logs[i]);
      g_signal_connect (device, "polled", G_CALLBACK (on_device_polled_cb), &headless.logs[i]);
      cryo_device_set_monitoring (device, TRUE);
    }

  if (options->duration_s > 0)
    {
      double duration_us = options->duration_s * G_USEC_PER_SEC;
      gint64 now_us = g_get_monotonic_time ();

      /* Finite but beyond any clock: run until a signal. */
      headless.deadline_us = duration_us < (double) (G_MAXINT64 / 2) ? now_us + (gint64) ceil (duration_us)
                                                                      : G_MAXINT64;
      arm_duration (&headless);
    }
  else if (headless.action_device != NULL)
    headless.give_up_source = g_timeout_add_seconds (CRYO_HEADLESS_ACTION_TIMEOUT_S,
                                                     on_give_up_cb, &headless);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    signal_sources[i] = g_unix_signal_add (signals[i], on_signal_cb, &headless);

  g_main_loop_run (headless.loop);

  g_clear_handle_id (&headless.duration_source, g_source_remove);
  g_clear_handle_id (&headless.give_up_source, g_source_remove);
  g_clear_handle_id (&headless.flush_source, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_source_remove (signal_sources[i]);

  for (guint i = 0; i < headless.devices->len; i++)
    {
      CryoDevice *device = g_ptr_array_index (headless.devices, i);

      g_signal_handlers_disconnect_by_data (device, &headless.logs[i]);
      cryo_device_set_monitoring (device, FALSE);
    }

  if (headless.exit_code == CRYO_HEADLESS_EXIT_OK && headless.n_complete_polls == 0)
    {
      for (guint i = 0; i < headless.devices->len; i++)
        {
          CryoDevice *device = g_ptr_array_index (headless.devices, i);
          g_autofree char *text = cryo_device_dup_status_text (device);

          g_printerr (_("%s: no complete reading (%s)\n"), cryo_device_get_name (device), text);
        }

      /* A service (no --duration, no --action) told to stop has done its
       * job: instruments that never answered were reported all along. */
      if (!(headless.interrupted && options->duration_s <= 0 && headless.action_device == NULL))
        headless.exit_code = CRYO_HEADLESS_EXIT_DEVICE;
    }

  headless.exit_code = report_unfinished_action (&headless, headless.exit_code);

  if (headless.csv != NULL)
    {
      g_autoptr(GError) error = NULL;

      write_csv_rows (&headless, NULL);
      if (headless.csv != NULL && !cryo_csv_writer_close (headless.csv, &error))
        {
          g_printerr ("--csv: %s\n", error->message);
          if (headless.exit_code == CRYO_HEADLESS_EXIT_OK)
            headless.exit_code = CRYO_HEADLESS_EXIT_DEVICE;
        }
    }

  status = headless.exit_code;
  headless_clear (&headless);

  return status;
}
