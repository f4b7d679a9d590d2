// ps measures every kernel thread's stack as a board does: the package's worker ("tcpserv")
// and an rt_thread alike show where their stack pointer is while they wait, the deepest they
// ever went (the high-water mark, "peak", which a callback or a thread body that once used a
// deep buffer raises and which stays up after), the Kconfig size asked for beside what Linux
// gave, and their time slice. msh's own console thread, idle thread and timer thread are
// listed as on a board.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"
#include "conditions.h"
#include "loopback_client.h"
#include "rt_threads.h"
#include "shell_capture.h"

#include "rt/stack_watermark.h"

#include <tcpserver.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <sstream>
#include <thread>

using namespace test_support;

namespace
{

constexpr std::size_t kDeep = 96 * 1024;

struct PsLine
{
    bool found = false;
    std::string status;
    std::size_t sp = 0, size = 0, left_tick = 0, peak = 0, asked = 0;
    int percent = 0;
};

std::size_t hex(const std::string &text)
{
    return text.rfind("0x", 0) == 0 ? std::stoul(text, nullptr, 16) : 0;
}

// The first line of ps output `out` for thread `name`, its columns read.
PsLine ps_line(const std::string &out, const std::string &name)
{
    std::istringstream lines(out);
    std::string line;
    PsLine row;
    while (std::getline(lines, line))
    {
        std::istringstream fields(line);
        std::string thread, priority, sp, size, percent, tick, error, peak, asked;
        if (!(fields >> thread) || thread != name)
            continue;
        fields >> priority >> row.status >> sp >> size >> percent >> tick >> error >> peak >> asked;
        row = {true, row.status, hex(sp), hex(size), hex(tick), hex(peak), hex(asked),
               std::atoi(percent.c_str())};
        return row;
    }
    return row;
}

// Uses kDeep bytes of stack, as a callback with a big local buffer would.
__attribute__((noinline)) void use_deep_stack()
{
    volatile unsigned char buffer[kDeep];
    for (std::size_t i = 0; i < kDeep; i += 64)
        buffer[i] = static_cast<unsigned char>(i);
    asm volatile("" : : "r"(buffer) : "memory");
}

// Whether this process can read a blocked thread's stack pointer from /proc: not under
// valgrind, whose threads block on stacks of its own. Where it cannot, ps shows where a thread
// last waited in the kernel, which a worker blocked in its poller never did.
bool kernel_tells_stack_pointers()
{
    int pipe_ends[2];
    if (pipe(pipe_ends) != 0)
        return false;
    std::atomic<pid_t> tid{0};
    std::atomic<std::uintptr_t> frame{0};
    std::thread reader([&] {
        char byte;
        frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        tid = gettid();
        (void)!read(pipe_ends[0], &byte, 1);
    });
    bool tells = eventually([&] {
        std::uintptr_t sp = tid ? tcp_server::detail::rt::blocked_stack_pointer(tid) : 0;
        return sp != 0 && sp < frame && frame - sp < 64 * 1024;
    }, std::chrono::milliseconds(2000));
    (void)!write(pipe_ends[1], "x", 1);
    reader.join();
    close(pipe_ends[0]);
    close(pipe_ends[1]);
    return tells;
}

std::atomic<int> deep_callbacks{0};

void deep_on_connect(tcpclient_t, rt_uint8_t event)
{
    if (event == TCPSERVER_EVENT_CONNECT)
    {
        use_deep_stack();
        deep_callbacks++;
    }
}

class PsStack : public testing::Test
{
  protected:
    void SetUp() override { msh::register_builtins(); }
};

} // namespace

TEST_F(PsStack, TheWorkersLineCarriesMeasuredValues)
{
    struct tcpserver *server = tcpserver_create("127.0.0.1", 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    bool tells = kernel_tells_stack_pointers();
    PsLine worker;
    // Waiting in its poller, the worker's stack pointer is read where it blocks.
    ASSERT_TRUE(eventually([&] {
        worker = ps_line(run_captured("ps"), TCPSERVER_NAME);
        return worker.found && (worker.sp != 0 || !tells);
    })) << run_captured("ps");
    if (tells)
    {
        EXPECT_EQ(worker.status, "suspend") << "blocked in its poller";
    }
    EXPECT_EQ(worker.asked, static_cast<std::size_t>(TCPSERVER_STACK_SIZE));
    EXPECT_GE(worker.size, worker.asked) << "Linux gives at least what was asked";
    EXPECT_EQ(worker.left_tick, 10u);
    EXPECT_GT(worker.peak, 0u);
    EXPECT_GE(worker.peak, worker.sp) << "the high-water mark is never above where it is now";
    EXPECT_LT(worker.peak, worker.size);
    tcpserver_destroy(server);
}

TEST_F(PsStack, ACallbacksDeepBufferRaisesTheWorkersPeakForGood)
{
    struct tcpserver *server = tcpserver_create("127.0.0.1", 0);
    ASSERT_NE(server, nullptr) << tcpserver_strerror();
    tcpserver_set_notify_callback(server, deep_on_connect);
    bool tells = kernel_tells_stack_pointers();
    PsLine before;
    ASSERT_TRUE(eventually([&] {
        before = ps_line(run_captured("ps"), TCPSERVER_NAME);
        return before.found && (before.sp != 0 || !tells);
    }));
    EXPECT_LT(before.peak, kDeep) << "no callback has run yet";

    int callbacks = deep_callbacks.load();
    LoopbackClient peer("127.0.0.1", server->port);
    ASSERT_TRUE(eventually([&] { return deep_callbacks.load() > callbacks; }));
    PsLine after;
    ASSERT_TRUE(eventually([&] {
        after = ps_line(run_captured("ps"), TCPSERVER_NAME);
        return after.sp != 0 || !tells; // back in its poller
    }));
    EXPECT_GE(after.peak, kDeep) << run_captured("ps");
    EXPECT_LT(after.sp, kDeep) << "it is no longer that deep: the peak is a high-water mark";
    EXPECT_EQ(after.percent, static_cast<int>(after.peak * 100 / after.size));
    tcpserver_destroy(server);
}

TEST_F(PsStack, AnRtThreadsPeakIsItsHighWaterMark)
{
    rt_sem_t gate = rt_sem_create("gate", 0, RT_IPC_FLAG_FIFO);
    RtJob job("deep", 15, [&] {
        use_deep_stack();
        rt_sem_take(gate, RT_WAITING_FOREVER);
    });
    ASSERT_TRUE(eventually([] { return waiting_on(RT_Object_Class_Semaphore, "gate") == 1; }));
    PsLine deep = ps_line(run_captured("ps"), "deep");
    ASSERT_TRUE(deep.found);
    EXPECT_GE(deep.peak, kDeep);
    EXPECT_GT(deep.sp, 0u);
    EXPECT_LT(deep.sp, kDeep);
    EXPECT_GT(deep.asked, 0u);
    rt_sem_release(gate);
    ASSERT_TRUE(job.finished());
    rt_sem_delete(gate);
}

TEST(PsStackInMsh, TheConsoleIdleAndTimerThreadsAreListedAsOnABoard)
{
    ChildProcess shell({"-q"}, true);
    ASSERT_TRUE(shell.expect("msh />"));
    // The idle thread shows its stack once it has waited the first time, which a loaded
    // machine may delay past the prompt: ps again until it has.
    std::string out;
    ASSERT_TRUE(eventually([&] {
        std::size_t before = shell.transcript().size();
        shell.type("ps\r");
        if (!shell.expect("\nmsh />"))
            return false;
        out = shell.transcript().substr(before);
        return ps_line(out, "tidle0").sp > 0;
    })) << shell.transcript();
    PsLine console = ps_line(out, FINSH_THREAD_NAME);
    ASSERT_TRUE(console.found) << out;
    EXPECT_EQ(console.asked, static_cast<std::size_t>(FINSH_THREAD_STACK_SIZE)) << out;
    EXPECT_GT(console.peak, 0u) << out;
    EXPECT_EQ(console.left_tick, 10u) << out;
    PsLine idle = ps_line(out, "tidle0");
    ASSERT_TRUE(idle.found) << out;
    EXPECT_GT(idle.sp, 0u) << out;
    EXPECT_GT(idle.peak, 0u) << out;
    EXPECT_EQ(idle.asked, static_cast<std::size_t>(IDLE_THREAD_STACK_SIZE)) << out;
    PsLine timer = ps_line(out, "timer");
    ASSERT_TRUE(timer.found) << out;
    EXPECT_EQ(timer.asked, static_cast<std::size_t>(RT_TIMER_THREAD_STACK_SIZE)) << out;
    shell.type("exit\r");
    EXPECT_EQ(shell.wait_exit(), 0);
}
