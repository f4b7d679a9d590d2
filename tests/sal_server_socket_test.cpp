// The sockets a C API server shows the application (server->sock, client->sock) are SAL's:
// the application's own socket calls on them reach the server's stack. On lwIP they are
// numbers the kernel keeps reserved, as SAL's are on a board; on the kernel, the sockets
// themselves.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"
#include "sal/api.h"
#include "server_socket.h"
#include "test_stack.h"

#include <gtest/gtest.h>
#include <rtconfig.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

using namespace test_support;
namespace api = tcp_server::detail::sal::api;

namespace
{

std::uint16_t port_of(const sockaddr_storage &address)
{
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
}

bool number_is_free(int fd)
{
    return ::fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

} // namespace

TEST(SalServerSocket, TheApplicationsCallsOnAServersSocketsReachItsStack)
{
    ConnectedClient connected;
    ASSERT_NE(connected.client, nullptr);
    tcpserver *server = connected.server.get();
    tcpclient_t client = connected.client;
    if (on_lwip())
    {
        EXPECT_GE(server->sock, SAL_SOCKET_OFFSET);
        EXPECT_GE(client->sock, SAL_SOCKET_OFFSET);
        EXPECT_LT(client->sock, FD_SETSIZE);
    }
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ASSERT_EQ(api::getsockname(server->sock, reinterpret_cast<sockaddr *>(&address), &length), 0)
        << std::strerror(errno);
    EXPECT_EQ(port_of(address), server->port);
    length = sizeof address;
    ASSERT_EQ(api::getpeername(client->sock, reinterpret_cast<sockaddr *>(&address), &length), 0)
        << std::strerror(errno);
    EXPECT_EQ(port_of(address), connected.peer.local_port());

    int on = 1;
    EXPECT_EQ(api::setsockopt(client->sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on), 0);
    int value = 0;
    socklen_t size = sizeof value;
    ASSERT_EQ(api::getsockopt(client->sock, SOL_SOCKET, SO_TYPE, &value, &size), 0);
    EXPECT_EQ(value, SOCK_STREAM);

    size = sizeof value;
    ASSERT_EQ(api::getsockopt(client->sock, IPPROTO_TCP, TCP_NODELAY, &value, &size), 0);
    EXPECT_NE(value, 0) << "the option the application set is the server's socket's";
    tcpserver_close(client);
}

TEST(SalServerSocket, NumbersGoBackAndNothingStaysOpenOnTheStack)
{
    int lwip_sockets = lwip_open_socket_count();
    int listener = -1;
    {
        ConnectedClient connected;
        ASSERT_NE(connected.client, nullptr);
        listener = connected.server->sock;
        int connection = connected.client->sock;
        tcpserver_close(connected.client);
        EXPECT_TRUE(connected.peer.sees_eof());
        if (on_lwip())
        {
            EXPECT_TRUE(eventually([&] { return number_is_free(connection); }))
                << "the connection's number is given back";
            sockaddr_storage address{};
            socklen_t length = sizeof address;
            EXPECT_EQ(api::getpeername(connection, reinterpret_cast<sockaddr *>(&address), &length),
                      -1);
            EXPECT_EQ(errno, EBADF);
        }
    }
    if (on_lwip())
    {
        EXPECT_TRUE(eventually([&] { return number_is_free(listener); }))
            << "the listener's number is given back";
    }
    EXPECT_TRUE(eventually([&] { return lwip_open_socket_count() == lwip_sockets; }))
        << lwip_open_socket_count() << " lwIP sockets open, " << lwip_sockets << " before";
}

// closesocket() of a server's connection ends it: the server sees the end and closes the
// socket itself; the number stays the server's until then (on the kernel, too: closing it there
// would free the number under the server, for the next file to take).
TEST(SalServerSocket, ClosesocketOfAServersConnectionEndsIt)
{
    ConnectedClient connected;
    ASSERT_NE(connected.client, nullptr);
    int connection = connected.client->sock;
    EXPECT_EQ(api::close_socket(connection), 0);
    EXPECT_TRUE(connected.peer.sees_eof());
    char byte;
    EXPECT_EQ(tcpserver_recv(connected.client, &byte, 1, 10000), 0u);
    EXPECT_FALSE(number_is_free(connection)) << "the number is the server's until it closes";
    EXPECT_EQ(api::close(connection), 0) << "close() is the same";
    EXPECT_FALSE(number_is_free(connection));
    tcpserver_close(connected.client);
    if (on_lwip())
    {
        EXPECT_TRUE(eventually([&] { return number_is_free(connection); }));
    }
}

// Every number the application could be shown taken: a connection is refused (closed, counted,
// logged) and the server carries on; once a number is free, the next one is served.
TEST(SalServerSocket, OutOfNumbersAConnectionIsRefusedAndTheServerCarriesOn)
{
    if (!on_lwip())
        GTEST_SKIP() << "a kernel socket is shown by its own number";
    rlimit saved{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    rlimit lowered = saved;
    lowered.rlim_cur = SAL_SOCKET_OFFSET + 16;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
    std::vector<int> fillers;
    for (int fd; (fd = ::fcntl(0, F_DUPFD_CLOEXEC, SAL_SOCKET_OFFSET)) >= 0;)
        fillers.push_back(fd);
    EXPECT_EQ(errno, EMFILE);

    LoopbackClient refused(server_ip(), server->port);
    ASSERT_TRUE(refused.ok());
    EXPECT_TRUE(refused.sees_eof()) << "the connection is closed";
    struct tcpserver_stats stats;
    tcpserver_get_stats(server.get(), &stats);
    EXPECT_EQ(stats.refused, 1u);

    ::close(fillers.back());
    fillers.pop_back();
    LoopbackClient served(server_ip(), server->port);
    tcpclient_t client = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(client, nullptr);
    EXPECT_GE(client->sock, SAL_SOCKET_OFFSET);
    ASSERT_TRUE(served.send_all("ok"));
    char buffer[4];
    EXPECT_EQ(tcpserver_recv(client, buffer, sizeof buffer, 10000), 2u);
    tcpserver_close(client);
    for (int fd : fillers)
        ::close(fd);
    setrlimit(RLIMIT_NOFILE, &saved);
}
