// Starting lwIP: once per process, as on a board; its TAP netif; what ifconfig shows of it.
// SPDX-License-Identifier: Apache-2.0
#include "net/lwip/lwip_start.h"

#include "net/lwip/tap_netif.h"
#include "sal/netdev_table.h"
#include "util/log.h"

// lwIP declares some of its functions (lwipopts.h, sockets_priv.h) without C linkage.
extern "C"
{
#include <lwip/ip4_addr.h>
#include <lwip/ip6_addr.h>
#include <lwip/netif.h>
#include <lwip/tcpip.h>
}

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <cstring>
#include <future>
#include <mutex>
#include <string>

namespace tcp_server
{

namespace
{

struct Running
{
    LwipSettings settings;
    netif tap{};
};

std::mutex start_mutex;
// Set once lwIP runs, never cleared: lwIP has no teardown. Read under start_mutex, or after
// start_lwip_once() returned ok on this thread.
Running *running = nullptr;

bool parse_ipv4(const std::string &text, const char *symbol, ip4_addr_t &out)
{
    if (ip4addr_aton(text.c_str(), &out))
        return true;
    LOG_E("lwIP: %s '%s' is not an IPv4 address", symbol, text.c_str());
    return false;
}

struct Bringup
{
    Running *state;
    ip4_addr_t address, netmask, gateway;
    bool has_address6;
    ip6_addr_t address6;
    int tap_fd;
    std::promise<void> added;
};

bool parse_ipv6(const std::string &text, bool &present, ip6_addr_t &out)
{
    present = !text.empty();
    if (!present || ip6addr_aton(text.c_str(), &out))
        return true;
    LOG_E("lwIP: TCPSERVER_LWIP_IP6ADDR '%s' is not an IPv6 address", text.c_str());
    return false;
}

// On lwIP's own thread, which holds the core lock while it runs this.
void add_tap_netif(void *argument)
{
    auto *bringup = static_cast<Bringup *>(argument);
    netif &tap = bringup->state->tap;
    netif_add(&tap, &bringup->address, &bringup->netmask, &bringup->gateway,
              reinterpret_cast<void *>(static_cast<std::intptr_t>(bringup->tap_fd)),
              detail::init_tap_netif, tcpip_input);
    netif_set_default(&tap);
    netif_set_link_up(&tap);
    netif_set_up(&tap);
    netif_create_ip6_linklocal_address(&tap, 1);
    s8_t index;
    // Preferred at once: the address is the test's or the user's own on a link of its own,
    // so duplicate detection has nothing to find and would only delay the first bind.
    if (bringup->has_address6 && netif_add_ip6_address(&tap, &bringup->address6, &index) == ERR_OK)
        netif_ip6_addr_set_state(&tap, index, IP6_ADDR_PREFERRED);
    bringup->added.set_value();
}

Errc start_locked(const LwipSettings &settings)
{
    auto *state = new Running{settings};
    Bringup bringup{state, {}, {}, {}, false, {}, -1, {}};
    if (!parse_ipv4(settings.address, "TCPSERVER_LWIP_IPADDR", bringup.address) ||
        !parse_ipv4(settings.netmask, "TCPSERVER_LWIP_NETMASK", bringup.netmask) ||
        !parse_ipv4(settings.gateway, "TCPSERVER_LWIP_GWADDR", bringup.gateway) ||
        !parse_ipv6(settings.address6, bringup.has_address6, bringup.address6))
    {
        delete state;
        return Errc::address_invalid;
    }
    Errc error = Errc::ok;
    std::string why;
    // The device first: when it is missing nothing of lwIP has started, and a later try may
    // succeed once it is there.
    bringup.tap_fd = detail::open_tap(settings.tap, error, why);
    if (bringup.tap_fd < 0)
    {
        LOG_E("lwIP cannot start: %s", why.c_str());
        delete state;
        return error;
    }
    tcpip_init(add_tap_netif, &bringup);
    bringup.added.get_future().wait();
    detail::start_tap_reader(state->tap);
    running = state;
    LOG_I("lwIP runs on %s: %s netmask %s gateway %s%s%s", settings.tap.c_str(),
          settings.address.c_str(), settings.netmask.c_str(), settings.gateway.c_str(),
          bringup.has_address6 ? ", " : "", settings.address6.c_str());
    return Errc::ok;
}

std::string ipv4_text(const ip4_addr_t *address)
{
    char text[16];
    return ip4addr_ntoa_r(address, text, sizeof text) ? text : "?";
}

// "::", or an address one of lwIP's interfaces has in use.
bool serves_ipv6(const in6_addr &address)
{
    if (std::memcmp(&address, &in6addr_any, sizeof address) == 0)
        return true;
    bool found = false;
    LOCK_TCPIP_CORE();
    for (netif *each = netif_list; each && !found; each = each->next)
        for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES && !found; ++i)
            found = ip6_addr_isvalid(netif_ip6_addr_state(each, i)) &&
                    std::memcmp(netif_ip6_addr(each, i)->addr, &address, sizeof address) == 0;
    UNLOCK_TCPIP_CORE();
    return found;
}

std::string mac_text(const netif &interface)
{
    std::string text;
    for (int i = 0; i < interface.hwaddr_len; ++i)
    {
        char part[4];
        std::snprintf(part, sizeof part, i ? ":%02x" : "%02x", interface.hwaddr[i]);
        text += part;
    }
    return text;
}

} // namespace

Errc start_lwip(const LwipSettings &settings)
{
    Errc error;
    {
        std::lock_guard lock(start_mutex);
        if (running)
            return running->settings == settings ? Errc::ok : Errc::busy;
        error = start_locked(settings);
    }
    // Its interfaces join netdev's table, as a board's netif registers (outside the lock:
    // reading the table asks for lwIP's interfaces).
    if (error == Errc::ok)
        detail::refresh_netdev_table(false);
    return error;
}

std::vector<LwipInterface> lwip_interfaces()
{
    std::vector<LwipInterface> interfaces;
    std::lock_guard lock(start_mutex);
    if (!running)
        return interfaces;
    LOCK_TCPIP_CORE();
    for (netif *each = netif_list; each; each = each->next)
    {
        LwipInterface shown;
        shown.name = std::string(each->name, 2) + std::to_string(each->num);
        shown.device = each == &running->tap ? running->settings.tap : "";
        shown.mac = mac_text(*each);
        shown.mtu = each->mtu;
        shown.up = netif_is_up(each);
        shown.link_up = netif_is_link_up(each);
        shown.is_default = each == netif_default;
        shown.address = ipv4_text(netif_ip4_addr(each));
        shown.netmask = ipv4_text(netif_ip4_netmask(each));
        shown.gateway = ipv4_text(netif_ip4_gw(each));
        // As the host's addresses are shown (lwIP's own text is upper case).
        for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; ++i)
        {
            char text[INET6_ADDRSTRLEN];
            if (ip6_addr_isvalid(netif_ip6_addr_state(each, i)) &&
                inet_ntop(AF_INET6, netif_ip6_addr(each, i)->addr, text, sizeof text))
                shown.addresses6.emplace_back(text);
        }
        interfaces.push_back(std::move(shown));
    }
    UNLOCK_TCPIP_CORE();
    return interfaces;
}

namespace detail
{

Errc start_lwip_once()
{
    {
        std::lock_guard lock(start_mutex);
        if (running)
            return Errc::ok;
    }
    Errc error = start_lwip(LwipSettings::from_environment());
    return error == Errc::busy ? Errc::ok : error; // another thread started it meanwhile
}

bool lwip_serves_address(const sockets::Endpoint &endpoint)
{
    if (endpoint.family() == AF_INET6)
        return serves_ipv6(reinterpret_cast<const sockaddr_in6 *>(&endpoint.storage)->sin6_addr);
    const auto *v4 = reinterpret_cast<const sockaddr_in *>(&endpoint.storage);
    const in_addr_t address = v4->sin_addr.s_addr;
    if (address == htonl(INADDR_ANY) || (ntohl(address) >> 24) == IN_LOOPBACKNET)
        return true;
    bool found = false;
    LOCK_TCPIP_CORE();
    for (netif *each = netif_list; each && !found; each = each->next)
        found = ip4_addr_get_u32(netif_ip4_addr(each)) == address;
    UNLOCK_TCPIP_CORE();
    return found;
}

namespace
{

// The interface of that name (as lwip_interfaces() names them), under the core lock.
netif *interface_named_locked(const char *name)
{
    for (netif *each = netif_list; each; each = each->next)
        if (std::string(each->name, 2) + std::to_string(each->num) == name)
            return each;
    return nullptr;
}

} // namespace

bool set_lwip_addresses(const char *name, const in_addr *address, const in_addr *netmask,
                        const in_addr *gateway)
{
    std::lock_guard lock(start_mutex);
    if (!running)
        return false;
    LOCK_TCPIP_CORE();
    netif *interface = interface_named_locked(name);
    if (interface)
    {
        ip4_addr_t value;
        if (netmask)
        {
            ip4_addr_set_u32(&value, netmask->s_addr);
            netif_set_netmask(interface, &value);
        }
        if (gateway)
        {
            ip4_addr_set_u32(&value, gateway->s_addr);
            netif_set_gw(interface, &value);
        }
        if (address)
        {
            ip4_addr_set_u32(&value, address->s_addr);
            netif_set_ipaddr(interface, &value);
        }
    }
    UNLOCK_TCPIP_CORE();
    return interface != nullptr;
}

bool set_lwip_up(const char *name, bool up)
{
    std::lock_guard lock(start_mutex);
    if (!running)
        return false;
    LOCK_TCPIP_CORE();
    netif *interface = interface_named_locked(name);
    if (interface && up)
        netif_set_up(interface);
    else if (interface)
        netif_set_down(interface);
    UNLOCK_TCPIP_CORE();
    return interface != nullptr;
}

} // namespace detail
} // namespace tcp_server
