// The RT-Thread services that rtthread.h and rtdbg.h declare, implemented on the host.
// SPDX-License-Identifier: Apache-2.0
#include <rtdbg.h>

#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace
{

thread_local rt_err_t thread_error = RT_EOK;
// Ticks count from when the program started, as a board's count from boot.
const auto tick_origin = std::chrono::steady_clock::now();
std::atomic<int> log_level{DBG_LOG};
std::mutex console_mutex;
void (*console_hook)(const char *, rt_size_t) = nullptr; // guarded by console_mutex

// One write per line under a lock, so lines from different threads never interleave.
void console_write(const char *text, std::size_t length)
{
    std::lock_guard lock(console_mutex);
    if (console_hook)
    {
        console_hook(text, length);
        return;
    }
    std::fwrite(text, 1, length, stdout);
    std::fflush(stdout);
}

int console_vprintf(const char *prefix, const char *fmt, va_list args, bool newline)
{
    char line[1024];
    int used = prefix ? std::snprintf(line, sizeof line, "%s", prefix) : 0;
    int body = std::vsnprintf(line + used, sizeof line - used, fmt, args);
    std::size_t length = std::min<std::size_t>(used + (body < 0 ? 0 : body), sizeof line - 2);
    if (newline)
        line[length++] = '\n';
    console_write(line, length);
    return static_cast<int>(length);
}

} // namespace

extern "C"
{

void rt_console_set_output_hook(void (*hook)(const char *text, rt_size_t length))
{
    std::lock_guard lock(console_mutex);
    console_hook = hook;
}

rt_tick_t rt_tick_get(void)
{
    using namespace std::chrono;
    return static_cast<rt_tick_t>(
        duration_cast<milliseconds>(steady_clock::now() - tick_origin).count());
}

rt_tick_t rt_tick_from_millisecond(rt_int32_t ms)
{
    return static_cast<rt_tick_t>(ms);
}

int rt_kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int written = console_vprintf(nullptr, fmt, args, false);
    va_end(args);
    return written;
}

rt_err_t rt_get_errno(void)
{
    return thread_error;
}

void rt_set_errno(rt_err_t error)
{
    thread_error = error;
}

rt_err_t rt_thread_mdelay(rt_int32_t ms)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return RT_EOK;
}

void rt_assert_handler(const char *expr, const char *func, rt_size_t line)
{
    rt_kprintf("(%s) assertion failed at function:%s, line number:%lu\n", expr, func,
               static_cast<unsigned long>(line));
    std::abort();
}

void rt_dbg_log_line(int level, const char *tag, const char *fmt, ...)
{
    if (level > log_level.load(std::memory_order_relaxed))
        return;
    static const char letters[] = {'E', 'W', 'I', 'D'};
    char prefix[96];
    std::snprintf(prefix, sizeof prefix, "[%u] %c/%s: ", static_cast<unsigned>(rt_tick_get()),
                  letters[level < 0   ? 0
                          : level > 3 ? 3
                                      : level],
                  tag);
    va_list args;
    va_start(args, fmt);
    console_vprintf(prefix, fmt, args, true);
    va_end(args);
}

void rt_dbg_set_level(int level)
{
    log_level.store(level, std::memory_order_relaxed);
}

int rt_dbg_get_level(void)
{
    return log_level.load(std::memory_order_relaxed);
}

} // extern "C"
