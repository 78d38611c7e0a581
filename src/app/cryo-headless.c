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
#include <stdio.h>

#include "cryo-csv.h"
#include "cryo-display-units.h"
#include "cryo-headless.h"
#include "cryo-protocol-error.h"

typedef struct
{
  const CryoHeadlessOptions *options;
  GPtrArray                 *devices;
  GMainLoop                 *loop;
  CryoDevice                *action_device;
  char                      *action_name;
  double                     action_params[CRYO_ACTION_MAX_PARAMS];
  gboolean                   spans_devices;
  int                        exit_code;
  guint                      n_complete_polls;
  guint                      action_started : 1;
  guint                      action_done : 1;
  guint                      polls_after_action;
  guint                      duration_source;
  guint                      give_up_source;
} Headless;

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

  g_string_append_printf (line, " link=%u%% (%s)", cryo_link_get_quality (cryo_device_get_link (device)), status);
  g_print ("%s\n", line->str);
}

/**
 * cryo_headless_exit_for:
 * @error: why an action did not complete
 *
 * Returns: the exit code that says it: 3 for a refusal (a parameter out of
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

  if (!cryo_device_run_action_finish (device, result, &error))
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
}

static void
on_device_polled_cb (CryoDevice *device,
                     Headless   *headless)
{
  CryoDeviceState state = cryo_device_get_state (device);

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

static gboolean
on_duration_elapsed_cb (gpointer user_data)
{
  Headless *headless = user_data;

  headless->duration_source = 0;
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

static gboolean
on_signal_cb (gpointer user_data)
{
  Headless *headless = user_data;

  g_main_loop_quit (headless->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_csv (Headless    *headless,
           GError     **error)
{
  g_autoptr(GArray) series = g_array_new (FALSE, TRUE, sizeof (CryoCsvSeries));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gint64 begin_us = G_MAXINT64;
  gint64 end_us = G_MININT64;

  for (guint d = 0; d < headless->devices->len; d++)
    {
      GPtrArray *channels = cryo_device_get_channels (g_ptr_array_index (headless->devices, d));

      for (guint i = 0; i < channels->len; i++)
        {
          CryoChannel *channel = g_ptr_array_index (channels, i);
          CryoHistory *history = cryo_channel_get_history (channel);
          CryoCsvSeries s = { 0 };
          gint64 first, last;

          if (!cryo_history_get_time_range (history, &first, &last))
            continue;

          begin_us = MIN (begin_us, first);
          end_us = MAX (end_us, last);

          /* "<device>_<channel>" when the file spans devices. */
          if (headless->spans_devices)
            {
              char *name = cryo_channel_dup_device_csv_name (channel);

              g_ptr_array_add (names, name);
              s.name = name;
            }
          else
            s.name = cryo_channel_get_csv_name (channel);
          s.history = history;
          s.stored_unit = cryo_channel_get_unit (channel);
          s.unit = output_unit (headless, channel);
          s.digits = cryo_channel_get_digits (channel);
          g_array_append_val (series, s);
        }
    }

  if (series->len == 0)
    begin_us = end_us = g_get_real_time ();

  return cryo_csv_write (headless->options->csv_path,
                         (const CryoCsvSeries *) (gpointer) series->data, series->len,
                         begin_us, end_us, error);
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

/**
 * cryo_headless_run:
 * @devices: (element-type CryoDevice): the devices to monitor
 * @options: what to do
 *
 * Monitors @devices without a window: prints one line per poll with the
 * device name, its state and readings in the display units, runs
 * @options->action through the same range check and interlock as the
 * window (without confirmation) after that device's first complete poll,
 * and writes the CSV when it ends. Runs the default main context.
 *
 * Returns: a #CryoHeadlessExit code
 */
int
cryo_headless_run (GListModel                *devices,
                   const CryoHeadlessOptions *options)
{
  Headless headless = { 0 };
  guint sigint_source, sigterm_source;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (devices), CRYO_HEADLESS_EXIT_USAGE);
  g_return_val_if_fail (options != NULL, CRYO_HEADLESS_EXIT_USAGE);

  headless.options = options;
  headless.devices = g_ptr_array_new_with_free_func (g_object_unref);
  n = g_list_model_get_n_items (devices);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (headless.devices, g_list_model_get_item (devices, i));
  headless.spans_devices = n > 1;

  if (options->action != NULL)
    {
      int status = parse_action (&headless, options->action);

      if (status != CRYO_HEADLESS_EXIT_OK)
        {
          g_free (headless.action_name);
          g_ptr_array_unref (headless.devices);
          return status;
        }
    }

  headless.loop = g_main_loop_new (NULL, FALSE);

  for (guint i = 0; i < headless.devices->len; i++)
    {
      CryoDevice *device = g_ptr_array_index (headless.devices, i);

      g_signal_connect (device, "polled", G_CALLBACK (on_device_polled_cb), &headless);
      cryo_device_set_monitoring (device, TRUE);
    }

  if (options->duration_s > 0)
    headless.duration_source = g_timeout_add ((guint) (options->duration_s * 1000.0),
                                              on_duration_elapsed_cb, &headless);
  else if (headless.action_device != NULL)
    headless.give_up_source = g_timeout_add_seconds (CRYO_HEADLESS_ACTION_TIMEOUT_S,
                                                     on_give_up_cb, &headless);
  sigint_source = g_unix_signal_add (SIGINT, on_signal_cb, &headless);
  sigterm_source = g_unix_signal_add (SIGTERM, on_signal_cb, &headless);

  g_main_loop_run (headless.loop);

  g_clear_handle_id (&headless.duration_source, g_source_remove);
  g_clear_handle_id (&headless.give_up_source, g_source_remove);
  g_source_remove (sigint_source);
  g_source_remove (sigterm_source);

  for (guint i = 0; i < headless.devices->len; i++)
    {
      CryoDevice *device = g_ptr_array_index (headless.devices, i);

      g_signal_handlers_disconnect_by_data (device, &headless);
      cryo_device_set_monitoring (device, FALSE);
    }

  if (headless.exit_code == CRYO_HEADLESS_EXIT_OK && headless.n_complete_polls == 0)
    {
      for (guint i = 0; i < headless.devices->len; i++)
        {
          CryoDevice *device = g_ptr_array_index (headless.devices, i);
          g_autofree char *status = cryo_device_dup_status_text (device);

          g_printerr (_("%s: no complete reading (%s)\n"), cryo_device_get_name (device), status);
        }
      headless.exit_code = CRYO_HEADLESS_EXIT_DEVICE;
    }

  if (headless.action_device != NULL && !headless.action_started &&
      headless.exit_code == CRYO_HEADLESS_EXIT_OK)
    {
      g_printerr (_("%s: %s was not run: no complete reading before the end\n"),
                  cryo_device_get_name (headless.action_device), headless.action_name);
      headless.exit_code = CRYO_HEADLESS_EXIT_DEVICE;
    }

  if (options->csv_path != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!write_csv (&headless, &error))
        {
          g_printerr (_("Could not write the CSV file: %s\n"), error->message);
          if (headless.exit_code == CRYO_HEADLESS_EXIT_OK)
            headless.exit_code = CRYO_HEADLESS_EXIT_DEVICE;
        }
    }

  g_free (headless.action_name);
  g_main_loop_unref (headless.loop);
  g_ptr_array_unref (headless.devices);

  return headless.exit_code;
}
