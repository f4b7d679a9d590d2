// Snapshots of the kernel's objects for the shell.
// SPDX-License-Identifier: Apache-2.0
#include "rt/inspect.h"

#include "rt/kernel.h"

#include <unistd.h>

#include <algorithm>

namespace tcp_server::detail::rt
{

namespace
{

std::string name_of(const rt_object *object)
{
    return std::string(object->name, strnlen(object->name, RT_NAME_MAX));
}

template <typename Visit> void for_each_locked(rt_object_class_type type, Visit visit)
{
    rt_list_t *head = &rt_object_get_information(type)->object_list;
    for (rt_list_t *node = head->next; node != head; node = node->next)
        visit(rt_list_entry(node, struct rt_object, list));
}

std::vector<std::string> waiters_of(const rt_list_t *queue)
{
    std::vector<std::string> names;
    for (const rt_list_t *node = queue->next; node != queue; node = node->next)
        names.push_back(name_of(&rt_list_entry(node, struct rt_thread, tlist)->parent));
    return names;
}

IpcRow row_of(rt_object_class_type type, rt_object *object)
{
    IpcRow row;
    row.name = name_of(object);
    switch (type)
    {
    case RT_Object_Class_Semaphore: {
        auto *sem = reinterpret_cast<rt_sem_t>(object);
        row.first = sem->value;
        row.waiters = waiters_of(&sem->parent.suspend_thread);
        break;
    }
    case RT_Object_Class_Mutex: {
        auto *mutex = reinterpret_cast<rt_mutex_t>(object);
        row.first = mutex->hold;
        row.owner = mutex->owner ? name_of(&mutex->owner->parent) : "(NULL)";
        row.waiters = waiters_of(&mutex->parent.suspend_thread);
        break;
    }
    case RT_Object_Class_Event: {
        auto *event = reinterpret_cast<rt_event_t>(object);
        row.first = event->set;
        row.waiters = waiters_of(&event->parent.suspend_thread);
        break;
    }
    case RT_Object_Class_MailBox: {
        auto *mb = reinterpret_cast<rt_mailbox_t>(object);
        row.first = mb->entry;
        row.second = mb->size;
        row.waiters = waiters_of(&mb->parent.suspend_thread);
        break;
    }
    case RT_Object_Class_MessageQueue: {
        auto *mq = reinterpret_cast<rt_mq_t>(object);
        row.first = mq->entry;
        row.waiters = waiters_of(&mq->parent.suspend_thread);
        break;
    }
    case RT_Object_Class_MemPool: {
        auto *mp = reinterpret_cast<rt_mp_t>(object);
        row.first = mp->block_size;
        row.second = mp->block_total_count;
        row.third = mp->block_free_count;
        row.waiters = waiters_of(&mp->suspend_thread);
        break;
    }
    default:
        break;
    }
    return row;
}

} // namespace

std::vector<ThreadRow> thread_rows()
{
    // What the rows need of each thread, copied under the lock; its stack is read after, as
    // reading another thread's memory and /proc may take a while. A thread that ends meanwhile
    // leaves a stack that cannot be read, never a crash (both reads go through the kernel).
    struct StackView
    {
        pid_t tid = 0;
        std::uintptr_t top = 0;
        std::uintptr_t noted_sp = 0;
        std::uintptr_t deepest_noted = 0;
        StackWatermark watermark;
    };
    std::vector<ThreadRow> rows;
    std::vector<StackView> stacks;
    {
        KernelLock lock(kernel_mutex());
        for_each_locked(RT_Object_Class_Thread, [&](rt_object *object) {
            auto *thread = reinterpret_cast<rt_thread_t>(object);
            ThreadRow row;
            row.name = name_of(object);
            row.priority = thread->current_priority;
            row.stat = thread->stat;
            row.stack_size = thread->stack_size;
            row.remaining_tick = thread->remaining_tick;
            row.error = thread->error;
            StackView view;
            view.noted_sp = reinterpret_cast<std::uintptr_t>(thread->sp);
            if (const rt_host_thread *host = thread->host)
            {
                row.stack_asked = host->stack_asked;
                view = {host->tid, host->stack_top, view.noted_sp, host->stack_deepest,
                        host->watermark};
            }
            rows.push_back(std::move(row));
            stacks.push_back(view);
        });
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
    {
        const StackView &view = stacks[i];
        ThreadRow &row = rows[i];
        std::uintptr_t end = view.top - row.stack_size;
        auto on_stack = [&](std::uintptr_t at) { return at > end && at <= view.top; };
        // The calling thread runs, here (reading /proc, it would seem blocked in that read).
        bool self = view.tid == gettid();
        std::uintptr_t sp = self ? reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0))
                            : view.tid ? blocked_stack_pointer(view.tid)
                                       : 0;
        // A thread the kernel did not start counts as running; blocked in a system call (a
        // worker in its poller, the console reading a line), it is suspended as on a board.
        if (!self && on_stack(sp) && row.stat == RT_THREAD_RUNNING)
            row.stat = RT_THREAD_SUSPEND;
        if (!on_stack(sp))
            sp = view.noted_sp;
        if (on_stack(sp))
            row.stack_depth = view.top - sp;
        std::uintptr_t deepest = view.watermark.empty() ? 0 : deepest_written(view.watermark);
        if (!on_stack(deepest))
            deepest = view.deepest_noted;
        if (on_stack(deepest))
            row.stack_peak = std::max(view.top - deepest, row.stack_depth);
        if (row.stack_size > 0)
            row.stack_peak_percent = static_cast<int>(row.stack_peak * 100 / row.stack_size);
    }
    return rows;
}

std::vector<IpcRow> ipc_rows(rt_object_class_type type)
{
    std::vector<IpcRow> rows;
    KernelLock lock(kernel_mutex());
    for_each_locked(type, [&](rt_object *object) { rows.push_back(row_of(type, object)); });
    return rows;
}

std::vector<TimerRow> timer_rows()
{
    std::vector<TimerRow> rows;
    KernelLock lock(kernel_mutex());
    for_each_locked(RT_Object_Class_Timer, [&](rt_object *object) {
        auto *timer = reinterpret_cast<rt_timer_t>(object);
        rows.push_back({name_of(object), timer->init_tick, timer->timeout_tick,
                        (timer->parent.flag & RT_TIMER_FLAG_ACTIVATED) != 0});
    });
    return rows;
}

} // namespace tcp_server::detail::rt
