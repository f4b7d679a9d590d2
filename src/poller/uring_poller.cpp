// The io_uring backend. The loop above expects level-triggered readiness (it accepts and reads
// in bounded batches), so each watch is a one-shot poll request that is armed again, before the
// next wait, once it has fired: arming checks readiness at once, as a level-triggered poller
// does. The re-arms and every change of the round go to the kernel with the wait itself, in
// one io_uring_enter. A change of interest cancels the old request; its generation, carried in
// the request's user_data, tells its late completion from the new request's.
// SPDX-License-Identifier: Apache-2.0
#include "poller/uring_poller.h"

#include "util/errc.h"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

namespace tcp_server::detail
{

namespace
{

constexpr std::uint64_t kNoOwner = ~std::uint64_t{0}; // cancellations' own completions

std::uint64_t request_id(int fd, std::uint32_t generation)
{
    return (std::uint64_t{generation} << 32) | static_cast<std::uint32_t>(fd);
}

unsigned poll_mask(unsigned interest)
{
    return ((interest & kReadable) ? POLLIN : 0u) | ((interest & kWritable) ? POLLOUT : 0u) |
           ((interest & kHangup) ? POLLRDHUP : 0u);
}

// As with poll: an error or hang-up reaches the owner as what it waits for.
unsigned events_of(int result)
{
    if (result < 0)
        return kReadable | kWritable | kHangup;
    unsigned got = static_cast<unsigned>(result);
    bool trouble = got & (POLLERR | POLLHUP);
    return (((got & POLLIN) || trouble) ? kReadable : 0u) |
           (((got & POLLOUT) || trouble) ? kWritable : 0u) |
           (((got & POLLRDHUP) || trouble) ? kHangup : 0u);
}

int setup(unsigned submissions, unsigned completions, unsigned flags, io_uring &ring,
          io_uring_params &params)
{
    params = {};
    params.flags = flags | IORING_SETUP_CQSIZE;
    params.cq_entries = completions;
    return io_uring_queue_init_params(submissions, &ring, &params);
}

} // namespace

UringPoller::UringPoller(unsigned submissions, unsigned completions)
{
    if (RUNNING_ON_VALGRIND)
    {
        // Valgrind (3.19) runs no other thread while one waits in io_uring_enter: the first
        // idle wait would stop the whole program.
        reason_ = "valgrind stops every thread while one waits in io_uring_enter";
        error_ = Errc::uring_unavailable;
        return;
    }
    // A single issuer that defers completion work to its own waits is the cheapest mode
    // (kernel 6.1); the ring starts disabled so that the worker, not the creating thread,
    // becomes that issuer. Older kernels refuse the flags: then a plain ring.
    io_uring_params params;
    int result = setup(submissions, completions,
                       IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
                           IORING_SETUP_R_DISABLED | IORING_SETUP_SUBMIT_ALL,
                       ring_, params);
    if (result == -EINVAL)
        result = setup(submissions, completions, 0, ring_, params);
    if (result < 0)
    {
        reason_ = std::strerror(-result);
        error_ = result == -ENOMEM                            ? Errc::no_memory
                 : (result == -EMFILE || result == -ENFILE) ? Errc::descriptor_limit
                                                              : Errc::uring_unavailable;
        return;
    }
    ring_ready_ = true;
    // One enter must both submit and wait with a timeout (5.11), and no completion may be lost
    // when the completion ring is full (5.5).
    if (!(params.features & IORING_FEAT_EXT_ARG) || !(params.features & IORING_FEAT_NODROP))
    {
        reason_ = "the kernel is older than 5.11";
        error_ = Errc::uring_unavailable;
    }
}

UringPoller::~UringPoller()
{
    // The loop removed (and so cancelled) every watch but its wake-up before it ended.
    if (ring_ready_)
        io_uring_queue_exit(&ring_);
}

Errc UringPoller::enable_in_issuer_thread()
{
    if (enabled_)
        return Errc::ok;
    if (ring_.flags & IORING_SETUP_R_DISABLED)
    {
        // liburing 2.3's shared library does not export io_uring_enable_rings().
        if (::syscall(__NR_io_uring_register, ring_.ring_fd, IORING_REGISTER_ENABLE_RINGS,
                      nullptr, 0) < 0)
            return errc_from_errno(errno);
    }
    enabled_ = true;
    io_uring_register_ring_fd(&ring_); // saves a descriptor lookup per enter; optional
    return Errc::ok;
}

io_uring_sqe *UringPoller::next_sqe()
{
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    if (sqe)
        return sqe;
    // More changes in one round than the ring holds: send these ahead of the wait.
    if (enable_in_issuer_thread() != Errc::ok || io_uring_submit(&ring_) < 0)
        return nullptr;
    return io_uring_get_sqe(&ring_);
}

void UringPoller::arm(int fd)
{
    Watch &watch = watches_[fd];
    io_uring_sqe *sqe = next_sqe();
    if (!sqe)
        return; // stays unarmed: the caller keeps it to try again
    io_uring_prep_poll_add(sqe, fd, poll_mask(watch.interest));
    io_uring_sqe_set_data64(sqe, request_id(fd, watch.generation));
    watch.armed = watch.interest;
}

void UringPoller::disarm(int fd)
{
    Watch &watch = watches_[fd];
    io_uring_sqe *sqe = next_sqe();
    if (sqe)
    {
        io_uring_prep_poll_remove(sqe, request_id(fd, watch.generation));
        io_uring_sqe_set_data64(sqe, kNoOwner);
    }
    ++watch.generation; // whatever the old request still reports is stale from now on
    watch.armed = 0;
}

Errc UringPoller::add(int fd, unsigned interest)
{
    try
    {
        if (watches_.size() <= static_cast<std::size_t>(fd))
            watches_.resize(fd + 1);
        fired_last_round_.reserve(watched_ + 1); // wait() never allocates
    }
    catch (const std::bad_alloc &)
    {
        return Errc::no_memory;
    }
    Watch &watch = watches_[fd];
    ++watch.generation;
    watch.interest = static_cast<unsigned char>(interest);
    watch.armed = 0;
    if (interest)
        arm(fd);
    ++watched_;
    return Errc::ok;
}

Errc UringPoller::modify(int fd, unsigned interest)
{
    Watch &watch = watches_[fd];
    watch.interest = static_cast<unsigned char>(interest);
    if (watch.armed && watch.armed != interest)
        disarm(fd);
    if (interest && !watch.armed)
    {
        arm(fd);
        if (!watch.armed)
            return Errc::no_memory;
    }
    return Errc::ok;
}

void UringPoller::remove(int fd)
{
    Watch &watch = watches_[fd];
    watch.interest = 0;
    if (watch.armed)
    {
        disarm(fd);
        // The caller closes fd next: the kernel must drop the request's hold on the socket
        // now, or a closed listener would keep its port until the next wait.
        if (enabled_)
            io_uring_submit_and_get_events(&ring_);
    }
    --watched_;
}

Errc UringPoller::wait(int timeout_ms, std::vector<FiredEvent> &fired)
{
    fired.clear();
    if (Errc error = enable_in_issuer_thread(); error != Errc::ok)
        return error;
    // A watch the ring had no room for (its submission failed) stays on the list.
    std::size_t unarmed = 0;
    for (int fd : fired_last_round_)
    {
        if (watches_[fd].interest && !watches_[fd].armed)
            arm(fd);
        if (watches_[fd].interest && !watches_[fd].armed)
            fired_last_round_[unarmed++] = fd;
    }
    fired_last_round_.resize(unarmed);

    io_uring_cqe *cqe = nullptr;
    __kernel_timespec timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000000LL};
    int result = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1,
                                                  timeout_ms < 0 ? nullptr : &timeout, nullptr);
    // ETIME: nothing before the timeout. EINTR: a signal. EBUSY/EAGAIN: the completions
    // overflowed and wait to be reaped. All of them only mean: reap what is there.
    if (result < 0 && result != -ETIME && result != -EINTR && result != -EBUSY &&
        result != -EAGAIN)
        return errc_from_errno(-result);
    reap(fired);
    return Errc::ok;
}

void UringPoller::reap(std::vector<FiredEvent> &fired)
{
    // Completions the full ring could not take wait in the kernel (IORING_FEAT_NODROP); each
    // pass makes room and asks for them, a few times at most per round.
    for (int pass = 0; pass < 4; ++pass)
    {
        unsigned head;
        unsigned seen = 0;
        io_uring_cqe *cqe;
        io_uring_for_each_cqe(&ring_, head, cqe)
        {
            ++seen;
            std::uint64_t id = io_uring_cqe_get_data64(cqe);
            if (id == kNoOwner)
                continue;
            int fd = static_cast<int>(id & 0xffffffffu);
            Watch &watch = watches_[fd];
            if (watch.generation != static_cast<std::uint32_t>(id >> 32))
                continue; // its watch changed or ended since
            watch.armed = 0; // spent: one-shot
            fired_last_round_.push_back(fd);
            unsigned events = events_of(cqe->res) & watch.interest;
            if (events)
                fired.push_back({fd, events});
        }
        io_uring_cq_advance(&ring_, seen);
        if (!io_uring_cq_has_overflow(&ring_) || io_uring_get_events(&ring_) < 0)
            break;
    }
}

} // namespace tcp_server::detail
