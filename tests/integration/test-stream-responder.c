/* test-stream-responder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests' streaming serial instrument; see test-stream-responder.h.
 */

#include "config.h"

#include <string.h>

#include "test-stream-responder.h"

static void responder_iface_init (CryoSimResponderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestResponder, test_responder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_SIM_RESPONDER,
                                                      responder_iface_init))

static void
test_responder_tick (CryoSimResponder *responder,
                     double            dt_seconds)
{
  TEST_RESPONDER (responder)->elapsed_s += dt_seconds;
}

static GPtrArray *
test_responder_feed (CryoSimResponder *responder,
                     const guint8     *bytes,
                     gsize             len)
{
  TestResponder *self = TEST_RESPONDER (responder);
  GPtrArray *replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (gsize i = 0; i < len; i++)
    {
      if (bytes[i] != '\n')
        {
          g_string_append_c (self->line, (char) bytes[i]);
          continue;
        }

      if (g_str_equal (self->line->str, "ping"))
        {
          cryo_sim_responder_log_command (responder, "%s ACK", self->line->str);
          g_ptr_array_add (replies, g_bytes_new_static ("pong\n", 5));
        }
      g_string_truncate (self->line, 0);
    }

  return replies;
}

static guint
test_responder_get_stream_interval_ms (CryoSimResponder *responder)
{
  return STREAM_INTERVAL_MS;
}

static GBytes *
test_responder_next_packet (CryoSimResponder *responder)
{
  TestResponder *self = TEST_RESPONDER (responder);
  g_autofree char *packet = g_strdup_printf ("#%u\n", ++self->n_packets);

  return g_bytes_new (packet, strlen (packet));
}

static void
responder_iface_init (CryoSimResponderInterface *iface)
{
  iface->tick = test_responder_tick;
  iface->feed = test_responder_feed;
  iface->get_stream_interval_ms = test_responder_get_stream_interval_ms;
  iface->next_packet = test_responder_next_packet;
}

static void
test_responder_finalize (GObject *object)
{
  TestResponder *self = TEST_RESPONDER (object);

  g_string_free (self->line, TRUE);

  G_OBJECT_CLASS (test_responder_parent_class)->finalize (object);
}

static void
test_responder_class_init (TestResponderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_responder_finalize;
}

static void
test_responder_init (TestResponder *self)
{
  self->line = g_string_new (NULL);
}

