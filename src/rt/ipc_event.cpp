// Events: 32 flags. A receiver asks for a set of them, all (AND) or any (OR); a send wakes every
// waiter whose condition now holds, tells each the flags it got, and clears the flags those with
// RT_EVENT_FLAG_CLEAR asked for once all of them have been served, as RT-Thread does.
// SPDX-License-Identifier: Apache-2.0
#include "rt/ipc.h"

using namespace tcp_server::detail;

namespace
{

constexpr auto kClass = RT_Object_Class_Event;

bool valid_option(rt_uint8_t option)
{
    bool and_flag = option & RT_EVENT_FLAG_AND;
    bool or_flag = option & RT_EVENT_FLAG_OR;
    return and_flag != or_flag &&
           (option & ~(RT_EVENT_FLAG_AND | RT_EVENT_FLAG_OR | RT_EVENT_FLAG_CLEAR)) == 0;
}

// The flags of `set` that satisfy a wait for `wanted` with `option`, or 0.
rt_uint32_t matched(rt_uint32_t set, rt_uint32_t wanted, rt_uint8_t option)
{
    if (option & RT_EVENT_FLAG_AND)
        return (set & wanted) == wanted ? wanted : 0;
    return set & wanted;
}

rt_err_t receive(rt_event_t event, rt_uint32_t set, rt_uint8_t option, rt_int32_t timeout,
                 rt_uint32_t *received)
{
    if (set == 0 || !valid_option(option))
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(event, kClass))
        return -RT_EINVAL;
    rt_uint32_t got = matched(event->set, set, option);
    if (got == 0 && timeout != 0)
    {
        rt_thread_t self = rt::prepare_to_wait_locked(lock);
        if (!self)
            return -RT_ENOMEM;
        if (!rt::is_live_locked(event, kClass))
            return -RT_ERROR;
        got = matched(event->set, set, option);
        if (got == 0)
        {
            self->event_set = set;
            self->event_info = option;
            rt_err_t result = rt::wait_in_kernel(lock, self, &event->parent.suspend_thread,
                                                 event->parent.parent.flag, timeout);
            if (result != RT_EOK)
                return result;
            // The sender chose the flags and cleared them if asked.
            if (received)
                *received = self->event_set;
            return RT_EOK;
        }
    }
    if (got == 0)
        return -RT_ETIMEOUT;
    if (option & RT_EVENT_FLAG_CLEAR)
        event->set &= ~got;
    if (received)
        *received = got;
    return RT_EOK;
}

rt_err_t end(rt_event_t event, bool want_static)
{
    if (!event)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    return rt::end_ipc_locked(&event->parent, kClass, want_static);
}

} // namespace

extern "C"
{

rt_err_t rt_event_init(rt_event_t event, const char *name, rt_uint8_t flag)
{
    if (!event || !rt::valid_ipc_flag(flag))
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    event->set = 0;
    return rt::attach_ipc_locked(&event->parent, kClass, name, flag, true);
}

rt_err_t rt_event_detach(rt_event_t event)
{
    return end(event, true);
}

rt_event_t rt_event_create(const char *name, rt_uint8_t flag)
{
    if (!rt::valid_ipc_flag(flag))
        return RT_NULL;
    return rt::create_object<struct rt_event>([&](rt_event_t event) {
        return rt::attach_ipc_locked(&event->parent, kClass, name, flag, false) == RT_EOK;
    });
}

rt_err_t rt_event_delete(rt_event_t event)
{
    rt_err_t error = end(event, false);
    if (error == RT_EOK)
        rt_free(event);
    return error;
}

rt_err_t rt_event_send(rt_event_t event, rt_uint32_t set)
{
    if (set == 0)
        return -RT_ERROR;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(event, kClass))
        return -RT_EINVAL;
    event->set |= set;
    rt_uint32_t to_clear = 0;
    rt_list_t *queue = &event->parent.suspend_thread;
    rt_list_t *node = queue->next;
    while (node != queue)
    {
        rt_thread_t waiter = rt_list_entry(node, struct rt_thread, tlist);
        node = node->next; // waking takes the waiter out of the queue
        rt_uint32_t got = matched(event->set, waiter->event_set, waiter->event_info);
        if (got == 0)
            continue;
        waiter->event_set = got;
        if (waiter->event_info & RT_EVENT_FLAG_CLEAR)
            to_clear |= got;
        rt::wake_thread_locked(waiter, RT_EOK);
    }
    event->set &= ~to_clear;
    return RT_EOK;
}

rt_err_t rt_event_recv(rt_event_t event, rt_uint32_t set, rt_uint8_t opt, rt_int32_t timeout,
                       rt_uint32_t *recved)
{
    return receive(event, set, opt, timeout, recved);
}

rt_err_t rt_event_recv_interruptible(rt_event_t event, rt_uint32_t set, rt_uint8_t opt,
                                     rt_int32_t timeout, rt_uint32_t *recved)
{
    return receive(event, set, opt, timeout, recved);
}

rt_err_t rt_event_recv_killable(rt_event_t event, rt_uint32_t set, rt_uint8_t opt,
                                rt_int32_t timeout, rt_uint32_t *recved)
{
    return receive(event, set, opt, timeout, recved);
}

rt_err_t rt_event_control(rt_event_t event, int cmd, void *)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(event, kClass))
        return -RT_EINVAL;
    if (cmd != RT_IPC_CMD_RESET)
        return -RT_ERROR;
    rt::wake_all_locked(&event->parent.suspend_thread, -RT_ERROR);
    event->set = 0;
    return RT_EOK;
}

} // extern "C"
