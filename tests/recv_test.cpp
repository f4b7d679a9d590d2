// tcpserver_recv: returns as soon as one byte is there; 0 with -RT_ETIMEOUT after the timeout;
// the stream arrives whole and in order; bytes sent before the peer closed still come, then 0
// with -RT_EIO, so a caller tells "timeout" from "peer gone".
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

using namespace test_support;
using Clock = std::chrono::steady_clock;

namespace
{

using Connected = ConnectedClient;

} // namespace

TEST(Recv, ReturnsAsSoonAsOneByteArrives)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    int receiver = current_thread();
    std::thread late_sender([&] {
        // Send only once the receiver is blocked, so the wait itself is what is tested.
        blocked_soon(receiver);
        c.peer.send_all("x");
    });
    char buffer[4096];
    EXPECT_EQ(tcpserver_recv(c.client, buffer, sizeof buffer, RT_WAITING_FOREVER), 1u);
    EXPECT_EQ(buffer[0], 'x');
    late_sender.join();
    tcpserver_close(c.client);
}

TEST(Recv, TimeoutReturnsZeroWithEtimeout)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    char buffer[16];
    auto start = Clock::now();
    EXPECT_EQ(tcpserver_recv(c.client, buffer, sizeof buffer, 150), 0u);
    EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(150));
    EXPECT_EQ(rt_get_errno(), -RT_ETIMEOUT);
    EXPECT_EQ(tcpserver_recv(c.client, buffer, sizeof buffer, RT_WAITING_NO), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_ETIMEOUT);
    tcpserver_close(c.client);
}

TEST(Recv, StreamArrivesWholeAndInOrder)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    const std::string sent = random_bytes(3 * 1024 * 1024, 7);
    std::thread sender([&] {
        std::mt19937 chunks(3);
        for (std::size_t at = 0; at < sent.size();)
        {
            std::size_t n = std::min<std::size_t>(1 + chunks() % 9000, sent.size() - at);
            c.peer.send_all(std::string_view(sent).substr(at, n));
            at += n;
        }
    });
    std::string received;
    std::mt19937 sizes(5);
    std::vector<char> buffer(8192);
    while (received.size() < sent.size())
    {
        rt_size_t n = tcpserver_recv(c.client, buffer.data(), 1 + sizes() % buffer.size(), 10000);
        ASSERT_GT(n, 0u) << "errno " << rt_get_errno() << " after " << received.size();
        received.append(buffer.data(), n);
    }
    sender.join();
    EXPECT_TRUE(received == sent);
    tcpserver_close(c.client);
}

TEST(Recv, BytesBeforePeerCloseComeFirstThenEio)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    const std::string sent = random_bytes(100000, 11);
    ASSERT_TRUE(c.peer.send_all(sent));
    c.peer.close();
    std::string received;
    char buffer[1000];
    for (;;)
    {
        rt_size_t n = tcpserver_recv(c.client, buffer, sizeof buffer, 10000);
        if (n == 0)
            break;
        received.append(buffer, n);
    }
    EXPECT_EQ(rt_get_errno(), -RT_EIO);
    EXPECT_STREQ(tcpserver_strerror(), "the peer closed the connection");
    EXPECT_TRUE(received == sent);
    // And it stays that way.
    EXPECT_EQ(tcpserver_recv(c.client, buffer, sizeof buffer, RT_WAITING_FOREVER), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EIO);
    tcpserver_close(c.client);
}

TEST(Recv, PeerResetIsReportedAsEio)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    c.peer.reset();
    char buffer[16];
    EXPECT_EQ(tcpserver_recv(c.client, buffer, sizeof buffer, 10000), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EIO);
    EXPECT_STREQ(tcpserver_strerror(), "the peer reset the connection");
    tcpserver_close(c.client);
}

TEST(Recv, RejectsBadArguments)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    char buffer[16];
    EXPECT_EQ(tcpserver_recv(nullptr, buffer, sizeof buffer, 0), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    EXPECT_EQ(tcpserver_recv(c.client, nullptr, sizeof buffer, 0), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    EXPECT_EQ(tcpserver_recv(c.client, buffer, 0, 0), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    EXPECT_EQ(tcpserver_recv(c.client, buffer, sizeof buffer, -5), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    tcpserver_close(c.client);
}

TEST(Recv, ReadingPausesWhenNobodyReadsAndResumesLosslessly)
{
    // A client that floods a server whose user reads slowly: the server stops reading at
    // recv_buffer_max (TCP pushes back on the peer), and nothing is lost when reading resumes.
    struct tcpserver_config config = loopback_config();
    config.recv_buffer_max = 64 * 1024;
    ServerPtr server = create_server_with(config);
    ASSERT_NE(server, nullptr);
    LoopbackClient peer(test_support::server_ip(), server->port);
    tcpclient_t client = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(client, nullptr);
    const std::string sent = random_bytes(8 * 1024 * 1024, 13);
    std::thread sender([&] { EXPECT_TRUE(peer.send_all(sent, std::chrono::seconds(60))); });
    struct tcpserver_stats stats;
    // The sender outruns us by far more than the limit; the server must hold back.
    ASSERT_TRUE(eventually([&] {
        tcpserver_get_stats(server.get(), &stats);
        return stats.bytes_received >= config.recv_buffer_max;
    }));
    tcpserver_get_stats(server.get(), &stats);
    EXPECT_LT(stats.bytes_received, config.recv_buffer_max + 64 * 1024 + 1);
    // While it drains, the input held never passes the limit by more than one read's overflow
    // (the worker's 64 KiB scratch), also once its buffer grew larger than the limit.
    std::string received;
    std::vector<char> buffer(4096);
    rt_uint64_t most_unread = 0;
    while (received.size() < sent.size())
    {
        rt_size_t n = tcpserver_recv(client, buffer.data(), buffer.size(), 10000);
        ASSERT_GT(n, 0u);
        received.append(buffer.data(), n);
        tcpserver_get_stats(server.get(), &stats);
        most_unread = std::max<rt_uint64_t>(most_unread, stats.bytes_received - received.size());
    }
    sender.join();
    EXPECT_TRUE(received == sent);
    EXPECT_LE(most_unread, config.recv_buffer_max + 64 * 1024);
    tcpserver_close(client);
}
