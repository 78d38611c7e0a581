/* cryo-condition-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-condition-set"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cryo-condition-set.h"
#include "cryo-event-log.h"

/**
 * CryoConditionSet:
 *
 * The active conditions of a session's devices (issue 12 §1) and what
 * raises and clears them:
 *
 * - the alarms and warnings each instrument reports (#CryoDevice:alarms,
 *   #CryoDevice:warnings), keyed "alarm:TEXT" and "warning:TEXT";
 * - Cryomon's own: "connection", a monitored device not connected for
 *   more than #CryoConditionSet:connection-delay seconds (an error), and
 *   "stale", one connected without readings (stale or answering with an
 *   error) for more than #CryoConditionSet:stale-delay seconds (a
 *   warning);
 * - the user's thresholds, "threshold:CHANNEL-KEY" (alarms), evaluated on
 *   every sample by a #CryoThreshold;
 * - "action:NAME", an action that was sent but that the instrument did not
 *   confirm (or whose outcome is unknown, #CryoDevice::action-finished):
 *   an error, as the instrument may or may not be doing what was asked.
 *   No status clears it, so it clears when a later run of the same action
 *   is confirmed, or when the operator acknowledges it (having looked at
 *   the instrument): acknowledging it logs the acknowledgement, then the
 *   clear.
 *
 * Each raise, clear and acknowledgement goes to the default #CryoEventLog.
 * The active set is kept in a small key file (written off the main thread
 * a moment after each change, and at once by cryo_condition_set_save()),
 * and read back when the next run starts: a condition still active then is
 * neither logged nor announced as new again (issue 12 §2), and keeps its
 * raise time and acknowledgement. One that is no longer active clears as
 * soon as its device says so.
 *
 * Main thread only.
 */
struct _CryoConditionSet
{
  GObject       parent_instance;

  GListStore   *conditions;     /* CryoCondition: the active ones, in raise order */
  GHashTable   *watches;        /* CryoDevice → DeviceWatch */
  GListModel   *devices;        /* followed, or NULL */
  char         *state_path;
  GCancellable *cancellable;
  guint         save_source;
  guint         connection_delay_s;
  guint         stale_delay_s;

  guint         saving : 1;
  guint         save_again : 1;
};

typedef struct
{
  CryoConditionSet *set;
  CryoDevice       *device;
  GHashTable       *thresholds;   /* CryoChannel → ThresholdWatch */
  guint             connection_source;
  guint             stale_source;
  gboolean          monitoring;
} DeviceWatch;

typedef struct
{
  CryoThreshold  threshold;
  char          *key;
  char          *text;
} ThresholdWatch;

enum {
  PROP_0,
  PROP_CONNECTION_DELAY,
  PROP_STALE_DELAY,
  N_PROPS
};

enum {
  RAISED,
  CLEARED,
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

#define CONNECTION_KEY "connection"
#define STALE_KEY      "stale"
#define ACTION_PREFIX  "action:"
#define STATE_GROUP    "condition"

G_DEFINE_FINAL_TYPE (CryoConditionSet, cryo_condition_set, G_TYPE_OBJECT)

static void
threshold_watch_free (gpointer data)
{
  ThresholdWatch *watch = data;

  g_free (watch->key);
  g_free (watch->text);
  g_free (watch);
}

static void
device_watch_free (gpointer data)
{
  DeviceWatch *watch = data;

  g_signal_handlers_disconnect_by_data (watch->device, watch);
  g_clear_handle_id (&watch->connection_source, g_source_remove);
  g_clear_handle_id (&watch->stale_source, g_source_remove);
  g_clear_pointer (&watch->thresholds, g_hash_table_unref);
  g_clear_object (&watch->device);
  g_free (watch);
}

static guint
find_condition (CryoConditionSet *self,
                const char       *device_id,
                const char       *key)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->conditions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoCondition) condition = g_list_model_get_item (G_LIST_MODEL (self->conditions), i);

      if (g_str_equal (cryo_condition_get_device_id (condition), device_id) &&
          g_str_equal (cryo_condition_get_key (condition), key))
        return i;
    }

  return G_MAXUINT;
}

static void
log_condition (CryoCondition     *condition,
               CryoEventKind      kind,
               CryoEventSeverity  severity,
               const char        *user,
               gint64             time_us)
{
  g_autoptr(CryoEvent) event = NULL;

  event = cryo_event_new (time_us,
                          cryo_condition_get_device_id (condition),
                          cryo_condition_get_device_name (condition),
                          kind, severity, user,
                          cryo_condition_get_text (condition));
  cryo_event_log_add_event (cryo_event_log_get_default (), event);
}

/* Saving */

static GBytes *
dup_state (CryoConditionSet *self)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->conditions));
  gsize len;
  char *data;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoCondition) condition = g_list_model_get_item (G_LIST_MODEL (self->conditions), i);
      g_autofree char *group = g_strdup_printf (STATE_GROUP " %u", i);

      g_key_file_set_string (keyfile, group, "device", cryo_condition_get_device_id (condition));
      g_key_file_set_string (keyfile, group, "device-name", cryo_condition_get_device_name (condition));
      g_key_file_set_string (keyfile, group, "key", cryo_condition_get_key (condition));
      g_key_file_set_string (keyfile, group, "severity",
                             cryo_event_severity_to_id (cryo_condition_get_severity (condition)));
      g_key_file_set_string (keyfile, group, "text", cryo_condition_get_text (condition));
      g_key_file_set_int64 (keyfile, group, "raised-us", cryo_condition_get_raised_us (condition));
      if (cryo_condition_get_acknowledged (condition))
        {
          g_key_file_set_string (keyfile, group, "acknowledged-by",
                                 cryo_condition_get_acknowledged_by (condition));
          g_key_file_set_int64 (keyfile, group, "acknowledged-us",
                                cryo_condition_get_acknowledged_us (condition));
        }
    }

  data = g_key_file_to_data (keyfile, &len, NULL);
  return g_bytes_new_take (data, len);
}

static void schedule_save (CryoConditionSet *self);

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CryoConditionSet) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Cannot keep the active conditions in %s: %s", self->state_path, error->message);
    }

  if (self->save_again)
    {
      self->save_again = FALSE;
      schedule_save (self);
    }
}

static gboolean
save_cb (gpointer data)
{
  CryoConditionSet *self = data;
  g_autoptr(GFile) file = g_file_new_for_path (self->state_path);
  g_autoptr(GBytes) bytes = dup_state (self);
  g_autofree char *dir = g_path_get_dirname (self->state_path);

  self->save_source = 0;
  if (self->saving)
    {
      self->save_again = TRUE;
      return G_SOURCE_REMOVE;
    }

  g_mkdir_with_parents (dir, 0700);
  self->saving = TRUE;
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       self->cancellable, on_saved_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

/* Changes come in bursts (a device reporting several alarms at once), so
 * they are written together a moment later. */
static void
schedule_save (CryoConditionSet *self)
{
  if (self->state_path == NULL || self->save_source != 0)
    return;

  self->save_source = g_timeout_add (200, save_cb, self);
}

static void
load_state (CryoConditionSet *self)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (keyfile, self->state_path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_message ("Cannot read the active conditions from %s: %s", self->state_path, error->message);
      return;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *device = g_key_file_get_string (keyfile, groups[i], "device", NULL);
      g_autofree char *name = g_key_file_get_string (keyfile, groups[i], "device-name", NULL);
      g_autofree char *key = g_key_file_get_string (keyfile, groups[i], "key", NULL);
      g_autofree char *severity_id = g_key_file_get_string (keyfile, groups[i], "severity", NULL);
      g_autofree char *text = g_key_file_get_string (keyfile, groups[i], "text", NULL);
      g_autofree char *by = g_key_file_get_string (keyfile, groups[i], "acknowledged-by", NULL);
      gint64 raised_us = g_key_file_get_int64 (keyfile, groups[i], "raised-us", NULL);
      g_autoptr(CryoCondition) condition = NULL;
      CryoEventSeverity severity;

      if (device == NULL || key == NULL || text == NULL || raised_us <= 0 ||
          severity_id == NULL || !cryo_event_severity_from_id (severity_id, &severity) ||
          find_condition (self, device, key) != G_MAXUINT)
        {
          g_message ("%s: skipping the damaged condition [%s]", self->state_path, groups[i]);
          continue;
        }

      condition = cryo_condition_new (device, name, key, severity, text, raised_us);
      if (by != NULL)
        cryo_condition_set_acknowledged (condition, by,
                                         g_key_file_get_int64 (keyfile, groups[i], "acknowledged-us", NULL));
      g_list_store_append (self->conditions, condition);
    }
}

/* Device watching */

static void
raise_for_device (DeviceWatch       *watch,
                  const char        *key,
                  CryoEventSeverity  severity,
                  const char        *text,
                  gint64             time_us)
{
  cryo_condition_set_raise (watch->set, cryo_device_get_id (watch->device),
                            cryo_device_get_name (watch->device), key, severity, text, time_us);
}

static void
clear_for_device (DeviceWatch *watch,
                  const char  *key)
{
  cryo_condition_set_clear (watch->set, cryo_device_get_id (watch->device), key, g_get_real_time ());
}

/* The instrument's list of @prefix conditions is @texts: raise the new
 * ones, clear the ones gone. */
static void
reconcile_reported (DeviceWatch        *watch,
                    const char         *prefix,
                    CryoEventSeverity   severity,
                    const char * const *texts)
{
  CryoConditionSet *self = watch->set;
  const char *device_id = cryo_device_get_id (watch->device);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->conditions));
  gint64 now_us = g_get_real_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoCondition) condition = g_list_model_get_item (G_LIST_MODEL (self->conditions), i);
      const char *key = cryo_condition_get_key (condition);

      if (g_str_equal (cryo_condition_get_device_id (condition), device_id) &&
          g_str_has_prefix (key, prefix) &&
          !g_strv_contains (texts, key + strlen (prefix)))
        g_ptr_array_add (gone, g_strdup (key));
    }

  for (guint i = 0; i < gone->len; i++)
    cryo_condition_set_clear (self, device_id, g_ptr_array_index (gone, i), now_us);

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat (prefix, texts[i], NULL);

      raise_for_device (watch, key, severity, texts[i], now_us);
    }
}

static void
on_device_alarms_cb (CryoDevice  *device,
                     GParamSpec  *pspec,
                     DeviceWatch *watch)
{
  reconcile_reported (watch, "alarm:", CRYO_EVENT_SEVERITY_ALARM, cryo_device_get_alarms (device));
}

static void
on_device_warnings_cb (CryoDevice  *device,
                       GParamSpec  *pspec,
                       DeviceWatch *watch)
{
  reconcile_reported (watch, "warning:", CRYO_EVENT_SEVERITY_WARNING, cryo_device_get_warnings (device));
}

static gboolean
on_connection_timeout_cb (gpointer data)
{
  DeviceWatch *watch = data;
  g_autofree char *text = NULL;

  watch->connection_source = 0;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No connection for more than %u second",
                                       "No connection for more than %u seconds",
                                       watch->set->connection_delay_s),
                          watch->set->connection_delay_s);
  raise_for_device (watch, CONNECTION_KEY, CRYO_EVENT_SEVERITY_ERROR, text, g_get_real_time ());

  return G_SOURCE_REMOVE;
}

static gboolean
on_stale_timeout_cb (gpointer data)
{
  DeviceWatch *watch = data;
  g_autofree char *text = NULL;

  watch->stale_source = 0;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No readings for more than %u second",
                                       "No readings for more than %u seconds",
                                       watch->set->stale_delay_s),
                          watch->set->stale_delay_s);
  raise_for_device (watch, STALE_KEY, CRYO_EVENT_SEVERITY_WARNING, text, g_get_real_time ());

  return G_SOURCE_REMOVE;
}

/* Raises @key after @delay_s unless it is active or already on its way. */
static void
start_timer (DeviceWatch *watch,
             const char  *key,
             guint       *source,
             guint        delay_s,
             GSourceFunc  func)
{
  if (*source != 0 ||
      cryo_condition_set_lookup (watch->set, cryo_device_get_id (watch->device), key) != NULL)
    return;

  if (delay_s == 0)
    func (watch);
  else
    *source = g_timeout_add_seconds (delay_s, func, watch);
}

/* Cryomon's own conditions follow the device's state while it is
 * monitored; stopping monitoring clears them, as nothing is expected then. */
static void
update_own_conditions (DeviceWatch *watch)
{
  CryoDeviceState state = cryo_device_get_state (watch->device);
  gboolean connected;

  if (!cryo_device_get_monitoring (watch->device))
    {
      g_clear_handle_id (&watch->connection_source, g_source_remove);
      g_clear_handle_id (&watch->stale_source, g_source_remove);
      if (watch->monitoring)
        {
          clear_for_device (watch, CONNECTION_KEY);
          clear_for_device (watch, STALE_KEY);
        }
      watch->monitoring = FALSE;
      return;
    }

  watch->monitoring = TRUE;
  connected = state == CRYO_DEVICE_STATE_ONLINE || state == CRYO_DEVICE_STATE_STALE ||
              state == CRYO_DEVICE_STATE_ERROR;

  if (connected)
    {
      g_clear_handle_id (&watch->connection_source, g_source_remove);
      clear_for_device (watch, CONNECTION_KEY);
    }
  else
    start_timer (watch, CONNECTION_KEY, &watch->connection_source,
                 watch->set->connection_delay_s, on_connection_timeout_cb);

  if (state == CRYO_DEVICE_STATE_STALE || state == CRYO_DEVICE_STATE_ERROR)
    start_timer (watch, STALE_KEY, &watch->stale_source,
                 watch->set->stale_delay_s, on_stale_timeout_cb);
  else
    {
      g_clear_handle_id (&watch->stale_source, g_source_remove);
      clear_for_device (watch, STALE_KEY);
    }

  /* A restored alarm that the instrument no longer reports clears at its
   * first complete poll, even if its lists did not change. */
  if (state == CRYO_DEVICE_STATE_ONLINE)
    {
      on_device_alarms_cb (watch->device, NULL, watch);
      on_device_warnings_cb (watch->device, NULL, watch);
    }
}

static void
on_device_state_cb (CryoDevice  *device,
                    GParamSpec  *pspec,
                    DeviceWatch *watch)
{
  update_own_conditions (watch);
}

static void
on_device_sample_cb (CryoDevice  *device,
                     CryoChannel *channel,
                     gint64       time_us,
                     double       value,
                     DeviceWatch *watch)
{
  ThresholdWatch *threshold = g_hash_table_lookup (watch->thresholds, channel);

  if (threshold == NULL)
    return;

  switch (cryo_threshold_feed (&threshold->threshold, time_us, value))
    {
    case CRYO_THRESHOLD_RAISED:
      raise_for_device (watch, threshold->key, CRYO_EVENT_SEVERITY_ALARM, threshold->text, time_us);
      break;

    case CRYO_THRESHOLD_CLEARED:
      cryo_condition_set_clear (watch->set, cryo_device_get_id (device), threshold->key, time_us);
      break;

    case CRYO_THRESHOLD_UNCHANGED:
    default:
      break;
    }
}

static void
on_device_action_finished_cb (CryoDevice        *device,
                              const char        *action,
                              CryoActionOutcome  outcome,
                              const char        *log_text,
                              DeviceWatch       *watch)
{
  g_autofree char *key = g_strconcat (ACTION_PREFIX, action, NULL);
  const CryoDeviceAction *entry;
  g_autofree char *text = NULL;

  switch (outcome)
    {
    case CRYO_ACTION_OUTCOME_DONE:
      clear_for_device (watch, key);
      break;

    case CRYO_ACTION_OUTCOME_UNCONFIRMED:
      entry = cryo_device_lookup_action (device, action);
      /* Translators: "Start Pump not confirmed by the instrument" */
      text = g_strdup_printf (_("%s not confirmed by the instrument"),
                              entry != NULL ? g_dgettext (GETTEXT_PACKAGE, entry->label) : action);
      raise_for_device (watch, key, CRYO_EVENT_SEVERITY_ERROR, text, g_get_real_time ());
      break;

    case CRYO_ACTION_OUTCOME_REFUSED:
    case CRYO_ACTION_OUTCOME_FAILED:
    default:
      /* Not done, which the instrument said: nothing unconfirmed. */
      break;
    }
}

static void
on_devices_changed_cb (CryoConditionSet *self,
                       guint             position,
                       guint             removed,
                       guint             added,
                       GListModel       *devices)
{
  g_autoptr(GHashTable) present = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (devices);
  GHashTableIter iter;
  gpointer device;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) item = g_list_model_get_item (devices, i);

      g_hash_table_add (present, item);
      if (i >= position && i < position + added)
        cryo_condition_set_watch_device (self, item);
    }

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, &device, NULL))
    if (!g_hash_table_contains (present, device))
      g_ptr_array_add (gone, device);

  for (guint i = 0; i < gone->len; i++)
    cryo_condition_set_unwatch_device (self, g_ptr_array_index (gone, i));
}

/* GObject */

static void
cryo_condition_set_dispose (GObject *object)
{
  CryoConditionSet *self = (CryoConditionSet *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->devices != NULL)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  g_clear_object (&self->devices);
  if (self->watches != NULL)
    g_hash_table_remove_all (self->watches);

  G_OBJECT_CLASS (cryo_condition_set_parent_class)->dispose (object);
}

static void
cryo_condition_set_finalize (GObject *object)
{
  CryoConditionSet *self = (CryoConditionSet *) object;

  g_clear_object (&self->conditions);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->watches, g_hash_table_unref);
  g_clear_pointer (&self->state_path, g_free);

  G_OBJECT_CLASS (cryo_condition_set_parent_class)->finalize (object);
}

static void
cryo_condition_set_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CryoConditionSet *self = CRYO_CONDITION_SET (object);

  switch (prop_id)
    {
    case PROP_CONNECTION_DELAY:
      g_value_set_uint (value, self->connection_delay_s);
      break;

    case PROP_STALE_DELAY:
      g_value_set_uint (value, self->stale_delay_s);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_condition_set_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CryoConditionSet *self = CRYO_CONDITION_SET (object);

  switch (prop_id)
    {
    case PROP_CONNECTION_DELAY:
      cryo_condition_set_set_connection_delay (self, g_value_get_uint (value));
      break;

    case PROP_STALE_DELAY:
      cryo_condition_set_set_stale_delay (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_condition_set_class_init (CryoConditionSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cryo_condition_set_dispose;
  object_class->finalize = cryo_condition_set_finalize;
  object_class->get_property = cryo_condition_set_get_property;
  object_class->set_property = cryo_condition_set_set_property;

  /**
   * CryoConditionSet:connection-delay:
   *
   * How long, in seconds, a monitored device may be without a connection
   * before its "connection" condition is raised.
   */
  properties [PROP_CONNECTION_DELAY] =
    g_param_spec_uint ("connection-delay", NULL, NULL, 0, 24 * 3600, 30,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CryoConditionSet:stale-delay:
   *
   * How long, in seconds, a connected device may be without readings
   * before its "stale" condition is raised.
   */
  properties [PROP_STALE_DELAY] =
    g_param_spec_uint ("stale-delay", NULL, NULL, 0, 24 * 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CryoConditionSet::raised:
   * @self: the set
   * @condition: the condition
   *
   * Emitted in the main thread when a condition is raised that was not
   * active: once per raise, never for one restored from the last run.
   */
  signals [RAISED] =
    g_signal_new ("raised",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CRYO_TYPE_CONDITION);

  /**
   * CryoConditionSet::cleared:
   * @self: the set
   * @condition: the condition, no longer active
   *
   * Emitted in the main thread when a condition clears, after it left
   * the set.
   */
  signals [CLEARED] =
    g_signal_new ("cleared",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CRYO_TYPE_CONDITION);

  /**
   * CryoConditionSet::changed:
   * @self: the set
   * @device_id: the device whose conditions changed
   *
   * Emitted in the main thread after a condition of @device_id was raised,
   * cleared or acknowledged.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cryo_condition_set_init (CryoConditionSet *self)
{
  self->conditions = g_list_store_new (CRYO_TYPE_CONDITION);
  self->watches = g_hash_table_new_full (NULL, NULL, NULL, device_watch_free);
  self->cancellable = g_cancellable_new ();
  self->connection_delay_s = 30;
  self->stale_delay_s = 60;
}

/* Public API */

/**
 * cryo_condition_set_new:
 * @state_path: (nullable): the file that keeps the active conditions from
 *   one run to the next (cryo_session_open_history() puts it next to the
 *   history archive); %NULL to
 *   keep them in memory only
 *
 * Makes the set of a session, with the conditions that were still active
 * when the last run using @state_path ended. Reads @state_path at once: a
 * missing file is an empty set, a damaged entry is skipped.
 *
 * Returns: (transfer full): a new #CryoConditionSet
 */
CryoConditionSet *
cryo_condition_set_new (const char *state_path)
{
  CryoConditionSet *self = g_object_new (CRYO_TYPE_CONDITION_SET, NULL);

  self->state_path = g_strdup (state_path);
  if (state_path != NULL)
    load_state (self);

  return self;
}

/**
 * cryo_condition_set_get_conditions:
 * @self: a #CryoConditionSet
 *
 * Returns: (transfer none): a #GListModel of the active #CryoCondition,
 *   oldest raise first
 */
GListModel *
cryo_condition_set_get_conditions (CryoConditionSet *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), NULL);

  return G_LIST_MODEL (self->conditions);
}

/**
 * cryo_condition_set_lookup:
 * @self: a #CryoConditionSet
 * @device_id: a device id
 * @key: a condition key ("connection", "alarm:…")
 *
 * Returns: (transfer none) (nullable): the active condition, or %NULL
 */
CryoCondition *
cryo_condition_set_lookup (CryoConditionSet *self,
                           const char       *device_id,
                           const char       *key)
{
  g_autoptr(CryoCondition) condition = NULL;
  guint position;

  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  position = find_condition (self, device_id, key);
  if (position == G_MAXUINT)
    return NULL;

  /* The store keeps its reference. */
  condition = g_list_model_get_item (G_LIST_MODEL (self->conditions), position);
  return condition;
}

/**
 * cryo_condition_set_count_unacknowledged:
 * @self: a #CryoConditionSet
 * @device_id: a device id
 *
 * Returns: how many active conditions of @device_id nobody acknowledged
 */
guint
cryo_condition_set_count_unacknowledged (CryoConditionSet *self,
                                         const char       *device_id)
{
  guint n, count = 0;

  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), 0);
  g_return_val_if_fail (device_id != NULL, 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->conditions));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoCondition) condition = g_list_model_get_item (G_LIST_MODEL (self->conditions), i);

      if (g_str_equal (cryo_condition_get_device_id (condition), device_id) &&
          !cryo_condition_get_acknowledged (condition))
        count++;
    }

  return count;
}

/**
 * cryo_condition_set_raise:
 * @self: a #CryoConditionSet
 * @device_id: the device's id
 * @device_name: the device's name, for the log and notifications
 * @key: the condition's key within the device
 * @severity: warning, alarm or error
 * @text: what the condition is, translated
 * @time_us: when it was raised, µs since the epoch
 *
 * Raises a condition. One already active (also one restored from the last
 * run) stays as it is: it is not logged or announced again. A new one is
 * logged as raised and #CryoConditionSet::raised is emitted.
 *
 * Returns: (transfer none): the active condition
 */
CryoCondition *
cryo_condition_set_raise (CryoConditionSet  *self,
                          const char        *device_id,
                          const char        *device_name,
                          const char        *key,
                          CryoEventSeverity  severity,
                          const char        *text,
                          gint64             time_us)
{
  g_autoptr(CryoCondition) condition = NULL;
  CryoCondition *active;

  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  active = cryo_condition_set_lookup (self, device_id, key);
  if (active != NULL)
    return active;

  condition = cryo_condition_new (device_id, device_name, key, severity, text, time_us);
  g_message ("%s: raised: %s", device_name != NULL ? device_name : device_id, text);
  g_list_store_append (self->conditions, condition);
  log_condition (condition, CRYO_EVENT_KIND_ALARM_RAISED, severity, NULL, time_us);
  schedule_save (self);

  g_signal_emit (self, signals [RAISED], 0, condition);
  g_signal_emit (self, signals [CHANGED], 0, device_id);

  return condition;
}

/**
 * cryo_condition_set_clear:
 * @self: a #CryoConditionSet
 * @device_id: the device's id
 * @key: the condition's key within the device
 * @time_us: when it cleared, µs since the epoch
 *
 * Clears an active condition: it leaves the set, is logged as cleared and
 * #CryoConditionSet::cleared is emitted. Nothing happens when it is not
 * active.
 *
 * Returns: whether the condition was active
 */
gboolean
cryo_condition_set_clear (CryoConditionSet *self,
                          const char       *device_id,
                          const char       *key,
                          gint64            time_us)
{
  g_autoptr(CryoCondition) condition = NULL;
  guint position;

  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  position = find_condition (self, device_id, key);
  if (position == G_MAXUINT)
    return FALSE;

  condition = g_list_model_get_item (G_LIST_MODEL (self->conditions), position);
  g_list_store_remove (self->conditions, position);
  cryo_condition_set_cleared (condition, MAX (time_us, 1));
  log_condition (condition, CRYO_EVENT_KIND_ALARM_CLEARED, CRYO_EVENT_SEVERITY_INFO, NULL, time_us);
  schedule_save (self);

  g_signal_emit (self, signals [CLEARED], 0, condition);
  g_signal_emit (self, signals [CHANGED], 0, device_id);

  return TRUE;
}

/**
 * cryo_condition_set_acknowledge:
 * @self: a #CryoConditionSet
 * @condition: an active condition of @self
 * @user: who acknowledges it: the login name (g_get_user_name())
 *
 * Records that @user has seen @condition, now, and logs it with @user.
 * A condition already acknowledged keeps its first acknowledgement and is
 * not logged again. An unconfirmed action ("action:NAME") then clears:
 * it leaves the set, so a caller that still needs @condition holds a
 * reference.
 */
void
cryo_condition_set_acknowledge (CryoConditionSet *self,
                                CryoCondition    *condition,
                                const char       *user)
{
  gint64 now_us = g_get_real_time ();

  g_return_if_fail (CRYO_IS_CONDITION_SET (self));
  g_return_if_fail (CRYO_IS_CONDITION (condition));
  g_return_if_fail (user != NULL);

  if (cryo_condition_get_acknowledged (condition) || !cryo_condition_get_active (condition))
    return;

  cryo_condition_set_acknowledged (condition, user, now_us);
  log_condition (condition, CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED, CRYO_EVENT_SEVERITY_INFO, user, now_us);
  schedule_save (self);

  g_signal_emit (self, signals [CHANGED], 0, cryo_condition_get_device_id (condition));

  /* Nothing but a confirmed run would clear an unconfirmed action: the
   * operator who has seen it and checked the instrument clears it. */
  if (g_str_has_prefix (cryo_condition_get_key (condition), ACTION_PREFIX))
    cryo_condition_set_clear (self, cryo_condition_get_device_id (condition),
                              cryo_condition_get_key (condition), now_us);
}

/**
 * cryo_condition_set_acknowledge_device:
 * @self: a #CryoConditionSet
 * @device_id: a device id
 * @user: who acknowledges: the login name (g_get_user_name())
 *
 * Acknowledges every unacknowledged active condition of @device_id, as
 * cryo_condition_set_acknowledge() does.
 *
 * Returns: how many were acknowledged
 */
guint
cryo_condition_set_acknowledge_device (CryoConditionSet *self,
                                       const char       *device_id,
                                       const char       *user)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), 0);
  g_return_val_if_fail (device_id != NULL, 0);
  g_return_val_if_fail (user != NULL, 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->conditions));
  for (guint i = 0; i < n; i++)
    {
      CryoCondition *condition = g_list_model_get_item (G_LIST_MODEL (self->conditions), i);

      g_ptr_array_add (pending, condition);
    }

  n = 0;
  for (guint i = 0; i < pending->len; i++)
    {
      CryoCondition *condition = g_ptr_array_index (pending, i);

      if (g_str_equal (cryo_condition_get_device_id (condition), device_id) &&
          !cryo_condition_get_acknowledged (condition))
        {
          cryo_condition_set_acknowledge (self, condition, user);
          n++;
        }
    }

  return n;
}

/**
 * cryo_condition_set_watch_device:
 * @self: a #CryoConditionSet
 * @device: a device of the session
 *
 * Raises and clears @device's conditions from now on: its reported alarms
 * and warnings, its connection and readings while monitored, and the
 * thresholds set with cryo_condition_set_set_threshold().
 */
void
cryo_condition_set_watch_device (CryoConditionSet *self,
                                 CryoDevice       *device)
{
  DeviceWatch *watch;

  g_return_if_fail (CRYO_IS_CONDITION_SET (self));
  g_return_if_fail (CRYO_IS_DEVICE (device));

  if (g_hash_table_contains (self->watches, device))
    return;

  watch = g_new0 (DeviceWatch, 1);
  watch->set = self;
  watch->device = g_object_ref (device);
  watch->thresholds = g_hash_table_new_full (NULL, NULL, NULL, threshold_watch_free);
  g_hash_table_insert (self->watches, device, watch);

  g_signal_connect (device, "notify::alarms", G_CALLBACK (on_device_alarms_cb), watch);
  g_signal_connect (device, "notify::warnings", G_CALLBACK (on_device_warnings_cb), watch);
  g_signal_connect (device, "notify::state", G_CALLBACK (on_device_state_cb), watch);
  g_signal_connect (device, "action-finished", G_CALLBACK (on_device_action_finished_cb), watch);
  g_signal_connect (device, "notify::monitoring", G_CALLBACK (on_device_state_cb), watch);
  g_signal_connect (device, "sample", G_CALLBACK (on_device_sample_cb), watch);

  update_own_conditions (watch);
  /* What the device reports already counts; what it does not report yet
   * (restored from the last run) waits for its first complete poll. */
  if (g_strv_length ((char **) cryo_device_get_alarms (device)) > 0)
    on_device_alarms_cb (device, NULL, watch);
  if (g_strv_length ((char **) cryo_device_get_warnings (device)) > 0)
    on_device_warnings_cb (device, NULL, watch);
}

/**
 * cryo_condition_set_follow:
 * @self: a #CryoConditionSet
 * @devices: a #GListModel of #CryoDevice: the session's devices
 *
 * Watches every device of @devices (cryo_condition_set_watch_device()),
 * also those added later, and stops watching those removed.
 */
void
cryo_condition_set_follow (CryoConditionSet *self,
                           GListModel       *devices)
{
  g_return_if_fail (CRYO_IS_CONDITION_SET (self));
  g_return_if_fail (G_IS_LIST_MODEL (devices));
  g_return_if_fail (self->devices == NULL);

  self->devices = g_object_ref (devices);
  g_signal_connect_object (devices, "items-changed", G_CALLBACK (on_devices_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_devices_changed_cb (self, 0, 0, g_list_model_get_n_items (devices), devices);
}

/**
 * cryo_condition_set_unwatch_device:
 * @self: a #CryoConditionSet
 * @device: a watched device
 *
 * Stops following @device (removed from the session or replaced). Its
 * active conditions stay until a device with its id clears them.
 */
void
cryo_condition_set_unwatch_device (CryoConditionSet *self,
                                   CryoDevice       *device)
{
  g_return_if_fail (CRYO_IS_CONDITION_SET (self));
  g_return_if_fail (CRYO_IS_DEVICE (device));

  g_hash_table_remove (self->watches, device);
}

/**
 * cryo_condition_set_set_threshold:
 * @self: a #CryoConditionSet
 * @device: a watched device
 * @channel_key: the key of one of its channels ("pressure")
 * @spec: (nullable): the threshold, in a unit of the channel's quantity;
 *   %NULL to remove the channel's threshold
 * @error: %CRYO_THRESHOLD_ERROR_INVALID when the device has no such
 *   channel or the unit does not fit it
 *
 * Sets the user threshold of one channel, raising the condition
 * "threshold:@channel_key" (an alarm). A condition of that key already
 * active (the previous threshold's, or restored from the last run) is kept
 * as raised by the new threshold, so it is not logged again; removing the
 * threshold clears it.
 *
 * Returns: %TRUE when the threshold is in use
 */
gboolean
cryo_condition_set_set_threshold (CryoConditionSet         *self,
                                  CryoDevice               *device,
                                  const char               *channel_key,
                                  const CryoThresholdSpec  *spec,
                                  GError                  **error)
{
  DeviceWatch *watch;
  CryoChannel *channel;
  ThresholdWatch *threshold;
  g_autofree char *key = NULL;
  gboolean fits;

  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), FALSE);
  g_return_val_if_fail (CRYO_IS_DEVICE (device), FALSE);
  g_return_val_if_fail (channel_key != NULL, FALSE);

  watch = g_hash_table_lookup (self->watches, device);
  g_return_val_if_fail (watch != NULL, FALSE);

  channel = cryo_device_lookup_channel (device, channel_key);
  if (channel == NULL)
    {
      g_set_error (error, CRYO_THRESHOLD_ERROR, CRYO_THRESHOLD_ERROR_INVALID,
                   _("%s has no channel “%s”"), cryo_device_get_name (device), channel_key);
      return FALSE;
    }

  key = g_strconcat ("threshold:", channel_key, NULL);
  if (spec == NULL)
    {
      g_hash_table_remove (watch->thresholds, channel);
      clear_for_device (watch, key);
      return TRUE;
    }

  if (spec->unit == CRYO_UNIT_NONE)
    fits = cryo_channel_get_unit (channel) == CRYO_UNIT_NONE;
  else
    fits = cryo_unit_get_quantity (spec->unit) == cryo_channel_get_quantity (channel);
  if (!fits)
    {
      const char *symbol = cryo_unit_get_symbol (cryo_channel_get_unit (channel));

      if (symbol == NULL || *symbol == '\0')
        g_set_error (error, CRYO_THRESHOLD_ERROR, CRYO_THRESHOLD_ERROR_INVALID,
                     _("The threshold of %s must be a plain number, without a unit"),
                     cryo_channel_get_label (channel));
      else
        g_set_error (error, CRYO_THRESHOLD_ERROR, CRYO_THRESHOLD_ERROR_INVALID,
                     _("The threshold of %s must be in a unit of its quantity, such as %s"),
                     cryo_channel_get_label (channel), symbol);
      return FALSE;
    }

  threshold = g_new0 (ThresholdWatch, 1);
  cryo_threshold_init (&threshold->threshold, spec);
  threshold->key = g_steal_pointer (&key);
  threshold->text = cryo_threshold_spec_dup_description (spec, cryo_channel_get_label (channel));
  if (cryo_condition_set_lookup (self, cryo_device_get_id (device), threshold->key) != NULL)
    cryo_threshold_restore_raised (&threshold->threshold);
  g_hash_table_replace (watch->thresholds, channel, threshold);

  return TRUE;
}

/**
 * cryo_condition_set_get_connection_delay:
 * @self: a #CryoConditionSet
 *
 * Returns: the #CryoConditionSet:connection-delay, seconds
 */
guint
cryo_condition_set_get_connection_delay (CryoConditionSet *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), 0);

  return self->connection_delay_s;
}

/**
 * cryo_condition_set_set_connection_delay:
 * @self: a #CryoConditionSet
 * @seconds: the new #CryoConditionSet:connection-delay; 0 raises at once
 *
 * Applies from the next loss of a connection on.
 */
void
cryo_condition_set_set_connection_delay (CryoConditionSet *self,
                                         guint             seconds)
{
  g_return_if_fail (CRYO_IS_CONDITION_SET (self));

  if (self->connection_delay_s == seconds)
    return;

  self->connection_delay_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONNECTION_DELAY]);
}

/**
 * cryo_condition_set_get_stale_delay:
 * @self: a #CryoConditionSet
 *
 * Returns: the #CryoConditionSet:stale-delay, seconds
 */
guint
cryo_condition_set_get_stale_delay (CryoConditionSet *self)
{
  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), 0);

  return self->stale_delay_s;
}

/**
 * cryo_condition_set_set_stale_delay:
 * @self: a #CryoConditionSet
 * @seconds: the new #CryoConditionSet:stale-delay; 0 raises at once
 *
 * Applies from the next time readings go missing on.
 */
void
cryo_condition_set_set_stale_delay (CryoConditionSet *self,
                                    guint             seconds)
{
  g_return_if_fail (CRYO_IS_CONDITION_SET (self));

  if (self->stale_delay_s == seconds)
    return;

  self->stale_delay_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STALE_DELAY]);
}

/**
 * cryo_condition_set_save:
 * @self: a #CryoConditionSet
 * @error: a #GFileError when the file cannot be written
 *
 * Writes the active conditions to the state file now, in the calling
 * thread: for the end of a run. During a run the set writes a moment after
 * each change, off the main thread. Without a state file, does nothing.
 *
 * Returns: %TRUE when written (or nothing to write to)
 */
gboolean
cryo_condition_set_save (CryoConditionSet  *self,
                         GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (CRYO_IS_CONDITION_SET (self), FALSE);

  if (self->state_path == NULL)
    return TRUE;

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_again = FALSE;

  dir = g_path_get_dirname (self->state_path);
  g_mkdir_with_parents (dir, 0700);
  bytes = dup_state (self);
  data = g_bytes_get_data (bytes, &len);

  return g_file_set_contents_full (self->state_path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * cryo_condition_set_shutdown:
 * @self: a #CryoConditionSet
 *
 * Ends the run: stops following the devices (so stopping them clears
 * nothing) and writes the active conditions for the next run.
 */
void
cryo_condition_set_shutdown (CryoConditionSet *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRYO_IS_CONDITION_SET (self));

  if (self->devices != NULL)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  g_clear_object (&self->devices);
  g_hash_table_remove_all (self->watches);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (!cryo_condition_set_save (self, &error))
    g_message ("Cannot keep the active conditions in %s: %s", self->state_path, error->message);
}
