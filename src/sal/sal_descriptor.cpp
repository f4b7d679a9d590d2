// SAL's descriptor calls: close, closesocket, fcntl and ioctl on another stack's socket.
// SPDX-License-Identifier: Apache-2.0
#include "sal/api.h"
#include "sal/sal.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tcp_server::detail::sal::api
{

int close(int fd)
{
    auto socket = find(fd);
    if (!socket && socket_table().held_for_server(fd))
    {
        // A server's kernel socket: closing it here would free its number under the server.
        warn("close(%d): the socket is its server's; shut down instead", fd);
        ::shutdown(fd, SHUT_RDWR);
        return 0;
    }
    if (!socket)
        return ::close(fd);
    if (socket->lent)
    {
        // A server's connection or listener: its server closes it; what the application asks
        // for is that it ends, so it ends for both directions.
        warn("close(%d): the socket is its server's; shut down instead", fd);
        socket->ops.shutdown(*socket, SHUT_RDWR);
        return 0;
    }
    socket = socket_table().remove(fd);
    if (!socket)
        return failed(EBADF); // another thread's close came first
    socket->closed = true;
    socket->ops.interrupt(*socket);
    return 0; // the stack closes it once the calls still waiting on it have ended
}

int close_socket(int fd)
{
    if (find(fd) || socket_table().held_for_server(fd))
        return close(fd);
    struct stat status;
    if (::fstat(fd, &status) != 0 || !S_ISSOCK(status.st_mode))
        return failed(EBADF); // a file given by mistake stays open
    return ::close(fd);
}

int fcntl(int fd, int command, unsigned long argument)
{
    auto socket = find(fd);
    if (!socket)
        return ::fcntl(fd, command, argument);
    switch (command)
    {
    case F_GETFL:
        return O_RDWR | (socket->nonblocking ? O_NONBLOCK : 0);
    case F_SETFL:
        socket->nonblocking = (argument & O_NONBLOCK) != 0;
        return 0;
    case F_GETFD:
    case F_SETFD:
        return ::fcntl(fd, command, argument); // the reserved number's own flags
    default:
        warn("fcntl(%d, %d): not available on %s sockets", fd, command,
             to_string(socket->ops.kind()));
        return failed(EINVAL);
    }
}

int ioctl(int fd, unsigned long request, void *argument)
{
    auto socket = find(fd);
    if (!socket)
        return ::ioctl(fd, request, argument);
    if (request == FIONBIO)
    {
        if (!argument)
            return failed(EFAULT);
        socket->nonblocking = *static_cast<const int *>(argument) != 0;
        return 0;
    }
    return socket->ops.ioctl(*socket, request, argument);
}

} // namespace tcp_server::detail::sal::api
