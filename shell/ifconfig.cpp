// ifconfig: netdev's table (the host's interfaces, then lwIP's once it runs) with flags, MTU,
// MAC and addresses, in the layout of RT-Thread's ifconfig, so the user sees which address to
// give `tcpserver`; "(Default)" marks netdev_default.
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include <netdev.h>
#include <tcpserver.hpp>

#include <net/if.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace msh
{

namespace
{

// lwIP's interface in the words of RT-Thread's ifconfig (its address is set, not leased);
// the host's with the kernel's flags, INTERNET_UP where netdev has it.
std::string flags_text(const tcp_server::NetworkInterface &interface)
{
    if (interface.stack == tcp_server::StackKind::lwip)
        return std::string(interface.up ? "UP" : "DOWN") +
               (interface.link_up ? " LINK_UP" : " LINK_DOWN") +
               (interface.internet_up ? " INTERNET_UP" : " INTERNET_DOWN") + " DHCP_DISABLE" +
               (interface.mac.empty() ? "" : " ETHARP BROADCAST");
    constexpr unsigned kInternetUp = 1u << 31; // not a kernel flag: netdev's, placed here
    static const std::pair<unsigned, const char *> names[] = {{IFF_UP, "UP"},
                                                              {IFF_RUNNING, "LINK_UP"},
                                                              {kInternetUp, "INTERNET_UP"},
                                                              {IFF_LOOPBACK, "LOOPBACK"},
                                                              {IFF_BROADCAST, "BROADCAST"},
                                                              {IFF_POINTOPOINT, "POINTOPOINT"},
                                                              {IFF_MULTICAST, "MULTICAST"},
                                                              {IFF_PROMISC, "PROMISC"}};
    unsigned flags = interface.host_flags | (interface.internet_up ? kInternetUp : 0u);
    std::string text;
    for (const auto &[bit, name] : names)
        if (flags & bit)
            text += std::string(text.empty() ? "" : " ") + name;
    return text;
}

} // namespace

namespace
{

// ifconfig <netdev> <ip> <gateway> <netmask>, as RT-Thread's: each part that parses is set.
int configure(char **argv)
{
    rt_kprintf("config : %s\n", argv[1]);
    rt_kprintf("IP addr: %s\n", argv[2]);
    rt_kprintf("Gateway: %s\n", argv[3]);
    rt_kprintf("netmask: %s\n", argv[4]);
    struct netdev *netdev = netdev_get_by_name(argv[1]);
    if (!netdev)
    {
        rt_kprintf("bad network interface device name(%s).\n", argv[1]);
        return -RT_ERROR;
    }
    ip_addr_t address;
    int result = RT_EOK;
    if (netdev_ip4addr_aton(argv[2], &address) && netdev_set_ipaddr(netdev, &address) != RT_EOK)
        result = -RT_ERROR;
    if (netdev_ip4addr_aton(argv[3], &address) && netdev_set_gw(netdev, &address) != RT_EOK)
        result = -RT_ERROR;
    if (netdev_ip4addr_aton(argv[4], &address) && netdev_set_netmask(netdev, &address) != RT_EOK)
        result = -RT_ERROR;
    return result;
}

} // namespace

int ifconfig_command(int argc, char **argv)
{
    if (argc == 5)
        return configure(argv);
    if (argc != 1)
    {
        rt_kprintf("bad parameter! e.g: ifconfig e0 192.168.1.30 192.168.1.1 255.255.255.0\n");
        return -RT_EINVAL;
    }
    std::vector<tcp_server::NetworkInterface> interfaces = tcp_server::network_interfaces();
    if (interfaces.empty())
    {
        rt_kprintf("ifconfig: cannot list interfaces: %s\n", std::strerror(errno));
        return -RT_ERROR;
    }
    for (const tcp_server::NetworkInterface &interface : interfaces)
    {
        bool lwip = interface.stack == tcp_server::StackKind::lwip;
        std::string stack = !lwip                      ? ""
                            : interface.device.empty() ? " (lwIP)"
                                                       : " (lwIP over " + interface.device + ")";
        rt_kprintf("network interface device: %s%s%s\n", interface.name.c_str(), stack.c_str(),
                   interface.is_default ? " (Default)" : "");
        rt_kprintf("MTU: %u\n", interface.mtu);
        if (!interface.mac.empty())
            rt_kprintf("MAC: %s\n", interface.mac.c_str());
        rt_kprintf("FLAGS: %s\n", flags_text(interface).c_str());
        for (std::size_t i = 0; i < interface.addresses.size(); ++i)
        {
            rt_kprintf("ip address: %s\n", interface.addresses[i].c_str());
            if (!interface.netmasks[i].empty())
                rt_kprintf("net mask: %s\n", interface.netmasks[i].c_str());
        }
        if (!interface.gateway.empty())
            rt_kprintf("gw address: %s\n", interface.gateway.c_str());
        for (const std::string &address : interface.addresses6)
            rt_kprintf("ipv6 address: %s\n", address.c_str());
    }
    return 0;
}

} // namespace msh
