/*
 * The package's echo sample, as an RT-Thread application file: shell commands that start and
 * stop echo servers (several at once, on different addresses or ports). Each server echoes
 * through the notify callback and logs connects and disconnects, as on a board's console:
 *
 *     msh />tcpserver 127.0.0.1 5000
 *     msh />[173861] D/tcpserv: client connect:5
 *     msh />tcpserver_stop
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <tcpserver.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DBG_TAG "tcpserv"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

#define SAMPLE_SERVERS_MAX 16

static struct tcpserver *servers[SAMPLE_SERVERS_MAX];

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

/* Reads a whole decimal number within [min, max]. */
static int parse_number(const char *text, long min, long max, long *value)
{
    char *end;
    long number;

    errno = 0;
    number = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || number < min || number > max)
        return 0;
    *value = number;
    return 1;
}

static int running_count(void)
{
    int i, count = 0;
    for (i = 0; i < SAMPLE_SERVERS_MAX; i++)
        count += servers[i] != RT_NULL;
    return count;
}

static void list_servers(void)
{
    struct tcpserver_stats stats;
    int i;

    if (running_count() == 0)
    {
        rt_kprintf("no tcpserver is running\n");
        return;
    }
    rt_kprintf("%-24s %5s %-6s %-9s %9s %9s %8s %12s %12s\n", "address", "port", "stack",
               "poller", "clients", "accepted", "refused", "bytes in", "bytes out");
    for (i = 0; i < SAMPLE_SERVERS_MAX; i++)
    {
        if (servers[i] == RT_NULL || tcpserver_get_stats(servers[i], &stats) != RT_EOK)
            continue;
        rt_kprintf("%-24s %5u %-6s %-9s %9lu %9llu %8llu %12llu %12llu\n", servers[i]->ip,
                   (unsigned)servers[i]->port, stats.stack, stats.poller,
                   (unsigned long)stats.clients,
                   (unsigned long long)stats.accepted, (unsigned long long)stats.refused,
                   (unsigned long long)stats.bytes_received, (unsigned long long)stats.bytes_sent);
    }
}

static void stop_server(int slot)
{
    char ip[64];
    rt_uint16_t port = servers[slot]->port;

    strncpy(ip, servers[slot]->ip, sizeof(ip) - 1);
    ip[sizeof(ip) - 1] = '\0';
    tcpserver_destroy(servers[slot]);
    servers[slot] = RT_NULL;
    rt_kprintf("tcpserver stopped on %s port %u\n", ip, (unsigned)port);
}

static void stop_all(void)
{
    int i;
    for (i = 0; i < SAMPLE_SERVERS_MAX; i++)
        if (servers[i] != RT_NULL)
            stop_server(i);
}

static int tcpserver(int argc, char **argv)
{
    struct tcpserver_config config;
    long port, clients = TCPSERVER_CLI_NUM;
    int poller = TCPSERVER_POLLER_DEFAULT;
    int stack = TCPSERVER_STACK_DEFAULT;
    int i, slot = -1;

    if (argc == 1)
    {
        rt_kprintf("Usage: tcpserver <ip> <port> [--clients N] [--poller select|poll|epoll|uring|auto] [--stack kernel|lwip]\n");
        list_servers();
        return 0;
    }
    if (argc < 3)
    {
        rt_kprintf("tcpserver: give an address and a port: tcpserver <ip> <port>\n");
        return -RT_EINVAL;
    }
    if (!parse_number(argv[2], 0, 65535, &port))
    {
        rt_kprintf("tcpserver: the port must be a number from 0 to 65535, not '%s'\n", argv[2]);
        return -RT_EINVAL;
    }
    for (i = 3; i < argc; i += 2)
    {
        if (i + 1 >= argc)
        {
            rt_kprintf("tcpserver: %s needs a value\n", argv[i]);
            return -RT_EINVAL;
        }
        if (strcmp(argv[i], "--clients") == 0)
        {
            if (!parse_number(argv[i + 1], 1, 65535, &clients))
            {
                rt_kprintf("tcpserver: --clients takes a number from 1 to 65535, not '%s'\n",
                           argv[i + 1]);
                return -RT_EINVAL;
            }
        }
        else if (strcmp(argv[i], "--poller") == 0)
        {
            poller = tcpserver_poller_from_name(argv[i + 1]);
            if (poller < 0)
            {
                rt_kprintf("tcpserver: unknown poller '%s' (available: select, poll, epoll, uring, auto)\n",
                           argv[i + 1]);
                return -RT_EINVAL;
            }
        }
        else if (strcmp(argv[i], "--stack") == 0)
        {
            stack = tcpserver_stack_from_name(argv[i + 1]);
            if (stack < 0)
            {
                rt_kprintf("tcpserver: unknown stack '%s' (available: kernel, lwip)\n",
                           argv[i + 1]);
                return -RT_EINVAL;
            }
        }
        else
        {
            rt_kprintf("tcpserver: unknown setting '%s' (try --clients N, --poller NAME or --stack NAME)\n",
                       argv[i]);
            return -RT_EINVAL;
        }
    }
    for (i = 0; i < SAMPLE_SERVERS_MAX && slot < 0; i++)
        if (servers[i] == RT_NULL)
            slot = i;
    if (slot < 0)
    {
        rt_kprintf("tcpserver: %d servers run already; stop one first\n", SAMPLE_SERVERS_MAX);
        return -RT_EFULL;
    }

    tcpserver_config_init(&config);
    config.ip = argv[1];
    config.port = (rt_uint16_t)port;
    config.max_clients = (rt_uint32_t)clients;
    config.notify = tcpserver_event_notify;
    config.poller = (rt_uint8_t)poller;
    config.stack = (rt_uint8_t)stack;
    servers[slot] = tcpserver_create_with(&config);
    if (servers[slot] == RT_NULL)
        return rt_get_errno(); /* the library logged why */
    msh_at_exit(stop_all);
    rt_kprintf("tcpserver started on %s port %u, %ld clients at most\n", servers[slot]->ip,
               (unsigned)servers[slot]->port, clients);
    return 0;
}
MSH_CMD_EXPORT(tcpserver, start an echo server: tcpserver <ip> <port> [--clients N] [--poller select|poll|epoll|uring|auto] [--stack kernel|lwip]);

static int tcpserver_stop(int argc, char **argv)
{
    long port = -1;
    int i, found = -1, matches = 0;

    if (argc > 3)
    {
        rt_kprintf("Usage: tcpserver_stop [port | ip port | all]\n");
        return -RT_EINVAL;
    }
    if (running_count() == 0)
    {
        rt_kprintf("tcpserver_stop: no tcpserver is running\n");
        return -RT_ERROR;
    }
    if (argc == 2 && strcmp(argv[1], "all") == 0)
    {
        stop_all();
        return 0;
    }
    if (argc > 1 && !parse_number(argv[argc - 1], 0, 65535, &port))
    {
        rt_kprintf("tcpserver_stop: the port must be a number from 0 to 65535, not '%s'\n",
                   argv[argc - 1]);
        return -RT_EINVAL;
    }
    for (i = 0; i < SAMPLE_SERVERS_MAX; i++)
    {
        if (servers[i] == RT_NULL || (port >= 0 && servers[i]->port != port) ||
            (argc == 3 && strcmp(servers[i]->ip, argv[1]) != 0))
            continue;
        found = i;
        matches++;
    }
    if (matches == 0)
    {
        rt_kprintf("tcpserver_stop: no tcpserver runs on %s%s%s\n", argc == 3 ? argv[1] : "",
                   argc == 3 ? " port " : "port ", argv[argc - 1]);
        return -RT_ERROR;
    }
    if (matches > 1)
    {
        rt_kprintf("tcpserver_stop: %d servers run; say which: tcpserver_stop <port>, <ip> <port> "
                   "or all\n",
                   matches);
        return -RT_EINVAL;
    }
    stop_server(found);
    return 0;
}
MSH_CMD_EXPORT(tcpserver_stop, stop an echo server: tcpserver_stop [port | ip port | all]);

static int tcpserver_list(int argc, char **argv)
{
    RT_UNUSED(argc);
    RT_UNUSED(argv);
    list_servers();
    return 0;
}
MSH_CMD_EXPORT(tcpserver_list, list the echo servers with their clients and bytes);
