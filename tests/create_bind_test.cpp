// Creating servers: IPv4 and IPv6 literals, "any" addresses, port 0, several servers at once,
// the same port on two local addresses (two network cards), and clear errors for bad
// addresses and ports in use.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace test_support;

TEST(CreateBind, Ipv4LiteralListensAndReportsRealPort)
{
    ServerPtr server = create_server("127.0.0.1", 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    EXPECT_STREQ(server->ip, "127.0.0.1");
    EXPECT_NE(server->port, 0);
    EXPECT_GE(server->sock, 0);
    LoopbackClient client("127.0.0.1", server->port);
    EXPECT_TRUE(client.ok());
}

TEST(CreateBind, Ipv6LoopbackListens)
{
    ServerPtr server = create_server("::1", 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    EXPECT_STREQ(server->ip, "::1");
    LoopbackClient client("::1", server->port);
    EXPECT_TRUE(client.ok());
    // A specific IPv6 address does not also take the IPv4 port.
    LoopbackClient v4("127.0.0.1", server->port, std::chrono::milliseconds(2000));
    EXPECT_FALSE(v4.ok());
}

TEST(CreateBind, NullEmptyAndZerosMeanAnyIpv4)
{
    for (const char *any : {static_cast<const char *>(nullptr), "", "0.0.0.0"})
    {
        ServerPtr server = create_server(any, 0);
        ASSERT_NE(server, nullptr) << tcpserver_strerror();
        EXPECT_STREQ(server->ip, "0.0.0.0");
        LoopbackClient client("127.0.0.1", server->port);
        EXPECT_TRUE(client.ok());
    }
}

TEST(CreateBind, DoubleColonServesIpv6AndIpv4)
{
    ServerPtr server = create_server("::", 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    EXPECT_STREQ(server->ip, "::");
    LoopbackClient v6("::1", server->port);
    LoopbackClient v4("127.0.0.1", server->port);
    EXPECT_TRUE(v6.ok());
    EXPECT_TRUE(v4.ok());
}

TEST(CreateBind, SamePortOnTwoLocalAddresses)
{
    ServerPtr first = create_server("127.0.0.1", 0);
    ASSERT_NE(first, nullptr);
    ServerPtr second = create_server("127.0.0.2", first->port);
    ASSERT_NE(second, nullptr) << tcpserver_strerror();
    EXPECT_EQ(second->port, first->port);
    LoopbackClient a("127.0.0.1", first->port);
    LoopbackClient b("127.0.0.2", first->port);
    EXPECT_TRUE(a.ok());
    EXPECT_TRUE(b.ok());
    tcpclient_t on_first = tcpserver_accept(first.get(), 10000);
    tcpclient_t on_second = tcpserver_accept(second.get(), 10000);
    ASSERT_NE(on_first, nullptr);
    ASSERT_NE(on_second, nullptr);
    EXPECT_EQ(on_first->server, first.get());
    EXPECT_EQ(on_second->server, second.get());
    tcpserver_close(on_first);
    tcpserver_close(on_second);
}

TEST(CreateBind, SeveralServersRunAtOnce)
{
    std::vector<ServerPtr> servers;
    for (int i = 0; i < 8; ++i)
    {
        servers.push_back(create_server("127.0.0.1", 0));
        ASSERT_NE(servers.back(), nullptr);
    }
    for (auto &server : servers)
    {
        LoopbackClient client("127.0.0.1", server->port);
        ASSERT_TRUE(client.send_all("ping"));
        tcpclient_t accepted = tcpserver_accept(server.get(), 10000);
        ASSERT_NE(accepted, nullptr);
        char buffer[8];
        EXPECT_EQ(tcpserver_recv(accepted, buffer, sizeof buffer, 10000), 4u);
        EXPECT_EQ(std::string(buffer, 4), "ping");
        tcpserver_close(accepted);
    }
}

TEST(CreateBind, BadAddressFailsWithEinval)
{
    for (const char *bad : {"localhost", "1.2.3.4.5", "256.1.1.1", "::g", "abc", "127.0.0.1 "})
    {
        rt_set_errno(RT_EOK);
        EXPECT_EQ(tcpserver_create(bad, 0), nullptr) << bad;
        EXPECT_EQ(rt_get_errno(), -RT_EINVAL) << bad;
        EXPECT_STREQ(tcpserver_strerror(), "not a numeric IPv4 or IPv6 address");
    }
}

TEST(CreateBind, AddressNotOnThisHostFailsWithEinval)
{
    // 198.51.100.0/24 is reserved for documentation: no host has it.
    EXPECT_EQ(tcpserver_create("198.51.100.7", 0), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    EXPECT_STREQ(tcpserver_strerror(), "the address is not available on this host");
}

TEST(CreateBind, PortInUseFailsWithEbusy)
{
    ServerPtr first = create_server("127.0.0.1", 0);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(tcpserver_create("127.0.0.1", first->port), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EBUSY);
    EXPECT_STREQ(tcpserver_strerror(), "the address is already in use");
}

TEST(CreateBind, PortIsFreeAgainAfterDestroy)
{
    ServerPtr first = create_server("127.0.0.1", 0);
    ASSERT_NE(first, nullptr);
    rt_uint16_t port = first->port;
    {
        LoopbackClient client("127.0.0.1", port);
        ASSERT_TRUE(client.ok());
        tcpclient_t accepted = tcpserver_accept(first.get(), 10000);
        ASSERT_NE(accepted, nullptr);
        first.reset();
    }
    ServerPtr again = create_server("127.0.0.1", port);
    EXPECT_NE(again, nullptr) << tcpserver_strerror();
}

TEST(CreateBind, InvalidConfigIsRefused)
{
    struct tcpserver_config config;
    tcpserver_config_init(&config);
    config.max_clients = 0;
    EXPECT_EQ(tcpserver_create_with(&config), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    EXPECT_EQ(tcpserver_create_with(nullptr), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
}
