// The signals that end the shell (SIGTERM, SIGHUP; SIGINT without a terminal), watched by a
// thread of their own, so they end it even while a command holds the console thread.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace msh
{

class LeaveSignals
{
  public:
    /**
     * Starts watching `signals`, which every thread has blocked (block_shell_signals). When
     * one arrives: exit is requested and wake_fd() becomes readable, so an idle console leaves
     * as exit does. A console busy in a command cannot: the watcher stops the servers itself
     * (the msh_at_exit functions), gives the command kCommandGrace to return, and else ends
     * the process with status 0. Console thread only.
     */
    void start(const sigset_t &signals);
    /** Readable once a leave signal arrived; -1 before start(). */
    int wake_fd() const { return wake_fd_; }
    /** Marks a command running on the console thread (the caller's scope). */
    class Busy
    {
      public:
        explicit Busy(LeaveSignals &owner);
        ~Busy();
        Busy(const Busy &) = delete;
        Busy &operator=(const Busy &) = delete;

      private:
        LeaveSignals &owner_;
    };
    /** Ends the watching thread, waiting for a stop it began. Console thread only. */
    void stop();
    ~LeaveSignals() { stop(); }

  private:
    void watch();
    void stop_a_busy_console();

    int signal_fd_ = -1;
    int wake_fd_ = -1; // eventfd: written once a signal arrived
    int quit_fd_ = -1; // eventfd: stop() tells the watcher to end
    std::thread watcher_;
    std::mutex mutex_;
    std::condition_variable idle_;
    bool busy_ = false;
};

} // namespace msh
