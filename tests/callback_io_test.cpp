// recv, send and close from inside the notify callback, as the package's own echo sample does:
// no deadlock, no spin, and the echo is byte-exact even when the peer reads slowly.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>

using namespace test_support;

namespace
{

// The package's sample, unchanged in substance: recv with RT_WAITING_FOREVER, send with 0.
rt_uint8_t sample_buffer[1024];
std::atomic<int> disconnects{0};

void sample_echo(tcpclient_t client, rt_uint8_t event)
{
    if (event == TCPSERVER_EVENT_RECV)
    {
        rt_size_t ret =
            tcpserver_recv(client, sample_buffer, sizeof sample_buffer, RT_WAITING_FOREVER);
        if (ret > 0)
            tcpserver_send(client, sample_buffer, ret, 0);
    }
    else if (event == TCPSERVER_EVENT_DISCONNECT)
    {
        ++disconnects;
    }
}

// Closes the connection from the callback when the peer says "bye".
void close_on_bye(tcpclient_t client, rt_uint8_t event)
{
    if (event == TCPSERVER_EVENT_RECV)
    {
        char buffer[16];
        rt_size_t n = tcpserver_recv(client, buffer, sizeof buffer, RT_WAITING_FOREVER);
        if (n == 3 && std::memcmp(buffer, "bye", 3) == 0)
        {
            tcpserver_send(client, (void *)"ok", 2, 0);
            tcpserver_close(client);
        }
    }
    else if (event == TCPSERVER_EVENT_DISCONNECT)
    {
        ++disconnects;
    }
}

} // namespace

TEST(CallbackIo, SampleEchoIsByteExactWithASlowReader)
{
    disconnects = 0;
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    tcpserver_set_notify_callback(server.get(), sample_echo);
    LoopbackClient peer(test_support::server_ip(), server->port, kPatience, 8192);
    // Far more than the socket buffers hold: the server must queue, push back and lose nothing.
    const std::string sent = random_bytes(20 * 1024 * 1024, 31);
    std::string received;
    std::thread reader([&] {
        while (received.size() < sent.size())
        {
            std::string chunk =
                peer.recv_exact(std::min<std::size_t>(3000, sent.size() - received.size()));
            if (chunk.empty())
                return;
            received += chunk;
        }
    });
    EXPECT_TRUE(peer.send_all(sent, std::chrono::seconds(60)));
    reader.join();
    ASSERT_EQ(received.size(), sent.size());
    EXPECT_TRUE(received == sent);
    peer.close();
    EXPECT_TRUE(eventually([] { return disconnects.load() == 1; }));
}

TEST(CallbackIo, CloseFromCallbackFlushesThenEnds)
{
    disconnects = 0;
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    tcpserver_set_notify_callback(server.get(), close_on_bye);
    LoopbackClient peer(test_support::server_ip(), server->port);
    ASSERT_TRUE(peer.send_all("bye"));
    std::string rest;
    ASSERT_TRUE(peer.recv_until_eof(rest));
    EXPECT_EQ(rest, "ok");
    EXPECT_TRUE(eventually([] { return disconnects.load() == 1; }));
    struct tcpserver_stats stats;
    EXPECT_TRUE(eventually([&] {
        tcpserver_get_stats(server.get(), &stats);
        return stats.clients == 0;
    }));
}

TEST(CallbackIo, ManyClientsEchoThroughTheSampleAtOnce)
{
    disconnects = 0;
    ServerPtr server = create_server_with(loopback_config(16, sample_echo));
    ASSERT_NE(server, nullptr);
    std::vector<std::thread> peers;
    std::atomic<int> exact{0};
    for (int i = 0; i < 16; ++i)
    {
        peers.emplace_back([&, i] {
            LoopbackClient peer(test_support::server_ip(), server->port);
            const std::string sent = random_bytes(256 * 1024, 100 + i);
            std::string received;
            std::thread reader(
                [&] { received = peer.recv_exact(sent.size(), std::chrono::seconds(60)); });
            peer.send_all(sent, std::chrono::seconds(60));
            reader.join();
            exact += received == sent;
        });
    }
    for (auto &peer : peers)
        peer.join();
    EXPECT_EQ(exact.load(), 16);
    EXPECT_TRUE(eventually([] { return disconnects.load() == 16; }));
}
