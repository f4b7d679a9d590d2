// A growable byte queue: append at the back, consume from the front, no allocation once warm.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

namespace tcp_server::detail
{

class Buffer
{
  public:
    std::size_t size() const noexcept { return end_ - begin_; }
    bool empty() const noexcept { return end_ == begin_; }
    const char *data() const noexcept { return storage_.data() + begin_; }

    void append(const char *bytes, std::size_t count)
    {
        if (count == 0)
            return; // storage_ may have no memory yet, and memcpy must not see a null pointer
        if (storage_.size() - end_ < count)
            make_room(count);
        std::memcpy(storage_.data() + end_, bytes, count);
        end_ += count;
    }

    void consume(std::size_t count) noexcept
    {
        begin_ += count;
        if (begin_ == end_)
            begin_ = end_ = 0;
    }

    /** The free room after the last byte, to read into directly (then commit()). */
    std::span<char> writable_tail() noexcept
    {
        return {storage_.data() + end_, storage_.size() - end_};
    }

    /** Counts `count` bytes written into writable_tail() as appended. */
    void commit(std::size_t count) noexcept { end_ += count; }

    /** Moves up to `capacity` bytes to `out`; returns how many. */
    std::size_t take(char *out, std::size_t capacity) noexcept
    {
        std::size_t count = capacity < size() ? capacity : size();
        std::memcpy(out, data(), count);
        consume(count);
        return count;
    }

    void clear() noexcept { begin_ = end_ = 0; }

  private:
    // Slide the unread bytes to the front first; grow only when that is not enough.
    void make_room(std::size_t count)
    {
        std::size_t unread = size();
        if (begin_ > 0)
        {
            std::memmove(storage_.data(), storage_.data() + begin_, unread);
            begin_ = 0;
            end_ = unread;
        }
        if (storage_.size() - end_ < count)
            storage_.resize(std::max(storage_.size() * 2, end_ + count));
    }

    std::vector<char> storage_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

} // namespace tcp_server::detail
