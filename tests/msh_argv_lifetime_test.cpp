// A command's argv stays valid, unchanged, until the shell executes the next line: a thread the
// command started may read argv[1] after the command returned, as board code does.
// SPDX-License-Identifier: Apache-2.0
#include "console.h"
#include "msh_core.h"

#include <rtthread.h>

#include <gtest/gtest.h>

#include <set>
#include <string>

extern "C"
{
extern struct rt_semaphore argv_go;
extern struct rt_semaphore argv_read;
extern char argv_seen[32];
}

TEST(MshArgvLifetime, AThreadReadsArgvAfterTheCommandReturned)
{
    rt_sem_init(&argv_go, "go", 0, RT_IPC_FLAG_FIFO);
    rt_sem_init(&argv_read, "read", 0, RT_IPC_FLAG_FIFO);
    console::install(false);
    ASSERT_EQ(msh::execute("read_later a-rather-long-argument-no-sso; read_later second"), 0);
    // Both commands have returned; their threads read now.
    rt_sem_release(&argv_go);
    ASSERT_EQ(rt_sem_take(&argv_read, rt_tick_from_millisecond(10000)), RT_EOK);
    std::string first = argv_seen;
    rt_sem_release(&argv_go);
    ASSERT_EQ(rt_sem_take(&argv_read, rt_tick_from_millisecond(10000)), RT_EOK);
    std::string second = argv_seen;
    console::uninstall();
    // The two readers may take turns in either order.
    std::set<std::string> seen{first, second};
    EXPECT_EQ(seen, (std::set<std::string>{"a-rather-long-argument-no-sso", "second"}));
    rt_sem_detach(&argv_go);
    rt_sem_detach(&argv_read);
}
