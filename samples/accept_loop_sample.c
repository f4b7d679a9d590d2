/*
 * A blocking echo server: one thread accepts, and every client gets a thread of its own that
 * waits in tcpserver_recv() and answers with tcpserver_send(), both with timeouts.
 *
 * A client silent for IDLE_TIMEOUT_MS is closed. To stop, the client threads notice `stopping`
 * within one receive timeout, close their clients themselves and end; only then is the server
 * destroyed, since a handle must not be used once tcpserver_destroy() has returned.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "sample_main.h"

#include <tcpserver.h>

#include <pthread.h>
#include <stdatomic.h>

#define DBG_TAG "accept"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

#define RECV_TIMEOUT_MS 200
#define SEND_TIMEOUT_MS 5000
#define IDLE_TIMEOUT_MS 60000

static atomic_int stopping = 0; /* set by main, read by every thread */
static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t threads_done = PTHREAD_COND_INITIALIZER;
static int threads_running = 0;

static void *serve_client(void *parameter)
{
    tcpclient_t client = (tcpclient_t)parameter;
    rt_uint8_t buf[4096];
    rt_int32_t idle_ms = 0;
    rt_size_t n;

    LOG_D("client %d connected", client->sock);
    while (!stopping && idle_ms < IDLE_TIMEOUT_MS)
    {
        n = tcpserver_recv(client, buf, sizeof(buf), RECV_TIMEOUT_MS);
        if (n == 0 && rt_get_errno() == -RT_ETIMEOUT)
        {
            idle_ms += RECV_TIMEOUT_MS;
            continue;
        }
        if (n == 0)
            break; /* the peer left (-RT_EIO) */
        idle_ms = 0;
        if (tcpserver_send(client, buf, n, SEND_TIMEOUT_MS) != n)
        {
            LOG_W("client %d: reply not sent: %s", client->sock, tcpserver_strerror());
            break;
        }
    }
    LOG_D("client %d done", client->sock);
    tcpserver_close(client);

    pthread_mutex_lock(&threads_lock);
    threads_running--;
    pthread_cond_signal(&threads_done);
    pthread_mutex_unlock(&threads_lock);
    return RT_NULL;
}

static void *accept_clients(void *parameter)
{
    struct tcpserver *server = (struct tcpserver *)parameter;
    pthread_t thread;
    tcpclient_t client;

    while (!stopping)
    {
        client = tcpserver_accept(server, RECV_TIMEOUT_MS);
        if (client == RT_NULL)
            continue; /* timeout: look at `stopping` again */
        pthread_mutex_lock(&threads_lock);
        threads_running++;
        pthread_mutex_unlock(&threads_lock);
        if (pthread_create(&thread, RT_NULL, serve_client, client) != 0)
        {
            LOG_E("no thread for client %d", client->sock);
            tcpserver_close(client);
            pthread_mutex_lock(&threads_lock);
            threads_running--;
            pthread_mutex_unlock(&threads_lock);
            continue;
        }
        pthread_detach(thread);
    }
    return RT_NULL;
}

int main(int argc, char **argv)
{
    struct tcpserver_config config;
    struct tcpserver *server;
    pthread_t acceptor;
    const char *ip;
    rt_uint16_t port;

    if (sample_start(argc, argv, &ip, &port) != 0)
        return 2;
    tcpserver_config_init(&config);
    config.ip = ip;
    config.port = port;
    config.max_clients = 64;
    server = tcpserver_create_with(&config);
    if (server == RT_NULL)
        return 1;
    rt_kprintf("accept loop sample serving on %s port %u\n", server->ip, (unsigned)server->port);
    pthread_create(&acceptor, RT_NULL, accept_clients, server);

    sample_wait_for_stop();
    stopping = 1;
    pthread_join(acceptor, RT_NULL);
    pthread_mutex_lock(&threads_lock);
    while (threads_running > 0)
        pthread_cond_wait(&threads_done, &threads_lock);
    pthread_mutex_unlock(&threads_lock);
    tcpserver_destroy(server);
    rt_kprintf("accept loop sample stopped\n");
    return 0;
}
