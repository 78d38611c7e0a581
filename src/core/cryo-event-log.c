/* cryo-event-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-event-log"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cryo-event-log.h"

/**
 * CryoEventLog:
 *
 * The event log (DESIGN.md "Rules": every control action is in the event
 * log): actions and their results, alarms raised, cleared and
 * acknowledged, connections lost and restored, monitoring started and
 * stopped, configuration changes. Each #CryoEvent is one line appended to
 * a text file for admins and grep, in the format documented at #CryoEvent
 * (cryo_event_to_line()), which the Event Log view's export writes too:
 *
 * |[
 * 2026-11-22T05:48:54.123456+01:00<TAB>pump<TAB>Pumping station<TAB>action-result<TAB>info<TAB>jdoe<TAB>Start: done
 * ]|
 *
 * The file is opened in append mode for each line and closed again, so
 * every line is on disk (in the page cache) when cryo_event_log_add_event()
 * returns and several processes may share one file. A new log is created
 * readable by its owner only (0600, in folders of 0700); an existing one
 * keeps its mode; a symbolic link at the path is followed.
 *
 * I/O errors are reported once per log with g_warning() and never stop the
 * caller; the #CryoEventLog::event-added signal is emitted either way, and
 * the session stores the event in the history archive from there.
 *
 * Main thread only.
 */
struct _CryoEventLog
{
  GObject   parent_instance;

  char     *path;
  gboolean  warned;
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  EVENT_ADDED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static CryoEventLog *default_log;

G_DEFINE_FINAL_TYPE (CryoEventLog, cryo_event_log, G_TYPE_OBJECT)

static void
warn_once (CryoEventLog *self,
           const char   *what,
           int           saved_errno)
{
  if (self->warned)
    return;

  self->warned = TRUE;
  g_warning ("Could not %s event log “%s”: %s", what, self->path, g_strerror (saved_errno));
}

static void
write_line (CryoEventLog *self,
            const char   *line,
            gsize         len)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int fd;

  /* Who ran what, and when, is the operator's business: folders this
   * creates are 0700 and a new log 0600. An existing log keeps its mode
   * (an admin may share it), and a symbolic link at the path is followed,
   * as open(2) does, and stays a link. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      warn_once (self, "create the folder of", errno);
      return;
    }

  fd = g_open (self->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      warn_once (self, "open", errno);
      return;
    }

  /* O_APPEND writes of a line land whole at the end, so a single write
   * keeps lines from interleaving; loop only for the rare short write. */
  while (len > 0)
    {
      gssize written = write (fd, line, len);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          warn_once (self, "write to", errno);
          break;
        }

      line += written;
      len -= written;
    }

  if (close (fd) != 0)
    warn_once (self, "close", errno);
}

static void
cryo_event_log_finalize (GObject *object)
{
  CryoEventLog *self = (CryoEventLog *)object;

  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cryo_event_log_parent_class)->finalize (object);
}

static void
cryo_event_log_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CryoEventLog *self = CRYO_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_event_log_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CryoEventLog *self = CRYO_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_event_log_class_init (CryoEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_event_log_finalize;
  object_class->get_property = cryo_event_log_get_property;
  object_class->set_property = cryo_event_log_set_property;

  /**
   * CryoEventLog:path:
   *
   * The file lines are appended to; it (mode 0600) and its missing parent
   * folders (mode 0700) are created on the first line.
   */
  properties [PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CryoEventLog::event-added:
   * @self: the #CryoEventLog
   * @event: the #CryoEvent
   *
   * Emitted by cryo_event_log_add_event() after the line was written (or
   * writing it failed), in the calling thread, which is the main thread.
   */
  signals [EVENT_ADDED] =
    g_signal_new ("event-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE,
                  1,
                  CRYO_TYPE_EVENT);
}

static void
cryo_event_log_init (CryoEventLog *self)
{
}

/**
 * cryo_event_log_new:
 * @path: the log file, in the GLib file name encoding
 *
 * Creates a log appending to @path. Nothing is created on disk until the
 * first event.
 *
 * Returns: (transfer full): a new #CryoEventLog
 */
CryoEventLog *
cryo_event_log_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (CRYO_TYPE_EVENT_LOG,
                       "path", path,
                       NULL);
}

/**
 * cryo_event_log_get_default:
 *
 * The process-wide log, as set with cryo_event_log_set_default(). When none
 * was set, one writing to `$XDG_DATA_HOME/cryomon/events.log`
 * (g_get_user_data_dir()) is created on first use.
 *
 * Main thread only.
 *
 * Returns: (transfer none): the default #CryoEventLog
 */
CryoEventLog *
cryo_event_log_get_default (void)
{
  if (default_log == NULL)
    {
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), "cryomon", "events.log", NULL);

      default_log = cryo_event_log_new (path);
    }

  return default_log;
}

/**
 * cryo_event_log_set_default:
 * @self: (nullable): a #CryoEventLog, or %NULL to drop the default
 *
 * Makes @self the process-wide log (a reference is kept), typically at
 * application start-up with the log folder from the preferences.
 *
 * Main thread only.
 */
void
cryo_event_log_set_default (CryoEventLog *self)
{
  g_return_if_fail (self == NULL || CRYO_IS_EVENT_LOG (self));

  g_set_object (&default_log, self);
}

/**
 * cryo_event_log_get_path:
 * @self: a #CryoEventLog
 *
 * Returns: (transfer none): the log file
 */
const char *
cryo_event_log_get_path (CryoEventLog *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT_LOG (self), NULL);

  return self->path;
}

/**
 * cryo_event_log_add_event:
 * @self: a #CryoEventLog
 * @event: the event
 *
 * Appends @event as one line (cryo_event_to_line()) to the log file,
 * creating it and its folders if needed, then emits
 * #CryoEventLog::event-added. The first I/O failure is reported with
 * g_warning(); none is fatal.
 *
 * Main thread only.
 */
void
cryo_event_log_add_event (CryoEventLog *self,
                          CryoEvent    *event)
{
  g_autofree char *line = NULL;

  g_return_if_fail (CRYO_IS_EVENT_LOG (self));
  g_return_if_fail (CRYO_IS_EVENT (event));

  line = cryo_event_to_line (event);
  write_line (self, line, strlen (line));

  g_signal_emit (self, signals [EVENT_ADDED], 0, event);
}

/**
 * cryo_event_log_add_new:
 * @self: a #CryoEventLog
 * @device_id: (nullable): the device's stable id, %NULL for the session's
 *   own events
 * @device_name: (nullable): the device's name
 * @kind: what happened
 * @severity: how much it matters
 * @text: what happened, translated (UTF-8)
 *
 * Logs an event of now (cryo_event_new_now(): with the user's login name
 * for what an operator does) with cryo_event_log_add_event().
 *
 * Main thread only.
 */
void
cryo_event_log_add_new (CryoEventLog      *self,
                        const char        *device_id,
                        const char        *device_name,
                        CryoEventKind      kind,
                        CryoEventSeverity  severity,
                        const char        *text)
{
  g_autoptr(CryoEvent) event = NULL;

  g_return_if_fail (CRYO_IS_EVENT_LOG (self));

  event = cryo_event_new_now (device_id, device_name, kind, severity, text);
  cryo_event_log_add_event (self, event);
}

/**
 * cryo_event_log_add:
 * @self: a #CryoEventLog
 * @device: the device name (UTF-8)
 * @action: what was done (UTF-8)
 * @result: how it ended (UTF-8)
 *
 * Logs the result of an action done now by the user: an info-level
 * %CRYO_EVENT_KIND_ACTION_RESULT with the text "@action: @result" and no
 * device id. For callers that know more, cryo_event_log_add_new().
 *
 * Main thread only.
 */
void
cryo_event_log_add (CryoEventLog *self,
                    const char   *device,
                    const char   *action,
                    const char   *result)
{
  g_autofree char *text = NULL;

  g_return_if_fail (CRYO_IS_EVENT_LOG (self));

  text = g_strdup_printf ("%s: %s", action ? action : "", result ? result : "");
  cryo_event_log_add_new (self, NULL, device, CRYO_EVENT_KIND_ACTION_RESULT,
                          CRYO_EVENT_SEVERITY_INFO, text);
}
