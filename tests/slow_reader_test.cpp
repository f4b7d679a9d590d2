// A peer that never reads: send returns the partial count when its timeout expires, other
// clients' echo is not held up, and with Options::unsent_limit such a peer is disconnected
// (Errc::peer_too_slow) instead of holding memory and a sender.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "conditions.h"
#include "cpp_server.h"
#include "event_recorder.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

using namespace test_support;
using tcp_server::Errc;
using tcp_server::kNoWait;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace
{

milliseconds percentile(std::vector<milliseconds> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

// Round trips of one byte through the echo, each bounded by kPatience.
std::vector<milliseconds> ping_pong(LoopbackClient &peer, int rounds)
{
    std::vector<milliseconds> times;
    for (int i = 0; i < rounds; ++i)
    {
        auto start = Clock::now();
        if (!peer.send_all("p") || peer.recv_exact(1) != "p")
            break;
        times.push_back(std::chrono::ceil<milliseconds>(Clock::now() - start));
    }
    return times;
}

} // namespace

TEST(SlowReader, SendReturnsThePartialCountWhenItsTimeoutExpires)
{
    tcp_server::Server server = start_on_loopback({});
    std::string data = random_bytes(64 * 1024 * 1024, 11);
    milliseconds worst_overshoot{0};
    for (milliseconds timeout : {milliseconds(50), milliseconds(200), milliseconds(400)})
    {
        LoopbackClient peer(test_support::server_ip(), server.port(), kPatience, 4096);
        auto client = server.accept(kPatience);
        ASSERT_TRUE(client);
        auto start = Clock::now();
        tcp_server::IoResult result = client->send(data, timeout);
        auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
        EXPECT_EQ(result.error, Errc::timeout);
        EXPECT_GT(result.bytes, 0u);
        EXPECT_LT(result.bytes, data.size());
        EXPECT_GE(took, timeout) << "never early";
        // The goal is T + 50 ms; the bound here only says it is not lost (a loaded machine
        // may deschedule us for longer).
        EXPECT_LT(took, timeout + std::chrono::seconds(5));
        worst_overshoot = std::max(worst_overshoot, took - timeout);
        // Exactly what was counted reaches the peer.
        EXPECT_TRUE(peer.recv_exact(result.bytes, std::chrono::seconds(30)) ==
                    data.substr(0, result.bytes));
        client->close();
    }
    std::printf("send timeout overshoot, worst of 3: %lld ms\n",
                static_cast<long long>(worst_overshoot.count()));
}

TEST(SlowReader, OthersEchoIsNotHeldUpByAStuckPeer)
{
    EventRecorder recorder;
    tcp_server::Options options;
    options.max_clients = 8;
    options.handlers = recorder.handlers(echo_what_arrived);
    tcp_server::Server server = start_on_loopback(std::move(options));
    LoopbackClient other(test_support::server_ip(), server.port());
    std::vector<milliseconds> alone = ping_pong(other, 200);
    ASSERT_EQ(alone.size(), 200u);

    // The stuck peer floods the echo and never reads: its output backs up to the limit, and
    // a user thread is blocked sending to it as well.
    LoopbackClient stuck(test_support::server_ip(), server.port(), kPatience, 4096);
    stuck.send_all(random_bytes(4 * 1024 * 1024, 12), milliseconds(1000));
    auto taken = server.accept(kPatience); // `other` first, then `stuck`
    ASSERT_TRUE(taken);
    taken = server.accept(kPatience);
    ASSERT_TRUE(taken);
    tcp_server::Client stuck_client = *taken;
    std::thread blocked_sender(
        [&] { stuck_client.send(random_bytes(8 * 1024 * 1024, 13), tcp_server::kForever); });

    std::vector<milliseconds> beside_stuck = ping_pong(other, 200);
    ASSERT_EQ(beside_stuck.size(), 200u) << "every round trip completed";
    std::printf("1-byte echo p50/p99 alone %lld/%lld ms, beside a stuck peer %lld/%lld ms\n",
                static_cast<long long>(percentile(alone, 0.5).count()),
                static_cast<long long>(percentile(alone, 0.99).count()),
                static_cast<long long>(percentile(beside_stuck, 0.5).count()),
                static_cast<long long>(percentile(beside_stuck, 0.99).count()));
    EXPECT_LT(percentile(beside_stuck, 0.99), milliseconds(2000));
    stuck_client.close(); // wakes the blocked sender
    blocked_sender.join();
}

TEST(SlowReader, UnsentLimitDisconnectsAPeerThatNeverReadsTheEcho)
{
    EventRecorder recorder;
    tcp_server::Options options;
    options.unsent_limit = 256 * 1024;
    options.handlers = recorder.handlers(echo_what_arrived);
    tcp_server::Server server = start_on_loopback(std::move(options));
    LoopbackClient stuck(test_support::server_ip(), server.port(), kPatience, 4096);
    // It sends until the server ends the connection; it reads nothing.
    std::string flood = random_bytes(64 * 1024, 14);
    for (int i = 0; i < 512 && stuck.send_all(flood, milliseconds(2000)); ++i)
        if (recorder.total(EventRecorder::disconnect) > 0)
            break;
    ASSERT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }));
    EXPECT_TRUE(eventually([&] { return server.stats().clients == 0; }));
    // A polite client is unaffected.
    LoopbackClient polite(test_support::server_ip(), server.port());
    std::string message = random_bytes(100000, 15);
    std::string echoed;
    std::thread reader([&] { echoed = polite.recv_exact(message.size()); });
    EXPECT_TRUE(polite.send_all(message));
    reader.join();
    EXPECT_TRUE(echoed == message);
}

TEST(SlowReader, UnsentLimitEndsABlockedSendWithPeerTooSlow)
{
    constexpr std::size_t kLimit = 256 * 1024;
    tcp_server::Server server = start_on_loopback({.unsent_limit = kLimit});
    LoopbackClient stuck(test_support::server_ip(), server.port(), kPatience, 4096);
    auto client = server.accept(kPatience);
    ASSERT_TRUE(client);
    std::string data = random_bytes(16 * 1024 * 1024, 16);
    tcp_server::IoResult result = client->send(data, tcp_server::kForever);
    EXPECT_EQ(result.error, Errc::peer_too_slow) << tcp_server::to_string(result.error);
    EXPECT_LE(result.bytes, kLimit + 4 * 1024 * 1024); // the limit, and what the peer's kernel took
    EXPECT_TRUE(eventually([&] { return !client->is_open(); }));
    EXPECT_EQ(client->send("more", kNoWait).error, Errc::peer_too_slow);
    // The peer learns at once: a reset, not a stream that just stops.
    std::string unread;
    EXPECT_TRUE(stuck.recv_until_eof(unread));
}
