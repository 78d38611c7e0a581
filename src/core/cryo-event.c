/* cryo-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-event"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cryo-event.h"

/**
 * CryoEvent:
 *
 * One entry of the event log: when (wall clock, µs since the epoch), which
 * device (stable id and the name it had then; both empty for the session's
 * own events such as monitoring started), what kind, how severe, who (the
 * login name for what an operator did, empty otherwise) and a translated
 * text.
 *
 * Immutable once created, so the same object may be shared between the
 * log, the archive's writer thread and list models.
 *
 * As a line of `events.log` (cryo_event_to_line()), tab-separated:
 *
 * |[
 * 2026-11-22T05:48:54.123456+01:00<TAB>pump<TAB>Pumping station<TAB>action-result<TAB>info<TAB>jdoe<TAB>Start: done
 * ]|
 *
 * time (local, ISO 8601 with µs and UTC offset), device id, device name,
 * kind (cryo_event_kind_to_id()), severity (cryo_event_severity_to_id()),
 * user, text. Inside a field a backslash is written `\\`, a tab `\t`, a
 * line feed `\n` and a carriage return `\r`, so one event stays one line
 * and cryo_event_new_from_line() reads it back unchanged.
 */
struct _CryoEvent
{
  GObject            parent_instance;

  gint64             time_us;
  char              *device_id;
  char              *device_name;
  char              *user;
  char              *text;
  CryoEventKind      kind;
  CryoEventSeverity  severity;
};

G_DEFINE_FINAL_TYPE (CryoEvent, cryo_event, G_TYPE_OBJECT)

G_DEFINE_QUARK (cryo-event-error-quark, cryo_event_error)

#define N_FIELDS 7

static const char * const kind_ids[CRYO_N_EVENT_KINDS] = {
  [CRYO_EVENT_KIND_ACTION] = "action",
  [CRYO_EVENT_KIND_ACTION_RESULT] = "action-result",
  [CRYO_EVENT_KIND_ALARM_RAISED] = "alarm-raised",
  [CRYO_EVENT_KIND_ALARM_CLEARED] = "alarm-cleared",
  [CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED] = "alarm-acknowledged",
  [CRYO_EVENT_KIND_CONNECTION_LOST] = "connection-lost",
  [CRYO_EVENT_KIND_CONNECTION_RESTORED] = "connection-restored",
  [CRYO_EVENT_KIND_MONITORING_STARTED] = "monitoring-started",
  [CRYO_EVENT_KIND_MONITORING_STOPPED] = "monitoring-stopped",
  [CRYO_EVENT_KIND_CONFIGURATION_CHANGED] = "configuration-changed",
};

static const char * const severity_ids[CRYO_N_EVENT_SEVERITIES] = {
  [CRYO_EVENT_SEVERITY_INFO] = "info",
  [CRYO_EVENT_SEVERITY_WARNING] = "warning",
  [CRYO_EVENT_SEVERITY_ALARM] = "alarm",
  [CRYO_EVENT_SEVERITY_ERROR] = "error",
};

static void
append_escaped (GString    *line,
                const char *field)
{
  for (const char *p = field; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\': g_string_append (line, "\\\\"); break;
        case '\t': g_string_append (line, "\\t"); break;
        case '\n': g_string_append (line, "\\n"); break;
        case '\r': g_string_append (line, "\\r"); break;
        default: g_string_append_c (line, *p); break;
        }
    }
}

/* The inverse of append_escaped(); %NULL for a lone or unknown escape. */
static char *
unescape (const char *field)
{
  g_autoptr(GString) out = g_string_sized_new (strlen (field));

  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }

      switch (*++p)
        {
        case '\\': g_string_append_c (out, '\\'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        default: return NULL;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
cryo_event_finalize (GObject *object)
{
  CryoEvent *self = (CryoEvent *)object;

  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->device_name, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (cryo_event_parent_class)->finalize (object);
}

static void
cryo_event_class_init (CryoEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_event_finalize;
}

static void
cryo_event_init (CryoEvent *self)
{
}

/**
 * cryo_event_new:
 * @time_us: when, wall clock in µs since the Unix epoch (g_get_real_time())
 * @device_id: (nullable): the device's stable id ("pump"); %NULL or empty
 *   for the session's own events
 * @device_name: (nullable): the device's name at the time
 * @kind: what happened
 * @severity: how much it matters
 * @user: (nullable): the login name of who did it, for the kinds
 *   cryo_event_kind_is_by_user() says; %NULL or empty otherwise
 * @text: (nullable): what happened, translated, UTF-8
 *
 * Strings that are not valid UTF-8 are stored with the invalid bytes
 * replaced, so every event can be written, shown and read back.
 *
 * Returns: (transfer full): a new immutable #CryoEvent
 */
CryoEvent *
cryo_event_new (gint64             time_us,
                const char        *device_id,
                const char        *device_name,
                CryoEventKind      kind,
                CryoEventSeverity  severity,
                const char        *user,
                const char        *text)
{
  CryoEvent *self;

  g_return_val_if_fail ((guint) kind < CRYO_N_EVENT_KINDS, NULL);
  g_return_val_if_fail ((guint) severity < CRYO_N_EVENT_SEVERITIES, NULL);

  self = g_object_new (CRYO_TYPE_EVENT, NULL);
  self->time_us = time_us;
  self->device_id = g_utf8_make_valid (device_id ? device_id : "", -1);
  self->device_name = g_utf8_make_valid (device_name ? device_name : "", -1);
  self->kind = kind;
  self->severity = severity;
  self->user = g_utf8_make_valid (user ? user : "", -1);
  self->text = g_utf8_make_valid (text ? text : "", -1);

  return self;
}

/**
 * cryo_event_new_now:
 * @device_id: (nullable): as for cryo_event_new()
 * @device_name: (nullable): as for cryo_event_new()
 * @kind: what happened
 * @severity: how much it matters
 * @text: (nullable): what happened, translated
 *
 * An event at g_get_real_time(), with the user's login name
 * (g_get_user_name()) when cryo_event_kind_is_by_user() says @kind is an
 * operator's doing.
 *
 * Returns: (transfer full): a new #CryoEvent
 */
CryoEvent *
cryo_event_new_now (const char        *device_id,
                    const char        *device_name,
                    CryoEventKind      kind,
                    CryoEventSeverity  severity,
                    const char        *text)
{
  return cryo_event_new (g_get_real_time (), device_id, device_name, kind, severity,
                         cryo_event_kind_is_by_user (kind) ? g_get_user_name () : NULL,
                         text);
}

/**
 * cryo_event_new_from_line:
 * @line: one line as written by cryo_event_to_line(), with or without its
 *   line break; a line of the older four-field format (time, device,
 *   action, result) is read as an info-level action result
 * @error: %CRYO_EVENT_ERROR_MALFORMED with what is wrong
 *
 * Reads a line of `events.log` back (the format is in #CryoEvent).
 *
 * Returns: (transfer full) (nullable): the event, or %NULL
 */
CryoEvent *
cryo_event_new_from_line (const char  *line,
                          GError     **error)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) raw = NULL;
  g_autoptr(GDateTime) stamp = NULL;
  char *fields[N_FIELDS] = { NULL };
  CryoEventKind kind = CRYO_EVENT_KIND_ACTION_RESULT;
  CryoEventSeverity severity = CRYO_EVENT_SEVERITY_INFO;
  CryoEvent *event = NULL;
  gsize len;
  guint n;

  g_return_val_if_fail (line != NULL, NULL);

  len = strlen (line);
  if (len > 0 && line[len - 1] == '\n')
    len--;
  if (len > 0 && line[len - 1] == '\r')
    len--;
  copy = g_strndup (line, len);

  if (!g_utf8_validate (copy, -1, NULL))
    {
      g_set_error_literal (error, CRYO_EVENT_ERROR, CRYO_EVENT_ERROR_MALFORMED,
                           _("The event is not valid UTF-8"));
      return NULL;
    }

  raw = g_strsplit (copy, "\t", -1);
  n = g_strv_length (raw);
  if (n != N_FIELDS && n != 4)
    {
      g_set_error (error, CRYO_EVENT_ERROR, CRYO_EVENT_ERROR_MALFORMED,
                   _("An event line has %u fields instead of %u"), n, N_FIELDS);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      fields[i] = unescape (raw[i]);
      if (fields[i] == NULL)
        {
          g_set_error (error, CRYO_EVENT_ERROR, CRYO_EVENT_ERROR_MALFORMED,
                       _("Field %u of an event line has an unknown escape"), i + 1);
          goto out;
        }
    }

  stamp = g_date_time_new_from_iso8601 (fields[0], NULL);
  if (stamp == NULL)
    {
      g_set_error (error, CRYO_EVENT_ERROR, CRYO_EVENT_ERROR_MALFORMED,
                   _("“%s” is not a time with a UTC offset"), fields[0]);
      goto out;
    }

  if (n == 4)
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", fields[2], fields[3]);

      event = cryo_event_new (g_date_time_to_unix (stamp) * G_USEC_PER_SEC +
                              g_date_time_get_microsecond (stamp),
                              NULL, fields[1], kind, severity, NULL, text);
      goto out;
    }

  if (!cryo_event_kind_from_id (fields[3], &kind))
    {
      g_set_error (error, CRYO_EVENT_ERROR, CRYO_EVENT_ERROR_MALFORMED,
                   _("“%s” is not a kind of event"), fields[3]);
      goto out;
    }
  if (!cryo_event_severity_from_id (fields[4], &severity))
    {
      g_set_error (error, CRYO_EVENT_ERROR, CRYO_EVENT_ERROR_MALFORMED,
                   _("“%s” is not a severity"), fields[4]);
      goto out;
    }

  event = cryo_event_new (g_date_time_to_unix (stamp) * G_USEC_PER_SEC +
                          g_date_time_get_microsecond (stamp),
                          fields[1], fields[2], kind, severity, fields[5], fields[6]);

out:
  for (guint i = 0; i < N_FIELDS; i++)
    g_free (fields[i]);

  return event;
}

/**
 * cryo_event_to_line:
 * @self: a #CryoEvent
 *
 * The event as one line of `events.log`, in the format of #CryoEvent, with
 * the time in the local time zone.
 *
 * Returns: (transfer full): the line, ending in `\n`
 */
char *
cryo_event_to_line (CryoEvent *self)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *stamp = NULL;
  GString *line;
  const char *fields[N_FIELDS - 1];

  g_return_val_if_fail (CRYO_IS_EVENT (self), NULL);

  fields[0] = self->device_id;
  fields[1] = self->device_name;
  fields[2] = kind_ids[self->kind];
  fields[3] = severity_ids[self->severity];
  fields[4] = self->user;
  fields[5] = self->text;

  /* Whole seconds, then the µs, as GLib 2.74 has no µs constructor. */
  seconds = g_date_time_new_from_unix_utc (self->time_us / G_USEC_PER_SEC);
  if (seconds == NULL)
    seconds = g_date_time_new_from_unix_utc (0);
  utc = g_date_time_add (seconds, self->time_us % G_USEC_PER_SEC);
  local = g_date_time_to_local (utc != NULL ? utc : seconds);
  stamp = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S.%f%:z");

  line = g_string_new (stamp);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_string_append_c (line, '\t');
      append_escaped (line, fields[i]);
    }
  g_string_append_c (line, '\n');

  return g_string_free (line, FALSE);
}

/**
 * cryo_event_get_time_us:
 * @self: a #CryoEvent
 *
 * Returns: when, µs since the Unix epoch
 */
gint64
cryo_event_get_time_us (CryoEvent *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT (self), 0);

  return self->time_us;
}

/**
 * cryo_event_get_device_id:
 * @self: a #CryoEvent
 *
 * Returns: the device's stable id, "" for the session's own events
 */
const char *
cryo_event_get_device_id (CryoEvent *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT (self), NULL);

  return self->device_id;
}

/**
 * cryo_event_get_device_name:
 * @self: a #CryoEvent
 *
 * Returns: the device's name at the time, "" for the session's own events
 */
const char *
cryo_event_get_device_name (CryoEvent *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT (self), NULL);

  return self->device_name;
}

/**
 * cryo_event_get_kind:
 * @self: a #CryoEvent
 *
 * Returns: what happened
 */
CryoEventKind
cryo_event_get_kind (CryoEvent *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT (self), CRYO_EVENT_KIND_ACTION);

  return self->kind;
}

/**
 * cryo_event_get_severity:
 * @self: a #CryoEvent
 *
 * Returns: how much it matters
 */
CryoEventSeverity
cryo_event_get_severity (CryoEvent *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT (self), CRYO_EVENT_SEVERITY_INFO);

  return self->severity;
}

/**
 * cryo_event_get_user:
 * @self: a #CryoEvent
 *
 * Returns: the login name of who did it, "" when no one did
 */
const char *
cryo_event_get_user (CryoEvent *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT (self), NULL);

  return self->user;
}

/**
 * cryo_event_get_text:
 * @self: a #CryoEvent
 *
 * Returns: what happened, as it was logged (translated then)
 */
const char *
cryo_event_get_text (CryoEvent *self)
{
  g_return_val_if_fail (CRYO_IS_EVENT (self), NULL);

  return self->text;
}

/**
 * cryo_event_kind_is_by_user:
 * @kind: a #CryoEventKind
 *
 * Returns: %TRUE for the kinds an operator causes (actions and their
 *   results, acknowledgements, monitoring started or stopped,
 *   configuration changes), which carry the user's login name
 */
gboolean
cryo_event_kind_is_by_user (CryoEventKind kind)
{
  switch (kind)
    {
    case CRYO_EVENT_KIND_ACTION:
    case CRYO_EVENT_KIND_ACTION_RESULT:
    case CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED:
    case CRYO_EVENT_KIND_MONITORING_STARTED:
    case CRYO_EVENT_KIND_MONITORING_STOPPED:
    case CRYO_EVENT_KIND_CONFIGURATION_CHANGED:
      return TRUE;

    case CRYO_EVENT_KIND_ALARM_RAISED:
    case CRYO_EVENT_KIND_ALARM_CLEARED:
    case CRYO_EVENT_KIND_CONNECTION_LOST:
    case CRYO_EVENT_KIND_CONNECTION_RESTORED:
    default:
      return FALSE;
    }
}

/**
 * cryo_event_kind_to_id:
 * @kind: a #CryoEventKind
 *
 * Returns: its stable name ("alarm-raised"), as logs and the archive store it
 */
const char *
cryo_event_kind_to_id (CryoEventKind kind)
{
  g_return_val_if_fail ((guint) kind < CRYO_N_EVENT_KINDS, NULL);

  return kind_ids[kind];
}

/**
 * cryo_event_kind_from_id:
 * @id: a stable name from cryo_event_kind_to_id()
 * @kind: (out): the kind
 *
 * Returns: %TRUE when @id names a kind
 */
gboolean
cryo_event_kind_from_id (const char    *id,
                         CryoEventKind *kind)
{
  for (guint i = 0; id != NULL && i < CRYO_N_EVENT_KINDS; i++)
    {
      if (g_str_equal (id, kind_ids[i]))
        {
          *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * cryo_event_kind_get_label:
 * @kind: a #CryoEventKind
 *
 * Returns: a translated label ("Alarm raised")
 */
const char *
cryo_event_kind_get_label (CryoEventKind kind)
{
  switch (kind)
    {
    case CRYO_EVENT_KIND_ACTION: return _("Action");
    case CRYO_EVENT_KIND_ACTION_RESULT: return _("Action result");
    case CRYO_EVENT_KIND_ALARM_RAISED: return _("Alarm raised");
    case CRYO_EVENT_KIND_ALARM_CLEARED: return _("Alarm cleared");
    case CRYO_EVENT_KIND_ALARM_ACKNOWLEDGED: return _("Alarm acknowledged");
    case CRYO_EVENT_KIND_CONNECTION_LOST: return _("Connection lost");
    case CRYO_EVENT_KIND_CONNECTION_RESTORED: return _("Connection restored");
    case CRYO_EVENT_KIND_MONITORING_STARTED: return _("Monitoring started");
    case CRYO_EVENT_KIND_MONITORING_STOPPED: return _("Monitoring stopped");
    case CRYO_EVENT_KIND_CONFIGURATION_CHANGED: return _("Configuration changed");
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * cryo_event_severity_to_id:
 * @severity: a #CryoEventSeverity
 *
 * Returns: its stable name ("warning")
 */
const char *
cryo_event_severity_to_id (CryoEventSeverity severity)
{
  g_return_val_if_fail ((guint) severity < CRYO_N_EVENT_SEVERITIES, NULL);

  return severity_ids[severity];
}

/**
 * cryo_event_severity_from_id:
 * @id: a stable name from cryo_event_severity_to_id()
 * @severity: (out): the severity
 *
 * Returns: %TRUE when @id names a severity
 */
gboolean
cryo_event_severity_from_id (const char        *id,
                             CryoEventSeverity *severity)
{
  for (guint i = 0; id != NULL && i < CRYO_N_EVENT_SEVERITIES; i++)
    {
      if (g_str_equal (id, severity_ids[i]))
        {
          *severity = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * cryo_event_severity_get_label:
 * @severity: a #CryoEventSeverity
 *
 * Returns: a translated label ("Warning")
 */
const char *
cryo_event_severity_get_label (CryoEventSeverity severity)
{
  switch (severity)
    {
    case CRYO_EVENT_SEVERITY_INFO: return _("Info");
    case CRYO_EVENT_SEVERITY_WARNING: return _("Warning");
    case CRYO_EVENT_SEVERITY_ALARM: return _("Alarm");
    case CRYO_EVENT_SEVERITY_ERROR: return _("Error");
    default: g_return_val_if_reached (NULL);
    }
}
