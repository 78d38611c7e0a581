/* cryo-metrics-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The port of the metrics preference unless set; not one of the ports
 * Prometheus's exporter list gives out (that range is full). */
#define CRYO_METRICS_DEFAULT_PORT 9184

#define CRYO_TYPE_METRICS_SERVER (cryo_metrics_server_get_type ())

G_DECLARE_FINAL_TYPE (CryoMetricsServer, cryo_metrics_server, CRYO, METRICS_SERVER, GObject)

CryoMetricsServer *cryo_metrics_server_new          (GListModel         *devices,
                                                     GSettings          *settings);
gboolean           cryo_metrics_server_listen       (CryoMetricsServer  *self,
                                                     const char         *listen,
                                                     GError            **error);
void               cryo_metrics_server_stop         (CryoMetricsServer  *self);
const char        *cryo_metrics_server_get_uri      (CryoMetricsServer  *self);
const char        *cryo_metrics_server_get_error    (CryoMetricsServer  *self);

char              *cryo_metrics_dup_text            (GListModel         *devices,
                                                     gint64              now_us);
gboolean           cryo_metrics_parse_listen        (const char         *listen,
                                                     GSocketAddress    **address,
                                                     GError            **error);
char              *cryo_metrics_dup_settings_listen (GSettings          *settings);

G_END_DECLS
