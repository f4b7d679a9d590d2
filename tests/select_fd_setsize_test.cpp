// A client whose descriptor lies beyond what the select poller can hold (FD_SETSIZE, or
// TCPSERVER_SOCKET_MAX where the configuration sets it lower) is refused cleanly on select:
// closed, logged and counted, never written into an fd_set, and the server carries on. The
// poll and epoll backends have no such limit and serve it.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "loopback_client.h"

#include <tcpserver.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include <vector>

using namespace test_support;

namespace
{

constexpr int kSelectLimit = TCPSERVER_SOCKET_MAX < FD_SETSIZE ? TCPSERVER_SOCKET_MAX : FD_SETSIZE;

// A server, one client connected early (low descriptor), and every descriptor below the select
// limit taken, so that the next connection the server accepts gets one above it.
class LargeDescriptor : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved_), 0);
        if (saved_.rlim_max < FD_SETSIZE + 64)
            GTEST_SKIP() << "the hard descriptor limit is below FD_SETSIZE + 64";
        rlimit raised = saved_;
        raised.rlim_cur = FD_SETSIZE + 64;
        ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &raised), 0);
        server_ = create_server();
        ASSERT_NE(server_, nullptr);
        early_ = LoopbackClient("127.0.0.1", server_->port);
        accepted_early_ = tcpserver_accept(server_.get(), 10000);
        ASSERT_NE(accepted_early_, nullptr);
        late_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ASSERT_GE(late_, 0);
        for (;;)
        {
            int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (fd >= kSelectLimit)
                ::close(fd); // the first one past the limit is not needed
            if (fd < 0 || fd >= kSelectLimit)
                break;
            fillers_.push_back(fd);
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(server_->port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(late_, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    }

    void TearDown() override
    {
        for (int fd : fillers_)
            ::close(fd);
        if (late_ >= 0)
            ::close(late_);
        if (accepted_early_)
            tcpserver_close(accepted_early_);
        server_.reset();
        setrlimit(RLIMIT_NOFILE, &saved_);
    }

    rlimit saved_{};
    ServerPtr server_;
    LoopbackClient early_;
    tcpclient_t accepted_early_ = nullptr;
    int late_ = -1;
    std::vector<int> fillers_;
};

} // namespace

TEST_F(LargeDescriptor, SelectRefusesItWithoutCorruption)
{
    if (tcp_server::default_backend() != tcp_server::Backend::select)
        GTEST_SKIP() << "only select has a descriptor limit";
    char byte;
    EXPECT_EQ(::recv(late_, &byte, 1, 0), 0) << "the peer sees end of stream";
    struct tcpserver_stats stats;
    tcpserver_get_stats(server_.get(), &stats);
    EXPECT_EQ(stats.refused, 1u);
    // Everything still works for the descriptors that fit.
    ASSERT_TRUE(early_.send_all("still fine"));
    char buffer[16];
    EXPECT_EQ(tcpserver_recv(accepted_early_, buffer, sizeof buffer, 10000), 10u);
}

TEST_F(LargeDescriptor, PollAndEpollServeIt)
{
    if (tcp_server::default_backend() == tcp_server::Backend::select)
        GTEST_SKIP() << "select refuses such descriptors";
    tcpclient_t client = tcpserver_accept(server_.get(), 10000);
    ASSERT_NE(client, nullptr);
    EXPECT_GE(client->sock, kSelectLimit);
    ASSERT_EQ(::send(late_, "big", 3, 0), 3);
    char buffer[8];
    ASSERT_EQ(tcpserver_recv(client, buffer, sizeof buffer, 10000), 3u);
    EXPECT_EQ(tcpserver_send(client, buffer, 3, 10000), 3u);
    char echoed[3];
    EXPECT_EQ(::recv(late_, echoed, 3, MSG_WAITALL), 3);
    tcpserver_close(client);
}
