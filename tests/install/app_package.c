/*
 * A board application whose package settings come from its own Kconfig through the rtconfig.h
 * that tcpserver-rtconfig writes: the worker's stack size and greeting are package symbols,
 * which ps's `asked` column and the console show.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>

#ifndef PKG_DEMO_WORKER
#error "the package's symbols did not reach rtconfig.h"
#endif

static struct rt_semaphore started;

static void demo_worker(void *parameter)
{
    (void)parameter;
    rt_kprintf("%s, stack %d\n", DEMO_GREETING, DEMO_THREAD_STACK_SIZE);
    rt_sem_release(&started);
    for (;;)
        rt_thread_mdelay(1000);
}

int main(void)
{
    rt_sem_init(&started, "demo", 0, RT_IPC_FLAG_FIFO);
    rt_thread_t worker = rt_thread_create("demo", demo_worker, RT_NULL, DEMO_THREAD_STACK_SIZE, 20, 10);
    if (worker == RT_NULL || rt_thread_startup(worker) != RT_EOK)
        return 1;
    return rt_sem_take(&started, RT_WAITING_FOREVER) == RT_EOK ? 0 : 1;
}
