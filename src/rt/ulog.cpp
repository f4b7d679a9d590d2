// ulog on the host: its line format and filters, written through the console as rtdbg's
// lines are, and held to msh's log level (-q, -v, loglevel) as they are.
// SPDX-License-Identifier: Apache-2.0
#include <ulog.h>

#include <rtdbg.h>

#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace
{

constexpr std::size_t kLineSize = 1024;

struct Filters
{
    std::mutex mutex;
    std::vector<std::pair<std::string, rt_uint32_t>> tag_levels;
    std::string tag;     // lines whose tag contains it; empty for all
    std::string keyword; // lines containing it; empty for all
};

Filters &filters()
{
    static auto *state = new Filters; // never destroyed: threads may log while exiting
    return *state;
}

std::atomic<rt_uint32_t> global_level{LOG_FILTER_LVL_ALL};

char letter(rt_uint32_t level)
{
    if (level == LOG_LVL_ASSERT)
        return 'A';
    if (level <= LOG_LVL_ERROR)
        return 'E';
    if (level <= LOG_LVL_WARNING + 1)
        return 'W';
    return level == LOG_LVL_INFO ? 'I' : 'D';
}

// msh's level is rtdbg's (0 errors .. 3 debug); ulog's levels map onto it.
bool shell_admits(rt_uint32_t level)
{
    int as_rtdbg = level <= LOG_LVL_ERROR     ? 0
                   : level <= LOG_LVL_WARNING + 1 ? 1
                   : level == LOG_LVL_INFO        ? 2
                                                  : 3;
    return as_rtdbg <= rt_dbg_get_level();
}

bool admitted(rt_uint32_t level, const char *tag)
{
    if (level > global_level.load(std::memory_order_relaxed) || !shell_admits(level))
        return false;
    Filters &state = filters();
    std::lock_guard lock(state.mutex);
    for (const auto &[name, limit] : state.tag_levels)
        if (name == tag && level > limit)
            return false;
    return state.tag.empty() || std::strstr(tag, state.tag.c_str());
}

bool has_keyword(const char *line)
{
    Filters &state = filters();
    std::lock_guard lock(state.mutex);
    return state.keyword.empty() || std::strstr(line, state.keyword.c_str());
}

// "[tick] L/tag: " into line; its length.
std::size_t head(char *line, rt_uint32_t level, const char *tag)
{
    int used = std::snprintf(line, kLineSize, "[%u] %c/%s: ",
                             static_cast<unsigned>(rt_tick_get()), letter(level), tag);
    return std::min<std::size_t>(used < 0 ? 0 : used, kLineSize - 2);
}

void emit(char *line, std::size_t length, bool newline)
{
    if (newline)
        line[length++] = '\n';
    line[length] = '\0';
    if (has_keyword(line))
        rt_kputs(line);
}

// Adds one formatted piece to a hexdump line, keeping room for the line's end.
__attribute__((format(printf, 3, 4))) void append(char *line, std::size_t &length,
                                                  const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = std::vsnprintf(line + length, kLineSize - length, format, args);
    va_end(args);
    length = std::min<std::size_t>(length + (n < 0 ? 0 : n), kLineSize - 2);
}

} // namespace

extern "C"
{

int ulog_init(void)
{
    return 0; // nothing to start: lines go to the console as they come
}

void ulog_deinit(void) {}

void ulog_output(rt_uint32_t level, const char *tag, rt_bool_t newline, const char *format, ...)
{
    if (!tag || !format || !admitted(level, tag))
        return;
    char line[kLineSize];
    std::size_t length = head(line, level, tag);
    va_list args;
    va_start(args, format);
    int body = std::vsnprintf(line + length, kLineSize - length, format, args);
    va_end(args);
    length = std::min<std::size_t>(length + (body < 0 ? 0 : body), kLineSize - 2);
    emit(line, length, newline);
}

void ulog_raw(const char *format, ...)
{
    if (!format || !shell_admits(LOG_LVL_DBG))
        return;
    char line[kLineSize];
    va_list args;
    va_start(args, format);
    int body = std::vsnprintf(line, kLineSize, format, args);
    va_end(args);
    emit(line, std::min<std::size_t>(body < 0 ? 0 : body, kLineSize - 1), false);
}

void ulog_hexdump(const char *tag, rt_size_t width, const rt_uint8_t *buf, rt_size_t size, ...)
{
    if (!tag || !buf || width == 0 || width > 128 || !admitted(LOG_LVL_DBG, tag))
        return;
    for (rt_size_t start = 0; start < size; start += width)
    {
        rt_size_t count = std::min(width, size - start);
        char line[kLineSize];
        std::size_t length = head(line, LOG_LVL_DBG, tag);
        append(line, length, "%04X-%04X: ", static_cast<unsigned>(start), static_cast<unsigned>(start + count));
        for (rt_size_t i = 0; i < width; ++i)
        {
            if (i < count)
                append(line, length, "%02X ", buf[start + i]);
            else
                append(line, length, "   ");
            if ((i + 1) % 8 == 0)
                append(line, length, " ");
        }
        append(line, length, "  ");
        for (rt_size_t i = 0; i < count; ++i)
        {
            unsigned char c = buf[start + i];
            append(line, length, "%c", c >= ' ' && c < 127 ? c : '.');
        }
        emit(line, length, true);
    }
}

void ulog_flush(void) {}

void ulog_global_filter_lvl_set(rt_uint32_t level)
{
    global_level.store(std::min<rt_uint32_t>(level, LOG_FILTER_LVL_ALL));
}

rt_uint32_t ulog_global_filter_lvl_get(void)
{
    return global_level.load();
}

int ulog_tag_lvl_filter_set(const char *tag, rt_uint32_t level)
{
    if (!tag || !*tag || level > LOG_FILTER_LVL_ALL)
        return -RT_EINVAL;
    Filters &state = filters();
    std::lock_guard lock(state.mutex);
    auto &levels = state.tag_levels;
    auto found = std::find_if(levels.begin(), levels.end(),
                              [&](const auto &entry) { return entry.first == tag; });
    if (level == LOG_FILTER_LVL_ALL)
    {
        if (found != levels.end())
            levels.erase(found);
    }
    else if (found != levels.end())
        found->second = level;
    else
        levels.emplace_back(tag, level);
    return RT_EOK;
}

rt_uint32_t ulog_tag_lvl_filter_get(const char *tag)
{
    Filters &state = filters();
    std::lock_guard lock(state.mutex);
    for (const auto &[name, limit] : state.tag_levels)
        if (tag && name == tag)
            return limit;
    return LOG_FILTER_LVL_ALL;
}

void ulog_global_filter_tag_set(const char *tag)
{
    Filters &state = filters();
    std::lock_guard lock(state.mutex);
    state.tag = tag ? tag : "";
}

void ulog_global_filter_kw_set(const char *keyword)
{
    Filters &state = filters();
    std::lock_guard lock(state.mutex);
    state.keyword = keyword ? keyword : "";
}

} // extern "C"
