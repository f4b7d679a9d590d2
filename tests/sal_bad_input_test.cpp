// Bad input to an application's socket calls gets -1 and a board's errno, on the stack the
// application runs on, and disturbs nothing else: closesocket() (and lwip_close(), the same
// call) of a file refuses it and leaves it open; unknown families, levels and options, NULL
// addresses and lengths, and a closed socket used again fail cleanly, never a crash.
// SPDX-License-Identifier: Apache-2.0
#include "sal_sockets.h"
#include "test_stack.h"

#include "sal/api.h"

#include <gtest/gtest.h>
#include <sal_socket.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace test_support;
namespace api = tcp_server::detail::sal::api;

namespace
{

// The call's result and errno, as one value to compare.
struct Outcome
{
    int result;
    int error;
    bool operator==(const Outcome &) const = default;
};

template <typename Call> Outcome outcome(Call call)
{
    errno = 0;
    int result = static_cast<int>(call());
    return {result, result < 0 ? errno : 0};
}

std::ostream &operator<<(std::ostream &out, const Outcome &o)
{
    return out << o.result << " (" << std::strerror(o.error) << ")";
}

class SalBadInput : public SalConnectionTest
{
};

} // namespace

TEST(SalBadInputClose, ClosesocketRefusesAFileAndLeavesItOpen)
{
    int file = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(file, 0);
    EXPECT_EQ(outcome([&] { return closesocket(file); }), (Outcome{-1, EBADF}));
    EXPECT_EQ(outcome([&] { return sal_closesocket(file); }), (Outcome{-1, EBADF}));
    EXPECT_NE(::fcntl(file, F_GETFD), -1) << "the file is still open";
    EXPECT_EQ(::close(file), 0);
    EXPECT_EQ(outcome([] { return closesocket(-1); }), (Outcome{-1, EBADF}));
}

TEST(SalBadInputClose, ClosesocketClosesAKernelSocketMadeElsewhere)
{
    int kernel_socket = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(kernel_socket, 0);
    EXPECT_EQ(closesocket(kernel_socket), 0);
    EXPECT_EQ(::fcntl(kernel_socket, F_GETFD), -1) << "a socket is closed on its own stack";
}

TEST(SalBadInputSocket, UnknownFamilyAndTypeAreRefused)
{
    Outcome family = outcome([] { return sal_socket(12345, SOCK_STREAM, 0); });
    EXPECT_EQ(family.result, -1);
    EXPECT_TRUE(family.error == EAFNOSUPPORT || family.error == EINVAL) << family;
    Outcome type = outcome([] { return sal_socket(AF_INET, 999, 0); });
    EXPECT_EQ(type.result, -1);
    EXPECT_TRUE(type.error == EINVAL || type.error == EPROTONOSUPPORT ||
                type.error == ESOCKTNOSUPPORT)
        << type;
}

TEST_F(SalBadInput, NullAddressesAndLengthsFailWithoutACrash)
{
    int fd = sal_socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    sockaddr_in address{};
    socklen_t length = sizeof address;
    // Something to receive: the kernel looks at the buffer only once there is.
    ASSERT_EQ(::send(host_, "y", 1, 0), 1);
    pollfd arrived{fd_, POLLIN, 0};
    ASSERT_EQ(api::poll(&arrived, 1, 10000), 1);
    for (Outcome bad : {
             outcome([&] { return sal_bind(fd, nullptr, sizeof address); }),
             outcome([&] { return sal_connect(fd, nullptr, sizeof address); }),
             outcome([&] { return sal_getsockname(fd_, nullptr, &length); }),
             outcome([&] {
                 return sal_getsockname(fd_, reinterpret_cast<sockaddr *>(&address), nullptr);
             }),
             outcome([&] { return sal_getpeername(fd_, nullptr, &length); }),
             outcome([&] { return sal_getsockopt(fd_, SOL_SOCKET, SO_TYPE, nullptr, &length); }),
             outcome([&] { return sal_setsockopt(fd_, SOL_SOCKET, SO_KEEPALIVE, nullptr, 4); }),
             outcome([&] { return sal_sendto(fd_, nullptr, 4, 0, nullptr, 0); }),
             outcome([&] { return sal_recvfrom(fd_, nullptr, 4, MSG_DONTWAIT, nullptr, nullptr); }),
         })
    {
        EXPECT_EQ(bad.result, -1) << bad;
        EXPECT_TRUE(bad.error == EFAULT || bad.error == EINVAL) << bad;
    }
    EXPECT_EQ(closesocket(fd), 0);
    // The connection the calls were given is untouched.
    ASSERT_EQ(sal_sendto(fd_, "x", 1, 0, nullptr, 0), 1);
    char byte = 0;
    ASSERT_EQ(::recv(host_, &byte, 1, 0), 1);
    EXPECT_EQ(byte, 'x');
}

TEST_F(SalBadInput, UnknownLevelsAndOptionsAreRefused)
{
    int value = 1;
    socklen_t length = sizeof value;
    Outcome level = outcome([&] { return sal_getsockopt(fd_, 4242, 1, &value, &length); });
    EXPECT_EQ(level.result, -1);
    EXPECT_TRUE(level.error == ENOPROTOOPT || level.error == EINVAL) << level;
    Outcome option =
        outcome([&] { return sal_setsockopt(fd_, SOL_SOCKET, 4242, &value, sizeof value); });
    EXPECT_EQ(option.result, -1);
    EXPECT_TRUE(option.error == ENOPROTOOPT || option.error == EINVAL) << option;
}

TEST_F(SalBadInput, AClosedSocketUsedAgainFailsWithEbadf)
{
    int fd = sal_socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(closesocket(fd), 0);
    char byte = 0;
    EXPECT_EQ(outcome([&] { return sal_sendto(fd, &byte, 1, 0, nullptr, 0); }),
              (Outcome{-1, EBADF}));
    EXPECT_EQ(outcome([&] { return sal_recvfrom(fd, &byte, 1, MSG_DONTWAIT, nullptr, nullptr); }),
              (Outcome{-1, EBADF}));
    EXPECT_EQ(outcome([&] { return sal_shutdown(fd, SHUT_RDWR); }), (Outcome{-1, EBADF}));
}
