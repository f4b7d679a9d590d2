// netdev's table: one struct netdev per interface of the kernel and of lwIP, kept for the life
// of the process (applications hold the pointers), read from the interfaces when the library
// loads, and again on every netdev call, msh's ifconfig, lwIP's start and a change of the
// default stack.
// SPDX-License-Identifier: Apache-2.0
#include "sal/netdev_table.h"

#include "net/lwip/lwip_start.h"
#include "net/stack.h"
#include "util/log.h"

#include <netdev.h>
#include <tcpserver.hpp>

// netdev_ipaddr.h maps these names to netdev's own functions, which call the C library's.
#undef inet_aton
#undef inet_ntoa

#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <tcpserver_config.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

struct netdev *netdev_list = nullptr;
struct netdev *netdev_default = nullptr;

namespace tcp_server::detail
{

namespace
{

// One interface as read: its netdev fields and what ifconfig shows beyond them.
struct Reading
{
    NetworkInterface shown;
    in_addr address{}, netmask{}, gateway{};
    std::uint8_t hwaddr[NETDEV_HWADDR_MAX_LEN] = {};
    std::uint8_t hwaddr_len = 0;
};

struct Entry
{
    struct netdev device
    {
    };
    NetworkInterface shown;
};

std::mutex table_mutex;
std::deque<Entry> table; // a deque: entries never move, applications keep their addresses
struct netdev *chosen_default = nullptr;

std::string text_of(const sockaddr *address)
{
    char text[INET6_ADDRSTRLEN] = "";
    if (address->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(address)->sin_addr, text,
                  sizeof text);
    else
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 *>(address)->sin6_addr, text,
                  sizeof text);
    return text;
}

std::string mac_text(const std::uint8_t *bytes, unsigned length)
{
    std::string text;
    for (unsigned i = 0; i < length; ++i)
    {
        char byte[4];
        std::snprintf(byte, sizeof byte, "%02x", bytes[i]);
        text += (i ? " " : "") + std::string(byte);
    }
    return text;
}

// `fd`: any socket of the kernel's, which SIOCGIFMTU asks through.
unsigned mtu_of(int fd, const char *name)
{
    ifreq request{};
    std::strncpy(request.ifr_name, name, IFNAMSIZ - 1);
    return fd >= 0 && ::ioctl(fd, SIOCGIFMTU, &request) == 0
               ? static_cast<unsigned>(request.ifr_mtu)
               : 0;
}

// The default IPv4 route's gateway per interface, from the kernel's routing table.
std::map<std::string, in_addr> default_gateways()
{
    std::map<std::string, in_addr> gateways;
    std::ifstream routes("/proc/net/route");
    std::string line;
    std::getline(routes, line); // header
    while (std::getline(routes, line))
    {
        char name[IFNAMSIZ + 1];
        unsigned destination, gateway;
        if (std::sscanf(line.c_str(), "%16s %x %x", name, &destination, &gateway) == 3 &&
            destination == 0)
            gateways[name] = in_addr{gateway};
    }
    return gateways;
}

void read_kernel(std::vector<Reading> &readings)
{
    ifaddrs *list = nullptr;
    if (getifaddrs(&list) != 0)
        return;
    // Both released however this ends: a reading may run out of memory.
    std::unique_ptr<ifaddrs, void (*)(ifaddrs *)> owned(list, freeifaddrs);
    struct Socket
    {
        int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ~Socket()
        {
            if (fd >= 0)
                ::close(fd);
        }
    } asking;
    std::map<std::string, std::size_t> index;
    for (ifaddrs *entry = list; entry; entry = entry->ifa_next)
    {
        auto [at, added] = index.emplace(entry->ifa_name, readings.size());
        if (added)
        {
            readings.emplace_back();
            readings.back().shown.name = entry->ifa_name;
            readings.back().shown.mtu = mtu_of(asking.fd, entry->ifa_name);
        }
        Reading &reading = readings[at->second];
        NetworkInterface &shown = reading.shown;
        shown.host_flags = entry->ifa_flags;
        shown.up = entry->ifa_flags & IFF_UP;
        shown.link_up = entry->ifa_flags & IFF_RUNNING;
        if (!entry->ifa_addr)
            continue;
        if (entry->ifa_addr->sa_family == AF_PACKET)
        {
            const auto *link = reinterpret_cast<const sockaddr_ll *>(entry->ifa_addr);
            reading.hwaddr_len = static_cast<std::uint8_t>(
                std::min<unsigned>(link->sll_halen, NETDEV_HWADDR_MAX_LEN));
            std::memcpy(reading.hwaddr, link->sll_addr, reading.hwaddr_len);
            shown.mac = mac_text(reading.hwaddr, reading.hwaddr_len);
        }
        else if (entry->ifa_addr->sa_family == AF_INET)
        {
            if (shown.addresses.empty())
            {
                reading.address = reinterpret_cast<const sockaddr_in *>(entry->ifa_addr)->sin_addr;
                if (entry->ifa_netmask)
                    reading.netmask =
                        reinterpret_cast<const sockaddr_in *>(entry->ifa_netmask)->sin_addr;
            }
            shown.addresses.push_back(text_of(entry->ifa_addr));
            shown.netmasks.push_back(entry->ifa_netmask ? text_of(entry->ifa_netmask) : "");
        }
        else if (entry->ifa_addr->sa_family == AF_INET6)
        {
            shown.addresses6.push_back(text_of(entry->ifa_addr));
        }
    }
    for (const auto &[name, gateway] : default_gateways())
    {
        auto at = index.find(name);
        if (at == index.end())
            continue;
        readings[at->second].gateway = gateway;
        char text[INET_ADDRSTRLEN];
        readings[at->second].shown.gateway = inet_ntop(AF_INET, &gateway, text, sizeof text);
        readings[at->second].shown.is_default = true; // the default route's, for now
    }
}

void read_lwip(std::vector<Reading> &readings)
{
    for (LwipInterface &interface : lwip_interfaces())
    {
        Reading reading;
        NetworkInterface &shown = reading.shown;
        shown.name = interface.name;
        shown.stack = StackKind::lwip;
        shown.device = interface.device;
        shown.up = interface.up;
        shown.link_up = interface.link_up;
        shown.is_default = interface.is_default;
        shown.mtu = interface.mtu;
        unsigned bytes[NETDEV_HWADDR_MAX_LEN];
        int count = std::sscanf(interface.mac.c_str(), "%x:%x:%x:%x:%x:%x", &bytes[0], &bytes[1],
                                &bytes[2], &bytes[3], &bytes[4], &bytes[5]);
        for (int i = 0; i < count; ++i)
            reading.hwaddr[i] = static_cast<std::uint8_t>(bytes[i]);
        reading.hwaddr_len = static_cast<std::uint8_t>(std::max(count, 0));
        shown.mac = mac_text(reading.hwaddr, reading.hwaddr_len);
        inet_pton(AF_INET, interface.address.c_str(), &reading.address);
        inet_pton(AF_INET, interface.netmask.c_str(), &reading.netmask);
        inet_pton(AF_INET, interface.gateway.c_str(), &reading.gateway);
        shown.addresses = {interface.address};
        shown.netmasks = {interface.netmask};
        shown.gateway = reading.gateway.s_addr ? interface.gateway : "";
        shown.addresses6 = std::move(interface.addresses6);
        readings.push_back(std::move(reading));
    }
}

std::uint16_t flags_of(const Reading &reading)
{
    const NetworkInterface &shown = reading.shown;
    std::uint16_t flags = 0;
    if (shown.up)
        flags |= NETDEV_FLAG_UP;
    if (shown.link_up)
        flags |= NETDEV_FLAG_LINK_UP;
    if (shown.host_flags & IFF_BROADCAST || (shown.stack == StackKind::lwip && reading.hwaddr_len))
        flags |= NETDEV_FLAG_BROADCAST;
    if (reading.hwaddr_len == 6)
        flags |= NETDEV_FLAG_ETHARP | NETDEV_FLAG_ETHERNET;
    if (shown.up && shown.link_up && reading.gateway.s_addr != 0)
        flags |= NETDEV_FLAG_INTERNET_UP;
    return flags;
}

Entry &entry_named(const std::string &name)
{
    for (Entry &entry : table)
        if (entry.shown.name == name)
            return entry;
    Entry &entry = table.emplace_back();
    std::snprintf(entry.device.name, sizeof entry.device.name, "%s", name.c_str());
    return entry;
}

// The default when the application has chosen none: the default stack's; else its first
// interface up with an address; else, as on a board, where the first netdev registered is the
// default, its first interface (the loopback of a host with no network), never NULL while the
// stack has one: board code reads netdev_default without checking.
struct netdev *following_default(StackKind stack)
{
    struct netdev *first_up = nullptr;
    struct netdev *first = nullptr;
    for (Entry &entry : table)
    {
        if (!entry.shown.present || entry.shown.stack != stack)
            continue;
        if (entry.shown.is_default)
            return &entry.device;
        if (!first_up && entry.shown.up && !(entry.shown.host_flags & IFF_LOOPBACK) &&
            entry.device.ip_addr.addr != 0)
            first_up = &entry.device;
        if (!first)
            first = &entry.device;
    }
    return first_up ? first_up : first;
}

// A change the table found, for the interface's callback, called once the table is unlocked.
struct Change
{
    struct netdev *device;
    netdev_callback_fn callback;
    enum netdev_cb_type type;
};

// What changed between an interface's last reading and this one (`flags`, addresses).
void note_changes(struct netdev &device, const Reading &reading, std::uint16_t flags,
                  std::vector<Change> &changes)
{
    auto address = [&](std::uint32_t before, std::uint32_t now, enum netdev_cb_type type) {
        if (before != now && device.addr_callback)
            changes.push_back({&device, device.addr_callback, type});
    };
    address(device.ip_addr.addr, reading.address.s_addr, NETDEV_CB_ADDR_IP);
    address(device.netmask.addr, reading.netmask.s_addr, NETDEV_CB_ADDR_NETMASK);
    address(device.gw.addr, reading.gateway.s_addr, NETDEV_CB_ADDR_GATEWAY);
    static const struct
    {
        std::uint16_t flag;
        enum netdev_cb_type set, cleared;
    } statuses[] = {
        {NETDEV_FLAG_UP, NETDEV_CB_STATUS_UP, NETDEV_CB_STATUS_DOWN},
        {NETDEV_FLAG_LINK_UP, NETDEV_CB_STATUS_LINK_UP, NETDEV_CB_STATUS_LINK_DOWN},
        {NETDEV_FLAG_INTERNET_UP, NETDEV_CB_STATUS_INTERNET_UP, NETDEV_CB_STATUS_INTERNET_DOWN}};
    for (const auto &status : statuses)
        if (((device.flags ^ flags) & status.flag) && device.status_callback)
            changes.push_back({&device, device.status_callback,
                               (flags & status.flag) ? status.set : status.cleared});
}

void refresh_locked(std::vector<Reading> readings, StackKind stack, std::vector<Change> &changes)
{
    for (Entry &entry : table)
        entry.shown.present = false;
    for (Reading &reading : readings)
    {
        Entry &entry = entry_named(reading.shown.name);
        struct netdev &device = entry.device;
        std::uint16_t flags = flags_of(reading);
        note_changes(device, reading, flags, changes);
        device.ip_addr.addr = reading.address.s_addr;
        device.netmask.addr = reading.netmask.s_addr;
        device.gw.addr = reading.gateway.s_addr;
        device.hwaddr_len = reading.hwaddr_len;
        std::memcpy(device.hwaddr, reading.hwaddr, sizeof device.hwaddr);
        device.flags = flags;
        reading.shown.internet_up = device.flags & NETDEV_FLAG_INTERNET_UP;
        device.mtu = static_cast<std::uint16_t>(std::min(reading.shown.mtu, 65535u));
        entry.shown = std::move(reading.shown);
        entry.shown.present = true;
    }
    // Gone interfaces are down and out of the list; the list keeps the order read.
    struct netdev *last = nullptr;
    netdev_list = nullptr;
    for (Entry &entry : table)
    {
        if (!entry.shown.present)
        {
            if ((entry.device.flags & NETDEV_FLAG_UP) && entry.device.status_callback)
                changes.push_back(
                    {&entry.device, entry.device.status_callback, NETDEV_CB_STATUS_DOWN});
            entry.device.flags = 0;
            continue;
        }
        entry.device.list.next = nullptr;
        if (last)
            last->list.next = &entry.device.list;
        else
            netdev_list = &entry.device;
        last = &entry.device;
    }
    netdev_default = chosen_default ? chosen_default : following_default(stack);
    for (Entry &entry : table)
        entry.shown.is_default = &entry.device == netdev_default;
}

void refresh(bool start_default_stack)
{
    // As an application's socket call would, a lookup on lwIP starts it (outside the lock:
    // its start reads the table too).
    if (start_default_stack && default_stack() == StackKind::lwip)
    {
        Errc ignored;
        lwip_stack(ignored);
    }
    std::vector<Reading> readings;
    read_kernel(readings);
    read_lwip(readings);
    StackKind stack = default_stack();
    std::vector<Change> changes;
    {
        std::lock_guard lock(table_mutex);
        refresh_locked(std::move(readings), stack, changes);
    }
    for (const Change &change : changes)
        change.callback(change.device, change.type);
}

// A board's network is up before its applications run, and they read netdev_default without
// asking: the kernel's interfaces are read when the library loads (lwIP's join when it starts).
// default_stack() is not asked yet: it logs a bad TCPSERVER_STACK, too early to be seen here.
bool read_at_load()
{
    try
    {
        const char *named = std::getenv("TCPSERVER_STACK");
        bool lwip = named ? std::strcmp(named, "lwip") == 0
#ifdef TCPSERVER_DEFAULT_STACK_LWIP
                          : true;
#else
                          : false;
#endif
        std::vector<Reading> readings;
        read_kernel(readings);
        std::vector<Change> none; // no callback is set before the library has loaded
        std::lock_guard lock(table_mutex);
        refresh_locked(std::move(readings), lwip ? StackKind::lwip : StackKind::kernel, none);
    }
    catch (const std::exception &)
    {
        // Out of memory at load: the first netdev call reads the table.
    }
    return true;
}

[[maybe_unused]] const bool table_read = read_at_load();

} // namespace

bool netdev_stack(const struct netdev *device, StackKind &stack)
{
    std::lock_guard lock(table_mutex);
    for (const Entry &entry : table)
        if (&entry.device == device)
        {
            stack = entry.shown.stack;
            return true;
        }
    return false;
}

void refresh_netdev_table(bool start_default_stack) noexcept
{
    try
    {
        refresh(start_default_stack);
    }
    catch (const std::exception &)
    {
        // Out of memory: the table stays as last read.
    }
}

} // namespace tcp_server::detail

namespace tcp_server
{

std::vector<NetworkInterface> network_interfaces()
{
    detail::refresh_netdev_table(true);
    std::vector<NetworkInterface> interfaces;
    std::lock_guard lock(detail::table_mutex);
    for (const detail::Entry &entry : detail::table) // netdev_list links these, in this order
        if (entry.shown.present)
            interfaces.push_back(entry.shown);
    return interfaces;
}

} // namespace tcp_server

using tcp_server::detail::refresh_netdev_table;

namespace
{

// The first listed netdev that `matches`, the table read afresh.
template <typename Match> struct netdev *first_listed(Match matches)
{
    refresh_netdev_table(true);
    for (struct netdev *device = netdev_list; device;
         device = rt_slist_entry(device->list.next, struct netdev, list))
        if (matches(*device))
            return device;
    return nullptr;
}

// A change netdev asks of an interface's driver: lwIP's interfaces take it; the host's are
// the host's to configure, never the library's (RT-Thread's refusal for a driver without it).
bool on_lwip(struct netdev *netdev, const char *what)
{
    tcp_server::StackKind stack = tcp_server::StackKind::kernel;
    if (netdev && tcp_server::detail::netdev_stack(netdev, stack) &&
        stack == tcp_server::StackKind::lwip)
        return true;
    rt_dbg_log_line(DBG_ERROR, "netdev", "The network interface device(%s) not support to set %s.",
                    netdev ? netdev->name : "(null)", what);
    return false;
}

int set_addresses(struct netdev *netdev, const ip_addr_t *address, const ip_addr_t *netmask,
                  const ip_addr_t *gateway, const char *what)
{
    if (!on_lwip(netdev, what))
        return -RT_ERROR;
    auto as_in_addr = [](const ip_addr_t *value, in_addr &out) {
        if (!value)
            return static_cast<in_addr *>(nullptr);
        out.s_addr = value->addr;
        return &out;
    };
    in_addr a{}, m{}, g{};
    if (!tcp_server::detail::set_lwip_addresses(netdev->name, as_in_addr(address, a),
                                                as_in_addr(netmask, m), as_in_addr(gateway, g)))
        return -RT_ERROR;
    refresh_netdev_table(false); // the change is seen, and its callback called, at once
    return RT_EOK;
}

int set_status(struct netdev *netdev, bool up)
{
    if (netdev && netdev_is_up(netdev) == (up ? 1 : 0))
        return RT_EOK;
    if (!on_lwip(netdev, "status") || !tcp_server::detail::set_lwip_up(netdev->name, up))
        return -RT_ERROR;
    refresh_netdev_table(false);
    return RT_EOK;
}

} // namespace

extern "C"
{

int netdev_set_ipaddr(struct netdev *netdev, const ip_addr_t *ipaddr)
{
    return ipaddr ? set_addresses(netdev, ipaddr, nullptr, nullptr, "IP address") : -RT_ERROR;
}

int netdev_set_netmask(struct netdev *netdev, const ip_addr_t *netmask)
{
    return netmask ? set_addresses(netdev, nullptr, netmask, nullptr, "netmask address")
                   : -RT_ERROR;
}

int netdev_set_gw(struct netdev *netdev, const ip_addr_t *gw)
{
    return gw ? set_addresses(netdev, nullptr, nullptr, gw, "gateway address") : -RT_ERROR;
}

int netdev_set_dns_server(struct netdev *netdev, uint8_t dns_num, const ip_addr_t *dns_server)
{
    if (dns_num >= NETDEV_DNS_SERVERS_NUM)
        rt_dbg_log_line(DBG_ERROR, "netdev",
                        "The number of DNS servers(%d) set exceeds the maximum number(%d).",
                        dns_num + 1, static_cast<int>(NETDEV_DNS_SERVERS_NUM));
    else
        rt_dbg_log_line(DBG_ERROR, "netdev",
                        "The network interface device(%s) not support to set DNS server address.",
                        netdev ? netdev->name : "(null)");
    (void)dns_server;
    return -RT_ERROR; // lwIP here has no DNS; the host's resolver is the host's
}

int netdev_set_up(struct netdev *netdev)
{
    return set_status(netdev, true);
}

int netdev_set_down(struct netdev *netdev)
{
    return set_status(netdev, false);
}

int netdev_dhcp_enabled(struct netdev *netdev, rt_bool_t is_enabled)
{
    if (netdev && netdev_is_dhcp_enabled(netdev) == (is_enabled ? 1 : 0))
        return RT_EOK;
    rt_dbg_log_line(DBG_ERROR, "netdev",
                    "The network interface device(%s) not support to set DHCP status.",
                    netdev ? netdev->name : "(null)");
    return -RT_ERROR;
}

void netdev_set_status_callback(struct netdev *netdev, netdev_callback_fn status_callback)
{
    if (!netdev)
        return;
    std::lock_guard lock(tcp_server::detail::table_mutex);
    netdev->status_callback = status_callback;
}

void netdev_set_addr_callback(struct netdev *netdev, netdev_callback_fn addr_callback)
{
    if (!netdev)
        return;
    std::lock_guard lock(tcp_server::detail::table_mutex);
    netdev->addr_callback = addr_callback;
}

struct netdev *netdev_get_by_name(const char *name)
{
    if (!name)
        return nullptr;
    return first_listed([name](const struct netdev &device) {
        return std::strncmp(device.name, name, sizeof device.name) == 0;
    });
}

struct netdev *netdev_get_by_ipaddr(ip_addr_t *ip_addr)
{
    if (!ip_addr)
        return nullptr;
    return first_listed(
        [ip_addr](const struct netdev &device) { return device.ip_addr.addr == ip_addr->addr; });
}

struct netdev *netdev_get_first_by_flags(uint16_t flags)
{
    return first_listed(
        [flags](const struct netdev &device) { return (device.flags & flags) == flags; });
}

struct netdev *netdev_get_by_family(int family)
{
    // Every interface here is its stack's IPv4 one (NETDEV_IPV6 is 0). A socket of the family
    // goes out through the default one: that first, if it is up, else the first up.
    if (family != AF_INET)
        return nullptr;
    struct netdev *first_up = first_listed(
        [](const struct netdev &device) { return (device.flags & NETDEV_FLAG_UP) != 0; });
    struct netdev *chosen = netdev_default;
    return chosen && netdev_is_up(chosen) ? chosen : first_up;
}

void netdev_set_default(struct netdev *netdev)
{
    {
        std::lock_guard lock(tcp_server::detail::table_mutex);
        tcp_server::detail::chosen_default = netdev;
    }
    refresh_netdev_table(false);
}

in_addr_t netdev_ipaddr_addr(const char *text)
{
    in_addr address;
    return text && ::inet_aton(text, &address) ? address.s_addr : IPADDR_NONE;
}

int netdev_ip4addr_aton(const char *text, ip4_addr_t *address)
{
    in_addr parsed;
    if (!text || !::inet_aton(text, &parsed))
        return 0;
    if (address)
        address->addr = parsed.s_addr;
    return 1;
}

char *netdev_ip4addr_ntoa_r(const ip4_addr_t *address, char *buffer, int size)
{
    if (!address || !buffer || size <= 0)
        return nullptr;
    in_addr value{address->addr};
    return inet_ntop(AF_INET, &value, buffer, static_cast<socklen_t>(size)) ? buffer : nullptr;
}

char *netdev_ip4addr_ntoa(const ip4_addr_t *address)
{
    thread_local char buffer[IP4ADDR_STRLEN_MAX];
    return netdev_ip4addr_ntoa_r(address, buffer, sizeof buffer);
}

} // extern "C"
