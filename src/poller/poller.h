// The poller interface: watch descriptors for readability/writability and report what fired.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <cerrno>
#include <memory>
#include <span>
#include <sys/types.h>
#include <vector>

namespace tcp_server::detail
{

enum PollEvents : unsigned
{
    kReadable = 1u << 0,
    kWritable = 1u << 1,
    /** The peer closed or reset the connection (and errors); only where watches_hangup(). */
    kHangup = 1u << 2,
    /** A connection's input: a backend that completes_reads() reads it itself and reports
     *  kReceive while it holds some (take_received); the others watch it as kReadable. */
    kReceive = 1u << 3,
    /** Reported, never watched: a send begun with start_send ended (take_sent says how). */
    kSent = 1u << 4,
    /** A listener's connections: a backend that completes_accepts() accepts them itself and
     *  reports kAccept while it holds some (take_accepted); the others watch it as kReadable. */
    kAccept = 1u << 5,
    /** An eventfd that wakes the loop: a backend that consumes_counters() reads it itself and
     *  reports kReadable once it has; the others watch it as kReadable, for its owner to read. */
    kCounter = 1u << 6,
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
    /** Whether it reads kReceive watches itself: their input is taken with take_received(),
     *  and nobody else may read those sockets. */
    virtual bool completes_reads() const { return false; }
    /**
     * Where completes_reads(): moves what it received on fd into `first`, then `second`, as
     * recvmsg would: the byte count, 0 at the peer's end, or -1 with errno (EAGAIN: nothing yet).
     */
    virtual ssize_t take_received(int, std::span<char>, std::span<char>)
    {
        errno = EOPNOTSUPP;
        return -1;
    }
    /** Whether it sends for its owner: start_send, then kSent and take_sent. */
    virtual bool completes_sends() const { return false; }
    /**
     * Where completes_sends(): sends a copy of `data` (not empty) on fd, all of it, however
     * long the peer takes to make room; one send at a time per descriptor. Errc::no_memory
     * when no copy could be made.
     */
    virtual Errc start_send(int, std::span<const char>) { return Errc::invalid_argument; }
    /** After kSent: the bytes sent (all that was given), or -1 with errno. */
    virtual ssize_t take_sent(int)
    {
        errno = EOPNOTSUPP;
        return -1;
    }
    /** Whether it reads kCounter watches itself (at most one at a time). */
    virtual bool consumes_counters() const { return false; }
    /** Whether it accepts kAccept watches' connections itself: take them with take_accepted,
     *  and nobody else may accept on those listeners while they are watched so. */
    virtual bool completes_accepts() const { return false; }
    /**
     * Where completes_accepts(): a connection accepted on listener fd (non-blocking,
     * close-on-exec), or -1 with errno: EAGAIN when none is held, else why accepting failed,
     * once, as accept4 would say it (EMFILE and the like).
     */
    virtual int take_accepted(int)
    {
        errno = EOPNOTSUPP;
        return -1;
    }
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
