/* cryo-event-log-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-event-log-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cryo-event.h"
#include "cryo-event-log-view.h"
#include "cryo-wrap-box.h"
#include "cryo-status.h"

/**
 * CryoEventLogView:
 *
 * The Event Log: every event of the archive and of this run, newest first,
 * in a table (time, device, kind, severity, user, text). Drop-downs keep
 * one device, kind, severity or time range; the search entry matches the
 * text, the device name and the user. Selecting an event pauses the trend
 * on its time. Export writes the events shown, oldest first, in the format
 * of `events.log` (cryo_event_to_line()).
 *
 * The archive's events are read in a worker thread
 * (cryo_archive_read_events_async()) up to the oldest event the session
 * kept of this run; the session's events (cryo_session_get_events()) follow
 * live.
 */

/* The archive may hold 90 days of events; the view loads the newest. */
#define MAX_LOADED_EVENTS 100000

typedef enum
{
  COLUMN_TIME,
  COLUMN_DEVICE,
  COLUMN_KIND,
  COLUMN_SEVERITY,
  COLUMN_USER,
  COLUMN_TEXT,
} Column;

struct _CryoEventLogView
{
  GtkWidget            parent_instance;

  CryoSession         *session;
  CryoTrendView       *trend_view;
  GListStore          *archived;     /* CryoEvent, oldest first */
  GListModel          *events;       /* archived + the session's */
  GtkSortListModel    *by_time;      /* the same, oldest first */
  GtkCustomFilter     *filter;
  GtkSortListModel    *sorted;       /* the filtered events, newest first */
  GtkSingleSelection  *selection;
  GPtrArray           *device_ids;   /* of the device drop-down's items after "All" */
  GCancellable        *cancellable;

  /* Filter state */
  char                *device_id;    /* NULL: all */
  int                  kind;         /* -1: all */
  int                  severity;     /* -1: all */
  gint64               begin_us;
  gint64               end_us;
  char                *search;       /* case-folded, NULL: none */

  guint                loading : 1;
  guint                updating_devices : 1;

  /* Template widgets */
  GtkWidget           *box;
  GtkDropDown         *device_dropdown;
  GtkDropDown         *kind_dropdown;
  GtkDropDown         *severity_dropdown;
  GtkDropDown         *range_dropdown;
  GtkSearchEntry      *search_entry;
  GtkLabel            *count_label;
  GtkColumnView       *column_view;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TREND_VIEW,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (CryoEventLogView, cryo_event_log_view, GTK_TYPE_WIDGET)

/* Case-insensitive substring match of an already case-folded needle. */
static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = g_utf8_casefold (haystack, -1);

  return strstr (folded, folded_needle) != NULL;
}

static gboolean
event_matches (gpointer item,
               gpointer user_data)
{
  CryoEventLogView *self = user_data;
  CryoEvent *event = item;
  gint64 t = cryo_event_get_time_us (event);

  if (t < self->begin_us || t >= self->end_us)
    return FALSE;
  if (self->kind >= 0 && (int) cryo_event_get_kind (event) != self->kind)
    return FALSE;
  if (self->severity >= 0 && (int) cryo_event_get_severity (event) != self->severity)
    return FALSE;
  if (self->device_id != NULL && !g_str_equal (cryo_event_get_device_id (event), self->device_id))
    return FALSE;
  if (self->search != NULL &&
      !contains_folded (cryo_event_get_text (event), self->search) &&
      !contains_folded (cryo_event_get_device_name (event), self->search) &&
      !contains_folded (cryo_event_get_user (event), self->search))
    return FALSE;

  return TRUE;
}

static int
compare_oldest_first (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  gint64 ta = cryo_event_get_time_us ((CryoEvent *) a);
  gint64 tb = cryo_event_get_time_us ((CryoEvent *) b);

  return ta < tb ? GTK_ORDERING_SMALLER : ta > tb ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  return -compare_oldest_first (a, b, user_data);
}

static void
update_count (CryoEventLogView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  guint total = g_list_model_get_n_items (self->events);
  g_autofree char *text = NULL;

  if (self->sorted == NULL)
    return;

  if (self->loading)
    text = g_strdup (_("Loading…"));
  else if (shown == total)
    /* Translators: how many events the Event Log shows */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", shown), shown);
  else
    /* Translators: events shown by the filters, of all events */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u event", "%u of %u events", total),
                            shown, total);
  gtk_label_set_label (self->count_label, text);
}

/* Reads the drop-downs and the search entry into the filter state. */
static void
on_filter_changed_cb (CryoEventLogView *self)
{
  guint device = gtk_drop_down_get_selected (self->device_dropdown);
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint severity = gtk_drop_down_get_selected (self->severity_dropdown);
  guint range = gtk_drop_down_get_selected (self->range_dropdown);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gint64 now = g_get_real_time ();

  /* Setting up the drop-downs says nothing yet. */
  if (self->updating_devices || self->sorted == NULL)
    return;

  g_clear_pointer (&self->device_id, g_free);
  if (device != GTK_INVALID_LIST_POSITION && device > 0 && device - 1 < self->device_ids->len)
    self->device_id = g_strdup (g_ptr_array_index (self->device_ids, device - 1));

  self->kind = kind == GTK_INVALID_LIST_POSITION || kind == 0 ? -1 : (int) kind - 1;
  self->severity = severity == GTK_INVALID_LIST_POSITION || severity == 0 ? -1 : (int) severity - 1;

  self->begin_us = G_MININT64;
  self->end_us = G_MAXINT64;
  switch ((CryoEventRange) range)
    {
    case CRYO_EVENT_RANGE_HOUR:
      self->begin_us = now - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
      break;

    case CRYO_EVENT_RANGE_DAY:
      self->begin_us = now - G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;
      break;

    case CRYO_EVENT_RANGE_WEEK:
      self->begin_us = now - G_GINT64_CONSTANT (7 * 86400) * G_USEC_PER_SEC;
      break;

    case CRYO_EVENT_RANGE_TREND:
      if (self->trend_view != NULL)
        cryo_trend_view_get_visible_range (self->trend_view, &self->begin_us, &self->end_us);
      break;

    case CRYO_EVENT_RANGE_ALL:
    default:
      break;
    }

  g_clear_pointer (&self->search, g_free);
  if (search != NULL && search[0] != '\0')
    self->search = g_utf8_casefold (search, -1);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

/* The device drop-down: "All devices", then the session's devices by
 * name, filtering by their stable id; the selection follows its id. */
static void
update_devices (CryoEventLogView *self)
{
  GListModel *devices = cryo_session_get_devices (self->session);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *selected_id = g_strdup (self->device_id);
  guint n = g_list_model_get_n_items (devices);
  guint selected = 0;

  g_ptr_array_set_size (self->device_ids, 0);
  gtk_string_list_append (names, _("All devices"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (devices, i);

      gtk_string_list_append (names, cryo_device_get_name (device));
      g_ptr_array_add (self->device_ids, g_strdup (cryo_device_get_id (device)));
      if (g_strcmp0 (selected_id, cryo_device_get_id (device)) == 0)
        selected = i + 1;
    }

  self->updating_devices = TRUE;
  gtk_drop_down_set_model (self->device_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->device_dropdown, selected);
  self->updating_devices = FALSE;
  on_filter_changed_cb (self);
}

static void
on_events_items_changed_cb (CryoEventLogView *self)
{
  update_count (self);
}

/* Selecting an event pauses the trend on its time, keeping the span. */
static void
on_selected_item_changed_cb (CryoEventLogView *self)
{
  CryoEvent *event = gtk_single_selection_get_selected_item (self->selection);
  gint64 begin, end, t, half;

  if (event == NULL || self->trend_view == NULL)
    return;

  cryo_trend_view_get_visible_range (self->trend_view, &begin, &end);
  t = cryo_event_get_time_us (event);
  half = MAX ((end - begin) / 2, G_USEC_PER_SEC * 5);
  cryo_trend_view_show_range (self->trend_view, t - half, t + half);
}

static void
on_archive_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  CryoEventLogView *self;

  events = cryo_archive_read_events_finish (CRYO_ARCHIVE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not cancelled: the view is alive (dispose cancels). */
  self = user_data;
  self->loading = FALSE;
  if (events != NULL)
    g_list_store_splice (self->archived, 0, 0, events->pdata, events->len);
  else
    g_warning ("Could not read the events of the history archive: %s", error->message);

  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  /* The time is read whole; the rest may shorten in a narrow pane. */
  if (GPOINTER_TO_INT (user_data) == COLUMN_TIME)
    gtk_widget_add_css_class (label, "numeric");
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  CryoEvent *event = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *time = NULL;
  const char *text = "";

  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");

  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_TIME:
      text = time = cryo_trend_view_format_time (cryo_event_get_time_us (event));
      break;

    case COLUMN_DEVICE:
      text = cryo_event_get_device_name (event);
      break;

    case COLUMN_KIND:
      text = cryo_event_kind_get_label (cryo_event_get_kind (event));
      break;

    case COLUMN_SEVERITY:
      text = cryo_event_severity_get_label (cryo_event_get_severity (event));
      if (cryo_event_get_severity (event) == CRYO_EVENT_SEVERITY_WARNING)
        gtk_widget_add_css_class (label, "warning");
      else if (cryo_event_get_severity (event) >= CRYO_EVENT_SEVERITY_ALARM)
        gtk_widget_add_css_class (label, "error");
      break;

    case COLUMN_USER:
      text = cryo_event_get_user (event);
      break;

    case COLUMN_TEXT:
      text = cryo_event_get_text (event);
      gtk_widget_set_tooltip_text (label, text);
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (GTK_LABEL (label), text);
}

static void
add_column (CryoEventLogView *self,
            Column            column,
            const char       *title,
            gboolean          expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
on_export_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CryoEventLogView *self = CRYO_EVENT_LOG_VIEW (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (!cryo_event_log_view_export_finish (self, result, &error))
    {
      cryo_show_error_dialog (GTK_WIDGET (self), _("Export Failed"), error->message);
      return;
    }

  name = g_file_get_basename (file);
  /* Translators: a toast after an export, "Exported to events-3.log" */
  title = g_strdup_printf (_("Exported to %s"), name);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", title);
}

static void
on_chooser_response_cb (CryoEventLogView     *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    cryo_event_log_view_export_async (self, file, NULL, on_export_done_cb, g_object_ref (file));

  g_object_unref (chooser);
}

static void
cryo_event_log_view_export_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  CryoEventLogView *self = CRYO_EVENT_LOG_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Events"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "events.log");
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cryo_event_log_view_constructed (GObject *object)
{
  CryoEventLogView *self = CRYO_EVENT_LOG_VIEW (object);
  g_autoptr(GListStore) sources = g_list_store_new (G_TYPE_LIST_MODEL);
  GListModel *session_events;
  CryoArchive *archive;

  G_OBJECT_CLASS (cryo_event_log_view_parent_class)->constructed (object);

  g_assert (CRYO_IS_SESSION (self->session));

  session_events = cryo_session_get_events (self->session);
  g_list_store_append (sources, self->archived);
  g_list_store_append (sources, session_events);
  self->events = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&sources))));
  g_signal_connect_object (self->events, "items-changed",
                           G_CALLBACK (on_events_items_changed_cb), self, G_CONNECT_SWAPPED);
  /* An event may be logged with an earlier time than the last one (the
   * archive's arrive after this run's): the markers want time order. */
  self->by_time = gtk_sort_list_model_new (g_object_ref (self->events),
                                           GTK_SORTER (gtk_custom_sorter_new (compare_oldest_first,
                                                                              NULL, NULL)));

  {
    GtkFilterListModel *filtered;

    filtered = gtk_filter_list_model_new (g_object_ref (self->events),
                                          g_object_ref (GTK_FILTER (self->filter)));
    self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                            GTK_SORTER (gtk_custom_sorter_new (compare_newest_first,
                                                                               NULL, NULL)));
    g_signal_connect_object (self->sorted, "items-changed",
                             G_CALLBACK (on_events_items_changed_cb), self, G_CONNECT_SWAPPED);
  }

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selected_item_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (cryo_session_get_devices (self->session), "items-changed",
                           G_CALLBACK (update_devices), self, G_CONNECT_SWAPPED);
  update_devices (self);

  /* The archive up to the oldest event of this run the session kept. */
  archive = cryo_session_get_archive (self->session);
  if (archive != NULL)
    {
      gint64 end_us = g_get_real_time ();

      if (g_list_model_get_n_items (session_events) > 0)
        {
          g_autoptr(CryoEvent) oldest = g_list_model_get_item (session_events, 0);

          end_us = cryo_event_get_time_us (oldest);
        }
      self->loading = TRUE;
      cryo_archive_read_events_async (archive, G_MININT64, end_us, MAX_LOADED_EVENTS,
                                      self->cancellable, on_archive_read_cb, self);
    }

  update_count (self);
}

static void
cryo_event_log_view_dispose (GObject *object)
{
  CryoEventLogView *self = CRYO_EVENT_LOG_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_EVENT_LOG_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->by_time);
  g_clear_object (&self->events);
  g_clear_object (&self->trend_view);

  G_OBJECT_CLASS (cryo_event_log_view_parent_class)->dispose (object);
}

static void
cryo_event_log_view_finalize (GObject *object)
{
  CryoEventLogView *self = CRYO_EVENT_LOG_VIEW (object);

  g_clear_object (&self->session);
  g_clear_object (&self->archived);
  g_clear_object (&self->filter);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->device_ids, g_ptr_array_unref);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (cryo_event_log_view_parent_class)->finalize (object);
}

static void
cryo_event_log_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CryoEventLogView *self = CRYO_EVENT_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_TREND_VIEW:
      g_value_set_object (value, self->trend_view);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_event_log_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CryoEventLogView *self = CRYO_EVENT_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_TREND_VIEW:
      self->trend_view = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_event_log_view_class_init (CryoEventLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cryo_event_log_view_constructed;
  object_class->dispose = cryo_event_log_view_dispose;
  object_class->finalize = cryo_event_log_view_finalize;
  object_class->get_property = cryo_event_log_view_get_property;
  object_class->set_property = cryo_event_log_view_set_property;

  /**
   * CryoEventLogView:session:
   *
   * The session whose events (and archive) the view shows. Construct-only.
   */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CRYO_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoEventLogView:trend-view:
   *
   * The trend that selecting an event moves to the event's time, or %NULL.
   * Construct-only.
   */
  properties [PROP_TREND_VIEW] =
    g_param_spec_object ("trend-view", NULL, NULL, CRYO_TYPE_TREND_VIEW,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoEventLogView:loading:
   *
   * Whether the archive's events are still being read.
   */
  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (CRYO_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-event-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoEventLogView, box);
  gtk_widget_class_bind_template_child (widget_class, CryoEventLogView, device_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CryoEventLogView, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CryoEventLogView, severity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CryoEventLogView, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CryoEventLogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CryoEventLogView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CryoEventLogView, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);

  gtk_widget_class_install_action (widget_class, "events.export", NULL,
                                   cryo_event_log_view_export_action);
}

static void
cryo_event_log_view_init (CryoEventLogView *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) severities = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) range_list = NULL;
  const char *ranges[] = {
    [CRYO_EVENT_RANGE_ALL] = _("All time"),
    [CRYO_EVENT_RANGE_HOUR] = _("Last hour"),
    [CRYO_EVENT_RANGE_DAY] = _("Last day"),
    [CRYO_EVENT_RANGE_WEEK] = _("Last week"),
    [CRYO_EVENT_RANGE_TREND] = _("Range of the trend"),
    NULL
  };

  self->archived = g_list_store_new (CRYO_TYPE_EVENT);
  self->device_ids = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->kind = -1;
  self->severity = -1;
  self->begin_us = G_MININT64;
  self->end_us = G_MAXINT64;
  self->filter = gtk_custom_filter_new (event_matches, self, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The drop-downs read as "All …" first; the filter state follows their
   * positions: kind and severity n + 1 is enum value n. */
  self->updating_devices = TRUE;
  gtk_string_list_append (kinds, _("All kinds"));
  for (guint k = 0; k < CRYO_N_EVENT_KINDS; k++)
    gtk_string_list_append (kinds, cryo_event_kind_get_label (k));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  gtk_string_list_append (severities, _("All severities"));
  for (guint s = 0; s < CRYO_N_EVENT_SEVERITIES; s++)
    gtk_string_list_append (severities, cryo_event_severity_get_label (s));
  gtk_drop_down_set_model (self->severity_dropdown, G_LIST_MODEL (severities));
  range_list = gtk_string_list_new (ranges);
  gtk_drop_down_set_model (self->range_dropdown, G_LIST_MODEL (range_list));
  self->updating_devices = FALSE;

  add_column (self, COLUMN_TIME, _("Time"), FALSE);
  add_column (self, COLUMN_DEVICE, _("Device"), FALSE);
  add_column (self, COLUMN_KIND, _("Kind"), FALSE);
  add_column (self, COLUMN_SEVERITY, _("Severity"), FALSE);
  add_column (self, COLUMN_USER, _("User"), FALSE);
  add_column (self, COLUMN_TEXT, _("Event"), TRUE);
}

/**
 * cryo_event_log_view_new:
 * @session: the session whose events to show
 * @trend_view: (nullable): the trend that selecting an event moves
 *
 * Returns: (transfer floating): a new #CryoEventLogView
 */
CryoEventLogView *
cryo_event_log_view_new (CryoSession   *session,
                         CryoTrendView *trend_view)
{
  g_return_val_if_fail (CRYO_IS_SESSION (session), NULL);
  g_return_val_if_fail (trend_view == NULL || CRYO_IS_TREND_VIEW (trend_view), NULL);

  return g_object_new (CRYO_TYPE_EVENT_LOG_VIEW,
                       "session", session,
                       "trend-view", trend_view,
                       NULL);
}

/**
 * cryo_event_log_view_get_events:
 * @self: a #CryoEventLogView
 *
 * Every event the view has, unfiltered, in time order: the archive's (once
 * read) and this run's, live. The trend draws its markers from it.
 *
 * Returns: (transfer none): a #GListModel of #CryoEvent
 */
GListModel *
cryo_event_log_view_get_events (CryoEventLogView *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT_LOG_VIEW (self), NULL);

  return G_LIST_MODEL (self->by_time);
}

/**
 * cryo_event_log_view_get_shown:
 * @self: a #CryoEventLogView
 *
 * Returns: (transfer none): the rows shown: a #GListModel of the
 *   #CryoEvent the filters keep, newest first
 */
GListModel *
cryo_event_log_view_get_shown (CryoEventLogView *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT_LOG_VIEW (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

/**
 * cryo_event_log_view_get_loading:
 * @self: a #CryoEventLogView
 *
 * Returns: #CryoEventLogView:loading
 */
gboolean
cryo_event_log_view_get_loading (CryoEventLogView *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT_LOG_VIEW (self), FALSE);

  return self->loading;
}

/**
 * cryo_event_log_view_set_device_id:
 * @self: a #CryoEventLogView
 * @device_id: (nullable): a device's stable id, %NULL for all devices
 *
 * Selects the device in the device drop-down (all, when @device_id is not
 * one of the session's devices).
 */
void
cryo_event_log_view_set_device_id (CryoEventLogView *self,
                                   const char       *device_id)
{
  guint position = 0;

  g_return_if_fail (CRYO_IS_EVENT_LOG_VIEW (self));

  for (guint i = 0; device_id != NULL && i < self->device_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->device_ids, i), device_id))
      position = i + 1;

  gtk_drop_down_set_selected (self->device_dropdown, position);
}

/**
 * cryo_event_log_view_set_kind:
 * @self: a #CryoEventLogView
 * @kind: a #CryoEventKind, or -1 for all kinds
 *
 * Selects @kind in the kind drop-down.
 */
void
cryo_event_log_view_set_kind (CryoEventLogView *self,
                              int               kind)
{
  g_return_if_fail (CRYO_IS_EVENT_LOG_VIEW (self));
  g_return_if_fail (kind >= -1 && kind < CRYO_N_EVENT_KINDS);

  gtk_drop_down_set_selected (self->kind_dropdown, kind + 1);
}

/**
 * cryo_event_log_view_set_severity:
 * @self: a #CryoEventLogView
 * @severity: a #CryoEventSeverity, or -1 for all severities
 *
 * Selects @severity in the severity drop-down.
 */
void
cryo_event_log_view_set_severity (CryoEventLogView *self,
                                  int               severity)
{
  g_return_if_fail (CRYO_IS_EVENT_LOG_VIEW (self));
  g_return_if_fail (severity >= -1 && severity < CRYO_N_EVENT_SEVERITIES);

  gtk_drop_down_set_selected (self->severity_dropdown, severity + 1);
}

/**
 * cryo_event_log_view_set_range:
 * @self: a #CryoEventLogView
 * @range: the time range to show
 *
 * Selects @range in the range drop-down; the range is taken from now (or
 * from the trend) at this moment.
 */
void
cryo_event_log_view_set_range (CryoEventLogView *self,
                               CryoEventRange    range)
{
  g_return_if_fail (CRYO_IS_EVENT_LOG_VIEW (self));

  if (gtk_drop_down_get_selected (self->range_dropdown) == range)
    on_filter_changed_cb (self);
  else
    gtk_drop_down_set_selected (self->range_dropdown, range);
}

/**
 * cryo_event_log_view_set_search:
 * @self: a #CryoEventLogView
 * @text: (nullable): what to search for in the text, device name and user
 *
 * Sets the search entry's text and filters at once (not after the entry's
 * typing delay).
 */
void
cryo_event_log_view_set_search (CryoEventLogView *self,
                                const char       *text)
{
  g_return_if_fail (CRYO_IS_EVENT_LOG_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  on_filter_changed_cb (self);
}

/**
 * cryo_event_log_view_select:
 * @self: a #CryoEventLogView
 * @position: a row of cryo_event_log_view_get_shown()
 *
 * Selects a row as a click does: the trend pauses on its time.
 */
void
cryo_event_log_view_select (CryoEventLogView *self,
                            guint             position)
{
  g_return_if_fail (CRYO_IS_EVENT_LOG_VIEW (self));

  gtk_single_selection_set_selected (self->selection, position);
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cryo_event_log_view_export_async:
 * @self: a #CryoEventLogView
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the main thread when written
 * @user_data: data for @callback
 *
 * Writes the events shown, oldest first, one cryo_event_to_line() each (the
 * format of `events.log`), replacing @file atomically.
 */
void
cryo_event_log_view_export_async (CryoEventLogView    *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  GListModel *shown;

  g_return_if_fail (CRYO_IS_EVENT_LOG_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cryo_event_log_view_export_async);

  shown = G_LIST_MODEL (self->sorted);
  for (guint i = g_list_model_get_n_items (shown); i > 0; i--)
    {
      g_autoptr(CryoEvent) event = g_list_model_get_item (shown, i - 1);
      g_autofree char *line = cryo_event_to_line (event);

      g_string_append (text, line);
    }

  bytes = g_string_free_to_bytes (g_steal_pointer (&text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                       cancellable, export_written_cb, g_steal_pointer (&task));
}

/**
 * cryo_event_log_view_export_finish:
 * @self: a #CryoEventLogView
 * @result: the result given to the callback
 * @error: a #GIOError when the file could not be written
 *
 * Returns: %TRUE when the file was written
 */
gboolean
cryo_event_log_view_export_finish (CryoEventLogView  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
