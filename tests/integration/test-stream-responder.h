/* test-stream-responder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-sim-server.h"

G_BEGIN_DECLS

/* A serial instrument of the tests' own: it answers "ping\n" with
 * "pong\n" (logged as "ping ACK") and streams "#N\n" every 20 ms unasked,
 * as the Cryostream and the incubator stream their status. */

#define STREAM_INTERVAL_MS 20

#define TEST_TYPE_RESPONDER (test_responder_get_type ())

G_DECLARE_FINAL_TYPE (TestResponder, test_responder, TEST, RESPONDER, GObject)

struct _TestResponder
{
  GObject  parent_instance;

  GString *line;
  double   elapsed_s;
  guint    n_packets;
};

G_END_DECLS
