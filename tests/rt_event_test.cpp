// RT-Thread events: OR receives the flags that matched, AND waits for all of them, CLEAR takes
// the received flags away, one send wakes every waiter it satisfies, waits time out, and
// deleting an event wakes its waiters with -RT_ERROR.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <gtest/gtest.h>

#include <atomic>

using namespace test_support;

namespace
{

int waiters(rt_event_t event)
{
    return waiting_on(RT_Object_Class_Event, event->parent.parent.name);
}

} // namespace

TEST(RtEvent, OrReceivesWhatMatchedAndClearTakesItAway)
{
    struct rt_event event;
    ASSERT_EQ(rt_event_init(&event, "or", RT_IPC_FLAG_FIFO), RT_EOK);
    rt_event_send(&event, 0x5);
    rt_uint32_t got = 0;
    EXPECT_EQ(rt_event_recv(&event, 0x6, RT_EVENT_FLAG_OR, RT_WAITING_NO, &got), RT_EOK);
    EXPECT_EQ(got, 0x4u);
    EXPECT_EQ(rt_event_recv(&event, 0x4, RT_EVENT_FLAG_OR | RT_EVENT_FLAG_CLEAR, 0, &got), RT_EOK)
        << "without CLEAR the flag stayed";
    EXPECT_EQ(rt_event_recv(&event, 0x4, RT_EVENT_FLAG_OR, 0, &got), -RT_ETIMEOUT) << "cleared";
    EXPECT_EQ(rt_event_recv(&event, 0x1, RT_EVENT_FLAG_OR, 0, &got), RT_EOK) << "kept";
    EXPECT_EQ(rt_event_detach(&event), RT_EOK);
}

TEST(RtEvent, AndWaitsForEveryFlag)
{
    rt_event_t event = rt_event_create("and", RT_IPC_FLAG_FIFO);
    std::atomic<rt_uint32_t> got{0};
    std::atomic<rt_err_t> result{1};
    RtJob job("w", 10, [&] {
        rt_uint32_t received = 0;
        result = rt_event_recv(event, 0x3, RT_EVENT_FLAG_AND | RT_EVENT_FLAG_CLEAR,
                               RT_WAITING_FOREVER, &received);
        got = received;
    });
    ASSERT_TRUE(eventually([&] { return waiters(event) == 1; }));
    rt_event_send(event, 0x1);
    EXPECT_FALSE(job.finished(std::chrono::milliseconds(50))) << "one of two flags";
    rt_event_send(event, 0x2 | 0x8);
    ASSERT_TRUE(job.finished());
    EXPECT_EQ(result.load(), RT_EOK);
    EXPECT_EQ(got.load(), 0x3u);
    rt_uint32_t left = 0;
    EXPECT_EQ(rt_event_recv(event, 0xff, RT_EVENT_FLAG_OR, 0, &left), RT_EOK);
    EXPECT_EQ(left, 0x8u) << "the waiter cleared what it got, the rest stays";
    rt_event_delete(event);
}

TEST(RtEvent, OneSendWakesEverySatisfiedWaiter)
{
    rt_event_t event = rt_event_create("many", RT_IPC_FLAG_PRIO);
    std::atomic<int> woken{0};
    auto wait_for = [&](rt_uint32_t set) {
        return [&, set] {
            if (rt_event_recv(event, set, RT_EVENT_FLAG_OR, RT_WAITING_FOREVER, RT_NULL) == RT_EOK)
                ++woken;
        };
    };
    RtJob a("a", 10, wait_for(0x1)), b("b", 10, wait_for(0x1 | 0x2)), c("c", 10, wait_for(0x4));
    ASSERT_TRUE(eventually([&] { return waiters(event) == 3; }));
    rt_event_send(event, 0x1);
    ASSERT_TRUE(a.finished());
    ASSERT_TRUE(b.finished());
    EXPECT_EQ(woken.load(), 2);
    EXPECT_EQ(waiters(event), 1) << "c wants 0x4";
    rt_event_delete(event);
    ASSERT_TRUE(c.finished());
}

TEST(RtEvent, ReceiveTimesOutNeverEarly)
{
    rt_event_t event = rt_event_create("quiet", RT_IPC_FLAG_FIFO);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(rt_event_recv(event, 0x1, RT_EVENT_FLAG_OR, rt_tick_from_millisecond(100), RT_NULL),
              -RT_ETIMEOUT);
    EXPECT_GE(elapsed_ms(start), 100);
    EXPECT_EQ(rt_event_recv(event, 0, RT_EVENT_FLAG_OR, 0, RT_NULL), -RT_EINVAL) << "no flags";
    EXPECT_EQ(rt_event_recv(event, 1, RT_EVENT_FLAG_AND | RT_EVENT_FLAG_OR, 0, RT_NULL),
              -RT_EINVAL);
    rt_event_delete(event);
}

TEST(RtEvent, DeleteWakesWaitersWithError)
{
    rt_event_t event = rt_event_create("doomed", RT_IPC_FLAG_FIFO);
    std::atomic<rt_err_t> result{1};
    RtJob job("w", 10, [&] {
        result = rt_event_recv(event, 0x1, RT_EVENT_FLAG_OR, RT_WAITING_FOREVER, RT_NULL);
    });
    ASSERT_TRUE(eventually([&] { return waiters(event) == 1; }));
    EXPECT_EQ(rt_event_delete(event), RT_EOK);
    ASSERT_TRUE(job.finished());
    EXPECT_EQ(result.load(), -RT_ERROR);
}
