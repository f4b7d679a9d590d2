// Ring buffers keep bytes in order across the pool's end, tell full from empty, take what fits
// (put) or overwrite the oldest (put_force), and peek takes the unread bytes up to the pool's
// end; completions hand one thread's done to one waiter, keep a done that came first, time out,
// and refuse a second waiter.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"
#include "rt_threads.h"

#include <rtdevice.h>

#include <gtest/gtest.h>

#include <atomic>
#include <string>

using namespace test_support;

namespace
{

std::string take(rt_ringbuffer &rb, rt_uint32_t length)
{
    std::string out(length, '\0');
    out.resize(rt_ringbuffer_get(&rb, reinterpret_cast<rt_uint8_t *>(out.data()), length));
    return out;
}

rt_size_t put(rt_ringbuffer &rb, const std::string &bytes, bool force = false)
{
    auto *data = reinterpret_cast<const rt_uint8_t *>(bytes.data());
    auto length = static_cast<rt_uint32_t>(bytes.size());
    return force ? rt_ringbuffer_put_force(&rb, data, length)
                 : rt_ringbuffer_put(&rb, data, length);
}

} // namespace

TEST(RtRingbuffer, BytesKeepTheirOrderAcrossThePoolsEnd)
{
    rt_uint8_t pool[18];
    rt_ringbuffer rb;
    rt_ringbuffer_init(&rb, pool, sizeof pool);
    EXPECT_EQ(rt_ringbuffer_get_size(&rb), RT_ALIGN_DOWN(18u, RT_ALIGN_SIZE)) << "rounded down";
    ASSERT_EQ(rt_ringbuffer_get_size(&rb), 16u);
    EXPECT_EQ(rt_ringbuffer_data_len(&rb), 0u);
    EXPECT_EQ(put(rb, "abcdefghij"), 10u);
    EXPECT_EQ(take(rb, 6), "abcdef");
    EXPECT_EQ(put(rb, "klmnopqrstuvwxyz"), 12u) << "only what fits";
    EXPECT_EQ(rt_ringbuffer_data_len(&rb), 16u);
    EXPECT_EQ(rt_ringbuffer_space_len(&rb), 0);
    EXPECT_EQ(rt_ringbuffer_putchar(&rb, '!'), 0u) << "full";
    EXPECT_EQ(take(rb, 100), "ghijklmnopqrstuv");
    EXPECT_EQ(rt_ringbuffer_data_len(&rb), 0u) << "empty again, the indexes equal";
    rt_uint8_t ch = 0;
    EXPECT_EQ(rt_ringbuffer_getchar(&rb, &ch), 0u);
    EXPECT_EQ(rt_ringbuffer_putchar(&rb, 'Z'), 1u);
    EXPECT_EQ(rt_ringbuffer_getchar(&rb, &ch), 1u);
    EXPECT_EQ(ch, 'Z');
}

TEST(RtRingbuffer, PutForceOverwritesTheOldestBytes)
{
    rt_uint8_t pool[8];
    rt_ringbuffer rb;
    rt_ringbuffer_init(&rb, pool, sizeof pool);
    EXPECT_EQ(put(rb, "abcdef"), 6u);
    EXPECT_EQ(put(rb, "ghij", true), 4u);
    EXPECT_EQ(rt_ringbuffer_data_len(&rb), 8u);
    EXPECT_EQ(take(rb, 100), "cdefghij");
    EXPECT_EQ(put(rb, "0123456789AB", true), 8u) << "longer than the pool: its newest bytes";
    EXPECT_EQ(take(rb, 100), "456789AB");
    EXPECT_EQ(put(rb, "xyz"), 3u);
    EXPECT_EQ(rt_ringbuffer_putchar_force(&rb, 'w'), 1u);
    EXPECT_EQ(take(rb, 100), "xyzw");
}

TEST(RtRingbuffer, PeekTakesTheUnreadBytesUpToThePoolsEnd)
{
    rt_uint8_t pool[8];
    rt_ringbuffer rb;
    rt_ringbuffer_init(&rb, pool, sizeof pool);
    rt_uint8_t *at = nullptr;
    EXPECT_EQ(rt_ringbuffer_peek(&rb, &at), 0u);
    EXPECT_EQ(at, nullptr);
    put(rb, "abcdef");
    take(rb, 4);
    put(rb, "ghijk"); // "ef" at 4-5, "gh" at 6-7, "ijk" wrapped to 0-2
    ASSERT_EQ(rt_ringbuffer_peek(&rb, &at), 4u);
    EXPECT_EQ(std::string(reinterpret_cast<char *>(at), 4), "efgh");
    ASSERT_EQ(rt_ringbuffer_peek(&rb, &at), 3u);
    EXPECT_EQ(std::string(reinterpret_cast<char *>(at), 3), "ijk");
    EXPECT_EQ(rt_ringbuffer_data_len(&rb), 0u);
}

TEST(RtRingbuffer, CreateAndDestroyOwnTheirPool)
{
    rt_ringbuffer *rb = rt_ringbuffer_create(64);
    ASSERT_NE(rb, nullptr);
    EXPECT_EQ(rt_ringbuffer_get_size(rb), 64u);
    EXPECT_EQ(put(*rb, std::string(100, 'x')), 64u);
    rt_ringbuffer_reset(rb);
    EXPECT_EQ(rt_ringbuffer_data_len(rb), 0u);
    rt_ringbuffer_destroy(rb);
    EXPECT_EQ(rt_ringbuffer_create(0), nullptr);
}

TEST(RtCompletion, ADoneWakesTheWaiterAndADoneBeforeTheWaitIsKept)
{
    rt_completion done;
    rt_completion_init(&done);
    std::atomic<rt_err_t> result{1};
    RtJob waiter("waiter", 10, [&] { result = rt_completion_wait(&done, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([] { return suspended("waiter"); }));
    EXPECT_EQ(result.load(), 1) << "returned before the done";
    rt_completion_done(&done);
    ASSERT_TRUE(waiter.finished());
    EXPECT_EQ(result.load(), RT_EOK);
    rt_completion_done(&done);
    EXPECT_EQ(rt_completion_wait(&done, 0), RT_EOK) << "kept for the next wait";
    EXPECT_EQ(rt_completion_wait(&done, 0), -RT_ETIMEOUT) << "taken by that wait";
}

TEST(RtCompletion, AWaitTimesOutAndASecondWaiterIsRefused)
{
    rt_completion done;
    rt_completion_init(&done);
    EXPECT_EQ(rt_completion_wait(&done, 1), -RT_ETIMEOUT);
    std::atomic<rt_err_t> first{1};
    RtJob waiter("first", 10, [&] { first = rt_completion_wait(&done, RT_WAITING_FOREVER); });
    ASSERT_TRUE(eventually([] { return suspended("first"); }));
    // Bounded, so that a completion taking a second waiter fails here instead of hanging.
    EXPECT_EQ(rt_completion_wait(&done, rt_tick_from_millisecond(1000)), -RT_EBUSY);
    rt_completion_done(&done);
    ASSERT_TRUE(waiter.finished());
    EXPECT_EQ(first.load(), RT_EOK);
}
