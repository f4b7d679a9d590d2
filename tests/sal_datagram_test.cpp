// UDP through SAL: an application's datagram socket sends to the host and receives its
// answer, with the sender's address, on the stack it lives on.
// SPDX-License-Identifier: Apache-2.0
#include "sal_sockets.h"
#include "test_stack.h"

#include <gtest/gtest.h>
#include <sal_socket.h>

#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

using namespace test_support;

TEST(SalDatagram, SendsToTheHostAndReceivesItsAnswerWithItsAddress)
{
    std::uint16_t host_port = 0;
    int host = host_datagram_socket(host_port);
    ASSERT_GE(host, 0);
    int fd = sal_socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0) << std::strerror(errno);

    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(host_port);
    inet_pton(AF_INET, peer_ip(), &to.sin_addr);
    ASSERT_EQ(sal_sendto(fd, "ping", 4, 0, reinterpret_cast<sockaddr *>(&to), sizeof to), 4);

    pollfd waiting{host, POLLIN, 0};
    ASSERT_EQ(::poll(&waiting, 1, 10000), 1);
    char buffer[16];
    sockaddr_in from{};
    socklen_t length = sizeof from;
    ASSERT_EQ(::recvfrom(host, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr *>(&from),
                         &length),
              4);
    char ip[INET_ADDRSTRLEN];
    EXPECT_STREQ(inet_ntop(AF_INET, &from.sin_addr, ip, sizeof ip), server_ip());
    ASSERT_EQ(::sendto(host, "pong!", 5, 0, reinterpret_cast<sockaddr *>(&from), length), 5);

    sockaddr_in sender{};
    length = sizeof sender;
    ASSERT_EQ(sal_recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr *>(&sender),
                           &length),
              5);
    EXPECT_EQ(std::string(buffer, 5), "pong!");
    EXPECT_STREQ(inet_ntop(AF_INET, &sender.sin_addr, ip, sizeof ip), peer_ip());
    EXPECT_EQ(ntohs(sender.sin_port), host_port);
    EXPECT_EQ(closesocket(fd), 0);
    ::close(host);
}
