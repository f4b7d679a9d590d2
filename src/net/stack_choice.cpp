// Which stack servers use by default, and lwIP's settings from the build and the environment.
// SPDX-License-Identifier: Apache-2.0
#include <tcpserver.hpp>

#include <atomic>
#include <cstdlib>

namespace tcp_server
{

namespace
{

std::atomic<StackKind> process_default{StackKind::kernel};

void override_from_environment(std::string &setting, const char *variable)
{
    if (const char *value = std::getenv(variable); value && *value)
        setting = value;
}

} // namespace

const char *to_string(StackKind stack) noexcept
{
    return stack == StackKind::lwip ? "lwip" : "kernel";
}

StackKind default_stack() noexcept
{
    return process_default.load();
}

void set_default_stack(StackKind stack) noexcept
{
    process_default.store(stack);
}

LwipSettings LwipSettings::from_environment()
{
    LwipSettings settings;
    override_from_environment(settings.tap, "TCPSERVER_LWIP_TAP");
    override_from_environment(settings.address, "TCPSERVER_LWIP_IPADDR");
    override_from_environment(settings.netmask, "TCPSERVER_LWIP_NETMASK");
    override_from_environment(settings.gateway, "TCPSERVER_LWIP_GWADDR");
    override_from_environment(settings.address6, "TCPSERVER_LWIP_IP6ADDR");
    return settings;
}

} // namespace tcp_server
