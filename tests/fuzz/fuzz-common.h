// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* What every libFuzzer target here shares: GLib set up so that a critical
 * or a warning is a crash libFuzzer reports (with the input that caused
 * it), and quiet otherwise so that logging does not slow the fuzzing. */

#include <stdint.h>
#include <stdlib.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_glib_init (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* A failed invariant: say which, and crash so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_printerr ("%s:%d: invariant failed: %s\n  ", __FILE__, __LINE__, #cond); \
        g_printerr (__VA_ARGS__); \
        g_printerr ("\n"); \
        abort (); \
      } \
  } G_STMT_END
