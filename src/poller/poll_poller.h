// The poll() backend: no FD_SETSIZE limit, cost linear in the number of watched descriptors.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "poller/poller.h"

#include <poll.h>

namespace tcp_server::detail
{

class PollPoller final : public Poller
{
  public:
    const char *name() const override { return "poll"; }
    bool supports(int fd) const override { return fd >= 0; }
    bool watches_hangup() const override { return true; }
    Errc add(int fd, unsigned interest) override;
    Errc modify(int fd, unsigned interest) override;
    void remove(int fd) override;
    Errc wait(int timeout_ms, std::vector<FiredEvent> &fired) override;

  private:
    std::vector<pollfd> entries_;
    std::vector<int> slot_of_; // descriptor -> index in entries_, -1 when not watched
};

} // namespace tcp_server::detail
