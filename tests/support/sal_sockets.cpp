// SPDX-License-Identifier: Apache-2.0
#include "sal_sockets.h"

#include "test_stack.h"

#include <sal_socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace test_support
{

namespace
{

sockaddr_in address_of(const char *ip, std::uint16_t port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, ip, &address.sin_addr);
    return address;
}

std::uint16_t host_port(int fd)
{
    sockaddr_in address{};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    return ntohs(address.sin_port);
}

int host_socket(int type, std::uint16_t &port)
{
    int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    sockaddr_in address = address_of(peer_ip(), 0);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
    {
        if (fd >= 0)
            ::close(fd);
        return -1;
    }
    port = host_port(fd);
    return fd;
}

} // namespace

int sal_listener(std::uint16_t &port)
{
    int fd = sal_socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = address_of(server_ip(), 0);
    if (fd < 0 || sal_bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        sal_listen(fd, 4) != 0)
    {
        if (fd >= 0)
            closesocket(fd);
        return -1;
    }
    socklen_t length = sizeof address;
    sal_getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    port = ntohs(address.sin_port);
    return fd;
}

int sal_connection(int &host_end)
{
    host_end = -1;
    std::uint16_t port = 0;
    int listener = host_socket(SOCK_STREAM, port);
    if (listener < 0 || ::listen(listener, 4) != 0)
        return -1;
    int fd = sal_socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = address_of(peer_ip(), port);
    if (fd >= 0 && sal_connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0)
    {
        pollfd waiting{listener, POLLIN, 0};
        if (::poll(&waiting, 1, 10000) == 1)
            host_end = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    }
    ::close(listener);
    if (host_end < 0 && fd >= 0)
    {
        closesocket(fd);
        return -1;
    }
    return fd;
}

int host_datagram_socket(std::uint16_t &port)
{
    return host_socket(SOCK_DGRAM, port);
}

void SalConnectionTest::SetUp()
{
    fd_ = sal_connection(host_);
    ASSERT_GE(fd_, 0) << std::strerror(errno);
}

void SalConnectionTest::TearDown()
{
    if (fd_ >= 0)
        closesocket(fd_);
    if (host_ >= 0)
        ::close(host_);
}

} // namespace test_support
