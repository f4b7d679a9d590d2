// The board server sample written with plain sockets (samples/select_server_app.c), linked as
// an application is, on the kernel's stack and, on an lwIP run, with --stack lwip on its own
// lwIP, where the host reaches it only at lwIP's address and the kernel holds none of its
// sockets: it logs netdev's default interface through ulog, its accept loop logs each peer
// with inet_ntoa, it echoes, answers a datagram to its sender, closes a client that left with
// closesocket(); its tcpserver's callback finds each client's peer with getpeername(client->sock);
// and its select() loop, which sets its one-second timeval once, wakes about once a second while
// idle instead of spinning (Linux's select would zero the timeval; SAL's leaves it as a board's
// does).
// SPDX-License-Identifier: Apache-2.0
#include "app_network.h"
#include "child_process.h"
#include "conditions.h"
#include "loopback_client.h"
#include "test_stack.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

using namespace test_support;

namespace
{

unsigned idle_wakeups(ChildProcess &app)
{
    app.type("select_server_stats\n");
    if (!app.expect("idle wake-ups "))
        return 0;
    unsigned count = 0;
    app.expect("\n");
    std::string text = app.transcript();
    std::sscanf(text.c_str() + text.rfind("idle wake-ups ") + 14, "%u", &count);
    return count;
}

} // namespace

TEST(SelectServerApp, AcceptsEchoesAnswersDatagramsAndIdlesWithoutSpinning)
{
    AppNetwork network = app_network();
    const std::string host(network.host_ip);
    ChildProcess app(SELECT_SERVER_APP, app_stack_arguments(), false);
    if (on_lwip())
    {
        EXPECT_TRUE(
            app.expect("I/select_server: default interface tp0 at " + std::string(network.app_ip)))
            << app.transcript();
    }
    ASSERT_TRUE(app.expect("I/select_server: tcp port ")) << app.transcript();
    ASSERT_TRUE(app.expect("\n"));
    unsigned tcp_port = 0, udp_port = 0, server_port = 0;
    std::string text = app.transcript();
    ASSERT_EQ(std::sscanf(text.c_str() + text.find("tcp port "),
                          "tcp port %u, udp port %u, tcpserver port %u", &tcp_port, &udp_port,
                          &server_port),
              3)
        << text;

    LoopbackClient peer(network.app_ip, static_cast<std::uint16_t>(tcp_port));
    ASSERT_TRUE(peer.ok()) << "its listener cannot be reached at " << network.app_ip;
    EXPECT_TRUE(app.expect("I/select_server: accepted " + host + ":" +
                           std::to_string(peer.local_port()) + "\n"))
        << app.transcript();
    ASSERT_TRUE(peer.send_all("hello board"));
    EXPECT_EQ(peer.recv_exact(11), "hello board");

    LoopbackClient served(network.app_ip, static_cast<std::uint16_t>(server_port));
    ASSERT_TRUE(served.ok()) << "its tcpserver cannot be reached at " << network.app_ip;
    EXPECT_TRUE(app.expect("I/select_server: tcpserver client " + host + ":" +
                           std::to_string(served.local_port()) + "\n"))
        << app.transcript();
    ASSERT_TRUE(served.send_all("beside it"));
    EXPECT_EQ(served.recv_exact(9), "beside it");

    // Its listener, a connection, its UDP socket and its tcpserver's two sockets are open now.
    int kernel_sockets = kernel_sockets_of(app.pid());
    if (on_lwip())
        EXPECT_EQ(kernel_sockets, 0) << "the app holds kernel sockets while it runs on lwIP";
    else
        EXPECT_GE(kernel_sockets, 5);

    int datagram = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(datagram, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(udp_port));
    ASSERT_EQ(inet_pton(AF_INET, network.app_ip, &to.sin_addr), 1);
    ASSERT_EQ(::sendto(datagram, "ping", 4, 0, reinterpret_cast<sockaddr *>(&to), sizeof to), 4);
    timeval patience{10, 0};
    ::setsockopt(datagram, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    char answer[8] = {};
    EXPECT_EQ(::recv(datagram, answer, sizeof answer, 0), 4);
    EXPECT_EQ(std::string(answer, 4), "ping");
    EXPECT_TRUE(app.expect("I/select_server: datagram from " + host + ":")) << app.transcript();
    ::close(datagram);

    peer.close();
    EXPECT_TRUE(app.expect(" closed\n")) << app.transcript();

    // Idle: at most one wake-up a second (and a couple for the edges), never a spin.
    unsigned before = idle_wakeups(app);
    auto start = std::chrono::steady_clock::now();
    unsigned after = before;
    ASSERT_TRUE(eventually([&] {
        after = idle_wakeups(app);
        return after >= before + 2;
    })) << "the loop should wake when idle: "
        << app.transcript();
    auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
            .count();
    EXPECT_LE(after - before, static_cast<unsigned>(seconds) + 2) << app.transcript();

    app.type("exit\n");
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
}
