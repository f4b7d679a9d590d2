// A user thread that accepted a client, with no on_recv installed, reads the socket itself: no
// worker hop per message. What must hold on every backend: bytes keep their order across the
// switch from the worker's buffer to the socket, the peer's reset is still seen while nobody
// reads, an on_recv installed later hears what comes next, and idle timeout, close and stop
// still end a recv that waits. Where the worker need not read (poll, epoll), its loop does not
// turn per message.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "cpp_server.h"
#include "event_recorder.h"
#include "loopback_client.h"
#include "test_stack.h"
#include "worker_waits.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <string>

using namespace test_support;
using tcp_server::Errc;
using tcp_server::kNoWait;

namespace
{

// Bytes whose position can be told from their value, so a reordering shows.
std::string numbered(std::size_t from, std::size_t count)
{
    std::string text;
    for (std::size_t i = from; i < from + count; ++i)
        text += static_cast<char>('a' + (i * 7 + i / 26) % 26);
    return text;
}

std::string recv_exactly(tcp_server::Client &client, std::size_t count)
{
    std::string got;
    char buffer[4096];
    while (got.size() < count)
    {
        tcp_server::IoResult result = client.recv(buffer, kPatience);
        if (!result)
            break;
        got.append(buffer, result.bytes);
    }
    return got;
}

// One round trip through a user thread's recv: from here on the user thread reads the socket.
void round_trip(LoopbackClient &peer, tcp_server::Client &client)
{
    ASSERT_TRUE(peer.send_all("ping"));
    ASSERT_EQ(recv_exactly(client, 4), "ping");
    ASSERT_TRUE(client.send(std::as_bytes(std::span("pong", 4)), kPatience));
    ASSERT_EQ(peer.recv_exact(4), "pong");
}

// A server without on_recv and one peer whose client was accepted and has read once: its user
// thread reads the socket itself from here on.
struct ReadingDirectly
{
    void start(tcp_server::Options options = {})
    {
        server.emplace(start_on_loopback(std::move(options)));
        peer = LoopbackClient(server_ip(), server->port());
        auto accepted = server->accept(kPatience);
        ASSERT_TRUE(accepted);
        client.emplace(std::move(accepted).value());
        round_trip(peer, *client);
    }

    std::optional<tcp_server::Server> server;
    LoopbackClient peer;
    std::optional<tcp_server::Client> client;
};

} // namespace

TEST(DirectRead, InputTheWorkerReadComesFirstThenTheSocketInOrder)
{
    tcp_server::Server server = start_on_loopback();
    LoopbackClient peer(server_ip(), server.port());
    const std::string early = numbered(0, 3000);
    ASSERT_TRUE(peer.send_all(early));
    // Before accept the worker reads for whoever will accept it.
    ASSERT_TRUE(eventually([&] { return server.stats().bytes_received == early.size(); }));
    auto client = server.accept(kPatience);
    ASSERT_TRUE(client);
    const std::string late = numbered(early.size(), 200000);
    auto sending = std::async(std::launch::async, [&] { return peer.send_all(late); });
    std::string got = recv_exactly(*client, early.size() + late.size());
    EXPECT_TRUE(sending.get());
    EXPECT_EQ(got.size(), early.size() + late.size());
    EXPECT_TRUE(got == early + late) << "bytes out of order";
    EXPECT_EQ(server.stats().bytes_received, early.size() + late.size());
}

TEST(DirectRead, APeerResetWhileNobodyReadsEndsTheClientAtOnce)
{
    EventRecorder recorder;
    tcp_server::Server server = start_on_loopback({.handlers = recorder.handlers()});
    // The recorder installs an on_recv; without one the user thread reads the socket.
    tcp_server::Handlers without_recv = recorder.handlers();
    without_recv.on_recv = nullptr;
    server.set_handlers(std::move(without_recv));
    LoopbackClient peer(server_ip(), server.port());
    auto client = server.accept(kPatience);
    ASSERT_TRUE(client);
    round_trip(peer, *client);
    peer.reset();
    EXPECT_TRUE(eventually([&] { return recorder.total(EventRecorder::disconnect) == 1; }))
        << "the worker still watches for the peer's end";
    EXPECT_TRUE(eventually([&] { return server.stats().clients == 0; }));
    char buffer[8];
    EXPECT_EQ(client->recv(buffer, kNoWait).error, Errc::connection_reset);
}

TEST(DirectRead, HalfCloseGivesTheRestThenEndOfStreamAndRepliesStillGo)
{
    ReadingDirectly reading;
    ASSERT_NO_FATAL_FAILURE(reading.start());
    LoopbackClient &peer = reading.peer;
    auto &client = reading.client;
    ASSERT_TRUE(peer.send_all("last words"));
    peer.shutdown_write();
    EXPECT_EQ(recv_exactly(*client, 10), "last words");
    char buffer[8];
    EXPECT_EQ(client->recv(buffer, kPatience).error, Errc::end_of_stream);
    EXPECT_TRUE(client->send(std::as_bytes(std::span("bye", 3)), kPatience));
    client->close();
    std::string received;
    EXPECT_TRUE(peer.recv_until_eof(received));
    EXPECT_EQ(received, "bye");
}

TEST(DirectRead, AnOnRecvInstalledLaterHearsWhatComesNext)
{
    ReadingDirectly reading;
    ASSERT_NO_FATAL_FAILURE(reading.start());
    tcp_server::Server &server = *reading.server;
    LoopbackClient &peer = reading.peer;
    std::mutex mutex;
    std::string heard;
    tcp_server::Handlers handlers;
    handlers.on_recv = [&](tcp_server::Client &from) {
        char buffer[64];
        tcp_server::IoResult got = from.recv(buffer);
        std::lock_guard lock(mutex);
        heard.append(buffer, got.bytes);
    };
    server.set_handlers(std::move(handlers));
    ASSERT_TRUE(peer.send_all("after"));
    EXPECT_TRUE(eventually([&] {
        std::lock_guard lock(mutex);
        return heard == "after";
    })) << "the worker reads the socket again, for on_recv";
}

TEST(DirectRead, IdleTimeoutEndsARecvThatWaitsOnTheSocket)
{
    ReadingDirectly reading;
    ASSERT_NO_FATAL_FAILURE(reading.start({.idle_timeout = std::chrono::milliseconds(200)}));
    LoopbackClient &peer = reading.peer;
    auto &client = reading.client;
    char buffer[8];
    EXPECT_EQ(client->recv(buffer, tcp_server::kForever).error, Errc::idle_timeout);
    EXPECT_TRUE(peer.sees_eof());
}

TEST(DirectRead, CloseFromAnotherThreadEndsARecvThatWaitsOnTheSocket)
{
    ReadingDirectly reading;
    ASSERT_NO_FATAL_FAILURE(reading.start());
    LoopbackClient &peer = reading.peer;
    auto &client = reading.client;
    std::atomic<int> reader{0};
    auto waiting = std::async(std::launch::async, [&] {
        reader = current_thread();
        char buffer[8];
        return client->recv(buffer, tcp_server::kForever).error;
    });
    ASSERT_TRUE(eventually([&] { return reader != 0; }));
    ASSERT_TRUE(blocked_soon(reader.load()));
    tcp_server::Client other = *client;
    other.close();
    ASSERT_EQ(waiting.wait_for(kPatience), std::future_status::ready);
    EXPECT_EQ(waiting.get(), Errc::closed);
    EXPECT_TRUE(peer.sees_eof());
}

TEST(DirectRead, ATimeoutLosesNothing)
{
    ReadingDirectly reading;
    ASSERT_NO_FATAL_FAILURE(reading.start());
    LoopbackClient &peer = reading.peer;
    auto &client = reading.client;
    char buffer[8];
    EXPECT_EQ(client->recv(buffer, std::chrono::milliseconds(20)).error, Errc::timeout);
    EXPECT_EQ(client->recv(buffer, kNoWait).error, Errc::timeout);
    ASSERT_TRUE(peer.send_all("still here"));
    EXPECT_EQ(recv_exactly(*client, 10), "still here");
}

TEST(DirectRead, TheWorkerDoesNotWakePerMessage)
{
    // select and lwIP's poll cannot watch for the peer's end alone: there the worker reads
    // for user threads.
    if (tcp_server::default_backend() == tcp_server::Backend::select || on_lwip())
        GTEST_SKIP() << "select and lwIP's poll cannot watch for the peer's end without reading";
    constexpr int kMessages = 300;
    ReadingDirectly reading;
    ASSERT_NO_FATAL_FAILURE(reading.start());
    LoopbackClient &peer = reading.peer;
    auto &client = reading.client;
    round_trip(peer, *client); // the worker has let go of reading by now
    long before = worker_waits();
    for (int i = 0; i < kMessages; ++i)
        round_trip(peer, *client);
    long turns = worker_waits() - before;
    std::printf("the worker's loop turned %ld times for %d round trips\n", turns, kMessages);
    EXPECT_LE(turns, 2);
}
