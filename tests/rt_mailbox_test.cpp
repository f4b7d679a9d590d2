// RT-Thread mailboxes: mails come out in order, an urgent one first; a full mailbox refuses
// rt_mb_send with -RT_EFULL and makes rt_mb_send_wait wait for room; receiving times out; and
// deleting one wakes waiting senders and receivers with -RT_ERROR.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <gtest/gtest.h>

#include <atomic>

using namespace test_support;

TEST(RtMailbox, MailsComeOutInOrderUrgentFirst)
{
    struct rt_mailbox mb;
    rt_ubase_t pool[4];
    ASSERT_EQ(rt_mb_init(&mb, "order", pool, 4, RT_IPC_FLAG_FIFO), RT_EOK);
    rt_mb_send(&mb, 1);
    rt_mb_send(&mb, 2);
    rt_mb_urgent(&mb, 99);
    rt_ubase_t value = 0;
    for (rt_ubase_t expected : {99ul, 1ul, 2ul})
    {
        ASSERT_EQ(rt_mb_recv(&mb, &value, RT_WAITING_NO), RT_EOK);
        EXPECT_EQ(value, expected);
    }
    EXPECT_EQ(rt_mb_recv(&mb, &value, RT_WAITING_NO), -RT_ETIMEOUT) << "empty";
    EXPECT_EQ(rt_mb_detach(&mb), RT_EOK);
}

TEST(RtMailbox, FullRefusesSendAndSendWaitWaitsForRoom)
{
    rt_mailbox_t mb = rt_mb_create("full", 2, RT_IPC_FLAG_FIFO);
    ASSERT_NE(mb, nullptr);
    EXPECT_EQ(rt_mb_send(mb, 1), RT_EOK);
    EXPECT_EQ(rt_mb_send(mb, 2), RT_EOK);
    EXPECT_EQ(rt_mb_send(mb, 3), -RT_EFULL);
    EXPECT_EQ(rt_mb_urgent(mb, 3), -RT_EFULL);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(rt_mb_send_wait(mb, 3, rt_tick_from_millisecond(80)), -RT_ETIMEOUT);
    EXPECT_GE(elapsed_ms(start), 80);
    std::atomic<rt_err_t> result{1};
    RtJob sender("sender", 10, [&] { result = rt_mb_send_wait(mb, 3, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return suspended("sender"); }));
    rt_ubase_t value = 0;
    ASSERT_EQ(rt_mb_recv(mb, &value, RT_WAITING_FOREVER), RT_EOK);
    ASSERT_TRUE(sender.finished());
    EXPECT_EQ(result.load(), RT_EOK);
    for (rt_ubase_t expected : {2ul, 3ul})
    {
        ASSERT_EQ(rt_mb_recv(mb, &value, RT_WAITING_NO), RT_EOK);
        EXPECT_EQ(value, expected);
    }
    rt_mb_delete(mb);
}

TEST(RtMailbox, ReceiveWaitsForAMailAndTimesOutNeverEarly)
{
    rt_mailbox_t mb = rt_mb_create("recv", 4, RT_IPC_FLAG_PRIO);
    auto start = std::chrono::steady_clock::now();
    rt_ubase_t value = 0;
    EXPECT_EQ(rt_mb_recv(mb, &value, rt_tick_from_millisecond(100)), -RT_ETIMEOUT);
    EXPECT_GE(elapsed_ms(start), 100);
    std::atomic<rt_ubase_t> got{0};
    RtJob receiver("receiver", 10, [&] {
        rt_ubase_t mail = 0;
        if (rt_mb_recv(mb, &mail, RT_WAITING_FOREVER) == RT_EOK)
            got = mail;
    });
    ASSERT_TRUE(eventually([&] { return waiting_on(RT_Object_Class_MailBox, "recv") == 1; }));
    rt_mb_send(mb, 0xabcd);
    ASSERT_TRUE(receiver.finished());
    EXPECT_EQ(got.load(), 0xabcdu);
    rt_mb_delete(mb);
}

TEST(RtMailbox, DeleteWakesSendersAndReceiversWithError)
{
    rt_mailbox_t empty = rt_mb_create("empty", 1, RT_IPC_FLAG_FIFO);
    rt_mailbox_t full = rt_mb_create("fullbox", 1, RT_IPC_FLAG_FIFO);
    rt_mb_send(full, 1);
    std::atomic<rt_err_t> received{1}, sent{1};
    RtJob receiver("r", 10, [&] {
        rt_ubase_t value;
        received = rt_mb_recv(empty, &value, RT_WAITING_FOREVER);
    });
    RtJob sender("s", 10, [&] { sent = rt_mb_send_wait(full, 2, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return waiting_on(RT_Object_Class_MailBox, "empty") == 1; }));
    ASSERT_TRUE(eventually([&] { return suspended("s"); }));
    EXPECT_EQ(rt_mb_delete(empty), RT_EOK);
    EXPECT_EQ(rt_mb_delete(full), RT_EOK);
    ASSERT_TRUE(receiver.finished());
    ASSERT_TRUE(sender.finished());
    EXPECT_EQ(received.load(), -RT_ERROR);
    EXPECT_EQ(sent.load(), -RT_ERROR);
}
