// The worker thread takes the package's thread settings: its name (TCPSERVER_NAME or the
// server's own), its stack size (at least the floor, larger as asked) and its priority (as a
// nice value, priority - 12).
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <tcpserver.hpp>

#include <gtest/gtest.h>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>

using namespace test_support;
using namespace std::chrono_literals;

namespace
{

struct Observed
{
    std::atomic<std::size_t> stack{0};
    std::atomic<int> nice{100};
};

// Starts a server with `options`, connects once, and records what its worker looks like from
// inside the CONNECT callback.
void observe_worker(tcp_server::Options options, Observed &observed)
{
    options.address = "127.0.0.1";
    options.handlers.on_connect = [&observed](tcp_server::Client &) {
        pthread_attr_t attributes;
        pthread_getattr_np(pthread_self(), &attributes);
        std::size_t stack = 0;
        pthread_attr_getstacksize(&attributes, &stack);
        pthread_attr_destroy(&attributes);
        errno = 0;
        observed.nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
        observed.stack = stack;
    };
    auto server = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(server);
    LoopbackClient peer("127.0.0.1", server->port());
    ASSERT_TRUE(eventually([&] { return observed.stack.load() != 0; }));
}

} // namespace

TEST(WorkerThread, NamedTcpserverNameByDefault)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    EXPECT_GT(find_thread(TCPSERVER_NAME), 0);
}

TEST(WorkerThread, NamedAsTheServerAsks)
{
    struct tcpserver_config config = loopback_config();
    config.name = "a-rather-long-worker-name";
    ServerPtr server = create_server_with(config);
    ASSERT_NE(server, nullptr);
    EXPECT_GT(find_thread("a-rather-long-w"), 0) << "Linux keeps 15 characters";
}

TEST(WorkerThread, StackIsAsLargeAsAsked)
{
    Observed observed;
    tcp_server::Options options;
    options.stack_size = 16 * 1024 * 1024;
    observe_worker(options, observed);
    EXPECT_GE(observed.stack.load(), 16u * 1024 * 1024);
}

TEST(WorkerThread, SmallStackIsRaisedToTheFloorNotTheDefault)
{
    Observed observed;
    tcp_server::Options options;
    options.stack_size = 4096; // the package's default, far too small for Linux
    observe_worker(options, observed);
    EXPECT_GE(observed.stack.load(), 256u * 1024);
    EXPECT_LT(observed.stack.load(), 8u * 1024 * 1024)
        << "the setting applied, not glibc's default";
}

TEST(WorkerThread, PriorityBecomesANiceValue)
{
    Observed observed;
    tcp_server::Options options;
    options.priority = 20;
    observe_worker(options, observed);
    EXPECT_EQ(observed.nice.load(), 8);
}

TEST(WorkerThread, PriorityOutOfRangeIsRefused)
{
    tcp_server::Options options;
    options.address = "127.0.0.1";
    options.priority = 32;
    auto server = tcp_server::Server::start(options);
    ASSERT_FALSE(server);
    EXPECT_EQ(server.error(), tcp_server::Errc::invalid_argument);
}
