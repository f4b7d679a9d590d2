// netdev's table: the host's interfaces (and lwIP's, in the lwIP run) as struct netdev, looked
// up as a board application does (tests/netdev_calls.c is C); netdev_default follows the
// default stack; an interface that goes away leaves its netdev valid and down; msh's ifconfig
// lists the same table, INTERNET_UP where netdev has it.
// SPDX-License-Identifier: Apache-2.0
#include "shell_capture.h"

#include <netdev.h>
#include <tcpserver.hpp>

#include <gtest/gtest.h>

#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

extern "C"
{
int netdev_calls_describe_default(char *text, size_t size);
const char *netdev_calls_address_of(const char *name);
int netdev_calls_count_listed(void);
}

namespace
{

bool lwip_run()
{
    return tcp_server::default_stack() == tcp_server::StackKind::lwip;
}

// Whether an interface other than the loopback is up with an address.
bool another_interface_up()
{
    struct netdev *lo = netdev_get_by_name("lo");
    for (struct netdev *each = netdev_list; each;
         each = rt_slist_entry(each->list.next, struct netdev, list))
    {
        if (each != lo && netdev_is_up(each) && each->ip_addr.addr != 0)
            return true;
        if (!each->list.next)
            break;
    }
    return false;
}

ip_addr_t address(const char *text)
{
    ip_addr_t value;
    EXPECT_EQ(netdev_ip4addr_aton(text, &value), 1) << text;
    return value;
}

bool listed(const struct netdev *wanted)
{
    for (struct netdev *each = netdev_list; each;
         each = rt_slist_entry(each->list.next, struct netdev, list))
    {
        if (each == wanted)
            return true;
        if (!each->list.next)
            break;
    }
    return false;
}

TEST(Netdev, TheLoopbackIsListedWithItsAddressFlagsAndMtu)
{
    struct netdev *lo = netdev_get_by_name("lo");
    ASSERT_NE(lo, nullptr);
    EXPECT_STREQ(netdev_calls_address_of("lo"), "127.0.0.1");
    EXPECT_STREQ(netdev_ip4addr_ntoa(&lo->netmask), "255.0.0.0");
    EXPECT_TRUE(netdev_is_up(lo));
    EXPECT_TRUE(netdev_is_link_up(lo));
    EXPECT_GT(lo->mtu, 0);
    EXPECT_TRUE(listed(lo));
    EXPECT_GE(netdev_calls_count_listed(), 1);
    ip_addr_t loopback = address("127.0.0.1");
    EXPECT_EQ(netdev_get_by_ipaddr(&loopback), lo);
    EXPECT_NE(netdev_get_first_by_flags(NETDEV_FLAG_UP | NETDEV_FLAG_LINK_UP), nullptr);
}

TEST(Netdev, WhatDoesNotExistIsNull)
{
    EXPECT_EQ(netdev_get_by_name("nosuch9"), nullptr);
    EXPECT_EQ(netdev_get_by_name(nullptr), nullptr);
    ip_addr_t nobody = address("198.51.100.7");
    EXPECT_EQ(netdev_get_by_ipaddr(&nobody), nullptr);
    EXPECT_EQ(netdev_get_by_ipaddr(nullptr), nullptr);
    EXPECT_EQ(netdev_calls_address_of("nosuch9"), nullptr);
}

TEST(Netdev, TheDefaultFollowsTheDefaultStackUntilOneIsChosen)
{
    struct netdev *lo = netdev_get_by_name("lo");
    ASSERT_NE(lo, nullptr);
    if (lwip_run())
    {
        // lwIP's TAP interface, at the address the run gave it.
        ASSERT_NE(netdev_default, nullptr);
        char text[64];
        ASSERT_EQ(netdev_calls_describe_default(text, sizeof text), 0);
        EXPECT_NE(std::string(text).find(" 192.0.2.2 up=1 link=1"), std::string::npos) << text;
        EXPECT_NE(netdev_default, netdev_get_by_name("tap0")); // the host's side of it
    }
    else if (another_interface_up())
    {
        // Never the loopback while another interface can take the default.
        EXPECT_NE(netdev_default, lo);
    }
    struct netdev *followed = netdev_default;
    netdev_set_default(lo);
    EXPECT_EQ(netdev_default, lo);
    netdev_get_by_name("lo"); // a lookup reads the table again and keeps the choice
    EXPECT_EQ(netdev_default, lo);
    netdev_set_default(nullptr);
    EXPECT_EQ(netdev_default, followed);
}

// A host with no network but its loopback (a new network namespace, where even lo is down):
// netdev_default is still an interface, as on a board, where board code reads it unchecked
// (netutils' ntp copies its MAC address).
TEST(Netdev, WithNoOtherInterfaceTheDefaultIsTheLoopback)
{
    if (lwip_run())
        GTEST_SKIP() << "lwIP's interface is the default there";
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0)
    {
        if (unshare(CLONE_NEWNET) != 0)
            _exit(2);
        struct netdev *lo = netdev_get_by_name("lo"); // reads the table again
        _exit(lo && netdev_default == lo && netdev_get_first_by_flags(NETDEV_FLAG_UP) == nullptr
                  ? 0
                  : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 2)
        GTEST_SKIP() << "network namespaces are not permitted here";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "netdev_default is not the loopback there";
}

TEST(Netdev, ByFamilyTheDefaultInterfaceWhenItIsUp)
{
    struct netdev *lo = netdev_get_by_name("lo");
    ASSERT_NE(lo, nullptr);
    netdev_set_default(lo);
    EXPECT_EQ(netdev_get_by_family(AF_INET), lo);
    netdev_set_default(nullptr);
    if (netdev_default) // up: a default is chosen among the interfaces up
    {
        EXPECT_EQ(netdev_get_by_family(AF_INET), netdev_default);
    }
    EXPECT_EQ(netdev_get_by_family(AF_INET6), nullptr); // NETDEV_IPV6 is 0
    EXPECT_EQ(netdev_get_by_family(AF_UNIX), nullptr);
}

TEST(Netdev, AnInterfaceThatGoesLeavesItsNetdevValidDownAndUnlisted)
{
    if (!lwip_run())
        GTEST_SKIP() << "adds an interface: only in the lwIP run's own network namespace";
    ASSERT_EQ(std::system("ip tuntap add dev nd0 mode tap && ip addr add 192.0.2.200/32 dev nd0 && "
                          "ip link set nd0 up"),
              0);
    struct netdev *added = netdev_get_by_name("nd0");
    ASSERT_NE(added, nullptr);
    EXPECT_TRUE(netdev_is_up(added));
    EXPECT_STREQ(netdev_ip4addr_ntoa(&added->ip_addr), "192.0.2.200");
    ASSERT_EQ(std::system("ip link del nd0"), 0);
    EXPECT_EQ(netdev_get_by_name("nd0"), nullptr);
    EXPECT_FALSE(netdev_is_up(added));
    EXPECT_FALSE(listed(added));
}

TEST(Netdev, IfconfigListsTheSameTableAndMarksTheDefault)
{
    msh::register_builtins();
    std::string output = test_support::run_captured("ifconfig");
    int shown = 0;
    for (struct netdev *each = netdev_list; each;
         each = rt_slist_entry(each->list.next, struct netdev, list))
    {
        std::string heading = std::string("network interface device: ") + each->name;
        std::size_t at = output.find(heading);
        EXPECT_NE(at, std::string::npos) << heading << "\n" << output;
        if (at != std::string::npos)
        {
            std::string line = output.substr(at, output.find('\n', at) - at);
            bool marked = line.find("(Default)") != std::string::npos;
            EXPECT_EQ(marked, each == netdev_default) << line;
            std::size_t flags = output.find("FLAGS:", at);
            ASSERT_NE(flags, std::string::npos) << output;
            std::string words = output.substr(flags, output.find('\n', flags) - flags) + " ";
            EXPECT_EQ(words.find(" INTERNET_UP ") != std::string::npos,
                      netdev_is_internet_up(each) != 0)
                << words;
        }
        ++shown;
        if (!each->list.next)
            break;
    }
    EXPECT_EQ(output.find("network interface device:", 0) == std::string::npos, shown == 0);
    std::size_t headings = 0;
    for (std::size_t at = output.find("network interface device:"); at != std::string::npos;
         at = output.find("network interface device:", at + 1))
        ++headings;
    EXPECT_EQ(headings, static_cast<std::size_t>(shown)) << output;
}

} // namespace
