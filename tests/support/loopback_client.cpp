// A test peer on loopback.
// SPDX-License-Identifier: Apache-2.0
#include "loopback_client.h"

#include "test_stack.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

namespace test_support
{

namespace
{
using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

/**
 * lwIP keeps a connection its server closed first in TIME_WAIT for two minutes and answers a
 * SYN that reuses its ports with a bare ACK, so that connect waits; Linux may pick a recently
 * used port again well within that time. On lwIP each peer therefore takes a port of its own,
 * from a range below the kernel's ephemeral ports, that no test exhausts in two minutes.
 */
bool bind_unused_port(int fd)
{
    constexpr int kFirst = 10000;
    constexpr int kCount = 22000;
    static std::atomic<int> next{0};
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(static_cast<std::uint16_t>(kFirst + next++ % kCount));
    return ::bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local) == 0;
}
} // namespace

LoopbackClient::LoopbackClient(const std::string &ip, std::uint16_t port, milliseconds limit,
                               int receive_buffer)
{
    sockaddr_storage address{};
    socklen_t length;
    auto *v4 = reinterpret_cast<sockaddr_in *>(&address);
    auto *v6 = reinterpret_cast<sockaddr_in6 *>(&address);
    if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1)
    {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        length = sizeof *v4;
    }
    else if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1)
    {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        length = sizeof *v6;
    }
    else
    {
        return;
    }
    fd_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
        return;
    if (receive_buffer > 0)
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (on_lwip() && address.ss_family == AF_INET && !bind_unused_port(fd_))
    {
        connect_error_ = errno;
        close();
        return;
    }
    if (::connect(fd_, reinterpret_cast<sockaddr *>(&address), length) == 0)
        return;
    int error = errno;
    socklen_t error_length = sizeof error;
    if (error == EINPROGRESS)
    {
        error = ETIMEDOUT;
        if (wait(POLLOUT, limit) > 0)
            ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &error_length);
    }
    if (error != 0)
    {
        connect_error_ = error;
        close();
    }
}

std::uint16_t LoopbackClient::local_port() const
{
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (fd_ < 0 || getsockname(fd_, reinterpret_cast<sockaddr *>(&local), &length) != 0)
        return 0;
    if (local.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&local)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&local)->sin_port);
}

LoopbackClient::LoopbackClient(LoopbackClient &&other) noexcept : fd_(other.fd_)
{
    other.fd_ = -1;
}

LoopbackClient &LoopbackClient::operator=(LoopbackClient &&other) noexcept
{
    if (this != &other)
    {
        close();
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

LoopbackClient::~LoopbackClient()
{
    close();
}

int LoopbackClient::wait(short events, milliseconds limit)
{
    pollfd entry{fd_, events, 0};
    int n;
    do
        n = ::poll(&entry, 1, static_cast<int>(limit.count()));
    while (n < 0 && errno == EINTR);
    return n;
}

bool LoopbackClient::send_all(std::string_view data, milliseconds limit)
{
    auto deadline = Clock::now() + limit;
    std::size_t sent = 0;
    while (sent < data.size())
    {
        ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n > 0)
        {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return false;
        if (wait(POLLOUT, milliseconds(remaining_ms(deadline))) <= 0)
            return false;
    }
    return true;
}

std::string LoopbackClient::recv_exact(std::size_t n, milliseconds limit)
{
    auto deadline = Clock::now() + limit;
    std::string received;
    received.resize(n);
    std::size_t got = 0;
    while (got < n)
    {
        ssize_t r = ::recv(fd_, received.data() + got, n - got, 0);
        if (r > 0)
        {
            got += static_cast<std::size_t>(r);
            continue;
        }
        if (r == 0 || (errno != EAGAIN && errno != EINTR))
            break;
        if (wait(POLLIN, milliseconds(remaining_ms(deadline))) <= 0)
            break;
    }
    received.resize(got);
    return received;
}

bool LoopbackClient::recv_until_eof(std::string &received, milliseconds limit)
{
    auto deadline = Clock::now() + limit;
    char chunk[16384];
    for (;;)
    {
        ssize_t r = ::recv(fd_, chunk, sizeof chunk, 0);
        if (r > 0)
        {
            received.append(chunk, static_cast<std::size_t>(r));
            continue;
        }
        if (r == 0 || (errno != EAGAIN && errno != EINTR))
            return true; // end of stream or reset
        if (wait(POLLIN, milliseconds(remaining_ms(deadline))) <= 0)
            return false;
    }
}

bool LoopbackClient::sees_eof(milliseconds limit)
{
    std::string rest;
    return recv_until_eof(rest, limit) && rest.empty();
}

bool LoopbackClient::stays_silent(milliseconds quiet)
{
    return wait(POLLIN, quiet) == 0;
}

void LoopbackClient::shutdown_write()
{
    ::shutdown(fd_, SHUT_WR);
}

void LoopbackClient::reset()
{
    linger option{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof option);
    close();
}

void LoopbackClient::close()
{
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

std::string random_bytes(std::size_t n, std::uint32_t seed)
{
    std::mt19937 generator(seed);
    std::string bytes(n, '\0');
    for (char &byte : bytes)
        byte = static_cast<char>(generator());
    return bytes;
}

} // namespace test_support
