// Errors that accept(2) says to retry (EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET,
// EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH, and EPERM from a firewall) are the failed connection's,
// not the listener's: the worker goes straight on to the next connection in the same batch,
// without pausing (no wait of its poller in between) and without a warning. The test puts its
// own accept4() in front of the C library's to inject the errors on the worker thread; where
// the poller accepts by itself (uring's multishot accept), it injects them into the takes of
// what the poller accepted (faulty_stack.h). It counts the worker's waits (worker_waits.h).
// SPDX-License-Identifier: Apache-2.0
#include "cpp_server.h"
#include "faulty_stack.h"
#include "loopback_client.h"
#include "worker_waits.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
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
std::atomic<long> waits_at_first{-1};   // worker_waits when the first error was injected
std::atomic<long> waits_at_success{-1}; // worker_waits when a connection was taken after them

// Called by the worker before it takes a connection: the error to fail that take with, or 0.
int next_injection()
{
    std::lock_guard lock(injection_mutex);
    if (!injections.empty())
    {
        if (waits_at_first < 0)
            waits_at_first = worker_waits();
        int error = injections.front();
        injections.erase(injections.begin());
        return error;
    }
    if (waits_at_first >= 0 && waits_at_success < 0)
        waits_at_success = worker_waits();
    return 0;
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
        if (int error = next_injection())
        {
            errno = error;
            return -1;
        }
    }
    return next(fd, address, length, flags);
}

TEST(AcceptRetry, ErrorsToRetryDoNotStopTheBatch)
{
    Faults faults;
    faults.take_accepted_error = next_injection;
    FaultyStackInUse faulty(faults);
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
