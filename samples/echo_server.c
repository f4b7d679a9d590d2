/*
 * The package's echo sample as a program, serving until Ctrl-C. Usage: echo_server [ip] [port]
 * (default 127.0.0.1 5000).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L
#include "echo_sample.h"

#include <signal.h>
#include <stdlib.h>

#define DBG_TAG "tcpserv"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

int main(int argc, char **argv)
{
    const char *ip = argc > 1 ? argv[1] : "127.0.0.1";
    long port = argc > 2 ? strtol(argv[2], RT_NULL, 10) : 5000;
    struct tcpserver *serv;
    sigset_t stop_signals;
    int signal_number;

    if (argc > 3 || port < 0 || port > 65535)
    {
        rt_kprintf("Usage: %s [ip] [port]\n", argv[0]);
        return 2;
    }
    /* Blocked before the worker starts, so only sigwait() below sees them. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, RT_NULL);

    serv = echo_sample_start(ip, (rt_uint16_t)port);
    if (serv == RT_NULL)
        return 1;
    LOG_I("echo server on %s port %u; Ctrl-C stops it", serv->ip, (unsigned)serv->port);

    sigwait(&stop_signals, &signal_number);
    echo_sample_stop();
    LOG_I("stopped");
    return 0;
}
