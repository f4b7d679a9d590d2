// The only place that knows every poller backend.
// SPDX-License-Identifier: Apache-2.0
#include "poller/poller.h"
#include "poller/select_poller.h"

namespace tcp_server::detail
{

std::unique_ptr<Poller> make_poller()
{
    return std::make_unique<SelectPoller>();
}

} // namespace tcp_server::detail
