// Options::idle_timeout closes a client that moved no byte either way for that long: an idle
// peer, and a slowloris that sent half a request and stalls. Busy clients are left alone.
// Keepalive options reach the socket. (A peer that vanishes under keepalive is in
// impaired_link_test, where packets can really be lost.)
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "cpp_server.h"
#include "event_recorder.h"
#include "loopback_client.h"
#include "server_socket.h"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <thread>

using namespace test_support;
using tcp_server::Errc;
using tcp_server::kNoWait;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace
{

constexpr milliseconds kIdle{300};

tcp_server::Server start(EventRecorder &recorder, milliseconds idle)
{
    return start_on_loopback({.idle_timeout = idle, .handlers = recorder.handlers(echo_what_arrived)});
}

// How long after `since` the peer saw the server end the stream.
milliseconds closed_after(LoopbackClient &peer, Clock::time_point since)
{
    std::string ignored;
    EXPECT_TRUE(peer.recv_until_eof(ignored));
    return std::chrono::duration_cast<milliseconds>(Clock::now() - since);
}

} // namespace

TEST(IdleTimeout, IdleClientIsClosedAfterTheTimeout)
{
    EventRecorder recorder;
    tcp_server::Server server = start(recorder, kIdle);
    auto connected = Clock::now();
    LoopbackClient peer(test_support::server_ip(), server.port());
    auto client = server.accept(kPatience);
    ASSERT_TRUE(client);
    milliseconds after = closed_after(peer, connected);
    std::printf("idle client closed after %lld ms (timeout %lld ms)\n",
                static_cast<long long>(after.count()), static_cast<long long>(kIdle.count()));
    EXPECT_GE(after, kIdle) << "never early";
    // The goal is T + 100 ms; this bound only says it happens (see RELIABILITY.md).
    EXPECT_LT(after, kIdle + std::chrono::seconds(5));
    char buffer[4];
    EXPECT_EQ(client->recv(buffer, kNoWait).error, Errc::idle_timeout);
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }));
}

TEST(IdleTimeout, SlowlorisIsClosedAfterItsLastByte)
{
    constexpr milliseconds kTimeout{1000};
    EventRecorder recorder;
    tcp_server::Server server = start(recorder, kTimeout);
    LoopbackClient peer(test_support::server_ip(), server.port());
    std::this_thread::sleep_for(kTimeout / 3); // so that the close can only count from the byte
    auto before_last_byte = Clock::now();
    ASSERT_TRUE(peer.send_all("GET / HTTP/1.1\r\nHost: exam"));
    ASSERT_EQ(peer.recv_exact(26), "GET / HTTP/1.1\r\nHost: exam");
    EXPECT_GE(closed_after(peer, before_last_byte), kTimeout);
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }));
}

TEST(IdleTimeout, BusyClientsAreNotClosed)
{
    // A generous timeout: the busy peer below must not look idle just because this machine
    // paused the test for a while.
    constexpr milliseconds kTimeout{1500};
    EventRecorder recorder;
    tcp_server::Server server = start(recorder, kTimeout);
    LoopbackClient talker(test_support::server_ip(), server.port());
    LoopbackClient listener(test_support::server_ip(), server.port());
    auto talker_client = server.accept(kPatience);
    auto listener_client = server.accept(kPatience);
    ASSERT_TRUE(talker_client && listener_client);
    // For three timeouts: one peer sends every 50 ms; to the other the server streams and it
    // only reads. Both count as activity.
    std::atomic<bool> streaming{true};
    std::thread streamer([&] {
        while (streaming && listener_client->send("tick", kPatience))
            std::this_thread::sleep_for(milliseconds(50)); // pacing, not synchronisation
    });
    auto until = Clock::now() + 3 * kTimeout;
    while (Clock::now() < until)
    {
        ASSERT_TRUE(talker.send_all("x"));
        ASSERT_EQ(talker.recv_exact(1), "x");
        ASSERT_EQ(listener.recv_exact(4), "tick");
        std::this_thread::sleep_for(milliseconds(50));
    }
    streaming = false;
    streamer.join();
    EXPECT_TRUE(talker_client->is_open());
    EXPECT_TRUE(listener_client->is_open());
    EXPECT_EQ(recorder.total(EventRecorder::disconnect), 0);
    // Once both stop, both are closed.
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 2; }));
}

TEST(IdleTimeout, OffByDefault)
{
    tcp_server::Options defaults;
    EXPECT_EQ(defaults.idle_timeout, milliseconds(0));
    EXPECT_EQ(defaults.keepalive_idle.count(), 0);
    struct tcpserver_config config;
    tcpserver_config_init(&config);
    EXPECT_EQ(config.idle_timeout_ms, 0u);
    EXPECT_EQ(config.keepalive_idle_s, 0u);
    EXPECT_EQ(config.unsent_limit, 0u);
}

TEST(IdleTimeout, CApiIdleTimeoutClosesAndRecvSaysEio)
{
    struct tcpserver_config config = loopback_config();
    config.idle_timeout_ms = static_cast<rt_uint32_t>(kIdle.count());
    ServerPtr server = create_server_with(config);
    ASSERT_NE(server, nullptr);
    LoopbackClient peer(test_support::server_ip(), server->port);
    tcpclient_t client = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(client, nullptr);
    char byte;
    EXPECT_EQ(tcpserver_recv(client, &byte, 1, RT_WAITING_FOREVER), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EIO);
    EXPECT_STREQ(tcpserver_strerror(), "closed after the idle timeout");
    EXPECT_TRUE(peer.sees_eof());
    tcpserver_close(client);
}

TEST(Keepalive, OptionsReachTheSocket)
{
    tcp_server::Options options;
    options.address = test_support::server_ip();
    options.keepalive_idle = std::chrono::seconds(7);
    options.keepalive_interval = std::chrono::seconds(3);
    options.keepalive_count = 4;
    auto server = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(server);
    LoopbackClient peer(test_support::server_ip(), server->port());
    auto client = server->accept(kPatience);
    ASSERT_TRUE(client);
    int fd = client->fd();
    // A flag reads as non-zero: 1 on Linux, the flag's bit (8) on lwIP.
    EXPECT_GT(server_socket_option(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
    EXPECT_EQ(server_socket_option(fd, IPPROTO_TCP, TCP_KEEPIDLE), 7);
    EXPECT_EQ(server_socket_option(fd, IPPROTO_TCP, TCP_KEEPINTVL), 3);
    EXPECT_EQ(server_socket_option(fd, IPPROTO_TCP, TCP_KEEPCNT), 4);
}

TEST(Keepalive, OffUnlessAsked)
{
    auto server = tcp_server::Server::start({.address = test_support::server_ip()});
    ASSERT_TRUE(server);
    LoopbackClient peer(test_support::server_ip(), server->port());
    auto client = server->accept(kPatience);
    ASSERT_TRUE(client);
    EXPECT_EQ(server_socket_option(client->fd(), SOL_SOCKET, SO_KEEPALIVE), 0);
}
