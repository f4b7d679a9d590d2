// The netdev table's refresh, for the library's parts whose changes move netdev_default.
// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace tcp_server::detail
{

/** Reads the interfaces of the kernel and of lwIP into netdev's table again; with
 *  `start_default_stack`, starts lwIP first where it is the default stack. Thread safe. */
void refresh_netdev_table(bool start_default_stack) noexcept;

} // namespace tcp_server::detail
