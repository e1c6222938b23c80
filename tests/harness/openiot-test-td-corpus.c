// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "openiot-test-td-corpus.h"

/**
 * openiot_test_td_corpus_paths:
 *
 * The real Thing Descriptions from device makers that the parser and the
 * summary are held to: $OPENIOT_TD_CORPUS, else ../shared/td-corpus beside
 * the source tree (too big to ship in it).
 *
 * Returns: (transfer full) (nullable): the path of every `.json` and
 *   `.jsonld` file there, or %NULL with the test skipped where there is no
 *   corpus
 */
GPtrArray *
openiot_test_td_corpus_paths (void)
{
  const char *corpus = g_getenv ("OPENIOT_TD_CORPUS");
  g_autofree char *fallback = g_build_filename (g_getenv ("OPENIOT_SOURCE_ROOT"), "..", "shared",
                                                "td-corpus", NULL);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (corpus == NULL)
    corpus = fallback;
  if (!(dir = g_dir_open (corpus, 0, NULL)))
    {
      g_test_skip ("no TD corpus beside the source tree (../shared/td-corpus)");
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".jsonld") || g_str_has_suffix (name, ".json"))
        g_ptr_array_add (paths, g_build_filename (corpus, name, NULL));
    }

  return g_steal_pointer (&paths);
}
