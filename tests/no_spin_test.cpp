// The worker never spins: clients with unread data do not make the poller return again and
// again. One unread chunk gives one RECV until it is read.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
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
        peers.emplace_back("127.0.0.1", server->port);
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
