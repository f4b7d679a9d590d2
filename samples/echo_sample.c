/*
 * The package's echo sample, as an RT-Thread application file: the worker calls back on
 * every event, and RECV echoes what arrived.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "echo_sample.h"

#define DBG_TAG "tcpserv"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

static struct tcpserver *serv = RT_NULL;

static void tcpserver_event_notify(tcpclient_t client, rt_uint8_t event)
{
    /* On the worker's stack, not static: two servers' workers may run this at once. */
    rt_uint8_t buf[1024];
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

struct tcpserver *echo_sample_start(const char *ip, rt_uint16_t port)
{
    serv = tcpserver_create(ip, port);
    if (serv != RT_NULL)
        tcpserver_set_notify_callback(serv, tcpserver_event_notify);
    return serv;
}

rt_err_t echo_sample_stop(void)
{
    rt_err_t ret = tcpserver_destroy(serv);
    serv = RT_NULL;
    return ret;
}
