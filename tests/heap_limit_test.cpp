// A board-sized heap: with a limit set (RT_HEAP_SIZE in Kconfig), rt_malloc, rt_calloc,
// rt_realloc and rt_malloc_align return RT_NULL past it as a board's heap does when exhausted,
// freeing makes room again, a refused rt_realloc keeps the old block, and the shell's free
// command shows the limit as the total.
// SPDX-License-Identifier: Apache-2.0
#include "shell_capture.h"

#include "rt/memory.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace test_support;
namespace rt = tcp_server::detail::rt;

namespace
{

constexpr rt_size_t kRoom = 64 * 1024;

class HeapLimit : public testing::Test
{
  protected:
    void SetUp() override
    {
        msh::register_builtins();
        rt_memory_info(nullptr, &held_before_, nullptr);
        limit_ = held_before_ + kRoom;
        rt::set_heap_limit(limit_);
    }
    void TearDown() override { rt::set_heap_limit(RT_HEAP_SIZE); }

    rt_size_t held_before_ = 0;
    rt_size_t limit_ = 0;
};

rt_size_t used_now()
{
    rt_size_t used = 0;
    rt_memory_info(nullptr, &used, nullptr);
    return used;
}

} // namespace

TEST_F(HeapLimit, MallocFailsPastItAndWorksAgainOnceFreed)
{
    std::vector<void *> blocks;
    void *block;
    while (blocks.size() < 1000 && (block = rt_malloc(1000)) != RT_NULL)
        blocks.push_back(block);
    EXPECT_GE(blocks.size(), 50u) << "the room was there";
    EXPECT_LE(blocks.size(), 65u) << "the limit held";
    EXPECT_LE(used_now(), limit_);
    EXPECT_EQ(rt_calloc(10, 100), nullptr);
    EXPECT_EQ(rt_malloc_align(1000, 64), nullptr);

    std::string out = run_captured("free");
    EXPECT_NE(out.find("total    : " + std::to_string(limit_) + "\n"), std::string::npos) << out;
    EXPECT_NE(out.find("used     : " + std::to_string(used_now()) + "\n"), std::string::npos)
        << out;

    rt_free(blocks.back());
    blocks.pop_back();
    block = rt_malloc(1000);
    EXPECT_NE(block, nullptr) << "freed room is there again";
    rt_free(block);
    for (void *held : blocks)
        rt_free(held);
    EXPECT_EQ(used_now(), held_before_);
}

TEST_F(HeapLimit, ARefusedReallocKeepsTheOldBlock)
{
    auto *text = static_cast<char *>(rt_malloc(16));
    ASSERT_NE(text, nullptr);
    std::strcpy(text, "still here");
    EXPECT_EQ(rt_realloc(text, 2 * kRoom), nullptr);
    EXPECT_STREQ(text, "still here");
    void *grown = rt_realloc(text, kRoom / 2);
    ASSERT_NE(grown, nullptr) << "within the limit it grows";
    EXPECT_STREQ(static_cast<char *>(grown), "still here");
    rt_free(grown);
    EXPECT_EQ(used_now(), held_before_);
}
