// The poller interface: watch descriptors for readability/writability and report what fired.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <memory>
#include <vector>

namespace tcp_server::detail
{

enum PollEvents : unsigned
{
    kReadable = 1u << 0,
    kWritable = 1u << 1,
    /** The peer closed or reset the connection (and errors); only where watches_hangup(). */
    kHangup = 1u << 2,
};

struct FiredEvent
{
    int fd;
    unsigned events;
};

/** Owned and used by one event loop on its worker thread only. */
class Poller
{
  public:
    virtual ~Poller() = default;
    /** The backend's name, for logs. */
    virtual const char *name() const = 0;
    /** False for a descriptor this backend cannot watch (select: fd >= FD_SETSIZE). */
    virtual bool supports(int fd) const = 0;
    /** Whether kHangup can be watched without watching kReadable (select cannot). */
    virtual bool watches_hangup() const = 0;
    /** Starts watching fd for `interest` (kReadable | kWritable, possibly 0). */
    virtual Errc add(int fd, unsigned interest) = 0;
    virtual Errc modify(int fd, unsigned interest) = 0;
    virtual void remove(int fd) = 0;
    /** Waits up to timeout_ms (-1: forever) and replaces `fired` with what became ready. */
    virtual Errc wait(int timeout_ms, std::vector<FiredEvent> &fired) = 0;
};

/** A kernel poller of the given kind (KernelStack::make_poller), or nullptr with `error`. */
std::unique_ptr<Poller> make_poller(Backend backend, Errc &error);

} // namespace tcp_server::detail
