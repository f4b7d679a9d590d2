// The host's TCP/IP stack: the socket calls of Linux.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/stack.h"

namespace tcp_server::detail
{

class KernelStack : public Stack
{
  public:
    const char *name() const override { return "kernel"; }
    StackKind kind() const override { return StackKind::kernel; }
    /** select, poll or epoll. */
    std::unique_ptr<Poller> make_poller(Backend backend, Errc &error) override;
    /** An eventfd. */
    std::unique_ptr<Wakeup> make_wakeup(Errc &error) override;

    void set_blocking(int fd) override;
    void set_no_delay(int fd) override;
    void set_keepalive(int fd, int idle, int interval, int count) override;
    std::size_t unsent_bytes(int fd) override;
    void shutdown_both(int fd) override;
    void set_abortive_close(int fd) override;
    void close(int fd) override;

  protected:
    int raw_listen(const sockets::Endpoint &endpoint, int backlog) override;
    int raw_local_name(int fd, sockets::Endpoint &out) override;
    int raw_peer_name(int fd, sockets::Endpoint &out) override;
    int raw_accept(int listen_fd, sockets::Endpoint &peer) override;
    ssize_t raw_receive(int fd, char *buffer, std::size_t size, bool wait) override;
    ssize_t raw_read_into(int fd, std::span<char> first, std::span<char> second) override;
    ssize_t raw_send(int fd, const char *data, std::size_t size) override;
    int raw_wait(int fd, bool writable, int timeout_ms) override;
};

} // namespace tcp_server::detail
