/*
 * A board network application whose own code opens sockets beside a tcpserver, as one does on
 * a board, built unchanged with
 *     cc -std=gnu11 -Wall net_app.c $(pkg-config --cflags --libs tcpserver-shell)
 * It runs on the kernel's stack, or with --stack lwip on lwIP alone: its own sockets go
 * through SAL to the stack it runs on, as the package's do.
 *
 * - main() starts an echo tcpserver on port 5001 of every address (the package's callback
 *   pattern) and logs, through ulog, the default network interface (netdev) and its address.
 * - net_probe <ip> <port>: a TCP client connects to ip:port, sends a line and waits for the
 *   answer with select(); a UDP socket sends a datagram to the same address and waits for
 *   the answer with select(); closesocket() closes both. Each step prints one line.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>
#include <netdev.h>
#include <tcpserver.h>

#include <sys/socket.h>
#include <sys/select.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "net_app"
#define LOG_LVL LOG_LVL_DBG
#include <ulog.h>

#define SERVER_PORT 5001
#define ANSWER_WAIT_S 5

static struct tcpserver *server;

static void echo(tcpclient_t client, rt_uint8_t event)
{
    char buf[512];
    rt_size_t n;

    if (event != TCPSERVER_EVENT_RECV)
        return;
    while ((n = tcpserver_recv(client, buf, sizeof(buf), 0)) > 0)
        tcpserver_send(client, buf, n, 0);
}

/* Waits for `sock` to be readable: 1, or 0 when nothing came in time, -1 on error. */
static int wait_readable(int sock)
{
    fd_set readable;
    struct timeval timeout = {ANSWER_WAIT_S, 0};

    FD_ZERO(&readable);
    FD_SET(sock, &readable);
    return select(sock + 1, &readable, RT_NULL, RT_NULL, &timeout);
}

static int probe_tcp(const struct sockaddr_in *peer)
{
    static const char line[] = "tcp hello\n";
    char answer[64];
    int sock, n = -1, nodelay = 1;

    sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (sock < 0)
    {
        LOG_E("tcp: socket failed (errno %d)", errno);
        return -1;
    }
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof(nodelay));
    rt_kprintf("net_probe: tcp socket %d\n", sock);
    if (connect(sock, (const struct sockaddr *)peer, sizeof(*peer)) < 0)
        LOG_E("tcp: connect to %s failed (errno %d)", inet_ntoa(peer->sin_addr), errno);
    else if (send(sock, line, sizeof(line) - 1, 0) != (int)sizeof(line) - 1)
        LOG_E("tcp: send failed (errno %d)", errno);
    else if (wait_readable(sock) != 1)
        LOG_E("tcp: no answer in %d s", ANSWER_WAIT_S);
    else if ((n = recv(sock, answer, sizeof(answer) - 1, 0)) > 0)
    {
        answer[n] = '\0';
        rt_kprintf("net_probe: tcp answer %s", answer);
    }
    closesocket(sock);
    return n > 0 ? 0 : -1;
}

static int probe_udp(const struct sockaddr_in *peer)
{
    static const char datagram[] = "udp hello\n";
    char answer[64];
    struct sockaddr_in from;
    socklen_t from_len = sizeof(from);
    int sock, n = -1;

    sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0)
    {
        LOG_E("udp: socket failed (errno %d)", errno);
        return -1;
    }
    rt_kprintf("net_probe: udp socket %d\n", sock);
    if (sendto(sock, datagram, sizeof(datagram) - 1, 0, (const struct sockaddr *)peer,
               sizeof(*peer)) < 0)
        LOG_E("udp: sendto failed (errno %d)", errno);
    else if (wait_readable(sock) != 1)
        LOG_E("udp: no answer in %d s", ANSWER_WAIT_S);
    else if ((n = recvfrom(sock, answer, sizeof(answer) - 1, 0, (struct sockaddr *)&from,
                           &from_len)) > 0)
    {
        answer[n] = '\0';
        rt_kprintf("net_probe: udp answer from %s:%d %s", inet_ntoa(from.sin_addr),
                   ntohs(from.sin_port), answer);
    }
    closesocket(sock);
    return n > 0 ? 0 : -1;
}

static int net_probe(int argc, char **argv)
{
    struct sockaddr_in peer;

    if (argc != 3)
    {
        rt_kprintf("Usage: net_probe <ip> <port>\n");
        return -1;
    }
    memset(&peer, 0, sizeof(peer));
    peer.sin_family = AF_INET;
    peer.sin_port = htons((rt_uint16_t)atoi(argv[2]));
    peer.sin_addr.s_addr = inet_addr(argv[1]);
    if (peer.sin_addr.s_addr == INADDR_NONE)
    {
        rt_kprintf("net_probe: %s is not an IPv4 address\n", argv[1]);
        return -1;
    }
    if (probe_tcp(&peer) != 0 || probe_udp(&peer) != 0)
        return -1;
    rt_kprintf("net_probe: done\n");
    return 0;
}
MSH_CMD_EXPORT(net_probe, reach a TCP and a UDP echo peer: net_probe <ip> <port>);

int main(void)
{
    server = tcpserver_create("0.0.0.0", SERVER_PORT);
    if (server == RT_NULL)
    {
        LOG_E("no echo server on port %d", SERVER_PORT);
        return -1;
    }
    tcpserver_set_notify_callback(server, echo);
    LOG_I("echo server on port %d", SERVER_PORT);
    /* Read without a lookup first, as board code does once the network is up. */
    if (netdev_default != RT_NULL)
        LOG_I("default interface %s at %s (%s)", netdev_default->name,
              inet_ntoa(netdev_default->ip_addr), netdev_is_up(netdev_default) ? "up" : "down");
    else
        LOG_W("no default interface");
    return 0;
}
