// SAL's socket calls that make, connect and inspect sockets.
// SPDX-License-Identifier: Apache-2.0
#include "sal/api.h"
#include "sal/sal.h"

#include <sys/time.h>

#include <climits>

namespace tcp_server::detail::sal::api
{

namespace
{

int to_milliseconds(const timeval &value)
{
    long long ms = static_cast<long long>(value.tv_sec) * 1000 + (value.tv_usec + 999) / 1000;
    return ms <= 0 ? 0 : static_cast<int>(std::min<long long>(ms, INT_MAX));
}

// SO_RCVTIMEO and SO_SNDTIMEO are SAL's on a stack that never waits itself.
std::atomic<int> *timeout_option(Socket &socket, int level, int name)
{
    if (level != SOL_SOCKET)
        return nullptr;
    if (name == SO_RCVTIMEO)
        return &socket.recv_timeout_ms;
    if (name == SO_SNDTIMEO)
        return &socket.send_timeout_ms;
    return nullptr;
}

int socket_of(SocketOps &ops, int domain, int type, int protocol)
{
    int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    int fd = ops.open(domain, base, protocol);
    if (fd < 0)
        return -1;
    return enter(ops, fd, base, (type & SOCK_NONBLOCK) != 0);
}

// Linux refuses a level it does not know on a TCP socket with EOPNOTSUPP; a board's stack
// says ENOPROTOOPT, as Linux itself does for an unknown option.
int as_board_option_error(int result)
{
    if (result < 0 && errno == EOPNOTSUPP)
        errno = ENOPROTOOPT;
    return result;
}

// lwIP follows these pointers unchecked, where a board would fault; the kernel's calls fail
// with EFAULT. SAL refuses them itself, on every stack, before any stack sees them.
bool unusable(const void *address, socklen_t length)
{
    return !address && length > 0;
}
bool unusable(const void *address, const socklen_t *length)
{
    return (address && !length) || (!address && length && *length > 0);
}

} // namespace

int socket(int domain, int type, int protocol)
{
    bool unavailable = false;
    SocketOps *ops = stack_for_new_socket(domain, unavailable);
    if (!ops)
        return unavailable ? -1 : ::socket(domain, type, protocol);
    return socket_of(*ops, domain, type, protocol);
}

int socket_on(StackKind stack, int domain, int type, int protocol)
{
    if (stack == StackKind::kernel)
        return ::socket(domain, type, protocol);
    Errc error;
    SocketOps *ops = lwip_socket_ops(error);
    if (!ops)
        return failed(ENETDOWN);
    return socket_of(*ops, domain, type, protocol);
}

int bind(int fd, const sockaddr *address, socklen_t length)
{
    if (!address)
        return failed(EFAULT);
    auto socket = find(fd);
    return socket ? socket->ops.bind(*socket, address, length) : ::bind(fd, address, length);
}

int listen(int fd, int backlog)
{
    auto socket = find(fd);
    return socket ? socket->ops.listen(*socket, backlog) : ::listen(fd, backlog);
}

int accept4(int fd, sockaddr *address, socklen_t *length, int flags)
{
    if (unusable(address, length))
        return failed(EFAULT);
    auto socket = find(fd);
    if (!socket)
        return ::accept4(fd, address, length, flags);
    int taken = socket->ops.accept(*socket, address, length);
    if (taken < 0)
        return -1;
    return enter(socket->ops, taken, SOCK_STREAM, (flags & SOCK_NONBLOCK) != 0);
}

int connect(int fd, const sockaddr *address, socklen_t length)
{
    if (!address)
        return failed(EFAULT);
    auto socket = find(fd);
    return socket ? socket->ops.connect(*socket, address, length)
                  : ::connect(fd, address, length);
}

int shutdown(int fd, int how)
{
    auto socket = find(fd);
    return socket ? socket->ops.shutdown(*socket, how) : ::shutdown(fd, how);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t length)
{
    if (unusable(value, length))
        return failed(EFAULT);
    auto socket = find(fd);
    if (!socket)
        return as_board_option_error(::setsockopt(fd, level, name, value, length));
    if (std::atomic<int> *timeout = timeout_option(*socket, level, name))
    {
        if (length < sizeof(timeval))
            return failed(EINVAL);
        *timeout = to_milliseconds(*static_cast<const timeval *>(value));
        return 0;
    }
    return socket->ops.setsockopt(*socket, level, name, value, length);
}

int getsockopt(int fd, int level, int name, void *value, socklen_t *length)
{
    if (!value || !length)
        return failed(EFAULT);
    auto socket = find(fd);
    if (!socket)
        return as_board_option_error(::getsockopt(fd, level, name, value, length));
    if (std::atomic<int> *timeout = timeout_option(*socket, level, name))
    {
        if (*length < sizeof(timeval))
            return failed(EINVAL);
        int ms = timeout->load();
        *static_cast<timeval *>(value) = timeval{ms / 1000, (ms % 1000) * 1000};
        *length = sizeof(timeval);
        return 0;
    }
    return socket->ops.getsockopt(*socket, level, name, value, length);
}

int getsockname(int fd, sockaddr *address, socklen_t *length)
{
    if (!address || !length)
        return failed(EFAULT);
    auto socket = find(fd);
    return socket ? socket->ops.getsockname(*socket, address, length)
                  : ::getsockname(fd, address, length);
}

int getpeername(int fd, sockaddr *address, socklen_t *length)
{
    if (!address || !length)
        return failed(EFAULT);
    auto socket = find(fd);
    return socket ? socket->ops.getpeername(*socket, address, length)
                  : ::getpeername(fd, address, length);
}

} // namespace tcp_server::detail::sal::api
