// LogThrottle: keeps a flood of one kind of warning down to a line a period, counting the rest.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>

namespace tcp_server::detail
{

/** For one thread (the worker): a refusal flood must not become a log flood. */
class LogThrottle
{
  public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(std::chrono::milliseconds period = std::chrono::seconds(1))
        : period_(period)
    {
    }

    /**
     * Whether a line may be written now. When it may, `held_back` is how many were refused
     * since the last line written, for that line to mention.
     */
    bool admit(std::uint64_t &held_back)
    {
        Clock::time_point now = Clock::now();
        if (now < next_)
        {
            ++held_back_;
            return false;
        }
        next_ = now + period_;
        held_back = held_back_;
        held_back_ = 0;
        return true;
    }

  private:
    const std::chrono::milliseconds period_;
    Clock::time_point next_{};
    std::uint64_t held_back_ = 0;
};

} // namespace tcp_server::detail
