// msh over lwIP, as a user runs it: `tcpserver <ip> <port> --stack lwip` serves the package's
// echo sample through a TAP device, tcpserver_list and ifconfig show lwIP, and a TAP device
// that is missing is one clear error after which the shell goes on. Runs only on lwIP
// (--stack=lwip): this process's own lwIP holds tap0, so the shell gets a device of its own.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "child_process.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace test_support;

namespace
{

constexpr const char *kShellIp = "192.0.2.130";

// tap1 with the host's side at 192.0.2.129/25 and 2001:db8:1::1/64, subnets apart from this
// process's tap0.
void give_the_shell_a_tap_device()
{
    static bool created = std::system("ip tuntap add dev tap1 mode tap && "
                                      "ip addr add 192.0.2.129/25 dev tap1 && "
                                      "ip -6 addr add 2001:db8:1::1/64 dev tap1 nodad && "
                                      "ip link set tap1 up") == 0;
    ASSERT_TRUE(created) << "tap1 cannot be created";
    setenv("TCPSERVER_LWIP_TAP", "tap1", 1);
    setenv("TCPSERVER_LWIP_IPADDR", kShellIp, 1);
    setenv("TCPSERVER_LWIP_NETMASK", "255.255.255.128", 1);
    setenv("TCPSERVER_LWIP_GWADDR", "192.0.2.129", 1);
    setenv("TCPSERVER_LWIP_IP6ADDR", "2001:db8:1::2", 1);
}

class ShellOnLwip : public testing::Test
{
  protected:
    void SetUp() override
    {
        if (!on_lwip())
            GTEST_SKIP() << "run with --stack=lwip";
        give_the_shell_a_tap_device();
    }
};

} // namespace

TEST_F(ShellOnLwip, ServesTheEchoSampleThroughTheTapDevice)
{
    ChildProcess shell({}, false);
    shell.type("tcpserver 192.0.2.130 5000 --stack lwip\n");
    ASSERT_TRUE(shell.expect("tcpserver started on 192.0.2.130 port 5000")) << shell.transcript();
    {
        LoopbackClient peer(kShellIp, 5000);
        ASSERT_TRUE(peer.ok());
        std::string message = random_bytes(100000, 13);
        ASSERT_TRUE(peer.send_all(message));
        EXPECT_TRUE(peer.recv_exact(message.size()) == message);
        EXPECT_TRUE(shell.expect(" D/tcpserv: client connect:")) << shell.transcript();
    }
    EXPECT_TRUE(shell.expect(" D/tcpserv: client disconnect:")) << shell.transcript();
    shell.type("tcpserver_list\n");
    EXPECT_TRUE(shell.expect("192.0.2.130")) << shell.transcript();
    EXPECT_TRUE(shell.expect(" 5000 lwip   lwip_poll ")) << shell.transcript();
    shell.type("ifconfig\n");
    EXPECT_TRUE(shell.expect("(lwIP over tap1)")) << shell.transcript();
    EXPECT_TRUE(shell.expect("ip address: 192.0.2.130\n")) << shell.transcript();
    EXPECT_TRUE(shell.expect("ipv6 address: 2001:db8:1::2\n")) << shell.transcript();
    shell.type("tcpserver_stop\n");
    EXPECT_TRUE(shell.expect("tcpserver stopped on 192.0.2.130 port 5000\n")) << shell.transcript();
    shell.type("exit\n");
    EXPECT_EQ(shell.wait_exit(), 0);
}

TEST_F(ShellOnLwip, AMissingTapDeviceIsOneClearErrorAndTheShellGoesOn)
{
    setenv("TCPSERVER_LWIP_TAP", "tap9", 1);
    ChildProcess shell({}, false);
    shell.type("tcpserver 192.0.2.130 5000 --stack lwip\n");
    EXPECT_TRUE(shell.expect("there is no network device tap9; create it: ip tuntap add dev tap9"))
        << shell.transcript();
    EXPECT_TRUE(shell.expect("cannot serve on 192.0.2.130 port 5000: lwIP's TAP device is missing"))
        << shell.transcript();
    shell.type("tcpserver 127.0.0.1 0\n");
    EXPECT_TRUE(shell.expect("tcpserver started on 127.0.0.1 port ")) << shell.transcript();
    shell.type("exit\n");
    EXPECT_EQ(shell.wait_exit(), 1) << "a command failed";
}
