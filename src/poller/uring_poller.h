// The io_uring backend: readiness through one-shot poll requests, every change and the wait
// of a loop round in one io_uring_enter.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "poller/poller.h"

#include <liburing.h>

#include <cstdint>

namespace tcp_server::detail
{

class UringPoller final : public Poller
{
  public:
    /** A ring of `submissions` entries and room for `completions` (powers of two). */
    explicit UringPoller(unsigned submissions = 512, unsigned completions = 4096);
    ~UringPoller() override;
    UringPoller(const UringPoller &) = delete;
    UringPoller &operator=(const UringPoller &) = delete;

    /** Errc::ok once the ring exists; Errc::uring_unavailable where the kernel lacks or
     *  forbids io_uring (or a feature used here), with why in reason(). */
    Errc error() const { return error_; }
    const char *reason() const { return reason_; }
    const char *name() const override { return "uring"; }
    bool supports(int fd) const override { return fd >= 0; }
    bool watches_hangup() const override { return true; }
    Errc add(int fd, unsigned interest) override;
    Errc modify(int fd, unsigned interest) override;
    void remove(int fd) override;
    Errc wait(int timeout_ms, std::vector<FiredEvent> &fired) override;

  private:
    struct Watch
    {
        std::uint32_t generation = 0; // tells a live request's completion from a stale one
        unsigned char interest = 0;   // what the loop asked for
        unsigned char armed = 0;      // what the request in the kernel (or queued) watches
    };

    io_uring_sqe *next_sqe();
    void arm(int fd);
    void disarm(int fd);
    Errc enable_in_issuer_thread();
    void reap(std::vector<FiredEvent> &fired);

    io_uring ring_{};
    bool ring_ready_ = false;
    bool enabled_ = false; // rings made disabled (single issuer) start on the first wait
    Errc error_ = Errc::ok;
    const char *reason_ = "";
    std::vector<Watch> watches_;
    std::vector<int> fired_last_round_; // one-shot requests spent: armed again before waiting
    std::size_t watched_ = 0;
};

} // namespace tcp_server::detail
