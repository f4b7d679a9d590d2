// The worker never spins: clients with unread data do not make the poller return again and
// again; one unread byte gives one RECV until it is read; idle clients cost nothing.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include "event_recorder.h"

#include <sys/resource.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

using namespace test_support;

namespace
{
std::atomic<int> recv_events{0};
void count_but_never_read(tcpclient_t, rt_uint8_t event)
{
    recv_events += event == TCPSERVER_EVENT_RECV;
}
} // namespace

TEST(NoSpin, UnreadDataCostsTheWorkerNothing)
{
    constexpr int kClients = 100;
    struct tcpserver_config config = loopback_config(kClients, count_but_never_read);
    config.name = "no-spin";
    ServerPtr server = create_server_with(config);
    ASSERT_NE(server, nullptr);
    std::vector<LoopbackClient> peers;
    for (int i = 0; i < kClients; ++i)
    {
        peers.emplace_back(test_support::server_ip(), server->port);
        ASSERT_TRUE(peers.back().send_all("unread"));
    }
    ASSERT_TRUE(eventually([] { return recv_events.load() == kClients; }));
    int worker = find_thread("no-spin");
    ASSERT_GT(worker, 0);
    auto cpu_before = thread_cpu_time(worker);
    std::this_thread::sleep_for(std::chrono::seconds(1)); // an observation window, not a sync
    auto cpu_used = thread_cpu_time(worker) - cpu_before;
    std::printf("worker CPU over 1 s with %d unread clients: %lld us\n", kClients,
                static_cast<long long>(cpu_used.count()));
    EXPECT_LT(cpu_used, std::chrono::milliseconds(50));
    EXPECT_EQ(recv_events.load(), kClients);
}

TEST(NoSpin, OneUnreadByteGivesExactlyOneRecvUntilItIsRead)
{
    recv_events = 0;
    ServerPtr server = create_server_with(loopback_config(2, count_but_never_read));
    ASSERT_NE(server, nullptr);
    LoopbackClient peer(test_support::server_ip(), server->port);
    tcpclient_t client = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(peer.send_all("1"));
    ASSERT_TRUE(eventually([] { return recv_events.load() == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // a window for extra events
    EXPECT_EQ(recv_events.load(), 1);
    char byte;
    ASSERT_EQ(tcpserver_recv(client, &byte, 1, 0), 1u);
    ASSERT_TRUE(peer.send_all("2"));
    ASSERT_TRUE(eventually([] { return recv_events.load() == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(recv_events.load(), 2);
    tcpserver_close(client);
}

TEST(NoSpin, AThousandIdleClientsCostTheWorkerUnderTwentyMsInTwoSeconds)
{
    // Peers and served sockets share this process's descriptors; select serves numbers
    // below TCPSERVER_SOCKET_MAX only, so it gets fewer clients.
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = std::max<rlim_t>(files.rlim_cur, std::min<rlim_t>(files.rlim_max, 4096));
    setrlimit(RLIMIT_NOFILE, &files);
    // select takes descriptors below TCPSERVER_SOCKET_MAX; lwIP waits in lwip_poll whatever
    // the backend.
    const bool below_socket_max =
        tcp_server::default_backend() == tcp_server::Backend::select && !test_support::on_lwip();
    const int clients = below_socket_max ? (TCPSERVER_SOCKET_MAX - 64) / 2 : 1000;
    EventRecorder recorder;
    tcp_server::Options options;
    options.address = test_support::server_ip();
    options.name = "idle-1000";
    options.max_clients = static_cast<std::size_t>(clients);
    options.handlers = recorder.handlers(echo_what_arrived);
    auto server = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(server);
    std::vector<LoopbackClient> peers;
    peers.reserve(static_cast<std::size_t>(clients));
    // Connections wait at most 32 deep for the worker: lwIP resets those beyond its accept
    // mailbox, and a sanitized worker may fall that far behind.
    constexpr std::uint64_t kAhead = 32;
    for (int i = 0; i < clients; ++i)
    {
        ASSERT_TRUE(
            eventually([&] { return server->stats().accepted + kAhead > std::uint64_t(i); }));
        peers.emplace_back(test_support::server_ip(), server->port());
        ASSERT_TRUE(peers.back().ok())
            << "peer " << i << ": " << std::strerror(peers.back().connect_error());
        ASSERT_TRUE(peers.back().send_all("hi")); // each is served once, then idles
    }
    for (auto &peer : peers)
        ASSERT_EQ(peer.recv_exact(2), "hi");
    ASSERT_EQ(server->stats().clients, static_cast<std::size_t>(clients));
    int worker = find_thread("idle-1000");
    ASSERT_GT(worker, 0);
    auto cpu_before = thread_cpu_time(worker);
    std::this_thread::sleep_for(std::chrono::seconds(2)); // an observation window
    auto cpu_used = thread_cpu_time(worker) - cpu_before;
    std::printf("worker CPU over 2 s with %d idle clients: %lld us\n", clients,
                static_cast<long long>(cpu_used.count()));
    EXPECT_LE(cpu_used, std::chrono::milliseconds(20));
}
