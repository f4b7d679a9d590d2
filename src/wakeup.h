// A descriptor that lets other threads interrupt the worker's poller wait. Each stack has its
// own kind: the worker's poller can only watch descriptors of its stack.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <memory>

namespace tcp_server::detail
{

class Wakeup
{
  public:
    virtual ~Wakeup() = default;
    /** The descriptor the worker's poller watches for readability. */
    virtual int fd() const = 0;
    /** Makes the descriptor readable. Thread safe. */
    virtual void notify() = 0;
    /** Makes it unreadable again. Worker thread only. */
    virtual void drain() = 0;
};

/** The kernel's: an eventfd. nullptr with `error` when none can be opened. */
std::unique_ptr<Wakeup> make_eventfd_wakeup(Errc &error);

} // namespace tcp_server::detail
