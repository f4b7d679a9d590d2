// The only place that knows every poller backend, and which one servers get by default.
// SPDX-License-Identifier: Apache-2.0
#include "poller/epoll_poller.h"
#include "poller/poll_poller.h"
#include "poller/poller.h"
#include "poller/select_poller.h"
#include "util/log.h"

#include <tcpserver_config.h>

#ifdef TCPSERVER_USING_URING
#include "poller/uring_poller.h"
#endif

#include <atomic>

namespace tcp_server
{

namespace
{
#if defined(TCPSERVER_POLLER_AUTO)
constexpr Backend kBuildDefault = Backend::automatic;
#elif defined(TCPSERVER_POLLER_URING)
constexpr Backend kBuildDefault = Backend::uring;
#elif defined(TCPSERVER_POLLER_EPOLL)
constexpr Backend kBuildDefault = Backend::epoll;
#elif defined(TCPSERVER_POLLER_POLL)
constexpr Backend kBuildDefault = Backend::poll;
#else
constexpr Backend kBuildDefault = Backend::select;
#endif
std::atomic<Backend> process_default{kBuildDefault};
} // namespace

const char *to_string(Backend backend) noexcept
{
    switch (backend)
    {
    case Backend::select:
        return "select";
    case Backend::poll:
        return "poll";
    case Backend::epoll:
        return "epoll";
    case Backend::uring:
        return "uring";
    case Backend::automatic:
        return "auto";
    }
    return "unknown";
}

Backend default_backend() noexcept
{
    return process_default.load();
}

void set_default_backend(Backend backend) noexcept
{
    process_default.store(backend);
}

namespace detail
{

namespace
{

std::unique_ptr<Poller> make_epoll(Errc &error)
{
    auto poller = std::make_unique<EpollPoller>();
    error = poller->error();
    return error == Errc::ok ? std::move(poller) : nullptr;
}

#ifdef TCPSERVER_USING_URING
std::unique_ptr<Poller> make_uring(Errc &error, const char *&reason)
{
    auto poller = std::make_unique<UringPoller>();
    error = poller->error();
    reason = poller->reason();
    return error == Errc::ok ? std::move(poller) : nullptr;
}

// Asked for by name, a missing io_uring is the server's error, which its creator reports.
std::unique_ptr<Poller> make_uring(Errc &error)
{
    const char *reason;
    return make_uring(error, reason);
}

// The first server that finds io_uring missing says so; the others quietly take epoll too.
std::unique_ptr<Poller> make_uring_or_epoll(Errc &error)
{
    static std::atomic<bool> told{false};
    const char *reason = "";
    if (std::unique_ptr<Poller> poller = make_uring(error, reason))
        return poller;
    if (error == Errc::uring_unavailable && !told.exchange(true))
        LOG_W("io_uring is unavailable (%s): the auto poller uses epoll", reason);
    return error == Errc::uring_unavailable ? make_epoll(error) : nullptr;
}
#else
std::unique_ptr<Poller> make_uring(Errc &error)
{
    error = Errc::uring_not_built;
    return nullptr;
}

std::unique_ptr<Poller> make_uring_or_epoll(Errc &error)
{
    return make_epoll(error);
}
#endif

} // namespace

std::unique_ptr<Poller> make_poller(Backend backend, Errc &error)
{
    error = Errc::ok;
    switch (backend)
    {
    case Backend::select:
        return std::make_unique<SelectPoller>();
    case Backend::poll:
        return std::make_unique<PollPoller>();
    case Backend::epoll:
        return make_epoll(error);
    case Backend::uring:
        return make_uring(error);
    case Backend::automatic:
        return make_uring_or_epoll(error);
    }
    error = Errc::invalid_argument;
    return nullptr;
}

} // namespace detail
} // namespace tcp_server
