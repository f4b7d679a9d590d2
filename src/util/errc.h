// Conversions between errno, Errc and RT-Thread codes; the table itself is TCPSERVER_ERRC_MAP.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

namespace tcp_server::detail
{

/** Maps a socket call's errno to the error a user is told. EAGAIN is Errc::timeout: callers
 *  that can see it from anything but a non-blocking socket call map it themselves. */
Errc errc_from_errno(int error) noexcept;

} // namespace tcp_server::detail
