// The io_uring backend. The loop above expects level-triggered readiness (it accepts and reads
// in bounded batches), so each poll watch is a one-shot request that is armed again, before the
// next wait, once it has fired: arming checks readiness at once, as a level-triggered poller
// does. A connection's input (kReceive) needs no readiness and no recv call: a multishot
// receive puts it into buffers the kernel picks from a provided ring, and the poller reports
// kReceive while it holds some, until take_received() has it all. A listener's connections
// (kAccept) come likewise from a multishot accept, held for take_accepted() up to a bound past
// which accepting pauses, so a busy server leaves them in the kernel's backlog. The re-arms and
// every change of the round go to the kernel with the wait itself, in one io_uring_enter. A change
// of interest cancels the old poll request; its generation, carried in the request's user_data,
// tells its late completion from the new request's. A connection's output (start_send) goes
// out as a send request with the next enter; the kernel waits for room itself, and the poller
// sends what a short completion left before it reports kSent.
// SPDX-License-Identifier: Apache-2.0
#include "poller/uring_poller.h"

#include "util/errc.h"

#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

namespace tcp_server::detail
{

namespace
{

constexpr unsigned kPollable = kReadable | kWritable | kHangup;
constexpr std::uint16_t kBufferGroup = 0;

// user_data: the request's kind in the top two bits, then a 30-bit generation and the
// descriptor; a send's is its block's address (user space's addresses leave those bits 0),
// a send with no address stands for the requests nobody owns (cancellations), and one with
// the counter's sink for the counter's read.
enum class Request : std::uint64_t
{
    poll = 0,
    receive = 1,
    send = 2,
    accept = 3,
};
constexpr std::uint64_t kNoOwner = std::uint64_t{2} << 62;
constexpr std::uint64_t kAddressMask = (std::uint64_t{1} << 62) - 1;
constexpr std::uint32_t kGenerationMask = (1u << 30) - 1;

std::uint64_t request_id(Request kind, int fd, std::uint32_t generation)
{
    return (static_cast<std::uint64_t>(kind) << 62) |
           (std::uint64_t{generation & kGenerationMask} << 32) | static_cast<std::uint32_t>(fd);
}

template <typename Block> std::uint64_t send_id(Block *block)
{
    auto address = reinterpret_cast<std::uintptr_t>(block);
    assert((address & ~kAddressMask) == 0);
    return (static_cast<std::uint64_t>(Request::send) << 62) | address;
}

Request kind_of(std::uint64_t id)
{
    return static_cast<Request>(id >> 62);
}
int fd_of(std::uint64_t id)
{
    return static_cast<int>(id & 0xffffffffu);
}
std::uint32_t generation_of(std::uint64_t id)
{
    return static_cast<std::uint32_t>(id >> 32) & kGenerationMask;
}
bool same_generation(std::uint32_t a, std::uint32_t b)
{
    return ((a ^ b) & kGenerationMask) == 0;
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
        return kPollable;
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

/** Copies from `data` into `first` then `second`, after the `done` bytes already there. */
std::size_t copy_into(std::span<char> first, std::span<char> second, std::size_t done,
                      const char *data, std::size_t size)
{
    std::size_t copied = 0;
    if (done < first.size())
    {
        copied = std::min(size, first.size() - done);
        std::memcpy(first.data() + done, data, copied);
        done += copied;
        if (copied == size)
            return copied;
    }
    std::size_t at = done - first.size();
    std::size_t more = std::min(size - copied, second.size() - at);
    if (more)
        std::memcpy(second.data() + at, data + copied, more);
    return copied + more;
}

} // namespace

UringPoller::UringPoller(unsigned submissions, unsigned completions, unsigned buffers,
                         unsigned buffer_size, std::size_t held_accepts)
    : held_accepts_(held_accepts)
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
    bool modern = result != -EINVAL;
    if (!modern)
        result = setup(submissions, completions, 0, ring_, params);
    if (result < 0)
    {
        reason_ = std::strerror(-result);
        error_ = result == -ENOMEM                          ? Errc::no_memory
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
        return;
    }
    // Multishot receives came with 6.0: a kernel that took the flags above has them. Without
    // buffers, input is read as on epoll, after readiness.
    if (modern && buffers > 0 && !set_up_buffers(buffers, buffer_size))
        buffer_ring_ = nullptr;
}

bool UringPoller::set_up_buffers(unsigned count, unsigned size)
{
    try
    {
        buffer_length_.assign(count, 0);
        next_buffer_.assign(count, -1);
    }
    catch (const std::bad_alloc &)
    {
        return false;
    }
    std::size_t ring_bytes = count * sizeof(io_uring_buf);
    void *ring =
        ::mmap(nullptr, ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *memory = ::mmap(nullptr, std::size_t{count} * size, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    io_uring_buf_reg registration{};
    registration.ring_addr = reinterpret_cast<std::uintptr_t>(ring);
    registration.ring_entries = count;
    registration.bgid = kBufferGroup;
    if (ring == MAP_FAILED || memory == MAP_FAILED ||
        io_uring_register_buf_ring(&ring_, &registration, 0) < 0)
    {
        if (ring != MAP_FAILED)
            ::munmap(ring, ring_bytes);
        if (memory != MAP_FAILED)
            ::munmap(memory, std::size_t{count} * size);
        return false;
    }
    buffer_ring_ = static_cast<io_uring_buf_ring *>(ring);
    buffer_memory_ = static_cast<char *>(memory);
    buffer_count_ = count;
    buffer_size_ = size;
    io_uring_buf_ring_init(buffer_ring_);
    for (unsigned i = 0; i < count; ++i)
        io_uring_buf_ring_add(buffer_ring_, buffer_memory_ + std::size_t{i} * size, size,
                              static_cast<unsigned short>(i), io_uring_buf_ring_mask(count),
                              static_cast<int>(i));
    io_uring_buf_ring_advance(buffer_ring_, static_cast<int>(count));
    return true;
}

UringPoller::~UringPoller()
{
    // The loop removed (and so cancelled) every watch but its wake-up before it ended.
    if (ring_ready_)
        io_uring_queue_exit(&ring_); // its requests end with it: no block is read after
    while (Outgoing *block = orphans_)
    {
        orphans_ = block->next;
        release(block);
    }
    for (Watch &watch : watches_)
        release(watch.outgoing);
    if (buffer_ring_)
    {
        ::munmap(buffer_ring_, buffer_count_ * sizeof(io_uring_buf));
        ::munmap(buffer_memory_, std::size_t{buffer_count_} * buffer_size_);
    }
}

Errc UringPoller::enable_in_issuer_thread()
{
    if (enabled_)
        return Errc::ok;
    if (ring_.flags & IORING_SETUP_R_DISABLED)
    {
        // liburing 2.3's shared library does not export io_uring_enable_rings().
        if (::syscall(__NR_io_uring_register, ring_.ring_fd, IORING_REGISTER_ENABLE_RINGS, nullptr,
                      0) < 0)
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
    publish_returned_buffers();
    if (enable_in_issuer_thread() != Errc::ok || io_uring_submit(&ring_) < 0)
        return nullptr;
    return io_uring_get_sqe(&ring_);
}

bool UringPoller::arm(int fd)
{
    Watch &watch = watches_[fd];
    unsigned poll = polled(watch);
    if (poll && !watch.armed)
    {
        io_uring_sqe *sqe = next_sqe();
        if (!sqe)
            return false;
        io_uring_prep_poll_add(sqe, fd, poll_mask(poll));
        io_uring_sqe_set_data64(sqe, request_id(Request::poll, fd, watch.generation));
        watch.armed = static_cast<unsigned char>(poll);
    }
    if ((watch.interest & kReceive) && watch.multishot == Multishot::idle && !watch.at_end)
    {
        io_uring_sqe *sqe = next_sqe();
        if (!sqe)
            return false;
        io_uring_prep_recv_multishot(sqe, fd, nullptr, 0, 0);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = kBufferGroup;
        watch.multishot_id = request_id(Request::receive, fd, watch.life);
        io_uring_sqe_set_data64(sqe, watch.multishot_id);
        watch.multishot = Multishot::armed;
    }
    if ((watch.interest & kAccept) && watch.multishot == Multishot::idle && !watch.accept_failed &&
        held_connections(watch) < held_accepts_)
    {
        io_uring_sqe *sqe = next_sqe();
        if (!sqe)
            return false;
        io_uring_prep_multishot_accept(sqe, fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        watch.multishot_id = request_id(Request::accept, fd, watch.life);
        io_uring_sqe_set_data64(sqe, watch.multishot_id);
        watch.multishot = Multishot::armed;
    }
    if ((watch.interest & kCounter) && !counter_reading_)
    {
        io_uring_sqe *sqe = next_sqe();
        if (!sqe)
            return false;
        io_uring_prep_read(sqe, fd, &counter_sink_, sizeof counter_sink_, 0);
        io_uring_sqe_set_data64(sqe, send_id(&counter_sink_));
        counter_reading_ = true;
    }
    if (watch.send_unsubmitted)
    {
        if (!submit_send(*watch.outgoing))
            return false;
        watch.send_unsubmitted = false;
    }
    return true;
}

unsigned UringPoller::polled(const Watch &watch)
{
    return (watch.interest & kPollable) |
           ((watch.accept_failed && (watch.interest & kAccept)) ? kReadable : 0u);
}

void UringPoller::list_as_holding(int fd)
{
    Watch &watch = watches_[fd];
    if (!watch.holding)
    {
        watch.holding = true;
        holding_.push_back(fd); // room reserved by add(): one entry per watch
    }
}

void UringPoller::list_for_arming(int fd)
{
    Watch &watch = watches_[fd];
    if (!watch.listed)
    {
        watch.listed = true;
        to_arm_.push_back(fd); // room reserved by add(): one entry per watch
    }
}

void UringPoller::disarm_poll(int fd)
{
    Watch &watch = watches_[fd];
    io_uring_sqe *sqe = next_sqe();
    if (sqe)
    {
        io_uring_prep_poll_remove(sqe, request_id(Request::poll, fd, watch.generation));
        io_uring_sqe_set_data64(sqe, kNoOwner);
    }
    ++watch.generation; // whatever the old request still reports is stale from now on
    watch.armed = 0;
}

void UringPoller::cancel_multishot(int fd)
{
    // What it received (accepted) before the cancellation took effect is still this watch's:
    // its completions keep counting until the last one (without IORING_CQE_F_MORE) arrives.
    Watch &watch = watches_[fd];
    io_uring_sqe *sqe = next_sqe();
    if (!sqe)
        return; // it keeps receiving; the input is held until wanted again
    io_uring_prep_cancel64(sqe, watch.multishot_id, 0);
    io_uring_sqe_set_data64(sqe, kNoOwner);
    watch.multishot = Multishot::cancelling;
}

Errc UringPoller::add(int fd, unsigned interest)
{
    try
    {
        if (watches_.size() <= static_cast<std::size_t>(fd))
            watches_.resize(fd + 1);
        // wait() never allocates: each list holds a descriptor at most once.
        to_arm_.reserve(watches_.size());
        holding_.reserve(watches_.size());
        if (interest & kAccept)
            watches_[fd].accepted.reserve(held_accepts_);
    }
    catch (const std::bad_alloc &)
    {
        return Errc::no_memory;
    }
    Watch &watch = watches_[fd];
    ++watch.generation;
    watch.interest = static_cast<unsigned char>(interest);
    if (interest & kCounter)
    {
        assert(counter_fd_ < 0 && "one counter at a time");
        counter_fd_ = fd;
    }
    watch.armed = 0;
    if (!completes_reads())
        assert(!(interest & kReceive) && "the loop asks for kReadable instead");
    if (!arm(fd))
        list_for_arming(fd);
    ++watched_;
    return Errc::ok;
}

Errc UringPoller::modify(int fd, unsigned interest)
{
    Watch &watch = watches_[fd];
    watch.interest = static_cast<unsigned char>(interest);
    if (watch.armed && watch.armed != polled(watch))
        disarm_poll(fd);
    if (!(interest & (kReceive | kAccept)) && watch.multishot == Multishot::armed)
        cancel_multishot(fd);
    // A ring with no room now takes it with the next wait.
    if (!arm(fd))
        list_for_arming(fd);
    return Errc::ok;
}

void UringPoller::remove(int fd)
{
    Watch &watch = watches_[fd];
    watch.interest = 0;
    bool in_kernel = watch.armed || watch.multishot != Multishot::idle ||
                     (watch.sending && !watch.send_unsubmitted);
    if (watch.armed)
        disarm_poll(fd);
    if (watch.multishot == Multishot::armed)
        cancel_multishot(fd);
    if (watch.sending && !watch.send_unsubmitted)
        orphan_send(fd);
    if (fd == counter_fd_)
    {
        counter_fd_ = -1;
        in_kernel = in_kernel || counter_reading_;
        if (io_uring_sqe *sqe = counter_reading_ ? next_sqe() : nullptr)
        {
            io_uring_prep_cancel64(sqe, send_id(&counter_sink_), 0);
            io_uring_sqe_set_data64(sqe, kNoOwner);
        }
    }
    release(std::exchange(watch.outgoing, nullptr));
    watch.sending = watch.send_unsubmitted = watch.send_ended = false;
    watch.send_error = 0;
    watch.multishot = Multishot::idle;
    ++watch.life; // what its receive still delivers goes back unread, what it accepts is closed
    while (watch.first_buffer >= 0)
    {
        int buffer = watch.first_buffer;
        watch.first_buffer = next_buffer_[buffer];
        give_back(buffer);
    }
    watch.last_buffer = -1;
    watch.offset = 0;
    std::string().swap(watch.spilled);
    // Connections nobody took end with their listener, as those in its backlog do.
    for (std::size_t i = watch.accepted_taken; i < watch.accepted.size(); ++i)
        ::close(watch.accepted[i]);
    std::vector<int>().swap(watch.accepted);
    watch.accepted_taken = 0;
    watch.accept_failed = false;
    watch.at_end = false;
    watch.error = 0;
    // The caller closes fd next: the kernel must drop the requests' hold on the socket now,
    // or a closed listener would keep its port until the next wait.
    if (in_kernel && enabled_)
    {
        publish_returned_buffers();
        io_uring_submit_and_get_events(&ring_);
    }
    --watched_;
}

Errc UringPoller::wait(int timeout_ms, std::vector<FiredEvent> &fired)
{
    fired.clear();
    if (Errc error = enable_in_issuer_thread(); error != Errc::ok)
        return error;
    bool ready = spill_held_buffers();
    // A watch the ring had no room for stays on the list.
    std::size_t unarmed = 0;
    for (int fd : to_arm_)
    {
        Watch &watch = watches_[fd];
        watch.listed = false;
        if (!arm(fd))
        {
            watch.listed = true;
            to_arm_[unarmed++] = fd;
        }
    }
    to_arm_.resize(unarmed);

    io_uring_cqe *cqe = nullptr;
    __kernel_timespec timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000000LL};
    publish_returned_buffers();
    // Input (or connections) held from the last round is reported at once, with what has
    // completed meanwhile: completion work deferred to this thread runs only in an enter that
    // asks for events, so one that merely submitted would leave it waiting.
    int result = ready ? io_uring_submit_and_get_events(&ring_)
                       : io_uring_submit_and_wait_timeout(
                             &ring_, &cqe, 1, timeout_ms < 0 ? nullptr : &timeout, nullptr);
    // ETIME: nothing before the timeout. EINTR: a signal. EBUSY/EAGAIN: the completions
    // overflowed and wait to be reaped (the next enter moves them into the ring). All of them
    // only mean: reap what is there.
    if (result < 0 && result != -ETIME && result != -EINTR && result != -EBUSY && result != -EAGAIN)
        return errc_from_errno(-result);
    reap(fired);
    for (int fd : holding_)
        if (unsigned wanted = watches_[fd].interest & (kReceive | kAccept))
            report(fd, wanted, fired);
    for (const FiredEvent &event : fired)
        watches_[event.fd].fired_slot = -1;
    return Errc::ok;
}

void UringPoller::reap(std::vector<FiredEvent> &fired)
{
    unsigned head;
    unsigned seen = 0;
    io_uring_cqe *cqe;
    io_uring_for_each_cqe(&ring_, head, cqe)
    {
        ++seen;
        std::uint64_t id = io_uring_cqe_get_data64(cqe);
        switch (kind_of(id))
        {
        case Request::poll:
            on_poll(id, cqe->res, fired);
            break;
        case Request::receive:
            if (same_generation(watches_[fd_of(id)].life, generation_of(id)))
                on_receive(fd_of(id), *cqe);
            else if (cqe->flags & IORING_CQE_F_BUFFER)
                give_back(static_cast<int>(cqe->flags >> IORING_CQE_BUFFER_SHIFT));
            break;
        case Request::send:
            if (id == send_id(&counter_sink_))
                on_counter(fired);
            else if (id != kNoOwner)
                on_send(id, cqe->res, fired);
            break;
        case Request::accept:
            if (same_generation(watches_[fd_of(id)].life, generation_of(id)))
                on_accept(fd_of(id), *cqe);
            else if (cqe->res >= 0)
                ::close(cqe->res);
            break;
        }
    }
    io_uring_cq_advance(&ring_, seen);
}

void UringPoller::on_poll(std::uint64_t id, int result, std::vector<FiredEvent> &fired)
{
    int fd = fd_of(id);
    Watch &watch = watches_[fd];
    if (!same_generation(watch.generation, generation_of(id)))
        return;      // its watch changed or ended since
    watch.armed = 0; // spent: one-shot
    list_for_arming(fd);
    if (watch.accept_failed && events_of(result) & kReadable)
        watch.accept_failed = false; // a connection waits: accept again
    if (unsigned events = events_of(result) & watch.interest & kPollable)
        report(fd, events, fired);
}

void UringPoller::on_receive(int fd, const io_uring_cqe &cqe)
{
    Watch &watch = watches_[fd];
    if (cqe.res > 0)
    {
        assert(cqe.flags & IORING_CQE_F_BUFFER);
        int buffer = static_cast<int>(cqe.flags >> IORING_CQE_BUFFER_SHIFT);
        buffer_length_[buffer] = static_cast<std::uint32_t>(cqe.res);
        next_buffer_[buffer] = -1;
        if (watch.last_buffer >= 0)
            next_buffer_[watch.last_buffer] = buffer;
        else
            watch.first_buffer = buffer;
        watch.last_buffer = buffer;
    }
    if (!(cqe.flags & IORING_CQE_F_MORE))
    {
        // The request is over: at the peer's end, on an error, when cancelled, when the ring
        // ran out of buffers (ENOBUFS) or completions overflowed. The last two only pause it.
        watch.multishot = Multishot::idle;
        if (cqe.res == 0)
            watch.at_end = true;
        else if (cqe.res < 0 && cqe.res != -ECANCELED && cqe.res != -ENOBUFS)
        {
            watch.at_end = true;
            watch.error = -cqe.res;
        }
        if ((watch.interest & kReceive) && !watch.at_end)
            list_for_arming(fd);
    }
    if (watch.first_buffer >= 0 || watch.at_end)
        list_as_holding(fd);
}

void UringPoller::on_accept(int fd, const io_uring_cqe &cqe)
{
    Watch &watch = watches_[fd];
    if (cqe.res >= 0)
    {
        try
        {
            watch.accepted.push_back(cqe.res);
        }
        catch (const std::bad_alloc &)
        {
            ::close(cqe.res); // refused for want of memory, as the server refuses then
        }
        // Enough held: the rest waits in the backlog until the server has taken these.
        if (held_connections(watch) >= held_accepts_ && watch.multishot == Multishot::armed)
            cancel_multishot(fd);
    }
    if (!(cqe.flags & IORING_CQE_F_MORE))
    {
        // Over: cancelled, stopped by a completion ring that overflowed, or failed. A failure
        // is reported once, and accepting waits for a connection: out of descriptors, an
        // accept fails at once even with none waiting, and would fail round after round.
        watch.multishot = Multishot::idle;
        if (cqe.res < 0 && cqe.res != -ECANCELED)
        {
            watch.error = -cqe.res;
            watch.accept_failed = true;
        }
        if (watch.interest & kAccept)
            list_for_arming(fd);
    }
    if (held_connections(watch) > 0 || watch.error)
        list_as_holding(fd);
}

int UringPoller::take_accepted(int fd)
{
    Watch &watch = watches_[fd];
    if (watch.multishot == Multishot::idle && (watch.interest & kAccept))
        list_for_arming(fd); // arm() tells whether it may accept again
    if (watch.accepted_taken < watch.accepted.size())
    {
        int connection = watch.accepted[watch.accepted_taken++];
        if (watch.accepted_taken == watch.accepted.size())
        {
            watch.accepted.clear(); // keeps its room: no allocation per connection
            watch.accepted_taken = 0;
        }
        return connection;
    }
    errno = watch.error ? std::exchange(watch.error, 0) : EAGAIN;
    return -1;
}

void UringPoller::on_counter(std::vector<FiredEvent> &fired)
{
    // Read (or failed, or cancelled): the next notification needs a read request again.
    counter_reading_ = false;
    if (counter_fd_ < 0)
        return;
    list_for_arming(counter_fd_);
    report(counter_fd_, kReadable, fired);
}

void UringPoller::report(int fd, unsigned events, std::vector<FiredEvent> &fired)
{
    // One entry per descriptor and round, as epoll gives: the loop reserved room for that.
    Watch &watch = watches_[fd];
    if (watch.fired_slot >= 0)
    {
        fired[static_cast<std::size_t>(watch.fired_slot)].events |= events;
        return;
    }
    watch.fired_slot = static_cast<int>(fired.size());
    fired.push_back({fd, events});
}

Errc UringPoller::start_send(int fd, std::span<const char> data)
{
    Watch &watch = watches_[fd];
    assert(!watch.sending && !data.empty() && "one send at a time");
    Outgoing *block = watch.outgoing;
    if (!block || block->capacity < data.size())
    {
        // Not in the kernel now, so it may be replaced; it grows to the most the connection
        // sends at once, and is then reused: no allocation per message.
        std::size_t capacity = std::max(data.size(), block ? 2 * block->capacity : 0);
        void *memory = ::operator new(sizeof(Outgoing) + capacity, std::nothrow);
        if (!memory)
            return Errc::no_memory;
        release(block);
        block = watch.outgoing = new (memory) Outgoing{};
        block->fd = fd;
        block->capacity = capacity;
    }
    std::memcpy(block->bytes(), data.data(), data.size());
    block->size = data.size();
    block->sent = 0;
    watch.sending = true;
    watch.send_ended = false;
    if (!submit_send(*block))
    {
        watch.send_unsubmitted = true;
        list_for_arming(fd);
    }
    return Errc::ok;
}

bool UringPoller::submit_send(Outgoing &block)
{
    io_uring_sqe *sqe = next_sqe();
    if (!sqe)
        return false;
    io_uring_prep_send(sqe, block.fd, block.bytes() + block.sent, block.size - block.sent,
                       MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, send_id(&block));
    return true;
}

void UringPoller::on_send(std::uint64_t id, int result, std::vector<FiredEvent> &fired)
{
    auto *block = reinterpret_cast<Outgoing *>(static_cast<std::uintptr_t>(id & kAddressMask));
    if (block->orphaned)
    {
        (block->prev ? block->prev->next : orphans_) = block->next;
        if (block->next)
            block->next->prev = block->prev;
        release(block);
        return;
    }
    Watch &watch = watches_[block->fd];
    if (result > 0)
    {
        block->sent += static_cast<std::size_t>(result);
        if (block->sent < block->size)
        {
            // A short send: the rest goes with the next enter, still before anything newer.
            if (!submit_send(*block))
            {
                watch.send_unsubmitted = true;
                list_for_arming(block->fd);
            }
            return;
        }
    }
    watch.sending = false;
    watch.send_ended = true;
    // A stream send of some bytes never completes with 0; if one did, it made no progress.
    watch.send_error = result < 0 ? -result : result == 0 ? EIO : 0;
    report(block->fd, kSent, fired);
}

ssize_t UringPoller::take_sent(int fd)
{
    Watch &watch = watches_[fd];
    if (!watch.send_ended)
    {
        errno = EAGAIN;
        return -1;
    }
    watch.send_ended = false;
    if (watch.send_error)
    {
        errno = std::exchange(watch.send_error, 0);
        return -1;
    }
    return static_cast<ssize_t>(watch.outgoing->size);
}

void UringPoller::orphan_send(int fd)
{
    Watch &watch = watches_[fd];
    Outgoing *block = std::exchange(watch.outgoing, nullptr);
    block->orphaned = true;
    block->prev = nullptr;
    block->next = orphans_;
    if (orphans_)
        orphans_->prev = block;
    orphans_ = block;
    io_uring_sqe *sqe = next_sqe();
    if (sqe)
    {
        io_uring_prep_cancel64(sqe, send_id(block), 0);
        io_uring_sqe_set_data64(sqe, kNoOwner);
    }
}

void UringPoller::give_back(int buffer)
{
    // Written past the ring's tail now, handed to the kernel together before its next enter:
    // the kernel takes buffers only within an enter of this thread (DEFER_TASKRUN).
    io_uring_buf_ring_add(buffer_ring_, buffer_memory_ + std::size_t(buffer) * buffer_size_,
                          buffer_size_, static_cast<unsigned short>(buffer),
                          io_uring_buf_ring_mask(buffer_count_), static_cast<int>(returned_));
    ++returned_;
}

void UringPoller::publish_returned_buffers()
{
    if (returned_ == 0)
        return;
    io_uring_buf_ring_advance(buffer_ring_, static_cast<int>(returned_));
    returned_ = 0;
}

bool UringPoller::spill_held_buffers()
{
    std::size_t kept = 0;
    bool wanted = false;
    for (int fd : holding_)
    {
        Watch &watch = watches_[fd];
        try
        {
            while (watch.first_buffer >= 0)
            {
                int buffer = watch.first_buffer;
                watch.spilled.append(buffer_memory_ + std::size_t(buffer) * buffer_size_ +
                                         watch.offset,
                                     buffer_length_[buffer] - watch.offset);
                watch.offset = 0;
                watch.first_buffer = next_buffer_[buffer];
                give_back(buffer);
            }
            watch.last_buffer = -1;
        }
        catch (const std::bad_alloc &)
        {
            // The buffers stay lent until the connection takes its input.
        }
        if (watch.first_buffer >= 0 || !watch.spilled.empty() || watch.at_end ||
            held_connections(watch) > 0 || watch.error)
        {
            holding_[kept++] = fd;
            wanted = wanted || (watch.interest & (kReceive | kAccept));
        }
        else
            watch.holding = false;
    }
    holding_.resize(kept);
    return wanted;
}

ssize_t UringPoller::take_received(int fd, std::span<char> first, std::span<char> second)
{
    Watch &watch = watches_[fd];
    const std::size_t room = first.size() + second.size();
    std::size_t taken = 0;
    if (!watch.spilled.empty())
    {
        taken = copy_into(first, second, 0, watch.spilled.data(), watch.spilled.size());
        watch.spilled.erase(0, taken);
    }
    while (watch.first_buffer >= 0 && taken < room)
    {
        int buffer = watch.first_buffer;
        const char *data = buffer_memory_ + std::size_t(buffer) * buffer_size_ + watch.offset;
        std::size_t copied =
            copy_into(first, second, taken, data, buffer_length_[buffer] - watch.offset);
        taken += copied;
        watch.offset += static_cast<unsigned>(copied);
        if (watch.offset < buffer_length_[buffer])
            break;
        watch.offset = 0;
        watch.first_buffer = next_buffer_[buffer];
        if (watch.first_buffer < 0)
            watch.last_buffer = -1;
        give_back(buffer);
    }
    if (taken > 0)
        return static_cast<ssize_t>(taken);
    if (watch.error)
    {
        // Reported once, as a socket does; after it the stream reads as ended.
        errno = std::exchange(watch.error, 0);
        return -1;
    }
    if (watch.at_end)
        return 0;
    errno = EAGAIN;
    return -1;
}

} // namespace tcp_server::detail
