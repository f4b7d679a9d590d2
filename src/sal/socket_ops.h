// One TCP/IP stack's socket calls as SAL hands an application's to it: the seam between the
// application-facing layer (descriptor table, select, name lookup) and a stack other than the
// kernel's, whose descriptors share no numbers with the kernel's.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>

namespace tcp_server::detail::sal
{

struct Socket;

/**
 * Each call works on the stack's own descriptor and fails as the socket API does: -1 with
 * errno. A call that may wait waits as the Socket says (nonblocking, its timeouts) and ends
 * with EBADF once the socket is closed; the stack itself is never left waiting inside, so
 * other threads may use the same socket meanwhile. Thread safe.
 */
class SocketOps
{
  public:
    virtual ~SocketOps() = default;

    virtual StackKind kind() const = 0;

    /** A new socket of the stack (type without SOCK_NONBLOCK/SOCK_CLOEXEC), or -1. */
    virtual int open(int domain, int type, int protocol) = 0;
    /** Releases the stack's descriptor; no call uses it any more. */
    virtual void close(int fd) = 0;

    virtual int bind(Socket &socket, const sockaddr *address, socklen_t length) = 0;
    virtual int listen(Socket &socket, int backlog) = 0;
    /** The stack's descriptor of the connection taken, or -1. */
    virtual int accept(Socket &socket, sockaddr *address, socklen_t *length) = 0;
    virtual int connect(Socket &socket, const sockaddr *address, socklen_t length) = 0;
    /** Blocking unless the socket or `flags` say otherwise; a stream sends everything. */
    virtual ssize_t sendmsg(Socket &socket, const msghdr *message, int flags) = 0;
    virtual ssize_t recvmsg(Socket &socket, msghdr *message, int flags) = 0;
    virtual int shutdown(Socket &socket, int how) = 0;
    virtual int setsockopt(Socket &socket, int level, int name, const void *value,
                           socklen_t length) = 0;
    virtual int getsockopt(Socket &socket, int level, int name, void *value,
                           socklen_t *length) = 0;
    virtual int getsockname(Socket &socket, sockaddr *address, socklen_t *length) = 0;
    virtual int getpeername(Socket &socket, sockaddr *address, socklen_t *length) = 0;
    /** FIONREAD and what else the stack's ioctl knows (FIONBIO is SAL's). */
    virtual int ioctl(Socket &socket, unsigned long request, void *argument) = 0;

    /** poll() over this stack's descriptors (fds[i].fd), -1 timeout waiting for ever. */
    virtual int poll(pollfd *fds, nfds_t count, int timeout_ms) = 0;
    /** Wakes every thread waiting on the socket, after `closed` was set. */
    virtual void interrupt(Socket &socket) = 0;
};

/** lwIP's, starting lwIP on first use; nullptr with `error` (logged) when it cannot run. */
SocketOps *lwip_socket_ops(Errc &error);

} // namespace tcp_server::detail::sal
