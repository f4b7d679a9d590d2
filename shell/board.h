// The board runtime: a program whose own main() runs as RT-Thread's "main" thread while the
// console runs, as on a board (see tcpserver_board_main in tcpserver_shell.h).
// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace msh::board
{

/** Whether the board runtime runs this program's console. */
bool owns_console();

/**
 * tcpserver_shell_main() called from the board's main: the console starts with these options
 * (unless it started already) and this returns its exit status once it has ended.
 */
int join_console(int argc, char **argv);

} // namespace msh::board
