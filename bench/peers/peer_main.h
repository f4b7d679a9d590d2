/*
 * What the peer echo servers share: the port from argv, the "on port N" line the bench
 * script waits for, and SIGINT/SIGTERM ending the loop.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef PEER_MAIN_H__
#define PEER_MAIN_H__

#include <stdio.h>
#include <stdlib.h>

static inline int peer_port(int argc, char **argv)
{
    return argc > 1 ? atoi(argv[1]) : 0;
}

static inline void peer_announce(const char *name, int port)
{
    printf("%s echo on port %d\n", name, port);
    fflush(stdout);
}

#endif
