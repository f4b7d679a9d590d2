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
    int priority;
    rt_uint8_t stat;
    std::size_t stack_depth; // stack in use when it last entered the kernel
    std::size_t stack_size;
    int stack_peak_percent; // the deepest it was seen to reach, of stack_size
    rt_ubase_t remaining_tick;
    rt_err_t error;
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
