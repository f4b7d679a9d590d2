// tcpserver_send: writes everything unless the timeout expires or the peer is gone, returning
// the bytes written; never raises SIGPIPE; a peer that never reads makes only its own send wait.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <chrono>
#include <thread>

using namespace test_support;
using Clock = std::chrono::steady_clock;

namespace
{

struct Connected
{
    explicit Connected(ServerPtr s, int receive_buffer = 0)
        : server(std::move(s)), receive_buffer(receive_buffer)
    {
    }
    Connected() : Connected(create_server()) {}
    ServerPtr server;
    int receive_buffer;
    LoopbackClient peer{test_support::server_ip(), server ? server->port : std::uint16_t(0), kPatience,
                        receive_buffer};
    tcpclient_t client = server ? tcpserver_accept(server.get(), 10000) : nullptr;
};

ServerPtr server_for(int clients)
{
    return create_server_with(loopback_config(clients));
}

} // namespace

TEST(Send, WritesEverythingToAReadingPeer)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    std::string data = random_bytes(16 * 1024 * 1024, 21);
    std::string received;
    std::thread reader(
        [&] { received = c.peer.recv_exact(data.size(), std::chrono::seconds(60)); });
    EXPECT_EQ(tcpserver_send(c.client, data.data(), data.size(), RT_WAITING_FOREVER), data.size());
    reader.join();
    EXPECT_TRUE(received == data);
    tcpserver_close(c.client);
}

TEST(Send, PeerThatNeverReadsGetsPartialCountAtTimeout)
{
    Connected c(server_for(2), 4096);
    ASSERT_NE(c.client, nullptr);
    std::string data = random_bytes(64 * 1024 * 1024, 22);
    auto start = Clock::now();
    rt_size_t sent = tcpserver_send(c.client, data.data(), data.size(), 300);
    auto took = Clock::now() - start;
    EXPECT_GT(sent, 0u);
    EXPECT_LT(sent, data.size());
    EXPECT_EQ(rt_get_errno(), -RT_ETIMEOUT);
    EXPECT_GE(took, std::chrono::milliseconds(300));
    // What was reported as sent is exactly what the peer gets, in order.
    std::string received = c.peer.recv_exact(sent, std::chrono::seconds(30));
    EXPECT_TRUE(received == data.substr(0, sent));
    tcpserver_close(c.client);
}

TEST(Send, StuckPeerHoldsUpNeitherWorkerNorOtherClients)
{
    ServerPtr server = server_for(2);
    ASSERT_NE(server, nullptr);
    LoopbackClient stuck(test_support::server_ip(), server->port, kPatience, 4096);
    tcpclient_t stuck_client = tcpserver_accept(server.get(), 10000);
    LoopbackClient other(test_support::server_ip(), server->port);
    tcpclient_t other_client = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(stuck_client, nullptr);
    ASSERT_NE(other_client, nullptr);

    std::string flood = random_bytes(64 * 1024 * 1024, 23);
    std::atomic<int> sender_tid{0};
    std::thread blocked([&] {
        sender_tid = current_thread();
        tcpserver_send(stuck_client, flood.data(), flood.size(), RT_WAITING_FOREVER);
    });
    // The handle may be closed only once the sender is inside its call.
    bool sender_blocked =
        eventually([&] { return sender_tid.load() != 0; }) && blocked_soon(sender_tid);
    EXPECT_TRUE(sender_blocked);
    // While that send waits forever, the other client is served as usual.
    for (int i = 0; sender_blocked && i < 50; ++i)
    {
        std::string message = "message " + std::to_string(i);
        char buffer[64];
        rt_size_t n = other.send_all(message)
                          ? tcpserver_recv(other_client, buffer, sizeof buffer, 10000)
                          : 0;
        bool echoed = n == message.size() && std::string(buffer, n) == message &&
                      tcpserver_send(other_client, buffer, n, 10000) == n &&
                      other.recv_exact(n) == message;
        EXPECT_TRUE(echoed) << "message " << i;
        if (!echoed)
            break;
    }
    tcpserver_close(stuck_client); // wakes the blocked send
    blocked.join();
    tcpserver_close(other_client);
}

TEST(Send, PeerGoneGivesEioAndNoSigpipe)
{
    ASSERT_EQ(std::signal(SIGPIPE, SIG_DFL), SIG_DFL) << "tests keep SIGPIPE's default: it kills";
    Connected c;
    ASSERT_NE(c.client, nullptr);
    c.peer.reset();
    std::string data(65536, 'x');
    // The reset may take a moment to be seen; every send either succeeds into the socket
    // buffer or fails with -RT_EIO, and the process is never killed.
    ASSERT_TRUE(eventually([&] {
        rt_size_t n = tcpserver_send(c.client, data.data(), data.size(), 1000);
        return n < data.size() && rt_get_errno() == -RT_EIO;
    }));
    tcpserver_close(c.client);
}

TEST(Send, ZeroTimeoutWritesWhatFitsNow)
{
    Connected c(server_for(2), 4096);
    ASSERT_NE(c.client, nullptr);
    std::string data = random_bytes(64 * 1024 * 1024, 24);
    rt_size_t sent = tcpserver_send(c.client, data.data(), data.size(), RT_WAITING_NO);
    EXPECT_LT(sent, data.size());
    EXPECT_EQ(rt_get_errno(), -RT_ETIMEOUT);
    tcpserver_close(c.client);
}

TEST(Send, RejectsBadArguments)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    char byte = 'x';
    EXPECT_EQ(tcpserver_send(nullptr, &byte, 1, 0), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    EXPECT_EQ(tcpserver_send(c.client, nullptr, 1, 0), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    EXPECT_EQ(tcpserver_send(c.client, &byte, 0, 0), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    EXPECT_EQ(tcpserver_send(c.client, &byte, 1, -7), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    tcpserver_close(c.client);
}
