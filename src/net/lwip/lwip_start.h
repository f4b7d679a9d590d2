// Starting lwIP once per process, and what the rest of the library asks of it as a whole.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/endpoint.h"

namespace tcp_server::detail
{

/** Starts lwIP with LwipSettings::from_environment() unless it runs already; logs why not. */
Errc start_lwip_once();

/** Whether a listener bound to `endpoint` can be reached: an "any" or loopback address, or
 *  one of lwIP's interfaces' own (lwIP itself binds any address without a word). */
bool lwip_serves_address(const sockets::Endpoint &endpoint);

} // namespace tcp_server::detail
