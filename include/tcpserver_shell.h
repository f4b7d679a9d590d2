/*
 * The msh shell as a library call, for applications that export their own commands with
 * MSH_CMD_EXPORT and want RT-Thread's console on Linux:
 *
 *     int main(int argc, char **argv) { return tcpserver_shell_main(argc, argv); }
 *
 * Link with pkg-config's tcpserver-shell or CMake's tcpserver::shell.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef TCPSERVER_SHELL_H__
#define TCPSERVER_SHELL_H__

#ifdef __cplusplus
extern "C"
{
#endif

/**
 * Runs the shell with the msh program's options (see `msh -h`): interactive with line editing
 * on a terminal, else the commands of -c, a script file or standard input. Stops every server
 * on the way out. Returns the exit status: 0, or 1 when a command failed (not interactive).
 */
int tcpserver_shell_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
