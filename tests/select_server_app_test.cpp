// The board server sample written with plain sockets (samples/select_server_app.c), linked as
// an application is: its accept loop prints each peer with inet_ntoa, it echoes, answers a
// datagram to its sender, closes a client that left with closesocket(), and its select() loop,
// which sets its one-second timeval once, wakes about once a second while idle instead of
// spinning (Linux's select would zero the timeval; SAL's leaves it as a board's does).
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"
#include "conditions.h"
#include "loopback_client.h"

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
    ChildProcess app(SELECT_SERVER_APP, {"-q"}, false);
    ASSERT_TRUE(app.expect("select_server_app: tcp port ")) << app.transcript();
    ASSERT_TRUE(app.expect("\n"));
    unsigned tcp_port = 0, udp_port = 0;
    std::string text = app.transcript();
    ASSERT_EQ(std::sscanf(text.c_str() + text.find("tcp port "), "tcp port %u, udp port %u",
                          &tcp_port, &udp_port),
              2)
        << text;

    LoopbackClient peer("127.0.0.1", static_cast<std::uint16_t>(tcp_port));
    EXPECT_TRUE(app.expect("accepted 127.0.0.1:" + std::to_string(peer.local_port()) + "\n"))
        << app.transcript();
    ASSERT_TRUE(peer.send_all("hello board"));
    EXPECT_EQ(peer.recv_exact(11), "hello board");

    int datagram = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(datagram, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(udp_port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::sendto(datagram, "ping", 4, 0, reinterpret_cast<sockaddr *>(&to), sizeof to), 4);
    timeval patience{10, 0};
    ::setsockopt(datagram, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    char answer[8] = {};
    EXPECT_EQ(::recv(datagram, answer, sizeof answer, 0), 4);
    EXPECT_EQ(std::string(answer, 4), "ping");
    EXPECT_TRUE(app.expect("datagram from 127.0.0.1:")) << app.transcript();
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
    })) << "the loop should wake when idle: " << app.transcript();
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    EXPECT_LE(after - before, static_cast<unsigned>(seconds) + 2) << app.transcript();

    app.type("exit\n");
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
}
