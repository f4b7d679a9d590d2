// Socket addresses.
// SPDX-License-Identifier: Apache-2.0
#include "net/endpoint.h"

#include <tcpserver_config.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cstring>

namespace tcp_server::detail::sockets
{

std::string Endpoint::ip() const
{
    char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "?";
    if (family() == AF_INET6)
    {
        // getnameinfo keeps the %scope of link-local addresses, inet_ntop would drop it.
        getnameinfo(addr(), length, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
    }
    else if (family() == AF_INET)
    {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(&storage)->sin_addr, text,
                  sizeof text);
    }
    return text;
}

std::uint16_t Endpoint::port() const
{
    if (family() == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
}

std::string Endpoint::to_string() const
{
    std::string port_text = std::to_string(port());
    return family() == AF_INET6 ? "[" + ip() + "]:" + port_text : ip() + ":" + port_text;
}

Errc parse_endpoint(std::string_view ip, std::uint16_t port, Endpoint &out)
{
    std::string host = ip.empty() ? "0.0.0.0" : std::string(ip);
    if (host.size() != std::strlen(host.c_str()))
        return Errc::address_invalid;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    addrinfo *found = nullptr;
    std::string service = std::to_string(port);
    if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr)
        return Errc::address_invalid;
    std::memcpy(&out.storage, found->ai_addr, found->ai_addrlen);
    out.length = found->ai_addrlen;
    freeaddrinfo(found);
#ifndef TCPSERVER_USING_IPV6
    if (out.family() == AF_INET6)
        return Errc::ipv6_disabled;
#endif
    return Errc::ok;
}

} // namespace tcp_server::detail::sockets
