// ulog as applications use it: ulog's line format for every level, the file's LOG_TAG and
// LOG_LVL (or rtdbg's DBG_TAG and DBG_LVL), LOG_RAW, LOG_HEX's dump, the level, tag and
// keyword filters, and msh's log level holding ulog's lines as it holds rtdbg's.
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <rtdbg.h>
#include <ulog.h>

#include <cctype>
#include <string>

extern "C" {
void ulog_calls_every_level(void);
void ulog_calls_tagged(void);
void ulog_calls_hex(void);
void ulog_calls_quiet(void);
}

namespace
{

template <typename Calls> std::string captured(Calls calls)
{
    testing::internal::CaptureStdout();
    calls();
    return testing::internal::GetCapturedStdout();
}

// Lines with the tick replaced by T, for comparing.
std::string without_ticks(const std::string &text)
{
    std::string out;
    for (std::size_t at = 0; at < text.size();)
    {
        std::size_t digits_end = at + 1;
        while (digits_end < text.size() && std::isdigit(static_cast<unsigned char>(text[digits_end])))
            ++digits_end;
        const bool tick = text[at] == '[' && digits_end > at + 1 &&
                          text.compare(digits_end, 2, "] ") == 0;
        if (tick)
        {
            out += "[T] ";
            at = digits_end + 2;
        }
        else
            out += text[at++];
    }
    return out;
}

class Ulog : public testing::Test
{
  protected:
    void TearDown() override
    {
        ulog_global_filter_lvl_set(LOG_FILTER_LVL_ALL);
        ulog_tag_lvl_filter_set("app", LOG_FILTER_LVL_ALL);
        ulog_global_filter_tag_set("");
        ulog_global_filter_kw_set("");
        rt_dbg_set_level(3);
    }
};

} // namespace

TEST_F(Ulog, EveryLevelPrintsUlogsLineUnderTheFilesTag)
{
    EXPECT_EQ(without_ticks(captured(ulog_calls_every_level)), "[T] E/app: error 1\n"
                                                                "[T] W/app: warning two\n"
                                                                "[T] I/app: info\n"
                                                                "[T] D/app: debug\n"
                                                                "raw 5|");
    EXPECT_EQ(without_ticks(captured(ulog_calls_tagged)), "[T] E/net: down\n[T] I/net: up\n");
}

TEST_F(Ulog, AFilesLogLvlCompilesOutWhatIsBelowIt)
{
    EXPECT_EQ(without_ticks(captured(ulog_calls_quiet)), "[T] W/quiet: kept\n");
}

TEST_F(Ulog, LogHexDumpsSixteenBytesToALine)
{
    EXPECT_EQ(without_ticks(captured(ulog_calls_hex)),
              "[T] D/frame: 0000-0010: 41 42 43 44 45 46 47 48  49 4A 4B 4C 4D 4E 4F 50    "
              "ABCDEFGHIJKLMNOP\n"
              "[T] D/frame: 0010-0014: 01 02 7F 00                                         "
              "....\n");
}

TEST_F(Ulog, LevelTagAndKeywordFiltersDropLines)
{
    ulog_global_filter_lvl_set(LOG_LVL_WARNING);
    EXPECT_EQ(without_ticks(captured(ulog_calls_tagged)), "[T] E/net: down\n");
    ulog_global_filter_lvl_set(LOG_FILTER_LVL_ALL);

    ASSERT_EQ(ulog_tag_lvl_filter_set("app", LOG_LVL_ERROR), RT_EOK);
    EXPECT_EQ(ulog_tag_lvl_filter_get("app"), static_cast<rt_uint32_t>(LOG_LVL_ERROR));
    EXPECT_EQ(without_ticks(captured(ulog_calls_every_level)), "[T] E/app: error 1\nraw 5|");
    ASSERT_EQ(ulog_tag_lvl_filter_set("app", LOG_FILTER_LVL_ALL), RT_EOK);
    EXPECT_EQ(ulog_tag_lvl_filter_set("", LOG_LVL_ERROR), -RT_EINVAL);

    ulog_global_filter_tag_set("ne");
    EXPECT_EQ(without_ticks(captured(ulog_calls_tagged)), "[T] E/net: down\n[T] I/net: up\n");
    EXPECT_EQ(captured(ulog_calls_quiet), "");
    ulog_global_filter_tag_set("");

    ulog_global_filter_kw_set("up");
    EXPECT_EQ(without_ticks(captured(ulog_calls_tagged)), "[T] I/net: up\n");
}

TEST_F(Ulog, TheShellsLogLevelHoldsUlogsLinesAsRtdbgs)
{
    rt_dbg_set_level(1); // msh -q: warnings and errors
    EXPECT_EQ(without_ticks(captured(ulog_calls_tagged)), "[T] E/net: down\n");
}
