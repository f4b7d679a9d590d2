// The heap: the C library's malloc, with what goes through rt_malloc and friends counted, so the
// shell's free command shows what the application holds and the most it ever held, and held to
// a board's size when RT_HEAP_SIZE gives one.
// SPDX-License-Identifier: Apache-2.0
#include "rt/memory.h"

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
std::atomic<rt_size_t> limit{RT_HEAP_SIZE}; // 0: none

// Counts a new block; false, counting nothing, when it would take the heap past its limit and
// the limit is `enforced`.
bool gained(void *block, bool enforced = true)
{
    if (!block)
        return false;
    rt_size_t size = malloc_usable_size(block);
    rt_size_t most = enforced ? limit.load() : 0;
    rt_size_t before = in_use.load();
    do
    {
        if (most != 0 && before + size > most)
            return false;
    } while (!in_use.compare_exchange_weak(before, before + size));
    rt_size_t now = before + size;
    rt_size_t highest = peak.load();
    while (now > highest && !peak.compare_exchange_weak(highest, now))
    {
    }
    return true;
}

// Whether `size` more bytes would be past the limit, before a call that cannot be undone.
bool would_exceed(rt_size_t size)
{
    rt_size_t most = limit.load();
    return most != 0 && in_use.load() + size > most;
}

// A block from the C library that the heap's limit refuses goes straight back.
void *counted(void *block)
{
    if (gained(block))
        return block;
    std::free(block);
    return nullptr;
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

namespace tcp_server::detail::rt
{

void set_heap_limit(rt_size_t bytes)
{
    limit.store(bytes);
}

} // namespace tcp_server::detail::rt

extern "C"
{

void *rt_malloc(rt_size_t size)
{
    return counted(std::malloc(size));
}

void rt_free(void *ptr)
{
    lost(ptr);
    std::free(ptr);
}

void *rt_realloc(void *ptr, rt_size_t newsize)
{
    rt_size_t before = ptr ? malloc_usable_size(ptr) : 0;
    // Checked first: once realloc has moved the block there is no going back.
    if (newsize > before && would_exceed(newsize - before))
        return nullptr; // the old block stays, and stays counted
    void *block = std::realloc(ptr, newsize);
    if (!block && newsize != 0)
        return nullptr;
    rt_size_t current = in_use.load();
    while (!in_use.compare_exchange_weak(current, current > before ? current - before : 0))
    {
    }
    gained(block, false); // already taken: counted whatever the limit
    return block;
}

void *rt_calloc(rt_size_t count, rt_size_t size)
{
    return counted(std::calloc(count, size));
}

void *rt_malloc_align(rt_size_t size, rt_size_t align)
{
    void *block = nullptr;
    if (align < sizeof(void *))
        align = sizeof(void *);
    if (posix_memalign(&block, align, size) != 0)
        return nullptr;
    return counted(block);
}

void rt_free_align(void *ptr)
{
    rt_free(ptr);
}

void rt_memory_info(rt_size_t *total, rt_size_t *used, rt_size_t *max_used)
{
    struct mallinfo2 heap = mallinfo2();
    rt_size_t most = limit.load();
    // Another allocator (a sanitizer's) leaves mallinfo2 empty: never report less than held.
    if (total)
        *total = most != 0 ? most : std::max<rt_size_t>(heap.arena + heap.hblkhd, peak.load());
    if (used)
        *used = in_use.load();
    if (max_used)
        *max_used = peak.load();
}

} // extern "C"
