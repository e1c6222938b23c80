// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include "openiot-hub.h"

G_BEGIN_DECLS

/* The hub is one type in three files: openiot-hub.c keeps its state,
 * openiot-hub-monitor.c asks a monitored hub again when it is time, and
 * openiot-hub-record-edits.c saves the record edits (nickname, accepted
 * certificate) one at a time. All read the same fields. */
struct _OpenIotHub
{
  GObject               parent_instance;

  OpenIotHubRecord     *record;
  OpenIotIdentity      *identity;
  OpenIotPinStore      *pin_store;
  OpenIotThingCache    *cache;
  OpenIotHubConnection *connection;
  OpenIotHubStatus       state;
  GError               *error;
  GListStore           *services;
  char                 *presented_fingerprint;
  char                 *presented_pem;
  GDateTime            *presented_since;
  gboolean              rotation_verified;

  /* Monitoring: see openiot-hub-monitor.c */
  gboolean              monitored;
  GNetworkMonitor      *network_monitor;
  GCancellable         *monitor_cancellable;
  guint                 retry_source;
  guint                 tick_source;
  guint                 failures;
  guint                 attempts_in_flight;
  gint64                next_attempt;     /* monotonic µs; 0: none */
  GDateTime            *offline_since;

  /* Record saves, one at a time: see openiot-hub-record-edits.c */
  GQueue                record_edits;     /* of GTask */
  gboolean              saving_record;
};

/* openiot-hub.c */
void _openiot_hub_notify_status_text    (OpenIotHub       *self);
void _openiot_hub_apply_renamed_record  (OpenIotHub       *self,
                                         OpenIotHubRecord *record);
void _openiot_hub_apply_accepted_record (OpenIotHub       *self,
                                         OpenIotHubRecord *record);

/* openiot-hub-monitor.c */
void _openiot_hub_start_monitoring      (OpenIotHub       *self);
void _openiot_hub_stop_monitoring       (OpenIotHub       *self);
void _openiot_hub_attempt_now           (OpenIotHub       *self);
void _openiot_hub_schedule_attempt      (OpenIotHub       *self);

G_END_DECLS
