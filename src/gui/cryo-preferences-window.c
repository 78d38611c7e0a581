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
  GtkSpinButton        *poll_interval_spin;
  GtkSpinButton        *tip_seal_spin;
};

G_DEFINE_FINAL_TYPE (CryoPreferencesWindow, cryo_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo row's items are the enum's nicks, in order. */
static gboolean
unit_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  GListModel *model = user_data;
  const char *nick = g_variant_get_string (variant, NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), nick))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
unit_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  GListModel *model = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_list_model_get_n_items (model))
    return NULL;

  return g_variant_new_string (gtk_string_list_get_string (GTK_STRING_LIST (model), selected));
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
  gtk_widget_class_bind_template_child (widget_class, CryoPreferencesWindow, poll_interval_spin);
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
  GListModel *units;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CRYO_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  units = adw_combo_row_get_model (self->pressure_unit_row);
  g_settings_bind_with_mapping (settings, "pressure-unit",
                                self->pressure_unit_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                unit_get_mapping, unit_set_mapping,
                                g_object_ref (units), g_object_unref);
  g_settings_bind (settings, "poll-interval",
                   gtk_spin_button_get_adjustment (self->poll_interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "tip-seal-threshold",
                   gtk_spin_button_get_adjustment (self->tip_seal_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  return self;
}
