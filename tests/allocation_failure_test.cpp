// Allocation failure while taking a new client. Through the allocation hook, armed, the test
// fails the Nth allocation the server's worker makes. For N = 1, 2, ... each allocation on the
// path that takes a client fails in turn: the connection is refused and closed, nothing leaks,
// and the server serves the next client as before. The loop ends at the first N the path
// never reaches.
// SPDX-License-Identifier: Apache-2.0
#include "allocation_hook.h"
#include "conditions.h"
#include "loopback_client.h"
#include "test_stack.h"

#include <gtest/gtest.h>

#include <tcpserver.hpp>

#include <unistd.h>

#include <atomic>

using namespace test_support;

namespace
{

std::atomic<int> target_thread{0};     // the worker's id while armed, else 0
std::atomic<long> allocations_left{0}; // the allocation that finds 0 here fails
std::atomic<int> failures_injected{0};

bool fail_when_counted_down()
{
    int target = target_thread.load(std::memory_order_relaxed);
    if (target == 0 || target != static_cast<int>(gettid()))
        return true;
    if (allocations_left.fetch_sub(1) != 0)
        return true;
    target_thread = 0; // one failure per arming
    ++failures_injected;
    return false;
}

} // namespace

TEST(AllocationFailure, EveryAllocationTakingAClientMayFailAndTheServerLivesOn)
{
    if (!allocation_hook_is_live())
        GTEST_SKIP() << "operator new is not ours to watch (valgrind replaces it)";
    set_allocation_hook(fail_when_counted_down);
    int descriptors_before = open_descriptor_count();
    {
        std::atomic<int> connects{0};
        std::atomic<int> disconnects{0};
        tcp_server::Options options;
        options.address = server_ip();
        options.name = "alloc-fail";
        options.idle_timeout = std::chrono::minutes(1); // its timer is on the path too
        // These handlers allocate nothing themselves.
        options.handlers.on_connect = [&](tcp_server::Client &) { ++connects; };
        options.handlers.on_disconnect = [&](tcp_server::Client &) { ++disconnects; };
        auto server = tcp_server::Server::start(std::move(options));
        ASSERT_TRUE(server);
        int worker = find_thread("alloc-fail");
        ASSERT_GT(worker, 0);
        // Warm up: the first client grows the worker's tables once.
        {
            LoopbackClient first(server_ip(), server->port());
            auto client = server->accept(kPatience);
            ASSERT_TRUE(client);
            client->close();
        }

        int refused = 0;
        long n = 0;
        for (; n < 100; ++n)
        {
            tcp_server::Stats before = server->stats();
            failures_injected = 0;
            allocations_left = n;
            target_thread = worker; // the worker is idle: its next allocations are the intake
            LoopbackClient peer(server_ip(), server->port());
            ASSERT_TRUE(eventually([&] {
                tcp_server::Stats now = server->stats();
                return now.accepted + now.refused > before.accepted + before.refused;
            }));
            target_thread = 0;
            if (failures_injected.load() == 0)
                break; // the intake made fewer than n + 1 allocations: all were tried
            if (server->stats().refused > before.refused)
            {
                ++refused;
                EXPECT_TRUE(peer.sees_eof()) << "a refused peer is told at once (N = " << n << ")";
            }
            else
            {
                // The failure hit after the client was taken, where it is harmless: it is served.
                auto client = server->accept(kPatience);
                ASSERT_TRUE(client) << "N = " << n;
                client->close();
            }
            // Whatever happened, the next client is served.
            LoopbackClient next(server_ip(), server->port());
            auto client = server->accept(kPatience);
            ASSERT_TRUE(client) << "after N = " << n;
            ASSERT_TRUE(next.send_all("ok"));
            char buffer[2];
            EXPECT_EQ(client->recv(buffer, kPatience).bytes, 2u);
            client->close();
        }
        std::printf("the intake of a client allocates %ld times; %d failures refused the client\n",
                    n, refused);
        EXPECT_GT(n, 0);
        EXPECT_GT(refused, 0);
        EXPECT_TRUE(eventually([&] { return server->stats().clients == 0; }));
        EXPECT_EQ(connects.load(), disconnects.load()) << "only announced clients say goodbye";
    }
    EXPECT_EQ(open_descriptor_count(), descriptors_before);
}

TEST(AllocationFailure, NoRoomForInputEndsThatConnectionOnly)
{
    if (!allocation_hook_is_live())
        GTEST_SKIP() << "operator new is not ours to watch (valgrind replaces it)";
    set_allocation_hook(fail_when_counted_down);
    tcp_server::Options options;
    options.address = server_ip();
    options.name = "alloc-input";
    // An on_recv, so that the worker reads for the user thread instead of leaving it the socket.
    options.handlers.on_recv = [](tcp_server::Client &) {};
    auto server = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(server);
    int worker = find_thread("alloc-input");
    LoopbackClient peer(server_ip(), server->port());
    auto client = server->accept(kPatience);
    ASSERT_TRUE(client);
    // The worker idles; its next allocation is the client's first input buffer.
    failures_injected = 0;
    allocations_left = 0;
    target_thread = worker;
    ASSERT_TRUE(peer.send_all("lost for want of memory"));
    char buffer[64];
    auto result = client->recv(buffer, kPatience);
    target_thread = 0;
    EXPECT_EQ(failures_injected.load(), 1);
    EXPECT_EQ(result.error, tcp_server::Errc::no_memory);
    EXPECT_TRUE(peer.sees_eof()) << "the connection ended";
    LoopbackClient next(server_ip(), server->port());
    auto second = server->accept(kPatience);
    ASSERT_TRUE(second) << "the server lives on";
    ASSERT_TRUE(next.send_all("ok"));
    EXPECT_EQ(second->recv(buffer, kPatience).bytes, 2u);
    set_allocation_hook(nullptr);
}

TEST(AllocationFailure, NoRoomToQueueASendInACallbackIsAnErrorNotAThrow)
{
    if (!allocation_hook_is_live())
        GTEST_SKIP() << "operator new is not ours to watch (valgrind replaces it)";
    set_allocation_hook(fail_when_counted_down);
    std::atomic<bool> threw{false};
    std::atomic<int> error{-1};
    const std::string big(8 << 20, 'b'); // more than the socket takes: the rest is queued
    tcp_server::Options options;
    options.address = server_ip();
    options.name = "alloc-send";
    options.handlers.on_recv = [&](tcp_server::Client &client) {
        char buffer[16];
        client.recv(buffer);
        failures_injected = 0;
        allocations_left = 0; // the next allocation here is the output queue's
        target_thread = static_cast<int>(gettid());
        try
        {
            error = static_cast<int>(client.send(big).error);
        }
        catch (...)
        {
            threw = true;
        }
        target_thread = 0;
    };
    auto server = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(server);
    LoopbackClient peer(server_ip(), server->port());
    ASSERT_TRUE(peer.send_all("go"));
    ASSERT_TRUE(eventually([&] { return error.load() != -1 || threw.load(); }));
    EXPECT_FALSE(threw.load()) << "send threw out of the callback";
    EXPECT_EQ(error.load(), static_cast<int>(tcp_server::Errc::no_memory));
    EXPECT_EQ(failures_injected.load(), 1);
    std::string received;
    EXPECT_TRUE(peer.recv_until_eof(received)) << "the connection ended";
    set_allocation_hook(nullptr);
}
