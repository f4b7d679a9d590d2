// netdev's ping: ICMP echoes from an interface over its own stack, through SAL's sockets (so
// one path serves the kernel's interfaces and lwIP's), printed as RT-Thread's ping prints.
// SPDX-License-Identifier: Apache-2.0
#include "sal/api.h"
#include "sal/netdev_table.h"

#include <netdev.h>
#include <rtthread.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

namespace tcp_server::detail
{

namespace
{

using Clock = std::chrono::steady_clock;

constexpr rt_size_t kDefaultDataSize = 32;
constexpr rt_size_t kMaxDataSize = 65535 - 20 - 8; // what one IPv4 datagram carries
constexpr auto kAnswerWait = std::chrono::seconds(2);
constexpr auto kInterval = std::chrono::seconds(1);
constexpr std::size_t kIcmpHeader = 8;
constexpr std::size_t kIpv4HeaderMax = 60;
constexpr std::uint8_t kEchoRequest = 8;
constexpr std::uint8_t kEchoReply = 0;

std::atomic<std::uint16_t> last_sequence{0};

std::uint16_t internet_checksum(const std::vector<std::uint8_t> &data)
{
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < data.size(); i += 2)
        sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    if (data.size() % 2)
        sum += static_cast<std::uint32_t>(data.back() << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

// An ICMP socket on one stack: raw where the process may (lwIP always; on the kernel with
// CAP_NET_RAW), else on the kernel an unprivileged ping socket (net.ipv4.ping_group_range),
// whose answers come without their IP header and whose echo id the kernel chooses.
class IcmpSocket
{
  public:
    IcmpSocket(const IcmpSocket &) = delete;
    IcmpSocket &operator=(const IcmpSocket &) = delete;
    explicit IcmpSocket(StackKind stack)
    {
        fd_ = sal::api::socket_on(stack, AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
        if (fd_ >= 0 || stack != StackKind::kernel || (errno != EPERM && errno != EACCES))
            return;
        int raw_error = errno;
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
        if (fd_ < 0)
        {
            errno = raw_error; // the raw socket's refusal is the one to explain
            return;
        }
        raw_ = false;
        int on = 1;
        ::setsockopt(fd_, IPPROTO_IP, IP_RECVTTL, &on, sizeof on);
    }
    ~IcmpSocket()
    {
        if (fd_ >= 0)
            sal::api::close(fd_);
    }
    int fd() const { return fd_; }
    /** Whether answers come with their IP header and keep the id sent. */
    bool raw() const { return raw_; }

  private:
    int fd_ = -1;
    bool raw_ = true;
};

struct Echo
{
    std::uint16_t id;
    std::uint16_t sequence;
};

std::vector<std::uint8_t> echo_request(const Echo &echo, rt_size_t size)
{
    std::vector<std::uint8_t> packet(kIcmpHeader + size);
    packet[0] = kEchoRequest;
    packet[4] = static_cast<std::uint8_t>(echo.id >> 8);
    packet[5] = static_cast<std::uint8_t>(echo.id);
    packet[6] = static_cast<std::uint8_t>(echo.sequence >> 8);
    packet[7] = static_cast<std::uint8_t>(echo.sequence);
    for (rt_size_t i = 0; i < size; ++i)
        packet[kIcmpHeader + i] = static_cast<std::uint8_t>(i);
    std::uint16_t sum = internet_checksum(packet);
    packet[2] = static_cast<std::uint8_t>(sum >> 8);
    packet[3] = static_cast<std::uint8_t>(sum);
    return packet;
}

// One datagram in: its bytes, and (ping socket) the TTL the kernel reports beside them.
ssize_t receive(const IcmpSocket &socket, std::vector<std::uint8_t> &buffer, sockaddr_in &from,
                int &ttl)
{
    if (socket.raw())
    {
        socklen_t length = sizeof from;
        return sal::api::recvfrom(socket.fd(), buffer.data(), buffer.size(), 0,
                                  reinterpret_cast<sockaddr *>(&from), &length);
    }
    iovec part{buffer.data(), buffer.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    msghdr message{};
    message.msg_name = &from;
    message.msg_namelen = sizeof from;
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(socket.fd(), &message, 0);
    for (cmsghdr *each = CMSG_FIRSTHDR(&message); n >= 0 && each;
         each = CMSG_NXTHDR(&message, each))
        if (each->cmsg_level == IPPROTO_IP && each->cmsg_type == IP_TTL)
            std::memcpy(&ttl, CMSG_DATA(each), sizeof ttl);
    return n;
}

/** Waits for the answer to `echo` from `target` until `deadline`: RT_EOK with `answer` filled,
 *  -RT_ETIMEOUT, or -RT_ERROR with errno. */
int await_answer(const IcmpSocket &socket, const in_addr &target, const Echo &echo,
                 Clock::time_point deadline, struct netdev_ping_resp &answer)
{
    std::vector<std::uint8_t> buffer(kIpv4HeaderMax + kIcmpHeader + kMaxDataSize);
    for (;;)
    {
        auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            return -RT_ETIMEOUT;
        timeval wait{static_cast<time_t>(left.count() / 1000000),
                     static_cast<suseconds_t>(left.count() % 1000000)};
        sal::api::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        sockaddr_in from{};
        int ttl = 0;
        ssize_t n = receive(socket, buffer, from, ttl);
        if (n < 0)
        {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT ? -RT_ETIMEOUT
                                                                                 : -RT_ERROR;
        }
        // A raw socket sees every ICMP message to this host: others' answers, and on a
        // loopback the request itself.
        std::size_t header = socket.raw() && n > 0 ? (buffer[0] & 0x0fu) * 4u : 0;
        if (static_cast<std::size_t>(n) < header + kIcmpHeader ||
            from.sin_addr.s_addr != target.s_addr)
            continue;
        const std::uint8_t *icmp = buffer.data() + header;
        std::uint16_t id = static_cast<std::uint16_t>(icmp[4] << 8 | icmp[5]);
        std::uint16_t sequence = static_cast<std::uint16_t>(icmp[6] << 8 | icmp[7]);
        if (icmp[0] != kEchoReply || sequence != echo.sequence || (socket.raw() && id != echo.id))
            continue;
        answer.ip_addr.addr = target.s_addr;
        // As a board reports it: the answer's whole datagram, its IP header included.
        answer.data_len = static_cast<std::uint16_t>(socket.raw() ? n : n + 20);
        answer.ttl = static_cast<std::uint16_t>(socket.raw() ? buffer[8] : ttl);
        return RT_EOK;
    }
}

bool resolve(const char *name, StackKind stack, in_addr &address)
{
    if (inet_pton(AF_INET, name, &address) == 1)
        return true;
    if (stack != StackKind::kernel)
        return false; // lwIP here has no DNS
    addrinfo hints{};
    hints.ai_family = AF_INET;
    addrinfo *found = nullptr;
    if (::getaddrinfo(name, nullptr, &hints, &found) != 0 || !found)
        return false;
    address = reinterpret_cast<const sockaddr_in *>(found->ai_addr)->sin_addr;
    ::freeaddrinfo(found);
    return true;
}

// The interface to ping from: the one named, else (saying so, as a board does) the default.
struct netdev *interface_for(const char *name)
{
    refresh_netdev_table(true);
    if (struct netdev *named = name ? netdev_get_by_name(name) : nullptr)
        return named;
    if (netdev_default)
        rt_kprintf("ping: not found specified netif, using default netdev %s.\n",
                   netdev_default->name);
    return netdev_default;
}

} // namespace

} // namespace tcp_server::detail

extern "C" int netdev_cmd_ping(char *target_name, char *netdev_name, rt_uint32_t times,
                               rt_size_t size)
{
    using namespace tcp_server::detail;
    if (!target_name || times == 0)
    {
        rt_kprintf("Please input: ping <host address> [netdev name] [times] [data size]\n");
        return -RT_ERROR;
    }
    size = size ? size : kDefaultDataSize;
    if (size > kMaxDataSize)
    {
        rt_kprintf("ping: data size %u is more than %u\n", static_cast<unsigned>(size),
                   static_cast<unsigned>(kMaxDataSize));
        return -RT_ERROR;
    }
    struct netdev *netdev = interface_for(netdev_name);
    if (!netdev)
    {
        rt_kprintf("ping: not found available network interface device.\n");
        return -RT_ERROR;
    }
    tcp_server::StackKind stack;
    if (!netdev_is_up(netdev) || !netdev_is_link_up(netdev) || !netdev_stack(netdev, stack))
    {
        rt_kprintf("ping: network interface device(%s) status error.\n", netdev->name);
        return -RT_ERROR;
    }
    in_addr target{};
    if (!resolve(target_name, stack, target))
    {
        rt_kprintf("ping: unknown host %s\n", target_name);
        return -RT_ERROR;
    }
    IcmpSocket socket(stack);
    if (socket.fd() < 0)
    {
        rt_kprintf("ping: no ICMP socket on %s: %s%s\n", netdev->name, std::strerror(errno),
                   errno == EPERM || errno == EACCES
                       ? " (raw sockets need CAP_NET_RAW; ping sockets, a group in "
                         "net.ipv4.ping_group_range)"
                       : "");
        return -RT_ERROR;
    }
    if (netdev_name && std::strncmp(netdev->name, netdev_name, sizeof netdev->name) == 0)
    {
        // Named: the echoes leave from its address.
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr = netdev->ip_addr.addr;
        if (sal::api::bind(socket.fd(), reinterpret_cast<sockaddr *>(&source), sizeof source) != 0)
        {
            rt_kprintf("ping: cannot send from %s: %s\n", inet_ntoa(source.sin_addr),
                       std::strerror(errno));
            return -RT_ERROR;
        }
    }

    char target_text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &target, target_text, sizeof target_text);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr = target;
    const auto id = static_cast<std::uint16_t>(::getpid());
    rt_uint32_t received = 0;
    long shortest = 0, longest = 0, total = 0;
    for (rt_uint32_t i = 1; i <= times; ++i)
    {
        Echo echo{id, ++last_sequence};
        std::vector<std::uint8_t> request = echo_request(echo, size);
        auto start = Clock::now();
        struct netdev_ping_resp answer
        {
        };
        int result = -RT_ERROR;
        if (sal::api::sendto(socket.fd(), request.data(), request.size(), 0,
                             reinterpret_cast<sockaddr *>(&to), sizeof to) < 0)
        {
            rt_kprintf("ping: send to %s icmp_seq=%d failed: %s\n", target_text,
                       static_cast<int>(i), std::strerror(errno));
        }
        else if ((result = await_answer(socket, target, echo, start + kAnswerWait, answer)) ==
                 RT_EOK)
        {
            long elapsed = static_cast<long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)
                    .count());
            ++received;
            shortest = received == 1 ? elapsed : std::min(shortest, elapsed);
            longest = std::max(longest, elapsed);
            total += elapsed;
            rt_kprintf("%d bytes from %s icmp_seq=%d ttl=%d time=%d ms\n", answer.data_len,
                       target_text, static_cast<int>(i), answer.ttl, static_cast<int>(elapsed));
        }
        else if (result == -RT_ETIMEOUT)
            rt_kprintf("ping: from %s icmp_seq=%d timeout\n", target_text, static_cast<int>(i));
        else
            rt_kprintf("ping: from %s icmp_seq=%d: %s\n", target_text, static_cast<int>(i),
                       std::strerror(errno));
        if (i < times && Clock::now() - start < kInterval)
            rt_thread_mdelay(
                static_cast<rt_int32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            start + kInterval - Clock::now())
                                            .count()));
    }
    rt_kprintf("\n--- %s ping statistics ---\n", target_text);
    rt_kprintf("%d packets transmitted, %d received, %d%% packet loss\n", static_cast<int>(times),
               static_cast<int>(received), static_cast<int>((times - received) * 100 / times));
    if (received)
        rt_kprintf("minimum = %ldms, maximum = %ldms, average = %ldms\n", shortest, longest,
                   total / static_cast<long>(received));
    return RT_EOK;
}
