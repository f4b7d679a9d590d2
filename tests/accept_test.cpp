// tcpserver_accept: each client once, in arrival order; NULL after the timeout; 0 just looks;
// RT_WAITING_FOREVER waits for the next connection; CONNECT reaches the callback as well, on
// the worker thread.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>
#include <sal_socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

using namespace test_support;
using Clock = std::chrono::steady_clock;

namespace
{

// The server's view of a connection is identified by the client's port as the server sees it.
std::uint16_t local_port(const LoopbackClient &client)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    getsockname(client.fd(), reinterpret_cast<sockaddr *>(&address), &length);
    return ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
}

// client->sock as an application uses it: through SAL, which reaches the server's stack.
std::uint16_t peer_port(tcpclient_t client)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (sal_getpeername(client->sock, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return 0;
    return ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
}

} // namespace

TEST(Accept, HandsOutEachClientOnceInArrivalOrder)
{
    ServerPtr server = create_server_with(loopback_config(20));
    ASSERT_NE(server, nullptr);
    std::vector<LoopbackClient> clients;
    for (int i = 0; i < 20; ++i)
    {
        clients.emplace_back(test_support::server_ip(), server->port);
        ASSERT_TRUE(clients.back().ok());
        // Arrival order is only defined once the server has seen the previous one.
        ASSERT_TRUE(eventually([&] {
            struct tcpserver_stats stats;
            tcpserver_get_stats(server.get(), &stats);
            return stats.accepted == static_cast<rt_uint64_t>(i + 1);
        }));
    }
    for (auto &client : clients)
    {
        tcpclient_t accepted = tcpserver_accept(server.get(), 10000);
        ASSERT_NE(accepted, nullptr);
        EXPECT_EQ(accepted->server, server.get());
        EXPECT_EQ(peer_port(accepted), local_port(client));
        tcpserver_close(accepted);
    }
    EXPECT_EQ(tcpserver_accept(server.get(), RT_WAITING_NO), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_ETIMEOUT);
}

TEST(Accept, ReturnsNullAfterTimeout)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    auto start = Clock::now();
    EXPECT_EQ(tcpserver_accept(server.get(), 200), nullptr);
    EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(200));
    EXPECT_EQ(rt_get_errno(), -RT_ETIMEOUT);
}

TEST(Accept, ZeroTimeoutJustLooks)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(tcpserver_accept(server.get(), RT_WAITING_NO), nullptr);
    LoopbackClient client(test_support::server_ip(), server->port);
    ASSERT_TRUE(eventually([&] {
        tcpclient_t accepted = tcpserver_accept(server.get(), RT_WAITING_NO);
        if (accepted)
            tcpserver_close(accepted);
        return accepted != nullptr;
    }));
}

TEST(Accept, ForeverWaitsForTheNextConnection)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    std::atomic<tcpclient_t> accepted{nullptr};
    std::thread acceptor([&] { accepted = tcpserver_accept(server.get(), RT_WAITING_FOREVER); });
    LoopbackClient client(test_support::server_ip(), server->port);
    ASSERT_TRUE(client.ok());
    acceptor.join();
    ASSERT_NE(accepted.load(), nullptr);
    tcpserver_close(accepted);
}

TEST(Accept, RejectsBadArguments)
{
    EXPECT_EQ(tcpserver_accept(nullptr, 0), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(tcpserver_accept(server.get(), -2), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
}

namespace
{
std::atomic<int> connects{0};
std::atomic<bool> connect_on_worker{false};
std::thread::id test_thread;

void count_connect(tcpclient_t, rt_uint8_t event)
{
    if (event == TCPSERVER_EVENT_CONNECT)
    {
        connect_on_worker = std::this_thread::get_id() != test_thread;
        ++connects;
    }
}
} // namespace

TEST(Accept, ConnectAlsoReachesTheCallbackOnTheWorker)
{
    test_thread = std::this_thread::get_id();
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    tcpserver_set_notify_callback(server.get(), count_connect);
    LoopbackClient client(test_support::server_ip(), server->port);
    tcpclient_t accepted = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(accepted, nullptr);
    EXPECT_EQ(connects.load(), 1);
    EXPECT_TRUE(connect_on_worker.load());
    tcpserver_close(accepted);
}

TEST(Accept, ClientThatLeftWithDataIsStillHandedOutWithIt)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    {
        LoopbackClient client(test_support::server_ip(), server->port);
        ASSERT_TRUE(client.send_all("last words"));
    }
    tcpclient_t accepted = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(accepted, nullptr);
    char buffer[32];
    EXPECT_EQ(tcpserver_recv(accepted, buffer, sizeof buffer, 10000), 10u);
    EXPECT_EQ(std::string(buffer, 10), "last words");
    EXPECT_EQ(tcpserver_recv(accepted, buffer, sizeof buffer, 10000), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EIO);
    tcpserver_close(accepted);
    struct tcpserver_stats stats;
    ASSERT_TRUE(eventually([&] {
        tcpserver_get_stats(server.get(), &stats);
        return stats.clients == 0;
    }));
}

TEST(Accept, ClientThatLeftSilentlyIsNotHandedOut)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    {
        LoopbackClient client(test_support::server_ip(), server->port);
        ASSERT_TRUE(client.ok());
    }
    struct tcpserver_stats stats;
    ASSERT_TRUE(eventually([&] {
        tcpserver_get_stats(server.get(), &stats);
        return stats.accepted == 1 && stats.clients == 0;
    }));
    EXPECT_EQ(tcpserver_accept(server.get(), RT_WAITING_NO), nullptr);
}
