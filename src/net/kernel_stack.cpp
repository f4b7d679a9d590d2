// The host's TCP/IP stack: descriptors non-blocking and close-on-exec, no SIGPIPE.
// SPDX-License-Identifier: Apache-2.0
#include "net/kernel_stack.h"

#include "poller/poller.h"
#include "wakeup.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tcp_server::detail
{

namespace
{

bool is_any_ipv6(const sockets::Endpoint &endpoint)
{
    const auto *v6 = reinterpret_cast<const sockaddr_in6 *>(&endpoint.storage);
    return std::memcmp(&v6->sin6_addr, &in6addr_any, sizeof in6addr_any) == 0;
}

} // namespace

std::unique_ptr<Poller> KernelStack::make_poller(Backend backend, Errc &error)
{
    return detail::make_poller(backend, error);
}

std::unique_ptr<Wakeup> KernelStack::make_wakeup(Errc &error)
{
    return make_eventfd_wakeup(error);
}

int KernelStack::raw_listen(const sockets::Endpoint &endpoint, int backlog)
{
    int fd = ::socket(endpoint.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
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
        int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

int KernelStack::raw_local_name(int fd, sockets::Endpoint &out)
{
    out.length = sizeof out.storage;
    return ::getsockname(fd, reinterpret_cast<sockaddr *>(&out.storage), &out.length);
}

int KernelStack::raw_peer_name(int fd, sockets::Endpoint &out)
{
    out.length = sizeof out.storage;
    return ::getpeername(fd, reinterpret_cast<sockaddr *>(&out.storage), &out.length);
}

int KernelStack::raw_accept(int listen_fd, sockets::Endpoint &peer)
{
    peer.length = sizeof peer.storage;
    return ::accept4(listen_fd, reinterpret_cast<sockaddr *>(&peer.storage), &peer.length,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
}

ssize_t KernelStack::raw_receive(int fd, char *buffer, std::size_t size, bool wait)
{
    return ::recv(fd, buffer, size, wait ? 0 : MSG_DONTWAIT);
}

ssize_t KernelStack::raw_read_into(int fd, std::span<char> first, std::span<char> second)
{
    // MSG_DONTWAIT: a socket that a user thread reads with blocking recv() is in blocking mode.
    iovec parts[2] = {{first.data(), first.size()}, {second.data(), second.size()}};
    msghdr message{};
    message.msg_iov = first.empty() ? parts + 1 : parts;
    message.msg_iovlen = first.empty() ? 1 : 2;
    return ::recvmsg(fd, &message, MSG_DONTWAIT);
}

ssize_t KernelStack::raw_send(int fd, const char *data, std::size_t size)
{
    return ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
}

int KernelStack::raw_wait(int fd, bool writable, int timeout_ms)
{
    pollfd entry{fd, static_cast<short>(writable ? POLLOUT : POLLIN), 0};
    return ::poll(&entry, 1, timeout_ms);
}

void KernelStack::set_blocking(int fd)
{
    int off = 0;
    ::ioctl(fd, FIONBIO, &off);
}

void KernelStack::set_no_delay(int fd)
{
    int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

void KernelStack::set_keepalive(int fd, int idle, int interval, int count)
{
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    if (interval > 0)
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    if (count > 0)
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

std::size_t KernelStack::unsent_bytes(int fd)
{
    int queued = 0;
    if (::ioctl(fd, SIOCOUTQ, &queued) < 0 || queued < 0)
        return 0;
    return static_cast<std::size_t>(queued);
}

void KernelStack::shutdown_both(int fd)
{
    ::shutdown(fd, SHUT_RDWR);
}

void KernelStack::set_abortive_close(int fd)
{
    linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
}

void KernelStack::close(int fd)
{
    // Linux releases the descriptor even when close() reports EINTR, so never retry.
    ::close(fd);
}

Stack &kernel_stack()
{
    // Never destroyed: a server's worker may still run while static objects go at exit.
    static auto *stack = new KernelStack;
    return *stack;
}

} // namespace tcp_server::detail
