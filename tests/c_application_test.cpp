// An application written in C against the RT-Thread headers compiles unchanged and runs: the
// package's echo sample, started and stopped as its shell commands would.
// SPDX-License-Identifier: Apache-2.0
#include "loopback_client.h"

#include <gtest/gtest.h>

extern "C"
{
int c_application_start(const char *ip, unsigned short port);
int c_application_stop(void);
}

using namespace test_support;

TEST(CApplication, EchoSampleRunsAndStops)
{
    testing::internal::CaptureStdout();
    int port = c_application_start("127.0.0.1", 0);
    ASSERT_GT(port, 0);
    {
        LoopbackClient peer("127.0.0.1", static_cast<std::uint16_t>(port));
        std::string message = random_bytes(5000, 41);
        ASSERT_TRUE(peer.send_all(message));
        EXPECT_TRUE(peer.recv_exact(message.size()) == message);
    }
    EXPECT_EQ(c_application_stop(), 0);
    std::string console = testing::internal::GetCapturedStdout();
    EXPECT_NE(console.find(" D/app: client connect:"), std::string::npos) << console;
}

TEST(CApplication, BadAddressFailsCleanly)
{
    testing::internal::CaptureStdout();
    EXPECT_EQ(c_application_start("not-an-ip", 0), -1);
    std::string console = testing::internal::GetCapturedStdout();
    EXPECT_NE(console.find("E/app: create failed: -10"), std::string::npos) << console;
}
