// The select() backend. Every descriptor is checked against FD_SETSIZE before FD_SET, so a
// large descriptor is refused instead of corrupting memory; the sets are copied per call.
// SPDX-License-Identifier: Apache-2.0
#include "poller/select_poller.h"

#include "util/errc.h"

#include <algorithm>
#include <cerrno>

namespace tcp_server::detail
{

SelectPoller::SelectPoller()
{
    FD_ZERO(&read_set_);
    FD_ZERO(&write_set_);
}

void SelectPoller::set_interest(int fd, unsigned interest)
{
    if (interest & kReadable)
        FD_SET(fd, &read_set_);
    else
        FD_CLR(fd, &read_set_);
    if (interest & kWritable)
        FD_SET(fd, &write_set_);
    else
        FD_CLR(fd, &write_set_);
}

Errc SelectPoller::add(int fd, unsigned interest)
{
    if (!supports(fd))
        return Errc::descriptor_limit;
    watched_.push_back(fd); // the only step that can throw, so first
    set_interest(fd, interest);
    max_fd_ = std::max(max_fd_, fd);
    return Errc::ok;
}

Errc SelectPoller::modify(int fd, unsigned interest)
{
    if (!supports(fd))
        return Errc::descriptor_limit;
    set_interest(fd, interest);
    return Errc::ok;
}

void SelectPoller::remove(int fd)
{
    if (!supports(fd))
        return;
    set_interest(fd, 0);
    std::erase(watched_, fd);
    if (fd == max_fd_)
        max_fd_ = watched_.empty() ? -1 : *std::max_element(watched_.begin(), watched_.end());
}

Errc SelectPoller::wait(int timeout_ms, std::vector<FiredEvent> &fired)
{
    fired.clear();
    fd_set readable = read_set_;
    fd_set writable = write_set_;
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int n = ::select(max_fd_ + 1, &readable, &writable, nullptr, timeout_ms < 0 ? nullptr : &tv);
    if (n < 0)
        return errno == EINTR ? Errc::ok : errc_from_errno(errno);
    for (int fd : watched_)
    {
        if (n == 0)
            break;
        unsigned events =
            (FD_ISSET(fd, &readable) ? kReadable : 0u) | (FD_ISSET(fd, &writable) ? kWritable : 0u);
        if (events)
        {
            fired.push_back({fd, events});
            --n;
        }
    }
    return Errc::ok;
}

} // namespace tcp_server::detail
