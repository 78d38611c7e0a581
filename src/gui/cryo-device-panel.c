/* cryo-device-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One panel for every instrument, built from its kind descriptor: the
 * primary readings large, the others in a list with units, the
 * instrument's own state, its alarms and warnings, and its actions with
 * their parameter fields and confirmations.
 */

#define G_LOG_DOMAIN "cryo-device-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-device-panel.h"
#include "cryo-wrap-box.h"
#include "cryo-display-units.h"
#include "cryo-panel-extensions.h"
#include "cryo-status.h"

typedef struct
{
  CryoChannel           *channel;      /* owned by the device */
  const CryoChannelInfo *info;
  GtkLabel              *value_label;
  GtkLabel              *unit_label;
  GtkLabel              *age_label;    /* primary readings; list rows use their subtitle */
  AdwActionRow          *row;
  GtkWidget             *service_icon;
  GtkWidget             *service_button; /* Service Done: recorded, or the counter's reset action */
} Reading;

typedef struct
{
  const CryoDeviceAction *action;
  GtkWidget              *button;
  GtkSpinButton          *fields[CRYO_ACTION_MAX_PARAMS];   /* numbers */
  AdwActionRow           *field_rows[CRYO_ACTION_MAX_PARAMS];
  GtkLabel               *field_unit_labels[CRYO_ACTION_MAX_PARAMS];
  CryoUnit                field_units[CRYO_ACTION_MAX_PARAMS];  /* the unit shown */
  AdwComboRow            *choices[CRYO_ACTION_MAX_PARAMS];  /* parameters with choices */
  GtkLabel               *reason_label;
} ActionUi;

struct _CryoDevicePanel
{
  GtkWidget     parent_instance;

  CryoDevice   *device;
  GSettings    *settings;
  CryoConditionSet *conditions;
  GArray       *readings;   /* Reading */
  GArray       *actions;    /* ActionUi */
  guint         tick_source;

  /* Template widgets */
  GtkWidget    *box;
  GtkLabel     *name_label;
  GtkLabel     *model_label;
  GtkWidget    *status_dot;
  GtkLabel     *connection_label;
  GtkLabel     *link_label;
  GtkWidget    *state_box;
  GtkLabel     *state_label;
  GtkLabel     *state_detail_label;
  CryoWrapBox  *primary_box;
  GtkWidget    *extension_box;
  GtkListBox   *reading_list;
  GtkListBox   *condition_list;
  GtkWidget    *actions_box;
};

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_SETTINGS,
  PROP_CONDITIONS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CryoDevicePanel, cryo_device_panel, GTK_TYPE_WIDGET)

static GParamSpec *properties [N_PROPS];

/* "12 s old", "5 min old", "3 h old". */
static char *
format_age (gint64 age_us)
{
  gint64 seconds = MAX (age_us, 0) / G_USEC_PER_SEC;

  if (seconds < 120)
    /* Translators: how old a reading is */
    return g_strdup_printf (_("%d s old"), (int) seconds);
  if (seconds < 2 * 3600)
    return g_strdup_printf (_("%d min old"), (int) (seconds / 60));
  if (seconds < 2 * 86400)
    return g_strdup_printf (_("%d h old"), (int) (seconds / 3600));
  return g_strdup_printf (_("%d days old"), (int) (seconds / 86400));
}

static void
set_dimmed (GtkWidget *widget,
            gboolean   dimmed)
{
  if (dimmed)
    gtk_widget_add_css_class (widget, "dim-label");
  else
    gtk_widget_remove_css_class (widget, "dim-label");
}

/* "14 March 2027", in the user's time zone. */
static char *
format_date (gint64 time_us)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  if (date == NULL)
    return g_strdup ("—");

  /* Translators: a forecast service date, "14 March 2027", as a
   * g_date_time_format() format: %-d the day without padding, %B the
   * month's name, %Y the year */
  return g_date_time_format (date, _("%-d %B %Y"));
}

/* "8,200 h of 15,000 h, due about 14 March 2027"; for a counter of total
 * hours, "Since service: 1,200 h of 30,000 h, …". NULL when there is
 * nothing to say yet. */
static char *
format_forecast (const CryoMaintenanceForecast *forecast,
                 const CryoChannelInfo         *info,
                 gboolean                       known)
{
  gboolean from_record = (info->flags & CRYO_CHANNEL_FLAG_SERVICE_RECORD) != 0;
  g_autofree char *since = NULL;
  g_autofree char *interval = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;

  if (forecast->status == CRYO_MAINTENANCE_UNKNOWN)
    return from_record && known ? g_strdup (_("No service recorded")) : NULL;

  since = cryo_format_thousands (forecast->hours_since_service);
  interval = cryo_format_thousands (forecast->interval_hours);
  /* Translators: hours counted since a part's service, and its service
   * interval, "8,200 h of 15,000 h" */
  amount = g_strdup_printf (_("%s h of %s h"), since, interval);

  if (forecast->status == CRYO_MAINTENANCE_OVERDUE)
    /* Translators: "5,120 h of 5,000 h, service overdue" */
    text = g_strdup_printf (_("%s, service overdue"), amount);
  else if (forecast->due_time_us != 0)
    {
      g_autofree char *date = format_date (forecast->due_time_us);

      /* Translators: "8,200 h of 15,000 h, due about 14 March 2027" */
      text = g_strdup_printf (_("%s, due about %s"), amount, date);
    }
  else if (forecast->rate_hours_per_day == 0)
    /* Translators: the counter has not moved for a week: no date to forecast */
    text = g_strdup_printf (_("%s, not in use lately"), amount);
  else
    text = g_steal_pointer (&amount);

  if (from_record)
    /* Translators: a compressor's hours since its last service, "Since service: 1,200 h of 30,000 h, …" */
    return g_strdup_printf (_("Since service: %s"), text);

  return g_steal_pointer (&text);
}

static void
update_reading (CryoDevicePanel *self,
                Reading         *reading,
                gint64           now_us)
{
  CryoReading value = cryo_channel_get_reading (reading->channel);
  CryoUnit unit = cryo_display_unit_for_channel (self->settings, reading->channel);
  const char *symbol = cryo_unit_get_label_symbol (unit);
  gboolean known = value.time_us != 0 && !isnan (value.value);
  gint64 age_us = now_us - value.time_us;
  gboolean old = known && (!cryo_device_get_monitoring (self->device) ||
                           age_us > cryo_device_get_channel_max_age (self->device, reading->channel));
  g_autofree char *text = NULL;
  g_autofree char *age = NULL;
  CryoMaintenanceForecast forecast;

  /* A state (a mode, an indicator) in the instrument's words where it has
   * them. */
  if (known && cryo_channel_get_quantity (reading->channel) == CRYO_QUANTITY_STATE)
    text = cryo_device_dup_value_text (self->device, reading->channel, value.value);
  if (text != NULL)
    symbol = "";
  else
    text = cryo_format_reading (known ? cryo_unit_convert (value.value, cryo_channel_get_unit (reading->channel), unit)
                                      : NAN,
                                cryo_channel_get_scale (reading->channel),
                                cryo_channel_get_digits (reading->channel));
  gtk_label_set_label (reading->value_label, text);
  gtk_label_set_label (reading->unit_label, known ? symbol : "");
  set_dimmed (GTK_WIDGET (reading->value_label), old);

  /* Readings older than the freshness limit, or kept while monitoring is
   * stopped, say how old they are. */
  if (old)
    age = format_age (age_us);

  if (reading->age_label != NULL)
    {
      gtk_label_set_label (reading->age_label, age ? age : "");
      gtk_widget_set_visible (GTK_WIDGET (reading->age_label), age != NULL);
    }

  if (reading->row != NULL)
    {
      g_autofree char *subtitle = NULL;
      gboolean due = FALSE;

      /* A counter of hours with a service interval: its forecast. */
      if (cryo_service_tracker_get_forecast (cryo_device_get_service_tracker (self->device),
                                             reading->channel, &forecast))
        {
          subtitle = format_forecast (&forecast, reading->info, known);
          due = forecast.status == CRYO_MAINTENANCE_DUE_SOON || forecast.status == CRYO_MAINTENANCE_OVERDUE;
        }
      if (reading->service_button != NULL && reading->info->service_action == NULL)
        {
          gboolean busy;

          g_object_get (self->device, "busy", &busy, NULL);
          gtk_widget_set_sensitive (reading->service_button, known && !busy);
        }

      if (subtitle != NULL && age != NULL)
        {
          g_autofree char *both = g_strdup_printf ("%s · %s", subtitle, age);
          g_free (subtitle);
          subtitle = g_steal_pointer (&both);
        }
      else if (subtitle == NULL)
        subtitle = g_strdup (age);

      adw_action_row_set_subtitle (reading->row, subtitle);
      gtk_widget_set_visible (reading->service_icon, due);
      gtk_widget_set_tooltip_text (reading->service_icon, due ? subtitle : NULL);
    }
}

/* Whether the state shown comes from the link as it is now. A polled
 * instrument's state is read each poll or cleared, so only a closed port
 * makes it old; a streaming one's stays from its last message, so a
 * quiet line (stale) does too. */
static gboolean
state_is_current (CryoDevicePanel *self)
{
  CryoDeviceState state = cryo_device_get_state (self->device);

  if (!cryo_device_get_monitoring (self->device) ||
      state == CRYO_DEVICE_STATE_DISCONNECTED || state == CRYO_DEVICE_STATE_CONNECTING)
    return FALSE;

  return state != CRYO_DEVICE_STATE_STALE || !cryo_link_is_stream (cryo_device_get_link (self->device));
}

static void
cryo_device_panel_update_readings (CryoDevicePanel *self)
{
  gint64 now_us = g_get_real_time ();
  g_autofree char *state = cryo_device_dup_state_text (self->device);
  const char *detail = state != NULL ? strstr (state, CRYO_DEVICE_STATE_SEPARATOR) : NULL;
  gboolean current;

  for (guint i = 0; i < self->readings->len; i++)
    update_reading (self, &g_array_index (self->readings, Reading, i), now_us);

  /* The state large, what follows it ("Pump on · Rough valve closed · …")
   * in body text under it: all of it large took six lines of a narrow
   * panel. */
  if (detail != NULL)
    {
      g_autofree char *head = g_strndup (state, detail - state);

      gtk_label_set_label (self->state_label, head);
      gtk_label_set_label (self->state_detail_label, detail + strlen (CRYO_DEVICE_STATE_SEPARATOR));
    }
  else
    {
      gtk_label_set_label (self->state_label, state ? state : "—");
      gtk_label_set_label (self->state_detail_label, "");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->state_detail_label), detail != NULL);

  /* A streaming instrument's last state stays after its line went quiet or
   * the port closed: dimmed, like an old reading, until it speaks again. */
  current = state_is_current (self);
  set_dimmed (GTK_WIDGET (self->state_label), !current);
  set_dimmed (GTK_WIDGET (self->state_detail_label), !current);
}

static void
cryo_device_panel_update_connection (CryoDevicePanel *self)
{
  g_autofree char *status = cryo_device_dup_status_text (self->device);
  CryoLink *link = cryo_device_get_link (self->device);
  g_autofree char *quality = NULL;
  g_autofree char *counts = cryo_link_dup_quality_text (link);

  gtk_label_set_label (self->connection_label, status);

  /* A port that never opened has no quality to show: "100 % good" beside
   * "Serial port not found" read as a contradiction. */
  if (cryo_link_is_stream (link) && !cryo_link_has_traffic (link))
    /* Translators: a stream link before its first message, then its counts,
     * "Link: nothing received yet · 0 valid, 0 dropped, 2 reconnects" */
    quality = g_strdup_printf (_("Link: nothing received yet · %s"), counts);
  else if (cryo_link_is_stream (link))
    /* Translators: the share of a stream's messages that were valid, and
     * under it the counts, "Link: 97 % good\n1,204 valid, 36 dropped, 0 reconnects" */
    quality = g_strdup_printf (_("Link: %u %% good · %s"), cryo_link_get_quality (link), counts);
  else if (!cryo_link_has_traffic (link))
    /* Translators: a request/reply link before its first request */
    quality = g_strdup (_("Link: nothing sent yet"));
  else
    /* Translators: the share of requests answered intact, "Link: 97 % good" */
    quality = g_strdup_printf (_("Link: %u %% good"), cryo_link_get_quality (link));
  gtk_label_set_label (self->link_label, quality);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->link_label), counts);
  cryo_status_dot_update (self->status_dot, cryo_device_get_state (self->device));
  gtk_label_set_label (self->name_label, cryo_device_get_name (self->device));
  gtk_label_set_label (self->model_label, cryo_device_get_model (self->device));
}

/* Each action is sensitive as its interlock allows it now; a refused one
 * says why ("Start Pump unavailable: Turbo at 81,000 rpm — must be 0"),
 * and so does one already in effect. */
static void
cryo_device_panel_update_actions (CryoDevicePanel *self)
{
  gboolean busy;

  g_object_get (self->device, "busy", &busy, NULL);

  for (guint i = 0; i < self->actions->len; i++)
    {
      ActionUi *ui = &g_array_index (self->actions, ActionUi, i);
      g_autofree char *reason = NULL;
      gboolean allowed = cryo_device_check_action (self->device, ui->action->name, &reason);

      gtk_widget_set_sensitive (ui->button, allowed && !busy);
      gtk_widget_set_tooltip_text (ui->button, allowed ? NULL : reason);
      /* A screen reader tells why the button does nothing. */
      if (allowed)
        gtk_accessible_reset_property (GTK_ACCESSIBLE (ui->button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      else
        gtk_accessible_update_property (GTK_ACCESSIBLE (ui->button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                        reason, -1);

      if (!allowed)
        {
          /* Translators: "Start Pump unavailable: Turbo at 812 rpm — must be 0" */
          g_autofree char *text = g_strdup_printf (_("%s unavailable: %s"),
                                                   g_dgettext (GETTEXT_PACKAGE, ui->action->label),
                                                   reason);

          gtk_label_set_label (ui->reason_label, text);
        }
      gtk_widget_set_visible (GTK_WIDGET (ui->reason_label), !allowed);
    }
}

/* "14:02:11" today, "2026-11-30 14:02" before. */
static char *
format_condition_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("—");

  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    return g_date_time_format (time, "%H:%M:%S");

  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

/* One active condition: what it is, when it was raised and by whom it was
 * acknowledged; an unacknowledged one stands out and has its button. */
static GtkWidget *
new_condition_row (CryoCondition *condition)
{
  CryoEventSeverity severity = cryo_condition_get_severity (condition);
  g_autofree char *raised = format_condition_time (cryo_condition_get_raised_us (condition));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  /* Plain text before any text is set: an instrument's words are not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cryo_condition_get_text (condition));

  if (cryo_condition_get_acknowledged (condition))
    {
      g_autofree char *acknowledged = format_condition_time (cryo_condition_get_acknowledged_us (condition));

      /* Translators: "Alarm since 14:02:11, acknowledged by jdoe at 14:05:40" */
      subtitle = g_strdup_printf (_("%s since %s, acknowledged by %s at %s"),
                                  cryo_event_severity_get_label (severity), raised,
                                  cryo_condition_get_acknowledged_by (condition), acknowledged);
    }
  else
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Acknowledge"));

      /* Translators: "Alarm since 14:02:11, not acknowledged" */
      subtitle = g_strdup_printf (_("%s since %s, not acknowledged"),
                                  cryo_event_severity_get_label (severity), raised);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "panel.acknowledge");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", cryo_condition_get_key (condition));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_widget_add_css_class (row, "cryo-unacknowledged");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  icon = gtk_image_new_from_icon_name (severity == CRYO_EVENT_SEVERITY_WARNING ? "dialog-warning-symbolic"
                                                                               : "dialog-error-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, severity == CRYO_EVENT_SEVERITY_WARNING ? "cryo-warning-row"
                                                                         : "cryo-alarm-row");

  return row;
}

static void
cryo_device_panel_update_conditions (CryoDevicePanel *self)
{
  GListModel *conditions;
  const char *id;
  GtkWidget *child;
  gboolean any = FALSE;
  guint n;

  if (self->conditions == NULL)
    {
      cryo_condition_list_update (self->condition_list,
                                  cryo_device_get_alarms (self->device),
                                  cryo_device_get_warnings (self->device));
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->condition_list))))
    gtk_list_box_remove (self->condition_list, child);

  id = cryo_device_get_id (self->device);
  conditions = cryo_condition_set_get_conditions (self->conditions);
  n = g_list_model_get_n_items (conditions);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CryoCondition) condition = g_list_model_get_item (conditions, i);

      if (!g_str_equal (cryo_condition_get_device_id (condition), id))
        continue;

      gtk_list_box_append (self->condition_list, new_condition_row (condition));
      any = TRUE;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->condition_list), any);
}

/* The window owns the session, which the dialog edits. */
static void
cryo_device_panel_edit_thresholds (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  CryoDevicePanel *self = CRYO_DEVICE_PANEL (widget);

  gtk_widget_activate_action (widget, "win.thresholds", "s", cryo_device_get_id (self->device));
}

static void
cryo_device_panel_acknowledge (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CryoDevicePanel *self = CRYO_DEVICE_PANEL (widget);
  CryoCondition *condition;

  if (self->conditions == NULL)
    return;

  condition = cryo_condition_set_lookup (self->conditions, cryo_device_get_id (self->device),
                                         g_variant_get_string (parameter, NULL));
  if (condition != NULL)
    cryo_condition_set_acknowledge (self->conditions, condition, g_get_user_name ());
}

static void
cryo_device_panel_update (CryoDevicePanel *self)
{
  cryo_device_panel_update_connection (self);
  cryo_device_panel_update_readings (self);
  cryo_device_panel_update_actions (self);
}

static gboolean
cryo_device_panel_tick_cb (gpointer user_data)
{
  CryoDevicePanel *self = user_data;

  /* Readings age and reconnect countdowns run even when nothing arrives. */
  cryo_device_panel_update (self);

  return G_SOURCE_CONTINUE;
}

static void
refresh_cb (GtkWidget *panel)
{
  cryo_device_panel_update (CRYO_DEVICE_PANEL (panel));
}

static ActionUi *
find_action (CryoDevicePanel *self,
             const char      *name)
{
  for (guint i = 0; i < self->actions->len; i++)
    {
      ActionUi *ui = &g_array_index (self->actions, ActionUi, i);

      if (g_str_equal (ui->action->name, name))
        return ui;
    }

  return NULL;
}

/* The index of @param among @action's parameters, and the action's
 * widgets in @ui; -1 when either is unknown. */
static int
find_param (CryoDevicePanel  *self,
            const char       *action,
            const char       *param,
            ActionUi        **ui)
{
  *ui = find_action (self, action);
  if (*ui == NULL)
    return -1;

  for (guint p = 0; p < cryo_device_action_get_n_params ((*ui)->action); p++)
    if (g_str_equal ((*ui)->action->params[p].name, param))
      return (int) p;

  return -1;
}

/* The unit a parameter's field shows: a temperature in the unit of the
 * preferences, like the readings beside it; anything else in its own. */
static CryoUnit
field_unit (CryoDevicePanel       *self,
            const CryoActionParam *param)
{
  if (cryo_unit_get_quantity (param->unit) != CRYO_QUANTITY_TEMPERATURE)
    return param->unit;

  return cryo_display_unit_for (self->settings, CRYO_QUANTITY_TEMPERATURE, CRYO_SCALE_LINEAR);
}

/* Field @p's value in its parameter's own unit. A value at an end of the
 * range comes back from another unit a rounding error outside it: it is
 * the end. */
static double
field_value (ActionUi *ui,
             guint     p)
{
  const CryoActionParam *param = &ui->action->params[p];
  double value = cryo_unit_convert (gtk_spin_button_get_value (ui->fields[p]), ui->field_units[p], param->unit);
  double slack = 1e-9 * (fabs (param->max) + fabs (param->min) + 1.0);

  if (value < param->min && value > param->min - slack)
    return param->min;
  if (value > param->max && value < param->max + slack)
    return param->max;

  return value;
}

/* Shows field @p in the unit it should now have, keeping the value it
 * holds: range, step, subtitle and unit label converted. */
static void
update_param_field (CryoDevicePanel *self,
                    ActionUi        *ui,
                    guint            p)
{
  const CryoActionParam *param = &ui->action->params[p];
  CryoUnit unit = field_unit (self, param);
  double value = field_value (ui, p);
  double lower = cryo_unit_convert (param->min, param->unit, unit);
  double upper = cryo_unit_convert (param->max, param->unit, unit);
  double step = param->step > 0 ? param->step : 1;
  const char *symbol = cryo_unit_get_label_symbol (unit);
  g_autofree char *min = cryo_format_reading (lower, CRYO_SCALE_LINEAR, 15);
  g_autofree char *max = cryo_format_reading (upper, CRYO_SCALE_LINEAR, 15);
  g_autofree char *range = NULL;

  /* Every temperature unit rises with the others: the ends stay ends. */
  step = cryo_unit_convert (param->min + step, param->unit, unit) - lower;
  ui->field_units[p] = unit;
  gtk_spin_button_set_range (ui->fields[p], lower, upper);
  gtk_spin_button_set_increments (ui->fields[p], step, step * 10);
  gtk_spin_button_set_value (ui->fields[p], cryo_unit_convert (value, param->unit, unit));

  /* Translators: the range of an action parameter, "1 to 360 K/h" */
  range = g_strdup_printf (_("%s to %s %s"), min, max, symbol);
  adw_action_row_set_subtitle (ui->field_rows[p], g_strstrip (range));
  if (ui->field_unit_labels[p] != NULL)
    gtk_label_set_label (ui->field_unit_labels[p], symbol);
}

static void
on_temperature_unit_changed_cb (CryoDevicePanel *self)
{
  for (guint i = 0; i < self->actions->len; i++)
    {
      ActionUi *ui = &g_array_index (self->actions, ActionUi, i);

      for (guint p = 0; p < cryo_device_action_get_n_params (ui->action); p++)
        if (ui->fields[p] != NULL)
          update_param_field (self, ui, p);
    }
}

static void
collect_params (ActionUi *ui,
                double   *values)
{
  guint n = cryo_device_action_get_n_params (ui->action);

  for (guint p = 0; p < n; p++)
    {
      if (ui->choices[p] != NULL)
        {
          guint selected = adw_combo_row_get_selected (ui->choices[p]);

          values[p] = ui->action->params[p].choices[selected].value;
          continue;
        }
      gtk_spin_button_update (ui->fields[p]);
      values[p] = field_value (ui, p);
    }
}

/* A parameter with named values (a mode): a list to pick from, at its
 * default. */
static AdwComboRow *
new_choice_row (const CryoActionParam *param)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();
  guint selected = 0;

  for (guint c = 0; param->choices[c].label != NULL; c++)
    {
      gtk_string_list_append (names, g_dgettext (GETTEXT_PACKAGE, param->choices[c].label));
      if (param->choices[c].value == param->default_value)
        selected = c;
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_dgettext (GETTEXT_PACKAGE, param->label));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);

  return ADW_COMBO_ROW (row);
}

static void
run (CryoDevicePanel *self,
     ActionUi        *ui)
{
  double values[CRYO_ACTION_MAX_PARAMS] = { 0 };

  collect_params (ui, values);
  cryo_panel_run_action (GTK_WIDGET (self), self->device, ui->action->name, values, refresh_cb);
  cryo_device_panel_update_actions (self);
}

static void
on_confirm_response_cb (CryoDevicePanel  *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  ActionUi *ui = find_action (self, response);

  if (ui != NULL)
    run (self, ui);
}

/* The confirmation says what the action does, to which device, with which
 * values: from the action table, or from the device where the readings
 * decide (cryo_device_dup_confirmation()). */
static void
confirm (CryoDevicePanel *self,
         ActionUi        *ui,
         const char      *consequence)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *label = g_dgettext (GETTEXT_PACKAGE, ui->action->label);
  double values[CRYO_ACTION_MAX_PARAMS] = { 0 };
  g_autofree char *heading = NULL;
  g_autofree char *params = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *button = NULL;
  AdwMessageDialog *dialog;

  collect_params (ui, values);
  params = cryo_device_action_format_params (ui->action, values);

  /* Translators: a confirmation heading: action and device, "Stop Pump on Pumping station 2?" */
  heading = g_strdup_printf (_("%s on %s?"), label, cryo_device_get_name (self->device));
  g_string_append (body, consequence);
  if (params[0] != '\0')
    {
      if (body->len > 0)
        g_string_append (body, "\n\n");
      g_string_append (body, params);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, NULL));
  adw_message_dialog_set_body (dialog, body->str);
  button = g_strdup_printf ("_%s", label);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    ui->action->name, button,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, ui->action->name,
                                              ui->action->destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                                      : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* device.run ACTION: the range check and the interlock first, so a refusal
 * is said at once; then the confirmation; the device checks both again. */
static void
cryo_device_panel_run_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CryoDevicePanel *self = CRYO_DEVICE_PANEL (widget);
  ActionUi *ui = find_action (self, g_variant_get_string (parameter, NULL));
  double values[CRYO_ACTION_MAX_PARAMS] = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *consequence = NULL;

  if (ui == NULL)
    return;

  collect_params (ui, values);
  if (!cryo_device_action_check_params (ui->action, values, &error))
    {
      /* Translators: a dialog heading, e.g. "Ramp Refused" */
      g_autofree char *heading = g_strdup_printf (_("%s Refused"), g_dgettext (GETTEXT_PACKAGE, ui->action->label));

      cryo_show_error_dialog (widget, heading, error->message);
      return;
    }

  if (!cryo_device_check_action (self->device, ui->action->name, &reason))
    {
      g_autofree char *heading = g_strdup_printf (_("%s Refused"), g_dgettext (GETTEXT_PACKAGE, ui->action->label));

      cryo_show_error_dialog (widget, heading, reason);
      cryo_device_panel_update_actions (self);
      return;
    }

  consequence = cryo_device_dup_confirmation (self->device, ui->action->name, values);
  if (consequence != NULL)
    confirm (self, ui, consequence);
  else
    run (self, ui);
}

static void
on_service_response_cb (CryoDevicePanel  *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  if (!g_str_equal (response, "record"))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.record-service", "s",
                              cryo_device_get_id (self->device));
}

/* Service Done: the operator confirms which hours are recorded as the last
 * service before the window's session writes them. */
static void
on_service_button_clicked_cb (CryoDevicePanel *self,
                              GtkButton       *button)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  Reading *reading = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *hours = NULL;
  AdwMessageDialog *dialog;

  for (guint i = 0; i < self->readings->len && reading == NULL; i++)
    if (g_array_index (self->readings, Reading, i).service_button == GTK_WIDGET (button))
      reading = &g_array_index (self->readings, Reading, i);
  g_return_if_fail (reading != NULL);

  hours = cryo_format_thousands (cryo_channel_get_reading (reading->channel).value);
  /* Translators: a confirmation heading, "Record a Service of Compressor?" */
  heading = g_strdup_printf (_("Record a Service of %s?"), cryo_device_get_name (self->device));
  /* Translators: the body of the Service Done confirmation, "…at 34,700 h of
   * Hours of operation; the service interval counts from there." */
  body = g_strdup_printf (_("The service is recorded at %s h of %s; the service interval counts from there."),
                          hours, cryo_channel_get_label (reading->channel));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "record", _("_Record Service"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "record", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_service_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
new_button (const CryoDeviceAction *action)
{
  GtkWidget *button = gtk_button_new_with_label (g_dgettext (GETTEXT_PACKAGE, action->label));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "device.run");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", action->name);
  gtk_widget_add_css_class (button, action->destructive ? "destructive-action" : "suggested-action");
  gtk_widget_add_css_class (button, "pill");

  return button;
}

/* An action that resets a counter at a service is that counter's Service
 * Done button, next to it, not among the controls. */
static GtkWidget *
find_service_button (CryoDevicePanel *self,
                     const char      *action)
{
  for (guint i = 0; i < self->readings->len; i++)
    {
      Reading *reading = &g_array_index (self->readings, Reading, i);

      if (reading->service_button != NULL && reading->info->service_action != NULL &&
          g_str_equal (reading->info->service_action, action))
        return reading->service_button;
    }

  return NULL;
}

/* Buttons of actions without parameters side by side; an action with
 * parameters gets its fields (with unit and range) above its button. */
static void
build_actions (CryoDevicePanel *self)
{
  const CryoDeviceAction *actions = cryo_device_get_actions (self->device);
  GtkWidget *plain_row = NULL;
  GtkWidget *reasons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  for (guint i = 0; actions[i].name != NULL; i++)
    {
      const CryoDeviceAction *action = &actions[i];
      guint n = cryo_device_action_get_n_params (action);
      ActionUi ui = { action };

      ui.button = find_service_button (self, action->name);
      if (ui.button == NULL)
        ui.button = new_button (action);
      ui.reason_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (ui.reason_label, 0);
      gtk_label_set_wrap (ui.reason_label, TRUE);
      gtk_label_set_use_markup (ui.reason_label, FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (ui.reason_label), "dim-label");
      gtk_widget_set_visible (GTK_WIDGET (ui.reason_label), FALSE);
      gtk_box_append (GTK_BOX (reasons), GTK_WIDGET (ui.reason_label));

      if (gtk_widget_get_parent (ui.button) != NULL)
        {
          /* A counter's Service Done, already in its row. */
        }
      else if (n == 0)
        {
          /* Side by side, wrapping onto more lines in a narrow panel: an
           * instrument may have many (a Cryostream has eight). */
          if (plain_row == NULL)
            {
              plain_row = cryo_wrap_box_new ();
              cryo_wrap_box_set_homogeneous (CRYO_WRAP_BOX (plain_row), TRUE);
              cryo_wrap_box_set_max_children_per_line (CRYO_WRAP_BOX (plain_row), 4);
              cryo_wrap_box_set_column_spacing (CRYO_WRAP_BOX (plain_row), 12);
              cryo_wrap_box_set_row_spacing (CRYO_WRAP_BOX (plain_row), 12);
              gtk_widget_add_css_class (plain_row, "cryo-action-buttons");
              gtk_box_append (GTK_BOX (self->actions_box), plain_row);
            }
          cryo_wrap_box_append (CRYO_WRAP_BOX (plain_row), ui.button);
        }
      else
        {
          GtkWidget *list = gtk_list_box_new ();

          gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (list, "boxed-list");

          for (guint p = 0; p < n; p++)
            {
              const CryoActionParam *param = &action->params[p];
              GtkWidget *row;
              GtkWidget *spin;

              if (param->choices != NULL)
                {
                  ui.choices[p] = new_choice_row (param);
                  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (ui.choices[p]));
                  continue;
                }

              row = adw_action_row_new ();
              spin = gtk_spin_button_new_with_range (param->min, param->max, param->step > 0 ? param->step : 1);

              gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), param->digits);
              gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
              adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                             g_dgettext (GETTEXT_PACKAGE, param->label));
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
              if (param->unit != CRYO_UNIT_NONE)
                {
                  ui.field_unit_labels[p] = GTK_LABEL (gtk_label_new (NULL));
                  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (ui.field_unit_labels[p]));
                }
              adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
              gtk_list_box_append (GTK_LIST_BOX (list), row);
              ui.fields[p] = GTK_SPIN_BUTTON (spin);
              ui.field_rows[p] = ADW_ACTION_ROW (row);
              /* At its default, in its own unit, then in the one to show. */
              ui.field_units[p] = param->unit;
              gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), param->default_value);
              update_param_field (self, &ui, p);
            }

          gtk_box_append (GTK_BOX (self->actions_box), list);
          gtk_widget_set_halign (ui.button, GTK_ALIGN_END);
          gtk_box_append (GTK_BOX (self->actions_box), ui.button);
        }

      g_array_append_val (self->actions, ui);
    }

  gtk_box_append (GTK_BOX (self->actions_box), reasons);
}

/* A caption, the value in large type with its unit, and its age. */
static GtkWidget *
new_primary_reading (CryoChannel *channel,
                     Reading     *out)
{
  Reading reading = { channel };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *caption = gtk_label_new (cryo_channel_get_label (channel));

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption-heading");
  gtk_widget_add_css_class (caption, "dim-label");

  reading.value_label = GTK_LABEL (gtk_label_new ("—"));
  gtk_label_set_xalign (reading.value_label, 0);
  gtk_label_set_use_markup (reading.value_label, FALSE);
  gtk_label_set_selectable (reading.value_label, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reading.value_label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  cryo_channel_get_label (channel), -1);
  gtk_widget_add_css_class (GTK_WIDGET (reading.value_label),
                            cryo_channel_get_scale (channel) == CRYO_SCALE_LOG ? "cryo-pressure-value"
                                                                              : "cryo-primary-value");

  reading.unit_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (reading.unit_label), GTK_ALIGN_BASELINE);
  gtk_widget_add_css_class (GTK_WIDGET (reading.unit_label), "title-3");

  reading.age_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (reading.age_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (reading.age_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (reading.age_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (reading.age_label), FALSE);

  gtk_box_append (GTK_BOX (line), GTK_WIDGET (reading.value_label));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (reading.unit_label));
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (reading.age_label));

  *out = reading;
  return box;
}

/* A reading in the list under the primary ones. A counter with a service
 * interval gets its Service Done button under the value rather than beside
 * it: beside it, the two left the title a third of a narrow panel, and "Tip
 * seal since service" took three lines. */
static Reading
new_row_reading (CryoChannel *channel,
                 gboolean     with_service_button)
{
  Reading reading = { channel };
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cryo_channel_get_label (channel));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  reading.service_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (reading.service_icon, "warning");
  gtk_widget_set_visible (reading.service_icon, FALSE);

  /* Tab stops on the value (selectable, to copy it), not also on the row;
   * a screen reader says the value, then what it is. */
  gtk_widget_set_focusable (row, FALSE);
  reading.value_label = GTK_LABEL (gtk_label_new ("—"));
  gtk_label_set_selectable (reading.value_label, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reading.value_label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  cryo_channel_get_label (channel), -1);
  gtk_widget_add_css_class (GTK_WIDGET (reading.value_label), "cryo-reading-value");
  reading.unit_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (reading.unit_label), "dim-label");

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), reading.service_icon);
  if (with_service_button)
    {
      GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      reading.service_button = gtk_button_new_with_mnemonic (_("Service _Done"));
      gtk_widget_set_halign (line, GTK_ALIGN_END);
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_top (suffix, 6);
      gtk_widget_set_margin_bottom (suffix, 6);
      gtk_box_append (GTK_BOX (line), GTK_WIDGET (reading.value_label));
      gtk_box_append (GTK_BOX (line), GTK_WIDGET (reading.unit_label));
      gtk_box_append (GTK_BOX (suffix), line);
      gtk_box_append (GTK_BOX (suffix), reading.service_button);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
    }
  else
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (reading.value_label));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (reading.unit_label));
    }
  reading.row = ADW_ACTION_ROW (row);

  return reading;
}

static void
build_readings (CryoDevicePanel *self)
{
  GPtrArray *channels = cryo_device_get_channels (self->device);
  gboolean any_listed = FALSE;

  for (guint i = 0; i < channels->len; i++)
    {
      CryoChannel *channel = g_ptr_array_index (channels, i);
      const CryoChannelInfo *info = cryo_device_get_channel_info (self->device, channel);
      Reading reading;

      if (info->flags & CRYO_CHANNEL_FLAG_HIDDEN)
        continue;

      if (info->flags & CRYO_CHANNEL_FLAG_PRIMARY)
        cryo_wrap_box_append (self->primary_box, new_primary_reading (channel, &reading));
      else
        {
          reading = new_row_reading (channel, info->service_hours > 0 &&
                                     ((info->flags & CRYO_CHANNEL_FLAG_SERVICE_RECORD) ||
                                      info->service_action != NULL));
          if (reading.service_button != NULL && info->service_action != NULL)
            {
              /* The instrument resets its counter: its action, confirmed
               * as the action table says. */
              gtk_actionable_set_action_name (GTK_ACTIONABLE (reading.service_button), "device.run");
              gtk_actionable_set_action_target (GTK_ACTIONABLE (reading.service_button), "s",
                                                info->service_action);
              gtk_widget_set_tooltip_text (reading.service_button,
                                           _("Reset the instrument’s counter after the service"));
            }
          else if (reading.service_button != NULL)
            {
              gtk_widget_set_tooltip_text (reading.service_button,
                                           _("Record the current hours as the last service"));
              g_signal_connect_object (reading.service_button, "clicked",
                                       G_CALLBACK (on_service_button_clicked_cb), self, G_CONNECT_SWAPPED);
            }
          gtk_list_box_append (self->reading_list, GTK_WIDGET (reading.row));
          any_listed = TRUE;
        }

      reading.info = info;
      g_array_append_val (self->readings, reading);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->reading_list), any_listed);
}

static void
on_device_changed_cb (CryoDevicePanel *self)
{
  cryo_device_panel_update (self);
}

static void
on_conditions_changed_cb (CryoDevicePanel *self)
{
  cryo_device_panel_update_conditions (self);
}

static void
cryo_device_panel_constructed (GObject *object)
{
  CryoDevicePanel *self = CRYO_DEVICE_PANEL (object);
  static const char * const device_signals[] = {
    "polled", "notify::state", "notify::last-error", "notify::monitoring", "notify::busy",
    "notify::model", "notify::name",
  };
  static const char * const settings_signals[] = {
    "changed::pressure-unit", "changed::temperature-unit", "changed::compressor-pressure-unit",
    "changed::service-intervals", "changed::service-lead-days",
  };

  G_OBJECT_CLASS (cryo_device_panel_parent_class)->constructed (object);

  g_assert (CRYO_IS_DEVICE (self->device));

  build_readings (self);
  build_actions (self);
  cryo_panel_extensions_attach (self);

  for (guint i = 0; i < G_N_ELEMENTS (device_signals); i++)
    g_signal_connect_object (self->device, device_signals[i], G_CALLBACK (on_device_changed_cb),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->device, "notify::alarms", G_CALLBACK (on_conditions_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->device, "notify::warnings", G_CALLBACK (on_conditions_changed_cb),
                           self, G_CONNECT_SWAPPED);
  if (self->conditions != NULL)
    g_signal_connect_object (self->conditions, "changed", G_CALLBACK (on_conditions_changed_cb),
                             self, G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::temperature-unit",
                             G_CALLBACK (on_temperature_unit_changed_cb), self, G_CONNECT_SWAPPED);

  if (self->settings != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (settings_signals); i++)
      g_signal_connect_object (self->settings, settings_signals[i], G_CALLBACK (on_device_changed_cb),
                               self, G_CONNECT_SWAPPED);

  self->tick_source = g_timeout_add_seconds (1, cryo_device_panel_tick_cb, self);

  cryo_device_panel_update (self);
  cryo_device_panel_update_conditions (self);
}

static void
cryo_device_panel_dispose (GObject *object)
{
  CryoDevicePanel *self = CRYO_DEVICE_PANEL (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_DEVICE_PANEL);
  g_clear_object (&self->device);
  g_clear_object (&self->settings);
  g_clear_object (&self->conditions);

  G_OBJECT_CLASS (cryo_device_panel_parent_class)->dispose (object);
}

static void
cryo_device_panel_finalize (GObject *object)
{
  CryoDevicePanel *self = CRYO_DEVICE_PANEL (object);

  g_clear_pointer (&self->readings, g_array_unref);
  g_clear_pointer (&self->actions, g_array_unref);

  G_OBJECT_CLASS (cryo_device_panel_parent_class)->finalize (object);
}

static void
cryo_device_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CryoDevicePanel *self = CRYO_DEVICE_PANEL (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_CONDITIONS:
      g_value_set_object (value, self->conditions);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_device_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CryoDevicePanel *self = CRYO_DEVICE_PANEL (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      self->device = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_CONDITIONS:
      self->conditions = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_device_panel_class_init (CryoDevicePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cryo_device_panel_constructed;
  object_class->dispose = cryo_device_panel_dispose;
  object_class->finalize = cryo_device_panel_finalize;
  object_class->get_property = cryo_device_panel_get_property;
  object_class->set_property = cryo_device_panel_set_property;

  /**
   * CryoDevicePanel:device:
   *
   * The device the panel shows and controls. Construct-only.
   */
  properties [PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, CRYO_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoDevicePanel:settings:
   *
   * The application settings, for display units and service intervals.
   * Construct-only.
   */
  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CryoDevicePanel:conditions:
   *
   * The session's active conditions, or %NULL: with them the panel lists
   * the device's conditions with their raise time and acknowledgement and
   * an Acknowledge button; without, the instrument's alarms and warnings.
   */
  properties [PROP_CONDITIONS] =
    g_param_spec_object ("conditions", NULL, NULL, CRYO_TYPE_CONDITION_SET,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (CRYO_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-device-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, box);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, name_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, model_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, status_dot);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, connection_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, link_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, state_box);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, state_detail_label);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, primary_box);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, extension_box);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, reading_list);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, condition_list);
  gtk_widget_class_bind_template_child (widget_class, CryoDevicePanel, actions_box);

  /**
   * CryoDevicePanel|device.run:
   * @action: the name of one of the device's actions ("start")
   *
   * Checks the action's parameters and interlock, asks for confirmation
   * where the action table says so, and runs it.
   */
  gtk_widget_class_install_action (widget_class, "device.run", "s", cryo_device_panel_run_action);

  /**
   * CryoDevicePanel|panel.acknowledge:
   * @key: the key of one of the device's active conditions
   *
   * Acknowledges the condition as the user logged in
   * (g_get_user_name()), which the event log records with the time.
   */
  gtk_widget_class_install_action (widget_class, "panel.acknowledge", "s", cryo_device_panel_acknowledge);

  /**
   * CryoDevicePanel|panel.edit-thresholds:
   *
   * Opens the dialog of the device's thresholds (the window's
   * `win.thresholds`).
   */
  gtk_widget_class_install_action (widget_class, "panel.edit-thresholds", NULL,
                                   cryo_device_panel_edit_thresholds);
}

static void
cryo_device_panel_init (CryoDevicePanel *self)
{
  self->readings = g_array_new (FALSE, TRUE, sizeof (Reading));
  self->actions = g_array_new (FALSE, TRUE, sizeof (ActionUi));

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cryo_device_panel_new:
 * @device: the device to show
 * @settings: (nullable): the application settings, for display units and
 *   service intervals
 *
 * Builds the panel from @device's kind: its primary readings in large type,
 * the other readings in a list with their units at the instrument's
 * resolution (dimmed with their age when older than the freshness limit or
 * kept while monitoring is stopped), the instrument's state, its alarms and
 * warnings, and one button per action with its parameter fields.
 *
 * Returns: (transfer full): a new panel
 */
CryoDevicePanel *
cryo_device_panel_new (CryoDevice *device,
                       GSettings  *settings)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (device), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRYO_TYPE_DEVICE_PANEL,
                       "device", device,
                       "settings", settings,
                       NULL);
}

/**
 * cryo_device_panel_new_with_conditions:
 * @device: the device to show
 * @settings: (nullable): the application settings
 * @conditions: the session's active conditions
 *
 * As cryo_device_panel_new(), listing @device's active conditions from
 * @conditions (instrument alarms and warnings, no connection, missing
 * readings, crossed thresholds), each with its raise time, who
 * acknowledged it when, or an Acknowledge button.
 *
 * Returns: (transfer full): a new panel
 */
CryoDevicePanel *
cryo_device_panel_new_with_conditions (CryoDevice       *device,
                                       GSettings        *settings,
                                       CryoConditionSet *conditions)
{
  g_return_val_if_fail (CRYO_IS_DEVICE (device), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (CRYO_IS_CONDITION_SET (conditions), NULL);

  return g_object_new (CRYO_TYPE_DEVICE_PANEL,
                       "device", device,
                       "settings", settings,
                       "conditions", conditions,
                       NULL);
}

/**
 * cryo_device_panel_get_device:
 * @self: a #CryoDevicePanel
 *
 * Returns: (transfer none): the device the panel shows
 */
CryoDevice *
cryo_device_panel_get_device (CryoDevicePanel *self)
{
  g_return_val_if_fail (CRYO_IS_DEVICE_PANEL (self), NULL);

  return self->device;
}

/**
 * cryo_device_panel_add_extension:
 * @self: a #CryoDevicePanel
 * @widget: (transfer floating): a widget an instrument adds to the common
 *   panel (a phase display, a program table)
 *
 * The panel's extension point: @widget is shown below the primary
 * readings.
 */
void
cryo_device_panel_add_extension (CryoDevicePanel *self,
                                 GtkWidget       *widget)
{
  g_return_if_fail (CRYO_IS_DEVICE_PANEL (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_box_append (GTK_BOX (self->extension_box), widget);
  gtk_widget_set_visible (self->extension_box, TRUE);
}

/**
 * cryo_device_panel_get_param_choice:
 * @self: a #CryoDevicePanel
 * @action: an action name
 * @param: one of its parameters that has choices
 *
 * Returns: (transfer none) (nullable): the row whose selected item (in the
 *   order of #CryoActionParam.choices) is @param's value
 */
AdwComboRow *
cryo_device_panel_get_param_choice (CryoDevicePanel *self,
                                    const char      *action,
                                    const char      *param)
{
  ActionUi *ui;
  int p;

  g_return_val_if_fail (CRYO_IS_DEVICE_PANEL (self), NULL);

  p = find_param (self, action, param, &ui);
  return p >= 0 ? ui->choices[p] : NULL;
}

/**
 * cryo_device_panel_get_param_field:
 * @self: a #CryoDevicePanel
 * @action: an action name
 * @param: one of its parameters
 *
 * Returns: (transfer none) (nullable): the spin button that edits @param,
 *   %NULL for a parameter with choices (cryo_device_panel_get_param_choice())
 */
GtkSpinButton *
cryo_device_panel_get_param_field (CryoDevicePanel *self,
                                   const char      *action,
                                   const char      *param)
{
  ActionUi *ui;
  int p;

  g_return_val_if_fail (CRYO_IS_DEVICE_PANEL (self), NULL);

  p = find_param (self, action, param, &ui);
  return p >= 0 ? ui->fields[p] : NULL;
}
