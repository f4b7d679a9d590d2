// Snapshots of the kernel's objects for the shell.
// SPDX-License-Identifier: Apache-2.0
#include "rt/inspect.h"

#include "rt/kernel.h"

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
    std::vector<ThreadRow> rows;
    KernelLock lock(kernel_mutex());
    for_each_locked(RT_Object_Class_Thread, [&](rt_object *object) {
        auto *thread = reinterpret_cast<rt_thread_t>(object);
        ThreadRow row{name_of(object),        thread->current_priority,
                      thread->stat,           0,
                      thread->stack_size,     0,
                      thread->remaining_tick, thread->error};
        const rt_host_thread *host = thread->host;
        auto sp = reinterpret_cast<std::uintptr_t>(thread->sp);
        if (host && host->stack_top > sp && sp != 0)
            row.stack_depth = host->stack_top - sp;
        if (host && host->stack_top > host->stack_deepest && host->stack_deepest != 0 &&
            row.stack_size > 0)
            row.stack_peak_percent =
                static_cast<int>((host->stack_top - host->stack_deepest) * 100 / row.stack_size);
        rows.push_back(std::move(row));
    });
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
