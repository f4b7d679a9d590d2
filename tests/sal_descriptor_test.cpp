// An application's sockets through SAL: numbers that never collide between stacks, and
// closesocket() on both. On lwIP a socket's number is one the kernel holds reserved from
// SAL_SOCKET_OFFSET up; on the kernel it is the kernel's socket itself.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "loopback_client.h"
#include "sal_sockets.h"
#include "test_stack.h"

#include <gtest/gtest.h>
#include <rtconfig.h>
#include <sal_socket.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

using namespace test_support;

TEST(SalDescriptor, ASocketsNumberIsReservedInTheKernelAndNeverCollides)
{
    int fd = sal_socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    struct stat status{};
    ASSERT_EQ(::fstat(fd, &status), 0) << "the kernel holds the number";
    if (on_lwip())
    {
        EXPECT_GE(fd, SAL_SOCKET_OFFSET);
        EXPECT_LT(fd, FD_SETSIZE);
        EXPECT_FALSE(S_ISSOCK(status.st_mode)) << "an lwIP socket is no kernel socket";
        // The kernel never hands the number to anything else, and its own calls on it fail.
        int file = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        EXPECT_NE(file, fd);
        ::close(file);
        char byte;
        EXPECT_EQ(::read(fd, &byte, 1), -1);
        EXPECT_EQ(errno, EBADF);
    }
    else
        EXPECT_TRUE(S_ISSOCK(status.st_mode));
    EXPECT_EQ(closesocket(fd), 0);
    EXPECT_EQ(::fcntl(fd, F_GETFD), -1) << "closesocket gives the number back";
}

TEST(SalDescriptor, ClosesocketEndsTheConnectionAndASecondOneFails)
{
    int host = -1;
    int fd = sal_connection(host);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    EXPECT_EQ(closesocket(fd), 0);
    char byte;
    EXPECT_EQ(::recv(host, &byte, 1, 0), 0) << "the host sees the end of the stream";
    EXPECT_EQ(closesocket(fd), -1);
    EXPECT_EQ(errno, EBADF);
    ::close(host);
}

TEST(SalDescriptor, ClosesocketWakesARecvBlockedInAnotherThread)
{
    if (!on_lwip())
        GTEST_SKIP() << "Linux leaves a recv blocked on a socket another thread closes";
    int host = -1;
    int fd = sal_connection(host);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    std::atomic<int> receiver{0};
    std::atomic<int> result{1};
    std::atomic<int> error{0};
    std::thread reading([&] {
        receiver = current_thread();
        char byte;
        result = sal_recvfrom(fd, &byte, 1, 0, nullptr, nullptr);
        error = errno;
    });
    ASSERT_TRUE(eventually([&] { return receiver != 0; }));
    ASSERT_TRUE(blocked_soon(receiver));
    EXPECT_EQ(closesocket(fd), 0);
    bool woken = eventually([&] { return result != 1; });
    if (!woken)
        ::shutdown(host, SHUT_WR); // the host's end lets it go
    reading.join();
    EXPECT_TRUE(woken) << "recv went on waiting on a closed socket";
    EXPECT_EQ(result, -1);
    EXPECT_EQ(error, EBADF);
    ::close(host);
}
