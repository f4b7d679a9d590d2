/*
 * A command as board code writes it: it starts a thread that reads argv[1] after the command
 * has returned (on a board the thread runs first at a higher priority; here it is made to run
 * later, on purpose), for msh_argv_lifetime_test.cpp.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>

struct rt_semaphore argv_go;
struct rt_semaphore argv_read;
char argv_seen[32];

static void reader(void *parameter)
{
    char **argv = (char **)parameter;
    rt_sem_take(&argv_go, RT_WAITING_FOREVER);
    rt_strncpy(argv_seen, argv[1], sizeof(argv_seen) - 1);
    rt_sem_release(&argv_read);
}

static int read_later(int argc, char **argv)
{
    rt_thread_t thread;
    if (argc < 2)
        return -RT_EINVAL;
    thread = rt_thread_create("reader", reader, argv, 2048, 10, 10);
    return thread ? rt_thread_startup(thread) : -RT_ENOMEM;
}
MSH_CMD_EXPORT(read_later, start a thread that reads argv[1] later);
