// select() and poll() over an application's sockets through SAL: they see what the socket's
// stack has, keep the board's (lwIP's) semantics for the timeval (never changed, so a loop
// that reuses it does not spin), and refuse a set that mixes stacks with EINVAL.
// SPDX-License-Identifier: Apache-2.0
#include "sal_sockets.h"
#include "test_stack.h"

#include "sal/api.h"

#include <gtest/gtest.h>
#include <sal_socket.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace test_support;
namespace api = tcp_server::detail::sal::api;

using SalSelect = SalConnectionTest;

TEST_F(SalSelect, SeesDataArriveAndLeavesTheTimevalAsItWas)
{
    ASSERT_EQ(::send(host_, "x", 1, MSG_NOSIGNAL), 1);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fd_, &readable);
    timeval timeout{10, 0};
    ASSERT_EQ(api::select(fd_ + 1, &readable, nullptr, nullptr, &timeout), 1);
    EXPECT_TRUE(FD_ISSET(fd_, &readable));
    EXPECT_EQ(timeout.tv_sec, 10);
    EXPECT_EQ(timeout.tv_usec, 0);

    char byte;
    ASSERT_EQ(sal_recvfrom(fd_, &byte, 1, 0, nullptr, nullptr), 1);
    FD_ZERO(&readable);
    FD_SET(fd_, &readable);
    timeval short_wait{0, 20000};
    EXPECT_EQ(api::select(fd_ + 1, &readable, nullptr, nullptr, &short_wait), 0);
    EXPECT_FALSE(FD_ISSET(fd_, &readable));
    EXPECT_EQ(short_wait.tv_usec, 20000) << "a loop reusing it would spin";
}

TEST_F(SalSelect, PollSeesDataAndTheEndOfTheStream)
{
    pollfd entry{fd_, POLLIN, 0};
    EXPECT_EQ(api::poll(&entry, 1, 0), 0);
    ASSERT_EQ(::send(host_, "x", 1, MSG_NOSIGNAL), 1);
    ASSERT_EQ(api::poll(&entry, 1, 10000), 1);
    EXPECT_TRUE(entry.revents & POLLIN);
    char byte;
    ASSERT_EQ(sal_recvfrom(fd_, &byte, 1, 0, nullptr, nullptr), 1);
    ::close(host_);
    host_ = -1;
    entry.revents = 0;
    ASSERT_EQ(api::poll(&entry, 1, 10000), 1);
    EXPECT_TRUE(entry.revents & (POLLIN | POLLHUP));
    EXPECT_EQ(sal_recvfrom(fd_, &byte, 1, 0, nullptr, nullptr), 0);
}

TEST_F(SalSelect, ASetMixingStacksFailsWithEinvalAndOneLogLine)
{
    if (!on_lwip())
        GTEST_SKIP() << "one stack only on a kernel run";
    int pipe_ends[2];
    ASSERT_EQ(::pipe2(pipe_ends, O_CLOEXEC), 0);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fd_, &readable);
    FD_SET(pipe_ends[0], &readable);
    timeval timeout{0, 0};
    testing::internal::CaptureStdout();
    int result = api::select(fd_ + 1, &readable, nullptr, nullptr, &timeout);
    int error = errno;
    std::string log = testing::internal::GetCapturedStdout();
    EXPECT_EQ(result, -1);
    EXPECT_EQ(error, EINVAL);
    EXPECT_NE(log.find("W/sal: select"), std::string::npos) << log;
    pollfd entries[2] = {{fd_, POLLIN, 0}, {pipe_ends[0], POLLIN, 0}};
    EXPECT_EQ(api::poll(entries, 2, 0), -1);
    EXPECT_EQ(errno, EINVAL);
    ::close(pipe_ends[0]);
    ::close(pipe_ends[1]);
}
