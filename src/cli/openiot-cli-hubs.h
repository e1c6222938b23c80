// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

int openiot_cli_hubs     (int argc, char **argv);
int openiot_cli_forget   (int argc, char **argv);
int openiot_cli_identity (int argc, char **argv);

