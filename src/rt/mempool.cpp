// Memory pools: fixed-size blocks carved from one area. Each block is preceded by a pointer:
// to the next free block while it is free, to its pool while it is allocated, so rt_mp_free
// needs only the block. rt_mp_alloc waits for a block to be freed.
// SPDX-License-Identifier: Apache-2.0
#include "rt/ipc.h"

using namespace tcp_server::detail;

namespace
{

constexpr auto kClass = RT_Object_Class_MemPool;
constexpr std::size_t kHeader = sizeof(rt_uint8_t *);

rt_uint8_t *&header_of(rt_uint8_t *block)
{
    return *reinterpret_cast<rt_uint8_t **>(block - kHeader);
}

rt_err_t setup_locked(rt_mp_t mp, const char *name, void *start, rt_size_t size,
                      rt_size_t block_size, bool is_static)
{
    block_size = RT_ALIGN(block_size, RT_ALIGN_SIZE);
    rt_size_t count = size / (block_size + kHeader);
    if (count == 0)
        return -RT_EINVAL;
    if (!rt::attach_object_locked(&mp->parent, kClass, name, is_static))
        return -RT_ENOMEM;
    mp->start_address = start;
    mp->size = size;
    mp->block_size = block_size;
    mp->block_total_count = mp->block_free_count = count;
    rt_list_init(&mp->suspend_thread);
    // Chain the blocks, first block first.
    mp->block_list = nullptr;
    auto *area = static_cast<rt_uint8_t *>(start);
    for (rt_size_t i = count; i-- > 0;)
    {
        rt_uint8_t *block = area + i * (block_size + kHeader) + kHeader;
        header_of(block) = mp->block_list;
        mp->block_list = block;
    }
    return RT_EOK;
}

rt_err_t end(rt_mp_t mp, bool want_static)
{
    if (!mp)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mp, kClass) || rt::is_static(&mp->parent) != want_static)
        return -RT_EINVAL;
    rt::wake_all_locked(&mp->suspend_thread, -RT_ERROR);
    rt::detach_object_locked(&mp->parent);
    return RT_EOK;
}

} // namespace

extern "C"
{

rt_err_t rt_mp_init(struct rt_mempool *mp, const char *name, void *start, rt_size_t size,
                    rt_size_t block_size)
{
    if (!mp || !start || block_size == 0)
        return -RT_EINVAL;
    rt::KernelLock lock(rt::kernel_mutex());
    return setup_locked(mp, name, start, size, block_size, true);
}

rt_err_t rt_mp_detach(struct rt_mempool *mp)
{
    return end(mp, true);
}

rt_mp_t rt_mp_create(const char *name, rt_size_t block_count, rt_size_t block_size)
{
    if (block_count == 0 || block_size == 0)
        return RT_NULL;
    rt_size_t size = block_count * (RT_ALIGN(block_size, RT_ALIGN_SIZE) + kHeader);
    auto *mp = static_cast<rt_mp_t>(rt_calloc(1, sizeof(struct rt_mempool)));
    void *area = rt_malloc(size);
    if (mp && area)
    {
        rt::KernelLock lock(rt::kernel_mutex());
        if (setup_locked(mp, name, area, size, block_size, false) == RT_EOK)
            return mp;
    }
    rt_free(area);
    rt_free(mp);
    return RT_NULL;
}

rt_err_t rt_mp_delete(rt_mp_t mp)
{
    void *area = mp ? mp->start_address : nullptr;
    rt_err_t error = end(mp, false);
    if (error == RT_EOK)
    {
        rt_free(area);
        rt_free(mp);
    }
    return error;
}

void *rt_mp_alloc(rt_mp_t mp, rt_int32_t time)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(mp, kClass))
        return RT_NULL;
    rt_err_t error =
        rt::wait_while_locked(lock, mp, kClass, &mp->suspend_thread, RT_IPC_FLAG_FIFO, time,
                              -RT_ETIMEOUT, [mp] { return mp->block_free_count == 0; });
    if (error != RT_EOK)
        return RT_NULL;
    rt_uint8_t *block = mp->block_list;
    mp->block_list = header_of(block);
    header_of(block) = reinterpret_cast<rt_uint8_t *>(mp);
    --mp->block_free_count;
    return block;
}

void rt_mp_free(void *block)
{
    if (!block)
        return;
    auto *bytes = static_cast<rt_uint8_t *>(block);
    rt::KernelLock lock(rt::kernel_mutex());
    auto *mp = reinterpret_cast<rt_mp_t>(header_of(bytes));
    if (!rt::is_live_locked(mp, kClass))
        return; // not a block of a live pool
    header_of(bytes) = mp->block_list;
    mp->block_list = bytes;
    ++mp->block_free_count;
    if (!rt_list_isempty(&mp->suspend_thread))
        rt::wake_first_locked(&mp->suspend_thread);
}

} // extern "C"
