/*
 * The msh shell on Linux, two ways. A board-style application keeps its `int main(void)`: built
 * with pkg-config's tcpserver-shell or CMake's tcpserver::shell (which link with
 * -Wl,--wrap=main), the program boots as a board does and runs that main() in RT-Thread's "main"
 * thread while the console runs (tcpserver_board_main). A host program may instead call the
 * shell itself:
 *
 *     int main(int argc, char **argv) { return tcpserver_shell_main(argc, argv); }
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

/**
 * Boots as a board does and runs the console: INIT_BOARD_EXPORT functions, the boot banner,
 * then the "main" thread (RT_MAIN_THREAD_PRIORITY, RT_MAIN_THREAD_STACK_SIZE), which runs the
 * other init levels and then `app_main(argc, argv)`, while this thread becomes the console
 * ("tshell") with msh's options from argc/argv. The console reads its first command once main
 * has first waited, returned, or called tcpserver_shell_main() (whose options it then takes,
 * and which returns the console's exit status), or after half a second. Returns the exit
 * status when the console ends (exit, end of input, SIGTERM). A program linked with
 * -Wl,--wrap=main and libtcpserver_board calls it in place of its main().
 */
int tcpserver_board_main(int argc, char **argv, int (*app_main)(int argc, char **argv));

#ifdef __cplusplus
}
#endif

#endif
