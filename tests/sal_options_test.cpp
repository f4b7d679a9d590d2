// Socket settings of an application's sockets through SAL, on the stack they live on:
// O_NONBLOCK by fcntl and FIONBIO by ioctlsocket, FIONREAD, SO_RCVTIMEO, and the addresses of
// both ends.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "sal_sockets.h"
#include "test_stack.h"

#include "sal/api.h"

#include <gtest/gtest.h>
#include <sal_socket.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace test_support;
namespace api = tcp_server::detail::sal::api;

namespace
{

class SalOptions : public SalConnectionTest
{
  protected:
    ssize_t receive(char *buffer, std::size_t size)
    {
        ssize_t n = sal_recvfrom(fd_, buffer, size, 0, nullptr, nullptr);
        error_ = errno;
        return n;
    }
    int error_ = 0;
};

} // namespace

TEST_F(SalOptions, NonblockingByFcntlOrFionbioFailsARecvWithNothingToRead)
{
    int flags = api::fcntl(fd_, F_GETFL, 0);
    ASSERT_GE(flags, 0);
    EXPECT_EQ(flags & O_NONBLOCK, 0);
    ASSERT_EQ(api::fcntl(fd_, F_SETFL, static_cast<unsigned long>(flags | O_NONBLOCK)), 0);
    ASSERT_NE(api::fcntl(fd_, F_GETFL, 0) & O_NONBLOCK, 0);
    char buffer[8];
    EXPECT_EQ(receive(buffer, sizeof buffer), -1);
    EXPECT_EQ(error_, EAGAIN);

    ASSERT_EQ(api::fcntl(fd_, F_SETFL, static_cast<unsigned long>(flags)), 0);
    ASSERT_EQ(api::fcntl(fd_, F_GETFL, 0) & O_NONBLOCK, 0);
    int on = 1;
    ASSERT_EQ(ioctlsocket(fd_, FIONBIO, &on), 0);
    ASSERT_NE(api::fcntl(fd_, F_GETFL, 0) & O_NONBLOCK, 0);
    EXPECT_EQ(receive(buffer, sizeof buffer), -1);
    EXPECT_EQ(error_, EAGAIN);
}

TEST_F(SalOptions, FionreadCountsWhatArrived)
{
    ASSERT_EQ(::send(host_, "12345", 5, MSG_NOSIGNAL), 5);
    int unread = 0;
    EXPECT_TRUE(eventually([&] { return ioctlsocket(fd_, FIONREAD, &unread) == 0 && unread == 5; }))
        << unread;
}

TEST_F(SalOptions, ReceiveTimeoutEndsABlockingRecvWithEagain)
{
    timeval limit{0, 50000};
    ASSERT_EQ(sal_setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit), 0);
    timeval read_back{};
    socklen_t length = sizeof read_back;
    ASSERT_EQ(sal_getsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &read_back, &length), 0);
    EXPECT_EQ(read_back.tv_sec, 0);
    EXPECT_GE(read_back.tv_usec, 50000) << "the kernel rounds it up to its clock, never down";
    char buffer[8];
    EXPECT_EQ(receive(buffer, sizeof buffer), -1);
    EXPECT_TRUE(error_ == EAGAIN || error_ == EWOULDBLOCK) << error_;
}

TEST_F(SalOptions, BothEndsAddressesAreTheStacks)
{
    sockaddr_in local{}, peer{};
    socklen_t length = sizeof local;
    ASSERT_EQ(sal_getsockname(fd_, reinterpret_cast<sockaddr *>(&local), &length), 0);
    length = sizeof peer;
    ASSERT_EQ(sal_getpeername(fd_, reinterpret_cast<sockaddr *>(&peer), &length), 0);
    char ip[INET_ADDRSTRLEN];
    EXPECT_STREQ(inet_ntop(AF_INET, &local.sin_addr, ip, sizeof ip), server_ip());
    EXPECT_STREQ(inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip), peer_ip());

    sockaddr_in host_peer{};
    length = sizeof host_peer;
    ASSERT_EQ(::getpeername(host_, reinterpret_cast<sockaddr *>(&host_peer), &length), 0);
    EXPECT_EQ(host_peer.sin_port, local.sin_port);
}
