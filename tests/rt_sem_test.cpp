// RT-Thread semaphores: the count, waiting with a timeout, a release waking the first waiter in
// FIFO or priority order, the value limit, reset, and deleting one waking its waiters with
// -RT_ERROR; a handle that is not a live semaphore is refused.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

using namespace test_support;

namespace
{

unsigned waiters(rt_sem_t sem)
{
    return static_cast<unsigned>(waiting_on(RT_Object_Class_Semaphore, sem->parent.parent.name));
}

} // namespace

TEST(RtSem, TakeCountsDownAndTryTakeFailsAtZero)
{
    struct rt_semaphore sem;
    ASSERT_EQ(rt_sem_init(&sem, "count", 2, RT_IPC_FLAG_FIFO), RT_EOK);
    EXPECT_EQ(rt_sem_take(&sem, RT_WAITING_FOREVER), RT_EOK);
    EXPECT_EQ(rt_sem_trytake(&sem), RT_EOK);
    EXPECT_EQ(rt_sem_trytake(&sem), -RT_ETIMEOUT);
    EXPECT_EQ(rt_sem_release(&sem), RT_EOK);
    EXPECT_EQ(rt_sem_trytake(&sem), RT_EOK) << "released once: one to take";
    EXPECT_EQ(rt_sem_detach(&sem), RT_EOK);
}

TEST(RtSem, TakeTimesOutNeverEarly)
{
    rt_sem_t sem = rt_sem_create("empty", 0, RT_IPC_FLAG_PRIO);
    ASSERT_NE(sem, nullptr);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(rt_sem_take(sem, rt_tick_from_millisecond(150)), -RT_ETIMEOUT);
    EXPECT_GE(elapsed_ms(start), 150);
    EXPECT_LT(elapsed_ms(start), 5000);
    EXPECT_EQ(waiters(sem), 0u) << "a thread that timed out left the queue";
    EXPECT_EQ(rt_sem_delete(sem), RT_EOK);
}

TEST(RtSem, ReleaseHandsTheCountToTheWaiter)
{
    rt_sem_t sem = rt_sem_create("handoff", 0, RT_IPC_FLAG_FIFO);
    std::atomic<rt_err_t> result{1};
    RtJob waiter("waiter", 10, [&] { result = rt_sem_take(sem, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return waiters(sem) == 1; }));
    EXPECT_EQ(rt_sem_release(sem), RT_EOK);
    ASSERT_TRUE(waiter.finished());
    EXPECT_EQ(result.load(), RT_EOK);
    EXPECT_EQ(rt_sem_trytake(sem), -RT_ETIMEOUT)
        << "the count went to the waiter, not into the semaphore";
    rt_sem_delete(sem);
}

TEST(RtSem, FifoWakesInArrivalOrderAndPrioByPriority)
{
    for (rt_uint8_t flag : {RT_IPC_FLAG_FIFO, RT_IPC_FLAG_PRIO})
    {
        rt_sem_t sem = rt_sem_create("order", 0, flag);
        std::mutex mutex;
        std::vector<int> woken;
        std::vector<std::unique_ptr<RtJob>> jobs;
        // Priorities 20, 15, 25 arrive in that order.
        for (int priority : {20, 15, 25})
        {
            jobs.push_back(std::make_unique<RtJob>("w", priority, [&, priority] {
                if (rt_sem_take(sem, RT_WAITING_FOREVER) == RT_EOK)
                {
                    std::lock_guard lock(mutex);
                    woken.push_back(priority);
                }
            }));
            ASSERT_TRUE(eventually([&] { return waiters(sem) == jobs.size(); }));
        }
        for (std::size_t i = 1; i <= 3; ++i)
        {
            rt_sem_release(sem);
            ASSERT_TRUE(eventually([&] {
                std::lock_guard lock(mutex);
                return woken.size() == i;
            }));
        }
        for (auto &job : jobs)
            ASSERT_TRUE(job->finished());
        std::vector<int> expected =
            flag == RT_IPC_FLAG_FIFO ? std::vector<int>{20, 15, 25} : std::vector<int>{15, 20, 25};
        EXPECT_EQ(woken, expected) << (flag == RT_IPC_FLAG_FIFO ? "FIFO" : "PRIO");
        rt_sem_delete(sem);
    }
}

TEST(RtSem, DeleteWakesEveryWaiterWithError)
{
    rt_sem_t sem = rt_sem_create("doomed", 0, RT_IPC_FLAG_FIFO);
    std::atomic<int> errors{0};
    std::vector<std::unique_ptr<RtJob>> jobs;
    for (int i = 0; i < 3; ++i)
        jobs.push_back(std::make_unique<RtJob>("w", 10, [&] {
            if (rt_sem_take(sem, RT_WAITING_FOREVER) == -RT_ERROR)
                ++errors;
        }));
    ASSERT_TRUE(eventually([&] { return waiters(sem) == 3; }));
    EXPECT_EQ(rt_sem_delete(sem), RT_EOK);
    for (auto &job : jobs)
        ASSERT_TRUE(job->finished());
    EXPECT_EQ(errors.load(), 3);
}

TEST(RtSem, DetachWakesWaitersOfAStaticSemaphore)
{
    struct rt_semaphore sem;
    rt_sem_init(&sem, "static", 0, RT_IPC_FLAG_PRIO);
    std::atomic<rt_err_t> result{1};
    RtJob waiter("w", 10, [&] { result = rt_sem_take(&sem, rt_tick_from_millisecond(60000)); });
    ASSERT_TRUE(eventually([&] { return waiters(&sem) == 1; }));
    EXPECT_EQ(rt_sem_detach(&sem), RT_EOK);
    ASSERT_TRUE(waiter.finished());
    EXPECT_EQ(result.load(), -RT_ERROR);
}

TEST(RtSem, ValueIsBoundedAndResetWakesWaiters)
{
    rt_sem_t full = rt_sem_create("full", RT_SEM_VALUE_MAX, RT_IPC_FLAG_FIFO);
    EXPECT_EQ(rt_sem_release(full), -RT_EFULL);
    EXPECT_EQ(rt_sem_create("toobig", RT_SEM_VALUE_MAX + 1, RT_IPC_FLAG_FIFO), nullptr);
    rt_sem_delete(full);

    rt_sem_t sem = rt_sem_create("reset", 0, RT_IPC_FLAG_FIFO);
    std::atomic<rt_err_t> result{1};
    RtJob waiter("w", 10, [&] { result = rt_sem_take(sem, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return waiters(sem) == 1; }));
    EXPECT_EQ(rt_sem_control(sem, RT_IPC_CMD_RESET, reinterpret_cast<void *>(3)), RT_EOK);
    ASSERT_TRUE(waiter.finished());
    EXPECT_EQ(result.load(), -RT_ERROR);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(rt_sem_trytake(sem), RT_EOK);
    EXPECT_EQ(rt_sem_trytake(sem), -RT_ETIMEOUT) << "reset to 3";
    rt_sem_delete(sem);
}

TEST(RtSem, HandlesThatAreNotLiveSemaphoresAreRefused)
{
    struct rt_semaphore never = {};
    EXPECT_EQ(rt_sem_take(&never, 0), -RT_EINVAL);
    EXPECT_EQ(rt_sem_release(&never), -RT_EINVAL);
    EXPECT_EQ(rt_sem_detach(RT_NULL), -RT_EINVAL);
    struct rt_semaphore sem;
    rt_sem_init(&sem, "twice", 1, RT_IPC_FLAG_FIFO);
    EXPECT_EQ(rt_sem_delete(&sem), -RT_EINVAL) << "a static semaphore is detached, not deleted";
    EXPECT_EQ(rt_sem_detach(&sem), RT_EOK);
    EXPECT_EQ(rt_sem_detach(&sem), -RT_EINVAL) << "detached twice";
    EXPECT_EQ(rt_sem_take(&sem, 0), -RT_EINVAL) << "used after detach";
    struct rt_mutex mutex;
    rt_mutex_init(&mutex, "notasem", RT_IPC_FLAG_FIFO);
    EXPECT_EQ(rt_sem_release(reinterpret_cast<rt_sem_t>(&mutex)), -RT_EINVAL) << "another class";
    rt_mutex_detach(&mutex);
    EXPECT_EQ(rt_sem_init(&sem, "flag", 0, 7), -RT_EINVAL);
}
