/* cryo-sim-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-sim-faults"

#include "config.h"

#include "cryo-sim-faults.h"

/**
 * cryo_sim_faults_apply:
 * @rand: the server's random source
 * @reply: the reply the model produced
 * @corrupt: probability 0..1 that one random byte of the reply is altered
 * @drop: probability 0..1 that no reply is sent
 *
 * Decides what a faulty line does to one reply: drops it, flips a random
 * byte (never to its own value), or lets it through.
 *
 * Returns: (transfer full) (nullable): the reply to send, %NULL to send none
 */
GBytes *
cryo_sim_faults_apply (GRand  *rand,
                       GBytes *reply,
                       double  corrupt,
                       double  drop)
{
  gsize len;
  guint8 *bytes;
  gsize pos;

  g_return_val_if_fail (rand != NULL, NULL);
  g_return_val_if_fail (reply != NULL, NULL);

  if (drop > 0.0 && g_rand_double (rand) < drop)
    {
      g_debug ("Fault injection: reply dropped");
      return NULL;
    }

  if (!(corrupt > 0.0 && g_rand_double (rand) < corrupt) || g_bytes_get_size (reply) == 0)
    return g_bytes_ref (reply);

  bytes = g_bytes_unref_to_data (g_bytes_ref (reply), &len);
  pos = (gsize) g_rand_int_range (rand, 0, (gint32) len);
  bytes[pos] ^= (guint8) g_rand_int_range (rand, 1, 256);
  g_debug ("Fault injection: reply byte %" G_GSIZE_FORMAT " altered", pos);

  return g_bytes_new_take (bytes, len);
}
