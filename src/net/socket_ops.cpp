// Thin wrappers over the socket calls.
// SPDX-License-Identifier: Apache-2.0
#include "net/socket_ops.h"

#include "util/deadline.h"
#include "util/errc.h"

#include <tcpserver_config.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tcp_server::detail::sockets
{

std::string Endpoint::ip() const
{
    char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "?";
    if (family() == AF_INET6)
    {
        // getnameinfo keeps the %scope of link-local addresses, inet_ntop would drop it.
        getnameinfo(addr(), length, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
    }
    else if (family() == AF_INET)
    {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(&storage)->sin_addr, text,
                  sizeof text);
    }
    return text;
}

std::uint16_t Endpoint::port() const
{
    if (family() == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
}

std::string Endpoint::to_string() const
{
    std::string port_text = std::to_string(port());
    return family() == AF_INET6 ? "[" + ip() + "]:" + port_text : ip() + ":" + port_text;
}

Errc parse_endpoint(std::string_view ip, std::uint16_t port, Endpoint &out)
{
    std::string host = ip.empty() ? "0.0.0.0" : std::string(ip);
    if (host.size() != std::strlen(host.c_str()))
        return Errc::address_invalid;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    addrinfo *found = nullptr;
    std::string service = std::to_string(port);
    if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr)
        return Errc::address_invalid;
    std::memcpy(&out.storage, found->ai_addr, found->ai_addrlen);
    out.length = found->ai_addrlen;
    freeaddrinfo(found);
#ifndef TCPSERVER_USING_IPV6
    if (out.family() == AF_INET6)
        return Errc::ipv6_disabled;
#endif
    return Errc::ok;
}

namespace
{

bool is_any_ipv6(const Endpoint &endpoint)
{
    const auto *v6 = reinterpret_cast<const sockaddr_in6 *>(&endpoint.storage);
    return std::memcmp(&v6->sin6_addr, &in6addr_any, sizeof in6addr_any) == 0;
}

} // namespace

int listen_on(const Endpoint &endpoint, int backlog, Errc &error)
{
    int fd = ::socket(endpoint.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
    {
        error = errc_from_errno(errno);
        return -1;
    }
    int on = 1;
    // Restarting a server must not wait for TIME_WAIT; SO_REUSEPORT stays off so a port
    // taken by another live listener is reported, not shared.
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (endpoint.family() == AF_INET6)
    {
        // "::" serves IPv4 as well; a specific IPv6 address leaves the IPv4 port free.
        int v6only = is_any_ipv6(endpoint) ? 0 : 1;
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
    }
    if (::bind(fd, endpoint.addr(), endpoint.length) < 0 || ::listen(fd, backlog) < 0)
    {
        error = errc_from_errno(errno);
        ::close(fd);
        return -1;
    }
    error = Errc::ok;
    return fd;
}

Errc local_endpoint(int fd, Endpoint &out)
{
    out.length = sizeof out.storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&out.storage), &out.length) < 0)
        return errc_from_errno(errno);
    return Errc::ok;
}

namespace
{

// accept(2): these report a connection that failed before it was taken (or, EPERM, that a
// firewall forbids); the next one may be fine, so they are retried at once, as ECONNABORTED.
bool died_before_accept(int error)
{
    switch (error)
    {
    case ECONNABORTED:
    case EPROTO:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
    case EPERM:
        return true;
    default:
        return false;
    }
}

} // namespace

int accept_one(int listen_fd, Endpoint &peer, Errc &error)
{
    for (;;)
    {
        peer.length = sizeof peer.storage;
        int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr *>(&peer.storage), &peer.length,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0)
        {
            error = Errc::ok;
            return fd;
        }
        if (errno == EINTR)
            continue;
        error = died_before_accept(errno) ? Errc::connection_reset : errc_from_errno(errno);
        return -1;
    }
}

ssize_t receive(int fd, char *buffer, std::size_t size, bool wait)
{
    ssize_t n;
    do
        n = ::recv(fd, buffer, size, wait ? 0 : MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    return n;
}

ssize_t read_into(int fd, std::span<char> first, std::span<char> second)
{
    // MSG_DONTWAIT: a socket that a user thread reads with blocking recv() is in blocking mode.
    iovec parts[2] = {{first.data(), first.size()}, {second.data(), second.size()}};
    msghdr message{};
    message.msg_iov = first.empty() ? parts + 1 : parts;
    message.msg_iovlen = first.empty() ? 1 : 2;
    ssize_t n;
    do
        n = ::recvmsg(fd, &message, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    return n;
}

ssize_t send_some(int fd, const char *data, std::size_t size)
{
    ssize_t n;
    do
        n = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    return n;
}

namespace
{
bool wait_for(int fd, short events, int timeout_ms)
{
    pollfd entry{fd, events, 0};
    if (timeout_ms != 0)
        rt::note_blocking();
    int n;
    do
        n = ::poll(&entry, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    return n != 0;
}
} // namespace

bool wait_writable(int fd, int timeout_ms)
{
    return wait_for(fd, POLLOUT, timeout_ms);
}

bool wait_readable(int fd, int timeout_ms)
{
    return wait_for(fd, POLLIN, timeout_ms);
}

void set_blocking(int fd)
{
    int off = 0;
    ::ioctl(fd, FIONBIO, &off);
}

void set_no_delay(int fd)
{
    int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

void set_keepalive(int fd, int idle, int interval, int count)
{
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    if (interval > 0)
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    if (count > 0)
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

std::size_t unsent_bytes(int fd)
{
    int queued = 0;
    if (::ioctl(fd, SIOCOUTQ, &queued) < 0 || queued < 0)
        return 0;
    return static_cast<std::size_t>(queued);
}

void shutdown_both(int fd)
{
    ::shutdown(fd, SHUT_RDWR);
}

void set_abortive_close(int fd)
{
    linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
}

void close_fd(int fd)
{
    // Linux releases the descriptor even when close() reports EINTR, so never retry.
    ::close(fd);
}

} // namespace tcp_server::detail::sockets
