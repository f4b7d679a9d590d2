// tcpserver_destroy: wakes every thread blocked in accept/recv/send (they return NULL/0 with
// -RT_ERROR), closes every client, runs no callback after it returns, refuses to run from its
// own callback, and needs no periodic wake-up: an idle server's worker never wakes at all.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace test_support;
using Clock = std::chrono::steady_clock;

namespace
{

struct tcpserver *create_named(const char *name, tcpserver_notify_t notify = nullptr)
{
    struct tcpserver_config config = loopback_config(TCPSERVER_CLI_NUM, notify);
    config.name = name;
    return tcpserver_create_with(&config);
}

} // namespace

TEST(Destroy, WakesBlockedAcceptRecvAndSend)
{
    struct tcpserver *server = create_named("destroy-wakes");
    ASSERT_NE(server, nullptr);
    LoopbackClient reading_peer(test_support::server_ip(), server->port);
    tcpclient_t reading = tcpserver_accept(server, 10000);
    LoopbackClient stuck_peer(test_support::server_ip(), server->port, kPatience, 4096);
    tcpclient_t stuck = tcpserver_accept(server, 10000);
    ASSERT_NE(reading, nullptr);
    ASSERT_NE(stuck, nullptr);

    std::atomic<int> tids[3] = {0, 0, 0};
    rt_err_t errors[3] = {RT_EOK, RT_EOK, RT_EOK};
    bool empty[3] = {false, false, false};
    std::string flood(64 * 1024 * 1024, 'f');
    std::vector<std::thread> blocked;
    blocked.emplace_back([&] {
        tids[0] = current_thread();
        empty[0] = tcpserver_accept(server, RT_WAITING_FOREVER) == nullptr;
        errors[0] = rt_get_errno();
    });
    blocked.emplace_back([&] {
        tids[1] = current_thread();
        char buffer[16];
        empty[1] = tcpserver_recv(reading, buffer, sizeof buffer, RT_WAITING_FOREVER) == 0;
        errors[1] = rt_get_errno();
    });
    blocked.emplace_back([&] {
        tids[2] = current_thread();
        empty[2] =
            tcpserver_send(stuck, flood.data(), flood.size(), RT_WAITING_FOREVER) < flood.size();
        errors[2] = rt_get_errno();
    });
    for (auto &tid : tids)
    {
        ASSERT_TRUE(eventually([&] { return tid.load() != 0; }));
        ASSERT_TRUE(blocked_soon(tid));
    }
    auto start = Clock::now();
    EXPECT_EQ(tcpserver_destroy(server), RT_EOK);
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    for (auto &thread : blocked)
        thread.join();
    std::printf("destroy with 3 blocked callers took %lld us\n",
                static_cast<long long>(took.count()));
    for (int i = 0; i < 3; ++i)
    {
        EXPECT_TRUE(empty[i]) << i;
        EXPECT_EQ(errors[i], -RT_ERROR) << i;
    }
    EXPECT_TRUE(reading_peer.sees_eof());
    // A generous bound: the design returns in about a millisecond, and the figure is printed.
    EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(Destroy, ClosesEveryClient)
{
    int before_server = open_descriptor_count();
    struct tcpserver *server = create_named("destroy-all");
    ASSERT_NE(server, nullptr);
    std::vector<LoopbackClient> peers;
    for (int i = 0; i < TCPSERVER_CLI_NUM; ++i)
        peers.emplace_back(test_support::server_ip(), server->port);
    tcpclient_t accepted = tcpserver_accept(server, 10000); // one owned, the rest still queued
    ASSERT_NE(accepted, nullptr);
    struct tcpserver_stats stats;
    ASSERT_TRUE(eventually([&] {
        tcpserver_get_stats(server, &stats);
        return stats.clients == TCPSERVER_CLI_NUM;
    }));
    EXPECT_EQ(tcpserver_destroy(server), RT_EOK);
    for (auto &peer : peers)
        EXPECT_TRUE(peer.sees_eof());
    // Every descriptor the server had is gone (client sockets, listener, wake-up, spare and
    // the poller's own); only the test's peers are left.
    EXPECT_EQ(open_descriptor_count(), before_server + TCPSERVER_CLI_NUM);
}

namespace
{
std::atomic<int> callbacks_after{0};
std::atomic<bool> destroyed{false};
std::atomic<rt_err_t> destroy_from_callback{RT_EOK};

void slow_callback(tcpclient_t client, rt_uint8_t event)
{
    if (destroyed)
        ++callbacks_after;
    if (event == TCPSERVER_EVENT_RECV)
    {
        char buffer[64];
        tcpserver_recv(client, buffer, sizeof buffer, 0);
        destroy_from_callback = tcpserver_destroy(client->server);
    }
}
} // namespace

TEST(Destroy, FromItsOwnCallbackReturnsEbusy)
{
    struct tcpserver *server = create_named("destroy-cb", slow_callback);
    ASSERT_NE(server, nullptr);
    LoopbackClient peer(test_support::server_ip(), server->port);
    ASSERT_TRUE(peer.send_all("x"));
    ASSERT_TRUE(eventually([] { return destroy_from_callback.load() != RT_EOK; }));
    EXPECT_EQ(destroy_from_callback.load(), -RT_EBUSY);
    EXPECT_EQ(tcpserver_destroy(server), RT_EOK);
}

TEST(Destroy, NoCallbackRunsAfterItReturns)
{
    struct tcpserver *server = create_named("destroy-late");
    ASSERT_NE(server, nullptr);
    tcpserver_set_notify_callback(server, [](tcpclient_t client, rt_uint8_t event) {
        if (destroyed)
            ++callbacks_after;
        if (event == TCPSERVER_EVENT_RECV)
        {
            char buffer[4096];
            rt_size_t n = tcpserver_recv(client, buffer, sizeof buffer, 0);
            if (n > 0)
                tcpserver_send(client, buffer, n, 0);
        }
    });
    std::atomic<bool> stop_peers{false};
    std::vector<std::thread> peers;
    const rt_uint16_t port = server->port; // the server struct is gone once destroyed
    for (int i = 0; i < 4; ++i)
    {
        peers.emplace_back([&stop_peers, port] {
            LoopbackClient peer(test_support::server_ip(), port);
            std::string data(1000, 'd');
            for (int round = 0; round < 100000 && !stop_peers; ++round)
            {
                if (!peer.send_all(data, std::chrono::milliseconds(1000)) ||
                    peer.recv_exact(data.size(), std::chrono::milliseconds(1000)).empty())
                    break;
            }
        });
    }
    struct tcpserver_stats stats;
    ASSERT_TRUE(eventually([&] {
        tcpserver_get_stats(server, &stats);
        return stats.bytes_received > 100000;
    }));
    EXPECT_EQ(tcpserver_destroy(server), RT_EOK);
    destroyed = true;
    stop_peers = true;
    for (auto &peer : peers)
        peer.join();
    EXPECT_EQ(callbacks_after.load(), 0);
}

TEST(Destroy, IdleWorkerNeverWakesUp)
{
    struct tcpserver *server = create_named("idle-worker");
    ASSERT_NE(server, nullptr);
    int worker = -1;
    ASSERT_TRUE(eventually([&] { return (worker = find_thread("idle-worker")) > 0; }));
    // Let it settle into its wait: the first loop turn runs the listener registration.
    ASSERT_TRUE(blocked_soon(worker));
    long before = thread_wakeups(worker);
    // The package's worker polls its stop flag every second; over 1.2 s it would wake at least
    // once. Ours has no timeout at all, so nothing may wake it.
    std::this_thread::sleep_for(
        std::chrono::milliseconds(1200)); // an observation window, not a sync
    EXPECT_EQ(thread_wakeups(worker), before);
    EXPECT_EQ(tcpserver_destroy(server), RT_EOK);
}

TEST(Destroy, RejectsNull)
{
    EXPECT_EQ(tcpserver_destroy(nullptr), -RT_EINVAL);
}
