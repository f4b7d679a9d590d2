// How RT-Thread's thread settings map onto a Linux thread: stack size and priority, shared by
// the tcpserver worker and the kernel's threads.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace tcp_server::detail
{

/** The smallest stack a thread gets: Linux code (printf, getaddrinfo, callbacks) needs it. */
std::size_t minimum_stack();

/** The stack a thread asking for `requested` bytes gets: at least minimum_stack(), whole pages. */
std::size_t host_stack_size(std::size_t requested);

/** The nice value for an RT-Thread priority (0 most urgent): priority * 32 /
 *  RT_THREAD_PRIORITY_MAX - 12, within -20..19. */
int nice_for_priority(int priority);

/** The RT-Thread priority a thread of nice value `nice` has (the inverse of the above). */
int priority_for_nice(int nice);

/** Gives thread `tid` the nice value of `priority`; false (errno set) if not permitted. */
bool apply_priority(pid_t tid, int priority);

/** The highest address of the calling thread's stack, and its size. */
std::uintptr_t current_stack_top();
std::size_t current_stack_size();

} // namespace tcp_server::detail
