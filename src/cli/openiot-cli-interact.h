// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

G_BEGIN_DECLS

int openiot_cli_get    (int argc, char **argv);
int openiot_cli_set    (int argc, char **argv);
int openiot_cli_invoke (int argc, char **argv);

G_END_DECLS
