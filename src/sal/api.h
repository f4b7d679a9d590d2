// The socket and descriptor calls SAL takes from an application, each with the signature of
// the C library's call of the same name: a kernel descriptor goes to the C library unchanged,
// another stack's socket to its SocketOps. Wrappers (wrap.cpp) and the sal_* API call these.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <netdb.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

namespace tcp_server::detail::sal::api
{

int socket(int domain, int type, int protocol);
/** A socket on `stack` whatever the default: ENETDOWN when that stack cannot run. */
int socket_on(StackKind stack, int domain, int type, int protocol);
int bind(int fd, const sockaddr *address, socklen_t length);
int listen(int fd, int backlog);
int accept4(int fd, sockaddr *address, socklen_t *length, int flags);
int connect(int fd, const sockaddr *address, socklen_t length);
int shutdown(int fd, int how);
int setsockopt(int fd, int level, int name, const void *value, socklen_t length);
int getsockopt(int fd, int level, int name, void *value, socklen_t *length);
int getsockname(int fd, sockaddr *address, socklen_t *length);
int getpeername(int fd, sockaddr *address, socklen_t *length);

ssize_t sendmsg(int fd, const msghdr *message, int flags);
ssize_t recvmsg(int fd, msghdr *message, int flags);
ssize_t sendto(int fd, const void *data, size_t size, int flags, const sockaddr *to,
               socklen_t length);
ssize_t recvfrom(int fd, void *data, size_t size, int flags, sockaddr *from, socklen_t *length);
ssize_t read(int fd, void *data, size_t size);
ssize_t write(int fd, const void *data, size_t size);
ssize_t readv(int fd, const iovec *parts, int count);
ssize_t writev(int fd, const iovec *parts, int count);

/** close(): another stack's socket ends once no call uses it any more; a server's socket lent
 *  to the application is shut down, not taken from its server; anything else is the C
 *  library's close. */
int close(int fd);
/** closesocket() and lwIP's lwip_close(): close() of a socket, on any stack; -1 with EBADF for
 *  a descriptor that is no socket, which stays open (a board's closes sockets only). */
int close_socket(int fd);
/** F_GETFL/F_SETFL (O_NONBLOCK) and F_GETFD/F_SETFD on another stack's socket. */
int fcntl(int fd, int command, unsigned long argument);
/** FIONBIO and FIONREAD on another stack's socket. */
int ioctl(int fd, unsigned long request, void *argument);

/** As lwIP's: the timeout is never written back. Descriptors of one stack only: a set mixing
 *  the kernel's with another stack's fails with EINVAL. */
int select(int count, fd_set *read, fd_set *write, fd_set *except, timeval *timeout);
int poll(pollfd *fds, nfds_t count, int timeout_ms);

/** Through the kernel's resolver on the kernel stack; on lwIP, numeric addresses only (lwIP
 *  here has no DNS). The result is freed with freeaddrinfo(). */
int getaddrinfo(const char *node, const char *service, const addrinfo *hints, addrinfo **result);
hostent *gethostbyname(const char *name);

} // namespace tcp_server::detail::sal::api
