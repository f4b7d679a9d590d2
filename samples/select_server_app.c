/*
 * A board network server written with plain sockets, as RT-Thread's own examples are, built
 * unchanged with
 *     cc -std=gnu11 -Wall select_server_app.c $(pkg-config --cflags --libs tcpserver-shell)
 *
 * - main() opens a TCP listening socket and a UDP socket on 127.0.0.1 (free ports, printed),
 *   then serves both from one select() loop in the "main" thread: a new connection is
 *   accepted and its peer printed with inet_ntoa, what a client sends is echoed, a client that
 *   leaves is closed with closesocket(), a datagram is answered to its sender.
 * - The loop sets its one-second timeval once and reuses it, as board code does: on a board
 *   select() leaves it unchanged, and so does SAL here, so the loop wakes once a second when
 *   idle instead of spinning.
 * - select_server_stats: the clients served and now connected, datagrams answered, and the
 *   idle wake-ups (select() returning 0).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>

#include <sys/socket.h>
#include <string.h>

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
    address->sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(sock, (struct sockaddr *)address, sizeof(*address)) < 0 ||
        (type == SOCK_STREAM && listen(sock, MAX_CLIENTS) < 0) ||
        getsockname(sock, (struct sockaddr *)address, &length) < 0)
    {
        rt_kprintf("select_server_app: bind/listen failed (errno %d)\n", errno);
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
        rt_kprintf("select_server_app: refused %s, %d clients already\n", inet_ntoa(peer.sin_addr),
                   MAX_CLIENTS);
        closesocket(sock);
        return;
    }
    clients[i] = sock;
    count(&served, 1);
    count(&connected, 1);
    rt_kprintf("select_server_app: accepted %s:%d\n", inet_ntoa(peer.sin_addr),
               ntohs(peer.sin_port));
}

static void serve_client(int slot)
{
    char buf[256];
    int n = recv(clients[slot], buf, sizeof(buf), 0);

    if (n > 0 && send(clients[slot], buf, n, 0) == n)
        return;
    rt_kprintf("select_server_app: client %d closed\n", clients[slot]);
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
    rt_kprintf("select_server_app: datagram from %s:%d\n", inet_ntoa(from.sin_addr),
               ntohs(from.sin_port));
}

int main(void)
{
    struct sockaddr_in tcp_address, udp_address;
    struct timeval timeout;
    fd_set readable;
    int listener, udp, i, top, ready;

    rt_mutex_init(&counters_lock, "counters", RT_IPC_FLAG_PRIO);
    for (i = 0; i < MAX_CLIENTS; i++)
        clients[i] = -1;
    listener = open_socket(SOCK_STREAM, &tcp_address);
    udp = open_socket(SOCK_DGRAM, &udp_address);
    if (listener < 0 || udp < 0)
        return -1;
    rt_kprintf("select_server_app: tcp port %d, udp port %d\n", ntohs(tcp_address.sin_port),
               ntohs(udp_address.sin_port));

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
            rt_kprintf("select_server_app: select failed (errno %d)\n", errno);
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
