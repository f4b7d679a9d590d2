// The worker loop. An idle loop blocks in the poller with no timeout at all: it wakes only for
// I/O, a due timer, or a task posted through the wake-up descriptor.
// SPDX-License-Identifier: Apache-2.0
#include "event_loop.h"

#include "util/deadline.h"
#include "util/log.h"

#include <algorithm>

namespace tcp_server::detail
{

std::unique_ptr<EventLoop> EventLoop::create(Stack &stack, Backend backend, Errc &error)
{
    std::unique_ptr<Poller> poller = stack.make_poller(backend, error);
    if (!poller)
        return nullptr;
    std::unique_ptr<Wakeup> wakeup = stack.make_wakeup(error);
    if (!wakeup)
        return nullptr;
    // A poller that reads the wake-up itself saves the worker a read call per wake-up.
    error = poller->add(wakeup->fd(), poller->consumes_counters() ? kCounter : kReadable);
    if (error != Errc::ok)
        return nullptr;
    return std::unique_ptr<EventLoop>(new EventLoop(std::move(poller), std::move(wakeup)));
}

EventLoop::EventLoop(std::unique_ptr<Poller> poller, std::unique_ptr<Wakeup> wakeup)
    : poller_(std::move(poller)), wakeup_(std::move(wakeup))
{
}

EventLoop::~EventLoop() = default;

void EventLoop::run()
{
    thread_id_ = std::this_thread::get_id();
    while (!quit_.load(std::memory_order_acquire))
    {
        if (spare_fired_.capacity() > fired_.capacity())
            fired_.swap(spare_fired_); // no allocation here, so none can fail
        Errc error = poller_->wait(next_timeout_ms(), fired_);
        if (error != Errc::ok)
            LOG_E("%s wait failed: %s", poller_->name(), to_string(error));
        dispatch_fired();
        run_due_timers();
        run_tasks();
        flush_queued();
        release_later_.clear();
    }
    // From here on nothing runs posted tasks: refuse new ones, and drop the queued ones so the
    // references they hold are released.
    std::vector<Task> dropped;
    {
        std::lock_guard lock(tasks_mutex_);
        finished_ = true;
        dropped.swap(tasks_);
    }
    timers_.clear();
}

void EventLoop::quit()
{
    quit_.store(true, std::memory_order_release);
    if (!in_loop_thread())
        wakeup_->notify();
}

bool EventLoop::queue(Task task)
{
    bool was_empty;
    {
        std::lock_guard lock(tasks_mutex_);
        if (finished_)
            return false;
        was_empty = tasks_.empty();
        tasks_.push_back(std::move(task));
    }
    // One wake-up covers every task queued before the loop swaps the list out; the loop
    // thread itself never blocks with tasks pending (next_timeout_ms), so it needs none.
    if (was_empty && !in_loop_thread())
        wakeup_->notify();
    return true;
}

Errc EventLoop::watch_in_loop(int fd, unsigned interest, IoHandler *handler)
{
    assert_in_loop_thread();
    // Room for the handler and for its event first: if either allocation fails, the poller
    // has not seen fd, and wait() itself never allocates.
    if (handlers_.size() <= static_cast<std::size_t>(fd))
    {
        handlers_.resize(fd + 1, nullptr);
        interests_.resize(fd + 1, 0);
    }
    // Every watched descriptor and the wake-up may fire at once. The room is made in a spare
    // list, which run() swaps in before it waits: fired_ itself may be mid-dispatch now.
    std::size_t needed = watched_ + 2;
    if (std::max(fired_.capacity(), spare_fired_.capacity()) < needed)
        spare_fired_.reserve(std::max(needed, 2 * fired_.capacity()));
    // Likewise every watched handler may be released, or ask for a flush, in one turn.
    if (release_later_.capacity() < needed)
        release_later_.reserve(std::max(needed, 2 * release_later_.capacity()));
    if (flush_queue_.capacity() < needed)
    {
        flush_queue_.reserve(std::max(needed, 2 * flush_queue_.capacity()));
        flushing_.reserve(flush_queue_.capacity());
    }
    interest = for_poller(interest);
    Errc error = poller_->add(fd, interest);
    if (error != Errc::ok)
        return error;
    handlers_[fd] = handler;
    interests_[fd] = interest;
    ++watched_;
    return Errc::ok;
}

void EventLoop::update_in_loop(int fd, unsigned interest)
{
    assert_in_loop_thread();
    interest = for_poller(interest);
    poller_->modify(fd, interest);
    interests_[fd] = interest;
}

unsigned EventLoop::for_poller(unsigned interest) const
{
    if ((interest & kReceive) && !poller_->completes_reads())
        interest = (interest & ~kReceive) | kReadable;
    if ((interest & kAccept) && !poller_->completes_accepts())
        interest = (interest & ~kAccept) | kReadable;
    if ((interest & kCounter) && !poller_->consumes_counters())
        interest = (interest & ~kCounter) | kReadable;
    return interest;
}

void EventLoop::unwatch_in_loop(int fd)
{
    assert_in_loop_thread();
    poller_->remove(fd);
    handlers_[fd] = nullptr;
    interests_[fd] = 0;
    --watched_;
}

void EventLoop::run_after_in_loop(std::chrono::milliseconds delay, Task task)
{
    assert_in_loop_thread();
    timers_.emplace(saturating_add(Clock::now(), delay), std::move(task));
}

void EventLoop::release_later_in_loop(std::shared_ptr<void> object)
{
    assert_in_loop_thread();
    release_later_.push_back(std::move(object));
}

void EventLoop::flush_before_wait_in_loop(IoHandler *handler)
{
    assert_in_loop_thread();
    flush_queue_.push_back(handler);
}

void EventLoop::flush_queued()
{
    // A flush may let a handler read and queue more (its backpressure eased): a few passes,
    // then the rest waits for the next turn, which then does not sleep (next_timeout_ms).
    for (int pass = 0; pass < 4 && !flush_queue_.empty(); ++pass)
    {
        flushing_.swap(flush_queue_);
        for (IoHandler *handler : flushing_)
            handler->flush_before_wait();
        flushing_.clear();
    }
}

int EventLoop::next_timeout_ms()
{
    if (!flush_queue_.empty())
        return 0;
    {
        std::lock_guard lock(tasks_mutex_);
        if (!tasks_.empty())
            return 0;
    }
    if (timers_.empty())
        return -1;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - Clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

void EventLoop::dispatch_fired()
{
    assert_in_loop_thread();
    for (const FiredEvent &event : fired_)
    {
        if (event.fd == wakeup_->fd())
        {
            if (!poller_->consumes_counters())
                wakeup_->drain();
            continue;
        }
        // Look the handler up again for every event: an earlier handler in this batch may
        // have unwatched this descriptor. It cannot have been reused yet, because descriptors
        // are closed only by objects released after the batch (release_later_in_loop).
        if (static_cast<std::size_t>(event.fd) >= handlers_.size())
            continue;
        IoHandler *handler = handlers_[event.fd];
        // kSent is never asked for: it ends a send the handler began.
        unsigned events = event.events & (interests_[event.fd] | kSent);
        if (handler && events)
            handler->handle_io(events);
    }
}

void EventLoop::run_due_timers()
{
    auto now = Clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now)
    {
        Task task = std::move(timers_.begin()->second);
        timers_.erase(timers_.begin());
        task();
    }
}

void EventLoop::run_tasks()
{
    // Swapping with a list kept across turns keeps both buffers' capacity: posting a task
    // allocates nothing once the loop has warmed up.
    {
        std::lock_guard lock(tasks_mutex_);
        running_.swap(tasks_);
    }
    for (Task &task : running_)
        task();
    running_.clear();
}

} // namespace tcp_server::detail
