// The echo server the benchmarks measure: through the notify callback, or blocking with a
// thread per client, on any poller backend. Prints its port, serves until SIGINT/SIGTERM.
// Usage: echo_bench_server [--backend select|poll|epoll|uring|auto] [--blocking] [--clients N] [--port P]
// SPDX-License-Identifier: Apache-2.0
#include "descriptor_limit.h"

#include <tcpserver.hpp>

#include <pthread.h>
#include <signal.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>

namespace
{

// One recv per RECV, as libuv's read callback gets one read: the server calls again while
// input is left.
void echo_in_callback(tcp_server::Client &client)
{
    std::array<std::byte, 16384> buffer;
    if (auto got = client.recv(buffer))
        client.send(std::span(buffer.data(), got.bytes));
}

void echo_blocking(tcp_server::Client client)
{
    std::array<std::byte, 16384> buffer;
    for (;;)
    {
        auto got = client.recv(buffer);
        if (!got || client.send(std::span(buffer.data(), got.bytes)).bytes != got.bytes)
            break;
    }
    client.close();
}

} // namespace

int main(int argc, char **argv)
{
    raise_descriptor_limit();

    tcp_server::Options options;
    options.address = "127.0.0.1";
    options.max_clients = 1000;
    options.backlog = 4096;
    bool blocking = false;
    for (int i = 1; i < argc; ++i)
    {
        std::string option = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : "";
        if (option == "--backend")
        {
            int kind = tcpserver_poller_from_name(value);
            if (kind < 0)
                return std::fprintf(stderr, "unknown backend %s\n", value), 2;
            options.backend = static_cast<tcp_server::Backend>(kind);
            ++i;
        }
        else if (option == "--clients")
            options.max_clients = std::strtoul(argv[++i], nullptr, 10);
        else if (option == "--port")
            options.port = static_cast<std::uint16_t>(std::strtoul(argv[++i], nullptr, 10));
        else if (option == "--blocking")
            blocking = true;
        else
            return std::fprintf(stderr, "unknown option %s\n", argv[i]), 2;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);

    if (!blocking)
        options.handlers.on_recv = echo_in_callback;
    auto started = tcp_server::Server::start(options);
    if (!started)
        return std::fprintf(stderr, "cannot start: %s\n", tcp_server::to_string(started.error())),
               1;
    tcp_server::Server server = std::move(started).value();
    std::printf("echo bench server (%s, %s) on port %u\n", blocking ? "blocking" : "callback",
                tcp_server::to_string(options.backend.value_or(tcp_server::default_backend())),
                server.port());
    std::fflush(stdout);

    std::thread acceptor;
    if (blocking)
    {
        acceptor = std::thread([&server] {
            for (;;)
            {
                auto client = server.accept();
                if (!client)
                    return; // stopped
                std::thread(echo_blocking, std::move(client).value()).detach();
            }
        });
    }
    int signal_number;
    sigwait(&stop, &signal_number);
    std::size_t clients = server.stats().clients;
    auto stopping = std::chrono::steady_clock::now();
    server.stop();
    auto took =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - stopping);
    std::printf("stopped with %zu clients in %.1f ms\n", clients, took.count());
    if (acceptor.joinable())
        acceptor.join();
    return 0;
}
