// An echo server with the C++ API: RAII, std::function handlers, std::span buffers, and
// results that say why a call failed.
// SPDX-License-Identifier: Apache-2.0
#include "sample_main.h"

#include <tcpserver.hpp>

#include <array>
#include <atomic>
#include <cstdio>

int main(int argc, char **argv)
{
    const char *ip;
    rt_uint16_t port;
    if (sample_start(argc, argv, &ip, &port) != 0)
        return 2;

    std::atomic<std::size_t> echoed{0};
    tcp_server::Options options;
    options.address = ip;
    options.port = port;
    options.max_clients = 100;
    options.handlers.on_connect = [](tcp_server::Client &client) {
        std::printf("client %llu connected from %s\n", static_cast<unsigned long long>(client.id()),
                    client.peer().c_str());
        std::fflush(stdout);
    };
    options.handlers.on_recv = [&echoed](tcp_server::Client &client) {
        std::array<std::byte, 4096> buffer;
        auto got = client.recv(buffer); // in a handler it never waits
        if (!got)
            return;
        auto sent = client.send(std::span(buffer.data(), got.bytes));
        echoed += sent.bytes;
    };
    options.handlers.on_disconnect = [](tcp_server::Client &client) {
        std::printf("client %llu left\n", static_cast<unsigned long long>(client.id()));
        std::fflush(stdout);
    };

    auto started = tcp_server::Server::start(std::move(options));
    if (!started)
    {
        std::fprintf(stderr, "cannot serve on %s port %u: %s\n", ip, port,
                     tcp_server::to_string(started.error()));
        return 1;
    }
    tcp_server::Server server = std::move(started).value();
    std::printf("C++ echo sample serving on %s port %u\n", server.address().c_str(), server.port());
    std::fflush(stdout);

    sample_wait_for_stop();
    server.stop(); // what the destructor would do; here before the summary
    std::printf("C++ echo sample stopped after echoing %zu bytes\n", echoed.load());
    return 0;
}
