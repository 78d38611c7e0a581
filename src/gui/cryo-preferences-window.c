/* cryo-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-display-units.h"
#include "cryo-preferences-window.h"
#include "cryo-status.h"

struct _CryoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  CryoMetricsServer    *metrics_server;

  AdwComboRow          *pressure_unit_row;
  AdwComboRow          *temperature_unit_row;
  AdwComboRow          *compressor_pressure_unit_row;
  AdwPreferencesGroup  *poll_group;
  AdwPreferencesGroup  *service_group;
  GtkSpinButton        *service_lead_spin;
  AdwExpanderRow       *metrics_row;
  AdwEntryRow          *metrics_address_row;
  GtkSpinButton        *metrics_port_spin;
  AdwActionRow         *metrics_status_row;
  GtkSwitch            *notify_errors_switch;
  GtkSwitch            *notify_alarms_switch;
  GtkSwitch            *notify_warnings_switch;
  GtkSpinButton        *connection_delay_spin;
  GtkSpinButton        *stale_delay_spin;
};

G_DEFINE_FINAL_TYPE (CryoPreferencesWindow, cryo_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* A unit combo row shows its enum's values in their declared order; the
 * mappings go between the row's index and the enum's nick. */
static gboolean
nick_to_index (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  GtkStringList *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (nicks));

  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (gtk_string_list_get_string (nicks, i), nick))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
index_to_nick (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  GtkStringList *nicks = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_list_model_get_n_items (G_LIST_MODEL (nicks)))
    return NULL;

  return g_variant_new_string (gtk_string_list_get_string (nicks, selected));
}

static void
bind_unit_row (GSettings   *settings,
               const char  *key,
               AdwComboRow *row)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) nicks = NULL;
  GtkStringList *list = gtk_string_list_new (NULL);
  GVariantIter iter;
  const char *nick;

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", NULL, &nicks);

  g_variant_iter_init (&iter, nicks);
  while (g_variant_iter_next (&iter, "&s", &nick))
    gtk_string_list_append (list, nick);

  g_assert (g_list_model_get_n_items (G_LIST_MODEL (list)) ==
            g_list_model_get_n_items (adw_combo_row_get_model (row)));

  g_settings_bind_with_mapping (settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick, list, g_object_unref);
}

/* The dictionary preferences ("poll-intervals", "service-intervals") have
 * one row per instrument type or counted part; g_settings_bind() cannot
 * bind a dictionary entry, so each row writes its own. */
static void
on_poll_spin_changed_cb (GtkSpinButton         *spin,
                         CryoPreferencesWindow *self)
{
  const CryoDeviceKind *kind = g_object_get_data (G_OBJECT (spin), "cryo-kind");

  cryo_settings_set_poll_interval (self->settings, kind,
                                   (guint) (gtk_spin_button_get_value (spin) * 1000.0 + 0.5));
}

static void
on_service_spin_changed_cb (GtkSpinButton         *spin,
                            CryoPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (spin), "cryo-service-key");
  g_autoptr(GVariant) intervals = g_settings_get_value (self->settings, "service-intervals");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{su}"));
  GVariantIter iter;
  const char *other;
  guint32 hours;

  /* A GVariantDict would end as a{sv}; the key is a{su}. */
  g_variant_iter_init (&iter, intervals);
  while (g_variant_iter_next (&iter, "{&su}", &other, &hours))
    if (!g_str_equal (other, key))
      g_variant_builder_add (&builder, "{su}", other, hours);
  g_variant_builder_add (&builder, "{su}", key, (guint32) gtk_spin_button_get_value_as_int (spin));
  g_settings_set_value (self->settings, "service-intervals", g_variant_builder_end (&builder));
}

static GtkWidget *
add_spin_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *subtitle,
              double               lower,
              double               upper,
              double               step,
              guint                digits,
              double               value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);

  return spin;
}

static void
add_kind_rows (CryoPreferencesWindow *self)
{
  g_autofree const CryoDeviceKind **kinds = cryo_device_kind_list (NULL);
  gboolean any_service = FALSE;

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      const CryoDeviceKind *kind = kinds[i];
      GtkWidget *spin;

      spin = add_spin_row (self->poll_group, cryo_device_kind_get_title (kind),
                           g_dgettext (GETTEXT_PACKAGE, kind->summary),
                           0.1, 60, 0.1, 1,
                           cryo_settings_get_poll_interval (self->settings, kind) / 1000.0);
      g_object_set_data (G_OBJECT (spin), "cryo-kind", (gpointer) kind);
      g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_poll_spin_changed_cb),
                               self, 0);

      for (guint c = 0; kind->channels[c].key != NULL; c++)
        {
          const CryoChannelInfo *channel = &kind->channels[c];
          g_autofree char *title = NULL;

          if (channel->service_hours == 0)
            continue;

          /* Translators: a service interval row: instrument type and counted part */
          title = g_strdup_printf (_("%s: %s"), cryo_device_kind_get_title (kind),
                                   g_dgettext (GETTEXT_PACKAGE, channel->label));
          spin = add_spin_row (self->service_group, title, _("Hours"), 100, 100000, 100, 0,
                               cryo_settings_get_service_hours (self->settings, kind, channel));
          g_object_set_data_full (G_OBJECT (spin), "cryo-service-key",
                                  g_strdup_printf ("%s.%s", kind->id, channel->key), g_free);
          g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_service_spin_changed_cb),
                                   self, 0);
          any_service = TRUE;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->service_group), any_service);
}

/* The address is written when applied, not at every key: each write
 * moves the endpoint. */
static void
on_metrics_address_apply_cb (CryoPreferencesWindow *self)
{
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->metrics_address_row))));

  g_settings_set_string (self->settings, "metrics-address", address);
}

static void
update_metrics_status (CryoPreferencesWindow *self)
{
  const char *uri = NULL;
  const char *error = NULL;

  if (self->metrics_server != NULL)
    {
      uri = cryo_metrics_server_get_uri (self->metrics_server);
      error = cryo_metrics_server_get_error (self->metrics_server);
    }

  if (uri != NULL)
    {
      /* Translators: %s is the address the metrics are served at */
      g_autofree char *text = g_strdup_printf (_("Serving at %s"), uri);

      adw_action_row_set_subtitle (self->metrics_status_row, text);
    }
  else if (error != NULL)
    adw_action_row_set_subtitle (self->metrics_status_row, error);
  else
    adw_action_row_set_subtitle (self->metrics_status_row, _("Not serving"));
}

static void
cryo_preferences_window_dispose (GObject *object)
{
  CryoPreferencesWindow *self = CRYO_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->metrics_server);

  G_OBJECT_CLASS (cryo_preferences_window_parent_class)->dispose (object);
}

static void
cryo_preferences_window_class_init (CryoPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cryo_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cryo-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, pressure_unit_row);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, temperature_unit_row);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, compressor_pressure_unit_row);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, poll_group);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, service_group);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, service_lead_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, metrics_row);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, metrics_address_row);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, metrics_port_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, metrics_status_row);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, notify_errors_switch);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, notify_alarms_switch);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, notify_warnings_switch);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, connection_delay_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, stale_delay_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_metrics_address_apply_cb);
}

static void
cryo_preferences_window_init (CryoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cryo_accessible_name_inner (GTK_WIDGET (self->metrics_row), GTK_TYPE_SWITCH, _("Serve Metrics"));
  cryo_accessible_name_inner (GTK_WIDGET (self), GTK_TYPE_SEARCH_ENTRY, _("Search"));
}

/**
 * cryo_preferences_window_new:
 * @settings: the application settings
 * @metrics_server: (nullable): the metrics endpoint, whose address or
 *   error the Metrics group shows
 *
 * Creates the preferences window; every control is bound to a GSettings
 * key and takes effect at once (the metrics address when applied).
 *
 * Returns: (transfer full): a new window
 */
CryoPreferencesWindow *
cryo_preferences_window_new (GSettings         *settings,
                             CryoMetricsServer *metrics_server)
{
  CryoPreferencesWindow *self;
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (metrics_server == NULL || CRYO_IS_METRICS_SERVER (metrics_server), NULL);

  self = g_object_new (CRYO_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  bind_unit_row (settings, "pressure-unit", self->pressure_unit_row);
  bind_unit_row (settings, "temperature-unit", self->temperature_unit_row);
  bind_unit_row (settings, "compressor-pressure-unit", self->compressor_pressure_unit_row);
  add_kind_rows (self);
  g_settings_bind (settings, "service-lead-days", self->service_lead_spin, "value", G_SETTINGS_BIND_DEFAULT);

  g_settings_bind (settings, "metrics-enabled", self->metrics_row, "enable-expansion", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "metrics-address", self->metrics_address_row, "text", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "metrics-port", self->metrics_port_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-errors", self->notify_errors_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-alarms", self->notify_alarms_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-warnings", self->notify_warnings_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "connection-alarm-delay", self->connection_delay_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "stale-alarm-delay", self->stale_delay_spin, "value", G_SETTINGS_BIND_DEFAULT);
  if (metrics_server != NULL)
    {
      self->metrics_server = g_object_ref (metrics_server);
      g_signal_connect_object (metrics_server, "notify::uri", G_CALLBACK (update_metrics_status),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metrics_server, "notify::error", G_CALLBACK (update_metrics_status),
                               self, G_CONNECT_SWAPPED);
    }
  update_metrics_status (self);

  return self;
}
