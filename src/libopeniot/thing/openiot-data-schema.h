// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OpenIotDataType:
 * @OPENIOT_DATA_TYPE_ANY: no type given: any JSON value
 * @OPENIOT_DATA_TYPE_BOOLEAN: `true` or `false`
 * @OPENIOT_DATA_TYPE_INTEGER: a number without a fractional part
 * @OPENIOT_DATA_TYPE_NUMBER: any number
 * @OPENIOT_DATA_TYPE_STRING: a string
 * @OPENIOT_DATA_TYPE_OBJECT: an object with named members
 * @OPENIOT_DATA_TYPE_ARRAY: a list of items
 * @OPENIOT_DATA_TYPE_NULL: `null`
 *
 * The JSON type a [class@OpenIot.DataSchema] describes.
 */
typedef enum
{
  OPENIOT_DATA_TYPE_ANY,
  OPENIOT_DATA_TYPE_BOOLEAN,
  OPENIOT_DATA_TYPE_INTEGER,
  OPENIOT_DATA_TYPE_NUMBER,
  OPENIOT_DATA_TYPE_STRING,
  OPENIOT_DATA_TYPE_OBJECT,
  OPENIOT_DATA_TYPE_ARRAY,
  OPENIOT_DATA_TYPE_NULL,
} OpenIotDataType;

#define OPENIOT_TYPE_DATA_SCHEMA (openiot_data_schema_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotDataSchema, openiot_data_schema, OPENIOT, DATA_SCHEMA, GObject)

OpenIotDataType     openiot_data_schema_get_data_type      (OpenIotDataSchema *self);
const char         *openiot_data_schema_get_title          (OpenIotDataSchema *self);
const char         *openiot_data_schema_get_description    (OpenIotDataSchema *self);
const char         *openiot_data_schema_get_unit           (OpenIotDataSchema *self);
const char         *openiot_data_schema_get_format         (OpenIotDataSchema *self);
gboolean            openiot_data_schema_get_minimum        (OpenIotDataSchema *self,
                                                            double            *minimum);
gboolean            openiot_data_schema_get_maximum        (OpenIotDataSchema *self,
                                                            double            *maximum);
JsonArray          *openiot_data_schema_get_enum           (OpenIotDataSchema *self);
gboolean            openiot_data_schema_get_read_only      (OpenIotDataSchema *self);
gboolean            openiot_data_schema_get_write_only     (OpenIotDataSchema *self);
const char * const *openiot_data_schema_get_property_names (OpenIotDataSchema *self);
OpenIotDataSchema  *openiot_data_schema_get_property       (OpenIotDataSchema *self,
                                                            const char        *name);
gboolean            openiot_data_schema_is_required        (OpenIotDataSchema *self,
                                                            const char        *name);
OpenIotDataSchema  *openiot_data_schema_get_items          (OpenIotDataSchema *self);
gboolean            openiot_data_schema_validate           (OpenIotDataSchema *self,
                                                            JsonNode          *value,
                                                            GError           **error);
char               *openiot_data_schema_format_value       (OpenIotDataSchema *self,
                                                            JsonNode          *value);
const char         *openiot_data_schema_get_unit_symbol    (OpenIotDataSchema *self);

G_END_DECLS
