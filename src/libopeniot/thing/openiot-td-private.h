// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "openiot-json-private.h"

G_BEGIN_DECLS

/* Limits that keep a hostile Thing Description from exhausting memory,
 * the stack or the user's patience. Generous for real devices: the largest
 * TD of the corpus in ../shared/td-corpus is 60 KiB with 5 levels. */
#define OPENIOT_TD_MAX_SIZE          (1024 * 1024)
#define OPENIOT_TD_MAX_JSON_DEPTH    OPENIOT_JSON_MAX_DEPTH
#define OPENIOT_TD_MAX_SCHEMA_DEPTH  16
#define OPENIOT_TD_MAX_SCHEMAS       20000
#define OPENIOT_TD_MAX_INTERACTIONS  2048
#define OPENIOT_TD_MAX_FORMS         64

/* Counts what one document may still build. */
typedef struct
{
  guint schemas_left;
} OpenIotTdBudget;

JsonObject *_openiot_td_parse           (GBytes      *bytes,
                                         JsonParser  *parser,
                                         GError     **error);
const char *_openiot_td_localized       (JsonObject  *object,
                                         const char  *member);
const char *_openiot_td_string          (JsonObject  *object,
                                         const char  *member);
GStrv       _openiot_td_semantic_types  (JsonObject  *object);
const char *_openiot_td_local_name      (const char  *type);

/* Called for each word of a name or title; TRUE stops. */
typedef gboolean (*OpenIotTdWordFunc) (const char *word,
                                       gsize       length,
                                       gpointer    data);
gboolean    _openiot_td_for_each_word   (const char        *text,
                                         OpenIotTdWordFunc  func,
                                         gpointer           data);
gboolean    _openiot_td_boolean         (JsonObject  *object,
                                         const char  *member,
                                         gboolean     fallback);
JsonObject *_openiot_td_object          (JsonObject  *object,
                                         const char  *member);
gboolean    _openiot_td_number          (JsonObject  *object,
                                         const char  *member,
                                         double      *value);

G_END_DECLS
