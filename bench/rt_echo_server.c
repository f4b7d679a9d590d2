/*
 * The blocking C API measured the way RT-Thread applications use it: an rt_thread accepts, and
 * every client gets an rt_thread of its own that waits in tcpserver_recv() and answers with
 * tcpserver_send(). Prints its port and serves until SIGINT/SIGTERM.
 * Usage: rt_echo_server [--clients N] [--poller select|poll|epoll|uring|auto]
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "descriptor_limit.h"

#include <rtthread.h>
#include <tcpserver.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLIENT_STACK_SIZE 8192
#define CLIENT_PRIORITY 15

static void serve_client(void *parameter)
{
    tcpclient_t client = (tcpclient_t)parameter;
    rt_uint8_t buf[16384];
    rt_size_t n;

    while ((n = tcpserver_recv(client, buf, sizeof(buf), RT_WAITING_FOREVER)) > 0)
        if (tcpserver_send(client, buf, n, RT_WAITING_FOREVER) != n)
            break;
    tcpserver_close(client);
}

static void accept_clients(void *parameter)
{
    struct tcpserver *server = (struct tcpserver *)parameter;
    tcpclient_t client;
    rt_thread_t thread;

    while ((client = tcpserver_accept(server, RT_WAITING_FOREVER)) != RT_NULL)
    {
        thread = rt_thread_create("client", serve_client, client, CLIENT_STACK_SIZE,
                                  CLIENT_PRIORITY, 10);
        if (thread == RT_NULL || rt_thread_startup(thread) != RT_EOK)
        {
            if (thread != RT_NULL)
                rt_thread_delete(thread);
            tcpserver_close(client);
        }
    }
}

int main(int argc, char **argv)
{
    struct tcpserver_config config;
    struct tcpserver *server;
    rt_thread_t acceptor;
    sigset_t stop;
    int signal_number;

    raise_descriptor_limit();
    tcpserver_config_init(&config);
    config.ip = "127.0.0.1";
    config.port = 0;
    config.max_clients = 1000;
    config.backlog = 4096;
    for (int i = 1; i + 1 < argc; i += 2)
    {
        if (strcmp(argv[i], "--clients") == 0)
            config.max_clients = (rt_uint32_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--poller") == 0 && tcpserver_poller_from_name(argv[i + 1]) >= 0)
            config.poller = (rt_uint8_t)tcpserver_poller_from_name(argv[i + 1]);
        else
            return fprintf(stderr, "unknown option %s\n", argv[i]), 2;
    }
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    server = tcpserver_create_with(&config);
    if (server == RT_NULL)
        return fprintf(stderr, "cannot start: %s\n", tcpserver_strerror()), 1;
    printf("rt_thread blocking echo on port %u\n", (unsigned)server->port);
    fflush(stdout);
    acceptor = rt_thread_create("acceptor", accept_clients, server, 4096, 10, 10);
    if (acceptor == RT_NULL || rt_thread_startup(acceptor) != RT_EOK)
        return 1;
    sigwait(&stop, &signal_number);
    /* The process ends with its clients: a measurement needs no orderly teardown. */
    _exit(0);
}
