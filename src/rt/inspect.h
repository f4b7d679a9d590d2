// Snapshots of the kernel's objects, taken under the kernel lock, for the shell's ps and list_x
// commands: what each shows, in the order the container holds them (creation order).
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <rtthread.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tcp_server::detail::rt
{

struct ThreadRow
{
    std::string name;
    int priority = 0;
    rt_uint8_t stat = 0;
    std::size_t stack_depth = 0; // in use now if it is blocked, else when it last waited
    std::size_t stack_size = 0;  // what Linux gave it
    std::size_t stack_asked = 0; // what its creator asked for (Kconfig's); 0 if unknown
    std::size_t stack_peak = 0;  // its high-water mark, or the deepest it was seen waiting
    int stack_peak_percent = 0;  // stack_peak of stack_size
    rt_ubase_t remaining_tick = 0;
    rt_err_t error = RT_EOK;
};

/** A semaphore, event, mailbox, queue, pool or mutex: its counters and who waits for it. */
struct IpcRow
{
    std::string name;
    std::uint64_t first = 0;  // value, set, entry, block size or hold
    std::uint64_t second = 0; // size (mailbox), total blocks (pool)
    std::uint64_t third = 0;  // free blocks (pool)
    std::string owner;        // mutex
    std::vector<std::string> waiters;
};

struct TimerRow
{
    std::string name;
    rt_tick_t init_tick;
    rt_tick_t timeout_tick;
    bool activated;
};

std::vector<ThreadRow> thread_rows();
/** Rows of semaphores, mutexes, events, mailboxes, message queues or memory pools. */
std::vector<IpcRow> ipc_rows(rt_object_class_type type);
std::vector<TimerRow> timer_rows();

} // namespace tcp_server::detail::rt
