// Creating servers: IPv4 and IPv6 literals, "any" addresses, port 0, several servers at once,
// the same port on two local addresses (two network cards), and clear errors for bad
// addresses, addresses the stack does not have and ports in use, on either stack.
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
    ServerPtr server = create_server(server_ip(), 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    EXPECT_STREQ(server->ip, server_ip());
    EXPECT_NE(server->port, 0);
    EXPECT_GE(server->sock, 0);
    LoopbackClient client(server_ip(), server->port);
    EXPECT_TRUE(client.ok());
}

TEST(CreateBind, Ipv6LiteralListens)
{
    ServerPtr server = create_server(server_ipv6(), 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    EXPECT_STREQ(server->ip, server_ipv6());
    LoopbackClient client(server_ipv6(), server->port);
    EXPECT_TRUE(client.ok());
    // A specific IPv6 address does not also take the IPv4 port.
    LoopbackClient v4(server_ip(), server->port, std::chrono::milliseconds(2000));
    EXPECT_FALSE(v4.ok());
}

TEST(CreateBind, NullEmptyAndZerosMeanAnyIpv4)
{
    for (const char *any : {static_cast<const char *>(nullptr), "", "0.0.0.0"})
    {
        ServerPtr server = create_server(any, 0);
        ASSERT_NE(server, nullptr) << tcpserver_strerror();
        EXPECT_STREQ(server->ip, "0.0.0.0");
        LoopbackClient client(server_ip(), server->port);
        EXPECT_TRUE(client.ok());
    }
}

TEST(CreateBind, DoubleColonServesIpv6AndIpv4)
{
    ServerPtr server = create_server("::", 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    EXPECT_STREQ(server->ip, "::");
    LoopbackClient v6(server_ipv6(), server->port);
    LoopbackClient v4(server_ip(), server->port);
    EXPECT_TRUE(v6.ok());
    EXPECT_TRUE(v4.ok());
}

// On the kernel two IPv4 loopback addresses; lwIP's one netif has one IPv4 address, so there
// its IPv4 and its IPv6 address.
TEST(CreateBind, SamePortOnTwoLocalAddresses)
{
    const char *first_ip = server_ip();
    const char *second_ip = on_lwip() ? server_ipv6() : "127.0.0.2";
    ServerPtr first = create_server(first_ip, 0);
    ASSERT_NE(first, nullptr);
    ServerPtr second = create_server(second_ip, first->port);
    ASSERT_NE(second, nullptr) << tcpserver_strerror();
    EXPECT_EQ(second->port, first->port);
    LoopbackClient a(first_ip, first->port);
    LoopbackClient b(second_ip, first->port);
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
        servers.push_back(create_server(server_ip(), 0));
        ASSERT_NE(servers.back(), nullptr);
    }
    for (auto &server : servers)
    {
        LoopbackClient client(server_ip(), server->port);
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
    // 198.51.100.0/24 and 2001:db8:ffff::/48 are for documentation: no interface has them
    // (lwIP would bind them without a word and never see a packet).
    std::vector<std::string> elsewhere{"198.51.100.7", "2001:db8:ffff::7"};
    if (on_lwip())
        elsewhere.push_back(peer_ip()); // the host's end of the TAP link, not lwIP's
    for (const std::string &address : elsewhere)
    {
        rt_set_errno(RT_EOK);
        EXPECT_EQ(tcpserver_create(address.c_str(), 0), nullptr) << address;
        EXPECT_EQ(rt_get_errno(), -RT_EINVAL) << address;
        EXPECT_STREQ(tcpserver_strerror(), "the address is not available on this host");
    }
}

TEST(CreateBind, PortInUseFailsWithEbusy)
{
    ServerPtr first = create_server(server_ip(), 0);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(tcpserver_create(server_ip(), first->port), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EBUSY);
    EXPECT_STREQ(tcpserver_strerror(), "the address is already in use");
}

// A server on an "any" address and one on a specific address of the same port overlap either
// way round (lwIP by itself would start both, and the later would never see a connection).
TEST(CreateBind, AnyAddressAndASpecificOneOnOnePortOverlap)
{
    for (const char *any : {"0.0.0.0", "::"})
    {
        ServerPtr specific = create_server(server_ip(), 0);
        ASSERT_NE(specific, nullptr);
        EXPECT_EQ(tcpserver_create(any, specific->port), nullptr) << any;
        EXPECT_EQ(rt_get_errno(), -RT_EBUSY) << any;
        rt_uint16_t port = specific->port;
        specific.reset();
        ServerPtr wide = create_server(any, port);
        ASSERT_NE(wide, nullptr) << any << ": " << tcpserver_strerror();
        EXPECT_EQ(tcpserver_create(server_ip(), port), nullptr) << any;
        EXPECT_EQ(rt_get_errno(), -RT_EBUSY) << any;
    }
    // IPv4's "any" leaves a specific IPv6 address of the port free.
    ServerPtr v4_any = create_server("0.0.0.0", 0);
    ASSERT_NE(v4_any, nullptr);
    EXPECT_NE(create_server(server_ipv6(), v4_any->port), nullptr) << tcpserver_strerror();
}

TEST(CreateBind, PortIsFreeAgainAfterDestroy)
{
    ServerPtr first = create_server(server_ip(), 0);
    ASSERT_NE(first, nullptr);
    rt_uint16_t port = first->port;
    {
        LoopbackClient client(server_ip(), port);
        ASSERT_TRUE(client.ok());
        tcpclient_t accepted = tcpserver_accept(first.get(), 10000);
        ASSERT_NE(accepted, nullptr);
        first.reset();
    }
    ServerPtr again = create_server(server_ip(), port);
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
