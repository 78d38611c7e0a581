/* test-sim-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "test-sim-util.h"

/* The bytes of "02 80 30 …" (two hex digits each, spaces between). */
GBytes *
hex_bytes (const char *hex)
{
  GByteArray *array = g_byte_array_new ();
  g_auto(GStrv) parts = g_strsplit (hex, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint8 b;

      if (parts[i][0] == '\0')
        continue;
      g_assert_cmpuint (strlen (parts[i]), ==, 2);
      b = (guint8) (g_ascii_xdigit_value (parts[i][0]) << 4 | g_ascii_xdigit_value (parts[i][1]));
      g_byte_array_append (array, &b, 1);
    }

  return g_byte_array_free_to_bytes (array);
}

/* Writes all of @bytes to @fd, or fails the test. */
void
write_all (int     fd,
           GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      data += n;
      len -= (gsize) n;
    }
}

/* The cryomon-sim the build made (CRYOMON_SIM in the tests' environment). */
const char *
sim_binary (void)
{
  const char *path = g_getenv ("CRYOMON_SIM");

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));

  return path;
}

/* Runs cryomon-sim with the arguments after @expected_stderr (up to NULL)
 * and asserts a usage error: exit status 2, nothing on stdout, and
 * @expected_stderr within what it printed on stderr. */
void
run_usage_error (const char *expected_stderr,
                 ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) sim_binary ());
  va_start (args, expected_stderr);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL,
                                                &stdout_text, &stderr_text, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_cmpstr (stdout_text, ==, "");
  g_assert_nonnull (strstr (stderr_text, expected_stderr));
}
