/*
 * Host stand-in for RT-Thread's rtthread.h: the types, error codes and services that
 * RT-Thread network applications use, so their source compiles unchanged on Linux.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __RT_THREAD_H__
#define __RT_THREAD_H__

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C"
{
#endif

typedef int8_t rt_int8_t;
typedef int16_t rt_int16_t;
typedef int32_t rt_int32_t;
typedef int64_t rt_int64_t;
typedef uint8_t rt_uint8_t;
typedef uint16_t rt_uint16_t;
typedef uint32_t rt_uint32_t;
typedef uint64_t rt_uint64_t;
typedef int rt_bool_t;
typedef long rt_base_t;
typedef unsigned long rt_ubase_t;
typedef rt_base_t rt_err_t;
typedef rt_ubase_t rt_size_t;
typedef rt_base_t rt_ssize_t;
typedef rt_uint32_t rt_tick_t;
typedef rt_base_t rt_off_t;

#define RT_TRUE 1
#define RT_FALSE 0
#define RT_NULL 0

/* Error codes, as in RT-Thread's rtdef.h: functions return them negated (-RT_ETIMEOUT). */
#define RT_EOK 0
#define RT_ERROR 1
#define RT_ETIMEOUT 2
#define RT_EFULL 3
#define RT_EEMPTY 4
#define RT_ENOMEM 5
#define RT_ENOSYS 6
#define RT_EBUSY 7
#define RT_EIO 8
#define RT_EINTR 9
#define RT_EINVAL 10
#define RT_ENOENT 12
#define RT_ENOSPC 13
#define RT_EPERM 14

/* Timeouts are in ticks; a tick is one millisecond on the host. */
#define RT_TICK_PER_SECOND 1000
#define RT_WAITING_FOREVER -1
#define RT_WAITING_NO 0

#define RT_UNUSED(x) ((void)(x))

/** Milliseconds since an arbitrary start, wrapping at 2^32 like the RT-Thread tick. Thread safe. */
rt_tick_t rt_tick_get(void);
/** Converts milliseconds to ticks (the identity on the host). */
rt_tick_t rt_tick_from_millisecond(rt_int32_t ms);
/** Formats like printf and writes the text to the console in one piece. Thread safe. */
int rt_kprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/** The error of the last failed call on this thread (a negative RT code, e.g. -RT_ETIMEOUT). */
rt_err_t rt_get_errno(void);
/** Sets this thread's error. */
void rt_set_errno(rt_err_t error);
/** Sleeps the calling thread for `ms` milliseconds. */
rt_err_t rt_thread_mdelay(rt_int32_t ms);
/** Prints the failed expression with its place and aborts (RT_ASSERT's target). */
void rt_assert_handler(const char *expr, const char *func, rt_size_t line);

/**
 * Sends everything the console prints (rt_kprintf, LOG_x) to `hook` instead of stdout, or back
 * to stdout for RT_NULL. Host extension: an interactive shell uses it to print log lines above
 * the line being typed. The hook may be called from any thread, one line at a time.
 */
void rt_console_set_output_hook(void (*hook)(const char *text, rt_size_t length));

/** A shell command: the same signature as RT-Thread's msh commands. */
typedef int (*msh_cmd_t)(int argc, char **argv);
/** Adds a command to the shell's table (what MSH_CMD_EXPORT expands to). Needs tcpserver-shell. */
void msh_register_command(const char *name, const char *description, msh_cmd_t function);
/** Runs `function` when the shell exits, before the process ends. Needs tcpserver-shell. */
void msh_at_exit(void (*function)(void));

/*
 * MSH_CMD_EXPORT(fn, description) makes `int fn(int argc, char **argv)` a shell command named
 * fn; MSH_CMD_EXPORT_ALIAS gives it another name. As on RT-Thread, the description is plain
 * text. The command registers itself before main() runs: link the file into the program
 * itself (or a CMake OBJECT library), since a static archive drops objects nobody calls.
 */
#define MSH_CMD_EXPORT_ALIAS(command, alias, desc)                                                 \
    __attribute__((constructor)) static void msh_export_##alias(void)                              \
    {                                                                                              \
        msh_register_command(#alias, #desc, (msh_cmd_t)(command));                                 \
    }
#define MSH_CMD_EXPORT(command, desc) MSH_CMD_EXPORT_ALIAS(command, command, desc)

#define rt_malloc(size) malloc(size)
#define rt_calloc(count, size) calloc((count), (size))
#define rt_realloc(ptr, size) realloc((ptr), (size))
#define rt_free(ptr) free(ptr)
#define rt_memset(s, c, n) memset((s), (c), (n))
#define rt_memcpy(d, s, n) memcpy((d), (s), (n))
#define rt_memcmp(a, b, n) memcmp((a), (b), (n))
#define rt_strlen(s) strlen(s)
#define rt_strncpy(d, s, n) strncpy((d), (s), (n))
#define rt_strcmp(a, b) strcmp((a), (b))
#define rt_strncmp(a, b, n) strncmp((a), (b), (n))
#define rt_snprintf snprintf

#define RT_ASSERT(expr)                                                                            \
    do                                                                                             \
    {                                                                                              \
        if (!(expr))                                                                               \
            rt_assert_handler(#expr, __func__, (rt_size_t)__LINE__);                               \
    } while (0)

#ifdef __cplusplus
}
#endif

#include <stdio.h>

#endif
