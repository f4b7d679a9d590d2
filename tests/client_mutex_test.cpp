// A client's lock is biased to the worker: while only the worker takes it, it takes no mutex;
// the first user thread to lock it waits until the worker has left its section, and from then
// on the worker waits for user threads as with any mutex.
// SPDX-License-Identifier: Apache-2.0
#include "client_mutex.h"
#include "conditions.h"
#include "event_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

using namespace test_support;
using namespace std::chrono_literals;
using tcp_server::detail::ClientMutex;
using tcp_server::detail::EventLoop;

namespace
{

class ClientMutexTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        tcp_server::Errc error = tcp_server::Errc::ok;
        loop_ = EventLoop::create(tcp_server::detail::kernel_stack(), tcp_server::Backend::epoll, error);
        ASSERT_TRUE(loop_) << tcp_server::to_string(error);
        worker_ = std::thread([this] { loop_->run(); });
    }

    void TearDown() override
    {
        if (loop_)
        {
            loop_->quit();
            worker_.join();
        }
    }

    /** Runs `task` on the worker and waits for it, and so for every task queued before. */
    void on_worker(std::function<void()> task)
    {
        std::promise<void> done;
        ASSERT_TRUE(loop_->queue([&] {
            task();
            done.set_value();
        }));
        ASSERT_EQ(done.get_future().wait_for(30s), std::future_status::ready);
    }

    std::unique_ptr<EventLoop> loop_;
    std::thread worker_;
};

TEST_F(ClientMutexTest, AUserThreadWaitsForTheWorkerToLeaveItsSection)
{
    ClientMutex mutex(*loop_);
    std::atomic<bool> worker_inside{false};
    std::atomic<bool> user_in_before_worker_left{false};
    std::atomic<bool> user_done{false};

    std::promise<void> worker_entered;
    ASSERT_TRUE(loop_->queue([&] {
        mutex.lock(); // biased: nobody else has taken it
        worker_inside = true;
        worker_entered.set_value();
        // Stay inside until the user thread has begun revoking the bias, so its lock() has to
        // wait for this section.
        EXPECT_TRUE(eventually([&] { return mutex.shared(); }));
        worker_inside = false;
        mutex.unlock();
    }));
    worker_entered.get_future().wait();
    std::thread user([&] {
        std::lock_guard lock(mutex);
        user_in_before_worker_left = worker_inside.load();
        user_done = true;
    });
    user.join();
    on_worker([] {}); // the task is over: `mutex` may go
    EXPECT_TRUE(user_done);
    EXPECT_FALSE(user_in_before_worker_left) << "the user thread entered while the worker was inside";
}

TEST_F(ClientMutexTest, AfterAUserThreadTheWorkerWaitsForTheMutex)
{
    ClientMutex mutex(*loop_);
    std::unique_lock user_lock(mutex.native());
    std::atomic<bool> worker_entered{false};
    ASSERT_TRUE(loop_->queue([&] {
        std::lock_guard lock(mutex);
        worker_entered = true;
    }));
    // While the user thread holds it, the worker must not get in (a broken bias lets it in at
    // once; a right one keeps it out however long this waits).
    EXPECT_FALSE(eventually([&] { return worker_entered.load(); }, 200ms));
    user_lock.unlock();
    EXPECT_TRUE(eventually([&] { return worker_entered.load(); }));
    on_worker([] {}); // the task is over: `mutex` may go
}

TEST_F(ClientMutexTest, CountsStayExactWithTheWorkerAndUserThreadsTogether)
{
    ClientMutex mutex(*loop_);
    long count = 0; // guarded by mutex: a section let in twice loses increments
    constexpr int kRounds = 20000;
    std::atomic<bool> go{false};
    std::promise<void> worker_done;
    ASSERT_TRUE(loop_->queue([&] {
        while (!go)
            std::this_thread::yield();
        for (int i = 0; i < kRounds; ++i)
        {
            std::lock_guard lock(mutex);
            ++count;
        }
        worker_done.set_value();
    }));
    std::thread user([&] {
        go = true;
        for (int i = 0; i < kRounds; ++i)
        {
            std::lock_guard lock(mutex);
            ++count;
        }
    });
    user.join();
    ASSERT_EQ(worker_done.get_future().wait_for(60s), std::future_status::ready);
    std::lock_guard lock(mutex);
    EXPECT_EQ(count, 2L * kRounds);
}

TEST_F(ClientMutexTest, TheWorkerAloneNeverMarksItShared)
{
    ClientMutex mutex(*loop_);
    on_worker([&] {
        for (int i = 0; i < 100; ++i)
        {
            std::lock_guard lock(mutex);
        }
    });
    EXPECT_FALSE(mutex.shared());
    std::lock_guard lock(mutex); // this thread is not the worker
    EXPECT_TRUE(mutex.shared());
}

} // namespace
