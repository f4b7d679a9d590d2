// The loop dispatches to a descriptor only the events it asks for at that moment: a client
// whose reading paused earlier in the same batch of events (here: another client's callback
// queued so much output for it that backpressure stopped its reading) is not read from in that
// batch, so nothing is taken past the limit.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "cpp_server.h"
#include "loopback_client.h"
#include "server_socket.h"
#include "test_stack.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>

using namespace test_support;

TEST(BatchInterest, APauseEarlierInTheBatchStopsTheRead)
{
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::uint64_t, tcp_server::Client> clients; // by id: 1 A, 2 B, 3 the blocker
    bool release_worker = false;
    std::atomic<bool> blocker_waiting{false};
    std::atomic<bool> a_done{false};
    // All of it is taken, and more than half of send_buffer_max stays unsent whether it is
    // written to the socket (the kernel's holds a few MiB at most, lwIP's 64 KiB) or handed to
    // the poller's send (which waits for room): B's reading pauses and stays paused. lwIP's
    // sizes are smaller, as it drains slowly under valgrind.
    const std::size_t flood_size = on_lwip() ? 256 << 10 : 12 << 20;
    const std::string flood(flood_size, 'f');
    std::atomic<std::size_t> flood_taken{0};

    tcp_server::Options options;
    options.send_buffer_max = flood_size + flood_size / 4;
    options.handlers.on_connect = [&](tcp_server::Client &client) {
        std::lock_guard lock(mutex);
        clients[client.id()] = client;
    };
    options.handlers.on_recv = [&](tcp_server::Client &client) {
        char buffer[64];
        client.recv(buffer);
        if (client.id() == 3)
        {
            // Holds the worker while A's and B's requests arrive: one batch will hold both.
            std::unique_lock lock(mutex);
            blocker_waiting = true;
            changed.wait(lock, [&] { return release_worker; });
        }
        else if (client.id() == 1)
        {
            tcp_server::Client b;
            {
                std::lock_guard lock(mutex);
                b = clients[2];
            }
            flood_taken = b.send(flood).bytes; // B's peer does not read: B's reading pauses now
            a_done = true;
        }
    };
    tcp_server::Server server = start_on_loopback(options);
    LoopbackClient a(server_ip(), server.port());
    LoopbackClient b(server_ip(), server.port(), kPatience, 4096);
    LoopbackClient blocker(server_ip(), server.port());
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mutex);
        return clients.size() == 3;
    }));
    ASSERT_TRUE(blocker.send_all("hold"));
    ASSERT_TRUE(eventually([&] { return blocker_waiting.load(); }));
    std::uint64_t before = server.stats().bytes_received;
    ASSERT_TRUE(a.send_all("A"));
    const std::string b_request(1000, 'b');
    ASSERT_TRUE(b.send_all(b_request));
    // Both are readable before the worker waits again.
    ASSERT_TRUE(eventually([&] {
        int readable = 0;
        for (int fd : {clients[1].fd(), clients[2].fd()})
        {
            readable += server_socket_unread_bytes(fd) > 0;
        }
        return readable == 2;
    }));
    {
        std::lock_guard lock(mutex);
        release_worker = true;
    }
    changed.notify_all();
    ASSERT_TRUE(eventually([&] { return a_done.load(); }));
    ASSERT_TRUE(blocked_soon(find_thread(TCPSERVER_NAME)));
    EXPECT_EQ(server.stats().bytes_received - before, 1u)
        << "B was read from after its reading paused in the same batch";
    // Once B's peer reads its output, B's request is read and served as usual.
    EXPECT_EQ(b.recv_exact(flood_taken.load()).size(), flood_taken.load());
    EXPECT_TRUE(
        eventually([&] { return server.stats().bytes_received - before == 1 + b_request.size(); }));
    std::lock_guard lock(mutex);
    clients.clear();
}
