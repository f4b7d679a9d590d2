// Mutexes: an owner that may take it again (up to RT_MUTEX_HOLD_MAX times), threads waiting for
// it, and priority inheritance: a waiter more urgent than the owner lends it its priority until
// the owner lets go. Only the owner may release; a thread that ends passes on what it holds.
// SPDX-License-Identifier: Apache-2.0
#include "rt/ipc.h"

#include "util/thread_settings.h"

#include <algorithm>

namespace tcp_server::detail::rt
{

namespace
{

constexpr auto kClass = RT_Object_Class_Mutex;

rt_mutex_t mutex_of(rt_list_t *node)
{
    return rt_list_entry(node, struct rt_mutex, taken_list);
}

// The owner runs at the most urgent of its own priority and its mutexes' waiters'.
void update_priority_locked(rt_thread_t thread)
{
    if (!thread->host)
        return;
    rt_uint8_t priority = thread->init_priority;
    rt_list_t *held = &thread->host->taken_mutexes;
    for (rt_list_t *node = held->next; node != held; node = node->next)
    {
        rt_list_t *waiters = &mutex_of(node)->parent.suspend_thread;
        for (rt_list_t *waiter = waiters->next; waiter != waiters; waiter = waiter->next)
            priority = std::min(priority,
                                rt_list_entry(waiter, struct rt_thread, tlist)->current_priority);
    }
    if (priority == thread->current_priority)
        return;
    thread->current_priority = priority;
    if (thread->host->tid != 0)
        apply_priority(thread->host->tid, priority); // best effort: may need CAP_SYS_NICE
}

void own_locked(rt_mutex_t mutex, rt_thread_t owner)
{
    mutex->owner = owner;
    mutex->hold = 1;
    mutex->value = 0;
    mutex->original_priority = owner->init_priority;
    rt_list_insert_before(&owner->host->taken_mutexes, &mutex->taken_list);
}

// The owner lets go for good: the first waiter becomes the owner, else the mutex is free.
void hand_on_locked(rt_mutex_t mutex)
{
    rt_thread_t previous = mutex->owner;
    rt_list_remove(&mutex->taken_list);
    mutex->owner = nullptr;
    mutex->hold = 0;
    if (rt_list_isempty(&mutex->parent.suspend_thread))
        mutex->value = 1;
    else
    {
        rt_thread_t next =
            rt_list_entry(mutex->parent.suspend_thread.next, struct rt_thread, tlist);
        rt::wake_thread_locked(next, RT_EOK);
        own_locked(mutex, next);
        update_priority_locked(next);
    }
    update_priority_locked(previous);
}

rt_err_t take(rt_mutex_t mutex, rt_int32_t timeout)
{
    rt_host_thread *host = current_host();
    KernelLock lock(kernel_mutex());
    if (!is_live_locked(mutex, kClass))
        return -RT_EINVAL;
    rt_thread_t self = host ? host->object : nullptr;
    if (!self)
        return -RT_ENOMEM;
    if (mutex->owner == self)
    {
        if (mutex->hold >= RT_MUTEX_HOLD_MAX)
            return -RT_EFULL;
        ++mutex->hold;
        return RT_EOK;
    }
    if (!mutex->owner)
    {
        own_locked(mutex, self);
        return RT_EOK;
    }
    if (timeout == 0)
        return -RT_ETIMEOUT;
    if (prepare_to_wait_locked(lock) != self)
        return -RT_ERROR;
    if (!is_live_locked(mutex, kClass))
        return -RT_ERROR;
    if (!mutex->owner)
    {
        own_locked(mutex, self);
        return RT_EOK;
    }
    // A more urgent waiter lends the owner its priority while it waits.
    rt_thread_t owner = mutex->owner;
    if (self->current_priority < owner->current_priority)
    {
        owner->current_priority = self->current_priority;
        if (owner->host && owner->host->tid != 0)
            apply_priority(owner->host->tid, owner->current_priority);
    }
    rt_err_t result = wait_in_kernel(lock, self, &mutex->parent.suspend_thread,
                                     mutex->parent.parent.flag, timeout);
    // On success the releaser made this thread the owner. Otherwise the owner, if the mutex
    // still exists, no longer needs this thread's priority.
    if (result != RT_EOK && is_live_locked(mutex, kClass) && mutex->owner)
        update_priority_locked(mutex->owner);
    return result;
}

rt_err_t end(rt_mutex_t mutex, bool want_static)
{
    if (!mutex)
        return -RT_EINVAL;
    KernelLock lock(kernel_mutex());
    if (!is_live_locked(mutex, kClass) || is_static(&mutex->parent.parent) != want_static)
        return -RT_EINVAL;
    rt_thread_t owner = mutex->owner;
    if (owner)
    {
        rt_list_remove(&mutex->taken_list);
        mutex->owner = nullptr;
    }
    rt_err_t error = end_ipc_locked(&mutex->parent, kClass, want_static);
    if (owner)
        update_priority_locked(owner);
    return error;
}

} // namespace

void release_mutexes_locked(rt_host_thread *host)
{
    while (!rt_list_isempty(&host->taken_mutexes))
        hand_on_locked(mutex_of(host->taken_mutexes.next));
}

} // namespace tcp_server::detail::rt

using namespace tcp_server::detail;

extern "C"
{

rt_err_t rt_mutex_init(rt_mutex_t mutex, const char *name, rt_uint8_t flag)
{
    if (!mutex || !rt::valid_ipc_flag(flag))
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    rt_err_t error = rt::attach_ipc_locked(&mutex->parent, rt::kClass, name, flag, true);
    mutex->value = 1;
    mutex->hold = 0;
    mutex->owner = RT_NULL;
    mutex->original_priority = 0xff;
    rt_list_init(&mutex->taken_list);
    return error;
}

rt_err_t rt_mutex_detach(rt_mutex_t mutex)
{
    return rt::end(mutex, true);
}

rt_mutex_t rt_mutex_create(const char *name, rt_uint8_t flag)
{
    if (!rt::valid_ipc_flag(flag))
        return RT_NULL;
    return rt::create_object<struct rt_mutex>([&](rt_mutex_t mutex) {
        mutex->value = 1;
        mutex->original_priority = 0xff;
        rt_list_init(&mutex->taken_list);
        return rt::attach_ipc_locked(&mutex->parent, rt::kClass, name, flag, false) == RT_EOK;
    });
}

rt_err_t rt_mutex_delete(rt_mutex_t mutex)
{
    rt_err_t error = rt::end(mutex, false);
    if (error == RT_EOK)
        rt_free(mutex);
    return error;
}

rt_err_t rt_mutex_take(rt_mutex_t mutex, rt_int32_t timeout)
{
    return rt::take(mutex, timeout);
}

rt_err_t rt_mutex_trytake(rt_mutex_t mutex)
{
    return rt::take(mutex, RT_WAITING_NO);
}

rt_err_t rt_mutex_take_interruptible(rt_mutex_t mutex, rt_int32_t time)
{
    return rt::take(mutex, time);
}

rt_err_t rt_mutex_take_killable(rt_mutex_t mutex, rt_int32_t time)
{
    return rt::take(mutex, time);
}

rt_err_t rt_mutex_release(rt_mutex_t mutex)
{
    rt_host_thread *host = rt::current_host();
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mutex, rt::kClass))
        return -RT_EINVAL;
    if (!host || !host->object || mutex->owner != host->object)
        return -RT_ERROR; // only the owner may release it
    if (--mutex->hold == 0)
        rt::hand_on_locked(mutex);
    return RT_EOK;
}

rt_err_t rt_mutex_control(rt_mutex_t mutex, int, void *)
{
    rt::KernelLock lock(rt::kernel_mutex());
    return rt::is_live_locked(mutex, rt::kClass) ? -RT_ERROR : -RT_EINVAL;
}

} // extern "C"
