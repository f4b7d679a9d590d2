/*
 * Host stand-in for RT-Thread's rtdbg.h. Define DBG_TAG and DBG_LVL, then include it:
 *     #define DBG_TAG "tcpserv"
 *     #define DBG_LVL DBG_LOG
 *     #include <rtdbg.h>
 * LOG_D/I/W/E print one line "[tick] D/tag: message" to the console, as on a board.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef RT_DBG_H__
#define RT_DBG_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C"
{
#endif

/* A file that included <ulog.h> first keeps ulog's levels and LOG_x macros (below too). */
#ifndef ULOG_H__
#define DBG_ERROR 0
#define DBG_WARNING 1
#define DBG_INFO 2
#define DBG_LOG 3
#endif

/* The older spellings, still found in many packages. */
#if !defined(DBG_TAG) && defined(DBG_SECTION_NAME)
#define DBG_TAG DBG_SECTION_NAME
#endif
#if !defined(DBG_LVL) && defined(DBG_LEVEL)
#define DBG_LVL DBG_LEVEL
#endif
#ifndef DBG_TAG
#define DBG_TAG "DBG"
#endif
#ifndef DBG_LVL
#define DBG_LVL DBG_WARNING
#endif

/**
 * Prints one log line "[tick] L/tag: message" in a single write. Lines above the process-wide
 * level set by rt_dbg_set_level() are dropped. Thread safe.
 */
void rt_dbg_log_line(int level, const char *tag, const char *fmt, ...)
    TCPSERVER_PRINTF_FORMAT(3, 4);
/** Sets the most verbose level printed at run time (DBG_ERROR..DBG_LOG); DBG_LOG by default. */
void rt_dbg_set_level(int level);
/** The level set by rt_dbg_set_level(). */
int rt_dbg_get_level(void);

#define dbg_log(level, ...) rt_dbg_log_line((level), DBG_TAG, __VA_ARGS__)

#ifndef ULOG_H__

#if DBG_LVL >= DBG_LOG
#define LOG_D(...) rt_dbg_log_line(DBG_LOG, DBG_TAG, __VA_ARGS__)
#else
#define LOG_D(...) ((void)0)
#endif
#if DBG_LVL >= DBG_INFO
#define LOG_I(...) rt_dbg_log_line(DBG_INFO, DBG_TAG, __VA_ARGS__)
#else
#define LOG_I(...) ((void)0)
#endif
#if DBG_LVL >= DBG_WARNING
#define LOG_W(...) rt_dbg_log_line(DBG_WARNING, DBG_TAG, __VA_ARGS__)
#else
#define LOG_W(...) ((void)0)
#endif
#if DBG_LVL >= DBG_ERROR
#define LOG_E(...) rt_dbg_log_line(DBG_ERROR, DBG_TAG, __VA_ARGS__)
#else
#define LOG_E(...) ((void)0)
#endif
#define LOG_RAW(...) rt_kprintf(__VA_ARGS__)
#endif /* ULOG_H__ */

#ifdef __cplusplus
}
#endif

#endif
