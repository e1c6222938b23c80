// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

#include "openiot-thing-cache.h"

G_BEGIN_DECLS

/**
 * OPENIOT_VALUE_HISTORY_MAX_AGE:
 *
 * How far back a history goes (24 hours, in microseconds); older samples
 * are dropped.
 */
#define OPENIOT_VALUE_HISTORY_MAX_AGE (24 * G_TIME_SPAN_HOUR)

/**
 * OPENIOT_VALUE_HISTORY_MAX_SAMPLES:
 *
 * How many samples a history keeps per property at most; the oldest go
 * first.
 */
#define OPENIOT_VALUE_HISTORY_MAX_SAMPLES 2000

/**
 * OPENIOT_VALUE_HISTORY_RESOLUTION:
 *
 * The shortest time between two samples of a property (10 s, in
 * microseconds): within one such slot the latest value wins. Samples
 * older than an hour are thinned to one a minute.
 */
#define OPENIOT_VALUE_HISTORY_RESOLUTION (10 * G_TIME_SPAN_SECOND)

/**
 * OpenIotValueSample:
 * @time_us: when, in microseconds since the Unix epoch (UTC)
 * @value: the property's value then
 *
 * One sample of a numeric property.
 */
typedef struct
{
  gint64 time_us;
  double value;
} OpenIotValueSample;

#define OPENIOT_TYPE_VALUE_HISTORY (openiot_value_history_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotValueHistory, openiot_value_history, OPENIOT, VALUE_HISTORY, GObject)

OpenIotValueHistory *openiot_value_history_new         (OpenIotThingCache    *cache,
                                                        const char           *hub_id);
void                 openiot_value_history_add         (OpenIotValueHistory  *self,
                                                        const char           *service_id,
                                                        const char           *property,
                                                        GDateTime            *when,
                                                        double                value);
GArray              *openiot_value_history_get_samples (OpenIotValueHistory  *self,
                                                        const char           *service_id,
                                                        const char           *property,
                                                        GDateTime            *since);
gboolean             openiot_value_history_save        (OpenIotValueHistory  *self,
                                                        GError              **error);

G_END_DECLS
