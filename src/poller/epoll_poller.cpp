// The epoll backend, level-triggered like the others, so the loop above needs no changes.
// SPDX-License-Identifier: Apache-2.0
#include "poller/epoll_poller.h"

#include "util/errc.h"

#include <unistd.h>

#include <cerrno>
#include <new>

namespace tcp_server::detail
{

namespace
{
constexpr std::size_t kInitialReady = 64;
}

EpollPoller::EpollPoller() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), ready_(kInitialReady)
{
    if (epoll_fd_ < 0)
        error_ = errc_from_errno(errno);
}

EpollPoller::~EpollPoller()
{
    if (epoll_fd_ >= 0)
        ::close(epoll_fd_);
}

Errc EpollPoller::control(int operation, int fd, unsigned interest)
{
    epoll_event event{};
    event.events = ((interest & kReadable) ? EPOLLIN : 0u) |
                   ((interest & kWritable) ? EPOLLOUT : 0u) |
                   ((interest & kHangup) ? EPOLLRDHUP : 0u);
    event.data.fd = fd;
    return ::epoll_ctl(epoll_fd_, operation, fd, &event) == 0 ? Errc::ok : errc_from_errno(errno);
}

// epoll reports errors and hang-ups even for a descriptor that asks for nothing, which would
// wake the worker again and again for a client whose reading is paused. A descriptor watching
// nothing is therefore taken out of the kernel's set until it watches something again.
Errc EpollPoller::add(int fd, unsigned interest)
{
    if (interest_.size() <= static_cast<std::size_t>(fd))
        interest_.resize(fd + 1, 0);
    interest_[fd] = 0;
    return modify(fd, interest);
}

Errc EpollPoller::modify(int fd, unsigned interest)
{
    Errc error = Errc::ok;
    if (interest == 0 && interest_[fd] != 0)
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    else if (interest != 0)
        error = control(interest_[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, interest);
    interest_[fd] = error == Errc::ok ? static_cast<unsigned char>(interest) : 0;
    return error;
}

void EpollPoller::remove(int fd)
{
    modify(fd, 0);
}

Errc EpollPoller::wait(int timeout_ms, std::vector<FiredEvent> &fired)
{
    fired.clear();
    int n = ::epoll_wait(epoll_fd_, ready_.data(), static_cast<int>(ready_.size()), timeout_ms);
    if (n < 0)
        return errno == EINTR ? Errc::ok : errc_from_errno(errno);
    for (int i = 0; i < n; ++i)
    {
        // As with poll: an error or hang-up reaches the owner as what it waits for.
        int fd = ready_[i].data.fd;
        unsigned got = ready_[i].events;
        bool trouble = got & (EPOLLERR | EPOLLHUP);
        unsigned events = 0;
        if ((got & EPOLLIN) || trouble)
            events |= kReadable;
        if ((got & EPOLLOUT) || trouble)
            events |= kWritable;
        if ((got & EPOLLRDHUP) || trouble)
            events |= kHangup;
        events &= interest_[fd];
        if (events)
            fired.push_back({fd, events});
    }
    if (static_cast<std::size_t>(n) == ready_.size())
    {
        try
        {
            ready_.resize(ready_.size() * 2); // a full batch: take more next time
        }
        catch (const std::bad_alloc &)
        {
            // Smaller batches are only slower.
        }
    }
    return Errc::ok;
}

} // namespace tcp_server::detail
