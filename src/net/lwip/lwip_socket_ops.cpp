// SAL's calls on lwIP. Debian's lwIP lets no two threads use one socket at once
// (LWIP_NETCONN_FULLDUPLEX is off), yet applications receive on one thread while they send on
// another, as a board's lwIP allows. So each lwIP call holds its socket's lock (the server's
// own, LwipStack::lock_of) and never waits inside lwIP: sockets stay non-blocking there, and a
// call that must wait does so in lwip_poll() of that one socket, outside the lock, for as long
// as the application's own settings say.
// SPDX-License-Identifier: Apache-2.0
#include "sal/socket_ops.h"

#include "net/lwip/lwip_stack.h"
#include "sal/socket.h"
#include "util/deadline.h"

extern "C" {
#include <lwip/sockets.h>
}

#include <cerrno>
#include <mutex>
#include <type_traits>
#include <vector>

namespace tcp_server::detail::sal
{

namespace
{

Duration timeout_of(int timeout_ms)
{
    return timeout_ms > 0 ? Duration(timeout_ms) : kForever;
}

// A new lwIP socket of SAL's never blocks inside lwIP (SAL waits); one that cannot be made so
// is closed again: `fd`, or -1 with lwIP's errno.
int nonblocking_or_closed(int fd)
{
    if (lwip_fcntl(fd, F_SETFL, O_NONBLOCK) == 0)
        return fd;
    int error = errno;
    lwip_close(fd);
    errno = error;
    return -1;
}

bool would_block(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK;
}

// Moves `first` and its part past `n` bytes of `parts`, and past any part left empty.
void consume(std::vector<iovec> &parts, std::size_t &first, std::size_t n)
{
    while (first < parts.size())
    {
        std::size_t taken = std::min(n, parts[first].iov_len);
        parts[first].iov_base = static_cast<char *>(parts[first].iov_base) + taken;
        parts[first].iov_len -= taken;
        n -= taken;
        if (parts[first].iov_len != 0)
            return;
        ++first;
    }
}

// Repeats `attempt` on what is left of `message`'s parts until all of it went, the stream
// ended (0) or a call failed: the bytes done, or -1 when none were. A received message's
// flags are the last call's.
template <typename Message, typename Attempt> ssize_t whole(Message *message, Attempt attempt)
{
    std::vector<iovec> rest(message->msg_iov, message->msg_iov + message->msg_iovlen);
    msghdr part = *message;
    ssize_t done = 0;
    std::size_t first = 0;
    consume(rest, first, 0);
    while (first < rest.size())
    {
        part.msg_iov = rest.data() + first;
        part.msg_iovlen = rest.size() - first;
        ssize_t n = attempt(&part);
        if (n < 0)
            return done > 0 ? done : -1;
        if (n == 0)
            break;
        done += n;
        consume(rest, first, static_cast<std::size_t>(n));
    }
    if constexpr (!std::is_const_v<Message>)
        message->msg_flags = part.msg_flags;
    return done;
}

class LwipSocketOps final : public SocketOps
{
  public:
    explicit LwipSocketOps(LwipStack &stack) : stack_(stack) {}

    StackKind kind() const override { return StackKind::lwip; }

    int open(int domain, int type, int protocol) override
    {
        int fd = lwip_socket(domain, type, protocol);
        if (fd < 0)
            return -1;
        return nonblocking_or_closed(fd);
    }

    void close(int fd) override { stack_.close(fd); }

    int bind(Socket &socket, const sockaddr *address, socklen_t length) override
    {
        return locked(socket, [&] { return lwip_bind(socket.fd, address, length); });
    }

    int listen(Socket &socket, int backlog) override
    {
        return locked(socket, [&] { return lwip_listen(socket.fd, backlog); });
    }

    int accept(Socket &socket, sockaddr *address, socklen_t *length) override
    {
        int fd = waiting(socket, POLLIN, socket.recv_timeout_ms, socket.nonblocking, [&] {
            return lwip_accept(socket.fd, address, length);
        });
        if (fd < 0)
        {
            // lwIP takes a connection reset while it waited and then fails to read its peer.
            if (errno == ENOTCONN)
                errno = ECONNABORTED;
            return -1;
        }
        // Nobody else knows the new socket yet, so no lock; lwIP does not pass O_NONBLOCK on.
        return nonblocking_or_closed(fd);
    }

    int connect(Socket &socket, const sockaddr *address, socklen_t length) override
    {
        int result = locked(socket, [&] { return lwip_connect(socket.fd, address, length); });
        if (result == 0 || errno != EINPROGRESS || socket.nonblocking)
            return result;
        // A blocking connect waits for the handshake (no longer than SO_SNDTIMEO, as Linux),
        // then says how it ended.
        Deadline deadline(timeout_of(socket.send_timeout_ms));
        pollfd entry{socket.fd, POLLOUT, 0};
        do
        {
            if (socket.closed)
                return failed(EBADF);
            int left = deadline.poll_timeout_ms();
            if (left == 0)
                return failed(EINPROGRESS);
            rt::note_blocking();
            entry.revents = 0;
            if (lwip_poll(&entry, 1, left) < 0)
                return -1;
        } while (entry.revents == 0);
        int error = 0;
        socklen_t size = sizeof error;
        locked(socket,
               [&] { return lwip_getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &error, &size); });
        return error == 0 ? 0 : failed(error);
    }

    ssize_t sendmsg(Socket &socket, const msghdr *message, int flags) override
    {
        bool no_wait = socket.nonblocking || (flags & MSG_DONTWAIT);
        // MSG_NOSIGNAL is what lwIP always does; it waits in SAL, not inside.
        int own = (flags & ~(MSG_NOSIGNAL | MSG_DONTWAIT)) | MSG_DONTWAIT;
        auto attempt = [&](const msghdr *part) {
            return waiting(socket, POLLOUT, socket.send_timeout_ms, no_wait,
                           [&] { return lwip_sendmsg(socket.fd, part, own); });
        };
        if (socket.type != SOCK_STREAM || no_wait)
            return attempt(message);
        // A blocking stream send takes everything, as on a board: what lwIP cannot take now
        // is sent once it has room, until the timeout.
        return whole(message, attempt);
    }

    ssize_t recvmsg(Socket &socket, msghdr *message, int flags) override
    {
        bool no_wait = socket.nonblocking || (flags & MSG_DONTWAIT);
        int own = (flags & ~(MSG_DONTWAIT | MSG_WAITALL)) | MSG_DONTWAIT;
        auto attempt = [&](msghdr *part) {
            return waiting(socket, POLLIN, socket.recv_timeout_ms, no_wait,
                           [&] { return lwip_recvmsg(socket.fd, part, own); });
        };
        if (!(flags & MSG_WAITALL) || socket.type != SOCK_STREAM || no_wait)
            return attempt(message);
        // MSG_WAITALL on a stream: until every byte asked for, the end, or an error.
        return whole(message, attempt);
    }

    int shutdown(Socket &socket, int how) override
    {
        int result = locked(socket, [&] { return lwip_shutdown(socket.fd, how); });
        // A reader waiting in lwip_poll() would not learn of it: its reads end now.
        if (result == 0 && how != SHUT_WR)
            stack_.wake_readers(socket.fd);
        return result;
    }

    int setsockopt(Socket &socket, int level, int name, const void *value,
                   socklen_t length) override
    {
        return locked(socket,
                      [&] { return lwip_setsockopt(socket.fd, level, name, value, length); });
    }

    int getsockopt(Socket &socket, int level, int name, void *value, socklen_t *length) override
    {
        return locked(socket,
                      [&] { return lwip_getsockopt(socket.fd, level, name, value, length); });
    }

    int getsockname(Socket &socket, sockaddr *address, socklen_t *length) override
    {
        return locked(socket, [&] { return lwip_getsockname(socket.fd, address, length); });
    }

    int getpeername(Socket &socket, sockaddr *address, socklen_t *length) override
    {
        return locked(socket, [&] { return lwip_getpeername(socket.fd, address, length); });
    }

    int ioctl(Socket &socket, unsigned long request, void *argument) override
    {
        return locked(socket, [&] {
            return lwip_ioctl(socket.fd, static_cast<long>(request), argument);
        });
    }

    int poll(pollfd *fds, nfds_t count, int timeout_ms) override
    {
        if (timeout_ms != 0)
            rt::note_blocking();
        return lwip_poll(fds, count, timeout_ms);
    }

    void interrupt(Socket &socket) override { stack_.wake_waiters(socket.fd); }

  private:
    static int failed(int error)
    {
        errno = error;
        return -1;
    }

    template <typename Call> auto locked(Socket &socket, Call call) -> decltype(call())
    {
        std::lock_guard lock(stack_.lock_of(socket.fd));
        return call();
    }

    // Repeats `call` under the socket's lock until it does not say "would block", waiting in
    // between for `event` unless `no_wait`; EAGAIN once timeout_ms (0: none) have passed, as
    // Linux's SO_RCVTIMEO and SO_SNDTIMEO do, EBADF once the socket is closed.
    template <typename Call>
    auto waiting(Socket &socket, short event, int timeout_ms, bool no_wait, Call call)
        -> decltype(call())
    {
        Deadline deadline(timeout_of(timeout_ms));
        for (;;)
        {
            if (socket.closed)
                return failed(EBADF);
            auto result = locked(socket, call);
            if (result >= 0 || !would_block(errno) || no_wait)
                return result;
            int left = deadline.poll_timeout_ms();
            if (left == 0)
                return failed(EAGAIN);
            // lwip_poll() looks at the socket's state first, so what arrived since the call
            // above is not missed.
            rt::note_blocking();
            pollfd entry{socket.fd, event, 0};
            if (lwip_poll(&entry, 1, left) < 0)
                return -1;
        }
    }

    LwipStack &stack_;
};

} // namespace

SocketOps *lwip_socket_ops(Errc &error)
{
    Stack *stack = lwip_stack(error);
    if (!stack)
        return nullptr;
    // Never destroyed, as lwIP itself: applications may still use sockets at exit.
    static auto *ops = new LwipSocketOps(static_cast<LwipStack &>(*stack));
    return ops;
}

} // namespace tcp_server::detail::sal
