// A build without lwIP (TCPSERVER_USING_LWIP off): asking for it is a clear error.
// SPDX-License-Identifier: Apache-2.0
#include "net/lwip/lwip_start.h"
#include "net/stack.h"
#include "sal/socket_ops.h"
#include "util/log.h"

namespace tcp_server
{

Errc start_lwip(const LwipSettings &)
{
    LOG_E("lwIP is not in this build: configure with TCPSERVER_USING_LWIP=y and liblwip-dev");
    return Errc::stack_not_built;
}

std::vector<LwipInterface> lwip_interfaces()
{
    return {};
}

namespace detail
{

Stack *lwip_stack(Errc &error)
{
    error = start_lwip({});
    return nullptr;
}

bool set_lwip_addresses(const char *, const in_addr *, const in_addr *, const in_addr *)
{
    return false;
}

bool set_lwip_up(const char *, bool)
{
    return false;
}

namespace sal
{

SocketOps *lwip_socket_ops(Errc &error)
{
    lwip_stack(error);
    return nullptr;
}

} // namespace sal
} // namespace detail
} // namespace tcp_server
