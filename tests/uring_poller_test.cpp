// The uring backend's own guarantees, beside the suites every backend runs (ALL_POLLERS):
// readiness stays level-triggered although io_uring's poll requests are one-shot; the loop's
// wake-up counter is read on the ring, once per notification; a request
// that completes after its watch ended never reaches the descriptor's next owner; a round with
// more changes and completions than the rings hold loses none, and so does a round that changes
// every watch's interest through a full submission ring; and where the kernel forbids
// io_uring, asking for it fails with -RT_ENOSYS while "auto" serves on epoll, saying so once.
// SPDX-License-Identifier: Apache-2.0
#include "poller/uring_poller.h"

#include <tcpserver.h>

#include <gtest/gtest.h>

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

// The library refuses io_uring under valgrind, which stops every thread while one waits in it.
#define SKIP_UNDER_VALGRIND()                                                                      \
    if (RUNNING_ON_VALGRIND)                                                                       \
    GTEST_SKIP() << "io_uring is refused under valgrind"

using tcp_server::Errc;
using tcp_server::detail::FiredEvent;
using tcp_server::detail::kCounter;
using tcp_server::detail::kReadable;
using tcp_server::detail::kWritable;
using tcp_server::detail::UringPoller;

namespace
{

struct SocketPair
{
    SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds.data()), 0); }
    ~SocketPair()
    {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
    SocketPair(const SocketPair &) = delete;
    SocketPair &operator=(const SocketPair &) = delete;
    void make_readable() { ASSERT_EQ(::write(fds[1], "x", 1), 1); }
    std::array<int, 2> fds{-1, -1};
};

bool fired_for(const std::vector<FiredEvent> &fired, int fd)
{
    return std::any_of(fired.begin(), fired.end(), [fd](const FiredEvent &e) { return e.fd == fd; });
}

TEST(UringPoller, UnreadInputFiresAgainInTheNextRound)
{
    UringPoller poller;
    SKIP_UNDER_VALGRIND();
    ASSERT_EQ(poller.error(), Errc::ok) << poller.reason();
    SocketPair pair;
    pair.make_readable();
    ASSERT_EQ(poller.add(pair.fds[0], kReadable), Errc::ok);
    std::vector<FiredEvent> fired;
    fired.reserve(4);
    ASSERT_EQ(poller.wait(5000, fired), Errc::ok);
    ASSERT_TRUE(fired_for(fired, pair.fds[0]));
    // Nothing was read: a level-triggered poller reports it again, however often it is asked.
    for (int round = 0; round < 3; ++round)
    {
        ASSERT_EQ(poller.wait(5000, fired), Errc::ok);
        EXPECT_TRUE(fired_for(fired, pair.fds[0])) << "round " << round;
    }
    poller.remove(pair.fds[0]);
}

TEST(UringPoller, ACompletionAfterItsWatchEndedNeverReachesTheDescriptorsNextOwner)
{
    UringPoller poller;
    SKIP_UNDER_VALGRIND();
    ASSERT_EQ(poller.error(), Errc::ok) << poller.reason();
    std::vector<FiredEvent> fired;
    fired.reserve(4);
    ASSERT_EQ(poller.wait(0, fired), Errc::ok); // the ring is running
    int reused;
    {
        // Readable when its request is submitted: the request completes at once, together
        // with the cancellation that comes too late for it.
        SocketPair first;
        first.make_readable();
        ASSERT_EQ(poller.add(first.fds[0], kReadable), Errc::ok);
        poller.remove(first.fds[0]);
        reused = first.fds[0];
    }
    SocketPair second; // takes the lowest free numbers again
    ASSERT_EQ(second.fds[0], reused);
    ASSERT_EQ(poller.add(second.fds[0], kReadable), Errc::ok);
    ASSERT_EQ(poller.wait(0, fired), Errc::ok);
    EXPECT_FALSE(fired_for(fired, second.fds[0])) << "the old socket's readiness was reported";
    poller.remove(second.fds[0]);
}

TEST(UringPoller, AWakeUpCounterIsReadOnTheRingForEveryNotification)
{
    UringPoller poller;
    SKIP_UNDER_VALGRIND();
    ASSERT_EQ(poller.error(), Errc::ok) << poller.reason();
    ASSERT_TRUE(poller.consumes_counters());
    int counter = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    ASSERT_GE(counter, 0);
    ASSERT_EQ(poller.add(counter, kCounter), Errc::ok);
    std::vector<FiredEvent> fired;
    fired.reserve(4);
    for (int notification = 0; notification < 3; ++notification)
    {
        std::uint64_t one = 1;
        ASSERT_EQ(::write(counter, &one, sizeof one), static_cast<ssize_t>(sizeof one));
        bool woken = false;
        for (int round = 0; round < 100 && !woken; ++round)
        {
            ASSERT_EQ(poller.wait(5000, fired), Errc::ok);
            woken = fired_for(fired, counter);
        }
        ASSERT_TRUE(woken) << "notification " << notification << " did not end the wait";
        std::uint64_t left = 0;
        EXPECT_EQ(::read(counter, &left, sizeof left), -1) << "the count was left unread";
        EXPECT_EQ(errno, EAGAIN);
    }
    // Nothing more to read: the wait times out with no event.
    ASSERT_EQ(poller.wait(0, fired), Errc::ok);
    EXPECT_FALSE(fired_for(fired, counter));
    poller.remove(counter);
    ::close(counter);
}

TEST(UringPoller, MoreChangesAndCompletionsThanTheRingsHoldAreNotLost)
{
    constexpr int kPairs = 64;
    UringPoller poller(4, 8); // 4 submissions, 8 completions at a time
    SKIP_UNDER_VALGRIND();
    ASSERT_EQ(poller.error(), Errc::ok) << poller.reason();
    std::vector<SocketPair> pairs(kPairs);
    for (SocketPair &pair : pairs)
    {
        pair.make_readable();
        ASSERT_EQ(poller.add(pair.fds[0], kReadable), Errc::ok);
    }
    std::vector<FiredEvent> fired;
    fired.reserve(kPairs + 1);
    std::set<int> seen;
    for (int round = 0; round < 100 && seen.size() < kPairs; ++round)
    {
        ASSERT_EQ(poller.wait(5000, fired), Errc::ok);
        for (const FiredEvent &event : fired)
            seen.insert(event.fd);
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kPairs));
    for (SocketPair &pair : pairs)
        poller.remove(pair.fds[0]);
}

TEST(UringPoller, ChangingEveryWatchInOneRoundThroughAFullRingTakesEffectForAll)
{
    constexpr int kPairs = 64;
    UringPoller poller(4, 8); // each change cancels one request and sends one: 128 entries
    SKIP_UNDER_VALGRIND();
    ASSERT_EQ(poller.error(), Errc::ok) << poller.reason();
    std::vector<SocketPair> pairs(kPairs);
    for (SocketPair &pair : pairs)
        ASSERT_EQ(poller.add(pair.fds[0], kReadable), Errc::ok); // nothing to read yet
    std::vector<FiredEvent> fired;
    fired.reserve(kPairs + 1);
    ASSERT_EQ(poller.wait(0, fired), Errc::ok);
    ASSERT_TRUE(fired.empty());
    for (SocketPair &pair : pairs)
        ASSERT_EQ(poller.modify(pair.fds[0], kWritable), Errc::ok); // writable at once
    std::set<int> seen;
    for (int round = 0; round < 100 && seen.size() < kPairs; ++round)
    {
        ASSERT_EQ(poller.wait(5000, fired), Errc::ok);
        for (const FiredEvent &event : fired)
        {
            EXPECT_EQ(event.events, kWritable);
            seen.insert(event.fd);
        }
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kPairs));
    for (SocketPair &pair : pairs)
        poller.remove(pair.fds[0]);
}

int create_and_read_log(std::FILE *log);

// In a child process whose io_uring_setup fails as on a kernel without io_uring, with the
// process' output in a file: 0, or a code saying what went wrong.
int forbid_uring_and_create()
{
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {sizeof filter / sizeof filter[0], filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
        return 10;
    std::FILE *log = std::tmpfile();
    if (!log || ::dup2(fileno(log), STDOUT_FILENO) < 0)
        return 11;
    int result = create_and_read_log(log);
    std::fclose(log);
    return result;
}

int create_and_read_log(std::FILE *log)
{

    struct tcpserver_config config;
    tcpserver_config_init(&config);
    config.ip = "127.0.0.1";
    config.port = 0;
    config.poller = TCPSERVER_POLLER_KIND_URING;
    if (tcpserver_create_with(&config))
        return 12;
    if (rt_get_errno() != -RT_ENOSYS)
        return 13;

    config.poller = TCPSERVER_POLLER_KIND_AUTO;
    for (int i = 0; i < 2; ++i)
    {
        struct tcpserver *server = tcpserver_create_with(&config);
        if (!server)
            return 14;
        struct tcpserver_stats stats;
        if (tcpserver_get_stats(server, &stats) != RT_EOK || std::strcmp(stats.poller, "epoll") != 0)
            return 15;
        tcpserver_destroy(server);
    }

    std::fflush(stdout);
    std::string output(1 << 16, '\0');
    output.resize(::pread(fileno(log), output.data(), output.size(), 0));
    std::fprintf(stderr, "%s", output.c_str());
    if (output.find("io_uring is unavailable (old kernel") == std::string::npos)
        return 16; // the refused server's error
    std::string fallback = "): the auto poller uses epoll";
    std::size_t first = output.find(fallback);
    if (first == std::string::npos || output.find(fallback, first + 1) != std::string::npos)
        return 17; // not exactly once
    if (!RUNNING_ON_VALGRIND && output.find("(Function not implemented): the auto") == std::string::npos)
        return 18; // not the system's reason
    return 0;
}

TEST(UringUnavailable, AskingForUringFailsAndAutoServesOnEpollSayingSoOnce)
{
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0)
        _exit(forbid_uring_and_create());
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "10: no seccomp filter, 11: no log file, 12: uring created anyway, 13: not -RT_ENOSYS, "
           "14: auto failed, 15: auto is not epoll, 16: no error line, 17: fallback not said once, "
           "18: the fallback's line gives no reason";
}

// This machine's kernel has io_uring (CI runs on the same kind).
TEST(UringAvailable, AutoChoosesUringWhereTheKernelHasIt)
{
    SKIP_UNDER_VALGRIND();
    struct tcpserver_config config;
    tcpserver_config_init(&config);
    config.ip = "127.0.0.1";
    config.port = 0;
    config.poller = TCPSERVER_POLLER_KIND_URING;
    config.poller = TCPSERVER_POLLER_KIND_AUTO;
    struct tcpserver *server = tcpserver_create_with(&config);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    struct tcpserver_stats stats;
    ASSERT_EQ(tcpserver_get_stats(server, &stats), RT_EOK);
    EXPECT_STREQ(stats.poller, "uring");
    tcpserver_destroy(server);
}

} // namespace
