/* cryo-link.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cryo-transport.h"

G_BEGIN_DECLS

/**
 * CryoLinkState:
 * @CRYO_LINK_STATE_STOPPED: not started, or stopped; the transport is closed
 * @CRYO_LINK_STATE_CONNECTING: the worker is opening the transport
 * @CRYO_LINK_STATE_CONNECTED: the transport is open and jobs run
 * @CRYO_LINK_STATE_WAITING: closed after a failure; the worker reopens it by itself at
 *   #CryoLink:retry-time
 */
typedef enum
{
  CRYO_LINK_STATE_STOPPED,
  CRYO_LINK_STATE_CONNECTING,
  CRYO_LINK_STATE_CONNECTED,
  CRYO_LINK_STATE_WAITING,
} CryoLinkState;

/**
 * CryoLinkPriority:
 * @CRYO_LINK_PRIORITY_POLL: a routine poll; runs after every queued command
 * @CRYO_LINK_PRIORITY_COMMAND: an operator's command; runs before every queued poll
 */
typedef enum
{
  CRYO_LINK_PRIORITY_POLL,
  CRYO_LINK_PRIORITY_COMMAND,
} CryoLinkPriority;

/**
 * CryoLinkFunc:
 * @transport: the open transport, for this call only
 * @task_data: the data given to cryo_link_run_async()
 * @cancellable: cancelled when the job's own cancellable is or when the link stops;
 *   check it between reads of a long transaction
 * @error: return location for a #GError
 *
 * A transaction run in the link's worker thread: write a request, read the reply.
 * It must touch nothing but @transport and @task_data. A fatal
 * %CRYO_TRANSPORT_ERROR (see cryo_transport_error_is_fatal()) makes the link close the
 * transport and reconnect; any other error (e.g. %CRYO_TRANSPORT_ERROR_TIMEOUT or a
 * %CRYO_PROTOCOL_ERROR) just goes back to the caller.
 *
 * Returns: (nullable): the result, handed to the callback; %NULL with @error set on
 *   failure (%NULL without error is a valid result)
 */
typedef gpointer (*CryoLinkFunc) (CryoTransport  *transport,
                                  gpointer        task_data,
                                  GCancellable   *cancellable,
                                  GError        **error);

/**
 * CryoStreamCodec:
 * @decoder_new: creates a decoder in its initial state, waiting for the start of a
 *   message; called in the worker before the first bytes of each connection, so that
 *   every connection starts from clean framing
 * @decoder_free: frees a decoder and the bytes it still holds; called in the worker
 *   when the transport closes
 * @feed: appends @len (≥ 1) bytes just received to the decoder's buffer, which the
 *   decoder keeps bounded (a protocol's longest message, say)
 * @next: takes the next message out of the buffer. Returns %TRUE with a non-%NULL
 *   *@message when one was complete and valid; %FALSE with @error set (a
 *   #CryoProtocolError such as %CRYO_PROTOCOL_ERROR_CHECKSUM) when it dropped at
 *   least one byte that was not part of a valid message and resynchronised, after
 *   which the link calls it again; %FALSE without an error when it needs more bytes
 * @message_free: frees a message; called in the main context, after
 *   #CryoLink::message or when the link stops before emitting it
 *
 * The incremental decoder of a protocol whose instrument sends unsolicited messages
 * (Cryostream status packets, Incuvers status lines), as cryo_link_set_stream()
 * takes it. The link only moves bytes and messages: what a message is, how long it
 * may be and how the decoder finds the next start after garbage are the codec's
 * business. The decoder functions are called from the link's worker thread only,
 * one at a time, so they need no locking and must not touch anything but their
 * decoder.
 */
typedef struct
{
  gpointer (*decoder_new)  (void);
  void     (*decoder_free) (gpointer       decoder);
  void     (*feed)         (gpointer       decoder,
                            const guint8  *data,
                            gsize          len);
  gboolean (*next)         (gpointer       decoder,
                            gpointer      *message,
                            GError       **error);
  GDestroyNotify message_free;
} CryoStreamCodec;

/**
 * CryoLinkStats:
 * @transactions: request/reply exchanges begun (a retry is not a new one)
 * @damaged: replies that arrived damaged: bad checksum, garbage, a reply
 *   to another request
 * @timeouts: replies that did not arrive in time
 * @retries: requests sent again after a damaged or missing reply
 *
 * How well a link carries an instrument's traffic. The worker thread counts
 * with g_atomic_int_inc() as exchanges go; the main thread reads the
 * counters with g_atomic_int_get(). Reconnects are
 * #CryoLink:n-reconnects.
 */
typedef struct
{
  int transactions;
  int damaged;
  int timeouts;
  int retries;
} CryoLinkStats;

#define CRYO_TYPE_LINK_STATE (cryo_link_state_get_type ())
GType cryo_link_state_get_type (void) G_GNUC_CONST;

#define CRYO_TYPE_LINK (cryo_link_get_type ())

G_DECLARE_FINAL_TYPE (CryoLink, cryo_link, CRYO, LINK, GObject)

CryoLink      *cryo_link_new                 (CryoTransport          *transport);
CryoTransport *cryo_link_get_transport       (CryoLink               *self);
void           cryo_link_set_backoff         (CryoLink               *self,
                                              guint                   initial_ms,
                                              guint                   max_ms);
void           cryo_link_set_stream          (CryoLink               *self,
                                              const CryoStreamCodec  *codec,
                                              guint                   stale_ms,
                                              guint                   reopen_ms);
void           cryo_link_start               (CryoLink               *self);
void           cryo_link_stop                (CryoLink               *self);
CryoLinkState  cryo_link_get_state           (CryoLink               *self);
gboolean       cryo_link_is_connected        (CryoLink               *self);
gint64         cryo_link_get_retry_time      (CryoLink               *self);
const char    *cryo_link_get_last_error      (CryoLink               *self);
guint          cryo_link_get_n_reconnects    (CryoLink               *self);
CryoLinkStats *cryo_link_get_stats           (CryoLink               *self);
guint          cryo_link_get_quality         (CryoLink               *self);
gboolean       cryo_link_has_traffic         (CryoLink               *self);
char          *cryo_link_dup_quality_text    (CryoLink               *self);
gboolean       cryo_link_is_stream           (CryoLink               *self);
gboolean       cryo_link_get_stale           (CryoLink               *self);
guint64        cryo_link_get_n_messages      (CryoLink               *self);
guint64        cryo_link_get_n_decode_errors (CryoLink               *self);
void           cryo_link_run_async           (CryoLink               *self,
                                              CryoLinkPriority        priority,
                                              CryoLinkFunc            func,
                                              gpointer                task_data,
                                              GDestroyNotify          task_data_destroy,
                                              GDestroyNotify          result_destroy,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
gpointer       cryo_link_run_finish          (CryoLink               *self,
                                              GAsyncResult           *result,
                                              GError                **error);

G_END_DECLS
