/* test-stream-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stream instrument end to end: a device of the tests' own kind
 * (CRYO_LINK_KIND_SERIAL_STREAM) against the streaming test responder on a
 * pseudo-terminal, through the real serial transport and the link's stream
 * mode: readings arrive without polls, a command is written between reads,
 * silence makes the device stale and the stream coming back makes it
 * online again.
 */

#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "cryo-device.h"
#include "cryo-protocol-error.h"
#include "test-device-util.h"
#include "test-stream-responder.h"

/* --- the codec: "#N\n" lines ---------------------------------------------- */

typedef struct
{
  GString *buffer;
} LineDecoder;

static gpointer
line_decoder_new (void)
{
  LineDecoder *decoder = g_new0 (LineDecoder, 1);

  decoder->buffer = g_string_new (NULL);
  return decoder;
}

static void
line_decoder_free (gpointer data)
{
  LineDecoder *decoder = data;

  g_string_free (decoder->buffer, TRUE);
  g_free (decoder);
}

static void
line_decoder_feed (gpointer      data,
                   const guint8 *bytes,
                   gsize         len)
{
  LineDecoder *decoder = data;

  g_string_append_len (decoder->buffer, (const char *) bytes, len);
}

static gboolean
line_decoder_next (gpointer   data,
                   gpointer  *message,
                   GError   **error)
{
  LineDecoder *decoder = data;
  const char *newline = memchr (decoder->buffer->str, '\n', decoder->buffer->len);
  g_autofree char *line = NULL;
  guint64 value;

  *message = NULL;
  if (newline == NULL)
    return FALSE;

  line = g_strndup (decoder->buffer->str, newline - decoder->buffer->str);
  g_string_erase (decoder->buffer, 0, newline - decoder->buffer->str + 1);

  if (line[0] != '#' || !g_ascii_string_to_unsigned (line + 1, 10, 0, G_MAXUINT, &value, NULL))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED, "not a count: %s", line);
      return FALSE;
    }

  *message = g_memdup2 (&value, sizeof value);
  return TRUE;
}

static const CryoStreamCodec line_codec = {
  line_decoder_new, line_decoder_free, line_decoder_feed, line_decoder_next, g_free,
};

/* --- the device ----------------------------------------------------------- */

#define TEST_TYPE_STREAM_DEVICE (test_stream_device_get_type ())

G_DECLARE_FINAL_TYPE (TestStreamDevice, test_stream_device, TEST, STREAM_DEVICE, CryoDevice)

struct _TestStreamDevice
{
  CryoDevice parent_instance;
};

static const CryoChannelInfo stream_channels[] = {
  { "count", "Count", "count", CRYO_QUANTITY_NONE, CRYO_SCALE_LINEAR, 10, 1000, CRYO_CHANNEL_FLAG_PRIMARY },
  { NULL }
};

static const CryoDeviceAction stream_actions[] = {
  { "ping", "Ping", FALSE, FALSE, NULL, { { NULL } } },
  { NULL }
};

static const CryoDeviceKind stream_kind = {
  .id = "test-stream",
  .title = "Stream instrument",
  .model = "Test",
  .summary = "A streaming test instrument",
  .link_kind = CRYO_LINK_KIND_SERIAL_STREAM,
  .default_baud = 9600,
  .default_poll_interval_ms = 100,
  .stream_codec = &line_codec,
  .channels = stream_channels,
  .actions = stream_actions,
  .get_type = test_stream_device_get_type,
};

G_DEFINE_FINAL_TYPE (TestStreamDevice, test_stream_device, CRYO_TYPE_DEVICE)

static void
test_stream_device_message (CryoDevice *device,
                            gpointer    message)
{
  guint64 count = *(guint64 *) message;

  cryo_device_push_sample (device, cryo_device_lookup_channel (device, "count"),
                           g_get_real_time (), (double) count);
  cryo_device_poll_done (device, TRUE, NULL);
}

/* Worker thread: a stream command only writes; the next status confirms. */
static gpointer
ping_func (CryoTransport  *transport,
           gpointer        task_data,
           GCancellable   *cancellable,
           GError        **error)
{
  if (!cryo_transport_write_all (transport, (const guint8 *) "ping\n", 5, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

static void
test_stream_device_run_action (CryoDevice   *device,
                               const char   *action,
                               const double *params,
                               GTask        *task)
{
  cryo_device_run_command (device, ping_func, NULL, NULL, task);
}

static void
test_stream_device_class_init (TestStreamDeviceClass *klass)
{
  CryoDeviceClass *device_class = CRYO_DEVICE_CLASS (klass);

  device_class->message = test_stream_device_message;
  device_class->run_action = test_stream_device_run_action;
  cryo_device_class_set_kind (device_class, &stream_kind);
}

static void
test_stream_device_init (TestStreamDevice *self)
{
}

/* --- the test -------------------------------------------------------------- */

static gboolean
is_state (gpointer data)
{
  CryoDevice *device = data;
  CryoDeviceState wanted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (device), "wanted"));

  return cryo_device_get_state (device) == wanted;
}

static void
wait_for_state (CryoDevice      *device,
                CryoDeviceState  state)
{
  g_object_set_data (G_OBJECT (device), "wanted", GINT_TO_POINTER (state));
  g_assert_true (wait_for (is_state, device, 10000));
}

static gboolean
has_ping (gpointer data)
{
  g_auto(GStrv) log = cryo_sim_server_dup_command_log (data);

  return g_strv_contains ((const char * const *) log, "ping ACK");
}

static void
test_stream (void)
{
  g_autoptr(TestResponder) responder = g_object_new (TEST_TYPE_RESPONDER, NULL);
  CryoSimServerOptions options = CRYO_SIM_SERVER_OPTIONS_INIT;
  g_autoptr(CryoSimServer) server = cryo_sim_server_new (CRYO_SIM_RESPONDER (responder), &options);
  g_autoptr(CryoDeviceConfig) config = NULL;
  g_autoptr(CryoDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  ActionResult action;
  CryoReading first, later;
  guint64 polls;

  g_assert_true (cryo_sim_server_start_pty (server, NULL, &error));
  g_assert_no_error (error);

  config = cryo_device_config_new (&stream_kind, cryo_sim_server_get_path (server));
  device = cryo_device_new_from_config (config, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_STREAM_DEVICE (device));

  /* Readings arrive with no poll: the stream brings them. */
  cryo_device_set_monitoring (device, TRUE);
  wait_for_state (device, CRYO_DEVICE_STATE_ONLINE);
  first = cryo_channel_get_reading (cryo_device_lookup_channel (device, "count"));
  g_assert_cmpfloat (first.value, >=, 1);
  polls = cryo_device_get_n_polls (device);

  /* A command is written between reads, and the stream goes on. */
  run_action (device, "ping", &action);
  g_assert_no_error (action.error);
  g_assert_true (action.ok);
  g_assert_true (wait_for (has_ping, server, 5000));

  later = cryo_channel_get_reading (cryo_device_lookup_channel (device, "count"));
  g_assert_cmpfloat (later.value, >, first.value);
  g_assert_cmpuint (cryo_device_get_n_polls (device), >, polls);

  /* Silence: stale after three intervals, with a gap in the history. */
  cryo_sim_server_set_faults (server, 0.0, 1.0, 0);
  wait_for_state (device, CRYO_DEVICE_STATE_STALE);
  g_assert_nonnull (strstr (cryo_device_get_last_error (device), "No status"));
  g_assert_true (isnan (cryo_channel_get_reading (cryo_device_lookup_channel (device, "count")).value));

  /* The stream comes back: online again. */
  cryo_sim_server_set_faults (server, 0.0, 0.0, 0);
  wait_for_state (device, CRYO_DEVICE_STATE_ONLINE);

  cryo_device_set_monitoring (device, FALSE);
  g_clear_object (&device);
  cryo_sim_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stream-device/stream", test_stream);

  return g_test_run ();
}
