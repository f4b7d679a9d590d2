// RT-Thread message queues: copies of messages in order (urgent ones first), their lengths
// returned, a message too long refused, a full queue refusing rt_mq_send and making
// rt_mq_send_wait wait, receiving timing out, and deletion waking both sides with -RT_ERROR.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>

using namespace test_support;

namespace
{

std::string receive(rt_mq_t mq, rt_int32_t timeout, rt_ssize_t &result)
{
    char buffer[64] = {};
    result = rt_mq_recv(mq, buffer, sizeof buffer, timeout);
    return result > 0 ? std::string(buffer, static_cast<std::size_t>(result)) : std::string();
}

} // namespace

TEST(RtMq, MessagesAreCopiedInOrderUrgentFirstWithTheirLengths)
{
    struct rt_messagequeue mq;
    static char pool[RT_MQ_BUF_SIZE(16, 4)];
    ASSERT_EQ(rt_mq_init(&mq, "order", pool, 16, sizeof pool, RT_IPC_FLAG_FIFO), RT_EOK);
    EXPECT_EQ(mq.max_msgs, 4u) << "RT_MQ_BUF_SIZE(16, 4) holds four messages";
    char message[16];
    std::strcpy(message, "first");
    rt_mq_send(&mq, message, 5);
    std::strcpy(message, "scribbled"); // the queue kept a copy
    rt_mq_send(&mq, "second!", 7);
    rt_mq_urgent(&mq, "now", 3);
    rt_ssize_t length;
    EXPECT_EQ(receive(&mq, 0, length), "now");
    EXPECT_EQ(length, 3);
    EXPECT_EQ(receive(&mq, 0, length), "first");
    EXPECT_EQ(receive(&mq, 0, length), "second!");
    EXPECT_EQ(receive(&mq, 0, length), "");
    EXPECT_EQ(length, -RT_ETIMEOUT);
    EXPECT_EQ(rt_mq_send(&mq, "seventeen bytes!!", 17), -RT_ERROR) << "longer than msg_size";
    EXPECT_EQ(rt_mq_detach(&mq), RT_EOK);
}

TEST(RtMq, ALongMessageIsCutToTheBuffer)
{
    rt_mq_t mq = rt_mq_create("cut", 32, 2, RT_IPC_FLAG_FIFO);
    rt_mq_send(mq, "0123456789", 10);
    char small[4];
    EXPECT_EQ(rt_mq_recv(mq, small, sizeof small, 0), 4);
    EXPECT_EQ(std::string(small, 4), "0123");
    rt_mq_delete(mq);
}

TEST(RtMq, FullRefusesSendAndSendWaitWaitsForRoom)
{
    rt_mq_t mq = rt_mq_create("full", 8, 2, RT_IPC_FLAG_PRIO);
    ASSERT_NE(mq, nullptr);
    EXPECT_EQ(rt_mq_send(mq, "a", 1), RT_EOK);
    EXPECT_EQ(rt_mq_send(mq, "b", 1), RT_EOK);
    EXPECT_EQ(rt_mq_send(mq, "c", 1), -RT_EFULL);
    EXPECT_EQ(rt_mq_urgent(mq, "c", 1), -RT_EFULL);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(rt_mq_send_wait(mq, "c", 1, rt_tick_from_millisecond(80)), -RT_ETIMEOUT);
    EXPECT_GE(elapsed_ms(start), 80);
    std::atomic<rt_err_t> result{1};
    RtJob sender("sender", 10, [&] { result = rt_mq_send_wait(mq, "c", 1, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return suspended("sender"); }));
    rt_ssize_t length;
    EXPECT_EQ(receive(mq, RT_WAITING_FOREVER, length), "a");
    ASSERT_TRUE(sender.finished());
    EXPECT_EQ(result.load(), RT_EOK);
    EXPECT_EQ(receive(mq, 0, length), "b");
    EXPECT_EQ(receive(mq, 0, length), "c");
    rt_mq_delete(mq);
}

TEST(RtMq, ReceiveWaitsAndTimesOutNeverEarly)
{
    rt_mq_t mq = rt_mq_create("recv", 8, 2, RT_IPC_FLAG_FIFO);
    rt_ssize_t length;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(receive(mq, rt_tick_from_millisecond(100), length), "");
    EXPECT_EQ(length, -RT_ETIMEOUT);
    EXPECT_GE(elapsed_ms(start), 100);
    std::string got;
    RtJob receiver("receiver", 10, [&] {
        rt_ssize_t n;
        got = receive(mq, RT_WAITING_FOREVER, n);
    });
    ASSERT_TRUE(eventually([&] { return waiting_on(RT_Object_Class_MessageQueue, "recv") == 1; }));
    rt_mq_send(mq, "hello", 5);
    ASSERT_TRUE(receiver.finished());
    EXPECT_EQ(got, "hello");
    rt_mq_delete(mq);
}

TEST(RtMq, DeleteWakesBothSidesWithError)
{
    rt_mq_t empty = rt_mq_create("empty", 8, 1, RT_IPC_FLAG_FIFO);
    rt_mq_t full = rt_mq_create("fullq", 8, 1, RT_IPC_FLAG_FIFO);
    rt_mq_send(full, "x", 1);
    std::atomic<rt_ssize_t> received{1};
    std::atomic<rt_err_t> sent{1};
    RtJob receiver("r", 10, [&] {
        char buffer[8];
        received = rt_mq_recv(empty, buffer, sizeof buffer, RT_WAITING_FOREVER);
    });
    RtJob sender("s", 10, [&] { sent = rt_mq_send_wait(full, "y", 1, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return suspended("r") && suspended("s"); }));
    EXPECT_EQ(rt_mq_delete(empty), RT_EOK);
    EXPECT_EQ(rt_mq_delete(full), RT_EOK);
    ASSERT_TRUE(receiver.finished());
    ASSERT_TRUE(sender.finished());
    EXPECT_EQ(received.load(), -RT_ERROR);
    EXPECT_EQ(sent.load(), -RT_ERROR);
}
