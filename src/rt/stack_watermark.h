// A thread's stack as a board measures it: the unused part filled with a pattern when the
// thread starts, so the deepest byte it ever wrote (its high-water mark) can be read at any
// time; and the stack pointer of a thread blocked in the kernel.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace tcp_server::detail::rt
{

/** The filled part of a thread's stack, [low, high); empty when nothing could be filled. */
struct StackWatermark
{
    std::uintptr_t low = 0;
    std::uintptr_t high = 0;
    bool empty() const { return low >= high; }
};

/**
 * Fills the calling thread's stack below its current frame with the pattern, at most
 * `at_most` bytes deep and never below the stack's end. Empty where the kernel refuses
 * (process_vm_writev), and then ps shows the depth sampled at kernel waits. The writes go
 * through the kernel, past the sanitizers and valgrind, which would take them for overruns.
 */
StackWatermark fill_unused_stack(std::size_t at_most);

/**
 * The deepest address written below `mark.high` since the fill: the lowest byte that no longer
 * holds the pattern (mark.low itself when the thread went past the filled part); 0 when it
 * cannot be read (the thread's stack is gone). Any thread; reads through the kernel too.
 */
std::uintptr_t deepest_written(const StackWatermark &mark);

/** The stack pointer of thread `tid` of this process while it is blocked in a system call
 *  (/proc's syscall file), or 0 when it runs or the kernel does not say. */
std::uintptr_t blocked_stack_pointer(pid_t tid);

} // namespace tcp_server::detail::rt
