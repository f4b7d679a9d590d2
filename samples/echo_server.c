/*
 * Echo server written as an RT-Thread application would be: the package's notify-callback
 * echo, serving until Ctrl-C. Usage: echo_server [ip] [port] (default 127.0.0.1 5000).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#define _POSIX_C_SOURCE 200809L
#include <tcpserver.h>

#include <signal.h>
#include <stdlib.h>

#define DBG_TAG "tcpserv"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

static rt_uint8_t buf[1024];

static void tcpserver_event_notify(tcpclient_t client, rt_uint8_t event)
{
    rt_size_t ret;
    switch (event)
    {
    case TCPSERVER_EVENT_CONNECT:
        LOG_D("client connect:%d", client->sock);
        break;
    case TCPSERVER_EVENT_RECV:
        ret = tcpserver_recv(client, buf, sizeof(buf), RT_WAITING_FOREVER);
        if (ret > 0)
            tcpserver_send(client, buf, ret, 0);
        break;
    case TCPSERVER_EVENT_DISCONNECT:
        LOG_D("client disconnect:%d", client->sock);
        break;
    default:
        break;
    }
}

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

    serv = tcpserver_create(ip, (rt_uint16_t)port);
    if (serv == RT_NULL)
        return 1;
    tcpserver_set_notify_callback(serv, tcpserver_event_notify);
    LOG_I("echo server on %s port %u; Ctrl-C stops it", serv->ip, (unsigned)serv->port);

    sigwait(&stop_signals, &signal_number);
    tcpserver_destroy(serv);
    LOG_I("stopped");
    return 0;
}
