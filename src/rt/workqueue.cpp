// Work queues (rtdevice.h): a thread that runs work items in the order they were queued, and
// delayed submissions through the kernel's timers. One lock guards every queue's lists and
// every work's state, as a board's interrupt lock does; the queue's thread sleeps on a
// semaphore, so ps shows it waiting and deleting it ends it at that wait.
// SPDX-License-Identifier: Apache-2.0
#include "rt/workqueue.h"

#include "rt/kernel.h"
#include "rt/log.h"

#include <rtdevice.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <new>
#include <utility>

struct rt_workqueue
{
    rt_list_t work_list;          // queued, first to run first
    rt_list_t delayed_list;       // waiting for their timers
    struct rt_work *work_current; // running now on work_thread
    struct rt_semaphore wake;     // released for every work queued
    rt_thread_t work_thread;
    std::condition_variable work_done; // work_current changed
    bool destroying = false;           // destroy has begun: nothing more is taken
};

namespace
{

constexpr std::chrono::seconds kEndLimit{10};
std::mutex work_mutex; // all queues' lists, work_current, every work's flags and list links

struct rt_work *first_work(rt_list_t *list)
{
    return rt_list_entry(list->next, struct rt_work, list);
}

bool on_queue_thread(const rt_workqueue *queue)
{
    return rt_thread_self() == queue->work_thread;
}

void queue_entry(void *parameter)
{
    auto *queue = static_cast<rt_workqueue *>(parameter);
    for (;;)
    {
        rt_sem_take(&queue->wake, RT_WAITING_FOREVER);
        std::unique_lock lock(work_mutex);
        while (!rt_list_isempty(&queue->work_list))
        {
            struct rt_work *work = first_work(&queue->work_list);
            rt_list_remove(&work->list);
            work->flags &= ~RT_WORK_STATE_PENDING;
            work->workqueue = RT_NULL;
            queue->work_current = work;
            lock.unlock();
            work->work_func(work, work->work_data);
            lock.lock();
            queue->work_current = RT_NULL;
            queue->work_done.notify_all();
        }
    }
}

/** Queues `work` last (or first), under work_mutex. */
void enqueue_locked(rt_workqueue *queue, struct rt_work *work, bool first)
{
    rt_list_remove(&work->list);
    if (first)
        rt_list_insert_after(&queue->work_list, &work->list);
    else
        rt_list_insert_before(&queue->work_list, &work->list);
    work->flags |= RT_WORK_STATE_PENDING;
    work->workqueue = queue;
    rt_sem_release(&queue->wake); // -RT_EFULL: the thread has plenty of wake-ups already
}

void delay_over(void *parameter)
{
    auto *work = static_cast<struct rt_work *>(parameter);
    std::lock_guard lock(work_mutex);
    if (!(work->flags & RT_WORK_STATE_SUBMITTING))
        return; // cancelled or submitted again meanwhile
    work->flags &= ~RT_WORK_STATE_SUBMITTING;
    rt_timer_detach(&work->timer); // its own callback: no wait
    enqueue_locked(work->workqueue, work, false);
}

/**
 * Takes `work` off its lists under work_mutex; a delay's timer is handed back in `timer` to be
 * detached once the lock is released (detaching waits for a running timeout, which takes the
 * lock).
 */
rt_err_t cancel_locked(rt_workqueue *queue, struct rt_work *work, rt_timer_t &timer)
{
    rt_list_remove(&work->list);
    work->flags &= ~RT_WORK_STATE_PENDING;
    timer = RT_NULL;
    if (work->flags & RT_WORK_STATE_SUBMITTING)
    {
        work->flags &= ~RT_WORK_STATE_SUBMITTING;
        timer = &work->timer;
    }
    work->workqueue = RT_NULL;
    return queue->work_current == work ? -RT_EBUSY : RT_EOK;
}

void detach_timer(rt_timer_t timer)
{
    if (timer)
        rt_timer_detach(timer);
}

/** Under work_mutex: refuses a queue being destroyed, whose memory goes with it (a board's
 *  would take the work and free the queue under it), and logs it once per call. */
bool refused_locked(const rt_workqueue *queue)
{
    if (!queue->destroying)
        return false;
    LOG_W("work queue %.*s is being destroyed: a work submitted to it is refused", RT_NAME_MAX,
          queue->work_thread->parent.name);
    return true;
}

/** Moves `work` from wherever it waits to the end (or the front) of `queue`. */
rt_err_t move_to_queue(rt_workqueue *queue, struct rt_work *work, bool first)
{
    rt_timer_t old_delay = RT_NULL;
    {
        std::lock_guard lock(work_mutex);
        if (refused_locked(queue))
            return -RT_ERROR;
        if (work->workqueue)
            cancel_locked(work->workqueue, work, old_delay);
        enqueue_locked(queue, work, first);
    }
    detach_timer(old_delay);
    return RT_EOK;
}

#ifdef RT_USING_SYSTEM_WORKQUEUE
std::mutex system_queue_mutex;
rt_workqueue *system_queue = nullptr; // under system_queue_mutex
#endif

} // namespace

extern "C"
{

struct rt_workqueue *rt_workqueue_create(const char *name, rt_uint16_t stack_size,
                                         rt_uint8_t priority)
{
    auto *queue = new (std::nothrow) rt_workqueue{};
    if (!queue)
        return RT_NULL;
    rt_list_init(&queue->work_list);
    rt_list_init(&queue->delayed_list);
    if (rt_sem_init(&queue->wake, "wqueue", 0, RT_IPC_FLAG_FIFO) != RT_EOK)
    {
        delete queue;
        return RT_NULL;
    }
    queue->work_thread = rt_thread_create(name, queue_entry, queue, stack_size, priority, 10);
    if (!queue->work_thread || rt_thread_startup(queue->work_thread) != RT_EOK)
    {
        if (queue->work_thread)
            rt_thread_delete(queue->work_thread);
        rt_sem_detach(&queue->wake);
        delete queue;
        return RT_NULL;
    }
    return queue;
}

rt_err_t rt_workqueue_destroy(struct rt_workqueue *queue)
{
    if (!queue)
        return -RT_EINVAL;
    if (on_queue_thread(queue))
        return -RT_EBUSY;
    {
        std::lock_guard lock(work_mutex);
        queue->destroying = true;
    }
    rt_workqueue_cancel_all_work(queue);
    // Deleting the thread ends it at its next wait, which must not be one inside a work: the
    // running work returns first. One that does not, in time, keeps the queue.
    bool ended;
    {
        std::unique_lock lock(work_mutex);
        ended = queue->work_done.wait_for(lock, kEndLimit,
                                          [&] { return queue->work_current == RT_NULL; });
    }
    if (!ended || !tcp_server::detail::rt::end_thread_and_join(queue->work_thread, kEndLimit))
    {
        LOG_E("work queue %.*s: its running work did not return within %d s; the queue stays",
              RT_NAME_MAX, queue->work_thread->parent.name, static_cast<int>(kEndLimit.count()));
        std::lock_guard lock(work_mutex);
        queue->destroying = false;
        return -RT_ETIMEOUT;
    }
    rt_sem_detach(&queue->wake);
    delete queue;
    return RT_EOK;
}

rt_err_t rt_workqueue_dowork(struct rt_workqueue *queue, struct rt_work *work)
{
    return rt_workqueue_submit_work(queue, work, 0);
}

rt_err_t rt_workqueue_submit_work(struct rt_workqueue *queue, struct rt_work *work, rt_tick_t ticks)
{
    if (!queue || !work)
        return -RT_EINVAL;
    if (ticks >= RT_TICK_MAX / 2)
        return -RT_ERROR;
    if (ticks == 0)
        return move_to_queue(queue, work, false);
    rt_timer_t old_delay = RT_NULL;
    {
        std::lock_guard lock(work_mutex);
        if (refused_locked(queue))
            return -RT_ERROR;
        if (work->workqueue)
            cancel_locked(work->workqueue, work, old_delay);
    }
    detach_timer(old_delay);
    std::lock_guard lock(work_mutex);
    if (refused_locked(queue))
        return -RT_ERROR; // destroy began while the old delay was detached
    rt_timer_init(&work->timer, "work", delay_over, work, ticks,
                  RT_TIMER_FLAG_ONE_SHOT | RT_TIMER_FLAG_SOFT_TIMER);
    work->flags |= RT_WORK_STATE_SUBMITTING;
    work->workqueue = queue;
    rt_list_insert_before(&queue->delayed_list, &work->list);
    rt_timer_start(&work->timer);
    return RT_EOK;
}

rt_err_t rt_workqueue_urgent_work(struct rt_workqueue *queue, struct rt_work *work)
{
    if (!queue || !work)
        return -RT_EINVAL;
    return move_to_queue(queue, work, true);
}

rt_err_t rt_workqueue_cancel_work(struct rt_workqueue *queue, struct rt_work *work)
{
    if (!queue || !work)
        return -RT_EINVAL;
    rt_timer_t delay;
    rt_err_t result;
    {
        std::lock_guard lock(work_mutex);
        result = cancel_locked(queue, work, delay);
    }
    detach_timer(delay);
    return result;
}

rt_err_t rt_workqueue_cancel_work_sync(struct rt_workqueue *queue, struct rt_work *work)
{
    if (!queue || !work)
        return -RT_EINVAL;
    rt_timer_t delay;
    {
        std::unique_lock lock(work_mutex);
        if (cancel_locked(queue, work, delay) == -RT_EBUSY)
        {
            if (on_queue_thread(queue))
                return -RT_EBUSY; // it would wait for itself
            queue->work_done.wait(lock, [&] { return queue->work_current != work; });
        }
    }
    detach_timer(delay);
    return RT_EOK;
}

rt_err_t rt_workqueue_cancel_all_work(struct rt_workqueue *queue)
{
    if (!queue)
        return -RT_EINVAL;
    for (;;)
    {
        rt_timer_t delay = RT_NULL;
        {
            std::lock_guard lock(work_mutex);
            rt_list_t *list = !rt_list_isempty(&queue->work_list)      ? &queue->work_list
                              : !rt_list_isempty(&queue->delayed_list) ? &queue->delayed_list
                                                                       : nullptr;
            if (!list)
                return RT_EOK;
            cancel_locked(queue, first_work(list), delay);
        }
        detach_timer(delay);
    }
}

#ifdef RT_USING_SYSTEM_WORKQUEUE
rt_err_t rt_work_submit(struct rt_work *work, rt_tick_t ticks)
{
    rt_workqueue *queue = tcp_server::detail::rt::system_workqueue();
    return queue ? rt_workqueue_submit_work(queue, work, ticks) : -RT_ENOMEM;
}

rt_err_t rt_work_urgent(struct rt_work *work)
{
    rt_workqueue *queue = tcp_server::detail::rt::system_workqueue();
    return queue ? rt_workqueue_urgent_work(queue, work) : -RT_ENOMEM;
}

rt_err_t rt_work_cancel(struct rt_work *work)
{
    rt_workqueue *queue = tcp_server::detail::rt::system_workqueue();
    return queue ? rt_workqueue_cancel_work(queue, work) : -RT_ENOMEM;
}
#endif

} // extern "C"

#ifdef RT_USING_SYSTEM_WORKQUEUE
namespace tcp_server::detail::rt
{

rt_workqueue *system_workqueue()
{
    std::lock_guard lock(system_queue_mutex);
    if (!system_queue)
    {
        system_queue = rt_workqueue_create("sys workq", RT_SYSTEM_WORKQUEUE_STACKSIZE,
                                           RT_SYSTEM_WORKQUEUE_PRIORITY);
        if (!system_queue)
            LOG_E("the system work queue cannot start: out of memory or threads");
    }
    return system_queue;
}

void end_system_workqueue()
{
    rt_workqueue *queue;
    {
        std::lock_guard lock(system_queue_mutex);
        queue = std::exchange(system_queue, nullptr);
    }
    if (queue)
        rt_workqueue_destroy(queue);
}

} // namespace tcp_server::detail::rt
#endif
