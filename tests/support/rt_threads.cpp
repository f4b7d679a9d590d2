// Test threads made with the RT-Thread API.
// SPDX-License-Identifier: Apache-2.0
#include "rt_threads.h"

#include <rt/inspect.h>

#include <condition_variable>
#include <mutex>

namespace test_support
{

struct RtJob::State
{
    std::function<void()> body;
    std::mutex mutex;
    std::condition_variable changed;
    bool started = false;
    bool done = false;
};

namespace
{

// Holds the state alive for the thread, whatever the test does meanwhile.
struct Start
{
    std::shared_ptr<RtJob::State> state;
};

void entry(void *parameter)
{
    std::unique_ptr<Start> start(static_cast<Start *>(parameter));
    RtJob::State &state = *start->state;
    {
        std::lock_guard lock(state.mutex);
        state.started = true;
    }
    state.changed.notify_all();
    state.body();
    {
        std::lock_guard lock(state.mutex);
        state.done = true;
    }
    state.changed.notify_all();
}

} // namespace

RtJob::RtJob(const std::string &name, int priority, std::function<void()> body)
    : state_(std::make_shared<State>())
{
    state_->body = std::move(body);
    auto *start = new Start{state_};
    thread_ =
        rt_thread_create(name.c_str(), entry, start, 2048, static_cast<rt_uint8_t>(priority), 10);
    if (!thread_ || rt_thread_startup(thread_) != RT_EOK)
    {
        delete start;
        thread_ = RT_NULL;
        state_->done = true;
    }
}

bool RtJob::finished(std::chrono::milliseconds limit) const
{
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, limit, [this] { return state_->done; });
}

bool RtJob::started() const
{
    std::lock_guard lock(state_->mutex);
    return state_->started;
}

int waiting_on(rt_object_class_type type, const std::string &name)
{
    for (const auto &row : tcp_server::detail::rt::ipc_rows(type))
        if (row.name == name)
            return static_cast<int>(row.waiters.size());
    return -1;
}

std::string owner_of(const std::string &name)
{
    for (const auto &row : tcp_server::detail::rt::ipc_rows(RT_Object_Class_Mutex))
        if (row.name == name)
            return row.owner;
    return "";
}

int priority_of(const std::string &name)
{
    for (const auto &row : tcp_server::detail::rt::thread_rows())
        if (row.name == name)
            return row.priority;
    return -1;
}

bool suspended(const std::string &name)
{
    for (const auto &row : tcp_server::detail::rt::thread_rows())
        if (row.name == name)
            return (row.stat & RT_THREAD_SUSPEND_MASK) != 0;
    return false;
}

long long elapsed_ms(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
}

} // namespace test_support
