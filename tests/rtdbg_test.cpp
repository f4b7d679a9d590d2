// The rtdbg stand-in prints "[tick] L/tag: message" lines as on a board's console, honours
// DBG_LVL at compile time and rt_dbg_set_level() at run time.
// SPDX-License-Identifier: Apache-2.0
#define DBG_TAG "unit"
#define DBG_LVL DBG_INFO
#include <rtdbg.h>

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

namespace
{
// True if `line` is "[<digits>] <expected>".
bool is_log_line(const std::string &line, const std::string &expected)
{
    std::size_t close = line.find("] ");
    if (line.empty() || line[0] != '[' || close == std::string::npos || close < 2)
        return false;
    for (std::size_t i = 1; i < close; ++i)
        if (line[i] < '0' || line[i] > '9')
            return false;
    return line.substr(close + 2) == expected;
}
} // namespace

TEST(Rtdbg, PrintsTickLevelTagAndMessage)
{
    testing::internal::CaptureStdout();
    LOG_I("client connect:%d", 5);
    LOG_W("warned");
    LOG_E("failed %s", "badly");
    LOG_D("compiled out at DBG_INFO");
    std::string console = testing::internal::GetCapturedStdout();
    std::istringstream lines(console);
    std::string line;
    for (const char *expected :
         {"I/unit: client connect:5", "W/unit: warned", "E/unit: failed badly"})
    {
        ASSERT_TRUE(std::getline(lines, line)) << console;
        EXPECT_TRUE(is_log_line(line, expected)) << line;
    }
    EXPECT_FALSE(std::getline(lines, line)) << console;
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
