// msh's ping (netdev_cmd_ping): ICMP echoes from an interface over its own stack, printed as
// RT-Thread's ping prints them: on a kernel run from lo to 127.0.0.1, on an lwIP run from lwIP's
// tp0 to the host's side of the TAP device. Timeouts, bad input, and a process without
// CAP_NET_RAW (the kernel's unprivileged ping sockets) too.
// SPDX-License-Identifier: Apache-2.0
#include "shell_capture.h"
#include "test_stack.h"

#include <netdev.h>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

using namespace test_support;

namespace
{

// Who answers this run's pings, and from which interface they leave.
std::string target()
{
    return on_lwip() ? peer_ip() : "127.0.0.1";
}
std::string interface_name()
{
    return on_lwip() ? "tp0" : "lo";
}

// The line run as msh runs it.
std::string run(const std::string &line, int *status = nullptr)
{
    static bool registered = (msh::register_builtins(), true);
    (void)registered;
    return run_captured(line, status);
}

bool has(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(Ping, AnswersArePrintedAsOnABoardWithASummary)
{
    int status = -1;
    std::string out = run("ping " + target() + " " + interface_name() + " 2", &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_TRUE(has(out, "60 bytes from " + target() + " icmp_seq=1 ttl=")) << out;
    EXPECT_TRUE(has(out, "60 bytes from " + target() + " icmp_seq=2 ttl=")) << out;
    EXPECT_TRUE(has(out, "\n--- " + target() + " ping statistics ---\n")) << out;
    EXPECT_TRUE(has(out, "2 packets transmitted, 2 received, 0% packet loss\n")) << out;
    EXPECT_TRUE(has(out, "minimum = ")) << out;
    EXPECT_FALSE(has(out, "using default netdev")) << out;
}

TEST(Ping, TheDataSizeIsSentAndTheAnswerCountsItsIpHeader)
{
    std::string out = run("ping " + target() + " " + interface_name() + " 1 100");
    EXPECT_TRUE(has(out, "128 bytes from " + target() + " icmp_seq=1 ttl=")) << out;
}

TEST(Ping, AnUnknownInterfaceSaysSoAndUsesTheDefault)
{
    std::string out = run("ping " + target() + " nosuch 1");
    ASSERT_NE(netdev_default, nullptr);
    EXPECT_TRUE(has(out, std::string("ping: not found specified netif, using default netdev ") +
                             netdev_default->name + ".\n"))
        << out;
    EXPECT_TRUE(has(out, "1 packets transmitted, 1 received, 0% packet loss")) << out;
}

TEST(Ping, NobodyAnsweringIsATimeoutForEachEchoAndAllIsLost)
{
    if (!on_lwip())
        GTEST_SKIP() << "every address a kernel run may ping answers (loopback only)";
    std::string out = run("ping 192.0.2.77 tp0 1"); // in the TAP's network, unused
    EXPECT_TRUE(has(out, "ping: from 192.0.2.77 icmp_seq=1 timeout\n")) << out;
    EXPECT_TRUE(has(out, "1 packets transmitted, 0 received, 100% packet loss\n")) << out;
    EXPECT_FALSE(has(out, "minimum")) << out;
}

TEST(Ping, BadInputIsRefusedWithTheReason)
{
    int status = 0;
    std::string out = run("ping", &status);
    EXPECT_TRUE(has(out, "Please input: ping <host address> [netdev name] [times] [data size]"))
        << out;
    EXPECT_NE(status, 0);
    out = run("ping " + target() + " " + interface_name() + " 0", &status);
    EXPECT_TRUE(has(out, "Please input: ping")) << out;
    EXPECT_NE(status, 0);
    out = run("ping " + target() + " " + interface_name() + " 1 70000", &status);
    EXPECT_TRUE(has(out, "ping: data size 70000 is more than 65507\n")) << out;
    EXPECT_NE(status, 0);
    if (on_lwip())
    {
        // lwIP here resolves no names (and a kernel run's would ask a name server).
        out = run("ping no.such.host tp0 1", &status);
        EXPECT_TRUE(has(out, "ping: unknown host no.such.host\n")) << out;
        EXPECT_NE(status, 0);
    }
}

namespace
{

// In a child alone in a new network namespace with lo up, without CAP_NET_RAW: pings lo with
// ping sockets allowed to its group or not, and returns what it printed.
std::string ping_without_raw_sockets(bool ping_sockets_allowed, int &child_status)
{
    char path[] = "/tmp/ping_test_XXXXXX";
    int output = mkstemp(path);
    if (output < 0)
        return "";
    pid_t child = fork();
    if (child == 0)
    {
        dup2(output, STDOUT_FILENO);
        close(output);
        if (unshare(CLONE_NEWNET) != 0)
            _exit(3);
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ifreq request{};
        std::snprintf(request.ifr_name, sizeof request.ifr_name, "lo");
        request.ifr_flags = IFF_UP | IFF_RUNNING;
        if (ioctl(fd, SIOCSIFFLAGS, &request) != 0)
            _exit(3);
        close(fd);
        std::ofstream("/proc/sys/net/ipv4/ping_group_range")
            << (ping_sockets_allowed ? "0 0" : "1 0");
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct data[2]{};
        if (syscall(SYS_capget, &header, data) != 0)
            _exit(3);
        data[0].effective &= ~(1u << CAP_NET_RAW);
        data[0].permitted &= ~(1u << CAP_NET_RAW);
        if (syscall(SYS_capset, &header, data) != 0)
            _exit(3);
        char host[] = "127.0.0.1";
        char lo[] = "lo";
        int result = netdev_cmd_ping(host, lo, 1, 0);
        std::fflush(stdout);
        _exit(result == RT_EOK ? 0 : 1);
    }
    waitpid(child, &child_status, 0);
    std::ifstream printed(path);
    std::stringstream text;
    text << printed.rdbuf();
    close(output);
    unlink(path);
    return text.str();
}

} // namespace

TEST(Ping, WithoutRawSocketsTheKernelsPingSocketsServeOrTheReasonIsGiven)
{
    if (on_lwip())
        GTEST_SKIP() << "lwIP's raw sockets need no privilege";
    int status = 0;
    std::string out = ping_without_raw_sockets(true, status);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 3)
        GTEST_SKIP() << "namespaces or capabilities cannot be changed here";
    EXPECT_EQ(WEXITSTATUS(status), 0) << out;
    EXPECT_TRUE(has(out, "60 bytes from 127.0.0.1 icmp_seq=1 ttl=64 ")) << out;

    out = ping_without_raw_sockets(false, status);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1) << out;
    EXPECT_TRUE(has(out, "ping: no ICMP socket on lo: Operation not permitted (raw sockets need "
                         "CAP_NET_RAW; ping sockets, a group in net.ipv4.ping_group_range)\n"))
        << out;
}
