// Descriptor reuse: client A ends, client B is given A's descriptor number; nothing of A (its
// events, its unread bytes, calls on a stale handle) ever reaches B.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "conditions.h"
#include "event_recorder.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <thread>

using namespace test_support;
using tcp_server::Errc;
using tcp_server::kNoWait;

TEST(DescriptorReuse, NothingOfTheOldClientReachesTheNewOne)
{
    EventRecorder recorder;
    tcp_server::Options options;
    options.address = server_ip();
    options.handlers = recorder.handlers(); // records RECV, leaves the bytes unread
    auto server = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(server);
    constexpr int kRounds = 100;
    int reused = 0;
    for (int round = 0; round < kRounds; ++round)
    {
        std::uint64_t a_id;
        int a_fd;
        {
            LoopbackClient a(server_ip(), server->port());
            auto a_client = server->accept(kPatience); // then released, with A's input unread
            ASSERT_TRUE(a_client);
            a_id = a_client->id();
            a_fd = a_client->fd();
            ASSERT_TRUE(a.send_all("from A, never read"));
            ASSERT_TRUE(eventually([&] { return recorder.count(a_id, EventRecorder::recv) == 1; }));
            // A is ended from both sides at once: the peer resets while we close.
            std::thread closer([&] { a_client->close(); });
            a.reset();
            closer.join();
        }
        ASSERT_TRUE(eventually([&] { return recorder.count(a_id, EventRecorder::disconnect) == 1; }));
        ASSERT_TRUE(eventually([&] { return server->stats().clients == 0; }));

        LoopbackClient b(server_ip(), server->port());
        auto b_client = server->accept(kPatience);
        ASSERT_TRUE(b_client);
        reused += b_client->fd() == a_fd;
        char buffer[64];
        EXPECT_EQ(b_client->recv(buffer, kNoWait).error, Errc::timeout) << "none of A's bytes";
        ASSERT_TRUE(b.send_all("B"));
        tcp_server::IoResult got = b_client->recv(buffer, kPatience);
        EXPECT_EQ(std::string(buffer, got.bytes), "B");
        // B's own CONNECT, and at most the RECV of its own byte (the blocked recv above may
        // take it before the worker would announce it).
        std::vector<EventRecorder::Event> b_events = recorder.of(b_client->id());
        ASSERT_FALSE(b_events.empty());
        EXPECT_EQ(b_events[0], EventRecorder::connect);
        EXPECT_LE(recorder.count(b_client->id(), EventRecorder::recv), 1);
        EXPECT_EQ(recorder.count(b_client->id(), EventRecorder::disconnect), 0);
        EXPECT_EQ(recorder.count(a_id, EventRecorder::disconnect), 1) << "and A ended once";
        b_client->close();
        ASSERT_TRUE(eventually([&] { return server->stats().clients == 0; }));
    }
    std::printf("B took A's descriptor number in %d of %d rounds\n", reused, kRounds);
    EXPECT_GT(reused, kRounds / 2);
}

TEST(DescriptorReuse, AHeldHandleKeepsItsNumberAndCannotTouchTheNewClient)
{
    auto server = tcp_server::Server::start({.address = server_ip()});
    ASSERT_TRUE(server);
    LoopbackClient a(server_ip(), server->port());
    auto a_client = server->accept(kPatience);
    ASSERT_TRUE(a_client);
    a.close();
    char buffer[8];
    EXPECT_EQ(a_client->recv(buffer, kPatience).error, Errc::end_of_stream);
    a_client->close();
    // The handle still held keeps the descriptor, so B cannot be given its number...
    LoopbackClient b(server_ip(), server->port());
    auto b_client = server->accept(kPatience);
    ASSERT_TRUE(b_client);
    EXPECT_NE(b_client->fd(), a_client->fd());
    // ...and what is sent through the stale handle goes nowhere near B.
    EXPECT_EQ(a_client->send("for A", kNoWait).error, Errc::closed);
    EXPECT_TRUE(b.stays_silent(std::chrono::milliseconds(50)));
}

TEST(DescriptorReuse, StaleCHandleIsRefusedOnceItsClientIsGone)
{
    ServerPtr server = create_server();
    ASSERT_NE(server, nullptr);
    LoopbackClient a(server_ip(), server->port);
    tcpclient_t stale = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(stale, nullptr);
    ASSERT_EQ(tcpserver_close(stale), RT_EOK);
    a.close();
    // Once the worker has let go of it too, the handle is dead: every call refuses it.
    char byte = 'x';
    ASSERT_TRUE(eventually([&] {
        tcpserver_recv(stale, &byte, 1, 0);
        return rt_get_errno() == -RT_EINVAL;
    }));
    LoopbackClient b(server_ip(), server->port);
    tcpclient_t fresh = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(fresh, nullptr);
    if (fresh != stale) // a new client at the same address is the one case a stale handle finds
    {
        EXPECT_EQ(tcpserver_send(stale, &byte, 1, 0), 0u);
        EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
        EXPECT_EQ(tcpserver_close(stale), -RT_EINVAL);
        EXPECT_TRUE(b.stays_silent(std::chrono::milliseconds(50)));
    }
    tcpserver_close(fresh);
}
