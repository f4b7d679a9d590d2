// RT-Thread threads: created suspended and run by rt_thread_startup with their name, priority
// and a stack Linux code can use; a thread whose entry returns is cleaned up as on RT-Thread;
// delete and detach end a thread that waits; suspend and resume; delays never early; priority
// changes; and threads the kernel did not start are known by rt_thread_self.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

using namespace test_support;

namespace
{

struct Seen
{
    std::atomic<rt_thread_t> self{nullptr};
    std::atomic<std::size_t> stack{0};
    std::atomic<int> nice{100};
    char name[32] = {};
    std::atomic<bool> ran{false};
    std::atomic<bool> go_on{false};
    std::atomic<bool> after_wait{false};
    std::atomic<int> cleanups{0};
};

void observe(void *parameter)
{
    auto *seen = static_cast<Seen *>(parameter);
    seen->self = rt_thread_self();
    pthread_attr_t attributes;
    pthread_getattr_np(pthread_self(), &attributes);
    std::size_t size = 0;
    pthread_attr_getstacksize(&attributes, &size);
    pthread_attr_destroy(&attributes);
    seen->stack = size;
    pthread_getname_np(pthread_self(), seen->name, sizeof seen->name);
    seen->nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
    seen->ran = true;
}

void wait_forever(void *parameter)
{
    auto *seen = static_cast<Seen *>(parameter);
    seen->ran = true;
    rt_thread_mdelay(60000);
    seen->after_wait = true; // never reached: the thread was deleted while waiting
}

void count_cleanup(rt_thread_t thread)
{
    auto *seen = static_cast<Seen *>(thread->parameter);
    ++seen->cleanups;
}

} // namespace

TEST(RtThread, StartupRunsTheEntryWithNameAndARealStack)
{
    Seen seen;
    rt_thread_t thread = rt_thread_create("observer", observe, &seen, 1024, 12, 10);
    ASSERT_NE(thread, nullptr);
    EXPECT_EQ(rt_thread_find(const_cast<char *>("observe")), thread) << "RT_NAME_MAX - 1 kept";
    EXPECT_FALSE(seen.ran.load()) << "created suspended";
    EXPECT_EQ(rt_thread_startup(thread), RT_EOK);
    ASSERT_TRUE(eventually([&] { return seen.ran.load(); }));
    EXPECT_EQ(seen.self.load(), thread);
    EXPECT_GE(seen.stack.load(), 256u * 1024) << "a board-sized stack is raised";
    EXPECT_STREQ(seen.name, "observe");
    EXPECT_EQ(seen.nice.load(), 0) << "priority 12 of 32 is nice 0";
}

TEST(RtThread, AThreadWhoseEntryReturnsIsCleanedUp)
{
    Seen seen;
    rt_thread_t thread = rt_thread_create("ender", observe, &seen, 2048, 20, 10);
    thread->cleanup = count_cleanup;
    rt_thread_startup(thread);
    ASSERT_TRUE(eventually([&] { return seen.cleanups.load() == 1; }));
    EXPECT_TRUE(eventually([] { return rt_thread_find(const_cast<char *>("ender")) == RT_NULL; }))
        << "gone from the thread list";
}

TEST(RtThread, StaticThreadsRunOnTheCallersStructAndDetach)
{
    static struct rt_thread thread;
    static rt_uint8_t stack[1024];
    Seen seen;
    ASSERT_EQ(rt_thread_init(&thread, "static", wait_forever, &seen, stack, sizeof stack, 15, 10),
              RT_EOK);
    EXPECT_EQ(thread.stack_addr, stack);
    thread.cleanup = count_cleanup;
    ASSERT_EQ(rt_thread_startup(&thread), RT_EOK);
    EXPECT_EQ(rt_thread_startup(&thread), -RT_ERROR) << "started once";
    ASSERT_TRUE(eventually([&] { return suspended("static"); }));
    EXPECT_EQ(rt_thread_delete(&thread), -RT_EINVAL) << "a static thread is detached";
    EXPECT_EQ(rt_thread_detach(&thread), RT_EOK);
    ASSERT_TRUE(eventually([&] { return seen.cleanups.load() == 1; }));
    EXPECT_FALSE(seen.after_wait.load());
}

TEST(RtThread, DeleteEndsAThreadThatWaits)
{
    Seen seen;
    rt_thread_t thread = rt_thread_create("victim", wait_forever, &seen, 2048, 15, 10);
    thread->cleanup = count_cleanup;
    rt_thread_startup(thread);
    ASSERT_TRUE(eventually([&] { return suspended("victim"); }));
    EXPECT_EQ(rt_thread_delete(thread), RT_EOK);
    ASSERT_TRUE(eventually([&] { return seen.cleanups.load() == 1; }));
    EXPECT_FALSE(seen.after_wait.load()) << "its code after the wait never ran";
    EXPECT_EQ(rt_thread_find(const_cast<char *>("victim")), nullptr);
}

TEST(RtThread, DeletingItselfEndsAtOnce)
{
    std::atomic<bool> after{false};
    RtJob job("selfdel", 15, [&] {
        rt_thread_delete(rt_thread_self());
        after = true;
    });
    ASSERT_TRUE(
        eventually([] { return rt_thread_find(const_cast<char *>("selfdel")) == RT_NULL; }));
    EXPECT_FALSE(after.load());
}

TEST(RtThread, SuspendedThreadRunsOnWhenResumed)
{
    std::atomic<rt_err_t> result{1};
    RtJob job("sleeper", 15, [&] { result = rt_thread_suspend(rt_thread_self()); });
    ASSERT_TRUE(eventually([&] { return suspended("sleeper"); }));
    EXPECT_FALSE(job.finished(std::chrono::milliseconds(30)));
    EXPECT_EQ(rt_thread_resume(job.thread()), RT_EOK);
    ASSERT_TRUE(job.finished());
    EXPECT_EQ(result.load(), RT_EOK);
}

TEST(RtThread, ResumeCutsADelayShortAndSaysSo)
{
    std::atomic<rt_err_t> result{1};
    RtJob job("napper", 15, [&] { result = rt_thread_delay(rt_tick_from_millisecond(60000)); });
    ASSERT_TRUE(eventually([&] { return suspended("napper"); }));
    EXPECT_EQ(rt_thread_resume(job.thread()), RT_EOK);
    ASSERT_TRUE(job.finished());
    EXPECT_EQ(result.load(), -RT_EINTR);
    EXPECT_EQ(rt_thread_resume(rt_thread_self()), -RT_ERROR) << "not suspended";
}

TEST(RtThread, AnotherThreadIsSuspendedAtItsNextWait)
{
    std::atomic<bool> stop{false};
    std::atomic<int> rounds{0};
    RtJob job("busy", 15, [&] {
        while (!stop)
        {
            ++rounds;
            rt_thread_yield();
        }
    });
    ASSERT_TRUE(eventually([&] { return rounds.load() > 0; }));
    EXPECT_EQ(rt_thread_suspend(job.thread()), RT_EOK);
    ASSERT_TRUE(eventually([&] { return suspended("busy"); }));
    int frozen = rounds.load();
    EXPECT_FALSE(eventually([&] { return rounds.load() > frozen; }, std::chrono::milliseconds(50)));
    stop = true;
    EXPECT_EQ(rt_thread_resume(job.thread()), RT_EOK);
    ASSERT_TRUE(job.finished());
}

TEST(RtThread, DelaysAreNeverEarly)
{
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(rt_thread_mdelay(80), RT_EOK);
    EXPECT_GE(elapsed_ms(start), 80);
    start = std::chrono::steady_clock::now();
    EXPECT_EQ(rt_thread_delay(rt_tick_from_millisecond(50)), RT_EOK);
    EXPECT_GE(elapsed_ms(start), 50);
    rt_tick_t tick = rt_tick_get();
    rt_tick_t first = tick;
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(rt_thread_delay_until(&tick, rt_tick_from_millisecond(30)), RT_EOK);
    EXPECT_EQ(tick - first, 3 * rt_tick_from_millisecond(30)) << "periods add up exactly";
    EXPECT_GE(rt_tick_get() - first, 3 * rt_tick_from_millisecond(30));
}

TEST(RtThread, ControlChangesThePriority)
{
    std::atomic<bool> go_on{false};
    std::atomic<int> nice{100};
    RtJob job("prio", 12, [&] {
        while (!go_on)
            rt_thread_mdelay(1);
        nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
    });
    rt_uint8_t priority = 20;
    EXPECT_EQ(rt_thread_control(job.thread(), RT_THREAD_CTRL_CHANGE_PRIORITY, &priority), RT_EOK);
    EXPECT_EQ(priority_of("prio"), 20);
    go_on = true;
    ASSERT_TRUE(job.finished());
    EXPECT_EQ(nice.load(), 8) << "priority 20 of 32 is nice 8";
    rt_uint8_t too_high = RT_THREAD_PRIORITY_MAX;
    EXPECT_EQ(rt_thread_control(rt_thread_self(), RT_THREAD_CTRL_CHANGE_PRIORITY, &too_high),
              -RT_EINVAL);
}

TEST(RtThread, ThreadsTheKernelDidNotStartAreKnownToo)
{
    rt_thread_t self = rt_thread_self();
    ASSERT_NE(self, nullptr);
    EXPECT_EQ(rt_thread_self(), self) << "the same object every time";
    EXPECT_EQ(rt_thread_delete(self), -RT_ERROR) << "not the kernel's to end";
    rt_thread_t other = RT_NULL;
    std::thread foreign([&] {
        pthread_setname_np(pthread_self(), "foreign");
        other = rt_thread_self();
        EXPECT_NE(rt_thread_find(const_cast<char *>("foreign")), nullptr);
    });
    foreign.join();
    EXPECT_NE(other, nullptr);
    EXPECT_NE(other, self);
    EXPECT_TRUE(eventually([] { return rt_thread_find(const_cast<char *>("foreign")) == RT_NULL; }))
        << "forgotten when the thread ends";
}

TEST(RtThread, BadArgumentsAreRefused)
{
    EXPECT_EQ(rt_thread_create("noentry", RT_NULL, RT_NULL, 1024, 10, 10), nullptr);
    EXPECT_EQ(rt_thread_create("badprio", observe, RT_NULL, 1024, RT_THREAD_PRIORITY_MAX, 10),
              nullptr);
    struct rt_thread never = {};
    EXPECT_EQ(rt_thread_startup(&never), -RT_EINVAL);
    EXPECT_EQ(rt_thread_resume(&never), -RT_EINVAL);
    EXPECT_EQ(rt_thread_delay_until(RT_NULL, 1), -RT_EINVAL);
}
