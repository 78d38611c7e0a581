/* cryo-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cryo-preferences-window.h"

struct _CryoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *pressure_unit_row;
  AdwComboRow          *temperature_unit_row;
  AdwComboRow          *compressor_pressure_unit_row;
  GtkSpinButton        *poll_interval_spin;
  GtkSpinButton        *compressor_poll_interval_spin;
  GtkSpinButton        *tip_seal_spin;
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

static void
cryo_preferences_window_dispose (GObject *object)
{
  CryoPreferencesWindow *self = CRYO_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRYO_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

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
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, poll_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, compressor_poll_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, tip_seal_spin);
}

static void
cryo_preferences_window_init (CryoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cryo_preferences_window_new:
 * @settings: the application settings
 *
 * Creates the preferences window; every control is bound to a GSettings
 * key and takes effect at once.
 *
 * Returns: (transfer full): a new window
 */
CryoPreferencesWindow *
cryo_preferences_window_new (GSettings *settings)
{
  CryoPreferencesWindow *self;
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CRYO_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  bind_unit_row (settings, "pressure-unit", self->pressure_unit_row);
  bind_unit_row (settings, "temperature-unit", self->temperature_unit_row);
  bind_unit_row (settings, "compressor-pressure-unit", self->compressor_pressure_unit_row);
  g_settings_bind (settings, "poll-interval",
                   gtk_spin_button_get_adjustment (self->poll_interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "compressor-poll-interval",
                   gtk_spin_button_get_adjustment (self->compressor_poll_interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "tip-seal-threshold",
                   gtk_spin_button_get_adjustment (self->tip_seal_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  return self;
}
