/*
 * A whole board-style application, as it is written for an RT-Thread board and built here
 * unchanged: `cc board_app.c $(pkg-config --cflags --libs tcpserver-shell)`.
 *
 * - INIT_APP_EXPORT prepares what the threads share: a mutex over the statistics, a mailbox
 *   on which client threads report that they are done, and a one-second uptime timer.
 * - main() runs in RT-Thread's "main" thread: it starts an echo server on 127.0.0.1 (port 0:
 *   a free one, which it prints), an rt_thread that accepts clients, and then waits on the
 *   mailbox, logging each client that leaves.
 * - Every client is served by an rt_thread of its own, in the package's blocking mode.
 * - The console has the shell commands board_stats and board_echo_limit.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>
#include <tcpserver.h>

#include <stdlib.h>

#define DBG_TAG "board"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

#define CLIENT_STACK 2048
#define CLIENT_PRIORITY 18

struct board_stats
{
    rt_uint32_t clients_served;
    rt_uint32_t clients_now;
    rt_uint64_t bytes_echoed;
    rt_uint32_t uptime_s;
};

static struct board_stats stats;
static struct rt_mutex stats_lock;
static struct rt_mailbox departures;
static rt_ubase_t departures_pool[16];
static rt_timer_t uptime_timer;
static struct tcpserver *server;
static rt_size_t echo_limit = 1024; /* bytes per recv, set by board_echo_limit */

static void count_second(void *parameter)
{
    RT_UNUSED(parameter);
    rt_mutex_take(&stats_lock, RT_WAITING_FOREVER);
    stats.uptime_s++;
    rt_mutex_release(&stats_lock);
}

static int board_app_init(void)
{
    rt_mutex_init(&stats_lock, "stats", RT_IPC_FLAG_PRIO);
    rt_mb_init(&departures, "departs", departures_pool,
               sizeof(departures_pool) / sizeof(rt_ubase_t), RT_IPC_FLAG_FIFO);
    uptime_timer = rt_timer_create("uptime", count_second, RT_NULL, RT_TICK_PER_SECOND,
                                   RT_TIMER_FLAG_PERIODIC | RT_TIMER_FLAG_SOFT_TIMER);
    if (uptime_timer != RT_NULL)
        rt_timer_start(uptime_timer);
    rt_kprintf("board_app: initialised\n");
    return 0;
}
INIT_APP_EXPORT(board_app_init);

static void serve_client(void *parameter)
{
    tcpclient_t client = (tcpclient_t)parameter;
    rt_uint8_t buf[1024];
    rt_size_t n, limit;

    for (;;)
    {
        limit = echo_limit < sizeof(buf) ? echo_limit : sizeof(buf);
        n = tcpserver_recv(client, buf, limit, RT_WAITING_FOREVER);
        if (n == 0)
            break; /* the peer left, or the server stopped */
        rt_mutex_take(&stats_lock, RT_WAITING_FOREVER);
        stats.bytes_echoed += n;
        rt_mutex_release(&stats_lock);
        if (tcpserver_send(client, buf, n, RT_WAITING_FOREVER) != n)
            break;
    }
    rt_mb_send_wait(&departures, (rt_ubase_t)client->sock, RT_WAITING_FOREVER);
    tcpserver_close(client);
}

static void accept_clients(void *parameter)
{
    tcpclient_t client;
    rt_thread_t thread;

    RT_UNUSED(parameter);
    while ((client = tcpserver_accept(server, RT_WAITING_FOREVER)) != RT_NULL)
    {
        rt_mutex_take(&stats_lock, RT_WAITING_FOREVER);
        stats.clients_served++;
        stats.clients_now++;
        rt_mutex_release(&stats_lock);
        LOG_D("client %d connected", client->sock);
        thread =
            rt_thread_create("client", serve_client, client, CLIENT_STACK, CLIENT_PRIORITY, 10);
        if (thread == RT_NULL || rt_thread_startup(thread) != RT_EOK)
            tcpserver_close(client);
    }
}

int main(void)
{
    rt_ubase_t sock;
    rt_thread_t acceptor;

    server = tcpserver_create("127.0.0.1", 0);
    if (server == RT_NULL)
    {
        LOG_E("no server: %s", tcpserver_strerror());
        return -1;
    }
    rt_kprintf("board_app serving on %s port %u\n", server->ip, (unsigned)server->port);
    acceptor = rt_thread_create("accept", accept_clients, RT_NULL, 2048, 12, 10);
    if (acceptor == RT_NULL || rt_thread_startup(acceptor) != RT_EOK)
        return -1;
    while (rt_mb_recv(&departures, &sock, RT_WAITING_FOREVER) == RT_EOK)
    {
        rt_mutex_take(&stats_lock, RT_WAITING_FOREVER);
        stats.clients_now--;
        rt_mutex_release(&stats_lock);
        LOG_D("client %d left", (int)sock);
    }
    return 0;
}

static int board_stats(int argc, char **argv)
{
    struct board_stats now;

    RT_UNUSED(argc);
    RT_UNUSED(argv);
    rt_mutex_take(&stats_lock, RT_WAITING_FOREVER);
    now = stats;
    rt_mutex_release(&stats_lock);
    rt_kprintf("clients served %lu, connected %lu, bytes echoed %llu, up %lu s\n",
               (unsigned long)now.clients_served, (unsigned long)now.clients_now,
               (unsigned long long)now.bytes_echoed, (unsigned long)now.uptime_s);
    return 0;
}
MSH_CMD_EXPORT(board_stats, show what the board app has served);

static int board_echo_limit(int argc, char **argv)
{
    long limit;

    if (argc != 2 || (limit = strtol(argv[1], RT_NULL, 10)) < 1 || limit > 1024)
    {
        rt_kprintf("usage: board_echo_limit <1..1024>\n");
        return -RT_EINVAL;
    }
    echo_limit = (rt_size_t)limit;
    rt_kprintf("echo limit %ld bytes\n", limit);
    return 0;
}
MSH_CMD_EXPORT(board_echo_limit, set the bytes read per receive: board_echo_limit <1..1024>);
