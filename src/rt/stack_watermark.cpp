// Stack high-water marks through the kernel's view of the process's own memory.
// SPDX-License-Identifier: Apache-2.0
#include "rt/stack_watermark.h"

#include "util/thread_settings.h"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace tcp_server::detail::rt
{

namespace
{

// RT-Thread fills a new thread's stack with '#' and so do we.
constexpr unsigned char kPattern = '#';
constexpr std::size_t kChunk = 4096;
// Left alone below the filling frame: the frames of the system call run there (a few hundred
// bytes, sanitizers' red zones included); the mark reads at most this much too deep.
constexpr std::size_t kMargin = 1024;

constexpr std::array<unsigned char, kChunk> make_fill()
{
    std::array<unsigned char, kChunk> fill{};
    fill.fill(kPattern);
    return fill;
}
// Not on the stack: the filling frame stays small, well within kMargin.
constexpr std::array<unsigned char, kChunk> kFill = make_fill();

bool copy_to(std::uintptr_t address, const void *from, std::size_t size)
{
    iovec local{const_cast<void *>(from), size};
    iovec remote{reinterpret_cast<void *>(address), size};
    return process_vm_writev(getpid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(size);
}

bool copy_from(std::uintptr_t address, void *to, std::size_t size)
{
    iovec local{to, size};
    iovec remote{reinterpret_cast<void *>(address), size};
    return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(size);
}

} // namespace

__attribute__((noinline)) StackWatermark fill_unused_stack(std::size_t at_most)
{
    std::uintptr_t top = current_stack_top();
    std::uintptr_t end = top - current_stack_size();
    auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    if (top == 0 || here < end + kMargin)
        return {};
    StackWatermark mark;
    mark.high = here - kMargin;
    std::uintptr_t limit = std::max(end, mark.high > at_most ? mark.high - at_most : 0);
    // Downwards, a chunk at a time (the first one up to a chunk boundary): the first refusal
    // (an unmapped page) ends the filled part.
    mark.low = mark.high;
    while (mark.low > limit)
    {
        std::size_t size = mark.low % kChunk == 0 ? kChunk : mark.low % kChunk;
        size = std::min<std::size_t>(size, mark.low - limit);
        if (!copy_to(mark.low - size, kFill.data(), size))
            break;
        mark.low -= size;
    }
    return mark.empty() ? StackWatermark{} : mark;
}

std::uintptr_t deepest_written(const StackWatermark &mark)
{
    unsigned char chunk[kChunk];
    for (std::uintptr_t at = mark.low; at < mark.high; at += kChunk)
    {
        std::size_t size = std::min<std::size_t>(kChunk, mark.high - at);
        if (!copy_from(at, chunk, size))
            return 0;
        for (std::size_t i = 0; i < size; ++i)
            if (chunk[i] != kPattern)
                return at + i;
    }
    return mark.high; // nothing written below the fill's start
}

std::uintptr_t blocked_stack_pointer(pid_t tid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/syscall", static_cast<int>(tid));
    FILE *file = std::fopen(path, "re");
    if (!file)
        return 0;
    // "number arg1 .. arg6 sp pc" while blocked; "running" or "-1 sp pc" otherwise.
    long number = -1;
    unsigned long arguments[6], sp = 0, pc = 0;
    int fields = std::fscanf(file, "%ld %lx %lx %lx %lx %lx %lx %lx %lx", &number, &arguments[0],
                             &arguments[1], &arguments[2], &arguments[3], &arguments[4],
                             &arguments[5], &sp, &pc);
    std::fclose(file);
    return fields == 9 && number >= 0 ? sp : 0;
}

} // namespace tcp_server::detail::rt
