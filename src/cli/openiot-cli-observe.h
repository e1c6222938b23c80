// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

G_BEGIN_DECLS

int openiot_cli_observe (int argc, char **argv);

G_END_DECLS
