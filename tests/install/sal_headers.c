/*
 * SAL's headers as a board application uses them: one file, compiled in every C mode a board
 * toolchain uses (gnu11, c99, c11) and as C++17, with the headers in each order of ORDER (1-5),
 * warning-free with -Wall -Wextra. It uses what a board's headers give without further
 * includes: errno, sockaddr_in, htons, inet_addr, inet_ntoa, IPPROTO_TCP, TCP_NODELAY, h_addr,
 * closesocket, lwIP's names, and netdev's (orders 1-3) with inet_ntoa of a netdev's address,
 * beside rtdevice.h's work queue (orders 1-3: the includes and calls of netutils' ntp).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#if ORDER == 1
#include <netdev.h>
#include <rtthread.h>
#include <rtdevice.h>
#include <sys/socket.h>
#include <netdb.h>
#elif ORDER == 2
#include <rtthread.h>
#include <rtdevice.h>
#include <sys/socket.h>
#include <netdb.h>
#include <netdev.h>
#elif ORDER == 3
#include <netdb.h>
#include <netdev.h>
#include <rtdevice.h>
#include <sys/socket.h>
#elif ORDER == 4
#include <lwip/sockets.h>
#include <lwip/netdb.h>
#include <lwip/inet.h>
#include <rtthread.h>
#else
#include <sys/socket.h> /* alone, as netutils' tftp: it brings <rtthread.h> as a board's does */
#include <netdb.h>
#endif
#include <string.h>

/* rt_snprintf as iperf uses it: clean on a board, where it is no C library builtin. */
void board_clock_text(char *text, int hours, int minutes, int seconds)
{
    char stamp[9];

    rt_snprintf(stamp, sizeof(stamp), "%02d:%02d:%02d", hours, minutes, seconds);
    rt_memset(text, 0, 16);
    rt_memcpy(text, stamp, sizeof(stamp));
}

int board_socket_names(const char *host)
{
    struct hostent *entry = gethostbyname(host);
    struct sockaddr_in address;
    int one = 1;
    int sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (sock < 0)
    {
        rt_kprintf("socket failed: %d\n", errno);
        return -1;
    }
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons(5000);
    if (entry)
        memcpy(&address.sin_addr, entry->h_addr, sizeof address.sin_addr);
    else
        address.sin_addr.s_addr = inet_addr("127.0.0.1");
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, (const void *)&one, sizeof one);
    rt_kprintf("peer %s\n", inet_ntoa(address.sin_addr));
#if ORDER == 4
    lwip_close(sock);
#else
    closesocket(sock);
#endif
    return 0;
}

#if ORDER <= 3
/* The default interface's address, as board code prints it. */
const char *board_default_address(void)
{
    return netdev_default && netdev_is_up(netdev_default) ? inet_ntoa(netdev_default->ip_addr)
                                                          : RT_NULL;
}
#endif

#if ORDER <= 3
/* A synchronisation retried on the system work queue while no interface is up, as ntp does. */
static struct rt_work sync_work;

static void sync_once(struct rt_work *work, void *work_data)
{
    (void)work_data;
    if (netdev_get_by_family(AF_INET) == RT_NULL)
        rt_work_submit(work, RT_TICK_PER_SECOND);
}

int board_schedule_sync(void)
{
    rt_work_init(&sync_work, sync_once, RT_NULL);
    return rt_work_submit(&sync_work, 0);
}
#endif
