// The heap's limit, which Kconfig's RT_HEAP_SIZE sets at start.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <rtthread.h>

namespace tcp_server::detail::rt
{

/** The most rt_malloc and friends may hold at once from now on; 0 for no limit (the host's
 *  heap). Blocks held already stay. Any thread. */
void set_heap_limit(rt_size_t bytes);

} // namespace tcp_server::detail::rt
