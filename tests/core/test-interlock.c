/* test-interlock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <math.h>

#include "cryo-interlock.h"

#include "../test-readings.h"

static void
test_check_fresh (void)
{
  CryoReading reading;
  g_autofree char *reason = NULL;

  reading = make_reading (812, AGE_FRESH);
  g_assert_true (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, &reason));
  g_assert_null (reason);
  g_assert_true (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, NULL));

  reading = make_reading (NAN, AGE_NEVER);
  g_assert_false (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, &reason));
  g_assert_cmpstr (reason, ==, "No turbo speed reading yet");
  g_clear_pointer (&reason, g_free);
  g_assert_false (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, NULL));

  /* A known time but an unknown value (a gap) is no reading either. */
  reading.time_us = NOW;
  g_assert_false (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, &reason));
  g_assert_cmpstr (reason, ==, "No turbo speed reading yet");
  g_clear_pointer (&reason, g_free);

  /* And a value stamped 0 was never read. */
  reading.value = 0;
  reading.time_us = 0;
  g_assert_false (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, &reason));
  g_assert_cmpstr (reason, ==, "No turbo speed reading yet");
  g_clear_pointer (&reason, g_free);

  reading.value = 0;
  reading.time_us = NOW - 12 * SEC;
  g_assert_false (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, &reason));
  g_assert_cmpstr (reason, ==, "Turbo speed reading is 12 s old — must be under 3 s");
  g_clear_pointer (&reason, g_free);

  reading.time_us = NOW - 4500000;
  g_assert_false (cryo_interlock_check_fresh ("état", &reading, NOW, 1500000, &reason));
  g_assert_cmpstr (reason, ==, "État reading is 4.5 s old — must be under 1.5 s");
  g_clear_pointer (&reason, g_free);

  reading.time_us = NOW + SEC;
  g_assert_true (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, &reason));
  g_assert_null (reason);
  reading.time_us = NOW + SEC + 1;
  g_assert_false (cryo_interlock_check_fresh ("turbo speed", &reading, NOW, MAX_AGE, &reason));
  g_assert_cmpstr (reason, ==, "Turbo speed reading is 1.1 s in the future — check the system clock");
}

static void
test_rules (void)
{
  CryoInterlock interlock;
  CryoReading zero = make_reading (0, AGE_FRESH);
  CryoReading busy = make_reading (812, AGE_FRESH);
  CryoReading old = make_reading (812, AGE_JUST_OVER);
  CryoReading never = make_reading (NAN, AGE_NEVER);
  g_autofree char *reason = NULL;

  /* Every rule holds: allowed, no reason. */
  cryo_interlock_init (&interlock, NOW, MAX_AGE);
  g_assert_true (cryo_interlock_require_fresh (&interlock, "turbo speed", &zero));
  g_assert_true (cryo_interlock_require_equal (&interlock, &zero, 0, "Turbo at %g rpm", zero.value));
  g_assert_true (cryo_interlock_require_below (&interlock, &zero, 1, "Turbo at %g rpm", zero.value));
  g_assert_true (cryo_interlock_finish (&interlock, &reason));
  g_assert_null (reason);
  g_assert_null (interlock.reasons);

  /* Failing rules, in the order they were added, joined by "; ". */
  cryo_interlock_init (&interlock, NOW, MAX_AGE);
  g_assert_true (cryo_interlock_require_fresh (&interlock, "turbo speed", &busy));
  g_assert_false (cryo_interlock_require_equal (&interlock, &busy, 0, "Turbo at %g rpm — must be 0", busy.value));
  g_assert_false (cryo_interlock_require_below (&interlock, &busy, 812, "Turbo at %g rpm — must be below %d", busy.value, 812));
  g_assert_true (cryo_interlock_require_below (&interlock, &busy, 812.5, "not shown"));
  g_assert_false (cryo_interlock_finish (&interlock, &reason));
  g_assert_cmpstr (reason, ==, "Turbo at 812 rpm — must be 0; Turbo at 812 rpm — must be below 812");
  g_clear_pointer (&reason, g_free);

  /* A reading that is not fresh fails only its freshness rule: the value
   * rules leave it to that one, so no stale value is quoted. */
  cryo_interlock_init (&interlock, NOW, MAX_AGE);
  g_assert_false (cryo_interlock_require_fresh (&interlock, "turbo speed", &old));
  g_assert_true (cryo_interlock_require_equal (&interlock, &old, 0, "Turbo at %g rpm", old.value));
  g_assert_false (cryo_interlock_require_fresh (&interlock, "pump status", &never));
  g_assert_true (cryo_interlock_require_below (&interlock, &never, 1, "never shown"));
  g_assert_false (cryo_interlock_finish (&interlock, &reason));
  g_assert_cmpstr (reason, ==, "Turbo speed reading is 3.1 s old — must be under 3 s; No pump status reading yet");
  g_clear_pointer (&reason, g_free);

  /* Without a reason wanted, the verdict is the same. */
  cryo_interlock_init (&interlock, NOW, MAX_AGE);
  cryo_interlock_require_equal (&interlock, &busy, 0, "x");
  g_assert_false (cryo_interlock_finish (&interlock, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/interlock/check-fresh", test_check_fresh);
  g_test_add_func ("/interlock/rules", test_rules);

  return g_test_run ();
}
