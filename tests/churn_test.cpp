// Churn: rounds of 200 clients that connect, send, and close or reset, while user threads
// accept clients and close them at the same time. No hang, no crash, no race (TSan), and no
// descriptor or memory left behind (the count below; ASan's leak check).
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "conditions.h"
#include "event_recorder.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace test_support;
using std::chrono::milliseconds;

namespace
{

constexpr int kRounds = 50;
constexpr int kClientsPerRound = 200;
constexpr int kPeerThreads = 4;

// One peer's life: connect, send, take what echo comes (the server may close it first),
// then leave politely or with a reset.
void live_briefly(std::uint16_t port, int n)
{
    LoopbackClient peer(test_support::server_ip(), port, milliseconds(5000));
    if (!peer.ok())
        return;
    std::string message = "message " + std::to_string(n);
    if (peer.send_all(message, milliseconds(5000)) && n % 3 != 0)
    {
        std::string echoed = peer.recv_exact(message.size(), milliseconds(5000));
        EXPECT_EQ(message.compare(0, echoed.size(), echoed), 0) << "an echo is a prefix";
    }
    if (n % 2)
        peer.reset();
    else
        peer.close();
}

} // namespace

TEST(Churn, ClientsComeAndGoWhileUsersCloseThem)
{
    int descriptors_before = open_descriptor_count();
    EventRecorder recorder;
    std::uint64_t connections = 0;
    {
        tcp_server::Options options;
        options.address = test_support::server_ip();
        options.max_clients = kClientsPerRound;
        options.close_linger = milliseconds(200);
        options.handlers = recorder.handlers(echo_what_arrived);
        auto server = tcp_server::Server::start(std::move(options));
        ASSERT_TRUE(server);
        std::atomic<bool> churning{true};
        std::vector<std::thread> closers;
        for (int i = 0; i < 2; ++i)
            closers.emplace_back([&, i] {
                char buffer[64];
                while (churning.load())
                    if (auto client = server->accept(milliseconds(20)))
                    {
                        if (i == 1)
                            client->recv(buffer, milliseconds(5));
                        client->close();
                    }
            });
        for (int round = 0; round < kRounds; ++round)
        {
            std::vector<std::thread> peers;
            for (int t = 0; t < kPeerThreads; ++t)
                peers.emplace_back([&, t] {
                    for (int n = t; n < kClientsPerRound; n += kPeerThreads)
                        live_briefly(server->port(), round * kClientsPerRound + n);
                });
            for (auto &peer : peers)
                peer.join();
            ASSERT_TRUE(eventually([&] { return server->stats().clients == 0; }))
                << "round " << round << ": " << server->stats().clients << " clients left";
        }
        churning = false;
        for (auto &closer : closers)
            closer.join();
        // lwIP drops a connection reset before it was taken; the kernel hands it out.
        tcp_server::Stats stats = server->stats();
        connections = stats.accepted + stats.refused + stats.aborted;
    }
    std::printf("%llu connections in %d rounds; %d CONNECT, %d DISCONNECT\n",
                static_cast<unsigned long long>(connections), kRounds,
                recorder.total(EventRecorder::connect), recorder.total(EventRecorder::disconnect));
    EXPECT_EQ(connections, static_cast<std::uint64_t>(kRounds * kClientsPerRound));
    EXPECT_EQ(recorder.total(EventRecorder::connect), recorder.total(EventRecorder::disconnect));
    EXPECT_EQ(open_descriptor_count(), descriptors_before);
}
