// How RT-Thread's thread settings map onto a Linux thread.
// SPDX-License-Identifier: Apache-2.0
#include "util/thread_settings.h"

#include <rtconfig.h>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace tcp_server::detail
{

namespace
{

// RT-Thread's usual default priority (12 of 32) is Linux's default nice value 0.
constexpr int kNeutralLevel = 12;
constexpr int kLevels = 32;

void stack_of_current_thread(std::uintptr_t &top, std::size_t &size)
{
    top = 0;
    size = 0;
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0)
        return;
    void *low = nullptr;
    if (pthread_attr_getstack(&attributes, &low, &size) == 0)
        top = reinterpret_cast<std::uintptr_t>(low) + size;
    pthread_attr_destroy(&attributes);
}

} // namespace

std::size_t minimum_stack()
{
    std::size_t minimum = 256 * 1024;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    minimum *= 4; // sanitizers make every frame several times larger
#endif
    return minimum;
}

std::size_t host_stack_size(std::size_t requested)
{
    std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    std::size_t stack = std::max(requested, minimum_stack());
    return (stack + page - 1) / page * page;
}

int nice_for_priority(int priority)
{
    int level = priority * kLevels / RT_THREAD_PRIORITY_MAX;
    return std::clamp(level - kNeutralLevel, -20, 19);
}

int priority_for_nice(int nice)
{
    int level = std::clamp(nice + kNeutralLevel, 0, kLevels - 1);
    return level * RT_THREAD_PRIORITY_MAX / kLevels;
}

bool apply_priority(pid_t tid, int priority)
{
    // Linux applies setpriority() to the one thread whose id is given.
    return setpriority(PRIO_PROCESS, static_cast<id_t>(tid), nice_for_priority(priority)) == 0;
}

std::uintptr_t current_stack_top()
{
    std::uintptr_t top;
    std::size_t size;
    stack_of_current_thread(top, size);
    return top;
}

std::size_t current_stack_size()
{
    std::uintptr_t top;
    std::size_t size;
    stack_of_current_thread(top, size);
    return size;
}

} // namespace tcp_server::detail
