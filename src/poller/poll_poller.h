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
    /** poll(2)'s signature: the kernel's poll, or another stack's over its own descriptors. */
    using PollCall = int (*)(pollfd *entries, nfds_t count, int timeout_ms);

    PollPoller() = default;
    /** A poller over `call`, which reports POLLRDHUP if `reports_peer_close`. */
    PollPoller(const char *name, PollCall call, bool reports_peer_close)
        : name_(name), call_(call), reports_peer_close_(reports_peer_close)
    {
    }

    const char *name() const override { return name_; }
    bool supports(int fd) const override { return fd >= 0; }
    bool watches_hangup() const override { return reports_peer_close_; }
    Errc add(int fd, unsigned interest) override;
    Errc modify(int fd, unsigned interest) override;
    void remove(int fd) override;
    Errc wait(int timeout_ms, std::vector<FiredEvent> &fired) override;

  private:
    const char *name_ = "poll";
    PollCall call_ = ::poll;
    bool reports_peer_close_ = true;
    std::vector<pollfd> entries_;
    std::vector<int> slot_of_; // descriptor -> index in entries_, -1 when not watched
};

} // namespace tcp_server::detail
