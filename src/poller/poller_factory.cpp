// The only place that knows every poller backend, and which one servers get by default.
// SPDX-License-Identifier: Apache-2.0
#include "poller/epoll_poller.h"
#include "poller/poll_poller.h"
#include "poller/poller.h"
#include "poller/select_poller.h"

#include <tcpserver_config.h>

#include <atomic>

namespace tcp_server
{

namespace
{
#if defined(TCPSERVER_POLLER_EPOLL)
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

std::unique_ptr<Poller> make_poller(Backend backend, Errc &error)
{
    error = Errc::ok;
    switch (backend)
    {
    case Backend::select:
        return std::make_unique<SelectPoller>();
    case Backend::poll:
        return std::make_unique<PollPoller>();
    case Backend::epoll: {
        auto poller = std::make_unique<EpollPoller>();
        error = poller->error();
        return error == Errc::ok ? std::move(poller) : nullptr;
    }
    }
    error = Errc::invalid_argument;
    return nullptr;
}

} // namespace detail
} // namespace tcp_server
