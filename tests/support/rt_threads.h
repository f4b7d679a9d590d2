// Test threads made with the RT-Thread API: a callable run in an rt_thread, and a way to wait
// until it has finished (its entry returned).
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <rtthread.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace test_support
{

class RtJob
{
  public:
    /** Runs `body` in a new rt_thread named `name` at `priority` (started at once). */
    RtJob(const std::string &name, int priority, std::function<void()> body);
    /** The rt_thread; it is freed once `body` returned: compare, do not follow, after that. */
    rt_thread_t thread() const { return thread_; }
    /** Waits until `body` has returned; false after `limit`. */
    bool finished(std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) const;
    /** Whether `body` has started. */
    bool started() const;

    struct State;

  private:
    std::shared_ptr<State> state_;
    rt_thread_t thread_ = RT_NULL;
};

/** How many threads wait on the IPC object of class `type` named `name` (its wait queue, read
 *  under the kernel lock), or -1 if there is no such object. */
int waiting_on(rt_object_class_type type, const std::string &name);

/** The owner of the mutex named `name` ("(NULL)" for none), read under the kernel lock. */
std::string owner_of(const std::string &name);
/** The current priority of the thread named `name`, read under the kernel lock, or -1. */
int priority_of(const std::string &name);

/** Whether the thread named `name` waits in the kernel (suspended), under the kernel lock. */
bool suspended(const std::string &name);

/** Milliseconds since `start`. */
long long elapsed_ms(std::chrono::steady_clock::time_point start);

} // namespace test_support
