/*
 * Two servers at once on two local addresses with the same port, as a board with two network
 * cards would run them. Each greets a client with the address it serves, then echoes.
 * Usage: two_cards_sample [ip1] [ip2] [port]  (default 127.0.0.1 127.0.0.2 5000)
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "sample_main.h"

#include <tcpserver.h>

#include <stdio.h>
#include <string.h>

static void greet_and_echo(tcpclient_t client, rt_uint8_t event)
{
    char buf[1024];
    rt_size_t n;

    if (event == TCPSERVER_EVENT_CONNECT)
    {
        n = (rt_size_t)snprintf(buf, sizeof(buf), "hello from %s\n", client->server->ip);
        tcpserver_send(client, buf, n, 0);
    }
    else if (event == TCPSERVER_EVENT_RECV)
    {
        n = tcpserver_recv(client, buf, sizeof(buf), 0);
        if (n > 0)
            tcpserver_send(client, buf, n, 0);
    }
}

int main(int argc, char **argv)
{
    const char *first = argc > 1 ? argv[1] : "127.0.0.1";
    const char *second = argc > 2 ? argv[2] : "127.0.0.2";
    char *port_argv[3] = {argv[0], RT_NULL, argc > 3 ? argv[3] : RT_NULL};
    struct tcpserver *card0, *card1;
    const char *unused_ip;
    rt_uint16_t port;

    if (argc > 4 || sample_start(argc > 3 ? 3 : 1, port_argv, &unused_ip, &port) != 0)
    {
        rt_kprintf("Usage: %s [ip1] [ip2] [port]\n", argv[0]);
        return 2;
    }
    card0 = tcpserver_create(first, port);
    if (card0 == RT_NULL)
        return 1;
    /* Port 0 picked a free port on the first address; the second takes the same one. */
    card1 = tcpserver_create(second, card0->port);
    if (card1 == RT_NULL)
    {
        tcpserver_destroy(card0);
        return 1;
    }
    tcpserver_set_notify_callback(card0, greet_and_echo);
    tcpserver_set_notify_callback(card1, greet_and_echo);
    rt_kprintf("two cards sample serving on %s and %s, port %u\n", card0->ip, card1->ip,
               (unsigned)card0->port);

    sample_wait_for_stop();
    tcpserver_destroy(card1);
    tcpserver_destroy(card0);
    rt_kprintf("two cards sample stopped\n");
    return 0;
}
