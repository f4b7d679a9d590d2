// A peer that resets the connection (SO_LINGER 0) mid-stream or while the server sends: the
// reset is told apart from an orderly end, DISCONNECT fires exactly once, no descriptor is
// left open, and the process never sees SIGPIPE (left at its default: it would kill us).
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "cpp_server.h"
#include "event_recorder.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <thread>

using namespace test_support;
using tcp_server::Errc;
using tcp_server::kNoWait;

namespace
{

class PeerReset : public testing::Test
{
  protected:
    void SetUp() override
    {
        struct sigaction current
        {
        };
        sigaction(SIGPIPE, nullptr, &current);
        ASSERT_EQ(current.sa_handler, SIG_DFL) << "SIGPIPE must keep its default disposition";
        descriptors_before_ = open_descriptor_count();
    }
    void TearDown() override
    {
        // Every socket the server took is closed again once server and handles are gone.
        EXPECT_EQ(open_descriptor_count(), descriptors_before_);
    }

  private:
    int descriptors_before_ = 0;
};

tcp_server::Server start(EventRecorder &recorder,
                         std::function<void(tcp_server::Client &)> on_recv = {})
{
    return start_on_loopback({.handlers = recorder.handlers(std::move(on_recv))});
}

} // namespace

TEST_F(PeerReset, MidStreamGivesConnectionResetAfterTheDataAndOneDisconnect)
{
    EventRecorder recorder;
    {
        tcp_server::Server server = start(recorder);
        LoopbackClient peer(test_support::server_ip(), server.port());
        auto client = server.accept(kPatience);
        ASSERT_TRUE(client);
        ASSERT_TRUE(peer.send_all("first half"));
        char buffer[64];
        tcp_server::IoResult got = client->recv(buffer, kPatience);
        ASSERT_EQ(std::string(buffer, got.bytes), "first half");

        int receiver = current_thread();
        std::thread resetter([&] {
            blocked_soon(receiver);
            peer.reset();
        });
        got = client->recv(buffer, kPatience); // blocked when the reset arrives
        resetter.join();
        EXPECT_EQ(got.bytes, 0u);
        EXPECT_EQ(got.error, Errc::connection_reset) << tcp_server::to_string(got.error);
        EXPECT_NE(got.error, Errc::end_of_stream);
        EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }));
        EXPECT_FALSE(client->is_open());
        // Later calls keep saying why, and nothing fires twice.
        EXPECT_EQ(client->send("late", kNoWait).error, Errc::connection_reset);
        EXPECT_EQ(client->recv(buffer, kNoWait).error, Errc::connection_reset);
        client->close();
        EXPECT_TRUE(eventually([&] { return server.stats().clients == 0; }));
        EXPECT_EQ(recorder.count(client->id(), EventRecorder::disconnect), 1);
    }
    EXPECT_EQ(recorder.total(EventRecorder::disconnect), 1);
}

TEST_F(PeerReset, WhileAUserThreadIsBlockedInSend)
{
    EventRecorder recorder;
    tcp_server::Server server = start(recorder);
    LoopbackClient peer(test_support::server_ip(), server.port(), kPatience, 4096); // and never reads
    auto client = server.accept(kPatience);
    ASSERT_TRUE(client);
    std::string data = random_bytes(32 * 1024 * 1024, 7);
    tcp_server::IoResult result;
    std::atomic<int> sender_tid{0};
    std::thread sender([&] {
        sender_tid = current_thread();
        result = client->send(data, tcp_server::kForever);
    });
    ASSERT_TRUE(
        eventually([&] { return sender_tid.load() != 0 && blocked_soon(sender_tid.load()); }));
    peer.reset();
    sender.join();
    EXPECT_GT(result.bytes, 0u);
    EXPECT_LT(result.bytes, data.size());
    EXPECT_EQ(result.error, Errc::connection_reset) << tcp_server::to_string(result.error);
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }));
    client->close();
    server.stop();
    EXPECT_EQ(recorder.total(EventRecorder::disconnect), 1);
}

TEST_F(PeerReset, WhileTheWorkerHoldsQueuedOutput)
{
    EventRecorder recorder;
    tcp_server::Server server = start(recorder, echo_what_arrived);
    // The peer sends far more than it reads, so the echo backs up in the server's queue.
    LoopbackClient peer(test_support::server_ip(), server.port(), kPatience, 4096);
    std::string data = random_bytes(4 * 1024 * 1024, 8);
    // Whatever part the server takes before it stops reading is enough: the rest waits.
    peer.send_all(data, std::chrono::milliseconds(1000));
    ASSERT_TRUE(eventually([&] { return server.stats().bytes_sent > 0; }));
    peer.reset();
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }));
    EXPECT_TRUE(eventually([&] { return server.stats().clients == 0; }));
    // A new client is served as before.
    LoopbackClient next(test_support::server_ip(), server.port());
    ASSERT_TRUE(next.send_all("still here"));
    EXPECT_EQ(next.recv_exact(10), "still here");
    server.stop();
    EXPECT_EQ(recorder.total(EventRecorder::disconnect), 2);
}

TEST_F(PeerReset, CApiSaysEioAndNamesTheReset)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    LoopbackClient peer(test_support::server_ip(), server->port);
    tcpclient_t client = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(peer.send_all("x"));
    char byte;
    ASSERT_EQ(tcpserver_recv(client, &byte, 1, 10000), 1u);
    peer.reset();
    EXPECT_EQ(tcpserver_recv(client, &byte, 1, 10000), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EIO);
    EXPECT_STREQ(tcpserver_strerror(), "the peer reset the connection");
    char reply[] = "reply";
    EXPECT_EQ(tcpserver_send(client, reply, sizeof reply, 1000), 0u);
    EXPECT_EQ(rt_get_errno(), -RT_EIO);
    EXPECT_EQ(tcpserver_close(client), RT_EOK);
}

TEST_F(PeerReset, WhileClosedOutputIsFlushedEndsTheConnectionAtOnce)
{
    // close() with a megabyte still queued starts flushing it for close_linger (a minute here);
    // a reset then means nobody will read it: the connection must end now, not spin the worker
    // until the linger runs out.
    EventRecorder recorder;
    const std::string big(4 << 20, 'q');
    tcp_server::Options options;
    options.close_linger = std::chrono::minutes(1);
    options.handlers = recorder.handlers([&](tcp_server::Client &client) {
        char buffer[8];
        client.recv(buffer);
        client.send(big); // the peer does not read: most of it is queued
        client.close();
    });
    tcp_server::Server server = start_on_loopback(options);
    LoopbackClient peer(test_support::server_ip(), server.port(), kPatience, 4096);
    ASSERT_TRUE(peer.send_all("go"));
    ASSERT_TRUE(eventually([&] { return recorder.total(EventRecorder::recv) == 1; }));
    int worker = find_thread(TCPSERVER_NAME);
    ASSERT_TRUE(blocked_soon(worker)) << "flushing to a peer that does not read needs no CPU";
    peer.reset();
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }))
        << "DISCONNECT waited for the linger";
    EXPECT_TRUE(eventually([&] { return server.stats().clients == 0; }));
    auto before = thread_cpu_time(worker);
    EXPECT_FALSE(eventually([&] { return (thread_cpu_time(worker) - before).count() > 50000; },
                            std::chrono::milliseconds(300)))
        << "the worker spins";
}
