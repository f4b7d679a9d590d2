// Microbenchmarks of the hot paths over real loopback sockets, per poller backend: a 64-byte
// round trip through the notify callback and through the blocking recv/send handoff, the
// accept rate, the round trip while many idle clients are connected (select and poll pay
// for every idle descriptor on every wake-up; epoll does not), and the fixed cost of a call
// through the C++ and the C API.
// SPDX-License-Identifier: Apache-2.0
#include "descriptor_limit.h"

#include <tcpserver.hpp>

#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

namespace
{

using namespace std::chrono_literals;

tcp_server::Backend backend_of(const benchmark::State &state)
{
    return static_cast<tcp_server::Backend>(state.range(0));
}

int connect_to(std::uint16_t port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
    {
        ::close(fd);
        return -1;
    }
    return fd;
}

// One 64-byte message out and all of its echo back; false if the echo did not come.
bool round_trip(int fd)
{
    std::array<char, 64> message{}, echo{};
    if (::send(fd, message.data(), message.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(message.size()))
        return false;
    std::size_t got = 0;
    while (got < echo.size())
    {
        ssize_t n = ::recv(fd, echo.data() + got, echo.size() - got, 0);
        if (n <= 0)
            return false;
        got += static_cast<std::size_t>(n);
    }
    return true;
}

void echo_handler(tcp_server::Client &client)
{
    std::array<std::byte, 4096> buffer;
    auto got = client.recv(buffer);
    if (got)
        client.send(std::span(buffer.data(), got.bytes));
}

tcp_server::Server start(tcp_server::Backend backend, bool callback, std::size_t clients = 16)
{
    tcp_server::Options options;
    options.address = "127.0.0.1";
    options.backend = backend;
    options.max_clients = clients;
    if (callback)
        options.handlers.on_recv = echo_handler;
    return std::move(tcp_server::Server::start(options)).value();
}

void CallbackEchoRoundTrip(benchmark::State &state)
{
    tcp_server::Server server = start(backend_of(state), true);
    int fd = connect_to(server.port());
    for (auto _ : state)
        if (!round_trip(fd))
            state.SkipWithError("echo lost");
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * 128);
    ::close(fd);
}

void BlockingHandoffRoundTrip(benchmark::State &state)
{
    tcp_server::Server server = start(backend_of(state), false);
    int fd = connect_to(server.port());
    tcp_server::Client client = server.accept(10s).value();
    std::thread echo([client] {
        std::array<std::byte, 4096> buffer;
        for (;;)
        {
            auto got = client.recv(buffer);
            if (!got || !client.send(std::span(buffer.data(), got.bytes)))
                return;
        }
    });
    for (auto _ : state)
        if (!round_trip(fd))
            state.SkipWithError("echo lost");
    state.SetItemsProcessed(state.iterations());
    ::close(fd);
    echo.join();
}

void AcceptAndClose(benchmark::State &state)
{
    std::atomic<std::uint64_t> connected{0};
    tcp_server::Options options;
    options.address = "127.0.0.1";
    options.backend = backend_of(state);
    options.handlers.on_connect = [&connected](tcp_server::Client &client) {
        ++connected;
        client.close();
    };
    tcp_server::Server server = std::move(tcp_server::Server::start(options)).value();
    for (auto _ : state)
    {
        int fd = connect_to(server.port());
        char byte;
        ::recv(fd, &byte, 1, 0); // end of stream: the server took it and closed it
        ::close(fd);
    }
    state.SetItemsProcessed(state.iterations());
}

void RoundTripWithIdleClients(benchmark::State &state)
{
    auto idle = static_cast<std::size_t>(state.range(1));
    tcp_server::Server server = start(backend_of(state), true, idle + 1);
    std::vector<int> idle_fds;
    for (std::size_t i = 0; i < idle; ++i)
        idle_fds.push_back(connect_to(server.port()));
    int fd = connect_to(server.port());
    for (auto _ : state)
        if (!round_trip(fd))
            state.SkipWithError("echo lost");
    state.SetItemsProcessed(state.iterations());
    ::close(fd);
    for (int idle_fd : idle_fds)
        ::close(idle_fd);
}

// The cost a call pays before any socket work: a recv that finds nothing and does not wait,
// through the C++ handle (range 0) and through the C API (range 1), which first looks the
// handle up among the live ones.
void RecvThatFindsNothing(benchmark::State &state)
{
    tcp_server::Server server = start(tcp_server::Backend::epoll, false);
    struct tcpserver_config config;
    tcpserver_config_init(&config);
    config.ip = "127.0.0.1";
    struct tcpserver *c_server = tcpserver_create_with(&config);
    int fd = connect_to(state.range(0) ? c_server->port : server.port());
    tcp_server::Client client;
    tcpclient_t c_client = nullptr;
    if (state.range(0))
        c_client = tcpserver_accept(c_server, 10000);
    else
        client = server.accept(10s).value();
    char byte;
    for (auto _ : state)
        benchmark::DoNotOptimize(state.range(0) ? tcpserver_recv(c_client, &byte, 1, RT_WAITING_NO)
                                                : client.recv(std::span(&byte, 1), tcp_server::kNoWait).bytes);
    state.SetItemsProcessed(state.iterations());
    if (c_client)
        tcpserver_close(c_client);
    ::close(fd);
    tcpserver_destroy(c_server);
}

constexpr auto kSelect = static_cast<int64_t>(tcp_server::Backend::select);
constexpr auto kPoll = static_cast<int64_t>(tcp_server::Backend::poll);
constexpr auto kEpoll = static_cast<int64_t>(tcp_server::Backend::epoll);

BENCHMARK(CallbackEchoRoundTrip)->Arg(kSelect)->Arg(kPoll)->Arg(kEpoll)->UseRealTime();
BENCHMARK(BlockingHandoffRoundTrip)->Arg(kSelect)->Arg(kPoll)->Arg(kEpoll)->UseRealTime();
BENCHMARK(AcceptAndClose)->Arg(kSelect)->Arg(kPoll)->Arg(kEpoll)->UseRealTime();
BENCHMARK(RecvThatFindsNothing)->Arg(0)->Arg(1);
// Both ends live in this process, so select (limit 512 by default) stays at 200 idle clients.
BENCHMARK(RoundTripWithIdleClients)
    ->Args({kSelect, 0})
    ->Args({kSelect, 200})
    ->Args({kPoll, 0})
    ->Args({kPoll, 200})
    ->Args({kPoll, 4000})
    ->Args({kEpoll, 0})
    ->Args({kEpoll, 200})
    ->Args({kEpoll, 4000})
    ->UseRealTime();

} // namespace

int main(int argc, char **argv)
{
    raise_descriptor_limit();
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
