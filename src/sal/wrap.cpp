// The application's own calls, as the linker hands them over: an RT-Thread application linked
// with the tcpserver-shell flags (-Wl,--wrap=socket ...) calls __wrap_socket for socket(), and
// so on; the library, the shell and any other code keep the C library's calls. Also the
// sal_* API and closesocket()/ioctlsocket() of RT-Thread's <sal_socket.h>.
// SPDX-License-Identifier: Apache-2.0
#include "sal/api.h"

#include <sal_socket.h>

#include <cstdarg>

namespace api = tcp_server::detail::sal::api;

extern "C" [[noreturn]] void __chk_fail(void);

extern "C" {

int __wrap_socket(int domain, int type, int protocol)
{
    return api::socket(domain, type, protocol);
}
int __wrap_bind(int fd, const sockaddr *address, socklen_t length)
{
    return api::bind(fd, address, length);
}
int __wrap_listen(int fd, int backlog)
{
    return api::listen(fd, backlog);
}
int __wrap_accept(int fd, sockaddr *address, socklen_t *length)
{
    return api::accept4(fd, address, length, 0);
}
int __wrap_accept4(int fd, sockaddr *address, socklen_t *length, int flags)
{
    return api::accept4(fd, address, length, flags);
}
int __wrap_connect(int fd, const sockaddr *address, socklen_t length)
{
    return api::connect(fd, address, length);
}
int __wrap_shutdown(int fd, int how)
{
    return api::shutdown(fd, how);
}
int __wrap_setsockopt(int fd, int level, int name, const void *value, socklen_t length)
{
    return api::setsockopt(fd, level, name, value, length);
}
int __wrap_getsockopt(int fd, int level, int name, void *value, socklen_t *length)
{
    return api::getsockopt(fd, level, name, value, length);
}
int __wrap_getsockname(int fd, sockaddr *address, socklen_t *length)
{
    return api::getsockname(fd, address, length);
}
int __wrap_getpeername(int fd, sockaddr *address, socklen_t *length)
{
    return api::getpeername(fd, address, length);
}

ssize_t __wrap_send(int fd, const void *data, size_t size, int flags)
{
    return api::sendto(fd, data, size, flags, nullptr, 0);
}
ssize_t __wrap_recv(int fd, void *data, size_t size, int flags)
{
    return api::recvfrom(fd, data, size, flags, nullptr, nullptr);
}
ssize_t __wrap_sendto(int fd, const void *data, size_t size, int flags, const sockaddr *to,
                      socklen_t length)
{
    return api::sendto(fd, data, size, flags, to, length);
}
ssize_t __wrap_recvfrom(int fd, void *data, size_t size, int flags, sockaddr *from,
                        socklen_t *length)
{
    return api::recvfrom(fd, data, size, flags, from, length);
}
ssize_t __wrap_sendmsg(int fd, const msghdr *message, int flags)
{
    return api::sendmsg(fd, message, flags);
}
ssize_t __wrap_recvmsg(int fd, msghdr *message, int flags)
{
    return api::recvmsg(fd, message, flags);
}
ssize_t __wrap_read(int fd, void *data, size_t size)
{
    return api::read(fd, data, size);
}
ssize_t __wrap_write(int fd, const void *data, size_t size)
{
    return api::write(fd, data, size);
}
ssize_t __wrap_readv(int fd, const iovec *parts, int count)
{
    return api::readv(fd, parts, count);
}
ssize_t __wrap_writev(int fd, const iovec *parts, int count)
{
    return api::writev(fd, parts, count);
}

// What _FORTIFY_SOURCE makes of read(), recv(), recvfrom() and poll(): the same checks.
ssize_t __wrap___read_chk(int fd, void *data, size_t size, size_t room)
{
    if (size > room)
        __chk_fail();
    return api::read(fd, data, size);
}
ssize_t __wrap___recv_chk(int fd, void *data, size_t size, size_t room, int flags)
{
    if (size > room)
        __chk_fail();
    return api::recvfrom(fd, data, size, flags, nullptr, nullptr);
}
ssize_t __wrap___recvfrom_chk(int fd, void *data, size_t size, size_t room, int flags,
                              sockaddr *from, socklen_t *length)
{
    if (size > room)
        __chk_fail();
    return api::recvfrom(fd, data, size, flags, from, length);
}
int __wrap___poll_chk(pollfd *fds, nfds_t count, int timeout_ms, size_t room)
{
    if (room / sizeof(pollfd) < count)
        __chk_fail();
    return api::poll(fds, count, timeout_ms);
}

int __wrap_close(int fd)
{
    return api::close(fd);
}
int __wrap_fcntl(int fd, int command, ...)
{
    va_list arguments;
    va_start(arguments, command);
    unsigned long argument = va_arg(arguments, unsigned long);
    va_end(arguments);
    return api::fcntl(fd, command, argument);
}
// fcntl64 is fcntl on a 64-bit C library; the same call.
int __wrap_fcntl64(int fd, int command, ...) __attribute__((alias("__wrap_fcntl")));
int __wrap_ioctl(int fd, unsigned long request, ...)
{
    va_list arguments;
    va_start(arguments, request);
    void *argument = va_arg(arguments, void *);
    va_end(arguments);
    return api::ioctl(fd, request, argument);
}
int __wrap_select(int count, fd_set *read, fd_set *write, fd_set *except, timeval *timeout)
{
    return api::select(count, read, write, except, timeout);
}
int __wrap_poll(pollfd *fds, nfds_t count, int timeout_ms)
{
    return api::poll(fds, count, timeout_ms);
}
int __wrap_getaddrinfo(const char *node, const char *service, const addrinfo *hints,
                       addrinfo **result)
{
    return api::getaddrinfo(node, service, hints, result);
}
hostent *__wrap_gethostbyname(const char *name)
{
    return api::gethostbyname(name);
}

int sal_socket(int domain, int type, int protocol)
{
    return api::socket(domain, type, protocol);
}
int sal_accept(int socket, sockaddr *addr, socklen_t *addrlen)
{
    return api::accept4(socket, addr, addrlen, 0);
}
int sal_bind(int socket, const sockaddr *name, socklen_t namelen)
{
    return api::bind(socket, name, namelen);
}
int sal_listen(int socket, int backlog)
{
    return api::listen(socket, backlog);
}
int sal_connect(int socket, const sockaddr *name, socklen_t namelen)
{
    return api::connect(socket, name, namelen);
}
int sal_shutdown(int socket, int how)
{
    return api::shutdown(socket, how);
}
int sal_getpeername(int socket, sockaddr *name, socklen_t *namelen)
{
    return api::getpeername(socket, name, namelen);
}
int sal_getsockname(int socket, sockaddr *name, socklen_t *namelen)
{
    return api::getsockname(socket, name, namelen);
}
int sal_getsockopt(int socket, int level, int optname, void *optval, socklen_t *optlen)
{
    return api::getsockopt(socket, level, optname, optval, optlen);
}
int sal_setsockopt(int socket, int level, int optname, const void *optval, socklen_t optlen)
{
    return api::setsockopt(socket, level, optname, optval, optlen);
}
int sal_sendmsg(int socket, const msghdr *message, int flags)
{
    return static_cast<int>(api::sendmsg(socket, message, flags));
}
int sal_recvmsg(int socket, msghdr *message, int flags)
{
    return static_cast<int>(api::recvmsg(socket, message, flags));
}
int sal_recvfrom(int socket, void *mem, size_t len, int flags, sockaddr *from, socklen_t *fromlen)
{
    return static_cast<int>(api::recvfrom(socket, mem, len, flags, from, fromlen));
}
int sal_sendto(int socket, const void *dataptr, size_t size, int flags, const sockaddr *to,
               socklen_t tolen)
{
    return static_cast<int>(api::sendto(socket, dataptr, size, flags, to, tolen));
}
int sal_closesocket(int socket)
{
    return api::close_socket(socket);
}
int sal_ioctlsocket(int socket, long cmd, void *arg)
{
    return api::ioctl(socket, static_cast<unsigned long>(cmd), arg);
}
int closesocket(int s)
{
    return api::close_socket(s);
}
int ioctlsocket(int s, long cmd, void *arg)
{
    return api::ioctl(s, static_cast<unsigned long>(cmd), arg);
}

} // extern "C"
