// The epoll backend: cost independent of the number of idle descriptors.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "poller/poller.h"

#include <sys/epoll.h>

namespace tcp_server::detail
{

class EpollPoller final : public Poller
{
  public:
    EpollPoller();
    ~EpollPoller() override;
    EpollPoller(const EpollPoller &) = delete;
    EpollPoller &operator=(const EpollPoller &) = delete;

    /** Errc::ok once the epoll instance exists. */
    Errc error() const { return error_; }
    const char *name() const override { return "epoll"; }
    bool supports(int fd) const override { return fd >= 0; }
    bool watches_hangup() const override { return true; }
    Errc add(int fd, unsigned interest) override;
    Errc modify(int fd, unsigned interest) override;
    void remove(int fd) override;
    Errc wait(int timeout_ms, std::vector<FiredEvent> &fired) override;

  private:
    Errc control(int operation, int fd, unsigned interest);

    int epoll_fd_;
    Errc error_ = Errc::ok;
    std::vector<epoll_event> ready_;
    std::vector<unsigned char> interest_; // descriptor -> what it watches; 0: not in the kernel
};

} // namespace tcp_server::detail
