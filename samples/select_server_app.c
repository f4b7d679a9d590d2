/*
 * A board network server written with plain sockets, as RT-Thread's own examples are, built
 * unchanged with
 *     cc -std=gnu11 -Wall select_server_app.c $(pkg-config --cflags --libs tcpserver-shell)
 * and run on the kernel's stack, or with --stack lwip on lwIP (a TAP device's network).
 *
 * - main() logs the default network interface (netdev) and opens a TCP listening socket and a
 *   UDP socket on every address (free ports, logged), then serves both from one select() loop
 *   in the "main" thread: a new connection is accepted and its peer logged with inet_ntoa,
 *   what a client sends is echoed, a client that leaves is closed with closesocket(), a
 *   datagram is answered to its sender.
 * - Beside it a tcpserver echoes on a port of its own; its callback logs each client's peer
 *   from the client's own socket (getpeername(client->sock)), as board code does.
 * - Everything is logged through ulog (LOG_TAG "select_server").
 * - The loop sets its one-second timeval once and reuses it, as board code does: on a board
 *   select() leaves it unchanged, and so does SAL here, so the loop wakes once a second when
 *   idle instead of spinning.
 * - select_server_stats: the clients served and now connected, datagrams answered, and the
 *   idle wake-ups (select() returning 0).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>
#include <netdev.h>
#include <tcpserver.h>

#include <sys/socket.h>
#include <string.h>

#define LOG_TAG "select_server"
#define LOG_LVL LOG_LVL_DBG
#include <ulog.h>

#define MAX_CLIENTS 8

static int clients[MAX_CLIENTS];
static struct rt_mutex counters_lock; /* the console reads the counters the loop writes */
static rt_uint32_t served, connected, datagrams, idle_wakeups;

static void count(rt_uint32_t *counter, int change)
{
    rt_mutex_take(&counters_lock, RT_WAITING_FOREVER);
    *counter += change;
    rt_mutex_release(&counters_lock);
}

static int open_socket(int type, struct sockaddr_in *address)
{
    socklen_t length = sizeof(*address);
    int sock = socket(AF_INET, type, 0);

    if (sock < 0)
        return -1;
    memset(address, 0, sizeof(*address));
    address->sin_family = AF_INET;
    address->sin_port = htons(0);
    address->sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(sock, (struct sockaddr *)address, sizeof(*address)) < 0 ||
        (type == SOCK_STREAM && listen(sock, MAX_CLIENTS) < 0) ||
        getsockname(sock, (struct sockaddr *)address, &length) < 0)
    {
        LOG_E("bind/listen failed (errno %d)", errno);
        closesocket(sock);
        return -1;
    }
    return sock;
}

static void accept_client(int listener)
{
    struct sockaddr_in peer;
    socklen_t length = sizeof(peer);
    int i, sock = accept(listener, (struct sockaddr *)&peer, &length);

    if (sock < 0)
        return;
    for (i = 0; i < MAX_CLIENTS && clients[i] >= 0; i++)
        ;
    if (i == MAX_CLIENTS)
    {
        LOG_W("refused %s, %d clients already", inet_ntoa(peer.sin_addr), MAX_CLIENTS);
        closesocket(sock);
        return;
    }
    clients[i] = sock;
    count(&served, 1);
    count(&connected, 1);
    LOG_I("accepted %s:%d", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
}

static void serve_client(int slot)
{
    char buf[256];
    int n = recv(clients[slot], buf, sizeof(buf), 0);

    if (n > 0 && send(clients[slot], buf, n, 0) == n)
        return;
    LOG_I("client %d closed", clients[slot]);
    closesocket(clients[slot]);
    clients[slot] = -1;
    count(&connected, -1);
}

static void answer_datagram(int sock)
{
    char buf[256];
    struct sockaddr_in from;
    socklen_t length = sizeof(from);
    int n = recvfrom(sock, buf, sizeof(buf), 0, (struct sockaddr *)&from, &length);

    if (n <= 0)
        return;
    sendto(sock, buf, n, 0, (struct sockaddr *)&from, length);
    count(&datagrams, 1);
    LOG_I("datagram from %s:%d", inet_ntoa(from.sin_addr), ntohs(from.sin_port));
}

static void echo(tcpclient_t client, rt_uint8_t event)
{
    struct sockaddr_in peer;
    socklen_t length = sizeof(peer);
    char buf[256];
    rt_size_t n;

    if (event == TCPSERVER_EVENT_CONNECT)
    {
        if (getpeername(client->sock, (struct sockaddr *)&peer, &length) == 0)
            LOG_I("tcpserver client %s:%d", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
        else
            LOG_E("tcpserver client %d: getpeername failed (errno %d)", client->sock, errno);
        return;
    }
    if (event != TCPSERVER_EVENT_RECV)
        return;
    while ((n = tcpserver_recv(client, buf, sizeof(buf), 0)) > 0)
        tcpserver_send(client, buf, n, 0);
}

int main(void)
{
    struct tcpserver *server;
    struct sockaddr_in tcp_address, udp_address;
    struct timeval timeout;
    fd_set readable;
    int listener, udp, i, top, ready;

    rt_mutex_init(&counters_lock, "counters", RT_IPC_FLAG_PRIO);
    if (netdev_default != RT_NULL)
        LOG_I("default interface %s at %s", netdev_default->name,
              inet_ntoa(netdev_default->ip_addr));
    else
        LOG_W("no default interface");
    for (i = 0; i < MAX_CLIENTS; i++)
        clients[i] = -1;
    listener = open_socket(SOCK_STREAM, &tcp_address);
    udp = open_socket(SOCK_DGRAM, &udp_address);
    server = tcpserver_create("0.0.0.0", 0);
    if (listener < 0 || udp < 0 || server == RT_NULL)
    {
        LOG_E("cannot serve (errno %d)", errno);
        return -1;
    }
    tcpserver_set_notify_callback(server, echo);
    LOG_I("tcp port %d, udp port %d, tcpserver port %d", ntohs(tcp_address.sin_port),
          ntohs(udp_address.sin_port), server->port);

    timeout.tv_sec = 1; /* set once: select() leaves it as it is */
    timeout.tv_usec = 0;
    for (;;)
    {
        FD_ZERO(&readable);
        FD_SET(listener, &readable);
        FD_SET(udp, &readable);
        top = listener > udp ? listener : udp;
        for (i = 0; i < MAX_CLIENTS; i++)
        {
            if (clients[i] >= 0)
            {
                FD_SET(clients[i], &readable);
                top = clients[i] > top ? clients[i] : top;
            }
        }
        ready = select(top + 1, &readable, RT_NULL, RT_NULL, &timeout);
        if (ready < 0)
        {
            LOG_E("select failed (errno %d)", errno);
            break;
        }
        if (ready == 0)
        {
            count(&idle_wakeups, 1);
            continue;
        }
        if (FD_ISSET(listener, &readable))
            accept_client(listener);
        if (FD_ISSET(udp, &readable))
            answer_datagram(udp);
        for (i = 0; i < MAX_CLIENTS; i++)
            if (clients[i] >= 0 && FD_ISSET(clients[i], &readable))
                serve_client(i);
    }
    tcpserver_destroy(server);
    closesocket(udp);
    closesocket(listener);
    return 0;
}

static int select_server_stats(int argc, char **argv)
{
    RT_UNUSED(argc);
    RT_UNUSED(argv);
    rt_mutex_take(&counters_lock, RT_WAITING_FOREVER);
    rt_kprintf("served %u, connected %u, datagrams %u, idle wake-ups %u\n", (unsigned)served,
               (unsigned)connected, (unsigned)datagrams, (unsigned)idle_wakeups);
    rt_mutex_release(&counters_lock);
    return 0;
}
MSH_CMD_EXPORT(select_server_stats, show the select server counters);
