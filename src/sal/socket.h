// A socket an application reaches through SAL on a stack other than the kernel's: the stack's
// own descriptor, the number the application knows it by, and the settings SAL keeps itself,
// as such a stack's sockets never wait inside the stack.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <functional>

namespace tcp_server::detail::sal
{

class SocketOps;

struct Socket
{
    /** An application's own socket of `type` (SOCK_STREAM...), closed on its stack when the
     *  last call using it is done. */
    Socket(SocketOps &ops, int fd, int type) : ops(ops), fd(fd), type(type), lent(false) {}
    /** A server's connection or listener shown to the application; `give_back` runs instead
     *  of a close. */
    Socket(SocketOps &ops, int fd, std::function<void()> give_back)
        : ops(ops), fd(fd), type(SOCK_STREAM), lent(true), give_back_(std::move(give_back))
    {
    }
    ~Socket();
    /** A lent socket that was never shown to anyone: its owner keeps the descriptor. */
    void disown() { give_back_ = nullptr; }
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;

    SocketOps &ops;
    const int fd;    // the stack's descriptor
    const int type;  // SOCK_STREAM, SOCK_DGRAM or SOCK_RAW
    const bool lent; // a server's: the application may use it but never closes it

    /** The application's number for it: a descriptor the kernel keeps reserved (see
     *  SocketTable), released with the socket; -1 once another socket took the number. */
    std::atomic<int> placeholder{-1};

    // What the application set: the stack itself never waits, SAL does (O_NONBLOCK,
    // SO_RCVTIMEO and SO_SNDTIMEO; a timeout of 0 waits without limit, as on Linux).
    std::atomic<bool> nonblocking{false};
    std::atomic<int> recv_timeout_ms{0};
    std::atomic<int> send_timeout_ms{0};

    /** Set by close(): a call waiting on the socket ends with EBADF. */
    std::atomic<bool> closed{false};

  private:
    std::function<void()> give_back_;
};

} // namespace tcp_server::detail::sal
