// Errors that accept(2) says to retry (EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET,
// EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH, and EPERM from a firewall) are the failed connection's,
// not the listener's: the worker goes straight on to the next connection in the same batch,
// without pausing (no wait of its poller in between) and without a warning. The test puts its
// own accept4() and the pollers' wait calls in front of the C library's to inject the errors
// on the worker thread and count its waits.
// SPDX-License-Identifier: Apache-2.0
#include "cpp_server.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

using namespace test_support;
using namespace std::chrono_literals;

namespace
{

std::mutex injection_mutex;
std::vector<int> injections;            // errnos the worker's next accept4 calls fail with
std::atomic<long> worker_waits{0};      // poller waits on the worker so far
std::atomic<long> waits_at_first{-1};   // worker_waits when the first error was injected
std::atomic<long> waits_at_success{-1}; // worker_waits when a connection was taken after them

bool on_worker()
{
    char name[16] = {};
    prctl(PR_GET_NAME, name);
    return std::strcmp(name, TCPSERVER_NAME) == 0;
}

template <typename Function> Function real(const char *name)
{
    return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

} // namespace

extern "C" int accept4(int fd, sockaddr *address, socklen_t *length, int flags)
{
    static auto next = real<int (*)(int, sockaddr *, socklen_t *, int)>("accept4");
    if (on_worker())
    {
        std::lock_guard lock(injection_mutex);
        if (!injections.empty())
        {
            if (waits_at_first < 0)
                waits_at_first = worker_waits.load();
            errno = injections.front();
            injections.erase(injections.begin());
            return -1;
        }
    }
    int taken = next(fd, address, length, flags);
    if (taken >= 0 && on_worker() && waits_at_first >= 0 && waits_at_success < 0)
        waits_at_success = worker_waits.load();
    return taken;
}

extern "C" int epoll_wait(int epfd, epoll_event *events, int count, int timeout)
{
    static auto next = real<int (*)(int, epoll_event *, int, int)>("epoll_wait");
    if (on_worker())
        ++worker_waits;
    return next(epfd, events, count, timeout);
}

extern "C" int poll(pollfd *fds, nfds_t count, int timeout)
{
    static auto next = real<int (*)(pollfd *, nfds_t, int)>("poll");
    if (on_worker())
        ++worker_waits;
    return next(fds, count, timeout);
}

extern "C" int select(int nfds, fd_set *readable, fd_set *writable, fd_set *failed,
                      timeval *timeout)
{
    static auto next = real<int (*)(int, fd_set *, fd_set *, fd_set *, timeval *)>("select");
    if (on_worker())
        ++worker_waits;
    return next(nfds, readable, writable, failed, timeout);
}

TEST(AcceptRetry, ErrorsToRetryDoNotStopTheBatch)
{
    tcp_server::Server server = start_on_loopback();
    {
        std::lock_guard lock(injection_mutex);
        injections = {EPROTO,       ENETDOWN,   ENOPROTOOPT, EHOSTDOWN, ENONET,
                      EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH, EPERM};
    }
    LoopbackClient peer("127.0.0.1", server.port());
    auto client = server.accept(10s);
    ASSERT_TRUE(client) << "the connection after the errors was never taken";
    {
        std::lock_guard lock(injection_mutex);
        EXPECT_TRUE(injections.empty()) << injections.size() << " errors not injected";
    }
    ASSERT_GE(waits_at_first.load(), 0);
    EXPECT_EQ(waits_at_success.load(), waits_at_first.load())
        << "the worker paused (waited) between the errors and the next connection";
    ASSERT_TRUE(peer.send_all("x"));
    char byte = 0;
    EXPECT_TRUE(client->recv(std::span(&byte, 1), 10s));
}
