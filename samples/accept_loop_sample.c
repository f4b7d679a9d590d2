/*
 * A blocking echo server written the RT-Thread way: one rt_thread accepts, and every client gets
 * an rt_thread of its own that waits in tcpserver_recv() and answers with tcpserver_send(),
 * both with timeouts. A mutex guards the count of client threads; a semaphore tells the main
 * thread when the last one has ended.
 *
 * A client silent for IDLE_TIMEOUT_MS is closed. To stop, the client threads notice `stopping`
 * within one receive timeout, close their clients themselves and end; only then is the server
 * destroyed, since a handle must not be used once tcpserver_destroy() has returned.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "sample_main.h"

#include <tcpserver.h>

#include <stdatomic.h>

#define DBG_TAG "accept"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

#define RECV_TIMEOUT_MS 200
#define SEND_TIMEOUT_MS 5000
#define IDLE_TIMEOUT_MS 60000
#define CLIENT_STACK_SIZE 2048
#define CLIENT_PRIORITY 15

static atomic_int stopping = 0; /* set by main, read by every thread at each timeout */
static struct rt_mutex threads_lock;
static struct rt_semaphore all_done; /* released when the last client thread ends */
static int threads_running = 0;      /* guarded by threads_lock */

static void thread_count_add(int delta)
{
    rt_mutex_take(&threads_lock, RT_WAITING_FOREVER);
    threads_running += delta;
    if (threads_running == 0 && delta < 0)
        rt_sem_release(&all_done);
    rt_mutex_release(&threads_lock);
}

static void serve_client(void *parameter)
{
    tcpclient_t client = (tcpclient_t)parameter;
    rt_uint8_t buf[4096];
    rt_int32_t idle_ms = 0;
    rt_size_t n;

    LOG_D("client %d connected", client->sock);
    while (!stopping && idle_ms < IDLE_TIMEOUT_MS)
    {
        n = tcpserver_recv(client, buf, sizeof(buf), rt_tick_from_millisecond(RECV_TIMEOUT_MS));
        if (n == 0 && rt_get_errno() == -RT_ETIMEOUT)
        {
            idle_ms += RECV_TIMEOUT_MS;
            continue;
        }
        if (n == 0)
            break; /* the peer left (-RT_EIO) */
        idle_ms = 0;
        if (tcpserver_send(client, buf, n, rt_tick_from_millisecond(SEND_TIMEOUT_MS)) != n)
        {
            LOG_W("client %d: reply not sent: %s", client->sock, tcpserver_strerror());
            break;
        }
    }
    LOG_D("client %d done", client->sock);
    tcpserver_close(client);
    thread_count_add(-1); /* the thread ends when this entry returns, as on a board */
}

static void accept_clients(void *parameter)
{
    struct tcpserver *server = (struct tcpserver *)parameter;
    tcpclient_t client;
    rt_thread_t thread;

    while (!stopping)
    {
        client = tcpserver_accept(server, rt_tick_from_millisecond(RECV_TIMEOUT_MS));
        if (client == RT_NULL)
            continue; /* timeout: look at `stopping` again */
        thread_count_add(1);
        thread = rt_thread_create("client", serve_client, client, CLIENT_STACK_SIZE,
                                  CLIENT_PRIORITY, 10);
        if (thread == RT_NULL || rt_thread_startup(thread) != RT_EOK)
        {
            LOG_E("no thread for client %d", client->sock);
            if (thread != RT_NULL)
                rt_thread_delete(thread);
            tcpserver_close(client);
            thread_count_add(-1);
        }
    }
    thread_count_add(-1); /* the acceptor counts as one */
}

int main(int argc, char **argv)
{
    struct tcpserver_config config;
    struct tcpserver *server;
    rt_thread_t acceptor;
    const char *ip;
    rt_uint16_t port;

    if (sample_start(argc, argv, &ip, &port) != 0)
        return 2;
    rt_mutex_init(&threads_lock, "clients", RT_IPC_FLAG_PRIO);
    rt_sem_init(&all_done, "alldone", 0, RT_IPC_FLAG_FIFO);
    tcpserver_config_init(&config);
    config.ip = ip;
    config.port = port;
    config.max_clients = 64;
    server = tcpserver_create_with(&config);
    if (server == RT_NULL)
        return 1;
    rt_kprintf("accept loop sample serving on %s port %u\n", server->ip, (unsigned)server->port);
    thread_count_add(1);
    acceptor = rt_thread_create("acceptor", accept_clients, server, 2048, 10, 10);
    if (acceptor == RT_NULL || rt_thread_startup(acceptor) != RT_EOK)
        return 1;

    sample_wait_for_stop();
    stopping = 1;
    rt_sem_take(&all_done, RT_WAITING_FOREVER);
    tcpserver_destroy(server);
    rt_sem_detach(&all_done);
    rt_mutex_detach(&threads_lock);
    rt_kprintf("accept loop sample stopped\n");
    return 0;
}
