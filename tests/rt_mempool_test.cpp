// RT-Thread memory pools: distinct aligned blocks until the pool is empty, then rt_mp_alloc
// waits for a block to be freed or times out; a block freed twice is not handed out twice;
// deleting a pool wakes its waiters, who get RT_NULL.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <set>

using namespace test_support;

TEST(RtMempool, BlocksAreDistinctAndAlignedUntilThePoolIsEmpty)
{
    struct rt_mempool mp;
    alignas(8) static rt_uint8_t area[4 * (24 + sizeof(void *))];
    ASSERT_EQ(rt_mp_init(&mp, "static", area, sizeof area, 20), RT_EOK);
    EXPECT_EQ(mp.block_size, 24u) << "20 rounded up to RT_ALIGN_SIZE";
    EXPECT_EQ(mp.block_total_count, 4u);
    std::set<void *> blocks;
    for (int i = 0; i < 4; ++i)
    {
        void *block = rt_mp_alloc(&mp, RT_WAITING_NO);
        ASSERT_NE(block, nullptr);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % RT_ALIGN_SIZE, 0u);
        blocks.insert(block);
    }
    EXPECT_EQ(blocks.size(), 4u);
    EXPECT_EQ(rt_mp_alloc(&mp, RT_WAITING_NO), nullptr);
    for (void *block : blocks)
        rt_mp_free(block);
    EXPECT_EQ(mp.block_free_count, 4u);
    EXPECT_EQ(rt_mp_detach(&mp), RT_EOK);
}

TEST(RtMempool, AllocWaitsForAFreedBlockOrTimesOut)
{
    rt_mp_t mp = rt_mp_create("wait", 1, 64);
    ASSERT_NE(mp, nullptr);
    void *only = rt_mp_alloc(mp, RT_WAITING_FOREVER);
    ASSERT_NE(only, nullptr);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(rt_mp_alloc(mp, rt_tick_from_millisecond(100)), nullptr);
    EXPECT_GE(elapsed_ms(start), 100);
    std::atomic<void *> got{nullptr};
    RtJob waiter("w", 10, [&] { got = rt_mp_alloc(mp, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([&] { return suspended("w"); }));
    rt_mp_free(only);
    ASSERT_TRUE(waiter.finished());
    EXPECT_EQ(got.load(), only);
    rt_mp_free(got.load());
    rt_mp_delete(mp);
}

TEST(RtMempool, ABlockFreedTwiceIsHandedOutOnce)
{
    rt_mp_t mp = rt_mp_create("twice", 2, 16);
    void *block = rt_mp_alloc(mp, 0);
    rt_mp_free(block);
    rt_mp_free(block);
    void *first = rt_mp_alloc(mp, 0);
    void *second = rt_mp_alloc(mp, 0);
    EXPECT_NE(first, second);
    EXPECT_EQ(rt_mp_alloc(mp, 0), nullptr) << "two blocks, not three";
    rt_mp_free(first);
    rt_mp_free(second);
    rt_mp_delete(mp);
}

TEST(RtMempool, DeleteWakesWaitersWithNothing)
{
    rt_mp_t mp = rt_mp_create("doomed", 1, 16);
    void *only = rt_mp_alloc(mp, 0);
    ASSERT_NE(only, nullptr);
    std::atomic<bool> returned_null{false};
    RtJob waiter("w", 10, [&] { returned_null = rt_mp_alloc(mp, RT_WAITING_FOREVER) == RT_NULL; });
    ASSERT_TRUE(eventually([&] { return suspended("w"); }));
    EXPECT_EQ(rt_mp_delete(mp), RT_EOK);
    ASSERT_TRUE(waiter.finished());
    EXPECT_TRUE(returned_null.load());
}
