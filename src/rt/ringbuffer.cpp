// Ring buffers (rtdevice.h): bytes in a pool the caller gives, read in the order written. The
// read and write indexes each carry a mirror bit that flips whenever the index wraps, so equal
// indexes tell empty (same mirror) from full (different mirrors) without a spare byte. No
// lock and no waiting, as on a board: callers that share one serialise it themselves.
// SPDX-License-Identifier: Apache-2.0
#include <rtdevice.h>

#include <algorithm>
#include <cstring>

namespace
{

enum rt_ringbuffer_state state_of(const rt_ringbuffer *rb)
{
    if (rb->read_index != rb->write_index)
        return RT_RINGBUFFER_HALFFULL;
    return rb->read_mirror == rb->write_mirror ? RT_RINGBUFFER_EMPTY : RT_RINGBUFFER_FULL;
}

rt_uint32_t size_of(const rt_ringbuffer *rb)
{
    return static_cast<rt_uint32_t>(rb->buffer_size);
}

// Copies `length` bytes in at the write index (there is room), wrapping once if need be.
void write_in(rt_ringbuffer *rb, const rt_uint8_t *bytes, rt_uint32_t length)
{
    rt_uint32_t to_end = size_of(rb) - rb->write_index;
    if (length < to_end)
    {
        std::memcpy(rb->buffer_ptr + rb->write_index, bytes, length);
        rb->write_index += length;
        return;
    }
    std::memcpy(rb->buffer_ptr + rb->write_index, bytes, to_end);
    std::memcpy(rb->buffer_ptr, bytes + to_end, length - to_end);
    rb->write_mirror ^= 1u;
    rb->write_index = length - to_end;
}

// After a write of `written` bytes into `room_before` free ones: if it went over unread bytes,
// the buffer is full and its oldest byte is the one after the newest.
void drop_overwritten(rt_ringbuffer *rb, rt_uint32_t written, rt_uint32_t room_before)
{
    if (written <= room_before)
        return;
    rb->read_index = rb->write_index;
    rb->read_mirror = rb->write_mirror ^ 1u;
}

} // namespace

extern "C"
{

void rt_ringbuffer_init(struct rt_ringbuffer *rb, rt_uint8_t *pool, rt_int32_t size)
{
    if (!rb)
        return;
    rb->buffer_ptr = pool;
    rb->buffer_size = pool && size > 0 ? RT_ALIGN_DOWN(size, RT_ALIGN_SIZE) : 0;
    rt_ringbuffer_reset(rb);
}

void rt_ringbuffer_reset(struct rt_ringbuffer *rb)
{
    if (!rb)
        return;
    rb->read_mirror = 0;
    rb->read_index = 0;
    rb->write_mirror = 0;
    rb->write_index = 0;
}

rt_size_t rt_ringbuffer_data_len(struct rt_ringbuffer *rb)
{
    if (!rb)
        return 0;
    switch (state_of(rb))
    {
    case RT_RINGBUFFER_EMPTY:
        return 0;
    case RT_RINGBUFFER_FULL:
        return size_of(rb);
    default:
        return rb->write_index > rb->read_index ? rb->write_index - rb->read_index
                                                : size_of(rb) - (rb->read_index - rb->write_index);
    }
}

rt_size_t rt_ringbuffer_put(struct rt_ringbuffer *rb, const rt_uint8_t *ptr, rt_uint32_t length)
{
    if (!rb || (!ptr && length))
        return 0;
    length = std::min<rt_uint32_t>(length, size_of(rb) - rt_ringbuffer_data_len(rb));
    write_in(rb, ptr, length);
    return length;
}

rt_size_t rt_ringbuffer_put_force(struct rt_ringbuffer *rb, const rt_uint8_t *ptr,
                                  rt_uint32_t length)
{
    if (!rb || (!ptr && length) || size_of(rb) == 0)
        return 0;
    // More than fits: only the newest buffer_size bytes can be kept.
    if (length > size_of(rb))
    {
        ptr += length - size_of(rb);
        length = size_of(rb);
    }
    rt_uint32_t room = size_of(rb) - static_cast<rt_uint32_t>(rt_ringbuffer_data_len(rb));
    write_in(rb, ptr, length);
    drop_overwritten(rb, length, room);
    return length;
}

rt_size_t rt_ringbuffer_putchar(struct rt_ringbuffer *rb, const rt_uint8_t ch)
{
    return rt_ringbuffer_put(rb, &ch, 1);
}

rt_size_t rt_ringbuffer_putchar_force(struct rt_ringbuffer *rb, const rt_uint8_t ch)
{
    return rt_ringbuffer_put_force(rb, &ch, 1);
}

rt_size_t rt_ringbuffer_get(struct rt_ringbuffer *rb, rt_uint8_t *ptr, rt_uint32_t length)
{
    if (!rb || (!ptr && length))
        return 0;
    length = std::min<rt_uint32_t>(length, static_cast<rt_uint32_t>(rt_ringbuffer_data_len(rb)));
    rt_uint32_t to_end = size_of(rb) - rb->read_index;
    if (length < to_end)
    {
        std::memcpy(ptr, rb->buffer_ptr + rb->read_index, length);
        rb->read_index += length;
        return length;
    }
    std::memcpy(ptr, rb->buffer_ptr + rb->read_index, to_end);
    std::memcpy(ptr + to_end, rb->buffer_ptr, length - to_end);
    rb->read_mirror ^= 1u;
    rb->read_index = length - to_end;
    return length;
}

rt_size_t rt_ringbuffer_peek(struct rt_ringbuffer *rb, rt_uint8_t **ptr)
{
    if (!rb || !ptr)
        return 0;
    *ptr = RT_NULL;
    rt_uint32_t size = static_cast<rt_uint32_t>(rt_ringbuffer_data_len(rb));
    if (size == 0)
        return 0;
    // The bytes up to the end of the pool at most, taken as read (RT-Thread's peek consumes).
    *ptr = rb->buffer_ptr + rb->read_index;
    rt_uint32_t to_end = size_of(rb) - rb->read_index;
    if (size < to_end)
    {
        rb->read_index += size;
        return size;
    }
    rb->read_mirror ^= 1u;
    rb->read_index = 0;
    return to_end;
}

rt_size_t rt_ringbuffer_getchar(struct rt_ringbuffer *rb, rt_uint8_t *ch)
{
    return rt_ringbuffer_get(rb, ch, 1);
}

struct rt_ringbuffer *rt_ringbuffer_create(rt_uint32_t length)
{
    length = RT_ALIGN_DOWN(length, RT_ALIGN_SIZE);
    if (length == 0 || length > 0x7fffffffu)
        return RT_NULL;
    auto *rb = static_cast<rt_ringbuffer *>(rt_malloc(sizeof(rt_ringbuffer)));
    auto *pool = static_cast<rt_uint8_t *>(rt_malloc(length));
    if (!rb || !pool)
    {
        rt_free(rb);
        rt_free(pool);
        return RT_NULL;
    }
    rt_ringbuffer_init(rb, pool, static_cast<rt_int32_t>(length));
    return rb;
}

void rt_ringbuffer_destroy(struct rt_ringbuffer *rb)
{
    if (!rb)
        return;
    rt_free(rb->buffer_ptr);
    rt_free(rb);
}

} // extern "C"
