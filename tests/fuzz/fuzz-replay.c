/* fuzz-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a fuzz target over files, without libFuzzer, so every build (gcc
 * too) replays the seed corpus and any crash a fuzz run found:
 *
 *   replay-agilent-decoder tests/fuzz/corpus/agilent-decoder [crash-…]
 *
 * Each argument is a corpus folder (every file in it, in name order) or a
 * single input file; each input is one test case.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"

static void
test_replay_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  /* An exact-size copy, so that ASan sees a read past the input. */
  {
    g_autofree guint8 *input = g_memdup2 (contents, length);

    LLVMFuzzerTestOneInput (input, length);
  }
}

static void
add_file (const char *target,
          const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf ("/fuzz/%s/%s", target, base);

  g_test_add_data_func_full (name, g_strdup (path), test_replay_file, g_free);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_folder (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *target = g_path_get_basename (path);
  const char *name;

  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  /* An empty corpus would make the test pass without running anything. */
  if (names->len == 0)
    g_error ("%s: no seed files", path);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      add_file (target, file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    g_error ("usage: %s CORPUS-FOLDER|FILE…", argv[0]);

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        add_folder (argv[i]);
      else
        add_file ("input", argv[i]);
    }

  return g_test_run ();
}
