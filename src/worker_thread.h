// The worker thread with the package's thread settings: name, stack size and priority.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <pthread.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace tcp_server::detail
{

class WorkerThread
{
  public:
    /**
     * Starts `body` on a new thread named `name` (15 characters are kept), with a stack of
     * host_stack_size(stack_size) bytes and the nice value of RT-Thread priority `priority`
     * (nice_for_priority). A nice value the process may not take is logged and left at 0.
     */
    Errc start(const std::string &name, std::size_t stack_size, int priority,
               std::function<void()> body, std::shared_ptr<void> keep_alive);
    bool joinable() const { return started_; }
    void join();
    /** Lets the thread end on its own (it cannot join itself). */
    void detach();

  private:
    static void *entry(void *self);

    pthread_t thread_{};
    bool started_ = false;
    std::string name_;
    int priority_ = 0;
    std::size_t stack_asked_ = 0;
    std::function<void()> body_;
    // What the thread holds while it runs (its server): taken over by the thread at its start
    // and released as its very last act, so the owner may go away from inside `body`.
    std::shared_ptr<void> keep_alive_;
};

} // namespace tcp_server::detail
