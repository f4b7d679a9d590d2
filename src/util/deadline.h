// A point in time to give up waiting, built from a timeout that may be "forever".
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace tcp_server::detail
{

namespace rt
{
void note_blocking(); // rt/kernel.h: the board runtime learns that "main" waits
} // namespace rt

class Deadline
{
  public:
    using Clock = std::chrono::steady_clock;

    explicit Deadline(Duration timeout)
        : forever_(timeout == kForever),
          at_(forever_ ? Clock::time_point::max() : Clock::now() + timeout)
    {
    }

    bool forever() const noexcept { return forever_; }
    Clock::time_point at() const noexcept { return at_; }

    /** Milliseconds left for poll(): -1 for forever, rounded up so poll never wakes early. */
    int poll_timeout_ms() const
    {
        if (forever_)
            return -1;
        auto left = std::chrono::ceil<std::chrono::milliseconds>(at_ - Clock::now()).count();
        return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
    }

    /** Waits on `cv` until `done()` or the deadline; returns done(). */
    template <typename Predicate>
    bool wait(std::condition_variable &cv, std::unique_lock<std::mutex> &lock, Predicate done) const
    {
        if (done())
            return true;
        if (forever_)
        {
            rt::note_blocking();
            cv.wait(lock, done);
            return true;
        }
        // A deadline already past (a zero timeout: just look) must not reach the futex, whose
        // timed wait costs a timer even when it has nothing to wait for.
        if (Clock::now() >= at_)
            return false;
        rt::note_blocking();
        return cv.wait_until(lock, at_, done);
    }

  private:
    bool forever_;
    Clock::time_point at_;
};

} // namespace tcp_server::detail
