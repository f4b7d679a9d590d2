// The threads a board runs from boot: the idle thread, the timer thread and the system work
// queue's.
// SPDX-License-Identifier: Apache-2.0
#include "rt/kernel.h"

#include "rt/log.h"
#include "rt/workqueue.h"

#include <chrono>

namespace tcp_server::detail::rt
{

namespace
{

// RT-Thread's idle thread runs whenever nothing else does; Linux has its own for that, so
// here it waits, to be listed and measured as a board's is, and ends when deleted.
constexpr rt_uint32_t kIdleTick = 32;
rt_thread_t idle_thread = nullptr; // console thread only

void idle_entry(void *)
{
    for (;;)
        rt_thread_suspend(rt_thread_self());
}

} // namespace

void start_system_threads()
{
    if (!idle_thread)
    {
        idle_thread = rt_thread_create("tidle0", idle_entry, RT_NULL, IDLE_THREAD_STACK_SIZE,
                                       RT_THREAD_PRIORITY_MAX - 1, kIdleTick);
        if (idle_thread && rt_thread_startup(idle_thread) != RT_EOK)
        {
            rt_thread_delete(idle_thread);
            idle_thread = nullptr;
        }
        if (!idle_thread)
            LOG_W("no idle thread: ps will not list tidle0");
    }
    start_timer_thread();
#ifdef RT_USING_SYSTEM_WORKQUEUE
    system_workqueue();
#endif
}

void end_system_threads()
{
    if (idle_thread)
        end_thread_and_join(idle_thread, std::chrono::seconds(1));
    idle_thread = nullptr;
#ifdef RT_USING_SYSTEM_WORKQUEUE
    end_system_workqueue(); // its delayed work needs the timer thread
#endif
    end_timer_thread();
}

} // namespace tcp_server::detail::rt
