// Message queues: fixed-size slots in a pool (a struct rt_mq_message header, then the message),
// a free list and a FIFO of queued messages. rt_mq_urgent queues at the front; a full queue
// makes rt_mq_send fail with -RT_EFULL and rt_mq_send_wait wait.
// SPDX-License-Identifier: Apache-2.0
#include "rt/ipc.h"

#include <algorithm>
#include <cstring>

using namespace tcp_server::detail;

namespace
{

constexpr auto kClass = RT_Object_Class_MessageQueue;

std::size_t slot_size(rt_size_t msg_size)
{
    return RT_ALIGN(msg_size, RT_ALIGN_SIZE) + sizeof(struct rt_mq_message);
}

char *body(rt_mq_message *message)
{
    return reinterpret_cast<char *>(message + 1);
}

void setup(rt_mq_t mq, void *pool, rt_size_t msg_size, rt_size_t max_msgs)
{
    mq->msg_pool = pool;
    mq->msg_size = static_cast<rt_uint16_t>(msg_size);
    mq->max_msgs = static_cast<rt_uint16_t>(max_msgs);
    mq->entry = 0;
    mq->msg_queue_head = mq->msg_queue_tail = nullptr;
    mq->msg_queue_free = nullptr;
    for (rt_size_t i = 0; i < max_msgs; ++i)
    {
        auto *message =
            reinterpret_cast<rt_mq_message *>(static_cast<char *>(pool) + i * slot_size(msg_size));
        message->next = static_cast<rt_mq_message *>(mq->msg_queue_free);
        mq->msg_queue_free = message;
    }
    rt_list_init(&mq->suspend_sender_thread);
}

// Takes a free slot and fills it; the queue must have one. Kernel lock.
rt_mq_message *fill_free_slot(rt_mq_t mq, const void *buffer, rt_size_t size)
{
    auto *message = static_cast<rt_mq_message *>(mq->msg_queue_free);
    mq->msg_queue_free = message->next;
    message->next = nullptr;
    message->length = static_cast<rt_ssize_t>(size);
    std::memcpy(body(message), buffer, size);
    return message;
}

void queued(rt_mq_t mq)
{
    ++mq->entry;
    if (!rt_list_isempty(&mq->parent.suspend_thread))
        rt::wake_first_locked(&mq->parent.suspend_thread);
}

rt_err_t send(rt_mq_t mq, const void *buffer, rt_size_t size, rt_int32_t timeout)
{
    if (!buffer || size == 0)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mq, kClass))
        return -RT_EINVAL;
    if (size > mq->msg_size)
        return -RT_ERROR;
    rt_err_t error =
        rt::wait_while_locked(lock, mq, kClass, &mq->suspend_sender_thread, mq->parent.parent.flag,
                              timeout, -RT_EFULL, [mq] { return mq->msg_queue_free == nullptr; });
    if (error != RT_EOK)
        return error;
    rt_mq_message *message = fill_free_slot(mq, buffer, size);
    if (mq->msg_queue_tail)
        static_cast<rt_mq_message *>(mq->msg_queue_tail)->next = message;
    mq->msg_queue_tail = message;
    if (!mq->msg_queue_head)
        mq->msg_queue_head = message;
    queued(mq);
    return RT_EOK;
}

rt_ssize_t receive(rt_mq_t mq, void *buffer, rt_size_t size, rt_int32_t timeout)
{
    if (!buffer || size == 0)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mq, kClass))
        return -RT_EINVAL;
    rt_err_t error =
        rt::wait_while_locked(lock, mq, kClass, &mq->parent.suspend_thread, mq->parent.parent.flag,
                              timeout, -RT_ETIMEOUT, [mq] { return mq->entry == 0; });
    if (error != RT_EOK)
        return error;
    auto *message = static_cast<rt_mq_message *>(mq->msg_queue_head);
    mq->msg_queue_head = message->next;
    if (mq->msg_queue_tail == message)
        mq->msg_queue_tail = nullptr;
    --mq->entry;
    // A message longer than the buffer is cut to fit rather than written past it.
    auto length = std::min<rt_size_t>(static_cast<rt_size_t>(message->length), size);
    std::memcpy(buffer, body(message), length);
    message->next = static_cast<rt_mq_message *>(mq->msg_queue_free);
    mq->msg_queue_free = message;
    if (!rt_list_isempty(&mq->suspend_sender_thread))
        rt::wake_first_locked(&mq->suspend_sender_thread);
#if RT_VER_NUM < 0x50000
    return RT_EOK;
#else
    return static_cast<rt_ssize_t>(length);
#endif
}

rt_err_t end(rt_mq_t mq, bool want_static, void *&pool)
{
    if (!mq)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mq, kClass))
        return -RT_EINVAL;
    if (rt::is_static(&mq->parent.parent) == want_static)
        rt::wake_all_locked(&mq->suspend_sender_thread, -RT_ERROR);
    pool = mq->msg_pool;
    return rt::end_ipc_locked(&mq->parent, kClass, want_static);
}

bool valid_sizes(rt_size_t msg_size, rt_size_t max_msgs)
{
    return msg_size > 0 && msg_size <= RT_UINT16_MAX && max_msgs > 0 && max_msgs <= RT_MQ_ENTRY_MAX;
}

} // namespace

extern "C"
{

rt_err_t rt_mq_init(rt_mq_t mq, const char *name, void *msgpool, rt_size_t msg_size,
                    rt_size_t pool_size, rt_uint8_t flag)
{
    if (!mq || !msgpool || msg_size == 0 || !rt::valid_ipc_flag(flag))
        return -RT_EINVAL;
    rt_size_t max_msgs = pool_size / slot_size(msg_size);
    if (!valid_sizes(msg_size, max_msgs))
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    setup(mq, msgpool, msg_size, max_msgs);
    return rt::attach_ipc_locked(&mq->parent, kClass, name, flag, true);
}

rt_err_t rt_mq_detach(rt_mq_t mq)
{
    void *pool;
    return end(mq, true, pool);
}

rt_mq_t rt_mq_create(const char *name, rt_size_t msg_size, rt_size_t max_msgs, rt_uint8_t flag)
{
    if (!valid_sizes(msg_size, max_msgs) || !rt::valid_ipc_flag(flag))
        return RT_NULL;
    auto *mq = static_cast<rt_mq_t>(rt_calloc(1, sizeof(struct rt_messagequeue)));
    void *pool = rt_malloc(slot_size(msg_size) * max_msgs);
    if (mq && pool)
    {
        rt::KernelLock lock(rt::kernel_mutex());
        setup(mq, pool, msg_size, max_msgs);
        if (rt::attach_ipc_locked(&mq->parent, kClass, name, flag, false) == RT_EOK)
            return mq;
    }
    rt_free(pool);
    rt_free(mq);
    return RT_NULL;
}

rt_err_t rt_mq_delete(rt_mq_t mq)
{
    void *pool = nullptr;
    rt_err_t error = end(mq, false, pool);
    if (error == RT_EOK)
    {
        rt_free(pool);
        rt_free(mq);
    }
    return error;
}

rt_err_t rt_mq_send(rt_mq_t mq, const void *buffer, rt_size_t size)
{
    return send(mq, buffer, size, RT_WAITING_NO);
}

rt_err_t rt_mq_send_interrupt(rt_mq_t mq, const void *buffer, rt_size_t size)
{
    return send(mq, buffer, size, RT_WAITING_NO);
}

rt_err_t rt_mq_send_killable(rt_mq_t mq, const void *buffer, rt_size_t size)
{
    return send(mq, buffer, size, RT_WAITING_NO);
}

rt_err_t rt_mq_send_wait(rt_mq_t mq, const void *buffer, rt_size_t size, rt_int32_t timeout)
{
    return send(mq, buffer, size, timeout);
}

rt_err_t rt_mq_send_wait_interruptible(rt_mq_t mq, const void *buffer, rt_size_t size,
                                       rt_int32_t timeout)
{
    return send(mq, buffer, size, timeout);
}

rt_err_t rt_mq_send_wait_killable(rt_mq_t mq, const void *buffer, rt_size_t size,
                                  rt_int32_t timeout)
{
    return send(mq, buffer, size, timeout);
}

rt_err_t rt_mq_urgent(rt_mq_t mq, const void *buffer, rt_size_t size)
{
    if (!buffer || size == 0)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mq, kClass))
        return -RT_EINVAL;
    if (size > mq->msg_size)
        return -RT_ERROR;
    if (!mq->msg_queue_free)
        return -RT_EFULL;
    rt_mq_message *message = fill_free_slot(mq, buffer, size);
    message->next = static_cast<rt_mq_message *>(mq->msg_queue_head);
    mq->msg_queue_head = message;
    if (!mq->msg_queue_tail)
        mq->msg_queue_tail = message;
    queued(mq);
    return RT_EOK;
}

rt_ssize_t rt_mq_recv(rt_mq_t mq, void *buffer, rt_size_t size, rt_int32_t timeout)
{
    return receive(mq, buffer, size, timeout);
}

rt_ssize_t rt_mq_recv_interruptible(rt_mq_t mq, void *buffer, rt_size_t size, rt_int32_t timeout)
{
    return receive(mq, buffer, size, timeout);
}

rt_ssize_t rt_mq_recv_killable(rt_mq_t mq, void *buffer, rt_size_t size, rt_int32_t timeout)
{
    return receive(mq, buffer, size, timeout);
}

rt_err_t rt_mq_control(rt_mq_t mq, int cmd, void *)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mq, kClass))
        return -RT_EINVAL;
    if (cmd != RT_IPC_CMD_RESET)
        return -RT_ERROR;
    rt::wake_all_locked(&mq->parent.suspend_thread, -RT_ERROR);
    rt::wake_all_locked(&mq->suspend_sender_thread, -RT_ERROR);
    setup(mq, mq->msg_pool, mq->msg_size, mq->max_msgs);
    return RT_EOK;
}

} // extern "C"
