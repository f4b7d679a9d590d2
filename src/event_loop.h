// The worker loop: wait on the poller, dispatch I/O, run due timers, run tasks posted by other
// threads. Only its own thread touches the poller and the handlers.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/stack.h"
#include "poller/poller.h"
#include "wakeup.h"

#include <atomic>
#include <cassert>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tcp_server::detail
{

/** Something the loop calls when its descriptor is ready. */
class IoHandler
{
  public:
    virtual void handle_io(unsigned events) = 0;
    /** Writes what was queued during this turn of the loop (flush_before_wait_in_loop). */
    virtual void flush_before_wait() {}

  protected:
    ~IoHandler() = default;
};

class EventLoop
{
  public:
    using Task = std::function<void()>;
    using Clock = std::chrono::steady_clock;

    /** A loop over `stack` with a poller of the given kind, or nullptr with `error` set. */
    static std::unique_ptr<EventLoop> create(Stack &stack, Backend backend, Errc &error);
    ~EventLoop();

    /** Runs until quit(), on the calling thread, which becomes the loop thread. */
    void run();
    /** Makes run() return after the current iteration. Thread safe. */
    void quit();

    /**
     * Runs `task` on the loop thread after the current dispatch. Thread safe. Returns false
     * once the loop has finished for good: the task is dropped.
     */
    bool queue(Task task);

    bool in_loop_thread() const { return thread_id_.load() == std::this_thread::get_id(); }
    void assert_in_loop_thread() const { assert(in_loop_thread()); }

    /** Whether the poller can watch fd. Thread safe. */
    bool supports(int fd) const { return poller_->supports(fd); }
    bool watches_hangup() const { return poller_->watches_hangup(); }
    /** Whether the poller reads kReceive watches itself (Poller::completes_reads). */
    bool completes_reads() const { return poller_->completes_reads(); }
    /** Whether the poller sends for its handlers (Poller::completes_sends). */
    bool completes_sends() const { return poller_->completes_sends(); }
    /** Whether the poller accepts kAccept watches' connections (Poller::completes_accepts). */
    bool completes_accepts() const { return poller_->completes_accepts(); }
    const char *poller_name() const { return poller_->name(); }

    /** Starts dispatching fd's events to handler. Must be called in the loop thread. */
    Errc watch_in_loop(int fd, unsigned interest, IoHandler *handler);
    void update_in_loop(int fd, unsigned interest);
    void unwatch_in_loop(int fd);
    /** Where completes_reads(): fd's input, as Poller::take_received. In the loop thread. */
    ssize_t take_received_in_loop(int fd, std::span<char> first, std::span<char> second)
    {
        assert_in_loop_thread();
        return poller_->take_received(fd, first, second);
    }
    /** Where completes_sends(): as Poller::start_send and take_sent. In the loop thread. */
    Errc start_send_in_loop(int fd, std::span<const char> data)
    {
        assert_in_loop_thread();
        return poller_->start_send(fd, data);
    }
    ssize_t take_sent_in_loop(int fd)
    {
        assert_in_loop_thread();
        return poller_->take_sent(fd);
    }
    /** Where completes_accepts(): as Poller::take_accepted. In the loop thread. */
    int take_accepted_in_loop(int fd)
    {
        assert_in_loop_thread();
        return poller_->take_accepted(fd);
    }
    /** Runs `task` once `delay` has passed. Must be called in the loop thread. */
    void run_after_in_loop(std::chrono::milliseconds delay, Task task);
    /**
     * Keeps `object` alive until the current dispatch has unwound, so that a handler may drop
     * the last reference to itself. Must be called in the loop thread.
     */
    void release_later_in_loop(std::shared_ptr<void> object);
    /**
     * Calls handler->flush_before_wait() once this turn's events, timers and tasks are done,
     * before the loop waits again: output queued during the turn goes out in one write (redis
     * writes its replies in beforeSleep). A handler asks once per turn; it must stay alive
     * until then (released through release_later_in_loop). Must be called in the loop thread.
     */
    void flush_before_wait_in_loop(IoHandler *handler);

  private:
    EventLoop(std::unique_ptr<Poller> poller, std::unique_ptr<Wakeup> wakeup);
    /** `interest` as the poller takes it: kReceive is kReadable to one that reads nothing. */
    unsigned for_poller(unsigned interest) const;
    int next_timeout_ms();
    void dispatch_fired();
    void run_due_timers();
    void run_tasks();
    void flush_queued();

    std::unique_ptr<Poller> poller_;
    std::unique_ptr<Wakeup> wakeup_;
    std::atomic<std::thread::id> thread_id_{};
    std::atomic<bool> quit_{false};

    // Loop thread only.
    // Indexed by descriptor: who handles it, and the events it asks for now. Dispatch passes
    // only those, so a handler that stopped reading earlier in a batch is not given a read.
    std::vector<IoHandler *> handlers_;
    std::vector<unsigned> interests_;
    std::vector<FiredEvent> fired_;
    std::vector<FiredEvent> spare_fired_; // grown by watch_in_loop, swapped in by run()
    std::size_t watched_ = 0;             // descriptors watched, besides the wake-up
    std::multimap<Clock::time_point, Task> timers_;
    std::vector<std::shared_ptr<void>> release_later_;
    std::vector<IoHandler *> flush_queue_; // both sized by watch_in_loop: asking never allocates
    std::vector<IoHandler *> flushing_;
    std::vector<Task> running_;

    std::mutex tasks_mutex_;
    std::vector<Task> tasks_;
    bool finished_ = false; // guarded by tasks_mutex_
};

} // namespace tcp_server::detail
