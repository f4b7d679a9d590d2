// Mailboxes: a ring of rt_ubase_t mails with waiting receivers and, when it is full, waiting
// senders. rt_mb_send never waits (-RT_EFULL); rt_mb_urgent puts a mail in front.
// SPDX-License-Identifier: Apache-2.0
#include "rt/ipc.h"

using namespace tcp_server::detail;

namespace
{

constexpr auto kClass = RT_Object_Class_MailBox;

void setup(rt_mailbox_t mb, rt_ubase_t *pool, rt_size_t size)
{
    mb->msg_pool = pool;
    mb->size = static_cast<rt_uint16_t>(size);
    mb->entry = mb->in_offset = mb->out_offset = 0;
    rt_list_init(&mb->suspend_sender_thread);
}

rt_err_t send(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mb, kClass))
        return -RT_EINVAL;
    rt_err_t error =
        rt::wait_while_locked(lock, mb, kClass, &mb->suspend_sender_thread, mb->parent.parent.flag,
                              timeout, -RT_EFULL, [mb] { return mb->entry == mb->size; });
    if (error != RT_EOK)
        return error;
    mb->msg_pool[mb->in_offset] = value;
    mb->in_offset = static_cast<rt_uint16_t>((mb->in_offset + 1) % mb->size);
    ++mb->entry;
    if (!rt_list_isempty(&mb->parent.suspend_thread))
        rt::wake_first_locked(&mb->parent.suspend_thread);
    return RT_EOK;
}

rt_err_t receive(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mb, kClass))
        return -RT_EINVAL;
    rt_err_t error =
        rt::wait_while_locked(lock, mb, kClass, &mb->parent.suspend_thread, mb->parent.parent.flag,
                              timeout, -RT_ETIMEOUT, [mb] { return mb->entry == 0; });
    if (error != RT_EOK)
        return error;
    rt_ubase_t mail = mb->msg_pool[mb->out_offset];
    mb->out_offset = static_cast<rt_uint16_t>((mb->out_offset + 1) % mb->size);
    --mb->entry;
    if (value)
        *value = mail;
    if (!rt_list_isempty(&mb->suspend_sender_thread))
        rt::wake_first_locked(&mb->suspend_sender_thread);
    return RT_EOK;
}

// Ends the mailbox; its pool is returned for _delete to free.
rt_err_t end(rt_mailbox_t mb, bool want_static, rt_ubase_t *&pool)
{
    if (!mb)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mb, kClass))
        return -RT_EINVAL;
    if (rt::is_static(&mb->parent.parent) == want_static)
        rt::wake_all_locked(&mb->suspend_sender_thread, -RT_ERROR);
    pool = mb->msg_pool;
    return rt::end_ipc_locked(&mb->parent, kClass, want_static);
}

} // namespace

extern "C"
{

rt_err_t rt_mb_init(rt_mailbox_t mb, const char *name, void *msgpool, rt_size_t size,
                    rt_uint8_t flag)
{
    if (!mb || !msgpool || size == 0 || size > RT_MB_ENTRY_MAX || !rt::valid_ipc_flag(flag))
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    setup(mb, static_cast<rt_ubase_t *>(msgpool), size);
    return rt::attach_ipc_locked(&mb->parent, kClass, name, flag, true);
}

rt_err_t rt_mb_detach(rt_mailbox_t mb)
{
    rt_ubase_t *pool;
    return end(mb, true, pool);
}

rt_mailbox_t rt_mb_create(const char *name, rt_size_t size, rt_uint8_t flag)
{
    if (size == 0 || size > RT_MB_ENTRY_MAX || !rt::valid_ipc_flag(flag))
        return RT_NULL;
    auto *mb = static_cast<rt_mailbox_t>(rt_calloc(1, sizeof(struct rt_mailbox)));
    auto *pool = static_cast<rt_ubase_t *>(rt_calloc(size, sizeof(rt_ubase_t)));
    if (mb && pool)
    {
        rt::KernelLock lock(rt::kernel_mutex());
        setup(mb, pool, size);
        if (rt::attach_ipc_locked(&mb->parent, kClass, name, flag, false) == RT_EOK)
            return mb;
    }
    rt_free(pool);
    rt_free(mb);
    return RT_NULL;
}

rt_err_t rt_mb_delete(rt_mailbox_t mb)
{
    rt_ubase_t *pool = nullptr;
    rt_err_t error = end(mb, false, pool);
    if (error == RT_EOK)
    {
        rt_free(pool);
        rt_free(mb);
    }
    return error;
}

rt_err_t rt_mb_send(rt_mailbox_t mb, rt_ubase_t value)
{
    return send(mb, value, RT_WAITING_NO);
}

rt_err_t rt_mb_send_interruptible(rt_mailbox_t mb, rt_ubase_t value)
{
    return send(mb, value, RT_WAITING_NO);
}

rt_err_t rt_mb_send_killable(rt_mailbox_t mb, rt_ubase_t value)
{
    return send(mb, value, RT_WAITING_NO);
}

rt_err_t rt_mb_send_wait(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout)
{
    return send(mb, value, timeout);
}

rt_err_t rt_mb_send_wait_interruptible(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout)
{
    return send(mb, value, timeout);
}

rt_err_t rt_mb_send_wait_killable(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout)
{
    return send(mb, value, timeout);
}

rt_err_t rt_mb_urgent(rt_mailbox_t mb, rt_ubase_t value)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mb, kClass))
        return -RT_EINVAL;
    if (mb->entry == mb->size)
        return -RT_EFULL;
    mb->out_offset =
        static_cast<rt_uint16_t>(mb->out_offset == 0 ? mb->size - 1 : mb->out_offset - 1);
    mb->msg_pool[mb->out_offset] = value;
    ++mb->entry;
    if (!rt_list_isempty(&mb->parent.suspend_thread))
        rt::wake_first_locked(&mb->parent.suspend_thread);
    return RT_EOK;
}

rt_err_t rt_mb_recv(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout)
{
    return receive(mb, value, timeout);
}

rt_err_t rt_mb_recv_interruptible(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout)
{
    return receive(mb, value, timeout);
}

rt_err_t rt_mb_recv_killable(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout)
{
    return receive(mb, value, timeout);
}

rt_err_t rt_mb_control(rt_mailbox_t mb, int cmd, void *)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mb, kClass))
        return -RT_EINVAL;
    if (cmd != RT_IPC_CMD_RESET)
        return -RT_ERROR;
    rt::wake_all_locked(&mb->parent.suspend_thread, -RT_ERROR);
    rt::wake_all_locked(&mb->suspend_sender_thread, -RT_ERROR);
    mb->entry = mb->in_offset = mb->out_offset = 0;
    return RT_EOK;
}

} // extern "C"
