// Waiting on conditions with deadlines, and reading what threads cost.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace test_support
{

/** Checks `condition` until it holds or `limit` passes; returns whether it held. */
bool eventually(const std::function<bool()> &condition,
                std::chrono::milliseconds limit = std::chrono::milliseconds(10000));

/** The calling thread's id, for the functions below. */
int current_thread();
/** Waits until thread `tid` is asleep (blocked in a call), or `limit` passes. */
bool blocked_soon(int tid, std::chrono::milliseconds limit = std::chrono::milliseconds(10000));
/** The id of this process's thread named `name` (as in /proc/self/task/.../comm), or -1. */
int find_thread(const std::string &name);
/** CPU time (user + system) a thread of this process has used. */
std::chrono::microseconds thread_cpu_time(int tid);
/** How often a thread has gone to sleep and been woken again. */
long thread_wakeups(int tid);
/** Open descriptors of this process: the kernel's, and lwIP's sockets on an lwIP run. */
int open_descriptor_count();

} // namespace test_support
