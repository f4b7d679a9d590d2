// rthw.h's interrupt disabling and the scheduler lock on a host: one recursive lock that nests,
// reports its level, and keeps every other thread that takes it out until the last release.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <rthw.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace test_support;

TEST(RtCritical, LevelsNestAndUnwind)
{
    EXPECT_EQ(rt_critical_level(), 0);
    rt_enter_critical();
    rt_base_t level = rt_hw_interrupt_disable();
    EXPECT_EQ(level, 1) << "the level before: inside one rt_enter_critical";
    rt_enter_critical();
    EXPECT_EQ(rt_critical_level(), 3);
    rt_exit_critical();
    rt_hw_interrupt_enable(level);
    EXPECT_EQ(rt_critical_level(), 1);
    rt_exit_critical();
    EXPECT_EQ(rt_critical_level(), 0);
    rt_exit_critical(); // one too many does not unlock what this thread does not hold
    EXPECT_EQ(rt_critical_level(), 0);
}

TEST(RtCritical, OtherThreadsWaitUntilTheLastLevelIsReleased)
{
    rt_base_t outer = rt_hw_interrupt_disable();
    rt_enter_critical();
    std::atomic<bool> entered{false};
    std::atomic<int> tid{0};
    std::thread other([&] {
        tid = current_thread();
        rt_base_t level = rt_hw_interrupt_disable();
        entered = true;
        rt_hw_interrupt_enable(level);
    });
    ASSERT_TRUE(eventually([&] { return tid != 0; }));
    ASSERT_TRUE(blocked_soon(tid.load()));
    EXPECT_FALSE(entered.load());
    rt_exit_critical();
    EXPECT_FALSE(eventually([&] { return entered.load(); }, std::chrono::milliseconds(30)))
        << "one level is still held";
    rt_hw_interrupt_enable(outer);
    other.join();
    EXPECT_TRUE(entered.load());
    EXPECT_EQ(rt_interrupt_get_nest(), 0);
}
