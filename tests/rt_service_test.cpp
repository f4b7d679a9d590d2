// rtservice.h's lists and slists used from C, rtdef.h's alignment and attributes, and the
// kernel services: string helpers, error names, the heap's accounting and the boot banner.
// SPDX-License-Identifier: Apache-2.0
#include <rtthread.h>

#include <gtest/gtest.h>

#include <string>

extern "C"
{
int list_walk(void);
int slist_walk(void);
int alignments(void);
int weak_answer(void);
}

TEST(RtService, ListsWorkFromC)
{
    EXPECT_EQ(list_walk(), 42) << "1 + 3 left, length 2";
    EXPECT_EQ(slist_walk(), 321) << "3 2 after the pop, then length 1 after removing 2";
}

TEST(RtService, AlignmentAndAttributes)
{
    EXPECT_EQ(alignments(), 1612);
    EXPECT_EQ(weak_answer(), 42);
}

TEST(RtService, StringHelpers)
{
    char *copy = rt_strdup("board");
    ASSERT_NE(copy, nullptr);
    EXPECT_STREQ(copy, "board");
    rt_free(copy);
    EXPECT_EQ(rt_strnlen("abcdef", 4), 4u);
    EXPECT_STREQ(rt_strstr("GET /status HTTP/1.1", "/status"), "/status HTTP/1.1");
    EXPECT_EQ(rt_strstr("abc", "x"), nullptr);
    EXPECT_EQ(rt_strcasecmp("Content-Length", "content-length"), 0);
    char buffer[32];
    rt_sprintf(buffer, "%d-%s", 7, "x");
    EXPECT_STREQ(buffer, "7-x");
    EXPECT_STREQ(rt_strerror(-RT_ETIMEOUT), "ETIMOUT");
    EXPECT_STREQ(rt_strerror(RT_EOK), "OK");
}

TEST(RtService, HeapAccountingFollowsRtMalloc)
{
    rt_size_t total = 0, used_before = 0, peak = 0, used = 0;
    rt_memory_info(&total, &used_before, &peak);
    void *block = rt_malloc(100000);
    ASSERT_NE(block, nullptr);
    rt_memory_info(&total, &used, &peak);
    EXPECT_GE(used, used_before + 100000);
    EXPECT_GE(peak, used);
    EXPECT_GE(total, 100000u);
    block = rt_realloc(block, 200000);
    rt_memory_info(&total, &used, &peak);
    EXPECT_GE(used, used_before + 200000);
    rt_free(block);
    rt_memory_info(&total, &used, &peak);
    EXPECT_EQ(used, used_before);
    EXPECT_GE(peak, used_before + 200000) << "the peak stays";
    void *aligned = rt_malloc_align(100, 64);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(aligned) % 64, 0u);
    rt_free_align(aligned);
}

TEST(RtService, BannerIsTheBoards)
{
    testing::internal::CaptureStdout();
    rt_show_version();
    std::string banner = testing::internal::GetCapturedStdout();
    EXPECT_NE(banner.find(" \\ | /\n- RT -     Thread Operating System\n / | \\     "),
              std::string::npos)
        << banner;
    EXPECT_NE(
        banner.find(std::to_string(RT_VERSION_MAJOR) + "." + std::to_string(RT_VERSION_MINOR)),
        std::string::npos);
    EXPECT_EQ(RTTHREAD_VERSION,
              RT_VERSION_CHECK(RT_VERSION_MAJOR, RT_VERSION_MINOR, RT_VERSION_PATCH));
}
