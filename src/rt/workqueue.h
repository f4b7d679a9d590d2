// The system work queue, started with the board's system threads (or by its first use).
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <rtdevice.h>

namespace tcp_server::detail::rt
{

#ifdef RT_USING_SYSTEM_WORKQUEUE
/** "sys workq", started on first call; nullptr (logged) when it cannot be. Thread safe. */
rt_workqueue *system_workqueue();
/** Ends it, after the work running now, if it runs. */
void end_system_workqueue();
#endif

} // namespace tcp_server::detail::rt
