// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * OpenIotOperation:
 * @OPENIOT_OPERATION_NONE: no operation
 * @OPENIOT_OPERATION_READ_PROPERTY: `readproperty`
 * @OPENIOT_OPERATION_WRITE_PROPERTY: `writeproperty`
 * @OPENIOT_OPERATION_OBSERVE_PROPERTY: `observeproperty`
 * @OPENIOT_OPERATION_UNOBSERVE_PROPERTY: `unobserveproperty`
 * @OPENIOT_OPERATION_INVOKE_ACTION: `invokeaction`
 * @OPENIOT_OPERATION_QUERY_ACTION: `queryaction`
 * @OPENIOT_OPERATION_CANCEL_ACTION: `cancelaction`
 * @OPENIOT_OPERATION_SUBSCRIBE_EVENT: `subscribeevent`
 * @OPENIOT_OPERATION_UNSUBSCRIBE_EVENT: `unsubscribeevent`
 * @OPENIOT_OPERATION_READ_ALL_PROPERTIES: `readallproperties`
 * @OPENIOT_OPERATION_WRITE_ALL_PROPERTIES: `writeallproperties`
 * @OPENIOT_OPERATION_READ_MULTIPLE_PROPERTIES: `readmultipleproperties`
 * @OPENIOT_OPERATION_WRITE_MULTIPLE_PROPERTIES: `writemultipleproperties`
 * @OPENIOT_OPERATION_OBSERVE_ALL_PROPERTIES: `observeallproperties`
 * @OPENIOT_OPERATION_UNOBSERVE_ALL_PROPERTIES: `unobserveallproperties`
 * @OPENIOT_OPERATION_SUBSCRIBE_ALL_EVENTS: `subscribeallevents`
 * @OPENIOT_OPERATION_UNSUBSCRIBE_ALL_EVENTS: `unsubscribeallevents`
 * @OPENIOT_OPERATION_QUERY_ALL_ACTIONS: `queryallactions`
 *
 * The operations of WoT TD 1.1 §5.3.4.2 a form offers.
 */
typedef enum /*< flags >*/
{
  OPENIOT_OPERATION_NONE                      = 0,
  OPENIOT_OPERATION_READ_PROPERTY             = 1 << 0,
  OPENIOT_OPERATION_WRITE_PROPERTY            = 1 << 1,
  OPENIOT_OPERATION_OBSERVE_PROPERTY          = 1 << 2,
  OPENIOT_OPERATION_UNOBSERVE_PROPERTY        = 1 << 3,
  OPENIOT_OPERATION_INVOKE_ACTION             = 1 << 4,
  OPENIOT_OPERATION_QUERY_ACTION              = 1 << 5,
  OPENIOT_OPERATION_CANCEL_ACTION             = 1 << 6,
  OPENIOT_OPERATION_SUBSCRIBE_EVENT           = 1 << 7,
  OPENIOT_OPERATION_UNSUBSCRIBE_EVENT         = 1 << 8,
  OPENIOT_OPERATION_READ_ALL_PROPERTIES       = 1 << 9,
  OPENIOT_OPERATION_WRITE_ALL_PROPERTIES      = 1 << 10,
  OPENIOT_OPERATION_READ_MULTIPLE_PROPERTIES  = 1 << 11,
  OPENIOT_OPERATION_WRITE_MULTIPLE_PROPERTIES = 1 << 12,
  OPENIOT_OPERATION_OBSERVE_ALL_PROPERTIES    = 1 << 13,
  OPENIOT_OPERATION_UNOBSERVE_ALL_PROPERTIES  = 1 << 14,
  OPENIOT_OPERATION_SUBSCRIBE_ALL_EVENTS      = 1 << 15,
  OPENIOT_OPERATION_UNSUBSCRIBE_ALL_EVENTS    = 1 << 16,
  OPENIOT_OPERATION_QUERY_ALL_ACTIONS         = 1 << 17,
} OpenIotOperation;

#define OPENIOT_TYPE_FORM (openiot_form_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotForm, openiot_form, OPENIOT, FORM, GObject)

OpenIotOperation  openiot_form_get_operations   (OpenIotForm *self);
const char       *openiot_form_get_href         (OpenIotForm *self);
const char       *openiot_form_get_path         (OpenIotForm *self);
gboolean          openiot_form_get_reachable    (OpenIotForm *self);
const char       *openiot_form_get_method       (OpenIotForm *self,
                                                 OpenIotOperation operation);
const char       *openiot_form_get_content_type (OpenIotForm *self);
const char       *openiot_form_get_subprotocol  (OpenIotForm *self);

G_END_DECLS
