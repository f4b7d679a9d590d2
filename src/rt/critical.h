// The process-wide critical-section lock behind rt_hw_interrupt_disable() and
// rt_enter_critical().
// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace tcp_server::detail::rt
{

/** How many times the calling thread holds the critical-section lock. */
int critical_depth();

} // namespace tcp_server::detail::rt
