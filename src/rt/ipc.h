// What the IPC objects share: checking flags, entering and leaving the object container, and
// waking the waiters of an object that ends.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "rt/kernel.h"

namespace tcp_server::detail::rt
{

inline bool valid_ipc_flag(rt_uint8_t flag)
{
    return flag == RT_IPC_FLAG_FIFO || flag == RT_IPC_FLAG_PRIO;
}

/** Puts an IPC object in the container with an empty wait queue. Kernel lock. */
inline rt_err_t attach_ipc_locked(rt_ipc_object *ipc, rt_object_class_type type, const char *name,
                                  rt_uint8_t flag, bool is_static)
{
    if (!attach_object_locked(&ipc->parent, type, name, is_static))
        return -RT_ENOMEM;
    ipc->parent.flag = flag;
    rt_list_init(&ipc->suspend_thread);
    return RT_EOK;
}

/**
 * Ends a live IPC object of class `type` made by _init (`want_static`) or _create: its waiters
 * wake with -RT_ERROR and it leaves the container. -RT_EINVAL for anything else. Kernel lock.
 */
inline rt_err_t end_ipc_locked(rt_ipc_object *ipc, rt_object_class_type type, bool want_static)
{
    if (!is_live_locked(ipc, type) || is_static(&ipc->parent) != want_static)
        return -RT_EINVAL;
    wake_all_locked(&ipc->suspend_thread, -RT_ERROR);
    detach_object_locked(&ipc->parent);
    return RT_EOK;
}

/**
 * The calling thread, ready to wait: its pending suspend or delete requests honoured first.
 * Null when the thread has no object (out of memory). Kernel lock, which it may release and
 * take again: check the object again afterwards.
 */
inline rt_thread_t prepare_to_wait_locked(KernelLock &lock)
{
    rt_host_thread *host = current_host_if_any();
    if (!host)
    {
        lock.unlock();
        host = current_host();
        lock.lock();
    }
    if (!host || !host->object)
        return nullptr;
    enter_waiting_call_locked(lock, host->object);
    return host->object;
}

/**
 * Waits in `queue` while `blocked()` holds: a mailbox or queue that is full or empty, a pool
 * with no block. The time already waited counts against `timeout`, so a thread woken only to
 * find another took the room waits for the rest. Returns RT_EOK once !blocked(); `no_time`
 * when it is still blocked and no time is left (RT-Thread's -RT_EFULL for a full mailbox, and
 * -RT_ETIMEOUT for the others); else what the wait returned. Kernel lock.
 */
template <typename Blocked>
rt_err_t wait_while_locked(KernelLock &lock, const void *object, rt_object_class_type type,
                           rt_list_t *queue, rt_uint8_t flag, rt_int32_t timeout, rt_err_t no_time,
                           Blocked blocked)
{
    while (blocked())
    {
        if (timeout == 0)
            return no_time;
        rt_thread_t self = prepare_to_wait_locked(lock);
        if (!self)
            return -RT_ENOMEM;
        if (!is_live_locked(object, type))
            return -RT_ERROR;
        if (!blocked())
            break;
        rt_tick_t started = rt_tick_get();
        rt_err_t result = wait_in_kernel(lock, self, queue, flag, timeout);
        if (result != RT_EOK)
            return result;
        if (timeout > 0)
        {
            auto waited = static_cast<rt_int32_t>(rt_tick_get() - started);
            timeout = waited >= timeout ? 0 : timeout - waited;
        }
    }
    return RT_EOK;
}

} // namespace tcp_server::detail::rt
