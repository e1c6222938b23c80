// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* The exit codes are part of the CLI's documented interface (openiot --help,
 * the man page): scripts on IoT devices branch on them. */
typedef enum
{
  OPENIOT_CLI_EXIT_OK = 0,
  OPENIOT_CLI_EXIT_ERROR = 1,
  OPENIOT_CLI_EXIT_USAGE = 2,
  OPENIOT_CLI_EXIT_CERTIFICATE = 3,
  OPENIOT_CLI_EXIT_NOT_REGISTERED = 4,
  OPENIOT_CLI_EXIT_UNREACHABLE = 5,
  OPENIOT_CLI_EXIT_PAIRING = 6,
} OpenIotCliExit;
