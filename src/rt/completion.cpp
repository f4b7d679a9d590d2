// Completions (rtdevice.h): one thread waits until another says "done"; a done that comes
// first is kept for the next wait. The state word holds the waiting thread, or the done flag,
// under the kernel's lock; a second waiter is refused (-RT_EBUSY) where a board asserts.
// SPDX-License-Identifier: Apache-2.0
#include "rt/ipc.h"

#include <rtdevice.h>

#include <cstdint>

using namespace tcp_server::detail;

namespace
{

constexpr rt_base_t kDone = 1;

rt_thread_t waiter_of(const rt_completion *completion)
{
    return reinterpret_cast<rt_thread_t>(completion->susp_thread_n_flag & ~kDone);
}

} // namespace

extern "C"
{

void rt_completion_init(struct rt_completion *completion)
{
    if (!completion)
        return;
    rt::KernelLock lock(rt::kernel_mutex());
    completion->susp_thread_n_flag = 0;
}

rt_err_t rt_completion_wait(struct rt_completion *completion, rt_int32_t timeout)
{
    if (!completion)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (completion->susp_thread_n_flag == kDone)
    {
        completion->susp_thread_n_flag = 0; // taken
        return RT_EOK;
    }
    if (timeout == 0)
        return -RT_ETIMEOUT;
    rt_thread_t self = rt::prepare_to_wait_locked(lock);
    if (!self)
        return -RT_ENOMEM;
    if (completion->susp_thread_n_flag == kDone) // done while the lock was let go
    {
        completion->susp_thread_n_flag = 0;
        return RT_EOK;
    }
    if (waiter_of(completion))
        return -RT_EBUSY; // one waiter at a time
    completion->susp_thread_n_flag = reinterpret_cast<rt_base_t>(self);
    rt_err_t result = rt::wait_in_kernel(lock, self, nullptr, RT_IPC_FLAG_FIFO, timeout);
    if (waiter_of(completion) == self)
        completion->susp_thread_n_flag = 0; // timed out: no longer waiting
    return result;
}

rt_err_t rt_completion_wait_noisr(struct rt_completion *completion, rt_int32_t timeout)
{
    return rt_completion_wait(completion, timeout);
}

void rt_completion_done(struct rt_completion *completion)
{
    if (!completion)
        return;
    rt::KernelLock lock(rt::kernel_mutex());
    rt_thread_t waiter = waiter_of(completion);
    // A waiter deleted meanwhile is no longer a live thread: the done is kept instead.
    if (waiter && rt::is_live_locked(waiter, RT_Object_Class_Thread))
    {
        completion->susp_thread_n_flag = 0;
        rt::wake_thread_locked(waiter, RT_EOK);
        return;
    }
    completion->susp_thread_n_flag = kDone;
}

} // extern "C"
