// Where a board program started by a test runs its networking: on a kernel run, loopback; on
// an lwIP run, its own lwIP on tap1 (the run's lwIP holds tap0), which the host reaches at
// 192.0.2.129/25. And how to check that it holds no kernel socket there.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace test_support
{

struct AppNetwork
{
    const char *app_ip;  // where the host reaches the program
    const char *host_ip; // where the program reaches the host
};

/** The network of this run's programs; on lwIP creates tap1 once and points the programs'
 *  lwIP at it through the environment they inherit. */
AppNetwork app_network();
/** The program's arguments that pick this run's stack. */
std::vector<std::string> app_stack_arguments();
/** How many of process `pid`'s descriptors are kernel sockets (-1 when they cannot be read). */
int kernel_sockets_of(int pid);
/** A host socket of `type` bound to ip:port (0: the kernel picks, returned in port); -1 on
 *  failure. */
int bound_socket(int type, const char *ip, std::uint16_t &port);

} // namespace test_support
