/*
 * RT-Thread's kernel debugging macros: RT_ASSERT stops the program at a failed condition and
 * names it; the kernel's own trace and context checks are empty on the host.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __RTDEBUG_H__
#define __RTDEBUG_H__

#include <rtconfig.h>

#define RT_ASSERT(expr)                                                                            \
    do                                                                                             \
    {                                                                                              \
        if (!(expr))                                                                               \
            rt_assert_handler(#expr, __func__, (rt_size_t)__LINE__);                               \
    } while (0)

#define RT_DEBUG_LOG(type, message) ((void)0)
#define RT_DEBUG_NOT_IN_INTERRUPT ((void)0)
#define RT_DEBUG_IN_THREAD_CONTEXT ((void)0)
#define RT_DEBUG_SCHEDULER_AVAILABLE(need_check) ((void)0)

#endif
