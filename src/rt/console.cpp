// The console and the error of the calling thread: rt_kprintf, rtdbg's LOG_x lines, the
// shell's output hook, rt_get_errno/rt_set_errno, and RT_ASSERT's handler.
// SPDX-License-Identifier: Apache-2.0
#include <rtdbg.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace
{

thread_local int thread_error = RT_EOK;
std::atomic<int> log_level{DBG_LOG};

std::mutex &console_mutex()
{
    static auto *lock = new std::mutex; // never destroyed: threads may print while exiting
    return *lock;
}
void (*console_hook)(const char *, rt_size_t) = nullptr; // guarded by console_mutex()

// One write per line under a lock, so lines from different threads never interleave.
void console_write(const char *text, std::size_t length)
{
    std::lock_guard lock(console_mutex());
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
    std::lock_guard lock(console_mutex());
    console_hook = hook;
}

int rt_kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int written = console_vprintf(nullptr, fmt, args, false);
    va_end(args);
    return written;
}

void rt_kputs(const char *str)
{
    if (str)
        console_write(str, std::strlen(str));
}

rt_err_t rt_get_errno(void)
{
    return thread_error;
}

void rt_set_errno(rt_err_t error)
{
    thread_error = static_cast<int>(error);
}

int *_rt_errno(void)
{
    return &thread_error;
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
