// The run's stack with faults injected that loopback never produces: interrupted calls
// (EINTR), sends and reads that take only part of what they are given, a stack out of
// buffers, and connections reset while they waited to be accepted. On a poller that receives
// input itself (uring), taking that input is faulted too: short takes, and takes that find
// nothing though input was reported (the analogue of an interrupted read), and so is taking
// the connections it accepted itself (takes that find none, connections aborted). Its sends are the
// kernel's own (their short completions are uring_completion_test's), so with send faults set
// output goes through the stack's send call instead.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace tcp_server::detail
{
class Stack;
}

namespace test_support
{

struct Faults
{
    /** Every nth call of each kind (accept, receive, read, send, wait) fails with EINTR
     *  before it reaches the kernel, and every nth take of input a poller received finds
     *  nothing (EAGAIN); 0: never. */
    std::atomic<int> interrupt_every{0};
    /** A send takes at most this many bytes; 0: all the kernel takes. */
    std::atomic<std::size_t> send_cap{0};
    /** A read or receive, or a take of input a poller received, gives at most this many
     *  bytes; 0: all there is. */
    std::atomic<std::size_t> read_cap{0};
    /** Every nth send fails with ENOBUFS, as a stack out of buffers; 0: never. */
    std::atomic<int> nobufs_every{0};
    /** Every nth connection accepted is closed at once and reported as ECONNABORTED, as one
     *  its peer reset before it was taken; 0: never. */
    std::atomic<int> abort_every{0};
    /** Asked before each take of a connection a poller accepted itself (uring): an errno
     *  fails that take with it, the connection staying held, as accept4 failing for a
     *  connection that died first; 0 lets it through. Set before servers start. */
    std::function<int()> take_accepted_error;

    // What was injected, so a test can tell that its faults happened.
    std::atomic<long> interrupted{0};
    std::atomic<long> shortened{0};
    std::atomic<long> short_reads{0};
    std::atomic<long> send_calls{0}; // every send that reached the stack's send call
    std::atomic<long> out_of_buffers{0};
    std::atomic<long> aborted{0};
};

/** While it lives, servers started use the run's stack (kernel or lwIP) with `faults`
 *  injected; they must be gone before it is (declare it first). */
class FaultyStackInUse
{
  public:
    explicit FaultyStackInUse(Faults &faults);
    ~FaultyStackInUse();
    FaultyStackInUse(const FaultyStackInUse &) = delete;
    FaultyStackInUse &operator=(const FaultyStackInUse &) = delete;

  private:
    std::unique_ptr<tcp_server::detail::Stack> stack_;
};

} // namespace test_support
