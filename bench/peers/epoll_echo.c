/*
 * A hand-written, single-threaded, level-triggered epoll echo server: the near-limit
 * reference. Reads into one buffer and writes it straight back; a peer that cannot take it
 * all gets the rest when writable. Usage: epoll_echo [port]
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#define _GNU_SOURCE
#include "peer_main.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD 65536

struct pending
{
    char *data;
    size_t size;
};
static struct pending pending[MAX_FD];

int main(int argc, char **argv)
{
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)peer_port(argc, argv)),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    int on = 1, listener, epoll, signals;
    static char buffer[65536];
    struct epoll_event events[1024], event;
    sigset_t stop;

    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    signals = signalfd(-1, &stop, SFD_CLOEXEC);
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1024))
        return 1;
    getsockname(listener, (struct sockaddr *)&address, &length);
    epoll = epoll_create1(EPOLL_CLOEXEC);
    event.events = EPOLLIN;
    event.data.fd = listener;
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    event.data.fd = signals;
    epoll_ctl(epoll, EPOLL_CTL_ADD, signals, &event);
    peer_announce("epoll", ntohs(address.sin_port));

    for (;;)
    {
        int n = epoll_wait(epoll, events, 1024, -1);
        for (int i = 0; i < n; i++)
        {
            int fd = events[i].data.fd;
            if (fd == signals)
                return 0;
            if (fd == listener)
            {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
                {
                    if (client >= MAX_FD)
                    {
                        close(client);
                        continue;
                    }
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                    event.events = EPOLLIN;
                    event.data.fd = client;
                    epoll_ctl(epoll, EPOLL_CTL_ADD, client, &event);
                }
                continue;
            }
            struct pending *rest = &pending[fd];
            if (events[i].events & EPOLLOUT)
            {
                ssize_t w = send(fd, rest->data, rest->size, MSG_NOSIGNAL);
                if (w > 0)
                {
                    memmove(rest->data, rest->data + w, rest->size - (size_t)w);
                    rest->size -= (size_t)w;
                }
                if (rest->size == 0)
                {
                    event.events = EPOLLIN;
                    event.data.fd = fd;
                    epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event);
                }
                continue;
            }
            ssize_t r = read(fd, buffer, sizeof buffer);
            if (r <= 0)
            {
                if (r < 0 && errno == EAGAIN)
                    continue;
                free(rest->data);
                rest->data = NULL;
                rest->size = 0;
                close(fd);
                continue;
            }
            ssize_t w = send(fd, buffer, (size_t)r, MSG_NOSIGNAL);
            if (w < 0)
                w = 0;
            if (w < r)
            {
                rest->data = realloc(rest->data, rest->size + (size_t)(r - w));
                memcpy(rest->data + rest->size, buffer + w, (size_t)(r - w));
                rest->size += (size_t)(r - w);
                event.events = EPOLLOUT; /* stop reading until the peer has taken it */
                event.data.fd = fd;
                epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event);
            }
        }
    }
}
