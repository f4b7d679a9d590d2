/*
 * Formats as a board lets them pass: RT-Thread's rt_kprintf and LOG_x have no format checking
 * and a board's size_t is 32-bit, so "%d" of a size_t is clean there. It must build clean here
 * too, and be caught once Kconfig's RT_KPRINTF_CHECK_FORMAT asks for checking.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>
#include <string.h>

#define DBG_TAG "formats"
#define DBG_LVL DBG_LOG
#include <rtdbg.h>

int print_lengths(const char *name)
{
    rt_kprintf("%s: %d bytes\n", name, strlen(name));
    LOG_I("an int is %d bytes, the name %d", sizeof(int), strlen(name));
    return 0;
}
