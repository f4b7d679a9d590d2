// The poll() backend. Entries stay packed: removing one moves the last into its slot.
// SPDX-License-Identifier: Apache-2.0
#include "poller/poll_poller.h"

#include "util/errc.h"

#include <cerrno>

namespace tcp_server::detail
{

namespace
{

// poll() reports hang-ups and errors even for an entry that asks for nothing, which would wake
// the worker again and again for a client whose reading is paused. An entry watching nothing
// therefore carries its descriptor negated (~fd), which poll() skips.
pollfd make_entry(int fd, unsigned interest)
{
    short events = static_cast<short>(((interest & kReadable) ? POLLIN : 0) |
                                      ((interest & kWritable) ? POLLOUT : 0) |
                                      ((interest & kHangup) ? POLLRDHUP : 0));
    return {interest ? fd : ~fd, events, 0};
}

int real_fd(const pollfd &entry)
{
    return entry.fd < 0 ? ~entry.fd : entry.fd;
}

} // namespace

Errc PollPoller::add(int fd, unsigned interest)
{
    if (slot_of_.size() <= static_cast<std::size_t>(fd))
        slot_of_.resize(fd + 1, -1);
    entries_.push_back(make_entry(fd, interest)); // the only step that can throw, so first
    slot_of_[fd] = static_cast<int>(entries_.size()) - 1;
    return Errc::ok;
}

Errc PollPoller::modify(int fd, unsigned interest)
{
    entries_[slot_of_[fd]] = make_entry(fd, interest);
    return Errc::ok;
}

void PollPoller::remove(int fd)
{
    int slot = slot_of_[fd];
    entries_[slot] = entries_.back();
    slot_of_[real_fd(entries_[slot])] = slot;
    entries_.pop_back();
    slot_of_[fd] = -1;
}

Errc PollPoller::wait(int timeout_ms, std::vector<FiredEvent> &fired)
{
    fired.clear();
    int n = call_(entries_.data(), entries_.size(), timeout_ms);
    if (n < 0)
        return errno == EINTR ? Errc::ok : errc_from_errno(errno);
    for (const pollfd &entry : entries_)
    {
        if (n == 0)
            break;
        if (entry.revents == 0)
            continue;
        --n;
        // An error or hang-up reaches the owner as what it waits for, so its read or write
        // learns the cause.
        bool trouble = entry.revents & (POLLERR | POLLHUP);
        unsigned events = 0;
        if ((entry.events & POLLIN) && ((entry.revents & POLLIN) || trouble))
            events |= kReadable;
        if ((entry.events & POLLOUT) && ((entry.revents & POLLOUT) || trouble))
            events |= kWritable;
        if ((entry.events & POLLRDHUP) && ((entry.revents & POLLRDHUP) || trouble))
            events |= kHangup;
        if (events)
            fired.push_back({entry.fd, events});
    }
    return Errc::ok;
}

} // namespace tcp_server::detail
