// Starting lwIP once per process, and what the rest of the library asks of it as a whole.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/endpoint.h"

#include <netinet/in.h>

namespace tcp_server::detail
{

/** Starts lwIP with LwipSettings::from_environment() unless it runs already; logs why not. */
Errc start_lwip_once();

/** Whether a listener bound to `endpoint` can be reached: an "any" or loopback address, or
 *  one of lwIP's interfaces' own (lwIP itself binds any address without a word). */
bool lwip_serves_address(const sockets::Endpoint &endpoint);

/** Gives lwIP's interface `name` (tp0) this address, netmask and gateway (nullptr: unchanged),
 *  as a board's netdev asks its driver. False when lwIP runs no interface of that name. */
bool set_lwip_addresses(const char *name, const in_addr *address, const in_addr *netmask,
                        const in_addr *gateway);
/** Brings lwIP's interface `name` up or down; false when there is none of that name. */
bool set_lwip_up(const char *name, bool up);

} // namespace tcp_server::detail
