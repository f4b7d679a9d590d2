// The shell's console: where the library's output goes, from any thread.
// SPDX-License-Identifier: Apache-2.0
#include "console.h"

#include <rtthread.h>

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <thread>

namespace console
{

namespace
{

// Lines from worker threads wait here until the shell thread prints them; beyond this much
// the oldest are dropped, so a shell busy in a command cannot make the workers' logs pile up.
constexpr std::size_t kQueueLimit = 1 << 20;

std::atomic<std::size_t> written{0};
std::thread::id shell_thread;
int ready_fd = -1;
std::mutex queue_mutex;
std::string queue;
std::size_t dropped = 0;

void write_out(const char *text, std::size_t length)
{
    std::fwrite(text, 1, length, stdout);
    std::fflush(stdout);
}

void direct(const char *text, rt_size_t length)
{
    written += length;
    write_out(text, length);
}

void queued(const char *text, rt_size_t length)
{
    written += length;
    if (std::this_thread::get_id() == shell_thread)
    {
        write_out(text, length);
        return;
    }
    bool was_empty;
    {
        std::lock_guard lock(queue_mutex);
        was_empty = queue.empty();
        if (queue.size() + length > kQueueLimit)
        {
            dropped += queue.size();
            queue.clear();
        }
        queue.append(text, length);
    }
    if (was_empty)
    {
        std::uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(ready_fd, &one, sizeof one);
    }
}

} // namespace

void install(bool queue_other_threads)
{
    if (queue_other_threads)
    {
        shell_thread = std::this_thread::get_id();
        if (ready_fd < 0)
            ready_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    }
    rt_console_set_output_hook(queue_other_threads ? queued : direct);
}

void uninstall()
{
    rt_console_set_output_hook(nullptr);
    std::string rest = take_queued();
    write_out(rest.data(), rest.size());
}

std::size_t bytes_written()
{
    return written.load();
}

int queued_fd()
{
    return ready_fd;
}

std::string take_queued()
{
    std::uint64_t count;
    if (ready_fd >= 0)
    {
        [[maybe_unused]] ssize_t n = ::read(ready_fd, &count, sizeof count);
    }
    std::lock_guard lock(queue_mutex);
    std::string lines;
    if (dropped)
        lines = "[" + std::to_string(dropped) + " bytes of log dropped]\n";
    dropped = 0;
    lines += queue;
    queue.clear();
    return lines;
}

} // namespace console
