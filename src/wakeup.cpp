// The kernel stack's wake-up: an eventfd.
// SPDX-License-Identifier: Apache-2.0
#include "wakeup.h"

#include "util/errc.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace tcp_server::detail
{

namespace
{

class EventfdWakeup final : public Wakeup
{
  public:
    explicit EventfdWakeup(int fd) : fd_(fd) {}
    ~EventfdWakeup() override { ::close(fd_); }
    EventfdWakeup(const EventfdWakeup &) = delete;
    EventfdWakeup &operator=(const EventfdWakeup &) = delete;

    int fd() const override { return fd_; }

    void notify() override
    {
        std::uint64_t one = 1;
        // Only EAGAIN can fail here (counter saturated), and then it is readable anyway.
        [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
    }

    void drain() override
    {
        std::uint64_t count;
        [[maybe_unused]] ssize_t n = ::read(fd_, &count, sizeof count);
    }

  private:
    const int fd_;
};

} // namespace

std::unique_ptr<Wakeup> make_eventfd_wakeup(Errc &error)
{
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0)
    {
        error = errc_from_errno(errno);
        return nullptr;
    }
    error = Errc::ok;
    return std::make_unique<EventfdWakeup>(fd);
}

} // namespace tcp_server::detail
