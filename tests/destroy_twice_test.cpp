// A server pointer that is not a live server -- destroyed already, or never a server -- is
// refused with -RT_EINVAL by every call, at once: destroy twice (the package's own sample does
// it when tcpserver_stop is typed twice) returns -RT_EINVAL instead of hanging or reading freed
// memory.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"
#include "c_server.h"

#include <gtest/gtest.h>

TEST(DestroyTwice, TheSecondDestroyIsRefused)
{
    struct tcpserver *server = tcpserver_create(test_support::server_ip(), 0);
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(tcpserver_destroy(server), RT_EOK);
    EXPECT_EQ(tcpserver_destroy(server), -RT_EINVAL);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
}

TEST(DestroyTwice, EveryCallRefusesADestroyedServer)
{
    struct tcpserver *server = tcpserver_create(test_support::server_ip(), 0);
    ASSERT_NE(server, nullptr);
    ASSERT_EQ(tcpserver_destroy(server), RT_EOK);
    EXPECT_EQ(tcpserver_accept(server, RT_WAITING_FOREVER), nullptr) << "it would wait forever";
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
    struct tcpserver_stats stats;
    EXPECT_EQ(tcpserver_get_stats(server, &stats), -RT_EINVAL);
    rt_set_errno(RT_EOK);
    tcpserver_set_notify_callback(server, nullptr);
    EXPECT_EQ(rt_get_errno(), -RT_EINVAL);
}

TEST(DestroyTwice, APointerThatWasNeverAServerIsRefused)
{
    struct tcpserver fake = {};
    EXPECT_EQ(tcpserver_destroy(&fake), -RT_EINVAL);
    EXPECT_EQ(tcpserver_accept(&fake, RT_WAITING_NO), nullptr);
    struct tcpserver_stats stats;
    EXPECT_EQ(tcpserver_get_stats(&fake, &stats), -RT_EINVAL);
}
