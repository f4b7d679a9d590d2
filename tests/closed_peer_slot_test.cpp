// A peer that has gone never keeps its client slot once its DISCONNECT has run: neither one
// whose callback read part of its input and then stopped, nor one that reset with input that
// nobody accepted. With the default five slots, five such peers must not lock out the sixth.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "cpp_server.h"
#include "event_recorder.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <vector>

using namespace test_support;

namespace
{

std::mutex read_mutex;
std::set<tcpclient_t> read_once; // the clients the callback took its one byte from
std::atomic<int> disconnects{0};

// Reads one byte of the first RECV of each client, then leaves the rest.
void read_one_byte_then_nothing(tcpclient_t client, rt_uint8_t event)
{
    if (event == TCPSERVER_EVENT_DISCONNECT)
    {
        std::lock_guard lock(read_mutex);
        read_once.erase(client);
        ++disconnects;
        return;
    }
    if (event != TCPSERVER_EVENT_RECV)
        return;
    std::lock_guard lock(read_mutex);
    if (read_once.insert(client).second)
    {
        char byte;
        tcpserver_recv(client, &byte, 1, RT_WAITING_FOREVER);
    }
}

} // namespace

TEST(ClosedPeerSlot, ACallbackThatStoppedReadingDoesNotKeepIt)
{
    disconnects = 0;
    ServerPtr server = create_server_with(loopback_config(5, read_one_byte_then_nothing));
    ASSERT_NE(server, nullptr);
    for (int i = 0; i < 5; ++i)
    {
        LoopbackClient peer(test_support::server_ip(), server->port);
        ASSERT_TRUE(peer.send_all("hello, partly read"));
        ASSERT_TRUE(eventually([&] {
            std::lock_guard lock(read_mutex);
            return read_once.size() == 1;
        }));
        peer.close(); // FIN, with input left unread
        ASSERT_TRUE(eventually([&] { return disconnects.load() == i + 1; }))
            << "no DISCONNECT for peer " << i;
    }
    struct tcpserver_stats stats;
    ASSERT_TRUE(eventually([&] {
        tcpserver_get_stats(server.get(), &stats);
        return stats.clients == 0;
    })) << stats.clients
        << " slots still held";
    LoopbackClient sixth(test_support::server_ip(), server->port);
    ASSERT_TRUE(sixth.send_all("x"));
    ASSERT_TRUE(eventually([&] {
        tcpserver_get_stats(server.get(), &stats);
        return stats.clients == 1;
    }));
    EXPECT_EQ(stats.refused, 0u);
}

TEST(ClosedPeerSlot, APeerThatResetWithUnreadInputDoesNotKeepIt)
{
    EventRecorder recorder;
    tcp_server::Options options;
    options.max_clients = 5;
    options.handlers = recorder.handlers();
    options.handlers.on_recv = nullptr; // accept mode: nobody reads until someone accepts
    tcp_server::Server server = start_on_loopback(options);
    std::vector<LoopbackClient> peers;
    for (int i = 0; i < 5; ++i)
    {
        peers.emplace_back(test_support::server_ip(), server.port());
        ASSERT_TRUE(peers.back().send_all("a request nobody accepts"));
    }
    ASSERT_TRUE(eventually([&] { return server.stats().clients == 5; }));
    for (auto &peer : peers)
        peer.reset();
    ASSERT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 5; }));
    EXPECT_TRUE(eventually([&] { return server.stats().clients == 0; }))
        << server.stats().clients << " slots held after DISCONNECT";
    LoopbackClient sixth(test_support::server_ip(), server.port());
    EXPECT_TRUE(eventually([&] { return server.stats().clients == 1; }))
        << "the sixth client was locked out";
    EXPECT_EQ(server.stats().refused, 0u);
}
