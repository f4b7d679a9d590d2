// A C++ Server let go of from one of its own handlers (std::optional<Server>::reset() in
// on_connect) stops safely: it stops accepting at once, closes its clients once the handler
// has returned, its worker ends by itself, and nothing is used after it is freed (ASan checks
// the last part; this used to be a heap-use-after-free inside the event loop).
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "conditions.h"
#include "loopback_client.h"

#include <tcpserver.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <optional>

using namespace test_support;

namespace
{

bool connection_refused(std::uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool refused = connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 &&
                   errno == ECONNREFUSED;
    close(fd);
    return refused;
}

} // namespace

TEST(ServerResetInHandler, StopsSafelyAndAtOnce)
{
    std::optional<tcp_server::Server> server;
    std::atomic<int> disconnects{0};
    std::atomic<bool> reset_done{false};
    // The peer connects only after the server is stored, but on lwIP that order runs through the
    // TAP device, where ThreadSanitizer cannot see it; this flag states it in memory.
    std::atomic<bool> server_stored{false};
    tcp_server::Options options;
    options.address = test_support::server_ip();
    options.name = "self-reset";
    options.handlers.on_connect = [&](tcp_server::Client &) {
        server_stored.wait(false);
        server.reset(); // from the server's own worker
        reset_done = true;
    };
    options.handlers.on_disconnect = [&](tcp_server::Client &) { ++disconnects; };
    auto started = tcp_server::Server::start(std::move(options));
    ASSERT_TRUE(started);
    std::uint16_t port = started->port();
    server.emplace(std::move(started).value());
    server_stored = true;
    server_stored.notify_all();
    int worker = find_thread("self-reset");
    ASSERT_GT(worker, 0);

    LoopbackClient peer(test_support::server_ip(), port);
    ASSERT_TRUE(eventually([&] { return reset_done.load(); }));
    EXPECT_TRUE(peer.sees_eof()) << "the client was closed";
    EXPECT_TRUE(connection_refused(port)) << "it still listens";
    peer.close();
    EXPECT_TRUE(eventually([&] { return find_thread("self-reset") < 0; })) << "the worker lives on";
    EXPECT_EQ(disconnects.load(), 1);
}
