// The console's kernel commands show the application's own threads, IPC objects, timers and
// memory in RT-Thread's layout: a semaphore with a thread waiting on it is listed as
// "name value count:waiter".
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"
#include "shell_capture.h"

#include <gtest/gtest.h>

using namespace test_support;

namespace
{

std::string run(const std::string &line)
{
    return run_captured(line);
}

class KernelCommands : public testing::Test
{
  protected:
    void SetUp() override { msh::register_builtins(); }
};

} // namespace

TEST_F(KernelCommands, ListSemShowsValueAndWaiters)
{
    rt_sem_t sem = rt_sem_create("gate", 0, RT_IPC_FLAG_FIFO);
    struct rt_semaphore counted;
    rt_sem_init(&counted, "counted", 3, RT_IPC_FLAG_PRIO);
    RtJob waiter("waiter", 10, [&] { rt_sem_take(sem, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return waiting_on(RT_Object_Class_Semaphore, "gate") == 1; }));
    std::string out = run("list_sem");
    EXPECT_NE(out.find("semaphore v   suspend thread\n-------- --- --------------\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("\ngate     000 1:waiter\n"), std::string::npos) << out;
    EXPECT_NE(out.find("\ncounted  003 0\n"), std::string::npos) << out;
    rt_sem_release(sem);
    ASSERT_TRUE(waiter.finished());
    rt_sem_delete(sem);
    rt_sem_detach(&counted);
    EXPECT_EQ(run("list_sem").find("gate"), std::string::npos) << "deleted objects are gone";
}

TEST_F(KernelCommands, PsShowsThreadsWithPriorityAndState)
{
    RtJob job("napping", 17, [] { rt_thread_mdelay(300); });
    ASSERT_TRUE(eventually([] { return suspended("napping"); }));
    std::string out = run("ps");
    EXPECT_EQ(out.find("thread   pri  status      sp     stack size max used left tick  error      "
                       "peak      asked\n"
                       "-------- ---  ------- ---------- ----------  ------  ---------- ------- "
                       "---------- ----------\n"),
              0u)
        << out;
    EXPECT_NE(out.find("\nnapping   17  suspend 0x"), std::string::npos) << out;
    std::string listed = run("list_thread");
    EXPECT_NE(listed.find("\nnapping   17  suspend 0x"), std::string::npos) << "list_thread is ps";
    ASSERT_TRUE(job.finished());
}

TEST_F(KernelCommands, ListsOfTheOtherObjects)
{
    rt_mutex_t mutex = rt_mutex_create("lock", RT_IPC_FLAG_PRIO);
    rt_mutex_take(mutex, RT_WAITING_FOREVER);
    rt_event_t event = rt_event_create("flags", RT_IPC_FLAG_FIFO);
    rt_event_send(event, 0x21);
    rt_mailbox_t mb = rt_mb_create("mails", 8, RT_IPC_FLAG_FIFO);
    rt_mb_send(mb, 1);
    rt_mq_t mq = rt_mq_create("queue", 16, 4, RT_IPC_FLAG_FIFO);
    rt_mq_send(mq, "x", 1);
    rt_mp_t mp = rt_mp_create("blocks", 4, 32);
    void *block = rt_mp_alloc(mp, 0);
    rt_timer_t timer = rt_timer_create(
        "tmo", [](void *) {}, RT_NULL, 0x64, RT_TIMER_FLAG_PERIODIC);
    rt_thread_t self = rt_thread_self();
    std::string me(self->name, strnlen(self->name, RT_NAME_MAX));

    std::string out = run("list_mutex");
    EXPECT_NE(out.find("\nlock     " + me), std::string::npos) << out;
    EXPECT_NE(out.find(" 0001 0\n"), std::string::npos) << out;
    EXPECT_NE(run("list_event").find("\nflags     0x00000021 0\n"), std::string::npos);
    EXPECT_NE(run("list_mailbox").find("\nmails    0001  0008 0\n"), std::string::npos);
    EXPECT_NE(run("list_msgqueue").find("\nqueue    0001  0\n"), std::string::npos);
    EXPECT_NE(run("list_mempool").find("\nblocks   0032  0004  0003 0\n"), std::string::npos);
    out = run("list_timer");
    EXPECT_NE(out.find("\ntmo      0x00000064 0x00000000 deactivated\n"), std::string::npos) << out;
    EXPECT_NE(out.find("current tick:0x"), std::string::npos);
    out = run("free");
    EXPECT_NE(out.find("total    : "), std::string::npos) << out;
    EXPECT_NE(out.find("\nused     : "), std::string::npos);
    EXPECT_NE(out.find("\nmaximum  : "), std::string::npos);
    EXPECT_NE(out.find("\navailable: "), std::string::npos);

    rt_mp_free(block);
    rt_timer_delete(timer);
    rt_mp_delete(mp);
    rt_mq_delete(mq);
    rt_mb_delete(mb);
    rt_event_delete(event);
    rt_mutex_release(mutex);
    rt_mutex_delete(mutex);
}
