/*
 * RT-Thread's hardware interface, as far as applications use it: disabling interrupts around a
 * critical section. On a host there are no interrupts to disable; rt_hw_interrupt_disable() and
 * rt_enter_critical() take one process-wide recursive lock instead, which nests, so code between
 * them excludes every other thread that takes it (not every thread, as a board's would).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __RT_HW_H__
#define __RT_HW_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C"
{
#endif

/** Takes the critical-section lock; returns the nesting level to give back to _enable. */
rt_base_t rt_hw_interrupt_disable(void);
/** Releases one level of the lock taken by rt_hw_interrupt_disable(). */
void rt_hw_interrupt_enable(rt_base_t level);

#ifdef __cplusplus
}
#endif

#endif
