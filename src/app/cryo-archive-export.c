/* cryo-archive-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `cryomon --export`: a range of the history archive as CSV, without a
 * window.
 */

#define G_LOG_DOMAIN "cryo-archive-export"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-archive.h"
#include "cryo-archive-export.h"
#include "cryo-csv.h"
#include "cryo-display-units.h"

static gboolean
name_selected (const char * const *device_names,
               const char         *name)
{
  if (device_names == NULL || device_names[0] == NULL)
    return TRUE;

  return g_strv_contains (device_names, name);
}

/**
 * cryo_archive_export_csv:
 * @archive_path: the history archive to read (it may be in use by a
 *   running Cryomon)
 * @csv_path: the file to write, atomically (cryo_csv_write())
 * @from_us: first time to export, µs since the epoch
 * @to_us: last time to export, µs, ≥ @from_us
 * @device_names: (nullable) (array zero-terminated=1): the devices to
 *   export, by name (as they were last called); %NULL or empty for all
 * @settings: (nullable): the display unit preferences (the units the plots
 *   show); %NULL for the defaults
 * @error: a #CryoArchiveError when the archive cannot be read,
 *   %G_IO_ERROR_NOT_FOUND when a name in @device_names names no archived
 *   device, or the #GFileError of writing @csv_path
 *
 * Writes every archived channel of the chosen devices (but state codes,
 * which are not plotted) in [@from_us, @to_us] in the Export CSV format:
 * one value and one unit column per channel, prefixed by the device id
 * when the channels come from more than one device; a gap (the time
 * Cryomon was not running) has an empty value. One channel gives the
 * seed's format `timestamp_iso,seconds_since_start,<name>,units`.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
cryo_archive_export_csv (const char          *archive_path,
                         const char          *csv_path,
                         gint64               from_us,
                         gint64               to_us,
                         const char * const  *device_names,
                         GSettings           *settings,
                         GError             **error)
{
  g_autoptr(CryoArchive) archive = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr(GPtrArray) histories = g_ptr_array_new_with_free_func ((GDestroyNotify) cryo_history_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) series = g_array_new (FALSE, TRUE, sizeof (CryoCsvSeries));
  gboolean spans_devices = FALSE;

  g_return_val_if_fail (archive_path != NULL && csv_path != NULL, FALSE);
  g_return_val_if_fail (to_us >= from_us, FALSE);

  archive = cryo_archive_open_readonly (archive_path, error);
  if (archive == NULL)
    return FALSE;

  channels = cryo_archive_list_channels (archive, error);
  if (channels == NULL)
    return FALSE;

  for (guint i = 0; device_names != NULL && device_names[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < channels->len && !found; j++)
        found = g_str_equal (((CryoArchiveChannel *) g_ptr_array_index (channels, j))->device_name,
                             device_names[i]);
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The history archive has no device named “%s”"), device_names[i]);
          return FALSE;
        }
    }

  for (guint i = 0; i < channels->len; i++)
    {
      CryoArchiveChannel *ch = g_ptr_array_index (channels, i);

      if (ch->quantity == CRYO_QUANTITY_STATE || !name_selected (device_names, ch->device_name))
        continue;
      if (chosen->len > 0 &&
          !g_str_equal (((CryoArchiveChannel *) g_ptr_array_index (chosen, 0))->device_id,
                        ch->device_id))
        spans_devices = TRUE;
      g_ptr_array_add (chosen, ch);
    }

  for (guint i = 0; i < chosen->len; i++)
    {
      CryoArchiveChannel *ch = g_ptr_array_index (chosen, i);
      CryoHistory *history = cryo_archive_read (archive, ch->device_id, ch->key, from_us, to_us,
                                                error);
      CryoCsvSeries s = { 0 };
      char *name;

      if (history == NULL)
        return FALSE;
      g_ptr_array_add (histories, history);

      name = spans_devices ? g_strdup_printf ("%s_%s", ch->device_id, ch->csv_name)
                           : g_strdup (ch->csv_name);
      g_ptr_array_add (names, name);

      s.name = name;
      s.history = history;
      s.stored_unit = ch->unit;
      s.unit = cryo_display_unit_for (settings, ch->quantity, ch->scale);
      s.digits = ch->digits;
      g_array_append_val (series, s);
    }

  return cryo_csv_write (csv_path, (const CryoCsvSeries *) (gpointer) series->data, series->len,
                         from_us, to_us, error);
}
