// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* What every libFuzzer target here shares: GLib set up (in fuzz-common.c's
 * LLVMFuzzerInitialize()) so that a critical or a warning is a crash
 * libFuzzer reports (with the input that caused it), and quiet otherwise so
 * that logging does not slow the fuzzing. A target defines only
 * LLVMFuzzerTestOneInput(); libFuzzer brings main(). */

#include <stdint.h>
#include <stdlib.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);

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
