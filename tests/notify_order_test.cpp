// The notify callback's order per client: CONNECT once, then RECV one or more times, then
// DISCONNECT once, and nothing after it. Every event of every client is recorded, in order,
// over many clients connecting and leaving at once, and each client's sequence is checked
// whole; an event for a handle that is not connected (a second DISCONNECT, say) is recorded
// too, and must not happen. The callback itself never throws.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace test_support;

namespace
{

std::mutex events_mutex;
std::map<tcpclient_t, std::size_t> connected; // a handle between its CONNECT and DISCONNECT
std::vector<std::string> sequences;           // per client, in order of arrival: "C", "R", "D"
std::vector<std::string> strays;              // events for a handle that is not connected
std::atomic<int> disconnects{0};

char letter(rt_uint8_t event)
{
    return event == TCPSERVER_EVENT_CONNECT ? 'C' : event == TCPSERVER_EVENT_RECV ? 'R' : 'D';
}

void record(tcpclient_t client, rt_uint8_t event)
{
    if (event == TCPSERVER_EVENT_RECV)
    {
        char buffer[4096];
        while (tcpserver_recv(client, buffer, sizeof buffer, 0) > 0)
        {
        }
    }
    std::lock_guard lock(events_mutex);
    if (event == TCPSERVER_EVENT_CONNECT)
    {
        if (connected.count(client))
            strays.push_back("a second CONNECT");
        connected[client] = sequences.size();
        sequences.emplace_back();
    }
    auto found = connected.find(client);
    if (found == connected.end())
    {
        strays.push_back(std::string(1, letter(event)) + " after DISCONNECT");
        return;
    }
    sequences[found->second] += letter(event);
    if (event == TCPSERVER_EVENT_DISCONNECT)
    {
        connected.erase(found);
        ++disconnects;
    }
}

// C, then R at least once, then D, and nothing else.
bool well_ordered(const std::string &sequence)
{
    return sequence.size() >= 3 && sequence.front() == 'C' && sequence.back() == 'D' &&
           sequence.find_first_not_of('R', 1) == sequence.size() - 1;
}

} // namespace

TEST(NotifyOrder, ConnectThenRecvThenDisconnectPerClient)
{
    constexpr int kClients = 30;
    ServerPtr server = create_server_with(loopback_config(kClients, record));
    ASSERT_NE(server, nullptr);

    std::vector<LoopbackClient> peers;
    for (int i = 0; i < kClients; ++i)
        peers.emplace_back(test_support::server_ip(), server->port);
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(events_mutex);
        return sequences.size() == static_cast<std::size_t>(kClients);
    }));
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
    server.reset(); // no event may come after this
    std::lock_guard lock(events_mutex);
    EXPECT_TRUE(strays.empty()) << strays.size() << " stray events, the first: " << strays.front();
    ASSERT_EQ(sequences.size(), static_cast<std::size_t>(kClients));
    for (const std::string &sequence : sequences)
        EXPECT_TRUE(well_ordered(sequence)) << sequence;
}
