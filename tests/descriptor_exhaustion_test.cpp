// Out of descriptors (EMFILE: every descriptor below this process's soft RLIMIT_NOFILE taken):
// the worker does not spin, waiting clients are closed instead of left hanging (the
// spare-descriptor trick), accepting resumes once descriptors are free again, and the log says
// so once a second, not once a connection. The limit is lowered before the server starts and
// the table filled up to it: io_uring's accept measures descriptors against the limit of when
// it was armed, accept4 against today's, so only a full table runs both out alike.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "cpp_server.h"
#include "event_recorder.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

using namespace test_support;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace
{

// UBSan's vptr check opens a pipe to probe memory: with no descriptor left it would report
// every virtual call. (Valgrind, which needs descriptors too, leaves this test out as well.)
#ifdef __SANITIZE_ADDRESS__
constexpr bool kRuntimeNeedsDescriptors = true;
#else
constexpr bool kRuntimeNeedsDescriptors = false;
#endif
constexpr const char *kWhySkipped = "the sanitizer runtime needs descriptors of its own";

std::atomic<int> descriptor_warnings{0};
void count_descriptor_warnings(const char *text, rt_size_t)
{
    descriptor_warnings += std::strstr(text, "out of file descriptors") != nullptr;
}

/** Lowers the soft descriptor limit for its lifetime. */
class DescriptorLimit
{
  public:
    explicit DescriptorLimit(rlim_t soft)
    {
        getrlimit(RLIMIT_NOFILE, &saved_);
        rlimit lowered = saved_;
        lowered.rlim_cur = soft;
        setrlimit(RLIMIT_NOFILE, &lowered);
    }
    ~DescriptorLimit() { restore(); }
    void restore() { setrlimit(RLIMIT_NOFILE, &saved_); }

  private:
    rlimit saved_{};
};

/** The lowest descriptor number free now: with the limit set to it, no new one can open. */
int lowest_free_descriptor()
{
    int fd = dup(0);
    close(fd);
    return fd;
}

/** Takes every descriptor left below the limit for its lifetime. */
class AllDescriptorsTaken
{
  public:
    AllDescriptorsTaken()
    {
        for (int fd; (fd = dup(0)) >= 0;)
            taken_.push_back(fd);
        EXPECT_EQ(errno, EMFILE);
    }
    ~AllDescriptorsTaken() { release(); }
    void release()
    {
        for (int fd : taken_)
            close(fd);
        taken_.clear();
    }

  private:
    std::vector<int> taken_;
};

/** Peer sockets made before descriptors run out, connected after. */
class Peers
{
  public:
    explicit Peers(int count)
    {
        for (int i = 0; i < count; ++i)
            fds_.push_back(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    }
    ~Peers()
    {
        for (int fd : fds_)
            close(fd);
    }
    void connect_all(std::uint16_t port)
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        for (int fd : fds_)
            connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
    }
    /** How many peers the server closed (end of stream or reset) within `limit`. */
    int count_closed(milliseconds limit)
    {
        int closed = 0;
        for (int fd : fds_)
        {
            pollfd entry{fd, POLLIN, 0};
            char byte;
            auto left = std::chrono::duration_cast<milliseconds>(limit).count();
            if (poll(&entry, 1, static_cast<int>(left)) == 1 && recv(fd, &byte, 1, 0) <= 0)
                ++closed;
        }
        return closed;
    }

  private:
    std::vector<int> fds_;
};

tcp_server::Server start(EventRecorder &recorder)
{
    return start_on_loopback({.max_clients = 100, .handlers = recorder.handlers(echo_what_arrived)});
}

bool echoes(std::uint16_t port)
{
    LoopbackClient peer("127.0.0.1", port);
    return peer.send_all("back?") && peer.recv_exact(5) == "back?";
}

milliseconds worker_cpu_over(int worker, milliseconds window)
{
    auto before = thread_cpu_time(worker);
    std::this_thread::sleep_for(window); // an observation window, not a synchronisation
    return std::chrono::duration_cast<milliseconds>(thread_cpu_time(worker) - before);
}

/** An echo server and its worker's id, started while descriptors are still plentiful. */
class DescriptorExhaustion : public testing::Test
{
  protected:
    void SetUp() override
    {
        if (kRuntimeNeedsDescriptors)
            GTEST_SKIP() << kWhySkipped;
        worker = find_thread("tcpserv");
        ASSERT_GT(worker, 0);
    }

    // Room for the server's own descriptors, the peers' and a client's.
    DescriptorLimit limit{static_cast<rlim_t>(lowest_free_descriptor() + 128)};
    EventRecorder recorder;
    tcp_server::Server server = start(recorder);
    int worker = 0;
};

} // namespace

TEST_F(DescriptorExhaustion, WaitingClientsAreClosedAndTheWorkerStaysIdle)
{
    constexpr int kPeers = 50;
    Peers peers(kPeers);
    descriptor_warnings = 0;
    rt_console_set_output_hook(count_descriptor_warnings);
    milliseconds cpu{0};
    int closed = 0;
    {
        AllDescriptorsTaken none_left;
        peers.connect_all(server.port());
        closed = peers.count_closed(kPatience);
        cpu = worker_cpu_over(worker, milliseconds(2000));
    }
    rt_console_set_output_hook(nullptr);
    std::printf("%d of %d waiting peers closed; worker CPU %lld ms over 2 s; %d log lines\n",
                closed, kPeers, static_cast<long long>(cpu.count()), descriptor_warnings.load());
    EXPECT_EQ(closed, kPeers);
    EXPECT_GE(server.stats().refused, static_cast<std::uint64_t>(kPeers));
    EXPECT_LT(cpu, milliseconds(100)) << "under 5% of 2 s";
    EXPECT_LE(descriptor_warnings.load(), 3) << "a line a second, not a line a connection";
    EXPECT_EQ(recorder.total(EventRecorder::connect), 0);
    EXPECT_TRUE(echoes(server.port())) << "served again once descriptors are free";
}

TEST_F(DescriptorExhaustion, WithoutASpareAcceptingPausesAndResumes)
{
    Peers peers(5);
    milliseconds cpu{0};
    AllDescriptorsTaken none_left;
    DescriptorLimit nothing_at_all(3); // below what is open: not even the spare comes back
    peers.connect_all(server.port());
    cpu = worker_cpu_over(worker, milliseconds(2000));
    auto freed = Clock::now();
    nothing_at_all.restore();
    none_left.release();
    ASSERT_TRUE(eventually([&] { return recorder.total(EventRecorder::connect) >= 1; }));
    auto resumed_after = std::chrono::duration_cast<milliseconds>(Clock::now() - freed);
    std::printf("worker CPU %lld ms over 2 s with no descriptor at all; accepting resumed %lld ms "
                "after descriptors were free\n",
                static_cast<long long>(cpu.count()), static_cast<long long>(resumed_after.count()));
    EXPECT_LT(cpu, milliseconds(100)) << "under 5% of 2 s";
    EXPECT_LT(resumed_after, std::chrono::seconds(5)); // goal: within 1 s (the retry is 100 ms)
    EXPECT_TRUE(echoes(server.port()));
}
