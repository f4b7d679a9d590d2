// Timeouts too long for the clock (a thousand years) mean "forever", not "already over": a
// recv with one waits until the connection ends, and an idle timeout that long never closes a
// client (both used to overflow into the past and fire at once).
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "conditions.h"
#include "cpp_server.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace test_support;
using namespace std::chrono_literals;
using tcp_server::Errc;

namespace
{
constexpr auto kThousandYears =
    std::chrono::duration_cast<tcp_server::Duration>(std::chrono::years(1000));
}

TEST(HugeTimeout, RecvWaitsUntilTheConnectionEnds)
{
    tcp_server::Server server = start_on_loopback();
    LoopbackClient peer(test_support::server_ip(), server.port());
    auto client = server.accept(10s);
    ASSERT_TRUE(client);
    std::atomic<int> tid{0};
    tcp_server::IoResult result;
    std::thread reader([&] {
        tid = current_thread();
        char byte;
        result = client->recv(std::span(&byte, 1), kThousandYears);
    });
    ASSERT_TRUE(eventually([&] { return tid.load() != 0; }));
    EXPECT_TRUE(blocked_soon(tid.load())) << "it returned instead of waiting";
    client->close();
    reader.join();
    EXPECT_EQ(result.error, Errc::closed);
}

TEST(HugeTimeout, AnIdleTimeoutThatLongNeverCloses)
{
    tcp_server::Options options;
    options.idle_timeout = kThousandYears;
    options.handlers.on_recv = [](tcp_server::Client &client) {
        char buffer[64];
        auto got = client.recv(std::span(buffer, sizeof buffer));
        client.send(std::string_view(buffer, got.bytes));
    };
    tcp_server::Server server = start_on_loopback(options);
    LoopbackClient peer(test_support::server_ip(), server.port());
    EXPECT_TRUE(peer.stays_silent(200ms)) << "closed as idle";
    ASSERT_TRUE(peer.send_all("still here"));
    EXPECT_EQ(peer.recv_exact(10), "still here");
}
