// lwIP's socket calls behind the Stack interface. lwIP's headers stay inside src/net/lwip: they
// define TCP_MSS and other names that clash with the host's own.
// SPDX-License-Identifier: Apache-2.0
#include "net/lwip/lwip_stack.h"

#include "net/lwip/lwip_start.h"
#include "poller/poll_poller.h"
#include "util/errc.h"
#include "wakeup.h"

// lwIP declares some of its functions (lwipopts.h, sockets_priv.h) without C linkage.
extern "C" {
#include <lwip/api.h>
#include <lwip/priv/sockets_priv.h>
#include <lwip/priv/tcp_priv.h>
#include <lwip/sockets.h>
#include <lwip/tcp.h>
#include <lwip/tcpip.h>
}

#include <atomic>
#include <cerrno>

namespace tcp_server::detail
{

namespace
{

// Keeps errno across a cleanup call that may change it.
template <typename Cleanup> int failed_after(Cleanup cleanup)
{
    int error = errno;
    cleanup();
    errno = error;
    return -1;
}

// Tells lwIP, as its own stack does, that something happened on socket `fd`: threads in
// lwip_poll() on it wake as for real data, a real end or a real error.
void raise_event(int fd, netconn_evt event)
{
    LOCK_TCPIP_CORE();
    lwip_sock *sock = lwip_socket_dbg_get_socket(fd);
    if (sock && sock->conn && sock->conn->callback)
        sock->conn->callback(sock->conn, event, 0);
    UNLOCK_TCPIP_CORE();
}

/**
 * Wakes a worker waiting in lwip_poll(), which watches only lwIP sockets. A datagram sent to
 * lwIP's own loopback would do, but lwIP loops it back through a queue whose delivery it may
 * drop when its own mailbox is full, and a lost wake-up hangs the worker. So notify() tells
 * lwIP, as its stack does when data arrives, that an unbound UDP socket became readable: the
 * netconn event callback, under the core lock. Each time `pending_` turns true one "readable"
 * is added, and drain() takes it back as it turns false, so the socket reads as readable
 * exactly while a wake-up is pending.
 */
class EventWakeup final : public Wakeup
{
  public:
    EventWakeup(LwipStack &stack, int fd) : stack_(stack), fd_(fd) {}
    ~EventWakeup() override { stack_.close(fd_); }
    EventWakeup(const EventWakeup &) = delete;
    EventWakeup &operator=(const EventWakeup &) = delete;

    int fd() const override { return fd_; }

    void notify() override
    {
        if (!pending_.exchange(true, std::memory_order_acq_rel))
            raise_event(fd_, NETCONN_EVT_RCVPLUS);
    }

    // A notify() racing this either comes first (its task, queued before, runs after this
    // drain) or turns the flag true again and makes the next wait return.
    void drain() override
    {
        if (pending_.exchange(false, std::memory_order_acq_rel))
            raise_event(fd_, NETCONN_EVT_RCVMINUS);
    }

  private:
    LwipStack &stack_;
    const int fd_;
    std::atomic<bool> pending_{false};
};

// lwIP ends a connection itself when its keepalive probes or its retransmissions go
// unanswered, and reports that as ECONNABORTED (a peer's reset is ECONNRESET); the kernel says
// ETIMEDOUT, which the server reads as an unreachable peer.
ssize_t connection_result(ssize_t result)
{
    if (result < 0 && errno == ECONNABORTED)
        errno = ETIMEDOUT;
    return result;
}

// Whether two local addresses of one port overlap, as the kernel sees it: the same address,
// or "any" on either side of one family, or the dual-stack "any" against either family.
bool addresses_overlap(const ip_addr_t &a, const ip_addr_t &b)
{
    if (IP_IS_ANY_TYPE_VAL(a) || IP_IS_ANY_TYPE_VAL(b))
        return true;
    if (IP_GET_TYPE(&a) != IP_GET_TYPE(&b))
        return false;
    return ip_addr_isany(&a) || ip_addr_isany(&b) || ip_addr_cmp(&a, &b);
}

// Whether a listener already holds the port the socket `fd` was just bound to on an
// overlapping address. lwIP's listen() refuses only the very same address, so a server on
// "0.0.0.0" would start beside one on 192.0.2.2 and never see a connection to 192.0.2.2.
bool port_held_by_a_listener(int fd)
{
    bool held = false;
    LOCK_TCPIP_CORE();
    lwip_sock *sock = lwip_socket_dbg_get_socket(fd);
    const tcp_pcb *bound = sock && sock->conn ? sock->conn->pcb.tcp : nullptr;
    for (const tcp_pcb_listen *each = tcp_listen_pcbs.listen_pcbs; bound && each && !held;
         each = each->next)
        held = each->local_port == bound->local_port &&
               addresses_overlap(each->local_ip, bound->local_ip);
    UNLOCK_TCPIP_CORE();
    return held;
}

} // namespace

std::unique_ptr<Poller> LwipStack::make_poller(Backend, Errc &error)
{
    error = Errc::ok;
    return std::make_unique<PollPoller>("lwip_poll", lwip_poll, false);
}

std::unique_ptr<Wakeup> LwipStack::make_wakeup(Errc &error)
{
    int fd = lwip_socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
    {
        error = errc_from_errno(errno);
        return nullptr;
    }
    error = Errc::ok;
    return std::make_unique<EventWakeup>(*this, fd);
}

int LwipStack::raw_listen(const sockets::Endpoint &endpoint, int backlog)
{
    if (!lwip_serves_address(endpoint))
    {
        errno = EADDRNOTAVAIL; // lwIP would bind it and never see a packet for it
        return -1;
    }
    int fd = lwip_socket(endpoint.family(), SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    // A restart must not wait for TIME_WAIT (lwIP's lasts two minutes); a port another
    // listener holds is refused below. Checked and taken in one step, so two servers started
    // at once cannot both pass.
    int on = 1;
    lwip_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    std::lock_guard listening(listen_lock_);
    if (lwip_bind(fd, endpoint.addr(), endpoint.length) < 0)
        return failed_after([fd] { lwip_close(fd); });
    if (port_held_by_a_listener(fd))
    {
        lwip_close(fd);
        errno = EADDRINUSE;
        return -1;
    }
    if (lwip_listen(fd, backlog) < 0 || lwip_fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
        return failed_after([fd] { lwip_close(fd); });
    return fd;
}

int LwipStack::raw_local_name(int fd, sockets::Endpoint &out)
{
    out.length = sizeof out.storage;
    std::lock_guard lock(lock_of(fd));
    return lwip_getsockname(fd, reinterpret_cast<sockaddr *>(&out.storage), &out.length);
}

int LwipStack::raw_peer_name(int fd, sockets::Endpoint &out)
{
    out.length = sizeof out.storage;
    std::lock_guard lock(lock_of(fd));
    return lwip_getpeername(fd, reinterpret_cast<sockaddr *>(&out.storage), &out.length);
}

int LwipStack::raw_accept(int listen_fd, sockets::Endpoint &peer)
{
    peer.length = sizeof peer.storage;
    int fd;
    {
        std::lock_guard lock(lock_of(listen_fd));
        fd = lwip_accept(listen_fd, reinterpret_cast<sockaddr *>(&peer.storage), &peer.length);
    }
    if (fd < 0)
    {
        // lwIP takes a connection reset while it waited and then fails to read its peer.
        if (errno == ENOTCONN)
            errno = ECONNABORTED;
        return -1;
    }
    // Nobody else knows the new socket yet, so no lock; lwIP does not pass O_NONBLOCK on.
    if (lwip_fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
        return failed_after([fd] { lwip_close(fd); });
    return fd;
}

ssize_t LwipStack::raw_receive(int fd, char *buffer, std::size_t size, bool wait)
{
    for (;;)
    {
        ssize_t n;
        {
            std::lock_guard lock(lock_of(fd));
            n = connection_result(lwip_recv(fd, buffer, size, MSG_DONTWAIT));
        }
        if (n >= 0 || errno != EAGAIN || !wait)
            return n;
        if (raw_wait(fd, false, -1) < 0)
            return -1;
    }
}

ssize_t LwipStack::raw_read_into(int fd, std::span<char> first, std::span<char> second)
{
    // lwIP refuses an empty part (EINVAL): only those with room are passed.
    iovec parts[2];
    std::size_t count = 0;
    for (std::span<char> part : {first, second})
        if (!part.empty())
            parts[count++] = {part.data(), part.size()};
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = count;
    std::lock_guard lock(lock_of(fd));
    return connection_result(lwip_recvmsg(fd, &message, MSG_DONTWAIT));
}

ssize_t LwipStack::raw_send(int fd, const char *data, std::size_t size)
{
    std::lock_guard lock(lock_of(fd));
    return connection_result(lwip_send(fd, data, size, MSG_DONTWAIT));
}

int LwipStack::raw_wait(int fd, bool writable, int timeout_ms)
{
    pollfd entry{fd, static_cast<short>(writable ? POLLOUT : POLLIN), 0};
    return lwip_poll(&entry, 1, timeout_ms);
}

void LwipStack::set_blocking(int)
{
}

void LwipStack::set_no_delay(int fd)
{
    int on = 1;
    std::lock_guard lock(lock_of(fd));
    lwip_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

void LwipStack::set_keepalive(int fd, int idle, int interval, int count)
{
    int on = 1;
    std::lock_guard lock(lock_of(fd));
    lwip_setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    lwip_setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    if (interval > 0)
        lwip_setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    if (count > 0)
        lwip_setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

std::size_t LwipStack::unsent_bytes(int fd)
{
    // lwIP has no SIOCOUTQ: what the send buffer lacks of its size is what awaits an ACK.
    std::lock_guard lock(lock_of(fd));
    LOCK_TCPIP_CORE();
    std::size_t unsent = 0;
    lwip_sock *sock = lwip_socket_dbg_get_socket(fd);
    if (sock && sock->conn && NETCONNTYPE_GROUP(netconn_type(sock->conn)) == NETCONN_TCP &&
        sock->conn->pcb.tcp && sock->conn->pcb.tcp->state != LISTEN)
        unsent = TCP_SND_BUF - sock->conn->pcb.tcp->snd_buf;
    UNLOCK_TCPIP_CORE();
    return unsent;
}

void LwipStack::shutdown_both(int fd)
{
    std::lock_guard lock(lock_of(fd));
    lwip_shutdown(fd, SHUT_RDWR);
}

void LwipStack::set_abortive_close(int fd)
{
    linger reset{1, 0};
    std::lock_guard lock(lock_of(fd));
    lwip_setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
}

void LwipStack::wake_waiters(int fd)
{
    // An error event wakes a poll whatever it waits for; the socket is going anyway.
    raise_event(fd, NETCONN_EVT_ERROR);
}

void LwipStack::wake_readers(int fd)
{
    raise_event(fd, NETCONN_EVT_RCVPLUS);
}

void LwipStack::close(int fd)
{
    std::lock_guard lock(lock_of(fd));
    lwip_close(fd);
}

Stack *lwip_stack(Errc &error)
{
    error = start_lwip_once();
    if (error != Errc::ok)
        return nullptr;
    // Never destroyed, as lwIP itself: workers may still run while static objects go at exit.
    static auto *stack = new LwipStack;
    return stack;
}

} // namespace tcp_server::detail
