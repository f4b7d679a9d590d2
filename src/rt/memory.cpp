// The heap: the C library's malloc, with what goes through rt_malloc and friends counted, so the
// shell's free command shows what the application holds and the most it ever held.
// SPDX-License-Identifier: Apache-2.0
#include <rtthread.h>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

namespace
{

std::atomic<rt_size_t> in_use{0};
std::atomic<rt_size_t> peak{0};

void gained(void *block)
{
    if (!block)
        return;
    rt_size_t now = in_use.fetch_add(malloc_usable_size(block)) + malloc_usable_size(block);
    rt_size_t highest = peak.load();
    while (now > highest && !peak.compare_exchange_weak(highest, now))
    {
    }
}

void lost(void *block)
{
    if (!block)
        return;
    // Memory from plain malloc may be given back here too: never count below zero.
    rt_size_t size = malloc_usable_size(block);
    rt_size_t current = in_use.load();
    while (!in_use.compare_exchange_weak(current, current > size ? current - size : 0))
    {
    }
}

} // namespace

extern "C"
{

void *rt_malloc(rt_size_t size)
{
    void *block = std::malloc(size);
    gained(block);
    return block;
}

void rt_free(void *ptr)
{
    lost(ptr);
    std::free(ptr);
}

void *rt_realloc(void *ptr, rt_size_t newsize)
{
    rt_size_t before = ptr ? malloc_usable_size(ptr) : 0;
    void *block = std::realloc(ptr, newsize);
    if (!block && newsize != 0)
        return nullptr; // the old block stays, and stays counted
    rt_size_t current = in_use.load();
    while (!in_use.compare_exchange_weak(current, current > before ? current - before : 0))
    {
    }
    gained(block);
    return block;
}

void *rt_calloc(rt_size_t count, rt_size_t size)
{
    void *block = std::calloc(count, size);
    gained(block);
    return block;
}

void *rt_malloc_align(rt_size_t size, rt_size_t align)
{
    void *block = nullptr;
    if (align < sizeof(void *))
        align = sizeof(void *);
    if (posix_memalign(&block, align, size) != 0)
        return nullptr;
    gained(block);
    return block;
}

void rt_free_align(void *ptr)
{
    rt_free(ptr);
}

void rt_memory_info(rt_size_t *total, rt_size_t *used, rt_size_t *max_used)
{
    struct mallinfo2 heap = mallinfo2();
    // Another allocator (a sanitizer's) leaves mallinfo2 empty: never report less than held.
    if (total)
        *total = std::max<rt_size_t>(heap.arena + heap.hblkhd, peak.load());
    if (used)
        *used = in_use.load();
    if (max_used)
        *max_used = peak.load();
}

} // extern "C"
