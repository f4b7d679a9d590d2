// The client limit: at most max_clients at once (TCPSERVER_CLI_NUM for tcpserver_create); one
// more connection is accepted and closed at once and counted as refused; the others carry on.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <vector>

using namespace test_support;

namespace
{

void echo(tcpclient_t client, rt_uint8_t event)
{
    if (event != TCPSERVER_EVENT_RECV)
        return;
    char buffer[256];
    rt_size_t n = tcpserver_recv(client, buffer, sizeof buffer, 0);
    if (n > 0)
        tcpserver_send(client, buffer, n, 0);
}

void expect_limit(struct tcpserver *server, std::size_t limit)
{
    std::vector<LoopbackClient> admitted;
    for (std::size_t i = 0; i < limit; ++i)
    {
        admitted.emplace_back(test_support::server_ip(), server->port);
        ASSERT_TRUE(admitted.back().send_all("hello"));
        ASSERT_EQ(admitted.back().recv_exact(5), "hello");
    }
    LoopbackClient extra(test_support::server_ip(), server->port);
    ASSERT_TRUE(extra.ok()); // the kernel completes the handshake; the server then closes it
    EXPECT_TRUE(extra.sees_eof());
    struct tcpserver_stats stats;
    tcpserver_get_stats(server, &stats);
    EXPECT_EQ(stats.refused, 1u);
    EXPECT_EQ(stats.clients, limit);
    for (auto &peer : admitted)
    {
        ASSERT_TRUE(peer.send_all("still here"));
        EXPECT_EQ(peer.recv_exact(10), "still here");
    }
    // A place frees up when a client leaves.
    admitted.pop_back();
    ASSERT_TRUE(eventually([&] {
        tcpserver_get_stats(server, &stats);
        return stats.clients == limit - 1;
    }));
    LoopbackClient next(test_support::server_ip(), server->port);
    ASSERT_TRUE(next.send_all("new"));
    EXPECT_EQ(next.recv_exact(3), "new");
}

} // namespace

TEST(ClientLimit, DefaultIsTheConfiguredCliNum)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    tcpserver_set_notify_callback(server.get(), echo);
    expect_limit(server.get(), TCPSERVER_CLI_NUM);
}

TEST(ClientLimit, SetPerServer)
{
    ServerPtr server = create_server_with(loopback_config(12, echo));
    ASSERT_NE(server, nullptr);
    expect_limit(server.get(), 12);
}
