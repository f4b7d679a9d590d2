// A peer that half-closes (shutdown(SHUT_WR)) after its request: recv gives every byte, then
// end of stream; the server can still send its reply. DISCONNECT comes when the connection is
// over: for a client a user accepted, when that user closes it; for a client served only by
// the callback, once its input is read and its replies are flushed.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"
#include "conditions.h"
#include "event_recorder.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

using namespace test_support;
using tcp_server::Errc;
using tcp_server::kNoWait;

namespace
{

std::atomic<int> disconnects{0};
void count_disconnects(tcpclient_t, rt_uint8_t event)
{
    disconnects += event == TCPSERVER_EVENT_DISCONNECT;
}

// Reads until the C API reports the end; returns what came before it.
std::string read_to_end(tcpclient_t client)
{
    std::string request;
    char buffer[256];
    for (;;)
    {
        rt_size_t n = tcpserver_recv(client, buffer, sizeof buffer, 10000);
        if (n == 0)
            return request;
        request.append(buffer, n);
    }
}

void reply_after_half_close(bool accept_before_request)
{
    disconnects = 0;
    ServerPtr server = create_server_with(loopback_config(5, count_disconnects));
    ASSERT_NE(server, nullptr);
    LoopbackClient peer(test_support::server_ip(), server->port);
    tcpclient_t client = nullptr;
    if (accept_before_request)
        client = tcpserver_accept(server.get(), 10000);
    std::string request = random_bytes(100000, 3);
    ASSERT_TRUE(peer.send_all(request));
    peer.shutdown_write();
    if (!accept_before_request)
        client = tcpserver_accept(server.get(), 10000);
    ASSERT_NE(client, nullptr);

    EXPECT_TRUE(read_to_end(client) == request);
    EXPECT_EQ(rt_get_errno(), -RT_EIO);
    EXPECT_STREQ(tcpserver_strerror(), "the peer closed the connection");
    char again;
    EXPECT_EQ(tcpserver_recv(client, &again, 1, 0), 0u); // the end is reported every time
    EXPECT_EQ(rt_get_errno(), -RT_EIO);

    // The peer reads as the reply goes: more than the socket buffers hold (lwIP's are small).
    std::string received;
    bool reached_eof = false;
    std::thread reader([&] { reached_eof = peer.recv_until_eof(received); });
    std::string reply = random_bytes(300000, 4);
    EXPECT_EQ(tcpserver_send(client, reply.data(), reply.size(), 10000), reply.size());
    EXPECT_EQ(disconnects.load(), 0) << "the connection is not over while its owner replies";
    EXPECT_EQ(tcpserver_close(client), RT_EOK);
    reader.join();
    EXPECT_TRUE(reached_eof);
    EXPECT_TRUE(received == reply);
    EXPECT_TRUE(eventually([] { return disconnects.load() == 1; }));
}

} // namespace

TEST(HalfClose, AcceptedClientCanReplyAfterTheRequestEnds)
{
    reply_after_half_close(true);
}

TEST(HalfClose, RequestThatEndedBeforeAcceptCanStillBeAnswered)
{
    reply_after_half_close(false);
}

TEST(HalfClose, CallbackEchoIsFlushedThenDisconnectFiresOnce)
{
    EventRecorder recorder;
    tcp_server::Options options;
    options.address = test_support::server_ip();
    options.handlers = recorder.handlers(echo_what_arrived);
    auto server = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(server);
    LoopbackClient peer(test_support::server_ip(), server->port());
    std::string request = random_bytes(2 * 1024 * 1024, 5);
    std::string echoed;
    std::thread reader([&] { peer.recv_until_eof(echoed, std::chrono::seconds(30)); });
    ASSERT_TRUE(peer.send_all(request, std::chrono::seconds(30)));
    peer.shutdown_write();
    reader.join();
    EXPECT_TRUE(echoed == request) << echoed.size() << " of " << request.size() << " bytes";
    ASSERT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }));
    EXPECT_TRUE(eventually([&] { return server->stats().clients == 0; }));
}

TEST(HalfClose, SilentPeerThatHalfClosesIsDisconnectedWhenNobodyOwnsIt)
{
    EventRecorder recorder;
    tcp_server::Options options;
    options.address = test_support::server_ip();
    options.handlers = recorder.handlers();
    auto server = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(server);
    LoopbackClient peer(test_support::server_ip(), server->port());
    peer.shutdown_write();
    EXPECT_TRUE(peer.sees_eof());
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }));
    EXPECT_TRUE(eventually([&] { return server->stats().clients == 0; }));
    EXPECT_EQ(server->accept(kNoWait).error(), Errc::timeout) << "nothing left to hand out";
}

TEST(HalfClose, CppRecvSaysEndOfStreamAndSendStillWorks)
{
    auto server = tcp_server::Server::start({.address = test_support::server_ip()});
    ASSERT_TRUE(server);
    LoopbackClient peer(test_support::server_ip(), server->port());
    auto client = server->accept(kPatience);
    ASSERT_TRUE(client);
    ASSERT_TRUE(peer.send_all("ping"));
    peer.shutdown_write();
    char buffer[8];
    EXPECT_EQ(client->recv(buffer, kPatience).bytes, 4u);
    EXPECT_EQ(client->recv(buffer, kPatience).error, Errc::end_of_stream);
    EXPECT_TRUE(client->send("pong", kPatience));
    EXPECT_EQ(peer.recv_exact(4), "pong");
    client->close();
    EXPECT_EQ(client->send("late", kNoWait).error, Errc::closed) << "closed is closed";
    EXPECT_TRUE(peer.sees_eof());
}
