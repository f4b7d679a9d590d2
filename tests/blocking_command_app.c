/*
 * A board program whose console commands block the console thread, for the shell's signal
 * tests: wait_forever waits on a semaphore nobody releases; wait_client waits for a client of
 * the server main() started, which the program stops at exit (msh_at_exit), so it returns
 * once the shell stops its servers. The package's sample commands are linked in as well.
 * Like most board programs, main() never returns and a periodic timer runs: the leak check
 * test runs it under valgrind, where nothing of the runtime's own threads may show.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <finsh.h>
#include <rtthread.h>
#include <tcpserver.h>

static struct tcpserver *server;
static struct rt_semaphore never;
static struct rt_timer heartbeat;
static rt_uint32_t beats;

static void beat(void *parameter)
{
    RT_UNUSED(parameter);
    beats++;
}

static void stop_server(void)
{
    tcpserver_destroy(server);
    server = RT_NULL;
    rt_kprintf("blocking_command_app: server stopped\n");
}

int main(void)
{
    rt_sem_init(&never, "never", 0, RT_IPC_FLAG_FIFO);
    server = tcpserver_create("127.0.0.1", 0);
    if (server == RT_NULL)
        return 1;
    msh_at_exit(stop_server);
    rt_timer_init(&heartbeat, "beat", beat, RT_NULL, RT_TICK_PER_SECOND / 10,
                  RT_TIMER_FLAG_PERIODIC | RT_TIMER_FLAG_SOFT_TIMER);
    rt_timer_start(&heartbeat);
    rt_kprintf("blocking_command_app serving on 127.0.0.1 port %u\n", (unsigned)server->port);
    for (;;)
        rt_thread_mdelay(1000);
}

static int wait_forever(int argc, char **argv)
{
    RT_UNUSED(argc);
    RT_UNUSED(argv);
    rt_kprintf("wait_forever: waiting\n");
    rt_sem_take(&never, RT_WAITING_FOREVER);
    rt_kprintf("wait_forever: woken\n");
    return 0;
}
MSH_CMD_EXPORT(wait_forever, wait on a semaphore nobody releases);

static int wait_client(int argc, char **argv)
{
    tcpclient_t client;

    RT_UNUSED(argc);
    RT_UNUSED(argv);
    rt_kprintf("wait_client: waiting\n");
    client = tcpserver_accept(server, RT_WAITING_FOREVER);
    rt_kprintf("wait_client: %s\n", client ? "a client" : "the server stopped");
    if (client)
        tcpserver_close(client);
    return 0;
}
MSH_CMD_EXPORT(wait_client, wait for a client of the program server);
