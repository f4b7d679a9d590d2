// Work queues (rtdevice.h): work runs on the queue's own thread in the order it was queued, a
// delayed one never before its delay, an urgent one next; submitting a queued or delayed work
// again moves it and never runs it twice; cancelling takes it out (a running one is -RT_EBUSY,
// and the _sync form waits for it); destroying a queue drops what waits and ends its thread;
// the system queue runs rt_work_submit's work; bad calls fail with RT-Thread's codes.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"

#include <rtdevice.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace test_support;

namespace
{

struct Log
{
    std::mutex mutex;
    std::vector<std::string> entries;
    void add(const std::string &entry)
    {
        std::lock_guard lock(mutex);
        entries.push_back(entry);
    }
    std::vector<std::string> taken()
    {
        std::lock_guard lock(mutex);
        return entries;
    }
    std::size_t size()
    {
        std::lock_guard lock(mutex);
        return entries.size();
    }
};

/** A work item that logs its name, the thread it ran on and the tick it ran at. Tests wait
 *  on the log (under its mutex): once an entry is seen, the work touches nothing more. */
struct Item
{
    Item(Log &log, std::string name) : log(log), name(std::move(name))
    {
        rt_work_init(&work, run, this);
    }
    static void run(struct rt_work *work, void *data)
    {
        auto *item = static_cast<Item *>(data);
        EXPECT_EQ(work, &item->work);
        item->thread = rt_thread_self() ? rt_thread_self()->parent.name : "?";
        item->ran_at = rt_tick_get();
        ++item->runs;
        item->log.add(item->name); // last: a test that saw the entry may end at once
    }
    Log &log;
    std::string name;
    struct rt_work work;
    std::string thread;
    std::atomic<rt_tick_t> ran_at{0};
    std::atomic<int> runs{0};
};

/** A work item that holds its queue's thread until released. */
struct Blocker
{
    Blocker()
    {
        rt_sem_init(&release, "release", 0, RT_IPC_FLAG_FIFO);
        rt_work_init(&work, run, this);
    }
    ~Blocker() { rt_sem_detach(&release); }
    /** Queues it and waits until it holds the queue's thread. */
    bool hold(struct rt_workqueue *queue)
    {
        return rt_workqueue_dowork(queue, &work) == RT_EOK &&
               eventually([this] { return running.load(); });
    }
    static void run(struct rt_work *, void *data)
    {
        auto *blocker = static_cast<Blocker *>(data);
        blocker->running = true;
        rt_sem_take(&blocker->release, RT_WAITING_FOREVER);
        blocker->finished = true;
    }
    struct rt_semaphore release;
    struct rt_work work;
    std::atomic<bool> running{false};
    std::atomic<bool> finished{false};
};

struct Queue
{
    Queue() : queue(rt_workqueue_create("wq-test", 4096, 10)) {}
    ~Queue()
    {
        if (queue)
        {
            EXPECT_EQ(rt_workqueue_destroy(queue), RT_EOK);
        }
    }
    struct rt_workqueue *queue;
};

/** A queue whose thread a blocker holds, so that what is queued meanwhile waits in order. */
class HeldQueue : public ::testing::Test
{
  protected:
    void SetUp() override { ASSERT_TRUE(blocker.hold(q.queue)); }
    Queue q;
    Log log;
    Blocker blocker;
};

TEST(RtWorkqueue, WorkRunsOnTheQueuesThreadInTheOrderItWasQueued)
{
    Queue q;
    ASSERT_NE(q.queue, nullptr);
    Log log;
    Item a(log, "a"), b(log, "b"), c(log, "c");
    for (Item *item : {&a, &b, &c})
        ASSERT_EQ(rt_workqueue_dowork(q.queue, &item->work), RT_EOK);
    ASSERT_TRUE(eventually([&] { return log.size() == 3; }));
    EXPECT_EQ(log.taken(), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(a.thread, "wq-test");
}

TEST(RtWorkqueue, ADelayedWorkNeverRunsBeforeItsDelay)
{
    Queue q;
    Log log;
    Item late(log, "late");
    const rt_tick_t delay = RT_TICK_PER_SECOND / 10;
    rt_tick_t submitted = rt_tick_get();
    ASSERT_EQ(rt_workqueue_submit_work(q.queue, &late.work, delay), RT_EOK);
    ASSERT_TRUE(eventually([&] { return log.size() == 1; }));
    EXPECT_GE(late.ran_at - submitted, delay);
}

TEST_F(HeldQueue, SubmittingAgainMovesAWorkAndNeverRunsItTwice)
{
    Item twice(log, "twice"), delayed(log, "delayed"), marker(log, "marker");
    // Queued twice while the thread is busy; delayed, then queued now instead.
    ASSERT_EQ(rt_workqueue_dowork(q.queue, &twice.work), RT_EOK);
    ASSERT_EQ(rt_workqueue_dowork(q.queue, &twice.work), RT_EOK);
    ASSERT_EQ(rt_workqueue_submit_work(q.queue, &delayed.work, RT_TICK_PER_SECOND / 20), RT_EOK);
    ASSERT_EQ(rt_workqueue_dowork(q.queue, &delayed.work), RT_EOK);
    rt_sem_release(&blocker.release);
    // A marker delayed longer than the first delay: its timer fires after that one would have.
    ASSERT_EQ(rt_workqueue_submit_work(q.queue, &marker.work, RT_TICK_PER_SECOND / 5), RT_EOK);
    ASSERT_TRUE(eventually([&] { return log.size() >= 3; }));
    EXPECT_EQ(twice.runs, 1);
    EXPECT_EQ(delayed.runs, 1);
    EXPECT_EQ(log.taken(), (std::vector<std::string>{"twice", "delayed", "marker"}));
}

TEST_F(HeldQueue, AnUrgentWorkRunsNext)
{
    Item a(log, "a"), b(log, "b"), urgent(log, "urgent");
    ASSERT_EQ(rt_workqueue_dowork(q.queue, &a.work), RT_EOK);
    ASSERT_EQ(rt_workqueue_dowork(q.queue, &b.work), RT_EOK);
    ASSERT_EQ(rt_workqueue_urgent_work(q.queue, &urgent.work), RT_EOK);
    rt_sem_release(&blocker.release);
    ASSERT_TRUE(eventually([&] { return log.size() == 3; }));
    EXPECT_EQ(log.taken(), (std::vector<std::string>{"urgent", "a", "b"}));
}

TEST_F(HeldQueue, CancelTakesQueuedAndDelayedWorkOutAndSaysBusyForTheRunningOne)
{
    Item queued(log, "queued"), delayed(log, "delayed"), marker(log, "marker");
    ASSERT_EQ(rt_workqueue_dowork(q.queue, &queued.work), RT_EOK);
    ASSERT_EQ(rt_workqueue_submit_work(q.queue, &delayed.work, RT_TICK_PER_SECOND / 20), RT_EOK);
    EXPECT_EQ(rt_workqueue_cancel_work(q.queue, &blocker.work), -RT_EBUSY);
    EXPECT_EQ(rt_workqueue_cancel_work(q.queue, &queued.work), RT_EOK);
    EXPECT_EQ(rt_workqueue_cancel_work(q.queue, &delayed.work), RT_EOK);
    EXPECT_EQ(queued.work.flags & RT_WORK_STATE_PENDING, 0);
    EXPECT_EQ(delayed.work.flags & RT_WORK_STATE_SUBMITTING, 0);
    rt_sem_release(&blocker.release);
    ASSERT_EQ(rt_workqueue_submit_work(q.queue, &marker.work, RT_TICK_PER_SECOND / 5), RT_EOK);
    ASSERT_TRUE(eventually([&] { return log.size() >= 1; }));
    EXPECT_EQ(log.taken(), (std::vector<std::string>{"marker"}));
}

TEST_F(HeldQueue, CancelSyncWaitsUntilTheRunningWorkHasReturned)
{
    std::atomic<int> canceller{-1};
    std::atomic<bool> finished_when_returned{false};
    std::thread cancelling([&] {
        canceller = current_thread();
        EXPECT_EQ(rt_workqueue_cancel_work_sync(q.queue, &blocker.work), RT_EOK);
        finished_when_returned = blocker.finished.load();
    });
    ASSERT_TRUE(eventually([&] { return canceller >= 0; }));
    ASSERT_TRUE(blocked_soon(canceller));
    rt_sem_release(&blocker.release);
    cancelling.join();
    EXPECT_TRUE(finished_when_returned);
}

TEST(RtWorkqueue, DestroyDropsWhatWaitsLetsTheRunningWorkFinishAndEndsTheThread)
{
    struct rt_workqueue *queue = rt_workqueue_create("wq-gone", 4096, 10);
    ASSERT_NE(queue, nullptr);
    char name[] = "wq-gone";
    ASSERT_NE(rt_thread_find(name), nullptr);
    Log log;
    Blocker blocker;
    Item queued(log, "queued"), delayed(log, "delayed");
    ASSERT_TRUE(blocker.hold(queue));
    ASSERT_EQ(rt_workqueue_dowork(queue, &queued.work), RT_EOK);
    ASSERT_EQ(rt_workqueue_submit_work(queue, &delayed.work, RT_TICK_PER_SECOND / 20), RT_EOK);
    std::atomic<int> destroyer{-1};
    std::thread destroying([&] {
        destroyer = current_thread();
        EXPECT_EQ(rt_workqueue_destroy(queue), RT_EOK);
    });
    // Released once destroy waits for it: what was queued behind it is dropped by then.
    ASSERT_TRUE(eventually([&] { return destroyer >= 0; }));
    ASSERT_TRUE(blocked_soon(destroyer));
    rt_sem_release(&blocker.release);
    destroying.join();
    EXPECT_TRUE(blocker.finished);
    EXPECT_EQ(rt_thread_find(name), nullptr);
    // Past the delay: the dropped work never runs.
    rt_thread_mdelay(100); // an observation window, not a sync
    EXPECT_EQ(log.size(), 0u);
}

// A board's destroy frees the queue under a work submitted meanwhile; here the submission is
// refused, and the work stays the caller's, never run.
TEST(RtWorkqueue, AWorkSubmittedWhileItsQueueIsDestroyedIsRefused)
{
    struct rt_workqueue *queue = rt_workqueue_create("wq-late", 4096, 10);
    ASSERT_NE(queue, nullptr);
    Log log;
    Blocker blocker;
    Item late(log, "late");
    ASSERT_TRUE(blocker.hold(queue));
    std::atomic<int> destroyer{-1};
    std::thread destroying([&] {
        destroyer = current_thread();
        EXPECT_EQ(rt_workqueue_destroy(queue), RT_EOK);
    });
    ASSERT_TRUE(eventually([&] { return destroyer >= 0; }));
    ASSERT_TRUE(blocked_soon(destroyer)); // waiting for the blocker: destroy has begun
    EXPECT_EQ(rt_workqueue_submit_work(queue, &late.work, 0), -RT_ERROR);
    EXPECT_EQ(rt_workqueue_submit_work(queue, &late.work, RT_TICK_PER_SECOND / 20), -RT_ERROR);
    EXPECT_EQ(rt_workqueue_urgent_work(queue, &late.work), -RT_ERROR);
    EXPECT_EQ(late.work.workqueue, nullptr);
    EXPECT_EQ(late.work.flags, 0u);
    rt_sem_release(&blocker.release);
    destroying.join();
    rt_thread_mdelay(100); // past the delay asked: an observation window, not a sync
    EXPECT_EQ(log.size(), 0u);
}

struct SelfDestroy
{
    struct rt_workqueue *queue = nullptr;
    std::atomic<rt_err_t> destroyed{1};
    std::atomic<rt_err_t> cancelled{1};
    struct rt_work work;
};

TEST(RtWorkqueue, AWorkCannotDestroyItsQueueOrWaitForItself)
{
    Queue q;
    SelfDestroy self;
    self.queue = q.queue;
    rt_work_init(
        &self.work,
        [](struct rt_work *work, void *data) {
            auto *self = static_cast<SelfDestroy *>(data);
            self->cancelled = rt_workqueue_cancel_work_sync(self->queue, work);
            self->destroyed = rt_workqueue_destroy(self->queue);
        },
        &self);
    ASSERT_EQ(rt_workqueue_dowork(q.queue, &self.work), RT_EOK);
    ASSERT_TRUE(eventually([&] { return self.destroyed != 1; }));
    EXPECT_EQ(self.cancelled, -RT_EBUSY);
    EXPECT_EQ(self.destroyed, -RT_EBUSY);
}

TEST(RtWorkqueue, BadCallsFailWithRtThreadsCodes)
{
    Queue q;
    Log log;
    Item item(log, "item");
    EXPECT_EQ(rt_workqueue_submit_work(q.queue, &item.work, RT_TICK_MAX / 2), -RT_ERROR);
    EXPECT_EQ(rt_workqueue_dowork(nullptr, &item.work), -RT_EINVAL);
    EXPECT_EQ(rt_workqueue_dowork(q.queue, nullptr), -RT_EINVAL);
    EXPECT_EQ(rt_workqueue_destroy(nullptr), -RT_EINVAL);
    EXPECT_EQ(item.runs, 0);
}

TEST(RtWorkqueue, TheSystemQueueRunsSubmittedWork)
{
    Log log;
    Item now(log, "now"), later(log, "later");
    ASSERT_EQ(rt_work_submit(&later.work, RT_TICK_PER_SECOND / 20), RT_EOK);
    ASSERT_EQ(rt_work_submit(&now.work, 0), RT_EOK);
    ASSERT_TRUE(eventually([&] { return log.size() == 2; }));
    EXPECT_EQ(log.taken(), (std::vector<std::string>{"now", "later"}));
    EXPECT_EQ(now.thread,
              std::string("sys workq").substr(0, RT_NAME_MAX - 1)); // as a board names it
    Item cancelled(log, "cancelled");
    ASSERT_EQ(rt_work_submit(&cancelled.work, RT_TICK_PER_SECOND), RT_EOK);
    EXPECT_EQ(rt_work_cancel(&cancelled.work), RT_EOK);
}

} // namespace
