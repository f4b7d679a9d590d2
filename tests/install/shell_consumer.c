/*
 * An application with its own shell command, built against the installed tcpserver-shell:
 * one MSH_CMD_EXPORT and one entry call.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>
#include <tcpserver_shell.h>

static int hello(int argc, char **argv)
{
    rt_kprintf("hello from the consumer, %d arguments, last %s\n", argc, argv[argc - 1]);
    return 0;
}
MSH_CMD_EXPORT(hello, greet from the consumer);

int main(int argc, char **argv)
{
    return tcpserver_shell_main(argc, argv);
}
