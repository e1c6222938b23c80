// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

int openiot_cli_rename_hub    (int argc, char **argv);
int openiot_cli_rename_device (int argc, char **argv);
