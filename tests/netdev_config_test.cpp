// Setting interfaces through netdev: lwIP's take addresses and up/down as a board's driver
// does, the change is seen at once and the interface's callback called for it; msh's
// `ifconfig <netdev> <ip> <gateway> <netmask>` does the same; the host's interfaces are never
// set (RT-Thread's refusal, nothing changed), and their own changes reach the callbacks when the
// table is next read.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "loopback_client.h"
#include "shell_capture.h"
#include "test_stack.h"

#include <netdev.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

using namespace test_support;

namespace
{

using Call = std::pair<struct netdev *, enum netdev_cb_type>;

std::mutex calls_mutex;
std::vector<Call> calls;

void record(struct netdev *netdev, enum netdev_cb_type type)
{
    std::lock_guard lock(calls_mutex);
    calls.emplace_back(netdev, type);
}

std::vector<Call> taken_calls()
{
    std::lock_guard lock(calls_mutex);
    return std::exchange(calls, {});
}

bool called(const std::vector<Call> &made, struct netdev *netdev, enum netdev_cb_type type)
{
    return std::find(made.begin(), made.end(), Call{netdev, type}) != made.end();
}

ip_addr_t address(const char *text)
{
    ip_addr_t value{};
    EXPECT_EQ(netdev_ip4addr_aton(text, &value), 1) << text;
    return value;
}

std::string text_of(const ip_addr_t &value)
{
    ip_addr_t copy = value;
    return netdev_ip4addr_ntoa(&copy);
}

// lwIP's interface, its settings put back and its callbacks cleared at the end.
class LwipInterface : public testing::Test
{
  protected:
    void SetUp() override
    {
        if (!on_lwip())
            GTEST_SKIP() << "only lwIP's interfaces are set; the host's are the host's";
        tp0_ = netdev_get_by_name("tp0");
        ASSERT_NE(tp0_, nullptr);
        saved_ = *tp0_;
        taken_calls();
    }
    void TearDown() override
    {
        if (!tp0_)
            return;
        netdev_set_addr_callback(tp0_, nullptr);
        netdev_set_status_callback(tp0_, nullptr);
        netdev_set_up(tp0_);
        netdev_set_ipaddr(tp0_, &saved_.ip_addr);
        netdev_set_netmask(tp0_, &saved_.netmask);
        netdev_set_gw(tp0_, &saved_.gw);
    }
    struct netdev *tp0_ = nullptr;
    struct netdev saved_
    {
    };
};

} // namespace

TEST_F(LwipInterface, ANewAddressIsSeenAtOnceCalledBackAndServed)
{
    netdev_set_addr_callback(tp0_, record);
    ip_addr_t moved = address("192.0.2.3");
    ASSERT_EQ(netdev_set_ipaddr(tp0_, &moved), RT_EOK);
    EXPECT_EQ(text_of(tp0_->ip_addr), "192.0.2.3");
    std::vector<Call> made = taken_calls();
    EXPECT_EQ(made, (std::vector<Call>{{tp0_, NETDEV_CB_ADDR_IP}}));

    // The host reaches a server there, through the TAP device.
    ServerPtr server = create_server("192.0.2.3", 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    LoopbackClient peer("192.0.2.3", server->port);
    ASSERT_TRUE(peer.ok());
    tcpclient_t client = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(client, nullptr);
    tcpserver_close(client);

    // The same address again is no change: no call.
    ASSERT_EQ(netdev_set_ipaddr(tp0_, &moved), RT_EOK);
    EXPECT_TRUE(taken_calls().empty());
}

TEST_F(LwipInterface, NetmaskGatewayAndStateChangesAreCalledBack)
{
    netdev_set_addr_callback(tp0_, record);
    netdev_set_status_callback(tp0_, record);
    ip_addr_t netmask = address("255.255.255.128");
    ip_addr_t gateway = address("192.0.2.9");
    ASSERT_EQ(netdev_set_netmask(tp0_, &netmask), RT_EOK);
    ASSERT_EQ(netdev_set_gw(tp0_, &gateway), RT_EOK);
    EXPECT_EQ(text_of(tp0_->netmask), "255.255.255.128");
    EXPECT_EQ(text_of(tp0_->gw), "192.0.2.9");
    std::vector<Call> made = taken_calls();
    EXPECT_TRUE(called(made, tp0_, NETDEV_CB_ADDR_NETMASK));
    EXPECT_TRUE(called(made, tp0_, NETDEV_CB_ADDR_GATEWAY));

    ASSERT_EQ(netdev_set_down(tp0_), RT_EOK);
    EXPECT_FALSE(netdev_is_up(tp0_));
    made = taken_calls();
    EXPECT_TRUE(called(made, tp0_, NETDEV_CB_STATUS_DOWN));
    EXPECT_TRUE(called(made, tp0_, NETDEV_CB_STATUS_INTERNET_DOWN));
    EXPECT_EQ(netdev_set_down(tp0_), RT_EOK) << "already down";
    EXPECT_TRUE(taken_calls().empty());
    ASSERT_EQ(netdev_set_up(tp0_), RT_EOK);
    EXPECT_TRUE(netdev_is_up(tp0_));
    EXPECT_TRUE(called(taken_calls(), tp0_, NETDEV_CB_STATUS_UP));
}

TEST_F(LwipInterface, IfconfigSetsItAsOnABoard)
{
    msh::register_builtins();
    int status = -1;
    std::string out = run_captured("ifconfig tp0 192.0.2.4 192.0.2.1 255.255.255.0", &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("config : tp0\nIP addr: 192.0.2.4\nGateway: 192.0.2.1\n"
                       "netmask: 255.255.255.0\n"),
              std::string::npos)
        << out;
    EXPECT_EQ(text_of(tp0_->ip_addr), "192.0.2.4");
    out = run_captured("ifconfig");
    EXPECT_NE(out.find("ip address: 192.0.2.4\n"), std::string::npos) << out;
}

TEST_F(LwipInterface, TheHostsOwnChangesAreCalledBackWhenTheTableIsRead)
{
    ASSERT_EQ(std::system("ip tuntap add dev nd1 mode tap && ip addr add 192.0.2.201/32 dev nd1 "
                          "&& ip link set nd1 up"),
              0);
    struct netdev *added = netdev_get_by_name("nd1");
    ASSERT_NE(added, nullptr);
    netdev_set_status_callback(added, record);
    ASSERT_EQ(std::system("ip link set nd1 down"), 0);
    EXPECT_TRUE(taken_calls().empty()) << "nothing watches the kernel";
    netdev_get_by_name("nd1"); // reads the table
    EXPECT_TRUE(called(taken_calls(), added, NETDEV_CB_STATUS_DOWN));
    netdev_set_status_callback(added, nullptr);
    ASSERT_EQ(std::system("ip link del nd1"), 0);
}

TEST(NetdevConfig, TheHostsInterfacesAreNeverSet)
{
    struct netdev *lo = netdev_get_by_name("lo");
    ASSERT_NE(lo, nullptr);
    std::string before = text_of(lo->ip_addr);
    ip_addr_t other = address("127.0.0.2");
    testing::internal::CaptureStdout();
    EXPECT_EQ(netdev_set_ipaddr(lo, &other), -RT_ERROR);
    EXPECT_EQ(netdev_set_down(lo), -RT_ERROR);
    EXPECT_EQ(netdev_set_up(lo), RT_EOK) << "already up";
    EXPECT_EQ(netdev_set_dns_server(lo, 0, &other), -RT_ERROR);
    EXPECT_EQ(netdev_set_dns_server(lo, 2, &other), -RT_ERROR);
    EXPECT_EQ(netdev_dhcp_enabled(lo, RT_TRUE), -RT_ERROR);
    EXPECT_EQ(netdev_dhcp_enabled(lo, RT_FALSE), RT_EOK) << "already off";
    std::string log = testing::internal::GetCapturedStdout();
    EXPECT_EQ(text_of(lo->ip_addr), before);
    EXPECT_TRUE(netdev_is_up(lo));
    for (const char *line :
         {"E/netdev: The network interface device(lo) not support to set IP address.\n",
          "E/netdev: The network interface device(lo) not support to set status.\n",
          "E/netdev: The network interface device(lo) not support to set DNS server address.\n",
          "E/netdev: The number of DNS servers(3) set exceeds the maximum number(2).\n",
          "E/netdev: The network interface device(lo) not support to set DHCP status.\n"})
        EXPECT_NE(log.find(line), std::string::npos) << line << "in:\n" << log;

    msh::register_builtins();
    int status = 0;
    std::string out = run_captured("ifconfig lo 127.0.0.2 0.0.0.0 255.0.0.0", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("not support to set IP address."), std::string::npos) << out;
    EXPECT_EQ(text_of(lo->ip_addr), before);
    out = run_captured("ifconfig nosuch 1.2.3.4 1.2.3.1 255.255.255.0", &status);
    EXPECT_NE(out.find("bad network interface device name(nosuch).\n"), std::string::npos) << out;
    EXPECT_NE(status, 0);
    out = run_captured("ifconfig lo", &status);
    EXPECT_NE(out.find("bad parameter! e.g: ifconfig e0 192.168.1.30 192.168.1.1 255.255.255.0\n"),
              std::string::npos)
        << out;
    EXPECT_NE(status, 0);
}
