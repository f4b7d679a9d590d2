// The notify callback's order per client: CONNECT once, then RECV, then DISCONNECT once,
// checked with a mock over many clients connecting and leaving at once.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

using namespace test_support;
using ::testing::_;
using ::testing::AtLeast;
using ::testing::InSequence;

namespace
{

class NotifyMock
{
  public:
    MOCK_METHOD(void, on_event, (int client, rt_uint8_t event));
};

NotifyMock *mock = nullptr;
std::atomic<int> disconnects{0};
std::mutex ids_mutex;
std::map<tcpclient_t, int> ids; // a client's identity for the mock: its order of arrival

void forward(tcpclient_t client, rt_uint8_t event)
{
    int id;
    {
        std::lock_guard lock(ids_mutex);
        if (event == TCPSERVER_EVENT_CONNECT)
            ids[client] = static_cast<int>(ids.size());
        id = ids.at(client);
        if (event == TCPSERVER_EVENT_DISCONNECT)
            ids.erase(client);
    }
    if (event == TCPSERVER_EVENT_RECV)
    {
        char buffer[4096];
        while (tcpserver_recv(client, buffer, sizeof buffer, 0) > 0)
        {
        }
    }
    mock->on_event(id, event);
    disconnects += event == TCPSERVER_EVENT_DISCONNECT;
}

} // namespace

TEST(NotifyOrder, ConnectThenRecvThenDisconnectPerClient)
{
    constexpr int kClients = 30;
    NotifyMock expectations;
    mock = &expectations;
    for (int id = 0; id < kClients; ++id)
    {
        InSequence per_client;
        EXPECT_CALL(expectations, on_event(id, TCPSERVER_EVENT_CONNECT)).Times(1);
        EXPECT_CALL(expectations, on_event(id, TCPSERVER_EVENT_RECV)).Times(AtLeast(1));
        EXPECT_CALL(expectations, on_event(id, TCPSERVER_EVENT_DISCONNECT)).Times(1);
    }
    ServerPtr server = create_server_with(loopback_config(kClients, forward));
    ASSERT_NE(server, nullptr);

    // Connect one at a time so the ids follow arrival; then all talk and leave at once.
    std::vector<LoopbackClient> peers;
    for (int i = 0; i < kClients; ++i)
    {
        peers.emplace_back("127.0.0.1", server->port);
        ASSERT_TRUE(eventually([&] {
            std::lock_guard lock(ids_mutex);
            return ids.size() == static_cast<std::size_t>(i + 1);
        }));
    }
    std::vector<std::thread> talkers;
    for (auto &peer : peers)
    {
        talkers.emplace_back([&peer, seed = static_cast<std::uint32_t>(talkers.size())] {
            for (int i = 0; i < 20; ++i)
                peer.send_all(random_bytes(1 + seed * 37 % 3000, seed + i));
            peer.close();
        });
    }
    for (auto &talker : talkers)
        talker.join();
    ASSERT_TRUE(eventually([] { return disconnects.load() == kClients; }));
    server.reset();
    mock = nullptr;
}
