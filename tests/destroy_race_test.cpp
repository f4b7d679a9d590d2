// tcpserver_destroy racing calls that started before it on other threads -- recv, send and
// close on its clients, get_stats on the server -- never frees memory under them: every call
// returns (a result, or an error), and ASan sees no use after free. Bounded: 40 rounds.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace test_support;

TEST(DestroyRace, CallsThatStartedBeforeFinishSafely)
{
#ifdef TCPSERVER_TEST_SANITIZED
    constexpr int kRounds = 20;
#else
    constexpr int kRounds = 40;
#endif
    for (int round = 0; round < kRounds; ++round)
    {
        struct tcpserver *server = tcpserver_create(test_support::server_ip(), 0);
        ASSERT_NE(server, nullptr);
        std::vector<LoopbackClient> peers;
        std::vector<tcpclient_t> clients;
        for (int i = 0; i < 3; ++i)
        {
            peers.emplace_back(test_support::server_ip(), server->port);
            clients.push_back(tcpserver_accept(server, 10000));
            ASSERT_NE(clients.back(), nullptr);
        }
        std::atomic<bool> go{false};
        std::atomic<int> running{0};
        std::vector<std::thread> callers;
        for (int i = 0; i < 3; ++i)
        {
            callers.emplace_back([&, client = clients[i], i] {
                ++running;
                while (!go)
                    std::this_thread::yield();
                char buffer[64] = "x";
                for (int n = 0; n < 200; ++n)
                {
                    if (i == 0)
                        tcpserver_recv(client, buffer, sizeof buffer, 0);
                    else if (i == 1)
                        tcpserver_send(client, buffer, 1, 0);
                    else if (n == 100)
                        tcpserver_close(client);
                    else
                        tcpserver_recv(client, buffer, sizeof buffer, 0);
                }
            });
        }
        callers.emplace_back([&] {
            ++running;
            while (!go)
                std::this_thread::yield();
            struct tcpserver_stats stats;
            for (int n = 0; n < 200; ++n)
                tcpserver_get_stats(server, &stats);
        });
        ASSERT_TRUE(eventually([&] { return running.load() == 4; }));
        go = true;
        EXPECT_EQ(tcpserver_destroy(server), RT_EOK);
        for (auto &caller : callers)
            caller.join();
    }
}
