/*
 * RT-Thread's ulog on the host: LOG_E/W/I/D, LOG_RAW and LOG_HEX under the file's LOG_TAG and
 * LOG_LVL (or rtdbg's DBG_TAG and DBG_LVL), ulog_e/w/i/d(tag, ...), ulog_hexdump, and the
 * level and tag filters. Lines are ulog's, "[tick] L/tag: message", written whole through
 * the console, so they never cut into a line being typed at msh.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef ULOG_H__
#define ULOG_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C"
{
#endif

#define LOG_LVL_ASSERT 0
#define LOG_LVL_ERROR 3
#define LOG_LVL_WARNING 4
#define LOG_LVL_INFO 6
#define LOG_LVL_DBG 7

#define LOG_FILTER_LVL_SILENT 0
#define LOG_FILTER_LVL_ALL 7

/* rtdbg's names, in ulog's numbers, as ulog gives them on a board. */
#undef DBG_ERROR
#undef DBG_WARNING
#undef DBG_INFO
#undef DBG_LOG
#define DBG_ERROR LOG_LVL_ERROR
#define DBG_WARNING LOG_LVL_WARNING
#define DBG_INFO LOG_LVL_INFO
#define DBG_LOG LOG_LVL_DBG

#ifndef LOG_TAG
#if defined(DBG_TAG)
#define LOG_TAG DBG_TAG
#elif defined(DBG_SECTION_NAME)
#define LOG_TAG DBG_SECTION_NAME
#else
#define LOG_TAG "NO_TAG"
#endif
#endif
#ifndef LOG_LVL
#if defined(DBG_LVL)
#define LOG_LVL DBG_LVL
#elif defined(DBG_LEVEL)
#define LOG_LVL DBG_LEVEL
#else
#define LOG_LVL LOG_LVL_DBG
#endif
#endif
#ifndef ULOG_OUTPUT_LVL
#define ULOG_OUTPUT_LVL LOG_LVL_DBG
#endif

int ulog_init(void);
void ulog_deinit(void);
/** One line "[tick] L/tag: message" (with a newline when `newline`), unless filtered out. */
void ulog_output(rt_uint32_t level, const char *tag, rt_bool_t newline, const char *format, ...)
    TCPSERVER_PRINTF_FORMAT(4, 5);
/** The text as it is, with no head and no newline. */
void ulog_raw(const char *format, ...)
    TCPSERVER_PRINTF_FORMAT(1, 2);
/** `size` bytes of `buf`, `width` to a line: "[tick] D/HEX tag: 0000-0010: 41 42 ...  AB". */
void ulog_hexdump(const char *tag, rt_size_t width, const rt_uint8_t *buf, rt_size_t size, ...);
void ulog_flush(void);

/** Lines above `level` are dropped, for every tag (LOG_FILTER_LVL_ALL by default). */
void ulog_global_filter_lvl_set(rt_uint32_t level);
rt_uint32_t ulog_global_filter_lvl_get(void);
/** Lines of `tag` above `level` are dropped; LOG_FILTER_LVL_ALL removes the tag's filter.
 *  RT_EOK, or -RT_EINVAL for a level out of range or no tag. */
int ulog_tag_lvl_filter_set(const char *tag, rt_uint32_t level);
rt_uint32_t ulog_tag_lvl_filter_get(const char *tag);
/** Only lines whose tag contains `tag` are printed ("" for all). */
void ulog_global_filter_tag_set(const char *tag);
/** Only lines containing `keyword` are printed ("" for all). */
void ulog_global_filter_kw_set(const char *keyword);

#if (LOG_LVL >= LOG_LVL_DBG) && (ULOG_OUTPUT_LVL >= LOG_LVL_DBG)
#define ulog_d(TAG, ...) ulog_output(LOG_LVL_DBG, TAG, RT_TRUE, __VA_ARGS__)
#define ulog_hex(TAG, width, buf, size) ulog_hexdump(TAG, width, buf, size)
#else
#define ulog_d(TAG, ...) ((void)0)
#define ulog_hex(TAG, width, buf, size) ((void)0)
#endif
#if (LOG_LVL >= LOG_LVL_INFO) && (ULOG_OUTPUT_LVL >= LOG_LVL_INFO)
#define ulog_i(TAG, ...) ulog_output(LOG_LVL_INFO, TAG, RT_TRUE, __VA_ARGS__)
#else
#define ulog_i(TAG, ...) ((void)0)
#endif
#if (LOG_LVL >= LOG_LVL_WARNING) && (ULOG_OUTPUT_LVL >= LOG_LVL_WARNING)
#define ulog_w(TAG, ...) ulog_output(LOG_LVL_WARNING, TAG, RT_TRUE, __VA_ARGS__)
#else
#define ulog_w(TAG, ...) ((void)0)
#endif
#if (LOG_LVL >= LOG_LVL_ERROR) && (ULOG_OUTPUT_LVL >= LOG_LVL_ERROR)
#define ulog_e(TAG, ...) ulog_output(LOG_LVL_ERROR, TAG, RT_TRUE, __VA_ARGS__)
#else
#define ulog_e(TAG, ...) ((void)0)
#endif

/* The file's own lines, replacing rtdbg's macros of the same names. */
#undef LOG_D
#undef LOG_I
#undef LOG_W
#undef LOG_E
#undef LOG_RAW
#define LOG_E(...) ulog_e(LOG_TAG, __VA_ARGS__)
#define LOG_W(...) ulog_w(LOG_TAG, __VA_ARGS__)
#define LOG_I(...) ulog_i(LOG_TAG, __VA_ARGS__)
#define LOG_D(...) ulog_d(LOG_TAG, __VA_ARGS__)
#define LOG_RAW(...) ulog_raw(__VA_ARGS__)
#define LOG_HEX(name, width, buf, size) ulog_hex(name, width, buf, size)

#ifdef __cplusplus
}
#endif

#endif /* ULOG_H__ */
