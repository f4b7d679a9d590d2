// Once warm, echoing allocates nothing: not on the worker thread (notify-callback echo), and
// neither on the worker nor on a user thread in blocking recv/send. Counted by replacing the
// global operator new in this program and counting calls from the threads watched.
// SPDX-License-Identifier: Apache-2.0
#include "allocation_hook.h"
#include "conditions.h"
#include "loopback_client.h"
#include "test_stack.h"

#include <tcpserver.hpp>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>

namespace
{
std::atomic<std::thread::id> watched_worker{};
std::atomic<std::thread::id> watched_user{};
std::atomic<long> watched_allocations{0};

bool count_if_watched()
{
    std::thread::id self = std::this_thread::get_id();
    if (self == watched_worker.load(std::memory_order_relaxed) ||
        self == watched_user.load(std::memory_order_relaxed))
        watched_allocations.fetch_add(1, std::memory_order_relaxed);
    return true;
}
} // namespace

using namespace test_support;
using namespace std::chrono_literals;

namespace
{

constexpr int kWarmUp = 200;
constexpr int kMeasured = 2000;

// kWarmUp round trips, then the allocations of the watched threads over kMeasured more.
long allocations_over_round_trips(LoopbackClient &peer)
{
    const std::string message(64, 'm');
    for (int i = 0; i < kWarmUp; ++i)
    {
        if (!peer.send_all(message) || peer.recv_exact(message.size()) != message)
            return -1;
    }
    long before = watched_allocations.load();
    for (int i = 0; i < kMeasured; ++i)
    {
        if (!peer.send_all(message) || peer.recv_exact(message.size()) != message)
            return -1;
    }
    return watched_allocations.load() - before;
}

class NoAllocation : public testing::Test
{
  protected:
    void SetUp() override
    {
        if (!allocation_hook_is_live())
            GTEST_SKIP() << "operator new is not ours to watch (valgrind replaces it)";
        set_allocation_hook(count_if_watched);
    }
    void TearDown() override
    {
        watched_worker = std::thread::id();
        watched_user = std::thread::id();
    }

    /** Options on loopback whose CONNECT starts watching the worker thread. */
    static tcp_server::Options watching_the_worker()
    {
        tcp_server::Options options;
        options.address = server_ip();
        options.handlers.on_connect = [](tcp_server::Client &) {
            watched_worker = std::this_thread::get_id();
        };
        return options;
    }
};

} // namespace

TEST_F(NoAllocation, CallbackEchoAllocatesNothingPerMessage)
{
    tcp_server::Options options = watching_the_worker();
    options.handlers.on_recv = [](tcp_server::Client &client) {
        std::array<std::byte, 4096> buffer;
        auto got = client.recv(buffer);
        if (got)
            client.send(std::span(buffer.data(), got.bytes));
    };
    auto server = tcp_server::Server::start(options);
    ASSERT_TRUE(server);
    LoopbackClient peer(server_ip(), server->port());
    ASSERT_TRUE(eventually([] { return watched_worker.load() != std::thread::id(); }));
    EXPECT_EQ(allocations_over_round_trips(peer), 0);
}

TEST_F(NoAllocation, BlockingEchoAllocatesNothingPerMessage)
{
    auto server = tcp_server::Server::start(watching_the_worker());
    ASSERT_TRUE(server);
    LoopbackClient peer(server_ip(), server->port());
    tcp_server::Client client = server->accept(10s).value();
    std::thread echo([client] {
        watched_user = std::this_thread::get_id();
        std::array<std::byte, 4096> buffer;
        for (;;)
        {
            auto got = client.recv(buffer);
            if (!got || !client.send(std::span(buffer.data(), got.bytes)))
                return;
        }
    });
    ASSERT_TRUE(eventually([] { return watched_user.load() != std::thread::id(); }));
    EXPECT_EQ(allocations_over_round_trips(peer), 0);
    peer.close();
    echo.join();
}
