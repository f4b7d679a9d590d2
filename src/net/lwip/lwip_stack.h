// lwIP's socket layer as a Stack: the stack RT-Thread boards run, here over a TAP device.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/stack.h"

#include <array>
#include <mutex>

namespace tcp_server::detail
{

/**
 * Debian's lwIP is built without LWIP_NETCONN_FULLDUPLEX, so one socket must never be used by
 * two threads at once. Every call here therefore holds its socket's lock, and none waits
 * inside lwIP while holding it: sockets stay non-blocking, and a wait is an lwip_poll() of
 * one socket, which lwIP lets run beside calls on that socket from other threads.
 */
class LwipStack : public Stack
{
  public:
    const char *name() const override { return "lwip"; }
    StackKind kind() const override { return StackKind::lwip; }
    /** Whatever `backend` says: lwIP's own poll, over its descriptors. */
    std::unique_ptr<Poller> make_poller(Backend backend, Errc &error) override;
    /** A UDP socket that other threads make readable through lwIP's event callback. */
    std::unique_ptr<Wakeup> make_wakeup(Errc &error) override;

    /** Sockets stay non-blocking; receive() with `wait` waits in lwip_poll() instead. */
    void set_blocking(int fd) override;
    void set_no_delay(int fd) override;
    void set_keepalive(int fd, int idle, int interval, int count) override;
    std::size_t unsent_bytes(int fd) override;
    void shutdown_both(int fd) override;
    void set_abortive_close(int fd) override;
    void close(int fd) override;

    /** Wakes every thread in lwip_poll() on `fd`, which then reads as failed (POLLERR): for a
     *  socket being closed. */
    void wake_waiters(int fd);
    /** Wakes threads in lwip_poll() on `fd` as readable: for a socket shut down for reading,
     *  whose reads now end at once. */
    void wake_readers(int fd);

    /** The lock that calls on `fd` hold. */
    std::mutex &lock_of(int fd) { return locks_[static_cast<unsigned>(fd) % locks_.size()]; }

  protected:
    int raw_listen(const sockets::Endpoint &endpoint, int backlog) override;
    int raw_local_name(int fd, sockets::Endpoint &out) override;
    int raw_peer_name(int fd, sockets::Endpoint &out) override;
    int raw_accept(int listen_fd, sockets::Endpoint &peer) override;
    ssize_t raw_receive(int fd, char *buffer, std::size_t size, bool wait) override;
    ssize_t raw_read_into(int fd, std::span<char> first, std::span<char> second) override;
    ssize_t raw_send(int fd, const char *data, std::size_t size) override;
    int raw_wait(int fd, bool writable, int timeout_ms) override;

  private:
    // Striped: sockets sharing a stripe only take turns, as every call under it is short.
    std::array<std::mutex, 64> locks_;
    std::mutex listen_lock_; // a port's check and its listen() as one step
};

} // namespace tcp_server::detail
