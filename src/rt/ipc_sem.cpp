// Semaphores: a count, and threads waiting for it. A release with waiters hands the count to
// the first of them (FIFO or priority order) instead of raising it, as RT-Thread does.
// SPDX-License-Identifier: Apache-2.0
#include "rt/ipc.h"

using namespace tcp_server::detail;

namespace
{

constexpr auto kClass = RT_Object_Class_Semaphore;

rt_err_t take(rt_sem_t sem, rt_int32_t timeout)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(sem, kClass))
        return -RT_EINVAL;
    if (sem->value > 0)
    {
        --sem->value;
        return RT_EOK;
    }
    if (timeout == 0)
        return -RT_ETIMEOUT;
    rt_thread_t self = rt::prepare_to_wait_locked(lock);
    if (!self)
        return -RT_ENOMEM;
    if (!rt::is_live_locked(sem, kClass))
        return -RT_ERROR; // deleted while this thread was suspended
    if (sem->value > 0)
    {
        --sem->value;
        return RT_EOK;
    }
    return rt::wait_in_kernel(lock, self, &sem->parent.suspend_thread, sem->parent.parent.flag,
                              timeout);
}

} // namespace

extern "C"
{

rt_err_t rt_sem_init(rt_sem_t sem, const char *name, rt_uint32_t value, rt_uint8_t flag)
{
    if (!sem || value > RT_SEM_VALUE_MAX || !rt::valid_ipc_flag(flag))
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    rt_err_t error = rt::attach_ipc_locked(&sem->parent, kClass, name, flag, true);
    sem->value = static_cast<rt_uint16_t>(value);
    sem->reserved = 0;
    return error;
}

rt_err_t rt_sem_detach(rt_sem_t sem)
{
    if (!sem)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    return rt::end_ipc_locked(&sem->parent, kClass, true);
}

rt_sem_t rt_sem_create(const char *name, rt_uint32_t value, rt_uint8_t flag)
{
    if (value > RT_SEM_VALUE_MAX || !rt::valid_ipc_flag(flag))
        return RT_NULL;
    return rt::create_object<struct rt_semaphore>([&](rt_sem_t sem) {
        sem->value = static_cast<rt_uint16_t>(value);
        return rt::attach_ipc_locked(&sem->parent, kClass, name, flag, false) == RT_EOK;
    });
}

rt_err_t rt_sem_delete(rt_sem_t sem)
{
    if (!sem)
        return -RT_EINVAL;
    {
        rt::KernelLock lock(rt::kernel_mutex());
        rt_err_t error = rt::end_ipc_locked(&sem->parent, kClass, false);
        if (error != RT_EOK)
            return error;
    }
    rt_free(sem);
    return RT_EOK;
}

rt_err_t rt_sem_take(rt_sem_t sem, rt_int32_t timeout)
{
    return take(sem, timeout);
}

rt_err_t rt_sem_take_interruptible(rt_sem_t sem, rt_int32_t timeout)
{
    return take(sem, timeout);
}

rt_err_t rt_sem_take_killable(rt_sem_t sem, rt_int32_t timeout)
{
    return take(sem, timeout);
}

rt_err_t rt_sem_trytake(rt_sem_t sem)
{
    return take(sem, RT_WAITING_NO);
}

rt_err_t rt_sem_release(rt_sem_t sem)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(sem, kClass))
        return -RT_EINVAL;
    if (!rt_list_isempty(&sem->parent.suspend_thread))
    {
        rt::wake_first_locked(&sem->parent.suspend_thread);
        return RT_EOK;
    }
    if (sem->value >= RT_SEM_VALUE_MAX)
        return -RT_EFULL;
    ++sem->value;
    return RT_EOK;
}

rt_err_t rt_sem_control(rt_sem_t sem, int cmd, void *arg)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(sem, kClass))
        return -RT_EINVAL;
    if (cmd != RT_IPC_CMD_RESET)
        return -RT_ERROR;
    auto value = reinterpret_cast<rt_ubase_t>(arg);
    if (value > RT_SEM_VALUE_MAX)
        return -RT_EINVAL;
    // The waiters are told the semaphore is gone as they knew it.
    rt::wake_all_locked(&sem->parent.suspend_thread, -RT_ERROR);
    sem->value = static_cast<rt_uint16_t>(value);
    return RT_EOK;
}

} // extern "C"
