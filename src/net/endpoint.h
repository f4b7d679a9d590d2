// Socket addresses: what a listener binds to and what a peer connects from, parsed from text
// without resolving names.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <sys/socket.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tcp_server::detail::sockets
{

/** A socket address and its length. */
struct Endpoint
{
    sockaddr_storage storage{};
    socklen_t length = 0;

    const sockaddr *addr() const { return reinterpret_cast<const sockaddr *>(&storage); }
    int family() const { return storage.ss_family; }
    /** The address alone: "127.0.0.1", "::1". */
    std::string ip() const;
    std::uint16_t port() const;
    /** "ip:port", or "[ip]:port" for IPv6. */
    std::string to_string() const;
};

/**
 * Parses a numeric address for a listener: "" / "0.0.0.0" any IPv4, "::" any, else an IPv4 or
 * IPv6 literal (with %scope for link-local). Never resolves names.
 */
Errc parse_endpoint(std::string_view ip, std::uint16_t port, Endpoint &out);

} // namespace tcp_server::detail::sockets
