// Every sample program runs and does what it shows: the blocking accept loop, two servers on
// two local addresses, the C++ API echo, and the line-based command server; each stops cleanly
// on SIGINT or SIGTERM.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

using namespace test_support;

TEST(Samples, AcceptLoopEchoesWithAThreadPerClient)
{
    ChildProcess sample(ACCEPT_LOOP_SAMPLE, {"127.0.0.1", "0"}, false);
    ASSERT_TRUE(sample.expect("accept loop sample serving on 127.0.0.1 port "))
        << sample.transcript();
    ASSERT_TRUE(sample.expect("\n"));
    auto port = static_cast<std::uint16_t>(port_after(sample.transcript(), "serving on"));
    std::vector<std::thread> clients;
    std::atomic<int> exact{0};
    for (int c = 0; c < 4; ++c)
    {
        clients.emplace_back([&, c] {
            LoopbackClient peer("127.0.0.1", port);
            for (int m = 0; m < 20; ++m)
            {
                std::string message = random_bytes(1 + (c * 997 + m * 131) % 20000, c * 100 + m);
                if (!peer.send_all(message) || peer.recv_exact(message.size()) != message)
                    return;
            }
            ++exact;
        });
    }
    for (auto &client : clients)
        client.join();
    EXPECT_EQ(exact.load(), 4);
    sample.signal(SIGTERM);
    EXPECT_EQ(sample.wait_exit(), 0);
    EXPECT_NE(sample.transcript().find("accept loop sample stopped"), std::string::npos);
}

TEST(Samples, TwoCardsServeTheSamePortOnTwoAddresses)
{
    ChildProcess sample(TWO_CARDS_SAMPLE, {"127.0.0.1", "127.0.0.2", "0"}, false);
    ASSERT_TRUE(sample.expect("serving on 127.0.0.1 and 127.0.0.2, port ")) << sample.transcript();
    ASSERT_TRUE(sample.expect("\n"));
    auto port = static_cast<std::uint16_t>(port_after(sample.transcript(), "127.0.0.2, "));
    for (const char *address : {"127.0.0.1", "127.0.0.2"})
    {
        LoopbackClient peer(address, port);
        std::string greeting = std::string("hello from ") + address + "\n";
        EXPECT_EQ(peer.recv_exact(greeting.size()), greeting);
        ASSERT_TRUE(peer.send_all("echo me"));
        EXPECT_EQ(peer.recv_exact(7), "echo me");
    }
    sample.signal(SIGINT);
    EXPECT_EQ(sample.wait_exit(), 0);
}

TEST(Samples, CppEchoUsesTheRaiiApi)
{
    ChildProcess sample(CPP_ECHO_SAMPLE, {"::1", "0"}, false);
    ASSERT_TRUE(sample.expect("C++ echo sample serving on ::1 port ")) << sample.transcript();
    ASSERT_TRUE(sample.expect("\n"));
    auto port = static_cast<std::uint16_t>(port_after(sample.transcript(), "serving on"));
    {
        LoopbackClient peer("::1", port);
        std::string message = random_bytes(300000, 81);
        std::string received;
        std::thread reader([&] { received = peer.recv_exact(message.size()); });
        ASSERT_TRUE(peer.send_all(message));
        reader.join();
        EXPECT_TRUE(received == message);
        EXPECT_TRUE(sample.expect("client 1 connected from [::1]:"));
    }
    EXPECT_TRUE(sample.expect("client 1 left"));
    sample.signal(SIGTERM);
    EXPECT_EQ(sample.wait_exit(), 0);
    EXPECT_NE(sample.transcript().find("stopped after echoing 300000 bytes"), std::string::npos)
        << sample.transcript();
}

TEST(Samples, LineCommandsAreFramedFromTheByteStream)
{
    ChildProcess sample(LINE_COMMANDS_SAMPLE, {"127.0.0.1", "0"}, false);
    ASSERT_TRUE(sample.expect("line commands sample serving on 127.0.0.1 port "))
        << sample.transcript();
    ASSERT_TRUE(sample.expect("\n"));
    auto port = static_cast<std::uint16_t>(port_after(sample.transcript(), "serving on"));
    LoopbackClient peer("127.0.0.1", port);
    ASSERT_TRUE(peer.send_all("GET_TEMP\n"));
    EXPECT_EQ(peer.recv_exact(10), "TEMP 23.5\n");
    // One command split across writes, and several in one write, with CRLF and an unknown one.
    ASSERT_TRUE(peer.send_all("GET_HUM"));
    ASSERT_TRUE(peer.stays_silent(std::chrono::milliseconds(50))) << "no answer to half a line";
    ASSERT_TRUE(peer.send_all("IDITY\nGET_TEMP\r\nBOGUS\n"));
    std::string expected = "HUMIDITY 45%\nTEMP 23.5\nERROR unknown command: BOGUS\n";
    EXPECT_EQ(peer.recv_exact(expected.size()), expected);
    // A line longer than the server keeps is refused as a whole, and the next one is served.
    ASSERT_TRUE(peer.send_all(std::string(300, 'x') + "\nGET_TEMP\n"));
    expected = "ERROR line too long\nTEMP 23.5\n";
    EXPECT_EQ(peer.recv_exact(expected.size()), expected);
    sample.signal(SIGTERM);
    EXPECT_EQ(sample.wait_exit(), 0);
}
