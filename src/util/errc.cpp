// Conversions between errno, Errc and RT-Thread codes, generated from TCPSERVER_ERRC_MAP.
// SPDX-License-Identifier: Apache-2.0
#include "util/errc.h"

#include <cerrno>

namespace tcp_server
{

const char *to_string(Errc error) noexcept
{
    switch (error)
    {
#define TCPSERVER_ERRC_MESSAGE(name, rt, message)                                                  \
    case Errc::name:                                                                               \
        return message;
        TCPSERVER_ERRC_MAP(TCPSERVER_ERRC_MESSAGE)
#undef TCPSERVER_ERRC_MESSAGE
    }
    return "unknown error";
}

rt_err_t to_rt_err(Errc error) noexcept
{
    switch (error)
    {
#define TCPSERVER_ERRC_RT(name, rt, message)                                                       \
    case Errc::name:                                                                               \
        return -(rt);
        TCPSERVER_ERRC_MAP(TCPSERVER_ERRC_RT)
#undef TCPSERVER_ERRC_RT
    }
    return -RT_ERROR;
}

namespace
{
class Category final : public std::error_category
{
  public:
    const char *name() const noexcept override { return "tcpserver"; }
    std::string message(int value) const override { return to_string(static_cast<Errc>(value)); }
};
} // namespace

const std::error_category &error_category() noexcept
{
    static const Category category;
    return category;
}

namespace detail
{

Errc errc_from_errno(int error) noexcept
{
    switch (error)
    {
    case 0:
        return Errc::ok;
    case EAGAIN:
        return Errc::timeout;
    case ETIMEDOUT: // only a connection reports it: keepalive or retransmissions gave up
    case EHOSTUNREACH:
    case ENETUNREACH:
        return Errc::peer_unreachable;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
        return Errc::connection_reset;
    case EINVAL:
    case EAFNOSUPPORT:
        return Errc::invalid_argument;
    case EADDRINUSE:
        return Errc::address_in_use;
    case EADDRNOTAVAIL:
        return Errc::address_unavailable;
    case EACCES:
    case EPERM:
        return Errc::permission_denied;
    case EMFILE:
    case ENFILE:
        return Errc::descriptor_limit;
    case ENOMEM:
    case ENOBUFS:
        return Errc::no_memory;
    default:
        return Errc::system_error;
    }
}

} // namespace detail
} // namespace tcp_server
