/* fuzz-target.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every fuzz target shares. A target is one LLVMFuzzerTestOneInput()
 * that feeds its input to a decoder or parser and asserts the invariants
 * and round trips that must hold for any input; a failed g_assert aborts,
 * which libFuzzer reports as a crash with the input that caused it. The
 * same function is linked with libFuzzer (-Dfuzzing=true, clang) and with
 * fuzz-replay.c, which runs it over the seed corpus in every build.
 */

#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput output = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return output;
}

/* Criticals and warnings are programming errors, whether ours or GLib's
 * (a GError set twice): under libFuzzer, which does not set G_DEBUG, they
 * abort like a failed assertion, which libFuzzer reports with the input.
 * (A fatal log would stop on SIGTRAP, which libFuzzer does not catch.)
 * Under g_test, G_DEBUG=fatal-warnings already makes them fatal. */
static inline void
fuzz_make_warnings_fatal (void)
{
  static gboolean done;

  if (done || g_test_initialized ())
    return;

  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  done = TRUE;
}

/* A failed decode says why: an error of the expected domain with a
 * message that can be shown (UTF-8, not empty). */
static inline void
fuzz_assert_error (const GError *error,
                   GQuark        domain)
{
  g_assert_nonnull (error);
  g_assert_cmpuint (error->domain, ==, domain);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

G_END_DECLS
