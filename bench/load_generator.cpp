// A ping-pong load generator for echo servers on loopback: C clients on one epoll thread,
// each sending an S-byte message and waiting for all of it to come back before the next.
// Every byte is checked; a mismatch or an unexpected close fails the run. Reports messages/s,
// MB/s, round-trip percentiles, and (with --server-pid) the server's CPU time per message.
// Other modes: hold (the clients stay connected and each is pinged once a second; reports the
// server's peak resident memory per held client), bulk (each client streams S-byte writes and reads
// the echo back, at most 256 KiB ahead; reports MB/s), connect (connect, echo S bytes, close,
// again and again; reports connections/s).
// Usage: load_generator --port P [--mode pingpong|hold|bulk|connect] [--clients C] [--size S]
//                       [--seconds D] [--server-pid PID] [--messages N]
// With --messages, ping-pong ends after exactly N round trips (every client's last one
// finished), for instruction counts per message under callgrind.
// SPDX-License-Identifier: Apache-2.0
#include "descriptor_limit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace
{

using Clock = std::chrono::steady_clock;

struct Peer
{
    int fd = -1;
    std::uint32_t round = 0;
    std::size_t sent = 0;
    std::size_t received = 0;
    Clock::time_point started;
};

// The byte at `offset` of client `id`'s message number `round`: cheap to make and to check.
unsigned char pattern(std::size_t id, std::uint32_t round, std::size_t offset)
{
    return static_cast<unsigned char>(id * 131 + round * 31 + offset * 7);
}

// User + system CPU seconds of a process, from /proc/PID/stat (clock ticks).
double process_cpu_seconds(long pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::size_t after_name = text.rfind(')');
    if (after_name == std::string::npos)
        return 0;
    // Field 3, the state, is a letter; numbers follow from field 4 on.
    char *cursor = std::strchr(text.data() + after_name + 2, ' ');
    if (!cursor)
        return 0;
    double utime = 0, stime = 0;
    for (int field = 4; field <= 15; ++field)
    {
        double value = std::strtod(cursor, &cursor);
        if (field == 14)
            utime = value;
        if (field == 15)
            stime = value;
    }
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The peak resident memory of a process in KiB (VmHWM in /proc/PID/status).
long resident_kib(long pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::atol(line.c_str() + 6);
    return 0;
}

[[noreturn]] void fail(const char *what, std::size_t id)
{
    std::fprintf(stderr, "FAILED: client %zu: %s (%s)\n", id, what, std::strerror(errno));
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    std::string host = "127.0.0.1";
    int port = 0, clients = 10, seconds = 3;
    std::size_t size = 64;
    long server_pid = 0;
    std::uint64_t message_limit = 0;
    std::string mode = "pingpong";
    for (int i = 1; i + 1 < argc; i += 2)
    {
        std::string option = argv[i];
        const char *value = argv[i + 1];
        if (option == "--port")
            port = std::atoi(value);
        else if (option == "--host")
            host = value;
        else if (option == "--clients")
            clients = std::atoi(value);
        else if (option == "--size")
            size = std::strtoul(value, nullptr, 10);
        else if (option == "--seconds")
            seconds = std::atoi(value);
        else if (option == "--server-pid")
            server_pid = std::atol(value);
        else if (option == "--mode")
            mode = value;
        else if (option == "--messages")
            message_limit = std::strtoull(value, nullptr, 10);
    }
    if (port <= 0 || clients <= 0 || size == 0 || seconds <= 0 || seconds > 600)
    {
        std::fprintf(
            stderr,
            "usage: %s --port P [--clients C] [--size S] [--seconds D<=600] [--server-pid PID]\n",
            argv[0]);
        return 2;
    }
    raise_descriptor_limit();

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    int poller = epoll_create1(EPOLL_CLOEXEC);
    long resident_before = server_pid ? resident_kib(server_pid) : 0;
    std::vector<Peer> peers(static_cast<std::size_t>(clients));
    for (std::size_t id = 0; id < peers.size(); ++id)
    {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            fail("connect", id);
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        peers[id].fd = fd;
        epoll_event event{EPOLLIN, {.u64 = id}};
        epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event);
    }

    std::vector<unsigned char> message(size), incoming(std::max<std::size_t>(size, 65536));
    if (mode == "connect")
    {
        for (Peer &peer : peers)
            ::close(peer.fd);
        std::uint64_t connections = 0;
        double cpu_start = server_pid ? process_cpu_seconds(server_pid) : 0;
        auto begin = Clock::now();
        while (Clock::now() < begin + std::chrono::seconds(seconds))
        {
            int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0 ||
                ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
                fail("connect", connections);
            for (std::size_t i = 0; i < size; ++i)
                message[i] = pattern(connections, 0, i);
            if (::send(fd, message.data(), size, MSG_NOSIGNAL) != static_cast<ssize_t>(size))
                fail("short send", connections);
            for (std::size_t got = 0; got < size;)
            {
                ssize_t n = ::recv(fd, incoming.data() + got, size - got, 0);
                if (n <= 0)
                    fail("the server closed the connection", connections);
                got += static_cast<std::size_t>(n);
            }
            if (std::memcmp(incoming.data(), message.data(), size) != 0)
                fail("echo differs from what was sent", connections);
            ::close(fd);
            ++connections;
        }
        double took = std::chrono::duration<double>(Clock::now() - begin).count();
        std::printf("connect-echo-close: %.0f connections/s", connections / took);
        if (server_pid)
            std::printf(", server CPU %.1f us per connection",
                        (process_cpu_seconds(server_pid) - cpu_start) / connections * 1e6);
        std::printf("\n");
        return 0;
    }
    if (mode == "bulk")
    {
        // Offsets into each client's endless pattern stream: what was sent, what came back.
        constexpr std::size_t kWindow = 256 * 1024;
        std::vector<std::uint64_t> sent(peers.size()), received(peers.size());
        for (std::size_t id = 0; id < peers.size(); ++id)
        {
            epoll_event event{EPOLLIN | EPOLLOUT, {.u64 = id}};
            epoll_ctl(poller, EPOLL_CTL_MOD, peers[id].fd, &event);
        }
        double cpu_start = server_pid ? process_cpu_seconds(server_pid) : 0;
        auto begin = Clock::now();
        std::vector<epoll_event> events(1024);
        while (Clock::now() < begin + std::chrono::seconds(seconds))
        {
            int n = epoll_wait(poller, events.data(), static_cast<int>(events.size()), 100);
            for (int r = 0; r < n; ++r)
            {
                std::size_t id = events[r].data.u64;
                int fd = peers[id].fd;
                if ((events[r].events & EPOLLOUT) && sent[id] - received[id] < kWindow)
                {
                    for (std::size_t i = 0; i < size; ++i)
                        message[i] = pattern(id, 0, sent[id] + i);
                    ssize_t w = ::send(fd, message.data(), size, MSG_NOSIGNAL | MSG_DONTWAIT);
                    if (w < 0 && errno != EAGAIN)
                        fail("send", id);
                    sent[id] += w > 0 ? static_cast<std::uint64_t>(w) : 0;
                }
                if (events[r].events & EPOLLIN)
                {
                    ssize_t got = ::recv(fd, incoming.data(), incoming.size(), MSG_DONTWAIT);
                    if (got == 0)
                        fail("the server closed the connection", id);
                    if (got < 0 && errno != EAGAIN)
                        fail("recv", id);
                    for (ssize_t i = 0; i < got; ++i)
                        if (incoming[i] != pattern(id, 0, received[id] + i))
                            fail("echo differs from what was sent", id);
                    received[id] += got > 0 ? static_cast<std::uint64_t>(got) : 0;
                }
            }
        }
        double took = std::chrono::duration<double>(Clock::now() - begin).count();
        std::uint64_t total = 0;
        for (std::uint64_t bytes : received)
            total += bytes;
        std::printf("bulk %d clients x %zu B writes: %.2f MB/s echoed", clients, size,
                    total / took / 1e6);
        if (server_pid)
            std::printf(", server CPU %.2f s per GB",
                        (process_cpu_seconds(server_pid) - cpu_start) / (total / 1e9));
        std::printf("\n");
        return 0;
    }
    if (mode == "hold")
    {
        // Every second, every client sends one message and waits for its echo.
        std::uint64_t pings = 0;
        for (int second = 0; second < seconds; ++second)
        {
            auto tick = Clock::now();
            for (std::size_t id = 0; id < peers.size(); ++id)
            {
                for (std::size_t i = 0; i < size; ++i)
                    message[i] = pattern(id, peers[id].round, i);
                if (::send(peers[id].fd, message.data(), size, MSG_NOSIGNAL) !=
                    static_cast<ssize_t>(size))
                    fail("short send", id);
            }
            for (std::size_t id = 0; id < peers.size(); ++id)
            {
                std::size_t got = 0;
                while (got < size)
                {
                    ssize_t n = ::recv(peers[id].fd, incoming.data() + got, size - got, 0);
                    if (n <= 0)
                        fail(n == 0 ? "the server closed the connection" : "recv", id);
                    got += static_cast<std::size_t>(n);
                }
                for (std::size_t i = 0; i < size; ++i)
                    if (incoming[i] != pattern(id, peers[id].round, i))
                        fail("echo differs from what was sent", id);
                ++peers[id].round;
                ++pings;
            }
            std::this_thread::sleep_until(tick + std::chrono::seconds(1)); // the load's pace
        }
        long resident = server_pid ? resident_kib(server_pid) : 0;
        std::printf("held %d clients for %d s, %llu pings echoed", clients, seconds,
                    static_cast<unsigned long long>(pings));
        if (server_pid)
            std::printf(", server peak RSS %ld KiB (+%ld KiB, %.2f KiB per client)", resident,
                        resident - resident_before,
                        static_cast<double>(resident - resident_before) / clients);
        std::printf("\n");
        return 0;
    }
    std::vector<double> round_trips;
    round_trips.reserve(1 << 20);
    auto send_next = [&](std::size_t id) {
        Peer &peer = peers[id];
        for (std::size_t i = 0; i < size; ++i)
            message[i] = pattern(id, peer.round, i);
        peer.sent = peer.received = 0;
        peer.started = Clock::now();
        // Loopback takes a message of this size at once; a short write would show as a stall.
        ssize_t n = ::send(peer.fd, message.data(), size, MSG_NOSIGNAL);
        if (n != static_cast<ssize_t>(size))
            fail("short send", id);
        peer.sent = size;
    };

    double cpu_before = server_pid ? process_cpu_seconds(server_pid) : 0;
    auto start = Clock::now();
    auto end = start + std::chrono::seconds(seconds);
    std::uint64_t started_rounds = 0;
    for (std::size_t id = 0; id < peers.size(); ++id)
    {
        if (message_limit && started_rounds == message_limit)
            break;
        send_next(id);
        ++started_rounds;
    }
    std::vector<epoll_event> ready(1024);
    std::uint64_t completed = 0;
    while (Clock::now() < end && (!message_limit || completed < message_limit))
    {
        int n = epoll_wait(poller, ready.data(), static_cast<int>(ready.size()), 100);
        for (int r = 0; r < n; ++r)
        {
            std::size_t id = ready[r].data.u64;
            Peer &peer = peers[id];
            ssize_t got = ::recv(peer.fd, incoming.data(), size - peer.received, 0);
            if (got == 0)
                fail("the server closed the connection", id);
            if (got < 0)
            {
                if (errno == EAGAIN)
                    continue;
                fail("recv", id);
            }
            for (ssize_t i = 0; i < got; ++i)
                if (incoming[i] != pattern(id, peer.round, peer.received + i))
                    fail("echo differs from what was sent", id);
            peer.received += static_cast<std::size_t>(got);
            if (peer.received < size)
                continue;
            round_trips.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - peer.started).count());
            ++completed;
            ++peer.round;
            if (message_limit && started_rounds == message_limit)
                continue;
            send_next(id);
            ++started_rounds;
        }
    }
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    double cpu = server_pid ? process_cpu_seconds(server_pid) - cpu_before : 0;

    std::sort(round_trips.begin(), round_trips.end());
    auto percentile = [&](double p) {
        return round_trips.empty()
                   ? 0.0
                   : round_trips[std::min(round_trips.size() - 1,
                                          static_cast<std::size_t>(p * round_trips.size()))];
    };
    std::printf(
        "clients %d size %zu: %.0f msg/s, %.2f MB/s, rtt us p50 %.0f p99 %.0f p99.9 %.0f max %.0f",
        clients, size, completed / elapsed, completed * size / elapsed / 1e6, percentile(0.50),
        percentile(0.99), percentile(0.999), round_trips.empty() ? 0.0 : round_trips.back());
    if (server_pid)
        std::printf(", server CPU %.2f s per million messages (%.1f us/msg)", cpu / completed * 1e6,
                    cpu / completed * 1e6);
    std::printf("\n");
    for (Peer &peer : peers)
        ::close(peer.fd);
    return completed == 0 ? 1 : 0;
}
