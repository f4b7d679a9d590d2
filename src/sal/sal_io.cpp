// SAL's data calls: every send and receive of another stack's socket becomes one sendmsg or
// recvmsg of its SocketOps.
// SPDX-License-Identifier: Apache-2.0
#include "sal/api.h"
#include "sal/sal.h"

#include <unistd.h>

namespace tcp_server::detail::sal::api
{

namespace
{

// A NULL buffer, which lwIP would follow (a board would fault), fails with EFAULT as the
// kernel's calls do (read and write come here without the check sendto/recvfrom make).
ssize_t send_one(Socket &socket, const void *data, size_t size, int flags, const sockaddr *to,
                 socklen_t length)
{
    if (!data && size > 0)
        return failed(EFAULT);
    iovec part{const_cast<void *>(data), size};
    msghdr message{};
    message.msg_name = const_cast<sockaddr *>(to);
    message.msg_namelen = to ? length : 0;
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    return socket.ops.sendmsg(socket, &message, flags);
}

ssize_t receive_one(Socket &socket, void *data, size_t size, int flags, sockaddr *from,
                    socklen_t *length)
{
    if (!data && size > 0)
        return failed(EFAULT);
    iovec part{data, size};
    msghdr message{};
    message.msg_name = from && length ? from : nullptr;
    message.msg_namelen = from && length ? *length : 0;
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    ssize_t n = socket.ops.recvmsg(socket, &message, flags);
    if (n >= 0 && from && length)
        *length = message.msg_namelen;
    return n;
}

} // namespace

ssize_t sendmsg(int fd, const msghdr *message, int flags)
{
    if (!message)
        return failed(EFAULT);
    auto socket = find(fd);
    return socket ? socket->ops.sendmsg(*socket, message, flags) : ::sendmsg(fd, message, flags);
}

ssize_t recvmsg(int fd, msghdr *message, int flags)
{
    if (!message)
        return failed(EFAULT);
    auto socket = find(fd);
    return socket ? socket->ops.recvmsg(*socket, message, flags) : ::recvmsg(fd, message, flags);
}

ssize_t sendto(int fd, const void *data, size_t size, int flags, const sockaddr *to,
               socklen_t length)
{
    if (!data && size > 0)
        return failed(EFAULT);
    auto socket = find(fd);
    return socket ? send_one(*socket, data, size, flags, to, length)
                  : ::sendto(fd, data, size, flags, to, length);
}

ssize_t recvfrom(int fd, void *data, size_t size, int flags, sockaddr *from, socklen_t *length)
{
    if (!data && size > 0)
        return failed(EFAULT);
    auto socket = find(fd);
    return socket ? receive_one(*socket, data, size, flags, from, length)
                  : ::recvfrom(fd, data, size, flags, from, length);
}

ssize_t read(int fd, void *data, size_t size)
{
    auto socket = find(fd);
    return socket ? receive_one(*socket, data, size, 0, nullptr, nullptr) : ::read(fd, data, size);
}

ssize_t write(int fd, const void *data, size_t size)
{
    auto socket = find(fd);
    return socket ? send_one(*socket, data, size, 0, nullptr, 0) : ::write(fd, data, size);
}

ssize_t readv(int fd, const iovec *parts, int count)
{
    auto socket = find(fd);
    if (!socket)
        return ::readv(fd, parts, count);
    msghdr message{};
    message.msg_iov = const_cast<iovec *>(parts);
    message.msg_iovlen = count;
    return socket->ops.recvmsg(*socket, &message, 0);
}

ssize_t writev(int fd, const iovec *parts, int count)
{
    auto socket = find(fd);
    if (!socket)
        return ::writev(fd, parts, count);
    msghdr message{};
    message.msg_iov = const_cast<iovec *>(parts);
    message.msg_iovlen = count;
    return socket->ops.sendmsg(*socket, &message, 0);
}

} // namespace tcp_server::detail::sal::api
