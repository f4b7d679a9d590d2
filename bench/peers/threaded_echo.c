/*
 * A hand-written thread-per-client blocking echo server: the floor for any blocking API. The
 * main thread accepts; each client gets a detached thread with a small stack doing blocking
 * read() and write() until the peer closes. Usage: threaded_echo [port]
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#define _GNU_SOURCE
#include "peer_main.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

static void *serve(void *argument)
{
    int fd = (int)(intptr_t)argument;
    char buffer[16384];
    ssize_t got;
    while ((got = read(fd, buffer, sizeof buffer)) > 0)
    {
        ssize_t sent = 0;
        while (sent < got)
        {
            ssize_t n = send(fd, buffer + sent, (size_t)(got - sent), MSG_NOSIGNAL);
            if (n <= 0)
                goto done;
            sent += n;
        }
    }
done:
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    struct sockaddr_in address = {.sin_family = AF_INET,
                                  .sin_port = htons((unsigned short)peer_port(argc, argv)),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    int on = 1;
    pthread_attr_t attributes;

    /* SIGINT/SIGTERM keep their default action: the process ends, and its clients with it. */
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1024))
        return 1;
    getsockname(listener, (struct sockaddr *)&address, &length);
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    peer_announce("threaded", ntohs(address.sin_port));

    for (;;)
    {
        int client = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (client < 0)
        {
            if (errno == EMFILE || errno == ENFILE)
                usleep(1000);
            continue;
        }
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        pthread_t thread;
        if (pthread_create(&thread, &attributes, serve, (void *)(intptr_t)client) != 0)
            close(client);
    }
}
