// An application written in C against the RT-Thread headers compiles unchanged and runs: the
// package's echo sample (samples/echo_sample.c), started and stopped as its commands would.
// SPDX-License-Identifier: Apache-2.0
#include "loopback_client.h"

#include <gtest/gtest.h>

#include "echo_sample.h"

using namespace test_support;

TEST(CApplication, EchoSampleRunsAndStops)
{
    testing::internal::CaptureStdout();
    struct tcpserver *server = echo_sample_start("127.0.0.1", 0);
    ASSERT_NE(server, nullptr);
    {
        LoopbackClient peer("127.0.0.1", server->port);
        std::string message = random_bytes(5000, 41);
        ASSERT_TRUE(peer.send_all(message));
        EXPECT_TRUE(peer.recv_exact(message.size()) == message);
    }
    EXPECT_EQ(echo_sample_stop(), RT_EOK);
    std::string console = testing::internal::GetCapturedStdout();
    EXPECT_NE(console.find(" D/tcpserv: client connect:"), std::string::npos) << console;
}

TEST(CApplication, BadAddressFailsCleanly)
{
    testing::internal::CaptureStdout();
    EXPECT_EQ(echo_sample_start("not-an-ip", 0), nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    std::string console = testing::internal::GetCapturedStdout();
    EXPECT_NE(
        console.find(
            "E/tcpserv: cannot serve on not-an-ip port 0: not a numeric IPv4 or IPv6 address"),
        std::string::npos)
        << console;
    EXPECT_EQ(echo_sample_stop(), -RT_EINVAL);
}
