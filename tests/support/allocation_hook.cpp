// The replaced operator new and delete, over malloc and free.
// SPDX-License-Identifier: Apache-2.0
#include "allocation_hook.h"

#include <atomic>
#include <cstdlib>
#include <new>

// The replacements pair operator new with malloc and operator delete with free; GCC cannot see
// that they belong together when it inlines them.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace
{

std::atomic<test_support::AllocationHook> installed{nullptr};

void *allocate(std::size_t size) noexcept
{
    test_support::AllocationHook hook = installed.load(std::memory_order_relaxed);
    if (hook && !hook())
        return nullptr;
    return std::malloc(size ? size : 1);
}

void *allocate_or_throw(std::size_t size)
{
    if (void *memory = allocate(size))
        return memory;
    throw std::bad_alloc();
}

} // namespace

namespace test_support
{
void set_allocation_hook(AllocationHook hook)
{
    installed.store(hook);
}

namespace
{
std::atomic<int> probes{0};
bool count_probe()
{
    ++probes;
    return true;
}
} // namespace

bool allocation_hook_is_live()
{
    AllocationHook previous = installed.exchange(count_probe);
    int *volatile probe = new int(0); // volatile: the pair may not be optimised away
    delete probe;
    installed.store(previous);
    return probes.exchange(0) > 0;
}
} // namespace test_support

void *operator new(std::size_t size)
{
    return allocate_or_throw(size);
}
void *operator new[](std::size_t size)
{
    return allocate_or_throw(size);
}
void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    return allocate(size);
}
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept
{
    return allocate(size);
}
void operator delete(void *memory) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::size_t) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory, std::size_t) noexcept
{
    std::free(memory);
}
