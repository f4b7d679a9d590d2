// Bad arguments to every C API function: NULL server or client, NULL buffer, size 0, a
// negative timeout other than RT_WAITING_FOREVER, a handle after close, a pointer that never
// was a handle. Each gives -RT_EINVAL (or its function's failure value with that errno) and
// "invalid argument" from tcpserver_strerror(); none crashes. What stays undefined, and why,
// is in tcpserver.h and docs/RELIABILITY.md.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

using namespace test_support;

namespace
{

void expect_einval(const char *call)
{
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL) << call;
    EXPECT_STREQ(tcpserver_strerror(), "invalid argument") << call;
    rt_set_errno(RT_EOK);
}

using Connected = ConnectedClient;

} // namespace

TEST(BadArguments, NullServer)
{
    EXPECT_EQ(tcpserver_create_with(nullptr), nullptr);
    expect_einval("create_with(NULL)");
    tcpserver_config_init(nullptr); // does nothing
    EXPECT_EQ(tcpserver_destroy(nullptr), -RT_EINVAL);
    expect_einval("destroy(NULL)");
    EXPECT_EQ(tcpserver_accept(nullptr, 0), nullptr);
    expect_einval("accept(NULL)");
    tcpserver_set_notify_callback(nullptr, nullptr);
    expect_einval("set_notify_callback(NULL)");
    struct tcpserver_stats stats;
    EXPECT_EQ(tcpserver_get_stats(nullptr, &stats), -RT_EINVAL);
    expect_einval("get_stats(NULL)");
}

TEST(BadArguments, NullAndOutOfRangeValues)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    char buffer[8] = "data";
    EXPECT_EQ(tcpserver_get_stats(c.server.get(), nullptr), -RT_EINVAL);
    expect_einval("get_stats(server, NULL)");
    EXPECT_EQ(tcpserver_accept(c.server.get(), -2), nullptr);
    expect_einval("accept(timeout -2)");
    EXPECT_EQ(tcpserver_set_default_poller(99), -RT_EINVAL);
    expect_einval("set_default_poller(99)");
    EXPECT_EQ(tcpserver_poller_from_name(nullptr), -1);
    EXPECT_EQ(tcpserver_poller_from_name("kqueue"), -1);
    struct tcpserver_config config = loopback_config();
    config.poller = 42;
    EXPECT_EQ(tcpserver_create_with(&config), nullptr);
    expect_einval("create_with(poller 42)");
    EXPECT_EQ(tcpserver_set_default_stack(99), -RT_EINVAL);
    expect_einval("set_default_stack(99)");
    EXPECT_EQ(tcpserver_stack_from_name(nullptr), -1);
    EXPECT_EQ(tcpserver_stack_from_name("bsd"), -1);
    EXPECT_EQ(tcpserver_stack_from_name("LWIP"), -1);
    config = loopback_config();
    config.stack = 42;
    EXPECT_EQ(tcpserver_create_with(&config), nullptr);
    expect_einval("create_with(stack 42)");

    for (auto io : {tcpserver_recv, tcpserver_send})
    {
        const char *name = io == tcpserver_recv ? "recv" : "send";
        EXPECT_EQ(io(nullptr, buffer, sizeof buffer, 0), 0u);
        expect_einval(name);
        EXPECT_EQ(io(c.client, nullptr, sizeof buffer, 0), 0u);
        expect_einval(name);
        EXPECT_EQ(io(c.client, buffer, 0, 0), 0u);
        expect_einval(name);
        EXPECT_EQ(io(c.client, buffer, sizeof buffer, -2), 0u);
        expect_einval(name);
        EXPECT_EQ(io(c.client, buffer, sizeof buffer, -1000), 0u);
        expect_einval(name);
    }
    EXPECT_EQ(tcpserver_close(nullptr), -RT_EINVAL);
    expect_einval("close(NULL)");
    // None of that touched the connection.
    ASSERT_TRUE(c.peer.send_all("fine"));
    EXPECT_EQ(tcpserver_recv(c.client, buffer, sizeof buffer, 10000), 4u);
    EXPECT_EQ(tcpserver_send(c.client, buffer, 4, 10000), 4u);
    EXPECT_EQ(c.peer.recv_exact(4), "fine");
    tcpserver_close(c.client);
}

TEST(BadArguments, HandleAfterCloseIsRefused)
{
    Connected c;
    ASSERT_NE(c.client, nullptr);
    ASSERT_EQ(tcpserver_close(c.client), RT_EOK);
    c.peer.close();
    // The handle dies when the worker lets go of the connection too; from then on it is refused.
    char buffer[4] = "abc";
    ASSERT_TRUE(eventually([&] { return tcpserver_close(c.client) == -RT_EINVAL; }));
    expect_einval("close(closed)");
    EXPECT_EQ(tcpserver_recv(c.client, buffer, sizeof buffer, RT_WAITING_FOREVER), 0u);
    expect_einval("recv(closed)");
    EXPECT_EQ(tcpserver_send(c.client, buffer, sizeof buffer, RT_WAITING_FOREVER), 0u);
    expect_einval("send(closed)");
}

TEST(BadArguments, PointerThatNeverWasAHandleIsRefused)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    struct tcpclient forged = {server.get(), 0, nullptr};
    char buffer[4] = "abc";
    EXPECT_EQ(tcpserver_recv(&forged, buffer, sizeof buffer, 0), 0u);
    expect_einval("recv(forged)");
    EXPECT_EQ(tcpserver_send(&forged, buffer, sizeof buffer, 0), 0u);
    expect_einval("send(forged)");
    EXPECT_EQ(tcpserver_close(&forged), -RT_EINVAL);
    expect_einval("close(forged)");
}

TEST(BadArguments, BadAddressesAndConfigs)
{
    for (const char *ip : {"256.0.0.1", "localhost", "1.2.3", "::g", "127.0.0.1 ", "%"})
    {
        EXPECT_EQ(tcpserver_create(ip, 0), nullptr) << ip;
        EXPECT_EQ(rt_get_errno(), -RT_EINVAL) << ip;
    }
    struct tcpserver_config config = loopback_config();
    config.max_clients = 0;
    EXPECT_EQ(tcpserver_create_with(&config), nullptr);
    expect_einval("max_clients 0");
    config = loopback_config();
    config.priority = 32;
    EXPECT_EQ(tcpserver_create_with(&config), nullptr);
    expect_einval("priority 32");
    config = loopback_config();
    config.backlog = -1;
    EXPECT_EQ(tcpserver_create_with(&config), nullptr);
    expect_einval("backlog -1");
}
