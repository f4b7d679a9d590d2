/*
 * What the sample programs share.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L
#include "sample_main.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

static sigset_t stop_signals;

int sample_start(int argc, char **argv, const char **ip, rt_uint16_t *port)
{
    char *end = RT_NULL;
    long number = 5000;

    if (argc > 2)
    {
        errno = 0;
        number = strtol(argv[2], &end, 10);
    }
    if (argc > 3 || (argc > 2 && (*end != '\0' || errno != 0 || number < 0 || number > 65535)))
    {
        rt_kprintf("Usage: %s [ip] [port]   (default 127.0.0.1 5000)\n", argv[0]);
        return -1;
    }
    *ip = argc > 1 ? argv[1] : "127.0.0.1";
    *port = (rt_uint16_t)number;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, RT_NULL);
    return 0;
}

void sample_wait_for_stop(void)
{
    int signal_number;
    sigwait(&stop_signals, &signal_number);
}
