// The rtdbg stand-in prints "[tick] L/tag: message" lines as on a board's console, honours
// DBG_LVL at compile time and rt_dbg_set_level() at run time.
// SPDX-License-Identifier: Apache-2.0
#define DBG_TAG "unit"
#define DBG_LVL DBG_INFO
#include <rtdbg.h>

#include <gtest/gtest.h>

#include <regex>
#include <thread>

TEST(Rtdbg, PrintsTickLevelTagAndMessage)
{
    testing::internal::CaptureStdout();
    LOG_I("client connect:%d", 5);
    LOG_W("warned");
    LOG_E("failed %s", "badly");
    LOG_D("compiled out at DBG_INFO");
    std::string console = testing::internal::GetCapturedStdout();
    EXPECT_TRUE(std::regex_match(console, std::regex("\\[\\d+\\] I/unit: client connect:5\n"
                                                     "\\[\\d+\\] W/unit: warned\n"
                                                     "\\[\\d+\\] E/unit: failed badly\n")))
        << console;
}

TEST(Rtdbg, RunTimeLevelDropsLowerLines)
{
    rt_dbg_set_level(DBG_WARNING);
    testing::internal::CaptureStdout();
    LOG_I("dropped");
    LOG_W("kept");
    std::string console = testing::internal::GetCapturedStdout();
    rt_dbg_set_level(DBG_LOG);
    EXPECT_EQ(console.find("dropped"), std::string::npos);
    EXPECT_NE(console.find("W/unit: kept"), std::string::npos);
}

TEST(Rtdbg, TicksAreMilliseconds)
{
    rt_tick_t start = rt_tick_get();
    rt_thread_mdelay(50);
    EXPECT_GE(rt_tick_get() - start, 50u);
    EXPECT_EQ(RT_TICK_PER_SECOND, 1000);
    EXPECT_EQ(rt_tick_from_millisecond(250), 250u);
}

TEST(Rtdbg, ErrnoIsPerThread)
{
    rt_set_errno(-RT_ETIMEOUT);
    rt_err_t other = 1;
    std::thread([&] { other = rt_get_errno(); }).join();
    EXPECT_EQ(other, RT_EOK);
    EXPECT_EQ(rt_get_errno(), -RT_ETIMEOUT);
}
