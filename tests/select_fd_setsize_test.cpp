// A descriptor the select poller cannot hold (>= FD_SETSIZE) is refused cleanly: closed,
// logged and counted, never written into an fd_set; the server carries on.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include <vector>

using namespace test_support;

TEST(SelectFdSetsize, LargeDescriptorIsRefusedNotCorrupting)
{
    rlimit limit{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
    if (limit.rlim_max < FD_SETSIZE + 64)
        GTEST_SKIP() << "the hard descriptor limit is below FD_SETSIZE + 64";
    rlimit raised = limit;
    raised.rlim_cur = FD_SETSIZE + 64;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &raised), 0);

    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    // The test's own socket exists before the low descriptors are used up.
    LoopbackClient early("127.0.0.1", server->port);
    tcpclient_t accepted_early = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(accepted_early, nullptr);
    int unconnected = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(unconnected, 0);

    // Fill every descriptor below FD_SETSIZE, so the next accept gets one above it.
    std::vector<int> fillers;
    for (int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC); fd >= 0 && fd < FD_SETSIZE;
         fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC))
        fillers.push_back(fd);
    ASSERT_FALSE(fillers.empty());

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server->port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(unconnected, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    char byte;
    // The server refuses it: the peer sees end of stream.
    EXPECT_EQ(::recv(unconnected, &byte, 1, 0), 0);
    struct tcpserver_stats stats;
    tcpserver_get_stats(server.get(), &stats);
    EXPECT_EQ(stats.refused, 1u);

    for (int fd : fillers)
        ::close(fd);
    ::close(unconnected);
    // Everything still works for the descriptors that fit.
    ASSERT_TRUE(early.send_all("still fine"));
    char buffer[16];
    EXPECT_EQ(tcpserver_recv(accepted_early, buffer, sizeof buffer, 10000), 10u);
    tcpserver_close(accepted_early);
    LoopbackClient later("127.0.0.1", server->port);
    tcpclient_t accepted_later = tcpserver_accept(server.get(), 10000);
    EXPECT_NE(accepted_later, nullptr);
    tcpserver_close(accepted_later);
    server.reset();
    setrlimit(RLIMIT_NOFILE, &limit);
}
