// The C++ API: RAII servers that stop on destruction and move, client handles that stay safe
// after the connection or the server is gone, std::chrono/std::span calls whose results say
// why they failed, and std::function handlers.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "conditions.h"
#include "cpp_server.h"
#include "loopback_client.h"

#include <tcpserver.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace test_support;
using namespace std::chrono_literals;
using tcp_server::Errc;

namespace
{

} // namespace

TEST(CppApi, StartSaysWhyItFailed)
{
    tcp_server::Options bad;
    bad.address = "no.such.address";
    auto started = tcp_server::Server::start(bad);
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error(), Errc::address_invalid);

    tcp_server::Server first = start_on_loopback();
    tcp_server::Options taken;
    taken.address = test_support::server_ip();
    taken.port = first.port();
    auto again = tcp_server::Server::start(taken);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), Errc::address_in_use);
    std::error_code code = again.error();
    EXPECT_EQ(code.category().name(), std::string("tcpserver"));
    EXPECT_EQ(code.message(), "the address is already in use");
    EXPECT_EQ(tcp_server::to_rt_err(Errc::timeout), -RT_ETIMEOUT);
}

TEST(CppApi, AcceptRecvSendWithChronoAndSpan)
{
    tcp_server::Server server = start_on_loopback();
    EXPECT_EQ(server.address(), test_support::server_ip());
    auto none = server.accept(0ms);
    EXPECT_EQ(none.error(), Errc::timeout);

    LoopbackClient peer(test_support::server_ip(), server.port());
    auto accepted = server.accept(10s);
    ASSERT_TRUE(accepted);
    tcp_server::Client client = accepted.value();
    EXPECT_TRUE(client.is_open());
    EXPECT_EQ(client.id(), 1u);
    EXPECT_EQ(client.peer().rfind(std::string(test_support::peer_ip()) + ":", 0), 0u)
        << client.peer();

    ASSERT_TRUE(peer.send_all("hello"));
    std::array<char, 16> buffer{};
    auto got = client.recv(std::span(buffer), 10s);
    ASSERT_TRUE(got);
    EXPECT_EQ(std::string_view(buffer.data(), got.bytes), "hello");
    auto timed_out = client.recv(std::span(buffer), 20ms);
    EXPECT_EQ(timed_out.error, Errc::timeout);
    EXPECT_EQ(timed_out.bytes, 0u);

    auto sent = client.send("world");
    EXPECT_TRUE(sent);
    EXPECT_EQ(sent.bytes, 5u);
    EXPECT_EQ(peer.recv_exact(5), "world");
}

TEST(CppApi, HandlersSeeEveryEventInOrder)
{
    std::mutex mutex;
    std::vector<std::string> events;
    tcp_server::Options options;
    options.handlers.on_connect = [&](tcp_server::Client &) {
        std::lock_guard lock(mutex);
        events.push_back("connect");
    };
    options.handlers.on_recv = [&](tcp_server::Client &client) {
        std::array<std::byte, 64> buffer;
        auto got = client.recv(buffer);
        client.send(std::span<const std::byte>(buffer.data(), got.bytes));
        std::lock_guard lock(mutex);
        events.push_back("recv");
    };
    options.handlers.on_disconnect = [&](tcp_server::Client &client) {
        std::lock_guard lock(mutex);
        events.push_back(client.is_open() ? "disconnect-but-open" : "disconnect");
    };
    tcp_server::Server server = start_on_loopback(std::move(options));
    {
        LoopbackClient peer(test_support::server_ip(), server.port());
        ASSERT_TRUE(peer.send_all("ping"));
        EXPECT_EQ(peer.recv_exact(4), "ping");
    }
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mutex);
        return events.size() == 3;
    }));
    EXPECT_EQ(events, (std::vector<std::string>{"connect", "recv", "disconnect"}));
}

TEST(CppApi, ServerMovesAndStopsOnDestruction)
{
    std::vector<tcp_server::Server> servers;
    servers.push_back(start_on_loopback());
    servers.push_back(start_on_loopback()); // may reallocate: moves the first
    LoopbackClient peer(test_support::server_ip(), servers[0].port());
    ASSERT_TRUE(servers[0].accept(10s));
    tcp_server::Server moved = std::move(servers[0]);
    EXPECT_EQ(servers[0].port(), 0) << "a moved-from server is empty";
    servers.clear();
    {
        tcp_server::Server dying = std::move(moved);
    }
    EXPECT_TRUE(peer.sees_eof());
}

TEST(CppApi, ClientHandleStaysSafeAfterServerStops)
{
    tcp_server::Client client;
    LoopbackClient peer;
    {
        tcp_server::Server server = start_on_loopback();
        peer = LoopbackClient(test_support::server_ip(), server.port());
        auto accepted = server.accept(10s);
        ASSERT_TRUE(accepted);
        client = accepted.value();
    }
    std::array<char, 8> buffer;
    EXPECT_EQ(client.recv(std::span(buffer)).error, Errc::stopped);
    EXPECT_EQ(client.send("x").error, Errc::stopped);
    EXPECT_FALSE(client.is_open());
    client.close();
    tcp_server::Client empty;
    EXPECT_FALSE(empty);
    EXPECT_EQ(empty.recv(std::span(buffer)).error, Errc::invalid_argument);
}

TEST(CppApi, ClosedClientSaysClosed)
{
    tcp_server::Server server = start_on_loopback();
    LoopbackClient peer(test_support::server_ip(), server.port());
    auto client = server.accept(10s).value();
    client.close();
    client.close(); // idempotent
    EXPECT_EQ(client.send("x").error, Errc::closed);
    std::array<char, 8> buffer;
    EXPECT_EQ(client.recv(std::span(buffer)).error, Errc::closed);
    EXPECT_TRUE(peer.sees_eof());
}

TEST(CppApi, StopFromAHandlerStopsTheServerWithoutWaiting)
{
    std::atomic<int> result{-1};
    // Set before the peer connects, but on lwIP that order runs through the TAP device,
    // where ThreadSanitizer cannot see it: an atomic states it.
    std::atomic<tcp_server::Server *> self{nullptr};
    tcp_server::Options options;
    options.handlers.on_connect = [&](tcp_server::Client &) {
        result = static_cast<int>(self.load()->stop());
    };
    tcp_server::Server server = start_on_loopback(std::move(options));
    self = &server;
    LoopbackClient peer(test_support::server_ip(), server.port());
    ASSERT_TRUE(eventually([&] { return result.load() != -1; }));
    EXPECT_EQ(static_cast<Errc>(result.load()), Errc::ok);
    EXPECT_TRUE(peer.sees_eof()) << "its clients are closed once the handler returns";
    EXPECT_EQ(server.accept(tcp_server::kNoWait).error(), Errc::stopped);
    EXPECT_EQ(server.stop(), Errc::ok);
    EXPECT_EQ(server.stop(), Errc::ok);
}

TEST(CppApi, HandlersCanBeReplacedWhileRunning)
{
    tcp_server::Server server = start_on_loopback();
    std::atomic<int> recvs{0};
    server.set_handlers({.on_connect = {},
                         .on_recv =
                             [&](tcp_server::Client &client) {
                                 std::array<char, 64> buffer;
                                 client.recv(std::span(buffer));
                                 ++recvs;
                             },
                         .on_disconnect = {}});
    LoopbackClient peer(test_support::server_ip(), server.port());
    ASSERT_TRUE(peer.send_all("x"));
    EXPECT_TRUE(eventually([&] { return recvs.load() == 1; }));
    auto stats = server.stats();
    EXPECT_EQ(stats.accepted, 1u);
    EXPECT_EQ(stats.bytes_received, 1u);
}
