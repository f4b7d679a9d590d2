// The netdev table's refresh, for the library's parts whose changes move netdev_default, and
// the stack of each interface.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

struct netdev;

namespace tcp_server::detail
{

/** Reads the interfaces of the kernel and of lwIP into netdev's table again; with
 *  `start_default_stack`, starts lwIP first where it is the default stack. Thread safe. */
void refresh_netdev_table(bool start_default_stack) noexcept;

/** The stack whose interface `device` is; false for a pointer that is no netdev. */
bool netdev_stack(const struct netdev *device, StackKind &stack);

} // namespace tcp_server::detail
