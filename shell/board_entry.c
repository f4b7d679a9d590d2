/*
 * The entry of a board-style program, linked with -Wl,--wrap=main (tcpserver-shell adds it):
 * the C runtime calls __wrap_main, which boots the board runtime, and the program's own main()
 * (__real_main) runs in RT-Thread's "main" thread. A program without a main() gets the empty
 * one a board support package has.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <tcpserver_shell.h>

int __real_main(int argc, char **argv);

int __wrap_main(int argc, char **argv)
{
    return tcpserver_board_main(argc, argv, __real_main);
}

__attribute__((weak)) int main(void)
{
    return 0;
}
