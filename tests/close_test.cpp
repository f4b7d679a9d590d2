// tcpserver_close: the peer sees end of stream, DISCONNECT fires once, and every thread
// blocked on that client wakes up with -RT_EIO.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace test_support;

namespace
{
std::atomic<int> disconnects{0};
void count_disconnects(tcpclient_t, rt_uint8_t event)
{
    disconnects += event == TCPSERVER_EVENT_DISCONNECT;
}

struct Connected
{
    ServerPtr server = create_server();
    // A small window, so a send to a peer that does not read blocks soon.
    LoopbackClient peer{test_support::server_ip(), server ? server->port : std::uint16_t(0), kPatience, 4096};
    tcpclient_t client = server ? tcpserver_accept(server.get(), 10000) : nullptr;
};
} // namespace

TEST(Close, PeerSeesEndOfStreamAndDisconnectFiresOnce)
{
    disconnects = 0;
    Connected c;
    ASSERT_NE(c.client, nullptr);
    tcpserver_set_notify_callback(c.server.get(), count_disconnects);
    EXPECT_EQ(tcpserver_close(c.client), RT_EOK);
    EXPECT_TRUE(c.peer.sees_eof());
    EXPECT_TRUE(eventually([] { return disconnects.load() == 1; }));
    struct tcpserver_stats stats;
    EXPECT_TRUE(eventually([&] {
        tcpserver_get_stats(c.server.get(), &stats);
        return stats.clients == 0;
    }));
    EXPECT_EQ(disconnects.load(), 1);
}

TEST(Close, WakesABlockedRecv)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    std::atomic<bool> returned{false};
    std::atomic<rt_err_t> error{RT_EOK};
    std::atomic<int> receiver_tid{0};
    std::thread receiver([&] {
        receiver_tid = current_thread();
        char buffer[16];
        tcpserver_recv(c.client, buffer, sizeof buffer, RT_WAITING_FOREVER);
        error = rt_get_errno();
        returned = true;
    });
    // The handle may be closed only once the receiver is inside its call.
    ASSERT_TRUE(eventually([&] { return receiver_tid.load() != 0; }));
    ASSERT_TRUE(blocked_soon(receiver_tid));
    tcpserver_close(c.client);
    receiver.join();
    EXPECT_TRUE(returned.load());
    EXPECT_EQ(error.load(), -RT_EIO);
}

TEST(Close, WakesABlockedSend)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    std::string flood(64 * 1024 * 1024, 'f');
    std::atomic<rt_err_t> error{RT_EOK};
    std::atomic<int> sender_tid{0};
    std::thread sender([&] {
        sender_tid = current_thread();
        tcpserver_send(c.client, flood.data(), flood.size(), RT_WAITING_FOREVER);
        error = rt_get_errno();
    });
    ASSERT_TRUE(eventually([&] { return sender_tid.load() != 0; }));
    ASSERT_TRUE(blocked_soon(sender_tid));
    tcpserver_close(c.client);
    sender.join();
    EXPECT_EQ(error.load(), -RT_EIO);
}

TEST(Close, RejectsNull)
{
    EXPECT_EQ(tcpserver_close(nullptr), -RT_EINVAL);
}
