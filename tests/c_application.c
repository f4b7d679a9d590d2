/*
 * An RT-Thread application file, compiled as C: it uses tcpserver.h, rtthread.h and rtdbg.h
 * exactly as on a board. c_application_test.cpp drives it.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <tcpserver.h>

#define DBG_TAG "app"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

static struct tcpserver *serv = RT_NULL;
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
        ret = tcpserver_recv(client, buf, 1024, -1);
        if (ret > 0)
        {
            ret = tcpserver_send(client, buf, ret, 0);
        }
        break;
    case TCPSERVER_EVENT_DISCONNECT:
        LOG_D("client disconnect:%d", client->sock);
        break;
    default:
        break;
    }
}

int c_application_start(const char *ip, rt_uint16_t port)
{
    serv = tcpserver_create(ip, port);
    if (serv == RT_NULL)
    {
        LOG_E("create failed: %d", (int)rt_get_errno());
        return -1;
    }
    tcpserver_set_notify_callback(serv, tcpserver_event_notify);
    return serv->port;
}

int c_application_stop(void)
{
    rt_err_t ret = tcpserver_destroy(serv);
    serv = RT_NULL;
    return (int)ret;
}
