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

/** `from + delay`, or the clock's end of time where that would pass it (a timeout of a thousand
 *  years must not wrap into the past). A negative delay counts as none. */
inline std::chrono::steady_clock::time_point saturating_add(
    std::chrono::steady_clock::time_point from, Duration delay)
{
    using Clock = std::chrono::steady_clock;
    if (delay <= Duration::zero())
        return from;
    auto room = std::chrono::duration_cast<Duration>(Clock::time_point::max() - from);
    return delay >= room ? Clock::time_point::max() : from + delay;
}

class Deadline
{
  public:
    using Clock = std::chrono::steady_clock;

    explicit Deadline(Duration timeout)
        : at_(timeout == kForever ? Clock::time_point::max()
                                  : saturating_add(Clock::now(), timeout)),
          forever_(at_ == Clock::time_point::max())
    {
    }

    bool forever() const { return forever_; }

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
    Clock::time_point at_;
    bool forever_; // at_ is the end of time: wait without a timer
};

} // namespace tcp_server::detail
