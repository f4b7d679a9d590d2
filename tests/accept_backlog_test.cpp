// The client cap reached, and a user who never calls accept: nothing is dropped silently.
// Every connection the server took is handed to accept or closed with DISCONNECT; every one
// over the cap is closed at once and counted; the accept queue and the kernel's backlog stay
// bounded; the listen backlog is the configured one.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "cpp_server.h"
#include "event_recorder.h"
#include "loopback_client.h"
#include "server_socket.h"
#include "test_stack.h"

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

using namespace test_support;
using tcp_server::Errc;
using tcp_server::kNoWait;

namespace
{

tcp_server::Server start(EventRecorder &recorder, std::size_t cap, int backlog = TCPSERVER_BACKLOG)
{
    // The handlers record and never read.
    return start_on_loopback(
        {.max_clients = cap, .backlog = backlog, .handlers = recorder.handlers()});
}

} // namespace

TEST(AcceptBacklog, OverTheCapEveryConnectionIsClosedAtOnceAndCounted)
{
    constexpr int kCap = 4;
    constexpr int kPeers = 40;
    EventRecorder recorder;
    tcp_server::Server server = start(recorder, kCap);
    std::vector<LoopbackClient> peers;
    for (int i = 0; i < kPeers; ++i)
        peers.emplace_back(server_ip(), server.port());
    ASSERT_TRUE(
        eventually([&] { return server.stats().accepted + server.stats().refused == kPeers; }));
    EXPECT_EQ(server.stats().accepted, static_cast<std::uint64_t>(kCap));
    EXPECT_EQ(server.stats().refused, static_cast<std::uint64_t>(kPeers - kCap));
    EXPECT_EQ(server.stats().clients, static_cast<std::size_t>(kCap));
    // The first kCap are served; every later one is told at once, none is left hanging.
    for (int i = kCap; i < kPeers; ++i)
        EXPECT_TRUE(peers[i].sees_eof()) << "peer " << i;
    for (int i = 0; i < kCap; ++i)
        EXPECT_TRUE(peers[i].stays_silent(std::chrono::milliseconds(1)));
    EXPECT_EQ(recorder.total(EventRecorder::connect), kCap);
    // Nothing piles up in the stack either.
    EXPECT_EQ(server_listen_queue(server.listen_fd()).waiting, 0);
}

TEST(AcceptBacklog, NeverAcceptedClientsAreHandedOutOrClosedWithDisconnect)
{
    constexpr int kCap = 4;
    EventRecorder recorder;
    tcp_server::Server server = start(recorder, kCap);
    std::vector<LoopbackClient> peers;
    for (int i = 0; i < kCap; ++i)
        peers.emplace_back(server_ip(), server.port());
    ASSERT_TRUE(eventually([&] { return recorder.total(EventRecorder::connect) == kCap; }));
    std::vector<std::uint64_t> ids = recorder.clients();
    // Two leave without a word, two leave a request behind.
    peers[0].close();
    peers[1].close();
    ASSERT_TRUE(peers[2].send_all("request 2"));
    ASSERT_TRUE(peers[3].send_all("request 3"));
    peers[2].close();
    peers[3].close();
    ASSERT_TRUE(eventually([&] {
        return recorder.count(ids[0], EventRecorder::disconnect) == 1 &&
               recorder.count(ids[1], EventRecorder::disconnect) == 1;
    }));
    EXPECT_EQ(server.stats().clients, 2u) << "the two with requests wait for accept";
    // A user who finally accepts gets exactly those two, with their requests, in order.
    for (int i = 2; i < 4; ++i)
    {
        auto client = server.accept(kNoWait);
        ASSERT_TRUE(client);
        EXPECT_EQ(client->id(), ids[i]);
        char buffer[32];
        tcp_server::IoResult got = client->recv(buffer, kPatience);
        EXPECT_EQ(std::string(buffer, got.bytes), "request " + std::to_string(i));
        client->close();
    }
    EXPECT_EQ(server.accept(kNoWait).error(), Errc::timeout);
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == kCap; }));
    for (std::uint64_t id : ids)
        EXPECT_EQ(recorder.count(id, EventRecorder::disconnect), 1);
    EXPECT_TRUE(eventually([&] { return server.stats().clients == 0; }));
}

TEST(AcceptBacklog, ByDisconnectTheClientHasLeftTheQueueAndItsSlot)
{
    // Whoever is told DISCONNECT may count on it: accept no longer hands that client out and
    // the client count is without it.
    tcp_server::Server server = start_on_loopback({.max_clients = 4});
    std::mutex mutex;
    std::size_t clients_seen = 99;
    Errc accept_seen = Errc::ok;
    bool told = false;
    tcp_server::Handlers handlers;
    handlers.on_disconnect = [&](tcp_server::Client &) {
        std::lock_guard lock(mutex);
        clients_seen = server.stats().clients;
        accept_seen = server.accept(kNoWait).error();
        told = true;
    };
    server.set_handlers(std::move(handlers));
    LoopbackClient peer(server_ip(), server.port());
    ASSERT_TRUE(eventually([&] { return server.stats().accepted == 1; }));
    peer.close();
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mutex);
        return told;
    }));
    std::lock_guard lock(mutex);
    EXPECT_EQ(clients_seen, 0u);
    EXPECT_EQ(accept_seen, Errc::timeout);
}

TEST(AcceptBacklog, ListenBacklogIsTheConfiguredOne)
{
    EXPECT_GE(tcp_server::Options{}.backlog, 128);
    if (on_lwip())
        GTEST_SKIP() << "Debian's lwIP is built without TCP_LISTEN_BACKLOG: it keeps no backlog";
    EventRecorder recorder;
    tcp_server::Server by_default = start(recorder, 4);
    tcp_server::Server configured = start(recorder, 4, 7);
    ListenQueue queue = server_listen_queue(by_default.listen_fd());
    if (queue.backlog < 0)
        GTEST_SKIP() << "ss (iproute2) is not installed: scripts/install-deps.sh installs it";
    EXPECT_EQ(queue.backlog, TCPSERVER_BACKLOG);
    EXPECT_EQ(server_listen_queue(configured.listen_fd()).backlog, 7);
}

TEST(AcceptBacklog, WithARecvCallbackEndedClientsFreeTheirSlotsEvenWithInputUnread)
{
    // The callback was offered the input; keeping the ended clients for an accept that a
    // callback-driven server never makes would take their slots for good.
    constexpr int kCap = 2;
    EventRecorder recorder;
    tcp_server::Server server = start(recorder, kCap);
    for (int round = 0; round < 3; ++round)
    {
        std::vector<LoopbackClient> peers;
        for (int i = 0; i < kCap; ++i)
        {
            peers.emplace_back(server_ip(), server.port());
            ASSERT_TRUE(peers.back().send_all("never read"));
        }
        ASSERT_TRUE(
            eventually([&] { return recorder.total(EventRecorder::recv) == (round + 1) * kCap; }));
        for (auto &peer : peers)
            peer.reset();
        ASSERT_TRUE(eventually([&] { return server.stats().clients == 0; })) << "round " << round;
    }
    EXPECT_EQ(server.stats().refused, 0u);
    EXPECT_EQ(recorder.total(EventRecorder::disconnect), 3 * kCap);
}
