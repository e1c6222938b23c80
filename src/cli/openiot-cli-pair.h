// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

int openiot_cli_pair (int argc, char **argv);

