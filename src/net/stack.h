// A TCP/IP stack's socket layer: every call the server and its clients make on a socket goes
// through one Stack. The public calls hold what is the same for every stack (EINTR retried,
// errno turned into Errc, accept failures sorted); an implementation supplies the raw calls,
// each one call into its stack that reports failure in errno, as the socket API does.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/endpoint.h"

#include <tcpserver.hpp>

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <span>

namespace tcp_server::detail
{

class Poller;
class Wakeup;

class Stack
{
  public:
    virtual ~Stack() = default;

    virtual const char *name() const = 0;
    virtual StackKind kind() const = 0;

    /** A poller that watches this stack's descriptors with `backend`; nullptr with `error`. */
    virtual std::unique_ptr<Poller> make_poller(Backend backend, Errc &error) = 0;
    /** A wake-up whose descriptor this stack's pollers can watch; nullptr with `error`. */
    virtual std::unique_ptr<Wakeup> make_wakeup(Errc &error) = 0;

    /** A bound, listening, non-blocking socket, or -1 with `error` set. */
    int listen_on(const sockets::Endpoint &endpoint, int backlog, Errc &error);
    /** The address a socket is bound to. */
    Errc local_endpoint(int fd, sockets::Endpoint &out);
    /**
     * Accepts one connection as a non-blocking descriptor. Returns -1 with `error`: timeout when
     * none is waiting, connection_reset for one that died before it was taken (ECONNABORTED,
     * EPROTO, ENETDOWN and the others accept(2) says to retry), descriptor_limit on
     * EMFILE/ENFILE, others as errc_from_errno.
     */
    int accept_one(int listen_fd, sockets::Endpoint &peer, Errc &error);
    /** The same for a connection the poller accepted (`result`: its descriptor, or -1 with
     *  errno from Poller::take_accepted): finds its peer; one gone by now is closed and
     *  reported as connection_reset. */
    int adopt_accepted(int result, sockets::Endpoint &peer, Errc &error);
    /** Receives; waits for data when `wait` and fd is in blocking mode. */
    ssize_t receive(int fd, char *buffer, std::size_t size, bool wait);
    /** Reads into `first`, then `second`, never waiting (whatever fd's mode). */
    ssize_t read_into(int fd, std::span<char> first, std::span<char> second);
    /** Sends what the socket takes now, never waiting and never raising SIGPIPE. A stack out
     *  of buffers (ENOBUFS) is reported as full (EAGAIN): its buffers come back as the peer
     *  acknowledges, so the caller waits for writability as for a full socket. */
    ssize_t send_some(int fd, const char *data, std::size_t size);
    /** Waits up to timeout_ms (-1: forever) until fd is writable or hung up; false on timeout. */
    bool wait_writable(int fd, int timeout_ms);
    /** Waits up to timeout_ms (-1: forever) until fd is readable or hung up; false on timeout. */
    bool wait_readable(int fd, int timeout_ms);

    /** Puts fd in blocking mode: a receive() with `wait` then waits in the stack. */
    virtual void set_blocking(int fd) = 0;
    virtual void set_no_delay(int fd) = 0;
    /** Turns TCP keepalive on with these settings (seconds; 0 keeps the stack's value). */
    virtual void set_keepalive(int fd, int idle, int interval, int count) = 0;
    /** Bytes written to fd that the peer has not acknowledged yet (the stack's send queue). */
    virtual std::size_t unsent_bytes(int fd) = 0;
    virtual void shutdown_both(int fd) = 0;
    /** Makes the coming close() reset the connection instead of draining it. */
    virtual void set_abortive_close(int fd) = 0;
    /** Releases fd; never retried, as the descriptor is gone even when close fails. */
    virtual void close(int fd) = 0;

  protected:
    // One call each, -1 with errno on failure (EINTR included: the callers above retry).
    virtual int raw_listen(const sockets::Endpoint &endpoint, int backlog) = 0;
    virtual int raw_local_name(int fd, sockets::Endpoint &out) = 0;
    virtual int raw_accept(int listen_fd, sockets::Endpoint &peer) = 0;
    virtual int raw_peer_name(int fd, sockets::Endpoint &out) = 0;
    virtual ssize_t raw_receive(int fd, char *buffer, std::size_t size, bool wait) = 0;
    virtual ssize_t raw_read_into(int fd, std::span<char> first, std::span<char> second) = 0;
    virtual ssize_t raw_send(int fd, const char *data, std::size_t size) = 0;
    /** poll() of one descriptor: >0 ready (or hung up), 0 timed out, -1 failed. */
    virtual int raw_wait(int fd, bool writable, int timeout_ms) = 0;

  private:
    bool wait_for(int fd, bool writable, int timeout_ms);
};

/** The host's own TCP/IP stack. */
Stack &kernel_stack();
/**
 * lwIP's, started on first use with LwipSettings::from_environment() unless start_lwip() came
 * first; nullptr with `error` (the reason logged) when it cannot start or the build has no
 * lwIP. Thread safe.
 */
Stack *lwip_stack(Errc &error);

/**
 * Replaces the stack servers started from now on use, whatever kind they ask for (nullptr:
 * the one they ask for). Tests put a stack that injects faults here. Thread safe; a server
 * keeps the stack it started with.
 */
void set_stack_for_new_servers(Stack *stack);
/** The stack of `kind` for a new server (lwIP's starts on first use); nullptr with `error`. */
Stack *stack_for_new_server(StackKind kind, Errc &error);

} // namespace tcp_server::detail
