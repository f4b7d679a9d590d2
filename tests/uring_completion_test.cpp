// The uring backend's completion reads (kReceive): a connection's input arrives whole and in
// order however few provided buffers the ring has (ENOBUFS pauses a receive, never ends it),
// when the completions overflow their ring, and when a connection that stopped reading holds
// input; a receive that completes after its connection ended gives its buffers back unread,
// and none of its input reaches the descriptor's next owner. Its completion sends
// (start_send, kSent): a send far larger than the socket's buffer goes out whole and in order
// through short completions; one still waiting for room when its connection ends is stopped,
// so the socket closes; a send to a reset peer ends with the error; more sends in a round than
// the ring holds all go out. Its multishot accepts (kAccept): a listener that holds as many
// connections as it may stops accepting, the rest waiting in the backlog, until they are
// taken; connections nobody took when the listener's watch ends are closed.
// SPDX-License-Identifier: Apache-2.0
#include "poller/uring_poller.h"

#include "support/loopback_client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <thread>
#include <utility>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

using tcp_server::Errc;
using tcp_server::detail::FiredEvent;
using tcp_server::detail::kAccept;
using tcp_server::detail::kReceive;
using tcp_server::detail::kSent;
using tcp_server::detail::UringPoller;
using test_support::LoopbackClient;

namespace
{

// The library refuses io_uring under valgrind, which stops every thread while one waits in it.
#define SKIP_WITHOUT_COMPLETION_READS(poller)                                                      \
    if (RUNNING_ON_VALGRIND)                                                                       \
        GTEST_SKIP() << "io_uring is refused under valgrind";                                      \
    ASSERT_EQ((poller).error(), Errc::ok) << (poller).reason();                                    \
    ASSERT_TRUE((poller).completes_reads()) << "this machine's kernel (6.1 or later) has them"

/** A connection on 127.0.0.1: the client end, and the accepted end the poller reads. */
struct Connection
{
    Connection()
    {
        int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr *>(&address), length), 0);
        EXPECT_EQ(::listen(listener, 1), 0);
        EXPECT_EQ(::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length), 0);
        client = LoopbackClient("127.0.0.1", ntohs(address.sin_port));
        EXPECT_TRUE(client.ok());
        accepted = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
        EXPECT_GE(accepted, 0);
        ::close(listener);
    }
    ~Connection()
    {
        if (accepted >= 0)
            ::close(accepted);
    }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    LoopbackClient client;
    int accepted = -1;
};

/** `count` connections; the accepted ends, which the poller watches, in `fds`. */
struct Connections
{
    explicit Connections(int count)
    {
        for (int i = 0; i < count; ++i)
        {
            all.push_back(std::make_unique<Connection>());
            fds.push_back(all.back()->accepted);
        }
    }
    std::vector<std::unique_ptr<Connection>> all;
    std::vector<int> fds;
};

std::string pattern(std::size_t size, int seed)
{
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<char>('a' + (i * 7 + static_cast<std::size_t>(seed)) % 26);
    return bytes;
}

/** Takes what the poller holds for fd into `into`, through a small two-part room. */
void take_all(UringPoller &poller, int fd, std::string &into)
{
    std::array<char, 24> first{};
    std::array<char, 40> second{};
    for (;;)
    {
        ssize_t n = poller.take_received(fd, first, second);
        if (n <= 0)
        {
            ASSERT_TRUE(n == 0 || errno == EAGAIN) << std::strerror(errno);
            return;
        }
        std::size_t in_first = std::min<std::size_t>(first.size(), static_cast<std::size_t>(n));
        into.append(first.data(), in_first);
        into.append(second.data(), static_cast<std::size_t>(n) - in_first);
    }
}

/** Waits in rounds, taking every connection's input, until each has `expected` (or 10 s). */
void receive_until(UringPoller &poller, const std::vector<int> &fds,
                   std::vector<std::string> &received, std::size_t expected)
{
    std::vector<FiredEvent> fired;
    fired.reserve(fds.size() + 1);
    auto deadline = std::chrono::steady_clock::now() + test_support::kPatience;
    auto done = [&] {
        for (const std::string &bytes : received)
            if (bytes.size() < expected)
                return false;
        return true;
    };
    while (!done() && std::chrono::steady_clock::now() < deadline)
    {
        ASSERT_EQ(poller.wait(100, fired), Errc::ok);
        for (const FiredEvent &event : fired)
        {
            ASSERT_EQ(event.events, kReceive);
            for (std::size_t i = 0; i < fds.size(); ++i)
                if (fds[i] == event.fd)
                    take_all(poller, event.fd, received[i]);
        }
    }
}

TEST(UringReceive, InputArrivesWholeAndInOrderWhenTheBufferRingRunsDry)
{
    UringPoller poller(8, 64, 2, 16); // two 16-byte buffers for 4 KiB
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Connection connection;
    ASSERT_EQ(poller.add(connection.accepted, kReceive), Errc::ok);
    std::string sent = pattern(4096, 1);
    ASSERT_TRUE(connection.client.send_all(sent));
    std::vector<std::string> received(1);
    receive_until(poller, {connection.accepted}, received, sent.size());
    EXPECT_EQ(received[0], sent);
    poller.remove(connection.accepted);
}

TEST(UringReceive, CompletionsOverflowingTheirRingLoseNoInput)
{
    // 16 connections, 256 bytes each in 16-byte buffers, 8 completions at a time: far more
    // completions in one round than the ring holds.
    constexpr int kConnections = 16;
    UringPoller poller(8, 8, 64, 16);
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Connections connections(kConnections);
    const std::vector<int> &fds = connections.fds;
    std::vector<std::string> sent;
    for (int i = 0; i < kConnections; ++i)
    {
        sent.push_back(pattern(256, i));
        ASSERT_TRUE(connections.all[i]->client.send_all(sent.back()));
    }
    // Everything is queued in the sockets before the receives are even armed.
    for (int fd : fds)
        ASSERT_EQ(poller.add(fd, kReceive), Errc::ok);
    std::vector<std::string> received(kConnections);
    receive_until(poller, fds, received, 256);
    for (int i = 0; i < kConnections; ++i)
        EXPECT_EQ(received[i], sent[i]) << "connection " << i;
    for (int fd : fds)
        poller.remove(fd);
}

TEST(UringReceive, AConnectionThatStoppedReadingDoesNotStarveTheOthers)
{
    UringPoller poller(8, 64, 4, 16); // four 16-byte buffers in all
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Connection stopped, reading;
    ASSERT_EQ(poller.add(stopped.accepted, kReceive), Errc::ok);
    ASSERT_EQ(poller.add(reading.accepted, kReceive), Errc::ok);
    std::string held = pattern(64, 2);
    ASSERT_TRUE(stopped.client.send_all(held));
    // Its input fills every buffer; it is not taken, and the connection stops reading.
    std::vector<FiredEvent> fired;
    fired.reserve(3);
    auto deadline = std::chrono::steady_clock::now() + test_support::kPatience;
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() < deadline)
    {
        ASSERT_EQ(poller.wait(100, fired), Errc::ok);
        for (const FiredEvent &event : fired)
            seen = seen || event.fd == stopped.accepted;
    }
    ASSERT_TRUE(seen);
    ASSERT_EQ(poller.modify(stopped.accepted, 0), Errc::ok);

    std::string sent = pattern(256, 3);
    ASSERT_TRUE(reading.client.send_all(sent));
    std::vector<std::string> received(1);
    receive_until(poller, {reading.accepted}, received, sent.size());
    EXPECT_EQ(received[0], sent) << "the other connection's input did not get through";

    // Reading again, the stopped one finds what it held, in order.
    ASSERT_EQ(poller.modify(stopped.accepted, kReceive), Errc::ok);
    received[0].clear();
    receive_until(poller, {stopped.accepted}, received, held.size());
    EXPECT_EQ(received[0], held);
    poller.remove(stopped.accepted);
    poller.remove(reading.accepted);
}

TEST(UringReceive, AReceiveCompletingAfterItsConnectionEndedGivesItsBuffersBackUnread)
{
    UringPoller poller(8, 64, 4, 16);
    SKIP_WITHOUT_COMPLETION_READS(poller);
    std::vector<FiredEvent> fired;
    fired.reserve(2);
    ASSERT_EQ(poller.wait(0, fired), Errc::ok); // the ring is running
    // Each ended connection had input in flight, more than the ring's 64 bytes over the
    // rounds: buffers it kept would leave none for the descriptor's next owner.
    for (int round = 0; round < 20; ++round)
    {
        int reused;
        {
            Connection ended;
            ASSERT_TRUE(ended.client.send_all(pattern(48, round)));
            ASSERT_EQ(poller.add(ended.accepted, kReceive), Errc::ok);
            if (round % 2)
            {
                ASSERT_EQ(poller.wait(0, fired), Errc::ok); // its input is held when it ends
            }
            poller.remove(ended.accepted);
            reused = ended.accepted;
        }
        Connection next; // takes the lowest free numbers again
        ASSERT_EQ(next.accepted, reused);
        ASSERT_EQ(poller.add(next.accepted, kReceive), Errc::ok);
        std::string sent = "next owner " + std::to_string(round);
        ASSERT_TRUE(next.client.send_all(sent));
        std::vector<std::string> received(1);
        receive_until(poller, {next.accepted}, received, sent.size());
        ASSERT_EQ(received[0], sent) << "round " << round;
        poller.remove(next.accepted);
    }
}

TEST(UringReceive, ThePeersEndIsReportedAfterItsLastInput)
{
    UringPoller poller(8, 64, 4, 16);
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Connection connection;
    ASSERT_EQ(poller.add(connection.accepted, kReceive), Errc::ok);
    std::string sent = pattern(40, 4);
    ASSERT_TRUE(connection.client.send_all(sent));
    connection.client.shutdown_write();
    std::vector<std::string> received(1);
    receive_until(poller, {connection.accepted}, received, sent.size());
    EXPECT_EQ(received[0], sent);
    std::array<char, 8> room{};
    EXPECT_EQ(poller.take_received(connection.accepted, room, {}), 0);
    // As a level-triggered poller does, the end is reported while it is watched.
    std::vector<FiredEvent> fired;
    fired.reserve(2);
    ASSERT_EQ(poller.wait(5000, fired), Errc::ok);
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].events, kReceive);
    EXPECT_EQ(poller.take_received(connection.accepted, room, {}), 0);
    poller.remove(connection.accepted);
}

/** Waits in rounds until each of `fds` reported kSent (or 10 s); false if one never did. */
bool wait_sent(UringPoller &poller, std::vector<int> fds)
{
    std::vector<FiredEvent> fired;
    fired.reserve(fds.size() + 1);
    auto deadline = std::chrono::steady_clock::now() + test_support::kPatience;
    while (!fds.empty() && std::chrono::steady_clock::now() < deadline)
    {
        if (poller.wait(100, fired) != Errc::ok)
            return false;
        for (const FiredEvent &event : fired)
            if (event.events & kSent)
                std::erase(fds, event.fd);
    }
    return fds.empty();
}

TEST(UringSend, ASendFarLargerThanTheSocketsBufferGoesOutWholeAndInOrder)
{
    UringPoller poller;
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Connection connection;
    int small = 4096;
    ASSERT_EQ(::setsockopt(connection.accepted, SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    ASSERT_EQ(poller.add(connection.accepted, 0), Errc::ok);
    std::string sent = pattern(4 << 20, 5);
    ASSERT_EQ(poller.start_send(connection.accepted, sent), Errc::ok);
    std::string received;
    std::thread reader([&] { received = connection.client.recv_exact(sent.size()); });
    bool ended = wait_sent(poller, {connection.accepted});
    reader.join();
    ASSERT_TRUE(ended) << "kSent never came";
    EXPECT_EQ(poller.take_sent(connection.accepted), static_cast<ssize_t>(sent.size()));
    EXPECT_EQ(received.size(), sent.size());
    EXPECT_TRUE(received == sent) << "the bytes differ";
    poller.remove(connection.accepted);
}

TEST(UringSend, ASendWaitingForRoomWhenItsConnectionEndsIsStoppedAndTheSocketCloses)
{
    UringPoller poller;
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Connection connection;
    ASSERT_EQ(poller.add(connection.accepted, 0), Errc::ok);
    // More than loopback's buffers hold while the peer does not read: the send waits.
    ASSERT_EQ(poller.start_send(connection.accepted, pattern(64 << 20, 6)), Errc::ok);
    std::vector<FiredEvent> fired;
    fired.reserve(2);
    ASSERT_EQ(poller.wait(0, fired), Errc::ok);
    poller.remove(connection.accepted);
    ::close(std::exchange(connection.accepted, -1));
    // A send left in the kernel would hold the socket open: the peer would never see its end.
    std::string received;
    EXPECT_TRUE(connection.client.recv_until_eof(received)) << "the socket stayed open";
    EXPECT_LT(received.size(), std::size_t{64} << 20);
    ASSERT_EQ(poller.wait(0, fired), Errc::ok); // reaps the stopped send's completion
    EXPECT_TRUE(fired.empty()) << "an ended watch reported its send";
}

TEST(UringSend, ASendToAResetPeerEndsWithTheError)
{
    UringPoller poller;
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Connection connection;
    ASSERT_EQ(poller.add(connection.accepted, 0), Errc::ok);
    connection.client.reset();
    bool ended = false;
    for (int attempt = 0; attempt < 100 && !ended; ++attempt)
    {
        // The first send after the reset may still be taken; one after it fails.
        ASSERT_EQ(poller.start_send(connection.accepted, pattern(64, attempt)), Errc::ok);
        ASSERT_TRUE(wait_sent(poller, {connection.accepted}));
        ended = poller.take_sent(connection.accepted) < 0;
    }
    ASSERT_TRUE(ended) << "every send to the reset peer succeeded";
    EXPECT_TRUE(errno == ECONNRESET || errno == EPIPE) << std::strerror(errno);
    poller.remove(connection.accepted);
}

TEST(UringSend, MoreSendsInARoundThanTheRingHoldsAllGoOut)
{
    constexpr int kConnections = 16;
    UringPoller poller(4, 64, 4, 16);
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Connections connections(kConnections);
    const std::vector<int> &fds = connections.fds;
    for (int fd : fds)
        ASSERT_EQ(poller.add(fd, 0), Errc::ok);
    for (int i = 0; i < kConnections; ++i)
        ASSERT_EQ(poller.start_send(fds[i], pattern(100, i)), Errc::ok);
    ASSERT_TRUE(wait_sent(poller, fds));
    for (int i = 0; i < kConnections; ++i)
    {
        EXPECT_EQ(poller.take_sent(fds[i]), 100);
        EXPECT_EQ(connections.all[i]->client.recv_exact(100), pattern(100, i))
            << "connection " << i;
        poller.remove(fds[i]);
    }
}

/** A non-blocking listener on 127.0.0.1 with room in its backlog for `backlog` connections. */
struct Listener
{
    explicit Listener(int backlog)
    {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&address), length), 0);
        EXPECT_EQ(::listen(fd, backlog), 0);
        EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length), 0);
        port = ntohs(address.sin_port);
    }
    ~Listener()
    {
        if (fd >= 0)
            ::close(fd);
    }
    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    void connect(std::vector<LoopbackClient> &clients, int count)
    {
        for (int i = 0; i < count; ++i)
        {
            clients.emplace_back("127.0.0.1", port);
            ASSERT_TRUE(clients.back().ok());
        }
    }
    int fd = -1;
    std::uint16_t port = 0;
};

/** Waits (up to the patience) until fd's kAccept fires. */
bool wait_accept(UringPoller &poller, int fd)
{
    std::vector<FiredEvent> fired;
    fired.reserve(4);
    auto deadline = std::chrono::steady_clock::now() + test_support::kPatience;
    while (std::chrono::steady_clock::now() < deadline)
    {
        EXPECT_EQ(poller.wait(100, fired), Errc::ok);
        for (const FiredEvent &event : fired)
            if (event.fd == fd && (event.events & kAccept))
                return true;
    }
    return false;
}

/** Takes every connection the poller holds for listener fd: their peers' ports. */
std::set<std::uint16_t> take_accepted(UringPoller &poller, int fd)
{
    std::set<std::uint16_t> peers;
    for (int connection; (connection = poller.take_accepted(fd)) >= 0;)
    {
        sockaddr_in peer{};
        socklen_t length = sizeof peer;
        EXPECT_EQ(::getpeername(connection, reinterpret_cast<sockaddr *>(&peer), &length), 0);
        EXPECT_TRUE(::fcntl(connection, F_GETFL) & O_NONBLOCK);
        EXPECT_TRUE(::fcntl(connection, F_GETFD) & FD_CLOEXEC);
        peers.insert(ntohs(peer.sin_port));
        ::close(connection);
    }
    EXPECT_EQ(errno, EAGAIN);
    return peers;
}

std::set<std::uint16_t> ports_of(const std::vector<LoopbackClient> &clients, std::size_t from,
                                 std::size_t to)
{
    std::set<std::uint16_t> ports;
    for (std::size_t i = from; i < to; ++i)
        ports.insert(clients[i].local_port());
    return ports;
}

TEST(UringAccept, AListenerHoldingAllItMayLeavesTheRestInTheBacklogUntilTheyAreTaken)
{
    constexpr int kHeld = 4, kBurst = 10;
    UringPoller poller(512, 4096, 1024, 16384, kHeld);
    SKIP_WITHOUT_COMPLETION_READS(poller);
    ASSERT_TRUE(poller.completes_accepts());
    Listener listener(64);
    ASSERT_EQ(poller.add(listener.fd, kAccept), Errc::ok);
    std::vector<LoopbackClient> clients;
    clients.reserve(2 * kBurst);
    listener.connect(clients, kBurst);
    ASSERT_TRUE(wait_accept(poller, listener.fd));
    // More than kHeld arrived at once; holding them, the listener stops accepting. The rounds
    // after take the stop to the kernel and see it done (reporting the held ones again); the
    // listener must not accept again while it still holds them.
    for (int round = 0; round < 3; ++round)
        ASSERT_TRUE(wait_accept(poller, listener.fd));
    listener.connect(clients, kBurst);
    ASSERT_TRUE(wait_accept(poller, listener.fd));
    std::set<std::uint16_t> first = take_accepted(poller, listener.fd);
    EXPECT_EQ(first, ports_of(clients, 0, kBurst)) << "the later burst was accepted while "
                                                      "the earlier one was held";
    // Taken: the listener accepts again, and the later burst comes.
    ASSERT_TRUE(wait_accept(poller, listener.fd));
    std::set<std::uint16_t> second = take_accepted(poller, listener.fd);
    EXPECT_EQ(second, ports_of(clients, kBurst, 2 * kBurst));
    poller.remove(listener.fd);
}

TEST(UringAccept, ConnectionsNotTakenWhenTheListenersWatchEndsAreClosed)
{
    UringPoller poller;
    SKIP_WITHOUT_COMPLETION_READS(poller);
    Listener listener(16);
    ASSERT_EQ(poller.add(listener.fd, kAccept), Errc::ok);
    std::vector<LoopbackClient> clients;
    listener.connect(clients, 3);
    ASSERT_TRUE(wait_accept(poller, listener.fd));
    poller.remove(listener.fd);
    for (LoopbackClient &client : clients)
        EXPECT_TRUE(client.sees_eof()) << "a held connection was left open";
}

} // namespace
