// Scenarios over an impaired link, run by impaired_link_test inside a network namespace of
// their own (unshare -n): there the link is ours to damage with nft (random drop, a peer that
// vanishes) and tc (a slow link): the loopback device on the kernel's stack, on lwIP the TAP
// device between lwIP and the host. Never run outside one: it changes `lo`.
//
//   impaired_link_scenarios loss|vanish POLLER kernel|lwip
//
// Prints what it measured; exits 0 when every check held, 1 otherwise, 77 when the namespace
// cannot be set up (a missing tool).
// SPDX-License-Identifier: Apache-2.0
#include "loopback_client.h"
#include "test_stack.h"

#include <tcpserver.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

using namespace test_support;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace
{

constexpr int kSetupFailed = 77;
int failures = 0;

void check(bool held, const char *what)
{
    std::printf("%s: %s\n", held ? "ok" : "FAILED", what);
    failures += !held;
}

bool run(const std::string &command)
{
    std::string quiet = command + " >/dev/null 2>&1";
    return std::system(quiet.c_str()) == 0;
}

long long ms_since(Clock::time_point start)
{
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

// The device the server's packets cross.
const char *link()
{
    return on_lwip() ? "tap0" : "lo";
}

// Drops the packets that match `match` in both directions of the link: on loopback every
// packet passes the input hook once; a TAP device's two directions are the host's input and
// output.
bool drop_on_link(const std::string &match)
{
    if (!run("nft add table inet impair") ||
        !run("nft add chain inet impair in '{ type filter hook input priority 0; }'") ||
        !run("nft add rule inet impair in " + match + " drop"))
        return false;
    if (!on_lwip())
        return true;
    return run("nft add chain inet impair out '{ type filter hook output priority 0; }'") &&
           run("nft add rule inet impair out oifname tap0 " + match + " drop");
}

tcp_server::Server echo_server(tcp_server::Options options)
{
    options.address = server_ip();
    options.handlers.on_recv = [](tcp_server::Client &client) {
        char buffer[16384];
        tcp_server::IoResult got = client.recv(std::span(buffer), tcp_server::kNoWait);
        if (got.bytes > 0)
            client.send(std::string_view(buffer, got.bytes), tcp_server::kNoWait);
    };
    auto started = tcp_server::Server::start(std::move(options));
    if (!started)
    {
        std::printf("FAILED: server: %s\n", tcp_server::to_string(started.error()));
        std::exit(1);
    }
    return std::move(started).value();
}

// 5% of packets dropped at random and a 4 Mbit/s link: the echo stays byte-exact and a
// receive timeout still holds.
void loss_and_slow_link()
{
    if (!drop_on_link("numgen random mod 100 '<' 5") ||
        // An Ethernet-sized MTU: tbf drops every packet larger than its bucket, and
        // loopback's 64 KiB packets would all be.
        !run(std::string("ip link set ") + link() + " mtu 1500") ||
        !run(std::string("tc qdisc add dev ") + link() +
             " root tbf rate 4mbit burst 32kb latency 100ms"))
    {
        std::printf("cannot set up packet loss and a slow link (nft, tc)\n");
        std::exit(kSetupFailed);
    }
    tcp_server::Server server = echo_server({});
    LoopbackClient peer(server_ip(), server.port());
    check(peer.ok(), "connected through the lossy link");
    std::string data = random_bytes(512 * 1024, 42);
    std::string echoed;
    auto start = Clock::now();
    std::thread reader([&] { echoed = peer.recv_exact(data.size(), std::chrono::seconds(60)); });
    check(peer.send_all(data, std::chrono::seconds(60)), "sent 512 KiB");
    reader.join();
    std::printf("512 KiB echoed in %lld ms through 5%% loss at 4 Mbit/s\n", ms_since(start));
    std::size_t same = 0;
    while (same < echoed.size() && same < data.size() && echoed[same] == data[same])
        ++same;
    std::printf("%zu of %zu bytes echoed; the first %zu are right\n", echoed.size(), data.size(),
                same);
    check(echoed == data, "the echo is byte-exact");

    // A blocking recv with nothing coming honours its timeout over the same link.
    auto plain = tcp_server::Server::start({.address = server_ip()});
    LoopbackClient quiet(server_ip(), plain->port());
    auto client = plain->accept(std::chrono::seconds(30));
    check(static_cast<bool>(client), "accepted through the lossy link");
    if (client)
    {
        char buffer[16];
        start = Clock::now();
        tcp_server::IoResult got = client->recv(buffer, milliseconds(300));
        long long took = ms_since(start);
        std::printf("recv timeout of 300 ms returned after %lld ms\n", took);
        check(got.error == tcp_server::Errc::timeout && took >= 300 && took < 5000,
              "recv timed out on time");
    }
}

// A peer whose packets all vanish: keepalive (1 s idle, 1 s interval, 2 probes) ends the
// connection with peer_unreachable, where without it the server would wait forever.
void vanishing_peer()
{
    tcp_server::Options options;
    options.address = server_ip();
    options.keepalive_idle = std::chrono::seconds(1);
    options.keepalive_interval = std::chrono::seconds(1);
    options.keepalive_count = 2;
    auto server = tcp_server::Server::start(std::move(options));
    LoopbackClient peer(server_ip(), server->port());
    auto client = server->accept(std::chrono::seconds(10));
    check(static_cast<bool>(client), "accepted");
    if (!client)
        return;
    if (!drop_on_link("tcp dport " + std::to_string(peer.local_port())))
    {
        std::printf("cannot make the peer vanish (nft)\n");
        std::exit(kSetupFailed);
    }
    auto start = Clock::now();
    char buffer[16];
    tcp_server::IoResult got = client->recv(buffer, std::chrono::seconds(30));
    long long took = ms_since(start);
    std::printf("vanished peer detected after %lld ms (%s)\n", took,
                tcp_server::to_string(got.error));
    check(got.error == tcp_server::Errc::peer_unreachable, "ended with peer_unreachable");
    check(took >= 1000 && took < 15000, "after idle + interval x count, not before");
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 4)
    {
        std::fprintf(stderr, "usage: %s loss|vanish select|poll|epoll|uring kernel|lwip\n", argv[0]);
        return 2;
    }
    int kind = tcpserver_poller_from_name(argv[2]);
    if (kind < 0 || !run("ip link set lo up"))
    {
        std::printf("bad poller, or no loopback device to bring up\n");
        return kSetupFailed;
    }
    tcpserver_set_default_poller(static_cast<rt_uint8_t>(kind));
    const char *why = nullptr;
    if (std::strcmp(argv[3], "lwip") == 0 && !start_lwip_on_new_tap(why))
    {
        std::printf("%s\n", why);
        return kSetupFailed;
    }
    if (std::strcmp(argv[1], "loss") == 0)
        loss_and_slow_link();
    else if (std::strcmp(argv[1], "vanish") == 0)
        vanishing_peer();
    else
        return 2;
    std::printf("%s\n", failures == 0 ? "scenario passed" : "scenario failed");
    return failures == 0 ? 0 : 1;
}
