// rthw.h's interrupt disabling and the scheduler lock on a host: one recursive lock for the whole
// process. It excludes the other threads that take it, not every thread, and nests: each disable
// or enter_critical is undone by one enable or exit_critical.
// SPDX-License-Identifier: Apache-2.0
#include "rt/critical.h"

#include <rthw.h>

#include <mutex>

namespace tcp_server::detail::rt
{

namespace
{

std::recursive_mutex &critical_mutex()
{
    static auto *lock = new std::recursive_mutex; // never destroyed: see kernel_mutex()
    return *lock;
}

thread_local int depth = 0;

void take()
{
    critical_mutex().lock();
    ++depth;
}

void give()
{
    // An unbalanced enable would unlock a mutex this thread does not hold: ignore it instead.
    if (depth == 0)
        return;
    --depth;
    critical_mutex().unlock();
}

} // namespace

int critical_depth()
{
    return depth;
}

} // namespace tcp_server::detail::rt

using namespace tcp_server::detail;

extern "C"
{

rt_base_t rt_hw_interrupt_disable(void)
{
    rt_base_t level = rt::depth;
    rt::take();
    return level;
}

void rt_hw_interrupt_enable(rt_base_t level)
{
    // `level` is the depth before the matching disable: give back down to it.
    while (rt::depth > level)
        rt::give();
}

void rt_enter_critical(void)
{
    rt::take();
}

void rt_exit_critical(void)
{
    rt::give();
}

rt_uint16_t rt_critical_level(void)
{
    return static_cast<rt_uint16_t>(rt::depth);
}

void rt_interrupt_enter(void) {}

void rt_interrupt_leave(void) {}

rt_uint8_t rt_interrupt_get_nest(void)
{
    return 0; // host code never runs in an interrupt
}

} // extern "C"
