// Many clients at once, each sending 200 messages of random sizes (1..4096 bytes) and checking
// the echo byte for byte: once through the notify callback, once through blocking
// accept/recv/send with a thread per client; over IPv4 and IPv6.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

using namespace test_support;

namespace
{

constexpr int kClients = 50;
constexpr int kMessages = 200;

void callback_echo(tcpclient_t client, rt_uint8_t event)
{
    if (event != TCPSERVER_EVENT_RECV)
        return;
    char buffer[4096];
    rt_size_t n = tcpserver_recv(client, buffer, sizeof buffer, RT_WAITING_FOREVER);
    if (n > 0)
        tcpserver_send(client, buffer, n, 0);
}

// Runs the clients; returns how many got every echo right.
int run_clients(const char *ip, std::uint16_t port)
{
    std::atomic<int> exact{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c)
    {
        clients.emplace_back([&, c] {
            LoopbackClient peer(ip, port);
            std::mt19937 sizes(1000 + c);
            for (int m = 0; m < kMessages; ++m)
            {
                std::string message = random_bytes(1 + sizes() % 4096, c * kMessages + m);
                if (!peer.send_all(message) || peer.recv_exact(message.size()) != message)
                    return;
            }
            ++exact;
        });
    }
    for (auto &client : clients)
        client.join();
    return exact.load();
}

struct tcpserver *create_for_load(const char *ip, tcpserver_notify_t notify)
{
    struct tcpserver_config config = loopback_config(kClients, notify);
    config.ip = ip;
    return tcpserver_create_with(&config);
}

class MultiClientEcho : public ::testing::TestWithParam<const char *>
{
};

} // namespace

TEST_P(MultiClientEcho, ThroughTheCallback)
{
    ServerPtr server(create_for_load(GetParam(), callback_echo));
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    EXPECT_EQ(run_clients(GetParam(), server->port), kClients);
}

TEST_P(MultiClientEcho, ThroughBlockingCallsWithAThreadPerClient)
{
    ServerPtr server(create_for_load(GetParam(), nullptr));
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    std::vector<std::thread> handlers;
    std::thread acceptor([&] {
        for (int i = 0; i < kClients; ++i)
        {
            tcpclient_t client = tcpserver_accept(server.get(), RT_WAITING_FOREVER);
            if (!client)
                return;
            handlers.emplace_back([client] {
                char buffer[4096];
                for (;;)
                {
                    rt_size_t n = tcpserver_recv(client, buffer, sizeof buffer, RT_WAITING_FOREVER);
                    if (n == 0 || tcpserver_send(client, buffer, n, RT_WAITING_FOREVER) != n)
                        break;
                }
                tcpserver_close(client);
            });
        }
    });
    EXPECT_EQ(run_clients(GetParam(), server->port), kClients);
    acceptor.join();
    for (auto &handler : handlers)
        handler.join();
}

INSTANTIATE_TEST_SUITE_P(Loopback, MultiClientEcho,
                         ::testing::Values(test_support::server_ip(), test_support::server_ipv6()),
                         [](const auto &info) {
                             return std::string(std::strchr(info.param, ':') ? "Ipv6" : "Ipv4");
                         });
