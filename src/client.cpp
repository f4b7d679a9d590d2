// Client: one connection's state machine, buffers and waiters.
// SPDX-License-Identifier: Apache-2.0
#include "client.h"

#include "handle_registry.h"
#include "server.h"
#include "util/deadline.h"
#include "util/errc.h"

#include <cassert>
#include <cerrno>
#include <new>

namespace tcp_server::detail
{

namespace
{

// Not ended, or only half-closed by the peer: a reason to end found now is the one to report.
bool open_or_half_closed(Errc end)
{
    return end == Errc::ok || end == Errc::end_of_stream;
}

// Ends after which nothing may be sent. After end_of_stream the peer may still read (it only
// half-closed), so replies already under way are delivered before the socket is shut down.
bool send_refused(Errc end)
{
    return !open_or_half_closed(end);
}

// Ends after which input is no longer wanted, so no more on_recv is dispatched.
bool input_abandoned(Errc end)
{
    return end == Errc::closed || end == Errc::stopped;
}

} // namespace

Client::Client(std::shared_ptr<Server> server, int fd, const sockets::Endpoint &peer,
               std::uint64_t id)
    : server_(std::move(server)), loop_(server_->loop()), stack_(server_->stack()), fd_(fd),
      mutex_(loop_), id_(id),
      peer_(peer.to_string()), c_handle_{server_->c_view(), fd,
                                         reinterpret_cast<tcpclient_private *>(this)}
{
}

Client::~Client()
{
    if (server_->c_view())
        unregister_handle(&c_handle_);
    if (view_.descriptor() >= 0)
        view_.end();
    else
        stack_.close(fd_);
}

bool Client::lend_to_application()
{
    loop_.assert_in_loop_thread();
    if (!view_.lend(stack_, fd_))
        return false;
    c_handle_.sock = view_.descriptor();
    return true;
}

bool Client::is_open() const
{
    std::lock_guard lock(mutex_);
    return end_ == Errc::ok;
}

bool Client::kept_for_accept() const
{
    std::lock_guard lock(mutex_);
    return !input_.empty() && !served_by_callback_;
}

bool Client::backpressure_locked() const
{
    const Options &options = server_->options();
    return input_.size() >= options.recv_buffer_max ||
           unsent_locked() >= options.send_buffer_max / 2;
}

IoResult Client::recv(std::span<std::byte> buffer, Duration timeout)
{
    if (buffer.empty())
        return {0, Errc::invalid_argument};
    if (!loop_.in_loop_thread())
        return recv_on_user_thread(buffer, timeout);
    // The worker must never wait: a callback gets what is there now.
    std::unique_lock lock(mutex_.worker());
    return take_input(buffer, lock, true);
}

IoResult Client::recv_on_user_thread(std::span<std::byte> buffer, Duration timeout)
{
    Deadline deadline(timeout);
    std::unique_lock lock(mutex_.native());
    // The user who accepted it, with no on_recv to feed, reads the socket itself from now on:
    // the worker stops reading at its next wake-up (read_in_loop). Input the worker read before
    // is taken first, and one thread at a time reads, so bytes keep their order.
    bool direct = owned() && server_->user_threads_may_read() && !receives_by_completion_;
    if (direct && !user_reads_socket_)
    {
        user_reads_socket_ = true;
        // A recv that waits in the kernel needs blocking mode; the worker's reads never wait.
        stack_.set_blocking(fd_);
    }
    ++user_waiters_;
    bool ready = deadline.wait(changed_, lock, [this, direct] {
        return !input_.empty() || end_ != Errc::ok || (direct && !direct_reader_);
    });
    --user_waiters_;
    if (!input_.empty() || end_ != Errc::ok || !ready)
        return take_input(buffer, lock, false);
    direct_reader_ = true;
    lock.unlock();
    return read_socket_directly(buffer, deadline);
}

IoResult Client::read_socket_directly(std::span<std::byte> buffer, const Deadline &deadline)
{
    char *bytes = reinterpret_cast<char *>(buffer.data());
    ssize_t n;
    bool timed_out = false;
    if (deadline.forever())
        rt::note_blocking(); // a wait with a timeout says so in wait_readable
    for (;;)
    {
        // Forever waits in recv() itself: one system call per message, as a thread-per-client
        // server has. A timeout waits in poll(). Teardown shuts the socket down, which wakes
        // either.
        n = stack_.receive(fd_, bytes, buffer.size(), deadline.forever());
        if (n >= 0 || errno != EAGAIN)
            break;
        int wait_ms = deadline.poll_timeout_ms();
        if (wait_ms == 0 || !stack_.wait_readable(fd_, wait_ms))
        {
            timed_out = true;
            break;
        }
    }
    Errc failure = n < 0 && !timed_out ? errc_from_errno(errno) : Errc::ok;
    Errc ended;
    bool wake, hand_back, rearm;
    {
        std::lock_guard lock(mutex_.native()); // a user thread's: no worker check
        direct_reader_ = false;
        if (n == 0 && end_ == Errc::ok)
            end_ = Errc::end_of_stream;
        if (failure != Errc::ok && open_or_half_closed(end_))
            end_ = failure;
        ended = end_;
        // An on_recv installed meanwhile takes the socket back; a hang-up the worker left to
        // this thread is watched again if this read did not meet it.
        hand_back = !server_->user_threads_may_read();
        if (hand_back)
            user_reads_socket_ = false;
        rearm = std::exchange(hangup_deferred_, false) && (n > 0 || timed_out);
        wake = user_waiters_ > 0;
    }
    if (wake)
        changed_.notify_all();
    if (hand_back || rearm)
        loop_.queue([self = shared_from_this()] { self->reading_back_in_loop(); });
    if (n > 0)
    {
        note_activity();
        server_->count_received(static_cast<std::size_t>(n));
        return {static_cast<std::size_t>(n), Errc::ok};
    }
    if (timed_out)
        return {0, Errc::timeout};
    if (n == 0)
    {
        // The peer's end of stream, or teardown's shutdown (then end_ says why).
        if (ended == Errc::end_of_stream)
            loop_.queue([self = shared_from_this()] { self->peer_finished_sending_in_loop(); });
        return {0, ended};
    }
    // The socket told this thread that the connection is over (it says so once): end it.
    if (ended == failure)
        end_soon(failure);
    return {0, ended};
}

template <typename Lock>
IoResult Client::take_input(std::span<std::byte> buffer, Lock &lock, bool by_callback)
{
    if (input_.empty())
        return {0, end_ != Errc::ok ? end_ : Errc::timeout};
    std::size_t taken = input_.take(reinterpret_cast<char *>(buffer.data()), buffer.size());
    recv_notified_ = false;
    if (by_callback)
        served_by_callback_ = true;
    bool may_read = reading_paused_ && !backpressure_locked();
    if (may_read)
        reading_paused_ = false;
    // Reading may go on now, or, after the peer's half-close, the client may be done.
    bool resume = may_read || (end_ == Errc::end_of_stream && input_.empty());
    lock.unlock();
    if (resume)
        loop_.queue([self = shared_from_this()] { self->resume_in_loop(); });
    return {taken, Errc::ok};
}

IoResult Client::send(std::span<const std::byte> data, Duration timeout)
{
    if (data.empty())
        return {0, Errc::invalid_argument};
    if (loop_.in_loop_thread())
    {
        IoResult result = send_in_loop(data);
        server_->count_sent_in_loop(result.bytes);
        return result;
    }
    IoResult result = send_from_user_thread(data, timeout);
    server_->count_sent(result.bytes);
    return result;
}

IoResult Client::send_in_loop(std::span<const std::byte> data)
{
    loop_.assert_in_loop_thread();
    const char *bytes = reinterpret_cast<const char *>(data.data());
    std::size_t taken = 0;
    Errc failure = Errc::ok;
    const Options &options = server_->options();
    {
        std::lock_guard lock(mutex_.worker());
        if (phase_ == Phase::torn_down || send_refused(end_))
            return {0, end_ == Errc::ok ? Errc::closed : end_};
        // Within a turn of the loop, sends are collected and written once before it waits
        // (flush_before_wait): a callback echoing 1 KiB at a time costs one write per turn,
        // not one per call. What does not fit the output limit takes the path below.
        if (!direct_writer_ && options.unsent_limit == 0 &&
            unsent_locked() + data.size() <= options.send_buffer_max)
        {
            try
            {
                output_.append(bytes, data.size());
            }
            catch (const std::bad_alloc &)
            {
                failure = Errc::no_memory;
            }
            if (failure == Errc::ok)
            {
                if (!flush_asked_)
                {
                    flush_asked_ = true;
                    loop_.flush_before_wait_in_loop(this);
                }
                // Backpressure that begins with these bytes stops reading now, before this
                // batch of events reads the connection again; below it, return at once.
                if (unsent_locked() < options.send_buffer_max / 2)
                    return {data.size(), Errc::ok};
                taken = data.size();
            }
        }
        // Make room first: what this turn queued goes out before these bytes.
        if (failure == Errc::ok && taken == 0 && !direct_writer_ && !output_.empty())
            failure = write_output_locked();
        // Write straight to the socket unless earlier bytes are still queued or a user thread
        // is mid-write: either would reorder the stream. The poller's sends take the rest in
        // turn.
        if (failure == Errc::ok && !direct_writer_ && output_.empty() && !sends_by_completion_)
        {
            ssize_t n = stack_.send_some(fd_, bytes, data.size());
            if (n >= 0)
                taken = static_cast<std::size_t>(n);
            else if (errno != EAGAIN)
                failure = errc_from_errno(errno);
            if (taken > 0)
                note_activity();
        }
        if (failure == Errc::ok && taken < data.size() &&
            over_unsent_limit(output_.size() + data.size() - taken))
            failure = Errc::peer_too_slow;
        if (failure == Errc::ok && taken < data.size())
        {
            std::size_t limit = options.send_buffer_max;
            std::size_t room = limit > unsent_locked() ? limit - unsent_locked() : 0;
            std::size_t queued = std::min(room, data.size() - taken);
            try
            {
                output_.append(bytes + taken, queued);
                taken += queued;
            }
            catch (const std::bad_alloc &)
            {
                failure = Errc::no_memory; // I/O paths do not throw: this connection ends
            }
            // The poller's send in progress starts the next when it ends; if none is, the
            // turn's flush does.
            if (sends_by_completion_ && !flush_asked_ && !direct_writer_)
            {
                flush_asked_ = true;
                loop_.flush_before_wait_in_loop(this);
            }
        }
    }
    if (failure != Errc::ok)
    {
        // Ending now would run on_disconnect inside the caller's callback; do it right after.
        end_soon(failure);
        return {taken, failure};
    }
    update_interest_in_loop();
    return {taken, taken == data.size() ? Errc::ok : Errc::timeout};
}

IoResult Client::send_from_user_thread(std::span<const std::byte> data, Duration timeout)
{
    Deadline deadline(timeout);
    {
        // direct_writer_ is the token that makes user-thread senders take turns, each writing
        // its whole buffer; bytes a callback queued meanwhile go out first.
        std::unique_lock lock(mutex_.native());
        ++user_waiters_;
        bool ready = deadline.wait(changed_, lock, [this] {
            return send_refused(end_) || (!direct_writer_ && unsent_locked() == 0);
        });
        --user_waiters_;
        if (send_refused(end_))
            return {0, end_};
        if (!ready)
            return {0, Errc::timeout};
        direct_writer_ = true;
    }
    const char *bytes = reinterpret_cast<const char *>(data.data());
    std::size_t sent = 0;
    Errc failure = Errc::ok;
    while (sent < data.size())
    {
        ssize_t n = stack_.send_some(fd_, bytes + sent, data.size() - sent);
        if (n > 0)
        {
            sent += static_cast<std::size_t>(n);
            note_activity();
            continue;
        }
        if (n < 0 && errno != EAGAIN)
        {
            failure = errc_from_errno(errno);
            break;
        }
        if (over_unsent_limit(data.size() - sent))
        {
            failure = Errc::peer_too_slow;
            break;
        }
        // The worker shuts the socket down when the connection ends, which wakes this poll.
        if (!stack_.wait_writable(fd_, deadline.poll_timeout_ms()))
        {
            failure = Errc::timeout;
            break;
        }
    }
    bool flush;
    {
        std::lock_guard lock(mutex_.native()); // a user thread's: no worker check
        direct_writer_ = false;
        if (failure != Errc::ok && failure != Errc::timeout && failure != Errc::peer_too_slow &&
            end_ != Errc::ok && end_ != Errc::end_of_stream)
            failure = end_; // say why the connection ended, not how the socket felt it
        // Output that callbacks queued meanwhile goes out now; after a half-close the worker
        // also learns that this reply is done.
        flush = !output_.empty() || end_ == Errc::end_of_stream;
    }
    changed_.notify_all();
    // The socket told this thread, not the worker, that the connection is over (a reset is
    // reported once): pass it on, so the connection ends now and says why.
    if (failure != Errc::ok && failure != Errc::timeout)
        end_soon(failure);
    else if (flush)
        loop_.queue([self = shared_from_this()] { self->flush_in_loop(); });
    return {sent, failure};
}

void Client::end_soon(Errc reason)
{
    try
    {
        loop_.queue([self = shared_from_this(), reason] { self->end_in_loop(reason); });
    }
    catch (const std::bad_alloc &)
    {
        // No memory for the task: shutting the socket down makes the worker see the end.
        stack_.shutdown_both(fd_);
    }
}

void Client::close()
{
    {
        std::lock_guard lock(mutex_);
        input_.clear(); // the user is done reading
        if (open_or_half_closed(end_))
            end_ = Errc::closed;
    }
    changed_.notify_all();
    // Teardown runs on the worker, after the current dispatch: on_disconnect never nests
    // inside the callback that called close().
    end_soon(Errc::closed);
}

Errc Client::start_in_loop()
{
    loop_.assert_in_loop_thread();
    Duration idle_timeout = server_->options().idle_timeout;
    if (idle_timeout > Duration::zero())
    {
        note_activity();
        schedule_idle_check_in_loop(saturating_add(EventLoop::Clock::now(), idle_timeout));
    }
    // Last, as nothing after it may fail: a refused client must not stay watched.
    // Served by on_recv, its input is received by completion where the poller can: user
    // threads never read it themselves then, which would split the stream with the poller.
    receives_by_completion_ = loop_.completes_reads() && server_->has_recv_handler();
    sends_by_completion_ =
        receives_by_completion_ && loop_.completes_sends() && server_->options().unsent_limit == 0;
    interest_ = read_interest();
    return loop_.watch_in_loop(fd_, interest_, this);
}

void Client::note_activity()
{
    if (server_->options().idle_timeout > Duration::zero())
        last_activity_.store(EventLoop::Clock::now(), std::memory_order_relaxed);
}

void Client::schedule_idle_check_in_loop(EventLoop::Clock::time_point due)
{
    loop_.assert_in_loop_thread();
    // Rounded up, so the check never runs early and goes round again at once.
    auto delay = std::chrono::ceil<Duration>(due - EventLoop::Clock::now());
    loop_.run_after_in_loop(std::max(delay, Duration(1)), [weak = weak_from_this()] {
        if (auto self = weak.lock())
            self->check_idle_in_loop();
    });
}

void Client::check_idle_in_loop()
{
    loop_.assert_in_loop_thread();
    // One check outstanding per client, moved on to the last activity: no timer per byte.
    if (phase_ >= Phase::ending)
        return;
    auto due = saturating_add(last_activity_.load(std::memory_order_relaxed),
                              server_->options().idle_timeout);
    if (EventLoop::Clock::now() < due)
    {
        schedule_idle_check_in_loop(due);
        return;
    }
    {
        std::lock_guard lock(mutex_.worker());
        if (open_or_half_closed(end_))
            end_ = Errc::idle_timeout;
    }
    end_in_loop(Errc::idle_timeout);
}

bool Client::over_unsent_limit(std::size_t more) const
{
    std::size_t limit = server_->options().unsent_limit;
    return limit > 0 && (more > limit || more + stack_.unsent_bytes(fd_) > limit);
}

void Client::enter_in_loop(Phase next)
{
    loop_.assert_in_loop_thread();
    assert(next > phase_ && "a connection's phase only moves forward");
    phase_ = next;
    if (next == Phase::torn_down)
        finished_.store(true, std::memory_order_release);
}

void Client::handle_io(unsigned events)
{
    loop_.assert_in_loop_thread();
    if (events & kSent)
    {
        sent_in_loop(); // first: room it frees may let the read below go on
        if (phase_ == Phase::torn_down)
            return;
    }
    if (events & (kReceive | kReadable | kHangup))
        read_in_loop((events & kHangup) != 0);
    if ((events & kWritable) && phase_ != Phase::torn_down)
        flush_in_loop();
}

void Client::read_in_loop(bool hung_up)
{
    loop_.assert_in_loop_thread();
    std::span<char> scratch = server_->scratch_in_loop();
    ssize_t n;
    int error;
    bool kept = true;
    bool wake = false;
    bool turn = false; // a RECV to dispatch, decided under the same lock as the read
    {
        // Straight into the input buffer's free room (muduo's readFd), the rest into the
        // worker's scratch: no copy for what fits. Under the lock, as user threads take input.
        std::unique_lock lock(mutex_.worker());
        if (user_reads_socket_ && (!hung_up || direct_reader_))
        {
            // User threads read this socket. The worker reads it only at the peer's end, and
            // not while one of them is reading it: that one meets the end itself.
            hangup_deferred_ = hangup_deferred_ || hung_up;
            unsigned wanted = interest_locked();
            lock.unlock();
            apply_interest_in_loop(wanted);
            return;
        }
        // The room is cut at recv_buffer_max: a buffer that grew larger once must not let one
        // read take more than the limit plus the scratch.
        std::span<char> room = end_ == Errc::ok ? input_.writable_tail() : std::span<char>();
        const std::size_t limit = server_->options().recv_buffer_max;
        room = room.first(std::min(room.size(), limit > input_.size() ? limit - input_.size() : 0));
        n = receives_by_completion_ ? loop_.take_received_in_loop(fd_, room, scratch)
                                    : stack_.read_into(fd_, room, scratch);
        error = errno;
        // The socket reports a reset once: record it before a user thread may read the
        // socket and meet only its end.
        if (n < 0 && error != EAGAIN && open_or_half_closed(end_))
            end_ = errc_from_errno(error);
        if (n > 0)
        {
            std::size_t direct = std::min(room.size(), static_cast<std::size_t>(n));
            input_.commit(direct);
            try
            {
                if (end_ == Errc::ok)
                    input_.append(scratch.data(), static_cast<std::size_t>(n) - direct);
            }
            catch (const std::bad_alloc &)
            {
                kept = false;
            }
            wake = user_waiters_ > 0;
            turn = kept && take_recv_turn_locked();
            // Counted before a user thread can take them, so stats never lag what recv gave.
            if (kept)
                server_->count_received_in_loop(static_cast<std::size_t>(n));
        }
    }
    if (n > 0)
    {
        if (!kept)
        {
            // The bytes cannot be kept, and the stream has a hole now: end this connection.
            end_in_loop(Errc::no_memory);
            return;
        }
        if (wake)
            changed_.notify_all();
        note_activity();
        dispatch_recv_in_loop(turn);
    }
    else if (n == 0)
    {
        peer_finished_sending_in_loop();
    }
    else if (error != EAGAIN)
    {
        end_in_loop(errc_from_errno(error));
    }
}

bool Client::take_recv_turn_locked()
{
    if (input_.empty() || recv_notified_ || input_abandoned(end_) ||
        unsent_locked() >= server_->options().send_buffer_max / 2)
        return false;
    recv_notified_ = true;
    return true;
}

void Client::dispatch_recv_in_loop(bool turn_taken)
{
    loop_.assert_in_loop_thread();
    // on_recv runs when unread input is waiting and nobody has been told of it since the last
    // recv: one unread byte gives one call, not one per loop turn. A callback that read part
    // of the input is called again for the rest. While the peer is slow to take our output,
    // no more is dispatched, so an echo callback cannot overrun send_buffer_max. The check
    // that ends the loop also works out what to watch, under the same lock.
    while (phase_ != Phase::torn_down)
    {
        unsigned wanted = 0;
        if (!turn_taken)
        {
            std::lock_guard lock(mutex_.worker());
            turn_taken = take_recv_turn_locked();
            if (!turn_taken)
                wanted = interest_locked();
        }
        if (!turn_taken)
        {
            apply_interest_in_loop(wanted);
            return;
        }
        turn_taken = false;
        if (!server_->dispatch_in_loop(*this, Event::recv))
        {
            {
                std::lock_guard lock(mutex_.worker());
                recv_notified_ = false;
                wanted = interest_locked();
            }
            apply_interest_in_loop(wanted);
            return;
        }
    }
}

void Client::flush_in_loop()
{
    loop_.assert_in_loop_thread();
    if (phase_ == Phase::torn_down)
        return;
    Errc failure = Errc::ok;
    bool drained, wake, more_to_do;
    {
        std::lock_guard lock(mutex_.worker());
        // A user thread writing directly owns the socket; it queues a flush when it is done.
        if (!direct_writer_)
            failure = write_output_locked();
        // A peer that does not read, with output left, passes the unsent limit here.
        if (failure == Errc::ok && !output_.empty() && over_unsent_limit(output_.size()))
            failure = Errc::peer_too_slow;
        drained = unsent_locked() == 0;
        wake = drained && user_waiters_ > 0;
        // Input held back by backpressure, or a writable interest to drop, needs a look.
        more_to_do = reading_paused_ || (!input_.empty() && !recv_notified_) ||
                     (interest_ & kWritable) || phase_ != Phase::open;
    }
    if (failure != Errc::ok)
    {
        end_in_loop(failure); // a reset while ending finishes at once
        return;
    }
    if (!drained)
    {
        update_interest_in_loop();
        return;
    }
    if (wake)
        changed_.notify_all();
    if (phase_ == Phase::ending)
    {
        finish_in_loop(); // everything queued before the end went out
        return;
    }
    if (!more_to_do)
        return; // the common case: a turn's replies went out, nothing else changed
    dispatch_recv_in_loop();
    settle_after_eof_in_loop();
}

Errc Client::write_output_locked()
{
    if (sends_by_completion_)
    {
        // One send at a time keeps the stream's order; what comes meanwhile waits for kSent.
        if (sending_ > 0 || output_.empty())
            return Errc::ok;
        Errc error = loop_.start_send_in_loop(fd_, {output_.data(), output_.size()});
        if (error != Errc::ok)
            return error;
        sending_ = output_.size();
        output_.clear();
        return Errc::ok;
    }
    while (!output_.empty())
    {
        ssize_t n = stack_.send_some(fd_, output_.data(), output_.size());
        if (n > 0)
        {
            output_.consume(static_cast<std::size_t>(n));
            note_activity();
            continue;
        }
        if (n < 0 && errno != EAGAIN)
            return errc_from_errno(errno);
        break;
    }
    return Errc::ok;
}

void Client::sent_in_loop()
{
    loop_.assert_in_loop_thread();
    ssize_t n = loop_.take_sent_in_loop(fd_);
    int error = errno;
    {
        std::lock_guard lock(mutex_.worker());
        sending_ = 0;
    }
    if (n < 0)
    {
        end_in_loop(errc_from_errno(error)); // the reset the socket reports once
        return;
    }
    note_activity();
    flush_in_loop();
}

void Client::flush_before_wait()
{
    loop_.assert_in_loop_thread();
    flush_asked_ = false;
    flush_in_loop();
}

void Client::resume_in_loop()
{
    loop_.assert_in_loop_thread();
    if (phase_ == Phase::torn_down)
        return;
    update_interest_in_loop();
    dispatch_recv_in_loop();
    settle_after_eof_in_loop();
}

void Client::reading_back_in_loop()
{
    loop_.assert_in_loop_thread();
    if (phase_ == Phase::torn_down)
        return;
    {
        std::lock_guard lock(mutex_.worker());
        if (!direct_reader_ && !server_->user_threads_may_read())
            user_reads_socket_ = false;
    }
    update_interest_in_loop();
}

unsigned Client::interest_locked()
{
    // Output queued this turn goes out in the turn's flush: writability matters only for
    // output that a flush could not write.
    bool worker_reads = end_ == Errc::ok && !user_reads_socket_;
    bool read = worker_reads && !backpressure_locked();
    reading_paused_ = worker_reads && !read;
    bool hangup = end_ == Errc::ok && user_reads_socket_ && !hangup_deferred_;
    bool write = !output_.empty() && !direct_writer_ && !flush_asked_ && !sends_by_completion_;
    return (read ? read_interest() : 0u) | (hangup ? kHangup : 0u) | (write ? kWritable : 0u);
}

void Client::apply_interest_in_loop(unsigned wanted)
{
    loop_.assert_in_loop_thread();
    if (phase_ == Phase::torn_down || wanted == interest_)
        return;
    loop_.update_in_loop(fd_, wanted);
    interest_ = wanted;
}

void Client::update_interest_in_loop()
{
    loop_.assert_in_loop_thread();
    if (phase_ == Phase::torn_down)
        return;
    unsigned wanted;
    {
        std::lock_guard lock(mutex_.worker());
        wanted = interest_locked();
    }
    apply_interest_in_loop(wanted);
}

void Client::end_in_loop(Errc reason)
{
    loop_.assert_in_loop_thread();
    if (phase_ == Phase::torn_down)
    {
        // Already down; a late close() may have emptied the input it was queued for.
        server_->client_finished_in_loop(shared_from_this());
        return;
    }
    bool output_left;
    {
        std::lock_guard lock(mutex_.worker());
        if (open_or_half_closed(end_))
            end_ = reason; // a reset after a half-close says more than the half-close
        bool peer_gone = send_refused(reason) && reason != Errc::closed;
        if (peer_gone)
            output_.clear(); // nobody will read it; a send in progress ends with the watch
        output_left = !peer_gone && unsent_locked() > 0;
    }
    changed_.notify_all();
    if (!output_left)
    {
        finish_in_loop();
        return;
    }
    if (phase_ == Phase::ending)
        return; // flushing already, and the peer can still read what is left
    // Flush what callbacks queued before the end, for at most close_linger.
    enter_in_loop(Phase::ending);
    update_interest_in_loop();
    loop_.run_after_in_loop(server_->options().close_linger, [weak = weak_from_this()] {
        if (auto self = weak.lock())
            self->finish_in_loop();
    });
}

void Client::peer_finished_sending_in_loop()
{
    loop_.assert_in_loop_thread();
    {
        std::lock_guard lock(mutex_.worker());
        if (end_ == Errc::ok)
            end_ = Errc::end_of_stream;
    }
    if (phase_ == Phase::open)
        enter_in_loop(Phase::peer_closed);
    changed_.notify_all(); // a recv with nothing left to read returns end_of_stream now
    update_interest_in_loop();
    settle_after_eof_in_loop();
}

void Client::settle_after_eof_in_loop()
{
    loop_.assert_in_loop_thread();
    // A half-closed peer may still be reading: whoever owns the client replies and closes it.
    // A client nobody owns ends once its input is read, or, when the callback serves it, once
    // the callback was offered the rest and left it (a closed peer must not hold a slot for
    // input nobody will read). Input the callback never touched waits for accept. What the
    // callback sent is flushed first (for up to close_linger), then DISCONNECT.
    if (phase_ != Phase::peer_closed || owned())
        return;
    {
        std::lock_guard lock(mutex_.worker());
        bool left_by_callback = served_by_callback_ && recv_notified_;
        if (end_ != Errc::end_of_stream || direct_writer_ || (!input_.empty() && !left_by_callback))
            return;
    }
    end_in_loop(Errc::end_of_stream);
}

void Client::finish_in_loop()
{
    loop_.assert_in_loop_thread();
    if (phase_ == Phase::torn_down)
        return;
    enter_in_loop(Phase::torn_down);
    loop_.unwatch_in_loop(fd_);
    Errc reason;
    {
        std::lock_guard lock(mutex_.worker());
        if (end_ == Errc::ok)
            end_ = Errc::closed;
        reason = end_;
        output_.clear();
        sending_ = 0; // unwatching ended it
    }
    // A peer that never reads would keep unsent data in the kernel for minutes: reset it.
    if (reason == Errc::peer_too_slow)
        stack_.set_abortive_close(fd_);
    // The peer sees end of stream now, and a user thread blocked in poll() wakes up. The
    // descriptor itself stays open until the last handle is gone.
    stack_.shutdown_both(fd_);
    changed_.notify_all();
    // Its slot and its place in the accept queue go first: whoever saw DISCONNECT sees a
    // client count without it, and accept no longer hands it out.
    std::shared_ptr<Client> self = shared_from_this();
    server_->client_finished_in_loop(self);
    server_->dispatch_in_loop(*this, Event::disconnect);
}

void Client::abort_in_loop()
{
    loop_.assert_in_loop_thread();
    {
        std::lock_guard lock(mutex_.worker());
        end_ = Errc::stopped;
        input_.clear();
        output_.clear();
        sending_ = 0; // finish_in_loop's unwatch ends it
    }
    changed_.notify_all();
    finish_in_loop();
}

} // namespace tcp_server::detail
