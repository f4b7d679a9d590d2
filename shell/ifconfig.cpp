// ifconfig: this host's interfaces with their flags, MTU, MAC and addresses, in the layout of
// RT-Thread's ifconfig, so the user sees which address to give `tcpserver`; then lwIP's, once
// it runs.
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include <tcpserver.hpp>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace msh
{

namespace
{

struct Interface
{
    unsigned flags = 0;
    std::string mac;
    std::vector<std::string> lines; // "ip address: ...", "net mask: ..."
};

std::string address_text(const sockaddr *address)
{
    char text[INET6_ADDRSTRLEN] = "?";
    if (address->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(address)->sin_addr, text,
                  sizeof text);
    else if (address->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 *>(address)->sin6_addr, text,
                  sizeof text);
    return text;
}

std::string flags_text(unsigned flags)
{
    static const std::pair<unsigned, const char *> names[] = {{IFF_UP, "UP"},
                                                              {IFF_RUNNING, "LINK_UP"},
                                                              {IFF_LOOPBACK, "LOOPBACK"},
                                                              {IFF_BROADCAST, "BROADCAST"},
                                                              {IFF_POINTOPOINT, "POINTOPOINT"},
                                                              {IFF_MULTICAST, "MULTICAST"},
                                                              {IFF_PROMISC, "PROMISC"}};
    std::string text;
    for (const auto &[bit, name] : names)
        if (flags & bit)
            text += std::string(text.empty() ? "" : " ") + name;
    return text;
}

int mtu_of(const std::string &name)
{
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq request{};
    std::strncpy(request.ifr_name, name.c_str(), IFNAMSIZ - 1);
    int mtu = fd >= 0 && ::ioctl(fd, SIOCGIFMTU, &request) == 0 ? request.ifr_mtu : -1;
    if (fd >= 0)
        ::close(fd);
    return mtu;
}

// The default IPv4 gateway per interface, from the kernel's routing table.
std::map<std::string, std::string> default_gateways()
{
    std::map<std::string, std::string> gateways;
    std::ifstream routes("/proc/net/route");
    std::string line;
    std::getline(routes, line); // header
    while (std::getline(routes, line))
    {
        char name[IFNAMSIZ + 1];
        unsigned destination, gateway;
        if (std::sscanf(line.c_str(), "%16s %x %x", name, &destination, &gateway) == 3 &&
            destination == 0)
        {
            in_addr address{gateway};
            gateways[name] = inet_ntoa(address);
        }
    }
    return gateways;
}

// lwIP's interfaces, as a board's ifconfig shows them, marked as lwIP's.
void show_lwip_interfaces()
{
    for (const tcp_server::LwipInterface &interface : tcp_server::lwip_interfaces())
    {
        std::string mac = interface.mac;
        for (char &c : mac)
            c = c == ':' ? ' ' : c;
        rt_kprintf("network interface device: %s (lwIP%s%s)%s\n", interface.name.c_str(),
                   interface.device.empty() ? "" : " over ", interface.device.c_str(),
                   interface.is_default ? " (Default)" : "");
        rt_kprintf("MTU: %u\n", interface.mtu);
        rt_kprintf("MAC: %s\n", mac.c_str());
        rt_kprintf("FLAGS:%s%s\n", interface.up ? " UP" : " DOWN",
                   interface.link_up ? " LINK_UP" : " LINK_DOWN");
        rt_kprintf("ip address: %s\n", interface.address.c_str());
        rt_kprintf("gw address: %s\n", interface.gateway.c_str());
        rt_kprintf("net mask: %s\n", interface.netmask.c_str());
        for (const std::string &address : interface.addresses6)
            rt_kprintf("ipv6 address: %s\n", address.c_str());
    }
}

} // namespace

int ifconfig_command(int, char **)
{
    ifaddrs *list = nullptr;
    if (getifaddrs(&list) != 0)
    {
        rt_kprintf("ifconfig: cannot list interfaces: %s\n", std::strerror(errno));
        return -RT_ERROR;
    }
    std::map<std::string, Interface> interfaces;
    for (ifaddrs *entry = list; entry; entry = entry->ifa_next)
    {
        Interface &interface = interfaces[entry->ifa_name];
        interface.flags = entry->ifa_flags;
        if (!entry->ifa_addr)
            continue;
        int family = entry->ifa_addr->sa_family;
        if (family == AF_PACKET)
        {
            const auto *link = reinterpret_cast<const sockaddr_ll *>(entry->ifa_addr);
            std::string mac;
            for (int i = 0; i < link->sll_halen && i < 8; ++i)
            {
                char byte[4];
                std::snprintf(byte, sizeof byte, "%02x", link->sll_addr[i]);
                mac += (i ? " " : "") + std::string(byte);
            }
            interface.mac = mac;
        }
        else if (family == AF_INET)
        {
            interface.lines.push_back("ip address: " + address_text(entry->ifa_addr));
            if (entry->ifa_netmask)
                interface.lines.push_back("net mask: " + address_text(entry->ifa_netmask));
        }
        else if (family == AF_INET6)
        {
            interface.lines.push_back("ipv6 address: " + address_text(entry->ifa_addr));
        }
    }
    freeifaddrs(list);
    auto gateways = default_gateways();
    for (const auto &[name, interface] : interfaces)
    {
        rt_kprintf("network interface device: %s%s\n", name.c_str(),
                   gateways.count(name) ? " (Default)" : "");
        rt_kprintf("MTU: %d\n", mtu_of(name));
        if (!interface.mac.empty())
            rt_kprintf("MAC: %s\n", interface.mac.c_str());
        rt_kprintf("FLAGS: %s\n", flags_text(interface.flags).c_str());
        for (const std::string &line : interface.lines)
            rt_kprintf("%s\n", line.c_str());
        if (gateways.count(name))
            rt_kprintf("gw address: %s\n", gateways[name].c_str());
    }
    show_lwip_interfaces();
    return 0;
}

} // namespace msh
