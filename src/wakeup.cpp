// An eventfd that lets other threads interrupt the worker's poller wait.
// SPDX-License-Identifier: Apache-2.0
#include "wakeup.h"

#include "util/errc.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace tcp_server::detail
{

Wakeup::Wakeup() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    if (fd_ < 0)
        error_ = errc_from_errno(errno);
}

Wakeup::~Wakeup()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void Wakeup::notify()
{
    std::uint64_t one = 1;
    // Only EAGAIN can fail here (counter saturated), and then the descriptor is readable anyway.
    [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
}

void Wakeup::drain()
{
    std::uint64_t count;
    [[maybe_unused]] ssize_t n = ::read(fd_, &count, sizeof count);
}

} // namespace tcp_server::detail
