// RT-Thread mutexes: recursive for their owner, refused to anyone else, handed to the next
// waiter on release, passed on by an owner that ends, lending the owner a waiter's priority,
// and deleted with their waiters woken with -RT_ERROR.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <gtest/gtest.h>

#include <atomic>

using namespace test_support;

namespace
{

int waiters(rt_mutex_t mutex)
{
    return waiting_on(RT_Object_Class_Mutex, mutex->parent.parent.name);
}

} // namespace

TEST(RtMutex, OwnerTakesItAgainAndOthersWaitForTheLastRelease)
{
    rt_mutex_t mutex = rt_mutex_create("nested", RT_IPC_FLAG_PRIO);
    ASSERT_NE(mutex, nullptr);
    ASSERT_EQ(rt_mutex_take(mutex, RT_WAITING_FOREVER), RT_EOK);
    ASSERT_EQ(rt_mutex_take(mutex, RT_WAITING_FOREVER), RT_EOK) << "recursive for its owner";
    std::atomic<rt_err_t> other{1};
    std::atomic<bool> taken{false};
    RtJob job("other", 10, [&] {
        other = rt_mutex_trytake(mutex);
        if (rt_mutex_take(mutex, RT_WAITING_FOREVER) == RT_EOK)
        {
            taken = true;
            rt_mutex_release(mutex);
        }
    });
    ASSERT_TRUE(eventually([&] { return waiters(mutex) == 1; }));
    EXPECT_EQ(other.load(), -RT_ETIMEOUT) << "trytake by a non-owner";
    EXPECT_EQ(rt_mutex_release(mutex), RT_EOK);
    EXPECT_FALSE(taken.load()) << "still held once";
    EXPECT_EQ(waiters(mutex), 1);
    EXPECT_EQ(rt_mutex_release(mutex), RT_EOK);
    ASSERT_TRUE(job.finished());
    EXPECT_TRUE(taken.load());
    rt_mutex_delete(mutex);
}

TEST(RtMutex, ReleaseByANonOwnerIsAnError)
{
    struct rt_mutex mutex;
    rt_mutex_init(&mutex, "owned", RT_IPC_FLAG_FIFO);
    EXPECT_EQ(rt_mutex_release(&mutex), -RT_ERROR) << "nobody owns it";
    rt_mutex_take(&mutex, RT_WAITING_FOREVER);
    std::atomic<rt_err_t> result{1};
    RtJob job("thief", 10, [&] { result = rt_mutex_release(&mutex); });
    ASSERT_TRUE(job.finished());
    EXPECT_EQ(result.load(), -RT_ERROR);
    EXPECT_EQ(rt_mutex_release(&mutex), RT_EOK);
    EXPECT_EQ(rt_mutex_detach(&mutex), RT_EOK);
}

TEST(RtMutex, TakeTimesOutNeverEarly)
{
    rt_mutex_t mutex = rt_mutex_create("busy", RT_IPC_FLAG_FIFO);
    rt_mutex_take(mutex, RT_WAITING_FOREVER);
    std::atomic<long long> waited{-1};
    std::atomic<rt_err_t> result{1};
    RtJob job("late", 10, [&] {
        auto start = std::chrono::steady_clock::now();
        result = rt_mutex_take(mutex, rt_tick_from_millisecond(120));
        waited = elapsed_ms(start);
    });
    ASSERT_TRUE(job.finished());
    EXPECT_EQ(result.load(), -RT_ETIMEOUT);
    EXPECT_GE(waited.load(), 120);
    EXPECT_EQ(waiters(mutex), 0);
    rt_mutex_release(mutex);
    rt_mutex_delete(mutex);
}

TEST(RtMutex, AnOwnerThatEndsPassesItOn)
{
    rt_mutex_t mutex = rt_mutex_create("legacy", RT_IPC_FLAG_FIFO);
    std::atomic<bool> release_now{false};
    RtJob owner("owner", 10, [&] {
        rt_mutex_take(mutex, RT_WAITING_FOREVER);
        while (!release_now)
            rt_thread_mdelay(1);
        // Ends holding it.
    });
    ASSERT_TRUE(eventually([&] { return owner_of("legacy") == "owner"; }));
    std::atomic<rt_err_t> result{1};
    RtJob heir("heir", 10, [&] {
        result = rt_mutex_take(mutex, RT_WAITING_FOREVER);
        if (result == RT_EOK)
            rt_mutex_release(mutex);
    });
    ASSERT_TRUE(eventually([&] { return waiters(mutex) == 1; }));
    release_now = true;
    ASSERT_TRUE(owner.finished());
    ASSERT_TRUE(heir.finished());
    EXPECT_EQ(result.load(), RT_EOK);
    rt_mutex_delete(mutex);
}

TEST(RtMutex, AMoreUrgentWaiterLendsTheOwnerItsPriority)
{
    rt_mutex_t mutex = rt_mutex_create("inherit", RT_IPC_FLAG_PRIO);
    std::atomic<bool> release_now{false};
    std::atomic<int> priority_while_held{-1};
    std::atomic<int> priority_after{-1};
    RtJob owner("lowprio", 25, [&] {
        rt_mutex_take(mutex, RT_WAITING_FOREVER);
        while (!release_now)
            rt_thread_mdelay(1);
        priority_while_held = priority_of("lowprio");
        rt_mutex_release(mutex);
        priority_after = priority_of("lowprio");
    });
    ASSERT_TRUE(eventually([&] { return owner_of("inherit") == "lowprio"; }));
    RtJob urgent("urgent", 8, [&] {
        if (rt_mutex_take(mutex, RT_WAITING_FOREVER) == RT_EOK)
            rt_mutex_release(mutex);
    });
    ASSERT_TRUE(eventually([&] { return waiters(mutex) == 1; }));
    release_now = true;
    ASSERT_TRUE(owner.finished());
    ASSERT_TRUE(urgent.finished());
    EXPECT_EQ(priority_while_held.load(), 8);
    EXPECT_EQ(priority_after.load(), 25);
    rt_mutex_delete(mutex);
}

TEST(RtMutex, DeleteWakesWaitersWithError)
{
    rt_mutex_t mutex = rt_mutex_create("doomed", RT_IPC_FLAG_FIFO);
    rt_mutex_take(mutex, RT_WAITING_FOREVER);
    std::atomic<rt_err_t> result{1};
    RtJob job("w", 10, [&] { result = rt_mutex_take(mutex, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return waiters(mutex) == 1; }));
    EXPECT_EQ(rt_mutex_delete(mutex), RT_EOK);
    ASSERT_TRUE(job.finished());
    EXPECT_EQ(result.load(), -RT_ERROR);
    EXPECT_EQ(rt_mutex_release(mutex), -RT_EINVAL) << "deleted";
}

TEST(RtMutex, TheLentPriorityGoesBackWhenItsWaiterGivesUp)
{
    rt_mutex_t mutex = rt_mutex_create("lent", RT_IPC_FLAG_PRIO);
    std::atomic<bool> release_now{false};
    RtJob owner("holder", 25, [&] {
        rt_mutex_take(mutex, RT_WAITING_FOREVER);
        while (!release_now)
            rt_thread_mdelay(1);
        rt_mutex_release(mutex);
    });
    ASSERT_TRUE(eventually([&] { return owner_of("lent") == "holder"; }));
    RtJob patient("patient", 15, [&] {
        if (rt_mutex_take(mutex, RT_WAITING_FOREVER) == RT_EOK)
            rt_mutex_release(mutex);
    });
    ASSERT_TRUE(eventually([&] { return waiters(mutex) == 1; }));
    std::atomic<rt_err_t> hurried{1};
    RtJob impatient("hurried", 8,
                    [&] { hurried = rt_mutex_take(mutex, rt_tick_from_millisecond(100)); });
    ASSERT_TRUE(eventually([&] { return priority_of("holder") == 8; }));
    ASSERT_TRUE(impatient.finished());
    EXPECT_EQ(hurried.load(), -RT_ETIMEOUT);
    EXPECT_EQ(priority_of("holder"), 15) << "the waiter still there lends its priority";
    release_now = true;
    ASSERT_TRUE(owner.finished());
    ASSERT_TRUE(patient.finished());
    rt_mutex_delete(mutex);
}
