// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

int openiot_cli_trust (int argc, char **argv);

