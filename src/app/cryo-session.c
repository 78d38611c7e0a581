/* cryo-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The owner of the device list, as GNOME Text Editor's EditorSession owns
 * its documents: windows and dialogs call it; it never calls them.
 */

#define G_LOG_DOMAIN "cryo-session"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <glib/gstdio.h>

#include "cryo-archive.h"
#include "cryo-condition-set.h"
#include "cryo-demo.h"
#include "cryo-event-log.h"
#include "cryo-display-units.h"
#include "cryo-session.h"

/* One configured instrument: its configuration (with the name in use), its
 * device unless it is disabled, and the devices.conf group it was read from
 * or written to (NULL for command-line and demo devices). */
typedef struct
{
  CryoDeviceConfig *config;
  CryoDevice       *device;
  char             *group;
} Entry;

struct _CryoSession
{
  GObject     parent_instance;

  GSettings  *settings;
  char       *config_path;
  GArray     *entries;
  GListStore *devices;
  CryoDemo   *demo;
  char       *config_error;
  CryoArchive *archive;
  CryoConditionSet *conditions;
  GHashTable *archive_handles;  /* CryoChannel → handle + 1 */
  char       *history_error;
  gint64      start_us;
  guint       history_span_s;
  CryoEventLog *event_log;      /* the default log the session listens to */
  GListStore *events;           /* CryoEvent: those of this run, oldest first */

  guint       monitoring : 1;
};

enum {
  PROP_0,
  PROP_DEMO,
  PROP_CONFIG_ERROR,
  PROP_HISTORY_ERROR,
  N_PROPS
};

enum {
  ENTRIES_CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CryoSession, cryo_session, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->config, cryo_device_config_free);
  g_clear_object (&entry->device);
  g_clear_pointer (&entry->group, g_free);
}

static Entry *
get_entry (CryoSession *self,
           guint        position)
{
  return &g_array_index (self->entries, Entry, position);
}

static void
set_config_error (CryoSession *self,
                  const char  *message)
{
  if (g_strcmp0 (self->config_error, message) == 0)
    return;

  g_free (self->config_error);
  self->config_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONFIG_ERROR]);
}

static void
set_history_error (CryoSession *self,
                   const char  *message)
{
  if (g_strcmp0 (self->history_error, message) == 0)
    return;

  g_free (self->history_error);
  self->history_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HISTORY_ERROR]);
}

static void
on_archive_error_cb (CryoSession *self,
                     GParamSpec  *pspec,
                     CryoArchive *archive)
{
  set_history_error (self, cryo_archive_get_error (archive));
}

/* A run that logs more than this keeps the newest in memory; the archive
 * has them all. */
#define MAX_RUN_EVENTS 10000

static void
on_event_added_cb (CryoSession *self,
                   CryoEvent   *event)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->events));

  if (self->archive != NULL)
    cryo_archive_add_event (self->archive, event);

  if (n >= MAX_RUN_EVENTS)
    g_list_store_splice (self->events, 0, n - MAX_RUN_EVENTS + 1, NULL, 0);
  g_list_store_append (self->events, event);
}

/* Follows the default event log, which the application may set after the
 * session was made. */
static void
watch_event_log (CryoSession *self)
{
  CryoEventLog *log = cryo_event_log_get_default ();

  if (log == self->event_log)
    return;

  if (self->event_log != NULL)
    g_signal_handlers_disconnect_by_data (self->event_log, self);
  g_set_object (&self->event_log, log);
  g_signal_connect_object (log, "event-added", G_CALLBACK (on_event_added_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
log_session_event (CryoSession   *self,
                   CryoEventKind  kind,
                   const char    *text)
{
  watch_event_log (self);
  cryo_event_log_add_new (self->event_log, NULL, NULL, kind, CRYO_EVENT_SEVERITY_INFO, text);
}

static void
on_device_sample_cb (CryoSession *self,
                     CryoChannel *channel,
                     gint64       time_us,
                     double       value,
                     CryoDevice  *device)
{
  gpointer handle = g_hash_table_lookup (self->archive_handles, channel);

  if (self->archive != NULL && handle != NULL)
    cryo_archive_append (self->archive, GPOINTER_TO_UINT (handle) - 1, time_us, value);
}

static void
on_device_name_cb (CryoSession *self,
                   GParamSpec  *pspec,
                   CryoDevice  *device)
{
  if (self->archive != NULL)
    cryo_archive_set_device_name (self->archive, cryo_device_get_id (device),
                                  cryo_device_get_name (device));
}

/* Gives @device's channels their archived history of the live span (with
 * a gap for the time Cryomon was not running) and archives what follows. */
static void
attach_archive (CryoSession *self,
                CryoDevice  *device)
{
  GPtrArray *channels;
  const char *device_id;
  g_autoptr(GError) error = NULL;

  if (self->archive == NULL)
    return;

  channels = cryo_device_get_channels (device);
  device_id = cryo_device_get_id (device);
  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      guint handle = cryo_archive_add_channel (self->archive, device_id, channel);

      g_hash_table_insert (self->archive_handles, channel, GUINT_TO_POINTER (handle + 1));
      if (error == NULL && cryo_history_get_n_samples (cryo_channel_get_history (channel)) == 0)
        cryo_archive_load_history (self->archive, handle, channel,
                                   self->start_us - (gint64) self->history_span_s * G_USEC_PER_SEC,
                                   self->start_us, &error);
    }

  if (error != NULL)
    set_history_error (self, error->message);

  /* The maintenance forecast from the readings of the live span too. */
  cryo_service_tracker_load_history (cryo_device_get_service_tracker (device));

  cryo_archive_set_device_name (self->archive, device_id, cryo_device_get_name (device));
  g_signal_connect_object (device, "sample", G_CALLBACK (on_device_sample_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (device, "notify::name", G_CALLBACK (on_device_name_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Devices whose configuration names no poll interval follow the preference
 * of their kind. */
static void
apply_poll_interval (CryoSession *self,
                     Entry       *entry)
{
  if (entry->device != NULL && entry->config->poll_interval_ms == 0)
    cryo_device_set_poll_interval (entry->device,
                                   cryo_settings_get_poll_interval (self->settings,
                                                                    entry->config->kind));
}

static void
on_poll_intervals_changed_cb (CryoSession *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    apply_poll_interval (self, get_entry (self, i));
}

/* Service intervals and the warning's lead time come from the preferences
 * (the kind's defaults without them). */
static void
apply_service_settings (CryoSession *self,
                        CryoDevice  *device)
{
  CryoServiceTracker *tracker;
  const CryoDeviceKind *kind;

  if (device == NULL)
    return;

  tracker = cryo_device_get_service_tracker (device);
  kind = cryo_device_get_kind (device);
  for (guint c = 0; kind->channels[c].key != NULL; c++)
    if (kind->channels[c].service_hours > 0)
      cryo_service_tracker_set_interval (tracker, kind->channels[c].key,
                                         cryo_settings_get_service_hours (self->settings, kind,
                                                                          &kind->channels[c]));
  cryo_service_tracker_set_lead_days (tracker, cryo_settings_get_service_lead_days (self->settings));
}

static void
on_service_settings_changed_cb (CryoSession *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    apply_service_settings (self, get_entry (self, i)->device);
}

static guint
find_device_position (CryoSession *self,
                      CryoDevice  *device)
{
  guint position = G_MAXUINT;

  if (device != NULL)
    g_list_store_find (self->devices, device, &position);

  return position;
}

/* Writes one change to devices.conf: removes @old_group, then writes
 * @config as @new_group. Other groups and their comments stay as they
 * were (cryo_device_config_edit_keyfile_text()), the file keeps its mode
 * and is replaced atomically. */
static gboolean
write_change (CryoSession             *self,
              const char              *old_group,
              const char              *new_group,
              const CryoDeviceConfig  *config,
              GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = g_path_get_dirname (self->config_path);
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  GStatBuf st;
  int mode = 0644;

  if (!g_file_get_contents (self->config_path, &text, NULL, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read %s: "), self->config_path);
      return FALSE;
    }
  g_clear_error (&local_error);

  changed = cryo_device_config_edit_keyfile_text (text, old_group, new_group, config, &local_error);
  if (changed == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not change %s: "), self->config_path);
      return FALSE;
    }

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_stat (self->config_path, &st) == 0)
    mode = st.st_mode & 07777;

  if (!g_file_set_contents_full (self->config_path, changed, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, mode, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not save %s: "), self->config_path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
name_in_use (CryoSession *self,
             const char  *name,
             int          except)
{
  g_autofree char *id = cryo_device_make_id (name);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = get_entry (self, i);
      g_autofree char *other_id = NULL;

      if ((int) i == except)
        continue;

      other_id = cryo_device_make_id (entry->config->name);
      if (g_str_equal (entry->config->name, name) || g_str_equal (other_id, id))
        return TRUE;
    }

  return FALSE;
}

static gboolean
id_in_use (CryoSession *self,
           const char  *id,
           int          except)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = get_entry (self, i);

      if ((int) i != except && g_strcmp0 (entry->config->id, id) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Ids are assigned once: a device added under a name whose id another
 * (perhaps renamed) device already holds gets "pump_2", "pump_3"… */
static char *
dup_unique_id (CryoSession *self,
               const char  *wanted,
               int          except)
{
  if (!id_in_use (self, wanted, except))
    return g_strdup (wanted);

  for (guint n = 2; ; n++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s_%u", wanted, n);

      if (!id_in_use (self, candidate, except))
        return g_steal_pointer (&candidate);
    }
}

/* Leaves demo mode: the simulated instruments never mix with real ones. */
static void
leave_demo (CryoSession *self)
{
  if (self->demo == NULL)
    return;

  g_list_store_remove_all (self->devices);
  g_array_set_size (self->entries, 0);
  g_clear_object (&self->demo);
  set_config_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEMO]);
}

/* The entry's thresholds on its device's channels; a channel without one
 * has none (and its threshold condition, if still active, clears). */
static void
apply_thresholds (CryoSession *self,
                  Entry       *entry)
{
  GPtrArray *channels;

  if (entry->device == NULL)
    return;

  channels = cryo_device_get_channels (entry->device);
  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      const char *key = cryo_device_get_channel_info (entry->device, channel)->key;
      const char *text = cryo_device_config_get_threshold (entry->config, key);
      g_autoptr(GError) error = NULL;
      CryoThresholdSpec spec;

      /* The configuration checked the text and its unit. */
      if ((text != NULL && !cryo_threshold_spec_parse (text, &spec, &error)) ||
          !cryo_condition_set_set_threshold (self->conditions, entry->device, key,
                                             text != NULL ? &spec : NULL, &error))
        g_warning ("%s: %s", cryo_device_get_name (entry->device), error->message);
    }
}

static Entry *
append_entry (CryoSession             *self,
              const CryoDeviceConfig  *config,
              CryoDevice              *device,
              const char              *group)
{
  Entry entry = { 0 };

  entry.config = cryo_device_config_copy (config);
  entry.device = device ? g_object_ref (device) : NULL;
  entry.group = g_strdup (group);
  g_array_append_val (self->entries, entry);

  apply_poll_interval (self, get_entry (self, self->entries->len - 1));
  apply_service_settings (self, device);

  if (device != NULL)
    {
      attach_archive (self, device);
      g_list_store_append (self->devices, device);
      apply_thresholds (self, get_entry (self, self->entries->len - 1));
      if (self->monitoring)
        cryo_device_set_monitoring (device, TRUE);
    }

  return get_entry (self, self->entries->len - 1);
}

/* A copy of @config under a name and an id no other entry uses. A
 * configuration without an id (a new device, or one from a devices file
 * written before ids existed) gets the one its name gives, which is what
 * its channels were archived under so far. */
static CryoDeviceConfig *
dup_named (CryoSession            *self,
           const CryoDeviceConfig *config,
           int                     except)
{
  CryoDeviceConfig *named = cryo_device_config_copy (config);
  const char *wanted = config->name ? config->name : cryo_device_kind_get_title (config->kind);
  g_autofree char *derived_id = NULL;

  g_free (named->name);
  named->name = cryo_session_dup_unique_name (self, wanted, except);

  if (config->id == NULL)
    derived_id = cryo_device_make_id (named->name);
  g_free (named->id);
  named->id = dup_unique_id (self, config->id ? config->id : derived_id, except);

  return named;
}

static gboolean
start_demo (CryoSession  *self,
            GError      **error)
{
  GPtrArray *devices;

  self->demo = cryo_demo_new (error);
  if (self->demo == NULL)
    return FALSE;

  devices = cryo_demo_get_devices (self->demo);
  for (guint i = 0; i < devices->len; i++)
    {
      CryoDevice *device = g_ptr_array_index (devices, i);
      g_autoptr(CryoDeviceConfig) config = cryo_device_config_copy (cryo_device_get_config (device));

      g_free (config->name);
      config->name = g_strdup (cryo_device_get_name (device));
      g_free (config->id);
      config->id = g_strdup (cryo_device_get_id (device));
      append_entry (self, config, device, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEMO]);
  return TRUE;
}

static void
cryo_session_dispose (GObject *object)
{
  CryoSession *self = CRYO_SESSION (object);

  cryo_session_shutdown (self);

  G_OBJECT_CLASS (cryo_session_parent_class)->dispose (object);
}

static void
cryo_session_finalize (GObject *object)
{
  CryoSession *self = CRYO_SESSION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->conditions);
  g_clear_object (&self->devices);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->config_path, g_free);
  g_clear_pointer (&self->config_error, g_free);
  g_clear_pointer (&self->history_error, g_free);
  g_clear_pointer (&self->archive_handles, g_hash_table_unref);
  g_clear_object (&self->events);

  G_OBJECT_CLASS (cryo_session_parent_class)->finalize (object);
}

static void
cryo_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CryoSession *self = CRYO_SESSION (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, cryo_session_get_demo (self));
      break;

    case PROP_CONFIG_ERROR:
      g_value_set_string (value, self->config_error);
      break;

    case PROP_HISTORY_ERROR:
      g_value_set_string (value, self->history_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_session_class_init (CryoSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cryo_session_dispose;
  object_class->finalize = cryo_session_finalize;
  object_class->get_property = cryo_session_get_property;

  /**
   * CryoSession:demo:
   *
   * Whether the devices are the built-in simulators.
   */
  properties [PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoSession:config-error:
   *
   * Why the configured devices could not be used (a broken devices file,
   * an unknown type), or %NULL.
   */
  properties [PROP_CONFIG_ERROR] =
    g_param_spec_string ("config-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoSession:history-error:
   *
   * Why the history archive cannot be used (damaged, locked by another
   * Cryomon, a full disk), or %NULL. Readings are then kept in memory only.
   */
  properties [PROP_HISTORY_ERROR] =
    g_param_spec_string ("history-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CryoSession::entries-changed:
   * @self: the session
   *
   * Emitted in the main thread when a device was added, replaced, renamed,
   * disabled or removed.
   */
  signals [ENTRIES_CHANGED] =
    g_signal_new ("entries-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cryo_session_init (CryoSession *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->devices = g_list_store_new (CRYO_TYPE_DEVICE);
  self->config_path = cryo_device_config_get_default_path ();
  self->archive_handles = g_hash_table_new (NULL, NULL);
  self->start_us = g_get_real_time ();
  self->history_span_s = 24 * 60 * 60;
  self->events = g_list_store_new (CRYO_TYPE_EVENT);
}


static guint
get_settings_uint (GSettings  *settings,
                   const char *key,
                   guint       fallback)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return fallback;

  /* An installed schema may be older than this build. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return fallback;

  return g_settings_get_uint (settings, key);
}
static void
on_alarm_delay_changed_cb (CryoSession *self)
{
  g_object_set (self->conditions,
                "connection-delay", get_settings_uint (self->settings, "connection-alarm-delay", 30),
                "stale-delay", get_settings_uint (self->settings, "stale-alarm-delay", 60),
                NULL);
}


/**
 * cryo_session_new:
 * @settings: (nullable): the application settings, for poll interval
 *   preferences; %NULL for the kinds' defaults
 *
 * Returns: (transfer full): a session with no devices yet
 */
CryoSession *
cryo_session_new (GSettings *settings)
{
  CryoSession *self = g_object_new (CRYO_TYPE_SESSION, NULL);

  self->history_span_s = get_settings_uint (settings, "history-span", self->history_span_s);
  cryo_device_set_history_span (self->history_span_s);

  self->conditions = cryo_condition_set_new (NULL);
  g_object_set (self->conditions,
                "connection-delay", get_settings_uint (settings, "connection-alarm-delay", 30),
                "stale-delay", get_settings_uint (settings, "stale-alarm-delay", 60),
                NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_object (settings, "changed::poll-intervals",
                               G_CALLBACK (on_poll_intervals_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::service-intervals",
                               G_CALLBACK (on_service_settings_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::service-lead-days",
                               G_CALLBACK (on_service_settings_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::connection-alarm-delay",
                               G_CALLBACK (on_alarm_delay_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::stale-alarm-delay",
                               G_CALLBACK (on_alarm_delay_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  return self;
}

/**
 * cryo_session_get_config_path:
 * @self: a #CryoSession
 *
 * Returns: the devices keyfile the session reads and writes
 */
const char *
cryo_session_get_config_path (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);

  return self->config_path;
}

/**
 * cryo_session_set_config_path:
 * @self: a #CryoSession
 * @path: another devices keyfile (tests, admins)
 *
 * Must be called before cryo_session_load().
 */
void
cryo_session_set_config_path (CryoSession *self,
                              const char  *path)
{
  g_return_if_fail (CRYO_IS_SESSION (self));
  g_return_if_fail (path != NULL);

  g_free (self->config_path);
  self->config_path = g_strdup (path);
}

/**
 * cryo_session_load:
 * @self: a #CryoSession
 * @configs: (nullable) (element-type CryoDeviceConfig): devices from the
 *   command line; they are used as given and not written to the devices file
 * @demo: use the simulated instruments whatever is configured
 * @error: a %CRYO_TRANSPORT_ERROR or #GIOError when even the simulated
 *   instruments cannot start
 *
 * Creates the devices: those of @configs, else those of the devices file,
 * else (or when the file is broken, which #CryoSession:config-error then
 * says) the simulated instruments.
 *
 * Returns: %TRUE when there are devices
 */
gboolean
cryo_session_load (CryoSession  *self,
                   GPtrArray    *configs,
                   gboolean      demo,
                   GError      **error)
{
  g_autoptr(GPtrArray) loaded = NULL;
  gboolean from_file = FALSE;

  g_return_val_if_fail (CRYO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->entries->len == 0, FALSE);

  watch_event_log (self);
  cryo_condition_set_follow (self->conditions, G_LIST_MODEL (self->devices));

  if (demo)
    return start_demo (self, error);

  if (configs != NULL && configs->len > 0)
    loaded = g_ptr_array_ref (configs);
  else if (g_file_test (self->config_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) local_error = NULL;

      loaded = cryo_device_config_load_keyfile (self->config_path, &local_error);
      if (loaded == NULL)
        {
          /* Shown in the window: the operator must learn why the
           * configured instruments are not there. */
          g_warning ("%s", local_error->message);
          set_config_error (self, local_error->message);
        }
      from_file = TRUE;
    }

  for (guint i = 0; loaded != NULL && i < loaded->len; i++)
    {
      const CryoDeviceConfig *config = g_ptr_array_index (loaded, i);
      g_autoptr(CryoDeviceConfig) named = dup_named (self, config, -1);
      g_autoptr(CryoDevice) device = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!config->disabled)
        {
          device = cryo_device_new_from_config (named, &local_error);
          if (device == NULL)
            {
              g_warning ("%s", local_error->message);
              set_config_error (self, local_error->message);
              continue;
            }
        }

      append_entry (self, named, device, from_file ? config->name : NULL);
    }

  if (self->entries->len > 0)
    {
      g_signal_emit (self, signals [ENTRIES_CHANGED], 0);
      return TRUE;
    }

  return start_demo (self, error);
}

/**
 * cryo_session_get_devices:
 * @self: a #CryoSession
 *
 * Returns: (transfer none): a #GListModel of the #CryoDevice in use (the
 *   enabled ones), in configuration order
 */
GListModel *
cryo_session_get_devices (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->devices);
}

/**
 * cryo_session_get_demo:
 * @self: a #CryoSession
 *
 * Returns: whether the devices are the built-in simulators
 */
gboolean
cryo_session_get_demo (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), FALSE);

  return self->demo != NULL;
}

/**
 * cryo_session_get_config_error:
 * @self: a #CryoSession
 *
 * Returns: (nullable): why the configured devices could not be used
 */
const char *
cryo_session_get_config_error (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);

  return self->config_error;
}

/**
 * cryo_session_get_n_entries:
 * @self: a #CryoSession
 *
 * Returns: how many devices are configured, disabled ones included
 */
guint
cryo_session_get_n_entries (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), 0);

  return self->entries->len;
}

/**
 * cryo_session_get_entry_config:
 * @self: a #CryoSession
 * @position: an entry, below cryo_session_get_n_entries()
 *
 * Returns: (transfer none): the entry's configuration, with its name in use
 */
const CryoDeviceConfig *
cryo_session_get_entry_config (CryoSession *self,
                               guint        position)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return get_entry (self, position)->config;
}

/**
 * cryo_session_get_entry_device:
 * @self: a #CryoSession
 * @position: an entry
 *
 * Returns: (transfer none) (nullable): the entry's device, %NULL when it is
 *   disabled
 */
CryoDevice *
cryo_session_get_entry_device (CryoSession *self,
                               guint        position)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return get_entry (self, position)->device;
}

/**
 * cryo_session_get_entry_saved:
 * @self: a #CryoSession
 * @position: an entry
 *
 * Returns: whether the entry is in the devices file (command-line and demo
 *   devices are not)
 */
gboolean
cryo_session_get_entry_saved (CryoSession *self,
                              guint        position)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (position < self->entries->len, FALSE);

  return get_entry (self, position)->group != NULL;
}

/**
 * cryo_session_dup_unique_name:
 * @self: a #CryoSession
 * @wanted: the name asked for ("Pumping station")
 * @except: an entry whose own name does not count (when renaming it), or -1
 *
 * Returns: (transfer full): @wanted when no other device has that name (or
 *   one that gives the same id), else "@wanted 2", "@wanted 3"…
 */
char *
cryo_session_dup_unique_name (CryoSession *self,
                              const char  *wanted,
                              int          except)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);
  g_return_val_if_fail (wanted != NULL, NULL);

  if (!name_in_use (self, wanted, except))
    return g_strdup (wanted);

  for (guint n = 2; ; n++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s %u", wanted, n);

      if (!name_in_use (self, candidate, except))
        return g_steal_pointer (&candidate);
    }
}

/**
 * cryo_session_add:
 * @self: a #CryoSession
 * @config: the instrument to add; a name already in use is made unique
 * @save: also write it to the devices file, keeping every other group
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG, or a #GFileError when the
 *   devices file cannot be written (the device is then not added)
 *
 * Adds an instrument and, while the session monitors, starts monitoring
 * it. When the simulated instruments are running they are stopped and
 * removed first; other devices keep their history.
 *
 * Returns: (transfer none) (nullable): the new device (%NULL, without an
 *   error, for a disabled configuration)
 */
CryoDevice *
cryo_session_add (CryoSession             *self,
                  const CryoDeviceConfig  *config,
                  gboolean                 save,
                  GError                 **error)
{
  g_autoptr(CryoDeviceConfig) named = NULL;
  g_autoptr(CryoDevice) device = NULL;
  Entry *entry;

  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  leave_demo (self);

  named = dup_named (self, config, -1);

  if (!named->disabled)
    {
      device = cryo_device_new_from_config (named, error);
      if (device == NULL)
        return NULL;
    }

  if (save && !write_change (self, NULL, named->name, named, error))
    return NULL;
  if (save)
    {
      g_autofree char *text = g_strdup_printf (_("Device “%s” added to the devices file"),
                                               named->name);

      log_session_event (self, CRYO_EVENT_KIND_CONFIGURATION_CHANGED, text);
    }

  entry = append_entry (self, named, device, save ? named->name : NULL);
  g_signal_emit (self, signals [ENTRIES_CHANGED], 0);

  return entry->device;
}

/* Line settings, kind and poll interval the same: only the name or the
 * thresholds (or nothing) changed, so the running device can stay. (@b
 * has @a's id.) */
static gboolean
same_but_name (const CryoDeviceConfig *a,
               const CryoDeviceConfig *b)
{
  g_autoptr(CryoDeviceConfig) renamed = cryo_device_config_copy (a);

  /* Thresholds are the session's to apply; the device stays connected. */
  g_free (renamed->name);
  renamed->name = g_strdup (b->name);
  g_strfreev (renamed->thresholds);
  renamed->thresholds = g_strdupv (b->thresholds);

  return cryo_device_config_equal (renamed, b);
}

/**
 * cryo_session_replace:
 * @self: a #CryoSession
 * @position: the entry to change
 * @config: its new configuration: a new name, line settings, enabled or
 *   disabled
 * @error: %CRYO_DEVICE_ERROR_INVALID_CONFIG, or a #GFileError when the
 *   devices file cannot be written (nothing is changed then)
 *
 * Renames a device in place (it keeps its trends), or replaces it with one
 * on the new line settings. Either way the entry keeps its id, so its
 * archived history stays its own (@config's id is ignored). An entry of the devices file is written back
 * there, under its new name, and no other group is touched.
 *
 * Returns: %TRUE when the entry was changed
 */
gboolean
cryo_session_replace (CryoSession             *self,
                      guint                    position,
                      const CryoDeviceConfig  *config,
                      GError                 **error)
{
  g_autoptr(CryoDeviceConfig) named = NULL;
  g_autoptr(CryoDevice) device = NULL;
  Entry *entry;
  guint device_position;

  g_return_val_if_fail (CRYO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (position < self->entries->len, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  entry = get_entry (self, position);
  named = dup_named (self, config, position);
  /* Whatever changes, the entry stays the same device to its history. */
  g_free (named->id);
  named->id = g_strdup (entry->config->id);

  if (entry->device != NULL && same_but_name (entry->config, named))
    device = g_object_ref (entry->device);
  else if (!named->disabled)
    {
      device = cryo_device_new_from_config (named, error);
      if (device == NULL)
        return FALSE;
    }

  if (entry->group != NULL && !write_change (self, entry->group, named->name, named, error))
    return FALSE;

  if (entry->group != NULL)
    {
      g_autofree char *text = NULL;

      if (g_str_equal (entry->group, named->name))
        text = g_strdup_printf (_("Device “%s” changed in the devices file"), named->name);
      else
        text = g_strdup_printf (_("Device “%s” renamed to “%s” in the devices file"),
                                entry->group, named->name);
      log_session_event (self, CRYO_EVENT_KIND_CONFIGURATION_CHANGED, text);

      g_free (entry->group);
      entry->group = g_strdup (named->name);
    }

  cryo_device_config_free (entry->config);
  entry->config = g_steal_pointer (&named);

  if (device == entry->device)
    cryo_device_set_name (device, entry->config->name);
  else
    {
      device_position = find_device_position (self, entry->device);

      if (entry->device != NULL)
        cryo_device_set_monitoring (entry->device, FALSE);
      g_set_object (&entry->device, device);

      if (device != NULL && device_position != G_MAXUINT)
        g_list_store_splice (self->devices, device_position, 1, (gpointer *) &device, 1);
      else if (device_position != G_MAXUINT)
        g_list_store_remove (self->devices, device_position);
      else if (device != NULL)
        {
          /* Keep configuration order: insert before the next enabled entry. */
          guint insert_at = 0;

          for (guint i = 0; i < position; i++)
            if (get_entry (self, i)->device != NULL)
              insert_at++;
          g_list_store_insert (self->devices, insert_at, device);
        }

      apply_poll_interval (self, entry);
      /* A device on new line settings has the old one's id, so it starts
       * with its archived history and goes on archiving under it. */
      if (device != NULL)
        attach_archive (self, device);
      apply_service_settings (self, device);
      if (device != NULL && self->monitoring)
        cryo_device_set_monitoring (device, TRUE);
    }
  apply_thresholds (self, entry);

  g_signal_emit (self, signals [ENTRIES_CHANGED], 0);
  return TRUE;
}

/**
 * cryo_session_remove:
 * @self: a #CryoSession
 * @position: the entry to remove
 * @delete_history: also delete its history from the archive (in the
 *   archive's writer thread, see cryo_archive_delete_device()); else it
 *   stays there, and a device added later under the same id finds it
 * @error: a #GFileError when the devices file cannot be written (nothing
 *   is removed then)
 *
 * Stops and removes a device. An entry of the devices file loses its group
 * there; every other group stays as it was.
 *
 * Returns: %TRUE when the entry was removed
 */
gboolean
cryo_session_remove (CryoSession  *self,
                     guint         position,
                     gboolean      delete_history,
                     GError      **error)
{
  Entry *entry;
  guint device_position;

  g_return_val_if_fail (CRYO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (position < self->entries->len, FALSE);

  entry = get_entry (self, position);

  if (entry->group != NULL && !write_change (self, entry->group, NULL, NULL, error))
    return FALSE;
  if (entry->group != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Device “%s” removed from the devices file"),
                                               entry->group);

      log_session_event (self, CRYO_EVENT_KIND_CONFIGURATION_CHANGED, text);
    }

  device_position = find_device_position (self, entry->device);
  if (entry->device != NULL)
    {
      GPtrArray *channels = cryo_device_get_channels (entry->device);

      cryo_device_set_monitoring (entry->device, FALSE);
      for (guint i = 0; i < channels->len; i++)
        g_hash_table_remove (self->archive_handles, g_ptr_array_index (channels, i));
    }
  if (device_position != G_MAXUINT)
    g_list_store_remove (self->devices, device_position);

  if (delete_history && self->archive != NULL)
    cryo_archive_delete_device (self->archive, entry->config->id);

  g_array_remove_index (self->entries, position);

  g_signal_emit (self, signals [ENTRIES_CHANGED], 0);
  return TRUE;
}

/**
 * cryo_session_record_service:
 * @self: a #CryoSession
 * @device: one of its devices, of a kind with a counter of total hours
 *   (%CRYO_CHANNEL_FLAG_SERVICE_RECORD)
 * @error: %CRYO_DEVICE_ERROR_NOT_MONITORING when the counter has no reading
 *   yet, or a #GFileError when the devices file cannot be written (nothing
 *   is recorded then)
 *
 * "Service done": records the counter's current reading as the hours of
 * the last service, in the device's group of the devices file (a device
 * from the command line or the demo keeps it until Cryomon quits), and
 * writes it to the event log. The forecasts count from it at once.
 *
 * Returns: %TRUE when recorded
 */
gboolean
cryo_session_record_service (CryoSession  *self,
                             CryoDevice   *device,
                             GError      **error)
{
  const CryoDeviceKind *kind;
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autofree char *text = NULL;
  CryoChannel *channel = NULL;
  CryoReading reading;
  Entry *entry = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (CRYO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (CRYO_IS_DEVICE (device), FALSE);

  for (guint i = 0; i < self->entries->len && entry == NULL; i++)
    if (get_entry (self, i)->device == device)
      entry = get_entry (self, i);
  g_return_val_if_fail (entry != NULL, FALSE);

  kind = cryo_device_get_kind (device);
  for (guint c = 0; kind->channels[c].key != NULL && channel == NULL; c++)
    if (kind->channels[c].flags & CRYO_CHANNEL_FLAG_SERVICE_RECORD)
      channel = cryo_device_lookup_channel (device, kind->channels[c].key);
  g_return_val_if_fail (channel != NULL, FALSE);

  reading = cryo_channel_get_reading (channel);
  if (reading.time_us == 0 || !isfinite (reading.value))
    {
      g_set_error (error, CRYO_DEVICE_ERROR, CRYO_DEVICE_ERROR_NOT_MONITORING,
                   _("%s has not read its hours yet: monitor it, then record the service"),
                   cryo_device_get_name (device));
      return FALSE;
    }

  config = cryo_device_config_copy (entry->config);
  config->service_hours = reading.value;
  if (entry->group != NULL && !write_change (self, entry->group, entry->group, config, error))
    return FALSE;

  cryo_device_config_free (entry->config);
  entry->config = g_steal_pointer (&config);
  cryo_device_set_service_hours (device, reading.value);

  /* Translators: the event log's result of "Service done", "at 24735.5 h" (the
   * number as events.log keeps it, with a point in every language) */
  text = g_strdup_printf (_("at %s h"), g_ascii_formatd (number, sizeof number, "%.1f", reading.value));
  cryo_event_log_add (cryo_event_log_get_default (), cryo_device_get_name (device), _("Service done"), text);

  return TRUE;
}

/**
 * cryo_session_set_monitoring:
 * @self: a #CryoSession
 * @monitoring: whether to poll the devices
 *
 * Starts or stops monitoring every device; devices added later follow.
 */
void
cryo_session_set_monitoring (CryoSession *self,
                             gboolean     monitoring)
{
  guint n;

  g_return_if_fail (CRYO_IS_SESSION (self));

  if (self->monitoring != !!monitoring)
    log_session_event (self,
                       monitoring ? CRYO_EVENT_KIND_MONITORING_STARTED
                                  : CRYO_EVENT_KIND_MONITORING_STOPPED,
                       monitoring ? _("Monitoring started") : _("Monitoring stopped"));
  self->monitoring = !!monitoring;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoDevice) device = g_list_model_get_item (G_LIST_MODEL (self->devices), i);
      cryo_device_set_monitoring (device, monitoring);
    }
}

/**
 * cryo_session_shutdown:
 * @self: a #CryoSession
 *
 * Closes every port, then stops the simulators. The session has no
 * devices afterwards.
 */
void
cryo_session_shutdown (CryoSession *self)
{
  g_return_if_fail (CRYO_IS_SESSION (self));

  /* Before the devices stop, which would otherwise clear their
   * conditions: those still active are kept for the next run. */
  if (self->conditions != NULL)
    cryo_condition_set_shutdown (self->conditions);

  /* Quitting stops monitoring too, and the archive still takes it. */
  if (self->monitoring && self->devices != NULL)
    {
      log_session_event (self, CRYO_EVENT_KIND_MONITORING_STOPPED, _("Monitoring stopped"));
      self->monitoring = FALSE;
    }
  if (self->event_log != NULL)
    g_signal_handlers_disconnect_by_data (self->event_log, self);
  g_clear_object (&self->event_log);

  if (self->devices != NULL)
    g_list_store_remove_all (self->devices);
  if (self->entries != NULL)
    g_array_set_size (self->entries, 0);
  g_clear_object (&self->demo);

  /* The last samples reach the archive before it closes. */
  if (self->archive != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->archive, self);
      cryo_archive_close (self->archive);
      g_clear_object (&self->archive);
    }
  if (self->archive_handles != NULL)
    g_hash_table_remove_all (self->archive_handles);
}

/**
 * cryo_session_open_history:
 * @self: a #CryoSession without devices yet
 * @path: (nullable): the archive file; %NULL for the user's
 *   (cryo_archive_get_default_path())
 * @error: the #CryoArchiveError when it cannot be used (also kept in
 *   #CryoSession:history-error)
 *
 * Opens the history archive: the devices then start with the history of
 * the live span (the "history-span" preference) and archive every sample
 * and event-log entry. On error the session keeps its history in memory.
 *
 * Returns: %TRUE when the archive is in use
 */
gboolean
cryo_session_open_history (CryoSession  *self,
                           const char   *path,
                           GError      **error)
{
  g_autofree char *default_path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_return_val_if_fail (CRYO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->archive == NULL, FALSE);

  if (path == NULL)
    path = default_path = cryo_archive_get_default_path ();

  /* The active conditions are kept next to the history, for the next run
   * (even when the archive itself cannot be opened). */
  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *state_path = g_build_filename (dir, "conditions.ini", NULL);
    CryoConditionSet *conditions = cryo_condition_set_new (state_path);

    g_object_set (conditions,
                  "connection-delay", cryo_condition_set_get_connection_delay (self->conditions),
                  "stale-delay", cryo_condition_set_get_stale_delay (self->conditions),
                  NULL);
    g_clear_object (&self->conditions);
    self->conditions = conditions;
  }

  self->archive = cryo_archive_open (path, &local_error);
  if (self->archive == NULL)
    {
      set_history_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  cryo_archive_set_retention (self->archive,
                              get_settings_uint (self->settings, "history-retention-days", 90));
  g_signal_connect_object (self->archive, "notify::error", G_CALLBACK (on_archive_error_cb),
                           self, G_CONNECT_SWAPPED);

  watch_event_log (self);

  return TRUE;
}

/**
 * cryo_session_get_events:
 * @self: a #CryoSession
 *
 * The events logged to the default #CryoEventLog since the session began
 * to listen (its history was opened, a device or monitoring changed), the
 * newest last; with many, only the newest 10000. Earlier ones are in the
 * archive (cryo_archive_read_events()).
 *
 * Returns: (transfer none): a #GListModel of #CryoEvent
 */
GListModel *
cryo_session_get_events (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);

  watch_event_log (self);

  return G_LIST_MODEL (self->events);
}

/**
 * cryo_session_get_conditions:
 * @self: a #CryoSession
 *
 * The active conditions of the session's devices. Once the history is
 * open (cryo_session_open_history()), they are kept from one run to the
 * next in `conditions.ini` next to the archive.
 *
 * Returns: (transfer none): the session's #CryoConditionSet
 */
CryoConditionSet *
cryo_session_get_conditions (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);

  return self->conditions;
}

/**
 * cryo_session_get_archive:
 * @self: a #CryoSession
 *
 * Returns: (transfer none) (nullable): the history archive in use
 */
CryoArchive *
cryo_session_get_archive (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);

  return self->archive;
}

/**
 * cryo_session_get_history_error:
 * @self: a #CryoSession
 *
 * Returns: (nullable): #CryoSession:history-error
 */
const char *
cryo_session_get_history_error (CryoSession *self)
{
  g_return_val_if_fail (CRYO_IS_SESSION (self), NULL);

  return self->history_error;
}
