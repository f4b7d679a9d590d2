// Which stack servers use by default, and lwIP's settings from the build and the environment.
// SPDX-License-Identifier: Apache-2.0
#include "sal/netdev_table.h"
#include "util/log.h"

#include <tcpserver.hpp>
#include <tcpserver_config.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace tcp_server
{

namespace
{

constexpr StackKind kBuildDefault =
#if defined(TCPSERVER_DEFAULT_STACK_LWIP)
    StackKind::lwip;
#else
    StackKind::kernel;
#endif

std::atomic<StackKind> process_default{kBuildDefault};
std::once_flag environment_read;

// TCPSERVER_STACK is read on first use rather than at load time, so a bad value is logged
// once the log can be read, and a program may still set_default_stack() over it.
void read_environment()
{
    const char *value = std::getenv("TCPSERVER_STACK");
    if (!value || !*value)
        return;
    if (std::strcmp(value, "lwip") == 0)
        process_default.store(StackKind::lwip);
    else if (std::strcmp(value, "kernel") == 0)
        process_default.store(StackKind::kernel);
    else
        LOG_E("TCPSERVER_STACK=%s is not a stack (kernel or lwip): the default, %s, stays", value,
              to_string(kBuildDefault));
}

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
    std::call_once(environment_read, read_environment);
    return process_default.load();
}

void set_default_stack(StackKind stack) noexcept
{
    std::call_once(environment_read, read_environment);
    process_default.store(stack);
    detail::refresh_netdev_table(false); // netdev_default follows the default stack
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
