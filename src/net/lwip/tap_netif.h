// lwIP's Ethernet interface over a Linux TAP device: frames in through a reader thread, out
// through write().
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <cstdint>
#include <string>

struct netif;

namespace tcp_server::detail
{

/**
 * Attaches to the existing TAP device `name`. Returns its descriptor, or -1 with `error` and,
 * in `why`, what is wrong and how to fix it. Never creates a device: one created here would be
 * down and without an address, so lwIP would be unreachable with no error.
 */
int open_tap(const std::string &name, Errc &error, std::string &why);

/** netif_add()'s init function for a netif whose state is the TAP descriptor (intptr_t). */
std::int8_t init_tap_netif(netif *interface);

/** Starts the thread that hands the TAP device's frames to `interface`; it runs as long as the
 *  process does, as lwIP does. */
void start_tap_reader(netif &interface);

} // namespace tcp_server::detail
