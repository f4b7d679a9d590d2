// An eventfd that lets other threads interrupt the worker's poller wait.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

namespace tcp_server::detail
{

class Wakeup
{
  public:
    /** Opens the descriptor; check error() before use. */
    Wakeup();
    ~Wakeup();
    Wakeup(const Wakeup &) = delete;
    Wakeup &operator=(const Wakeup &) = delete;

    Errc error() const { return fd_ < 0 ? error_ : Errc::ok; }
    int fd() const { return fd_; }
    /** Makes the descriptor readable. Thread safe. */
    void notify();
    /** Makes it unreadable again. Worker thread only. */
    void drain();

  private:
    int fd_;
    Errc error_ = Errc::ok;
};

} // namespace tcp_server::detail
