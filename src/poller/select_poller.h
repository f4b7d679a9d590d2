// The select() backend: the reference poller of the RT-Thread profile.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "poller/poller.h"

#include <tcpserver_config.h>

#include <sys/select.h>

namespace tcp_server::detail
{

class SelectPoller final : public Poller
{
  public:
    SelectPoller();
    const char *name() const override { return "select"; }
    /** Below FD_SETSIZE, and below TCPSERVER_SOCKET_MAX as the package's table is. */
    bool supports(int fd) const override
    {
        return fd >= 0 && fd < FD_SETSIZE && fd < TCPSERVER_SOCKET_MAX;
    }
    bool watches_hangup() const override { return false; }
    Errc add(int fd, unsigned interest) override;
    Errc modify(int fd, unsigned interest) override;
    void remove(int fd) override;
    Errc wait(int timeout_ms, std::vector<FiredEvent> &fired) override;

  private:
    void set_interest(int fd, unsigned interest);

    fd_set read_set_;
    fd_set write_set_;
    std::vector<int> watched_; // scanned after select instead of 0..max_fd
    int max_fd_ = -1;
};

} // namespace tcp_server::detail
