// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GPtrArray *openiot_test_td_corpus_paths (void);

G_END_DECLS
