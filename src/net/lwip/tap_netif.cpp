// lwIP's Ethernet interface over a Linux TAP device.
// SPDX-License-Identifier: Apache-2.0
#include "net/lwip/tap_netif.h"

#include "util/log.h"

// lwIP declares some of its functions (lwipopts.h, sockets_priv.h) without C linkage.
extern "C" {
#include <lwip/ethip6.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <netif/etharp.h>
}

#include <fcntl.h>
#include <pthread.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace tcp_server::detail
{

namespace
{

// An Ethernet frame of a 1500-byte MTU; longer ones the host sends are cut and dropped by lwIP.
constexpr std::size_t kFrameMax = 1514;

int tap_fd(const netif *interface)
{
    return static_cast<int>(reinterpret_cast<std::intptr_t>(interface->state));
}

std::string create_hint(const std::string &name)
{
    return "create it: ip tuntap add dev " + name + " mode tap && ip addr add 192.0.2.1/24 dev " +
           name + " && ip link set " + name + " up";
}

err_t send_frame(netif *interface, pbuf *frame)
{
    char bytes[kFrameMax];
    u16_t length = pbuf_copy_partial(frame, bytes, sizeof bytes, 0);
    ssize_t written;
    do
        written = ::write(tap_fd(interface), bytes, length);
    while (written < 0 && errno == EINTR);
    // A frame the device cannot take now is lost, as on a wire; TCP sends it again.
    return written == length ? ERR_OK : ERR_IF;
}

void read_frames(netif *interface)
{
    pthread_setname_np(pthread_self(), "lwip_tap");
    char bytes[kFrameMax];
    for (;;)
    {
        ssize_t length = ::read(tap_fd(interface), bytes, sizeof bytes);
        if (length < 0 && errno == EINTR)
            continue;
        if (length < 0)
        {
            LOG_E("lwIP: reading the TAP device failed: %s; lwIP receives nothing more",
                  std::strerror(errno));
            return;
        }
        // PBUF_RAM, one piece of the frame's size: Debian's liblwip sizes its PBUF_POOL
        // buffers with two different TCP_MSS values in two of its files, so a pool pbuf is
        // allocated smaller than pbuf_take() fills it.
        pbuf *frame = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(length), PBUF_RAM);
        if (!frame)
            continue; // out of memory: the frame is dropped, as a board's driver does
        pbuf_take(frame, bytes, static_cast<u16_t>(length));
        // tcpip_input: the frame is queued for lwIP's thread, which frees it.
        if (interface->input(frame, interface) != ERR_OK)
            pbuf_free(frame);
    }
}

} // namespace

int open_tap(const std::string &name, Errc &error, std::string &why)
{
    if (name.empty() || name.size() >= IFNAMSIZ)
    {
        error = Errc::invalid_argument;
        why = "'" + name + "' is not a network device name";
        return -1;
    }
    if (::if_nametoindex(name.c_str()) == 0)
    {
        error = Errc::tap_unavailable;
        why = "there is no network device " + name + "; " + create_hint(name);
        return -1;
    }
    int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0)
    {
        error = errno == EACCES || errno == EPERM ? Errc::permission_denied : Errc::tap_unavailable;
        why = std::string("cannot open /dev/net/tun: ") + std::strerror(errno);
        return -1;
    }
    ifreq request{};
    std::strncpy(request.ifr_name, name.c_str(), IFNAMSIZ - 1);
    request.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (::ioctl(fd, TUNSETIFF, &request) == 0)
        return fd;
    int failure = errno;
    ::close(fd);
    switch (failure)
    {
    case EPERM:
    case EACCES:
        error = Errc::permission_denied;
        why = "not permitted to attach to " + name +
              ": run as root, or give the device to this user (ip tuntap add dev " + name +
              " mode tap user $USER)";
        break;
    case EBUSY:
        error = Errc::tap_unavailable;
        why = name + " is attached to another program already";
        break;
    default:
        error = Errc::tap_unavailable;
        why = name + " is not a TAP device (" + std::strerror(failure) + "); " + create_hint(name);
    }
    return -1;
}

std::int8_t init_tap_netif(netif *interface)
{
    interface->name[0] = 't';
    interface->name[1] = 'p';
    interface->output = etharp_output;
#if LWIP_IPV6
    interface->output_ip6 = ethip6_output;
#endif
    interface->linkoutput = send_frame;
    interface->mtu = 1500;
    interface->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
                       NETIF_FLAG_IGMP | NETIF_FLAG_MLD6;
    // A locally administered MAC made of lwIP's IPv4 address: stable, and unique on the link.
    const u32_t address = ip4_addr_get_u32(netif_ip4_addr(interface));
    const u8_t mac[6] = {0x02, 0x00, static_cast<u8_t>(address), static_cast<u8_t>(address >> 8),
                         static_cast<u8_t>(address >> 16), static_cast<u8_t>(address >> 24)};
    interface->hwaddr_len = sizeof mac;
    std::memcpy(interface->hwaddr, mac, sizeof mac);
    return ERR_OK;
}

void start_tap_reader(netif &interface)
{
    std::thread(read_frames, &interface).detach();
}

} // namespace tcp_server::detail
