// RT-Thread timers: a one-shot fires once, never early; a periodic one keeps its period until
// stopped; callbacks run in deadline order on the timer thread; control sets and reads the
// time and the state; deleting a timer whose callback runs waits for it; and an idle timer
// thread uses no CPU.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

using namespace test_support;

namespace
{

struct Record
{
    std::mutex mutex;
    std::vector<std::pair<int, std::chrono::steady_clock::time_point>> fired;
    int count()
    {
        std::lock_guard lock(mutex);
        return static_cast<int>(fired.size());
    }
};

struct Probe
{
    Record *record;
    int id;
};

void note(void *parameter)
{
    auto *probe = static_cast<Probe *>(parameter);
    std::lock_guard lock(probe->record->mutex);
    probe->record->fired.emplace_back(probe->id, std::chrono::steady_clock::now());
}

} // namespace

TEST(RtTimer, OneShotFiresOnceNeverEarly)
{
    Record record;
    Probe probe{&record, 1};
    struct rt_timer timer;
    rt_timer_init(&timer, "once", note, &probe, rt_tick_from_millisecond(100),
                  RT_TIMER_FLAG_ONE_SHOT | RT_TIMER_FLAG_SOFT_TIMER);
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(rt_timer_start(&timer), RT_EOK);
    ASSERT_TRUE(eventually([&] { return record.count() == 1; }));
    std::chrono::steady_clock::time_point fired;
    {
        std::lock_guard lock(record.mutex);
        fired = record.fired[0].second;
    }
    EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(fired - start).count(), 100);
    rt_uint32_t state = 99;
    rt_timer_control(&timer, RT_TIMER_CTRL_GET_STATE, &state);
    EXPECT_EQ(state, static_cast<rt_uint32_t>(RT_TIMER_FLAG_DEACTIVATED));
    EXPECT_FALSE(eventually([&] { return record.count() > 1; }, std::chrono::milliseconds(250)));
    EXPECT_EQ(rt_timer_stop(&timer), -RT_ERROR) << "not running";
    EXPECT_EQ(rt_timer_detach(&timer), RT_EOK);
}

TEST(RtTimer, PeriodicKeepsItsPeriodUntilStopped)
{
    Record record;
    Probe probe{&record, 1};
    rt_timer_t timer = rt_timer_create("tick", note, &probe, rt_tick_from_millisecond(40),
                                       RT_TIMER_FLAG_PERIODIC | RT_TIMER_FLAG_HARD_TIMER);
    ASSERT_NE(timer, nullptr);
    auto start = std::chrono::steady_clock::now();
    rt_timer_start(timer);
    ASSERT_TRUE(eventually([&] { return record.count() >= 5; }));
    EXPECT_EQ(rt_timer_stop(timer), RT_EOK);
    decltype(record.fired) fired;
    {
        std::lock_guard lock(record.mutex);
        fired = record.fired;
    }
    // The n-th firing is never before n periods: the period does not drift short.
    for (std::size_t n = 0; n < fired.size(); ++n)
        EXPECT_GE(
            std::chrono::duration_cast<std::chrono::milliseconds>(fired[n].second - start).count(),
            40 * static_cast<long long>(n + 1));
    EXPECT_FALSE(eventually([&] { return record.count() > static_cast<int>(fired.size()); },
                            std::chrono::milliseconds(200)));
    rt_timer_delete(timer);
}

TEST(RtTimer, CallbacksRunInDeadlineOrder)
{
    Record record;
    Probe late{&record, 3}, early{&record, 1}, middle{&record, 2};
    rt_timer_t a = rt_timer_create("late", note, &late, rt_tick_from_millisecond(90), 0);
    rt_timer_t b = rt_timer_create("early", note, &early, rt_tick_from_millisecond(30), 0);
    rt_timer_t c = rt_timer_create("middle", note, &middle, rt_tick_from_millisecond(60), 0);
    rt_timer_start(a);
    rt_timer_start(b);
    rt_timer_start(c);
    // The order the deadlines really have, however long the starts took.
    std::vector<std::pair<rt_tick_t, int>> deadlines;
    for (auto [timer, id] : {std::pair{a, 3}, std::pair{b, 1}, std::pair{c, 2}})
    {
        rt_tick_t due = 0;
        rt_timer_control(timer, RT_TIMER_CTRL_GET_REMAIN_TIME, &due);
        deadlines.emplace_back(due, id);
    }
    std::stable_sort(deadlines.begin(), deadlines.end(), [](auto &x, auto &y) {
        return static_cast<rt_int32_t>(x.first - y.first) < 0;
    });
    ASSERT_TRUE(eventually([&] { return record.count() == 3; }));
    std::vector<int> order, expected;
    {
        std::lock_guard lock(record.mutex);
        for (auto &entry : record.fired)
            order.push_back(entry.first);
    }
    for (auto &entry : deadlines)
        expected.push_back(entry.second);
    EXPECT_EQ(order, expected);
    for (rt_timer_t timer : {a, b, c})
        rt_timer_delete(timer);
}

TEST(RtTimer, ControlSetsAndReadsTimeAndMode)
{
    Record record;
    Probe probe{&record, 1};
    rt_timer_t timer = rt_timer_create("ctl", note, &probe, 10, RT_TIMER_FLAG_ONE_SHOT);
    rt_tick_t time = rt_tick_from_millisecond(30);
    EXPECT_EQ(rt_timer_control(timer, RT_TIMER_CTRL_SET_TIME, &time), RT_EOK);
    rt_tick_t read = 0;
    rt_timer_control(timer, RT_TIMER_CTRL_GET_TIME, &read);
    EXPECT_EQ(read, time);
    rt_timer_control(timer, RT_TIMER_CTRL_SET_PERIODIC, RT_NULL);
    rt_timer_start(timer);
    ASSERT_TRUE(eventually([&] { return record.count() >= 2; })) << "periodic now";
    rt_timer_control(timer, RT_TIMER_CTRL_SET_ONESHOT, RT_NULL);
    int count = record.count();
    EXPECT_FALSE(
        eventually([&] { return record.count() > count + 1; }, std::chrono::milliseconds(200)))
        << "one-shot again: at most the firing already armed";
    EXPECT_EQ(rt_timer_control(timer, 1234, &read), -RT_EINVAL);
    rt_timer_delete(timer);
}

namespace
{
struct Slow
{
    std::atomic<bool> inside{false};
    std::atomic<bool> finished{false};
};
void slow_callback(void *parameter)
{
    auto *slow = static_cast<Slow *>(parameter);
    slow->inside = true;
    rt_thread_mdelay(150);
    slow->finished = true;
}
} // namespace

TEST(RtTimer, DeleteWaitsForARunningCallback)
{
    Slow slow;
    rt_timer_t timer = rt_timer_create("slow", slow_callback, &slow, 1, 0);
    rt_timer_start(timer);
    ASSERT_TRUE(eventually([&] { return slow.inside.load(); }));
    EXPECT_EQ(rt_timer_delete(timer), RT_EOK);
    EXPECT_TRUE(slow.finished.load()) << "delete returned while the callback still ran";
    EXPECT_EQ(rt_timer_start(timer), -RT_EINVAL) << "deleted";
}

TEST(RtTimer, AnIdleTimerThreadUsesNoCpu)
{
    Record record;
    Probe probe{&record, 1};
    rt_timer_t timer = rt_timer_create("wake", note, &probe, 1, 0);
    rt_timer_start(timer); // makes sure the timer thread exists
    ASSERT_TRUE(eventually([&] { return record.count() == 1; }));
    int tid = find_thread("timer");
    ASSERT_GT(tid, 0);
    ASSERT_TRUE(blocked_soon(tid));
    long wakeups = thread_wakeups(tid);
    auto cpu = thread_cpu_time(tid);
    rt_thread_mdelay(300);
    EXPECT_EQ(thread_wakeups(tid), wakeups) << "nothing due, yet it woke";
    EXPECT_LT((thread_cpu_time(tid) - cpu).count(), 5000);
    rt_timer_delete(timer);
}
