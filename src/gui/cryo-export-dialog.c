/* cryo-export-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export any range: which time range, which readings, which units and
 * which file; a long export shows its progress and can be cancelled, and
 * the file is still replaced atomically (cryo_csv_write_full()).
 */

#define G_LOG_DOMAIN "cryo-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-export-dialog.h"
#include "cryo-status.h"

typedef struct
{
  CryoChannel *channel;
  GtkWidget   *check;
} Choice;

struct _CryoExportDialog
{
  AdwWindow      parent_instance;

  CryoTrendView *trend_view;     /* unowned: the window's, outlives us */
  GArray        *choices;        /* Choice */
  char          *path;
  GCancellable  *cancellable;
  gint64         shown_begin_us;
  gint64         shown_end_us;

  GtkWidget     *cancel_button;
  GtkWidget     *export_button;
  GtkWidget     *progress_revealer;
  GtkWidget     *progress_bar;
  GtkWidget     *page;
  AdwComboRow   *range_row;
  GtkWidget     *last_row;
  GtkWidget     *last_spin;
  GtkWidget     *last_unit;
  GtkWidget     *from_row;
  GtkWidget     *to_row;
  AdwPreferencesGroup *channels_group;
  AdwComboRow   *units_row;
  AdwActionRow  *file_row;
};

G_DEFINE_FINAL_TYPE (CryoExportDialog, cryo_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static guint
n_chosen (CryoExportDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->choices->len; i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (g_array_index (self->choices, Choice, i).check)))
      n++;

  return n;
}

/**
 * cryo_export_dialog_get_range_us:
 * @self: a dialog
 * @begin_us: (out): the first time to export, µs since the epoch
 * @end_us: (out): the last time to export
 *
 * The time range the dialog's fields choose: the plots' range as it was
 * when the dialog opened, the last N minutes, hours or days up to now, or
 * the custom range typed (local date and time).
 *
 * Returns: %FALSE when the custom range does not parse, or ends before it
 *   begins
 */
gboolean
cryo_export_dialog_get_range_us (CryoExportDialog *self,
                                 gint64           *begin_us,
                                 gint64           *end_us)
{
  static const gint64 unit_us[] = {
    G_GINT64_CONSTANT (60) * G_USEC_PER_SEC,
    G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC,
    G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC,
  };

  g_return_val_if_fail (CRYO_IS_EXPORT_DIALOG (self), FALSE);

  switch (adw_combo_row_get_selected (self->range_row))
    {
    case CRYO_EXPORT_RANGE_SHOWN:
      *begin_us = self->shown_begin_us;
      *end_us = self->shown_end_us;
      return TRUE;

    case CRYO_EXPORT_RANGE_LAST:
      {
        guint unit = MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->last_unit)), 2);
        gint64 n = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->last_spin));

        *end_us = g_get_real_time ();
        *begin_us = *end_us - n * unit_us[unit];
        return TRUE;
      }

    default:
      return cryo_trend_view_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->from_row)), begin_us)
             && cryo_trend_view_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->to_row)), end_us)
             && *end_us > *begin_us;
    }
}

/* Export is possible with a range, a reading and a file; a field that
 * does not parse is marked. */
static void
on_validate_cb (CryoExportDialog *self)
{
  gint64 begin, end, dummy;
  gboolean custom = adw_combo_row_get_selected (self->range_row) == CRYO_EXPORT_RANGE_CUSTOM;
  gboolean busy = self->cancellable != NULL;

  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *row = i == 0 ? self->from_row : self->to_row;

      if (!custom || cryo_trend_view_parse_time (gtk_editable_get_text (GTK_EDITABLE (row)), &dummy))
        gtk_widget_remove_css_class (row, "error");
      else
        gtk_widget_add_css_class (row, "error");
    }

  gtk_widget_set_sensitive (self->export_button,
                            !busy && self->path != NULL && n_chosen (self) > 0
                            && cryo_export_dialog_get_range_us (self, &begin, &end));
}

static void
on_range_changed_cb (CryoExportDialog *self)
{
  CryoExportRange range = adw_combo_row_get_selected (self->range_row);

  gtk_widget_set_visible (self->last_row, range == CRYO_EXPORT_RANGE_LAST);
  gtk_widget_set_visible (self->from_row, range == CRYO_EXPORT_RANGE_CUSTOM);
  gtk_widget_set_visible (self->to_row, range == CRYO_EXPORT_RANGE_CUSTOM);
  on_validate_cb (self);
}

static void
update_expander_subtitle (AdwExpanderRow *expander)
{
  GArray *choices = g_object_get_data (G_OBJECT (expander), "choices");
  guint first = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (expander), "first"));
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (expander), "n"));
  guint chosen = 0;
  g_autofree char *subtitle = NULL;

  for (guint i = first; i < first + n; i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (g_array_index (choices, Choice, i).check)))
      chosen++;

  /* Translators: how many of a device's readings an export takes, "3 of 9 readings" */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u reading", "%u of %u readings", n),
                              chosen, n);
  adw_expander_row_set_subtitle (expander, subtitle);
}

static void
on_check_toggled_cb (GtkCheckButton *check,
                     GParamSpec     *pspec,
                     gpointer        user_data)
{
  CryoExportDialog *self = user_data;
  AdwExpanderRow *expander = g_object_get_data (G_OBJECT (check), "expander");

  update_expander_subtitle (expander);
  on_validate_cb (self);
}

/* One expander per device, a check per reading; the plotted ones chosen. */
static void
add_devices (CryoExportDialog *self,
             GListModel       *devices)
{
  g_autoptr(GPtrArray) plotted = cryo_trend_view_dup_plotted_channels (self->trend_view);

  for (guint d = 0; d < g_list_model_get_n_items (devices); d++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, d);
      GPtrArray *channels = cryo_device_get_channels (device);
      AdwExpanderRow *expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
      guint first = self->choices->len;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), cryo_device_get_name (device));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (expander), FALSE);

      for (guint i = 0; i < channels->len; i++)
        {
          CryoChannel *channel = g_ptr_array_index (channels, i);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *check = gtk_check_button_new ();
          Choice choice = { channel, check };

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cryo_channel_get_label (channel));
          adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_ptr_array_find (plotted, channel, NULL));
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          cryo_channel_get_label (channel), -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          adw_expander_row_add_row (expander, row);

          g_object_set_data (G_OBJECT (check), "expander", expander);
          g_signal_connect_object (check, "notify::active", G_CALLBACK (on_check_toggled_cb), self, 0);
          g_array_append_val (self->choices, choice);
        }

      g_object_set_data (G_OBJECT (expander), "choices", self->choices);
      g_object_set_data (G_OBJECT (expander), "first", GUINT_TO_POINTER (first));
      g_object_set_data (G_OBJECT (expander), "n", GUINT_TO_POINTER (self->choices->len - first));
      update_expander_subtitle (expander);
      adw_preferences_group_add (self->channels_group, GTK_WIDGET (expander));
    }
}

/**
 * cryo_export_dialog_set_path:
 * @self: a dialog
 * @path: the CSV file to write, in the GLib file name encoding
 *
 * Sets the file the export writes (the dialog proposes
 * `cryomon-<date>-<time>.csv` in the Documents folder).
 */
void
cryo_export_dialog_set_path (CryoExportDialog *self,
                             const char       *path)
{
  g_autofree char *display = NULL;

  g_return_if_fail (CRYO_IS_EXPORT_DIALOG (self));
  g_return_if_fail (path != NULL);

  g_free (self->path);
  self->path = g_strdup (path);
  display = g_filename_display_name (path);
  adw_action_row_set_subtitle (self->file_row, display);
  on_validate_cb (self);
}

/**
 * cryo_export_dialog_get_path:
 * @self: a dialog
 *
 * Returns: (nullable): the file the export writes
 */
const char *
cryo_export_dialog_get_path (CryoExportDialog *self)
{
  g_return_val_if_fail (CRYO_IS_EXPORT_DIALOG (self), NULL);

  return self->path;
}

static void
on_chooser_response_cb (CryoExportDialog     *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL)
    cryo_export_dialog_set_path (self, path);

  g_object_unref (chooser);
}

static void
on_choose_clicked_cb (CryoExportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);

  chooser = gtk_file_chooser_native_new (_("Export CSV"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
set_busy (CryoExportDialog *self,
          gboolean          busy)
{
  gtk_widget_set_sensitive (self->page, !busy);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), busy);
  on_validate_cb (self);
}

static void
on_progress_cb (double   fraction,
                gpointer user_data)
{
  CryoExportDialog *self = user_data;
  g_autofree char *text = NULL;

  fraction = CLAMP (fraction, 0.0, 1.0);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), fraction);
  /* Translators: an export's progress, "42 % written" */
  text = g_strdup_printf (_("%d %% written"), (int) (fraction * 100.0));
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
}

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CryoExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);

  if (!cryo_trend_view_export_finish (CRYO_TREND_VIEW (object), result, &error))
    {
      set_busy (self, FALSE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), _("Export cancelled"));
          gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), TRUE);
          return;
        }
      g_message ("Export failed: %s", error->message);
      cryo_show_error_dialog (GTK_WIDGET (self), _("Export Failed"), error->message);
      return;
    }

  g_signal_emit (self, signals [EXPORTED], 0, self->path);
  gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * cryo_export_dialog_start:
 * @self: a dialog whose fields make an export (the Export button is
 *   sensitive)
 *
 * Starts the export, as the Export button does: the fields are locked and
 * a progress bar shows how far the file got; Cancel stops it, leaving the
 * file as it was. When the file is written, #CryoExportDialog::exported
 * is emitted and the dialog closes; a failure is told in a dialog.
 */
void
cryo_export_dialog_start (CryoExportDialog *self)
{
  g_autoptr(GPtrArray) channels = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 begin, end;

  g_return_if_fail (CRYO_IS_EXPORT_DIALOG (self));

  if (self->cancellable != NULL || self->path == NULL || !cryo_export_dialog_get_range_us (self, &begin, &end))
    return;

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = &g_array_index (self->choices, Choice, i);

      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (choice->check)))
        g_ptr_array_add (channels, g_object_ref (choice->channel));
    }
  if (channels->len == 0)
    return;

  self->cancellable = g_cancellable_new ();
  on_progress_cb (0.0, self);
  set_busy (self, TRUE);
  cryo_trend_view_export_channels_async (self->trend_view, self->path, channels, begin, end,
                                         adw_combo_row_get_selected (self->units_row) == 0,
                                         on_progress_cb, g_object_ref (self), g_object_unref,
                                         self->cancellable, on_exported_cb, g_object_ref (self));
}

/**
 * cryo_export_dialog_get_busy:
 * @self: a dialog
 *
 * Returns: whether an export is being written
 */
gboolean
cryo_export_dialog_get_busy (CryoExportDialog *self)
{
  g_return_val_if_fail (CRYO_IS_EXPORT_DIALOG (self), FALSE);

  return self->cancellable != NULL;
}

static void
on_export_clicked_cb (CryoExportDialog *self)
{
  cryo_export_dialog_start (self);
}

/* Cancel stops a running export, else closes. */
static void
on_cancel_clicked_cb (CryoExportDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
cryo_export_dialog_close_request (GtkWindow *window)
{
  CryoExportDialog *self = CRYO_EXPORT_DIALOG (window);

  /* Closing while writing cancels; the file stays as it was. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (cryo_export_dialog_parent_class)->close_request (window);
}

/**
 * cryo_export_dialog_set_range:
 * @self: a dialog
 * @range: which range to export
 *
 * Chooses the Range row's entry.
 */
void
cryo_export_dialog_set_range (CryoExportDialog *self,
                              CryoExportRange   range)
{
  g_return_if_fail (CRYO_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->range_row, range);
}

/**
 * cryo_export_dialog_set_custom_range:
 * @self: a dialog
 * @begin_us: the first time to export, µs since the epoch
 * @end_us: the last time to export
 *
 * Chooses a custom range and fills its fields (local time, to the second).
 */
void
cryo_export_dialog_set_custom_range (CryoExportDialog *self,
                                     gint64            begin_us,
                                     gint64            end_us)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_if_fail (CRYO_IS_EXPORT_DIALOG (self));

  from = cryo_trend_view_format_time (begin_us);
  to = cryo_trend_view_format_time (end_us);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to);
  adw_combo_row_set_selected (self->range_row, CRYO_EXPORT_RANGE_CUSTOM);
}

/**
 * cryo_export_dialog_set_display_units:
 * @self: a dialog
 * @display_units: %TRUE for the units the window shows, %FALSE for the
 *   canonical units (Pa, K, rpm, A, h)
 *
 * Chooses the Units row's entry.
 */
void
cryo_export_dialog_set_display_units (CryoExportDialog *self,
                                      gboolean          display_units)
{
  g_return_if_fail (CRYO_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->units_row, display_units ? 0 : 1);
}

static Choice *
find_choice (CryoExportDialog *self,
             CryoChannel      *channel)
{
  for (guint i = 0; i < self->choices->len; i++)
    if (g_array_index (self->choices, Choice, i).channel == channel)
      return &g_array_index (self->choices, Choice, i);

  return NULL;
}

/**
 * cryo_export_dialog_set_channel_chosen:
 * @self: a dialog
 * @channel: a channel of one of its devices
 * @chosen: whether the export takes it
 *
 * Ticks or clears @channel's check.
 */
void
cryo_export_dialog_set_channel_chosen (CryoExportDialog *self,
                                       CryoChannel      *channel,
                                       gboolean          chosen)
{
  Choice *choice;

  g_return_if_fail (CRYO_IS_EXPORT_DIALOG (self));

  choice = find_choice (self, channel);
  g_return_if_fail (choice != NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (choice->check), chosen);
}

/**
 * cryo_export_dialog_get_channel_chosen:
 * @self: a dialog
 * @channel: a channel of one of its devices
 *
 * Returns: whether the export takes @channel
 */
gboolean
cryo_export_dialog_get_channel_chosen (CryoExportDialog *self,
                                       CryoChannel      *channel)
{
  Choice *choice;

  g_return_val_if_fail (CRYO_IS_EXPORT_DIALOG (self), FALSE);

  choice = find_choice (self, channel);
  return choice != NULL && gtk_check_button_get_active (GTK_CHECK_BUTTON (choice->check));
}

static void
cryo_export_dialog_dispose (GObject *object)
{
  CryoExportDialog *self = CRYO_EXPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (cryo_export_dialog_parent_class)->dispose (object);
}

static void
cryo_export_dialog_finalize (GObject *object)
{
  CryoExportDialog *self = CRYO_EXPORT_DIALOG (object);

  g_clear_pointer (&self->choices, g_array_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cryo_export_dialog_parent_class)->finalize (object);
}

static void
cryo_export_dialog_class_init (CryoExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cryo_export_dialog_dispose;
  object_class->finalize = cryo_export_dialog_finalize;
  window_class->close_request = cryo_export_dialog_close_request;

  /**
   * CryoExportDialog::exported:
   * @self: the dialog
   * @path: the file written
   *
   * The export is written; the dialog closes next.
   */
  signals [EXPORTED] =
    g_signal_new ("exported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, page);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, range_row);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, last_row);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, last_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, last_unit);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, to_row);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, channels_group);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, units_row);
  gtk_widget_class_bind_template_child (widget_class, CryoExportDialog, file_row);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_validate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cryo_export_dialog_init (CryoExportDialog *self)
{
  self->choices = g_array_new (FALSE, FALSE, sizeof (Choice));
  gtk_widget_init_template (GTK_WIDGET (self));
}

static char *
default_path (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "cryomon-%Y%m%d-%H%M%S.csv");

  return g_build_filename (documents != NULL ? documents : g_get_home_dir (), name, NULL);
}

/**
 * cryo_export_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @trend_view: the trend view: its plotted readings are chosen to begin
 *   with, its range is the "shown" range, and it writes the file
 * @devices: (element-type CryoDevice): the devices whose readings can be
 *   exported
 *
 * Creates the Export CSV dialog, proposing the plotted readings over the
 * plotted range, in the displayed units, to a new file in the Documents
 * folder.
 *
 * Returns: (transfer full): a new dialog; present it
 */
CryoExportDialog *
cryo_export_dialog_new (GtkWindow     *parent,
                        CryoTrendView *trend_view,
                        GListModel    *devices)
{
  CryoExportDialog *self;
  g_autofree char *path = default_path ();
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (CRYO_IS_TREND_VIEW (trend_view), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (devices), NULL);

  self = g_object_new (CRYO_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->trend_view = trend_view;
  cryo_trend_view_get_visible_range (trend_view, &self->shown_begin_us, &self->shown_end_us);
  from = cryo_trend_view_format_time (self->shown_begin_us);
  to = cryo_trend_view_format_time (self->shown_end_us);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to);
  add_devices (self, devices);
  cryo_export_dialog_set_path (self, path);
  on_range_changed_cb (self);

  return self;
}
