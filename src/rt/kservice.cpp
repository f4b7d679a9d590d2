// Kernel services beyond the C library's: string and formatting helpers RT-Thread names itself,
// error names, and the boot banner.
// SPDX-License-Identifier: Apache-2.0
#include <rtthread.h>

#include <strings.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>

extern "C"
{

char *rt_strdup(const char *s)
{
    if (!s)
        return RT_NULL;
    std::size_t size = std::strlen(s) + 1;
    auto *copy = static_cast<char *>(rt_malloc(size));
    if (copy)
        std::memcpy(copy, s, size);
    return copy;
}

rt_size_t rt_strnlen(const char *s, rt_ubase_t maxlen)
{
    return s ? strnlen(s, maxlen) : 0;
}

char *rt_strstr(const char *str1, const char *str2)
{
    return const_cast<char *>(std::strstr(str1, str2));
}

rt_int32_t rt_strcasecmp(const char *a, const char *b)
{
    return strcasecmp(a, b);
}

int rt_vsnprintf(char *buf, rt_size_t size, const char *fmt, va_list args)
{
    return std::vsnprintf(buf, size, fmt, args);
}

int rt_vsprintf(char *dest, const char *format, va_list arg_ptr)
{
    return std::vsprintf(dest, format, arg_ptr);
}

int rt_snprintf(char *buf, rt_size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = std::vsnprintf(buf, size, format, args);
    va_end(args);
    return n;
}

int rt_sprintf(char *buf, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = std::vsprintf(buf, format, args);
    va_end(args);
    return n;
}

const char *rt_strerror(rt_err_t error)
{
    // RT-Thread's own spellings.
    static const char *const names[] = {"OK",     "ERROR",  "ETIMOUT", "ERSFULL", "ERSEPTY",
                                        "ENOMEM", "ENOSYS", "EBUSY",   "EIO",     "EINTRPT",
                                        "EINVAL", "ETRAP",  "ENOENT",  "ENOSPC",  "EPERM"};
    rt_err_t code = error < 0 ? -error : error;
    return code < static_cast<rt_err_t>(sizeof names / sizeof names[0]) ? names[code] : "EUNKNOW";
}

void rt_show_version(void)
{
    rt_kprintf("\n \\ | /\n");
    rt_kprintf("- RT -     Thread Operating System\n");
    rt_kprintf(" / | \\     %d.%d.%d build %s %s\n", RT_VERSION_MAJOR, RT_VERSION_MINOR,
               RT_VERSION_PATCH, __DATE__, __TIME__);
    rt_kprintf(" 2006 - 2026 Copyright by RT-Thread team\n");
}

} // extern "C"
