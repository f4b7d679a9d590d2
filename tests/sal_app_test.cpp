// An unchanged board network application (samples/net_app.c) whose own code opens a TCP client
// and a UDP socket beside a tcpserver: run on the kernel's stack, and with --stack lwip inside
// this run's namespace, where all its networking must go over lwIP: the host reaches its
// server and answers its probes through a TAP device, and the kernel holds none of its
// sockets while they are open. The install test runs it again on the program built from the
// same file with the README's one command (its path in NET_APP_PROGRAM).
// SPDX-License-Identifier: Apache-2.0
#include "app_network.h"
#include "child_process.h"
#include "conditions.h"
#include "loopback_client.h"
#include "test_stack.h"

#include <netdev.h>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

using namespace test_support;

namespace
{

constexpr std::uint16_t kAppServerPort = 5001; // net_app's

std::string app_program()
{
    const char *program = std::getenv("NET_APP_PROGRAM");
    return program && *program ? program : NET_APP;
}

std::string expected_default_line(const AppNetwork &network)
{
    if (on_lwip())
        return std::string("I/net_app: default interface tp0 at ") + network.app_ip + " (up)";
    netdev_get_first_by_flags(0); // reads the table
    if (!netdev_default)
        return "W/net_app: no default interface";
    return std::string("I/net_app: default interface ") + netdev_default->name + " at " +
           netdev_ip4addr_ntoa(&netdev_default->ip_addr) +
           (netdev_is_up(netdev_default) ? " (up)" : " (down)");
}

bool readable(int fd)
{
    pollfd entry{fd, POLLIN, 0};
    return ::poll(&entry, 1, static_cast<int>(kPatience.count())) == 1;
}

} // namespace

TEST(SalApp, ItsOwnTcpAndUdpSocketsAndItsServerAllRunOnTheStackItRunsOn)
{
    AppNetwork network = app_network();
    std::uint16_t port = 0;
    int listener = bound_socket(SOCK_STREAM, network.host_ip, port);
    ASSERT_GE(listener, 0);
    ASSERT_EQ(::listen(listener, 4), 0);
    int datagrams = bound_socket(SOCK_DGRAM, network.host_ip, port);
    ASSERT_GE(datagrams, 0) << "UDP port " << port << " is taken";

    ChildProcess app(app_program(), app_stack_arguments(), false);
    ASSERT_TRUE(app.expect("I/net_app: echo server on port 5001")) << app.transcript();
    // netdev's default follows the stack: lwIP's interface at lwIP's address, or the one this
    // process sees on the kernel.
    EXPECT_TRUE(app.expect(expected_default_line(network))) << app.transcript();
    {
        LoopbackClient peer(network.app_ip, kAppServerPort);
        ASSERT_TRUE(peer.ok()) << "the app's tcpserver cannot be reached";
        ASSERT_TRUE(peer.send_all("through the stack\n"));
        EXPECT_EQ(peer.recv_exact(18), "through the stack\n");
    }

    app.type("net_probe " + std::string(network.host_ip) + " " + std::to_string(port) + "\n");
    ASSERT_TRUE(readable(listener)) << app.transcript();
    int connection = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(connection, 0);
    ASSERT_TRUE(readable(connection));
    // The app's client socket is open and waiting in select() for the answer now.
    int kernel_sockets = kernel_sockets_of(app.pid());
    if (on_lwip())
        EXPECT_EQ(kernel_sockets, 0) << "the app holds kernel sockets while it runs on lwIP";
    else
        EXPECT_GE(kernel_sockets, 2) << "its server's and its client's";
    char line[64];
    ssize_t n = ::recv(connection, line, sizeof line, 0);
    ASSERT_EQ(std::string(line, n > 0 ? n : 0), "tcp hello\n")
        << "recv: " << n << " " << std::strerror(errno) << "\n" << app.transcript();
    ASSERT_EQ(::send(connection, "re:tcp\n", 7, MSG_NOSIGNAL), 7);
    EXPECT_TRUE(app.expect("net_probe: tcp answer re:tcp\n")) << app.transcript();
    ::close(connection);

    ASSERT_TRUE(readable(datagrams)) << app.transcript();
    sockaddr_in from{};
    socklen_t from_length = sizeof from;
    n = ::recvfrom(datagrams, line, sizeof line, 0, reinterpret_cast<sockaddr *>(&from),
                   &from_length);
    ASSERT_EQ(std::string(line, n > 0 ? n : 0), "udp hello\n");
    char from_ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &from.sin_addr, from_ip, sizeof from_ip);
    EXPECT_STREQ(from_ip, network.app_ip);
    ASSERT_EQ(
        ::sendto(datagrams, "re:udp\n", 7, 0, reinterpret_cast<sockaddr *>(&from), from_length), 7);
    EXPECT_TRUE(app.expect("net_probe: udp answer from " + std::string(network.host_ip) + ":" +
                           std::to_string(port) + " re:udp\n"))
        << app.transcript();
    EXPECT_TRUE(app.expect("net_probe: done\n")) << app.transcript();

    app.type("exit\n");
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
    ::close(listener);
    ::close(datagrams);
}
