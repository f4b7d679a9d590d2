// Faults that loopback never produces, injected at the stack seam: calls interrupted by a
// signal (EINTR), sends and reads that take only part of what they are given, and sends
// refused because the stack is out of buffers for now (ENOBUFS, which lwIP reports). Where the
// poller receives the callback's input itself (uring), its takes are cut short or find
// nothing as well. None may lose, repeat or
// reorder a byte, end a connection, or cut a user's send short, through the callback and
// through blocking calls. A connection reset before it was accepted is counted and skipped.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "cpp_server.h"
#include "faulty_stack.h"
#include "conditions.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <array>
#include <future>
#include <random>
#include <string>
#include <vector>

using namespace test_support;
using tcp_server::Errc;

namespace
{

constexpr int kRounds = 64;

void echo_in_callback(tcp_server::Client &client)
{
    std::array<std::byte, 1024> buffer;
    if (auto got = client.recv(buffer))
        client.send(std::span(buffer.data(), got.bytes));
}

tcp_server::Server start_callback_echo()
{
    tcp_server::Options options;
    options.handlers.on_recv = echo_in_callback;
    return start_on_loopback(std::move(options));
}

// Echoes on a user thread until the peer ends; the first failure, or end_of_stream.
Errc echo_blocking(tcp_server::Client client)
{
    std::array<std::byte, 1024> buffer;
    for (;;)
    {
        auto got = client.recv(buffer, kPatience);
        if (!got)
            return got.error;
        auto sent = client.send(std::span(buffer.data(), got.bytes), kPatience);
        if (sent.bytes != got.bytes)
            return sent.error == Errc::ok ? Errc::connection_reset : sent.error;
    }
}

// Messages of random sizes up to 8 KiB, each echoed whole before the next: the rounds whose
// echo came back byte for byte.
int exact_rounds(LoopbackClient &peer)
{
    std::mt19937 sizes(7);
    for (int round = 0; round < kRounds; ++round)
    {
        std::string message = random_bytes(1 + sizes() % 8192, round);
        if (!peer.send_all(message) || peer.recv_exact(message.size()) != message)
            return round;
    }
    return kRounds;
}

// Echoes kRounds messages through a server started under `faults`, served by the callback or
// by a user thread with blocking calls: the rounds that came back whole, in order.
int echoed_rounds(Faults &faults, bool blocking)
{
    FaultyStackInUse faulty(faults);
    tcp_server::Server server = blocking ? start_on_loopback() : start_callback_echo();
    LoopbackClient peer(test_support::server_ip(), server.port());
    if (!blocking)
        return exact_rounds(peer);
    auto client = server.accept(kPatience);
    if (!client)
        return 0;
    auto echo = std::async(std::launch::async, echo_blocking, *client);
    int exact = exact_rounds(peer);
    peer.shutdown_write();
    // The user thread must see the end of the stream, and nothing go wrong before it.
    bool ended =
        echo.wait_for(kPatience) == std::future_status::ready && echo.get() == Errc::end_of_stream;
    return ended ? exact : 0;
}

} // namespace

TEST(StackFaults, InterruptedCallsAreRetriedThroughTheCallback)
{
    Faults faults;
    faults.interrupt_every = 2;
    EXPECT_EQ(echoed_rounds(faults, false), kRounds);
    // On uring the callback's output goes through the ring, not a send call: only the takes
    // of its input are interrupted there, every second one, and each round needs one that is
    // not: about one per round.
    bool takes_only = tcp_server::default_backend() == tcp_server::Backend::uring;
    EXPECT_GT(faults.interrupted.load(), takes_only ? kRounds / 2 : kRounds)
        << "the faults were not injected";
}

TEST(StackFaults, InterruptedCallsAreRetriedThroughBlockingCalls)
{
    Faults faults;
    faults.interrupt_every = 2;
    EXPECT_EQ(echoed_rounds(faults, true), kRounds);
    EXPECT_GT(faults.interrupted.load(), kRounds) << "the faults were not injected";
}

TEST(StackFaults, ShortSendsDeliverEveryByteInOrderThroughTheCallback)
{
    Faults faults;
    faults.send_cap = 7;
    EXPECT_EQ(echoed_rounds(faults, false), kRounds);
    EXPECT_GT(faults.shortened.load(), kRounds) << "the faults were not injected";
}

TEST(StackFaults, ShortSendsDeliverEveryByteInOrderThroughBlockingCalls)
{
    Faults faults;
    faults.send_cap = 7;
    EXPECT_EQ(echoed_rounds(faults, true), kRounds);
    EXPECT_GT(faults.shortened.load(), kRounds) << "the faults were not injected";
}

TEST(StackFaults, ShortReadsDeliverEveryByteInOrderThroughTheCallback)
{
    Faults faults;
    faults.read_cap = 7;
    EXPECT_EQ(echoed_rounds(faults, false), kRounds);
    EXPECT_GT(faults.short_reads.load(), kRounds) << "the faults were not injected";
}

TEST(StackFaults, ShortReadsDeliverEveryByteInOrderThroughBlockingCalls)
{
    Faults faults;
    faults.read_cap = 7;
    EXPECT_EQ(echoed_rounds(faults, true), kRounds);
    EXPECT_GT(faults.short_reads.load(), kRounds) << "the faults were not injected";
}

TEST(StackFaults, SendsRefusedForLackOfBuffersAreRetriedThroughTheCallback)
{
    Faults faults;
    faults.nobufs_every = 3;
    EXPECT_EQ(echoed_rounds(faults, false), kRounds);
    EXPECT_GT(faults.out_of_buffers.load(), 0) << "the faults were not injected";
}

TEST(StackFaults, SendsRefusedForLackOfBuffersAreRetriedThroughBlockingCalls)
{
    Faults faults;
    faults.nobufs_every = 3;
    EXPECT_EQ(echoed_rounds(faults, true), kRounds);
    EXPECT_GT(faults.out_of_buffers.load(), kRounds / 3) << "the faults were not injected";
}

TEST(StackFaults, ShortSendsNeverCutAUsersSendShort)
{
    Faults faults;
    faults.send_cap = 7;
    FaultyStackInUse faulty(faults);
    tcp_server::Server server = start_on_loopback();
    LoopbackClient peer(test_support::server_ip(), server.port());
    auto client = server.accept(kPatience);
    ASSERT_TRUE(client);
    std::string reply = random_bytes(64 * 1024, 11);
    auto sending = std::async(std::launch::async, [&] {
        return client->send(std::as_bytes(std::span(reply.data(), reply.size())), kPatience);
    });
    EXPECT_EQ(peer.recv_exact(reply.size()), reply);
    ASSERT_EQ(sending.wait_for(kPatience), std::future_status::ready);
    auto sent = sending.get();
    EXPECT_EQ(sent.bytes, reply.size());
    EXPECT_EQ(sent.error, Errc::ok);
    EXPECT_GT(faults.shortened.load(), 1000) << "the faults were not injected";
}

TEST(StackFaults, TheCallbacksOutputSkipsTheSendCallOnlyOnUringWithoutAnUnsentLimit)
{
    // On uring the output goes out through the ring; an unsent limit is measured on the
    // socket's queue, so with one it is written with the send call as elsewhere.
    bool uring = tcp_server::default_backend() == tcp_server::Backend::uring;
    for (std::size_t limit : {std::size_t{0}, std::size_t{1} << 20})
    {
        Faults faults;
        FaultyStackInUse faulty(faults);
        tcp_server::Options options;
        options.handlers.on_recv = echo_in_callback;
        options.unsent_limit = limit;
        tcp_server::Server server = start_on_loopback(std::move(options));
        LoopbackClient peer(test_support::server_ip(), server.port());
        EXPECT_EQ(exact_rounds(peer), kRounds) << "unsent_limit " << limit;
        EXPECT_EQ(faults.send_calls.load() == 0, uring && limit == 0)
            << "unsent_limit " << limit << ": " << faults.send_calls.load() << " send calls";
    }
}

TEST(StackFaults, ConnectionsResetBeforeAcceptAreCountedAndSkipped)
{
    Faults faults;
    faults.abort_every = 2;
    FaultyStackInUse faulty(faults);
    tcp_server::Server server = start_on_loopback();
    std::vector<LoopbackClient> peers;
    for (int i = 0; i < 4; ++i)
        peers.emplace_back(test_support::server_ip(), server.port());
    ASSERT_TRUE(eventually([&] {
        tcp_server::Stats stats = server.stats();
        return stats.accepted + stats.aborted == 4;
    }));
    EXPECT_EQ(server.stats().aborted, 2u);
    EXPECT_EQ(faults.aborted.load(), 2);
    EXPECT_EQ(server.stats().refused, 0u);
    for (int i = 0; i < 2; ++i)
        EXPECT_TRUE(server.accept(kPatience)) << "the others are served";
    EXPECT_FALSE(server.accept(tcp_server::kNoWait));
}
