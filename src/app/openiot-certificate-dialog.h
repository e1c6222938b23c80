// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_CERTIFICATE_DIALOG (openiot_certificate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotCertificateDialog, openiot_certificate_dialog, OPENIOT,
                      CERTIFICATE_DIALOG, AdwMessageDialog)

OpenIotCertificateDialog *openiot_certificate_dialog_new (GtkWindow  *parent,
                                                          OpenIotHub *hub);

G_END_DECLS
